"""The clock of the window's start, read by bench/cold_start.py: seconds since villagegov's own code
began to run (the package's import), and when each part of opening the window was done."""

from __future__ import annotations

import time

from villagegov import STARTED

PARTS: dict[str, float] = {}


def since_start() -> float:
    return time.perf_counter() - STARTED


def mark(part: str) -> None:
    PARTS[part] = since_start()
