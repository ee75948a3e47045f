"""The 花名册 room, offscreen, in a real window on a real database: a new village's first day (an import of
a roster whose groups do not exist yet, or a villager entered by hand from an empty room), the ID-card
number read as it is typed, and buttons that say why they are off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.roster.test_import import write_xlsx
from villagegov.core.actor import Actor
from villagegov.core.i18n import set_language
from villagegov.core.privacy import make_id_number
from villagegov.roster import rules, service
from villagegov.roster.dialogs import GroupDialog, HouseholdDialog, ImportDialog, VillagerDialog
from villagegov.roster.views import RosterRoom
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow

ID_MAN = make_id_number("411421", date(1970, 3, 7), 11)
ID_WOMAN = make_id_number("411421", date(1972, 5, 9), 22)


def _room(qtbot: QtBot, actor: Actor) -> RosterRoom:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    room = window.show_room("roster")
    assert isinstance(room, RosterRoom)
    return room


def _answer(room: RosterRoom, fill: Callable[[QDialog], bool | None]) -> list[QDialog]:
    """Run the room's next dialogs (and those opened from inside them) without a modal loop: fill each,
    then take its accept path; `fill` returning False leaves it cancelled."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        if fill(dialog) is False:
            return False
        if isinstance(dialog, ImportDialog):
            task = dialog.apply()
            assert task is not None and task.wait()
        else:
            dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    room.exec_dialog = run  # type: ignore[method-assign]
    return shown


def _names(room: RosterRoom) -> list[str]:
    return [row.name for row in room.villagers.model.rows()]


def test_an_empty_village_says_how_to_begin_and_a_villager_is_entered_from_the_form_alone(
    qtbot: QtBot, clerk: Actor, refusals: list[str]
) -> None:
    """No group, no household: the room offers its two ways in; the villager form makes the group and
    the household it needs, each chosen at once, and the villager is saved — no other screen needed."""
    room = _room(qtbot, clerk)
    assert room.start.isVisible()
    assert (
        room.villagers.view.empty_text == "先新建村民小组，再新建户，然后添加村民；或者从 Excel 导入花名册。"
    )
    room.tabs.setCurrentWidget(room.households)
    assert room.households.view.empty_text.startswith("户要归属于村民小组：请先在“村民小组”页")
    room.tabs.setCurrentWidget(room.villagers)

    def fill(dialog: QDialog) -> None:
        if isinstance(dialog, VillagerDialog):
            assert not dialog.hint.isHidden() and "新建小组" in dialog.hint.text()
            assert dialog.group.make_group() is not None
            assert dialog.group.combo.currentText() == "第一村民小组"
            assert "新建户" in dialog.hint.text()  # the group is there; its household is not yet
            made = dialog.make_household()
            assert made is not None and dialog.household.currentData() == made
            assert dialog.hint.isHidden()
            assert dialog.relation.currentData() == rules.HEAD  # a new household's first villager
            dialog.name.setText("王大山")
            dialog.id_number.setText(ID_MAN)
            dialog.phone.setText("13812345678")
        elif isinstance(dialog, GroupDialog):
            dialog.name.setText("第一村民小组")
        elif isinstance(dialog, HouseholdDialog):
            assert dialog.group.combo.currentText() == "第一村民小组"
            dialog.number.setText("01-001")
            dialog.address.setText("青石村1号")

    shown = _answer(room, fill)
    room.start_by_hand.click()
    assert [type(d) for d in shown] == [VillagerDialog, GroupDialog, HouseholdDialog]
    assert refusals == []
    # The room heard of the three writes: the villager is listed and chosen, the counts are new.
    assert _names(room) == ["王大山"] and room.villagers.selected().name == "王大山"
    assert room.summary.text().startswith("1 个村民小组")
    assert "1 户" in room.summary.text() and "1 名村民" in room.summary.text()
    assert not room.start.isVisible()
    [villager] = service.list_villagers(clerk)
    assert (villager.household, villager.group, villager.birth_date) == (
        "01-001",
        "第一村民小组",
        date(1970, 3, 7),
    )


def test_a_roster_imported_through_the_room_makes_its_groups_and_shows_at_once(
    qtbot: QtBot, clerk: Actor, refusals: list[str], tmp_path: Path
) -> None:
    """An empty village, a roster naming two groups it does not have: the preview lists the groups and
    households it will make, the clerk confirms once, and the list and the counts show them without a
    refresh."""
    rows = [
        ["第一村民小组", "01-001", "户主", "王大山", "男", "1970-03-07", ID_MAN, "", "是", "否", ""],
        ["第一村民小组", "01-001", "配偶", "李秀英", "女", "1972/5/9", ID_WOMAN, "", "否", "否", ""],
        ["第二村民小组", "02-001", "户主", "张桂芬", "女", "1958-02-03", "", "", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "花名册.xlsx", rows)
    room = _room(qtbot, clerk)
    room.choose_roster_file = lambda: path  # type: ignore[method-assign]
    told: list[tuple[str, str]] = []
    room.inform = lambda title, text: told.append((title, text))  # type: ignore[method-assign]
    previews: list[ImportDialog] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportDialog)
        previews.append(dialog)
        assert dialog.confirm.isEnabled() and dialog.problems.isHidden()
        assert [g.name for g in dialog.groups.findChild(type(room.villagers.view)).model().rows()] == [
            "第一村民小组",
            "第二村民小组",
        ]
        households = dialog.households.findChild(type(room.villagers.view)).model().rows()
        assert [(h.number, h.head, h.villagers) for h in households] == [
            ("01-001", "王大山", 2),
            ("02-001", "张桂芬", 1),
        ]
        assert dialog.summary.text() == "花名册.xlsx：可导入 3 名村民，将新建村民小组 2 个、户 2 户。"

    _answer(room, fill)
    task = room.import_file()
    assert task is not None and task.wait()
    assert len(previews) == 1 and previews[0].result_value is not None
    assert refusals == []
    assert sorted(_names(room)) == sorted(["王大山", "李秀英", "张桂芬"])
    assert room.summary.text().startswith("2 个村民小组 · 2 户 · 3 名村民")
    assert not room.start.isVisible()
    assert told and "3" in told[0][1]
    room.tabs.setCurrentWidget(room.groups)
    assert [(g.name, g.households, g.villagers) for g in room.groups.model.rows()] == [
        ("第一村民小组", 1, 2),
        ("第二村民小组", 1, 1),
    ]


def test_the_preview_shows_the_rows_refused_beside_what_it_would_make_and_imports_nothing(
    qtbot: QtBot, clerk: Actor, refusals: list[str], tmp_path: Path
) -> None:
    rows = [
        ["第一村民小组", "01-001", "户主", "王大山", "男", "1970-03-07", ID_MAN, "", "", "", ""],
        ["第一村民小组", "01-002", "亲家", "李秀英", "女", "1972-05-09", "", "", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    room = _room(qtbot, clerk)
    room.choose_roster_file = lambda: path  # type: ignore[method-assign]
    seen: list[ImportDialog] = []

    def look(dialog: QDialog) -> bool:
        assert isinstance(dialog, ImportDialog)
        seen.append(dialog)
        return False  # the clerk reads it and closes it

    _answer(room, look)
    task = room.import_file()
    assert task is not None and task.wait()
    [dialog] = seen
    assert not dialog.confirm.isEnabled() and not dialog.problems.isHidden()
    problems = dialog.problems.findChild(type(room.villagers.view)).model().rows()
    assert [(p.row, p.column) for p in problems] == [(3, "与户主关系")]
    assert "亲家" in problems[0].message
    assert [g.name for g in dialog.preview.new_groups] == ["第一村民小组"]
    assert dialog.apply() is None
    assert service.counts(clerk)["villagers"] == 0 and _names(room) == []


def test_a_cancelled_import_writes_nothing(qtbot: QtBot, clerk: Actor, tmp_path: Path) -> None:
    rows = [
        [
            "第一村民小组",
            f"01-{n:03d}",
            "户主",
            f"村民{n}",
            "男" if n % 2 else "女",
            "1970-03-07",
            "",
            "",
            "",
            "",
            "",
        ]
        for n in range(1, 801)
    ]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    make_application()
    preview = service.preview_import(clerk, path)
    assert preview.ok
    dialog = ImportDialog(clerk, preview)
    qtbot.addWidget(dialog)
    task = dialog.apply()
    assert task is not None
    task.cancel()
    assert task.wait()
    assert task.outcome == "cancelled"
    assert dialog.error.text() == "导入已取消，没有写入任何内容。" and dialog.confirm.isEnabled()
    assert service.counts(clerk) == {
        "groups": 0, "households": 0, "villagers": 0, "representatives": 0, "women_representatives": 0
    }  # fmt: skip


def test_birth_date_and_gender_are_read_from_the_id_number_as_it_is_typed(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    group = service.add_group(clerk, "第一村民小组")
    service.add_household(clerk, group.id, "01-001")
    dialog = VillagerDialog(clerk, None)
    qtbot.addWidget(dialog)
    assert dialog.birth_date.date() == QDate(1980, 1, 1) and dialog.gender.currentData() is None
    for n in range(1, len(ID_WOMAN)):
        dialog.id_number.setText(ID_WOMAN[:n])  # keystroke by keystroke: nothing to read yet
        assert dialog.birth_date.isEnabled() and dialog.gender.isEnabled()
    assert dialog.birth_date.date() == QDate(1980, 1, 1)
    dialog.id_number.setText(ID_WOMAN)
    assert dialog.birth_date.date() == QDate(1972, 5, 9) and dialog.gender.currentData() == rules.FEMALE
    assert not dialog.birth_date.isEnabled() and not dialog.gender.isEnabled()
    assert dialog.birth_date.toolTip() == "从身份证号读出"
    # A wrong check digit reads nothing: the fields are the clerk's again, as they were left.
    wrong = ID_WOMAN[:17] + ("0" if ID_WOMAN[17] != "0" else "1")
    dialog.id_number.setText(wrong)
    assert dialog.birth_date.isEnabled() and dialog.gender.isEnabled()
    dialog.id_number.clear()
    assert dialog.birth_date.isEnabled() and dialog.gender.isEnabled()
    # Typed again in lower case (an x check digit), then saved: what the form showed is what is kept.
    x_number = make_id_number("411421", date(2001, 12, 30), 63)
    while not x_number.endswith("X"):
        x_number = make_id_number("411421", date(2001, 12, 30), int(x_number[14:17]) + 2)
    dialog.id_number.setText(x_number.lower())
    assert dialog.birth_date.date() == QDate(2001, 12, 30) and dialog.gender.currentData() == rules.MALE
    dialog.name.setText("王小明")
    dialog.relation.setCurrentIndex(dialog.relation.findData("child"))
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    assert (dialog.result_value.birth_date, dialog.result_value.gender) == (date(2001, 12, 30), rules.MALE)


def test_a_disabled_delete_says_why(qtbot: QtBot, clerk: Actor, refusals: list[str]) -> None:
    """A head of household with others in the household, and a group that still has households."""
    group = service.add_group(clerk, "第一村民小组")
    household = service.add_household(clerk, group.id, "01-001")
    head = service.add_villager(clerk, rules.VillagerInput("王大山", household, "head", id_number=ID_MAN))
    service.add_villager(clerk, rules.VillagerInput("李秀英", household, "spouse", id_number=ID_WOMAN))
    room = _room(qtbot, clerk)
    room.villagers.view.select_record(head.id)
    delete = room.buttons[rules.DELETE_VILLAGER]
    assert not delete.isEnabled()
    assert (
        delete.toolTip()
        == "王大山是户号 01-001 的户主，该户还有其他成员：请先把户主改为其他成员，或先将其他成员移出。"
    )
    assert room.buttons[rules.EDIT_VILLAGER].isEnabled()
    room.tabs.setCurrentWidget(room.groups)
    room.groups.view.select_record(group.id)
    assert not room.buttons[rules.DELETE_GROUP].isEnabled()
    assert (
        room.buttons[rules.DELETE_GROUP].toolTip()
        == "村民小组“第一村民小组”下还有户，请先把这些户调到其他村民小组。"
    )
    # The spouse may leave; then the head may too.
    room.tabs.setCurrentWidget(room.villagers)
    spouse = next(r for r in room.villagers.model.rows() if r.name == "李秀英")
    room.villagers.view.select_record(spouse.id)
    room.confirm = lambda title, text: True  # type: ignore[method-assign]
    room.delete_villager()
    room.villagers.view.select_record(head.id)
    assert room.buttons[rules.DELETE_VILLAGER].isEnabled()
    assert refusals == []


def test_english_empty_room(qtbot: QtBot, clerk: Actor) -> None:
    set_language("en")
    room = _room(qtbot, clerk)
    assert room.villagers.view.empty_text.startswith("Make a villager group first")
    assert room.start_import.text() == "Import a roster…"
    assert ops.busy() is False
