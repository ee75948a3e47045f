"""红白理事会's plain records: what the service returns and the layouts, screens and archive take.

Plain dataclasses only: no peewee, no Qt (a layout imports these, never the service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from villagegov.ceremonies import rules
from villagegov.ceremonies.rules import Breach, Deviation, Figures, Standard
from villagegov.core.charts import BarChart
from villagegov.core.privacy import DEFAULT_MASKING, Masking

# --- the council, the standard, a ceremony --------------------------------------------------------


@dataclass(frozen=True)
class CouncilRow:
    id: int
    name: str
    term_start: date
    term_end: date


@dataclass(frozen=True)
class MemberRow:
    id: int
    council_id: int
    villager_id: int
    name: str
    gender: str
    group: str
    role: str
    joined_on: date
    left_on: date | None
    on_record: bool = False  # advised, supervised or visited: the seat ends, it is never removed


@dataclass(frozen=True)
class StandardVersion:
    id: int
    standard: Standard
    set_at: datetime
    set_by: str
    ceremonies: int  # ceremonies (not cancelled) whose day falls in its span
    held: int  # of those, held: judged on the figures seen, so the version no longer changes


@dataclass(frozen=True)
class FiguresRow:
    id: int
    stage: str  # plan / actual
    version: int
    figures: Figures
    reason: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class AdviceRow:
    id: int
    advised_on: date
    member: str  # the council member who gave it, or ""
    text: str
    plan_version: int | None  # the revised plan the family accepted with it


@dataclass(frozen=True)
class CommitmentRow:
    signer: str
    signed_on: date
    plan_version: int


@dataclass(frozen=True)
class SupervisionRow:
    member_id: int
    member: str
    supervised_on: date
    notes: str


@dataclass(frozen=True)
class FollowUpRow:
    member_id: int
    member: str
    visited_on: date
    actual_spending_fen: int
    satisfaction: str
    remarks: str


@dataclass(frozen=True)
class CeremonyRow:
    id: int
    number: str
    kind: str
    occasion: str
    celebrant_age: int | None
    household_id: int
    household_number: str
    group: str
    head_name: str
    day: date
    place: str
    stage: str
    # Over the caps: the figures seen on the day once held, else the plan as it stands.
    breaches: tuple[Breach, ...]
    late: rules.LateReport | None = None  # reported fewer days ahead than the standard asks

    @property
    def what(self) -> str:
        return rules.what_label(self.kind, self.occasion, self.celebrant_age)


@dataclass(frozen=True)
class CeremonyDetail:
    """A ceremony as the clerk's screen shows it: everything, unmasked, judged."""

    id: int
    village_id: int
    number: str
    year: int
    household_id: int
    household_number: str
    group: str
    head_name: str
    host: str
    contact_phone: str
    kind: str
    occasion: str
    celebrant_age: int | None
    subject: str
    day: date
    place: str
    reported_on: date
    stage: str
    closed_on: date | None
    cancelled_on: date | None
    cancel_reason: str
    created_at: datetime
    created_by: str
    standard: Standard  # in force on `day`
    plans: tuple[FiguresRow, ...]  # oldest first: plans[0] is the first plan
    actuals: tuple[FiguresRow, ...]  # the figures seen on the day, then their corrections
    advice: tuple[AdviceRow, ...]
    commitment: CommitmentRow | None
    supervision: SupervisionRow | None
    follow_up: FollowUpRow | None
    first_plan_breaches: tuple[Breach, ...]
    plan_breaches: tuple[Breach, ...]
    actual_breaches: tuple[Breach, ...]
    deviations: tuple[Deviation, ...]  # of the day from the plan
    late: rules.LateReport | None  # reported fewer days ahead than the standard asks

    @property
    def what(self) -> str:
        return rules.what_label(self.kind, self.occasion, self.celebrant_age)

    @property
    def state(self) -> rules.CeremonyState:
        """What the rules need to say what may be done to it now."""
        signed = self.commitment.signed_on if self.commitment else None
        return rules.CeremonyState(self.stage, self.day, signed)

    @property
    def first_plan(self) -> Figures:
        return self.plans[0].figures

    @property
    def plan(self) -> Figures:
        return self.plans[-1].figures

    @property
    def actual(self) -> Figures | None:
        return self.actuals[-1].figures if self.actuals else None

    @property
    def ceiling_fen(self) -> int | None:
        return rules.ceiling_fen(self.standard.caps_for(self.kind))

    @property
    def saved_against_first_plan_fen(self) -> int | None:
        first = self.first_plan.spending_fen
        if self.follow_up is None or first is None:
            return None
        return first - self.follow_up.actual_spending_fen

    def report_input(self) -> rules.ReportInput:
        """The report as its form holds it, to edit."""
        return rules.ReportInput(
            household_id=self.household_id,
            kind=self.kind,
            day=self.day,
            place=self.place,
            plan=rules.figures_input(self.plan),
            occasion=self.occasion,
            celebrant_age=self.celebrant_age,
            subject=self.subject,
            host=self.host,
            contact_phone=self.contact_phone,
            reported_on=self.reported_on,
        )


# --- the papers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureLine:
    """One row of a form's figures table, already in words."""

    item: str  # 桌数
    planned: str
    actual: str  # "" on the report form
    cap: str  # 不超过20 / 不限
    verdict: str  # 超标 / 符合 / ""


@dataclass(frozen=True)
class ReportFormDocument:
    """报备登记表."""

    number: str
    council: str  # 青石村红白理事会
    village: str
    household_number: str
    group: str
    head_name: str
    host: str
    phone: str  # masked
    what: str  # 婚事 / 寿宴（80岁）
    subject: str
    day: date
    place: str
    reported_on: date
    standard_label: str  # which version judged it
    lines: tuple[FigureLine, ...]
    spending: str  # the plan's total, ¥80,000.00
    first_plan_note: str  # "" or how the first plan differed (after advice)
    breaches: tuple[str, ...]  # sentences
    advice: tuple[str, ...]  # 2026年4月20日 理事王某：……
    commitment: str  # 已于……签订承诺书 / 尚未签订承诺书
    late: str = ""  # "" or 举办前2天才报备，村规民约要求至少提前5天报备
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class CommitmentDocument:
    """承诺书."""

    number: str
    council: str
    village: str
    group: str
    host: str
    what: str
    subject: str
    day: date
    place: str
    promises: tuple[str, ...]
    signer: str
    signed_on: date | None  # None: printed blank, to be signed by hand
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class FollowUpDocument:
    """回访记录: the supervision on the day and the visit afterwards."""

    number: str
    council: str
    village: str
    group: str
    head_name: str
    what: str
    day: date
    place: str
    supervisor: str
    supervised_on: date
    supervision_notes: str
    lines: tuple[FigureLine, ...]
    deviations: tuple[str, ...]
    breaches: tuple[str, ...]
    corrections: tuple[str, ...]  # the figures corrected after the day, with their reasons
    visitor: str
    visited_on: date
    first_plan_spending: str
    actual_spending: str
    saved: str  # against the first plan
    satisfaction: str
    remarks: str
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class SummaryDocument:
    """The year's figures the council reports to the village, with its charts."""

    council: str
    village: str
    year: int
    figures: rules.YearFigures
    month_chart: BarChart
    spending_chart: BarChart
    month_rows: tuple[tuple[str, ...], ...]  # 月份, 婚事, 丧事, 其他, 合计
    breach_rows: tuple[tuple[str, str], ...]  # item, ceremonies
    kinds: tuple[str, ...]
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper
