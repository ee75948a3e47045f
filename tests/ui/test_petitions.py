"""The 民情三本账 and 调解 room, offscreen, on a real database: a petition from 建账 to 销号, a dispute to
its agreement, the figures, buttons that say why they are off, and the main window's indicator, which
hears every change wherever it was made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog, QTableWidgetItem
from pytestqt.qtbot import QtBot

from tests.petitions.conftest import (
    COMPLAINANT,
    ID_OUTSIDE,
    PARTY_A,
    PETITIONER,
    Village,
    make_village,
    petition_input,
    walk,
)
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import set_language
from villagegov.petitions import mediation_rules, petition_rules, petition_service, rules, service
from villagegov.petitions.mediation_views import FollowUpDialog, MediationDialog, OutcomeDialog, SessionDialog
from villagegov.petitions.petition_views import PeriodDialog, PetitionDialog, StepDialog
from villagegov.petitions.views import LimitsDialog, PetitionsRoom
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog
from villagegov.ui.room import Room

TODAY = date(2026, 11, 20)
READY = QPdfDocument.Status.Ready


@pytest.fixture(autouse=True)
def on_the_20th() -> None:
    clock.pin(TODAY)  # the room and its services read the one clock (conftest unpins it)


@pytest.fixture
def v(clerk: Actor) -> Village:
    return make_village(clerk)


def _window(qtbot: QtBot, actor: Actor) -> MainWindow:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    return window


def _room(qtbot: QtBot, actor: Actor) -> PetitionsRoom:
    room = _window(qtbot, actor).show_room("petitions")
    assert isinstance(room, PetitionsRoom)
    return room


def _answer(qtbot: QtBot, room: Room, fill: Callable[[QDialog], None]) -> list[QDialog]:
    """Run the room's next dialogs without a modal loop: fill them and take their accept path."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        qtbot.addWidget(dialog)
        fill(dialog)
        if isinstance(dialog, PdfPreviewDialog):
            assert dialog.ready() or dialog.refusal  # laid out on a worker
            return True
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    room.exec_dialog = run  # type: ignore[method-assign]
    return shown


def _step_filler(first_answer: str) -> Callable[[QDialog], None]:
    answers = [first_answer]

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StepDialog)
        notes = {
            petition_rules.REVIEW: "请村委会尽快核实办理",
            petition_rules.SUPERVISE: "已到现场查看",
            petition_rules.FEEDBACK: "排水沟已疏通",
            petition_rules.CONSULT: "电话回访",
        }
        dialog.note.setPlainText(notes.get(dialog.step, ""))
        if dialog.step == petition_rules.ASSIGN:
            dialog.assignee.setText("村委会委员张明")
        if dialog.step == petition_rules.CONSULT:
            answer = answers.pop(0) if answers else petition_rules.SATISFIED
            dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData(answer))

    return fill


def test_a_petition_goes_from_entry_to_closing_through_the_window(
    qtbot: QtBot, v: Village, refusals: list[str]
) -> None:
    room = _room(qtbot, v.secretary)
    page = room.petitions
    assert page.model.rowCount() == 0 and "没有到期事项" in room.reminders.text()

    def fill_new(dialog: QDialog) -> None:
        assert isinstance(dialog, PetitionDialog)
        dialog.ledger.setCurrentIndex(dialog.ledger.findData(petition_rules.CLAIM))
        dialog.channel.setCurrentIndex(dialog.channel.findData(petition_rules.VISIT))
        dialog.received.setDate(dialog.received.date().addDays(-2))  # 18 November
        dialog.villager.setEditText(PETITIONER)  # typed: the picker finds the one villager so named
        dialog.subject.setText("申请修缮门前排水沟")
        dialog.content.setPlainText("雨季门前排水沟堵塞，雨水倒灌进院子。")
        assert not dialog.anonymous.isEnabled() and dialog.departments.isEnabled()

    _answer(qtbot, page, fill_new)
    page.buttons[petition_rules.NEW].click()
    assert not refusals
    [row] = page.model.rows()
    assert (row.number, row.petitioner, row.next_step) == (
        "〔2026〕诉字第1号",
        PETITIONER,
        petition_rules.REVIEW,
    )
    assert page.detail is not None and page.detail.received_on == date(2026, 11, 18)
    assert not page.detail.steps[0].on_time  # entered two days after receipt: 建账 was due on the 19th
    # One button a step: the next one is on (and stands out); the later ones say what comes first.
    review, acknowledge = page.buttons[petition_rules.REVIEW], page.buttons[petition_rules.ACKNOWLEDGE]
    assert review.isEnabled() and review.font().bold() and review.text() == "书记阅批…"
    assert not acknowledge.isEnabled() and "下一步是“书记阅批”" in acknowledge.toolTip()
    assert not page.buttons[petition_rules.PRINT_NOTICE].isEnabled()
    assert "即将到期" in room.reminders.text()  # 书记阅批 is due by the 23rd: the room heard of it

    # Every step in order, each by its own button; the first answer is dissatisfied and sends it
    # back to be assigned again.
    _answer(qtbot, page, _step_filler(petition_rules.DISSATISFIED))
    for _ in range(20):
        if page.detail is None or not page.detail.next_step:
            break
        page.buttons[page.detail.next_step].click()
        assert not refusals
    detail = page.detail
    assert detail is not None and detail.state == petition_rules.CLOSED and detail.round == 1
    assert [s.step for s in detail.steps] == [*petition_rules.STEPS[:8], *petition_rules.STEPS[3:]]
    assert [s.satisfaction for s in detail.steps if s.step == petition_rules.CONSULT] == [
        petition_rules.DISSATISFIED,
        petition_rules.SATISFIED,
    ]
    assert page.model.text(0, 3) == "已销号"
    html = page.details.toPlainText()
    assert "办理过程" in html and "不满意" in html and "村委会委员张明" in html and "逾期" in html
    assert not any(page.buttons[step].isEnabled() for step in petition_rules.STEP_ACTIONS)
    assert not page.buttons[petition_rules.EDIT].isEnabled()
    assert page.buttons[petition_rules.EDIT].toolTip() == "事项〔2026〕诉字第1号已销号归档，不能再更改。"
    assert "没有到期事项" in room.reminders.text()

    # The acceptance notice and the ledgers print.
    previews = _answer(qtbot, page, lambda dialog: None)
    page.buttons[petition_rules.PRINT_NOTICE].click()
    [notice] = previews
    assert isinstance(notice, PdfPreviewDialog) and notice.document.status() == READY
    assert notice.document.pageCount() == 1 and b"%PDF" in notice.pdf_bytes[:8]
    assert notice._suggested_name.startswith("受理告知书 ")

    def fill_period(dialog: QDialog) -> None:
        if isinstance(dialog, PeriodDialog):
            assert dialog.start.date().year() == 2026

    previews = _answer(qtbot, page, fill_period)
    page.buttons[petition_rules.PRINT_LEDGERS].click()
    assert [type(d) for d in previews] == [PeriodDialog, PdfPreviewDialog]
    assert previews[1].document.pageCount() >= 1  # type: ignore[attr-defined]
    assert previews[1]._suggested_name.startswith("民情三本账登记簿 2026-01-01至2026-12-31")  # type: ignore[attr-defined]
    assert not refusals


def test_the_clerk_cannot_do_the_secretarys_steps_nor_see_a_complainant(
    qtbot: QtBot, v: Village, refusals: list[str]
) -> None:
    petition_service.create_petition(v.clerk, petition_input(v.complainant, petition_rules.COMPLAINT))
    room = _room(qtbot, v.clerk)
    page = room.petitions
    assert page.model.text(0, 2) == "（保密）"
    assert COMPLAINANT not in page.details.toPlainText()
    assert page.detail is not None and page.detail.next_step == petition_rules.REVIEW
    # 书记阅批 is the secretary's, and the disabled button says so, in Chinese.
    review = page.buttons[petition_rules.REVIEW]
    assert not review.isEnabled()
    assert review.toolTip() == "只有党组织书记才能办理“书记阅批”；您当前的身份是文书。"
    for action in (petition_rules.EDIT, petition_rules.ADD_ATTACHMENT):
        assert not page.buttons[action].isEnabled()
    assert page.buttons[petition_rules.EDIT].toolTip() == "只有党组织书记才能修改投诉举报的登记信息。"

    # Called anyway: the dialog opens, and the service's refusal shows in it, in Chinese.
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StepDialog)
        dialog.note.setPlainText("同意")

    shown = _answer(qtbot, page, fill)
    page.record_step(petition_rules.REVIEW)
    [dialog] = shown
    assert isinstance(dialog, StepDialog) and dialog.error.text() == review.toolTip()
    assert petition_service.get_petition(v.secretary, page.detail.id).next_step == petition_rules.REVIEW
    page.search.setText(COMPLAINANT)
    assert page.model.rowCount() == 0
    assert page.buttons[petition_rules.EDIT].toolTip() == "请先在列表中选中一条记录。"


def test_a_dispute_is_mediated_to_its_agreement_and_followed_up(
    qtbot: QtBot, v: Village, refusals: list[str]
) -> None:
    room = _room(qtbot, v.clerk)
    room.tabs.setCurrentWidget(room.mediations)
    page = room.mediations
    assert page.model.rowCount() == 0

    def fill_new(dialog: QDialog) -> None:
        assert isinstance(dialog, MediationDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(mediation_rules.HOUSE_SITE))
        dialog.received.setDate(dialog.received.date().addDays(-10))
        parties = dialog.parties
        parties.picker.setEditText(PARTY_A)
        parties.add_villager()
        parties.add_row()
        for column, text in enumerate(
            ("赵国强", "男", "1980-07-15", ID_OUTSIDE, "柳溪镇石桥村3组", "13698765432")
        ):
            parties.grid.setItem(1, column, QTableWidgetItem(text))
        dialog.facts.setPlainText("双方宅基地相邻，院墙越界约0.5米。")
        dialog.disputed.setPlainText("越界院墙是否拆除。")
        dialog.mediators.setText("张调解、刘淑华")

    _answer(qtbot, page, fill_new)
    page.buttons[mediation_rules.NEW].click()
    assert not refusals
    detail = page.detail
    assert detail is not None and [p.name for p in detail.parties] == [PARTY_A, "赵国强"]
    assert detail.parties[1].id_number == ID_OUTSIDE and detail.mediators == ("张调解", "刘淑华")
    outcome = page.buttons[mediation_rules.OUTCOME]
    assert not outcome.isEnabled() and outcome.toolTip() == "请先登记至少一次调解。"  # not before a session

    def fill_session(dialog: QDialog) -> None:
        assert isinstance(dialog, SessionDialog)
        dialog.held_on.setDate(dialog.held_on.date().addDays(-5))
        dialog.record.setPlainText("双方到场陈述，调解员现场测量。")

    _answer(qtbot, page, fill_session)
    page.buttons[mediation_rules.SESSION].click()
    assert not refusals and outcome.isEnabled()

    def fill_outcome(dialog: QDialog) -> None:
        assert isinstance(dialog, OutcomeDialog)
        assert dialog.agreement.isVisibleTo(dialog) and not dialog.note.isVisibleTo(dialog)
        dialog.concluded_on.setDate(dialog.concluded_on.date().addDays(-3))
        dialog.responsibilities[0].setPlainText("未及时提出异议，负次要责任。")
        dialog.responsibilities[1].setPlainText("建墙越界，负主要责任。")
        dialog.terms.setPlainText("乙方拆除越界院墙0.5米。\n甲方协助重砌，不收费用。\n")
        dialog.performance.setText("乙方自行拆除，调委会现场确认。")
        dialog.perform_by.setDate(dialog.perform_by.date().addDays(-1))

    _answer(qtbot, page, fill_outcome)
    page.buttons[mediation_rules.OUTCOME].click()
    assert not refusals
    detail = page.detail
    assert detail is not None and detail.outcome == mediation_rules.AGREEMENT and len(detail.terms) == 2
    assert page.model.text(0, 2) == "达成协议"
    assert "调解协议" in room.reminders.text()  # due for performance yesterday: visit the parties
    assert "已结束" in page.buttons[mediation_rules.SESSION].toolTip()

    previews = _answer(qtbot, page, lambda dialog: None)
    page.buttons[mediation_rules.PRINT_AGREEMENT].click()
    [agreement] = previews
    assert isinstance(agreement, PdfPreviewDialog) and agreement.document.pageCount() >= 1
    assert ID_OUTSIDE.encode() not in agreement.pdf_bytes
    assert agreement._suggested_name.startswith("人民调解协议书 ")

    def fill_visit(dialog: QDialog) -> None:
        assert isinstance(dialog, FollowUpDialog)
        dialog.party.setCurrentIndex(1)
        dialog.note.setPlainText("院墙已拆除重砌。")

    _answer(qtbot, page, fill_visit)
    page.buttons[mediation_rules.FOLLOW_UP].click()
    assert not refusals
    assert page.detail is not None and page.detail.follow_ups[0].party == "赵国强"
    assert "没有到期事项" in room.reminders.text()
    assert not page.buttons[mediation_rules.SESSION].isEnabled()


def test_the_figures_show_tables_and_charts_and_print(qtbot: QtBot, v: Village, refusals: list[str]) -> None:
    for ledger, villager in ((petition_rules.CLAIM, v.petitioner), (petition_rules.COMPLAINT, v.complainant)):
        petition_service.create_petition(v.clerk, petition_input(villager, ledger))
    room = _room(qtbot, v.supervisor)
    room.tabs.setCurrentWidget(room.figures)
    page = room.figures
    assert page.figures is not None
    grid = page.grids[petition_rules.CLAIM]
    assert grid.rowCount() == 13 and grid.item(10, 0).text() == "11月" and grid.item(10, 1).text() == "1"
    assert grid.item(12, 0).text() == "合计" and grid.item(12, 4).text() == "—"
    assert page.petition_chart.chart is not None and page.petition_chart.chart.categories[0] == "1月"
    assert page.mediation_chart.chart is not None
    assert "受理 2 件" in page.summary.text()
    page.petition_chart.grab()  # paints without a Qt warning
    previews = _answer(qtbot, page, lambda dialog: None)
    page.buttons[rules.PRINT_SUMMARY].click()
    [summary] = previews
    assert isinstance(summary, PdfPreviewDialog) and summary.document.pageCount() >= 2
    # Read-only: no writing button is on for the supervisory committee, and each says why.
    new = room.petitions.buttons[petition_rules.NEW]
    assert not new.isEnabled() and new.toolTip() == "只有文书或书记可以修改记录；您当前的登录身份是监委会。"
    assert not room.mediations.buttons[mediation_rules.NEW].isEnabled()
    assert not refusals


def test_a_figure_appears_when_the_tab_is_shown_again(qtbot: QtBot, v: Village, refusals: list[str]) -> None:
    """A tab not shown hears of a change and counts again when it is shown; the shown one at once."""
    room = _room(qtbot, v.clerk)
    room.tabs.setCurrentWidget(room.figures)
    assert room.figures.figures is not None and room.figures.figures.ledger_totals[""].received == 0
    room.tabs.setCurrentWidget(room.petitions)
    ops.write(room, petition_service.create_petition, v.clerk, petition_input(v.petitioner))
    assert room.petitions.model.rowCount() == 1 and room.figures.stale
    room.tabs.setCurrentWidget(room.figures)
    assert not room.figures.stale and room.figures.figures.ledger_totals[""].received == 1
    assert not refusals


def test_the_time_limits_are_the_secretarys(qtbot: QtBot, v: Village) -> None:
    make_application()
    dialog = LimitsDialog(v.clerk)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and ok.toolTip() == "办理时限由党组织书记设定；您当前的身份是文书。"
    dialog = LimitsDialog(v.secretary)
    qtbot.addWidget(dialog)
    dialog.spins["acknowledge"].setValue(5)
    dialog.save()
    assert dialog.error.isHidden() and service.settings(v.clerk).limits.acknowledge == 5


def test_the_main_window_shows_what_is_overdue(qtbot: QtBot, v: Village) -> None:
    received = date(2026, 11, 18)  # 书记阅批 was due on the 19th
    p = petition_service.create_petition(
        v.clerk, petition_input(v.petitioner, received_on=received), today=received
    )
    window = _window(qtbot, v.clerk)
    assert window.attention.text() == ""  # counted a moment after the window is up
    qtbot.waitUntil(lambda: "民情：逾期 1 件" in window.attention.text(), timeout=3000)
    window.attention.linkActivated.emit("petitions")
    room = window.current_room()
    assert isinstance(room, PetitionsRoom) and "已逾期" in room.reminders.text()
    # A step recorded anywhere through the one way to act: the window hears it and counts again.
    step = petition_rules.StepInput(petition_rules.REVIEW, TODAY, note="同意")
    ops.write(window, petition_service.record_step, v.secretary, p.id, step)
    assert window.attention.text().count("件") == 1 and "即将到期 1 件" in window.attention.text()


def test_a_petition_closed_updates_the_status_bar_indicator(
    qtbot: QtBot, v: Village, refusals: list[str]
) -> None:
    """The secretary closes (销号) an overdue petition by the room's button: the indicator counts again
    without being told."""
    received = date(2026, 11, 2)
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner), registered_on=received)
    walk(v, p.id, petition_rules.CONSULT, date(2026, 11, 10))  # 销号归档 was due three working days on
    window = _window(qtbot, v.secretary)
    qtbot.waitUntil(lambda: "民情：逾期 1 件" in window.attention.text(), timeout=3000)
    room = window.show_room("petitions")
    assert isinstance(room, PetitionsRoom)
    page = room.petitions
    assert page.detail is not None and page.detail.next_step == petition_rules.CLOSE

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StepDialog) and dialog.step == petition_rules.CLOSE
        dialog.note.setPlainText("办结销号，资料归档。")

    _answer(qtbot, page, fill)
    page.buttons[petition_rules.CLOSE].click()
    assert not refusals
    assert page.detail is not None and page.detail.state == petition_rules.CLOSED
    assert window.attention.text() == ""
    assert "没有到期事项" in room.reminders.text()


def test_the_room_speaks_english(qtbot: QtBot, v: Village, refusals: list[str]) -> None:
    set_language("en")
    petition_service.create_petition(v.clerk, petition_input(v.complainant, petition_rules.COMPLAINT))
    room = _room(qtbot, v.clerk)
    page = room.petitions
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Number"
    assert page.model.text(0, 1) == "Complaints" and page.model.text(0, 2) == "(withheld)"
    assert page.buttons[petition_rules.REVIEW].text() == "Review…"
    assert page.buttons[petition_rules.REVIEW].toolTip().startswith("Only the party secretary may record")
    assert room.tabs.tabText(1) == "Disputes and mediation"
    assert "Due soon" in room.reminders.text()
    previews = _answer(qtbot, page, lambda dialog: None)
    page.buttons[petition_rules.PRINT_LEDGERS].click()
    ledgers = previews[-1]
    assert isinstance(ledgers, PdfPreviewDialog)  # the paper is Chinese; its file name speaks English
    assert ledgers._suggested_name.startswith("Ledgers 2026-01-01 to 2026-12-31")
    assert not refusals
