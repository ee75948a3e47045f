"""The Qt binding itself: a release that corrupts reference counts must never be installed again.

PySide6 6.12.0 dropped a reference to None on every call of a void method; on CPython 3.11 a GUI
session then aborted ("deallocating None") after a few thousand label updates. pyproject.toml pins a
good release; this test fails on a bad one before a clerk meets it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

CALLS = 500  # few enough that a bad binding fails the assertion before it aborts the run


def test_void_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel("村务公开")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(CALLS):
        label.setText(str(i))  # a void method
        label.update()
    QCoreApplication.processEvents()
    lost = before - sys.getrefcount(None)
    # A few references come and go with the interpreter's own work; a leak is one a call.
    assert lost < CALLS // 10, f"{lost} references to None lost in {2 * CALLS} void calls"
