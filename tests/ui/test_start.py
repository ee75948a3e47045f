"""Opening the window as the program does (a new process): what it loads, and what it still migrates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL, _reset_postgres, set_up_village
from villagegov import schema
from villagegov.core.db import bind, make_database, migrate, schema_version
from villagegov.roster.models import Village

ROOMS = ("notices", "council", "decisions", "ceremonies", "petitions", "archive")
# The program, run until its first frame (VILLAGEGOV_BENCH_EXIT), then the modules it had imported.
PROBE = (
    "import atexit, runpy, sys\n"
    "atexit.register(lambda: print('modules', *sorted(sys.modules)))\n"
    "sys.argv = ['villagegov', *sys.argv[1:]]\n"
    "runpy.run_module('villagegov', run_name='__main__')\n"
)


def run_to_first_frame(
    command: list[str], tmp_path: Path, dialog: bool = False
) -> tuple[list[str], dict[str, float]]:
    """Run `python COMMAND --user wenshu` until its first frame (the hook bench/cold_start.py reads):
    its output lines, the first one `ready <seconds>`, and that line's parts.

    `dialog`: through the sign-in dialog, into which the program types the password once it is shown.
    """
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "VILLAGEGOV_HOME": str(tmp_path / "home"),
        "VILLAGEGOV_BENCH_EXIT": "1",
        "VILLAGEGOV_BENCH_TYPE_PASSWORD" if dialog else "VILLAGEGOV_PASSWORD": "mima-1234",
    }
    done = subprocess.run(
        [sys.executable, *command, "--user", "wenshu"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("ready "), done.stdout
    parts = {key: float(value) for key, value in (w.split("=") for w in lines[0].split()[2:])}
    return lines, parts


def _open_window(target: str, tmp_path: Path, dialog: bool = False) -> set[str]:
    """Start the program on `target` signed in as wenshu; the modules loaded by its first frame."""
    lines, parts = run_to_first_frame(["-c", PROBE, "--db", target], tmp_path, dialog)
    assert ("dialog" in parts) == dialog
    if dialog:  # typed once the dialog was on the screen; the window after the check passed
        assert parts["opened"] < parts["qt"] < parts["dialog"] < parts["built"] < parts["shown"]
    [modules] = [line.split()[1:] for line in lines if line.startswith("modules ")]
    return set(modules)


def test_the_first_frame_loads_no_room_but_the_roster_and_no_postgres_driver(tmp_path: Path) -> None:
    """An up-to-date village file: each room's models load with the room, the
    petitions' indicator after the first frame, and psycopg2 (which peewee would import) not at all."""
    path = tmp_path / "village.sqlite3"
    db = schema.open_store(path)
    set_up_village()
    schema.close_store(db)
    modules = _open_window(str(path), tmp_path)
    assert "villagegov.roster.views" in modules and "villagegov.ui.main_window" in modules
    assert not [m for m in modules if m.split(".")[:2] in [["villagegov", room] for room in ROOMS[:-1]]]
    assert "villagegov.archive.models" not in modules  # (archive's commands are part of the CLI's help)
    assert "psycopg2" not in modules and "babel.dates" not in modules


def test_the_sign_in_dialog_opens_the_window(tmp_path: Path) -> None:
    """The clerk's own way in: the dialog, the password typed, OK; the password checked with the first
    screen's modules imported beside it (ui/app.py), and the window built once it passed."""
    path = tmp_path / "village.sqlite3"
    db = schema.open_store(path)
    set_up_village()
    schema.close_store(db)
    modules = _open_window(str(path), tmp_path, dialog=True)
    assert {"villagegov.ui.dialogs", "villagegov.roster.views"} <= modules
    # The start's log lines, held until the first frame, reach the file; the password never does.
    log = (tmp_path / "home" / "logs" / "villagegov.log").read_text(encoding="utf-8")
    assert "starts: window" in log and "signed in: wenshu (clerk)" in log and "mima-1234" not in log


@pytest.mark.parametrize("version", [1, 7])
def test_an_older_database_is_migrated_when_the_window_opens(tmp_path: Path, version: int) -> None:
    path = tmp_path / "village.sqlite3"
    db = make_database(path)
    bind(db)
    db.connect()
    migrate(db, schema.MIGRATIONS[:version])
    set_up_village()
    db.close()
    modules = _open_window(str(path), tmp_path)
    # Migrated with the migrations' own SQL: no room's models were loaded to do it.
    assert "villagegov.migrations.model_drift" in modules and "villagegov.notices.models" not in modules
    db = schema.open_store(path)
    try:
        assert schema_version(db) == schema.MIGRATIONS[-1].version
        assert {"notice", "petition", "archive_village_key", "public_phone"} <= set(db.get_tables())
        assert Village.get().name == "青石村"
        from villagegov.core import audit

        assert audit.verify_records(schema.AUDITED_MODELS) == [] and audit.verify_database_chain() == []
    finally:
        schema.close_store(db)


@pytest.mark.postgres
def test_a_township_server_opens_the_window(tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
    _reset_postgres(PG_URL)
    db = schema.open_store(PG_URL)
    set_up_village()
    schema.close_store(db)
    modules = _open_window(PG_URL, tmp_path)
    assert "psycopg2" in modules and "villagegov.roster.views" in modules
