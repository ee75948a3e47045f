"""The window's side of the start: Qt's own translations, the first run, signing in, the backup on close.

ui/start.py opens the database and, when the password is known, starts its check before this module
(and Qt) is imported.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import peewee
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from villagegov.accounts.service import PendingSignIn
from villagegov.core import i18n, logs, startup
from villagegov.core.actor import REVIEWER, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import _
from villagegov.ui.widgets import after_first_paint

if TYPE_CHECKING:
    from villagegov.ui.dialogs import SignInDialog


FONTS_INSTALLED = "villagegov-fonts"  # the bundled families registered with this application


class QtWordsMissing(QTranslator):
    """Qt's words its own Chinese catalogue lacks: Qt 6 gave the file dialog's labels accelerators
    ("&Look in:") and qtbase_zh_CN still has them without ("Look in:"), so they showed in English."""

    WORDS: ClassVar[dict[tuple[str, str], str]] = {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    }

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self.WORDS.get((context, source))  # None: not ours (an empty text would be a translation)


_TRANSLATORS: list[QTranslator] = []


def make_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if app.property(FONTS_INSTALLED) is None:
        from villagegov.ui import fonts

        started = time.perf_counter()
        app.setProperty(FONTS_INSTALLED, fonts.install(app))  # before any widget: no row of boxes
        startup.PARTS["fonts"] = time.perf_counter() - started
    app.setApplicationName("villagegov")
    app.setApplicationDisplayName(_("Village records"))
    # No application-wide style sheet: it makes Qt match style rules for every widget it lays
    # out (~15 ms more for the first screen); the few styled widgets carry their own.
    if i18n.current_language() == "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        # Qt's own words (OK, Cancel, Yes, file dialogs) in Chinese too.
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in ("qtbase_zh_CN", "qt_zh_CN"):
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
        # Kept alive here: a Python translator whose wrapper is collected answers "" to every word.
        _TRANSLATORS.append(QtWordsMissing(app))
        app.installTranslator(_TRANSLATORS[-1])
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return app


def error_box(exc: VillagegovError) -> None:
    from PySide6.QtWidgets import QMessageBox  # made when first needed (~5 ms)

    QMessageBox.critical(None, _("villagegov"), exc.message())


def _prepare_main_window() -> None:
    """Import what the first screen needs."""
    for module in ("villagegov.ui.main_window", "villagegov.roster.views"):
        importlib.import_module(module)


def _check_password(check: Callable[[], Actor]) -> Actor:
    """Run a sign-in or set-up, whose scrypt hash releases the GIL, with the first screen's imports
    on another thread beside it; the wait for scrypt is then spent on them (on a second core).

    The worker touches no database and no widget, and is joined before this returns, while the
    GUI thread is blocked in `check`: Qt and peewee are only ever used from the GUI thread.
    """
    worker = threading.Thread(target=_prepare_main_window, name="prepare-main-window", daemon=True)
    worker.start()
    started = time.perf_counter()
    try:
        return check()
    finally:
        startup.PARTS["signin"] = time.perf_counter() - started
        worker.join()


def _sign_in(username: str | None) -> Actor | None:
    from villagegov.accounts import service as accounts

    if not accounts.is_set_up():
        from villagegov.ui.dialogs import FirstRunDialog

        dialog = FirstRunDialog()
        dialog.around_submit = _check_password
        return dialog.actor if dialog.exec() else None
    from villagegov.roster import service as roster
    from villagegov.ui.dialogs import SignInDialog

    names = [v.name for v in roster.villages(_reader())]
    dialog = SignInDialog("、".join(names))
    dialog.around_submit = _check_password
    if username:
        dialog.username.setText(username)
        dialog.password.setFocus()
    typed = os.environ.get("VILLAGEGOV_BENCH_TYPE_PASSWORD")
    if typed is not None and os.environ.get("VILLAGEGOV_BENCH_EXIT"):
        _type_when_shown(dialog, typed)
    return dialog.actor if dialog.exec() else None


def _type_when_shown(dialog: SignInDialog, password: str) -> None:
    """bench/cold_start.py --dialog: once the sign-in dialog is on the screen, type the password and
    press OK, as a clerk would (with no time for the typing); `dialog` marks when it was shown."""

    def type_and_sign_in() -> None:
        startup.mark("dialog")
        dialog.password.setText(password)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    after_first_paint(dialog, type_and_sign_in)


def _reader() -> Actor:
    """Read-only identity for what is shown before anyone signs in (the village's name)."""
    return Actor(None, "-", "-", REVIEWER, None)


def _report_ready(app: QApplication, window: QWidget) -> None:
    """bench/cold_start.py: print `ready <seconds>` once the first frame is painted, then leave.

    The figures after it are parts of the total (core/startup.py), e.g. `signin` the password check
    (its scrypt hash) and `shown` when show() returned with the first room filled.
    """

    def report() -> None:
        parts = " ".join(f"{key}={value:.4f}" for key, value in startup.PARTS.items())
        print(f"ready {startup.since_start():.4f} {parts}".rstrip(), flush=True)
        app.quit()

    after_first_paint(window, report)


def run_window(
    db: peewee.Database, target: str, username: str | None, pending: PendingSignIn | None, notice: str = ""
) -> int:
    """Sign in (or set up), then show the main window until it is closed.

    `pending`: a password check already running (ui/start.py); the first screen's modules are
    imported while it finishes, and the window is built only once it has passed. A window closed to
    reopen (after a restore) is followed by a sign-in to the restored records and a new window.
    `notice`: shown in the status bar (the database was made private).
    """
    app = make_application()
    startup.mark("qt")
    try:
        if pending is not None:
            _prepare_main_window()
            startup.mark("imported")
            try:
                actor: Actor | None = pending.result()
            finally:
                startup.PARTS["signin"] = pending.seconds
        else:
            actor = _sign_in(username)
    except VillagegovError as exc:
        error_box(exc)
        return 2
    if actor is None:
        return 0
    from villagegov.ui.main_window import MainWindow

    while True:
        window = MainWindow(actor, target, notice=notice)
        window.fit_to_screen()
        startup.mark("built")
        if os.environ.get("VILLAGEGOV_BENCH_EXIT"):
            _report_ready(app, window)
        after_first_paint(window, logs.open_file)  # off the first frame's path (core/logs.py)
        window.show()
        startup.mark("shown")
        code = app.exec()
        if not window.reopen_requested:
            break
        notice = ""
        try:
            actor = _sign_in(None)  # whoever the restored records know
        except VillagegovError as exc:
            error_box(exc)
            actor = None
        if actor is None:
            break
    if not os.environ.get("VILLAGEGOV_BENCH_EXIT"):
        from villagegov.core import maintenance

        try:
            maintenance.backup_on_close(db)
        except VillagegovError as exc:
            error_box(exc)
        except Exception as exc:
            from villagegov.ui import failures

            failures.report_unexpected(exc, _("the backup made when the window closes"))
    logs.log.info("window closed")
    db.close()
    return code


def screenshot(target: str, room: str, output: Path, size: tuple[int, int] = (1280, 800)) -> None:
    """Render the main window at `size` offscreen, as a signed-in clerk would see it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from villagegov.accounts import service as accounts
    from villagegov.schema import open_store
    from villagegov.ui.main_window import MainWindow

    app = make_application()
    open_store(target)
    actor = accounts.first_user()
    window = MainWindow(actor, target)
    window.resize(*size)
    window.show_room(room)
    window.show()
    # The petitions' indicator is counted after the first frame; a picture shows it as the clerk would.
    window.refresh_attention()
    app.processEvents()
    output.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(output), "PNG"):
        raise VillagegovError(i18n.N_("Cannot write the picture {file}."), file=str(output))
    window.close()
