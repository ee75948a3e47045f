"""The record of a meeting: what was said, the chair's and the recorder's signatures that finalise and
lock it, and the amendments that correct a finalised record while keeping the original."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import peewee

from villagegov.accounts import rules as access
from villagegov.core import audit, clock
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_
from villagegov.council import rules
from villagegov.council.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Council,
    Meeting,
    Minutes,
    Observer,
    Resolution,
)
from villagegov.council.records import AmendmentRow, MeetingDetail
from villagegov.council.service._allowed import _require
from villagegov.council.service._common import (
    _item,
    _label,
    _meeting,
    _minutes_row,
    _now,
    _ordered_items,
    _readable_meeting,
)
from villagegov.council.service._rows import _amendment_row, _amendments, _detail

# --- minutes -----------------------------------------------------------------------------------------------


def set_minutes(actor: Actor, meeting_id: int, text: str, item_id: int | None = None) -> MeetingDetail:
    """What was said: on the meeting as a whole (item_id None) or on one item."""
    vid = access.writable_village(actor)
    clean = rules.check_text(text, "text", N_("the minutes"), required=False, limit=rules.MAX_TEXT)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.MINUTES)
        if item_id is not None:
            item = _item(vid, item_id)
            if item.meeting_id != meeting.id:
                raise NotFound(N_("That agenda item does not exist."))
            if meeting.state == rules.NOT_HELD:
                raise ValidationError(
                    N_("{meeting} was not held; its items were not discussed."), meeting=_label(meeting)
                )
        _write_minutes(actor, meeting.id, item_id, clean)
    return _detail(meeting)


def _write_minutes(actor: Actor, meeting_id: int, item_id: int | None, text: str) -> None:
    row = _minutes_row(meeting_id, item_id)
    if row is None:
        audit.record_create(actor, Minutes(meeting=meeting_id, item=item_id, text=text))
    else:
        before = audit.snapshot(row)
        row.text = text
        audit.record_update(actor, row, before)


# --- sign-off and finalisation ----------------------------------------------------------------------------


def sign_off(
    actor: Actor, meeting_id: int, signer: str, signed_on: date | None = None, today: date | None = None,
    now: datetime | None = None,
) -> MeetingDetail:  # fmt: skip
    """Record that the chair (主持人) or the recorder (记录人) signed the record; with both, it is finalised
    and locked. Every item to be voted on must have its vote."""
    vid = access.writable_village(actor)
    action = rules.sign_action(signer)
    today = today or clock.today()
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        label = _label(meeting)
        _require(actor, meeting, action, today=today)
        field = f"{signer}_signed_on"
        day = rules.check_sign_date(signed_on or today, meeting.date, today)
        before = audit.snapshot(meeting)
        setattr(meeting, field, day)
        final = meeting.chair_signed_on is not None and meeting.recorder_signed_on is not None
        if final:
            meeting.state = rules.check_transition(meeting.state, rules.FINALISED, label)
            meeting.finalised_at = _now(now)
            # Every part an amendment may correct exists: the minutes of the meeting and of each item.
            if _minutes_row(meeting.id, None) is None:
                audit.record_create(actor, Minutes(meeting=meeting.id, item=None, text=""))
            if meeting.state == rules.FINALISED and meeting.quorum_met:
                for item in _ordered_items(meeting.id):
                    if _minutes_row(meeting.id, item.id) is None:
                        audit.record_create(actor, Minutes(meeting=meeting.id, item=item.id, text=""))
        audit.record_update(actor, meeting, before, action="finalise" if final else "sign_off")
    return _detail(meeting)


def withdraw_sign_off(actor: Actor, meeting_id: int, signer: str) -> MeetingDetail:
    """Take back a signature recorded by mistake, before the record is finalised."""
    vid = access.writable_village(actor)
    action = rules.withdraw_action(signer)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, action)
        field = f"{signer}_signed_on"
        before = audit.snapshot(meeting)
        setattr(meeting, field, None)
        audit.record_update(actor, meeting, before, action="withdraw_sign_off")
    return _detail(meeting)


# --- amendments --------------------------------------------------------------------------------------------


_AMENDABLE_MODELS: dict[str, type[peewee.Model]] = {
    "meeting": Meeting, "agenda_item": AgendaItem, "minutes": Minutes, "resolution": Resolution,
    "attendance": Attendance, "observer": Observer,
}  # fmt: skip


def _amendment_target(meeting: Meeting, target: str, target_id: int) -> peewee.Model:
    table = target.split(".", 1)[0]
    model = _AMENDABLE_MODELS.get(table)
    row = model.get_or_none(model.id == target_id) if model is not None else None
    owner: int | None = None
    if isinstance(row, Meeting):
        owner = row.id
    elif isinstance(row, AgendaItem | Minutes | Attendance | Observer):
        owner = row.meeting_id
    elif isinstance(row, Resolution):
        owner = AgendaItem.get_by_id(row.item_id).meeting_id
    if row is None or owner != meeting.id:
        raise NotFound(N_("That part of the record does not exist."))
    return row


def amend(
    actor: Actor,
    meeting_id: int,
    target: str,
    target_id: int,
    corrected: str,
    reason: str,
    now: datetime | None = None,
) -> AmendmentRow:
    """Correct a finalised meeting's record: the part takes the corrected text, and an Amendment keeps the
    original, the reason, who and when. Votes are not amended: they stand as finalised."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.CORRECT)
        if target not in rules.AMENDABLE:
            rules.check_amendment(target, "", corrected, reason)  # raises, saying what may be amended
        row = _amendment_target(meeting, target, target_id)
        attr = target.split(".", 1)[1]
        if isinstance(row, Resolution) and row.void:
            raise ValidationError(rules.VOID, number=row.number)
        if isinstance(row, Attendance) and row.status != rules.ABSENT:
            raise ValidationError(N_("Only an absence has a reason."))
        original = getattr(row, attr) or ""
        fixed, why = rules.check_amendment(target, original, corrected, reason)
        at = _now(now)
        amendment = Amendment(
            meeting=meeting.id, target=target, target_id=row.id, original=original, corrected=fixed,
            reason=why, amended_by=actor.username, amended_at=at,
        )  # fmt: skip
        audit.record_create(actor, amendment, action="amend")
        before = audit.snapshot(row)
        setattr(row, attr, fixed)
        audit.record_update(actor, row, before, action="amend")
    return _amendment_row(amendment)


def list_amendments(actor: Actor, meeting_id: int) -> list[AmendmentRow]:
    meeting = _readable_meeting(actor, meeting_id)
    return _amendments(meeting.id)


def amendments_made(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> list[AmendmentRow]:
    """Every correction made from `start` to `end` (both included), to any meeting of the village."""
    vid = access.readable_village(actor, village_id)
    query = (
        Amendment.select(Amendment)
        .join(Meeting)
        .join(Council)
        .where(
            (Council.village == vid)
            & (Amendment.amended_at >= datetime.combine(start, datetime.min.time()))
            & (Amendment.amended_at < datetime.combine(end, datetime.min.time()) + timedelta(days=1))
        )
        .order_by(Amendment.amended_at, Amendment.id)
    )
    return [_amendment_row(a) for a in query]
