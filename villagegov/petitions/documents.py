"""民情三本账 and 矛盾纠纷调处's papers: a petition's acceptance notice, a mediation's agreement, the
year's three ledgers and its summary.

The window's print buttons, `villagegov print KIND ID` and the yearly archive all build them here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from villagegov.core.actor import Actor
from villagegov.core.i18n import N_
from villagegov.printing.kinds import YEAR, DocumentKind

if TYPE_CHECKING:
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper


def acknowledgement(actor: Actor, petition_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 受理告知书 of a reviewed petition."""
    from villagegov.petitions import pdf, service

    return pdf.acknowledgement_document(service.acknowledgement_document(actor, petition_id, today), paper)


def agreement(actor: Actor, mediation_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 调解协议书 of a mediation that reached an agreement."""
    from villagegov.petitions import pdf, service

    return pdf.agreement_document(service.agreement_document(actor, mediation_id), paper)


def ledger(actor: Actor, year: int, paper: Paper, today: date) -> OfficialDocument:
    """The three ledgers (登记簿) of a year."""
    from villagegov.petitions import pdf, service

    first, last = date(year, 1, 1), date(year, 12, 31)
    return pdf.ledger_document(service.ledger_document(actor, first, last, today=today), paper)


def summary(actor: Actor, year: int, paper: Paper, today: date) -> OfficialDocument:
    """The year's figures with their tables and charts."""
    from villagegov.petitions import pdf, service

    first, last = date(year, 1, 1), date(year, 12, 31)
    return pdf.summary_document(service.summary_document(actor, first, last, today=today), paper)


KINDS = (
    DocumentKind(
        "petition-notice",
        N_("Acceptance notice"),
        acknowledgement,
        listed_by="petitions",
        public=False,
        what=N_("a petition's acceptance notice (受理告知书)"),
    ),
    DocumentKind(
        "mediation",
        N_("Mediation agreement"),
        agreement,
        listed_by="mediations",
        public=False,
        what=N_("a mediation agreement (调解协议书)"),
    ),
    DocumentKind(
        "petition-ledger",
        N_("Ledgers"),
        ledger,
        subject=YEAR,
        public=False,
        what=N_("the three petition ledgers (登记簿) of a year"),
    ),
    DocumentKind(
        "petition-summary",
        N_("Summary of the year"),
        summary,
        subject=YEAR,
        public=False,
        what=N_("the petitions' figures of a year"),
    ),
)
