"""四议两公开's plain records: what the service returns and the layouts, screens and archive take.

Plain dataclasses only: no peewee, no Qt (the dossier's layout imports these, never the service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from villagegov.core import calendar as cal
from villagegov.core import voting
from villagegov.core.privacy import DEFAULT_MASKING, Masking
from villagegov.decisions import rules
from villagegov.notices import rules as notice_rules
from villagegov.notices.records import NoticeDocument, ObjectionRow


@dataclass(frozen=True)
class SettingsData:
    """The village's choices (DOMAIN.md *defaults*)."""

    disclosure_days: int = rules.DEFAULT_DISCLOSURE_DAYS
    disclosure_unit: str = cal.DAYS
    stall_days: int = rules.DEFAULT_STALL_DAYS
    result_days: int = rules.DEFAULT_RESULT_DAYS
    party_quorum: voting.Threshold = rules.PARTY_QUORUM_DEFAULT


@dataclass(frozen=True)
class DecisionInput:
    title: str
    kind: str
    amount: str = ""  # yuan as typed; empty where no money is involved
    background: str = ""


@dataclass(frozen=True)
class ImplementationInput:
    started_on: date
    ended_on: date | None
    work_done: str
    spent: str = ""  # yuan as typed


@dataclass(frozen=True)
class PersonRow:
    name: str
    kind: str
    present: bool
    note: str
    villager_id: int | None
    gender: str


@dataclass(frozen=True)
class SupervisionRow:
    id: int
    step_id: int
    kind: str  # sign_off / concern
    text: str
    on: date
    by: str
    by_name: str
    answer: str
    answered_on: date | None
    answered_by: str

    @property
    def open(self) -> bool:
        return self.kind == rules.CONCERN and self.answered_on is None


@dataclass(frozen=True)
class CouncilItem:
    """What a step 4 takes from the council agenda item that held it (the council's own record)."""

    item_id: int
    meeting_id: int
    council: str
    meeting_title: str
    date: date
    place: str
    chair: str
    recorder: str
    finalised: bool
    expected: int
    present: int
    title: str
    for_vote: bool
    for_: int | None
    against: int | None
    abstain: int | None
    recused: int | None
    needed: int | None
    threshold: voting.Threshold | None
    outcome: str | None
    resolution_number: str
    resolution_text: str


@dataclass(frozen=True)
class NoticeInfo:
    """A disclosure's notice as the decision shows it: the correction in force, with its objections."""

    id: int
    number: str
    title: str
    kind: str
    state: str
    created_at: datetime
    posted_at: date | None
    posted_by: str
    places: tuple[str, ...]  # the boards, by name
    period_days: int | None
    period_unit: str | None
    period_start: date | None
    period_end: date | None
    removed_at: date | None
    objections: tuple[ObjectionRow, ...]  # of this notice and the ones it corrected
    corrected: tuple[int, ...]  # the notices it superseded, oldest first

    @property
    def open_objections(self) -> int:
        return sum(1 for o in self.objections if o.answered_on is None and not o.late)

    @property
    def unanswered(self) -> int:
        return sum(1 for o in self.objections if o.answered_on is None)

    def posting(self) -> rules.PostingFacts:
        return rules.PostingFacts(
            self.number or f"《{self.title}》", self.state, self.posted_at, self.period_days,
            self.period_unit, self.period_end, self.open_objections,
        )  # fmt: skip


@dataclass(frozen=True)
class StepRow:
    id: int
    round: int
    step: str
    body: str
    held_on: date | None
    place: str
    chair: str
    recorder: str
    notified_on: date | None
    joint: bool
    expected: int | None
    present: int | None
    recused: int
    for_: int | None
    against: int | None
    abstain: int | None
    households: int | None
    households_present: int | None
    representatives: int | None
    women_representatives: int | None
    outcome: str
    needed: int | None
    pass_threshold: voting.Threshold | None
    pass_base: str
    quorum: voting.Threshold | None  # the party members' quorum used
    summary: str
    text: str
    members: tuple[PersonRow, ...]
    observers: tuple[PersonRow, ...]
    council: CouncilItem | None
    notice: NoticeInfo | None
    notice_id: int | None
    period_end: date | None
    completed_on: date | None
    superseded_by: int | None
    correction_reason: str
    corrects: int | None  # the record this one corrected
    created_at: datetime
    created_by: str
    supervision: tuple[SupervisionRow, ...]

    @property
    def date(self) -> date | None:
        """The meeting's date, or a disclosure's posting date."""
        if self.held_on is not None:
            return self.held_on
        return self.notice.posted_at if self.notice else None

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None

    @property
    def open_concerns(self) -> int:
        return sum(1 for s in self.supervision if s.open)

    @property
    def signed_off(self) -> bool:
        return any(s.kind == rules.SIGN_OFF for s in self.supervision)

    def threshold_text(self) -> str:
        if self.pass_threshold is None:
            return ""
        return voting.threshold_text(self.pass_threshold, self.pass_base)


@dataclass(frozen=True)
class RoundRow:
    number: int
    started_on: date
    reason: str
    created_by: str


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    decision_id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class DecisionRow:
    id: int
    number: str
    year: int
    title: str
    kind: str
    amount_fen: int | None
    state: str
    step: str  # the step it is at
    waiting: str
    last_date: date
    alerts: tuple[rules.Alert, ...]
    notice_state: str | None = None  # the state of the notice of a disclosure under way


@dataclass(frozen=True)
class DecisionDetail:
    """A decision as the clerk's screen shows it: everything, unmasked."""

    id: int
    village_id: int
    number: str
    year: int
    title: str
    kind: str
    amount_fen: int | None
    background: str
    opened_on: date
    state: str
    round: int
    ended_on: date | None
    end_reason: str
    work_started_on: date | None
    work_ended_on: date | None
    work_done: str
    spent_fen: int | None
    created_at: datetime
    created_by: str
    progress: rules.Progress
    steps: tuple[StepRow, ...]  # every record, in the order made (corrected ones included)
    rounds: tuple[RoundRow, ...]
    attachments: tuple[AttachmentRow, ...]
    alerts: tuple[rules.Alert, ...]
    last_date: date
    facts: rules.DecisionFacts  # what the rules decide its actions from (the service's own answer)

    def live_steps(self) -> tuple[StepRow, ...]:
        return tuple(s for s in self.steps if not s.superseded)

    def current(self, step: str) -> StepRow | None:
        """The step's record in force in the current round."""
        mine = [s for s in self.live_steps() if s.round == self.round and s.step == step]
        return mine[-1] if mine else None

    def as_input(self) -> DecisionInput:
        amount = "" if self.amount_fen is None else notice_rules.fen_to_yuan(self.amount_fen)
        return DecisionInput(self.title, self.kind, amount, self.background)


@dataclass(frozen=True)
class StepRef:
    """Which decision step a council agenda item serves (for the council's screen)."""

    decision_id: int
    number: str
    title: str
    step_id: int
    step: str
    round: int


@dataclass(frozen=True)
class NoticeCopy:
    """A disclosure's notice as the dossier prints it: the notice itself and its posting record."""

    step: str
    document: NoticeDocument
    posted_at: date | None
    posted_by: str
    places: tuple[str, ...]
    period_start: date | None
    period_end: date | None
    removed_at: date | None
    removed_by: str
    objections: tuple[notice_rules.ObjectionFacts, ...]  # masked, no names
    result_text: str


@dataclass(frozen=True)
class DossierDocument:
    """一事一档: the decision's whole record, masked for paper."""

    decision: DecisionDetail
    village: str
    committee: str  # 青石村村民委员会: the signing body
    party_branch: str
    supervisory: str
    notices: tuple[NoticeCopy, ...]
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper
