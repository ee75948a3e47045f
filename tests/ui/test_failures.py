"""Unexpected errors in the window: each is logged with its traceback and shown in a dialog in the
clerk's language, and the window goes on.

pytest-qt captures exceptions raised in slots and virtual overrides by default: during each test it
puts its own `sys.excepthook` in place and fails the test with what it caught. Here that hook is what
is being tested, so these tests carry `qt_no_exception_capture`: pytest-qt leaves `sys.excepthook`
alone and the program's own (`failures.install()`) receives them, as in the windowed build. A test
that raises where nothing catches it would then pass silently if the hook were broken, so every test
asserts the dialog and the log file. pytest's own `threading.excepthook` is put back afterwards too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QThread, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from tests.cli.test_cli import set_up
from villagegov.core import logs, privacy
from villagegov.core.actor import Actor
from villagegov.core.privacy import make_id_number
from villagegov.ui import failures
from villagegov.ui.app import make_application
from villagegov.ui.failures import FailureDialog
from villagegov.ui.main_window import MainWindow

ID = make_id_number("110105", date(1949, 12, 31), 2)
PHONE = "138 1234 5678"
SECRET = f"villager {ID} phone {PHONE}"

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def hooked(qtbot: QtBot, isolated_home: Path) -> Iterator[Path]:
    """The program's hooks and log, as the window's start sets them up; the log file's path."""
    make_application()
    logs.start("test")
    failures.install()
    yield isolated_home / "logs" / logs.FILE_NAME
    failures.uninstall()
    for dialog in open_dialogs():
        dialog.close()


@pytest.fixture
def window(qtbot: QtBot, clerk: Actor, hooked: Path) -> MainWindow:
    win = MainWindow(clerk, "village.sqlite3", today=date(2026, 11, 22))
    qtbot.addWidget(win)
    win.show()
    return win


def open_dialogs() -> list[FailureDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, FailureDialog) and w.isVisible()]


def the_dialog(qtbot: QtBot) -> FailureDialog:
    qtbot.waitUntil(lambda: len(open_dialogs()) == 1, timeout=5000)
    [dialog] = open_dialogs()
    return dialog


def log_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def raise_secret() -> None:
    raise RuntimeError(SECRET)


def assert_window_responds(window: MainWindow, qtbot: QtBot) -> None:
    """The clerk closes the dialog and goes on: a click in the navigation opens another room."""
    for dialog in open_dialogs():
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Close), Qt.MouseButton.LeftButton
        )
    qtbot.waitUntil(lambda: not open_dialogs())
    rect = window.nav.visualItemRect(window.nav.item(1))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_room() is window.rooms["council"])
    assert window.nav.currentItem().text() == "村民议事会"


def test_an_exception_in_a_button_s_slot_shows_the_dialog_and_logs_the_traceback(
    window: MainWindow, hooked: Path, qtbot: QtBot
) -> None:
    button = QPushButton("出错", window)
    button.clicked.connect(raise_secret)
    button.show()
    # Clicked from the event loop, as a clerk's click is: the hook must not block inside the slot.
    QTimer.singleShot(0, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton))
    dialog = the_dialog(qtbot)
    assert dialog.windowTitle() == "意外错误" and dialog.isModal()
    texts = [dialog.what.text(), dialog.where.text()]
    assert texts[0] == f"错误：RuntimeError: villager {privacy.mask_text(ID)} phone 138 **** 5678"
    assert texts[1] == "出错位置：本程序自身代码以外"  # the test's own function raised
    assert dialog.path.text() == str(hooked.parent)
    assert dialog.path.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert "程序可以继续使用" in "".join(w.text() for w in dialog.findChildren(type(dialog.what)))
    text = log_text(hooked)
    assert "Traceback (most recent call last)" in text and "in raise_secret" in text
    assert ID not in text and PHONE not in text and "138 **** 5678" in text
    assert_window_responds(window, qtbot)


def test_the_dialog_opens_the_log_folder(window: MainWindow, hooked: Path, qtbot: QtBot) -> None:
    class Opened(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[QUrl] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.urls.append(url)

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")  # Qt's own hook for a URL scheme
    try:
        QTimer.singleShot(0, raise_secret)
        dialog = the_dialog(qtbot)
        assert dialog.open_folder.text() == "打开日志文件夹"
        qtbot.mouseClick(dialog.open_folder, Qt.MouseButton.LeftButton)
        assert [Path(u.toLocalFile()) for u in opened.urls] == [hooked.parent]
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_errors_while_the_dialog_is_open_are_counted_on_it_not_given_dialogs(
    window: MainWindow, hooked: Path, qtbot: QtBot
) -> None:
    button = QPushButton("出错", window)
    button.clicked.connect(raise_secret)

    def click(times: int) -> None:
        for _ in range(times):
            button.click()

    QTimer.singleShot(0, lambda: click(30))
    dialog = the_dialog(qtbot)
    assert dialog.more_label.text() == "此后又出现 29 个意外错误，也已记入日志。"
    QTimer.singleShot(0, lambda: click(5))  # while it is open
    qtbot.waitUntil(lambda: dialog.more == 34)
    qtbot.wait(50)
    assert open_dialogs() == [dialog] and "34 个" in dialog.more_label.text()
    assert log_text(hooked).count("Traceback (most recent call last)") == 35
    assert_window_responds(window, qtbot)
    QTimer.singleShot(0, lambda: click(1))  # after it was closed: a dialog of its own again
    assert the_dialog(qtbot).more == 0


def test_an_exception_in_a_worker_thread_is_shown_on_the_gui_thread(
    window: MainWindow, hooked: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also when it is the run's first error, so that the relay to the GUI thread is made on the worker."""
    monkeypatch.setattr(failures, "_relay", None)
    shown_on: list[bool] = []
    worker = threading.Thread(target=raise_secret, name="export-worker")
    worker.start()
    worker.join()
    dialog = the_dialog(qtbot)
    shown_on.append(dialog.thread() is QApplication.instance().thread())
    assert shown_on == [True]
    assert dialog.where.text() == "出错位置：本程序自身代码以外，后台任务（export-worker）"
    assert "138 **** 5678" in dialog.what.text() and ID not in dialog.what.text()
    text = log_text(hooked)
    assert "ERROR [export-worker]" in text and "in raise_secret" in text and PHONE not in text
    assert_window_responds(window, qtbot)


def test_an_exception_in_a_qthread_s_run_is_shown(window: MainWindow, hooked: Path, qtbot: QtBot) -> None:
    class Worker(QThread):
        def run(self) -> None:
            privacy.check_char("1234")  # a real error in villagegov's code: zip(strict=True) refuses

    worker = Worker()
    worker.start()
    assert worker.wait(5000)
    dialog = the_dialog(qtbot)
    assert dialog.what.text().startswith("错误：ValueError: zip()")
    assert dialog.where.text().startswith("出错位置：villagegov/core/privacy.py:")
    assert dialog.where.text().endswith("(check_char)，后台任务（Worker）")
    assert "in check_char" in log_text(hooked)
    assert_window_responds(window, qtbot)


def test_report_unexpected_from_a_worker_names_what_was_being_done(
    window: MainWindow, hooked: Path, qtbot: QtBot
) -> None:
    """What ui/ops.py's workers do with an error they caught."""

    def work() -> None:
        try:
            raise OSError(f"cannot write 公示 for {PHONE}")
        except OSError as exc:
            failures.report_unexpected(exc, "打印预览")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    dialog = the_dialog(qtbot)
    assert dialog.where.text() == "出错位置：打印预览"
    assert dialog.what.text() == "错误：OSError: cannot write 公示 for 138 **** 5678"
    assert "unexpected error in 打印预览" in log_text(hooked)


def test_the_about_box_names_the_log_folder(window: MainWindow, hooked: Path, qtbot: QtBot) -> None:
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.close()

    QTimer.singleShot(0, read_and_close)
    window.about()
    assert f"日志文件：{hooked.parent}" in seen[0]


# The program started as a clerk starts it, with its first screen broken (the message box is shown
# through `exec_dialog`: offscreen nobody would close it), or with a bug before Qt is imported and
# Qt itself missing (stderr says it).
BROKEN_START = """
import sys
from villagegov import cli

if sys.argv[1] == "qt":
    import villagegov.ui.main_window as main_window
    from villagegov.ui import failures

    class Broken(main_window.MainWindow):
        def __init__(self, *args, **kwargs):
            raise KeyError("roster row of {id}")

    def show(dialog):
        print("DIALOG", dialog.windowTitle(), dialog.what.text(), dialog.where.text(), sep="|")

    main_window.MainWindow = Broken
    failures.exec_dialog = show
else:
    def broken(db):
        raise ZeroDivisionError("{id}")

    cli._target = broken
    sys.modules["PySide6"] = None
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("qt", ["qt", "no-qt"])
def test_a_failed_start_is_shown_or_told_and_logged(tmp_path: Path, qt: str) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    env = {**os.environ, "VILLAGEGOV_HOME": str(tmp_path), "VILLAGEGOV_PASSWORD": "mima-1234"}
    done = subprocess.run(
        [sys.executable, "-c", BROKEN_START.format(id=ID), qt, "--db", str(db), "--user", "wenshu"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == logs.EXIT_UNEXPECTED, done.stderr
    text = (tmp_path / "logs" / logs.FILE_NAME).read_text(encoding="utf-8")
    assert "starts: window" in text and "unexpected error in 程序启动" in text
    assert "Traceback (most recent call last)" in text and ID not in text
    masked = privacy.mask_text(ID)
    if qt == "qt":
        assert "signed in: wenshu (clerk)" in text and "in __init__" in text
        [line] = [line for line in done.stdout.splitlines() if line.startswith("DIALOG")]
        assert line == f"DIALOG|意外错误|错误：KeyError: 'roster row of {masked}'|出错位置：程序启动"
    else:
        assert "ZeroDivisionError" in text and "in broken" in text
        assert f"出现意外错误（程序启动）：ZeroDivisionError: {masked}" in done.stderr
        assert f"日志在 {tmp_path / 'logs'}" in done.stderr and ID not in done.stderr
