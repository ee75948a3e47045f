"""Resolutions (决议): numbered in the village's series of the year when their item passes, never given
again; a resolution whose item no longer passes stays, void."""

from __future__ import annotations

from villagegov.accounts import rules as access
from villagegov.core import audit
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.errors import NotFound
from villagegov.core.i18n import N_
from villagegov.council import rules
from villagegov.council.models import AgendaItem, Meeting, Resolution
from villagegov.council.records import ResolutionRow
from villagegov.council.service._allowed import _require
from villagegov.council.service._common import _meeting
from villagegov.council.service._rows import _resolution_row


def update_resolution(actor: Actor, resolution_id: int, title: str, text: str) -> ResolutionRow:
    """The resolution's title and text, until its meeting is finalised."""
    vid = access.writable_village(actor)
    clean_title = rules.check_text(title, "title", N_("the resolution's title"))
    clean_text = rules.check_text(
        text, "text", N_("the resolution's text"), required=False, limit=rules.MAX_TEXT
    )
    with translated_errors(), transaction():
        row = _resolution(vid, resolution_id)
        meeting = _meeting(vid, AgendaItem.get_by_id(row.item_id).meeting_id)
        _require(actor, meeting, rules.RESOLUTION, row.item_id)
        before = audit.snapshot(row)
        row.title, row.text = clean_title, clean_text
        audit.record_update(actor, row, before)
    return _resolution_row(row)


def _resolution(vid: int, resolution_id: int) -> Resolution:
    row = Resolution.get_or_none((Resolution.id == resolution_id) & (Resolution.village == vid))
    if row is None:
        raise NotFound(N_("That resolution does not exist."))
    return row


def list_resolutions(
    actor: Actor, year: int | None = None, include_void: bool = False, village_id: int | None = None
) -> list[ResolutionRow]:
    """The village's resolutions by number, the latest first."""
    vid = access.readable_village(actor, village_id)
    query = (
        Resolution.select(Resolution, AgendaItem, Meeting)
        .join(AgendaItem)
        .join(Meeting)
        .where(Resolution.village == vid)
        .order_by(Resolution.year.desc(), Resolution.sequence.desc())
    )
    if year is not None:
        query = query.where(Resolution.year == year)
    if not include_void:
        query = query.where(Resolution.void == False)  # noqa: E712
    return [_resolution_row(r, r.item.meeting) for r in query]


def get_resolution(actor: Actor, resolution_id: int) -> ResolutionRow:
    row = Resolution.get_or_none(Resolution.id == resolution_id)
    if row is None:
        raise NotFound(N_("That resolution does not exist."))
    access.readable_village(actor, row.village_id)
    return _resolution_row(row)
