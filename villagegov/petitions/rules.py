"""民情三本账 and 矛盾纠纷调处: what makes a petition or a mediation valid, and its life. Pure: no
database, no Qt.

A petition (`Petition`) is kept in one of three ledgers and goes through nine steps, strictly in
order (DOMAIN.md, after 石泉县's practice):

    register → review → acknowledge → assign → supervise → feedback → check → consult → close
                                        ▲                                        │
                                        └───────── dissatisfied (不满意) ─────────┘
    (建账 → 书记阅批 → 受理告知 → 交办 → 督查 → 结果反馈 → 书记把关 → 回复征询 → 销号归档)

Each step must be done within a number of working days of an earlier one (its *anchor*); the
deadline of the next step is fixed when its anchor is recorded, with the village's limits and
calendar of that day. A dissatisfied answer at 回复征询 sends the petition back to 交办 (a new
round), and every step already recorded stays in its history. Only the secretary reviews, checks
and closes.

A mediation (`Mediation`) records a dispute, its parties, each session, and its outcome: an
agreement (调解协议书, People's Mediation Law Art. 28–29), no agreement, or referral elsewhere; an
agreement's performance is followed up (回访记录, Art. 31).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from villagegov.core import calendar as cal
from villagegov.core.actor import SECRETARY
from villagegov.core.charts import BarChart, Series
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _, current_language
from villagegov.core.numbering import document_number
from villagegov.core.privacy import IdNumberProblem, normalise_phone, validate_id_number

# --- names (GLOSSARY.md) ----------------------------------------------------------------------------

SUGGESTION, CLAIM, COMPLAINT = "suggestion", "claim", "complaint"
LEDGERS = (SUGGESTION, CLAIM, COMPLAINT)
LEDGER_LABELS = {
    SUGGESTION: N_("Suggestions"),  # 意见建议
    CLAIM: N_("Claims"),  # 利益诉求
    COMPLAINT: N_("Complaints"),  # 投诉举报
}
# The series word of each ledger's numbers (〔2026〕诉字第3号): on paper, always Chinese.
LEDGER_WORDS = {SUGGESTION: "意字第", CLAIM: "诉字第", COMPLAINT: "投字第"}

VISIT, PHONE, LIAISON, ONLINE, LETTER, MEETING = "visit", "phone", "liaison", "online", "letter", "meeting"
CHANNELS = (VISIT, PHONE, LIAISON, ONLINE, LETTER, MEETING)
CHANNEL_LABELS = {
    VISIT: N_("Visit"),  # 来访
    PHONE: N_("Phone call"),  # 来电
    LIAISON: N_("Through a liaison"),  # 网格员、联络员反映
    ONLINE: N_("Online"),  # 网络
    LETTER: N_("Letter"),  # 来信
    MEETING: N_("At a meeting"),  # 会议收集
}

REGISTER, REVIEW, ACKNOWLEDGE, ASSIGN, SUPERVISE, FEEDBACK, CHECK, CONSULT, CLOSE = (
    "register", "review", "acknowledge", "assign", "supervise", "feedback", "check", "consult", "close",
)  # fmt: skip
STEPS = (REGISTER, REVIEW, ACKNOWLEDGE, ASSIGN, SUPERVISE, FEEDBACK, CHECK, CONSULT, CLOSE)
STEP_LABELS = {
    REGISTER: N_("Entered in the ledger"),  # 分类建账
    REVIEW: N_("Secretary's review"),  # 书记阅批
    ACKNOWLEDGE: N_("Acceptance notice"),  # 受理告知
    ASSIGN: N_("Assigned"),  # 快速交办
    SUPERVISE: N_("Supervision"),  # 严格督查
    FEEDBACK: N_("Result reported"),  # 结果反馈
    CHECK: N_("Secretary's check"),  # 书记把关
    CONSULT: N_("Reply and satisfaction"),  # 回复征询
    CLOSE: N_("Closed and filed"),  # 销号归档
}
# The party secretary's own steps (书记阅批, 书记把关) and closing (only the secretary closes).
SECRETARY_STEPS = frozenset({REVIEW, CHECK, CLOSE})
# What must be written at a step (the note's meaning differs by step; see NOTE_LABELS).
NOTE_REQUIRED = frozenset({REVIEW, SUPERVISE, FEEDBACK, CONSULT})
NOTE_LABELS = {
    REGISTER: N_("Note"),
    REVIEW: N_("Secretary's instruction"),
    ACKNOWLEDGE: N_("How the villager was told"),
    ASSIGN: N_("Instruction to the handler"),
    SUPERVISE: N_("Progress found"),
    FEEDBACK: N_("Result"),
    CHECK: N_("Secretary's opinion"),
    CONSULT: N_("Reply given"),
    CLOSE: N_("Note"),
}

OPEN, CLOSED = "open", "closed"

SATISFIED, BASIC, DISSATISFIED, NOT_ASKED = "satisfied", "basic", "dissatisfied", "not_asked"
ANSWERS = (SATISFIED, BASIC, DISSATISFIED)
SATISFACTION_LABELS = {
    SATISFIED: N_("Satisfied"),  # 满意
    BASIC: N_("Basically satisfied"),  # 基本满意
    DISSATISFIED: N_("Dissatisfied"),  # 不满意
    NOT_ASKED: N_("Not asked (anonymous)"),  # 匿名，无法征询
}

ON_TRACK, DUE_SOON, OVERDUE = "on_track", "due_soon", "overdue"
STATUS_LABELS = {ON_TRACK: N_("On track"), DUE_SOON: N_("Due soon"), OVERDUE: N_("Overdue")}

MAX_SUBJECT = 100
MAX_TEXT = 20_000
MAX_NAME = 50


def ledger_label(ledger: str) -> str:
    return _(LEDGER_LABELS[ledger])


def channel_label(channel: str) -> str:
    return _(CHANNEL_LABELS[channel])


def step_label(step: str) -> str:
    return _(STEP_LABELS[step])


def note_label(step: str) -> str:
    return _(NOTE_LABELS[step])


def satisfaction_label(answer: str) -> str:
    return _(SATISFACTION_LABELS[answer]) if answer else ""


def status_label(status: str) -> str:
    return _(STATUS_LABELS[status])


def petition_number(ledger: str, year: int, sequence: int) -> str:
    """〔2026〕诉字第3号: one series a ledger and year, never reused."""
    return document_number(year, sequence, word=LEDGER_WORDS[ledger])


def next_sequence(used: Iterable[int | None]) -> int:
    return max((n for n in used if n is not None), default=0) + 1


# --- privacy: the complainant's name ----------------------------------------------------------------

WITHHELD = N_("(withheld)")  # 投诉举报人：（保密）


def may_see_petitioner(ledger: str, role: str) -> bool:
    """Only the party secretary sees who complained (投诉举报); every role sees the other ledgers."""
    return ledger != COMPLAINT or role == SECRETARY


# --- time limits ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeLimits:
    """Working days each step may take from its anchor (DOMAIN.md *defaults*; the secretary edits them).

    `feedback_departments` replaces `feedback` for a claim that needs other departments.
    `due_soon` is how many working days before its deadline a step shows as due soon.
    `mediation_days` (calendar days) is the time a mediation may take from its registration.
    """

    register: int = 1  # 建账 within 1 of receipt
    review: int = 1  # 阅批 within 1 of 建账
    acknowledge: int = 3  # 受理告知 within 3 of receipt
    assign: int = 1  # 交办 within 1 of 阅批 (or of a dissatisfied answer)
    supervise: int = 10  # 督查 within 10 of 交办: a check half-way to the result
    feedback: int = 15  # result within 15 of 交办
    feedback_departments: int = 30  # … 30 for a claim needing other departments
    check: int = 2  # 书记把关 within 2 of the result
    consult: int = 5  # 回复征询 within 5 of the result
    close: int = 3  # 销号归档 within 3 of 回复征询
    due_soon: int = 1
    mediation_days: int = 30  # 调解 concluded within one month

    def days(self, step: str, departments: bool = False) -> int:
        if step == FEEDBACK and departments:
            return self.feedback_departments
        return int(getattr(self, step))


DEFAULT_LIMITS = TimeLimits()
LIMIT_FIELDS = (*STEPS, "feedback_departments", "due_soon", "mediation_days")
MAX_LIMIT = 60  # working days: the 信访工作条例's ceiling for concluding an item


def check_limits(limits: TimeLimits) -> TimeLimits:
    for name in (*STEPS, "feedback_departments"):
        value = getattr(limits, name)
        if not 0 <= value <= MAX_LIMIT:
            raise ValidationError(
                N_("A time limit is between 0 and {max} working days, not {value}."),
                field=name, max=MAX_LIMIT, value=value,
            )  # fmt: skip
    if limits.feedback_departments < limits.feedback:
        raise ValidationError(
            N_("A claim that needs other departments cannot have less time than any other petition."),
            field="feedback_departments",
        )
    if not 0 <= limits.due_soon <= 10:
        raise ValidationError(
            N_("“Due soon” starts between 0 and 10 working days before a deadline."), field="due_soon"
        )
    if not 1 <= limits.mediation_days <= 366:
        raise ValidationError(
            N_("A mediation's time limit is between 1 and 366 days."), field="mediation_days"
        )
    return limits


# The step whose date a step's deadline counts from ("received" is the day the petition came in).
RECEIVED = "received"
ANCHORS = {
    REGISTER: RECEIVED,
    REVIEW: REGISTER,
    ACKNOWLEDGE: RECEIVED,
    ASSIGN: REVIEW,  # or the dissatisfied 回复征询 that reopened the petition
    SUPERVISE: ASSIGN,
    FEEDBACK: ASSIGN,
    CHECK: FEEDBACK,
    CONSULT: FEEDBACK,
    CLOSE: CONSULT,
}


@dataclass(frozen=True)
class Deadline:
    """The last day a step is on time, the day it starts to show as due soon, and whether it was
    counted provisionally (weekends only) because the calendar does not know that year yet."""

    due_on: date
    warn_on: date
    provisional: bool = False


class _Provisional(cal.WorkingCalendar):
    """The village's calendar where it knows the year; Monday to Friday where it does not."""

    def __init__(self, real: cal.WorkingCalendar) -> None:
        super().__init__()
        self.real = real
        self.guessed = False

    def is_working_day(self, day: date) -> bool:
        try:
            return self.real.is_working_day(day)
        except cal.UnknownCalendarYear:
            self.guessed = True
            return day.weekday() < 5


def _back(due: date, n: int, calendar: cal.WorkingCalendar, floor: date) -> date:
    """The day n working days before `due` (not before `floor`): from then on a step is due soon."""
    day, counted = due, 0
    while counted < n and day > floor:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return max(day, floor)


def deadline(anchor_on: date, days: int, due_soon: int, calendar: cal.WorkingCalendar) -> Deadline:
    """ "Within `days` working days of `anchor_on`" (that day not counted, core/calendar.py).

    A deadline that reaches into a year the calendar does not know is counted with weekends only
    and marked provisional, rather than refusing to record the petition; it is counted again once
    the year is known (service.recount_deadlines).
    """
    counting = _Provisional(calendar)
    due = cal.add_working_days(anchor_on, days, counting)
    warn = _back(due, due_soon, counting, anchor_on)
    return Deadline(due, warn, counting.guessed)


def status(due_on: date, warn_on: date, today: date) -> str:
    """The last day of a deadline is on time; the next day is overdue."""
    if today > due_on:
        return OVERDUE
    if today >= warn_on:
        return DUE_SOON
    return ON_TRACK


# --- the steps ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepFact:
    """One recorded step, as the rules need it."""

    step: str
    done_on: date
    satisfaction: str = ""


def next_step(history: Sequence[StepFact]) -> str | None:
    """The only step that may be recorded next; None once the petition is closed."""
    if not history:
        return REGISTER
    last = history[-1]
    if last.step == CLOSE:
        return None
    if last.step == CONSULT and last.satisfaction == DISSATISFIED:
        return ASSIGN
    return STEPS[STEPS.index(last.step) + 1]


def anchor_date(step: str, history: Sequence[StepFact], received_on: date) -> date:
    """The date `step`'s deadline counts from: the latest of its anchor step, or the receipt."""
    anchor = ANCHORS[step]
    if anchor == RECEIVED:
        return received_on
    if step == ASSIGN and history and history[-1].step == CONSULT:
        return history[-1].done_on  # reopened: 交办 again within its limit of the dissatisfied answer
    for fact in reversed(history):
        if fact.step == anchor:
            return fact.done_on
    raise ValueError(f"{step} has no {anchor} before it")


def round_of(history: Sequence[StepFact]) -> int:
    """0 for the first pass; each dissatisfied answer starts another round at 交办."""
    return sum(f.step == CONSULT and f.satisfaction == DISSATISFIED for f in history)


@dataclass(frozen=True)
class StepInput:
    """What a user records for a step: when it was done, by whom, and what was said or decided."""

    step: str
    done_on: date
    done_by: str = ""  # a person's name (the handler, the supervisor…); empty: the signed-in user
    note: str = ""
    assignee: str = ""  # 交办: who is to handle it (a person or a body)
    satisfaction: str = ""  # 回复征询: the villager's answer


@dataclass(frozen=True)
class CleanStep:
    step: str
    done_on: date
    done_by: str
    note: str
    assignee: str
    satisfaction: str


def clean_text(text: str) -> str:
    """Trim each line's trailing spaces and the blank lines around the text."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


def _name(text: str, fld: str) -> str:
    name = " ".join(text.split())
    if len(name) > MAX_NAME:
        raise ValidationError(N_("A name has at most {n} characters."), field=fld, n=MAX_NAME)
    return name


def _long_text(text: str, fld: str) -> str:
    value = clean_text(text)
    if len(value) > MAX_TEXT:
        raise ValidationError(N_("The text is longer than {n} characters."), field=fld, n=MAX_TEXT)
    return value


def check_step(
    data: StepInput,
    history: Sequence[StepFact],
    number: str,
    received_on: date,
    anonymous: bool,
    today: date,
    default_by: str,
) -> CleanStep:
    """Refuse a step out of order (every skip), a date out of sequence, and what a step lacks."""
    if data.step not in STEPS:
        raise ValidationError(N_("Unknown step: {step}"), field="step", step=data.step)
    expected = next_step(history)
    if expected is None:
        raise ValidationError(
            N_("Petition {number} is closed and filed; nothing more can be recorded."), number=number
        )
    if data.step != expected:
        raise ValidationError(
            N_("The next step of petition {number} is “{next}”; “{step}” cannot be recorded now."),
            field="step", number=number, next=step_label(expected), step=step_label(data.step),
        )  # fmt: skip
    if data.done_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="done_on", date=data.done_on.isoformat()
        )
    earliest = history[-1].done_on if history else received_on
    if data.done_on < earliest:
        before = step_label(history[-1].step) if history else _("received")
        raise ValidationError(
            N_("“{step}” cannot be dated {date}, before “{before}” on {earliest}."),
            field="done_on", step=step_label(data.step), date=data.done_on.isoformat(), before=before,
            earliest=earliest.isoformat(),
        )  # fmt: skip
    note = _long_text(data.note, "note")
    if data.step in NOTE_REQUIRED and not note:
        raise ValidationError(N_("Please fill in “{what}”."), field="note", what=note_label(data.step))
    assignee = _name(data.assignee, "assignee")
    if data.step == ASSIGN and not assignee:
        raise ValidationError(N_("Say who is to handle the petition."), field="assignee")
    satisfaction = data.satisfaction
    if data.step == CONSULT:
        allowed = (*ANSWERS, NOT_ASKED) if anonymous else ANSWERS
        if satisfaction not in allowed:
            if satisfaction == NOT_ASKED:
                raise ValidationError(
                    N_("Only an anonymous complaint may go without the villager's answer."),
                    field="satisfaction",
                )
            raise ValidationError(
                N_("Record the villager's answer: satisfied, basically satisfied or dissatisfied."),
                field="satisfaction",
            )
    elif satisfaction:
        raise ValidationError(N_("Satisfaction is asked only at “{step}”."), step=step_label(CONSULT))
    return CleanStep(
        step=data.step, done_on=data.done_on, done_by=_name(data.done_by, "done_by") or default_by,
        note=note, assignee=assignee if data.step == ASSIGN else "", satisfaction=satisfaction,
    )  # fmt: skip


# --- a petition ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionInput:
    ledger: str
    channel: str
    received_on: date
    subject: str  # a short line for the ledger (事由)
    content: str  # what the villager said or wrote
    villager_id: int | None = None  # from the roster
    anonymous: bool = False  # a complaint only
    contact: str = ""  # a phone number to answer on; never printed
    departments: bool = False  # a claim that needs other departments: more time for the result


@dataclass(frozen=True)
class CleanPetition:
    ledger: str
    channel: str
    received_on: date
    subject: str
    content: str
    villager_id: int | None
    anonymous: bool
    contact: str
    departments: bool


def check_petition(data: PetitionInput, today: date) -> CleanPetition:
    if data.ledger not in LEDGERS:
        raise ValidationError(N_("Unknown ledger: {value}"), field="ledger", value=data.ledger)
    if data.channel not in CHANNELS:
        raise ValidationError(N_("Unknown channel: {value}"), field="channel", value=data.channel)
    if data.received_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="received_on", date=data.received_on.isoformat()
        )
    subject = " ".join(data.subject.split())
    if not subject:
        raise ValidationError(N_("Please give the matter in a few words."), field="subject")
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(
            N_("The matter has at most {n} characters; put the rest in the content."),
            field="subject", n=MAX_SUBJECT,
        )  # fmt: skip
    content = _long_text(data.content, "content")
    if not content:
        raise ValidationError(N_("Please write down what the villager said."), field="content")
    if data.anonymous and data.ledger != COMPLAINT:
        raise ValidationError(
            N_("Only a complaint may be anonymous; suggestions and claims name the villager."),
            field="anonymous",
        )
    if not data.anonymous and data.villager_id is None:
        raise ValidationError(N_("Choose the villager from the roster."), field="villager")
    if data.departments and data.ledger != CLAIM:
        raise ValidationError(
            N_("Only a claim gets the longer time limit for needing other departments."),
            field="departments",
        )
    contact = ""
    if data.contact.strip() and not data.anonymous:
        cleaned = normalise_phone(data.contact)
        if cleaned is None:
            raise ValidationError(
                N_("{phone} is not a mobile or landline number."), field="contact", phone=data.contact
            )
        contact = cleaned
    return CleanPetition(
        ledger=data.ledger, channel=data.channel, received_on=data.received_on, subject=subject,
        content=content, villager_id=None if data.anonymous else data.villager_id,
        anonymous=data.anonymous, contact=contact, departments=data.departments,
    )  # fmt: skip


@dataclass(frozen=True)
class TimedStep:
    """A recorded step with the deadline it had (None for none) — enough to say whether it was on time."""

    step: str
    done_on: date
    due_on: date | None


def on_time(steps: Sequence[TimedStep]) -> bool:
    """A petition was handled on time when every one of its steps was done by its deadline."""
    return all(s.due_on is None or s.done_on <= s.due_on for s in steps)


# --- mediation ----------------------------------------------------------------------------------------

FAMILY, NEIGHBOURS, LAND, HOUSE_SITE, LABOUR, COMPENSATION, OTHER = (
    "family", "neighbours", "land", "house_site", "labour", "compensation", "other",
)  # fmt: skip
KINDS = (FAMILY, NEIGHBOURS, LAND, HOUSE_SITE, LABOUR, COMPENSATION, OTHER)
KIND_LABELS = {
    FAMILY: N_("Marriage and family"),  # 婚姻家庭
    NEIGHBOURS: N_("Neighbours"),  # 邻里
    LAND: N_("Land contracting"),  # 土地承包
    HOUSE_SITE: N_("House site"),  # 宅基地
    LABOUR: N_("Labour and wages"),  # 劳务
    COMPENSATION: N_("Damages"),  # 损害赔偿
    OTHER: N_("Other"),  # 其他
}

AGREEMENT, NO_AGREEMENT, REFERRED = "agreement", "no_agreement", "referred"
OUTCOMES = (AGREEMENT, NO_AGREEMENT, REFERRED)
OUTCOME_LABELS = {
    AGREEMENT: N_("Agreement reached"),  # 达成协议
    NO_AGREEMENT: N_("No agreement"),  # 调解不成
    REFERRED: N_("Referred on"),  # 移交（司法所、法院、有关部门）
}
MEDIATION_OPEN = "open"

PERFORMED, PARTLY, NOT_PERFORMED = "performed", "partly", "not_performed"
PERFORMANCES = (PERFORMED, PARTLY, NOT_PERFORMED)
PERFORMANCE_LABELS = {
    PERFORMED: N_("Performed in full"),  # 已履行
    PARTLY: N_("Partly performed"),  # 部分履行
    NOT_PERFORMED: N_("Not performed"),  # 未履行
}
MAX_PARTIES = 20
COURT_CONFIRMATION_DAYS = 30  # Art. 33: the parties may jointly ask a court within 30 days
MEDIATION_WORD = "调字第"


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind])


def outcome_label(outcome: str) -> str:
    return _(OUTCOME_LABELS[outcome]) if outcome else _("Being mediated")


def performance_label(value: str) -> str:
    return _(PERFORMANCE_LABELS[value])


def mediation_number(year: int, sequence: int) -> str:
    """〔2026〕调字第3号: the case's number, which its 调解协议书 carries."""
    return document_number(year, sequence, word=MEDIATION_WORD)


@dataclass(frozen=True)
class PartyInput:
    """A party: a villager from the roster (particulars copied from it) or someone from outside."""

    name: str = ""
    villager_id: int | None = None
    gender: str = ""  # male / female / "" (not known)
    birth_date: date | None = None
    id_number: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class MediationInput:
    kind: str
    received_on: date
    facts: str  # the main facts of the dispute
    disputed: str  # what is disputed (争议事项)
    parties: tuple[PartyInput, ...]
    mediators: tuple[str, ...]


def check_party(party: PartyInput, index: int, today: date) -> PartyInput:
    name = _name(party.name, "parties")
    if not name:
        raise ValidationError(N_("Party {n} has no name."), field="parties", n=index)
    if party.gender not in ("", "male", "female"):
        raise ValidationError(N_("Unknown gender: {value}"), field="parties", value=party.gender)
    id_number = ""
    if party.id_number.strip():
        try:
            id_number = validate_id_number(party.id_number, today)
        except IdNumberProblem as exc:
            raise ValidationError(
                N_("The ID-card number of party {n} ({name}) is not valid."), field="parties", n=index,
                name=name,
            ) from exc  # fmt: skip
    phone = ""
    if party.phone.strip():
        cleaned = normalise_phone(party.phone)
        if cleaned is None:
            raise ValidationError(
                N_("{phone} is not a mobile or landline number."), field="parties", phone=party.phone
            )
        phone = cleaned
    if party.birth_date is not None and party.birth_date > today:
        raise ValidationError(N_("The birth date of party {n} is in the future."), field="parties", n=index)
    return PartyInput(
        name=name, villager_id=party.villager_id, gender=party.gender, birth_date=party.birth_date,
        id_number=id_number, address=" ".join(party.address.split()), phone=phone,
    )  # fmt: skip


def check_mediators(mediators: Iterable[str]) -> tuple[str, ...]:
    names: list[str] = []
    for raw in mediators:
        name = _name(raw, "mediators")
        if name and name not in names:
            names.append(name)
    if not names:
        raise ValidationError(N_("Name at least one mediator."), field="mediators")
    return tuple(names)


def check_mediation(data: MediationInput, today: date) -> MediationInput:
    if data.kind not in KINDS:
        raise ValidationError(N_("Unknown kind of dispute: {value}"), field="kind", value=data.kind)
    if data.received_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="received_on", date=data.received_on.isoformat()
        )
    facts = _long_text(data.facts, "facts")
    if not facts:
        raise ValidationError(N_("Please write down the main facts of the dispute."), field="facts")
    disputed = _long_text(data.disputed, "disputed")
    if not disputed:
        raise ValidationError(N_("Please say what is disputed."), field="disputed")
    if not 2 <= len(data.parties) <= MAX_PARTIES:
        raise ValidationError(N_("A dispute has between 2 and {n} parties."), field="parties", n=MAX_PARTIES)
    parties = tuple(check_party(p, i, today) for i, p in enumerate(data.parties, start=1))
    seen_villagers = [p.villager_id for p in parties if p.villager_id is not None]
    if len(seen_villagers) != len(set(seen_villagers)):
        raise ValidationError(N_("The same villager is named twice as a party."), field="parties")
    return MediationInput(
        kind=data.kind, received_on=data.received_on, facts=facts, disputed=disputed, parties=parties,
        mediators=check_mediators(data.mediators),
    )  # fmt: skip


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    place: str
    mediators: tuple[str, ...]
    record: str  # what was said and done (调解工作记录)
    present: str = ""  # who came besides the mediators


def check_session(data: SessionInput, received_on: date, today: date) -> SessionInput:
    if data.held_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="held_on", date=data.held_on.isoformat()
        )
    if data.held_on < received_on:
        raise ValidationError(
            N_("A session cannot be held before the dispute was registered on {date}."),
            field="held_on", date=received_on.isoformat(),
        )  # fmt: skip
    record = _long_text(data.record, "record")
    if not record:
        raise ValidationError(N_("Please write down what happened at the session."), field="record")
    return SessionInput(
        held_on=data.held_on, place=" ".join(data.place.split()), mediators=check_mediators(data.mediators),
        record=record, present=clean_text(data.present),
    )  # fmt: skip


@dataclass(frozen=True)
class OutcomeInput:
    """How a mediation ended. For an agreement: each party's responsibility (in party order), the terms
    agreed, how and by when they are to be performed, and whether it was only oral (Art. 28)."""

    outcome: str
    concluded_on: date
    responsibilities: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    performance: str = ""  # how the terms are performed (履行方式)
    perform_by: date | None = None  # by when (履行期限)
    oral: bool = False
    note: str = ""  # no agreement: why; referred: to whom and why


@dataclass(frozen=True)
class CleanOutcome:
    outcome: str
    concluded_on: date
    responsibilities: tuple[str, ...]
    terms: tuple[str, ...]
    performance: str
    perform_by: date | None
    oral: bool
    note: str


def check_outcome(
    data: OutcomeInput, parties: int, last_session: date | None, received_on: date, today: date
) -> CleanOutcome:
    if data.outcome not in OUTCOMES:
        raise ValidationError(N_("Unknown outcome: {value}"), field="outcome", value=data.outcome)
    if data.concluded_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="concluded_on", date=data.concluded_on.isoformat()
        )
    if last_session is None:
        raise ValidationError(N_("Record at least one mediation session first."))
    if data.concluded_on < max(received_on, last_session):
        raise ValidationError(
            N_("A mediation cannot end before its last session on {date}."),
            field="concluded_on", date=last_session.isoformat(),
        )  # fmt: skip
    note = _long_text(data.note, "note")
    if data.outcome != AGREEMENT:
        if not note:
            msgid = (
                N_("Say to whom the dispute was referred, and why.")
                if data.outcome == REFERRED
                else N_("Say why no agreement was reached.")
            )
            raise ValidationError(msgid, field="note")
        return CleanOutcome(data.outcome, data.concluded_on, (), (), "", None, False, note)
    responsibilities = tuple(clean_text(r) for r in data.responsibilities)
    if len(responsibilities) != parties or not any(responsibilities):
        raise ValidationError(
            N_("State each party's responsibility (the law asks for it in the agreement)."),
            field="responsibilities",
        )
    terms = tuple(t for t in (clean_text(t) for t in data.terms) if t)
    if not terms:
        raise ValidationError(N_("Write down what the parties agreed."), field="terms")
    performance = clean_text(data.performance)
    if not performance:
        raise ValidationError(N_("Say how the agreement is to be performed."), field="performance")
    if data.perform_by is None:
        raise ValidationError(N_("Say by when the agreement is to be performed."), field="perform_by")
    if data.perform_by < data.concluded_on:
        raise ValidationError(
            N_("The agreement cannot be due for performance before it was made."), field="perform_by"
        )
    return CleanOutcome(
        data.outcome, data.concluded_on, responsibilities, terms, performance, data.perform_by, data.oral,
        note,
    )  # fmt: skip


@dataclass(frozen=True)
class FollowUpInput:
    """回访记录: which party, which agreement (the case), performance, satisfaction, visitor, date."""

    party_index: int  # 1-based, in the mediation's order of parties
    visited_on: date
    performance: str
    satisfaction: str
    visitor: str
    note: str = ""


def check_follow_up(data: FollowUpInput, parties: int, concluded_on: date, today: date) -> FollowUpInput:
    if not 1 <= data.party_index <= parties:
        raise ValidationError(N_("Choose the party who was visited."), field="party")
    if data.visited_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="visited_on", date=data.visited_on.isoformat()
        )
    if data.visited_on < concluded_on:
        raise ValidationError(
            N_("A follow-up visit comes after the agreement of {date}."),
            field="visited_on", date=concluded_on.isoformat(),
        )  # fmt: skip
    if data.performance not in PERFORMANCES:
        raise ValidationError(N_("Say how far the agreement was performed."), field="performance")
    if data.satisfaction not in ANSWERS:
        raise ValidationError(
            N_("Record the villager's answer: satisfied, basically satisfied or dissatisfied."),
            field="satisfaction",
        )
    visitor = _name(data.visitor, "visitor")
    if not visitor:
        raise ValidationError(N_("Say who made the visit."), field="visitor")
    return FollowUpInput(
        data.party_index, data.visited_on, data.performance, data.satisfaction, visitor, clean_text(data.note)
    )


def mediation_deadline(received_on: date, limits: TimeLimits) -> date:
    return received_on + timedelta(days=limits.mediation_days)


# --- figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionFact:
    ledger: str
    received_on: date
    closed_on: date | None
    on_time: bool  # every step by its deadline (meaningful once closed)


@dataclass(frozen=True)
class AnswerFact:
    """One answer at 回复征询 (a petition may give several: each dissatisfied answer reopens it)."""

    ledger: str
    on: date
    satisfaction: str


@dataclass(frozen=True)
class MediationFact:
    received_on: date
    concluded_on: date | None
    outcome: str  # "" while open


def rate(part: int, whole: int) -> Fraction | None:
    """A rate as an exact fraction; None when there is nothing to divide (shown as “—”)."""
    return Fraction(part, whole) if whole else None


def percent(value: Fraction | None) -> str:
    """87.5%, 100%, —: one decimal, rounded half up, exactly (never a float)."""
    if value is None:
        return "—"
    tenths = (value * 1000 * 2 + 1) // 2  # per mille, rounded half up
    whole, tenth = divmod(int(tenths), 10)
    return f"{whole}%" if tenth == 0 else f"{whole}.{tenth}%"


@dataclass(frozen=True)
class LedgerFigures:
    """One ledger (or all of them, `ledger` = "") in one month (or the whole period, `month` = None)."""

    ledger: str
    month: date | None
    received: int
    closed: int
    on_time: int  # of those closed
    answers: int  # answers at 回复征询 (anonymous ones not asked are not counted)
    satisfied: int  # satisfied or basically satisfied

    @property
    def on_time_rate(self) -> Fraction | None:
        return rate(self.on_time, self.closed)

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return rate(self.satisfied, self.answers)


@dataclass(frozen=True)
class MediationFigures:
    month: date | None
    received: int
    concluded: int  # ended with any outcome
    resolved: int  # ended in an agreement

    @property
    def success_rate(self) -> Fraction | None:
        """调解成功率: agreements among the mediations that ended in the period."""
        return rate(self.resolved, self.concluded)


@dataclass(frozen=True)
class Figures:
    start: date
    end: date
    months: tuple[date, ...]  # the first day of each month the period touches
    ledgers: dict[str, tuple[LedgerFigures, ...]] = field(default_factory=dict)  # ledger → months
    ledger_totals: dict[str, LedgerFigures] = field(default_factory=dict)  # ledger and "" (all) → period
    mediations: tuple[MediationFigures, ...] = ()
    mediation_total: MediationFigures | None = None


def months_of(start: date, end: date) -> tuple[date, ...]:
    if end < start:
        raise ValidationError(N_("The period ends before it begins."), field="period")
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return tuple(months)


def _month(day: date) -> date:
    return day.replace(day=1)


def figures(
    start: date,
    end: date,
    petitions: Iterable[PetitionFact],
    answers: Iterable[AnswerFact],
    mediations: Iterable[MediationFact],
) -> Figures:
    """Per ledger and month: received (by the day received), closed and on time (by the day closed),
    satisfaction (by the day answered); disputes received, concluded and resolved likewise."""
    months = months_of(start, end)

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    counts: dict[tuple[str, date], list[int]] = {(lg, m): [0, 0, 0, 0, 0] for lg in LEDGERS for m in months}
    for p in petitions:
        if inside(p.received_on):
            counts[(p.ledger, _month(p.received_on))][0] += 1
        if p.closed_on is not None and inside(p.closed_on):
            cell = counts[(p.ledger, _month(p.closed_on))]
            cell[1] += 1
            cell[2] += p.on_time
    for a in answers:
        if inside(a.on) and a.satisfaction in ANSWERS:
            cell = counts[(a.ledger, _month(a.on))]
            cell[3] += 1
            cell[4] += a.satisfaction in (SATISFIED, BASIC)
    ledgers = {lg: tuple(LedgerFigures(lg, m, *counts[(lg, m)]) for m in months) for lg in LEDGERS}

    def total(ledger: str, rows: Iterable[LedgerFigures]) -> LedgerFigures:
        rows = list(rows)
        return LedgerFigures(
            ledger, None, sum(r.received for r in rows), sum(r.closed for r in rows),
            sum(r.on_time for r in rows), sum(r.answers for r in rows), sum(r.satisfied for r in rows),
        )  # fmt: skip

    totals = {lg: total(lg, ledgers[lg]) for lg in LEDGERS}
    totals[""] = total("", totals.values())
    med: dict[date, list[int]] = {m: [0, 0, 0] for m in months}
    for d in mediations:
        if inside(d.received_on):
            med[_month(d.received_on)][0] += 1
        if d.outcome and d.concluded_on is not None and inside(d.concluded_on):
            med[_month(d.concluded_on)][1] += 1
            med[_month(d.concluded_on)][2] += d.outcome == AGREEMENT
    mediation_rows = tuple(MediationFigures(m, *med[m]) for m in months)
    mediation_total = MediationFigures(
        None,
        sum(r.received for r in mediation_rows),
        sum(r.concluded for r in mediation_rows),
        sum(r.resolved for r in mediation_rows),
    )
    return Figures(start, end, months, ledgers, totals, mediation_rows, mediation_total)


def month_label(month: date, span_years: bool) -> str:
    """3月 / Mar (2026年3月 / Mar 2026 when the period spans years), short enough for a chart's axis."""
    from babel.dates import format_skeleton

    locale = "zh_CN" if current_language() == "zh_CN" else "en_US"
    return format_skeleton("yMMM" if span_years else "MMM", month, locale=locale)


def petition_chart(f: Figures) -> BarChart:
    """Petitions received each month, stacked by ledger."""
    span = f.months[0].year != f.months[-1].year
    return BarChart(
        title=_("Petitions received each month"),
        categories=tuple(month_label(m, span) for m in f.months),
        series=tuple(
            Series(ledger_label(lg), tuple(row.received for row in f.ledgers[lg])) for lg in LEDGERS
        ),
        unit=_("items"),
        stacked=True,
    )


def mediation_chart(f: Figures) -> BarChart:
    """Disputes received and resolved each month, side by side."""
    span = f.months[0].year != f.months[-1].year
    return BarChart(
        title=_("Disputes received and resolved each month"),
        categories=tuple(month_label(m, span) for m in f.months),
        series=(
            Series(_("Disputes received"), tuple(r.received for r in f.mediations)),
            Series(_("Resolved by agreement"), tuple(r.resolved for r in f.mediations)),
        ),
        unit=_("items"),
    )


_SPACES = re.compile(r"\s+")


def one_line(text: str, limit: int = 60) -> str:
    """A text squeezed to one line for a ledger cell: whitespace joined, cut with an ellipsis."""
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
