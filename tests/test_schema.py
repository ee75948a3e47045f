"""The schema as a whole: the frozen migrations make today's schema, and old villages upgrade intact.

Schemas are read from the database's own catalogue (tests/schema_snapshot.py), never from models.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import peewee
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import schema_snapshot
from tests.conftest import PG_URL, _reset_postgres
from villagegov import migrations, schema
from villagegov.core import audit, maintenance
from villagegov.core.db import Migration, bind, make_database, migrate, schema_version
from villagegov.migrations import notices_short_words, steps

LATEST = len(schema.MIGRATIONS)


# --- the migrations themselves --------------------------------------------------------------------


def test_no_two_models_share_a_table() -> None:
    """Two rooms with a `Supervision` once shared one table: the second room's rows had no column."""
    tables: dict[str, str] = {}
    for model in schema_snapshot.todays_models():
        name = model._meta.table_name
        where = f"{model.__module__}.{model.__name__}"
        assert name not in tables, f"{where} and {tables[name]} both use the table {name}"
        tables[name] = where


def test_migrations_are_numbered_one_to_n_without_gaps() -> None:
    """A database remembers only its last migration: a gap filled later would never be applied (main
    had such a gap for 26 minutes; version 10 repairs what it left)."""
    assert [m.version for m in schema.MIGRATIONS] == list(range(1, LATEST + 1))
    assert [m.VERSION for m in migrations.MODULES] == list(range(1, LATEST + 1))  # listed in order


_ALLOWED_IMPORTS = ("__future__", "collections.abc", "peewee", "types", "typing", "villagegov.migrations")
# Version 11's data step enters facts into the audit chain through the chain's own writer (an entry must
# hash as the chain does) and seals a township's packages with the archive's own digest; it imports
# them only where the database already holds users or packages (a new one loads neither, tested below).
_DATA_STEP_IMPORTS = {"checks.py": ("villagegov.core.audit", "villagegov.core.db", "villagegov.archive.seal")}


def test_no_migration_imports_a_model_a_service_or_another_room() -> None:
    """What version N makes must never depend on what the rooms' code says today."""
    folder = Path(migrations.__file__).parent
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                allowed = (
                    name.startswith(_ALLOWED_IMPORTS)
                    or (path.name == "__init__.py" and name == "villagegov.core.db")
                    or name in _DATA_STEP_IMPORTS.get(path.name, ())
                )
                assert allowed, f"{path.name} imports {name}"


def test_migrating_a_new_database_loads_no_rooms_code(tmp_path: Path) -> None:
    """Checked in a fresh interpreter: every migration applied, and no room's module (nor the audit
    module, whose guards the first migration copies) was imported on the way."""
    program = (
        "import sys, peewee\n"
        "from villagegov.core.db import migrate\n"
        "from villagegov.migrations import MIGRATIONS\n"
        f"db = peewee.SqliteDatabase({str(tmp_path / 'v.sqlite3')!r})\n"
        "print(migrate(db, MIGRATIONS))\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('villagegov.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == str(LATEST)
    loaded = set(out[1].split())
    assert {m for m in loaded if not m.startswith("villagegov.migrations")} <= {
        "villagegov.core",
        "villagegov.core.db",
        "villagegov.core.drivers",
        "villagegov.core.errors",
        "villagegov.core.files",  # the database file made private before SQLite makes it (core/db.py)
        "villagegov.core.i18n",
    }


@given(st.text(), st.text())
def test_migration_8_splits_text_as_the_notices_service_does(title: str, body: str) -> None:
    """SQLite's contentless index deletes a notice by the tokens it was given: the words migration 8
    indexed must be the words the service takes out. A change to the service's splitting needs a
    migration of its own that indexes every notice again."""
    from villagegov.notices import service

    assert notices_short_words._grams(title, body) == service.search_grams(title, body)


# --- engines ----------------------------------------------------------------------------------------


@dataclass
class Engine:
    name: str
    target: str | Path

    def empty(self) -> peewee.Database:
        """A new, empty database (the one PostgreSQL test database, emptied), not yet migrated."""
        if self.name == "postgres":
            assert PG_URL
            _reset_postgres(PG_URL)
        else:
            Path(self.target).unlink(missing_ok=True)
        db = make_database(self.target)
        bind(db)  # as open_store does: the machinery's own table is a model
        db.connect()
        return db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
        yield Engine("postgres", PG_URL)
    else:
        yield Engine("sqlite", tmp_path / "village.sqlite3")


@cache
def _fresh_schema(engine_name: str, target: str) -> schema_snapshot.Schema:
    """Today's schema made from today's models (and the SQL objects beside them), not by migrating."""
    db = Engine(engine_name, target).empty()
    try:
        with db.atomic():
            schema_snapshot.build_from_models(db)
        return schema_snapshot.describe(db)
    finally:
        db.close()


def fresh_schema(engine: Engine, tmp_path: Path) -> schema_snapshot.Schema:
    target = str(engine.target) if engine.name == "postgres" else str(tmp_path.parent / "fresh.sqlite3")
    return _fresh_schema(engine.name, target)


def _migrated(engine: Engine) -> schema_snapshot.Schema:
    db = schema.open_store(engine.target)
    try:
        assert schema_version(db) == LATEST
        return schema_snapshot.describe(db)
    finally:
        schema.close_store(db)


def _assert_same(found: schema_snapshot.Schema, expected: schema_snapshot.Schema, what: str) -> None:
    lines = schema_snapshot.differences(found, expected)
    assert not lines, f"{what} differs:\n" + "\n".join(lines)


def test_every_migration_from_the_first_makes_todays_models(engine: Engine, tmp_path: Path) -> None:
    """Tables, columns (types, NULL, defaults), indexes (unique, columns), foreign keys, triggers (and
    PostgreSQL's functions and extensions) equal a database made from today's models at once."""
    fresh = fresh_schema(engine, tmp_path)
    engine.empty().close()
    _assert_same(_migrated(engine), fresh, "the migrated schema (first) and today's models' (second)")


def test_every_migration_from_the_first_makes_the_committed_snapshot(engine: Engine) -> None:
    """After a new migration: python -m tests.schema_snapshot --write, and commit tests/schema/."""
    engine.empty().close()
    _assert_same(
        _migrated(engine),
        schema_snapshot.read_snapshot(engine.name),
        f"the migrated schema (first) and tests/schema/{engine.name}.json (second)",
    )


# --- old villages -------------------------------------------------------------------------------------
#
# A database is made at an earlier version, filled by plain SQL with rows in every table it has (as
# that program would have written them, with an audit entry for each audited row), then opened as the
# program opens it today.


def _model_columns() -> dict[str, dict[str, peewee.Field]]:
    return {m._meta.table_name: dict(m._meta.columns) for m in schema_snapshot.todays_models()}


def _audited() -> dict[str, type[peewee.Model]]:
    return {m._meta.table_name: m for m in schema.audited_models()}


def _columns(db: peewee.Database, table: str) -> list[tuple[str, str, bool]]:
    """(name, type, nullable) in the table's order, from the catalogue."""
    if isinstance(db, peewee.PostgresqlDatabase):
        sql = (
            "SELECT column_name, data_type, character_maximum_length, is_nullable = 'YES' "
            "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s "
            "ORDER BY ordinal_position"
        )
        rows = db.execute_sql(sql, (table,)).fetchall()
        return [(n, f"{t}({size})" if size else t, nullable) for n, t, size, nullable in rows]
    rows = db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
    return [(n, t.lower(), not notnull) for _cid, n, t, notnull, _d, _pk in rows]


def _foreign_keys(db: peewee.Database, table: str) -> dict[str, str]:
    """column -> the table it refers to."""
    if isinstance(db, peewee.PostgresqlDatabase):
        sql = (
            "SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
            "WHERE c.contype = 'f' AND c.conrelid = %s::regclass"
        )
        return {col: parent.strip('"') for col, parent in db.execute_sql(sql, (f'"{table}"',)).fetchall()}
    rows = db.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall()
    return {row[3]: row[2] for row in rows}


def _plain_tables(db: peewee.Database) -> list[str]:
    """The tables a room writes rows into (not the machinery's, not the search indexes)."""
    described = schema_snapshot.describe(db)
    skip = {"schema_version", "audit_entry", "notice_grams"}
    return [t for t in described["tables"] if t not in skip]


def _in_order(db: peewee.Database, tables: list[str]) -> list[str]:
    """Parents before children."""
    parents = {t: set(_foreign_keys(db, t).values()) - {t} for t in tables}
    done: list[str] = []
    while len(done) < len(tables):
        ready = [t for t in tables if t not in done and parents[t] <= set(done)]
        assert ready, f"foreign keys in a circle among {set(tables) - set(done)}"
        done.extend(sorted(ready))
    return done


@dataclass
class Village:
    """What was written: every row by table, as read back by plain SQL right after writing."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notice_titles: dict[int, str] = field(default_factory=dict)
    entries: int = 0  # the audit entries written
    version: int = 0  # the schema version it was made at


def _value(kind: peewee.Field | None, sql_type: str, table: str, column: str, i: int, k: int) -> Any:
    """A value for the i-th row's k-th column, different in each row (so unique indexes hold)."""
    if isinstance(kind, peewee.BooleanField) or sql_type == "boolean":
        return (i + k) % 2 == 0
    if isinstance(kind, peewee.DateTimeField) or sql_type.startswith(("datetime", "timestamp")):
        return datetime(2025, i, k % 27 + 1, 8, 30, 15)
    if isinstance(kind, peewee.DateField) or sql_type == "date":
        return date(2025, i, k % 27 + 1)
    if isinstance(kind, peewee.BlobField) or sql_type in ("blob", "bytea"):
        return bytes([i, k, 0, 255]) + "附件".encode()
    if isinstance(kind, peewee.BigIntegerField) or sql_type == "bigint":
        return 12_345_678_901 * i + k  # beyond 32 bits
    if isinstance(kind, peewee.IntegerField) or sql_type == "integer":
        return 100 * i + k
    size = re.search(r"\((\d+)\)", sql_type)
    text = f"{table}.{column} 第{i}行 青石村"
    return text[-int(size.group(1)) :] if size else text


def _to_sql(db: peewee.Database, value: Any) -> Any:
    """As peewee stores it: SQLite keeps booleans as 0/1 and dates as ISO text."""
    if isinstance(db, peewee.PostgresqlDatabase):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Chain:
    """The audit log written as the program writes it: one chain, each entry hashing the one before."""

    def __init__(self, db: peewee.Database) -> None:
        self.db, self.seq, self.prev = db, 0, audit.GENESIS

    def append(self, entity: str, entity_id: int, after: dict[str, Any]) -> None:
        self.seq += 1
        fields = {
            "chain": 1, "seq": self.seq, "at": f"2025-06-01T00:00:00.{self.seq:06d}+00:00",
            "actor": "wenshu", "actor_role": "clerk", "action": "create", "entity": entity,
            "entity_id": str(entity_id), "before": None, "after": audit.canonical(after),
            "prev_hash": self.prev,
        }  # fmt: skip
        digest = hashlib.sha256(audit.canonical(fields).encode("utf-8")).hexdigest()
        names = ", ".join(f'"{name}"' for name in [*fields, "hash"])
        marks = ", ".join([self.db.param] * (len(fields) + 1))
        self.db.execute_sql(f"INSERT INTO audit_entry ({names}) VALUES ({marks})", (*fields.values(), digest))
        self.prev = digest


def _read_row(db: peewee.Database, table: str, row_id: int) -> dict[str, Any]:
    cursor = db.execute_sql(f'SELECT * FROM "{table}" WHERE id = {db.param}', (row_id,))
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None, f"{table} row {row_id} is gone"
    return {n: bytes(v) if isinstance(v, memoryview) else v for n, v in zip(names, row, strict=True)}


def fill(db: peewee.Database) -> Village:
    """Two rows in every table the database has, each audited row with its audit entry."""
    models, audited = _model_columns(), _audited()
    chain, village = _Chain(db), Village()
    committed = schema_version(db) >= COMMITMENTS
    ids: dict[str, list[int]] = {}
    for table in _in_order(db, _plain_tables(db)):
        refs = _foreign_keys(db, table)
        for i in (1, 2):
            values: dict[str, Any] = {}
            for k, (column, sql_type, nullable) in enumerate(_columns(db, table)):
                kind = models.get(table, {}).get(column)
                if column == "id":
                    continue
                if column in refs:
                    parent = ids.get(refs[column], [])
                    values[column] = (
                        parent[i - 1] if refs[column] != table else (parent[0] if parent else None)
                    )
                elif kind is None and nullable:
                    values[column] = None  # a column no model names today: the program wrote NULL
                else:
                    values[column] = _value(kind, sql_type, table, column, i, k)
            _consistent(values)
            names = ", ".join(f'"{c}"' for c in values)
            marks = ", ".join([db.param] * len(values))
            params = [_to_sql(db, v) for v in values.values()]
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            if isinstance(db, peewee.PostgresqlDatabase):
                row_id = db.execute_sql(sql + " RETURNING id", params).fetchone()[0]
            else:
                row_id = db.execute_sql(sql, params).lastrowid
            ids.setdefault(table, []).append(row_id)
            village.rows.setdefault(table, []).append(_read_row(db, table, row_id))
            if table == "notice":
                village.notice_titles[row_id] = values["title"]
                _index_short_words(db, row_id, values["title"], values["body"])
            if table in audited:
                state = _audited_state(audited[table], {"id": row_id, **values}, committed)
                chain.append(table, row_id, state)
    _seal_packages(db, chain, village, audited)
    village.entries = chain.seq
    return village


def _seal_packages(
    db: peewee.Database, chain: _Chain, village: Village, audited: dict[str, type[peewee.Model]]
) -> None:
    """From version 11 a township seals each package it imports with the digest of what it stored, as
    the program does once the package's records are in: here once every table is filled."""
    packages = village.rows.get("archive_package", [])
    if not packages or "content_seal" not in packages[0]:
        return
    from villagegov.archive import seal
    from villagegov.core.db import database

    previous = database.obj
    database.initialize(db)
    try:
        for i, row in enumerate(packages):
            content = seal.stored_seal(row["id"])
            db.execute_sql(
                f'UPDATE "archive_package" SET "content_seal" = {db.param} WHERE id = {db.param}',
                (content, row["id"]),
            )
            packages[i] = _read_row(db, "archive_package", row["id"])
            last = db.execute_sql(
                "SELECT after FROM audit_entry WHERE entity = 'archive_package' AND entity_id = "
                f"{db.param} ORDER BY seq DESC",
                (str(row["id"]),),
            ).fetchone()[0]
            chain.append("archive_package", row["id"], {**json.loads(last), "content_seal": content})
    finally:
        database.initialize(previous)


def _consistent(values: dict[str, Any]) -> None:
    """What `check` re-derives from a row agrees with the row, as the program writes it: an attachment's
    sha256 and size are its bytes', a signing key's public half is its private key's."""
    if isinstance(values.get("content"), bytes) and "sha256" in values:
        values["sha256"] = hashlib.sha256(values["content"]).hexdigest()
        if "size" in values:
            values["size"] = len(values["content"])
    if "private_key" in values and "public_key" in values:
        import base64

        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.generate()
        values["private_key"] = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")
        public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        values["public_key"] = base64.b64encode(public).decode("ascii")


def _audited_state(
    model: type[peewee.Model], values: dict[str, Any], committed: bool = False
) -> dict[str, Any]:
    """What `audit.snapshot` gave for the row then: the model's fields the table had (foreign keys by
    name, as ids), and a column the model has lost since, NULL, under its own name. `committed`: from
    version 11 a secret (a password hash) enters as its commitment."""
    hidden = set(getattr(model, "audit_exclude", ()))
    commit = set(getattr(model, "audit_commit", ())) if committed else set()
    by_column = {f.column_name: f.name for f in model._meta.sorted_fields}
    state = {by_column.get(column, column): value for column, value in values.items()}
    return {
        name: audit.commitment(v) if name in commit else audit.to_jsonable(v)
        for name, v in state.items()
        if name not in hidden
    }


def _index_short_words(db: peewee.Database, notice_id: int, title: str, body: str) -> None:
    """As the notices service writes its index of short words, from version 8 on."""
    if not steps.has_table(db, "notice_grams"):
        return
    codes = sorted(notices_short_words._grams(title, body))
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("INSERT INTO notice_grams (notice_id, grams) VALUES (%s, %s)", (notice_id, codes))
    else:
        tokens = " ".join(f"g{code:x}" for code in codes)
        db.execute_sql("INSERT INTO notice_grams (rowid, grams) VALUES (?, ?)", (notice_id, tokens))


def _found_by_short_word(db: peewee.Database, char: str) -> set[int]:
    code = ord(char.lower())
    if isinstance(db, peewee.PostgresqlDatabase):
        sql = "SELECT notice_id FROM notice_grams WHERE grams @> ARRAY[%s]::bigint[]"
        return {r[0] for r in db.execute_sql(sql, (code,)).fetchall()}
    sql = "SELECT rowid FROM notice_grams WHERE notice_grams MATCH ?"
    return {r[0] for r in db.execute_sql(sql, (f"g{code:x}",)).fetchall()}


COMMITMENTS = schema.COMMITMENTS_VERSION

# Columns an upgrade fills for the rows already there (version 11 seals a township's imported packages).
FILLED = {("archive_package", "content_seal")}


def assert_upgraded_intact(engine: Engine, village: Village, fresh: schema_snapshot.Schema) -> None:
    db = schema.open_store(engine.target)  # migrates to the latest version, as the program does
    try:
        assert schema_version(db) == LATEST
        for table, rows in village.rows.items():
            count = db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            assert count == len(rows), f"{table}: {count} rows, {len(rows)} written"
            for before in rows:
                after = _read_row(db, table, before["id"])
                kept = {c: v for c, v in after.items() if c in before}
                assert kept == {c: v for c, v in before.items() if c in after}, f"{table} {before['id']}"
                added = {c: v for c, v in after.items() if c not in before and (table, c) not in FILLED}
                assert all(v is None for v in added.values()), f"{table}: new columns {added}"
        for notice_id, title in village.notice_titles.items():
            assert notice_id in _found_by_short_word(db, title[-1]), "a notice's short words not indexed"
        for model in schema_snapshot.todays_models():
            list(model.select().tuples())  # every column today's models name is there
        report = maintenance.check(db)
        assert report.ok, "\n".join(report.lines())
        # Version 11 entered each user's password commitment into the log (one entry a user) and sealed
        # each package a township had imported (one entry a package), where the village came before it.
        commits = db.execute_sql("SELECT count(*) FROM audit_entry WHERE action = 'commit_password'")
        seals = db.execute_sql("SELECT count(*) FROM audit_entry WHERE action = 'seal_content'")
        added = commits.fetchone()[0] + seals.fetchone()[0]
        if village.version < COMMITMENTS:
            assert added == len(village.rows.get("user", [])) + len(village.rows.get("archive_package", []))
        else:
            assert added == 0
        assert report.entries == village.entries + added
        _assert_same(schema_snapshot.describe(db), fresh, "the upgraded schema (first) and today's (second)")
    finally:
        schema.close_store(db)


@pytest.mark.parametrize("version", range(1, LATEST))
def test_a_village_made_at_an_earlier_version_upgrades_without_loss(
    engine: Engine, tmp_path: Path, version: int
) -> None:
    fresh = fresh_schema(engine, tmp_path)
    db = engine.empty()
    assert migrate(db, schema.MIGRATIONS[:version]) == version
    with db.atomic():
        village = fill(db)
    village.version = schema_version(db)
    db.close()
    assert {"village", "villager_group", "household", "villager", "user"} <= set(village.rows)
    assert_upgraded_intact(engine, village, fresh)


def test_a_value_set_behind_the_apps_back_in_a_column_added_later_is_named(
    engine: Engine, tmp_path: Path
) -> None:
    """`check` reads a column that came after a row's audit entry as NULL: NULL passes, 5 does not."""
    db = engine.empty()
    migrate(db, schema.MIGRATIONS[:8])
    with db.atomic():
        fill(db)
    db.close()
    db = schema.open_store(engine.target)
    try:
        assert maintenance.check(db).ok
        db.execute_sql("UPDATE ceremony_caps SET report_days = 5 WHERE id = 2")
        report = maintenance.check(db)
        assert [p.msgid for p in report.problems] == ["differs from its last audited state ({entry})"]
        assert report.problems[0].where == maintenance.record_label("ceremony_caps", 2)
    finally:
        schema.close_store(db)


# Main's numbering gap (see migrations/model_drift.py): the versions a database made then had.
GAP = {
    "2914d83 (archive merged)": (1, 2, 3, 4, 7),
    "cee1856 (ceremonies merged)": (1, 2, 3, 4, 5, 7),
    "3967ad1 (notices merged)": (1, 2, 3, 4, 5, 7, 8),
}


@pytest.mark.parametrize("made_at", list(GAP))
def test_a_village_made_in_the_numbering_gap_gets_the_tables_it_missed(
    engine: Engine, tmp_path: Path, made_at: str
) -> None:
    fresh = fresh_schema(engine, tmp_path)
    db = engine.empty()
    for version in GAP[made_at]:
        migrate(db, [schema.MIGRATIONS[version - 1]])
    assert schema_version(db) == GAP[made_at][-1]
    with db.atomic():
        village = fill(db)
    village.version = schema_version(db)
    db.close()
    assert_upgraded_intact(engine, village, fresh)


def _earlier_program() -> dict[int, Callable[[peewee.Database], None]]:
    """What each version did before the migrations were frozen: tables from the models of the day
    (today's, for a program of today), the SQL objects beside them."""
    from villagegov.accounts.models import User
    from villagegov.archive import models as archive
    from villagegov.ceremonies import models as ceremonies
    from villagegov.council import models as council
    from villagegov.decisions import models as decisions
    from villagegov.notices import models as notices
    from villagegov.petitions import models as petitions
    from villagegov.roster.models import Household, Village, Villager, VillagerGroup

    def tables(
        *models: type[peewee.Model], sqlite: tuple[str, ...] = (), postgres: tuple[str, ...] = ()
    ) -> Callable[[peewee.Database], None]:
        def apply(db: peewee.Database) -> None:
            with db.bind_ctx(models):
                db.create_tables(models)
            for sql in postgres if isinstance(db, peewee.PostgresqlDatabase) else sqlite:
                db.execute_sql(sql)

        return apply

    return {
        1: tables(audit.AuditEntry, Village, VillagerGroup, Household, Villager, User,
                  sqlite=audit.SQLITE_TRIGGERS, postgres=audit.POSTGRES_TRIGGERS),
        2: tables(*notices.MODELS, sqlite=notices.SEARCH_SQLITE, postgres=notices.SEARCH_POSTGRES),
        3: tables(*council.MODELS),
        4: tables(*decisions.MODELS),
        5: tables(*ceremonies.MODELS),
        6: tables(*petitions.MODELS),
        # (content_seal came with version 11: the program before had no such column)
        7: tables(*archive.MODELS, sqlite=(*archive.SQLITE_GUARDS, _NO_SEAL), postgres=(
            *archive.POSTGRES_GUARDS, _NO_SEAL)),
        8: tables(*notices.MODELS_8, sqlite=notices.GRAMS_SQLITE, postgres=notices.GRAMS_POSTGRES),
        9: tables(),  # the column was there already
    }  # fmt: skip


_NO_SEAL = 'ALTER TABLE "archive_package" DROP COLUMN "content_seal"'


# Where the earlier program's shape differs from the frozen migrations': version 3 without
# agenda_item.decision_step, 4 with decision_step.notice_created_at, 8 with ceremony_caps.report_days
# (version 9 finds it there), 9 as every village's database is today.
@pytest.mark.parametrize("version", [3, 4, 8, 9])
def test_a_village_the_earlier_program_made_upgrades_without_loss(
    engine: Engine, tmp_path: Path, version: int
) -> None:
    """The program before this one built each version's tables from its models of the day; one of
    today (or one that stopped half-way, a later migration having failed) gave them today's shape."""
    fresh = fresh_schema(engine, tmp_path)
    db = engine.empty()
    earlier = _earlier_program()
    migrate(db, [Migration(v, f"the earlier {v}", earlier[v]) for v in range(1, version + 1)])
    with db.atomic():
        village = fill(db)
    village.version = schema_version(db)
    db.close()
    assert_upgraded_intact(engine, village, fresh)


def test_a_database_from_before_the_report_days_gets_them_empty(any_store: peewee.Database) -> None:
    """Version 9 adds the ceremonies' report_days to a database made before it (on both engines); its
    standards' versions then set no such rule (NULL), as they were adopted."""
    from villagegov.ceremonies.models import CeremonyCaps

    db = any_store
    table = CeremonyCaps._meta.table_name
    db.execute_sql(f"ALTER TABLE {table} DROP COLUMN report_days")  # as version 8 made it
    db.execute_sql("DELETE FROM schema_version WHERE version >= 9")
    assert "report_days" not in {c.name for c in db.get_columns(table)}
    assert schema.migrate(db, schema.MIGRATIONS) == LATEST
    assert "report_days" in {c.name for c in db.get_columns(table)}
    assert schema_version(db) == LATEST


def test_a_database_from_before_the_paper_settings_gets_their_table(any_store: peewee.Database) -> None:
    """Version 12 adds the village's choice for papers kept on file, on both engines: no row, the
    default (masked), and a row written later is audited like every setting."""
    from tests.conftest import set_up_village
    from villagegov.notices import service as notices
    from villagegov.notices.models import PaperSettings

    db = any_store
    db.execute_sql("DROP TABLE paper_settings")  # as version 11 left it
    db.execute_sql("DELETE FROM schema_version WHERE version >= 12")
    assert "paper_settings" not in db.get_tables()
    assert schema.migrate(db, schema.MIGRATIONS) == LATEST
    assert "paper_settings" in db.get_tables()
    clerk = set_up_village()
    assert notices.masking(clerk).on_file and PaperSettings.select().count() == 0
    notices.update_notice_settings(clerk, notices.NoticeSettingsData(mask_on_file=False))
    assert not notices.masking(clerk).on_file
