"""Writing files so that an interrupted write never leaves something that looks whole."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path, claim: Callable[[Path], Path] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target`; move it into place only if the block succeeds.

    `claim(target)` names the temporary path and records it first (core/scratch.WorkFolder.claim), so
    that a part left by a killed process is found and removed at the next start.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if claim is None:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        tmp = Path(name)
    else:
        tmp = claim(target)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
