"""四议两公开 on the command line: `list decisions` rows (their papers: documents.py)."""

from __future__ import annotations

from collections.abc import Iterator

from villagegov.core.actor import Actor
from villagegov.decisions import rules, service


def amount_text(fen: int | None) -> str:
    """Plain yuan (120000.00) for a spreadsheet; empty where no money is involved."""
    if fen is None:
        return ""
    whole, part = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{part:02d}"


def list_rows(actor: Actor, year: int | None) -> Iterator[tuple[str, ...]]:
    """id, title, kind, amount, current step, state, last date: one decision a row."""
    for row in service.list_decisions(actor, year=year):
        yield (
            str(row.id),
            row.title,
            rules.kind_label(row.kind),
            amount_text(row.amount_fen),
            rules.step_title(row.step),
            rules.state_label(row.state),
            row.last_date.isoformat(),
        )
