"""The 村务公开 room, offscreen, on a real database: the clerk's path from draft to objection."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from villagegov.accounts import service as accounts
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import set_language
from villagegov.notices import rules, service
from villagegov.notices.views import (
    AnswerDialog,
    AttachmentsDialog,
    CalendarDialog,
    NoticeDialog,
    NoticesRoom,
    ObjectionDialog,
    PostDialog,
    SettingsDialog,
    TableEditor,
)
from villagegov.roster import service as roster
from villagegov.ui import attachments
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog

from ..notices import samples

TITLE = "关于2026年低保户评议结果的公示"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def group_id(clerk: Actor) -> int:
    return roster.add_group(clerk, "第一村民小组").id


def _room(qtbot: QtBot, actor: Actor) -> NoticesRoom:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    room = window.show_room("notices")
    assert isinstance(room, NoticesRoom)
    return room


def _answer(room: NoticesRoom, fill: Callable[[QDialog], None]) -> list[QDialog]:
    """Run the room's next dialogs without a modal loop: fill them and take their accept path."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        fill(dialog)
        if isinstance(dialog, PdfPreviewDialog):
            assert dialog.ready() or dialog.refusal  # laid out on a worker
            return True
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    room.exec_dialog = run  # type: ignore[method-assign]
    return shown


def _rows(room: NoticesRoom) -> list[service.NoticeRow]:
    return room.model.rows()


def _select(room: NoticesRoom, notice_id: int) -> None:
    room.view.selectRow([r.id for r in _rows(room)].index(notice_id))
    assert room.detail is not None and room.detail.id == notice_id


def _enabled(room: NoticesRoom) -> dict[str, bool]:
    return {label: button.isEnabled() for label, button in room.buttons.items()}


def _fill_draft(group: int) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog)
        dialog.category.setCurrentIndex(dialog.category.findData(rules.VILLAGE))
        dialog.kind.setCurrentIndex(dialog.kind.findData(rules.PUBLICITY))
        dialog.title.setText(TITLE)
        dialog.body.setPlainText("经村民代表会议评议，结果公示如下。\n一、评议结果\n见下表。")
        dialog.boards.boxes[rules.group_place(group)].setChecked(True)
        dialog.period_days.setValue(7)
        table = dialog.add_table()
        table.caption.setText("低保户评议结果")
        table.paste_text("姓名\t身份证号\t人数\r\n王大山\t411421197003070011\t3\r\n李秀英\t\t2\r\n")

    return fill


def test_the_clerk_drafts_the_secretary_approves_the_clerk_posts_and_records_an_objection(
    qtbot: QtBot, clerk: Actor, group_id: int, refusals: list[str], tmp_path: Path
) -> None:
    room = _room(qtbot, clerk)
    assert room.model.rowCount() == 0
    assert "财务公开" in room.reminders.text()  # nothing posted yet: every category is due
    assert "村务监督委员会的电话" in room.reminders.text()  # the 公示 would print no number to call

    # The clerk drafts it through the dialog.
    shown = _answer(room, _fill_draft(group_id))
    room.buttons[rules.NEW].click()
    assert len(shown) == 1 and not refusals
    [row] = _rows(room)
    assert (row.title, row.state, row.number) == (TITLE, rules.DRAFT, "")
    assert room.detail is not None and room.detail.id == row.id
    assert room.detail.places == (rules.VILLAGE_BOARD, rules.group_place(group_id))
    assert room.detail.tables[0].rows[0] == ("王大山", "411421197003070011", "3")
    assert room.model.data(room.model.index(0, 3)) == "草稿"
    enabled = _enabled(room)
    assert enabled[rules.EDIT] and enabled[rules.DELETE] and enabled[rules.PRINT]
    assert not enabled[rules.APPROVE], "a clerk never approves"
    # …and the greyed-out button says why, in the clerk's language.
    assert room.buttons[rules.APPROVE].toolTip() == "只有书记可以审批；您当前的登录身份是文书。"
    assert not enabled[rules.POST] and not enabled[rules.RECORD_OBJECTION]

    # The secretary approves it.
    accounts.create_user(clerk, "shuji", "张书记", "secretary", "mima-5678")
    secretary = accounts.sign_in("shuji", "mima-5678")
    boss = _room(qtbot, secretary)
    _select(boss, row.id)
    assert _enabled(boss)[rules.APPROVE]
    # The number is given for good: the secretary is asked first, and a "no" changes nothing.
    questions: list[str] = []
    boss.confirm = lambda title, text: bool(questions.append(text)) or len(questions) > 1  # type: ignore[method-assign]
    boss.buttons[rules.APPROVE].click()
    assert "〔2026〕1号" in questions[0] and boss.detail is not None and boss.detail.state == rules.DRAFT
    boss.buttons[rules.APPROVE].click()
    assert not refusals
    assert boss.detail is not None and boss.detail.state == rules.APPROVED
    number = boss.detail.number
    assert re.fullmatch(r"〔\d{4}〕1号", number)
    assert _enabled(boss)[rules.WITHDRAW] and not _enabled(boss)[rules.APPROVE]

    # The clerk posts it, with a photo of the posted sheet.
    room.refresh()
    _select(room, row.id)
    assert _enabled(room)[rules.POST] and not _enabled(room)[rules.WITHDRAW]
    photo = tmp_path / "张贴.png"
    photo.write_bytes(_png())

    def fill_post(dialog: QDialog) -> None:
        assert isinstance(dialog, PostDialog)
        dialog.photo.setText(str(photo))

    _answer(room, fill_post)
    room.buttons[rules.POST].click()
    assert not refusals
    detail = room.detail
    assert detail is not None and detail.state == rules.POSTED and detail.period_end is not None
    assert [a.purpose for a in detail.attachments] == [service.PHOTO]
    assert room.model.data(room.model.index(0, 6)) == room.model.text(0, 6) != ""
    assert "张贴照片" in room.details.toPlainText() and "张书记" in room.details.toPlainText()
    enabled = _enabled(room)
    assert enabled[rules.RECORD_OBJECTION] and enabled[rules.REMOVE] and enabled[rules.CORRECT]
    assert not enabled[rules.PRINT_RESULT]  # the period has just begun

    # A villager objects; the clerk records it and then answers it.
    def fill_objection(dialog: QDialog) -> None:
        assert isinstance(dialog, ObjectionDialog)
        dialog.objector.setText("赵四")
        dialog.contact.setText("13812345678")
        dialog.content.setPlainText("王大山家已有稳定收入，不符合低保条件。")

    _answer(room, fill_objection)
    room.buttons[rules.RECORD_OBJECTION].click()
    assert not refusals
    assert room.objections.rowCount() == 1
    assert room.objections.text(0, 1) == "赵四" and room.objections.text(0, 4) == ""  # on time
    assert room.objections.text(0, 5).endswith("日")  # the answer is due in 10 days
    assert "对《关于2026年低保户评议结果的公示》的异议" in room.reminders.text()
    assert _enabled(room)[rules.ANSWER_OBJECTION]

    def fill_answer(dialog: QDialog) -> None:
        assert isinstance(dialog, AnswerDialog)
        dialog.handling.setPlainText("村务监督委员会入户核实。")
        dialog.answer.setPlainText("经核实，其家庭收入低于标准，维持评议结果。")

    _answer(room, fill_answer)
    room.buttons[rules.ANSWER_OBJECTION].click()
    assert not refusals
    assert room.objections.text(0, 6) != "" and not _enabled(room)[rules.ANSWER_OBJECTION]

    # The preview shows the notice's own PDF.
    previews = _answer(room, lambda dialog: None)
    room.buttons[rules.PRINT].click()
    [preview] = previews
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.ready()  # laid out on a worker thread: the window never froze
    assert preview.document.status() == QDocumentReady and preview.document.pageCount() >= 1
    assert b"411421197003070011" not in preview.pdf_bytes
    assert not refusals

    # Once the period has ended, its result prints.
    assert detail.period_end is not None
    clock.pin(detail.period_end + timedelta(days=1))
    later = NoticesRoom(clerk)
    qtbot.addWidget(later)
    _select(later, row.id)
    assert _enabled(later)[rules.PRINT_RESULT]
    result = later.result_dialog()
    assert result is not None
    qtbot.addWidget(result)
    assert result.ready() and result.document.pageCount() >= 1
    clock.pin(None)

    # A correction is a new draft that opens for editing; the posted notice stays as it was.
    def fill_correction(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog) and dialog.title.text() == TITLE
        dialog.title.setText(TITLE + "（更正）")

    _answer(room, fill_correction)
    room.buttons[rules.CORRECT].click()
    assert not refusals
    correction = room.detail
    assert correction is not None and correction.state == rules.DRAFT and correction.supersedes_id == row.id
    assert correction.title == TITLE + "（更正）"
    assert service.get_notice(clerk, row.id).state == rules.POSTED


QDocumentReady = QPdfDocument.Status.Ready


def test_filters_and_search_find_the_notice(
    qtbot: QtBot, clerk: Actor, group_id: int, refusals: list[str]
) -> None:
    draft = service.create_draft(
        clerk, rules.NoticeInput(rules.VILLAGE, rules.PUBLICITY, TITLE, body="评议低保户的结果")
    )
    service.create_draft(clerk, rules.NoticeInput(rules.PARTY, rules.NOTIFICATION, "关于召开党员大会的通知"))
    room = _room(qtbot, clerk)
    assert room.model.rowCount() == 2
    room.search.setText("低保")  # two characters: not in the trigram index, still found
    assert [r.id for r in _rows(room)] == [draft.id]
    room.search.setText("评议结果 公示")  # every word must occur
    assert [r.id for r in _rows(room)] == [draft.id]
    room.search.setText("党员大会")
    assert [r.title for r in _rows(room)] == ["关于召开党员大会的通知"]
    room.search.clear()
    room.category.setCurrentIndex(room.category.findData(rules.VILLAGE))
    assert [r.id for r in _rows(room)] == [draft.id]
    room.kind.setCurrentIndex(room.kind.findData(rules.NOTIFICATION))
    assert _rows(room) == []
    assert room.detail is None and not _enabled(room)[rules.PRINT]
    room.kind.setCurrentIndex(0)
    room.state.setCurrentIndex(room.state.findData(rules.DRAFT))
    room.year.setCurrentIndex(room.year.findData(draft.year))
    assert [r.id for r in _rows(room)] == [draft.id]
    assert room.count.text() == "共 1 条"
    assert not refusals


def test_a_finance_statement_shows_its_totals_as_it_is_typed(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    dialog = NoticeDialog(clerk)
    qtbot.addWidget(dialog)
    assert not dialog.tabs.isTabEnabled(dialog.finance_tab)
    dialog.category.setCurrentIndex(dialog.category.findData(rules.FINANCE))
    assert dialog.tabs.isTabEnabled(dialog.finance_tab)
    finance = dialog.finance
    finance.paste_text("收入\t上级转移支付\t120,000.00\n支出\t道路维修\t35000.5\n支出\t办公费用\t1,234.56\n")
    assert len(finance.lines()) == 3
    finance.stated_income.setText("120000")
    finance.stated_expense.setText("36235.07")  # one fen more than the lines
    text = finance.totals.text()
    assert "¥120,000.00" in text and "¥36,235.06" in text
    assert "收入与账簿相符" in text and "支出与账簿相差 ¥0.01" in text
    dialog.kind.setCurrentIndex(dialog.kind.findData(rules.ANNOUNCEMENT))
    dialog.title.setText("青石村2026年11月财务收支情况")
    dialog.save()
    assert dialog.saved is not None and "0.01" in dialog.saved.statement_problem


def test_pasting_from_excel_fills_headings_then_rows(qtbot: QtBot) -> None:
    make_application()
    editor = TableEditor()
    qtbot.addWidget(editor)
    editor.paste_text('序号\t姓名\t备注\r\n1\t王大山\t"两行\n备注"\r\n2\t李秀英\t\r\n')
    table = editor.table()
    assert table is not None
    assert table.header == ("序号", "姓名", "备注")
    assert table.rows == (("1", "王大山", "两行\n备注"), ("2", "李秀英", ""))
    assert editor.grid.horizontalHeaderItem(1).text() == "姓名"


def test_notice_settings_are_saved(qtbot: QtBot, clerk: Actor) -> None:
    make_application()
    dialog = SettingsDialog(clerk)
    qtbot.addWidget(dialog)
    dialog.period_days.setValue(5)
    dialog.period_unit.setCurrentIndex(dialog.period_unit.findData("working_days"))
    dialog.supervisory_phone.setText("0915-6321234")
    dialog.public_phones.setPlainText("0915-6321000 村委会办公室\n\n138 1234 5678 王会计")
    dialog.finance_busy.setChecked(True)
    assert dialog.mask_on_file.isChecked()  # papers kept on file are masked by default
    dialog.mask_on_file.setChecked(False)
    dialog.save()
    assert dialog.error.isHidden()
    saved = service.notice_settings(clerk)
    assert (saved.period_days, saved.period_unit, saved.finance_busy) == (5, "working_days", True)
    assert not saved.mask_on_file and not service.masking(clerk).on_file
    assert saved.public_phones == (("0915-6321000", "村委会办公室"), ("13812345678", "王会计"))
    room = NoticesRoom(clerk)
    qtbot.addWidget(room)
    assert "村务监督委员会的电话" not in room.reminders.text()
    again = SettingsDialog(clerk)
    qtbot.addWidget(again)
    again.public_phones.setPlainText("12345 不是号码")
    again.save()
    assert not again.error.isHidden() and "12345" in again.error.text()  # refused, said in the dialog
    draft = NoticeDialog(clerk)
    qtbot.addWidget(draft)
    assert draft.period_days.value() == 5


def test_a_draft_takes_attachments_and_can_be_deleted(
    qtbot: QtBot, clerk: Actor, refusals: list[str], tmp_path: Path
) -> None:
    draft = service.create_draft(clerk, rules.NoticeInput(rules.VILLAGE, rules.ANNOUNCEMENT, "写错的公告"))
    room = _room(qtbot, clerk)
    _select(room, draft.id)
    room.approve()  # the button is off for a clerk; the service still refuses if called
    assert refusals and "书记" in refusals[0]
    refusals.clear()
    picture = tmp_path / "现场照片.png"
    picture.write_bytes(_png())
    plan = tmp_path / "规划图.pdf"
    plan.write_bytes(samples.pdf_drawing(pages=1))
    opened: list[Path] = []

    def work(dialog: QDialog) -> bool:
        assert isinstance(dialog, AttachmentsDialog)
        assert dialog.buttons[rules.ADD_ATTACHMENT].isEnabled()
        assert not dialog.buttons[rules.ADD_PHOTO].isEnabled()  # not posted yet
        asked: list[str] = []
        dialog.confirm = lambda title, text: asked.append(text) or True  # type: ignore[method-assign]
        dialog.open_path = opened.append  # type: ignore[method-assign]
        dialog.choose_file = lambda **kinds: str(picture)  # type: ignore[method-assign]
        dialog.buttons[rules.ADD_ATTACHMENT].click()
        assert asked and "身份证号" in asked[0]  # an image cannot be checked: the clerk is asked
        assert dialog.add(service.ATTACHMENT, str(plan)) is not None
        assert [a.file_name for a in dialog.model.rows()] == ["现场照片.png", "规划图.pdf"]
        dialog.view.selectRow(1)
        dialog.buttons[attachments.OPEN].click()
        dialog.view.selectRow(0)
        dialog.buttons[rules.REMOVE_ATTACHMENT].click()
        assert [a.file_name for a in dialog.model.rows()] == ["规划图.pdf"]
        return True

    room.exec_dialog = work  # type: ignore[method-assign]
    room.buttons[rules.ATTACHMENTS].click()
    assert not refusals
    assert opened and opened[0].name == "规划图.pdf" and opened[0].read_bytes() == plan.read_bytes()
    assert room.detail is not None and [a.file_name for a in room.detail.attachments] == ["规划图.pdf"]
    assert "规划图.pdf" in room.details.toPlainText()
    room.confirm = lambda title, text: True  # type: ignore[method-assign]
    room.buttons[rules.DELETE].click()
    assert room.model.rowCount() == 0 and room.detail is None


def test_a_posted_notice_takes_a_photo_of_its_sheet_later_and_keeps_it(
    qtbot: QtBot, clerk: Actor, refusals: list[str], tmp_path: Path
) -> None:
    accounts.create_user(clerk, "shuji", "张书记", "secretary", "mima-5678")
    secretary = accounts.sign_in("shuji", "mima-5678")
    draft = service.create_draft(
        clerk, rules.NoticeInput(rules.VILLAGE, rules.ANNOUNCEMENT, "关于秸秆禁烧的公告")
    )
    service.approve(secretary, draft.id)
    service.post(clerk, draft.id, clock.today())
    photo = tmp_path / "张贴.png"
    photo.write_bytes(_png())
    room = _room(qtbot, clerk)
    _select(room, draft.id)
    dialog = room.attachments_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.buttons[rules.ADD_ATTACHMENT].isEnabled()  # the posted notice is not changed
    assert dialog.buttons[rules.ADD_PHOTO].isEnabled()
    assert dialog.add(service.PHOTO, str(photo)) is not None
    dialog.view.selectRow(0)
    assert not dialog.buttons[rules.REMOVE_ATTACHMENT].isEnabled()  # the photo is part of the record
    assert not refusals
    assert [a.purpose for a in service.get_notice(clerk, draft.id).attachments] == [service.PHOTO]


def test_the_room_speaks_english_when_asked(qtbot: QtBot, clerk: Actor, refusals: list[str]) -> None:
    set_language("en")
    service.create_draft(clerk, rules.NoticeInput(rules.FINANCE, rules.ANNOUNCEMENT, "Statement"))
    room = _room(qtbot, clerk)
    assert room.model.headerData(0, Qt.Orientation.Horizontal) == "Number"
    assert room.model.text(0, 1) == "Finance disclosure"
    assert room.buttons[rules.APPROVE].text() == "Approve"
    assert "Village affairs disclosure is due by" in room.reminders.text()
    assert "State" in room.details.toPlainText()
    dialog = NoticeDialog(clerk, room.detail, room)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Edit draft"
    assert not refusals


def test_the_clerk_teaches_the_calendar_a_year_it_does_not_know(
    qtbot: QtBot, clerk: Actor, refusals: list[str]
) -> None:
    accounts.create_user(clerk, "shuji", "张书记", "secretary", "mima-5678")
    secretary = accounts.sign_in("shuji", "mima-5678")
    data = rules.NoticeInput(
        rules.VILLAGE, rules.PUBLICITY, "关于危房改造对象的公示", period_days=5, period_unit="working_days"
    )
    draft = service.create_draft(clerk, data)
    service.approve(secretary, draft.id)
    clock.pin(date(2035, 1, 2))
    room = NoticesRoom(clerk)
    qtbot.addWidget(room)
    _select(room, draft.id)

    def post_on_new_year(dialog: QDialog) -> None:
        assert isinstance(dialog, PostDialog)
        dialog.posted_at.setDate(QDate(2035, 1, 2))

    shown = _answer(room, post_on_new_year)
    room.buttons[rules.POST].click()
    [post] = shown
    assert isinstance(post, PostDialog) and not post.error.isHidden()
    assert "2035" in post.error.text() and "日历设置" in post.error.text()  # says where to go
    assert service.get_notice(clerk, draft.id).state == rules.APPROVED

    def enter_days(dialog: QDialog) -> bool:
        assert isinstance(dialog, CalendarDialog)
        assert dialog.year.value() == 2035 and "不知道" not in dialog.status.text()
        assert "尚未" in dialog.status.text() or "还不" in dialog.status.text()
        dialog.day.setDate(QDate(2035, 1, 1))
        dialog.kind.setCurrentIndex(dialog.kind.findData(False))
        dialog.note.setText("元旦")
        assert dialog.add() is not None
        dialog.day.setDate(QDate(2035, 1, 6))
        dialog.kind.setCurrentIndex(dialog.kind.findData(True))
        assert dialog.add() is not None
        assert [o.day for o in dialog.model.rows()] == [date(2035, 1, 1), date(2035, 1, 6)]
        assert dialog.model.text(1, 2) == "调休上班"
        dialog.view.selectRow(1)
        dialog.remove_selected()
        dialog.day.setDate(QDate(2035, 1, 6))
        assert dialog.add() is not None
        return True

    room.exec_dialog = enter_days  # type: ignore[method-assign]
    room.edit_calendar()
    assert not refusals
    _answer(room, post_on_new_year)
    room.buttons[rules.POST].click()
    assert room.detail is not None and room.detail.period_end == date(2035, 1, 6)  # the make-up Saturday
