"""民情三本账 and 矛盾纠纷调处 as one room: what it offers before a record is chosen, and the period's
figures that count both the ledgers and the disputes. Pure: no database, no Qt.

A petition's rules are in petition_rules.py, a dispute's in mediation_rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from villagegov.accounts import rules as access
from villagegov.core.actions import ROLE, Allowed, refuse
from villagegov.core.charts import BarChart, Series
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _, current_language
from villagegov.petitions.mediation_rules import AGREEMENT
from villagegov.petitions.petition_rules import ANSWERS, BASIC, LEDGERS, SATISFIED, ledger_label

# --- what may be done now ---------------------------------------------------------------------------

LIMITS, SET_LIMITS = "limits", "set_limits"  # see the time limits; change them
PRINT_SUMMARY = "print_summary"  # the figures of a period on paper


def room_actions(role: str) -> Allowed:
    """Everyone reads the village's time limits and prints the figures; only the secretary sets the limits."""
    secretary = None if access.refusal(role, access.APPROVE) is None else refuse(
        N_("Only the party secretary sets the time limits; you are signed in as {role}."), ROLE,
        role=access.role_label(role),
    )  # fmt: skip
    return Allowed.decide({LIMITS: None, SET_LIMITS: secretary, PRINT_SUMMARY: None})


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
