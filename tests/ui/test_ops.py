"""The window's floor: one way to act (ui/ops.py), announcements of what changed, rooms that never go
stale, buttons enabled by the rules with the reason as a tooltip, long work off the GUI thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout
from pytestqt.qtbot import QtBot

from villagegov.core import changes
from villagegov.core.actions import ROLE, Allowed, refuse
from villagegov.core.actor import Actor
from villagegov.core.changes import Changes
from villagegov.core.errors import Cancelled, PermissionDenied, ValidationError
from villagegov.roster import service as roster
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.room import Room


class GroupsRoom(Room):
    """A room that shows the villager groups, as a real room would."""

    watches = frozenset({"villager_group"})

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.loads = 0
        self.selected = ""
        self.label = QLabel()
        QVBoxLayout(self).addWidget(self.label)
        self.reload()

    def reload(self) -> None:
        self.loads += 1
        names = [g.name for g in roster.list_groups(self.actor)]
        self.label.setText("、".join(names))


def test_a_write_announces_what_it_changed_and_a_refusal_announces_nothing(
    qtbot: QtBot, clerk: Actor, refusals: list[str]
) -> None:
    make_application()
    heard: list[Changes] = []
    ops.bus().changed.connect(heard.append)
    group = ops.write(None, roster.add_group, clerk, "第一村民小组")
    assert group is not None and group.name == "第一村民小组"
    assert (
        len(heard) == 1
        and heard[0].kinds == {"villager_group"}
        and heard[0].ids("villager_group") == {group.id}
    )
    assert ops.write(None, roster.add_group, clerk, "第一村民小组") is None  # the name is taken
    assert len(refusals) == 1 and "第一村民小组" in refusals[0]
    assert len(heard) == 1, "a refused write changed nothing and says nothing"


def test_a_visible_room_reloads_at_once_and_a_hidden_one_when_shown(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    room = GroupsRoom(clerk)
    qtbot.addWidget(room)
    room.show()
    ops.write(None, roster.add_group, clerk, "第一村民小组")
    assert room.label.text() == "第一村民小组" and not room.stale
    room.hide()
    loads = room.loads
    ops.write(None, roster.add_group, clerk, "第二村民小组")
    assert room.stale and room.loads == loads, "a hidden room costs nothing until it is shown"
    ops.write(None, roster.add_group, clerk, "第三村民小组")
    assert room.loads == loads
    room.show()
    assert room.loads == loads + 1 and room.label.text() == "第一村民小组、第二村民小组、第三村民小组"


def test_a_room_does_not_reload_for_records_it_does_not_show(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    room = GroupsRoom(clerk)
    qtbot.addWidget(room)
    room.show()
    loads = room.loads
    ops.bus().changed.emit(Changes(frozenset({changes.Change("notice", "1", "create")})))
    assert room.loads == loads


def test_a_disabled_button_says_why_in_the_users_language(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    room = GroupsRoom(clerk)
    qtbot.addWidget(room)
    room.button("approve", "审批", lambda: None)
    room.button("edit", "修改", lambda: None)
    allowed = Allowed.decide({
        "approve": refuse("Only the party secretary may approve; you are signed in as {role}.", ROLE,
                          role="文书"),
        "edit": None,
    })  # fmt: skip
    room.show_allowed(allowed)
    assert not room.buttons["approve"].isEnabled()
    assert room.buttons["approve"].toolTip() == "只有书记可以审批；您当前的登录身份是文书。"
    assert room.buttons["edit"].isEnabled() and room.buttons["edit"].toolTip() == ""
    with pytest.raises(PermissionDenied, match="只有书记可以审批"):
        allowed.require("approve")
    allowed.require("edit")
    with pytest.raises(KeyError):
        allowed.may("no-such-action")  # a typo never enables a button


def test_a_state_refusal_raises_a_validation_error_for_the_service() -> None:
    allowed = Allowed.decide({"post": refuse("Only an approved notice can be posted; this notice is {state}.",
                                             state="草稿")})  # fmt: skip
    with pytest.raises(ValidationError, match="草稿"):
        allowed.require("post")


def test_long_work_runs_on_a_worker_and_its_changes_are_announced(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    heard: list[Changes] = []
    ops.bus().changed.connect(heard.append)
    seen: dict[str, Any] = {}

    def work(progress: ops.Progress) -> str:
        seen["thread"] = threading.current_thread()
        progress(1, 2, "一半")
        return roster.add_group(clerk, "第一村民小组").name

    results: list[str] = []
    task = ops.run(None, work, results.append, title="导入", label="正在导入…")
    assert task.wait() and task.outcome == "done"
    assert results == ["第一村民小组"]
    assert seen["thread"] is not threading.main_thread()
    assert heard and heard[-1].kinds == {"villager_group"}
    assert not ops.busy()


def test_a_cancelled_task_says_so_and_a_refused_one_shows_why(qtbot: QtBot, refusals: list[str]) -> None:
    make_application()
    started = threading.Event()

    def slow(progress: ops.Progress) -> int:
        started.set()
        while True:
            progress.check()
            threading.Event().wait(0.01)

    cancelled: list[bool] = []
    task = ops.run(None, slow, cancelled=lambda: cancelled.append(True))
    assert started.wait(5)
    task.cancel()
    assert task.wait() and task.outcome == "cancelled" and cancelled == [True]

    def refused(progress: ops.Progress) -> int:
        raise ValidationError("Please enter a user name.")

    task = ops.run(None, refused)
    assert task.wait() and task.outcome == "refused"
    assert refusals == ["请填写用户名。"]  # in the screen's language, from the worker


def test_an_unexpected_error_in_a_worker_reaches_the_exception_hook(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_application()
    hooked: list[tuple[BaseException, str]] = []
    monkeypatch.setattr(ops, "report_unexpected", lambda exc, where: hooked.append((exc, where)))

    def broken(progress: ops.Progress) -> int:
        raise ZeroDivisionError("a programming error")

    task = ops.run(None, broken, title="导出档案包")
    assert task.wait() and task.outcome == "crashed"
    assert [(type(e), where) for e, where in hooked] == [(ZeroDivisionError, "导出档案包")]


def test_changes_gathered_inside_a_block_belong_to_it_and_to_the_block_around_it() -> None:
    with changes.gathering() as outer:
        changes.note("notice", 1, "create")
        with changes.gathering() as inner:
            changes.note("objection", 2, "create")
        assert inner.changes().kinds == {"objection"}
    assert outer.changes().kinds == {"notice", "objection"}
    changes.note("notice", 3, "update")  # outside any block: nobody listens, nothing kept
    with changes.gathering() as later:
        pass
    assert not later.changes()


def test_cancelled_is_not_an_error_a_user_reads() -> None:
    assert not issubclass(Cancelled, ValidationError)
