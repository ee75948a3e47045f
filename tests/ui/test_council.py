"""The 村民议事会 room, offscreen, on a real database: the clerk's path from plan to printed minutes."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from villagegov.accounts import service as accounts
from villagegov.core import clock, voting
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import set_language
from villagegov.council import rules, service
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
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog

NAMES = ("王建国", "李秀英", "张志刚", "刘桂兰", "陈卫东", "杨春燕", "赵德福", "黄丽华", "周海涛", "吴红梅")
TODAY = clock.today()


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
    assert room.versions.rowCount() == 1 and not _enabled(room)[rules.NEW_RULES], "the secretary sets rules"

    # A member joins, chosen from the roster by typing part of her name.
    def add_member(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberDialog) and dialog.picker is not None
        dialog.picker.search.setText("红梅")
        assert dialog.picker.results.count() == 1

    _click(room, rules.ADD_MEMBER, add_member)
    assert [m.name for m in room.members.rows()][-1] == "吴红梅"

    # Prepare the meeting: today, in the meeting room, chaired by the council chair.
    def prepare(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        assert dialog.chair.currentText() == "王建国" and dialog.recorder.currentText() == "李文书"
        dialog.time.setText("9点")
        dialog.place.setText("村委会二楼会议室")

    _click(room, rules.NEW_MEETING, prepare)
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

    _click(room, rules.ADD_ITEM, item("修缮村东水渠", "村民委员会"))
    _click(room, rules.ADD_ITEM, item("集体鱼塘重新发包", "村民委员会"))
    _click(room, rules.ADD_ITEM, item("修订村规民约", "村党支部", two_thirds=True))

    def observer(dialog: QDialog) -> None:
        assert isinstance(dialog, ObserverDialog)
        dialog.name.setText("陈淑芬")
        dialog.kind.setCurrentIndex(dialog.kind.findData(rules.SUPERVISORY))
        dialog.note.setText("监委会主任")

    _click(room, rules.ADD_OBSERVER, observer)
    assert [i.title for i in room.items.rows()] == ["修缮村东水渠", "集体鱼塘重新发包", "修订村规民约"]
    assert not _enabled(room)[rules.VOTE], "no votes before the attendance"
    notice = room.buttons[rules.PRINT_NOTICE]
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

    _click(room, rules.RECORD_ATTENDANCE, attendance)
    assert room.detail is not None and (room.detail.state, room.detail.present) == (rules.HELD, 9)

    # Item 1 by a show of hands; an impossible count is refused inside the dialog, nothing saved.
    _select_item(room, 1)

    def too_many(dialog: QDialog) -> None:
        assert isinstance(dialog, VoteDialog)
        dialog.for_.setValue(9)
        dialog.against.setValue(1)  # the spin boxes allow up to 9 each; 10 votes from 9 present

    shown = _click(room, rules.VOTE, too_many)
    assert shown[0].error.isVisibleTo(shown[0]) and "9" in shown[0].error.text()  # type: ignore[attr-defined]
    assert room.selected_item() is not None and room.selected_item().vote is None  # type: ignore[union-attr]

    def counts(dialog: QDialog) -> None:
        assert isinstance(dialog, VoteDialog)
        dialog.for_.setValue(6)
        dialog.against.setValue(2)
        dialog.abstain.setValue(1)
        assert dialog.outcome.text().startswith(voting.result_label(voting.PASSED))

    _click(room, rules.VOTE, counts)
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

    _click(room, rules.RECUSALS, step_aside)
    second = _select_item(room, 2)
    assert [r.name for r in second.recusals] == ["陈卫东"]

    def roll_call(dialog: QDialog) -> None:
        assert isinstance(dialog, VoteDialog)
        dialog.by_roll_call.setChecked(True)
        assert conflicted.member_id not in dialog.choices and len(dialog.choices) == 8
        for n, combo in enumerate(dialog.choices.values()):
            combo.setCurrentIndex(combo.findData(rules.FOR if n < 5 else rules.AGAINST))

    _click(room, rules.VOTE, roll_call)
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

    _click(room, rules.VOTE, short_of_two_thirds)
    third = _select_item(room, 3)
    assert third.vote is not None and third.vote.outcome == voting.NOT_PASSED and third.resolution is None

    # Minutes, the resolution's text, then the chair's and the recorder's signatures.
    def minutes(dialog: QDialog) -> None:
        assert isinstance(dialog, MinutesDialog)
        dialog.general.setPlainText("会议由王建国主持。")
        dialog.items[first.id].setPlainText("成员同意修缮。")

    _click(room, rules.MINUTES, minutes)
    _select_item(room, 1)

    def resolution(dialog: QDialog) -> None:
        assert isinstance(dialog, ResolutionDialog)
        dialog.title.setText("关于修缮村东水渠的决议")
        dialog.text.setPlainText("同意修缮，预算12万元。")

    _click(room, rules.RESOLUTION, resolution)

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignOffDialog)

    _click(room, rules.SIGN_OFF, sign)
    assert room.detail.state == rules.HELD and room.detail.chair_signed_on == TODAY
    assert not _enabled(room)[rules.MINUTES], "a signature stands on the record"
    _click(room, rules.SIGN_OFF, sign)
    assert room.detail.state == rules.FINALISED
    assert room.meetings.rows()[0].state == rules.FINALISED and room.meetings.rows()[0].resolutions == 2
    locked = _enabled(room)
    for label in (
        rules.EDIT_MEETING, rules.ADD_ITEM, rules.RECORD_ATTENDANCE, rules.VOTE, rules.MINUTES, rules.SIGN_OFF
    ):  # fmt: skip
        assert not locked[label], label
    assert locked[rules.CORRECT] and locked[rules.PRINT_MINUTES]

    # A later correction keeps the original beside it.
    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, AmendDialog)
        minutes_id = service.get_meeting(clerk, first.meeting_id).items[0].minutes_id
        assert minutes_id is not None
        dialog.choose("minutes.text", minutes_id)
        assert dialog.original.toPlainText() == "成员同意修缮。"
        dialog.corrected.setPlainText("成员同意修缮，秋收后施工。")
        dialog.reason.setText("漏记施工时间")

    _click(room, rules.CORRECT, correct)
    assert [(a.original, a.corrected) for a in room.detail.amendments] == [
        ("成员同意修缮。", "成员同意修缮，秋收后施工。")
    ]
    assert "成员同意修缮。" in room.details.toPlainText()

    # Print the minutes and the resolution; the preview shows the very bytes that are printed.
    shown = _answer(room, lambda d: None)
    room.buttons[rules.PRINT_MINUTES].click()
    preview = shown[0]
    assert isinstance(preview, PdfPreviewDialog) and preview.document.pageCount() >= 2
    _select_item(room, 1)
    shown = _answer(room, lambda d: None)
    room.buttons[rules.PRINT_RESOLUTION].click()
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

    _click(room, rules.RECORD_ATTENDANCE, four_away)
    assert room.detail is not None and room.detail.state == rules.NOT_HELD
    assert rules.state_label(rules.NOT_HELD) in room.meetings.text(0, 6)
    _select_item(room, 1)
    assert not _enabled(room)[rules.VOTE] and _enabled(room)[rules.SIGN_OFF]
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

    _click(room, rules.NEW_RULES, three_quarters)
    assert not refusals
    newest = room.versions.rows()[0]
    assert newest.quorum == voting.Threshold(Fraction(3, 4))
    assert newest.effective_from == TODAY - timedelta(days=1)
    assert room.versions.rowCount() == 2 and "3/4" in room.versions.text(0, 1)


def test_a_disabled_button_says_why_in_chinese(
    qtbot: QtBot, clerk: Actor, council: service.CouncilRow, refusals: list[str]
) -> None:
    data = rules.MeetingInput(TODAY, "村委会会议室", "14:30", rules.Person("王建国"), rules.Person("王建国"),
                              rules.Person("李文书"))  # fmt: skip
    meeting = service.create_meeting(clerk, council.id, data)
    item = service.add_item(clerk, meeting.id, rules.ItemInput("修缮村东水渠"))
    room = _room(qtbot, clerk)
    vote = room.buttons[rules.VOTE]
    assert not vote.isEnabled() and vote.toolTip() == "请先登记第1次会议的出席情况，再登记表决。"
    assert room.buttons[rules.NEW_RULES].toolTip() == "只有书记可以审批；您当前的登录身份是文书。"
    assert (
        room.buttons[rules.RECORD_ATTENDANCE].isEnabled()
        and not room.buttons[rules.RECORD_ATTENDANCE].toolTip()
    )
    # The service refuses what the button refuses, with the same words.
    assert ops.write(room, service.record_votes, clerk, item.id, 5, 0, 0) is None
    assert refusals == [vote.toolTip()]


def test_a_villager_added_elsewhere_appears_in_the_open_member_picker_and_the_members_list(
    qtbot: QtBot, clerk: Actor, council: service.CouncilRow, refusals: list[str]
) -> None:
    """Issue 15: the council hears of the roster's changes (ops announces them) without reopening."""
    room = _room(qtbot, clerk)
    group = roster.list_groups(clerk)[0]
    seen: list[int] = []

    def while_open(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberDialog) and dialog.picker is not None
        dialog.picker.search.setText("孙立新")
        assert dialog.picker.results.count() == 0
        # The roster room adds him while the dialog is open (through the one way to act).
        household = ops.write(None, roster.add_household, clerk, group.id, "01-099")
        assert household is not None
        person = VillagerInput("孙立新", household, "head", gender=MALE, birth_date=date(1975, 5, 1))
        added = ops.write(None, roster.add_villager, clerk, person)
        assert added is not None
        assert dialog.picker.results.count() == 1 and dialog.picker.villager_id() == added.id
        seen.append(added.id)

    _click(room, rules.ADD_MEMBER, while_open)
    assert not refusals and room.members.rows()[-1].name == "孙立新"
    # Renamed in the roster: the members list says the new name at once, his seat still chosen.
    room.tabs.setCurrentIndex(1)
    room.member_view.selectRow(len(room.members.rows()) - 1)
    villager = roster.get_villager(clerk, seen[0])
    renamed = VillagerInput("孙利新", villager.household_id, "head", gender=MALE, birth_date=date(1975, 5, 1))
    assert ops.write(None, roster.update_villager, clerk, seen[0], renamed) is not None
    member = room.selected_member()
    assert member is not None and member.name == "孙利新"


def test_the_paper_and_the_screen_agree_on_who_signed_and_the_vote_reads_in_full(
    qtbot: QtBot, clerk: Actor, council: service.CouncilRow, refusals: list[str]
) -> None:
    data = rules.MeetingInput(TODAY, "村委会会议室", "14:30", rules.Person("王建国"), rules.Person("王建国"),
                              rules.Person("李文书"))  # fmt: skip
    meeting = service.create_meeting(clerk, council.id, data)
    item = service.add_item(clerk, meeting.id, rules.ItemInput("修缮村东水渠"))
    entries = [rules.AttendanceInput(a.member_id, True) for a in meeting.attendance]
    service.record_attendance(clerk, meeting.id, entries)
    service.record_votes(clerk, item.id, 7, 1, 1)
    room = _room(qtbot, clerk)
    # The agenda's vote column: short, and the tooltip says it in full.
    headings = [room.items.headerData(h, Qt.Orientation.Horizontal) for h in range(room.items.columnCount())]
    vote = headings.index("表决")
    index = room.items.index(0, vote)
    assert room.items.data(index) == "赞7 反1 弃1"
    assert room.items.data(index, Qt.ItemDataRole.ToolTipRole) == "赞成7、反对1、弃权1"
    header = room.item_view.horizontalHeader()
    assert header.sectionSize(vote) >= room.item_view.fontMetrics().horizontalAdvance("赞7 反1 弃1")

    _click(room, rules.SIGN_OFF, lambda d: None)  # the chair signs first
    assert "主持人已签字，记录人尚未签字确认" in room.details.toPlainText()
    shown = _answer(room, lambda d: None)
    room.buttons[rules.PRINT_MINUTES].click()
    preview = shown[0]
    assert isinstance(preview, PdfPreviewDialog)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(preview.pdf_bytes)).pages)
    assert "主持人已签字，记录人尚未签字确认" in re.sub(r"\s+", "", text)
    assert "尚未经主持人、记录人签字确认" not in re.sub(r"\s+", "", text)
    assert not refusals


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (1280, 800)])
def test_every_button_fits_the_clerks_screen(
    qtbot: QtBot, clerk: Actor, council: service.CouncilRow, lang: str, size: tuple[int, int]
) -> None:
    """Issue 16: at 1366×768 and 1280×800, in both languages, no button is past the window's edge or
    cut short."""
    set_language(lang)
    make_application()
    window = MainWindow(clerk, "village.sqlite3")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    room = window.show_room("council")
    assert isinstance(room, CouncilRoom)
    for tab in range(room.tabs.count()):
        room.tabs.setCurrentIndex(tab)
        qtbot.wait(10)
        assert window.width() == size[0] and window.minimumSizeHint().width() <= size[0]
        for action, button in room.buttons.items():
            if not button.isVisible():
                continue
            corner = button.mapTo(window, button.rect().bottomRight())
            assert window.rect().contains(corner), (action, lang, size)
            assert button.width() >= button.sizeHint().width(), (action, lang, button.text())
