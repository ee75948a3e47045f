"""Every room of the demo village as the clerk sees it at 1280×800, in Chinese and in English.

What a look at the screenshots found, kept found: headings cramped in their columns, a list's State
column off screen, a room wider than the window, English words in the Chinese screens, glossary
words (实到, 三分之二以上) not used, and empty tables that said nothing.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from villagegov import demo
from villagegov.accounts import service as accounts
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import set_language
from villagegov.schema import close_store, open_store
from villagegov.ui.app import make_application
from villagegov.ui.main_window import ROOMS, MainWindow
from villagegov.ui.widgets import HEADING_ROOM, RowsView

LANGUAGES = ("zh_CN", "en")
ROOM_KEYS = [key for key, _name, _purpose in ROOMS]
# Names that stay as they are in a Chinese interface: products, paper sizes, the language's own name.
LATIN_ALLOWED = {"Excel", "WPS", "PDF", "English"}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo village, made once for the module (it takes a while) and copied for each test."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_store(path)
    demo.fill_demo(db, clock.today())
    close_store(db)
    return path


@pytest.fixture
def demo_clerk(demo_file: Path, tmp_path: Path) -> Iterator[Actor]:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_file, path)
    db = open_store(path)
    yield accounts.sign_in("wenshu", "demo1234")
    close_store(db)


def _window(qtbot: QtBot, actor: Actor, lang: str) -> MainWindow:
    set_language(lang)
    make_application()
    window = MainWindow(actor, "demo.sqlite3")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def _open_every_tab(room: QWidget) -> None:
    for tabs in room.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)


def _headings(view: QTableView) -> list[tuple[int, str]]:
    model = view.model()
    return [
        (i, str(model.headerData(i, Qt.Orientation.Horizontal) or ""))
        for i in range(model.columnCount())
        if not view.horizontalHeader().isSectionHidden(i)
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_heading_has_room_in_its_column(qtbot: QtBot, demo_clerk: Actor, lang: str) -> None:
    window = _window(qtbot, demo_clerk, lang)
    for key in ROOM_KEYS:
        room = window.show_room(key)
        _open_every_tab(room)
        for view in room.findChildren(QTableView):
            header = view.horizontalHeader()
            metrics = header.fontMetrics()
            for i, text in _headings(view):
                # the last column stretches; every other keeps its fitted width
                need = metrics.horizontalAdvance(text) + (HEADING_ROOM // 2)
                assert header.sectionSize(i) >= need, (key, lang, text, header.sectionSize(i))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_room_is_wider_than_the_window(qtbot: QtBot, demo_clerk: Actor, lang: str) -> None:
    window = _window(qtbot, demo_clerk, lang)
    for key in ROOM_KEYS:
        _open_every_tab(window.show_room(key))
        assert window.minimumSizeHint().width() <= 1280, key
        assert window.width() == 1280, key


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", ["decisions", "notices"])
def test_the_lists_state_column_is_on_screen(qtbot: QtBot, demo_clerk: Actor, lang: str, key: str) -> None:
    window = _window(qtbot, demo_clerk, lang)
    room = window.show_room(key)
    view = room.view
    state = next(i for i, text in _headings(view) if text in ("State", "状态"))
    right = view.columnViewportPosition(state) + view.horizontalHeader().sectionSize(state)
    assert view.columnViewportPosition(state) >= 0 and right <= view.viewport().width()


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _own_texts(room: QWidget) -> Iterator[tuple[str, str]]:
    """The words the screen itself says (not the records it shows)."""
    for button in room.findChildren(QAbstractButton):
        yield "button", button.text()
    for label in room.findChildren(QLabel):
        yield "label", _plain(label.text())
    for edit in room.findChildren(QLineEdit):
        yield "placeholder", edit.placeholderText()
    for tabs in room.findChildren(QTabWidget):
        for i in range(tabs.count()):
            yield "tab", tabs.tabText(i)
    for view in room.findChildren(QTableView):
        for _i, text in _headings(view):
            yield "heading", text
        if isinstance(view, RowsView):
            yield "empty", view.empty_text
    for combo in room.findChildren(QComboBox):
        if not combo.isEditable():  # an editable one lists records (households, villagers)
            for i in range(combo.count()):
                yield "choice", combo.itemText(i)


def test_the_chinese_screens_say_nothing_in_english(qtbot: QtBot, demo_clerk: Actor) -> None:
    window = _window(qtbot, demo_clerk, "zh_CN")
    found = []
    for key in ROOM_KEYS:
        room = window.show_room(key)
        _open_every_tab(room)
        for kind, text in _own_texts(room):
            if "/" in text or "\\" in text or text == window.database:
                continue  # a file's path (the database, an export)
            words = set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_ALLOWED
            if words:
                found.append((key, kind, text))
    assert not found


def test_the_council_and_mediation_speak_the_glossary(qtbot: QtBot, demo_clerk: Actor) -> None:
    window = _window(qtbot, demo_clerk, "zh_CN")
    council = window.show_room("council")
    meeting_headings = [t for _i, t in _headings(council.meeting_view)]
    assert "应到" in meeting_headings and "实到" in meeting_headings and "出席" not in meeting_headings
    assert "三分之二以上" in [t for _i, t in _headings(council.item_view)]
    assert council.buttons["attendance"].text() == "签到登记…"
    council.tabs.setCurrentIndex(1)
    assert "职务" in [t for _i, t in _headings(council.member_view)]
    petitions = window.show_room("petitions")
    headings = [t for _i, t in _headings(petitions.mediations.view)]
    assert "调解结果" in headings and "表决结果" not in headings


def test_an_empty_list_says_what_to_do(qtbot: QtBot, clerk: Actor) -> None:
    """A new village: the lists are empty, and each says so instead of showing a blank grid."""
    window = _window(qtbot, clerk, "zh_CN")
    notices = window.show_room("notices")
    assert notices.model.rowCount() == 0
    assert "新建…" in notices.view.empty_text
    image = notices.view.viewport().grab().toImage()
    base = notices.view.palette().color(notices.view.viewport().backgroundRole())
    inked = {
        image.pixelColor(x, y).rgb()
        for x in range(0, image.width(), 2)
        for y in range(image.height() // 2 - 20, image.height() // 2 + 20)
    }
    assert inked - {QColor(base).rgb()}, "the empty text is painted in the middle of the table"
    decisions = window.show_room("decisions")
    assert decisions.model.rowCount() == 0 and "新建事项…" in decisions.view.empty_text


def test_the_english_details_use_english_punctuation(qtbot: QtBot, demo_clerk: Actor) -> None:
    """A colon between an English label and its value is “: ”, not the Chinese “：”."""
    window = _window(qtbot, demo_clerk, "en")
    ceremonies = window.show_room("ceremonies")
    text = ceremonies.details.toPlainText()
    assert "Planned total spending: ¥" in text and "spending：" not in text
    window = _window(qtbot, demo_clerk, "zh_CN")
    assert "预计总花费：¥" in window.show_room("ceremonies").details.toPlainText()
