"""民情三本账 and 矛盾纠纷调处 on the command line: `list petitions`, `list mediations`, and the printed
ledgers, acceptance notices, mediation agreements and summaries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from villagegov.core.actor import Actor
from villagegov.core.i18n import _
from villagegov.petitions import pdf, rules, service
from villagegov.printing.document import OfficialDocument
from villagegov.printing.template import Paper


def list_petitions(
    actor: Actor, year: int | None, ledger: str | None = None, overdue: bool = False
) -> Iterator[tuple[str, ...]]:
    """id, number, ledger, received, villager, matter, next step, due by, status: one petition a row.

    A complainant's name shows only to the secretary, as on the screen."""
    filters = service.PetitionFilter(ledger=ledger, year=year, overdue=overdue)
    for row in service.list_petitions(actor, filters):
        yield (
            str(row.id),
            row.number,
            rules.ledger_label(row.ledger),
            row.received_on.isoformat(),
            row.petitioner,
            row.subject,
            rules.step_label(row.next_step) if row.next_step else _("Closed"),
            row.due_on.isoformat() if row.due_on else (row.closed_on.isoformat() if row.closed_on else ""),
            rules.status_label(row.status) if row.status else "",
        )


def list_mediations(actor: Actor, year: int | None) -> Iterator[tuple[str, ...]]:
    """id, number, kind, registered, parties, outcome, concluded: one dispute a row."""
    for row in service.list_mediations(actor, service.MediationFilter(year=year)):
        yield (
            str(row.id),
            row.number,
            rules.kind_label(row.kind),
            row.received_on.isoformat(),
            row.parties,
            rules.outcome_label(row.outcome),
            row.concluded_on.isoformat() if row.concluded_on else "",
        )


def agreement_document(actor: Actor, mediation_id: int, paper: Paper) -> OfficialDocument:
    """`print mediation ID`: the 调解协议书 of a mediation that reached an agreement."""
    return pdf.agreement_document(service.agreement_document(actor, mediation_id), paper)


def acknowledgement_document(actor: Actor, petition_id: int, paper: Paper) -> OfficialDocument:
    """`print petition-notice ID`: the 受理告知书 of a reviewed petition."""
    return pdf.acknowledgement_document(service.acknowledgement_document(actor, petition_id), paper)


def ledger_document(actor: Actor, year: int, paper: Paper) -> OfficialDocument:
    """`print petition-ledger --year Y`: the three ledgers (登记簿) of a year."""
    return pdf.ledger_document(service.ledger_document(actor, date(year, 1, 1), date(year, 12, 31)), paper)


def summary_document(actor: Actor, year: int, paper: Paper) -> OfficialDocument:
    """`print petition-summary --year Y`: the year's figures with their tables and charts."""
    return pdf.summary_document(service.summary_document(actor, date(year, 1, 1), date(year, 12, 31)), paper)
