"""The app's one clock: nothing else in villagegov reads the real date or time.

A run can be pinned to a day — `--today YYYY-MM-DD` on the command line, or the environment
variable VILLAGEGOV_TODAY — so that a demo, a deadline or a test gives the same answer on any day
of any year. A pinned day keeps the real time of day: records written one after the other still
follow each other.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta

ENVIRONMENT = "VILLAGEGOV_TODAY"

_pinned: date | None = None


def parse_day(text: str) -> date:
    """YYYY-MM-DD, as `--today` and VILLAGEGOV_TODAY take it; ValueError otherwise."""
    return date.fromisoformat(text.strip())


def pin(day: date | None) -> None:
    """From now on `today()` is `day` (None: the real date again, or the environment's)."""
    global _pinned
    _pinned = day


def pinned() -> date | None:
    """The day this run is pinned to, if it is."""
    if _pinned is not None:
        return _pinned
    text = os.environ.get(ENVIRONMENT)
    if text:
        try:
            return parse_day(text)
        except ValueError:
            return None  # the CLI refuses a bad value with a message; elsewhere it is ignored
    return None


def _shift() -> timedelta:
    day = pinned()
    return timedelta(0) if day is None else day - datetime.now().date()  # noqa: TID251 - the one reader


def today() -> date:
    """The day as the app sees it."""
    return pinned() or datetime.now().date()  # noqa: TID251 - the one reader


def now() -> datetime:
    """Local wall-clock time (naive), on the app's day."""
    return datetime.now() + _shift()  # noqa: TID251 - the one reader


def utc_now() -> datetime:
    """The time in UTC (aware), on the app's day."""
    return datetime.now(UTC) + _shift()  # noqa: TID251 - the one reader


def start_of(day: date) -> datetime:
    return datetime.combine(day, time())
