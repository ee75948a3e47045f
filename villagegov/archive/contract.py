"""What every room gives the yearly archive package, as plain data.

Each room that keeps records has a module `villagegov/<room>/archiving.py` with two functions:

    def records(actor: Actor, period: Period) -> list[RecordSet]: ...
    def documents(actor: Actor, period: Period) -> list[ArchiveDocument]: ...

`records` returns every record of the period (one RecordSet per record kind: one JSON file in
`data/records/`), `documents` every document of the period that would be printed, built lazily so
the export can render them one by one off the GUI thread. Neither imports Qt; both read through the
room's own service (the actor must be allowed to read), never through another room's models.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from villagegov.printing.document import OfficialDocument

# The rooms whose records go into a package, in the order the catalogue lists them.
ROOMS: tuple[str, ...] = ("roster", "council", "decisions", "ceremonies", "notices", "petitions")

JsonValue = Any  # str, int, bool, None, list and dict of these: no float, no date, no Decimal


@dataclass(frozen=True)
class Period:
    """The package's period, both ends included (a year: 1 January to 31 December)."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class RecordSet:
    """One kind of record: `data/records/<kind>.json`, checked against `schema` when verified.

    Records are JSON-ready: dates as ISO strings ("2026-11-29"), times as ISO with offset, money
    as integer fen, fractions as "2/3" strings, ids as integers. `schema` is a JSON Schema
    (draft 2020-12) of one record; bump `schema_version` whenever a field is added, removed or
    changes meaning.
    """

    kind: str
    schema_version: int
    schema: dict[str, JsonValue]
    records: tuple[dict[str, JsonValue], ...]
    personal_data: bool  # holds names with ID-card or phone numbers, or a complainant's name


@dataclass(frozen=True)
class ArchiveDocument:
    """One printed document of the period, rendered to `data/documents/<name>` at export."""

    name: str  # a relative path of ASCII letters, digits, '-', '_' and '/', ending in .pdf
    title: str  # as the catalogue (案卷目录) lists it, in Chinese
    record_kind: str  # the RecordSet kind of the record it belongs to
    record_id: int
    on: date  # the document's own date
    personal_data: bool  # the public copy still names people (their numbers are always masked)
    build: Callable[[], OfficialDocument]


def room_module(room: str) -> ModuleType | None:
    """The room's archiving module, or None while the room has none yet."""
    name = f"villagegov.{room}.archiving"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)
