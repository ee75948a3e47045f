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

from villagegov.core.drivers import is_url, restore_postgres_driver
from villagegov.core.errors import DatabaseError
from villagegov.core.files import private_database
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


def is_postgres(db: peewee.Database | None = None) -> bool:
    db = db or database.obj
    return isinstance(db, peewee.PostgresqlDatabase)


def make_database(target: str | Path) -> peewee.Database:
    text = str(target)
    if is_url(text):
        if not text.startswith(("postgresql://", "postgres://")):
            raise DatabaseError(N_("Unsupported database address: {target}"), target=text)
        try:
            # A missing driver is a clear message, not a traceback. (peewee may have been imported
            # without it, for a SQLite file: core/drivers.py.)
            restore_postgres_driver()
        except ImportError as exc:
            raise DatabaseError(
                N_("The PostgreSQL driver is not installed (pip install villagegov[township]).")
            ) from exc
        from playhouse.db_url import connect

        connected: peewee.Database = connect(text)
        return connected
    path = Path(text)
    if not path.parent.exists():
        raise DatabaseError(N_("The folder {folder} does not exist."), folder=str(path.parent))
    if text != ":memory:" and not text.startswith("file:"):
        private_database(path)  # before SQLite makes the file, or its -wal and -shm
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


# Message ids shared with core/maintenance.py: one sentence for one meaning, whether opening
# refuses the database or `check` reports it.
DAMAGED = N_("The database file is damaged: {detail}")
TOO_NEW = N_(
    "This database was written by a newer version of villagegov (schema {found}; this version knows up to "
    "{known})."
)

# PostgreSQL: the advisory lock that serialises migrators (two 32-bit keys: a key space apart from
# the audit log's one-key locks per chain).
_MIGRATION_LOCK = (0x76676F76, 1)  # "vgov", 1


def schema_version(db: peewee.Database) -> int:
    """The last migration applied to `db` (0 for a new database), read through `db` itself."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar(db)
    return int(row or 0)


def _too_new(found: int, known: int) -> DatabaseError:
    return DatabaseError(TOO_NEW, found=found, known=known)


def _migration_transaction(db: peewee.Database) -> peewee._atomic:
    """A transaction that holds the schema lock from its first statement until it ends.

    SQLite: BEGIN IMMEDIATE takes the write lock before anything is read. PostgreSQL: an advisory
    lock taken first thing (see `_lock_schema`).
    """
    if isinstance(db, peewee.SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def _lock_schema(db: peewee.Database) -> None:
    if is_postgres(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", _MIGRATION_LOCK)


def migrate(db: peewee.Database, migrations: Sequence[Migration]) -> int:
    """Apply what is missing, each migration in one transaction with its version number.

    Whether a migration is missing is decided inside the transaction that applies it, under the
    schema lock: a second process migrating the same database at the same moment waits, then finds
    the migration applied and skips it. (A first look outside any transaction only spares a
    database that is already up to date the write lock: versions only ever grow.)
    """
    ordered = sorted(migrations, key=lambda m: m.version)
    latest = ordered[-1].version if ordered else 0
    current = schema_version(db)
    if current > latest:
        raise _too_new(current, latest)
    for migration in ordered:
        if migration.version <= current:
            continue
        with _migration_transaction(db):
            _lock_schema(db)
            current = schema_version(db)
            if current > latest:
                raise _too_new(current, latest)
            if migration.version <= current:
                continue  # applied by another process while this one waited for the lock
            peewee.SchemaManager(SchemaVersion, db).create_all(safe=True)
            migration.apply(db)
            SchemaVersion.insert(version=migration.version).execute(db)
            current = migration.version
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
            raise DatabaseError(DAMAGED, detail=str(exc)) from exc
        raise


def transaction() -> peewee._atomic:
    """The one write transaction every service operation runs in."""
    return database.atomic()


def sqlite_path(db: peewee.Database | None = None) -> Path | None:
    db = db or database.obj
    if isinstance(db, peewee.SqliteDatabase):
        return Path(db.database)
    return None
