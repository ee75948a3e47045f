"""Unexpected errors in the window: logged with their traceback (core/logs.py) and shown in a dialog in
the user's language that says what failed and where the log is; the program goes on where it can.

`install()` (the window's start) sends here every exception nothing caught: those raised in a slot or
a virtual override, which PySide6 hands to `sys.excepthook` on the thread that raised them (a
QThread's `run()` on its own thread), and those that end a `threading.Thread` (`threading.excepthook`).
Without it the windowed build would lose them without a word.

`report_unexpected(exc, where)` may be called from any thread (ui/ops.py's workers do): it logs at once
and hands the dialog to the GUI thread through a queued signal; before the event loop runs (a failed
start) the GUI thread shows it at once and waits. Errors that come while the dialog is open are
counted on it, not given dialogs of their own.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtWidgets import QApplication, QDialog

from villagegov.core import logs
from villagegov.core.i18n import _, ngettext


@dataclass(frozen=True)
class Failure:
    """What the dialog says of one error: its kind and words (masked), and where it happened."""

    summary: str
    where: str


def place(tb: TracebackType | None) -> str:
    """Where in the program: the innermost frame of villagegov's own code (file, line, function),
    passing over a comprehension's or a lambda's frame when a named function holds it."""
    package = Path(logs.__file__).resolve().parent.parent
    found: list[tuple[str, int, str]] = []
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.is_relative_to(package):
            name = tb.tb_frame.f_code.co_name
            found.append((path.relative_to(package.parent).as_posix(), tb.tb_lineno, name))
        tb = tb.tb_next
    if not found:
        return _("outside villagegov's own code")
    named = [frame for frame in found if not frame[2].startswith("<")]
    return "{}:{} ({})".format(*(named or found)[-1])


# How a dialog is run when no event loop does it (a failed start); a test replaces it.
exec_dialog: Callable[[QDialog], object] = QDialog.exec

_lock = threading.Lock()
_pending: list[Failure] = []
_relay: _Relay | None = None
_dialog: FailureDialog | None = None
_previous: tuple[Callable[..., object], Callable[..., object]] | None = None


def report_unexpected(exc: BaseException, where: str) -> None:
    """Log `exc` with its traceback and show it in the failure dialog. Safe to call from any thread;
    `where` says in the user's language what was being done."""
    app = QApplication.instance()
    if app is None:  # no window to show it in
        logs.report_unexpected(exc, where)
        return
    logs.log_unexpected(exc, where)
    failure = Failure(logs.describe(exc), where)
    with _lock:
        _pending.append(failure)
    if app.thread().isCurrentThread() and not _loop_running():
        _show_pending()  # nothing would deliver a signal: a failed start, or the end of the program
    else:
        _get_relay(app).arrived.emit()


def install() -> None:
    """Send every uncaught exception of the window (slots, overrides, threads) to report_unexpected.
    Needs no QApplication yet: the relay to the GUI thread is made with the first report."""
    global _previous
    if _previous is None:
        _previous = (sys.excepthook, threading.excepthook)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def uninstall() -> None:
    """Put back the hooks install() replaced (tests)."""
    global _previous
    if _previous is not None:
        sys.excepthook, threading.excepthook = _previous
        _previous = None


def _excepthook(kind: type[BaseException], value: BaseException | None, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt) and _previous is not None:
        _previous[0](kind, value, tb)  # Ctrl+C in a terminal ends the program as before
        return
    try:
        exc = value if value is not None else kind()
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        app = QApplication.instance()
        if app is None or app.thread().isCurrentThread():
            where = place(tb)
        else:  # a QThread's run(): PySide6 calls this hook on that thread
            where = _in_background(place(tb), _thread_name())
        report_unexpected(exc, where)
    except BaseException:  # the hook must never fail in turn; the interpreter's own says what it can
        sys.__excepthook__(kind, value if value is not None else kind(), tb)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return  # a thread that ended itself, as the default hook treats it
    try:
        exc = args.exc_value if args.exc_value is not None else args.exc_type()
        if exc.__traceback__ is None and args.exc_traceback is not None:
            exc = exc.with_traceback(args.exc_traceback)
        thread = args.thread.name if args.thread is not None else "?"
        report_unexpected(exc, _in_background(place(args.exc_traceback), thread))
    except BaseException:
        threading.__excepthook__(args)


def _in_background(where: str, thread: str) -> str:
    return _("{place}, in background work ({thread})").format(place=where, thread=thread)


def _thread_name() -> str:
    """A QThread's object name or class (the Python thread of one is only "Dummy-1")."""
    current = QThread.currentThread()
    if type(current) is not QThread:
        return current.objectName() or type(current).__name__
    return threading.current_thread().name


def _loop_running() -> bool:
    """Whether this (the GUI) thread is inside an event loop: app.exec() or a dialog's exec()."""
    return QThread.currentThread().loopLevel() > 0


class _Relay(QObject):
    """Carries reports from any thread to the GUI thread (a queued connection)."""

    arrived = Signal()

    @Slot()
    def show_pending(self) -> None:
        _show_pending()


def _get_relay(app: QApplication) -> _Relay:
    global _relay
    with _lock:
        if _relay is None:
            relay = _Relay()
            if not app.thread().isCurrentThread():
                relay.moveToThread(app.thread())  # made on a worker: it lives on the GUI thread
            relay.arrived.connect(relay.show_pending, type=Qt.ConnectionType.QueuedConnection)
            _relay = relay
        return _relay


def _show_pending() -> None:
    """On the GUI thread: the dialog for what was reported, or the count of the open one raised."""
    global _dialog
    with _lock:
        failures = _pending[:]
        _pending.clear()
    if not failures:
        return
    try:
        if _dialog is not None:
            _dialog.add_more(len(failures))
            return
        going_on = _loop_running()
        dialog = FailureDialog(failures[0], logs.folder(), going_on)
        dialog.add_more(len(failures) - 1)
        _dialog = dialog
        if going_on:
            dialog.finished.connect(_forget)
            dialog.show()  # modal without a loop of its own: the window's loop goes on
            dialog.activateWindow()
        else:
            try:
                exec_dialog(dialog)
            finally:
                _dialog = None
    except Exception as exc:  # never report this one: it could come back here for ever
        _dialog = None
        logs.log.exception("the failure dialog failed")
        logs.tell_stderr(exc, "ui/failures.py", None)


def _forget() -> None:
    global _dialog
    _dialog = None


class FailureDialog(QDialog):
    """What failed, where the log is, a button to open its folder; later errors counted on it."""

    def __init__(self, failure: Failure, folder: Path, going_on: bool) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QLabel, QStyle, QVBoxLayout

        super().__init__(None)
        self.setWindowTitle(_("Unexpected error"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(460)
        self.folder = folder
        self.more = 0
        layout = QVBoxLayout(self)
        headline = QLabel(
            _("Something went wrong, and what you were doing may not have been finished.")
            if going_on
            else _("Something went wrong, and the program cannot go on.")
        )
        font = headline.font()
        font.setBold(True)
        headline.setFont(font)
        headline.setWordWrap(True)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        self.setWindowIcon(icon)
        layout.addWidget(headline)
        self.what = QLabel(_("What failed: {error}").format(error=failure.summary))
        self.where = QLabel(_("Where: {where}").format(where=failure.where))
        advice = QLabel(
            _(
                "The program goes on. Check that your last change was saved; if this happens again, "
                "give the log file to whoever looks after the program."
            )
            if going_on
            else _("Give the log file to whoever looks after the program.")
        )
        self.path = QLabel(str(folder))
        self.path.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.more_label = QLabel()
        self.more_label.hide()
        for label in (self.what, self.where, advice, self.more_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)  # an error's words are never markup
        for widget in (self.what, self.where, advice, QLabel(_("The log is in this folder:")), self.path):
            layout.addWidget(widget)
        layout.addWidget(self.more_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_folder = self.buttons.addButton(
            _("Open the log folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_folder.clicked.connect(self._open_folder)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def add_more(self, count: int) -> None:
        """Count errors that came while this one was shown (each is in the log)."""
        if count <= 0:
            return
        self.more += count
        self.more_label.setText(
            ngettext(
                "{n} more unexpected error came after it; it is in the log too.",
                "{n} more unexpected errors came after it; they are in the log too.",
                self.more,
            ).format(n=self.more)
        )
        self.more_label.show()

    def _open_folder(self) -> None:
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
