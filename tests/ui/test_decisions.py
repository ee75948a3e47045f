"""The 四议两公开 room, offscreen, on a real database: one matter walked from step 1 to step 6, the
buttons the rules allow and why the others are greyed out, the rooms that hear what another changed,
and a layout that fits the clerk's screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from tests.decisions.conftest import COMMITTEE, SUPERVISOR, Village, _roster, open_matter, through
from villagegov.accounts import service as accounts
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import set_language
from villagegov.decisions import rules, service
from villagegov.decisions.views import (
    AnswerConcernDialog,
    AttachmentsDialog,
    DecisionDialog,
    DecisionsRoom,
    DisclosureDialog,
    ImplementationDialog,
    SettingsDialog,
    StepDialog,
    SupervisionDialog,
)
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices
from villagegov.notices.views import NoticesRoom, PostDialog
from villagegov.ui import attachments
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog

START = date(2026, 3, 2)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def people(clerk: Actor) -> tuple[Actor, Actor]:
    _roster(clerk)
    accounts.create_user(clerk, "shuji", "王书记", "secretary", "mima-5678")
    accounts.create_user(clerk, "jianwei", SUPERVISOR, "supervisor", "mima-5678")
    return accounts.sign_in("shuji", "mima-5678"), accounts.sign_in("jianwei", "mima-5678")


def _window(qtbot: QtBot, actor: Actor) -> MainWindow:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    return window


def _room(qtbot: QtBot, actor: Actor) -> DecisionsRoom:
    """The room in a window of its own, as each user sees it on their own screen."""
    room = _window(qtbot, actor).show_room("decisions")
    assert isinstance(room, DecisionsRoom)
    return room


def _answer(room: DecisionsRoom, fill: Callable[[QDialog], None]) -> list[QDialog]:
    """Run the room's next dialogs without a modal loop: fill them and take their accept path."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        fill(dialog)
        if isinstance(dialog, PdfPreviewDialog):
            assert dialog.ready() or dialog.refusal  # laid out on a worker
            return True
        if isinstance(dialog, AttachmentsDialog):
            return True
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    room.exec_dialog = run  # type: ignore[method-assign]
    return shown


def _enabled(room: DecisionsRoom) -> dict[str, bool]:
    return {action: button.isEnabled() for action, button in room.buttons.items()}


def _click(
    room: DecisionsRoom, action: str, fill: Callable[[QDialog], None] = lambda d: None
) -> list[QDialog]:
    assert _enabled(room)[action], (action, room.buttons[action].toolTip())
    shown = _answer(room, fill)
    room.buttons[action].click()
    for dialog in shown:
        error = getattr(dialog, "error", None)
        assert error is None or error.isHidden(), error.text()
    return shown


def _select(room: DecisionsRoom | NoticesRoom, record_id: int) -> None:
    room.view.selectRow([r.id for r in room.model.rows()].index(record_id))
    assert room.detail is not None and room.detail.id == record_id


def _meeting(step: str) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StepDialog) and dialog.step == step
        dialog.held_on.setDate(clock.today())
        dialog.place.setText("村委会会议室")
        dialog.chair.setText("王书记")
        dialog.recorder.setText("李文书")
        if dialog.observers.rowCount() == 0:
            dialog.observers.add(SUPERVISOR, rules.SUPERVISORY, note="监委会主任")
        if step in (rules.PROPOSE, rules.DISCUSS):
            for name in ("王书记", "何主任", "罗委员"):
                dialog.members.add(name)
            dialog.agreed.setChecked(True)
        elif step == rules.REVIEW:
            assert dialog.members.rowCount() == 6  # the roster's party members, filled in
            dialog.members.set_present(5, False)
            dialog.for_.setValue(4)
            dialog.against.setValue(1)
            assert "通过" in dialog.outcome.text()  # 4 of 6 expected is more than half
            dialog.for_.setValue(3)
            assert "未通过" in dialog.outcome.text()  # 3 is not
            dialog.for_.setValue(4)
        else:
            assert dialog.body.currentData() == rules.REPRESENTATIVES
            assert dialog.members.rowCount() == 10  # every representative in term, from the roster
            for name in COMMITTEE:
                dialog.members.add(name, rules.COMMITTEE_MEMBER)
            dialog.for_.setValue(10)
            dialog.against.setValue(2)
        dialog.summary.setPlainText("与会人员充分讨论。")
        dialog.text.setPlainText("同意修缮村东水渠，预算12万元。")

    return fill


def _post(dialog: QDialog) -> None:
    assert isinstance(dialog, PostDialog)
    dialog.posted_at.setDate(clock.today())
    dialog.posted_by.setText("张组长")


def test_the_clerk_walks_a_matter_from_step_1_to_step_6(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], refusals: list[str]
) -> None:
    secretary, supervisor = people
    clock.pin(START)
    room = _room(qtbot, clerk)
    assert room.model.rowCount() == 0
    assert room.buttons[rules.RECORD_STEP].toolTip() == "请先在列表中选中一条记录。"

    def fill_matter(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        dialog.title.setText("村东水渠修缮工程")
        dialog.kind.setCurrentIndex(dialog.kind.findData(rules.PUBLIC_WORKS))
        dialog.amount.setText("120,000")
        dialog.background.setPlainText("水渠渗漏，影响三百亩农田灌溉。")

    _click(room, rules.NEW, fill_matter)
    assert room.detail is not None and room.detail.number == "〔2026〕事字第1号"
    assert room.model.text(0, 2) == "¥120,000.00" and "党支部会提议" in room.model.text(0, 4)
    assert not _enabled(room)[rules.START_DISCLOSURE] and not _enabled(room)[rules.COMPLETE_DISCLOSURE]
    # The steps go strictly in order: a disclosure waits for the vote of step 4.
    assert "第四步表决通过后" in room.buttons[rules.START_DISCLOSURE].toolTip()

    # Steps 1 to 4, each on its own day.
    for offset, step in zip((0, 3, 8, 18), rules.MEETING_STEPS, strict=True):
        clock.pin(START + timedelta(days=offset))
        _click(room, rules.RECORD_STEP, _meeting(step))
        assert room.detail is not None and room.detail.current(step) is not None, step
    assert room.detail.progress.step == rules.DISCLOSE_RESOLUTION
    assert "村民代表会议" in room.timeline.toPlainText() and "监委会主任" in room.timeline.toPlainText()
    assert not _enabled(room)[rules.EDIT]  # what was put to the vote stays as it was resolved

    # The supervisory committee, at its own screen, signs off step 4 and questions step 1.
    watcher = _room(qtbot, supervisor)
    assert not _enabled(watcher)[rules.RECORD_STEP] and _enabled(watcher)[rules.SIGN_OFF]
    assert (
        watcher.buttons[rules.RECORD_STEP].toolTip()
        == "只有文书或书记可以修改记录；您当前的登录身份是监委会。"
    )

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisionDialog)
        dialog.text.setPlainText("表决程序合规。")

    _click(watcher, rules.SIGN_OFF, sign)

    def concern(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisionDialog)
        dialog.step.setCurrentIndex(0)
        dialog.text.setPlainText("提议会议缺少签到表。")

    _click(watcher, rules.RAISE_CONCERN, concern)
    # The clerk's room heard it: no refresh.
    assert "提议会议缺少签到表" in room.timeline.toPlainText() and "监督委员会" in room.alerts.text()

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, AnswerConcernDialog) and dialog.concern.count() == 1
        dialog.answer.setPlainText("已补签到表。")

    _click(room, rules.ANSWER_CONCERN, answer)
    assert not _enabled(room)[rules.ANSWER_CONCERN]

    # Step 5: the resolution's 公示, approved by the secretary, posted, hung for its period.
    clock.pin(START + timedelta(days=19))
    room.refresh()  # the next day's work

    def disclose(dialog: QDialog) -> None:
        assert isinstance(dialog, DisclosureDialog)
        assert dialog.title.text() == "关于村东水渠修缮工程决议的公示"
        assert "赞成10票" in dialog.body.toPlainText()

    _click(room, rules.START_DISCLOSURE, disclose)
    # A clerk never approves, and the greyed-out button says why, in the clerk's language.
    assert not _enabled(room)[rules.APPROVE_NOTICE]
    assert room.buttons[rules.APPROVE_NOTICE].toolTip() == "只有书记可以审批；您当前的登录身份是文书。"
    assert room.model.text(0, 3) == "公示待审批"
    boss = _room(qtbot, secretary)
    _click(boss, rules.APPROVE_NOTICE)
    assert room.model.text(0, 3) == "公示待张贴"  # the clerk's room heard the approval
    _click(room, rules.POST_NOTICE, _post)
    step5 = room.detail.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and step5.notice is not None and step5.notice.state == notice_rules.POSTED
    assert room.model.text(0, 3) == "公示中"
    # Too early: the period runs, and the button says until when.
    assert not _enabled(room)[rules.COMPLETE_DISCLOSURE]
    assert "公示期至" in room.buttons[rules.COMPLETE_DISCLOSURE].toolTip()
    assert step5.notice.period_end is not None
    clock.pin(step5.notice.period_end)
    room.refresh()
    assert not _enabled(room)[rules.COMPLETE_DISCLOSURE]  # its last day on the board
    clock.pin(step5.notice.period_end + timedelta(days=1))
    room.refresh()
    _click(room, rules.COMPLETE_DISCLOSURE)
    assert room.detail.progress.step == rules.DISCLOSE_RESULT
    assert "实施情况" in room.buttons[rules.START_DISCLOSURE].toolTip()  # the work comes first

    # The work, then step 6: the result's 公示.
    clock.pin(clock.today() + timedelta(days=40))
    room.refresh()

    def work(dialog: QDialog) -> None:
        assert isinstance(dialog, ImplementationDialog)
        dialog.started_on.setDate(clock.today() - timedelta(days=30))
        dialog.has_end.setChecked(True)
        dialog.ended_on.setDate(clock.today() - timedelta(days=1))
        dialog.work_done.setPlainText("完成水渠衬砌1.2公里。")
        dialog.spent.setText("118500")

    _click(room, rules.IMPLEMENTATION, work)
    _click(room, rules.START_DISCLOSURE)
    _click(boss, rules.APPROVE_NOTICE)  # the secretary's room heard of the new notice: no refresh
    _click(room, rules.POST_NOTICE, _post)
    clock.pin(clock.today() + timedelta(days=7))
    room.refresh()
    _click(room, rules.COMPLETE_DISCLOSURE)
    done = room.detail
    assert done is not None and done.state == rules.COMPLETE
    assert [s.step for s in done.steps] == list(rules.STEPS)
    assert room.model.text(0, 3) == "已办结" and room.alerts.text() and not _enabled(room)[rules.RECORD_STEP]
    assert "已办结" in room.buttons[rules.RECORD_STEP].toolTip()
    assert notices.list_notices(clerk)[0].title == "关于村东水渠修缮工程实施结果的公示"

    # The dossier in the print preview, laid out on a worker.
    previews = _answer(room, lambda dialog: None)
    room.buttons[rules.PRINT].click()
    [preview] = previews
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.document.status() == QPdfDocument.Status.Ready and preview.document.pageCount() >= 8
    assert preview._suggested_name == "〔2026〕事字第1号 村东水渠修缮工程.pdf"
    assert not refusals


def test_a_failed_vote_is_revised_or_ended_from_the_room(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], refusals: list[str]
) -> None:
    clock.pin(START)
    d = service.open_decision(clerk, service.DecisionInput("村道硬化", rules.PUBLIC_WORKS), START)
    room = _room(qtbot, clerk)
    assert not _enabled(room)[rules.REVISE] and not _enabled(room)[rules.CORRECT_STEP]
    fill = _meeting(rules.PROPOSE)

    def refuse(dialog: QDialog) -> None:
        fill(dialog)
        assert isinstance(dialog, StepDialog)
        dialog.not_agreed.setChecked(True)

    _click(room, rules.RECORD_STEP, refuse)
    assert room.detail is not None and room.detail.progress.waiting == rules.CHOICE
    assert _enabled(room)[rules.REVISE] and not _enabled(room)[rules.RECORD_STEP]
    assert "退回第一步" in room.buttons[rules.RECORD_STEP].toolTip()
    assert _enabled(room)[rules.CORRECT_STEP]

    def revise(dialog: QDialog) -> None:
        dialog.reason.setPlainText("改为分段硬化。")  # type: ignore[attr-defined]

    _click(room, rules.REVISE, revise)
    assert room.detail.round == 2 and _enabled(room)[rules.RECORD_STEP]
    assert not _enabled(room)[rules.CORRECT_STEP]  # nothing of the new round to correct yet
    assert "改为分段硬化" in room.timeline.toPlainText()
    assert service.get_decision(clerk, d.id).round == 2
    assert not refusals


def test_a_matters_papers_are_added_opened_and_removed_until_a_step_is_recorded(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], refusals: list[str], tmp_path: Path
) -> None:
    clock.pin(START)
    service.open_decision(clerk, service.DecisionInput("村道硬化", rules.PUBLIC_WORKS), START)
    room = _room(qtbot, clerk)
    plan = tmp_path / "方案.pdf"
    plan.write_bytes(PDF)
    opened: list[Path] = []

    def add(dialog: QDialog) -> None:
        assert isinstance(dialog, AttachmentsDialog)
        dialog.open_path = opened.append  # type: ignore[method-assign]
        dialog.confirm = lambda title, text: True  # type: ignore[method-assign]
        assert dialog.add(str(plan)) is not None
        assert dialog.model.rowCount() == 1 and not dialog.buttons[attachments.OPEN].isEnabled()
        dialog.view.selectRow(0)
        assert dialog.open_selected() is not None and opened[0].read_bytes() == PDF
        assert dialog.buttons[rules.DELETE_ATTACHMENT].isEnabled()

    _click(room, rules.ATTACHMENTS, add)
    assert "方案.pdf" in room.timeline.toPlainText()  # the room heard of the new paper

    _click(room, rules.RECORD_STEP, _meeting(rules.PROPOSE))
    [dialog] = _click(room, rules.ATTACHMENTS)
    assert isinstance(dialog, AttachmentsDialog)
    dialog.view.selectRow(0)
    remove = dialog.buttons[rules.DELETE_ATTACHMENT]
    assert not remove.isEnabled() and remove.toolTip() == "该事项已有步骤记录，其附件随档保留。"
    assert not refusals


def test_a_step_form_refuses_inside_itself(qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor]) -> None:
    make_application()
    d = service.open_decision(
        clerk, service.DecisionInput("村道硬化", rules.PUBLIC_WORKS), START, today=START
    )
    dialog = StepDialog(clerk, d, rules.PROPOSE, START)
    qtbot.addWidget(dialog)
    dialog.save()  # nobody listed, no conclusion
    assert not dialog.error.isHidden() and dialog.saved is None
    settings = SettingsDialog(clerk, service.decision_settings(clerk))
    qtbot.addWidget(settings)
    settings.days.setValue(10)
    settings.save()
    assert settings.error.isHidden() and service.decision_settings(clerk).disclosure_days == 10


def test_the_room_speaks_english_when_asked(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], refusals: list[str]
) -> None:
    set_language("en")
    clock.pin(START)
    service.open_decision(clerk, service.DecisionInput("Village road", rules.PUBLIC_WORKS, "5000"), START)
    room = _room(qtbot, clerk)
    assert room.model.headerData(1, Qt.Orientation.Horizontal) == "Title"
    assert room.model.text(0, 4) == "1. Party branch proposes"
    assert room.buttons[rules.RECORD_STEP].text() == "Record step…"
    assert room.buttons[rules.APPROVE_NOTICE].toolTip() == (
        "Only the party secretary may approve; you are signed in as Clerk."
    )
    assert "Next: record Step 1: Party branch proposes." in room.next_label.text()
    assert not refusals


def test_a_disclosure_started_here_shows_in_the_public_notices_room(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], refusals: list[str]
) -> None:
    """Issue 15: the 公示 a matter's disclosure drafts is in 村务公开's list when the clerk goes there,
    with no refresh (it was missing there until the app was restarted)."""
    v = Village(clerk, *people)
    d = open_matter(v)
    through(v, d.id, rules.RESOLVE)
    window = _window(qtbot, clerk)
    notices_room = window.show_room("notices")
    assert isinstance(notices_room, NoticesRoom) and notices_room.model.rowCount() == 0
    room = window.show_room("decisions")
    assert isinstance(room, DecisionsRoom)
    _select(room, d.id)
    _click(room, rules.START_DISCLOSURE)

    assert window.show_room("notices") is notices_room
    [row] = notices_room.model.rows()
    assert (row.title, row.state, row.major) == ("关于村东水渠修缮工程决议的公示", notice_rules.DRAFT, True)
    assert not refusals


def test_a_notice_posted_in_the_public_notices_room_moves_the_matters_step(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], refusals: list[str]
) -> None:
    """Issue 15: posting the disclosure's notice in 村务公开 shows in 四议两公开 at once: the step's
    notice is on the board and the matter is being disclosed."""
    v = Village(clerk, *people)
    d = open_matter(v)
    through(v, d.id, rules.RESOLVE)
    started = service.start_disclosure(clerk, d.id)
    step5 = started.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and step5.notice_id is not None
    notices.approve(v.secretary, step5.notice_id)
    window = _window(qtbot, clerk)
    room = window.show_room("decisions")
    assert isinstance(room, DecisionsRoom)
    _select(room, d.id)
    assert room.model.text(0, 3) == "公示待张贴" and "已审批" in room.timeline.toPlainText()
    assert room.detail is not None and room.detail.current(rules.DISCLOSE_RESOLUTION).date is None  # type: ignore[union-attr]

    notices_room = window.show_room("notices")
    assert isinstance(notices_room, NoticesRoom)
    _select(notices_room, step5.notice_id)
    shown: list[QDialog] = []

    def post(dialog: QDialog) -> bool:
        shown.append(dialog)
        _post(dialog)
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    notices_room.exec_dialog = post  # type: ignore[method-assign]
    notices_room.buttons[notice_rules.POST].click()
    assert len(shown) == 1 and not refusals

    assert window.show_room("decisions") is room
    assert room.model.text(0, 3) == "公示中"
    now = room.detail.current(rules.DISCLOSE_RESOLUTION)
    assert now is not None and now.notice is not None and now.notice.state == notice_rules.POSTED
    assert now.date == clock.today() and "已张贴" in room.timeline.toPlainText()
    assert "公示期满后" in room.next_label.text()
    assert not refusals


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (1280, 800)])
def test_every_button_is_well_inside_the_clerks_screen(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], lang: str, size: tuple[int, int]
) -> None:
    """Issue 16: at 1366×768 the last rows of buttons sat on the window's edge. With warnings in the
    panel (more than it shows) and a matter chosen, every button is inside, clear of the status bar."""
    set_language(lang)
    v = Village(clerk, *people)
    for n in range(6):  # stalled since March: six warnings, more than the panel shows
        d = open_matter(v, f"第{n + 1}项：村东水渠及配套灌溉设施修缮工程（含泵站、闸门与田间渠系）")
    through(v, d.id, rules.RESOLVE)
    window = _window(qtbot, clerk)
    window.resize(*size)
    room = window.show_room("decisions")
    QApplication.processEvents()
    assert room.alerts.text().count("•") == 4 and window.height() == size[1]
    # The window's own menu, status bar and margins take ~90 px; the room keeps well within the rest.
    assert room.minimumSizeHint().height() <= size[1] - 90 - 200
    limit = window.statusBar().mapTo(window, QPoint(0, 0)).y()
    for button in room.findChildren(QPushButton):
        assert button.isVisible()
        top_left = button.mapTo(window, QPoint(0, 0))
        assert top_left.x() >= 0 and top_left.x() + button.width() <= window.width(), button.text()
        assert top_left.y() + button.height() <= limit - 4, (button.text(), top_left.y(), limit)


def test_the_councils_agenda_shows_the_step_an_item_holds(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor]
) -> None:
    from tests.decisions.conftest import DAYS, council_item
    from villagegov.council.views import CouncilRoom

    v = Village(clerk, *people)
    d = open_matter(v)
    through(v, d.id, rules.REVIEW)
    item_id = council_item(v, DAYS[rules.RESOLVE])
    make_application()
    council = CouncilRoom(clerk)
    qtbot.addWidget(council)
    council.show()
    council.item_view.selectRow(0)
    assert council.item_step.isHidden()  # not yet a step of any matter
    data = rules.StepInput(DAYS[rules.RESOLVE], body=rules.COUNCIL, agenda_item_id=item_id)
    service.record_step(clerk, d.id, rules.RESOLVE, data, today=DAYS[rules.RESOLVE])
    council.show_selected()
    assert not council.item_step.isHidden()
    assert "〔2026〕事字第1号" in council.item_step.text() and "第4步" in council.item_step.text()
