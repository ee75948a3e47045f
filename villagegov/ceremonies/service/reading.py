"""A ceremony as it is read: whole and judged (`CeremonyDetail`), in lists, and for the archive."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from villagegov.accounts import rules as access
from villagegov.ceremonies import rules
from villagegov.ceremonies.models import (
    Ceremony,
    CeremonyAdvice,
    CeremonyFigures,
    CommitmentLetter,
    FollowUp,
    Supervision,
)
from villagegov.ceremonies.records import (
    AdviceRow,
    CeremonyDetail,
    CeremonyRow,
    CommitmentRow,
    FiguresRow,
    FollowUpRow,
    SupervisionRow,
)
from villagegov.ceremonies.rules import Breach, Figures
from villagegov.ceremonies.service.council import _member_name
from villagegov.ceremonies.service.standards import _versions
from villagegov.core.actor import Actor
from villagegov.core.db import translated_errors
from villagegov.core.errors import NotFound
from villagegov.core.i18n import N_
from villagegov.roster.models import Household, VillagerGroup


def _figures(row: CeremonyFigures) -> Figures:
    return Figures(
        tables=row.tables,
        cost_per_table_fen=row.cost_per_table_fen,
        gift_per_guest_fen=row.gift_per_guest_fen,
        vehicles=row.vehicles,
        days=row.days,
        bride_price_fen=row.bride_price_fen,
        paid_performers=row.paid_performers,
        cremation=row.cremation,
        spending_fen=row.spending_fen,
    )


def _figures_row(row: CeremonyFigures) -> FiguresRow:
    return FiguresRow(
        row.id, row.stage, row.version, _figures(row), row.reason, row.recorded_at, row.recorded_by
    )


def _figure_values(figures: Figures) -> dict[str, object]:
    return {
        "tables": figures.tables,
        "cost_per_table_fen": figures.cost_per_table_fen,
        "gift_per_guest_fen": figures.gift_per_guest_fen,
        "vehicles": figures.vehicles,
        "days": figures.days,
        "bride_price_fen": figures.bride_price_fen,
        "paid_performers": figures.paid_performers,
        "cremation": figures.cremation,
        "spending_fen": figures.spending_fen,
    }


def _ceremony(vid: int, ceremony_id: int) -> Ceremony:
    row = Ceremony.get_or_none((Ceremony.id == ceremony_id) & (Ceremony.village == vid))
    if row is None:
        raise NotFound(N_("That ceremony does not exist."))
    return row


def _state(row: Ceremony) -> rules.CeremonyState:
    letter = CommitmentLetter.get_or_none(CommitmentLetter.ceremony == row.id)
    return rules.CeremonyState(row.stage, row.day, letter.signed_on if letter else None)


def _require(actor: Actor, row: Ceremony, action: str, today: date) -> None:
    """The rules' answer for this ceremony, the one the room's buttons show; refused, it raises."""
    rules.ceremony_actions(actor.role, _state(row), today).require(action)


def _readable(actor: Actor, ceremony_id: int) -> Ceremony:
    row = Ceremony.get_or_none(Ceremony.id == ceremony_id)
    if row is None:
        raise NotFound(N_("That ceremony does not exist."))
    access.readable_village(actor, row.village_id)
    return row


def _detail(c: Ceremony) -> CeremonyDetail:
    household = (
        Household.select(Household, VillagerGroup)
        .join(VillagerGroup)
        .where(Household.id == c.household_id)
        .get()
    )
    rows = list(
        CeremonyFigures.select().where(CeremonyFigures.ceremony == c.id).order_by(CeremonyFigures.version)
    )
    plans = tuple(_figures_row(r) for r in rows if r.stage == rules.PLAN)
    actuals = tuple(_figures_row(r) for r in rows if r.stage == rules.ACTUAL)
    versions = {r.id: r.version for r in rows}
    advice = tuple(
        AdviceRow(a.id, a.advised_on, _member_name(a.member_id), a.text, versions.get(a.plan_id))
        for a in CeremonyAdvice.select().where(CeremonyAdvice.ceremony == c.id).order_by(CeremonyAdvice.id)
    )
    letter = CommitmentLetter.get_or_none(CommitmentLetter.ceremony == c.id)
    commitment = CommitmentRow(letter.signer, letter.signed_on, versions[letter.plan_id]) if letter else None
    s = Supervision.get_or_none(Supervision.ceremony == c.id)
    supervision = (
        SupervisionRow(s.member_id, _member_name(s.member_id), s.supervised_on, s.notes) if s else None
    )
    f = FollowUp.get_or_none(FollowUp.ceremony == c.id)
    follow_up = (
        FollowUpRow(
            f.member_id,
            _member_name(f.member_id),
            f.visited_on,
            f.actual_spending_fen,
            f.satisfaction,
            f.remarks,
        )
        if f
        else None
    )
    standard = rules.standard_on(_versions(c.village_id), c.day)

    def judge(figures: Figures) -> tuple[Breach, ...]:
        return rules.check(c.kind, figures, standard, c.occasion, c.celebrant_age)

    actual = actuals[-1].figures if actuals else None
    return CeremonyDetail(
        id=c.id,
        village_id=c.village_id,
        number=c.number,
        year=c.year,
        household_id=c.household_id,
        household_number=household.number,
        group=household.group.name,
        head_name=c.head_name,
        host=c.host,
        contact_phone=c.contact_phone,
        kind=c.kind,
        occasion=c.occasion,
        celebrant_age=c.celebrant_age,
        subject=c.subject,
        day=c.day,
        place=c.place,
        reported_on=c.reported_on,
        stage=c.stage,
        closed_on=c.closed_on,
        cancelled_on=c.cancelled_on,
        cancel_reason=c.cancel_reason,
        created_at=c.created_at,
        created_by=c.created_by,
        standard=standard,
        plans=plans,
        actuals=actuals,
        advice=advice,
        commitment=commitment,
        supervision=supervision,
        follow_up=follow_up,
        first_plan_breaches=judge(plans[0].figures),
        plan_breaches=judge(plans[-1].figures),
        actual_breaches=judge(actual) if actual else (),
        deviations=rules.deviations(plans[-1].figures, actual, c.kind) if actual else (),
        late=rules.late_report(standard.caps_for(c.kind), c.day, c.reported_on),
    )


def get_ceremony(actor: Actor, ceremony_id: int) -> CeremonyDetail:
    return _detail(_readable(actor, ceremony_id))


def _latest_figures(ceremony_ids: Sequence[int]) -> dict[tuple[int, str], list[Figures]]:
    """(ceremony, stage) → its figures oldest first, for many ceremonies in one query."""
    found: dict[tuple[int, str], list[Figures]] = {}
    if not ceremony_ids:
        return found
    query = (
        CeremonyFigures.select()
        .where(CeremonyFigures.ceremony.in_(list(ceremony_ids)))
        .order_by(CeremonyFigures.ceremony, CeremonyFigures.version)
    )
    for r in query:
        found.setdefault((r.ceremony_id, r.stage), []).append(_figures(r))
    return found


def list_ceremonies(
    actor: Actor,
    year: int | None = None,
    stage: str | None = None,
    kind: str | None = None,
    village_id: int | None = None,
) -> list[CeremonyRow]:
    """Ceremonies of the year (by their day), newest first, each judged by the standard of its day."""
    vid = access.readable_village(actor, village_id)
    query = (
        Ceremony.select(Ceremony, Household, VillagerGroup)
        .join(Household)
        .join(VillagerGroup)
        .where(Ceremony.village == vid)
        .order_by(Ceremony.day.desc(), Ceremony.id.desc())
    )
    if year is not None:
        query = query.where(Ceremony.day.between(date(year, 1, 1), date(year, 12, 31)))
    if stage is not None:
        query = query.where(Ceremony.stage == stage)
    if kind is not None:
        query = query.where(Ceremony.kind == kind)
    with translated_errors():
        ceremonies = list(query)
        figures = _latest_figures([c.id for c in ceremonies])
        versions = _versions(vid)
    rows = []
    for c in ceremonies:
        judged = figures.get((c.id, rules.ACTUAL)) or figures.get((c.id, rules.PLAN)) or [Figures()]
        standard = rules.standard_on(versions, c.day)
        rows.append(
            CeremonyRow(
                c.id,
                c.number,
                c.kind,
                c.occasion,
                c.celebrant_age,
                c.household_id,
                c.household.number,
                c.household.group.name,
                c.head_name,
                c.day,
                c.place,
                c.stage,
                rules.check(c.kind, judged[-1], standard, c.occasion, c.celebrant_age),
                rules.late_report(standard.caps_for(c.kind), c.day, c.reported_on),
            )
        )
    return rows


def ceremonies_of(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> Iterable[CeremonyDetail]:
    """Every ceremony whose day falls in [start, end], oldest first (the archive reads through this)."""
    vid = access.readable_village(actor, village_id)
    ids = [
        i
        for (i,) in Ceremony.select(Ceremony.id)
        .where((Ceremony.village == vid) & Ceremony.day.between(start, end))
        .order_by(Ceremony.day, Ceremony.id)
        .tuples()
    ]
    for ceremony_id in ids:
        yield _detail(Ceremony.get_by_id(ceremony_id))
