"""County scale at the township: 30, then 300 villages' packages imported into one PostgreSQL database,
and the 乡镇审查意见 printed, with the time and peak memory of each and how they grow.

    python bench/county_archive.py --pg postgresql://villagegov:villagegov@127.0.0.1/villagegov_bench
    python bench/county_archive.py --pg URL --sizes 30 300 --keep /tmp/county   # packages kept for reruns

THE DATABASE NAMED BY --pg IS EMPTIED (its public schema dropped) before each size.

The villages: one is the demo village (青石村, every room, 1,501 villagers, ~230 documents); the others
are SMALLER than the demo, because a whole demo village takes ~30 s to build and ~12 s to export on
this machine (300 of them: ~3.5 hours). Each small village is built through the services from a seeded
random: a roster of --households households (about 3.4 villagers each, one representative per 12
households), and a year of --notices notices, approved and posted, every other one a 公示 with a list
of names and ID numbers; no council, major matters, ceremonies or petitions. Each is exported by the
real export (signed with its own key), and every village's key is registered at the township through
the service (not timed). All villages are in one township (the review speaks for one).

Timed, each in a child process as the CLI runs it, from start to exit, peak memory from os.wait4:
`villagegov archive import` of all the packages in one command (verify, BagIt's second opinion, store),
then `villagegov archive review -o FILE.pdf`. The growth line divides the largest size's figures by the
smallest's: linear in villages is the size ratio (10x for 30 → 300); per package time should stay flat.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mima-1234"
REVIEWER = ("shenhe", "赵审查", "shenhe-1234")

# --- the children's work (run as `county_archive.py --child NAME ARGS…`, with this tree's villagegov) ---

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "德福秀英建国桂兰志强海燕春华明玉红梅文军丽娟永刚淑芬"


def _small_village(n: int, households: int, count: int) -> Any:
    """A small village through the services (in one transaction, as the demo writes): roster and notices."""
    import random
    from datetime import date, datetime, time, timedelta

    from villagegov.accounts import service as accounts
    from villagegov.core import clock
    from villagegov.core.db import transaction
    from villagegov.core.privacy import make_id_number
    from villagegov.notices import rules as notice_rules
    from villagegov.notices import service as notices
    from villagegov.roster import service as roster
    from villagegov.roster.rules import VillagerInput

    today = clock.today()
    village = f"第{n:03d}村"
    rng = random.Random(n)

    def name() -> str:
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))

    with transaction():
        clerk = accounts.set_up(village, "柳溪镇", "安平县", "wenshu", "李文书", PASSWORD, PASSWORD)
        accounts.create_user(clerk, "shuji", "王建国", "secretary", PASSWORD, PASSWORD)
        secretary = accounts.sign_in("shuji", PASSWORD)
        groups = [roster.add_group(clerk, f"第{g}村民小组").id for g in range(1, 2 + households // 40)]
        listed: list[tuple[str, str]] = []
        seq = 0
        for h in range(households):
            number_of = f"{h // 40 + 1:02d}-{h % 40 + 1:03d}"
            household = roster.add_household(clerk, groups[h // 40], number_of)
            for m in range(rng.choice((1, 2, 3, 3, 4, 4, 5, 6))):
                male = (m == 0) if m < 2 else rng.random() < 0.5
                year = 1950 + rng.randrange(50) if m < 2 else 1985 + rng.randrange(35)
                born = date(year, rng.randrange(1, 13), rng.randrange(1, 29))
                seq += 1
                rep = m == 0 and h % 12 == 0
                villager = roster.add_villager(
                    clerk,
                    VillagerInput(
                        name=name(),
                        household_id=household,
                        relation=("head", "spouse")[m] if m < 2 else "child",
                        gender="male" if male else "female",
                        birth_date=born,
                        id_number=make_id_number("419901", born, (seq * 2 + male) % 1000),
                        representative=rep,
                        representative_term_start=date(2024, 1, 1) if rep else None,
                        representative_term_end=date(2028, 12, 31) if rep else None,
                    ),
                    today=today,
                )
                if len(listed) < 6:
                    listed.append((villager.name, villager.id_number or ""))
        for k in range(count):
            drafted = date(today.year, 1, 1) + timedelta(days=(k * 300) // max(count, 1))
            publicity = k % 2 == 0
            table = notice_rules.TableInput(
                ("姓名", "身份证号", "金额（元）"), tuple((p, i, "300.00") for p, i in listed), "名单"
            )
            draft = notices.create_draft(
                clerk,
                notice_rules.NoticeInput(
                    category=notice_rules.VILLAGE,
                    kind=notice_rules.PUBLICITY if publicity else notice_rules.ANNOUNCEMENT,
                    title=f"{village}第{k + 1}号公开事项",
                    body="经村民代表会议讨论决定，现予公开。",
                    period_days=7 if publicity else None,
                    period_unit="days" if publicity else None,
                    tables=(table,) if publicity else (),
                ),
                now=datetime.combine(drafted, time(9)),
            )
            notices.approve(secretary, draft.id, now=datetime.combine(drafted, time(10)))
            notices.post(clerk, draft.id, drafted, today=today)
    return clerk


def child_build(folder: str, first: str, last: str, households: str, count: str) -> None:
    """Villages [first, last): each its own SQLite database, built, exported, the database removed."""
    from villagegov.archive import service as archive
    from villagegov.archive.contract import Period
    from villagegov.core import clock
    from villagegov.schema import close_store, open_store

    for n in range(int(first), int(last)):
        db_path = Path(folder) / f"v{n:03d}.sqlite3"
        db_path.unlink(missing_ok=True)
        db = open_store(db_path)
        try:
            clerk = _small_village(n, int(households), int(count))
            archive.export(clerk, Period.year(clock.today().year), Path(folder) / f"v{n:03d}.zip")
        finally:
            close_store(db)
        db_path.unlink()


def child_demo(folder: str) -> None:
    from villagegov import demo
    from villagegov.accounts import service as accounts
    from villagegov.archive import service as archive
    from villagegov.archive.contract import Period
    from villagegov.core import clock
    from villagegov.schema import close_store, open_store

    db_path = Path(folder) / "demo.sqlite3"
    db_path.unlink(missing_ok=True)
    db = open_store(db_path)
    try:
        demo.fill_demo(db, clock.today())
        clerk = accounts.sign_in("wenshu", demo.PASSWORD)
        archive.export(clerk, Period.year(clock.today().year), Path(folder) / "demo.zip")
    finally:
        close_store(db)
    db_path.unlink()


def child_set_up(url: str, *files: str) -> None:
    """The township: its reviewer, and every village's key registered from its package (not timed)."""
    from villagegov.accounts import service as accounts
    from villagegov.archive import service as archive
    from villagegov.schema import close_store, open_store

    user, name, password = REVIEWER
    db = open_store(url)
    try:
        accounts.set_up_reviewer(user, name, password, password)
        reviewer = accounts.sign_in(user, password)
        for f in files:
            key = archive.read_key_file(Path(f))
            archive.register_key(reviewer, Path(f), key.fingerprint, key=key)
    finally:
        close_store(db)


def child_size(url: str) -> None:
    from villagegov.core.db import database
    from villagegov.schema import close_store, open_store

    db = open_store(url)
    print(database.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0])
    close_store(db)


CHILDREN: dict[str, Callable[..., None]] = {
    "build": child_build,
    "demo": child_demo,
    "set-up": child_set_up,
    "size": child_size,
}


def _child(name: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", name, *args]


# --- the measuring parent ---------------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        VILLAGEGOV_HOME=str(home),
        VILLAGEGOV_PASSWORD=REVIEWER[2],
        QT_QPA_PLATFORM="offscreen",
        VILLAGEGOV_LANG="zh_CN",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a child to its end: (seconds, peak resident MB, its output); fails loudly if it fails."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problems = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args[:6])}… failed ({process.returncode}):\n{problems[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, text


def _reset(url: str) -> None:
    from playhouse.db_url import connect

    db = connect(url)
    db.connect()
    db.execute_sql("DROP SCHEMA public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    db.close()


def build(folder: Path, villages: int, households: int, notices: int, env: dict[str, str]) -> list[Path]:
    """The demo's package and villages-1 small ones, kept in `folder` (only the missing ones are made)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "parameters.json"
    wanted = {"households": households, "notices": notices}
    if stamp.exists() and json.loads(stamp.read_text()) != wanted:
        for old in folder.glob("v*.zip"):
            old.unlink()
    stamp.write_text(json.dumps(wanted))
    if not (folder / "demo.zip").exists():
        seconds, _mb, _out = _run(_child("demo", str(folder)), env)
        print(f"built the demo village's package in {seconds:.0f} s", file=sys.stderr)
    missing = [n for n in range(1, villages) if not (folder / f"v{n:03d}.zip").exists()]
    started = time.perf_counter()
    for first in range(0, len(missing), 25):  # in batches: a child at a time, progress shown
        batch = missing[first : first + 25]
        _run(
            _child("build", str(folder), str(batch[0]), str(batch[-1] + 1), str(households), str(notices)),
            env,
        )
        done = first + len(batch)
        print(
            f"built {done} of {len(missing)} small villages ({time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
        )
    return [folder / "demo.zip", *(folder / f"v{n:03d}.zip" for n in range(1, villages))]


def measure(url: str, files: list[Path], work: Path, env: dict[str, str]) -> dict[str, float]:
    _reset(url)
    _run(_child("set-up", url, *map(str, files)), env)
    township = [sys.executable, "-m", "villagegov", "--db", url, "--user", REVIEWER[0], "archive"]
    import_s, import_mb, out = _run([*township, "import", *map(str, files)], env)
    assert out.count("已导入") == len(files), out[-2000:]
    review = work / f"review-{len(files)}.pdf"
    review_s, review_mb, _out = _run([*township, "review", "-o", str(review)], env)
    from pypdf import PdfReader

    pages = len(PdfReader(review).pages)
    _s, _mb, size = _run(_child("size", url), env)
    return {
        "villages": len(files),
        "package_mb": sum(f.stat().st_size for f in files) / 2**20,
        "import_s": import_s,
        "per_package_s": import_s / len(files),
        "import_mb": import_mb,
        "review_s": review_s,
        "review_mb": review_mb,
        "pages": pages,
        "db_mb": int(size) / 2**20,
    }


COLUMNS = (
    ("villages", "villages", "{:.0f}"),
    ("package_mb", "packages (MB)", "{:.1f}"),
    ("import_s", "import (s)", "{:.1f}"),
    ("per_package_s", "per package (s)", "{:.2f}"),
    ("import_mb", "import peak (MB)", "{:.0f}"),
    ("review_s", "review (s)", "{:.1f}"),
    ("review_mb", "review peak (MB)", "{:.0f}"),
    ("pages", "review pages", "{:.0f}"),
    ("db_mb", "database (MB)", "{:.0f}"),
)


def table(rows: list[dict[str, float]]) -> str:
    lines = ["| " + " | ".join(label for _k, label, _f in COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(f.format(row[k]) for k, _l, f in COLUMNS) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        ratios = " | ".join(f"{last[k] / first[k]:.1f}×" for k, _l, _f in COLUMNS[1:])
        lines.append(f"| growth ({last['villages'] / first['villages']:.0f}× villages) | {ratios} |")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        CHILDREN[sys.argv[2]](*sys.argv[3:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", required=True, help="a PostgreSQL database to EMPTY and use")
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--households", type=int, default=40, help="households of each small village")
    parser.add_argument("--notices", type=int, default=6, help="notices of each small village's year")
    parser.add_argument("--keep", type=Path, help="build the packages here and keep them (reruns reuse them)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="villagegov-county-"))
    try:
        env = _env(work / "home")
        folder = args.keep or work / "packages"
        files = build(folder, max(args.sizes), args.households, args.notices, env)
        print(
            f"Villages: the demo village (every room) and small ones of {args.households} households and "
            f"{args.notices} notices (smaller than the demo, which takes too long to build 300 times here); "
            f"one township; PostgreSQL {args.pg.rsplit('@', 1)[-1]}",
        )
        rows = []
        for size in sorted(args.sizes):
            rows.append(measure(args.pg, files[:size], work, env))
            print(f"{size} villages measured", file=sys.stderr)
        print(table(rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
