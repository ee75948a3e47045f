"""What the migrations share: running a migration's own statements on its engine, and asking the
database's catalogue what it already has.

Frozen like the migrations themselves: an old migration calls these, so never change what one of
them does; add a new function instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import peewee

Apply = Callable[[peewee.Database], None]


def is_postgres(db: peewee.Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def run(db: peewee.Database, sqlite: Sequence[str], postgres: Sequence[str]) -> None:
    """Execute the statements written for `db`'s engine, in order."""
    for sql in postgres if is_postgres(db) else sqlite:
        db.execute_sql(sql)


def statements(sqlite: Sequence[str], postgres: Sequence[str]) -> Apply:
    """A migration that is its statements and nothing else."""

    def apply(db: peewee.Database) -> None:
        run(db, sqlite, postgres)

    return apply


def has_table(db: peewee.Database, table: str) -> bool:
    if is_postgres(db):
        sql = (
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = %s"
        )
    else:
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
    return bool(db.execute_sql(sql, (table,)).fetchone()[0])


def columns(db: peewee.Database, table: str) -> set[str]:
    """The names of the table's columns (none for a table that is not there)."""
    if is_postgres(db):
        sql = (
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s"
        )
        rows = db.execute_sql(sql, (table,)).fetchall()
    else:
        rows = db.execute_sql("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    return {name for (name,) in rows}
