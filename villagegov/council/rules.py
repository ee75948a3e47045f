"""What the 村民议事会 room decides. Pure: no database, no Qt.

Member roles, terms and their overlaps, meeting numbers and states, the council's own voting rules
(versioned by the date they take effect), roll calls, resolution numbers and amendments. Whether a
vote passed is decided by core/voting.py, never here and never typed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from villagegov.accounts import rules as access
from villagegov.core import voting
from villagegov.core.actions import FINAL, Allowed, Refusal, refuse
from villagegov.core.errors import FinalisedRecord, ValidationError
from villagegov.core.i18n import N_, _
from villagegov.core.numbering import document_number

# --- members -------------------------------------------------------------------------------------

CHAIR, VICE_CHAIR, MEMBER = "chair", "vice_chair", "member"  # 会长, 副会长, 成员
ROLES = (CHAIR, VICE_CHAIR, MEMBER)
ROLE_LABELS = {CHAIR: N_("Council chair"), VICE_CHAIR: N_("Council vice-chair"), MEMBER: N_("Council member")}
MAX_NAME = 60
MAX_TITLE = 200
MAX_TEXT = 50_000


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role])


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(N_("Unknown council role: {role}"), field="role", role=role)
    return role


def role_order(role: str) -> int:
    """Chair first, then vice-chairs, then members: the order of a sign-in sheet."""
    return ROLES.index(role)


@dataclass(frozen=True)
class Term:
    start: date
    end: date
    label: str = ""  # how a message names it (the council's name)


def check_term(start: date, end: date) -> None:
    if end <= start:
        raise ValidationError(
            N_("The term ends on {end}, which is not after it starts ({start})."), field="term_end",
            start=start.isoformat(), end=end.isoformat(),
        )  # fmt: skip


def terms_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Two terms (both days included) share at least one day."""
    return a_start <= b_end and b_start <= a_end


def check_no_overlap(start: date, end: date, others: Iterable[Term]) -> None:
    """A village has one council at a time: a new or changed term may not share a day with another."""
    for other in others:
        if terms_overlap(start, end, other.start, other.end):
            raise ValidationError(
                N_("The term {start} to {end} overlaps the term of {other} ({other_start} to {other_end})."),
                field="term_start", start=start.isoformat(), end=end.isoformat(), other=other.label,
                other_start=other.start.isoformat(), other_end=other.end.isoformat(),
            )  # fmt: skip


@dataclass(frozen=True)
class Membership:
    """One villager's seat: from `joined_on` up to, not including, `left_on` (the first day without it)."""

    villager_id: int
    role: str
    joined_on: date
    left_on: date | None = None
    name: str = ""
    id: int | None = None


def is_member_on(joined_on: date, left_on: date | None, day: date) -> bool:
    return joined_on <= day and (left_on is None or day < left_on)


def _seats_overlap(a: Membership, b: Membership) -> bool:
    far = date.max
    return a.joined_on < (b.left_on or far) and b.joined_on < (a.left_on or far)


def check_membership(seat: Membership, term: Term, others: Iterable[Membership]) -> Membership:
    """A seat lies within the term, does not overlap the same villager's other seats, and a council
    has one chair at a time."""
    check_role(seat.role)
    if not term.start <= seat.joined_on <= term.end:
        raise ValidationError(
            N_("The joining date {date} is outside the council's term ({start} to {end})."),
            field="joined_on", date=seat.joined_on.isoformat(), start=term.start.isoformat(),
            end=term.end.isoformat(),
        )  # fmt: skip
    if seat.left_on is not None:
        if seat.left_on <= seat.joined_on:
            raise ValidationError(
                N_("The leaving date {left} is not after the joining date {joined}."), field="left_on",
                left=seat.left_on.isoformat(), joined=seat.joined_on.isoformat(),
            )  # fmt: skip
        if seat.left_on > term.end:
            raise ValidationError(
                N_("The leaving date {date} is after the council's term ends ({end}); leave it empty."),
                field="left_on", date=seat.left_on.isoformat(), end=term.end.isoformat(),
            )  # fmt: skip
    for other in others:
        if other.id is not None and other.id == seat.id:
            continue
        if not _seats_overlap(seat, other):
            continue
        if other.villager_id == seat.villager_id:
            raise ValidationError(
                N_("{name} already has a seat on the council from {date}."), field="villager",
                name=other.name, date=other.joined_on.isoformat(),
            )  # fmt: skip
        if seat.role == CHAIR and other.role == CHAIR:
            raise ValidationError(
                N_("{name} is the council chair then; a council has one chair at a time."), field="role",
                name=other.name,
            )  # fmt: skip
    return seat


def members_on(seats: Iterable[Membership], day: date) -> list[Membership]:
    """The seats held on `day`, chair first, then vice-chairs, then members (by joining date)."""
    held = [s for s in seats if is_member_on(s.joined_on, s.left_on, day)]
    return sorted(held, key=lambda s: (role_order(s.role), s.joined_on, s.id or 0))


# --- the council's own voting rules, versioned by date ---------------------------------------------


@dataclass(frozen=True)
class RulesVersion:
    """The council's thresholds from `effective_from` until the next version takes effect."""

    effective_from: date
    quorum: voting.Threshold = voting.COUNCIL_QUORUM
    pass_threshold: voting.Threshold = voting.COUNCIL_PASS
    two_thirds: voting.Threshold = voting.COUNCIL_TWO_THIRDS

    def rule(self, needs_two_thirds: bool = False) -> voting.VotingRule:
        return voting.council(self.quorum, self.pass_threshold, self.two_thirds, needs_two_thirds)


def threshold(numerator: int, denominator: int, strict: bool) -> voting.Threshold:
    """A threshold as a form gives it (two whole numbers); refuses a zero or negative denominator."""
    if denominator <= 0 or numerator <= 0:
        raise ValidationError(
            N_("A threshold is written as two whole numbers above zero, like 2/3; not {num}/{den}."),
            field="fraction", num=numerator, den=denominator,
        )  # fmt: skip
    return voting.Threshold(Fraction(numerator, denominator), strict)


def _stricter_or_equal(a: voting.Threshold, b: voting.Threshold) -> bool:
    """`a` asks at least as much as `b` of every count."""
    return a.fraction > b.fraction or (a.fraction == b.fraction and (a.strict or not b.strict))


def check_rules(version: RulesVersion) -> RulesVersion:
    """A pass threshold must keep a motion and its opposite from both passing: more than half, at least.
    The two-thirds threshold asks at least as much as the default one."""
    half = voting.Threshold(voting.HALF, strict=True)
    if not _stricter_or_equal(version.pass_threshold, half):
        raise ValidationError(
            N_("A motion must need more than half of the votes to pass; {rule} is not enough."),
            field="pass", rule=voting.threshold_text(version.pass_threshold, voting.PRESENT),
        )  # fmt: skip
    if not _stricter_or_equal(version.two_thirds, version.pass_threshold):
        raise ValidationError(
            N_("The threshold for two-thirds items must ask at least as much as the default one."),
            field="two_thirds",
        )
    return version


def rules_in_force(versions: Iterable[RulesVersion], day: date) -> RulesVersion:
    """The version that took effect last on or before `day`."""
    known = [v for v in versions if v.effective_from <= day]
    if not known:
        raise ValidationError(
            N_("The council had no rules of procedure on {date}."), field="date", date=day.isoformat()
        )
    return max(known, key=lambda v: v.effective_from)


def check_new_version(effective_from: date, term: Term, last_sitting: date | None) -> None:
    """A new version takes effect within the term and after every meeting already held, so that a
    meeting keeps the rules it was held under."""
    if not term.start <= effective_from <= term.end:
        raise ValidationError(
            N_("The rules must take effect within the council's term ({start} to {end})."),
            field="effective_from", start=term.start.isoformat(), end=term.end.isoformat(),
        )  # fmt: skip
    if last_sitting is not None and effective_from <= last_sitting:
        raise ValidationError(
            N_(
                "A meeting was already held under the rules in force on {date}; new rules can take "
                "effect from the day after it."
            ),
            field="effective_from", date=last_sitting.isoformat(),
        )  # fmt: skip


# --- meetings ------------------------------------------------------------------------------------

PLANNED, HELD, NOT_HELD, FINALISED = "planned", "held", "not_held", "finalised"
STATES = (PLANNED, HELD, NOT_HELD, FINALISED)
STATE_LABELS = {
    PLANNED: N_("Planned"),
    HELD: N_("Held"),
    NOT_HELD: N_("Not held (quorum not met)"),
    FINALISED: N_("Finalised"),
}
# Recording attendance decides held / not held (and may be redone until votes are in); clearing it
# goes back to planned; the chair's and the recorder's sign-offs finalise. A finalised meeting never
# changes again except through amendments.
TRANSITIONS: dict[str, frozenset[str]] = {
    PLANNED: frozenset({HELD, NOT_HELD}),
    HELD: frozenset({HELD, NOT_HELD, PLANNED, FINALISED}),
    NOT_HELD: frozenset({HELD, NOT_HELD, PLANNED, FINALISED}),
    FINALISED: frozenset(),
}


def state_label(state: str) -> str:
    return _(STATE_LABELS[state])


def meeting_label(number: int) -> str:
    """第3次会议."""
    return _("Meeting no. {number}").format(number=number)


def check_transition(state: str, after: str, label: str) -> str:
    if state == FINALISED:
        raise_finalised(label)
    if after not in TRANSITIONS[state]:
        raise ValidationError(
            N_("{meeting} is {state}; it cannot become {after}."), meeting=label,
            state=state_label(state), after=state_label(after),
        )  # fmt: skip
    return after


LOCKED = N_(
    "{meeting} is finalised and locked; a correction is recorded as an amendment that keeps the original."
)


def raise_finalised(label: str) -> None:
    raise FinalisedRecord(LOCKED, meeting=label)


def state_after_attendance(state: str, quorum_met: bool, label: str) -> str:
    return check_transition(state, HELD if quorum_met else NOT_HELD, label)


def next_number(used: Iterable[int | None]) -> int:
    """The next number: one past every number given (meetings per term, resolutions per year)."""
    return max((n for n in used if n is not None), default=0) + 1


_TIME = re.compile(r"^(\d{1,2})[:：.点时](\d{2})?分?$")


def check_time(text: str) -> str:
    """A starting time as 14:30 (also 14：30, 14.30, 14点30, 9点); "" when not given."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return ""
    if cleaned.isdigit() and len(cleaned) in (3, 4):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    match = _TIME.match(cleaned)
    if match is None:
        raise ValidationError(
            N_("Cannot read the time {value}; write it as 14:30."), field="time", value=text
        )
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValidationError(
            N_("Cannot read the time {value}; write it as 14:30."), field="time", value=text
        )
    return f"{hour:02d}:{minute:02d}"


def check_text(text: str, field: str, label: str, required: bool = True, limit: int = MAX_TITLE) -> str:
    cleaned = text.strip()
    if required and not cleaned:
        raise ValidationError(N_("Please enter {what}."), field=field, what=_(label))
    if len(cleaned) > limit:
        raise ValidationError(N_("{what} has more than {n} characters."), field=field, what=_(label), n=limit)
    return cleaned


@dataclass(frozen=True)
class Person:
    """Who convenes, chairs or records: a villager from the roster, or a name typed in (then id is None)."""

    name: str = ""
    villager_id: int | None = None


@dataclass(frozen=True)
class MeetingInput:
    date: date
    place: str
    time: str = ""  # 14:30
    convener: Person = Person()
    chair: Person = Person()  # 主持人
    recorder: Person = Person()  # 记录人


def check_meeting(data: MeetingInput, term: Term) -> MeetingInput:
    if not term.start <= data.date <= term.end:
        raise ValidationError(
            N_("The meeting date {date} is outside the council's term ({start} to {end})."), field="date",
            date=data.date.isoformat(), start=term.start.isoformat(), end=term.end.isoformat(),
        )  # fmt: skip
    place = check_text(data.place, "place", N_("the place"))
    people = {
        "convener": (data.convener, N_("who convenes the meeting")),
        "chair": (data.chair, N_("who chairs the meeting")),
        "recorder": (data.recorder, N_("who keeps the record")),
    }
    clean: dict[str, Person] = {}
    for key, (person, label) in people.items():
        name = check_text(person.name, key, label, required=person.villager_id is None, limit=MAX_NAME)
        clean[key] = Person(name, person.villager_id)
    return MeetingInput(data.date, place, check_time(data.time), clean["convener"], clean["chair"],
                        clean["recorder"])  # fmt: skip


# --- agenda items --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    title: str
    proposer: str = ""
    background: str = ""
    needs_two_thirds: bool = False
    for_vote: bool = True  # False: heard or discussed only (通报、听取汇报), nothing to vote on


def check_item(data: ItemInput) -> ItemInput:
    title = check_text(data.title, "title", N_("the item's title"))
    proposer = check_text(data.proposer, "proposer", N_("the proposer"), required=False, limit=MAX_NAME)
    background = check_text(data.background, "background", N_("the background"), False, MAX_TEXT)
    if data.needs_two_thirds and not data.for_vote:
        raise ValidationError(
            N_("An item that is not voted on needs no two-thirds."), field="needs_two_thirds"
        )
    return ItemInput(title, proposer, background, data.needs_two_thirds, data.for_vote)


# --- attendance, observers, recusals -------------------------------------------------------------

PRESENT, ABSENT = "present", "absent"
ATTENDANCE = (PRESENT, ABSENT)
ATTENDANCE_LABELS = {PRESENT: N_("Present"), ABSENT: N_("Absent")}

TWO_COMMITTEES, SUPERVISORY, OTHER = "two_committees", "supervisory", "other"
OBSERVER_KINDS = (TWO_COMMITTEES, SUPERVISORY, OTHER)
OBSERVER_LABELS = {
    TWO_COMMITTEES: N_("Two committees"),
    SUPERVISORY: N_("Supervisory committee"),
    OTHER: N_("Other"),
}


def attendance_label(status: str) -> str:
    return _(ATTENDANCE_LABELS[status])


def observer_label(kind: str) -> str:
    return _(OBSERVER_LABELS[kind])


@dataclass(frozen=True)
class AttendanceInput:
    member_id: int
    present: bool
    reason: str = ""  # why absent (请假、外出务工…)


def check_attendance(
    entries: Iterable[AttendanceInput], expected: Mapping[int, str]
) -> list[AttendanceInput]:
    """One entry for every expected member (id → name) and for no one else."""
    seen: dict[int, AttendanceInput] = {}
    for entry in entries:
        if entry.member_id not in expected:
            raise ValidationError(
                N_("Only the members holding a seat on the meeting's date are on its attendance list."),
                field="attendance",
            )
        if entry.member_id in seen:
            raise ValidationError(
                N_("{name} is on the attendance list twice."),
                field="attendance",
                name=expected[entry.member_id],
            )
        reason = (
            "" if entry.present else check_text(entry.reason, "reason", N_("the reason"), False, MAX_TITLE)
        )
        seen[entry.member_id] = AttendanceInput(entry.member_id, entry.present, reason)
    missing = [name for member_id, name in expected.items() if member_id not in seen]
    if missing:
        raise ValidationError(
            N_("Say whether {names} came or not."), field="attendance", names="、".join(missing)
        )
    return list(seen.values())


def check_observer(name: str, kind: str, note: str = "") -> tuple[str, str, str]:
    if kind not in OBSERVER_KINDS:
        raise ValidationError(N_("Unknown kind of observer: {kind}"), field="kind", kind=kind)
    return (
        check_text(name, "name", N_("the observer's name"), limit=MAX_NAME),
        kind,
        check_text(note, "note", N_("the note"), required=False),
    )


@dataclass(frozen=True)
class RecusalInput:
    member_id: int
    reason: str = ""  # the conflict of interest (本人或近亲属与议题有利害关系)


def check_recusals(recusals: Iterable[RecusalInput], present: Mapping[int, str]) -> list[RecusalInput]:
    """Only a member present at the meeting steps aside for an item, once."""
    seen: dict[int, RecusalInput] = {}
    for recusal in recusals:
        if recusal.member_id not in present:
            raise ValidationError(
                N_("Only a member who is present steps aside for an item."), field="recusals"
            )
        if recusal.member_id in seen:
            raise ValidationError(
                N_("{name} steps aside once for an item."), field="recusals", name=present[recusal.member_id]
            )
        reason = check_text(recusal.reason, "reason", N_("the reason"), required=False)
        seen[recusal.member_id] = RecusalInput(recusal.member_id, reason)
    return list(seen.values())


# --- votes ---------------------------------------------------------------------------------------

COUNTS, ROLL_CALL = "counts", "roll_call"
FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
CHOICES = (FOR, AGAINST, ABSTAIN)
CHOICE_LABELS = {FOR: N_("For"), AGAINST: N_("Against"), ABSTAIN: N_("Abstain")}


def choice_label(choice: str) -> str:
    return _(CHOICE_LABELS[choice])


@dataclass(frozen=True)
class VoteCounts:
    for_: int
    against: int
    abstain: int


def roll_call_counts(choices: Mapping[int, str], eligible: Mapping[int, str]) -> VoteCounts:
    """Counts derived from a roll call (member id → for / against / abstain); a member left out did not vote.

    Only members present and not stepping aside (`eligible`, id → name) vote.
    """
    tally = dict.fromkeys(CHOICES, 0)
    for member_id, choice in choices.items():
        if choice not in CHOICES:
            raise ValidationError(N_("Unknown vote: {choice}"), field="roll_call", choice=choice)
        if member_id not in eligible:
            raise ValidationError(
                N_("Only members present who do not step aside vote on this item."), field="roll_call"
            )
        tally[choice] += 1
    return VoteCounts(tally[FOR], tally[AGAINST], tally[ABSTAIN])


# --- resolutions ---------------------------------------------------------------------------------

RESOLUTION_WORD = "议字第"


def resolution_number(year: int, sequence: int) -> str:
    """〔2026〕议字第3号."""
    return document_number(year, sequence, word=RESOLUTION_WORD)


# A resolution's number as a clerk may type it: 〔2026〕议字第6号, [2026]议字第6号, 2026议字第6号,
# 议字第6号, 议字6.
_TYPED_RESOLUTION_NUMBER = re.compile(
    r"^\s*(?:[〔\[(（【]?\s*(?P<year>\d{4})\s*[〕\])）】]?)?\s*议字\s*第?\s*(?P<sequence>\d+)\s*号?\s*$"
)


def parse_resolution_number(text: str) -> tuple[int | None, int] | None:
    """(year or None, sequence) of a typed resolution number; None when it is not one."""
    match = _TYPED_RESOLUTION_NUMBER.match(text)
    if match is None:
        return None
    year = match.group("year")
    return (int(year) if year else None), int(match.group("sequence"))


# --- sign-off and amendments ---------------------------------------------------------------------

SIGNERS = ("chair", "recorder")
SIGNER_LABELS = {"chair": N_("the chair"), "recorder": N_("the recorder")}


def check_signer(signer: str) -> str:
    if signer not in SIGNERS:
        raise ValidationError(N_("Only the chair and the recorder sign the record."), field="signer")
    return signer


def check_sign_date(signed_on: date, meeting_date: date, today: date) -> date:
    if signed_on < meeting_date:
        raise ValidationError(
            N_("The record cannot be signed before the meeting ({date})."), field="signed_on",
            date=meeting_date.isoformat(),
        )  # fmt: skip
    if signed_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="signed_on", date=signed_on.isoformat()
        )
    return signed_on


# What a finalised meeting's amendment may correct: (table, field) → what it is called. Votes are not
# among them: a vote once finalised stands, and the council votes again at a later meeting.
AMENDABLE: dict[str, str] = {
    "meeting.place": N_("Place"),
    "meeting.time": N_("Time"),
    "agenda_item.title": N_("Item title"),
    "agenda_item.proposer": N_("Proposer"),
    "agenda_item.background": N_("Background"),
    "minutes.text": N_("Minutes"),
    "resolution.title": N_("Resolution title"),
    "resolution.text": N_("Resolution text"),
    "attendance.reason": N_("Reason for absence"),
    "observer.name": N_("Observer's name"),
}


def amendment_label(target: str) -> str:
    return _(AMENDABLE[target])


def check_amendment(target: str, original: str, corrected: str, reason: str) -> tuple[str, str]:
    if target not in AMENDABLE:
        raise ValidationError(
            N_("That part of a finalised record cannot be amended; votes stand as they were finalised."),
            field="target",
        )
    limit = MAX_TEXT if target in ("minutes.text", "resolution.text", "agenda_item.background") else MAX_TITLE
    if target == "meeting.time":
        fixed = check_time(corrected)
    else:
        fixed = check_text(corrected, "corrected", N_("the corrected text"), required=target not in (
            "agenda_item.proposer", "agenda_item.background", "attendance.reason", "minutes.text",
            "resolution.text"), limit=limit)  # fmt: skip
    if fixed == original:
        raise ValidationError(N_("The correction is the same as the original."), field="corrected")
    why = check_text(reason, "reason", N_("the reason for the correction"), limit=MAX_TITLE)
    return fixed, why


def signatures_sentence(chair_signed_on: date | None, recorder_signed_on: date | None) -> str:
    """Who has signed the record, in the language spoken: the minutes' paper (in the document's
    language) and the meeting's details on screen say the same words."""
    if chair_signed_on is not None and recorder_signed_on is not None:
        return _("Signed by the chair and the recorder")
    if chair_signed_on is not None:
        return _("Signed by the chair; the recorder has not signed yet")
    if recorder_signed_on is not None:
        return _("Signed by the recorder; the chair has not signed yet")
    return _("Not yet signed by the chair and the recorder")


# --- what may be done now --------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same functions (core/actions.py).

# Before a meeting or a seat is chosen.
NEW_TERM, EDIT_TERM, NEW_MEETING, ADD_MEMBER, NEW_RULES = (
    "new_term", "edit_term", "new_meeting", "add_member", "new_rules",
)  # fmt: skip
ROOM_ACTIONS = (NEW_TERM, EDIT_TERM, NEW_MEETING, ADD_MEMBER, NEW_RULES)
# A meeting.
EDIT_MEETING, DELETE_MEETING, ADD_ITEM, MOVE_ITEM = "edit_meeting", "delete_meeting", "add_item", "move_item"
ADD_OBSERVER, REMOVE_OBSERVER = "add_observer", "remove_observer"
RECORD_ATTENDANCE, CLEAR_ATTENDANCE, MINUTES = "attendance", "clear_attendance", "minutes"
SIGN_OFF, WITHDRAW_SIGNATURE, CORRECT = "sign_off", "withdraw_signature", "correct"
PRINT_NOTICE, PRINT_SIGN_IN, PRINT_MINUTES = "print_notice", "print_sign_in", "print_minutes"
MEETING_ACTIONS = (
    EDIT_MEETING, DELETE_MEETING, ADD_ITEM, MOVE_ITEM, ADD_OBSERVER, REMOVE_OBSERVER, RECORD_ATTENDANCE,
    CLEAR_ATTENDANCE, MINUTES, SIGN_OFF, WITHDRAW_SIGNATURE, CORRECT, PRINT_NOTICE, PRINT_SIGN_IN,
    PRINT_MINUTES,
)  # fmt: skip
# An agenda item.
EDIT_ITEM, REMOVE_ITEM, RECUSALS, VOTE = "edit_item", "remove_item", "recusals", "vote"
CLEAR_VOTE, RESOLUTION, PRINT_RESOLUTION = "clear_vote", "resolution", "print_resolution"
ITEM_ACTIONS = (EDIT_ITEM, REMOVE_ITEM, RECUSALS, VOTE, CLEAR_VOTE, RESOLUTION, PRINT_RESOLUTION)
# A seat.
EDIT_SEAT, CHANGE_ROLE, REMOVE_SEAT = "edit_seat", "change_role", "remove_seat"
SEAT_ACTIONS = (EDIT_SEAT, CHANGE_ROLE, REMOVE_SEAT)

NO_COUNCIL = N_("Create the council's term first.")
NO_ITEM = N_("Choose an item on the agenda first.")
NO_SEAT = N_("Choose a member in the list first.")
NOT_HELD_YET = N_("{meeting} has not been held yet.")
VOID = N_("Resolution {number} is void: its item no longer passes.")


def sign_action(signer: str) -> str:
    """The action of one signer's signature ("sign_off_chair"); `SIGN_OFF` is either of them."""
    return f"{SIGN_OFF}_{check_signer(signer)}"


def withdraw_action(signer: str) -> str:
    return f"{WITHDRAW_SIGNATURE}_{check_signer(signer)}"


@dataclass(frozen=True)
class MeetingFacts:
    """What the rules need to know of a meeting to say what may be done to it."""

    number: int
    state: str
    day: date  # the meeting's date
    chair: str  # the names of who chairs and who records, "" when not yet said
    recorder: str
    chair_signed_on: date | None
    recorder_signed_on: date | None
    expected: int  # members holding a seat on its date (once recorded: on its attendance)
    has_votes: bool
    numbered: bool  # an item was given a resolution number (a void one too)
    unvoted: tuple[tuple[int, str], ...] = ()  # (order, title) of the items to vote on without a vote

    @property
    def label(self) -> str:
        return meeting_label(self.number)

    def signed_on(self, signer: str) -> date | None:
        return self.chair_signed_on if signer == "chair" else self.recorder_signed_on

    def signer_name(self, signer: str) -> str:
        return self.chair if signer == "chair" else self.recorder


@dataclass(frozen=True)
class ItemFacts:
    title: str
    for_vote: bool
    voted: bool
    resolution_number: str = ""  # "" when the item was never given one
    resolution_void: bool = False


def room_actions(role: str, has_council: bool) -> Allowed:
    """What the room offers before a meeting or a seat is chosen."""
    write = access.refusal(role, access.WRITE)
    council = None if has_council else refuse(NO_COUNCIL)
    return Allowed.decide({
        NEW_TERM: write,
        EDIT_TERM: write or council,
        NEW_MEETING: write or council,
        ADD_MEMBER: write or council,
        NEW_RULES: access.refusal(role, access.APPROVE) or council,
    })  # fmt: skip


def _finalised(facts: MeetingFacts) -> Refusal | None:
    if facts.state != FINALISED:
        return None
    return refuse(LOCKED, FINAL, meeting=facts.label)


def _editable(facts: MeetingFacts) -> Refusal | None:
    """Until finalised the record changes, but not while a signature on it stands (withdraw it first)."""
    finalised = _finalised(facts)
    if finalised is not None:
        return finalised
    for signer in SIGNERS:
        signed_on = facts.signed_on(signer)
        if signed_on is not None:
            return refuse(
                N_("{who} signed the record of {meeting} on {date}; withdraw the signature to change it."),
                who=_(SIGNER_LABELS[signer]), meeting=facts.label, date=signed_on.isoformat(),
            )  # fmt: skip
    return None


def _held(facts: MeetingFacts) -> Refusal | None:
    if facts.state == PLANNED:
        return refuse(NOT_HELD_YET, meeting=facts.label)
    return None


def _no_votes(facts: MeetingFacts) -> Refusal | None:
    if not facts.has_votes:
        return None
    return refuse(
        N_("Votes are already entered for {meeting}; clear them before changing the attendance."),
        meeting=facts.label,
    )


def _sign(facts: MeetingFacts, signer: str) -> Refusal | None:
    who = _(SIGNER_LABELS[signer])
    name, signed_on = facts.signer_name(signer), facts.signed_on(signer)
    if not name:
        return refuse(
            N_("Say who was {who} of {meeting} before recording the signature."), who=who, meeting=facts.label
        )
    if signed_on is not None:
        return refuse(N_("{name} already signed on {date}."), name=name, date=signed_on.isoformat())
    if facts.state == HELD and facts.unvoted:
        order, title = facts.unvoted[0]
        return refuse(
            N_("Item {order} ({title}) has no vote yet: enter it, or mark the item as not voted on."),
            order=order, title=title,
        )  # fmt: skip
    return None


def _withdraw(facts: MeetingFacts, signer: str) -> Refusal | None:
    if facts.signed_on(signer) is None:
        return refuse(N_("There is no signature to withdraw."))
    return None


def meeting_actions(role: str, facts: MeetingFacts, today: date) -> Allowed:
    """Each action on one meeting, allowed or refused with the reason, for this role and today."""
    write = access.refusal(role, access.WRITE)
    editable = _editable(facts)
    finalised = _finalised(facts)
    if facts.state != PLANNED:
        delete = refuse(
            N_("{meeting} is {state}; only a planned meeting can be removed."), meeting=facts.label,
            state=state_label(facts.state),
        )  # fmt: skip
    elif facts.numbered:
        delete = refuse(N_("An item of this meeting was given a resolution number; the meeting stays."))
    else:
        delete = None
    if facts.day > today:
        early = refuse(
            N_("{meeting} is on {date}; its attendance is recorded on the day or after."),
            meeting=facts.label, date=facts.day.isoformat(),
        )  # fmt: skip
    elif facts.expected == 0:
        early = refuse(
            N_("No one holds a seat on the council on {date}; add the members first."),
            date=facts.day.isoformat(),
        )
    else:
        early = None
    if facts.state == PLANNED:
        cleared = refuse(N_("No attendance is recorded for {meeting}."), meeting=facts.label)
    else:
        cleared = None
    signing = {sign_action(s): write or finalised or _held(facts) or _sign(facts, s) for s in SIGNERS}
    withdrawing = {withdraw_action(s): write or finalised or _withdraw(facts, s) for s in SIGNERS}
    # The buttons: a signature that either signer may still give; the last one given is withdrawn first.
    waiting = [signing[sign_action(s)] for s in SIGNERS if facts.signed_on(s) is None]
    if any(refusal is None for refusal in waiting):
        sign_button = None
    else:
        sign_button = waiting[0] if waiting else signing[sign_action("chair")]
    last = "recorder" if facts.recorder_signed_on is not None else "chair"
    correct = None if facts.state == FINALISED else refuse(
        N_("{meeting} is not finalised yet: change the record itself."), meeting=facts.label
    )  # fmt: skip
    return Allowed.decide({
        EDIT_MEETING: write or editable,
        DELETE_MEETING: write or delete,
        ADD_ITEM: write or editable,
        MOVE_ITEM: write or editable,
        ADD_OBSERVER: write or editable,
        REMOVE_OBSERVER: write or editable,
        RECORD_ATTENDANCE: write or editable or early or _no_votes(facts),
        CLEAR_ATTENDANCE: write or editable or cleared or _no_votes(facts),
        MINUTES: write or editable or _held(facts),
        SIGN_OFF: sign_button,
        WITHDRAW_SIGNATURE: withdrawing[withdraw_action(last)],
        CORRECT: write or correct,
        PRINT_NOTICE: None,
        PRINT_SIGN_IN: None,
        PRINT_MINUTES: _held(facts),
        **signing,
        **withdrawing,
    })  # fmt: skip


def _can_vote(facts: MeetingFacts) -> Refusal | None:
    if facts.state == NOT_HELD:
        return refuse(
            N_("{meeting} was not held: its quorum was not met, so no votes can be entered."),
            meeting=facts.label,
        )
    if facts.state == PLANNED:
        return refuse(N_("Record who came to {meeting} before entering votes."), meeting=facts.label)
    return None


def item_actions(role: str, meeting: MeetingFacts, item: ItemFacts) -> Allowed:
    """Each action on one agenda item of a meeting, allowed or refused with the reason."""
    write = access.refusal(role, access.WRITE)
    editable = _editable(meeting)
    title = item.title
    if item.resolution_number:
        remove = refuse(
            N_("Item {title} was given resolution number {number}; it stays in the record."),
            title=title, number=item.resolution_number,
        )  # fmt: skip
    elif item.voted:
        remove = refuse(N_("Item {title} was voted on; clear its vote first."), title=title)
    else:
        remove = None
    voted_on = None if item.for_vote else refuse(N_("Item {title} is not voted on."), title=title)
    if item.voted:
        stepping = refuse(
            N_("Item {title} was already voted on; clear its vote before changing who steps aside."),
            title=title,
        )
    else:
        stepping = None
    no_vote = None if item.voted else refuse(N_("Item {title} has no vote to clear."), title=title)
    if not item.resolution_number:
        resolution = refuse(
            N_("Item {title} has no resolution: only an item that passed has one."), title=title
        )
    elif item.resolution_void:
        resolution = refuse(VOID, number=item.resolution_number)
    else:
        resolution = None
    return Allowed.decide({
        EDIT_ITEM: write or editable,
        REMOVE_ITEM: write or editable or remove,
        RECUSALS: write or editable or _can_vote(meeting) or voted_on or stepping,
        VOTE: write or editable or _can_vote(meeting) or voted_on,
        CLEAR_VOTE: write or editable or no_vote,
        RESOLUTION: write or editable or resolution,
        PRINT_RESOLUTION: resolution,
    })  # fmt: skip


def seat_actions(role: str, attended: bool) -> Allowed:
    """What may be done to one seat: a seat whose attendance is on record is ended, never removed."""
    write = access.refusal(role, access.WRITE)
    if attended:
        remove = refuse(
            N_("This member's attendance is on record; give a leaving date instead of removing the seat.")
        )
    else:
        remove = None
    return Allowed.decide({EDIT_SEAT: write, CHANGE_ROLE: write, REMOVE_SEAT: write or remove})
