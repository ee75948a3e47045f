"""The 红白理事会's pure rules: caps at their boundaries, versions by date, money in fen, the year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from villagegov.ceremonies import rules
from villagegov.ceremonies.rules import (
    BANNED_OCCASION,
    BIRTHDAY_AGE,
    BRIDE_PRICE,
    COST_PER_TABLE,
    CREMATION,
    DAYS,
    DEFAULT_STANDARD,
    FUNERAL,
    GIFT_PER_GUEST,
    OTHER,
    PAID_PERFORMERS,
    TABLES,
    VEHICLES,
    WEDDING,
    Breach,
    Caps,
    CeremonyFacts,
    Figures,
    FiguresInput,
    Standard,
)
from villagegov.core import i18n
from villagegov.core.actions import Allowed
from villagegov.core.actor import CLERK, SECRETARY, SUPERVISOR
from villagegov.core.errors import FinalisedRecord, PermissionDenied, ValidationError

WEDDING_AT_CAPS = Figures(
    tables=20, cost_per_table_fen=500_00, gift_per_guest_fen=200_00, vehicles=6, days=1, spending_fen=1
)
FUNERAL_AT_CAPS = Figures(
    tables=20, cost_per_table_fen=300_00, gift_per_guest_fen=100_00, days=3, cremation=True, spending_fen=1
)


def over(figures: Figures, item: str, by: int) -> Figures:
    field = {
        TABLES: "tables", COST_PER_TABLE: "cost_per_table_fen", GIFT_PER_GUEST: "gift_per_guest_fen",
        VEHICLES: "vehicles", DAYS: "days", BRIDE_PRICE: "bride_price_fen",
    }[item]  # fmt: skip
    return replace(figures, **{field: figures.value(item) + by})


# --- every cap at its boundary -----------------------------------------------------------------------


def test_the_defaults_are_domain_md() -> None:
    w, f = DEFAULT_STANDARD.wedding, DEFAULT_STANDARD.funeral
    assert (w.tables, w.cost_per_table_fen, w.gift_per_guest_fen, w.vehicles, w.days) == (
        20,
        50000,
        20000,
        6,
        1,
    )
    assert (f.tables, f.cost_per_table_fen, f.gift_per_guest_fen, f.vehicles, f.days) == (
        20,
        30000,
        10000,
        None,
        3,
    )
    assert w.bride_price_fen is None  # capped only where the village sets a cap
    assert DEFAULT_STANDARD.cremation_required and DEFAULT_STANDARD.paid_performers_banned
    assert DEFAULT_STANDARD.banned_occasions() == {rules.SCHOOL_ADMISSION, rules.HOUSE_MOVING}
    assert DEFAULT_STANDARD.birthday_min_age == 60


def test_a_wedding_exactly_at_every_cap_is_within_the_standard() -> None:
    assert rules.check(WEDDING, WEDDING_AT_CAPS, DEFAULT_STANDARD) == ()


def test_a_funeral_exactly_at_every_cap_is_within_the_standard() -> None:
    assert rules.check(FUNERAL, FUNERAL_AT_CAPS, DEFAULT_STANDARD) == ()


@pytest.mark.parametrize(
    ("item", "by", "cap"),
    [
        (TABLES, 1, 20),  # one table over
        (COST_PER_TABLE, 1, 500_00),  # one fen over
        (GIFT_PER_GUEST, 1, 200_00),
        (VEHICLES, 1, 6),
        (DAYS, 1, 1),
    ],
)
def test_one_over_a_wedding_cap_is_flagged_with_the_cap_it_breaks(item: str, by: int, cap: int) -> None:
    figures = over(WEDDING_AT_CAPS, item, by)
    assert rules.check(WEDDING, figures, DEFAULT_STANDARD) == (Breach(item, cap + by, cap),)


@pytest.mark.parametrize(
    ("item", "cap"), [(TABLES, 20), (COST_PER_TABLE, 300_00), (GIFT_PER_GUEST, 100_00), (DAYS, 3)]
)
def test_one_over_a_funeral_cap_is_flagged(item: str, cap: int) -> None:
    assert rules.check(FUNERAL, over(FUNERAL_AT_CAPS, item, 1), DEFAULT_STANDARD) == (
        Breach(item, cap + 1, cap),
    )


def test_a_funeral_has_no_vehicle_cap_by_default() -> None:
    assert rules.check(FUNERAL, replace(FUNERAL_AT_CAPS, vehicles=30), DEFAULT_STANDARD) == ()


def test_bride_price_is_judged_only_where_the_village_caps_it() -> None:
    capped = replace(DEFAULT_STANDARD, wedding=replace(DEFAULT_STANDARD.wedding, bride_price_fen=50_000_00))
    at_cap = replace(WEDDING_AT_CAPS, bride_price_fen=50_000_00)
    assert rules.check(WEDDING, at_cap, DEFAULT_STANDARD) == ()
    assert rules.check(WEDDING, at_cap, capped) == ()
    one_fen = replace(at_cap, bride_price_fen=50_000_01)
    assert rules.check(WEDDING, one_fen, capped) == (Breach(BRIDE_PRICE, 50_000_01, 50_000_00),)
    assert rules.check(WEDDING, one_fen, DEFAULT_STANDARD) == ()


def test_several_breaches_are_all_flagged_in_form_order() -> None:
    figures = replace(
        WEDDING_AT_CAPS, tables=28, cost_per_table_fen=880_00, vehicles=12, paid_performers=True
    )
    assert [b.item for b in rules.check(WEDDING, figures, DEFAULT_STANDARD)] == [
        TABLES, COST_PER_TABLE, VEHICLES, PAID_PERFORMERS,
    ]  # fmt: skip


def test_yes_no_rules() -> None:
    assert rules.check(FUNERAL, replace(FUNERAL_AT_CAPS, cremation=False), DEFAULT_STANDARD) == (
        Breach(CREMATION),
    )
    assert rules.check(FUNERAL, replace(FUNERAL_AT_CAPS, cremation=None), DEFAULT_STANDARD) == ()
    no_county_rule = replace(DEFAULT_STANDARD, cremation_required=False)
    assert rules.check(FUNERAL, replace(FUNERAL_AT_CAPS, cremation=False), no_county_rule) == ()
    assert rules.check(FUNERAL, replace(FUNERAL_AT_CAPS, paid_performers=True), DEFAULT_STANDARD) == (
        Breach(PAID_PERFORMERS),
    )
    small = Figures(tables=5, cost_per_table_fen=200_00, days=1)
    assert rules.check(OTHER, small, DEFAULT_STANDARD, rules.SCHOOL_ADMISSION) == (
        Breach(BANNED_OCCASION, rules.SCHOOL_ADMISSION),
    )
    assert rules.check(OTHER, small, DEFAULT_STANDARD, rules.HOUSE_MOVING)[0].item == BANNED_OCCASION
    assert rules.check(OTHER, small, DEFAULT_STANDARD, rules.FULL_MONTH) == ()


def test_a_birthday_banquet_is_allowed_from_exactly_the_age() -> None:
    small = Figures(tables=5, cost_per_table_fen=200_00, days=1)
    assert rules.check(OTHER, small, DEFAULT_STANDARD, rules.BIRTHDAY, 60) == ()
    assert rules.check(OTHER, small, DEFAULT_STANDARD, rules.BIRTHDAY, 59) == (Breach(BIRTHDAY_AGE, 59, 60),)


def test_breaches_read_as_sentences_in_both_languages() -> None:
    money = Breach(COST_PER_TABLE, 500_01, 500_00)
    assert rules.describe_breach(money) == "每桌标准：¥500.01，超过上限¥500.00"
    assert rules.describe_breach(Breach(TABLES, 21, 20)) == "桌数：21，超过上限20"
    assert rules.breach_items([money, Breach(TABLES, 21, 20)]) == "每桌标准、桌数"
    i18n.set_language("en")
    assert rules.describe_breach(money) == "Cost per table: ¥500.01, over the cap of ¥500.00"
    assert rules.describe_breach(Breach(CREMATION)) == "No cremation, which the standard requires"


# --- the standard in force on the ceremony's day --------------------------------------------------------


def _version(day: date, tables: int) -> Standard:
    return replace(
        DEFAULT_STANDARD, effective_from=day, wedding=replace(DEFAULT_STANDARD.wedding, tables=tables)
    )


def test_a_ceremony_is_judged_by_the_version_in_force_on_its_day() -> None:
    old, new = _version(date(2026, 1, 1), 20), _version(date(2026, 7, 1), 15)
    versions = [new, old]
    assert rules.standard_on(versions, date(2026, 6, 30)) == old  # the day before
    assert rules.standard_on(versions, date(2026, 7, 1)) == new  # the day it takes effect
    assert rules.standard_on(versions, date(2025, 12, 31)) == DEFAULT_STANDARD  # before the first
    eighteen = replace(WEDDING_AT_CAPS, tables=18)
    assert rules.check(WEDDING, eighteen, rules.standard_on(versions, date(2026, 6, 30))) == ()
    assert rules.check(WEDDING, eighteen, rules.standard_on(versions, date(2026, 7, 1))) == (
        Breach(TABLES, 18, 15),
    )


def test_a_standard_is_checked_before_it_is_kept() -> None:
    with pytest.raises(ValidationError, match="生效"):
        rules.check_standard(DEFAULT_STANDARD)
    negative = replace(_version(date(2026, 1, 1), 20), funeral=Caps(tables=-1))
    with pytest.raises(ValidationError):
        rules.check_standard(negative)
    assert rules.check_standard(_version(date(2026, 1, 1), 20)).wedding.tables == 20


# --- typing figures: money in fen, exactly ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("500", 500_00), ("500.01", 500_01), ("¥1,234.5", 1_234_50), ("300元", 300_00),
        ("５００．０１", 500_01), ("0.1", 10), ("  ", None), ("19.99", 19_99),
    ],
)  # fmt: skip
def test_yuan_are_parsed_to_integer_fen_exactly(text: str, fen: int | None) -> None:
    value = rules.parse_yuan(text, COST_PER_TABLE)
    assert value == fen and (value is None or type(value) is int)


@pytest.mark.parametrize("text", ["500.001", "-5", "五百", "1,23.00", "1e3"])
def test_bad_amounts_are_refused_with_a_chinese_message(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        rules.parse_yuan(text, COST_PER_TABLE)
    assert "每桌标准" in caught.value.message() and caught.value.field == COST_PER_TABLE


def test_counts_take_their_unit_and_refuse_fractions() -> None:
    assert rules.parse_count("20桌", TABLES) == 20 and rules.parse_count("６", VEHICLES) == 6
    with pytest.raises(ValidationError, match="整数"):
        rules.parse_count("2.5", DAYS)
    with pytest.raises(ValidationError):
        rules.parse_count("5000", TABLES)


def test_a_plan_needs_tables_cost_days_and_its_total() -> None:
    typed = FiguresInput("20", "500", "200", "6", "1", "30000", spending="80,000")
    figures = rules.parse_figures(typed, WEDDING)
    assert figures == Figures(20, 500_00, 200_00, 6, 1, 30_000_00, spending_fen=80_000_00)
    assert rules.figures_input(figures) == FiguresInput(
        "20", "500.00", "200.00", "6", "1", "30000.00", spending="80000.00"
    )
    with pytest.raises(ValidationError) as caught:
        rules.parse_figures(replace(typed, tables=""), WEDDING)
    assert caught.value.field == TABLES
    with pytest.raises(ValidationError) as caught:
        rules.parse_figures(replace(typed, spending=""), WEDDING)
    assert caught.value.field == "spending"
    assert rules.parse_figures(replace(typed, spending=""), WEDDING, rules.ACTUAL).spending_fen is None
    # A funeral keeps no bride price; a wedding no cremation.
    assert rules.parse_figures(replace(typed, cremation=True), FUNERAL).bride_price_fen is None
    assert rules.parse_figures(replace(typed, cremation=True), WEDDING).cremation is None


def test_banquet_cost_and_ceiling_are_exact_products() -> None:
    assert rules.banquet_fen(Figures(tables=19, cost_per_table_fen=499_99)) == 9_499_81
    assert rules.ceiling_fen(DEFAULT_STANDARD.wedding) == 10_000_00
    assert rules.ceiling_fen(Caps(tables=20)) is None


def test_deviations_of_the_day_from_the_plan() -> None:
    plan = replace(WEDDING_AT_CAPS, tables=18)
    actual = replace(WEDDING_AT_CAPS, tables=22, vehicles=None, paid_performers=True)
    found = rules.deviations(plan, actual, WEDDING)
    assert [(d.item, d.planned, d.actual, d.difference) for d in found] == [
        (TABLES, 18, 22, 4), (PAID_PERFORMERS, False, True, None),
    ]  # fmt: skip
    assert rules.describe_deviation(found[0]) == "桌数：计划18，实际22（+4）"


# --- life ------------------------------------------------------------------------------------------------


def test_a_ceremony_is_closed_only_after_its_follow_up() -> None:
    for stage in (rules.REPORTED, rules.SUPERVISED):
        with pytest.raises(ValidationError, match="回访"):
            rules.next_stage(stage, rules.CLOSE)
    assert rules.next_stage(rules.FOLLOWED_UP, rules.CLOSE) == rules.CLOSED
    assert rules.next_stage(rules.REPORTED, rules.SUPERVISE) == rules.SUPERVISED
    with pytest.raises(ValidationError):
        rules.next_stage(rules.REPORTED, rules.FOLLOW_UP)
    with pytest.raises(ValidationError):
        rules.next_stage(rules.SUPERVISED, rules.CANCEL)


# --- what may be done now: the room's buttons and the service ask the same rules ------------------------

DAY = date(2026, 10, 2)


def _ceremony(stage: str, committed_on: date | None = None, today: date = date(2026, 11, 20)) -> Allowed:
    return rules.ceremony_actions(CLERK, rules.CeremonyState(stage, DAY, committed_on), today)


def test_the_plan_is_fixed_by_the_commitment_and_by_the_day() -> None:
    open_plan = _ceremony(rules.REPORTED)
    assert all(open_plan.may(a) for a in (rules.EDIT, rules.ADVISE, rules.COMMIT))
    signed = _ceremony(rules.REPORTED, committed_on=date(2026, 4, 20))
    for action in (rules.EDIT, rules.ADVISE, rules.COMMIT):
        with pytest.raises(FinalisedRecord, match="2026年4月20日签订承诺书"):
            signed.require(action)
    assert signed.may(rules.SUPERVISE) and signed.may(rules.CANCEL)  # the commitment fixes only the plan
    held = _ceremony(rules.SUPERVISED)
    with pytest.raises(FinalisedRecord, match="已监督"):
        held.require(rules.EDIT)


@pytest.mark.parametrize(
    ("stage", "allowed"),
    [
        (rules.REPORTED, {rules.SUPERVISE, rules.CANCEL}),
        (rules.SUPERVISED, {rules.CORRECT, rules.FOLLOW_UP}),
        (rules.FOLLOWED_UP, {rules.CORRECT, rules.CLOSE}),
        (rules.CLOSED, {rules.CORRECT}),
        (rules.CANCELLED, set()),
    ],
)
def test_the_stages_come_in_their_order(stage: str, allowed: set[str]) -> None:
    answer = _ceremony(stage)
    steps = (rules.SUPERVISE, rules.CORRECT, rules.FOLLOW_UP, rules.CLOSE, rules.CANCEL)
    assert {a for a in steps if answer.may(a)} == allowed
    if not answer.may(rules.CLOSE):
        with pytest.raises(ValidationError, match="回访"):
            answer.require(rules.CLOSE)


def test_the_day_is_supervised_from_the_day_itself() -> None:
    before = _ceremony(rules.REPORTED, today=DAY - timedelta(days=1))
    assert (
        before.why_not(rules.SUPERVISE) == "此事定于2026年10月2日举办，事中监督须在当天或之后，不能提前登记。"
    )
    assert before.may(rules.CANCEL)
    assert _ceremony(rules.REPORTED, today=DAY).may(rules.SUPERVISE)
    assert _ceremony(rules.REPORTED, today=DAY + timedelta(days=1)).may(rules.SUPERVISE)


def test_papers_print_once_there_is_something_to_print() -> None:
    for stage in rules.STAGES:
        assert _ceremony(stage).may(rules.PRINT_REPORT)
    assert _ceremony(rules.REPORTED).may(rules.PRINT_COMMITMENT)  # printed blank, signed by hand
    assert "取消" in (_ceremony(rules.CANCELLED).why_not(rules.PRINT_COMMITMENT) or "")
    assert _ceremony(rules.CANCELLED, committed_on=date(2026, 9, 21)).may(rules.PRINT_COMMITMENT)
    assert not _ceremony(rules.SUPERVISED).may(rules.PRINT_FOLLOW_UP)
    assert _ceremony(rules.FOLLOWED_UP).may(rules.PRINT_FOLLOW_UP) and _ceremony(rules.CLOSED).may(
        rules.PRINT_FOLLOW_UP
    )


def test_the_supervisory_committee_reads_and_prints_but_writes_nothing() -> None:
    # Closed: every paper prints; the role is the reason given first for every write.
    answer = rules.ceremony_actions(SUPERVISOR, rules.CeremonyState(rules.CLOSED, DAY), DAY)
    for action in rules.CEREMONY_ACTIONS:
        if action.startswith("print"):
            assert answer.may(action), action
        else:
            with pytest.raises(PermissionDenied, match="监委会"):
                answer.require(action)
    room = rules.room_actions(SUPERVISOR)
    assert not any(room.may(a) for a in (rules.REPORT, rules.NEW_TERM, rules.NEW_STANDARD))
    assert rules.room_actions(CLERK).may(rules.REPORT) and not rules.room_actions(CLERK).may(
        rules.NEW_STANDARD
    )
    assert rules.room_actions(SECRETARY).may(rules.NEW_STANDARD)
    assert "只有书记" in (rules.room_actions(CLERK).why_not(rules.NEW_STANDARD) or "")


def test_a_member_is_seated_on_a_term_and_removed_only_without_work_on_record() -> None:
    assert "新一届" in (rules.council_actions(CLERK, has_council=False).why_not(rules.ADD_MEMBER) or "")
    assert rules.council_actions(CLERK, has_council=True).may(rules.ADD_MEMBER)
    assert not rules.council_actions(SUPERVISOR, has_council=True).may(rules.ADD_MEMBER)
    fresh = rules.member_actions(CLERK, rules.MemberState(on_record=False))
    assert fresh.may(rules.REMOVE_MEMBER) and fresh.may(rules.MEMBER_LEAVES)
    worked = rules.member_actions(CLERK, rules.MemberState(on_record=True))
    assert worked.may(rules.MEMBER_LEAVES)
    with pytest.raises(ValidationError, match="离任日期"):
        worked.require(rules.REMOVE_MEMBER)


def test_a_new_standard_takes_effect_only_after_the_ceremonies_it_would_judge_were_held() -> None:
    held = [rules.HeldCeremony("〔2026〕红白备字第3号", date(2026, 6, 30))]
    answer = rules.standard_actions(SECRETARY, date(2026, 6, 30), held)
    with pytest.raises(ValidationError, match="红白备字第3号"):
        answer.require(rules.NEW_STANDARD)
    assert rules.standard_actions(SECRETARY, date(2026, 7, 1), held).may(rules.NEW_STANDARD)  # the day after
    assert not rules.standard_actions(SECRETARY, date(2026, 1, 1), held).may(rules.NEW_STANDARD)
    # A version of 1 July already judges the days from it on; one of 1 June judges only June, and the
    # ceremony of 30 June is in June.
    assert not rules.standard_actions(SECRETARY, date(2026, 6, 1), held, [date(2026, 7, 1)]).may(
        rules.NEW_STANDARD
    )
    assert rules.standard_actions(SECRETARY, date(2026, 6, 1), held, [date(2026, 6, 30)]).may(
        rules.NEW_STANDARD
    )
    assert rules.standard_actions(CLERK, date(2027, 1, 1)).why_not(rules.NEW_STANDARD) == (
        "只有书记可以审批；您当前的登录身份是文书。"
    )


def test_a_year_with_no_ceremony_has_no_summary() -> None:
    assert rules.year_actions(2026, 1).may(rules.PRINT_SUMMARY)
    with pytest.raises(ValidationError) as caught:
        rules.year_actions(1999, 0).require(rules.PRINT_SUMMARY)
    assert "1999" in caught.value.message() and "没有" in caught.value.message()


def test_the_registration_number_is_official() -> None:
    assert rules.ceremony_number(2026, 3) == "〔2026〕红白备字第3号"


# --- the year's figures, against a small year computed by hand ----------------------------------------


def _facts(
    kind: str, day: date, stage: str, first: Figures, actual: Figures | None, spent: int | None
) -> CeremonyFacts:
    standard = DEFAULT_STANDARD
    caps = standard.caps_for(kind)
    return CeremonyFacts(
        kind=kind, day=day, stage=stage, first_plan=first,
        first_plan_breaches=rules.check(kind, first, standard),
        actual=actual, actual_breaches=rules.check(kind, actual, standard) if actual else (),
        ceiling_fen=rules.ceiling_fen(caps), actual_spending_fen=spent,
    )  # fmt: skip


def test_the_year_figures_match_a_year_counted_by_hand() -> None:
    w = Figures
    year = [
        # A wedding planned at 28 tables × ¥600 (over), held at 20 × ¥500, spent ¥60,000 of ¥90,000 planned.
        _facts(WEDDING, date(2026, 1, 10), rules.CLOSED, w(28, 600_00, days=1, spending_fen=90_000_00),
               w(20, 500_00, days=1), 60_000_00),
        # A funeral within the caps: 15 × ¥280, ¥30,000 planned, ¥31,000.50 spent (over the plan).
        _facts(FUNERAL, date(2026, 1, 20), rules.FOLLOWED_UP, w(15, 280_00, days=3, spending_fen=30_000_00),
               w(15, 280_00, days=3, cremation=True), 31_000_50),
        # A wedding held one fen over per table: not within; supervised, not yet followed up.
        _facts(WEDDING, date(2026, 3, 5), rules.SUPERVISED, w(20, 500_00, days=1, spending_fen=50_000_00),
               w(20, 500_01, days=1), None),
        # Reported only, and a cancelled one, and one of another year.
        _facts(OTHER, date(2026, 3, 9), rules.REPORTED, w(8, 200_00, days=1, spending_fen=5_000_00),
               None, None),
        _facts(WEDDING, date(2026, 4, 1), rules.CANCELLED, w(40, 900_00, days=2, spending_fen=1), None, None),
        _facts(WEDDING, date(2025, 12, 31), rules.CLOSED, w(20, 500_00, days=1, spending_fen=1),
               w(20, 500_00, days=1), 1),
    ]  # fmt: skip
    f = rules.year_figures(2026, year)
    assert f.per_month[WEDDING] == (1, 0, 1) + (0,) * 9
    assert f.per_month[FUNERAL] == (1,) + (0,) * 11
    assert f.per_month[OTHER] == (0, 0, 1) + (0,) * 9
    assert f.ceremonies == 4
    assert f.first_plans_over == 1
    assert (f.supervised, f.within) == (3, 2)
    assert f.share_within == Fraction(2, 3) and rules.percent(f.share_within) == "66.7%"
    assert f.breaches_by_item == {COST_PER_TABLE: 1}
    # Caps: wedding ceiling 20 × 500 = 10,000 twice, funeral 20 × 300 = 6,000;
    # banquets 10,000 + 4,200 + 10,000.20 = 24,200.20; saved 26,000 − 24,200.20 = 1,799.80.
    assert f.caps_counted == 3
    assert (f.banquet_ceiling_fen, f.banquet_actual_fen) == (26_000_00, 24_200_20)
    assert f.saved_against_caps_fen == 1_799_80
    # First plans: 90,000 + 30,000 = 120,000 against 60,000 + 31,000.50 spent: saved 28,999.50.
    assert f.plans_counted == 2
    assert f.saved_against_first_plan_fen == 28_999_50
    assert f.first_plan_by_month[0] == 120_000_00 and f.actual_by_month[0] == 91_000_50

    chart = rules.spending_chart(f)
    assert chart.series[1].values[0] == 91_001  # whole yuan, half up
    months = rules.month_chart(f)
    assert months.stacked and months.categories[0] == "1月" and months.highest == 2


def test_percent_rounds_half_up_exactly() -> None:
    assert rules.percent(Fraction(7, 8)) == "87.5%"
    assert rules.percent(Fraction(1, 3)) == "33.3%"
    assert rules.percent(Fraction(2, 3)) == "66.7%"
    assert rules.percent(Fraction(1, 1)) == "100.0%"
    assert rules.percent(Fraction(1, 2000)) == "0.1%"  # 0.05% rounds up
    assert rules.percent(None) == "—"


# --- how early the report comes (事前报备) ---------------------------------------------------------------


def test_a_wedding_reported_exactly_the_days_the_standard_asks_is_in_time_and_a_day_fewer_is_late() -> None:
    caps = DEFAULT_STANDARD.wedding
    assert caps.report_days == 5  # DOMAIN.md: weddings 5 to 10 days ahead
    day = date(2026, 12, 10)
    assert rules.late_report(caps, day, date(2026, 12, 5)) is None
    assert rules.late_report(caps, day, date(2026, 11, 20)) is None
    assert rules.late_report(caps, day, date(2026, 12, 6)) == rules.LateReport(ahead=4, asked=5)
    assert rules.late_report(caps, day, day) == rules.LateReport(ahead=0, asked=5)
    assert rules.late_report(caps, day, date(2026, 12, 12)) == rules.LateReport(ahead=-2, asked=5)


def test_without_a_figure_only_a_report_on_or_after_the_day_is_late() -> None:
    caps = DEFAULT_STANDARD.funeral
    assert caps.report_days is None
    day = date(2026, 12, 10)
    assert rules.late_report(caps, day, date(2026, 12, 9)) is None
    assert rules.late_report(caps, day, day) == rules.LateReport(ahead=0, asked=None)


def test_a_late_report_reads_as_a_sentence_in_both_languages() -> None:
    assert rules.describe_late(rules.LateReport(2, 5)) == "举办前2天才报备，村规民约要求至少提前5天报备"
    assert rules.describe_late(rules.LateReport(0, None)) == "举办当天或之后才报备，未事前报备"
    assert rules.describe_late(rules.LateReport(-1, 5)) == "举办当天或之后才报备，村规民约要求至少提前5天报备"
    with i18n.speaking("en"):
        assert rules.describe_late(rules.LateReport(1, 5)) == (
            "Reported only 1 day before the day; the standard asks for at least 5 days ahead"
        )


def test_the_days_ahead_are_typed_with_the_caps_and_checked() -> None:
    caps = rules.parse_caps(rules.CapsInput(tables="20", report_days="7天"))
    assert caps.report_days == 7 and rules.caps_input(caps).report_days == "7"
    assert rules.parse_caps(rules.CapsInput()).report_days is None  # no rule
    with pytest.raises(ValidationError, match="提前报备天数"):
        rules.parse_caps(rules.CapsInput(report_days="61"))
    negative = replace(_version(date(2026, 1, 1), 20), wedding=Caps(report_days=-1))
    with pytest.raises(ValidationError, match="提前报备天数"):
        rules.check_standard(negative)


def test_the_year_counts_its_late_reports_but_not_a_cancelled_one_nor_another_year_s() -> None:
    plan = Figures(10, 300_00, days=1, spending_fen=10_000_00)

    def facts(day: date, stage: str, late: bool) -> rules.CeremonyFacts:
        return replace(_facts(WEDDING, day, stage, plan, None, None), late=late)

    year = [
        facts(date(2026, 2, 1), rules.REPORTED, True),
        facts(date(2026, 5, 1), rules.CLOSED, True),
        facts(date(2026, 6, 1), rules.REPORTED, False),
        facts(date(2026, 7, 1), rules.CANCELLED, True),
        facts(date(2025, 12, 1), rules.CLOSED, True),
    ]
    assert rules.year_figures(2026, year).reported_late == 2
    assert rules.year_figures(2026, year[2:4]).reported_late == 0
