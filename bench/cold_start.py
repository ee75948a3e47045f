"""Cold start: process start to the main window shown and idle, against a bare PySide6 window.

    python bench/cold_start.py [--runs 7] [--program "dist/villagegov/villagegov"] [--no-site]

Each run is a fresh process. The app reports readiness itself: with VILLAGEGOV_BENCH_EXIT=1, it
prints `ready <seconds>` once the window has painted its first frame and the event loop is idle
again, then quits; `--user` with VILLAGEGOV_PASSWORD signs in without the dialog (with --dialog,
the app types the password into the sign-in dialog once that is shown: VILLAGEGOV_BENCH_TYPE_PASSWORD).
After the total come parts of it as `key=seconds` (see PARTS). The bare window does the same with nothing but
QApplication and a QMainWindow. A third program, the *floor*, does only what any PySide6 program
showing this first screen must: it checks the password with scrypt (beside Qt's import), reads the
roster with sqlite3 and shows it in a QTableView over a Python table model; no ORM, no translations,
no command line, no navigation. A fourth, *floor+peewee*, is the floor that also imports peewee (a core
dependency) and connects through it. They alternate, so that they share the machine's noise, after
one unmeasured warm-up each (disk cache, .pyc files). Peak memory and CPU time are each child's, from
os.wait4. The targets are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import site
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
TARGET_PEAK_MB = 250.0
DEMO_USER = "wenshu"
DEMO_PASSWORD = "demo1234"
TIMEOUT = 120.0  # seconds: a sign-in error opens a message box that nobody closes offscreen

# Both programs end so: show the window, print `ready` once its first frame is painted, and quit.
SHOW_AND_REPORT = """
class FirstFrame(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False


def report():
    print("ready", flush=True)
    app.quit()


first_frame = FirstFrame()
window.installEventFilter(first_frame)
window.show()
sys.exit(app.exec())
"""

BARE_WINDOW = (
    """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)

"""
    + SHOW_AND_REPORT
)

# The floor: the least any PySide6 program can do to show this first screen (see the docstring).
# argv: database file, user name, password.
FLOOR_WINDOW = (
    """
import base64, hashlib, sqlite3, sys, threading
#ORM
db_path, username, password = sys.argv[1:4]
con = sqlite3.connect(db_path)
stored = con.execute("SELECT password_hash FROM user WHERE username = ?", (username,)).fetchone()[0]
checked = []


def check():
    _scheme, n, r, p, salt, digest = stored.split("$")
    actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                            maxmem=64 * 1024 * 1024)
    checked.append(actual == base64.b64decode(digest))


checker = threading.Thread(target=check)
checker.start()  # scrypt releases the GIL: it runs beside Qt's import, as villagegov's does

from PySide6.QtCore import QAbstractTableModel, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

ROWS = con.execute(
    "SELECT v.name, v.gender, v.birth_date, v.id_number, v.phone, g.name, h.number, v.relation, "
    "v.party_member, v.representative FROM villager v JOIN household h ON v.household_id = h.id "
    "JOIN villager_group g ON h.group_id = g.id ORDER BY g.sort_order, h.number, v.id"
).fetchall()
DISPLAY = Qt.ItemDataRole.DisplayRole


class Model(QAbstractTableModel):
    def rowCount(self, parent=None):
        return len(ROWS)

    def columnCount(self, parent=None):
        return 10

    def data(self, index, role=DISPLAY):
        if role == DISPLAY:
            value = ROWS[index.row()][index.column()]
            return "" if value is None else str(value)
        return None

    def headerData(self, section, orientation, role=DISPLAY):
        return str(section + 1) if role == DISPLAY else None


app = QApplication(sys.argv[:1])
checker.join()
assert checked == [True], "wrong password"
window = QMainWindow()
window.resize(1280, 800)
table = QTableView()
table.setModel(Model())
window.setCentralWidget(table)

"""
    + SHOW_AND_REPORT
)


def floor_program(orm: bool) -> str:
    """The floor; with `orm`, it also imports peewee (a core dependency) and connects through it."""
    if not orm:
        return FLOOR_WINDOW
    return FLOOR_WINDOW.replace("#ORM\n", "import peewee\n").replace(
        "sqlite3.connect(db_path)", "peewee.SqliteDatabase(db_path).connection()"
    )


# Used only when `villagegov demo` does not exist: the smallest database the window opens on.
SMALL_DATABASE = f"""
import sys
from villagegov.accounts import service
from villagegov.schema import open_store

open_store(sys.argv[1])
service.set_up("青石村", "石桥镇", "清水县", {DEMO_USER!r}, "李文书", {DEMO_PASSWORD!r}, {DEMO_PASSWORD!r})
"""


@dataclass(frozen=True)
class Run:
    seconds: float  # process start to the "ready" line
    in_app: float | None  # what the app itself reports: from importing the villagegov package to ready
    peak_mb: float | None  # the child's max RSS
    cpu: float | None = None  # the child's user + system CPU seconds, to its exit
    parts: dict[str, float] = field(default_factory=dict)  # `key=seconds` after it, see PARTS


@dataclass(frozen=True)
class Subject:
    label: str
    command: list[str]
    env: dict[str, str] | None = None  # instead of the run's own


def without_site(env: dict[str, str]) -> dict[str, str]:
    """For `python -S`: the site-packages on PYTHONPATH, so that only the .pth start-up hooks go."""
    paths = [env.get("PYTHONPATH", ""), *site.getsitepackages()]
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, paths))}


def child_env(home: Path, password: str = DEMO_PASSWORD) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["VILLAGEGOV_HOME"] = str(home)
    env["VILLAGEGOV_BENCH_EXIT"] = "1"
    env["VILLAGEGOV_PASSWORD"] = password
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    env["PYTHONIOENCODING"] = "utf-8"
    for name in ("VILLAGEGOV_LANG", "PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME"):
        env.pop(name, None)  # measure the default language, with cached bytecode
    return env


def _max_rss_mb(kilobytes_or_bytes: int) -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    return kilobytes_or_bytes / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_once(subject: Subject, env: dict[str, str], cwd: Path | None = None) -> Run:
    output: list[str] = []
    ready: float | None = None
    in_app: float | None = None
    parts: dict[str, float] = {}
    peak: float | None = None
    cpu: float | None = None
    start = time.perf_counter()
    with subprocess.Popen(
        subject.command,
        env=subject.env or env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        watchdog = threading.Timer(TIMEOUT, proc.kill)
        watchdog.start()
        for line in proc.stdout:
            if ready is None and line.startswith("ready"):
                ready = time.perf_counter() - start
                words = line.split()
                in_app = float(words[1]) if len(words) > 1 else None
                parts = {k: float(v) for k, _eq, v in (w.partition("=") for w in words[2:]) if _eq}
            output.append(line)
        if hasattr(os, "wait4"):
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak = _max_rss_mb(usage.ru_maxrss)
            cpu = usage.ru_utime + usage.ru_stime
        else:  # Windows: no rusage; time only
            proc.wait()
        watchdog.cancel()
    if proc.returncode != 0 or ready is None:
        raise SystemExit(
            f"{subject.label}: {shlex.join(subject.command)} exited {proc.returncode} "
            f"without a ready line (killed after {TIMEOUT:.0f} s if it hung: a wrong --user or "
            f"--password opens a message box):\n{''.join(output)}"
        )
    return Run(ready, in_app, peak, cpu, parts)


def make_database(program: list[str], env: dict[str, str], folder: Path) -> tuple[Path, str]:
    """The demo village if `villagegov demo` exists; otherwise a small database built by the services."""
    db = folder / "demo.sqlite3"
    demo = subprocess.run(
        [*program, "--db", str(db), "--lang", "en", "demo"],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if demo.returncode == 0:
        return db, "database: " + demo.stdout.strip().splitlines()[0]
    db.unlink(missing_ok=True)
    small = subprocess.run(
        [sys.executable, "-c", SMALL_DATABASE, str(db)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if small.returncode != 0:
        raise SystemExit(
            f"cannot create a database:\n`demo`: {demo.stderr.strip()}\nservices: {small.stderr.strip()}"
        )
    reason = (demo.stderr.strip().splitlines() or ["failed"])[-1]
    return db, (
        f"NOTE: `villagegov demo` is not available ({reason}); measured on a SMALLER database "
        f"built by the services: one village and its clerk, no villagers"
    )


def measure(
    subjects: list[Subject], env: dict[str, str], runs: int, warmup: int, cwd: Path | None = None
) -> dict[str, list[Run]]:
    for _ in range(warmup):
        for subject in subjects:
            run_once(subject, env, cwd)
    results: dict[str, list[Run]] = {s.label: [] for s in subjects}
    for i in range(runs):
        order = subjects if i % 2 == 0 else subjects[::-1]
        for subject in order:
            results[subject.label].append(run_once(subject, env, cwd))
        print(f"  run {i + 1}/{runs} done", file=sys.stderr, flush=True)
    return results


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "ABOVE"


def report(results: dict[str, list[Run]], bare: str, ours: str, header: list[str], others: list[str]) -> str:
    lines = [*header, ""]
    lines.append(f"{'':28}{'median':>10}{'min':>10}{'peak RSS':>12}{'CPU median':>13}{'in-app median':>16}")
    peaks: dict[str, float | None] = {}
    medians: dict[str, float] = {}
    minima: dict[str, float] = {}
    for label, runs in results.items():
        seconds = [r.seconds for r in runs]
        medians[label] = statistics.median(seconds)
        minima[label] = min(seconds)
        rss = [r.peak_mb for r in runs if r.peak_mb is not None]
        peaks[label] = max(rss) if rss else None
        cpu = [r.cpu for r in runs if r.cpu is not None]
        in_app = [r.in_app for r in runs if r.in_app is not None]
        lines.append(
            f"{label:28}{medians[label]:>8.3f} s{minima[label]:>8.3f} s"
            + (f"{peaks[label]:>9.0f} MB" if peaks[label] is not None else f"{'n/a':>12}")
            + (f"{statistics.median(cpu):>11.3f} s" if cpu else f"{'n/a':>13}")
            + (f"{statistics.median(in_app):>14.3f} s" if in_app else f"{'-':>16}")
        )
    lines.append("")
    lines.append(f"{'':28}{'figure':>10}{'target':>10}  verdict")
    for name, value in (
        ("ratio ours/bare, median", medians[ours] / medians[bare]),
        ("ratio ours/bare, min", minima[ours] / minima[bare]),
    ):
        lines.append(f"{name:28}{value:>9.2f}×{'≤ 1.5×':>10}  {_verdict(value <= TARGET_RATIO)}")
    peak = peaks[ours]
    if peak is None:
        lines.append(f"{'peak memory (ours)':28}{'n/a':>10}{'< 250 MB':>10}  (no os.wait4 here)")
    else:
        lines.append(
            f"{'peak memory (ours)':28}{peak:>7.0f} MB{'< 250 MB':>10}  {_verdict(peak < TARGET_PEAK_MB)}"
        )
    for other in others:  # the floor, and programs given with --also
        name = other.split(" ")[0]
        lines.append(f"{f'ratio {name}/bare, median':28}{medians[other] / medians[bare]:>9.2f}×")
        lines.append(f"{f'ratio {name}/bare, min':28}{minima[other] / minima[bare]:>9.2f}×")
    parts = _parts(results[ours])
    if parts:
        lines.append("")
        lines.append("parts of villagegov's in-app time (medians, seconds on the app's own clock):")
        for key, value in parts.items():
            lines.append(f"  {key:26}{value:>8.3f} s  {PARTS.get(key, '')}")
    lines.append("")
    lines.append(
        "time = process start to the 'ready' line (first frame painted, event loop idle again); "
        "CPU = the child's user + system time to its exit; in-app = the app's own figure, from the "
        "import of the villagegov package to ready; floor = scrypt, sqlite3 and one table view, the "
        "least a PySide6 program showing this screen does; floor+peewee = the floor importing peewee"
    )
    return "\n".join(lines)


PARTS = {
    "opened": "database opened and its schema checked (done when, since the start)",
    "dialog": "the sign-in dialog on the screen (--dialog; the password is typed and OK pressed then)",
    "qt": "PySide6 imported and QApplication made (done when)",
    "fonts": "how long registering the bundled fonts with Qt took (ui/fonts.py), part of `qt`",
    "imported": "the first screen's modules imported (done when)",
    "signin": "how long the password check (scrypt) took, beside the parts above",
    "built": "main window built, the roster room in it (done when)",
    "shown": "show() returned, the villagers listed (done when)",
}


def _parts(runs: list[Run]) -> dict[str, float]:
    keys = dict.fromkeys(k for r in runs for k in r.parts)
    return {k: statistics.median(r.parts[k] for r in runs if k in r.parts) for k in keys}


def _absolute(command: list[str]) -> list[str]:
    """The command with its program as an absolute path, if it names a file here (dist/villagegov/…)."""
    if command and Path(command[0]).exists():
        return [str(Path(command[0]).resolve()), *command[1:]]
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs of each first (default 1)")
    parser.add_argument(
        "--program",
        help="how to start villagegov, e.g. dist/villagegov/villagegov for the frozen build "
        "(default: this Python, -m villagegov)",
    )
    parser.add_argument("--db", type=Path, help="measure on this database instead of a fresh demo village")
    parser.add_argument("--user", default=DEMO_USER, help=f"user to sign in as (default {DEMO_USER})")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="that user's password (default: demo's)")
    parser.add_argument(
        "--no-site",
        action="store_true",
        help="start the Pythons with -S (site-packages on PYTHONPATH): without the .pth start-up hooks "
        "of this machine's site-packages, as a frozen build starts",
    )
    parser.add_argument("--no-floor", action="store_true", help="do not measure the floor program")
    parser.add_argument(
        "--dialog",
        action="store_true",
        help="sign in through the sign-in dialog, as a clerk does: the app types the password and presses "
        "OK once the dialog is on the screen (part `dialog`: when it was)",
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="LABEL=COMMAND",
        help="measure another villagegov in the same runs, e.g. before='env PYTHONPATH=/tmp/old python -m "
        "villagegov' (started with --db and --user like villagegov; may be repeated)",
    )
    args = parser.parse_args(argv)
    if args.program:
        program = _absolute(shlex.split(args.program, posix=os.name != "nt"))
    else:
        program = [sys.executable, "-m", "villagegov"]
    with tempfile.TemporaryDirectory(prefix="villagegov-bench-") as tmp:
        folder = Path(tmp)
        env = child_env(folder / "home", args.password)
        if args.dialog:
            del env["VILLAGEGOV_PASSWORD"]
            env["VILLAGEGOV_BENCH_TYPE_PASSWORD"] = args.password
        if args.db:
            db, about = args.db.resolve(), f"database: {args.db}"
        else:
            print("creating the demo database…", file=sys.stderr, flush=True)
            db, about = make_database(program, env, folder)
        python = [sys.executable, "-S"] if args.no_site else [sys.executable]
        python_env = without_site(env) if args.no_site else None
        if args.no_site and not args.program:
            program = [*python, "-m", "villagegov"]
        bare = Subject("bare PySide6 window", [*python, "-c", BARE_WINDOW], python_env)
        ours = Subject(
            "villagegov",
            [*program, "--db", str(db), "--user", args.user],
            None if args.program else python_env,
        )
        subjects = [bare, ours]
        for also in args.also:
            label, _eq, command = also.partition("=")
            extra = _absolute(shlex.split(command, posix=os.name != "nt"))
            subjects.append(Subject(label, [*extra, "--db", str(db), "--user", args.user]))
        if not args.no_floor:
            for position, (label, orm) in enumerate((("floor", False), ("floor+peewee", True)), start=1):
                floor_command = [*python, "-c", floor_program(orm), str(db), args.user, args.password]
                subjects.insert(position, Subject(label, floor_command, python_env))
        # Each program runs in the temporary folder: `python -m villagegov` started in a checkout would
        # import that checkout's villagegov before PYTHONPATH's.
        results = measure(subjects, env, args.runs, args.warmup, cwd=folder)
    try:
        qt = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        qt = metadata.version("PySide6")
    header = [
        f"villagegov cold start: {args.runs} runs each, alternating, after {args.warmup} warm-up; "
        f"QT_QPA_PLATFORM=offscreen",
        f"Python {platform.python_version()}, PySide6 {qt}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; villagegov started as: {shlex.join(program)}"
        + ("; Pythons started with -S (no site start-up hooks)" if args.no_site else ""),
        about,
    ]
    others = [s.label for s in subjects if s not in (bare, ours)]
    print(report(results, bare.label, ours.label, header, others))
    return 0


if __name__ == "__main__":
    sys.exit(main())
