"""The settings a clerk expects (issue 16): the language in use, one's own password, another's reset, the
backups' folder, and restoring a backup from the window; and the archive room's head record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import peewee
import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from villagegov.accounts import service as accounts
from villagegov.core import i18n, maintenance
from villagegov.core.actor import Actor
from villagegov.core.errors import AuthenticationFailed
from villagegov.roster import service as roster
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.settings_view import PasswordDialog, SettingsRoom


def _window(qtbot: QtBot, actor: Actor, notice: str = "") -> MainWindow:
    make_application()
    window = MainWindow(actor, "village.sqlite3", today=date(2026, 11, 22), notice=notice)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The message boxes the room shows (answered Yes when asked), and its refusals."""
    seen: dict[str, list[str]] = {"info": [], "asked": [], "refused": []}
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda p, t, text: seen["info"].append(text))
    )

    def ask(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        seen["asked"].append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(ask))
    monkeypatch.setattr(ops, "show_refusal", lambda parent, message: seen["refused"].append(message))
    return seen


@pytest.mark.parametrize(("lang", "shown"), [("en", "English"), ("zh_CN", "中文（简体）")])
def test_the_language_box_shows_the_language_in_use(
    qtbot: QtBot, clerk: Actor, lang: str, shown: str
) -> None:
    """Under --lang en it showed 中文（简体）: the saved choice, not the language on the screen."""
    i18n.set_language(lang)
    window = _window(qtbot, clerk)
    room = window.show_room("settings")
    assert isinstance(room, SettingsRoom) and room.language.currentText() == shown


def test_a_clerk_changes_her_own_password_in_the_window(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    dialog = PasswordDialog(clerk)
    qtbot.addWidget(dialog)
    assert dialog.old is not None
    dialog.old.setText("wrong-password")
    dialog.password.setText("neue-mima-1")
    dialog.confirm.setText("neue-mima-1")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.error.isVisibleTo(dialog) and "原密码不正确" in dialog.error.text()
    dialog.old.setText("mima-1234")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == 1
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in("wenshu", "mima-1234")
    assert accounts.sign_in("wenshu", "neue-mima-1").user_id == clerk.user_id


def test_the_secretary_resets_anothers_password_chosen_in_the_list(
    qtbot: QtBot, clerk: Actor, told: dict[str, list[str]]
) -> None:
    accounts.create_user(clerk, "shuji", "张书记", "secretary", "mima-5678")
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    secretary = accounts.sign_in("shuji", "mima-5678")
    window = _window(qtbot, secretary)
    room = window.show_room("settings")
    assert isinstance(room, SettingsRoom) and not room.reset_button.isEnabled()  # nobody chosen yet…
    assert "选中" in room.reset_button.toolTip()  # …and the button says so
    assert room.reset_password() is False and told["refused"]
    room.users_view.select_record(3)
    assert room.reset_button.isEnabled() and room.reset_button.toolTip() == ""
    user = room.users_view.selected_record()
    dialog = PasswordDialog(secretary, user, room)
    qtbot.addWidget(dialog)
    assert dialog.old is None and "赵监委" in dialog.windowTitle()
    dialog.password.setText("neue-mima-1")
    dialog.confirm.setText("neue-mima-1")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == 1
    assert accounts.sign_in("jianwei", "neue-mima-1").username == "jianwei"
    supervisor_room = SettingsRoom(accounts.sign_in("jianwei", "neue-mima-1"), "village.sqlite3")
    qtbot.addWidget(supervisor_room)
    assert not supervisor_room.reset_button.isEnabled() and not supervisor_room.restore_button.isEnabled()
    assert "文书或书记" in supervisor_room.restore_button.toolTip()  # why, in the clerk's language


def test_restoring_a_backup_from_the_window_checks_it_asks_then_reopens(
    qtbot: QtBot, store: peewee.Database, clerk: Actor, tmp_path: Path, told: dict[str, list[str]]
) -> None:
    group = roster.add_group(clerk, "第一村民小组")
    saved = maintenance.backup(store)
    roster.add_household(clerk, group.id, "01-001")
    window = _window(qtbot, clerk)
    room = window.show_room("settings")
    assert isinstance(room, SettingsRoom)
    assert str(tmp_path / "backups") in room.backups_label.text()  # beside the database

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert room.restore(str(junk)) is False
    assert told["refused"] and told["asked"] == [] and len(roster.list_households(clerk)) == 1
    assert not window.reopen_requested

    assert room.restore(str(saved)) is True
    assert told["asked"] and str(saved) in told["asked"][0]  # asked, naming the file, before anything changed
    assert roster.list_households(clerk) == []  # the records of the backup
    assert told["info"] and "before-restore-" in told["info"][-1]
    assert window.reopen_requested and not window.isVisible()  # the app signs in to the restored records
    assert maintenance.check(store).ok


def test_the_status_bar_says_when_the_database_was_made_private(qtbot: QtBot, clerk: Actor) -> None:
    window = _window(qtbot, clerk, notice="village.sqlite3 could be read by other users")
    assert window.notice.isVisible() and "other users" in window.notice.text()
    assert not _window(qtbot, clerk).notice.isVisible()


def test_the_archive_room_prints_a_head_record(
    qtbot: QtBot, store: peewee.Database, clerk: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from villagegov.archive import rules
    from villagegov.archive.views import ArchiveRoom

    shown: list[str] = []
    make_application()
    room = ArchiveRoom(clerk)
    qtbot.addWidget(room)
    room.inform = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    assert room.buttons[rules.HEAD_RECORD].isEnabled()
    task = room.save_head_record(str(tmp_path / "head.pdf"))
    assert task is not None and task.wait()  # laid out on a worker
    assert (tmp_path / "head.pdf").exists() and (tmp_path / "head.json").exists()
    assert shown and maintenance.read_head_record(tmp_path / "head.json").hash in shown[0]
