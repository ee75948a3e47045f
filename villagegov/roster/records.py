"""花名册's plain records: what the service returns and the screens, the command line and the archive take.

Plain dataclasses only: no peewee, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from villagegov.roster import rules


@dataclass(frozen=True)
class VillageInfo:
    id: int
    name: str
    township: str
    county: str


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    households: int
    villagers: int


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    number: str
    group_id: int
    group: str
    address: str
    head: str  # empty when the household has no head yet
    members: int


@dataclass(frozen=True)
class VillagerRow:
    id: int
    name: str
    gender: str
    birth_date: date
    id_number: str | None
    phone: str
    household_id: int
    household: str
    relation: str
    group_id: int
    group: str
    party_member: bool
    representative: bool
    representative_term_start: date | None
    representative_term_end: date | None
    notes: str


@dataclass(frozen=True)
class VillagerFilter:
    text: str = ""  # matches name, ID number, phone or household number
    group_id: int | None = None
    household_id: int | None = None
    gender: str | None = None
    party_member: bool | None = None
    representative: bool | None = None


@dataclass(frozen=True)
class RowProblem:
    row: int  # the sheet's row number (the header is row 1); 0 for the file as a whole
    column: str  # the roster's own header, as the clerk sees it; empty for the whole row
    message: str  # in the language spoken, ready to show


@dataclass(frozen=True)
class ImportRow:
    row: int
    group: str
    household: str
    address: str
    villager: rules.VillagerInput  # household_id is 0 until the import writes it


@dataclass(frozen=True)
class NewGroup:
    """A villager group (村民小组) the file names and the roster does not have yet: the import makes it."""

    name: str
    row: int  # the first row that names it
    households: int  # households the import makes in it
    villagers: int  # villagers the import adds to it


@dataclass(frozen=True)
class NewHousehold:
    """A household (户) the file names and the roster does not have yet: the import makes it."""

    number: str
    group: str
    address: str  # from its first row
    head: str  # the head of household's name; empty when the file names none (a problem, too)
    row: int  # its first row
    villagers: int


@dataclass
class ImportPreview:
    """What importing a roster file would do; plain data for the clerk to look at and confirm once."""

    file: Path
    digest: str = ""  # SHA-256 of the file as read: apply_import refuses a file changed since
    rows: list[ImportRow] = field(default_factory=list)  # the villagers to add, in the file's order
    problems: list[RowProblem] = field(default_factory=list)  # the rows refused, in row order
    new_groups: list[NewGroup] = field(default_factory=list)
    new_households: list[NewHousehold] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported: no row refused, and at least one villager."""
        return not self.problems and bool(self.rows)

    @property
    def refused_rows(self) -> int:
        return len({p.row for p in self.problems})


@dataclass(frozen=True)
class ImportResult:
    households: int  # households made
    villagers: int  # villagers added
    groups: int = 0  # villager groups made
