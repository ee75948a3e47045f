"""The 红白理事会 service on a real database (SQLite, and PostgreSQL where VILLAGEGOV_TEST_PG is set)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from tests.ceremonies.conftest import HEAD_PHONE, TODAY, Village, wedding, wedding_plan
from villagegov.accounts import service as accounts
from villagegov.ceremonies import commands, rules, service
from villagegov.ceremonies.models import Ceremony, CeremonyFigures
from villagegov.ceremonies.rules import (
    COST_PER_TABLE,
    DEFAULT_STANDARD,
    TABLES,
    VEHICLES,
    Breach,
    Caps,
    FiguresInput,
    ReportInput,
)
from villagegov.core import audit, i18n, maintenance
from villagegov.core.actor import Actor
from villagegov.core.db import database
from villagegov.core.errors import FinalisedRecord, NotFound, PermissionDenied, ValidationError
from villagegov.roster import service as roster


def entries() -> int:
    return audit.AuditEntry.select().count()


def held(
    v: Village, report: ReportInput, actual: FiguresInput, spent: str = "60000"
) -> service.CeremonyDetail:
    """A ceremony reported, supervised on its day and followed up a week later."""
    c = service.report(v.clerk, report, today=TODAY)
    service.supervise(v.clerk, c.id, v.member, report.day, actual, today=TODAY)
    visit = date.fromordinal(report.day.toordinal() + 7)
    return service.follow_up(v.clerk, c.id, v.chair, visit, spent, rules.SATISFIED, today=TODAY)


def test_a_report_is_numbered_judged_and_audited(village: Village) -> None:
    before = entries()
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    assert c.number == "〔2026〕红白备字第1号" and c.stage == rules.REPORTED
    assert (c.head_name, c.host, c.contact_phone, c.group) == ("王德福", "王德福", HEAD_PHONE, "第一村民小组")
    assert c.standard == DEFAULT_STANDARD
    assert c.plan.cost_per_table_fen == 680_00 and c.plan.spending_fen == 120_000_00
    assert c.plan_breaches == (
        Breach(TABLES, 28, 20), Breach(COST_PER_TABLE, 680_00, 500_00), Breach(VEHICLES, 8, 6),
    )  # fmt: skip
    assert entries() == before + 2  # the ceremony and its first plan, in one transaction
    second = service.report(village.clerk, wedding(village.li, date(2026, 12, 1)), today=TODAY)
    assert second.number == "〔2026〕红白备字第2号" and second.head_name == "李桂兰"
    assert maintenance.check(database.obj).ok  # every row explained by the audit log


def test_bad_input_gets_a_message_and_writes_nothing(village: Village) -> None:
    before = entries()
    with pytest.raises(ValidationError) as caught:
        service.report(village.clerk, wedding(village.wang, cost_per_table="680.005"), today=TODAY)
    assert "最小单位是1分" in caught.value.message()
    with pytest.raises(ValidationError, match="预计总花费"):
        service.report(village.clerk, wedding(village.wang, spending=""), today=TODAY)
    with pytest.raises(ValidationError, match="将来"):
        service.report(
            village.clerk, replace(wedding(village.wang), reported_on=date(2026, 11, 21)), today=TODAY
        )
    assert entries() == before and Ceremony.select().count() == 0


def test_the_first_plan_survives_the_councils_advice_and_the_commitment_fixes_the_plan(
    village: Village,
) -> None:
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    c = service.record_advice(
        village.clerk, c.id, "建议压缩至20桌、每桌不超过500元。", date(2026, 9, 21), village.chair,
        wedding_plan(tables="20", cost_per_table="500", vehicles="6", spending="80000"), today=TODAY,
    )  # fmt: skip
    assert [p.version for p in c.plans] == [1, 2]
    assert c.first_plan.tables == 28 and c.plan.tables == 20
    assert c.first_plan_breaches and c.plan_breaches == ()
    assert c.advice[0].member == "李长顺" and c.advice[0].plan_version == 2
    c = service.sign_commitment(village.clerk, c.id, date(2026, 9, 22), today=TODAY)
    assert c.commitment == service.CommitmentRow("王德福", date(2026, 9, 22), 2)
    with pytest.raises(FinalisedRecord, match="承诺书"):
        service.update_report(
            village.clerk, c.id, replace(wedding(village.wang), plan=wedding_plan(tables="30"))
        )
    with pytest.raises(FinalisedRecord):
        service.record_advice(village.clerk, c.id, "再议", date(2026, 9, 23), today=TODAY)
    again = service.get_ceremony(village.clerk, c.id)
    assert again.plans == c.plans and again.first_plan.tables == 28


def test_before_any_advice_a_correction_replaces_the_first_plan_itself(village: Village) -> None:
    c = service.report(village.clerk, wedding(village.wang, tables="280"), today=TODAY)
    fixed = service.update_report(village.clerk, c.id, wedding(village.wang, tables="28"), today=TODAY)
    assert [p.version for p in fixed.plans] == [1] and fixed.first_plan.tables == 28
    # After advice, a changed plan is a new version and the first stays.
    service.record_advice(village.clerk, c.id, "请压缩桌数", date(2026, 9, 21), today=TODAY)
    later = service.update_report(village.clerk, c.id, wedding(village.wang, tables="22"), today=TODAY)
    assert [p.figures.tables for p in later.plans] == [28, 22]


def test_a_ceremony_is_judged_by_the_standard_in_force_on_its_day(village: Village, secretary: Actor) -> None:
    revised = replace(
        DEFAULT_STANDARD, effective_from=date(2026, 7, 1), basis="2026年6月村民代表会议修订",
        wedding=replace(DEFAULT_STANDARD.wedding, tables=15, bride_price_fen=50_000_00),
    )  # fmt: skip
    version = service.set_standard(secretary, revised)
    assert version.standard.wedding.tables == 15 and version.ceremonies == 0
    plan = {"tables": "18", "cost_per_table": "500", "vehicles": "6", "bride_price": "50000"}
    day_before = service.report(village.clerk, wedding(village.wang, date(2026, 6, 30), **plan), today=TODAY)
    on_the_day = service.report(village.clerk, wedding(village.li, date(2026, 7, 1), **plan), today=TODAY)
    assert day_before.standard.effective_from is None and day_before.plan_breaches == ()
    assert on_the_day.standard.effective_from == date(2026, 7, 1)
    assert on_the_day.plan_breaches == (Breach(TABLES, 18, 15),)
    one_fen = service.update_report(
        village.clerk, on_the_day.id, wedding(village.li, date(2026, 7, 1), **{**plan, "tables": "15",
                                                                               "bride_price": "50000.01"}),
        today=TODAY,
    )  # fmt: skip
    assert one_fen.plan_breaches == (Breach(rules.BRIDE_PRICE, 50_000_01, 50_000_00),)
    listed = {r.id: r for r in service.list_ceremonies(village.clerk, 2026)}
    assert listed[on_the_day.id].breaches == one_fen.plan_breaches and listed[day_before.id].breaches == ()


def test_a_version_may_not_re_judge_a_ceremony_already_held(village: Village, secretary: Actor) -> None:
    c = held(
        village,
        wedding(village.wang, date(2026, 10, 2)),
        wedding_plan(tables="20", cost_per_table="500", vehicles="6"),
    )
    strict = replace(DEFAULT_STANDARD, effective_from=date(2026, 10, 2), wedding=Caps(tables=10, days=1))
    with pytest.raises(ValidationError, match="红白备字第1号"):
        service.set_standard(secretary, strict)
    service.set_standard(secretary, replace(strict, effective_from=date(2026, 10, 3)))
    assert service.get_ceremony(village.clerk, c.id).actual_breaches == ()
    assert [v.ceremonies for v in service.list_standards(village.clerk)] == [0]


def test_only_the_secretary_sets_the_standard_and_the_supervisory_committee_only_reads(
    village: Village,
) -> None:
    with pytest.raises(PermissionDenied, match="书记"):
        service.set_standard(village.clerk, replace(DEFAULT_STANDARD, effective_from=date(2026, 1, 1)))
    accounts.create_user(village.clerk, "jianwei", "陈淑芬", "supervisor", "mima-9999")
    supervisor = accounts.sign_in("jianwei", "mima-9999")
    with pytest.raises(PermissionDenied):
        service.report(supervisor, wedding(village.wang), today=TODAY)
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    assert service.get_ceremony(supervisor, c.id).number == c.number


def test_supervision_computes_deviations_and_breaches(village: Village) -> None:
    c = service.report(village.clerk, wedding(village.wang, tables="20", cost_per_table="500", vehicles="6"),
                       today=TODAY)  # fmt: skip
    seen = wedding_plan(
        tables="23", cost_per_table="500.01", vehicles="6", bride_price="", paid_performers=True
    )
    c = service.supervise(
        village.clerk, c.id, village.member, date(2026, 10, 2), seen, "现场多摆3桌", today=TODAY
    )
    assert c.stage == rules.SUPERVISED and c.supervision is not None and c.supervision.member == "王秀英"
    assert c.actual is not None and c.actual.spending_fen is None
    assert [(d.item, d.difference) for d in c.deviations] == [
        (TABLES, 3), (COST_PER_TABLE, 1), (rules.PAID_PERFORMERS, None),
    ]  # fmt: skip
    assert [b.item for b in c.actual_breaches] == [TABLES, COST_PER_TABLE, rules.PAID_PERFORMERS]


def test_supervision_is_on_or_after_the_day_by_a_member_seated_then(village: Village) -> None:
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    actual = wedding_plan()
    with pytest.raises(ValidationError, match="2026年10月2日"):
        service.supervise(village.clerk, c.id, village.member, date(2026, 10, 1), actual, today=TODAY)
    service.end_membership(village.clerk, village.member, date(2026, 9, 1))
    with pytest.raises(ValidationError, match="王秀英"):
        service.supervise(village.clerk, c.id, village.member, date(2026, 10, 2), actual, today=TODAY)
    # Before the day has come, the rules refuse it (the button says the same); a day ahead is refused too.
    with pytest.raises(ValidationError, match="不能提前登记"):
        service.supervise(
            village.clerk, c.id, village.chair, date(2026, 10, 2), actual, today=date(2026, 10, 1)
        )
    with pytest.raises(ValidationError, match="将来"):
        service.supervise(
            village.clerk, c.id, village.chair, date(2026, 10, 4), actual, today=date(2026, 10, 3)
        )
    assert service.get_ceremony(village.clerk, c.id).stage == rules.REPORTED


def test_closing_without_a_follow_up_is_refused_and_changes_nothing(village: Village) -> None:
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    before = entries()
    with pytest.raises(ValidationError, match="回访"):
        service.close(village.clerk, c.id, today=TODAY)
    service.supervise(village.clerk, c.id, village.member, date(2026, 10, 2), wedding_plan(), today=TODAY)
    after_supervision = entries()
    with pytest.raises(ValidationError, match="须经事后回访才能结案"):
        service.close(village.clerk, c.id, today=TODAY)
    assert entries() == after_supervision > before
    assert service.get_ceremony(village.clerk, c.id).stage == rules.SUPERVISED
    service.follow_up(
        village.clerk, c.id, village.chair, date(2026, 10, 9), "95,000.50", rules.FAIRLY_SATISFIED,
        "酒席比原计划少了8桌", today=TODAY,
    )  # fmt: skip
    closed = service.close(village.clerk, c.id, date(2026, 10, 10), today=TODAY)
    assert closed.stage == rules.CLOSED and closed.closed_on == date(2026, 10, 10)
    assert closed.follow_up is not None and closed.follow_up.actual_spending_fen == 95_000_50
    assert closed.saved_against_first_plan_fen == 120_000_00 - 95_000_50


def test_a_correction_of_the_days_figures_keeps_the_original(village: Village) -> None:
    c = held(village, wedding(village.wang), wedding_plan(tables="22"))
    with pytest.raises(ValidationError, match="更正"):
        service.correct_actual(village.clerk, c.id, wedding_plan(tables="21"), "  ")
    fixed = service.correct_actual(village.clerk, c.id, wedding_plan(tables="21"), "监督员记错桌数")
    assert [a.figures.tables for a in fixed.actuals] == [22, 21] and fixed.actual.tables == 21
    assert fixed.actuals[1].reason == "监督员记错桌数"
    originals = CeremonyFigures.select().where(
        (CeremonyFigures.ceremony == c.id)
        & (CeremonyFigures.stage == rules.ACTUAL)
        & (CeremonyFigures.version == 1)
    )
    assert [r.tables for r in originals] == [22]


def test_cancel_only_before_the_day_and_a_cancelled_ceremony_is_not_counted(village: Village) -> None:
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    cancelled = service.cancel(village.clerk, c.id, "婚期推迟到明年", today=TODAY)
    assert cancelled.stage == rules.CANCELLED and cancelled.cancel_reason == "婚期推迟到明年"
    assert service.year_figures(village.clerk, 2026).ceremonies == 0
    with pytest.raises(ValidationError):
        service.supervise(village.clerk, c.id, village.member, date(2026, 10, 2), wedding_plan(), today=TODAY)


def test_council_members_and_their_terms(village: Village) -> None:
    members = service.list_members(village.clerk, village.council)
    assert [(m.name, m.role) for m in members] == [("李长顺", rules.CHAIR), ("王秀英", rules.MEMBER)]
    with pytest.raises(ValidationError, match="会长"):
        wang = service.list_members(village.clerk)[1].villager_id
        service.add_member(village.clerk, village.council, wang + 0, rules.CHAIR, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="任期"):
        service.create_council(village.clerk, date(2028, 1, 1), date(2030, 12, 31))
    c = held(village, wedding(village.wang), wedding_plan(tables="20", cost_per_table="500"))
    with pytest.raises(ValidationError, match="2026年10月2日"):
        service.end_membership(village.clerk, village.member, date(2026, 10, 1))
    with pytest.raises(ValidationError, match="离任"):
        service.remove_member(village.clerk, village.member)
    assert service.get_ceremony(village.clerk, c.id).supervision is not None
    assert [m.name for m in service.list_members(village.clerk, on=date(2023, 12, 31))] == []


def test_a_seat_entered_by_mistake_is_removed_and_one_with_work_on_record_is_not(village: Village) -> None:
    assert not any(m.on_record for m in service.list_members(village.clerk))
    held(village, wedding(village.wang), wedding_plan(tables="20", cost_per_table="500"))
    by_name = {m.name: m for m in service.list_members(village.clerk)}
    assert by_name["王秀英"].on_record and by_name["李长顺"].on_record  # supervised; visited
    # The wrong villager seated: the seat goes, the audit log keeps that it was there.
    wang = next(v.id for v in roster.list_villagers(village.clerk) if v.name == "王德福")
    wrong = service.add_member(village.clerk, village.council, wang, rules.MEMBER, date(2026, 1, 1))
    assert not wrong.on_record
    before = entries()
    service.remove_member(village.clerk, wrong.id)
    assert wrong.id not in {m.id for m in service.list_members(village.clerk)} and entries() == before + 1
    with pytest.raises(ValidationError, match="离任"):
        service.remove_member(village.clerk, by_name["李长顺"].id)


def test_a_missing_ceremony_is_not_found(village: Village) -> None:
    with pytest.raises(NotFound):
        service.get_ceremony(village.clerk, 999)


def test_the_year_figures_match_a_small_year_counted_by_hand(village: Village, secretary: Actor) -> None:
    # From July the village allows 15 tables at most.
    service.set_standard(
        secretary, replace(DEFAULT_STANDARD, effective_from=date(2026, 7, 1),
                           wedding=replace(DEFAULT_STANDARD.wedding, tables=15)),
    )  # fmt: skip
    # 1. A wedding in March, first planned 28 × ¥680 (¥120,000), held at 20 × ¥500, spent ¥90,000.
    held(
        village,
        wedding(village.wang, date(2026, 3, 8)),
        wedding_plan(tables="20", cost_per_table="500", vehicles="6"),
        "90000",
    )
    # 2. A wedding in July held at 16 tables: within the old standard, over the new one.
    held(village, wedding(village.li, date(2026, 7, 1), tables="16", cost_per_table="400", vehicles="4",
                          spending="50000"),
         wedding_plan(tables="16", cost_per_table="400", vehicles="4"), "50000.50")  # fmt: skip
    # 3. A funeral in July, 12 × ¥250, cremated, only supervised so far.
    funeral = ReportInput(
        village.wang, rules.FUNERAL, date(2026, 7, 20), "王家老宅",
        FiguresInput("12", "250", "100", "", "3", cremation=True, spending="20000"),
        reported_on=date(2026, 7, 18),
    )  # fmt: skip
    f = service.report(village.clerk, funeral, today=TODAY)
    service.supervise(village.clerk, f.id, village.member, date(2026, 7, 20),
                      FiguresInput("12", "250", "", "", "3", cremation=True), today=TODAY)  # fmt: skip
    # 4. A birthday at 70 in December, reported only; 5. one cancelled; 6. one of next year.
    birthday = ReportInput(
        village.li, rules.OTHER, date(2026, 12, 6), "李家",
        FiguresInput("6", "300", days="1", spending="8000"),
        occasion=rules.BIRTHDAY, celebrant_age=70, reported_on=TODAY,
    )  # fmt: skip
    service.report(village.clerk, birthday, today=TODAY)
    gone = service.report(village.clerk, wedding(village.li, date(2026, 12, 20)), today=TODAY)
    service.cancel(village.clerk, gone.id, "取消", today=TODAY)
    service.report(village.clerk, wedding(village.li, date(2027, 1, 2)), today=TODAY)

    y = service.year_figures(village.clerk, 2026)
    assert y.per_month[rules.WEDDING][2] == 1 and y.per_month[rules.WEDDING][6] == 1
    assert y.per_month[rules.FUNERAL][6] == 1 and y.per_month[rules.OTHER][11] == 1
    assert y.ceremonies == 4
    assert y.first_plans_over == 2  # March (28 tables) and July (16 tables under the new cap of 15)
    assert (y.supervised, y.within) == (3, 2) and y.share_within == Fraction(2, 3)
    assert y.breaches_by_item == {TABLES: 1}
    # Ceilings: March 20 × 500 = 10,000; July wedding 15 × 500 = 7,500; funeral 20 × 300 = 6,000.
    # Banquets: 10,000 + 6,400 + 3,000 = 19,400 → saved 4,100 against the caps.
    assert (y.banquet_ceiling_fen, y.banquet_actual_fen) == (23_500_00, 19_400_00)
    assert y.saved_against_caps_fen == 4_100_00
    # First plans 120,000 + 50,000 against 90,000 + 50,000.50 spent → 29,999.50 saved.
    assert y.plans_counted == 2 and y.saved_against_first_plan_fen == 29_999_50
    assert y.first_plan_by_month[2] == 120_000_00 and y.actual_by_month[6] == 50_000_50
    # The two weddings were entered only on 20 September, after their days: late; the funeral (no rule
    # for funerals) and the birthday (none for other banquets) were reported before theirs.
    assert y.reported_late == 2


def test_messages_follow_the_language(village: Village) -> None:
    i18n.set_language("en")
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    with pytest.raises(ValidationError, match="closed only after its follow-up"):
        service.close(village.clerk, c.id, today=TODAY)


def test_a_report_fewer_days_ahead_than_the_standard_asks_is_flagged_as_late(
    village: Village, secretary: Actor
) -> None:
    day = date(2026, 11, 24)
    in_time = service.report(
        village.clerk, replace(wedding(village.wang, day), reported_on=date(2026, 11, 19)), today=TODAY
    )
    late = service.report(
        village.clerk, replace(wedding(village.li, day), reported_on=date(2026, 11, 20)), today=TODAY
    )
    assert in_time.late is None  # exactly the 5 days the default standard asks
    assert late.late == rules.LateReport(ahead=4, asked=5)
    listed = {r.id: r for r in service.list_ceremonies(village.clerk, 2026)}
    assert listed[in_time.id].late is None and listed[late.id].late == late.late
    lines = {row[0]: row[-1] for row in commands.list_rows(village.clerk, 2026)}  # `list ceremonies`
    assert lines[str(late.id)] == "桌数、每桌标准、车辆、迟报" and "迟报" not in lines[str(in_time.id)]
    # A version of the village's own with no such rule: only a report on or after the day is late.
    no_rule = replace(
        DEFAULT_STANDARD,
        effective_from=date(2026, 11, 1),
        wedding=replace(DEFAULT_STANDARD.wedding, report_days=None),
    )
    version = service.set_standard(secretary, no_rule)
    assert version.standard.wedding.report_days is None
    assert service.get_ceremony(village.clerk, late.id).late is None
    ten = replace(no_rule, wedding=replace(DEFAULT_STANDARD.wedding, report_days=10))
    assert service.set_standard(secretary, ten).standard.wedding.report_days == 10  # kept, read back
    assert service.get_ceremony(village.clerk, in_time.id).late == rules.LateReport(ahead=5, asked=10)
    assert maintenance.check(database.obj).ok  # the caps' new figure is audited like the others
