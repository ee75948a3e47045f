"""Private work folders for long jobs (an archive export, a package unpacked for verify or import),
and the sweep that removes what a killed job left behind.

A job's work files can hold personal data (the roster's records with full ID numbers), so they live in
a folder of their own under the data folder's `work/`, made for the user alone (0700), and removed
when the job ends in any way Python sees (done, refused, cancelled, an exception). A process that is
killed (SIGKILL, a power cut, the task manager) cleans nothing: its folder, and the hidden `.part`
files it claimed beside its targets, are swept at the program's next start (`sweep`, run by
`cli.main` for the window and every command).

Which folders are still in use: each owner holds a lock on its folder's `owner.lock` for as long as it
lives (fcntl.flock on POSIX, msvcrt.locking on Windows), and the operating system lets go of it when
the process ends, however it ends. The sweep tries each lock without waiting and removes only the
folders whose lock it gets (holding it while it removes them), so a folder another running export is
using is never touched. Its pid is written in the lock file for people, not trusted: pids are reused.
A folder caught between being made and being locked is settled by whoever locks it first: the sweep
(which removes it) or its owner (who otherwise makes another). A `.part` file is named and recorded in
its folder's `claims` before it is made, so a killed job's part is always found.
(Hand-written rather than `filelock`: two platform calls, and the sweep needs exactly these semantics.)
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

LOCK_FILE = "owner.lock"
CLAIMS_FILE = "claims"


def _try_lock(f: IO[bytes]) -> bool:
    """Take the lock on an open file without waiting; False if another open file holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _still_there(lock: IO[bytes], path: Path) -> bool:
    """The locked file is still the one at `path` (a sweep did not remove it before the lock)."""
    try:
        return os.path.samestat(os.fstat(lock.fileno()), os.stat(path))
    except OSError:
        return False


def root(create: bool = True) -> Path:
    """The folder holding every work folder (made 0700 if asked)."""
    from villagegov.core import paths

    path = paths.work_dir(create=False)
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name != "nt":
            os.chmod(path, 0o700)  # mkdir's mode is cut by the umask, and an older folder may be wider
    return path


class WorkFolder:
    """One job's private folder, locked by this process until `close`."""

    def __init__(self, kind: str, under: Path | None = None) -> None:
        import tempfile

        base = under if under is not None else root()
        for _attempt in range(10):
            # mkdtemp makes the folder 0700 whatever the umask.
            path = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=base))
            try:
                lock = open(path / LOCK_FILE, "a+b")  # noqa: SIM115 (held until close)
            except FileNotFoundError:
                continue  # a start swept it before it was locked: make another
            if _try_lock(lock) and _still_there(lock, path / LOCK_FILE):
                break
            lock.close()  # a start's sweep held it, and removes (or removed) it: make another
        else:
            raise OSError(f"cannot make a work folder in {base}")
        self.path = path
        self._lock: IO[bytes] | None = lock
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n".encode())
        lock.flush()
        self._claims: list[Path] = []

    def claim(self, target: Path) -> Path:
        """A fresh hidden `.part` path beside `target`, recorded here before the file is made."""
        import secrets

        part = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
        with open(self.path / CLAIMS_FILE, "a", encoding="utf-8") as claims:
            claims.write(str(part.absolute()) + "\n")
        self._claims.append(part)
        return part

    def close(self) -> None:
        """Remove the folder and any claimed part still there (a finished job's part was renamed)."""
        for part in self._claims:
            part.unlink(missing_ok=True)
        if self._lock is not None:
            self._lock.close()  # Windows removes no open file; the folder goes next in any case
            self._lock = None
        shutil.rmtree(self.path, ignore_errors=True)


@contextmanager
def work_folder(kind: str) -> Iterator[WorkFolder]:
    """A private folder for one job, removed when the block ends, however it ends in Python."""
    folder = WorkFolder(kind)
    try:
        yield folder
    finally:
        folder.close()


def _remove_claimed(folder: Path) -> None:
    try:
        lines = (folder / CLAIMS_FILE).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for line in lines:
        part = Path(line)
        # Only what a claim can name: a hidden .part file (the claims file is ours, but never trusted
        # to delete anything else).
        if part.name.startswith(".") and part.name.endswith(".part") and part.is_absolute():
            with suppress(OSError):
                part.unlink(missing_ok=True)


def _remove(folder: Path, lock: IO[bytes]) -> None:
    """Remove a folder whose lock this process holds (Windows: all but the open lock file first)."""
    if os.name != "nt":
        shutil.rmtree(folder, ignore_errors=True)  # under the lock: nobody can take the folder meanwhile
        return
    for entry in os.scandir(folder):
        if entry.name != LOCK_FILE:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with suppress(OSError):
                    os.unlink(entry.path)
    lock.close()
    shutil.rmtree(folder, ignore_errors=True)


def sweep(under: Path | None = None) -> list[Path]:
    """Remove the work folders whose owner has ended, and the `.part` files they claimed.

    Cheap when there is nothing to do (one directory listing); never raises (a start must not fail
    over a leftover). Returns the folders removed.
    """
    base = under if under is not None else root(create=False)
    try:
        entries = list(os.scandir(base))
    except OSError:
        return []
    removed: list[Path] = []
    for entry in entries:
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            folder = Path(entry.path)
            # "a+b" makes the lock file of a folder whose owner died before making it.
            with open(folder / LOCK_FILE, "a+b") as lock:
                if not _try_lock(lock):
                    continue  # its owner is alive
                _remove_claimed(folder)
                _remove(folder, lock)
            removed.append(folder)
        except OSError:
            continue
    return removed
