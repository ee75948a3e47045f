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

from villagegov.core import startup
from villagegov.core.errors import VillagegovError


def run_gui(target: str, username: str | None = None) -> int:
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
    from villagegov.core.files import tightened_notice
    from villagegov.ui import app

    notice = " ".join(tightened_notice(path) for path in tightened)
    return app.run_window(db, target, username, pending, notice)
