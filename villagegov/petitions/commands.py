"""民情三本账 and 矛盾纠纷调处 on the command line: `list petitions` and `list mediations` rows (their
papers: documents.py)."""

from __future__ import annotations

from collections.abc import Iterator

from villagegov.core.actor import Actor
from villagegov.core.i18n import _
from villagegov.petitions import mediation_rules, mediation_service, petition_rules, petition_service


def list_petitions(
    actor: Actor, year: int | None, ledger: str | None = None, overdue: bool = False
) -> Iterator[tuple[str, ...]]:
    """id, number, ledger, received, villager, matter, next step, due by, status: one petition a row.

    A complainant's name shows only to the secretary, as on the screen."""
    filters = petition_service.PetitionFilter(ledger=ledger, year=year, overdue=overdue)
    for row in petition_service.list_petitions(actor, filters):
        yield (
            str(row.id),
            row.number,
            petition_rules.ledger_label(row.ledger),
            row.received_on.isoformat(),
            row.petitioner,
            row.subject,
            petition_rules.step_label(row.next_step) if row.next_step else _("Closed"),
            row.due_on.isoformat() if row.due_on else (row.closed_on.isoformat() if row.closed_on else ""),
            petition_rules.status_label(row.status) if row.status else "",
        )


def list_mediations(actor: Actor, year: int | None) -> Iterator[tuple[str, ...]]:
    """id, number, kind, registered, parties, outcome, concluded: one dispute a row."""
    for row in mediation_service.list_mediations(actor, mediation_service.MediationFilter(year=year)):
        yield (
            str(row.id),
            row.number,
            mediation_rules.kind_label(row.kind),
            row.received_on.isoformat(),
            row.parties,
            mediation_rules.outcome_label(row.outcome),
            row.concluded_on.isoformat() if row.concluded_on else "",
        )
