"""红白理事会 on the command line: `list ceremonies` rows and the printable papers."""

from __future__ import annotations

from collections.abc import Iterator

from villagegov.ceremonies import pdf, rules, service
from villagegov.core.actor import Actor
from villagegov.printing.document import OfficialDocument
from villagegov.printing.template import Paper


def list_rows(actor: Actor, year: int | None) -> Iterator[tuple[str, ...]]:
    """id, kind, household head, date, stage, over-cap items and a late report: a ceremony a row,
    newest first."""
    for row in service.list_ceremonies(actor, year):
        yield (
            str(row.id),
            row.what,
            row.head_name,
            row.day.isoformat(),
            rules.stage_label(row.stage),
            rules.problem_items(row.breaches, row.late),
        )


def report_form(actor: Actor, ceremony_id: int, paper: Paper) -> OfficialDocument:
    """`print ceremony ID`: the 报备登记表."""
    return pdf.report_form(service.report_document(actor, ceremony_id), paper)


def commitment_letter(actor: Actor, ceremony_id: int, paper: Paper) -> OfficialDocument:
    return pdf.commitment_letter(service.commitment_document(actor, ceremony_id), paper)


def follow_up_record(actor: Actor, ceremony_id: int, paper: Paper) -> OfficialDocument:
    return pdf.follow_up_record(service.follow_up_document(actor, ceremony_id), paper)


def summary(actor: Actor, year: int, paper: Paper) -> OfficialDocument:
    """`print ceremony-summary --year Y`: the year's figures with their charts."""
    return pdf.summary(service.summary_document(actor, year), paper)
