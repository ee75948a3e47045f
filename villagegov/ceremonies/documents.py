"""红白理事会's papers: a ceremony's report form, commitment letter and follow-up record, and the
year's summary.

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


def report_form(actor: Actor, ceremony_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 报备登记表."""
    from villagegov.ceremonies import pdf, service

    return pdf.report_form(service.report_document(actor, ceremony_id), paper)


def commitment_letter(actor: Actor, ceremony_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.ceremonies import pdf, service

    return pdf.commitment_letter(service.commitment_document(actor, ceremony_id), paper)


def follow_up_record(actor: Actor, ceremony_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.ceremonies import pdf, service

    return pdf.follow_up_record(service.follow_up_document(actor, ceremony_id), paper)


def summary(actor: Actor, year: int, paper: Paper, today: date) -> OfficialDocument:
    """The year's figures with their charts."""
    from villagegov.ceremonies import pdf, service

    return pdf.summary(service.summary_document(actor, year), paper)


KINDS = (
    DocumentKind(
        "ceremony",
        N_("Report form"),
        report_form,
        listed_by="ceremonies",
        what=N_("a ceremony's report form (报备登记表)"),
    ),
    DocumentKind(
        "ceremony-commitment",
        N_("Commitment letter"),
        commitment_letter,
        listed_by="ceremonies",
        what=N_("a ceremony's commitment letter (承诺书)"),
    ),
    DocumentKind(
        "ceremony-follow-up",
        N_("Follow-up record"),
        follow_up_record,
        listed_by="ceremonies",
        what=N_("a ceremony's follow-up record (回访记录)"),
    ),
    DocumentKind(
        "ceremony-summary",
        N_("Summary of the year"),
        summary,
        subject=YEAR,
        what=N_("the 红白理事会's summary of a year"),
    ),
)
