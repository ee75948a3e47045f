"""Export and verify the demo village's year as an archive package, at 1x, 2x and 4x its size.

    python bench/archive_export.py                    # 2,000 documents a year, scales 1 2 4
    python bench/archive_export.py --scales 1 --documents 500

The demo village (`villagegov demo`: 1,501 villagers, a year of notices) is topped up through the
notices service with publicity notices (each one prints two documents: the notice and its period's
result) until the year holds the wanted number of documents. Export and verify each run in a child
process, as the CLI runs them, timed from start to exit, with the peak memory of the process and of its
worker processes (VmHWM sampled from /proc). The floor is `sha256sum` over the unpacked package's files:
verify cannot be faster than reading and hashing every byte once. This machine's speed drifts (other
sessions share its two cores), so floor and verify are timed in turns, five rounds, and the ratio given
is the median of the rounds' ratios. Children run from compiled bytecode, as an installed program does.
Targets (issue 9): export under 60 s, verify within 3x the floor, memory flat as the year grows.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TOP_UP = r"""
import random, sys
from datetime import date, datetime, time, timedelta
from villagegov.core import clock
from villagegov.schema import open_store
from villagegov.accounts import service as accounts
from villagegov.archive.contract import Period
from villagegov.archive.service import _room_documents
from villagegov.core.db import transaction
from villagegov.notices import rules, service

db_path, wanted = sys.argv[1], int(sys.argv[2])
open_store(db_path)
clerk = accounts.sign_in("wenshu", "demo1234")
secretary = accounts.sign_in("shuji", "demo1234")
today = clock.today()
year = today.year
have = len(_room_documents(clerk, Period.year(year)))
rng = random.Random(7)
people = ["王德福", "李秀英", "张建国", "赵桂兰", "陈志强", "刘海燕"]
days = (today - date(year, 1, 1)).days - 10
with transaction():
    n = 0
    while have < wanted:
        n += 1
        day = date(year, 1, 1) + timedelta(days=rng.randrange(max(days, 1)))
        rows = tuple((p, "4199011960010" + f"{i:04d}"[:4] + "X", "300.00") for i, p in enumerate(people))
        data = rules.NoticeInput(
            category=rules.VILLAGE, kind=rules.PUBLICITY, title=f"关于第{n}批农户补贴名单的公示",
            body="经村民代表会议讨论通过，现将名单公示如下。\n一、补贴对象\n符合条件的农户。",
            period_days=7, period_unit="days",
            tables=(rules.TableInput(("姓名", "身份证号", "金额（元）"), rows, "补贴名单"),),
        )
        draft = service.create_draft(clerk, data, now=datetime.combine(day, time(9)))
        service.approve(secretary, draft.id, now=datetime.combine(day, time(10)))
        service.post(clerk, draft.id, day, today=today)
        have += 2
print(have)
"""


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Linux: /proc/<pid>/task/<tid>/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def _peak(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM), in MB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def child(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run a child; (seconds, its own peak RSS in MB, the largest peak of its workers, stdout).

    Peaks (VmHWM, which only grows) are sampled every 50 ms from /proc: a process's last 50 ms may be
    missed."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            for pid in _tree(proc.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), _peak(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out}\n{err}")
    own = peaks.pop(proc.pid, 0.0)
    return seconds, own, max(peaks.values(), default=0.0), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--documents", type=int, default=2000, help="documents in the 1x year")
    parser.add_argument("--keep", type=Path, help="keep the databases and packages in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="villagegov-bench-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "VILLAGEGOV_HOME": str(work / "home"),
        "VILLAGEGOV_PASSWORD": "demo1234",
        "QT_QPA_PLATFORM": "offscreen",
        "VILLAGEGOV_LANG": "en",
    }
    # An installed program runs from compiled bytecode (the PyInstaller bundle holds only that): so do
    # the children, whatever this shell says (PYTHONDONTWRITEBYTECODE makes every start compile).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "villagegov")], check=True, env=env)
    from villagegov.core import clock

    year = clock.today().year
    rows = []
    for scale in args.scales:
        db = work / f"demo-{scale}x.sqlite3"
        if not db.exists():
            child([sys.executable, "-m", "villagegov", "--db", str(db), "demo"], env)
        _s, _m, _w, out = child([sys.executable, "-c", TOP_UP, str(db), str(args.documents * scale)], env)
        package = work / f"demo-{scale}x-{year}.zip"
        export_s, export_mb, worker_mb, out = child(
            [
                sys.executable,
                "-m",
                "villagegov",
                "--db",
                str(db),
                "--user",
                "wenshu",
                "archive",
                "export",
                "--year",
                str(year),
                "-o",
                str(package),
            ],
            env,
        )
        print(out.strip(), flush=True)
        unpacked = work / f"unpacked-{scale}x"
        shutil.rmtree(unpacked, ignore_errors=True)
        with zipfile.ZipFile(package) as zf:
            zf.extractall(unpacked)
            files = sum(1 for i in zf.infolist() if not i.is_dir())
            size = sum(i.file_size for i in zf.infolist())
        listing = [str(p) for p in unpacked.rglob("*") if p.is_file()]
        # The floor and the verify in turns: each round's ratio compares runs made seconds apart.
        floors, verifies, ratios, verify_mb = [], [], [], 0.0
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(["sha256sum", *listing], check=True, stdout=subprocess.DEVNULL)
            floors.append(time.perf_counter() - started)
            seconds, memory, _w, _out = child(
                [sys.executable, "-m", "villagegov", "archive", "verify", str(package)], env
            )
            verifies.append(seconds)
            verify_mb = max(verify_mb, memory)
            ratios.append(seconds / floors[-1])
        rows.append(
            (
                scale, files, size, export_s, export_mb, worker_mb, min(verifies), verify_mb, min(floors),
                statistics.median(ratios),
            )
        )  # fmt: skip
        shutil.rmtree(unpacked, ignore_errors=True)
    print()
    print(
        "| year | files | unpacked MB | export s | export MB (main / worker) | verify s (best) | verify MB "
        "| sha256sum s (best) | verify / floor (median of 5) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale, files, size, export_s, export_mb, worker_mb, verify_s, verify_mb, floor, ratio in rows:
        print(
            f"| {scale}x | {files:,} | {size / 1e6:.1f} | {export_s:.1f} | {export_mb:.0f} / {worker_mb:.0f} "
            f"| {verify_s:.2f} | {verify_mb:.0f} | {floor:.2f} | {ratio:.1f}x |"
        )
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
