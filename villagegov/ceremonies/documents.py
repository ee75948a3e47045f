"""红白理事会's papers: a ceremony's report form, commitment letter and follow-up record, and the
year's summary.

The window's print buttons, `villagegov print KIND ID` and the yearly archive all build them here. The
service refuses a paper the rules do not print now (`rules.ceremony_actions`, `rules.year_actions`): a
follow-up record before the follow-up, a commitment letter of a cancelled ceremony, the summary of a
year with no ceremony reported.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _
from villagegov.printing.kinds import YEAR, DocumentKind

if TYPE_CHECKING:
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper

REPORT_FORM, COMMITMENT, FOLLOW_UP, SUMMARY = (
    "ceremony", "ceremony-commitment", "ceremony-follow-up", "ceremony-summary",
)  # fmt: skip
REPORT_FORM_TITLE = N_("Report form")
COMMITMENT_TITLE = N_("Commitment letter")
FOLLOW_UP_TITLE = N_("Follow-up record")
SUMMARY_TITLE = N_("Summary of the year")


def report_form(actor: Actor, ceremony_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 报备登记表."""
    from villagegov.ceremonies import pdf, service

    return pdf.report_form(service.report_document(actor, ceremony_id), paper)


def commitment_letter(actor: Actor, ceremony_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 承诺书: as signed, or blank for the family to sign by hand."""
    from villagegov.ceremonies import pdf, service

    return pdf.commitment_letter(service.commitment_document(actor, ceremony_id), paper)


def follow_up_record(actor: Actor, ceremony_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The 回访记录: the supervision on the day and the visit afterwards."""
    from villagegov.ceremonies import pdf, service

    return pdf.follow_up_record(service.follow_up_document(actor, ceremony_id), paper)


def summary(actor: Actor, year: int, paper: Paper, today: date) -> OfficialDocument:
    """The year's figures with their charts, signed on `today` (the archive signs on 31 December)."""
    from villagegov.ceremonies import pdf, service

    return pdf.summary(service.summary_document(actor, year, today), paper)


# The names the room suggests when a paper is saved: the registration number (or the year) and the
# paper's name in the screen's language (the paper itself stays Chinese).
def ceremony_stem(number: str, title: str) -> str:
    """A ceremony's paper's file name without .pdf: 〔2026〕红白备字第1号 报备登记表."""
    return f"{number} {_(title)}"


def summary_stem(year: int) -> str:
    """The year's summary's file name without .pdf: 2026 年度报告."""
    return f"{year} {_(SUMMARY_TITLE)}"


def _report_stem(document: OfficialDocument) -> str:
    return ceremony_stem(document.number, REPORT_FORM_TITLE)


def _commitment_stem(document: OfficialDocument) -> str:
    return ceremony_stem(document.number, COMMITMENT_TITLE)


def _follow_up_stem(document: OfficialDocument) -> str:
    return ceremony_stem(document.number, FOLLOW_UP_TITLE)


def _summary_stem(document: OfficialDocument) -> str:
    year = re.match(r"\d{4}", document.title)  # 2026年度红白事办理情况报告
    return summary_stem(int(year.group(0))) if year else document.title


KINDS = (
    DocumentKind(
        REPORT_FORM,
        REPORT_FORM_TITLE,
        report_form,
        listed_by="ceremonies",
        what=N_("a ceremony's report form (报备登记表)"),
        file_stem=_report_stem,
    ),
    DocumentKind(
        COMMITMENT,
        COMMITMENT_TITLE,
        commitment_letter,
        listed_by="ceremonies",
        what=N_("a ceremony's commitment letter (承诺书)"),
        file_stem=_commitment_stem,
    ),
    DocumentKind(
        FOLLOW_UP,
        FOLLOW_UP_TITLE,
        follow_up_record,
        listed_by="ceremonies",
        what=N_("a ceremony's follow-up record (回访记录)"),
        file_stem=_follow_up_stem,
    ),
    DocumentKind(
        SUMMARY,
        SUMMARY_TITLE,
        summary,
        subject=YEAR,
        what=N_("the 红白理事会's summary of a year"),
        file_stem=_summary_stem,
    ),
)
