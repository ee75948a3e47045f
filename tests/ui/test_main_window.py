"""The real window, offscreen, as a clerk would use it."""

from __future__ import annotations

import re
import sys
import threading
from datetime import date
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QPushButton, QTabWidget
from pytestqt.qtbot import QtBot

from tests.conftest import set_up_village
from villagegov.core.actor import Actor
from villagegov.core.i18n import set_language
from villagegov.core.privacy import make_id_number
from villagegov.roster import rules, service
from villagegov.roster.rules import VillagerInput
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.dialogs import FirstRunDialog, SignInDialog
from villagegov.ui.main_window import NAV_MAX_WIDTH, NAV_SLACK, ROOMS, MainWindow

ROOM_NAMES_ZH = [
    "花名册",
    "村民议事会",
    "四议两公开",
    "红白理事会",
    "村务公开",
    "民情三本账与调解",
    "档案",
    "设置",
]
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _populate(clerk: Actor) -> None:
    group = service.add_group(clerk, "第一村民小组")
    hh = service.add_household(clerk, group.id, "01-001", "青石村1号")
    service.add_villager(
        clerk,
        VillagerInput(
            "王大山", hh, "head", id_number=make_id_number("411421", date(1970, 3, 7), 11), party_member=True
        ),
    )
    service.add_villager(
        clerk, VillagerInput("李秀英", hh, "spouse", id_number=make_id_number("411421", date(1972, 5, 9), 22))
    )


@pytest.fixture
def window(qtbot: QtBot, clerk: Actor) -> MainWindow:
    make_application()
    _populate(clerk)
    win = MainWindow(clerk, "village.sqlite3", today=date(2026, 11, 22))
    qtbot.addWidget(win)
    win.show()
    return win


def _visible_texts(widget) -> list[str]:
    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in widget.findChildren(QPushButton) if w.isVisible()]
    for tabs in widget.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    return texts


def test_navigation_lists_every_room_in_chinese(window: MainWindow) -> None:
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert names == ROOM_NAMES_ZH
    assert len(ROOMS) == len(ROOM_NAMES_ZH)
    assert "2026年11月22日" in window.statusBar().currentMessage()
    assert "文书" in window.statusBar().currentMessage()


def test_no_english_words_in_the_chinese_screens(window: MainWindow) -> None:
    for key, *_rest in ROOMS:
        room = window.show_room(key)
        for text in _visible_texts(room):
            # A folder's path (where the backups are kept) is shown as it is.
            stripped = re.sub(r"<[^>]+>|&\w;|villagegov|\w*\.sqlite3|\.xlsx|Excel|ID|(?:/[\w.-]+)+", "", text)
            assert not LATIN_WORD.search(stripped), (key, text)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "帮助(&H)"]


def test_placeholder_rooms_show_their_heading(window: MainWindow) -> None:
    room = window.show_room("council")
    assert "村民议事会" in _visible_texts(room)


def test_roster_room_lists_searches_and_filters(window: MainWindow, qtbot: QtBot) -> None:
    room = window.show_room("roster")
    tab = room.villagers
    assert tab.model.rowCount() == 2
    assert tab.model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    assert "1 个村民小组" in room.summary.text() or "1" in room.summary.text()
    tab.search.setText("秀英")
    assert [tab.model.row(i).name for i in range(tab.model.rowCount())] == ["李秀英"]
    tab.search.clear()
    tab.kind.setCurrentIndex(tab.kind.findData("party"))
    assert [tab.model.row(i).name for i in range(tab.model.rowCount())] == ["王大山"]
    date_cell = tab.model.data(tab.model.index(0, 2))
    assert date_cell == "1970年3月7日"


def test_the_roster_says_when_the_representatives_miss_the_households_rule_or_the_women_s_third(
    window: MainWindow, clerk: Actor
) -> None:
    """One household and no representative marked: the room says how many the law asks for; a man
    marked leaves the women's note; a woman instead takes the notes away."""
    room = window.show_room("roster")
    assert room.representation.isVisible()
    assert "尚未标注村民代表" in room.representation.text() and "1 至 1 名" in room.representation.text()
    household = service.list_households(clerk)[0].id

    def child(name: str, sequence: int, representative: bool = True) -> VillagerInput:
        """A child of the household; the ID's sequence number says the gender (odd: a man)."""
        term = date(2026, 1, 1) if representative else None
        return VillagerInput(
            name, household, "child", id_number=make_id_number("411421", date(1995, 8, 1), sequence),
            representative=representative, representative_term_start=term,
        )  # fmt: skip

    # Written through the window's one way to act: the room hears of it and reloads, no refresh asked.
    son = ops.write(room, service.add_villager, clerk, child("王小山", 33))
    assert son is not None
    # One for one household is right; but no woman among them (a third or more, Art. 26).
    assert room.representation.isVisible() and "尚未标注" not in room.representation.text()
    assert "妇女 0 名" in room.representation.text() and "至少应有 1 名" in room.representation.text()
    ops.write(room, service.update_villager, clerk, son.id, child("王小山", 33, representative=False))
    ops.write(room, service.add_villager, clerk, child("王小红", 34))
    assert not room.representation.isVisible()


def test_villager_dialog_shows_a_bad_id_number_and_keeps_the_form(window: MainWindow, qtbot: QtBot) -> None:
    from villagegov.roster.dialogs import VillagerDialog

    room = window.show_room("roster")
    dialog = VillagerDialog(room.actor, None, room)
    qtbot.addWidget(dialog)
    dialog.name.setText("王小明")
    good = make_id_number("411421", date(1998, 8, 1), 31)
    dialog.id_number.setText(good[:17] + ("0" if good[17] != "0" else "1"))
    dialog.relation.setCurrentIndex(dialog.relation.findData("child"))
    dialog.save()
    assert "校验" in dialog.error.text() and dialog.name.text() == "王小明"
    dialog.id_number.setText(good)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    names = {v.name for v in service.list_villagers(room.actor)}
    assert "王小明" in names


def test_first_run_dialog_sets_up_the_village(qtbot: QtBot, store: peewee.Database) -> None:
    make_application()
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    for edit, text in (
        (dialog.village, "青石村"),
        (dialog.township, "柳溪镇"),
        (dialog.county, "安平县"),
        (dialog.display_name, "李文书"),
        (dialog.username, "wenshu"),
        (dialog.password, "mima-1234"),
        (dialog.confirm, "mima-9999"),
    ):
        edit.setText(text)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.error.isHidden() and "密码" in dialog.error.text()
    assert dialog.actor is None
    dialog.confirm.setText("mima-1234")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.actor is not None and dialog.actor.role == "clerk"
    assert service.village(dialog.actor).name == "青石村"


def test_sign_in_dialog(qtbot: QtBot, store: peewee.Database) -> None:
    make_application()
    set_up_village()
    dialog = SignInDialog("青石村")
    qtbot.addWidget(dialog)
    dialog.username.setText("wenshu")
    dialog.password.setText("wrong-password")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.error.text() == "用户名或密码不正确。"
    dialog.password.setText("mima-1234")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.actor is not None and dialog.actor.username == "wenshu"


def test_qt_standard_buttons_speak_chinese(qtbot: QtBot, store: peewee.Database) -> None:
    app = make_application()
    assert isinstance(app, QApplication)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() in ("取消", "取消(&C)")


def test_english_when_asked(qtbot: QtBot, clerk: Actor) -> None:
    set_language("en")
    make_application()
    win = MainWindow(clerk, "village.sqlite3")
    qtbot.addWidget(win)
    assert win.nav.item(0).text() == "Roster"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_navigation_fits_its_longest_room_name(qtbot: QtBot, clerk: Actor, lang: str) -> None:
    set_language(lang)
    make_application()
    win = MainWindow(clerk, "village.sqlite3")
    qtbot.addWidget(win)
    win.show()
    nav = win.nav
    metrics = nav.fontMetrics()
    assert metrics.height() >= 15  # the navigation's own, larger font
    assert nav.width() <= NAV_MAX_WIDTH + 2 * nav.frameWidth() + NAV_SLACK  # the rooms keep their width
    for i in range(nav.count()):
        item = nav.item(i)
        rect = nav.visualItemRect(item)
        assert rect.right() < nav.viewport().width(), item.text()
        # A long English name wraps: every line of it fits beside the 10 px padding, none is elided.
        lines = metrics.boundingRect(
            QRect(0, 0, rect.width() - 2 * 10, 1000), int(Qt.TextFlag.TextWordWrap), item.text()
        )
        assert lines.width() <= rect.width() - 2 * 10 and lines.height() <= rect.height(), item.text()
    if lang == "zh_CN":  # the Chinese names are short: one line each, as wide as the longest
        heights = [nav.visualItemRect(nav.item(i)).height() for i in range(nav.count())]
        assert max(heights) < 2 * metrics.height()


def test_hidden_roster_tabs_are_filled_when_first_opened(window: MainWindow, clerk: Actor) -> None:
    room = window.show_room("roster")
    assert room.villagers.model.rowCount() == 2
    assert room.households.model.rowCount() == 0 and room.groups.model.rowCount() == 0
    room.tabs.setCurrentWidget(room.households)
    assert [r.head for r in room.households.model.rows()] == ["王大山"]
    group = service.list_groups(clerk)[0]
    ops.write(room, service.add_household, clerk, group.id, "01-002")
    # The change is announced: the tab on screen reloads at once, the others when shown.
    assert room.households.model.rowCount() == 2
    assert room.groups.model.rowCount() == 0
    room.tabs.setCurrentWidget(room.groups)
    assert [(g.households, g.villagers) for g in room.groups.model.rows()] == [(2, 2)]


def test_rows_model_makes_each_cell_text_once() -> None:
    from villagegov.ui.widgets import Column, RowsModel

    asked: list[str] = []
    model = RowsModel([Column("Name", lambda r: asked.append(r) or r.upper())])
    model.set_rows(["a", "b"])
    for _ in range(3):
        assert model.data(model.index(0, 0)) == "A"
    assert asked == ["a"]
    model.set_rows(["c"])
    assert model.data(model.index(0, 0)) == "C" and asked == ["a", "c"]


def test_table_buttons_that_write_are_off_for_a_supervisor(qtbot: QtBot, clerk: Actor) -> None:
    from villagegov.accounts import service as accounts

    make_application()
    _populate(clerk)
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    win = MainWindow(accounts.sign_in("jianwei", "mima-5678"), "village.sqlite3")
    qtbot.addWidget(win)
    win.show()
    room = win.show_room("roster")
    assert room.villagers.selected() is not None  # a villager is chosen: only the role says no
    enabled = {action: b.isEnabled() for action, b in room.buttons.items()}
    assert enabled == {
        rules.ADD_VILLAGER: False,
        rules.EDIT_VILLAGER: False,
        rules.DELETE_VILLAGER: False,
        rules.IMPORT: False,
        rules.EXPORT: True,
        rules.ADD_HOUSEHOLD: False,
        rules.EDIT_HOUSEHOLD: False,
        rules.DELETE_HOUSEHOLD: False,
        rules.ADD_GROUP: False,
        rules.RENAME_GROUP: False,
        rules.DELETE_GROUP: False,
    }
    # A disabled button says why, in Chinese.
    assert (
        room.buttons[rules.EDIT_VILLAGER].toolTip()
        == "只有文书或书记可以修改记录；您当前的登录身份是监委会。"
    )


def test_a_household_without_head_says_so(qtbot: QtBot, clerk: Actor) -> None:
    from villagegov.roster.dialogs import VillagerDialog

    set_language("en")
    make_application()
    group = service.add_group(clerk, "Group 1")
    service.add_household(clerk, group.id, "01-001")
    dialog = VillagerDialog(clerk, None)
    qtbot.addWidget(dialog)
    assert dialog.group.combo.currentText() == "Group 1"
    assert dialog.household.itemText(0) == "01-001 · (no head)"
    assert dialog.relation.currentData() == "head"  # its first villager is usually its head


def test_sign_in_runs_beside_the_first_screens_imports(qtbot: QtBot, store: peewee.Database) -> None:
    from villagegov.ui import app

    make_application()
    set_up_village()
    dialog = SignInDialog("青石村")
    dialog.around_submit = app._check_password
    qtbot.addWidget(dialog)
    dialog.username.setText("wenshu")
    dialog.password.setText("mima-1234")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.actor is not None and dialog.actor.username == "wenshu"
    assert "villagegov.roster.views" in sys.modules
    assert not [t for t in threading.enumerate() if t.name == "prepare-main-window"]


def test_the_program_reports_its_first_frame(tmp_path: Path, store: peewee.Database) -> None:
    """The hook bench/cold_start.py reads: signed in from the environment, then `ready` and its parts."""
    from tests.ui.test_start import run_to_first_frame

    set_up_village()
    db = tmp_path / "village.sqlite3"
    lines, parts = run_to_first_frame(["-m", "villagegov", "--db", str(db)], tmp_path)
    words = lines[0].split()
    assert words[0] == "ready"
    assert set(parts) == {"opened", "qt", "fonts", "imported", "signin", "built", "shown"}
    assert 0 < parts["opened"] < parts["qt"] < parts["imported"] < parts["built"] < parts["shown"]
    assert 0 < parts["signin"] < parts["built"]  # the check ran beside the start, done before the window
    assert parts["shown"] <= float(words[1])


def test_columns_fit_the_first_rows_then_stay_as_the_clerk_left_them(qtbot: QtBot) -> None:
    from villagegov.ui.widgets import Column, RowsModel, rows_view

    make_application()
    model = RowsModel([Column("Name", lambda r: r), Column("Notes", lambda r: "")])
    view = rows_view(model)
    qtbot.addWidget(view)
    model.set_rows([])
    narrow = view.columnWidth(0)
    model.set_rows(["a name much longer than its header"])
    assert view.columnWidth(0) > narrow
    view.setColumnWidth(0, 60)
    model.set_rows(["another name, also longer than the header"])  # e.g. a search, keystroke by keystroke
    assert view.columnWidth(0) == 60


def _dark_pixels(view: object) -> int:
    image = view.grab().toImage()  # type: ignore[attr-defined]
    return sum(
        image.pixelColor(x, y).lightness() < 200
        for x in range(10, image.width() - 10, 2)  # inside the frame
        for y in range(image.height() // 3, 2 * image.height() // 3, 2)
    )


def test_an_empty_table_says_what_its_emptiness_means_set_before_or_after_it_is_shown(qtbot: QtBot) -> None:
    from villagegov.ui.widgets import Column, RowsModel, RowsView, rows_view

    make_application()
    model = RowsModel([Column("Name", lambda r: r)])
    blank = rows_view(model)
    said = rows_view(RowsModel([Column("Name", lambda r: r)]), "还没有异议记录。")
    for view in (blank, said):
        qtbot.addWidget(view)
        view.resize(400, 300)
        view.show()
        qtbot.waitExposed(view)
    assert _dark_pixels(blank) == 0 and _dark_pixels(said) > 0
    painted: list[int] = []
    blank.paintEvent = lambda event: painted.append(1) or RowsView.paintEvent(blank, event)
    qtbot.wait(100)  # paints already asked for are done
    painted.clear()
    blank.set_empty_text("还没有异议记录。")  # while on the screen: painted again at once
    qtbot.waitUntil(lambda: bool(painted), timeout=2000)
    assert _dark_pixels(blank) > 0
    model.set_rows(["张三"])  # one row, at the top: the middle of the table is blank again
    assert _dark_pixels(blank) == 0
