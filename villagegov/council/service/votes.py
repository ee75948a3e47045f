"""Who came, who steps aside, and how each item was voted: the quorum and the outcome are computed by
core/voting.py under the council's rules in force on the meeting's date, never typed in. A passed item
is given a resolution numbered in the village's series of the year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from villagegov.accounts import rules as access
from villagegov.core import audit, clock, voting
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.council import rules
from villagegov.council.models import AgendaItem, Attendance, Meeting, Recusal, Resolution, RollCallVote, Vote
from villagegov.council.records import ItemRow, MeetingDetail
from villagegov.council.service._allowed import _require
from villagegov.council.service._common import (
    _attendance,
    _expected_seats,
    _item,
    _label,
    _lock_numbers,
    _meeting,
    _now,
    _ordered_items,
    _present_names,
    _recused_ids,
    _rules_on,
)
from villagegov.council.service._rows import _detail, _item_row

# --- attendance --------------------------------------------------------------------------------------------


def record_attendance(
    actor: Actor, meeting_id: int, entries: Sequence[rules.AttendanceInput], today: date | None = None
) -> MeetingDetail:
    """Who came, for every member holding a seat on the meeting's date. The quorum (rules in force on that
    date) decides: held, or not held (流会), when no votes can be entered. It may be redone until votes
    are in."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.RECORD_ATTENDANCE, today=today)
        seats = _expected_seats(meeting)
        clean = rules.check_attendance(entries, {s.id: s.name for s in seats if s.id is not None})
        present = sum(e.present for e in clean)
        rule = _rules_on(meeting.council_id, meeting.date).version().rule()
        met = voting.quorum_met(rule, voting.Counts(expected=len(seats), present=present))
        after = rules.state_after_attendance(meeting.state, met, _label(meeting))
        existing = {a.member_id: a for a in _attendance(meeting.id)}
        for entry in clean:
            status = rules.PRESENT if entry.present else rules.ABSENT
            row = existing.get(entry.member_id)
            if row is None:
                audit.record_create(
                    actor,
                    Attendance(
                        meeting=meeting.id, member=entry.member_id, status=status, reason=entry.reason
                    ),
                )
            else:
                before = audit.snapshot(row)
                row.status, row.reason = status, entry.reason
                audit.record_update(actor, row, before)
        absent_now = {e.member_id for e in clean if not e.present}
        for item in _ordered_items(meeting.id):
            for recusal in Recusal.select().where((Recusal.item == item.id) & Recusal.member.in_(absent_now)):
                audit.record_delete(actor, recusal)  # only members present step aside
        before = audit.snapshot(meeting)
        meeting.state, meeting.quorum_met = after, met
        audit.record_update(actor, meeting, before, action="attendance")
    return _detail(meeting)


def clear_attendance(actor: Actor, meeting_id: int) -> MeetingDetail:
    """Take back the attendance (and the recusals): the meeting is planned again, e.g. to correct its date."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _require(actor, meeting, rules.CLEAR_ATTENDANCE)
        after = rules.check_transition(meeting.state, rules.PLANNED, _label(meeting))
        for item in _ordered_items(meeting.id):
            for recusal in Recusal.select().where(Recusal.item == item.id):
                audit.record_delete(actor, recusal)
        for row in _attendance(meeting.id):
            audit.record_delete(actor, row)
        before = audit.snapshot(meeting)
        meeting.state, meeting.quorum_met = after, None
        audit.record_update(actor, meeting, before, action="clear_attendance")
    return _detail(meeting)


# --- recusals and votes ------------------------------------------------------------------------------------


def set_recusals(actor: Actor, item_id: int, recusals: Sequence[rules.RecusalInput]) -> ItemRow:
    """回避: the members present who step aside for this item (replacing any recorded before its vote)."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        item = _item(vid, item_id)
        meeting = _meeting(vid, item.meeting_id)
        _require(actor, meeting, rules.RECUSALS, item.id)
        clean = rules.check_recusals(recusals, _present_names(meeting))
        wanted = {r.member_id: r for r in clean}
        for row in Recusal.select().where(Recusal.item == item.id):
            if row.member_id not in wanted:
                audit.record_delete(actor, row)
            elif row.reason != wanted[row.member_id].reason:
                before = audit.snapshot(row)
                row.reason = wanted.pop(row.member_id).reason
                audit.record_update(actor, row, before)
            else:
                wanted.pop(row.member_id)
        for recusal in wanted.values():
            audit.record_create(actor, Recusal(item=item.id, member=recusal.member_id, reason=recusal.reason))
    return _item_row(item)


def _tally(meeting: Meeting, item: AgendaItem, counts: rules.VoteCounts) -> voting.Outcome:
    """core/voting.py decides, under the rules in force on the meeting's date."""
    attendance = _attendance(meeting.id)
    present = sum(a.status == rules.PRESENT for a in attendance)
    rule = _rules_on(meeting.council_id, meeting.date).version().rule(item.needs_two_thirds)
    return voting.tally(
        rule,
        voting.Counts(
            expected=len(attendance), present=present, recused=len(_recused_ids(item.id)),
            for_=counts.for_, against=counts.against, abstain=counts.abstain,
        ),
    )  # fmt: skip


def _settle_resolution(
    actor: Actor, vid: int, meeting: Meeting, item: AgendaItem, passed: bool, now: datetime | None = None
) -> None:
    """A passed item has a valid resolution; one that no longer passes keeps its number, void."""
    resolution = Resolution.get_or_none(Resolution.item == item.id)
    if passed and resolution is None:
        year = meeting.date.year
        _lock_numbers(actor)
        used = Resolution.select(Resolution.sequence).where(
            (Resolution.village == vid) & (Resolution.year == year)
        )
        sequence = rules.next_number(s for (s,) in used.tuples())
        resolution = Resolution(
            village=vid, item=item.id, year=year, sequence=sequence,
            number=rules.resolution_number(year, sequence), title=item.title, created_at=_now(now),
            created_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, resolution)
    elif resolution is not None and resolution.void == passed:
        before = audit.snapshot(resolution)
        resolution.void = not passed
        audit.record_update(actor, resolution, before, action="restore" if passed else "void")


def _save_vote(
    actor: Actor,
    vid: int,
    item_id: int,
    method: str,
    counts_of: Mapping[int, str] | rules.VoteCounts,
    now: datetime | None,
) -> ItemRow:
    with translated_errors(), transaction():
        item = _item(vid, item_id)
        meeting = _meeting(vid, item.meeting_id)
        _require(actor, meeting, rules.VOTE, item.id)
        recused = _recused_ids(item.id)
        eligible = {m: name for m, name in _present_names(meeting).items() if m not in recused}
        if isinstance(counts_of, rules.VoteCounts):
            counts, choices = counts_of, {}
        else:
            counts, choices = rules.roll_call_counts(counts_of, eligible), dict(counts_of)
        outcome = _tally(meeting, item, counts)
        rule = outcome.rule
        values = {
            "method": method, "for_": counts.for_, "against": counts.against, "abstain": counts.abstain,
            "expected": outcome.counts.expected, "present": outcome.counts.present,
            "recused": outcome.counts.recused, "outcome": outcome.result, "needed": outcome.needed,
            "pass_num": rule.pass_threshold.fraction.numerator,
            "pass_den": rule.pass_threshold.fraction.denominator, "pass_strict": rule.pass_threshold.strict,
            "pass_base": rule.pass_base, "recorded_at": _now(now), "recorded_by": actor.username,
        }  # fmt: skip
        vote = Vote.get_or_none(Vote.item == item.id)
        if vote is None:
            audit.record_create(actor, Vote(item=item.id, **values), action="vote")
        else:
            before = audit.snapshot(vote)
            for key, value in values.items():
                setattr(vote, key, value)
            audit.record_update(actor, vote, before, action="vote")
        old = {r.member_id: r for r in RollCallVote.select().where(RollCallVote.item == item.id)}
        for member_id, row in old.items():
            if member_id not in choices:
                audit.record_delete(actor, row)
            elif row.choice != choices[member_id]:
                before = audit.snapshot(row)
                row.choice = choices[member_id]
                audit.record_update(actor, row, before)
        for member_id, choice in choices.items():
            if member_id not in old:
                audit.record_create(actor, RollCallVote(item=item.id, member=member_id, choice=choice))
        _settle_resolution(actor, vid, meeting, item, outcome.passed, now)
    return _item_row(item)


def record_votes(
    actor: Actor, item_id: int, for_: int, against: int, abstain: int, now: datetime | None = None
) -> ItemRow:
    """The counts for / against / abstaining. Counts that cannot be are refused; the outcome is computed."""
    vid = access.writable_village(actor)
    return _save_vote(actor, vid, item_id, rules.COUNTS, rules.VoteCounts(for_, against, abstain), now)


def record_roll_call(
    actor: Actor, item_id: int, choices: Mapping[int, str], now: datetime | None = None
) -> ItemRow:
    """A roll call: member (seat) id → for / against / abstain; the counts are derived from it."""
    vid = access.writable_village(actor)
    return _save_vote(actor, vid, item_id, rules.ROLL_CALL, choices, now)


def clear_vote(actor: Actor, item_id: int) -> ItemRow:
    """Take an item's vote back before the meeting is finalised; its resolution, if any, becomes void."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        item = _item(vid, item_id)
        meeting = _meeting(vid, item.meeting_id)
        _require(actor, meeting, rules.CLEAR_VOTE, item.id)
        vote = Vote.get(Vote.item == item.id)
        for row in RollCallVote.select().where(RollCallVote.item == item.id):
            audit.record_delete(actor, row)
        audit.record_delete(actor, vote)
        _settle_resolution(actor, vid, meeting, item, passed=False)
    return _item_row(item)
