"""Open a database (SQLite file by default, PostgreSQL for a township), bind it, migrate it.

Models bind to `database` (a peewee DatabaseProxy) late, so the app, the CLI and the
tests each hand in their own database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import peewee

from villagegov.core.errors import DatabaseError
from villagegov.core.i18n import N_

database = peewee.DatabaseProxy()

# Durable commits: village power is not reliable, so FULL (see RELIABILITY.md), not NORMAL.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL
    "busy_timeout": 10_000,
}


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def is_url(target: str) -> bool:
    return "://" in target


def is_postgres(db: peewee.Database | None = None) -> bool:
    db = db or database.obj
    return isinstance(db, peewee.PostgresqlDatabase)


def make_database(target: str | Path) -> peewee.Database:
    text = str(target)
    if is_url(text):
        if not text.startswith(("postgresql://", "postgres://")):
            raise DatabaseError(N_("Unsupported database address: {target}"), target=text)
        try:
            import psycopg2  # noqa: F401 - make a missing driver a clear message, not a traceback
        except ImportError as exc:
            raise DatabaseError(
                N_("The PostgreSQL driver is not installed (pip install villagegov[township]).")
            ) from exc
        from playhouse.db_url import connect

        return connect(text)
    path = Path(text)
    if not path.parent.exists():
        raise DatabaseError(N_("The folder {folder} does not exist."), folder=str(path.parent))
    # IMMEDIATE: a writer takes the lock when its transaction starts, so two copies of the
    # app append to the audit chain one after the other instead of failing half-way.
    return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[peewee.Database], None]


class SchemaVersion(BaseModel):
    version = peewee.IntegerField()

    class Meta:
        table_name = "schema_version"


def schema_version(db: peewee.Database) -> int:
    if not db.table_exists("schema_version"):
        return 0
    row = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar()
    return int(row or 0)


def migrate(db: peewee.Database, migrations: Sequence[Migration]) -> int:
    """Apply what is missing, each migration in one transaction with its version number."""
    current = schema_version(db)
    latest = max((m.version for m in migrations), default=0)
    if current > latest:
        raise DatabaseError(
            N_("This database was written by a newer version of villagegov (schema {found}, known {known})."),
            found=current,
            known=latest,
        )
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version <= current:
            continue
        with db.atomic():
            db.create_tables([SchemaVersion], safe=True)
            migration.apply(db)
            SchemaVersion.create(version=migration.version)
    return schema_version(db)


def bind(db: peewee.Database) -> None:
    database.initialize(db)


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn driver errors a user can meet (locked, damaged, unreachable) into readable ones."""
    try:
        yield
    except peewee.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise DatabaseError(
                N_("The database is in use by another copy of villagegov; try again in a moment.")
            ) from exc
        if "unable to open" in text:
            raise DatabaseError(N_("The database file cannot be opened: {detail}"), detail=str(exc)) from exc
        if "connection" in text or "could not connect" in text:
            raise DatabaseError(N_("Cannot reach the database server: {detail}"), detail=str(exc)) from exc
        raise DatabaseError(N_("The database reported an error: {detail}"), detail=str(exc)) from exc
    except peewee.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseError(N_("The database file is damaged: {detail}"), detail=str(exc)) from exc
        raise


def transaction() -> peewee._transaction:
    """The one write transaction every service operation runs in."""
    return database.atomic()


def sqlite_path(db: peewee.Database | None = None) -> Path | None:
    db = db or database.obj
    if isinstance(db, peewee.SqliteDatabase):
        return Path(db.database)
    return None
