"""村务公开 on the command line: `list notices` rows (their papers: documents.py)."""

from __future__ import annotations

from collections.abc import Iterator

from villagegov.core.actor import Actor
from villagegov.notices import rules as notice_rules
from villagegov.notices import service


def list_rows(actor: Actor, year: int | None) -> Iterator[tuple[str, ...]]:
    """id, number, category, kind, title, state, posted date, period end: one notice a row."""
    for row in service.list_notices(actor, service.NoticeFilter(year=year)):
        yield (
            str(row.id),
            row.number,
            notice_rules.category_label(row.category),
            notice_rules.kind_label(row.kind),
            row.title,
            notice_rules.state_label(row.state),
            row.posted_at.isoformat() if row.posted_at else "",
            row.period_end.isoformat() if row.period_end else "",
        )
