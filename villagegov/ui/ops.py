"""The one way a screen calls a service (learned from Anki's CollectionOp / QueryOp).

- `write(parent, service.fn, ...)`: a write on the GUI thread (they take milliseconds on SQLite). A
  refusal is shown in the user's language and gives None; what the write changed (the records its
  audit entries name, `core/changes.py`) is announced on `bus().changed` once it has succeeded, so
  every room showing such records reloads — a visible one at once, a hidden one when next shown.
- `read(parent, service.fn, ...)`: the same for a read: a refusal is shown, nothing is announced.
- `Task`: anything that may take more than ~100 ms (a print preview, saving a PDF, an import, an
  export, a verify, the township's review) runs on a worker thread, with a progress dialog and Cancel
  where the clerk waits for it. The work gets a `Progress` to report to and to learn it was cancelled;
  a cancelled work raises `Cancelled` and leaves no half-written file (files are written through
  `core/files.atomic_path`). The result keeps its type.

An unexpected exception (a programming error, a full disk) is never swallowed: on the GUI thread it
reaches `sys.excepthook`, on a worker `report_unexpected`; both log it and show a dialog
(`ui/failures.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from villagegov.core import changes, i18n
from villagegov.core.changes import Changes
from villagegov.core.errors import Cancelled, VillagegovError
from villagegov.core.i18n import _

P = ParamSpec("P")
T = TypeVar("T")

PROGRESS_DELAY_MS = 400  # a task that ends sooner never shows its progress dialog


class Bus(QObject):
    """The application's one signal of what changed (record kinds and ids)."""

    changed = Signal(object)  # Changes


_bus: Bus | None = None


def bus() -> Bus:
    global _bus
    if _bus is None:
        _bus = Bus()
    return _bus


def announce(what: Changes) -> None:
    if what:
        bus().changed.emit(what)


# --- refusals and failures -----------------------------------------------------------------------


def show_refusal(parent: QWidget | None, message: str) -> None:
    """A refusal in a warning box (a test replaces this to collect them instead)."""
    from villagegov.ui.widgets import show_error

    show_error(parent, message)


def report_unexpected(exc: BaseException, where: str) -> None:
    """A programming error or an unexpected failure: logged and shown (ui/failures.py)."""
    from villagegov.ui.failures import report_unexpected as report

    report(exc, where)


# --- writes and reads on the GUI thread ----------------------------------------------------------


def write(parent: QWidget | None, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
    """Run a service write; its refusal is shown and gives None; its changes are announced."""
    with changes.gathering() as bag:
        try:
            result = fn(*args, **kwargs)
        except VillagegovError as exc:
            show_refusal(parent, exc.message())
            return None
    announce(bag.changes())
    return result


def attempt(parent: QWidget | None, fn: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs) -> bool:
    """`write` for a service that returns nothing (a delete): whether it was done."""
    done = False

    def run() -> None:
        nonlocal done
        fn(*args, **kwargs)
        done = True

    write(parent, run)
    return done


def read(parent: QWidget | None, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
    """Run a service read; its refusal is shown and gives None."""
    try:
        return fn(*args, **kwargs)
    except VillagegovError as exc:
        show_refusal(parent, exc.message())
        return None


class Gathered:
    """For a dialog that calls its service itself (`FormDialog.submit`): gather, then announce."""

    def __init__(self) -> None:
        self._bag = changes.gathering()

    def __enter__(self) -> Gathered:
        self._inner = self._bag.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        self._bag.__exit__(kind, exc, tb)
        if kind is None:
            announce(self._inner.changes())


# --- long work on a worker thread ----------------------------------------------------------------


class Progress:
    """What a task's work reports to, and how it learns it was cancelled.

    Call it as `progress(done, total, what)` (total 0: not known); check `progress.cancelled` or call
    `progress.check()` between steps. `cancel_event` is the threading.Event services take as `cancel`.
    """

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._report = report
        self.cancel_event = threading.Event()

    def __call__(self, done: int, total: int = 0, what: str = "") -> None:
        self._report(done, total, what)

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()


class _Worker(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object, object)  # result, Changes
    refused = Signal(str)
    cancelled = Signal()
    crashed = Signal(object)  # the exception

    def __init__(self, work: Callable[[Progress], Any], language: str) -> None:
        super().__init__()
        self.work = work
        self.language = language
        self.progress = Progress(lambda d, t, w: self.progressed.emit(d, t, w))

    def run(self) -> None:
        try:
            with i18n.speaking(self.language), changes.gathering() as bag:
                result = self.work(self.progress)
        except Cancelled:
            self.cancelled.emit()
        except VillagegovError as exc:
            if self.progress.cancelled:
                self.cancelled.emit()
            else:
                self.refused.emit(exc.message())
        except Exception as exc:  # shown and logged on the GUI thread, never lost
            self.crashed.emit(exc)
        else:
            self.succeeded.emit(result, bag.changes())
        finally:
            from villagegov.core.db import database

            if database.obj is not None:
                database.close()  # this thread's own connection


_running: set[Task[Any]] = set()


class Task(QObject, Generic[T]):
    """`work(progress)` on a worker thread; `done(result)` on the GUI thread when it succeeded.

    `title`/`label` given: a window-modal progress dialog with Cancel appears if the work takes longer
    than PROGRESS_DELAY_MS. Without them the task is quiet (the caller shows its own "busy" state, as
    the print preview does). A refusal is shown (or given to `refused`); a cancel calls `cancelled`;
    `finished` is called after any of them. Start it with `start()`.
    """

    def __init__(
        self,
        parent: QWidget | None,
        work: Callable[[Progress], T],
        done: Callable[[T], object] | None = None,
        *,
        title: str = "",
        label: str = "",
        refused: Callable[[str], object] | None = None,
        cancelled: Callable[[], object] | None = None,
        finished: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.parent_widget = parent
        self._done, self._refused, self._cancelled, self._after = done, refused, cancelled, finished
        self.result: T | None = None
        self.where = title or label or _("Work in the background")  # named if it fails unexpectedly
        self.outcome = ""  # "done", "refused", "cancelled" or "crashed" once finished
        self._waiters: list[QEventLoop] = []
        self.worker: _Worker | None = _Worker(work, i18n.current_language())
        self.worker.progressed.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self.worker.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self.worker.refused.connect(self._refusal, Qt.ConnectionType.QueuedConnection)
        self.worker.cancelled.connect(self._was_cancelled, Qt.ConnectionType.QueuedConnection)
        self.worker.crashed.connect(self._crash, Qt.ConnectionType.QueuedConnection)
        self.worker.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.dialog: QProgressDialog | None = None
        if title or label:
            self.dialog = QProgressDialog(label or title, _("Cancel"), 0, 0, parent)
            self.dialog.setWindowTitle(title or label)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(PROGRESS_DELAY_MS)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.canceled.connect(self.cancel)

    # --- control ---

    def start(self) -> Task[T]:
        assert self.worker is not None, "a task runs once"
        _running.add(self)
        if self.dialog is not None:
            self.dialog.setValue(0)  # starts the dialog's delay: it shows only if the work lasts
        self.worker.start()
        return self

    @property
    def running(self) -> bool:
        return self.worker is not None

    @property
    def progress(self) -> Progress | None:
        return self.worker.progress if self.worker is not None else None

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.progress.cancel_event.set()
            if self.dialog is not None:
                self.dialog.setLabelText(_("Cancelling…"))

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Run the event loop until the task has finished (tests; closing the window). False on timeout."""
        if self.worker is None:
            return True
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self._waiters.append(loop)
        timer.start(timeout_ms)
        loop.exec()
        timer.stop()
        return self.worker is None

    # --- from the worker, on the GUI thread ---

    def _alive(self) -> bool:
        from shiboken6 import isValid

        return self.parent_widget is None or isValid(self.parent_widget)

    def _progress(self, done: int, total: int, what: str) -> None:
        dialog = self.dialog
        if dialog is None or (self.worker is not None and self.worker.progress.cancelled):
            return
        if what:
            dialog.setLabelText(what)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def _succeeded(self, result: T, what: Changes) -> None:
        self.result, self.outcome = result, "done"
        self._close_dialog()
        announce(what)
        if self._done is not None and self._alive():
            self._done(result)

    def _refusal(self, message: str) -> None:
        self.outcome = "refused"
        self._close_dialog()
        if not self._alive():
            return
        if self._refused is not None:
            self._refused(message)
        else:
            show_refusal(self.parent_widget, message)

    def _was_cancelled(self) -> None:
        self.outcome = "cancelled"
        self._close_dialog()
        if self._cancelled is not None and self._alive():
            self._cancelled()

    def _crash(self, exc: BaseException) -> None:
        self.outcome = "crashed"
        self._close_dialog()
        report_unexpected(exc, self.where)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _finished(self) -> None:
        self._close_dialog()
        if self.worker is not None:
            self.worker.wait()
            self.worker.deleteLater()
            self.worker = None
        _running.discard(self)
        if self._after is not None and self._alive():
            self._after()
        for loop in self._waiters:
            loop.quit()
        self._waiters.clear()


def run(
    parent: QWidget | None,
    work: Callable[[Progress], T],
    done: Callable[[T], object] | None = None,
    **options: Any,
) -> Task[T]:
    """Start `work` on a worker thread (see `Task`) and return the task."""
    return Task(parent, work, done, **options).start()


def busy() -> bool:
    """Whether any task is still running (tests wait on it; the window waits before it closes)."""
    return bool(_running)


def wait_all(timeout_ms: int = 120_000) -> bool:
    """Run the event loop until every task has finished."""
    return all(task.wait(timeout_ms) for task in list(_running))


def shutdown() -> None:
    """The window is closing: cancel every task and wait for its thread (a QThread destroyed while it
    runs would abort the program)."""
    for task in list(_running):
        task.cancel()
    for task in list(_running):
        if task.worker is not None:
            task.worker.wait()
        task._finished()
