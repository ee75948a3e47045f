"""How long a sign-in takes, by who is named: the time must not tell a guesser which user names exist.

    python bench/sign_in.py              # 15 tries of each, in a temporary SQLite file
    python bench/sign_in.py --runs 40

Before: an unknown name answered in 0.3 ms and a known one in 31 ms (one scrypt). Now every case runs
one scrypt of the same parameters. Each try uses a user name of its own for the wrong passwords, so
that the waits after wrong passwords (accounts/rules.sign_in_delay) are not part of the figures; the
last table shows what those waits make of a guesser's rate on one name.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from villagegov.accounts import rules, service
from villagegov.core.errors import AuthenticationFailed
from villagegov.schema import close_store, open_store


def _timed(name: str, password: str) -> float:
    started = time.perf_counter()
    with contextlib.suppress(AuthenticationFailed):
        service.sign_in(name, password)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_store(Path(folder) / "bench.sqlite3")
        clerk = service.set_up("青石村", "柳溪镇", "安平县", "wenshu", "李文书", "mima-1234", "mima-1234")
        for i in range(args.runs):  # users whose wrong passwords are each their first
            service.create_user(clerk, f"u{i}", f"u{i}", "clerk", "mima-1234", "mima-1234")
            off = service.create_user(clerk, f"off{i}", f"off{i}", "clerk", "mima-1234", "mima-1234")
            service.set_active(clerk, off.id, False)
        cases: dict[str, list[float]] = {"known, right password": [], "known, wrong password": [],
                                         "unknown name": [], "switched-off user": []}  # fmt: skip
        for i in range(args.runs):
            cases["known, right password"].append(_timed("wenshu", "mima-1234"))
            cases["known, wrong password"].append(_timed(f"u{i}", "wrong-pw"))
            cases["unknown name"].append(_timed(f"nobody{i}", "wrong-pw"))
            cases["switched-off user"].append(_timed(f"off{i}", "mima-1234"))
        close_store(db)
    print(f"sign-in time by who is named ({args.runs} tries each, ms)")
    print(f"{'case':<24} {'median':>8} {'min':>8} {'max':>8}")
    for case, times in cases.items():
        print(f"{case:<24} {statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}")
    print()
    print("waits after wrong passwords in a row, for one user name (accounts/rules.sign_in_delay)")
    total = 0.0
    for failures in (1, 2, 3, 4, 5, 6, 10, 20):
        total = sum(rules.sign_in_delay(n).total_seconds() for n in range(failures))
        print(f"{failures:>3} wrong: next try waits {rules.sign_in_delay(failures).total_seconds():4.0f} s, "
              f"the {failures} tries waited {total:5.0f} s in all")  # fmt: skip
    cap = rules.SIGN_IN_DELAY_CAP.total_seconds()
    print(f"sustained: at most {1 / cap:.2f} tries a second on one name, however many processes guess")


if __name__ == "__main__":
    main()
