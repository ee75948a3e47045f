"""villagegov (村务记录): the records of a village's self-governance."""

import time as _time

__version__ = "0.1.0"
APP_NAME = "villagegov"
# When villagegov's own code began to run: the clock of the window's start (core/startup.py).
STARTED = _time.perf_counter()
