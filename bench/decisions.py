"""四议两公开: the list screen, one matter's timeline, and its dossier, on a village with many matters.

    python bench/decisions.py [--matters 300] [--runs 10]

Builds, through the services, a SQLite village with `--matters` major matters (ten years of about 30 a
year) spread over every step as a village's are: most complete with both disclosures, one in twenty not
adopted, a few waiting at steps 1 to 4, and the three latest with their resolution hanging on the board.
Then times, warm, what a click costs:
`list_decisions` (the room's list, reloaded at each keystroke of its search), `get_decision` (the
timeline of a complete matter) and the dossier PDF of a complete matter (service + layout + bytes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import set_up_village
from tests.decisions import conftest as walk
from villagegov.accounts import service as accounts
from villagegov.decisions import pdf, rules, service
from villagegov.schema import close_store, open_store


def build(matters: int) -> tuple[walk.Village, int]:
    clerk = set_up_village()
    walk._roster(clerk)
    accounts.create_user(clerk, "shuji", "王书记", "secretary", "mima-5678")
    accounts.create_user(clerk, "jianwei", walk.SUPERVISOR, "supervisor", "mima-5678")
    v = walk.Village(clerk, accounts.sign_in("shuji", "mima-5678"), accounts.sign_in("jianwei", "mima-5678"))
    complete_id = 0
    for n in range(matters):
        d = walk.open_matter(v, f"事项{n + 1}")
        kind = n % 20
        if n >= matters - 3:  # the latest: their resolution hanging on the board
            walk.through(v, d.id, rules.RESOLVE)
            walk.post_disclosure(v, d.id, date(2026, 3, 21), walk.TODAY - timedelta(days=2))
        elif kind < 16:  # complete, with both disclosures
            walk.complete(v, d.id)
            complete_id = complete_id or d.id
        elif kind == 16:  # not adopted at step 4
            walk.through(v, d.id, rules.REVIEW)
            no = walk.meeting(rules.RESOLVE, v, for_=3, against=8, abstain=1)
            service.record_step(clerk, d.id, rules.RESOLVE, no, today=walk.TODAY)
            service.end_not_adopted(clerk, d.id, date(2026, 3, 21), "未通过", today=walk.TODAY)
        else:  # waiting at step 2 or 4
            walk.through(v, d.id, rules.PROPOSE if kind % 2 else rules.REVIEW)
    return v, complete_id


def timed(runs: int, call) -> list[float]:  # type: ignore[no-untyped-def]
    call()  # warm
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matters", type=int, default=300)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_store(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        v, complete_id = build(args.matters)
        print(f"built {args.matters} matters in {time.perf_counter() - started:.1f} s")
        rows: list[tuple[str, list[float]]] = [
            (
                "list_decisions (all)",
                timed(args.runs, lambda: service.list_decisions(v.clerk, today=walk.TODAY)),
            ),
            (
                "list_decisions (a search)",
                timed(args.runs, lambda: service.list_decisions(v.clerk, text="事项1")),
            ),
            ("get_decision (complete)", timed(args.runs, lambda: service.get_decision(v.clerk, complete_id))),
            (
                "dossier PDF (complete)",
                timed(
                    args.runs, lambda: pdf.dossier_bytes(service.dossier(v.clerk, complete_id, walk.TODAY))
                ),
            ),
        ]
        print(f"\n| what ({args.matters} matters) | median ms | p95 ms |")
        print("|---|---:|---:|")
        for name, times in rows:
            ordered = sorted(times)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} |")
        close_store(db)


if __name__ == "__main__":
    main()
