"""The program's log: what it did (start, sign-in, every audited write) and every unexpected error with
its traceback, in a rotating file in the logs folder (`paths.logs_dir()`, 1 MB × 5, UTF-8).

Never personal data: `PrivacyFilter` masks ID-card and mobile numbers (`privacy.mask_text`, every
spelling) and the password of a database address in each record's message, arguments and traceback
before any handler writes it, and no code gives a logger a password.

The window's start holds its records in memory and opens the file after the first frame
(`open_file`), because `logging.handlers` costs 5-20 ms to import there; a command opens it at once.
An unexpected error opens it before it is written, so a failed start still leaves its trace.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import re
import sys
import threading
import traceback
from pathlib import Path

from villagegov import __version__
from villagegov.core import paths, privacy
from villagegov.core.i18n import _

FILE_NAME = "villagegov.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"
# The exit code of an error the program did not expect (sysexits' EX_SOFTWARE); its traceback is logged.
EXIT_UNEXPECTED = 70
SUMMARY_MAX = 300  # characters of an error's own words in a message; the log has them all
HELD_AT_MOST = 2000  # records of a start before the file opens; more means something loops

log = logging.getLogger("villagegov")
# Without a handler of its own, logging would print an error to stderr unmasked (its "last resort").
log.addHandler(logging.NullHandler())

# postgresql://user:secret@host/db: the secret is the one password a log line could carry.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@", re.IGNORECASE)


def scrub(text: str) -> str:
    """`text` with its ID-card and mobile numbers masked and a database address's password hidden."""
    return privacy.mask_text(_URL_PASSWORD.sub(r"\g<head>***@", text))


class PrivacyFilter(logging.Filter):
    """Masks personal numbers in the whole record: its message with the arguments put in, its
    traceback and its stack. Set on the handlers, so records of every logger pass through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # arguments that do not fit the message: keep both, masked
            text = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = scrub(text), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class _Held(logging.Handler):
    """The start's records, kept until the file is opened."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(PrivacyFilter())  # masked as they come: their arguments may change later

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < HELD_AT_MOST:
            self.records.append(record)


_lock = threading.RLock()
_held: _Held | None = None
_file: logging.Handler | None = None
_file_path: Path | None = None


def folder() -> Path:
    """Where the log files are (the about box and the error dialog name it), made if need be."""
    try:
        return paths.logs_dir()
    except OSError:  # cannot be made: still the place to name
        return paths.logs_dir(create=False)


def start(what: str, defer_file: bool = False) -> None:
    """Begin the log for this run and write its first line; `what` says what was asked (a command's
    name, "window"). With `defer_file`, records are held until `open_file()` (the window's start)."""
    global _held
    with _lock:
        log.setLevel(logging.INFO)
        if defer_file and _file is None:
            if _held is None:
                _held = _Held()
                logging.getLogger().addHandler(_held)
                atexit.register(_open_if_held)  # a start that ends before its first frame keeps its records
        else:
            with contextlib.suppress(OSError):  # a command still runs where no log can be written
                open_file()
    frozen = " (built)" if getattr(sys, "frozen", False) else ""
    python = sys.version.split()[0]
    log.info("villagegov %s%s starts: %s; Python %s on %s", __version__, frozen, what, python, sys.platform)


def open_file() -> Path:
    """Open the log file (again if the logs folder moved, as between tests) and write what was held."""
    global _held, _file, _file_path
    with _lock:
        path = paths.logs_dir() / FILE_NAME
        root = logging.getLogger()
        if _file is not None and _file_path == path:
            return path
        from logging.handlers import RotatingFileHandler  # here, not at the start: see the docstring

        handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False
        )
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(PrivacyFilter())
        if _file is not None:
            root.removeHandler(_file)
            _file.close()
        root.addHandler(handler)
        _file, _file_path = handler, path
        if _held is not None:
            root.removeHandler(_held)
            for record in _held.records:
                handler.handle(record)
            _held.close()
            _held = None
        return path


def stop() -> None:
    """Close the log file and forget what was held (tests; the program leaves it to its exit)."""
    global _held, _file, _file_path
    with _lock:
        root = logging.getLogger()
        for handler in (_held, _file):
            if handler is not None:
                root.removeHandler(handler)
                handler.close()
        _held = _file = _file_path = None
        log.setLevel(logging.NOTSET)


def _open_if_held() -> None:
    if _held is not None:
        with contextlib.suppress(OSError):
            open_file()


def log_unexpected(exc: BaseException, where: str) -> Path:
    """Write an unexpected error and its traceback to the log file (opened now if need be); the
    logs folder, for the message that names it."""
    with contextlib.suppress(OSError):  # no log file (a read-only or full disk): the message is shown
        open_file()
    log.error("unexpected error in %s", where, exc_info=exc)
    return folder()


def describe(exc: BaseException) -> str:
    """An unexpected error in one line for the user, masked: its type and its words (a refusal that
    escaped: its message)."""
    from villagegov.core.errors import VillagegovError

    if isinstance(exc, VillagegovError):
        text = exc.message()
    else:
        words = str(exc)
        text = f"{type(exc).__name__}: {words}" if words else type(exc).__name__
    text = scrub(" ".join(text.split()))
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def tell_stderr(exc: BaseException, where: str, folder: Path | None) -> None:
    """Say on stderr what failed and where the log is (a command, or a start without Qt)."""
    if sys.stderr is None:  # the windowed build has no console: the log is all there is
        return
    text = _("Unexpected error in {where}: {error}").format(where=where, error=describe(exc))
    if folder is not None:
        text += "\n" + _("The details are in the log, in {folder}").format(folder=folder)
    print(text, file=sys.stderr, flush=True)


def report_unexpected(exc: BaseException, where: str) -> None:
    """An unexpected error where no window can show it: the log and stderr."""
    tell_stderr(exc, where, log_unexpected(exc, where))
