"""The council's records (records.py) as the service reads them from its tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from villagegov.core import voting
from villagegov.council import rules
from villagegov.council.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Council,
    CouncilMember,
    Meeting,
    Observer,
    Recusal,
    Resolution,
    RollCallVote,
    Vote,
)
from villagegov.council.records import (
    AmendmentRow,
    AttendanceRow,
    ItemRow,
    MeetingDetail,
    ObserverRow,
    RecusalRow,
    ResolutionRow,
    RollCallRow,
    VoteRow,
)
from villagegov.council.service._common import (
    _attendance,
    _expected_seats,
    _minutes_row,
    _ordered_items,
    _rules_on,
    _seats,
)
from villagegov.roster.models import Village, Villager


def _amendments(meeting_id: int) -> list[AmendmentRow]:
    query = (
        Amendment.select().where(Amendment.meeting == meeting_id).order_by(Amendment.amended_at, Amendment.id)
    )
    return [_amendment_row(a) for a in query]


def _amendment_row(a: Amendment) -> AmendmentRow:
    return AmendmentRow(
        a.id, a.meeting_id, a.target, a.target_id, rules.amendment_label(a.target), a.original, a.corrected,
        a.reason, a.amended_by, a.amended_at,
    )  # fmt: skip


def _resolution_row(r: Resolution, meeting: Meeting | None = None) -> ResolutionRow:
    if meeting is None:
        meeting = Meeting.select().join(AgendaItem).where(AgendaItem.id == r.item_id).get()
    return ResolutionRow(
        r.id, r.item_id, meeting.id, r.year, r.sequence, r.number, r.title, r.text, r.void, meeting.date
    )


def _vote_row(vote: Vote, names: Mapping[int, str], eligible: Iterable[int]) -> VoteRow:
    roll_call: tuple[RollCallRow, ...] = ()
    if vote.method == rules.ROLL_CALL:
        choices = dict(
            RollCallVote.select(RollCallVote.member, RollCallVote.choice)
            .where(RollCallVote.item == vote.item_id)
            .tuples()
        )
        roll_call = tuple(RollCallRow(m, names.get(m, ""), choices.get(m)) for m in eligible)
    eligible_count = vote.present - vote.recused
    return VoteRow(
        method=vote.method, for_=vote.for_, against=vote.against, abstain=vote.abstain,
        expected=vote.expected, present=vote.present, recused=vote.recused, eligible=eligible_count,
        not_voting=eligible_count - vote.for_ - vote.against - vote.abstain, needed=vote.needed,
        pass_threshold=voting.Threshold(Fraction(vote.pass_num, vote.pass_den), vote.pass_strict),
        pass_base=vote.pass_base, outcome=vote.outcome, roll_call=roll_call, recorded_at=vote.recorded_at,
        recorded_by=vote.recorded_by, id=vote.id,
    )  # fmt: skip


def _item_row(item: AgendaItem) -> ItemRow:
    names = dict(
        CouncilMember.select(CouncilMember.id, Villager.name)
        .join(Villager)
        .join_from(CouncilMember, Attendance)
        .where(Attendance.meeting == item.meeting_id)
        .tuples()
    )
    recusals = tuple(
        RecusalRow(r.member_id, names.get(r.member_id, ""), r.reason)
        for r in Recusal.select().where(Recusal.item == item.id).order_by(Recusal.id)
    )
    vote = Vote.get_or_none(Vote.item == item.id)
    vote_row = None
    if vote is not None:
        recused = {r.member_id for r in recusals}
        present = (
            Attendance.select(Attendance.member)
            .where((Attendance.meeting == item.meeting_id) & (Attendance.status == rules.PRESENT))
            .order_by(Attendance.id)
            .tuples()
        )
        vote_row = _vote_row(vote, names, [m for (m,) in present if m not in recused])
    resolution = Resolution.get_or_none(Resolution.item == item.id)
    minutes = _minutes_row(item.meeting_id, item.id)
    return ItemRow(
        item.id, item.meeting_id, item.sort_order, item.title, item.proposer, item.background,
        item.needs_two_thirds, item.for_vote, recusals, vote_row,
        _resolution_row(resolution) if resolution else None, minutes.text if minutes else "",
        minutes.id if minutes else None,
    )  # fmt: skip


def _detail(meeting: Meeting) -> MeetingDetail:
    meeting = Meeting.get_by_id(meeting.id)  # as stored
    council = Council.get_by_id(meeting.council_id)
    version = _rules_on(council.id, meeting.date)
    recorded = {a.member_id: a for a in _attendance(meeting.id)}
    if recorded:
        seats = [s for s in _seats(council.id) if s.id in recorded]
        seats.sort(key=lambda s: (rules.role_order(s.role), s.joined_on, s.id or 0))
    else:
        seats = _expected_seats(meeting)
    attendance = tuple(
        AttendanceRow(
            s.id or 0,
            s.villager_id,
            s.name,
            s.role,
            recorded[s.id].status if s.id in recorded else None,
            recorded[s.id].reason if s.id in recorded else "",
            recorded[s.id].id if s.id in recorded else None,
        )
        for s in seats
    )
    present = sum(a.status == rules.PRESENT for a in attendance)
    general = _minutes_row(meeting.id, None)
    return MeetingDetail(
        id=meeting.id, council_id=council.id, council_name=council.name,
        village=Village.get_by_id(council.village_id).name, number=meeting.number,
        title=rules.meeting_label(meeting.number), date=meeting.date, time=meeting.time, place=meeting.place,
        convener=rules.Person(meeting.convener_name, meeting.convener_id),
        chair=rules.Person(meeting.chair_name, meeting.chair_id),
        recorder=rules.Person(meeting.recorder_name, meeting.recorder_id), state=meeting.state,
        quorum_met=meeting.quorum_met, rules_version=version, expected=len(attendance), present=present,
        quorum_needed=version.quorum.minimum(len(attendance)), attendance=attendance,
        observers=tuple(
            ObserverRow(o.id, o.name, o.kind, o.note)
            for o in Observer.select().where(Observer.meeting == meeting.id).order_by(Observer.id)
        ),
        items=tuple(_item_row(i) for i in _ordered_items(meeting.id)),
        minutes=general.text if general else "", minutes_id=general.id if general else None,
        chair_signed_on=meeting.chair_signed_on, recorder_signed_on=meeting.recorder_signed_on,
        finalised_at=meeting.finalised_at, amendments=tuple(_amendments(meeting.id)),
    )  # fmt: skip
