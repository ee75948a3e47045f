"""An export cleans up after itself (issue 17): its work files stay in a private folder that goes when it
ends, and a killed export's folder and `.part` file go at the next start; its worker processes end with
it, however it ends; it verifies the package it wrote and hands over nothing that fails.

The kills are real: `villagegov archive export` of the demo village in a process of its own, SIGKILLed at
moments drawn from a seeded random, then the processes it started are looked for by a mark in their
environment (/proc), and the next start (`villagegov check`) must leave no file behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from villagegov import demo
from villagegov.archive import service, signing
from villagegov.archive.models import VillageKey
from villagegov.cli import main
from villagegov.core import scratch
from villagegov.schema import close_store, open_store

from .conftest import PASSWORD, YEAR, copy_database, fill_village

MARK = "VILLAGEGOV_TEST_PROCESS_MARK"
LINUX_PROC = Path("/proc/self/environ").exists()


def _marked_processes(mark: str) -> list[int]:
    """Live processes (not zombies) whose environment carries `MARK=mark`: the export and all it started."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if state != "Z":
            found.append(int(entry.name))
    return found


def _wait_until_gone(mark: str, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


class Run:
    """One `villagegov …` process with its own home, temporary folder and mark."""

    def __init__(self, tmp_path: Path, database: Path) -> None:
        self.home = tmp_path / "home"
        self.tmp = tmp_path / "tmp"
        self.out = tmp_path / "out"
        for folder in (self.tmp, self.out):
            folder.mkdir(parents=True, exist_ok=True)
        self.database = database
        self.target = self.out / f"青石村-{YEAR}.zip"
        self.mark = uuid.uuid4().hex
        self.env = {
            **os.environ,
            "VILLAGEGOV_HOME": str(self.home),
            "TMPDIR": str(self.tmp),  # anything written to the system's temporary folder shows here
            "VILLAGEGOV_PASSWORD": demo.PASSWORD,
            MARK: self.mark,
        }

    def args(self, *command: str) -> list[str]:
        return [sys.executable, "-m", "villagegov", "--db", str(self.database), *command]

    def start_export(self) -> subprocess.Popen[bytes]:
        with open(self.home.parent / "stderr.txt", "wb") as stderr:
            return subprocess.Popen(
                self.args(
                    "--user", "wenshu", "archive", "export", "--year", str(YEAR), "-o", str(self.target)
                ),
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )

    def work(self) -> Path:
        return self.home / "data" / "work"

    def leftovers(self) -> list[str]:
        """Every file the export may leave: its work folders, parts beside the target, temporary files."""
        parts = [p.name for p in self.out.iterdir() if p.name != self.target.name]
        return _files_under(self.work()) + parts + _files_under(self.tmp)


@pytest.mark.slow
@pytest.mark.skipif(not LINUX_PROC, reason="the processes are looked for in /proc (Linux)")
def test_a_killed_export_leaves_no_file_and_no_process(demo_database: Path, tmp_path: Path) -> None:
    database = copy_database(demo_database, tmp_path / "demo.sqlite3")
    # A whole export first: how long one takes here (the kills are drawn within it), and it leaves nothing.
    whole = Run(tmp_path / "whole", database)
    started = time.monotonic()
    done = subprocess.run(
        whole.args("--user", "wenshu", "archive", "export", "--year", str(YEAR), "-o", str(whole.target)),
        env=whole.env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert service.verify(whole.target, check_registration=False).ok
    assert whole.leftovers() == [] and _wait_until_gone(whole.mark, 10) == []

    rng = random.Random(1725)
    moments = sorted(rng.uniform(0.05, 0.9) * duration for _ in range(5))
    seen_busy = 0  # kills that came while the workers ran and the roster's records lay in the work folder
    for n, moment in enumerate(moments):
        run = Run(tmp_path / f"kill{n}", database)
        export = run.start_export()
        time.sleep(moment)
        alive = _marked_processes(run.mark)
        work_files = _files_under(run.work())
        export.send_signal(signal.SIGKILL)
        export.wait(timeout=30)
        # (Rarely the machine was quicker than for the whole export, and the export ended first: then
        # it must have left nothing either.)
        seen_busy += len(alive) >= 3 and any(f.endswith("villagers.json") for f in work_files)
        # The workers and multiprocessing's resource tracker end with the export.
        assert _wait_until_gone(run.mark, 10) == [], f"processes outlived the export killed at {moment:.1f} s"
        # The next start sweeps the work folder and the part; the database is sound.
        check = subprocess.run(run.args("check"), env=run.env, capture_output=True, text=True, timeout=300)
        assert check.returncode == 0, check.stdout + check.stderr
        assert run.leftovers() == [], f"left behind by the export killed at {moment:.1f} s"
        if run.target.exists():  # killed after the package took its name: it is whole
            assert service.verify(run.target, check_registration=False).ok
    assert seen_busy >= 1, (
        f"no kill came while the export was busy (moments {moments}, whole {duration:.1f} s)"
    )


def _hold_a_work_folder(home: Path, target: Path) -> subprocess.Popen[str]:
    """Another process holding a work folder and a claimed part, until it is killed."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from villagegov.core import scratch\n"
        "folder = scratch.WorkFolder('export')\n"
        "(folder.path / 'villagers.json').write_text('[]')\n"
        "part = folder.claim(Path(sys.argv[1]))\n"
        "part.write_bytes(b'PK')\n"
        "print(folder.path, flush=True)\n"
        "time.sleep(600)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, str(target)],
        env={**os.environ, "VILLAGEGOV_HOME": str(home)},
        stdout=subprocess.PIPE,
        text=True,
    )


def test_the_sweep_spares_a_live_export_and_removes_a_dead_ones_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("VILLAGEGOV_HOME", str(home))
    target = tmp_path / "out" / "青石村.zip"
    target.parent.mkdir()
    holder = _hold_a_work_folder(home, target)
    try:
        assert holder.stdout is not None
        folder = Path(holder.stdout.readline().strip())
        [part] = [p for p in target.parent.iterdir() if p.name.endswith(".part")]
        assert folder.stat().st_mode & 0o777 == 0o700
        assert scratch.root().stat().st_mode & 0o777 == 0o700
        # A start while the other export runs: its folder and part are left alone.
        assert scratch.sweep() == [] and folder.is_dir() and part.exists()
        # This process's own folder is in use too, though it holds no file of the other's lock.
        with scratch.work_folder("package") as mine:
            assert scratch.sweep() == [] and mine.path.is_dir()
        assert not mine.path.exists()
    finally:
        holder.kill()
        holder.communicate()
    assert scratch.sweep() == [folder]
    assert not folder.exists() and not part.exists() and list(target.parent.iterdir()) == []


def test_a_package_that_fails_its_own_verification_is_not_handed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The signing key changed behind the app's back (the private half no longer the registered
    public one's): the export says so, exits non-zero and leaves no package under the final name."""
    village_db = tmp_path / "village.sqlite3"
    db = open_store(village_db)
    try:
        clerk = fill_village("青石村")
        service.make_village_key(clerk)
        other_pem, _public = signing.new_private_key()
        VillageKey.update(private_key=other_pem.decode("ascii")).execute()
    finally:
        close_store(db)
    monkeypatch.setenv("VILLAGEGOV_PASSWORD", PASSWORD)
    target = tmp_path / "out" / f"青石村-{YEAR}.zip"
    target.parent.mkdir()  # the command line writes only into a folder that exists
    code = main(
        [
            "--db",
            str(village_db),
            "--user",
            "wenshu",
            "archive",
            "export",
            "--year",
            str(YEAR),
            "-o",
            str(target),
        ]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert "校验" in err and "已删除" in err and "签名" in err, err
    assert not target.exists() and list(target.parent.iterdir()) == []
    assert _files_under(scratch.root()) == []
