"""民情三本账: what makes a petition valid, its life through the steps, and what may be done to it now.
Pure: no database, no Qt.

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

The village's time limits (`TimeLimits`) are kept here with the steps they time; the mediation
month is one of them. The satisfaction answers and the cleaning of names and texts are shared with
矛盾纠纷调处 (mediation_rules.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from villagegov.accounts import rules as access
from villagegov.core import calendar as cal
from villagegov.core.actions import FINAL, ROLE, Allowed, Refusal, refuse
from villagegov.core.actor import SECRETARY
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _
from villagegov.core.numbering import document_number
from villagegov.core.privacy import normalise_phone

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


def order_refusal(step: str, expected: str | None, number: str) -> Refusal | None:
    """Only the next step may be recorded (every skip is refused), and nothing once the petition is closed."""
    if expected is None:
        return refuse(
            N_("Petition {number} is closed and filed; nothing more can be recorded."), FINAL, number=number
        )
    if step != expected:
        return refuse(
            N_("The next step of petition {number} is “{next}”; “{step}” cannot be recorded now."),
            field="step", number=number, next=step_label(expected), step=step_label(step),
        )  # fmt: skip
    return None


def clean_text(text: str) -> str:
    """Trim each line's trailing spaces and the blank lines around the text."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


def clean_name(text: str, fld: str) -> str:
    name = " ".join(text.split())
    if len(name) > MAX_NAME:
        raise ValidationError(N_("A name has at most {n} characters."), field=fld, n=MAX_NAME)
    return name


def long_text(text: str, fld: str) -> str:
    value = clean_text(text)
    if len(value) > MAX_TEXT:
        raise ValidationError(N_("The text is longer than {n} characters."), field=fld, n=MAX_TEXT)
    return value


_SPACES = re.compile(r"\s+")


def one_line(text: str, limit: int = 60) -> str:
    """A text squeezed to one line for a reminder: whitespace joined, cut with an ellipsis."""
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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
    out_of_order = order_refusal(data.step, next_step(history), number)
    if out_of_order is not None:
        raise out_of_order.error()
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
    note = long_text(data.note, "note")
    if data.step in NOTE_REQUIRED and not note:
        raise ValidationError(N_("Please fill in “{what}”."), field="note", what=note_label(data.step))
    assignee = clean_name(data.assignee, "assignee")
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
        step=data.step, done_on=data.done_on, done_by=clean_name(data.done_by, "done_by") or default_by,
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
    content = long_text(data.content, "content")
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


# --- what may be done now ---------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same functions (core/actions.py).

NEW, EDIT, ADD_ATTACHMENT = "new", "edit", "add_attachment"  # NEW is 建账
PRINT_NOTICE, PRINT_LEDGERS = "print_notice", "print_ledgers"
# Every step after 建账 is an action of its own, named as the step (建账 is done by NEW).
STEP_ACTIONS = STEPS[1:]
PETITION_ACTIONS = (EDIT, ADD_ATTACHMENT, *STEPS, PRINT_NOTICE)


@dataclass(frozen=True)
class PetitionFacts:
    """What the rules need to know of a petition to say what may be done to it."""

    number: str
    ledger: str
    state: str
    next_step: str  # "" once closed
    anonymous: bool
    reviewed: bool  # 书记阅批 is on record


def room_actions(role: str) -> Allowed:
    """What the ledgers offer before a petition is chosen."""
    return Allowed.decide({NEW: access.refusal(role, access.WRITE), PRINT_LEDGERS: None})


def step_role_refusal(role: str, step: str) -> Refusal | None:
    """Who may record a step: the secretary's own steps (书记阅批, 书记把关) and closing (销号) are the
    secretary's; the others, whoever keeps the records."""
    if step not in SECRETARY_STEPS:
        return access.refusal(role, access.WRITE)
    if access.refusal(role, access.APPROVE) is None:
        return None
    return refuse(
        N_("Only the party secretary may record “{step}”; you are signed in as {role}."), ROLE,
        step=step_label(step), role=access.role_label(role),
    )  # fmt: skip


def _closed(facts: PetitionFacts) -> Refusal | None:
    if facts.state != CLOSED:
        return None
    return refuse(
        N_("Petition {number} is closed and filed and is never changed."), FINAL, number=facts.number
    )


def _complainant_hidden(role: str, facts: PetitionFacts, msgid: str) -> Refusal | None:
    """A complaint's particulars and papers may name who complained: the secretary's alone."""
    return None if may_see_petitioner(facts.ledger, role) else refuse(msgid, ROLE)


def _notice_refusal(facts: PetitionFacts) -> Refusal | None:
    if facts.anonymous:
        return refuse(N_("An anonymous complaint has nobody to send an acceptance notice to."))
    if not facts.reviewed:
        return refuse(N_("The acceptance notice is printed once the secretary has reviewed the petition."))
    return None


def petition_actions(role: str, facts: PetitionFacts) -> Allowed:
    """Each action on one petition, allowed or refused with the reason, for this role: its particulars
    and papers while it is open, each step in its turn and by whom it may be done, its notice."""
    write = access.refusal(role, access.WRITE)
    expected = facts.next_step or None
    answers: dict[str, Refusal | None] = {
        EDIT: write
        or _closed(facts)
        or _complainant_hidden(
            role, facts, N_("Only the party secretary may change a complaint's particulars.")
        ),
        ADD_ATTACHMENT: write
        or _closed(facts)
        or _complainant_hidden(role, facts, N_("Only the party secretary may add papers to a complaint.")),
        PRINT_NOTICE: _notice_refusal(facts),
    }
    for step in STEPS:
        answers[step] = step_role_refusal(role, step) or order_refusal(step, expected, facts.number)
    return Allowed.decide(answers)
