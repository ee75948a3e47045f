"""民情三本账 and 矛盾纠纷调处's papers: a petition's acceptance notice, a mediation's agreement, the
ledgers and the summary of a year (or of any period, as the room prints them).

The window's print buttons, `villagegov print KIND ID` and the yearly archive all build them here.
None of them is posted on the board: they are given to a villager or kept on file.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _
from villagegov.printing.kinds import YEAR, DocumentKind

if TYPE_CHECKING:
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper

PETITION_NOTICE, MEDIATION_AGREEMENT = "petition-notice", "mediation"
PETITION_LEDGER, PETITION_SUMMARY = "petition-ledger", "petition-summary"


def acknowledgement(actor: Actor, petition_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 受理告知书 of a reviewed petition."""
    from villagegov.petitions import petition_pdf, petition_service

    document = petition_service.acknowledgement_document(actor, petition_id, today)
    return petition_pdf.acknowledgement_document(document, paper)


def agreement(actor: Actor, mediation_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 调解协议书 of a mediation that reached an agreement."""
    from villagegov.petitions import mediation_pdf, mediation_service

    return mediation_pdf.agreement_document(mediation_service.agreement_document(actor, mediation_id), paper)


def ledgers_between(
    actor: Actor, start: date, end: date, paper: Paper, today: date, ledger: str | None = None
) -> OfficialDocument:
    """The ledgers (登记簿) of the petitions received in a period: all three, or the one named."""
    from villagegov.petitions import petition_pdf, petition_service

    document = petition_service.ledger_document(actor, start, end, ledger, today)
    return petition_pdf.ledger_document(document, paper)


def summary_between(actor: Actor, start: date, end: date, paper: Paper, today: date) -> OfficialDocument:
    """The figures of a period with their tables and charts."""
    from villagegov.petitions import pdf, service

    return pdf.summary_document(service.summary_document(actor, start, end, today), paper)


def ledger(actor: Actor, year: int, paper: Paper, today: date) -> OfficialDocument:
    """The three ledgers of a year."""
    return ledgers_between(actor, date(year, 1, 1), date(year, 12, 31), paper, today)


def summary(actor: Actor, year: int, paper: Paper, today: date) -> OfficialDocument:
    """The year's figures."""
    return summary_between(actor, date(year, 1, 1), date(year, 12, 31), paper, today)


# The file names the room offers (the paper itself stays Chinese).


def notice_stem(number: str) -> str:
    return _("Acceptance notice {number}").format(number=number)


def agreement_stem(number: str) -> str:
    return _("Mediation agreement {number}").format(number=number)


def ledgers_stem(start: date, end: date) -> str:
    return _("Ledgers {start} to {end}").format(start=start.isoformat(), end=end.isoformat())


def summary_stem(start: date, end: date) -> str:
    return _("Petitions and disputes summary {start} to {end}").format(
        start=start.isoformat(), end=end.isoformat()
    )


def _title(document: OfficialDocument) -> str:
    return document.title


KINDS = (
    DocumentKind(
        PETITION_NOTICE, N_("Acceptance notice"), acknowledgement, listed_by="petitions",
        file_stem=lambda document: notice_stem(document.number),
        what=N_("a petition's acceptance notice (受理告知书)"),
    ),
    DocumentKind(
        MEDIATION_AGREEMENT, N_("Mediation agreement"), agreement, listed_by="mediations",
        file_stem=lambda document: agreement_stem(document.number),
        what=N_("a mediation agreement (调解协议书)"),
    ),
    DocumentKind(
        PETITION_LEDGER, N_("Ledgers"), ledger, subject=YEAR, file_stem=_title,
        what=N_("the three petition ledgers (登记簿) of a year"),
    ),
    DocumentKind(
        PETITION_SUMMARY, N_("Summary of the year"), summary, subject=YEAR, file_stem=_title,
        what=N_("the petitions' figures of a year"),
    ),
)  # fmt: skip
