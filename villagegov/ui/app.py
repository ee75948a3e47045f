"""Starting the window: Qt's own translations, the first run, signing in, the backup on close."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from villagegov.core import i18n
from villagegov.core.actor import REVIEWER, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import _

_STARTED = time.perf_counter()
STYLE = """
QLabel#heading { font-size: 20px; font-weight: bold; padding: 4px 0 8px 0; }
QListWidget#navigation { font-size: 15px; }
QListWidget#navigation::item { padding: 8px 10px; }
"""


def make_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("villagegov")
    app.setApplicationDisplayName(_("Village records"))
    app.setStyleSheet(STYLE)
    if i18n.current_language() == "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        # Qt's own words (OK, Cancel, Yes, file dialogs) in Chinese too.
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in ("qtbase_zh_CN", "qt_zh_CN"):
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return app


def _error_box(exc: VillagegovError) -> None:
    QMessageBox.critical(None, _("villagegov"), exc.message())


def _sign_in(username: str | None) -> Actor | None:
    from villagegov.accounts import service as accounts
    from villagegov.roster import service as roster
    from villagegov.ui.dialogs import FirstRunDialog, SignInDialog

    if not accounts.is_set_up():
        dialog = FirstRunDialog()
        return dialog.actor if dialog.exec() else None
    password = os.environ.get("VILLAGEGOV_PASSWORD")
    if username and password is not None:
        return accounts.sign_in(username, password)
    names = [v.name for v in roster.villages(_reader())]
    dialog = SignInDialog("、".join(names))
    if username:
        dialog.username.setText(username)
        dialog.password.setFocus()
    return dialog.actor if dialog.exec() else None


def _reader() -> Actor:
    """Read-only identity for what is shown before anyone signs in (the village's name)."""
    return Actor(None, "-", "-", REVIEWER, None)


def run_gui(target: str, username: str | None = None) -> int:
    from villagegov.core import maintenance
    from villagegov.schema import open_store
    from villagegov.ui.main_window import MainWindow

    app = make_application()
    try:
        db = open_store(target)
        actor = _sign_in(username)
    except VillagegovError as exc:
        _error_box(exc)
        return 2
    if actor is None:
        return 0
    window = MainWindow(actor, target)
    window.show()
    if os.environ.get("VILLAGEGOV_BENCH_EXIT"):
        # bench/: report when the window is shown and the event loop is idle, then leave.
        def report() -> None:
            print(f"ready {time.perf_counter() - _STARTED:.4f}", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    code = app.exec()
    if not os.environ.get("VILLAGEGOV_BENCH_EXIT"):
        try:
            maintenance.backup_on_close(db)
        except VillagegovError as exc:
            _error_box(exc)
    db.close()
    return code


def screenshot(target: str, room: str, output: Path) -> None:
    """Render the main window at 1280×800 offscreen, as a signed-in clerk would see it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from villagegov.accounts import service as accounts
    from villagegov.schema import open_store
    from villagegov.ui.main_window import MainWindow

    app = make_application()
    open_store(target)
    actor = accounts.first_user()
    window = MainWindow(actor, target)
    window.resize(1280, 800)
    window.show_room(room)
    window.show()
    app.processEvents()
    output.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(output), "PNG"):
        raise VillagegovError(i18n.N_("Cannot write the picture {file}."), file=str(output))
    window.close()
