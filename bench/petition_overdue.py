"""The overdue list over 100,000 petitions: median and p95 time of `petition_service.list_petitions`.

    python bench/petition_overdue.py                     # 100,000 petitions in a temporary SQLite file
    python bench/petition_overdue.py --count 20000 --runs 50 --open 0.1
    python bench/petition_overdue.py --target postgresql://user:pw@host/EMPTY_DB

The petitions are bulk-inserted straight into the table (not through the service: no steps and no
audit entries, it is a throwaway database), received over ten years; a share of them (`--open`,
default 5%) is still open with its next step's deadline spread around today, so about half of those
are overdue. Measured through the service as the room and the command line call it:

- `list petitions --overdue`: every open petition past its deadline, oldest deadline first
  (target: < 100 ms median);
- the room's "due soon or overdue" filter, first 2,000 rows;
- the main window's indicator (`attention`: three counts);
- the newest 2,000 petitions (the room's list as it opens).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from villagegov.accounts import service as accounts
from villagegov.core.db import database, is_postgres
from villagegov.petitions import petition_rules, petition_service, service
from villagegov.petitions.petition_models import Petition
from villagegov.schema import close_store, open_store

TARGET_MS = 100.0
TODAY = date(2026, 11, 20)
SUBJECTS = ("申请修缮门前排水沟", "反映村道路灯不亮", "建议增设垃圾分类投放点", "土地流转租金未按时发放")


def _fill(count: int, open_share: float, village_id: int, rng: random.Random) -> tuple[float, int]:
    started = time.perf_counter()
    rows = []
    sequences: dict[tuple[str, int], int] = {}
    open_count = 0
    for i in range(count):
        received = TODAY - timedelta(days=3650 - i * 3650 // count)
        ledger = rng.choice(petition_rules.LEDGERS)
        key = (ledger, received.year)
        sequences[key] = sequences.get(key, 0) + 1
        is_open = rng.random() < open_share
        open_count += is_open
        due = TODAY + timedelta(days=rng.randint(-30, 30)) if is_open else None
        rows.append(
            {
                "village": village_id, "ledger": ledger, "year": received.year, "sequence": sequences[key],
                "number": petition_rules.petition_number(ledger, received.year, sequences[key]),
                "channel": rng.choice(petition_rules.CHANNELS), "received_on": received,
                "subject": rng.choice(SUBJECTS), "content": "村民反映的具体内容。" * 5,
                "villager_id": rng.randint(1, 1500), "petitioner": "王大山", "contact": "",
                "anonymous": False, "departments": False,
                "state": petition_rules.OPEN if is_open else petition_rules.CLOSED,
                "next_step": rng.choice(petition_rules.STEPS[1:]) if is_open else "",
                "round": 0, "due_on": due, "warn_on": due - timedelta(days=1) if due else None,
                "due_provisional": False, "closed_on": None if is_open else received + timedelta(days=20),
                "satisfaction": "" if is_open else petition_rules.SATISFIED,
                "created_at": datetime.combine(received, datetime.min.time()), "created_by": "bench",
            }
        )  # fmt: skip
    with database.atomic():
        for start in range(0, len(rows), 500):
            Petition.insert_many(rows[start : start + 500]).execute()
        # Who complained lives apart, as the service keeps it.
        database.execute_sql(
            "INSERT INTO complaint_identity (petition_id, villager_id, name, contact) "
            "SELECT id, villager_id, petitioner, contact FROM petition WHERE ledger = 'complaint'"
        )
        database.execute_sql(
            "UPDATE petition SET petitioner = '', villager_id = NULL WHERE ledger = 'complaint'"
        )
    for table in ("petition", "complaint_identity"):
        database.execute_sql(f"ANALYZE {table}")
    return time.perf_counter() - started, open_count


def _time(call: Callable[[], object], runs: int) -> tuple[float, float, object]:
    result = call()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--open", type=float, default=0.05, help="share of the petitions still open")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--target", help="an EMPTY database (file path or PostgreSQL URL); default: temporary"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_store(args.target or Path(folder) / "bench.sqlite3")
        try:
            actor = accounts.set_up("青石村", "柳溪镇", "安平县", "bench", "测试", "bench-1234", "bench-1234")
            fill, open_count = _fill(args.count, args.open, actor.village_id, random.Random(20261120))
            engine = "PostgreSQL" if is_postgres() else "SQLite"
            print(
                f"{args.count:,} petitions on {engine} ({open_count:,} open), inserted in {fill:.1f} s; "
                f"{args.runs} runs each, today = {TODAY}\n"
            )
            overdue = petition_service.PetitionFilter(overdue=True)
            attention = petition_service.PetitionFilter(attention=True)
            cases: tuple[tuple[str, Callable[[], object], float | None], ...] = (
                ("overdue list (`list petitions --overdue`)",
                 lambda: petition_service.list_petitions(actor, overdue, TODAY), TARGET_MS),
                ("due soon or overdue, first 2,000 (the room's filter)",
                 lambda: petition_service.list_petitions(actor, attention, TODAY, None, 2000), None),
                ("main window indicator (`attention`)", lambda: service.attention(actor, TODAY), None),
                ("newest 2,000 (the room's list as it opens)",
                 lambda: petition_service.list_petitions(actor, None, TODAY, None, 2000), None),
            )  # fmt: skip
            print("| what | median ms | p95 ms | rows | target |")
            print("|---|---:|---:|---:|---|")
            for what, call, target in cases:
                median, p95, result = _time(call, args.runs)
                rows = len(result) if isinstance(result, list) else result
                verdict = ("PASS" if median < target else "ABOVE") if target else ""
                shown = f"{rows:,}" if isinstance(rows, int) else str(rows)
                print(f"| {what} | {median:.1f} | {p95:.1f} | {shown} | {verdict} |")
        finally:
            close_store(db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
