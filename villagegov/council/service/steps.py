"""What a 四议两公开 step takes from the council: the facts of the agenda item that served it."""

from __future__ import annotations

from villagegov.core import voting
from villagegov.core.actor import Actor
from villagegov.core.errors import NotFound
from villagegov.core.i18n import N_
from villagegov.council import rules
from villagegov.council.models import AgendaItem
from villagegov.council.records import AgendaItemFacts, ItemRow, MeetingDetail
from villagegov.council.service._common import _readable_meeting
from villagegov.council.service._rows import _detail
from villagegov.council.service.meetings import list_meetings


def _facts(detail: MeetingDetail, item: ItemRow) -> AgendaItemFacts:
    vote = item.vote
    resolution = item.resolution if item.resolution and not item.resolution.void else None
    if vote is not None:
        outcome: str | None = vote.outcome
    elif detail.state == rules.NOT_HELD or (detail.state == rules.FINALISED and detail.quorum_met is False):
        outcome = voting.QUORUM_NOT_MET if item.for_vote else None
    else:
        outcome = None
    return AgendaItemFacts(
        item_id=item.id, meeting_id=detail.id, council=detail.council_name, meeting_number=detail.number,
        meeting_title=detail.title, date=detail.date, time=detail.time, place=detail.place,
        chair=detail.chair.name, recorder=detail.recorder.name, state=detail.state,
        finalised=detail.state == rules.FINALISED, expected=detail.expected, present=detail.present,
        observers=len(detail.observers), quorum_met=detail.quorum_met, order=item.order, title=item.title,
        needs_two_thirds=item.needs_two_thirds, for_vote=item.for_vote,
        for_=vote.for_ if vote else None, against=vote.against if vote else None,
        abstain=vote.abstain if vote else None, recused=vote.recused if vote else None,
        eligible=vote.eligible if vote else None, needed=vote.needed if vote else None,
        threshold=vote.pass_threshold if vote else None,
        threshold_text=voting.threshold_text(vote.pass_threshold, vote.pass_base) if vote else "",
        outcome=outcome, resolution_id=resolution.id if resolution else None,
        resolution_number=resolution.number if resolution else "",
        resolution_title=resolution.title if resolution else "",
        resolution_text=resolution.text if resolution else "",
    )  # fmt: skip


def agenda_item_facts(actor: Actor, item_id: int) -> AgendaItemFacts:
    """The facts of one agenda item and its meeting for a 四议两公开 step (see AgendaItemFacts)."""
    row = AgendaItem.get_or_none(AgendaItem.id == item_id)
    if row is None:
        raise NotFound(N_("That agenda item does not exist."))
    detail = _detail(_readable_meeting(actor, row.meeting_id))
    item = next(i for i in detail.items if i.id == item_id)
    return _facts(detail, item)


def agenda_items_facts(
    actor: Actor, year: int | None = None, village_id: int | None = None
) -> list[AgendaItemFacts]:
    """Every agenda item to be voted on (of the year, if given), the latest meeting first: what the
    四议两公开 room offers when the clerk links a step to the council meeting that served it."""
    out: list[AgendaItemFacts] = []
    for meeting in list_meetings(actor, year, village_id=village_id):
        detail = _detail(_readable_meeting(actor, meeting.id))
        out += [_facts(detail, item) for item in detail.items if item.for_vote]
    return out
