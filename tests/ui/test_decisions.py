"""The 四议两公开 room, offscreen, on a real database: one matter walked from step 1 to step 6."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.decisions.conftest import COMMITTEE, SUPERVISOR, _roster
from villagegov.accounts import service as accounts
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import set_language
from villagegov.decisions import rules, service
from villagegov.decisions import views as decision_views
from villagegov.decisions.views import (
    AnswerConcernDialog,
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
from villagegov.notices.views import PostDialog
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog

START = date(2026, 3, 2)


class Clock:
    """The day the clerk works on: the room's today, and the notices room's (which approves and posts)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock(START)

    class Today(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return c.day

    monkeypatch.setattr(notices, "date", Today)
    monkeypatch.setattr(notices, "_now", lambda now=None: now or datetime.combine(c.day, time(9)))
    return c


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def record(parent: object, exc: VillagegovError | str) -> None:
        seen.append(exc if isinstance(exc, str) else exc.message())

    monkeypatch.setattr(decision_views, "show_error", record)
    return seen


@pytest.fixture
def people(clerk: Actor) -> tuple[Actor, Actor]:
    _roster(clerk)
    accounts.create_user(clerk, "shuji", "王书记", "secretary", "mima-5678")
    accounts.create_user(clerk, "jianwei", SUPERVISOR, "supervisor", "mima-5678")
    return accounts.sign_in("shuji", "mima-5678"), accounts.sign_in("jianwei", "mima-5678")


def _room(qtbot: QtBot, actor: Actor, clock: Clock) -> DecisionsRoom:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    room = window.show_room("decisions")
    assert isinstance(room, DecisionsRoom)
    room.today = clock  # type: ignore[method-assign]
    room.refresh()
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
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    room.exec_dialog = run  # type: ignore[method-assign]
    return shown


def _enabled(room: DecisionsRoom) -> dict[str, bool]:
    return {label: button.isEnabled() for label, button in room.buttons.items()}


def _click(
    room: DecisionsRoom, label: str, fill: Callable[[QDialog], None] = lambda d: None
) -> list[QDialog]:
    assert _enabled(room)[label], (label, room.next_label.text())
    shown = _answer(room, fill)
    room.buttons[label].click()
    for dialog in shown:
        error = getattr(dialog, "error", None)
        assert error is None or error.isHidden(), error.text()
    return shown


def _meeting(step: str, clock: Clock) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StepDialog) and dialog.step == step
        dialog.held_on.setDate(clock.day)
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


def test_the_clerk_walks_a_matter_from_step_1_to_step_6(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], clock: Clock, refusals: list[str]
) -> None:
    secretary, supervisor = people
    room = _room(qtbot, clerk, clock)
    assert room.model.rowCount() == 0

    def fill_matter(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        dialog.title.setText("村东水渠修缮工程")
        dialog.kind.setCurrentIndex(dialog.kind.findData(rules.PUBLIC_WORKS))
        dialog.amount.setText("120,000")
        dialog.background.setPlainText("水渠渗漏，影响三百亩农田灌溉。")

    _click(room, "New matter…", fill_matter)
    assert room.detail is not None and room.detail.number == "〔2026〕事字第1号"
    assert room.model.text(0, 2) == "¥120,000.00" and "党支部会提议" in room.model.text(0, 4)
    assert not _enabled(room)["Start disclosure…"] and not _enabled(room)["Complete disclosure"]

    # Steps 1 to 4, each on its own day.
    for offset, step in zip((0, 3, 8, 18), rules.MEETING_STEPS, strict=True):
        clock.day = START + timedelta(days=offset)
        _click(room, "Record step…", _meeting(step, clock))
        assert room.detail is not None and room.detail.current(step) is not None, step
    assert room.detail.progress.step == rules.DISCLOSE_RESOLUTION
    assert "村民代表会议" in room.timeline.toPlainText() and "监委会主任" in room.timeline.toPlainText()

    # The supervisory committee signs off step 4 and questions step 1; the clerk answers.
    watcher = DecisionsRoom(supervisor, today=clock.day)
    qtbot.addWidget(watcher)
    assert not _enabled(watcher)["Record step…"] and _enabled(watcher)["Sign off…"]

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisionDialog)
        dialog.text.setPlainText("表决程序合规。")

    _click(watcher, "Sign off…", sign)

    def concern(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisionDialog)
        dialog.step.setCurrentIndex(0)
        dialog.text.setPlainText("提议会议缺少签到表。")

    _click(watcher, "Raise concern…", concern)
    room.refresh()
    assert "提议会议缺少签到表" in room.timeline.toPlainText() and "监督委员会" in room.alerts.text()

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, AnswerConcernDialog) and dialog.concern.count() == 1
        dialog.answer.setPlainText("已补签到表。")

    _click(room, "Answer concern…", answer)
    assert not _enabled(room)["Answer concern…"]

    # Step 5: the resolution's 公示, approved by the secretary, posted, hung for its period.
    clock.day = START + timedelta(days=19)

    def disclose(dialog: QDialog) -> None:
        assert isinstance(dialog, DisclosureDialog)
        assert dialog.title.text() == "关于村东水渠修缮工程决议的公示"
        assert "赞成10票" in dialog.body.toPlainText()

    _click(room, "Start disclosure…", disclose)
    assert not _enabled(room)["Approve notice"], "the clerk does not approve"
    boss = DecisionsRoom(secretary, today=clock.day)
    qtbot.addWidget(boss)
    _click(boss, "Approve notice")
    room.refresh()

    def post(dialog: QDialog) -> None:
        assert isinstance(dialog, PostDialog)
        dialog.posted_at.setDate(clock.day)
        dialog.posted_by.setText("张组长")

    _click(room, "Post notice…", post)
    step5 = room.detail.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and step5.notice is not None and step5.notice.state == notice_rules.POSTED
    room.buttons["Complete disclosure"].click()  # too early: the period runs
    assert refusals and "公示期" in refusals.pop()
    clock.day = step5.notice.period_end + timedelta(days=1)  # type: ignore[operator]
    room.refresh()
    _click(room, "Complete disclosure")
    assert room.detail.progress.step == rules.DISCLOSE_RESULT

    # The work, then step 6: the result's 公示.
    clock.day += timedelta(days=40)

    def work(dialog: QDialog) -> None:
        assert isinstance(dialog, ImplementationDialog)
        dialog.started_on.setDate(clock.day - timedelta(days=30))
        dialog.has_end.setChecked(True)
        dialog.ended_on.setDate(clock.day - timedelta(days=1))
        dialog.work_done.setPlainText("完成水渠衬砌1.2公里。")
        dialog.spent.setText("118500")

    _click(room, "Implementation…", work)
    _click(room, "Start disclosure…", lambda dialog: None)
    boss.refresh()
    _click(boss, "Approve notice")
    room.refresh()
    _click(room, "Post notice…", post)
    clock.day += timedelta(days=7)
    room.refresh()
    _click(room, "Complete disclosure")
    done = room.detail
    assert done is not None and done.state == rules.COMPLETE
    assert [s.step for s in done.steps] == list(rules.STEPS)
    assert room.model.text(0, 3) == "已办结" and room.alerts.text() and not _enabled(room)["Record step…"]
    assert notices.list_notices(clerk)[0].title == "关于村东水渠修缮工程实施结果的公示"

    # The dossier in the print preview.
    previews = _answer(room, lambda dialog: None)
    room.buttons["Dossier…"].click()
    [preview] = previews
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.document.status() == QPdfDocument.Status.Ready and preview.document.pageCount() >= 8
    assert not refusals


def test_a_failed_vote_is_revised_or_ended_from_the_room(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], clock: Clock, refusals: list[str]
) -> None:
    d = service.open_decision(
        clerk, service.DecisionInput("村道硬化", rules.PUBLIC_WORKS), START, today=START
    )
    room = _room(qtbot, clerk, clock)
    fill = _meeting(rules.PROPOSE, clock)

    def refuse(dialog: QDialog) -> None:
        fill(dialog)
        assert isinstance(dialog, StepDialog)
        dialog.not_agreed.setChecked(True)

    _click(room, "Record step…", refuse)
    assert room.detail is not None and room.detail.progress.waiting == rules.CHOICE
    assert _enabled(room)["Revise proposal…"] and not _enabled(room)["Record step…"]

    def revise(dialog: QDialog) -> None:
        dialog.reason.setPlainText("改为分段硬化。")  # type: ignore[attr-defined]

    _click(room, "Revise proposal…", revise)
    assert room.detail.round == 2 and _enabled(room)["Record step…"]
    assert "改为分段硬化" in room.timeline.toPlainText()
    assert service.get_decision(clerk, d.id).round == 2
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
    settings = SettingsDialog(clerk)
    qtbot.addWidget(settings)
    settings.days.setValue(10)
    settings.save()
    assert settings.error.isHidden() and service.decision_settings(clerk).disclosure_days == 10


def test_the_room_speaks_english_when_asked(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], clock: Clock, refusals: list[str]
) -> None:
    set_language("en")
    service.open_decision(
        clerk, service.DecisionInput("Village road", rules.PUBLIC_WORKS, "5000"), START, today=START
    )
    room = _room(qtbot, clerk, clock)
    assert room.model.headerData(1, Qt.Orientation.Horizontal) == "Title"
    assert room.model.text(0, 4) == "1. Party branch proposes"
    assert room.buttons["Record step…"].text() == "Record step…"
    assert "Next: record Step 1: Party branch proposes." in room.next_label.text()
    assert not refusals


def test_the_councils_agenda_shows_the_step_an_item_holds(
    qtbot: QtBot, clerk: Actor, people: tuple[Actor, Actor], clock: Clock
) -> None:
    from tests.decisions.conftest import DAYS, Village, council_item, open_matter, through
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
