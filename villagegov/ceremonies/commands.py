"""红白理事会 on the command line: `list ceremonies` rows (their papers: documents.py)."""

from __future__ import annotations

from collections.abc import Iterator

from villagegov.ceremonies import rules, service
from villagegov.core.actor import Actor


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
