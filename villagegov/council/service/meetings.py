"""Meetings and their agenda: plan, change and remove a meeting, its items and its observers; read them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.core import audit
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_
from villagegov.council import rules
from villagegov.council.models import (
    AgendaItem,
    Attendance,
    Council,
    Meeting,
    Minutes,
    Observer,
    Recusal,
    Resolution,
)
from villagegov.council.records import ItemRow, MeetingDetail, MeetingRow, ObserverRow
from villagegov.council.service._allowed import _require
from villagegov.council.service._common import (
    _council,
    _item,
    _label,
    _lock_numbers,
    _meeting,
    _now,
    _ordered_items,
    _person,
    _readable_meeting,
    _seats,
    _term,
    _vote_row_exists,
)
from villagegov.council.service._rows import _detail, _item_row

# --- meetings ----------------------------------------------------------------------------------------------


def _apply_meeting(meeting: Meeting, data: rules.MeetingInput) -> None:
    meeting.date = data.date
    meeting.time = data.time
    meeting.place = data.place
    meeting.convener, meeting.convener_name = data.convener.villager_id, data.convener.name
    meeting.chair, meeting.chair_name = data.chair.villager_id, data.chair.name
    meeting.recorder, meeting.recorder_name = data.recorder.villager_id, data.recorder.name


def _clean_meeting(vid: int, council: Council, data: rules.MeetingInput) -> rules.MeetingInput:
    people = rules.MeetingInput(
        data.date, data.place, data.time, _person(vid, data.convener), _person(vid, data.chair),
        _person(vid, data.recorder),
    )  # fmt: skip
    return rules.check_meeting(people, _term(council))


def create_meeting(
    actor: Actor, council_id: int, data: rules.MeetingInput, now: datetime | None = None
) -> MeetingDetail:
    """Plan a meeting; it takes the term's next number (第N次会议)."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        rules.room_actions(actor.role, has_council=True).require(rules.NEW_MEETING)
        clean = _clean_meeting(vid, council, data)
        _lock_numbers(actor)
        used = Meeting.select(Meeting.number).where(Meeting.council == council.id).tuples()
        meeting = Meeting(
            council=council.id, number=rules.next_number(n for (n,) in used), state=rules.PLANNED,
            created_at=_now(now), created_by=actor.username,
        )  # fmt: skip
        _apply_meeting(meeting, clean)
        audit.record_create(actor, meeting)
    return _detail(meeting)


def update_meeting(actor: Actor, meeting_id: int, data: rules.MeetingInput) -> MeetingDetail:
    """Change the time, place and people until the meeting is finalised; the date only while it is planned."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.EDIT_MEETING)
        clean = _clean_meeting(vid, meeting.council, data)
        if clean.date != meeting.date and meeting.state != rules.PLANNED:
            raise ValidationError(
                N_("The attendance of {meeting} is recorded for {date}; clear it to change the date."),
                field="date", meeting=_label(meeting), date=meeting.date.isoformat(),
            )  # fmt: skip
        before = audit.snapshot(meeting)
        _apply_meeting(meeting, clean)
        audit.record_update(actor, meeting, before)
    return _detail(meeting)


def delete_meeting(actor: Actor, meeting_id: int) -> None:
    """Remove a planned meeting entered by mistake, with its agenda (the audit log keeps what it said).

    If it was the term's latest, its number goes to the next meeting planned: a meeting never held
    leaves no record that could be confused with another.
    """
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.DELETE_MEETING)
        items = list(AgendaItem.select().where(AgendaItem.meeting == meeting.id))
        for item in items:
            for minutes in Minutes.select().where(Minutes.item == item.id):
                audit.record_delete(actor, minutes)
            audit.record_delete(actor, item)
        for child in (*Observer.select().where(Observer.meeting == meeting.id),
                      *Minutes.select().where(Minutes.meeting == meeting.id)):  # fmt: skip
            audit.record_delete(actor, child)
        audit.record_delete(actor, meeting)


def get_meeting(actor: Actor, meeting_id: int) -> MeetingDetail:
    return _detail(_readable_meeting(actor, meeting_id))


def list_meetings(
    actor: Actor, year: int | None = None, council_id: int | None = None, village_id: int | None = None
) -> list[MeetingRow]:
    """The village's meetings, the latest first, with their counts (expected, present, items, resolutions).

    A planned meeting expects the members holding a seat on its date; one held, those on its attendance.
    """
    vid = access.readable_village(actor, village_id)
    query = Meeting.select().join(Council).where(Council.village == vid)
    if year is not None:
        query = query.where(Meeting.date.between(date(year, 1, 1), date(year, 12, 31)))
    if council_id is not None:
        query = query.where(Meeting.council == council_id)
    meetings = list(query.order_by(Meeting.date.desc(), Meeting.number.desc()))
    ids = [m.id for m in meetings]
    if not ids:
        return []
    attendance: Counter[int] = Counter()
    present: Counter[int] = Counter()
    for meeting_id, status in (
        Attendance.select(Attendance.meeting, Attendance.status).where(Attendance.meeting.in_(ids)).tuples()
    ):
        attendance[meeting_id] += 1
        present[meeting_id] += status == rules.PRESENT
    items = dict(
        AgendaItem.select(AgendaItem.meeting, peewee.fn.COUNT(AgendaItem.id))
        .where(AgendaItem.meeting.in_(ids))
        .group_by(AgendaItem.meeting)
        .tuples()
    )
    resolutions = dict(
        Resolution.select(AgendaItem.meeting, peewee.fn.COUNT(Resolution.id))
        .join(AgendaItem)
        .where(AgendaItem.meeting.in_(ids) & (Resolution.void == False))  # noqa: E712
        .group_by(AgendaItem.meeting)
        .tuples()
    )
    seats: dict[int, list[rules.Membership]] = {}
    rows: list[MeetingRow] = []
    for m in meetings:
        if m.id in attendance:
            expected = attendance[m.id]
        else:
            if m.council_id not in seats:
                seats[m.council_id] = _seats(m.council_id)
            expected = len(rules.members_on(seats[m.council_id], m.date))
        rows.append(
            MeetingRow(
                m.id,
                m.council_id,
                m.number,
                rules.meeting_label(m.number),
                m.date,
                m.time,
                m.place,
                m.state,
                m.quorum_met,
                expected,
                present[m.id],
                items.get(m.id, 0),
                resolutions.get(m.id, 0),
            )
        )
    return rows


# --- agenda ------------------------------------------------------------------------------------------------


def add_item(actor: Actor, meeting_id: int, data: rules.ItemInput) -> ItemRow:
    """Add an item at the end of the agenda (also at a meeting already under way: 临时动议)."""
    vid = access.writable_village(actor)
    clean = rules.check_item(data)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.ADD_ITEM)
        last = AgendaItem.select(peewee.fn.MAX(AgendaItem.sort_order)).where(AgendaItem.meeting == meeting.id)
        item = AgendaItem(
            meeting=meeting.id, sort_order=(last.scalar() or 0) + 1, title=clean.title,
            proposer=clean.proposer, background=clean.background, needs_two_thirds=clean.needs_two_thirds,
            for_vote=clean.for_vote,
        )  # fmt: skip
        audit.record_create(actor, item)
    return _item_row(item)


def update_item(actor: Actor, item_id: int, data: rules.ItemInput) -> ItemRow:
    vid = access.writable_village(actor)
    clean = rules.check_item(data)
    with translated_errors(), transaction():
        item = _item(vid, item_id)
        meeting = _meeting(vid, item.meeting_id)
        _require(actor, meeting, rules.EDIT_ITEM, item.id)
        changes_vote = (clean.needs_two_thirds, clean.for_vote) != (item.needs_two_thirds, item.for_vote)
        if changes_vote and _vote_row_exists(item.id):
            raise ValidationError(
                N_("Item {title} was already voted on; clear its vote before changing how it is decided."),
                field="needs_two_thirds", title=item.title,
            )  # fmt: skip
        before = audit.snapshot(item)
        item.title, item.proposer, item.background = clean.title, clean.proposer, clean.background
        item.needs_two_thirds, item.for_vote = clean.needs_two_thirds, clean.for_vote
        audit.record_update(actor, item, before)
    return _item_row(item)


def delete_item(actor: Actor, item_id: int) -> None:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        item = _item(vid, item_id)
        meeting = _meeting(vid, item.meeting_id)
        _require(actor, meeting, rules.REMOVE_ITEM, item.id)
        for child in (*Recusal.select().where(Recusal.item == item.id),
                      *Minutes.select().where(Minutes.item == item.id)):  # fmt: skip
            audit.record_delete(actor, child)
        audit.record_delete(actor, item)
        _renumber(actor, meeting.id, [i.id for i in _ordered_items(meeting.id)])


def _renumber(actor: Actor, meeting_id: int, order: Sequence[int]) -> None:
    items = {i.id: i for i in _ordered_items(meeting_id)}
    for position, item_id in enumerate(order, start=1):
        item = items[item_id]
        if item.sort_order != position:
            before = audit.snapshot(item)
            item.sort_order = position
            audit.record_update(actor, item, before, action="reorder")


def move_item(actor: Actor, item_id: int, position: int) -> list[ItemRow]:
    """Move an item to `position` (1 = first) on its meeting's agenda."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        item = _item(vid, item_id)
        meeting = _meeting(vid, item.meeting_id)
        _require(actor, meeting, rules.MOVE_ITEM)
        order = [i.id for i in _ordered_items(meeting.id) if i.id != item.id]
        position = max(1, min(position, len(order) + 1))
        order.insert(position - 1, item.id)
        _renumber(actor, meeting.id, order)
    return [_item_row(i) for i in _ordered_items(meeting.id)]


# --- observers ---------------------------------------------------------------------------------------------


def add_observer(actor: Actor, meeting_id: int, name: str, kind: str, note: str = "") -> ObserverRow:
    """列席: someone who sits in without a vote (two-committee members, the supervisory committee, others)."""
    vid = access.writable_village(actor)
    clean_name, clean_kind, clean_note = rules.check_observer(name, kind, note)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.ADD_OBSERVER)
        row = Observer(meeting=meeting.id, name=clean_name, kind=clean_kind, note=clean_note)
        audit.record_create(actor, row)
    return ObserverRow(row.id, row.name, row.kind, row.note)


def remove_observer(actor: Actor, observer_id: int) -> None:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = Observer.get_or_none(Observer.id == observer_id)
        if row is None:
            raise NotFound(N_("That observer is not on record."))
        _require(actor, _meeting(vid, row.meeting_id), rules.REMOVE_OBSERVER)
        audit.record_delete(actor, row)
