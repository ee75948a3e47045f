"""The schema as the database's own catalogue tells it, and the snapshots committed beside the tests.

Read from sqlite_master and PRAGMAs (SQLite) or pg_catalog (PostgreSQL), never from peewee's models:
what a migration made is compared with what today's models make, not with the models themselves.

A table's columns are compared by name, not by place: ALTER TABLE ADD COLUMN puts a column last on
both engines, and nothing in villagegov reads a column by its position.

After a change to the schema (a new migration), write the snapshots again and commit them::

    python -m tests.schema_snapshot --write            # SQLite; PostgreSQL too with VILLAGEGOV_TEST_PG

`python -m tests.schema_snapshot` alone prints the differences, if any, and exits 1 when there are.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import peewee

SNAPSHOTS = Path(__file__).parent / "schema"

Schema = dict[str, Any]


def _squeeze(sql: str) -> str:
    """SQL text with runs of white space made one space (the catalogue keeps the text as written)."""
    return re.sub(r"\s+", " ", sql).strip()


def describe(db: peewee.Database) -> Schema:
    """Every table, column, index, foreign key, trigger (and PostgreSQL function and extension)."""
    if isinstance(db, peewee.PostgresqlDatabase):
        return _describe_postgres(db)
    return _describe_sqlite(db)


# --- SQLite ---------------------------------------------------------------------------------------


def _describe_sqlite(db: peewee.Database) -> Schema:
    rows = db.execute_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    virtual = {name: _squeeze(sql) for kind, name, _t, sql in rows if kind == "table" and _is_virtual(sql)}
    tables: dict[str, Any] = {}
    for kind, name, _table, _sql in rows:
        if kind != "table" or name in virtual or any(name.startswith(f"{v}_") for v in virtual):
            continue  # an FTS5 table's shadow tables are its own business (and SQLite's version's)
        tables[name] = _sqlite_table(db, name)
    triggers = {
        name: {"table": table, "sql": _squeeze(sql)} for kind, name, table, sql in rows if kind == "trigger"
    }
    views = {name: _squeeze(sql) for kind, name, _t, sql in rows if kind == "view"}
    return {"tables": tables, "virtual_tables": virtual, "triggers": triggers, "views": views}


def _is_virtual(sql: str | None) -> bool:
    return bool(sql) and _squeeze(sql or "").upper().startswith("CREATE VIRTUAL TABLE")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_table(db: peewee.Database, table: str) -> dict[str, Any]:
    columns: dict[str, str] = {}
    for _cid, name, type_, notnull, default, pk in db.execute_sql(f"PRAGMA table_info({_quote(table)})"):
        text = type_.upper()
        if pk:
            text += " PRIMARY KEY"
        if notnull:
            text += " NOT NULL"
        if default is not None:
            text += f" DEFAULT {default}"
        columns[name] = text
    indexes: dict[str, str] = {}
    for _seq, name, unique, origin, partial in db.execute_sql(f"PRAGMA index_list({_quote(table)})"):
        cols = [
            "<expression>" if cid == -2 else col
            for _n, cid, col in db.execute_sql(f"PRAGMA index_info({_quote(name)})")
        ]
        text = ("UNIQUE " if unique else "") + "(" + ", ".join(cols) + ")"
        if origin != "c":
            text += f" [{ {'u': 'unique constraint', 'pk': 'primary key'}.get(origin, origin) }]"
        if partial:
            (sql,) = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            text += " WHERE " + _squeeze(sql).split(" WHERE ", 1)[-1]
        indexes[name] = text
    foreign_keys = sorted(
        f"{src} -> {parent}({dst or 'rowid'}) ON UPDATE {on_update} ON DELETE {on_delete}"
        for _id, _seq, parent, src, dst, on_update, on_delete, _match in db.execute_sql(
            f"PRAGMA foreign_key_list({_quote(table)})"
        )
    )
    return {"columns": dict(sorted(columns.items())), "indexes": indexes, "foreign_keys": foreign_keys}


# --- PostgreSQL -----------------------------------------------------------------------------------

_PG_TABLES = """
SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""
_PG_COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
"""
_PG_INDEXES = """
SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = %s
"""
_PG_CONSTRAINTS = """
SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = %s AND contype IN ('p', 'u', 'f', 'c', 'x')
"""
_PG_TRIGGERS = """
SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal
"""
# The schema's own functions (the guards' trigger functions), not those an extension installed there.
_PG_FUNCTIONS = """
SELECT p.proname, l.lanname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang WHERE n.nspname = current_schema()
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
_PG_EXTENSIONS = "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"
_PG_VIEWS = """
SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')
"""


def _without_schema(sql: str) -> str:
    return _squeeze(sql).replace(" public.", " ")


def _describe_postgres(db: peewee.Database) -> Schema:
    tables: dict[str, Any] = {}
    for oid, table in db.execute_sql(_PG_TABLES).fetchall():
        columns: dict[str, str] = {}
        for name, type_, notnull, default in db.execute_sql(_PG_COLUMNS, (oid,)).fetchall():
            text = type_ + (" NOT NULL" if notnull else "") + (f" DEFAULT {default}" if default else "")
            columns[name] = text
        indexes: dict[str, str] = {}
        for name, sql in db.execute_sql(_PG_INDEXES, (oid,)).fetchall():
            # "CREATE UNIQUE INDEX name ON table USING btree (a, b)" -> "UNIQUE btree (a, b)"
            method = _without_schema(sql).split(" USING ", 1)[1]
            indexes[name] = ("UNIQUE " if sql.startswith("CREATE UNIQUE ") else "") + method
        constraints = db.execute_sql(_PG_CONSTRAINTS, (oid,)).fetchall()
        tables[table] = {
            "columns": dict(sorted(columns.items())),
            "indexes": dict(sorted(indexes.items())),
            "constraints": sorted(_without_schema(sql) for kind, sql in constraints if kind != "f"),
            "foreign_keys": sorted(_without_schema(sql) for kind, sql in constraints if kind == "f"),
        }
    triggers = {
        name: {"table": table, "sql": _without_schema(sql)}
        for name, table, sql in db.execute_sql(_PG_TRIGGERS).fetchall()
    }
    functions = {
        name: {"language": language, "source": _squeeze(source)}
        for name, language, source in db.execute_sql(_PG_FUNCTIONS).fetchall()
    }
    return {
        "tables": tables,
        "triggers": dict(sorted(triggers.items())),
        "functions": dict(sorted(functions.items())),
        "extensions": sorted(name for (name,) in db.execute_sql(_PG_EXTENSIONS).fetchall()),
        "views": {name: _squeeze(sql) for name, sql in db.execute_sql(_PG_VIEWS).fetchall()},
    }


# --- snapshots ------------------------------------------------------------------------------------


def engine(db: peewee.Database) -> str:
    return "postgres" if isinstance(db, peewee.PostgresqlDatabase) else "sqlite"


def snapshot_path(engine_name: str) -> Path:
    return SNAPSHOTS / f"{engine_name}.json"


def dumps(schema: Schema) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_snapshot(engine_name: str) -> Schema:
    result: Schema = json.loads(snapshot_path(engine_name).read_text(encoding="utf-8"))
    return result


def differences(found: Schema, expected: Schema, where: str = "") -> list[str]:
    """What differs, one line per table, column, index … (for a readable failure)."""
    if isinstance(found, dict) and isinstance(expected, dict):
        lines: list[str] = []
        for key in sorted(set(found) | set(expected)):
            here = f"{where}.{key}" if where else key
            if key not in expected:
                lines.append(f"{here}: only in the first: {found[key]!r}")
            elif key not in found:
                lines.append(f"{here}: only in the second: {expected[key]!r}")
            else:
                lines.extend(differences(found[key], expected[key], here))
        return lines
    if found != expected:
        return [f"{where}: {found!r} != {expected!r}"]
    return []


def todays_models() -> list[type[peewee.Model]]:
    """Every table's model in villagegov, found as subclasses (a model left out of its room's lists
    is found too)."""
    from villagegov.core.db import BaseModel
    from villagegov.schema import audited_models

    audited_models()  # imports every room's models
    found: dict[int, type[peewee.Model]] = {}
    stack = [peewee.Model]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("villagegov.") and sub is not BaseModel:
                found[id(sub)] = sub
    return list(found.values())


def build_from_models(db: peewee.Database) -> None:
    """Today's schema made directly: every model's table, and the SQL objects beside them (the audit
    log's and the archive's guards, the notices' search indexes) as their modules state them now."""
    from villagegov.archive import models as archive
    from villagegov.core import audit
    from villagegov.notices import models as notices

    models = todays_models()
    with db.bind_ctx(models):
        db.create_tables(models)
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    audit.install_guards(db)
    for sql in (
        (*notices.SEARCH_POSTGRES, *notices.GRAMS_POSTGRES, *archive.POSTGRES_GUARDS)
        if postgres
        else (*notices.SEARCH_SQLITE, *notices.GRAMS_SQLITE, *archive.SQLITE_GUARDS)
    ):
        db.execute_sql(sql)


def migrated_schema(target: str | Path) -> Schema:
    """The schema of a new database taken through every migration from the first."""
    from villagegov.schema import close_store, open_store

    db = open_store(target)
    try:
        return describe(db)
    finally:
        close_store(db)


def _reset_postgres(url: str) -> None:
    from playhouse.db_url import connect

    db = connect(url)
    db.connect()
    db.execute_sql("DROP SCHEMA public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the snapshots instead of comparing")
    args = parser.parse_args(argv)
    targets: list[tuple[str, str | Path]] = []
    with tempfile.TemporaryDirectory() as folder:
        targets.append(("sqlite", Path(folder) / "village.sqlite3"))
        url = os.environ.get("VILLAGEGOV_TEST_PG")
        if url:
            _reset_postgres(url)  # the test database's schema is the tests' to drop, as conftest does
            targets.append(("postgres", url))
        else:
            print("VILLAGEGOV_TEST_PG is not set: PostgreSQL's snapshot left alone", file=sys.stderr)
        status = 0
        for name, target in targets:
            schema = migrated_schema(target)
            if args.write:
                SNAPSHOTS.mkdir(exist_ok=True)
                snapshot_path(name).write_text(dumps(schema), encoding="utf-8")
                print(f"wrote {snapshot_path(name)}")
                continue
            lines = differences(schema, read_snapshot(name))
            for line in lines:
                print(f"{name}: {line}")
            status = status or int(bool(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
