"""The year's figures the council reports to the village."""

from __future__ import annotations

from datetime import date

from villagegov.accounts import rules as access
from villagegov.ceremonies import rules
from villagegov.ceremonies.models import Ceremony, FollowUp
from villagegov.ceremonies.service.reading import _latest_figures
from villagegov.ceremonies.service.standards import _versions
from villagegov.core.actor import Actor
from villagegov.core.db import translated_errors


def year_figures(actor: Actor, year: int, village_id: int | None = None) -> rules.YearFigures:
    """The year's figures the council reports to the village (ceremonies by their day)."""
    vid = access.readable_village(actor, village_id)
    with translated_errors():
        ceremonies = list(
            Ceremony.select().where(
                (Ceremony.village == vid)
                & Ceremony.day.between(date(year, 1, 1), date(year, 12, 31))
                & (Ceremony.stage != rules.CANCELLED)
            )
        )
        ids = [c.id for c in ceremonies]
        figures = _latest_figures(ids)
        spent = (
            dict(
                FollowUp.select(FollowUp.ceremony, FollowUp.actual_spending_fen)
                .where(FollowUp.ceremony.in_(ids))
                .tuples()
            )
            if ids
            else {}
        )
        versions = _versions(vid)
    facts = []
    for c in ceremonies:
        standard = rules.standard_on(versions, c.day)
        plans = figures[(c.id, rules.PLAN)]
        actual = (figures.get((c.id, rules.ACTUAL)) or [None])[-1]
        facts.append(
            rules.CeremonyFacts(
                kind=c.kind,
                day=c.day,
                stage=c.stage,
                first_plan=plans[0],
                first_plan_breaches=rules.check(c.kind, plans[0], standard, c.occasion, c.celebrant_age),
                actual=actual,
                actual_breaches=rules.check(c.kind, actual, standard, c.occasion, c.celebrant_age)
                if actual
                else (),
                ceiling_fen=rules.ceiling_fen(standard.caps_for(c.kind)),
                actual_spending_fen=spent.get(c.id),
                late=rules.late_report(standard.caps_for(c.kind), c.day, c.reported_on) is not None,
            )
        )
    return rules.year_figures(year, facts)
