"""What every room gives the yearly archive package, as plain data.

Each room that keeps records has a module `villagegov/<room>/archiving.py` with two functions:

    def records(actor: Actor, period: Period) -> list[RecordSet]: ...
    def documents(actor: Actor, period: Period) -> list[ArchiveDocument]: ...

`records` returns every record of the period (one RecordSet per record kind: one JSON file in
`data/records/`), `documents` every document of the period that would be printed, built lazily so
the export can render them one by one off the GUI thread. Neither imports Qt; both read through the
room's own service (the actor must be allowed to read), never through another room's models.

Refinements since the first version (all optional, with defaults, so a room written against the first
version still works):

- `RecordSet.entity` and `RecordSet.audited_fields` let the archive check the records against the
  period's audit entries ("the audit chain consistent with the records"). `entity` names the audited
  table whose rows the records are (the audit entries' `entity`, e.g. "notice"), and each record's
  "id" is that row's id. A set with an `entity` must hold every row of that table that an audit entry
  of the period created or changed and did not delete (rows dated in the period, or kept whole like
  the roster, besides). `audited_fields` are the record's keys whose value is exactly the audit
  snapshot's value of the same name (`core.audit.snapshot`: dates as ISO text, foreign keys as ids),
  or `"key:column"` where the record names it differently (`"for:for_"`, `"council_id:council"`);
  verify compares them with the row's last audited state. Leave both empty and the archive checks
  only the record's schema. Nested parts of a record (a petition's steps, a ceremony's figures) are
  covered by the signature only.
- `audit_bounds(period)`, `touched(actor, period, entity)` and `touched_rows(actor, period, model,
  parent)` say which audit entries belong to a period (China Standard Time days), so that a room can
  add the rows the period changed (and the rows whose parts it changed).
- A room's archiving module may offer `review(records, as_of) -> list[ReviewFinding]`: a pure function
  of the package's records (`{kind: [record, ...]}`, JSON as exported, any schema version this program
  reads) that names what a township reviewer should look at (a decision missing a step, a 公示
  without its posting period, a ceremony over the caps, a petition overdue). `as_of` is the day the
  package speaks for: the period's last day, or the export's day when that came first, so that
  "overdue" means overdue then. It runs at the township on imported packages, so it must not read the
  database.
- `ArchiveDocument.room` is filled in by the export (the room the document came from); rooms need not
  set it.
- `known_schemas()` (below) tells the verify which schema version of each kind this program knows, so
  a package with a newer one is refused and a package's own schema is checked against ours. It reads
  the optional `SCHEMAS` dict (`kind -> (version, schema)`) of each room's archiving module; a room
  without one is checked against the schema its package carries.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import ModuleType
from typing import TYPE_CHECKING, Any

from villagegov.core.actor import Actor

if TYPE_CHECKING:
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper

# The rooms whose records go into a package, in the order the catalogue lists them.
ROOMS: tuple[str, ...] = ("roster", "council", "decisions", "ceremonies", "notices", "petitions")

JsonValue = Any  # str, int, bool, None, list and dict of these: no float, no date, no Decimal


def a4() -> Paper:
    """The archive's paper (its layout modules are imported only when a document is built)."""
    from villagegov.printing.template import Paper

    return Paper.A4


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
    entity: str = ""  # the audited table these records are rows of ("" if none): see the module doc
    audited_fields: tuple[str, ...] = ()  # keys equal to the audit snapshot's, compared by verify


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
    room: str = ""  # set by the export


@dataclass(frozen=True)
class ReviewFinding:
    """Something the township reviewer should look at; `msgid` (marked with N_) and `params` say what."""

    kind: str  # the record kind
    record_id: int | None
    msgid: str
    params: dict[str, JsonValue]

    def message(self) -> str:
        from villagegov.core.i18n import message

        return message(self.msgid, self.params)


class LazyModule:
    """A module imported on first use: the rooms' archiving modules name their service and layouts so,
    and verifying a package (which needs only their schemas) does not load reportlab and every room."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


def room_module(room: str) -> ModuleType | None:
    """The room's archiving module, or None while the room has none yet."""
    name = f"villagegov.{room}.archiving"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def known_schemas() -> dict[str, tuple[int, dict[str, JsonValue]]]:
    """Every record kind this program knows, with its current schema version and schema.

    From each room's archiving module's `SCHEMAS` (kind -> (version, schema)), where it has one.
    """
    known: dict[str, tuple[int, dict[str, JsonValue]]] = {}
    for room in ROOMS:
        module = room_module(room)
        if module is not None:
            known.update(getattr(module, "SCHEMAS", {}))
    return known


# The village's days are China Standard Time days (one zone, no summer time), whatever the
# computer's clock zone: an audit entry (stored in UTC) belongs to the period by its Beijing time.
CHINA_TIME = timezone(timedelta(hours=8), "CST")


def audit_bounds(period: Period) -> tuple[str, str]:
    """The period as [start, end) in the audit log's own text form (ISO 8601 UTC, microseconds)."""
    start = datetime.combine(period.start, time(0), CHINA_TIME).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(0), CHINA_TIME).astimezone(UTC)
    return start.isoformat(timespec="microseconds"), end.isoformat(timespec="microseconds")


def touched(actor: Actor, period: Period, entity: str) -> set[int]:
    """Ids of the `entity` rows that an audit entry of the period (in the actor's village) wrote."""
    from villagegov.core.audit import AuditEntry

    start, end = audit_bounds(period)
    query = AuditEntry.select(AuditEntry.entity_id).where(
        (AuditEntry.chain == actor.audit_chain)
        & (AuditEntry.entity == entity)
        & (AuditEntry.at >= start)
        & (AuditEntry.at < end)
    )
    return {int(i) for (i,) in query.distinct().tuples() if i is not None and str(i).isdigit()}


def touched_rows(actor: Actor, period: Period, model: Any, parent: Any = None) -> set[int]:
    """Ids of the `model` rows an audit entry of the period wrote; with `parent` (a foreign key of
    `model`), the ids of the rows those point to instead (the meeting of a changed agenda item).
    A deleted child row names no parent any more: its parent's own entries, if any, still count."""
    from villagegov.core.audit import entity_name

    ids = touched(actor, period, entity_name(model))
    if parent is None or not ids:
        return ids
    found: set[int] = set()
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):  # SQLite's limit on bound values
        query = model.select(parent).where(model.id.in_(ordered[i : i + 500]))
        found |= {int(p) for (p,) in query.tuples() if p is not None}
    return found


def as_of(period_end: date, exported_on: date) -> date:
    """The day a package speaks for (see `review`): its period's end, or its export's day if earlier."""
    return min(period_end, exported_on)
