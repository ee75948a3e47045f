"""The 红白理事会 room, offscreen, on a real database: a wedding from report to follow-up and print,
buttons from the rules with their reasons, and a room that hears what other rooms wrote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.ceremonies.conftest import HEAD_PHONE, TODAY, Village, make_village, wedding, wedding_plan
from villagegov.ceremonies import rules, service
from villagegov.ceremonies import views as ceremony_views
from villagegov.ceremonies.views import (
    CeremoniesRoom,
    CommitmentDialog,
    FollowUpDialog,
    ReportDialog,
    StandardDialog,
    SuperviseDialog,
)
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import set_language
from villagegov.core.privacy import make_id_number
from villagegov.roster import service as roster
from villagegov.roster.rules import VillagerInput
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog


@pytest.fixture
def village(clerk: Actor) -> Village:
    return make_village(clerk)


def _window(qtbot: QtBot, actor: Actor) -> MainWindow:
    clock.pin(TODAY)  # the walk happens on a fixed day (conftest unpins it after the test)
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    return window


def _room(qtbot: QtBot, actor: Actor) -> CeremoniesRoom:
    room = _window(qtbot, actor).show_room("ceremonies")
    assert isinstance(room, CeremoniesRoom)
    return room


def _answer(room: CeremoniesRoom, fill: Callable[[QDialog], None]) -> list[QDialog]:
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


def _enabled(room: CeremoniesRoom) -> dict[str, bool]:
    return {label: button.isEnabled() for label, button in room.buttons.items()}


def test_a_wedding_from_report_to_follow_up_and_print(
    qtbot: QtBot, village: Village, refusals: list[str]
) -> None:
    room = _room(qtbot, village.clerk)
    assert room.model.rowCount() == 0 and _enabled(room)[rules.REPORT]
    # Nothing chosen yet: a ceremony's buttons are off, and say why.
    assert room.buttons[rules.SUPERVISE].toolTip() == "请先在列表中选中一条记录。"
    flags_seen: dict[str, str] = {}

    def fill_report(dialog: QDialog) -> None:
        assert isinstance(dialog, ReportDialog)
        dialog.household.setCurrentIndex(dialog.household.findData(village.wang))
        dialog.kind.setCurrentIndex(dialog.kind.findData(rules.WEDDING))
        dialog.day.setDate(ceremony_views.qdate(date(2026, 10, 2)))
        dialog.reported_on.setDate(ceremony_views.qdate(date(2026, 9, 20)))
        dialog.place.setText("王德福家院内")
        dialog.subject.setText("新郎王小明、新娘李小红")
        plan = dialog.plan
        plan.edits[rules.TABLES].setText("28")
        # Flagged on the spot, with the cap it breaks, before anything is saved.
        flags_seen["28"] = plan.flags[rules.TABLES].text()
        plan.edits[rules.COST_PER_TABLE].setText("500.01")
        flags_seen["500.01"] = plan.flags[rules.COST_PER_TABLE].text()
        plan.edits[rules.COST_PER_TABLE].setText("500")
        flags_seen["500"] = plan.flags[rules.COST_PER_TABLE].text()
        plan.edits[rules.COST_PER_TABLE].setText("5o0")
        flags_seen["typo"] = plan.flags[rules.COST_PER_TABLE].text()
        plan.edits[rules.COST_PER_TABLE].setText("500")
        plan.edits[rules.VEHICLES].setText("6")
        plan.edits[rules.DAYS].setText("1")
        plan.spending.setText("100000")
        flags_seen["summary"] = plan.summary.text()

    _answer(room, fill_report)
    room.buttons[rules.REPORT].click()
    assert not refusals
    assert "超过上限20" in flags_seen["28"]
    assert "超过上限¥500.00" in flags_seen["500.01"]
    assert flags_seen["500"] == "上限¥500.00"
    assert "不是以元为单位的金额" in flags_seen["typo"]
    assert flags_seen["summary"].startswith("1项超出标准")
    [row] = room.model.rows()
    assert room.model.text(0, 3) == "已报备" and room.model.text(0, 6) == "桌数"
    assert room.detail is not None and room.detail.number == "〔2026〕红白备字第1号"
    assert "超过上限20" in room.details.toPlainText()
    enabled = _enabled(room)
    assert enabled[rules.EDIT] and enabled[rules.ADVISE] and enabled[rules.SUPERVISE]
    assert not enabled[rules.FOLLOW_UP] and not enabled[rules.CLOSE]
    # A greyed-out button says why, in the clerk's language.
    assert room.buttons[rules.FOLLOW_UP].toolTip() == "事后回访须在事中监督之后进行，此事已报备。"
    assert "只有书记" in room.buttons[rules.NEW_STANDARD].toolTip()

    # Closing before the follow-up is refused (the button is off; the service refuses anyway).
    room.close_ceremony()
    assert refusals and "回访" in refusals.pop()

    # The family signs its commitment.
    def fill_commitment(dialog: QDialog) -> None:
        assert isinstance(dialog, CommitmentDialog)
        dialog.signed_on.setDate(ceremony_views.qdate(date(2026, 9, 21)))

    _answer(room, fill_commitment)
    room.buttons[rules.COMMIT].click()
    assert not refusals and room.detail.commitment is not None
    assert not _enabled(room)[rules.EDIT]  # the plan is fixed now
    assert "承诺书" in room.buttons[rules.EDIT].toolTip()

    # On the day, the member on duty records what is seen: 30 tables.
    deviation_text: list[str] = []

    def fill_supervision(dialog: QDialog) -> None:
        assert isinstance(dialog, SuperviseDialog)
        dialog.supervised_on.setDate(ceremony_views.qdate(date(2026, 10, 2)))
        assert dialog.actual.edits[rules.TABLES].text() == "28"  # filled in from the plan
        dialog.actual.edits[rules.TABLES].setText("30")
        deviation_text.append(dialog.deviation.text())
        dialog.notes.setPlainText("现场多摆2桌，已当场劝导。")

    _answer(room, fill_supervision)
    room.buttons[rules.SUPERVISE].click()
    assert not refusals
    assert "桌数：计划28，实际30（+2）" in deviation_text[0]
    assert room.model.text(0, 3) == "已监督" and room.model.text(0, 6) == "桌数"
    assert room.detail.actual is not None and room.detail.actual.tables == 30

    # A week later the council visits.
    def fill_follow_up(dialog: QDialog) -> None:
        assert isinstance(dialog, FollowUpDialog)
        dialog.visited_on.setDate(ceremony_views.qdate(date(2026, 10, 9)))
        dialog.member.setCurrentIndex(dialog.member.findData(village.chair))
        dialog.spending.setText("92,000.50")
        dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData(rules.FAIRLY_SATISFIED))
        dialog.remarks.setPlainText(f"家里说简办省心。联系电话{HEAD_PHONE}")

    _answer(room, fill_follow_up)
    room.buttons[rules.FOLLOW_UP].click()
    assert not refusals and room.model.text(0, 3) == "已回访"
    assert room.detail.follow_up is not None and room.detail.follow_up.actual_spending_fen == 92_000_50
    assert _enabled(room)[rules.CLOSE] and _enabled(room)[rules.PRINT_FOLLOW_UP]

    # Printed: the follow-up record, in the preview, without the full phone number.
    previews = _answer(room, lambda dialog: None)
    room.buttons[rules.PRINT_FOLLOW_UP].click()
    [preview] = previews
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.document.status() == QPdfDocument.Status.Ready and preview.document.pageCount() >= 1
    assert HEAD_PHONE.encode() not in preview.pdf_bytes and not refusals
    assert preview._suggested_name == "〔2026〕红白备字第1号 回访记录.pdf"

    room.buttons[rules.CLOSE].click()
    assert not refusals and room.model.text(0, 3) == "已结案"
    assert service.get_ceremony(village.clerk, row.id).closed_on == TODAY

    # The year's figures: one wedding in October, first plan ¥100,000, spent ¥92,000.50.
    room.figures_year.setCurrentIndex(room.figures_year.findData(2026))
    assert room.month_chart.chart is not None and room.month_chart.chart.series[0].values[9] == 1
    assert "¥7,999.50" in room.year_text.text()
    summaries = _answer(room, lambda dialog: None)
    room.buttons[rules.PRINT_SUMMARY].click()
    qtbot.addWidget(summaries[0])
    assert isinstance(summaries[0], PdfPreviewDialog) and summaries[0].document.pageCount() >= 2


def test_only_the_secretary_adopts_a_new_standard(
    qtbot: QtBot, village: Village, refusals: list[str]
) -> None:
    from villagegov.accounts import service as accounts

    room = _room(qtbot, village.clerk)
    assert not _enabled(room)[rules.NEW_STANDARD]
    accounts.create_user(village.clerk, "shuji", "王建国", "secretary", "mima-5678")
    boss = _room(qtbot, accounts.sign_in("shuji", "mima-5678"))
    boss.tabs.setCurrentIndex(2)
    assert _enabled(boss)[rules.NEW_STANDARD]

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StandardDialog)
        dialog.effective.setDate(ceremony_views.qdate(date(2026, 7, 1)))
        dialog.basis.setText("2026年6月村民代表会议修订")
        dialog.caps[(rules.WEDDING, rules.TABLES)].setText("15")
        dialog.caps[(rules.WEDDING, rules.BRIDE_PRICE)].setText("60000")
        assert dialog.caps[(rules.WEDDING, rules.REPORT_DAYS)].text() == "5"  # the defaults' 5 days
        dialog.caps[(rules.WEDDING, rules.REPORT_DAYS)].setText("7")
        assert dialog.caps[(rules.FUNERAL, rules.REPORT_DAYS)].placeholderText() == "不限"

    _answer(boss, fill)
    boss.buttons[rules.NEW_STANDARD].click()
    assert not refusals
    [version] = boss.standards.rows()
    assert version.standard.wedding.tables == 15 and version.standard.wedding.bride_price_fen == 60_000_00
    assert version.standard.wedding.report_days == 7 and version.standard.funeral.report_days is None
    shown = boss.standard_details.toPlainText()
    assert "¥60,000.00" in shown and "提前报备天数" in shown


def test_a_late_report_is_marked_in_the_list_and_explained_in_the_detail(
    qtbot: QtBot, village: Village, refusals: list[str]
) -> None:
    from dataclasses import replace

    from tests.ceremonies.conftest import wedding

    day = date(2026, 11, 23)
    late = service.report(village.clerk, replace(wedding(village.wang, day), reported_on=TODAY), today=TODAY)
    on_time = service.report(
        village.clerk, replace(wedding(village.li, day), reported_on=date(2026, 11, 10)), today=TODAY
    )
    room = _room(qtbot, village.clerk)
    assert room.model.headerData(6, Qt.Orientation.Horizontal) == "超标与迟报"
    shown = {row.id: room.model.text(i, 6) for i, row in enumerate(room.model.rows())}
    assert "迟报" in shown[late.id] and "迟报" not in shown[on_time.id]
    room.view.select_record(late.id)
    text = room.details.toPlainText()
    assert "2026年11月20日（提前3天）" in text
    assert "举办前3天才报备，村规民约要求至少提前5天报备" in text
    room.view.select_record(on_time.id)
    assert "（提前13天）" in room.details.toPlainText() and "才报备" not in room.details.toPlainText()
    room.figures_year.setCurrentIndex(room.figures_year.findData(2026))
    room.load_year()
    assert room.year_text.text().endswith("。未按村规民约要求提前报备（迟报）的1起。")
    assert not refusals


def test_the_room_speaks_english_when_asked(qtbot: QtBot, village: Village, refusals: list[str]) -> None:
    set_language("en")
    room = _room(qtbot, village.clerk)
    assert room.buttons[rules.REPORT].text() == "Report…"
    assert room.tabs.tabText(3) == "The year's figures"
    dialog = ReportDialog(village.clerk, TODAY, None, room)
    qtbot.addWidget(dialog)
    dialog.plan.edits[rules.TABLES].setText("21")
    assert dialog.plan.flags[rules.TABLES].text() == "Over the cap of 20"
    assert not refusals


def _fill_wedding(household: int) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ReportDialog)
        dialog.household.setCurrentIndex(dialog.household.findData(household))
        dialog.day.setDate(ceremony_views.qdate(date(2026, 12, 12)))
        dialog.place.setText("村文化礼堂")
        for item, value in ((rules.TABLES, "18"), (rules.COST_PER_TABLE, "480"), (rules.DAYS, "1")):
            dialog.plan.edits[item].setText(value)
        dialog.plan.spending.setText("60000")

    return fill


def test_a_household_and_its_head_added_in_the_roster_appear_in_an_open_report_form(
    qtbot: QtBot, village: Village, refusals: list[str]
) -> None:
    """Issue 15: a villager added (the roster's service, through ops) is in the ceremonies room's pickers
    at once, in a form already open, and in the room's lists without opening it again."""
    window = _window(qtbot, village.clerk)
    room = window.show_room("ceremonies")
    assert isinstance(room, CeremoniesRoom)
    seen: list[tuple[int, str]] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ReportDialog)
        picker = dialog.household
        picker.setCurrentIndex(picker.findData(village.li))  # the clerk had chosen one already
        group = roster.list_groups(village.clerk)[0].id
        # Meanwhile the roster gets a new household, then its head.
        household = ops.write(window, roster.add_household, village.clerk, group, "01-003", "青石村一组3号")
        assert household is not None
        seen.append((picker.count(), picker.itemText(picker.findData(household))))
        head = VillagerInput(
            "赵大海", household, "head", id_number=make_id_number("411421", date(1970, 5, 5), 51)
        )
        assert ops.write(window, roster.add_villager, village.clerk, head, TODAY) is not None
        seen.append((picker.count(), picker.itemText(picker.findData(household))))
        assert picker.currentData() == village.li  # the choice is kept while the list loads again
        _fill_wedding(household)(dialog)

    _answer(room, fill)
    room.buttons[rules.REPORT].click()
    assert not refusals
    assert seen == [(3, "01-003 （第一村民小组）"), (3, "01-003 赵大海（第一村民小组）")]
    [row] = room.model.rows()
    assert row.head_name == "赵大海" and row.household_number == "01-003"

    # A council member's name changed in the roster while the room is hidden: shown again, it is there.
    room.tabs.setCurrentIndex(1)
    window.show_room("settings")
    chair = next(v for v in roster.list_villagers(village.clerk) if v.name == "李长顺")
    renamed = VillagerInput(
        "李常顺", chair.household_id, "child", id_number=make_id_number("411421", date(1975, 1, 9), 31)
    )
    assert ops.write(window, roster.update_villager, village.clerk, chair.id, renamed, TODAY) is not None
    assert room.stale and "李常顺" not in [m.name for m in room.members.rows()]
    window.show_room("ceremonies")
    assert not room.stale and "李常顺" in [m.name for m in room.members.rows()]

    # The council's own form lists the villager added, and seats him.
    def seat(dialog: QDialog) -> None:
        assert isinstance(dialog, ceremony_views.MemberDialog)
        dialog.villager.setCurrentIndex(dialog.villager.findText("赵大海", Qt.MatchFlag.MatchStartsWith))

    _answer(room, seat)
    room.buttons[rules.ADD_MEMBER].click()
    assert not refusals and "赵大海" in [m.name for m in room.members.rows()]


def test_a_year_with_no_ceremony_says_there_is_nothing_to_summarise(
    qtbot: QtBot, village: Village, refusals: list[str]
) -> None:
    room = _room(qtbot, village.clerk)
    room.tabs.setCurrentIndex(3)
    room.figures_year.setCurrentIndex(room.figures_year.findData(2025))
    message = "2025年没有报备的红白事（已取消的不计），没有可汇总的内容。"
    assert room.year_text.text() == message and not room.month_chart.isVisibleTo(room)
    summary = room.buttons[rules.PRINT_SUMMARY]
    assert not summary.isEnabled() and summary.toolTip() == message
    service.report(village.clerk, wedding(village.wang, date(2025, 10, 2)), today=TODAY)
    room.load_year()
    assert summary.isEnabled() and room.month_chart.chart is not None and room.month_chart.isVisibleTo(room)
    assert room.year_text.text().startswith("2025年：共报备红白事1起") and not refusals


def test_the_supervisory_committee_sees_why_it_may_not_write(qtbot: QtBot, village: Village) -> None:
    from villagegov.accounts import service as accounts

    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    accounts.create_user(village.clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    room = _room(qtbot, accounts.sign_in("jianwei", "mima-5678"))
    room.view.select_record(c.id)
    enabled = _enabled(room)
    assert enabled[rules.PRINT_REPORT] and enabled[rules.PRINT_COMMITMENT]
    writes = (rules.REPORT, rules.EDIT, rules.SUPERVISE, rules.CANCEL, rules.NEW_TERM, rules.ADD_MEMBER)
    assert not any(enabled[a] for a in writes)
    assert room.buttons[rules.SUPERVISE].toolTip() == "只有文书或书记可以修改记录；您当前的登录身份是监委会。"


def test_a_seat_entered_by_mistake_is_removed_from_the_members_tab(
    qtbot: QtBot, village: Village, refusals: list[str]
) -> None:
    room = _room(qtbot, village.clerk)
    room.tabs.setCurrentIndex(1)
    assert room.buttons[rules.REMOVE_MEMBER].toolTip() == "请先在列表中选中一名成员。"
    room.member_view.select_record(village.member)
    assert room.buttons[rules.REMOVE_MEMBER].isEnabled()
    room.confirm = lambda title, text: "王秀英" in text  # type: ignore[method-assign]
    room.buttons[rules.REMOVE_MEMBER].click()
    assert not refusals and [m.name for m in room.members.rows()] == ["李长顺"]
    # A member with work on record ends the seat instead: the button says so.
    c = service.report(village.clerk, wedding(village.li), today=TODAY)
    service.supervise(village.clerk, c.id, village.chair, date(2026, 10, 2), wedding_plan(), today=TODAY)
    room.load_council()
    room.member_view.select_record(village.chair)
    assert not room.buttons[rules.REMOVE_MEMBER].isEnabled()
    assert "离任日期" in room.buttons[rules.REMOVE_MEMBER].toolTip()


def test_the_standards_form_says_at_once_when_its_date_would_re_judge_a_held_ceremony(
    qtbot: QtBot, village: Village, refusals: list[str]
) -> None:
    from villagegov.accounts import service as accounts

    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    service.supervise(village.clerk, c.id, village.member, date(2026, 10, 2), wedding_plan(), today=TODAY)
    accounts.create_user(village.clerk, "shuji", "王建国", "secretary", "mima-5678")
    boss = _room(qtbot, accounts.sign_in("shuji", "mima-5678"))
    dialog = StandardDialog(boss.actor, TODAY, rules.DEFAULT_STANDARD, boss)
    qtbot.addWidget(dialog)
    dialog.effective.setDate(ceremony_views.qdate(date(2026, 10, 2)))
    assert (
        dialog.effective_hint.isVisibleTo(dialog) and "〔2026〕红白备字第1号" in dialog.effective_hint.text()
    )
    dialog.effective.setDate(ceremony_views.qdate(date(2026, 10, 3)))  # the day after: allowed
    assert not dialog.effective_hint.isVisibleTo(dialog)
    dialog.effective.setDate(ceremony_views.qdate(date(2026, 10, 2)))
    dialog.save()  # the service refuses with the same words, inside the form
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == dialog.effective_hint.text() and not refusals
