"""村民议事会 on the command line: `list meetings` rows (their papers: documents.py)."""

from __future__ import annotations

from collections.abc import Iterator

from villagegov.core.actor import Actor
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_
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


def resolution_by_number(actor: Actor, text: str, year: int | None = None) -> int:
    """The id of the resolution numbered `text` (〔2026〕议字第6号, or 议字第6号 with `year` or alone when
    only one year has that number): `print resolution` takes either its id or its number."""
    parsed = rules.parse_resolution_number(text)
    if parsed is None:
        raise ValidationError(
            N_("{text} is neither a resolution's id (list resolutions) nor its number (〔2026〕议字第6号)."),
            text=text,
        )
    typed_year, sequence = parsed
    wanted = typed_year or year
    found = [r for r in service.list_resolutions(actor, wanted) if r.sequence == sequence]
    if not found:
        raise NotFound(N_("There is no resolution numbered {number}."), number=text.strip())
    if len(found) > 1:
        raise ValidationError(
            N_("Several resolutions are numbered {number}: {numbers}. Say which, with the year: {example}."),
            number=text.strip(), numbers="、".join(r.number for r in found), example=found[0].number,
        )  # fmt: skip
    return found[0].id
