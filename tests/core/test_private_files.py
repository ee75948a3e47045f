"""Files for the user alone: the database with its -wal and -shm, backups, exports and the app's folders are
0600 / 0700 on POSIX whatever the umask (they hold every villager's ID number); an existing database that
others could read is tightened, and the clerk is told."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from tests.conftest import set_up_village
from villagegov.core import files, maintenance, paths
from villagegov.roster import service as roster
from villagegov.schema import close_store, open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Windows keeps them in the user's own profile")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual umask, under which files were made 0644 and folders 0755."""
    previous = os.umask(0o022)
    files.take_tightened()
    yield
    os.umask(previous)


def test_a_new_database_and_the_files_sqlite_makes_beside_it_are_the_users_alone(tmp_path: Path) -> None:
    path = tmp_path / "village.sqlite3"
    db = open_store(path)
    clerk = set_up_village()
    roster.add_group(clerk, "第一村民小组")
    made = {p.name: mode(p) for p in tmp_path.iterdir() if p.name.startswith("village.sqlite3")}
    assert set(made) == {"village.sqlite3", "village.sqlite3-wal", "village.sqlite3-shm"}
    assert set(made.values()) == {0o600}, made
    assert files.take_tightened() == []  # made private, not tightened: nothing to tell
    close_store(db)


def test_the_apps_folders_are_the_users_alone_even_if_they_were_made_wider(isolated_home: Path) -> None:
    (isolated_home / "data").mkdir(parents=True, mode=0o755)
    os.chmod(isolated_home / "data", 0o755)
    for folder in (
        paths.data_dir(),
        paths.backups_dir(),
        paths.exports_dir(),
        paths.config_dir(),
        paths.logs_dir(),
    ):
        assert mode(folder) == 0o700, folder


def test_backups_and_their_folder_beside_a_database_are_the_users_alone(
    store: peewee.Database, tmp_path: Path
) -> None:
    set_up_village()
    made = maintenance.backup(store)
    assert made.parent == tmp_path / "backups" and mode(made.parent) == 0o700
    assert mode(made) == 0o600
    elsewhere = maintenance.backup(store, tmp_path / "usb" / "copy.sqlite3")
    assert mode(elsewhere) == 0o600


def test_a_file_written_whole_or_not_at_all_is_the_users_alone(tmp_path: Path) -> None:
    """Exports, key files and papers go through atomic_path."""
    target = tmp_path / "青石村-2026.zip"
    with files.atomic_path(target) as tmp:
        tmp.write_bytes(b"PK")
    assert mode(target) == 0o600


def test_an_existing_database_readable_by_others_is_tightened_and_remembered_for_a_notice(
    tmp_path: Path,
) -> None:
    path = tmp_path / "village.sqlite3"
    db = open_store(path)
    set_up_village()
    close_store(db)
    for p in (path, path.with_name(path.name + "-wal")):
        p.touch()
        os.chmod(p, 0o644)
    db = open_store(path)
    assert mode(path) == 0o600 and mode(path.with_name(path.name + "-wal")) == 0o600
    assert files.take_tightened() == [path]
    assert files.take_tightened() == []  # told once
    close_store(db)
    open_store(path).close()
    assert files.take_tightened() == []  # private now: nothing more to say
