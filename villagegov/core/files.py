"""Writing files so that an interrupted write never leaves something that looks whole, and keeping the
user's files to the user alone.

On POSIX the database (and the -wal and -shm files SQLite makes beside it, which take its mode),
backups, exports and the app's folders are made 0600 / 0700 whatever the umask: they hold every
villager's ID number. On Windows they live in the user's own profile (platformdirs), which other
users of the computer cannot read; nothing is changed there.
"""

from __future__ import annotations

import os
import re
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


POSIX = os.name == "posix"
PRIVATE_DIR = 0o700
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

# Files found readable by others and tightened since the last `take_tightened()`: the CLI prints them,
# the window's status bar shows them.
_tightened: list[Path] = []


def _wider_than_owner(path: Path) -> int | None:
    """The file's permission bits if others (group or world) may use it; None otherwise."""
    mode = path.stat().st_mode & 0o777
    return mode if mode & 0o077 else None


def private_dir(path: Path, tighten: bool = True) -> Path:
    """A folder for the user alone (0700 on POSIX): made so; an existing one of ours that is wider is
    tightened (`tighten=False` for a folder that may be someone else's choice)."""
    existed = path.is_dir()
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if POSIX and (tighten or not existed) and _wider_than_owner(path) is not None:
        os.chmod(path, PRIVATE_DIR)
    return path


def private_database(path: Path) -> None:
    """Make a new SQLite file for the user alone before SQLite does (it would follow the umask: 0644);
    an existing one readable by others is tightened, with its -wal and -shm, and remembered for a notice.

    SQLite gives the -wal and -shm it creates the database file's own mode, so they follow.
    """
    if not POSIX:
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        pass
    else:
        os.close(fd)
        return
    for file in (path, *(path.with_name(path.name + suffix) for suffix in _SQLITE_COMPANIONS)):
        try:
            mode = _wider_than_owner(file)
            if mode is not None:
                os.chmod(file, mode & 0o700)
                if file == path:
                    _tightened.append(path)
        except FileNotFoundError:
            continue
        except PermissionError:
            continue  # not the user's own file: SQLite will say whether it can be used


def take_tightened() -> list[Path]:
    """The databases tightened since the last call (and forget them)."""
    found = list(_tightened)
    _tightened.clear()
    return found


def tightened_notice(path: Path) -> str:
    """What the clerk is told about a database made private."""
    from villagegov.core.i18n import _

    return _("{file} could be read by other users of this computer; it is now readable by you alone.").format(
        file=path
    )


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # what Windows refuses in a file's name


def pdf_file_name(text: str) -> str:
    """A document's suggested file name: its number and title, with what Windows refuses replaced."""
    return _UNSAFE_IN_FILE_NAMES.sub("_", text.strip()) + ".pdf"
