"""The 村民议事会 room, offscreen, on a real database: the clerk's path from plan to printed minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from villagegov.accounts import service as accounts
from villagegov.core import clock, voting
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.council import rules, service
from villagegov.council import views as council_views
from villagegov.council.views import (
    AmendDialog,
    AttendanceDialog,
    CouncilRoom,
    ItemDialog,
    MeetingDialog,
    MemberDialog,
    MinutesDialog,
    ObserverDialog,
    RecusalDialog,
    ResolutionDialog,
    RulesDialog,
    SignOffDialog,
    VoteDialog,
)
from villagegov.roster import service as roster
from villagegov.roster.rules import FEMALE, MALE, VillagerInput
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog

NAMES = ("王建国", "李秀英", "张志刚", "刘桂兰", "陈卫东", "杨春燕", "赵德福", "黄丽华", "周海涛", "吴红梅")
TODAY = clock.today()


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A refusal would open a modal box; record it instead, and let each test say none came."""
    seen: list[str] = []

    def record(parent: object, exc: VillagegovError | str) -> None:
        seen.append(exc if isinstance(exc, str) else exc.message())

    monkeypatch.setattr(council_views, "show_error", record)
    return seen


@pytest.fixture
def council(clerk: Actor) -> service.CouncilRow:
    """A council of nine for a term around today (the tenth villager is not on it yet)."""
    group = roster.add_group(clerk, "第一村民小组")
    seats = (rules.CHAIR, rules.VICE_CHAIR, *[rules.MEMBER] * 7)
    row = service.create_council(clerk, date(TODAY.year - 1, 1, 1), date(TODAY.year + 3, 12, 31))
    for n, name in enumerate(NAMES):
        household = roster.add_household(clerk, group.id, f"01-{n + 1:03d}")
        villager = roster.add_villager(
            clerk,
            VillagerInput(name, household, "head", gender=MALE if n % 2 == 0 else FEMALE,
                          birth_date=date(1960 + n, 3, 1)),
            TODAY,
        )  # fmt: skip
        if n < len(seats):
            service.add_member(clerk, row.id, villager.id, seats[n], row.term_start)
    return row


def _room(qtbot: QtBot, actor: Actor) -> CouncilRoom:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    room = window.show_room("council")
    assert isinstance(room, CouncilRoom)
    return room


def _answer(room: CouncilRoom, *fills: Callable[[QDialog], None]) -> list[QDialog]:
    """Run the room's next dialogs without a modal loop: fill each and take its accept path."""
    shown: list[QDialog] = []
    queue = list(fills)

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        queue.pop(0)(dialog)
        if isinstance(dialog, PdfPreviewDialog):
            assert dialog.ready() or dialog.refusal  # laid out on a worker
            return True
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    room.exec_dialog = run  # type: ignore[method-assign]
    return shown


def _click(room: CouncilRoom, label: str, *fills: Callable[[QDialog], None]) -> list[QDialog]:
    shown = _answer(room, *fills)
    assert room.buttons[label].isEnabled(), label
    room.buttons[label].click()
    assert len(shown) == len(fills), label
    return shown


def _enabled(room: CouncilRoom) -> dict[str, bool]:
    return {label: button.isEnabled() for label, button in room.buttons.items()}


def _select_item(room: CouncilRoom, order: int) -> service.ItemRow:
    room.item_view.selectRow(order - 1)
    item = room.selected_item()
    assert item is not None and item.order == order
    return item


def test_the_clerk_prepares_holds_votes_finalises_and_prints_a_meeting(
    qtbot: QtBot, clerk: Actor, council: service.CouncilRow, refusals: list[str]
) -> None:
    room = _room(qtbot, clerk)
    assert room.council == council and room.meetings.rowCount() == 0
    assert [m.name for m in room.members.rows()] == list(NAMES[:9])
    assert room.versions.rowCount() == 1 and not _enabled(room)["New version…"], "the secretary sets rules"

    # A member joins, chosen from the roster by typing part of her name.
    def add_member(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberDialog) and dialog.picker is not None
        dialog.picker.search.setText("红梅")
        assert dialog.picker.results.count() == 1

    _click(room, "Add member…", add_member)
    assert [m.name for m in room.members.rows()][-1] == "吴红梅"

    # Prepare the meeting: today, in the meeting room, chaired by the council chair.
    def prepare(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        assert dialog.chair.currentText() == "王建国" and dialog.recorder.currentText() == "李文书"
        dialog.time.setText("9点")
        dialog.place.setText("村委会二楼会议室")

    _click(room, "Prepare meeting…", prepare)
    assert not refusals
    [row] = room.meetings.rows()
    assert (row.number, row.state, row.expected, row.time) == (1, rules.PLANNED, 10, "09:00")
    assert room.detail is not None and room.detail.chair == rules.Person(
        "王建国", room.detail.chair.villager_id
    )

    def item(title: str, proposer: str, two_thirds: bool = False) -> Callable[[QDialog], None]:
        def fill(dialog: QDialog) -> None:
            assert isinstance(dialog, ItemDialog)
            dialog.title.setText(title)
            dialog.proposer.setText(proposer)
            dialog.background.setPlainText("背景说明")
            dialog.two_thirds.setChecked(two_thirds)

        return fill

    _click(room, "Add item…", item("修缮村东水渠", "村民委员会"))
    _click(room, "Add item…", item("集体鱼塘重新发包", "村民委员会"))
    _click(room, "Add item…", item("修订村规民约", "村党支部", two_thirds=True))

    def observer(dialog: QDialog) -> None:
        assert isinstance(dialog, ObserverDialog)
        dialog.name.setText("陈淑芬")
        dialog.kind.setCurrentIndex(dialog.kind.findData(rules.SUPERVISORY))
        dialog.note.setText("监委会主任")

    _click(room, "Add observer…", observer)
    assert [i.title for i in room.items.rows()] == ["修缮村东水渠", "集体鱼塘重新发包", "修订村规民约"]
    assert not _enabled(room)["Enter vote…"], "no votes before the attendance"
    notice = room.buttons["Print meeting notice…"]
    shown = _answer(room, lambda d: None)
    notice.click()
    assert isinstance(shown[0], PdfPreviewDialog) and shown[0].document.pageCount() >= 1
    assert shown[0].pdf_bytes.startswith(b"%PDF")

    # Attendance: one member away; the quorum (7 of 10) is met.
    detail = room.detail
    assert detail is not None
    away = detail.attendance[-2].member_id

    def attendance(dialog: QDialog) -> None:
        assert isinstance(dialog, AttendanceDialog)
        dialog.set_absent(away, "外出务工")
        assert "9" in dialog.quorum.text() and "7" in dialog.quorum.text()

    _click(room, "Attendance…", attendance)
    assert room.detail is not None and (room.detail.state, room.detail.present) == (rules.HELD, 9)

    # Item 1 by a show of hands; an impossible count is refused inside the dialog, nothing saved.
    _select_item(room, 1)

    def too_many(dialog: QDialog) -> None:
        assert isinstance(dialog, VoteDialog)
        dialog.for_.setValue(9)
        dialog.against.setValue(1)  # the spin boxes allow up to 9 each; 10 votes from 9 present

    shown = _click(room, "Enter vote…", too_many)
    assert shown[0].error.isVisibleTo(shown[0]) and "9" in shown[0].error.text()  # type: ignore[attr-defined]
    assert room.selected_item() is not None and room.selected_item().vote is None  # type: ignore[union-attr]

    def counts(dialog: QDialog) -> None:
        assert isinstance(dialog, VoteDialog)
        dialog.for_.setValue(6)
        dialog.against.setValue(2)
        dialog.abstain.setValue(1)
        assert dialog.outcome.text().startswith(voting.result_label(voting.PASSED))

    _click(room, "Enter vote…", counts)
    first = _select_item(room, 1)
    assert first.vote is not None and first.vote.outcome == voting.PASSED
    assert first.resolution is not None and first.resolution.number.endswith("议字第1号")

    # Item 2: one member steps aside, the rest vote by roll call.
    second = _select_item(room, 2)
    conflicted = next(a for a in room.detail.attendance if a.name == "陈卫东")

    def step_aside(dialog: QDialog) -> None:
        assert isinstance(dialog, RecusalDialog)
        for member_id, box, reason in dialog.rows:
            if member_id == conflicted.member_id:
                box.setChecked(True)
                reason.setText("近亲属为现承包人")

    _click(room, "Stepping aside…", step_aside)
    second = _select_item(room, 2)
    assert [r.name for r in second.recusals] == ["陈卫东"]

    def roll_call(dialog: QDialog) -> None:
        assert isinstance(dialog, VoteDialog)
        dialog.by_roll_call.setChecked(True)
        assert conflicted.member_id not in dialog.choices and len(dialog.choices) == 8
        for n, combo in enumerate(dialog.choices.values()):
            combo.setCurrentIndex(combo.findData(rules.FOR if n < 5 else rules.AGAINST))

    _click(room, "Enter vote…", roll_call)
    second = _select_item(room, 2)
    assert second.vote is not None and (second.vote.method, second.vote.for_, second.vote.against) == (
        rules.ROLL_CALL, 5, 3,
    )  # fmt: skip

    # Item 3 needs two-thirds: 5 of 9 is a majority, not enough.
    _select_item(room, 3)

    def short_of_two_thirds(dialog: QDialog) -> None:
        assert isinstance(dialog, VoteDialog)
        dialog.for_.setValue(5)
        dialog.against.setValue(4)
        assert dialog.outcome.text().startswith(voting.result_label(voting.NOT_PASSED))

    _click(room, "Enter vote…", short_of_two_thirds)
    third = _select_item(room, 3)
    assert third.vote is not None and third.vote.outcome == voting.NOT_PASSED and third.resolution is None

    # Minutes, the resolution's text, then the chair's and the recorder's signatures.
    def minutes(dialog: QDialog) -> None:
        assert isinstance(dialog, MinutesDialog)
        dialog.general.setPlainText("会议由王建国主持。")
        dialog.items[first.id].setPlainText("成员同意修缮。")

    _click(room, "Minutes…", minutes)
    _select_item(room, 1)

    def resolution(dialog: QDialog) -> None:
        assert isinstance(dialog, ResolutionDialog)
        dialog.title.setText("关于修缮村东水渠的决议")
        dialog.text.setPlainText("同意修缮，预算12万元。")

    _click(room, "Resolution…", resolution)

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignOffDialog)

    _click(room, "Sign off…", sign)
    assert room.detail.state == rules.HELD and room.detail.chair_signed_on == TODAY
    assert not _enabled(room)["Minutes…"], "a signature stands on the record"
    _click(room, "Sign off…", sign)
    assert room.detail.state == rules.FINALISED
    assert room.meetings.rows()[0].state == rules.FINALISED and room.meetings.rows()[0].resolutions == 2
    locked = _enabled(room)
    for label in ("Edit meeting…", "Add item…", "Attendance…", "Enter vote…", "Minutes…", "Sign off…"):
        assert not locked[label], label
    assert locked["Correct…"] and locked["Print minutes…"]

    # A later correction keeps the original beside it.
    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, AmendDialog)
        minutes_id = service.get_meeting(clerk, first.meeting_id).items[0].minutes_id
        assert minutes_id is not None
        dialog.choose("minutes.text", minutes_id)
        assert dialog.original.toPlainText() == "成员同意修缮。"
        dialog.corrected.setPlainText("成员同意修缮，秋收后施工。")
        dialog.reason.setText("漏记施工时间")

    _click(room, "Correct…", correct)
    assert [(a.original, a.corrected) for a in room.detail.amendments] == [
        ("成员同意修缮。", "成员同意修缮，秋收后施工。")
    ]
    assert "成员同意修缮。" in room.details.toPlainText()

    # Print the minutes and the resolution; the preview shows the very bytes that are printed.
    shown = _answer(room, lambda d: None)
    room.buttons["Print minutes…"].click()
    preview = shown[0]
    assert isinstance(preview, PdfPreviewDialog) and preview.document.pageCount() >= 2
    _select_item(room, 1)
    shown = _answer(room, lambda d: None)
    room.buttons["Print resolution…"].click()
    assert isinstance(shown[0], PdfPreviewDialog) and shown[0].document.pageCount() == 1
    assert not refusals


def test_a_meeting_without_a_quorum_is_not_held_and_takes_no_votes(
    qtbot: QtBot, clerk: Actor, council: service.CouncilRow, refusals: list[str]
) -> None:
    data = rules.MeetingInput(TODAY, "村委会会议室", "14:30", rules.Person("王建国"), rules.Person("王建国"),
                              rules.Person("李文书"))  # fmt: skip
    meeting = service.create_meeting(clerk, council.id, data)
    service.add_item(clerk, meeting.id, rules.ItemInput("机动地租金调整"))
    room = _room(qtbot, clerk)

    def four_away(dialog: QDialog) -> None:
        assert isinstance(dialog, AttendanceDialog)
        for a in meeting.attendance[-4:]:
            dialog.set_absent(a.member_id, "农忙")
        assert "流会" in dialog.quorum.text()

    _click(room, "Attendance…", four_away)
    assert room.detail is not None and room.detail.state == rules.NOT_HELD
    assert rules.state_label(rules.NOT_HELD) in room.meetings.text(0, 2)
    _select_item(room, 1)
    assert not _enabled(room)["Enter vote…"] and _enabled(room)["Sign off…"]
    with pytest.raises(VillagegovError):
        service.record_votes(clerk, room.detail.items[0].id, 5, 0, 0)
    assert not refusals


def test_the_secretary_sets_a_new_version_of_the_rules(
    qtbot: QtBot, clerk: Actor, council: service.CouncilRow, refusals: list[str]
) -> None:
    accounts.create_user(clerk, "shuji", "王书记", "secretary", "mima-5678")
    secretary = accounts.sign_in("shuji", "mima-5678")
    room = _room(qtbot, secretary)

    def three_quarters(dialog: QDialog) -> None:
        assert isinstance(dialog, RulesDialog)
        dialog.effective_from.setDate(dialog.effective_from.date().addDays(-1))
        dialog.quorum.numerator.setValue(3)
        dialog.quorum.denominator.setValue(4)

    _click(room, "New version…", three_quarters)
    assert not refusals
    newest = room.versions.rows()[0]
    assert newest.quorum == voting.Threshold(Fraction(3, 4))
    assert newest.effective_from == TODAY - timedelta(days=1)
    assert room.versions.rowCount() == 2 and "3/4" in room.versions.text(0, 1)
