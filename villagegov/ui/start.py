"""Opening the window, in the order that keeps the clerk's wait short.

What needs no Qt comes first: the database is opened and its schema checked, and when the password is
already known (`--user` with VILLAGEGOV_PASSWORD) its check starts on a thread of its own. scrypt
releases the GIL, so the ~50 ms hash runs on a second core while this thread imports Qt (~100 ms)
and the first screen's modules (ui/app.py). The main window is built only once the check has
passed. This module imports no Qt, so that the modules it imports are loaded before PySide6, whose
import hook reads the source of every module imported after it.
"""

from __future__ import annotations

import os

from villagegov.core import logs, startup
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import _


def run_gui(target: str, username: str | None = None) -> int:
    """Open the window; an unexpected error before it runs is logged and shown (`failed_start`)."""
    try:
        return _run_gui(target, username)
    except Exception as exc:
        return failed_start(exc)


def failed_start(exc: BaseException) -> int:
    """An unexpected error of the window's start: logged, and shown in a message box if Qt comes up
    (it does not when it is what failed; then stderr says it)."""
    where = _("the start of the program")
    try:
        from villagegov.ui import app, failures

        app.make_application()
    except Exception:
        logs.report_unexpected(exc, where)
    else:
        failures.report_unexpected(exc, where)
    return logs.EXIT_UNEXPECTED


def _run_gui(target: str, username: str | None) -> int:
    from villagegov.accounts import service as accounts
    from villagegov.core.files import take_tightened
    from villagegov.schema import open_store

    pending: accounts.PendingSignIn | None = None
    try:
        db = open_store(target)
        startup.mark("opened")
        tightened = take_tightened()
        password = os.environ.get("VILLAGEGOV_PASSWORD")
        if username and password is not None and accounts.is_set_up():
            pending = accounts.begin_sign_in(username, password)
    except VillagegovError as exc:
        from villagegov.ui import app

        app.make_application()
        app.error_box(exc)
        return 2
    # Before app: ui/failures imports PySide6 itself, so it is loaded ahead of PySide6's import hook
    # (see the docstring), and its hooks cover Qt's import and the sign-in too.
    from villagegov.ui import failures

    failures.install()  # from here on no exception is lost (the windowed build has no console)
    from villagegov.core.files import tightened_notice
    from villagegov.ui import app

    notice = " ".join(tightened_notice(path) for path in tightened)
    return app.run_window(db, target, username, pending, notice)
