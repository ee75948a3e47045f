"""民情三本账's plain records: what the petition service returns and the layouts, screens and archive take.

Plain dataclasses only: no peewee, no Qt (a layout imports these, never the service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from villagegov.core.privacy import DEFAULT_MASKING, Masking
from villagegov.petitions import petition_rules as rules


@dataclass(frozen=True)
class PetitionFilter:
    ledger: str | None = None
    year: int | None = None
    state: str | None = None  # open / closed
    overdue: bool = False  # only open petitions past their deadline
    attention: bool = False  # only open petitions due soon or overdue
    text: str = ""  # words in the matter or the content (or a name, where the user may see it)


@dataclass(frozen=True)
class PetitionRow:
    id: int
    number: str
    ledger: str
    channel: str
    received_on: date
    subject: str
    petitioner: str  # "(withheld)" for a complaint unless the reader is the secretary
    state: str
    next_step: str  # "" once closed
    due_on: date | None
    status: str  # on_track / due_soon / overdue; "" once closed
    provisional: bool  # the deadline was counted without knowing that year's holidays
    round: int
    satisfaction: str
    closed_on: date | None


@dataclass(frozen=True)
class StepRow:
    id: int
    position: int
    round: int
    step: str
    done_on: date
    done_by: str
    note: str
    assignee: str
    satisfaction: str
    due_on: date | None
    on_time: bool
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class PetitionDetail:
    id: int
    number: str
    ledger: str
    channel: str
    received_on: date
    subject: str
    content: str
    villager_id: int | None  # None when withheld or anonymous
    petitioner: str
    contact: str  # "" when withheld
    petitioner_visible: bool  # False: the reader may not see who complained
    anonymous: bool
    departments: bool
    state: str
    next_step: str
    due_on: date | None
    warn_on: date | None
    status: str
    provisional: bool
    round: int
    satisfaction: str
    closed_on: date | None
    created_at: datetime
    created_by: str
    steps: tuple[StepRow, ...]
    attachments: tuple[AttachmentRow, ...]

    @property
    def on_time(self) -> bool:
        return rules.on_time([rules.TimedStep(s.step, s.done_on, s.due_on) for s in self.steps])

    def as_facts(self) -> rules.PetitionFacts:
        """What the rules ask of it to say what may be done to it now."""
        return rules.PetitionFacts(
            self.number, self.ledger, self.state, self.next_step, self.anonymous,
            any(s.step == rules.REVIEW for s in self.steps),
        )  # fmt: skip

    def as_input(self) -> rules.PetitionInput:
        return rules.PetitionInput(
            ledger=self.ledger, channel=self.channel, received_on=self.received_on, subject=self.subject,
            content=self.content, villager_id=self.villager_id, anonymous=self.anonymous,
            contact=self.contact, departments=self.departments,
        )  # fmt: skip


# Papers: plain data for petition_pdf.py, in Chinese, with no complainant's name and no full number.


@dataclass(frozen=True)
class LedgerLine:
    number: str
    year: int
    sequence: int
    received_on: date
    channel: str
    petitioner: str  # "（保密）" for every complaint, "匿名" for an anonymous one
    subject: str
    assignee: str
    progress: str  # the step reached, or 已销号
    closed_on: date | None
    satisfaction: str
    on_time: str  # 是 / 否 / "" while open
    overdue: bool  # open and past its deadline on the day printed


@dataclass(frozen=True)
class LedgerDocument:
    village: str
    signing_body: str
    start: date
    end: date
    ledgers: tuple[tuple[str, tuple[LedgerLine, ...]], ...]  # (ledger label, lines)
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class AcknowledgementDocument:
    """受理告知书: told to the villager that the petition was accepted and when to expect an answer."""

    petition_id: int
    village: str
    signing_body: str
    number: str
    ledger_label: str
    addressee: str  # the villager's name; for a complaint never the name
    received_on: date
    channel_label: str
    subject: str
    result_days: int
    consult_days: int
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper
