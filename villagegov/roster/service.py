"""Every roster operation a user can do. Each write is one transaction with its audit entries."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import peewee

from villagegov.accounts import rules as access
from villagegov.core import audit, clock
from villagegov.core.actions import Allowed
from villagegov.core.actor import Actor
from villagegov.core.db import database, transaction, translated_errors
from villagegov.core.errors import Cancelled, NotFound, ValidationError
from villagegov.core.i18n import N_, _, message
from villagegov.roster import rules
from villagegov.roster.importer import HEADERS_ZH, MAX_CELL, RawRow, file_digest, read_roster
from villagegov.roster.models import Household, Village, Villager, VillagerGroup
from villagegov.roster.records import (
    GroupRow,
    HouseholdRow,
    ImportPreview,
    ImportResult,
    ImportRow,
    NewGroup,
    NewHousehold,
    RowProblem,
    VillageInfo,
    VillagerFilter,
    VillagerRow,
)


def _village_of(actor: Actor, village_id: int | None) -> int:
    vid = village_id if village_id is not None else actor.village_id
    if vid is None:
        raise ValidationError(N_("Choose a village first."))
    access.require(actor, access.READ, vid)
    return vid


def _writable_village(actor: Actor) -> int:
    access.require(actor, access.WRITE)
    assert actor.village_id is not None  # require() refuses a write without a village
    return actor.village_id


def _room_village(actor: Actor, action: str) -> int:
    """The rules' answer for an action of the room (adding, importing), then the actor's village."""
    rules.room_actions(actor.role).require(action)
    return _writable_village(actor)


# --- the village -------------------------------------------------------------------------


def create_village(actor: Actor, name: str, township: str, county: str) -> Village:
    """Used inside the first-run set-up's transaction (accounts.service.set_up)."""
    name, township, county = rules.check_village(name, township, county)
    village = Village(name=name, township=township, county=county, created_at=clock.now())
    village.save(force_insert=True)
    return village


def village(actor: Actor, village_id: int | None = None) -> VillageInfo:
    vid = _village_of(actor, village_id)
    row = Village.get_or_none(Village.id == vid)
    if row is None:
        raise NotFound(N_("The village no longer exists."))
    return VillageInfo(row.id, row.name, row.township, row.county)


def villages(actor: Actor) -> list[VillageInfo]:
    access.require(actor, access.READ)
    query = Village.select().order_by(Village.county, Village.township, Village.name)
    if actor.village_id is not None:
        query = query.where(Village.id == actor.village_id)
    return [VillageInfo(v.id, v.name, v.township, v.county) for v in query]


def update_village(actor: Actor, name: str, township: str, county: str) -> VillageInfo:
    vid = _writable_village(actor)
    name, township, county = rules.check_village(name, township, county)
    with translated_errors(), transaction():
        row = Village.get_by_id(vid)
        before = audit.snapshot(row)
        row.name, row.township, row.county = name, township, county
        audit.record_update(actor, row, before)
    return village(actor)


# --- villager groups ---------------------------------------------------------------------


def list_groups(actor: Actor, village_id: int | None = None) -> list[GroupRow]:
    vid = _village_of(actor, village_id)
    households = dict(
        Household.select(Household.group, peewee.fn.COUNT(Household.id))
        .where(Household.village == vid)
        .group_by(Household.group)
        .tuples()
    )
    villagers = dict(
        Villager.select(Household.group, peewee.fn.COUNT(Villager.id))
        .join(Household)
        .where(Villager.village == vid)
        .group_by(Household.group)
        .tuples()
    )
    query = VillagerGroup.select().where(VillagerGroup.village == vid)
    return [
        GroupRow(g.id, g.name, households.get(g.id, 0), villagers.get(g.id, 0))
        for g in query.order_by(VillagerGroup.sort_order, VillagerGroup.id)
    ]


def _group(vid: int, group_id: int) -> VillagerGroup:
    row = VillagerGroup.get_or_none((VillagerGroup.id == group_id) & (VillagerGroup.village == vid))
    if row is None:
        raise NotFound(N_("That villager group does not exist."))
    return row


def _group_actions(group: VillagerGroup, role: str) -> Allowed:
    households = Household.select().where(Household.group == group).count()
    return rules.group_actions(role, group.name, households)


def _unique_group_name(vid: int, name: str, except_id: int | None = None) -> None:
    query = VillagerGroup.select().where((VillagerGroup.village == vid) & (VillagerGroup.name == name))
    if except_id is not None:
        query = query.where(VillagerGroup.id != except_id)
    if query.exists():
        raise ValidationError(N_("There is already a villager group named {name}."), field="name", name=name)


def add_group(actor: Actor, name: str) -> GroupRow:
    vid = _room_village(actor, rules.ADD_GROUP)
    name = rules.check_group_name(name)
    with translated_errors(), transaction():
        _unique_group_name(vid, name)
        order = (VillagerGroup.select(peewee.fn.MAX(VillagerGroup.sort_order))
                 .where(VillagerGroup.village == vid).scalar() or 0)  # fmt: skip
        group = VillagerGroup(village=vid, name=name, sort_order=order + 1)
        audit.record_create(actor, group)
    return GroupRow(group.id, group.name, 0, 0)


def rename_group(actor: Actor, group_id: int, name: str) -> None:
    vid = _writable_village(actor)
    name = rules.check_group_name(name)
    with translated_errors(), transaction():
        group = _group(vid, group_id)
        _group_actions(group, actor.role).require(rules.RENAME_GROUP)
        _unique_group_name(vid, name, except_id=group_id)
        before = audit.snapshot(group)
        group.name = name
        audit.record_update(actor, group, before)


def delete_group(actor: Actor, group_id: int) -> None:
    vid = _writable_village(actor)
    with translated_errors(), transaction():
        group = _group(vid, group_id)
        _group_actions(group, actor.role).require(rules.DELETE_GROUP)
        audit.record_delete(actor, group)


# --- households --------------------------------------------------------------------------


def list_households(
    actor: Actor, group_id: int | None = None, text: str = "", village_id: int | None = None
) -> list[HouseholdRow]:
    vid = _village_of(actor, village_id)
    heads = dict(
        Villager.select(Villager.household, Villager.name)
        .where((Villager.village == vid) & (Villager.relation == rules.HEAD))
        .tuples()
    )
    sizes = dict(
        Villager.select(Villager.household, peewee.fn.COUNT(Villager.id))
        .where(Villager.village == vid)
        .group_by(Villager.household)
        .tuples()
    )
    query = (
        Household.select(Household, VillagerGroup)
        .join(VillagerGroup)
        .where(Household.village == vid)
        .order_by(VillagerGroup.sort_order, Household.number)
    )
    if group_id is not None:
        query = query.where(Household.group == group_id)
    rows = [
        HouseholdRow(
            h.id, h.number, h.group.id, h.group.name, h.address, heads.get(h.id, ""), sizes.get(h.id, 0)
        )
        for h in query
    ]
    needle = text.strip()
    if needle:
        rows = [r for r in rows if needle in r.number or needle in r.head or needle in r.address]
    return rows


def _household(vid: int, household_id: int) -> Household:
    row = Household.get_or_none((Household.id == household_id) & (Household.village == vid))
    if row is None:
        raise NotFound(N_("That household does not exist."))
    return row


def _household_actions(household: Household, role: str) -> Allowed:
    members = Villager.select().where(Villager.household == household).count()
    return rules.household_actions(role, household.number, members)


def _unique_household_number(vid: int, number: str, except_id: int | None = None) -> None:
    query = Household.select().where((Household.village == vid) & (Household.number == number))
    if except_id is not None:
        query = query.where(Household.id != except_id)
    if query.exists():
        raise ValidationError(
            N_("Household number {number} is already in use."), field="number", number=number
        )


def add_household(actor: Actor, group_id: int, number: str, address: str = "") -> int:
    vid = _room_village(actor, rules.ADD_HOUSEHOLD)
    number = rules.check_household_number(number)
    with translated_errors(), transaction():
        _group(vid, group_id)
        _unique_household_number(vid, number)
        household = Household(village=vid, group=group_id, number=number, address=address.strip())
        audit.record_create(actor, household)
    return household.id


def update_household(actor: Actor, household_id: int, group_id: int, number: str, address: str) -> None:
    vid = _writable_village(actor)
    number = rules.check_household_number(number)
    with translated_errors(), transaction():
        household = _household(vid, household_id)
        _household_actions(household, actor.role).require(rules.EDIT_HOUSEHOLD)
        _group(vid, group_id)
        _unique_household_number(vid, number, except_id=household_id)
        before = audit.snapshot(household)
        household.group, household.number, household.address = group_id, number, address.strip()
        audit.record_update(actor, household, before)


def delete_household(actor: Actor, household_id: int) -> None:
    vid = _writable_village(actor)
    with translated_errors(), transaction():
        household = _household(vid, household_id)
        _household_actions(household, actor.role).require(rules.DELETE_HOUSEHOLD)
        audit.record_delete(actor, household)


# --- villagers ---------------------------------------------------------------------------


# The columns of a VillagerRow, in its field order. The list is the first screen and is read again
# on every keystroke of a search, so it is read straight from the cursor: model instances (with
# their household and group) took 5-6x as long for 1,500 villagers, peewee's tuples ~1.7x.
_VILLAGER_COLUMNS = (
    Villager.id, Villager.name, Villager.gender, Villager.birth_date, Villager.id_number, Villager.phone,
    Household.id, Household.number, Villager.relation, VillagerGroup.id, VillagerGroup.name,
    Villager.party_member, Villager.representative, Villager.representative_term_start,
    Villager.representative_term_end, Villager.notes,
)  # fmt: skip


def _date(value: str | date | None) -> date | None:
    """SQLite returns a DateField as text, PostgreSQL as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _villager_rows(query: peewee.ModelSelect) -> list[VillagerRow]:
    # v: the _VILLAGER_COLUMNS; dates and flags as the database driver returns them.
    return [
        VillagerRow(
            *v[:3], _date(v[3]), *v[4:11], bool(v[11]), bool(v[12]), _date(v[13]), _date(v[14]), v[15]
        )
        for v in database.execute(query)
    ]


def list_villagers(
    actor: Actor, filters: VillagerFilter | None = None, village_id: int | None = None
) -> list[VillagerRow]:
    vid = _village_of(actor, village_id)
    f = filters or VillagerFilter()
    query = (
        Villager.select(*_VILLAGER_COLUMNS)
        .join(Household)
        .join(VillagerGroup)
        .where(Villager.village == vid)
        .order_by(VillagerGroup.sort_order, Household.number, Villager.id)
    )
    if f.group_id is not None:
        query = query.where(Household.group == f.group_id)
    if f.household_id is not None:
        query = query.where(Villager.household == f.household_id)
    if f.gender is not None:
        query = query.where(Villager.gender == f.gender)
    if f.party_member is not None:
        query = query.where(Villager.party_member == f.party_member)
    if f.representative is not None:
        query = query.where(Villager.representative == f.representative)
    needle = f.text.strip()
    if needle:
        like = f"%{needle}%"
        query = query.where(
            Villager.name.contains(needle)
            | Villager.id_number.contains(needle.upper())
            | Villager.phone.contains(needle)
            | (Household.number**like)
        )
    return _villager_rows(query)


def get_villager(actor: Actor, villager_id: int) -> VillagerRow:
    village_id = Villager.select(Villager.village).where(Villager.id == villager_id).scalar()
    if village_id is None:
        raise NotFound(N_("That villager does not exist."))
    _village_of(actor, village_id)
    query = Villager.select(*_VILLAGER_COLUMNS).join(Household).join(VillagerGroup)
    return _villager_rows(query.where(Villager.id == villager_id))[0]


def _check_unique_person(vid: int, data: rules.VillagerInput, except_id: int | None) -> None:
    if data.id_number:
        query = Villager.select().where((Villager.village == vid) & (Villager.id_number == data.id_number))
        if except_id is not None:
            query = query.where(Villager.id != except_id)
        other = query.first()
        if other is not None:
            raise ValidationError(
                N_("{name} already has the ID-card number {number}."),
                field="id_number", name=other.name, number=data.id_number,
            )  # fmt: skip
    twin = Villager.select().where(
        (Villager.household == data.household_id)
        & (Villager.name == data.name)
        & (Villager.birth_date == data.birth_date)
    )
    if except_id is not None:
        twin = twin.where(Villager.id != except_id)
    if twin.exists():
        raise ValidationError(
            N_("{name}, born {date}, is already in this household."),
            field="name", name=data.name, date=data.birth_date.isoformat() if data.birth_date else "",
        )  # fmt: skip


def _check_head(household_id: int, relation: str, except_id: int | None) -> None:
    if relation != rules.HEAD:
        return
    query = Villager.select().where((Villager.household == household_id) & (Villager.relation == rules.HEAD))
    if except_id is not None:
        query = query.where(Villager.id != except_id)
    head = query.first()
    if head is not None:
        raise ValidationError(
            N_("This household already has a head: {name}."), field="relation", name=head.name
        )


def _villager(vid: int, villager_id: int) -> Villager:
    row = Villager.get_or_none((Villager.id == villager_id) & (Villager.village == vid))
    if row is None:
        raise NotFound(N_("That villager does not exist."))
    return row


# The (table, column) pairs that refer to a villager, read once per database from its own foreign keys:
# other rooms' records (a council seat, a meeting's chair…) whose models this room does not import,
# and which may not have been loaded at all when the roster asks.
_REFERENCES: dict[int, tuple[tuple[str, str], ...]] = {}


def _references() -> tuple[tuple[str, str], ...]:
    db = database.obj
    found = _REFERENCES.get(id(db))
    if found is None:
        found = tuple(sorted({
            (table, fk.column)
            for table in db.get_tables()
            for fk in db.get_foreign_keys(table)
            if fk.dest_table == Villager._meta.table_name and table != Villager._meta.table_name
        }))  # fmt: skip
        _REFERENCES[id(db)] = found
    return found


def _named_in(villager_id: int) -> frozenset[str]:
    """The tables of other records that name this villager."""
    named = set()
    for table, column in _references():
        if table in named:
            continue
        sql = f'SELECT 1 FROM "{table}" WHERE "{column}" = {database.param} LIMIT 1'
        if database.execute_sql(sql, (villager_id,)).fetchone() is not None:
            named.add(table)
    return frozenset(named)


def _villager_facts(villager: Villager) -> rules.VillagerFacts:
    members = Villager.select().where(Villager.household == villager.household_id).count()
    household = Household.get_by_id(villager.household_id)
    return rules.VillagerFacts(
        villager.name, villager.relation == rules.HEAD, household.number, members - 1,
        _named_in(villager.id),
    )  # fmt: skip


def villager_actions(actor: Actor, villager_id: int) -> Allowed:
    """What this user may do to one villager now, and why not (the room's buttons)."""
    vid = _village_of(actor, None)
    return rules.villager_actions(actor.role, _villager_facts(_villager(vid, villager_id)))


def _apply(villager: Villager, data: rules.VillagerInput) -> None:
    villager.household = data.household_id
    villager.relation = data.relation
    villager.name = data.name
    villager.gender = data.gender
    villager.birth_date = data.birth_date
    villager.id_number = data.id_number
    villager.phone = data.phone
    villager.party_member = data.party_member
    villager.representative = data.representative
    villager.representative_term_start = data.representative_term_start
    villager.representative_term_end = data.representative_term_end
    villager.notes = data.notes


def add_villager(actor: Actor, data: rules.VillagerInput, today: date | None = None) -> VillagerRow:
    vid = _room_village(actor, rules.ADD_VILLAGER)
    clean = rules.check_villager(data, today or clock.today())
    with translated_errors(), transaction():
        _household(vid, clean.household_id)
        _check_unique_person(vid, clean, None)
        _check_head(clean.household_id, clean.relation, None)
        villager = Villager(village=vid)
        _apply(villager, clean)
        audit.record_create(actor, villager)
    return get_villager(actor, villager.id)


def update_villager(
    actor: Actor, villager_id: int, data: rules.VillagerInput, today: date | None = None
) -> VillagerRow:
    vid = _writable_village(actor)
    clean = rules.check_villager(data, today or clock.today())
    with translated_errors(), transaction():
        villager = _villager(vid, villager_id)
        rules.villager_actions(actor.role, _villager_facts(villager)).require(rules.EDIT_VILLAGER)
        _household(vid, clean.household_id)
        _check_unique_person(vid, clean, villager_id)
        _check_head(clean.household_id, clean.relation, villager_id)
        before = audit.snapshot(villager)
        _apply(villager, clean)
        audit.record_update(actor, villager, before)
    return get_villager(actor, villager_id)


def delete_villager(actor: Actor, villager_id: int) -> None:
    """Remove someone entered by mistake; the audit log keeps what was removed."""
    vid = _writable_village(actor)
    with translated_errors(), transaction():
        villager = _villager(vid, villager_id)
        rules.villager_actions(actor.role, _villager_facts(villager)).require(rules.DELETE_VILLAGER)
        audit.record_delete(actor, villager)


def counts(actor: Actor, village_id: int | None = None) -> dict[str, int]:
    vid = _village_of(actor, village_id)
    # The representatives by gender in one query (the room counts them at every refresh, start-up too).
    by_gender = dict(
        Villager.select(Villager.gender, peewee.fn.COUNT(Villager.id))
        .where((Villager.village == vid) & (Villager.representative == True))  # noqa: E712
        .group_by(Villager.gender)
        .tuples()
    )
    return {
        "groups": VillagerGroup.select().where(VillagerGroup.village == vid).count(),
        "households": Household.select().where(Household.village == vid).count(),
        "villagers": Villager.select().where(Villager.village == vid).count(),
        "representatives": sum(by_gender.values()),
        "women_representatives": by_gender.get(rules.FEMALE, 0),
    }


# --- import ------------------------------------------------------------------------------
#
# Two calls, for the GUI and the command line alike:
#   preview = preview_import(actor, path)   reads and checks the file, writes nothing
#   apply_import(actor, preview)            after the clerk confirmed what the preview shows
# The preview lists the rows refused (`problems`, each with its row, column and reason) beside what
# the import will create (`new_groups`, `new_households`, and `rows`, the villagers). A file imports
# whole or not at all: `apply_import` refuses while any row is refused, and refuses a file that changed
# after its preview was shown (`digest`), so what is written is what the clerk saw.


_FIELD_COLUMN = {
    "name": "name", "gender": "gender", "birth_date": "birth_date", "id_number": "id_number",
    "phone": "phone", "relation": "relation", "representative_term_start": "term_start",
    "representative_term_end": "term_end", "notes": "notes", "address": "address",
}  # fmt: skip


def _column(key: str) -> str:
    return HEADERS_ZH.get(key, "") if key else ""


def _parse_row(raw: RawRow, today: date) -> tuple[ImportRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def bad(key: str, msgid: str, **params: object) -> None:
        problems.append(RowProblem(raw.number, _column(key), message(msgid, params)))

    if raw.garbled:
        bad(
            "",
            N_(
                "The row holds unreadable characters: the file's encoding is wrong. Save it as UTF-8 or "
                "as an Excel workbook and try again."
            ),
        )
        return None, problems
    text = {k: str(v).strip() for k, v in raw.values.items()}
    for key, value in text.items():
        if len(value) > MAX_CELL:
            bad(key, N_("{column} holds {n} characters, more than {max}."), column=_column(key),
                n=len(value), max=MAX_CELL)  # fmt: skip
    if problems:
        return None, problems
    for key in ("group", "household", "relation", "name"):
        if not text.get(key):
            bad(key, N_("{column} is empty."), column=_column(key))
    relation = rules.parse_relation(text.get("relation", "")) if text.get("relation") else None
    if text.get("relation") and relation is None:
        bad("relation", N_("Unknown relation to the head of household: {value}"), value=text["relation"])
    gender = None
    if text.get("gender"):
        gender = rules.parse_gender(text["gender"])
        if gender is None:
            bad("gender", N_("Unknown gender: {value}"), value=text["gender"])
    dates: dict[str, date | None] = {}
    for key in ("birth_date", "term_start", "term_end"):
        dates[key] = None
        if key in raw.values:
            try:
                dates[key] = rules.parse_date(raw.values[key])
            except ValidationError as exc:
                problems.append(RowProblem(raw.number, _column(key), exc.message()))
                continue
            if dates[key] is None:
                bad(key, N_("Cannot read the date {value}; write it as 1980-03-07."), value=text[key])
    flags: dict[str, bool] = {}
    for key in ("party_member", "representative"):
        value = rules.parse_flag(text.get(key, ""))
        if value is None:
            bad(key, N_("Write 是 or 否, not {value}."), value=text[key])
        flags[key] = bool(value)
    if problems:
        return None, problems
    data = rules.VillagerInput(
        name=text["name"], household_id=0, relation=relation or "", gender=gender,
        birth_date=dates["birth_date"], id_number=text.get("id_number"), phone=text.get("phone", ""),
        party_member=flags["party_member"], representative=flags["representative"],
        representative_term_start=dates["term_start"], representative_term_end=dates["term_end"],
        notes=text.get("notes", ""),
    )  # fmt: skip
    try:
        clean = rules.check_villager(data, today)
        address = rules.check_address(text.get("address", ""))
    except ValidationError as exc:
        problems.append(
            RowProblem(raw.number, _column(_FIELD_COLUMN.get(exc.field or "", "")), exc.message())
        )
        return None, problems
    return ImportRow(raw.number, text["group"], text["household"], address, clean), problems


def _check_rows(vid: int, preview: ImportPreview, parsed: list[ImportRow]) -> None:
    groups = {g.name: g.id for g in VillagerGroup.select().where(VillagerGroup.village == vid)}
    households = {h.number: h for h in Household.select().where(Household.village == vid)}
    known_ids = dict(
        Villager.select(Villager.id_number, Villager.name)
        .where((Villager.village == vid) & Villager.id_number.is_null(False))
        .tuples()
    )
    heads = {
        h for (h,) in Villager.select(Villager.household).where(
            (Villager.village == vid) & (Villager.relation == rules.HEAD)).tuples()
    }  # fmt: skip
    known_people = set(
        Villager.select(Villager.household, Villager.name, Villager.birth_date)
        .where(Villager.village == vid)
        .tuples()
    )
    id_rows: dict[str, int] = {}
    person_rows: dict[tuple[str, str, date | None], int] = {}
    new_groups: dict[str, int] = {}  # name → first row
    bad_groups: set[str] = set()
    new_households: dict[str, ImportRow] = {}  # number → its first row
    head_rows: Counter[str] = Counter()
    head_names: dict[str, str] = {}
    accepted: list[ImportRow] = []

    def bad(item: ImportRow, key: str, msgid: str, **params: object) -> None:
        preview.problems.append(RowProblem(item.row, _column(key), message(msgid, params)))

    for row in parsed:
        v = row.villager
        if row.group not in groups and row.group not in new_groups:
            if row.group in bad_groups:
                continue  # said once, on its first row
            try:
                rules.check_group_name(row.group)
            except ValidationError as exc:
                bad_groups.add(row.group)
                preview.problems.append(RowProblem(row.row, _column("group"), exc.message()))
                continue
            new_groups[row.group] = row.row
        existing = households.get(row.household)
        if existing is not None and existing.group_id != groups.get(row.group):
            bad(
                row,
                "group",
                N_("Household {number} belongs to another group in the roster."),
                number=row.household,
            )
        if existing is None:
            first = new_households.setdefault(row.household, row)
            if first.group != row.group:
                bad(
                    row,
                    "group",
                    N_("Household {number} is given another group in row {row}."),
                    number=row.household,
                    row=first.row,
                )
            elif first is row:
                try:
                    rules.check_household_number(row.household)
                except ValidationError as exc:
                    preview.problems.append(RowProblem(row.row, _column("household"), exc.message()))
        if v.id_number:
            if v.id_number in known_ids:
                bad(
                    row,
                    "id_number",
                    N_("Duplicate person: {name} already has the ID-card number {number}."),
                    name=known_ids[v.id_number],
                    number=v.id_number,
                )
            elif v.id_number in id_rows:
                bad(
                    row,
                    "id_number",
                    N_("Duplicate person: the ID-card number {number} is also in row {row}."),
                    number=v.id_number,
                    row=id_rows[v.id_number],
                )
            else:
                id_rows[v.id_number] = row.row
        person = (row.household, v.name, v.birth_date)
        if existing is not None and (existing.id, v.name, v.birth_date) in known_people:
            bad(
                row,
                "name",
                N_("Duplicate person: {name} is already in household {number}."),
                name=v.name,
                number=row.household,
            )
        elif person in person_rows:
            bad(
                row,
                "name",
                N_("Duplicate person: {name} is also in row {row}."),
                name=v.name,
                row=person_rows[person],
            )
        else:
            person_rows[person] = row.row
        if v.relation == rules.HEAD:
            head_rows[row.household] += 1
            head_names.setdefault(row.household, v.name)
            if (existing is not None and existing.id in heads) or head_rows[row.household] > 1:
                bad(row, "relation", N_("Household {number} already has a head."), number=row.household)
        accepted.append(row)
    for number, first in new_households.items():
        if head_rows[number] == 0:
            preview.problems.append(
                RowProblem(
                    first.row,
                    _column("relation"),
                    message(N_("The new household {number} has no head of household."), {"number": number}),
                )
            )
    members = Counter(row.household for row in accepted)
    preview.new_households = [
        NewHousehold(
            number, first.group, first.address, head_names.get(number, ""), first.row, members[number]
        )
        for number, first in new_households.items()
    ]
    preview.new_groups = [
        NewGroup(
            name,
            first_row,
            sum(1 for h in preview.new_households if h.group == name),
            sum(1 for row in accepted if row.group == name),
        )
        for name, first_row in new_groups.items()
    ]
    preview.problems.sort(key=lambda p: p.row)
    preview.rows = accepted


# How a long import reports: (rows done, rows in all, what it is doing), as ui/ops' Progress takes it.
Report = Callable[[int, int, str], object]
REPORT_EVERY = 200  # rows between two reports (and two looks at whether the clerk cancelled)


def _step(done: int, total: int, what: str, progress: Report | None, cancel: threading.Event | None) -> None:
    if done % REPORT_EVERY:
        return
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    if progress is not None:
        progress(done, total, what)


def preview_import(
    actor: Actor,
    path: Path,
    today: date | None = None,
    *,
    progress: Report | None = None,
    cancel: threading.Event | None = None,
) -> ImportPreview:
    """Read and check a roster file; writes nothing (see the notes under "import" above).

    Raises ValidationError when the file as a whole cannot be read (not a roster, too big, a folder,
    unreadable, no header); a row that cannot be imported is a `RowProblem` of the preview. `cancel`
    set: raises Cancelled.
    """
    vid = _room_village(actor, rules.IMPORT)
    path = Path(path)
    raws = read_roster(path)
    preview = ImportPreview(path, digest=file_digest(path))
    parsed: list[ImportRow] = []
    checking = _("Checking the rows…")
    for done, raw in enumerate(raws):
        _step(done, len(raws), checking, progress, cancel)
        row, problems = _parse_row(raw, today or clock.today())
        preview.problems.extend(problems)
        if row is not None:
            parsed.append(row)
    _check_rows(vid, preview, parsed)
    if not preview.rows and not preview.problems:
        preview.problems.append(RowProblem(0, "", _("The file has no villagers in it.")))
    return preview


def apply_import(
    actor: Actor,
    source: ImportPreview | Path,
    today: date | None = None,
    *,
    progress: Report | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Import all rows or none: the file is read and checked again inside the transaction.

    Given the preview the clerk confirmed, it refuses a file that changed after that preview. `cancel`
    set while it runs: raises Cancelled, and the transaction leaves nothing written.
    """
    vid = _room_village(actor, rules.IMPORT)
    path = source.file if isinstance(source, ImportPreview) else Path(source)
    with translated_errors(), transaction():
        preview = preview_import(actor, path, today, progress=progress, cancel=cancel)
        if isinstance(source, ImportPreview) and preview.digest != source.digest:
            raise ValidationError(
                N_("{file} changed after it was checked; nothing was imported. Check it again."),
                file=path.name,
            )
        if not preview.ok:
            first = preview.problems[0]
            raise ValidationError(
                N_("Nothing was imported: {count} rows have problems (first: row {row}, {message})."),
                count=preview.refused_rows, row=first.row, message=first.message,
            )  # fmt: skip
        groups = {g.name: g.id for g in VillagerGroup.select().where(VillagerGroup.village == vid)}
        order = (VillagerGroup.select(peewee.fn.MAX(VillagerGroup.sort_order))
                 .where(VillagerGroup.village == vid).scalar() or 0)  # fmt: skip
        for new in preview.new_groups:
            order += 1
            group = VillagerGroup(village=vid, name=new.name, sort_order=order)
            audit.record_create(actor, group, action="import")
            groups[new.name] = group.id
        households = {h.number: h.id for h in Household.select().where(Household.village == vid)}
        for new_household in preview.new_households:
            household = Household(
                village=vid,
                group=groups[new_household.group],
                number=new_household.number,
                address=new_household.address,
            )
            audit.record_create(actor, household, action="import")
            households[new_household.number] = household.id
        writing = _("Writing the villagers…")
        for done, row in enumerate(preview.rows):
            _step(done, len(preview.rows), writing, progress, cancel)
            villager = Villager(village=vid)
            _apply(villager, replace(row.villager, household_id=households[row.household]))
            audit.record_create(actor, villager, action="import")
        _step(0, 0, "", None, cancel)  # a cancel during the last rows still leaves nothing
    return ImportResult(len(preview.new_households), len(preview.rows), len(preview.new_groups))


# --- export ------------------------------------------------------------------------------


def export_xlsx(actor: Actor, path: Path, filters: VillagerFilter | None = None) -> int:
    """Write the (filtered) roster as an Excel workbook the import reads back; returns rows written."""
    from villagegov.core.files import atomic_path
    from villagegov.roster.export import write_roster

    rows = list_villagers(actor, filters)
    households = {h.id: h for h in list_households(actor)}
    with atomic_path(Path(path)) as tmp:
        write_roster(tmp, rows, households)
    return len(rows)
