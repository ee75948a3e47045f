"""Every 村民议事会 operation a user can do. Each write is one transaction with its audit entries.

Who may do what (accounts.rules): the clerk (and the secretary) keeps the council, its members and its
meetings: agenda, attendance, recusals, votes, minutes, resolutions, the chair's and the recorder's
sign-offs, and amendments; only the secretary changes the council's rules of procedure; the
supervisory committee and township reviewers read.

A meeting's life: planned → (attendance recorded) held, or not held (流会) when the quorum is not met
→ finalised once both the chair and the recorder have signed. Whether an item passed is always
computed by core/voting.py under the council's rules in force on the meeting's date. A passed item
gets a resolution numbered in the village's series of the year, never given again. A finalised
meeting is locked: a correction is an Amendment that keeps the original.

Reading functions return plain data, never models; `meeting_notice`, `sign_in_sheet`,
`minutes_document` and `resolution_document` return what the PDF layouts print.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

import peewee

from villagegov.accounts import rules as access
from villagegov.accounts.models import User
from villagegov.core import audit, clock, voting
from villagegov.core.actor import Actor
from villagegov.core.db import database, is_postgres, transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_, _, in_document_language
from villagegov.core.privacy import DEFAULT_MASKING, Masking
from villagegov.council import rules
from villagegov.council.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Council,
    CouncilMember,
    CouncilRules,
    Meeting,
    Minutes,
    Observer,
    Recusal,
    Resolution,
    RollCallVote,
    Vote,
)
from villagegov.roster.models import Household, Village, Villager, VillagerGroup

# For annotations inside the dataclasses below that have a field named `date`.
Day = date

# --- plain data returned to the screens, the CLI, the PDF layouts and the 四议两公开 room ----------------


@dataclass(frozen=True)
class CouncilRow:
    id: int
    name: str
    term_start: date
    term_end: date


@dataclass(frozen=True)
class MemberRow:
    id: int  # the seat
    council_id: int
    villager_id: int
    name: str
    gender: str
    group: str
    phone: str
    role: str
    joined_on: date
    left_on: date | None  # the first day without the seat


@dataclass(frozen=True)
class RulesRow:
    id: int
    council_id: int
    effective_from: date
    quorum: voting.Threshold
    pass_threshold: voting.Threshold
    two_thirds: voting.Threshold
    set_at: datetime
    set_by: str

    def version(self) -> rules.RulesVersion:
        return rules.RulesVersion(self.effective_from, self.quorum, self.pass_threshold, self.two_thirds)


@dataclass(frozen=True)
class MeetingRow:
    id: int
    council_id: int
    number: int
    title: str  # 第3次会议
    date: date
    time: str
    place: str
    state: str
    quorum_met: bool | None
    expected: int
    present: int  # 0 until attendance is recorded
    items: int
    resolutions: int  # valid (not void) resolutions


@dataclass(frozen=True)
class AttendanceRow:
    member_id: int
    villager_id: int
    name: str
    role: str
    status: str | None  # present / absent; None until recorded
    reason: str
    id: int | None  # the attendance row (for an amendment of the reason)


@dataclass(frozen=True)
class ObserverRow:
    id: int
    name: str
    kind: str
    note: str


@dataclass(frozen=True)
class RecusalRow:
    member_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class RollCallRow:
    member_id: int
    name: str
    choice: str | None  # for / against / abstain; None: present and eligible but did not vote


@dataclass(frozen=True)
class VoteRow:
    method: str  # counts / roll_call
    for_: int
    against: int
    abstain: int
    expected: int
    present: int
    recused: int
    eligible: int  # present and not stepping aside
    not_voting: int
    needed: int  # least votes for that pass
    pass_threshold: voting.Threshold
    pass_base: str
    outcome: str  # passed / not_passed / quorum_not_met
    roll_call: tuple[RollCallRow, ...]  # empty for typed counts
    recorded_at: datetime
    recorded_by: str
    id: int | None = None  # the vote's row (the archive checks it against the audit log)


@dataclass(frozen=True)
class ResolutionRow:
    id: int
    item_id: int
    meeting_id: int
    year: int
    sequence: int
    number: str  # 〔2026〕议字第3号
    title: str
    text: str
    void: bool
    meeting_date: date


@dataclass(frozen=True)
class ItemRow:
    id: int
    meeting_id: int
    order: int
    title: str
    proposer: str
    background: str
    needs_two_thirds: bool
    for_vote: bool
    recusals: tuple[RecusalRow, ...]
    vote: VoteRow | None
    resolution: ResolutionRow | None
    minutes: str
    minutes_id: int | None


@dataclass(frozen=True)
class AmendmentRow:
    id: int
    meeting_id: int
    target: str  # minutes.text, resolution.text, …
    target_id: int
    what: str  # the target in words
    original: str
    corrected: str
    reason: str
    amended_by: str
    amended_at: datetime


@dataclass(frozen=True)
class MeetingDetail:
    """A meeting as the clerk's screen shows it: everything."""

    id: int
    council_id: int
    council_name: str
    village: str
    number: int
    title: str
    date: date
    time: str
    place: str
    convener: rules.Person
    chair: rules.Person
    recorder: rules.Person
    state: str
    quorum_met: bool | None
    rules_version: RulesRow  # the council's rules in force on the meeting's date
    expected: int
    present: int
    quorum_needed: int  # least present for the quorum
    attendance: tuple[AttendanceRow, ...]  # every expected member, chair first
    observers: tuple[ObserverRow, ...]
    items: tuple[ItemRow, ...]
    minutes: str  # on the meeting as a whole
    minutes_id: int | None
    chair_signed_on: Day | None
    recorder_signed_on: Day | None
    finalised_at: datetime | None
    amendments: tuple[AmendmentRow, ...]

    def as_input(self) -> rules.MeetingInput:
        return rules.MeetingInput(self.date, self.place, self.time, self.convener, self.chair, self.recorder)


# --- documents for printing (always in the document language) -------------------------------------------


@dataclass(frozen=True)
class NoticeItem:
    order: int
    title: str
    proposer: str
    background: str


@dataclass(frozen=True)
class MeetingNoticeDocument:
    """会议通知 to the members."""

    meeting_id: int
    village: str
    council: str  # 青石村村民议事会, also the signing body
    meeting_title: str  # 第3次会议
    number: int
    date: date
    time: str  # 14:30 or ""
    place: str
    convener: str
    chair: str
    recorder: str
    recipients: tuple[str, ...]  # the members expected, chair first
    items: tuple[NoticeItem, ...]
    sign_date: Day
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class SignInRow:
    order: int
    name: str
    role: str  # 会长 / 副会长 / 成员, in words
    group: str  # the member's villager group


@dataclass(frozen=True)
class ObserverLine:
    name: str
    kind: str  # in words
    note: str


@dataclass(frozen=True)
class SignInSheetDocument:
    """签到表: the expected members with a blank column for signatures, and the observers (列席)."""

    meeting_id: int
    village: str
    council: str
    meeting_title: str
    number: int
    date: date
    time: str
    place: str
    chair: str
    recorder: str
    expected: int
    rows: tuple[SignInRow, ...]
    observers: tuple[ObserverLine, ...]  # known in advance; the layout adds blank lines
    blank_observer_rows: int
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class AbsenceLine:
    name: str
    reason: str


@dataclass(frozen=True)
class VoteLine:
    """An item's vote as printed: counts, the threshold in words, the outcome in words."""

    method: str  # in words: 举手表决 / 逐人表决
    expected: int
    present: int
    recused: int
    eligible: int
    for_: int
    against: int
    abstain: int
    not_voting: int
    needed: int
    threshold: str  # 超过实到人数的1/2
    outcome: str  # passed / not_passed / quorum_not_met
    outcome_label: str  # 通过
    roll_call: tuple[tuple[str, str], ...]  # (name, vote in words), roll calls only


@dataclass(frozen=True)
class MinutesItem:
    order: int
    title: str
    proposer: str
    background: str
    for_vote: bool
    needs_two_thirds: bool
    minutes: str
    recused: tuple[AbsenceLine, ...]  # who stepped aside and why
    vote: VoteLine | None
    resolution_number: str  # "" when none


@dataclass(frozen=True)
class AmendmentLine:
    what: str
    original: str
    corrected: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class MinutesDocument:
    """会议记录: the meeting, who came, what was said and decided per item, corrections, signatures."""

    meeting_id: int
    village: str
    council: str
    meeting_title: str
    number: int
    date: date
    time: str
    place: str
    convener: str
    chair: str
    recorder: str
    state: str
    state_label: str
    final: bool  # finalised: signed by the chair and the recorder
    held: bool  # the quorum was met
    expected: int
    present: int
    quorum_needed: int
    quorum_text: str  # 不少于成员总数的2/3
    quorum_result: str  # "" while planned; 符合法定人数 / 不足法定人数，会议流会
    present_names: tuple[str, ...]
    absent: tuple[AbsenceLine, ...]
    observers: tuple[ObserverLine, ...]
    minutes: str  # on the meeting as a whole
    items: tuple[MinutesItem, ...]
    amendments: tuple[AmendmentLine, ...]
    chair_signed_on: Day | None
    recorder_signed_on: Day | None
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class ResolutionDocument:
    """决议: one passed item's resolution, dated the day of the meeting that adopted it."""

    resolution_id: int
    village: str
    council: str  # the signing body
    number: str  # 〔2026〕议字第3号
    title: str
    text: str
    item_title: str
    meeting_title: str
    meeting_date: date
    place: str
    vote: VoteLine
    final: bool  # the meeting is finalised
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


# --- helpers ---------------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _lock_numbers(actor: Actor) -> None:
    """Two clerks numbering at once must not take the same number (same lock as the audit chain)."""
    if is_postgres():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))


def _council(vid: int, council_id: int) -> Council:
    row = Council.get_or_none((Council.id == council_id) & (Council.village == vid))
    if row is None:
        raise NotFound(N_("That council does not exist."))
    return row


def _meeting(vid: int, meeting_id: int) -> Meeting:
    row = (
        Meeting.select(Meeting, Council)
        .join(Council)
        .where((Meeting.id == meeting_id) & (Council.village == vid))
        .first()
    )
    if row is None:
        raise NotFound(N_("That meeting does not exist."))
    return row


def _readable_meeting(actor: Actor, meeting_id: int) -> Meeting:
    row = Meeting.select(Meeting, Council).join(Council).where(Meeting.id == meeting_id).first()
    if row is None:
        raise NotFound(N_("That meeting does not exist."))
    access.readable_village(actor, row.council.village_id)
    return row


def _item(vid: int, item_id: int) -> AgendaItem:
    row = AgendaItem.get_or_none(AgendaItem.id == item_id)
    if row is None:
        raise NotFound(N_("That agenda item does not exist."))
    _meeting(vid, row.meeting_id)
    return row


def _term(council: Council) -> rules.Term:
    return rules.Term(council.term_start, council.term_end, council.name)


def _label(meeting: Meeting) -> str:
    return rules.meeting_label(meeting.number)


def _council_row(c: Council) -> CouncilRow:
    return CouncilRow(c.id, c.name, c.term_start, c.term_end)


def _member_query() -> peewee.ModelSelect:
    return (
        CouncilMember.select(CouncilMember, Villager, Household, VillagerGroup)
        .join(Villager)
        .join(Household)
        .join(VillagerGroup)
    )


def _member_row(m: CouncilMember) -> MemberRow:
    v = m.villager
    return MemberRow(
        m.id, m.council_id, v.id, v.name, v.gender, v.household.group.name, v.phone, m.role, m.joined_on,
        m.left_on,
    )  # fmt: skip


def _seats(council_id: int) -> list[rules.Membership]:
    query = (
        CouncilMember.select(CouncilMember, Villager.id, Villager.name)
        .join(Villager)
        .where(CouncilMember.council == council_id)
        .order_by(CouncilMember.id)
    )
    return [
        rules.Membership(m.villager_id, m.role, m.joined_on, m.left_on, m.villager.name, m.id) for m in query
    ]


def _rules_row(r: CouncilRules) -> RulesRow:
    return RulesRow(
        r.id, r.council_id, r.effective_from, rules.threshold(r.quorum_num, r.quorum_den, r.quorum_strict),
        rules.threshold(r.pass_num, r.pass_den, r.pass_strict),
        rules.threshold(r.two_thirds_num, r.two_thirds_den, r.two_thirds_strict), r.set_at, r.set_by,
    )  # fmt: skip


def _versions(council_id: int) -> list[RulesRow]:
    query = (
        CouncilRules.select().where(CouncilRules.council == council_id).order_by(CouncilRules.effective_from)
    )
    return [_rules_row(r) for r in query]


def _rules_on(council_id: int, day: date) -> RulesRow:
    versions = _versions(council_id)
    version = rules.rules_in_force((v.version() for v in versions), day)
    return next(v for v in versions if v.effective_from == version.effective_from)


def _expected_seats(meeting: Meeting) -> list[rules.Membership]:
    return rules.members_on(_seats(meeting.council_id), meeting.date)


def _attendance(meeting_id: int) -> list[Attendance]:
    return list(Attendance.select().where(Attendance.meeting == meeting_id))


def _present_names(meeting: Meeting) -> dict[int, str]:
    """Member (seat) id → name of the members present."""
    query = (
        Attendance.select(Attendance.member, Villager.name)
        .join(CouncilMember)
        .join(Villager)
        .where((Attendance.meeting == meeting.id) & (Attendance.status == rules.PRESENT))
        .tuples()
    )
    return dict(query)


def _recused_ids(item_id: int) -> set[int]:
    return {m for (m,) in Recusal.select(Recusal.member).where(Recusal.item == item_id).tuples()}


def _check_editable(meeting: Meeting) -> None:
    """Until finalised the record changes, but not while a signature on it stands (withdraw it first)."""
    label = _label(meeting)
    rules.check_open(meeting.state, label)
    for signer, signed_on in (("chair", meeting.chair_signed_on), ("recorder", meeting.recorder_signed_on)):
        if signed_on is not None:
            raise ValidationError(
                N_("{who} signed the record of {meeting} on {date}; withdraw the signature to change it."),
                who=_(rules.SIGNER_LABELS[signer]), meeting=label, date=signed_on.isoformat(),
            )  # fmt: skip


def _villager(vid: int, villager_id: int) -> Villager:
    row = Villager.get_or_none((Villager.id == villager_id) & (Villager.village == vid))
    if row is None:
        raise NotFound(N_("That villager does not exist."))
    return row


def _person(vid: int, person: rules.Person) -> rules.Person:
    """A person from the roster takes the roster's name unless a name is typed in."""
    if person.villager_id is None:
        return person
    villager = _villager(vid, person.villager_id)
    return rules.Person(person.name or villager.name, villager.id)


# --- the council -------------------------------------------------------------------------------------------


def _other_terms(vid: int, except_id: int | None = None) -> list[rules.Term]:
    query = Council.select().where(Council.village == vid)
    if except_id is not None:
        query = query.where(Council.id != except_id)
    return [_term(c) for c in query]


def _rules_values(version: rules.RulesVersion) -> dict[str, object]:
    q, p, t = version.quorum, version.pass_threshold, version.two_thirds
    return {
        "effective_from": version.effective_from,
        "quorum_num": q.fraction.numerator, "quorum_den": q.fraction.denominator, "quorum_strict": q.strict,
        "pass_num": p.fraction.numerator, "pass_den": p.fraction.denominator, "pass_strict": p.strict,
        "two_thirds_num": t.fraction.numerator, "two_thirds_den": t.fraction.denominator,
        "two_thirds_strict": t.strict,
    }  # fmt: skip


def create_council(
    actor: Actor, term_start: date, term_end: date, name: str = "", now: datetime | None = None
) -> CouncilRow:
    """A council for one term, with the default rules of procedure (DOMAIN.md) from its first day."""
    vid = access.writable_village(actor)
    rules.check_term(term_start, term_end)
    at = _now(now)
    with translated_errors(), transaction():
        village = Village.get_by_id(vid)
        clean_name = rules.check_text(name, "name", N_("the council's name"), required=False) or (
            f"{village.name}村民议事会"
        )
        rules.check_no_overlap(term_start, term_end, _other_terms(vid))
        council = Council(
            village=vid, name=clean_name, term_start=term_start, term_end=term_end, created_at=at,
            created_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, council)
        defaults = rules.RulesVersion(term_start)
        audit.record_create(
            actor,
            CouncilRules(council=council.id, set_at=at, set_by=actor.username, **_rules_values(defaults)),
        )
    return _council_row(council)


def update_council(actor: Actor, council_id: int, name: str, term_start: date, term_end: date) -> CouncilRow:
    """Rename the council or correct its term; every seat, meeting and rules version must stay inside it."""
    vid = access.writable_village(actor)
    rules.check_term(term_start, term_end)
    clean_name = rules.check_text(name, "name", N_("the council's name"))
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        rules.check_no_overlap(term_start, term_end, _other_terms(vid, except_id=council.id))
        term = rules.Term(term_start, term_end, clean_name)
        seats = _seats(council.id)
        for seat in seats:
            rules.check_membership(seat, term, [])
        outside = (
            Meeting.select()
            .where(
                (Meeting.council == council.id) & ((Meeting.date < term_start) | (Meeting.date > term_end))
            )
            .first()
        )
        if outside is not None:
            raise ValidationError(
                N_("{meeting} on {date} would fall outside the term."), field="term_start",
                meeting=_label(outside), date=outside.date.isoformat(),
            )  # fmt: skip
        versions = list(
            CouncilRules.select()
            .where(CouncilRules.council == council.id)
            .order_by(CouncilRules.effective_from)
        )
        if versions and versions[-1].effective_from > term_end:
            raise ValidationError(
                N_("Rules of procedure take effect on {date}, after the term would end."), field="term_end",
                date=versions[-1].effective_from.isoformat(),
            )  # fmt: skip
        if versions and versions[0].effective_from > term_start:
            # An earlier first day: the first rules apply from it (no meeting can precede them).
            first = versions[0]
            before = audit.snapshot(first)
            first.effective_from = term_start
            audit.record_update(actor, first, before)
        before = audit.snapshot(council)
        council.name, council.term_start, council.term_end = clean_name, term_start, term_end
        audit.record_update(actor, council, before)
    return _council_row(council)


def list_councils(actor: Actor, village_id: int | None = None) -> list[CouncilRow]:
    """Every term of the village's council, the latest first."""
    vid = access.readable_village(actor, village_id)
    query = Council.select().where(Council.village == vid).order_by(Council.term_start.desc())
    return [_council_row(c) for c in query]


def council_on(actor: Actor, day: date, village_id: int | None = None) -> CouncilRow | None:
    """The council whose term includes `day`, if any."""
    vid = access.readable_village(actor, village_id)
    row = (
        Council.select()
        .where((Council.village == vid) & (Council.term_start <= day) & (Council.term_end >= day))
        .first()
    )
    return _council_row(row) if row else None


def get_council(actor: Actor, council_id: int) -> CouncilRow:
    row = Council.get_or_none(Council.id == council_id)
    if row is None:
        raise NotFound(N_("That council does not exist."))
    access.readable_village(actor, row.village_id)
    return _council_row(row)


# --- members -----------------------------------------------------------------------------------------------


def _check_seat_against_meetings(
    council_id: int, seat_id: int | None, joined: date, left: date | None
) -> None:
    """A meeting whose attendance is recorded keeps the members of its day: a seat change may not add
    anyone to it or take anyone away."""
    attended = set()
    if seat_id is not None:
        attended = {
            m for (m,) in Attendance.select(Attendance.meeting).where(Attendance.member == seat_id).tuples()
        }
    recorded = Meeting.select().where((Meeting.council == council_id) & (Meeting.state != rules.PLANNED))
    for meeting in recorded.order_by(Meeting.date):
        if rules.is_member_on(joined, left, meeting.date) != (meeting.id in attended):
            raise ValidationError(
                N_(
                    "The attendance of {meeting} on {date} is recorded with the members of that day; this "
                    "change would alter it."
                ),
                field="joined_on", meeting=_label(meeting), date=meeting.date.isoformat(),
            )  # fmt: skip


def _seat(vid: int, member_id: int) -> CouncilMember:
    row = CouncilMember.get_or_none(CouncilMember.id == member_id)
    if row is None:
        raise NotFound(N_("That council member does not exist."))
    _council(vid, row.council_id)
    return row


def _member(member_id: int) -> MemberRow:
    return _member_row(_member_query().where(CouncilMember.id == member_id).get())


def add_member(
    actor: Actor, council_id: int, villager_id: int, role: str, joined_on: date, left_on: date | None = None
) -> MemberRow:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        villager = _villager(vid, villager_id)
        seat = rules.Membership(villager.id, role, joined_on, left_on, villager.name)
        rules.check_membership(seat, _term(council), _seats(council.id))
        _check_seat_against_meetings(council.id, None, joined_on, left_on)
        row = CouncilMember(council=council.id, villager=villager.id, role=role, joined_on=joined_on,
                            left_on=left_on)  # fmt: skip
        audit.record_create(actor, row)
    return _member(row.id)


def update_member(
    actor: Actor, member_id: int, role: str, joined_on: date, left_on: date | None = None
) -> MemberRow:
    """Correct a seat's role or dates (a leaving date ends it)."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        council = Council.get_by_id(row.council_id)
        seat = rules.Membership(row.villager_id, role, joined_on, left_on, "", row.id)
        rules.check_membership(seat, _term(council), _seats(council.id))
        _check_seat_against_meetings(council.id, row.id, joined_on, left_on)
        if role != row.role and Attendance.select().where(Attendance.member == row.id).exists():
            raise ValidationError(
                N_("This seat has attended meetings in its role; end it and give a new seat the new role."),
                field="role",
            )
        before = audit.snapshot(row)
        row.role, row.joined_on, row.left_on = role, joined_on, left_on
        audit.record_update(actor, row, before)
    return _member(row.id)


def change_role(actor: Actor, member_id: int, role: str, from_day: date) -> MemberRow:
    """A member takes another role from `from_day`: the old seat ends that day and a new one begins."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        if role == row.role:
            raise ValidationError(N_("The member already has that role."), field="role")
        council = Council.get_by_id(row.council_id)
        if not rules.is_member_on(row.joined_on, row.left_on, from_day) or from_day == row.joined_on:
            raise ValidationError(
                N_("The new role starts within the seat, after its first day."), field="joined_on"
            )
        old_left = row.left_on
        # Meetings already recorded keep the members (and roles) of their day.
        _check_seat_against_meetings(council.id, row.id, row.joined_on, from_day)
        _check_seat_against_meetings(council.id, None, from_day, old_left)
        before = audit.snapshot(row)
        row.left_on = from_day
        audit.record_update(actor, row, before, action="change_role")
        seat = rules.Membership(row.villager_id, role, from_day, old_left, "")
        rules.check_membership(seat, _term(council), _seats(council.id))
        new = CouncilMember(council=council.id, villager=row.villager_id, role=role, joined_on=from_day,
                            left_on=old_left)  # fmt: skip
        audit.record_create(actor, new, action="change_role")
    return _member(new.id)


def remove_member(actor: Actor, member_id: int) -> None:
    """Remove a seat entered by mistake; a seat with recorded attendance ends with a leaving date instead."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        if Attendance.select().where(Attendance.member == row.id).exists():
            raise ValidationError(
                N_("This member's attendance is on record; give a leaving date instead of removing the seat.")
            )
        audit.record_delete(actor, row)


def list_members(actor: Actor, council_id: int, on: date | None = None) -> list[MemberRow]:
    """The council's seats (those held on `on`, if given): chair first, then vice-chairs, then members."""
    council = get_council(actor, council_id)
    rows = [_member_row(m) for m in _member_query().where(CouncilMember.council == council.id)]
    if on is not None:
        rows = [r for r in rows if rules.is_member_on(r.joined_on, r.left_on, on)]
    return sorted(rows, key=lambda r: (rules.role_order(r.role), r.joined_on, r.id))


# --- rules of procedure ------------------------------------------------------------------------------------


def council_rules(actor: Actor, council_id: int) -> list[RulesRow]:
    """Every version of the council's rules of procedure, oldest first."""
    council = get_council(actor, council_id)
    return _versions(council.id)


def rules_in_force(actor: Actor, council_id: int, on: date) -> RulesRow:
    council = get_council(actor, council_id)
    return _rules_on(council.id, on)


def set_council_rules(
    actor: Actor,
    council_id: int,
    effective_from: date,
    quorum: voting.Threshold,
    pass_threshold: voting.Threshold,
    two_thirds: voting.Threshold,
    now: datetime | None = None,
) -> RulesRow:
    """The secretary sets the council's thresholds from a date on. Meetings held before keep their rules:
    the new version takes effect after the last meeting held."""
    vid = access.writable_village(actor, access.APPROVE)
    version = rules.check_rules(rules.RulesVersion(effective_from, quorum, pass_threshold, two_thirds))
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        last = (
            Meeting.select(peewee.fn.MAX(Meeting.date))
            .where((Meeting.council == council.id) & (Meeting.state != rules.PLANNED))
            .scalar()
        )
        if isinstance(last, str):
            last = date.fromisoformat(last[:10])
        rules.check_new_version(effective_from, _term(council), last)
        values = _rules_values(version)
        row = CouncilRules.get_or_none(
            (CouncilRules.council == council.id) & (CouncilRules.effective_from == effective_from)
        )
        if row is None:
            row = CouncilRules(council=council.id, set_at=_now(now), set_by=actor.username, **values)
            audit.record_create(actor, row)
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            row.set_at, row.set_by = _now(now), actor.username
            audit.record_update(actor, row, before)
    return _rules_row(row)


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
        _check_editable(meeting)
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
        if meeting.state != rules.PLANNED:
            raise ValidationError(
                N_("{meeting} is {state}; only a planned meeting can be removed."), meeting=_label(meeting),
                state=rules.state_label(meeting.state),
            )  # fmt: skip
        items = list(AgendaItem.select().where(AgendaItem.meeting == meeting.id))
        if Resolution.select().where(Resolution.item.in_([i.id for i in items])).exists():
            raise ValidationError(
                N_("An item of this meeting was given a resolution number; the meeting stays.")
            )
        for item in items:
            for minutes in Minutes.select().where(Minutes.item == item.id):
                audit.record_delete(actor, minutes)
            audit.record_delete(actor, item)
        for child in (*Observer.select().where(Observer.meeting == meeting.id),
                      *Minutes.select().where(Minutes.meeting == meeting.id)):  # fmt: skip
            audit.record_delete(actor, child)
        audit.record_delete(actor, meeting)


# --- agenda ------------------------------------------------------------------------------------------------


def _vote_row_exists(item_id: int) -> bool:
    return Vote.select().where(Vote.item == item_id).exists()


def add_item(actor: Actor, meeting_id: int, data: rules.ItemInput) -> ItemRow:
    """Add an item at the end of the agenda (also at a meeting already under way: 临时动议)."""
    vid = access.writable_village(actor)
    clean = rules.check_item(data)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _check_editable(meeting)
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
        _check_editable(meeting)
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
        _check_editable(meeting)
        resolution = Resolution.get_or_none(Resolution.item == item.id)
        if resolution is not None:
            raise ValidationError(
                N_("Item {title} was given resolution number {number}; it stays in the record."),
                title=item.title, number=resolution.number,
            )  # fmt: skip
        if _vote_row_exists(item.id):
            raise ValidationError(N_("Item {title} was voted on; clear its vote first."), title=item.title)
        for child in (*Recusal.select().where(Recusal.item == item.id),
                      *Minutes.select().where(Minutes.item == item.id)):  # fmt: skip
            audit.record_delete(actor, child)
        audit.record_delete(actor, item)
        _renumber(actor, meeting.id, [i.id for i in _ordered_items(meeting.id)])


def _ordered_items(meeting_id: int) -> list[AgendaItem]:
    query = AgendaItem.select().where(AgendaItem.meeting == meeting_id)
    return list(query.order_by(AgendaItem.sort_order, AgendaItem.id))


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
        _check_editable(meeting)
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
        _check_editable(meeting)
        row = Observer(meeting=meeting.id, name=clean_name, kind=clean_kind, note=clean_note)
        audit.record_create(actor, row)
    return ObserverRow(row.id, row.name, row.kind, row.note)


def remove_observer(actor: Actor, observer_id: int) -> None:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = Observer.get_or_none(Observer.id == observer_id)
        if row is None:
            raise NotFound(N_("That observer is not on record."))
        _check_editable(_meeting(vid, row.meeting_id))
        audit.record_delete(actor, row)


# --- attendance --------------------------------------------------------------------------------------------


def _meeting_has_votes(meeting_id: int) -> bool:
    return Vote.select().join(AgendaItem).where(AgendaItem.meeting == meeting_id).exists()


def _check_no_votes(meeting: Meeting) -> None:
    if _meeting_has_votes(meeting.id):
        raise ValidationError(
            N_("Votes are already entered for {meeting}; clear them before changing the attendance."),
            meeting=_label(meeting),
        )


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
        _check_editable(meeting)
        if meeting.date > today:
            raise ValidationError(
                N_("{meeting} is on {date}; its attendance is recorded on the day or after."),
                meeting=_label(meeting), date=meeting.date.isoformat(),
            )  # fmt: skip
        _check_no_votes(meeting)
        seats = _expected_seats(meeting)
        if not seats:
            raise ValidationError(
                N_("No one holds a seat on the council on {date}; add the members first."),
                date=meeting.date.isoformat(),
            )
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
        _check_editable(meeting)
        if meeting.state == rules.PLANNED:
            raise ValidationError(N_("No attendance is recorded for {meeting}."), meeting=_label(meeting))
        _check_no_votes(meeting)
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
        _check_editable(meeting)
        rules.check_can_vote(meeting.state, _label(meeting))
        if _vote_row_exists(item.id):
            raise ValidationError(
                N_("Item {title} was already voted on; clear its vote before changing who steps aside."),
                title=item.title,
            )
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
        _check_editable(meeting)
        label = _label(meeting)
        rules.check_can_vote(meeting.state, label)
        if not item.for_vote:
            raise ValidationError(N_("Item {title} is not voted on."), title=item.title)
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
        _check_editable(meeting)
        vote = Vote.get_or_none(Vote.item == item.id)
        if vote is None:
            raise ValidationError(N_("Item {title} has no vote to clear."), title=item.title)
        for row in RollCallVote.select().where(RollCallVote.item == item.id):
            audit.record_delete(actor, row)
        audit.record_delete(actor, vote)
        _settle_resolution(actor, vid, meeting, item, passed=False)
    return _item_row(item)


# --- minutes and resolutions -------------------------------------------------------------------------------


def set_minutes(actor: Actor, meeting_id: int, text: str, item_id: int | None = None) -> MeetingDetail:
    """What was said: on the meeting as a whole (item_id None) or on one item."""
    vid = access.writable_village(actor)
    clean = rules.check_text(text, "text", N_("the minutes"), required=False, limit=rules.MAX_TEXT)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        _check_editable(meeting)
        if meeting.state == rules.PLANNED:
            raise ValidationError(N_("{meeting} has not been held yet."), meeting=_label(meeting))
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


def _minutes_row(meeting_id: int, item_id: int | None) -> Minutes | None:
    condition = Minutes.item.is_null() if item_id is None else (Minutes.item == item_id)
    return Minutes.get_or_none((Minutes.meeting == meeting_id) & condition)


def _write_minutes(actor: Actor, meeting_id: int, item_id: int | None, text: str) -> None:
    row = _minutes_row(meeting_id, item_id)
    if row is None:
        audit.record_create(actor, Minutes(meeting=meeting_id, item=item_id, text=text))
    else:
        before = audit.snapshot(row)
        row.text = text
        audit.record_update(actor, row, before)


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
        _check_editable(meeting)
        if row.void:
            raise ValidationError(
                N_("Resolution {number} is void: its item no longer passes."), number=row.number
            )
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


# --- sign-off, finalisation and amendments -----------------------------------------------------------------


def sign_off(
    actor: Actor, meeting_id: int, signer: str, signed_on: date | None = None, today: date | None = None,
    now: datetime | None = None,
) -> MeetingDetail:  # fmt: skip
    """Record that the chair (主持人) or the recorder (记录人) signed the record; with both, it is finalised
    and locked. Every item to be voted on must have its vote."""
    vid = access.writable_village(actor)
    rules.check_signer(signer)
    today = today or clock.today()
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        label = _label(meeting)
        rules.check_open(meeting.state, label)
        if meeting.state == rules.PLANNED:
            raise ValidationError(N_("{meeting} has not been held yet."), meeting=label)
        name = meeting.chair_name if signer == "chair" else meeting.recorder_name
        if not name:
            raise ValidationError(
                N_("Say who was {who} of {meeting} before recording the signature."),
                who=_(rules.SIGNER_LABELS[signer]), meeting=label,
            )  # fmt: skip
        field = f"{signer}_signed_on"
        if getattr(meeting, field) is not None:
            raise ValidationError(
                N_("{name} already signed on {date}."), name=name, date=getattr(meeting, field).isoformat()
            )
        day = rules.check_sign_date(signed_on or today, meeting.date, today)
        if meeting.state == rules.HELD:
            voted = {i for (i,) in Vote.select(Vote.item).join(AgendaItem)
                     .where(AgendaItem.meeting == meeting.id).tuples()}  # fmt: skip
            for item in _ordered_items(meeting.id):
                if item.for_vote and item.id not in voted:
                    raise ValidationError(
                        N_(
                            "Item {order} ({title}) has no vote yet: enter it, or mark the item as not voted "
                            "on."
                        ),
                        order=item.sort_order, title=item.title,
                    )  # fmt: skip
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
    rules.check_signer(signer)
    with translated_errors(), transaction():
        meeting = _meeting(vid, meeting_id)
        rules.check_open(meeting.state, _label(meeting))
        field = f"{signer}_signed_on"
        if getattr(meeting, field) is None:
            raise ValidationError(N_("There is no signature to withdraw."))
        before = audit.snapshot(meeting)
        setattr(meeting, field, None)
        audit.record_update(actor, meeting, before, action="withdraw_sign_off")
    return _detail(meeting)


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
        if meeting.state != rules.FINALISED:
            raise ValidationError(
                N_("{meeting} is not finalised yet: change the record itself."), meeting=_label(meeting)
            )
        if target not in rules.AMENDABLE:
            rules.check_amendment(target, "", corrected, reason)  # raises, saying what may be amended
        row = _amendment_target(meeting, target, target_id)
        attr = target.split(".", 1)[1]
        if isinstance(row, Resolution) and row.void:
            raise ValidationError(
                N_("Resolution {number} is void: its item no longer passes."), number=row.number
            )
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


# --- reading -----------------------------------------------------------------------------------------------


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


# --- what a 四议两公开 step takes from the council --------------------------------------------------------


@dataclass(frozen=True)
class AgendaItemFacts:
    """What a 四议两公开 decision step needs from the council agenda item that served it.

    The decisions room stores the link (its step references `item_id`) and shows or prints these
    facts; it never reads the council's tables. Every number is the council's own record:

    - the meeting: `meeting_id`, `meeting_number` (第N次会议 of the term, also as `meeting_title`),
      `date`, `time` ("14:30" or ""), `place`, `chair` (主持人), `recorder` (记录人), `state`
      (planned / held / not_held / finalised) and `finalised` (signed by the chair and the recorder:
      only then is the record locked and fit to cite);
    - attendance: `expected` (members holding a seat that day), `present`, `observers` (列席, no
      vote), `quorum_met` (None until attendance is recorded);
    - the item: `item_id`, `order` on the agenda, `title`, `needs_two_thirds`, `for_vote` (False for
      an item only heard or discussed);
    - its vote (all None until entered): `for_`, `against`, `abstain`, `recused` (回避, not
      eligible), `eligible` (present and not stepping aside), `needed` (least votes for that pass),
      `threshold` (an exact Fraction with `strict`: more than half is Fraction(1, 2) strict) and
      `threshold_text` in the user's language;
    - `outcome`: passed / not_passed / quorum_not_met, computed by core/voting.py under the council's
      rules on the meeting's date, never typed; quorum_not_met also for an item of a 流会 (no vote can
      be entered there); None while the item awaits its vote or is not voted on;
    - the resolution of a passed item: `resolution_id`, `resolution_number` (〔2026〕议字第3号),
      `resolution_title`, `resolution_text` (all "" / None when there is none or it became void).
    """

    item_id: int
    meeting_id: int
    council: str
    meeting_number: int
    meeting_title: str
    date: date
    time: str
    place: str
    chair: str
    recorder: str
    state: str
    finalised: bool
    expected: int
    present: int
    observers: int
    quorum_met: bool | None
    order: int
    title: str
    needs_two_thirds: bool
    for_vote: bool
    for_: int | None
    against: int | None
    abstain: int | None
    recused: int | None
    eligible: int | None
    needed: int | None
    threshold: voting.Threshold | None
    threshold_text: str
    outcome: str | None
    resolution_id: int | None
    resolution_number: str
    resolution_title: str
    resolution_text: str


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


# --- documents for printing ----------------------------------------------------------------------------


def _masking(actor: Actor, village_id: int) -> Masking:
    """How the village's paper masks numbers (kept with its notices' settings)."""
    from villagegov.notices import service as notices

    return notices.masking(actor, village_id)


def _observer_lines(meeting_id: int) -> tuple[ObserverLine, ...]:
    query = Observer.select().where(Observer.meeting == meeting_id).order_by(Observer.id)
    return tuple(ObserverLine(o.name, rules.observer_label(o.kind), o.note) for o in query)


@in_document_language
def meeting_notice(actor: Actor, meeting_id: int, today: date | None = None) -> MeetingNoticeDocument:
    """会议通知 to the members expected, with the agenda; signed by the council on `today`."""
    meeting = _readable_meeting(actor, meeting_id)
    detail = _detail(meeting)
    return MeetingNoticeDocument(
        meeting_id=detail.id, village=detail.village, council=detail.council_name, meeting_title=detail.title,
        number=detail.number, date=detail.date, time=detail.time, place=detail.place,
        convener=detail.convener.name, chair=detail.chair.name, recorder=detail.recorder.name,
        recipients=tuple(a.name for a in detail.attendance),
        items=tuple(NoticeItem(i.order, i.title, i.proposer, i.background) for i in detail.items),
        sign_date=today or clock.today(), masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip


@in_document_language
def sign_in_sheet(actor: Actor, meeting_id: int, blank_observer_rows: int = 3) -> SignInSheetDocument:
    """签到表: the members expected on the meeting's date, a blank column for each signature."""
    meeting = _readable_meeting(actor, meeting_id)
    detail = _detail(meeting)
    groups = {
        m.id: m.group
        for m in (_member_row(s) for s in _member_query().where(CouncilMember.council == detail.council_id))
    }
    rows = tuple(
        SignInRow(n, a.name, rules.role_label(a.role), groups.get(a.member_id, ""))
        for n, a in enumerate(detail.attendance, start=1)
    )
    return SignInSheetDocument(
        meeting_id=detail.id, village=detail.village, council=detail.council_name, meeting_title=detail.title,
        number=detail.number, date=detail.date, time=detail.time, place=detail.place, chair=detail.chair.name,
        recorder=detail.recorder.name, expected=detail.expected, rows=rows,
        observers=_observer_lines(detail.id), blank_observer_rows=max(0, blank_observer_rows),
        masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip


_METHOD_LABELS = {rules.COUNTS: N_("Show of hands"), rules.ROLL_CALL: N_("Roll call")}


def _vote_line(vote: VoteRow) -> VoteLine:
    return VoteLine(
        method=_(_METHOD_LABELS[vote.method]), expected=vote.expected, present=vote.present,
        recused=vote.recused, eligible=vote.eligible, for_=vote.for_, against=vote.against,
        abstain=vote.abstain, not_voting=vote.not_voting, needed=vote.needed,
        threshold=voting.threshold_text(vote.pass_threshold, vote.pass_base), outcome=vote.outcome,
        outcome_label=voting.result_label(vote.outcome),
        roll_call=tuple(
            (r.name, rules.choice_label(r.choice) if r.choice else _("Did not vote")) for r in vote.roll_call
        ),
    )  # fmt: skip


@in_document_language
def minutes_document(actor: Actor, meeting_id: int) -> MinutesDocument:
    """会议记录: everything the meeting's record prints, amendments included (the corrected text in place,
    the original beside it in the list of amendments)."""
    meeting = _readable_meeting(actor, meeting_id)
    detail = _detail(meeting)
    # Who corrected the record, by the name the papers know them by, not their user name.
    people = dict(User.select(User.username, User.display_name).tuples())
    quorum_text = voting.threshold_text(detail.rules_version.quorum, voting.MEMBERS)
    if detail.quorum_met is None:
        quorum_result = ""
    elif detail.quorum_met:
        quorum_result = _("The quorum was met.")
    else:
        quorum_result = _("The quorum was not met: the meeting was not held.")
    items = tuple(
        MinutesItem(
            order=i.order,
            title=i.title,
            proposer=i.proposer,
            background=i.background,
            for_vote=i.for_vote,
            needs_two_thirds=i.needs_two_thirds,
            minutes=i.minutes,
            recused=tuple(AbsenceLine(r.name, r.reason) for r in i.recusals),
            vote=_vote_line(i.vote) if i.vote else None,
            resolution_number=i.resolution.number if i.resolution and not i.resolution.void else "",
        )
        for i in detail.items
    )
    return MinutesDocument(
        meeting_id=detail.id, village=detail.village, council=detail.council_name, meeting_title=detail.title,
        number=detail.number, date=detail.date, time=detail.time, place=detail.place,
        convener=detail.convener.name, chair=detail.chair.name, recorder=detail.recorder.name,
        state=detail.state, state_label=rules.state_label(detail.state),
        final=detail.state == rules.FINALISED, held=bool(detail.quorum_met), expected=detail.expected,
        present=detail.present, quorum_needed=detail.quorum_needed, quorum_text=quorum_text,
        quorum_result=quorum_result,
        present_names=tuple(a.name for a in detail.attendance if a.status == rules.PRESENT),
        absent=tuple(AbsenceLine(a.name, a.reason) for a in detail.attendance if a.status == rules.ABSENT),
        observers=_observer_lines(detail.id), minutes=detail.minutes, items=items,
        amendments=tuple(
            AmendmentLine(a.what, a.original, a.corrected, a.reason, people.get(a.amended_by, a.amended_by),
                          a.amended_at)
            for a in detail.amendments
        ),
        chair_signed_on=detail.chair_signed_on, recorder_signed_on=detail.recorder_signed_on,
        masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip


@in_document_language
def resolution_document(actor: Actor, resolution_id: int) -> ResolutionDocument:
    """决议 as printed; a void resolution (its item no longer passes) is not printed."""
    row = get_resolution(actor, resolution_id)
    if row.void:
        raise ValidationError(
            N_("Resolution {number} is void: its item no longer passes."), number=row.number
        )
    item = AgendaItem.get_by_id(row.item_id)
    meeting = _readable_meeting(actor, item.meeting_id)
    item_row = _item_row(item)
    assert item_row.vote is not None  # a valid resolution has its passing vote
    return ResolutionDocument(
        resolution_id=row.id, village=Village.get_by_id(meeting.council.village_id).name,
        council=meeting.council.name, number=row.number, title=row.title, text=row.text,
        item_title=item.title,
        meeting_title=rules.meeting_label(meeting.number), meeting_date=meeting.date, place=meeting.place,
        vote=_vote_line(item_row.vote), final=meeting.state == rules.FINALISED, sign_date=meeting.date,
        masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip
