"""村民议事会 on the command line: `list meetings` rows (their papers: documents.py)."""

from __future__ import annotations

from collections.abc import Iterator

from villagegov.core.actor import Actor
from villagegov.council import rules, service


def list_rows(actor: Actor, year: int | None) -> Iterator[tuple[str, ...]]:
    """id, number, date, state, expected, present, items, resolutions: one meeting a row, latest first.

    `number` is the meeting's number in its term (第N次会议); `present` is 0 until attendance is taken.
    """
    for row in service.list_meetings(actor, year):
        yield (
            str(row.id),
            str(row.number),
            row.date.isoformat(),
            rules.state_label(row.state),
            str(row.expected),
            str(row.present),
            str(row.items),
            str(row.resolutions),
        )


def list_resolution_rows(actor: Actor, year: int | None) -> Iterator[tuple[str, ...]]:
    """id, number, meeting date, meeting id, title: one valid resolution a row, the latest first."""
    for row in service.list_resolutions(actor, year):
        yield (str(row.id), row.number, row.meeting_date.isoformat(), str(row.meeting_id), row.title)
