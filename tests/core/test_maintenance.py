"""Check, backup, restore and two copies of the app writing at once, on real SQLite files."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import peewee
import pytest

from tests.conftest import PG_URL, _reset_postgres
from villagegov.accounts import service as accounts
from villagegov.core import audit, i18n, maintenance, paths, settings
from villagegov.core.actor import Actor
from villagegov.core.db import Migration, bind, database, make_database, migrate
from villagegov.core.errors import DatabaseError, VillagegovError
from villagegov.core.privacy import make_id_number
from villagegov.roster import service as roster
from villagegov.roster.models import Villager
from villagegov.roster.rules import VillagerInput
from villagegov.schema import close_store, open_store

ROOT = Path(__file__).resolve().parents[2]
TOWNSHIP_READER = Actor(None, "shenhe", "审核员", "reviewer", None)
AREA = "411421"


def add_people(actor: Actor, names: list[str]) -> list[int]:
    """A new household of these people (the first is its head), with ID numbers not yet used."""
    groups = roster.list_groups(actor)
    group_id = groups[0].id if groups else roster.add_group(actor, "第一村民小组").id
    start = Villager.select().count() + len(roster.list_households(actor))
    hh = roster.add_household(actor, group_id, f"01-{start:03d}")
    ids = []
    for i, name in enumerate(names):
        number = make_id_number(AREA, date(1950 + start + i, 3, 7), 11 + 2 * i)
        relation = "head" if i == 0 else "child"
        ids.append(roster.add_villager(actor, VillagerInput(name, hh, relation, id_number=number)).id)
    return ids


def names_on_roster(actor: Actor) -> list[str]:
    return sorted(v.name for v in roster.list_villagers(actor))


def sqlite_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- check: damaged and foreign files ---------------------------------------------------------


def test_a_file_of_random_bytes_is_damaged_not_a_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "village.sqlite3"
    junk.write_bytes(random.Random(1).randbytes(64 * 1024))
    i18n.set_language("en")
    report = maintenance.check_file(junk)
    assert not report.ok and report.damaged
    assert "damaged" in "\n".join(report.lines())


def test_a_truncated_copy_is_damaged(tmp_path: Path, store: peewee.Database, clerk: Actor) -> None:
    add_people(clerk, [f"王{i}号" for i in range(40)])
    whole = maintenance.backup(store, tmp_path / "whole.sqlite3")
    data = whole.read_bytes()
    for cut in (100, len(data) // 2, len(data) - 4096):
        part = tmp_path / f"cut-{cut}.sqlite3"
        part.write_bytes(data[:cut])
        report = maintenance.check_file(part)
        assert report.damaged and not report.ok, cut
    assert maintenance.check_file(whole).ok


def test_an_index_that_disagrees_with_its_table_is_damaged(
    tmp_path: Path, store: peewee.Database, clerk: Actor
) -> None:
    """Damage that PRAGMA integrity_check reports as rows rather than by raising."""
    add_people(clerk, ["王大山", "王二山", "王三山"])
    copy = maintenance.backup(store, tmp_path / "copy.sqlite3")
    conn = sqlite3.connect(copy)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        # The index now claims to hold birth dates while its entries still hold names.
        index = 'CREATE INDEX "villager_village_id_name" ON "villager" ("village_id", "birth_date")'
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'villager_village_id_name'", (index,))
        conn.commit()
    finally:
        conn.close()
    i18n.set_language("en")
    report = maintenance.check_file(copy)
    assert report.damaged
    assert "missing from index villager_village_id_name" in "\n".join(report.lines())


def test_a_record_pointing_nowhere_is_named(tmp_path: Path, store: peewee.Database, clerk: Actor) -> None:
    add_people(clerk, ["王大山"])
    copy = maintenance.backup(store, tmp_path / "copy.sqlite3")
    conn = sqlite3.connect(copy)  # foreign keys are off in a plain connection, as in any other tool
    try:
        conn.execute(
            "INSERT INTO villager (id, village_id, household_id, relation, name, gender, birth_date, phone,"
            " party_member, representative, notes) VALUES (99, 1, 999, 'other', '赵无名', 'male',"
            " '1980-01-01', '', 0, 0, '')"
        )
        conn.commit()
    finally:
        conn.close()
    i18n.set_language("en")
    report = maintenance.check_file(copy)
    text = "\n".join(report.lines())
    assert not report.damaged
    assert "villager record 99: refers to a household record that does not exist" in text
    assert "villager record 99: exists but was never written through villagegov" in text


def test_another_programs_database_is_not_ours(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    report = maintenance.check_file(other)
    assert not report.ok and not report.damaged
    assert [p.msgid for p in report.problems] == [maintenance.NOT_OURS]


def test_checking_a_missing_file_says_so(tmp_path: Path) -> None:
    i18n.set_language("en")
    with pytest.raises(DatabaseError, match="does not exist"):
        maintenance.check_file(tmp_path / "nothing.sqlite3")


# --- backup and rotation ----------------------------------------------------------------------


def test_backups_in_the_same_second_do_not_overwrite_each_other(store: peewee.Database, clerk: Actor) -> None:
    first = maintenance.backup(store)
    add_people(clerk, ["王大山"])
    second = maintenance.backup(store)
    # A database given by its path (--db) keeps its backups beside it, not in the default data folder.
    beside = Path(store.database).parent / "backups"
    assert first != second and first.parent == second.parent == beside == maintenance.backups_folder(store)
    assert first.name.startswith("villagegov-") and first.suffix == ".sqlite3"
    assert maintenance.check_file(first).ok and maintenance.check_file(second).ok
    # Each backup is one self-contained file: no -wal/-shm or temporary files beside it.
    assert sqlite_files(beside) == sorted([first.name, second.name])
    assert not paths.backups_dir().exists() or not any(paths.backups_dir().iterdir())


def test_a_backup_holds_what_was_committed(tmp_path: Path, store: peewee.Database, clerk: Actor) -> None:
    add_people(clerk, ["王大山", "李秀英"])
    dest = maintenance.backup(store, tmp_path / "usb" / "my-backup.sqlite3")
    assert dest == tmp_path / "usb" / "my-backup.sqlite3"
    conn = sqlite3.connect(dest)
    try:
        names = sorted(r[0] for r in conn.execute("SELECT name FROM villager"))
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    assert names == ["李秀英", "王大山"] and mode == "delete"


def test_rotation_keeps_exactly_the_newest_30(store: peewee.Database, clerk: Actor) -> None:
    folder = maintenance.backups_folder(store)
    old = folder / "villagegov-20200101-000000.sqlite3"
    old.write_bytes(b"")
    safety = folder / "before-restore-20200101-000000.sqlite3"
    safety.write_bytes(b"")
    mine = folder / "notes.txt"
    mine.write_text("my own file")
    made = [maintenance.backup(store) for _ in range(34)]  # many in one second: -2, -3, … -10, -11
    removed = maintenance.rotate_backups(30, folder)
    kept = maintenance.automatic_backups(folder)
    assert len(kept) == 30 and kept == made[-30:]
    assert sorted(removed) == sorted([old, *made[:4]])
    assert safety.exists() and mine.exists()


def test_backup_on_close_keeps_the_number_in_the_settings(store: peewee.Database, clerk: Actor) -> None:
    settings.save(settings.Settings(backups_kept=3))
    made = [maintenance.backup_on_close(store) for _ in range(5)]
    assert maintenance.automatic_backups(maintenance.backups_folder(store)) == made[-3:]


@pytest.fixture
def pg_store() -> Iterator[peewee.Database]:
    if not PG_URL:
        pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
    _reset_postgres(PG_URL)
    db = open_store(PG_URL)
    yield db
    close_store(db)


@pytest.mark.postgres
def test_a_township_server_is_backed_up_with_pg_dump(pg_store: peewee.Database) -> None:
    i18n.set_language("en")
    with pytest.raises(VillagegovError, match="pg_dump"):
        maintenance.backup(pg_store)
    with pytest.raises(VillagegovError, match="pg_restore"):
        maintenance.restore(pg_store, Path(__file__), TOWNSHIP_READER)
    assert maintenance.backup_on_close(pg_store) is None
    assert list(paths.backups_dir().iterdir()) == []


# --- restore --------------------------------------------------------------------------------


def test_backup_then_restore_round_trips_and_keeps_a_safety_backup(
    store: peewee.Database, clerk: Actor
) -> None:
    add_people(clerk, ["王大山", "李秀英"])
    saved = maintenance.backup(store)
    later = add_people(clerk, ["张三", "张四"])
    roster.delete_villager(clerk, later[1])
    assert names_on_roster(clerk) == ["张三", "李秀英", "王大山"]
    entries_before = audit.AuditEntry.select().count()

    result = maintenance.restore(store, saved, clerk)

    assert names_on_roster(clerk) == ["李秀英", "王大山"]
    assert maintenance.check(store).ok
    assert store.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"  # still the durable set-up
    assert result.safety_backup.name.startswith("before-restore-")
    # The restored database's log says who restored what, and where the replaced one was kept.
    entry = audit.head(clerk.audit_chain)
    assert entry is not None and entry.action == "restore" and entry.actor == "wenshu"
    said = json.loads(entry.after)
    assert said["file"] == str(saved.resolve())
    assert said["safety_backup"] == str(result.safety_backup.resolve())
    assert said["sha256"] and said["schema_version"] == result.restored_version
    # The database as it was before the restore is kept, whole, and never rotated away.
    safety = maintenance.check_file(result.safety_backup)
    assert safety.ok and safety.entries == entries_before
    maintenance.rotate_backups(1, maintenance.backups_folder(store))
    assert result.safety_backup.exists()
    # The app's own connection goes on working, and the chain goes on from the restored head.
    add_people(clerk, ["赵五"])
    assert maintenance.check(store).ok
    assert names_on_roster(clerk) == ["李秀英", "王大山", "赵五"]


def _live_state(store: peewee.Database) -> tuple[int, int, list[str]]:
    return (
        audit.AuditEntry.select().count(),
        Villager.select().count(),
        sqlite_files(maintenance.backups_folder(store)),
    )


def test_restoring_a_bad_file_changes_nothing(tmp_path: Path, store: peewee.Database, clerk: Actor) -> None:
    add_people(clerk, ["王大山", "李秀英"])
    good = maintenance.backup(store, tmp_path / "good.sqlite3")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(random.Random(2).randbytes(20_000))
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[:8192])
    tampered = tmp_path / "tampered.sqlite3"
    tampered.write_bytes(good.read_bytes())
    conn = sqlite3.connect(tampered)
    conn.execute("UPDATE villager SET name = '王小山' WHERE name = '王大山'")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO schema_version (version) VALUES (999)")
    conn.commit()
    conn.close()
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).close()  # an empty file: SQLite calls it an empty database
    gutted = tmp_path / "gutted.sqlite3"
    gutted.write_bytes(good.read_bytes())
    conn = sqlite3.connect(gutted)
    conn.execute("DROP TABLE villager")
    conn.commit()
    conn.close()

    before = _live_state(store)
    i18n.set_language("en")
    reasons = {}
    for bad in (junk, truncated, tampered, newer, other, gutted):
        with pytest.raises(maintenance.RestoreRefused) as err:
            maintenance.restore(store, bad, clerk)
        reasons[bad.name] = err.value.message()
        assert _live_state(store) == before, bad
    assert "damaged" in reasons["junk.sqlite3"] and "damaged" in reasons["truncated.sqlite3"]
    assert "villager record" in reasons["tampered.sqlite3"]
    assert "newer version" in reasons["newer.sqlite3"]
    assert "not a villagegov database" in reasons["other.sqlite3"]
    assert "could not be read: no such table: villager" in reasons["gutted.sqlite3"]
    assert all("nothing was changed" in r for r in reasons.values())
    with pytest.raises(DatabaseError, match="in use"):
        maintenance.restore(store, Path(store.database), clerk)
    assert names_on_roster(clerk) == ["李秀英", "王大山"] and maintenance.check(store).ok


# --- two copies of the app at once ----------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import date, timedelta
    from pathlib import Path
    from villagegov.schema import open_store
    from villagegov.accounts import service as accounts
    from villagegov.roster import service as roster
    from villagegov.roster.rules import VillagerInput
    from villagegov.core.privacy import make_id_number

    db_path, user, household, count, ready = sys.argv[1:]
    household, count, ready = int(household), int(count), Path(ready)
    open_store(db_path)
    actor = accounts.sign_in(user, "mima-1234")
    (ready / user).touch()
    while len(list(ready.iterdir())) < 2:  # start writing together
        time.sleep(0.002)
    base = date(1950, 1, 1) if user == "wenshu" else date(1980, 1, 1)
    started = time.time()
    for i in range(count):
        number = make_id_number("411421", base + timedelta(days=i), 11)
        roster.add_villager(actor, VillagerInput(f"{user}{i}", household, "child", id_number=number))
    print("done", count, started, time.time())
    """
)


def test_two_copies_of_the_app_write_at_once_and_the_chain_stays_whole(
    tmp_path: Path, store: peewee.Database, clerk: Actor
) -> None:
    accounts.create_user(clerk, "shuji", "王建国", "secretary", "mima-1234")
    group = roster.add_group(clerk, "第一村民小组")
    households = [roster.add_household(clerk, group.id, f"01-00{n}") for n in (1, 2)]
    ready = tmp_path / "ready"
    ready.mkdir()
    count = 120
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store.database), user, str(hh), str(count), str(ready)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for user, hh in zip(("wenshu", "shuji"), households, strict=True)
    ]
    results = [p.communicate(timeout=180) for p in procs]
    spans = []
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        word, written, started, ended = out.split()
        assert (word, int(written)) == ("done", count)
        spans.append((float(started), float(ended)))
    # They really tried to write at the same time. (SQLite may still let one finish first: its busy
    # handler polls, so a waiting writer is not queued fairly behind a busy one.)
    (start_a, end_a), (start_b, end_b) = spans
    assert start_a < end_b and start_b < end_a
    assert Villager.select().count() == 2 * count
    report = maintenance.check(store)
    assert report.ok, report.lines()
    actors = [
        e.actor
        for e in audit.AuditEntry.select()
        .where(audit.AuditEntry.entity == "villager")
        .order_by(audit.AuditEntry.seq)
    ]
    assert actors.count("wenshu") == actors.count("shuji") == count


# --- one message for one meaning, human table names ---------------------------------------------


def test_opening_and_checking_say_the_same_thing(tmp_path: Path) -> None:
    """Opening refuses a damaged or too new database with the very message `check` reports."""
    good = tmp_path / "good.sqlite3"
    close_store(open_store(good))
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO schema_version (version) VALUES (999)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database at all\n" * 50, encoding="utf-8")
    i18n.set_language("en")
    for path, msgid in ((newer, maintenance.TOO_NEW), (text, maintenance.DAMAGED)):
        report = maintenance.check_file(path)
        assert [p.msgid for p in report.problems] == [msgid], path
        with pytest.raises(DatabaseError) as err:
            open_store(path)
        assert err.value.msgid == msgid, path
        close_store(database.obj)
    assert "newer version" in maintenance.check_file(newer).lines()[-1]


def _tamper_groups(copy: Path) -> None:
    """A villager group added behind the app's back, and a household whose group does not exist."""
    conn = sqlite3.connect(copy)
    try:
        conn.execute("INSERT INTO villager_group (id, village_id, name, sort_order) VALUES (7, 1, '七组', 0)")
        conn.execute("UPDATE household SET group_id = 999")
        conn.commit()
    finally:
        conn.close()


def test_findings_name_tables_as_a_clerk_would(tmp_path: Path, store: peewee.Database, clerk: Actor) -> None:
    add_people(clerk, ["王大山"])
    copy = maintenance.backup(store, tmp_path / "copy.sqlite3")
    _tamper_groups(copy)
    i18n.set_language("en")
    text = "\n".join(maintenance.check_file(copy).lines())
    assert "villager group record 7: exists but was never written through villagegov" in text
    household = roster.list_households(clerk)[0].id
    assert f"household record {household}: refers to a villager group record that does not exist" in text
    assert "villager_group" not in text
    # In Chinese, through the catalogue: no code name of a table is left in the report.
    i18n.set_language("zh_CN")
    text = "\n".join(maintenance.check_file(copy).lines())
    assert maintenance.table_label("villager_group") in text and "villager_group" not in text
    assert maintenance.table_label("a_later_room") == "a_later_room"  # unknown: named as it is
    assert all(maintenance.table_label(t) == i18n._(m) for t, m in maintenance.TABLE_LABELS.items())


def test_a_file_that_cannot_be_opened_is_unreadable_not_damaged(tmp_path: Path) -> None:
    db = peewee.SqliteDatabase(str(tmp_path / "no" / "such" / "folder" / "x.sqlite3"))
    report = maintenance.check(db, "x.sqlite3")
    assert not report.ok and not report.damaged
    assert [p.msgid for p in report.problems] == [maintenance.UNREADABLE]


# --- two copies of the app migrating at once ------------------------------------------------------


def _racing_migrations(during_first: list[Callable[[], None]]) -> tuple[Migration, ...]:
    """Two migrations that fail if applied twice (their tables exist by then)."""

    def apply(version: int) -> Callable[[peewee.Database], None]:
        def run(db: peewee.Database) -> None:
            db.execute_sql(f"CREATE TABLE made_by_{version} (x INTEGER)")
            if version == 1 and during_first:
                during_first.pop()()

        return run

    return (Migration(1, "one", apply(1)), Migration(2, "two", apply(2)))


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_processes_migrating_at_once_apply_each_migration_once(tmp_path: Path, engine: str) -> None:
    if engine == "postgres":
        if not PG_URL:
            pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
        _reset_postgres(PG_URL)
        target: str | Path = PG_URL
    else:
        target = tmp_path / "race.sqlite3"
    first, second = make_database(target), make_database(target)
    outcome: dict[str, object] = {}
    started = threading.Event()

    def other_process() -> None:
        started.set()
        try:
            outcome["version"] = migrate(second, migrations)
        except Exception as exc:  # reported below, with the test's own assertion
            outcome["error"] = exc
        finally:
            second.close()

    other = threading.Thread(target=other_process)

    def start_the_other_one() -> None:
        # The first is inside its transaction, applying migration 1: the other one starts now.
        other.start()
        assert started.wait(10)
        time.sleep(0.5)  # time to read the version and wait for the lock

    migrations = _racing_migrations([start_the_other_one])
    previous = database.obj
    bind(first)  # the app binds its database; the other "process" has only its own
    try:
        assert migrate(first, migrations) == 2
        other.join(60)
        assert not other.is_alive()
        assert "error" not in outcome, outcome.get("error")
        assert outcome["version"] == 2
        versions = [v for (v,) in first.execute_sql("SELECT version FROM schema_version ORDER BY version")]
        assert versions == [1, 2]
        assert migrate(first, migrations) == 2  # nothing left to do
    finally:
        database.initialize(previous)
        first.close()
