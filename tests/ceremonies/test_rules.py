"""The 红白理事会's pure rules: caps at their boundaries, versions by date, money in fen, the year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
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
from villagegov.core.errors import FinalisedRecord, ValidationError

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


def test_the_plan_is_fixed_by_the_commitment() -> None:
    rules.check_plan_open(rules.REPORTED, None)
    with pytest.raises(FinalisedRecord):
        rules.check_plan_open(rules.REPORTED, date(2026, 4, 20))
    with pytest.raises(FinalisedRecord):
        rules.check_plan_open(rules.SUPERVISED, None)


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
