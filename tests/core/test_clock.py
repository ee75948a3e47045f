"""The one clock: a run pinned to a day sees that day everywhere, and nothing reads the real date."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from villagegov.core import clock

# The demo and the day: .ci/run runs these again at the year's edges (VILLAGEGOV_TEST_TODAY).
pytestmark = pytest.mark.date_sensitive

ROOT = Path(__file__).resolve().parents[2]


def test_the_day_is_pinned_by_the_environment_or_by_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENVIRONMENT, "2028-02-29")
    assert clock.today() == date(2028, 2, 29)
    assert clock.now().date() == date(2028, 2, 29)
    assert clock.utc_now().date() in {date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)}
    clock.pin(date(2027, 12, 31))
    try:
        assert clock.today() == date(2027, 12, 31)
        assert clock.now().date() == date(2027, 12, 31)
    finally:
        clock.pin(None)
    assert clock.today() == date(2028, 2, 29)


def test_a_bad_day_in_the_environment_is_ignored_here_and_refused_by_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(clock.ENVIRONMENT, "2027-02-30")
    assert clock.pinned() is None
    result = subprocess.run(
        [sys.executable, "-m", "villagegov", "--lang", "en", "check"],
        capture_output=True, text=True, env={**_env(), clock.ENVIRONMENT: "2027-02-30"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "VILLAGEGOV_TODAY is not a date (YYYY-MM-DD): 2027-02-30" in result.stderr


def test_today_on_the_command_line_reaches_what_is_written(tmp_path: Path) -> None:
    """A notice drafted with --today 2028-02-29 is dated that day (and the audit log agrees)."""
    db = tmp_path / "v.sqlite3"
    env = {**_env(), "VILLAGEGOV_PASSWORD": "demo1234"}
    run = subprocess.run(
        [sys.executable, "-m", "villagegov", "--db", str(db), "--today", "2028-02-29", "demo"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "villagegov", "--db", str(db), "--today", "2028-02-29", "--user", "wenshu",
         "list", "notices"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    posted = sorted(line.split("\t")[6] for line in listed.stdout.splitlines() if line.split("\t")[6])
    assert posted and posted[-1] <= "2028-02-29" and posted[-1] >= "2028-01-01"


def test_no_code_reads_the_real_clock() -> None:
    """ruff's banned-api rule (pyproject.toml) names every read of the real date outside core/clock.py."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "TID251", "villagegov", "tests", "bench"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != clock.ENVIRONMENT}
