"""Checking, backing up and restoring the database. No Qt: the CLI and the window both call this.

What a clerk needs from it (see RELIABILITY.md): `check` tells whether the file is sound and
whether the audit trail still explains every record; `backup` copies the live database with
SQLite's online backup API (a plain file copy of a live database can be corrupt); `restore`
refuses anything that `check` would not call sound, and keeps the database it replaces.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import peewee

from villagegov.core import audit, clock, paths
from villagegov.core.actor import Actor
from villagegov.core.db import (
    DAMAGED,
    TOO_NEW,
    database,
    is_postgres,
    migrate,
    schema_version,
    sqlite_path,
    transaction,
)
from villagegov.core.errors import DatabaseError, VillagegovError
from villagegov.core.files import atomic_path, private_dir
from villagegov.core.i18n import N_, _, message, ngettext

# Automatic backups: only files named like this are ever rotated away.
BACKUP_PREFIX = "villagegov"
SAFETY_PREFIX = "before-restore"
_BACKUP_NAME = re.compile(r"^villagegov-(\d{8})-(\d{6})(?:-(\d+))?\.sqlite3$")
DEFAULT_KEEP = 30
MAX_LINES = 100  # problems printed by `lines()`; the rest are counted

# Message ids a test or a caller may compare against (DAMAGED and TOO_NEW are core.db's own, so
# opening a database and checking it say the same thing in the same words).
NOT_OURS = N_("this is not a villagegov database (it has no schema version)")
GUARDS_MISSING = N_("the triggers that keep the audit log append-only are missing")
INTEGRITY = N_("integrity check: {detail}")
FOREIGN_KEY = N_("refers to a {parent} record that does not exist")
UNREADABLE = N_("could not be read: {detail}")
POSTGRES_BACKUP = N_(
    "A township server is backed up and restored with PostgreSQL's own tools (pg_dump and pg_restore), "
    "not from villagegov."
)

# What a clerk calls each table: findings name "村民 record 12", not "villager record 12".
# A table not listed here (a later room's) is named as it is.
TABLE_LABELS = {
    "village": N_("village"),
    "villager_group": N_("villager group"),
    "household": N_("household"),
    "villager": N_("villager"),
    "user": N_("user account"),
    "audit_entry": N_("audit entry"),
    "schema_version": N_("schema version"),
    "notice": N_("public notice"),
    "notice_table": N_("notice table"),
    "finance_line": N_("finance statement line"),
    "notice_attachment": N_("notice attachment"),
    "objection": N_("objection"),
    "notice_settings": N_("notice settings"),
    "calendar_override": N_("working-day calendar entry"),
    "decision_attachment": N_("major matter attachment"),
    "petition_attachment": N_("petition attachment"),
    "archive_village_key": N_("village archive key"),
    "archive_package": N_("imported package"),
}


def table_label(table: str) -> str:
    """The human name of a table in the user's language; an unknown table keeps its own name."""
    msgid = TABLE_LABELS.get(table)
    return _(msgid) if msgid else table


def record_label(table: str, record_id: object) -> str:
    return _("{table} record {id}").format(table=table_label(table), id=record_id)


def _relabel(problem: audit.Problem, table: str) -> audit.Problem:
    """Give a record named by its table (as audit.verify_records names it) its human name."""
    template = _("{table} record {id}")
    prefix, _sep, suffix = template.format(table=table, id="\x00").partition("\x00")
    where = problem.where
    if not (where.startswith(prefix) and where.endswith(suffix)):
        return problem
    record_id = where[len(prefix) : len(where) - len(suffix)]
    if not record_id:
        return problem
    return replace(problem, where=record_label(table, record_id))


def _verify_records(models: tuple[type[peewee.Model], ...], commit: bool = True) -> list[audit.Problem]:
    problems: list[audit.Problem] = []
    for model in models:
        table = model._meta.table_name
        problems.extend(_relabel(p, table) for p in audit.verify_records([model], commit))
    return problems


@dataclass
class CheckReport:
    """What `check` found. `problems` are ready to show; `ok` is True only when there are none."""

    target: str
    problems: list[audit.Problem] = field(default_factory=list)
    damaged: bool = False
    schema_version: int | None = None
    entries: int = 0  # audit entries read
    heads: dict[int, tuple[int, str]] = field(default_factory=dict)  # chain → (last seq, its hash)
    first_broken_entry: str | None = None  # e.g. "audit entry 1-17", the first place the chain breaks
    notes: list[str] = field(default_factory=list)  # what was compared and held (a head record)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, where: str, msgid: str, **params: object) -> None:
        self.problems.append(audit.Problem(where, msgid, dict(params)))

    def lines(self) -> list[str]:
        """The report in the user's language, one line each, as the CLI prints it."""
        out = [_("Checked {target}.").format(target=self.target)]
        # The head, whole, is what a head record or the township must hold to notice a deleted last
        # entry or a rewritten tail: a part of it would let a forger search for a match.
        for chain, (seq, digest) in sorted(self.heads.items()):
            out.append(
                _("Audit chain {chain}: last entry {seq}, hash {hash}").format(
                    chain=chain, seq=seq, hash=digest
                )
            )
        out.extend(self.notes)
        if self.ok:
            text = _("No problems: the database is sound and its {n} audit entries explain every record.")
            out.append(text.format(n=self.entries))
            return out
        n = len(self.problems)
        out.append(ngettext("{n} problem found:", "{n} problems found:", n).format(n=n))
        if self.first_broken_entry:
            out.append(_("The audit trail first breaks at {entry}.").format(entry=self.first_broken_entry))
        out.extend(p.message() for p in self.problems[:MAX_LINES])
        if n > MAX_LINES:
            out.append(_("… and {n} more.").format(n=n - MAX_LINES))
        return out


@contextmanager
def _bound(db: peewee.Database) -> Iterator[None]:
    """Point the models at `db` for a while (checking a backup file while the app has its own open)."""
    previous = database.obj
    if previous is db:
        yield
        return
    database.initialize(db)
    try:
        yield
    finally:
        database.initialize(previous)


def _label(db: peewee.Database) -> str:
    path = sqlite_path(db)
    if path is not None:
        return str(path)
    return _("PostgreSQL database {name}").format(name=db.database)


def _commitments() -> int:
    """The schema version from which the log holds password commitments (before: compared without)."""
    from villagegov.schema import COMMITMENTS_VERSION

    return COMMITMENTS_VERSION


def _latest_version() -> int:
    from villagegov.schema import MIGRATIONS

    return max(m.version for m in MIGRATIONS)


def _models_to_verify(db: peewee.Database, version: int) -> tuple[type[peewee.Model], ...]:
    from villagegov.schema import AUDITED_MODELS

    if version >= _latest_version():
        models: tuple[type[peewee.Model], ...] = AUDITED_MODELS
        return models
    # An older backup lacks later rooms' tables or columns: compare only what it has; its chain
    # is still verified whole.
    usable = []
    for model in AUDITED_MODELS:
        table = model._meta.table_name
        if db.table_exists(table):
            have = {c.name for c in db.get_columns(table)}
            if set(model._meta.columns) <= have:
                usable.append(model)
    return tuple(usable)


def _sqlite_file_checks(db: peewee.Database, report: CheckReport) -> None:
    where = report.target
    rows = db.execute_sql("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        report.damaged = True
        for (detail,) in rows:
            report.add(where, INTEGRITY, detail=detail)
    for table, rowid, parent, _fkid in db.execute_sql("PRAGMA foreign_key_check").fetchall():
        report.add(record_label(table, rowid), FOREIGN_KEY, parent=table_label(parent))


def check(db: peewee.Database, label: str | None = None, head: audit.HeadRecord | None = None) -> CheckReport:
    """Check the file (SQLite), the schema version, the audit chain, every audited record (with what each
    keeps out of the log: attachments' bytes, the signing key, the township's imported content), the
    guards; and, given a head record, that the chain still holds the head it wrote down.

    Never raises for a damaged database: that is a finding, reported as "damaged".
    """
    report = CheckReport(label or _label(db))
    reading_file = True  # an error while SQLite reads its own pages means the file is damaged
    try:
        with _bound(db):
            if not is_postgres(db):
                _sqlite_file_checks(db, report)
                if report.damaged:
                    return report  # reading on from a damaged file only adds noise
            reading_file = False
            if not db.table_exists("schema_version") or not db.table_exists("audit_entry"):
                report.add(report.target, NOT_OURS)
                return report
            version = schema_version(db)
            report.schema_version = version
            latest = _latest_version()
            if version > latest:
                report.add(report.target, TOO_NEW, found=version, known=latest)
                return report
            report.entries = audit.AuditEntry.select().count()
            report.heads = _heads()
            chain_problems = audit.verify_database_chain()
            if chain_problems:
                report.first_broken_entry = chain_problems[0].where
            report.problems.extend(chain_problems)
            if head is not None:
                held = audit.compare_head(head)
                report.problems.extend(held)
                if not held:
                    report.notes.append(
                        message(
                            N_("The chain holds the head record of {date} (entry {seq})."),
                            {"date": head.day, "seq": head.seq},
                        )
                    )
            report.problems.extend(_verify_records(_models_to_verify(db, version), version >= _commitments()))
            if not audit.guards_present(db):
                report.add(_("the audit log"), GUARDS_MISSING)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        # A damaged file often raises instead of answering PRAGMA integrity_check; other errors
        # (a table missing from a file that claims to be ours) are findings too, not tracebacks.
        if not is_postgres(db) and (reading_file or _is_damage(exc)) and not _is_unopenable(exc):
            report.damaged = True
            report.add(report.target, DAMAGED, detail=str(exc))
        else:
            report.add(report.target, UNREADABLE, detail=str(exc))
    return report


def _is_damage(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("malformed", "not a database", "corrupt", "disk i/o"))


def _is_unopenable(exc: Exception) -> bool:
    """The file could not be opened at all (no permission, a folder): unreadable, not damaged."""
    return "unable to open" in str(exc).lower()


def _heads() -> dict[int, tuple[int, str]]:
    heads: dict[int, tuple[int, str]] = {}
    chains = audit.AuditEntry.select(audit.AuditEntry.chain).distinct().tuples()
    for (chain,) in cast(Iterable[tuple[int]], chains):
        entry = audit.head(chain)
        if entry is not None:
            heads[chain] = (entry.seq, entry.hash)
    return heads


def open_for_check(path: Path) -> peewee.SqliteDatabase:
    """A read-only handle on a file that may be damaged or no database at all; nothing is written to it.

    Opening never fails on a bad file (SQLite opens lazily); `check` then reports it as damaged.
    """
    path = Path(path)
    if not path.is_file():
        raise DatabaseError(N_("The file {file} does not exist."), file=str(path))
    return peewee.SqliteDatabase(path.resolve().as_uri() + "?mode=ro", uri=True)


def check_file(path: Path, label: str | None = None, head: audit.HeadRecord | None = None) -> CheckReport:
    """Check a database file that is not the one in use (a backup, a copy brought on a USB stick)."""
    db = open_for_check(path)
    try:
        return check(db, label or str(path), head)
    finally:
        db.close()


def read_head_record(path: Path) -> audit.HeadRecord:
    """A head record file (`archive head`), or a clear refusal."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise DatabaseError(N_("The file {file} does not exist."), file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise VillagegovError(
            N_("{file} is not a head record: {detail}"), file=str(path), detail=str(exc)
        ) from exc
    try:
        return audit.parse_head_record(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise VillagegovError(
            N_("{file} is not a head record (the file villagegov archive head writes)."), file=str(path)
        ) from exc


# --- backup --------------------------------------------------------------------------------


def _require_sqlite(db: peewee.Database) -> Path:
    path = sqlite_path(db)
    if is_postgres(db) or path is None:
        raise VillagegovError(POSTGRES_BACKUP)
    return path


def _new_backup_path(folder: Path, prefix: str) -> Path:
    """`prefix-YYYYMMDD-HHMMSS.sqlite3`, or `…-N.sqlite3` after the highest N already used that second.

    Never a number below one in use: rotation may have deleted `…-HHMMSS.sqlite3` itself, and a new
    backup under that name would sort as the oldest and be rotated away at once.
    """
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    same_second = re.compile(rf"^{re.escape(prefix)}-{stamp}(?:-(\d+))?\.sqlite3$")
    used = [int(m.group(1) or 1) for p in folder.iterdir() if (m := same_second.match(p.name))]
    if not used:
        return folder / f"{prefix}-{stamp}.sqlite3"
    return folder / f"{prefix}-{stamp}-{max(used) + 1}.sqlite3"


def _copy_database(source: sqlite3.Connection, dest: Path) -> None:
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        # A backup is one self-contained file: no -wal beside it to lose when it is copied.
        target.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        target.close()


def backups_folder(db: peewee.Database) -> Path:
    """Where a database's backups go: the data folder's `backups` for the default database, a `backups`
    folder beside any other file (`--db a.db`), so that one database's rotation never deletes another's
    backups. Made for the user alone."""
    live = _require_sqlite(db)
    default = paths.default_database()
    if live.resolve() == default.resolve():
        return paths.backups_dir()
    return private_dir(live.resolve().parent / "backups", tighten=False)


def backup(db: peewee.Database, dest: Path | None = None, actor: Actor | None = None) -> Path:
    """Copy the live database with the online backup API, from the app's own connection.

    Written beside the destination and moved into place, so a half-written backup never
    looks whole (and, made by mkstemp, for the user alone). Returns the backup's path.
    `actor`: who asked for it (the command line, the settings room), who must be the clerk or the
    secretary; None for the app's own copies (on closing, before a restore).
    """
    live = _require_sqlite(db)
    if actor is not None:
        from villagegov.accounts import rules as access

        access.require(actor, access.MAINTAIN)
    target = Path(dest) if dest is not None else _new_backup_path(backups_folder(db), BACKUP_PREFIX)
    if target.exists() and live.exists() and target.resolve() == live.resolve():
        raise DatabaseError(N_("A backup cannot be written over the database in use."))
    try:
        with atomic_path(target) as tmp:
            _copy_database(db.connection(), tmp)
    except (sqlite3.Error, peewee.DatabaseError, OSError) as exc:
        raise DatabaseError(
            N_("The backup {file} could not be written: {detail}"), file=str(target), detail=str(exc)
        ) from exc
    return target


def _backup_key(path: Path) -> tuple[str, str, int] | None:
    match = _BACKUP_NAME.match(path.name)
    if match is None:
        return None
    return match.group(1), match.group(2), int(match.group(3) or 1)


def automatic_backups(folder: Path | None = None) -> list[Path]:
    """The automatic backups in the backups folder, oldest first (by the time in their names)."""
    folder = folder or paths.backups_dir()
    found = [(key, p) for p in folder.iterdir() if p.is_file() and (key := _backup_key(p)) is not None]
    return [p for _key, p in sorted(found)]


def rotate_backups(keep: int = DEFAULT_KEEP, folder: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` automatic backups; returns what was deleted.

    Safety backups made before a restore, and any file not named by us, are never touched.
    """
    keep = max(keep, 1)  # never delete the backup just made
    backups = automatic_backups(folder)
    doomed = backups[:-keep] if len(backups) > keep else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def backup_on_close(db: peewee.Database) -> Path | None:
    """The backup made when the window closes, then rotation to the number kept in the settings.

    A township server (PostgreSQL) is backed up by its administrator with pg_dump: nothing to do
    here, and no error box at every closing.
    """
    if is_postgres(db):
        return None
    from villagegov.core import settings

    path = backup(db)
    rotate_backups(settings.load().backups_kept, backups_folder(db))
    return path


# --- restore -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    safety_backup: Path  # the database as it was before the restore
    restored_version: int  # schema version of the file restored
    schema_version: int  # after migrating it


class RestoreRefused(DatabaseError):
    """The file was not restored, and nothing was changed; `report` says why."""

    def __init__(self, source: Path, report: CheckReport) -> None:
        first = ""
        if report.problems:
            problem = report.problems[0]
            # The file is named once already; name the entry or record when it is one.
            first = (
                problem.message()
                if problem.where != report.target
                else message(problem.msgid, problem.params)
            )
        super().__init__(
            N_("{file} was not restored and nothing was changed: {reason}"), file=str(source), reason=first
        )
        self.report = report


def _snapshot(source: Path, dest: Path) -> None:
    """Copy the chosen file (read-only) to a private one, so what is checked is exactly what is restored."""
    conn = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        _copy_database(conn, dest)
    finally:
        conn.close()


def restore(db: peewee.Database, source: Path, actor: Actor) -> RestoreResult:
    """Replace the live database's content by a verified backup; the current content is kept first.

    Only the clerk or the secretary, signed in to the database in use, restores; the restored database's
    audit log then says who restored what, when, and where the database it replaced was kept.
    """
    from villagegov.accounts import rules as access
    from villagegov.schema import MIGRATIONS

    live = _require_sqlite(db)
    access.require(actor, access.MAINTAIN)
    source = Path(source)
    if not source.is_file():
        raise DatabaseError(N_("The file {file} does not exist."), file=str(source))
    if live.exists() and source.resolve() == live.resolve():
        raise DatabaseError(N_("{file} is the database in use; choose a backup file."), file=str(source))
    if db.in_transaction():
        raise RuntimeError("restore inside a transaction")
    with tempfile.TemporaryDirectory(prefix="villagegov-restore-") as tmp:
        snapshot = Path(tmp) / "source.sqlite3"
        try:
            _snapshot(source, snapshot)
        except sqlite3.Error as exc:
            report = CheckReport(str(source), damaged=True)
            report.add(str(source), DAMAGED, detail=str(exc))
            raise RestoreRefused(source, report) from exc
        report = check_file(snapshot, label=str(source))
        if not report.ok:
            raise RestoreRefused(source, report)
        restored_version = report.schema_version or 0
        restored_sha256 = _file_sha256(snapshot)
        safety = backup(db, _new_backup_path(backups_folder(db), SAFETY_PREFIX))
        conn = sqlite3.connect(snapshot)
        try:
            conn.backup(db.connection())
        except sqlite3.Error as exc:
            raise DatabaseError(
                N_("The restore failed; the database is as it was (also kept in {backup}): {detail}"),
                backup=str(safety),
                detail=str(exc),
            ) from exc
        finally:
            conn.close()
    with _bound(db):
        # A backup from an older version is brought up to this version's schema.
        version = migrate(db, MIGRATIONS)
        with transaction():
            audit.append(
                actor,
                "restore",
                "database",
                None,
                None,
                {
                    "file": str(source.resolve()),
                    "sha256": restored_sha256,
                    "schema_version": restored_version,
                    "safety_backup": str(safety.resolve()),
                },
            )
    return RestoreResult(source, safety, restored_version, version)


def _file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
