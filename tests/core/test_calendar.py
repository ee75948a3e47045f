"""Posting periods and deadlines at their boundaries: month ends, 春节 and 国庆 2026, make-up days."""

from __future__ import annotations

from datetime import date

import pytest

from villagegov.core.calendar import (
    DAYS,
    WORKING_DAYS,
    DayOverride,
    UnknownCalendarYear,
    WorkingCalendar,
    add_working_days,
    deadline,
    package_knows,
    period_end,
)
from villagegov.core.errors import ValidationError

CAL = WorkingCalendar()


def test_seven_calendar_days_count_the_first_day() -> None:
    assert period_end(date(2026, 11, 23), 7) == date(2026, 11, 29)
    assert period_end(date(2026, 11, 23), 1) == date(2026, 11, 23)


def test_calendar_days_across_a_month_end_and_a_year_end() -> None:
    assert period_end(date(2026, 11, 27), 7, DAYS) == date(2026, 12, 3)
    assert period_end(date(2026, 2, 25), 7, DAYS) == date(2026, 3, 3)  # 2026 is not a leap year
    assert period_end(date(2027, 12, 28), 7, DAYS) == date(2028, 1, 3)  # no calendar needed


def test_working_days_skip_the_weekend_across_a_month_end() -> None:
    # Thu 2026-04-30 is day 1; 5-1 to 5-5 are the Labour Day holiday; 5-6 Wed … 5-9 Sat (make-up).
    assert period_end(date(2026, 4, 30), 5, WORKING_DAYS) == date(2026, 5, 9)
    # Fri 2026-07-31: 7-31, 8-3, 8-4, 8-5, 8-6.
    assert period_end(date(2026, 7, 31), 5, WORKING_DAYS) == date(2026, 8, 6)


def test_working_days_across_national_day_2026_count_the_make_up_saturday() -> None:
    # Mon 9-28, Tue 9-29, Wed 9-30 | 10-1 … 10-7 off | Thu 10-8, Fri 10-9, Sat 10-10 (make-up), Mon 10-12.
    assert period_end(date(2026, 9, 28), 7, WORKING_DAYS) == date(2026, 10, 12)
    assert CAL.is_working_day(date(2026, 10, 10))  # a Saturday, declared a working day
    assert not CAL.is_working_day(date(2026, 10, 11))
    assert CAL.is_working_day(date(2026, 9, 20))  # a Sunday, declared a working day
    assert not CAL.is_working_day(date(2026, 10, 7))  # a Wednesday off


def test_working_days_across_spring_festival_2026() -> None:
    # Thu 2-12, Fri 2-13, Sat 2-14 (make-up) | 2-15 … 2-23 off | Tue 2-24, 2-25, 2-26, 2-27.
    assert period_end(date(2026, 2, 12), 7, WORKING_DAYS) == date(2026, 2, 27)
    assert not CAL.is_working_day(date(2026, 2, 23))  # a Monday off
    assert CAL.is_working_day(date(2026, 2, 28))  # a Saturday, declared a working day


def test_a_period_posted_on_a_day_off_starts_on_the_next_working_day() -> None:
    assert period_end(date(2026, 11, 21), 1, WORKING_DAYS) == date(2026, 11, 23)  # a Saturday
    assert period_end(date(2026, 11, 21), 7, WORKING_DAYS) == date(2026, 12, 1)


def test_add_working_days_does_not_count_the_start() -> None:
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday → Monday
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)  # make-up Saturday
    assert deadline(date(2026, 11, 25), 10) == date(2026, 12, 5)
    assert deadline(date(2026, 11, 27), 3, WORKING_DAYS) == date(2026, 12, 2)


def test_a_year_the_calendar_does_not_know_is_refused_with_a_clear_message() -> None:
    with pytest.raises(UnknownCalendarYear) as err:
        period_end(date(2035, 3, 1), 7, WORKING_DAYS)
    assert err.value.year == 2035 and "2035" in err.value.message()
    # A period that only runs into such a year is refused too, not guessed.
    with pytest.raises(UnknownCalendarYear):
        add_working_days(date(2034, 12, 28), 10)
    # Calendar days need no knowledge of holidays.
    assert period_end(date(2035, 3, 1), 7, DAYS) == date(2035, 3, 7)


def test_2027_is_refused_until_its_make_up_days_are_known() -> None:
    if package_knows(2027):
        pytest.skip("the installed holidays package knows 2027's announcement")
    with pytest.raises(UnknownCalendarYear) as err:
        period_end(date(2026, 12, 28), 7, WORKING_DAYS)  # Mon: 12-28 … 12-31 are 4 working days
    assert err.value.year == 2027


def test_overrides_teach_the_calendar_a_new_year() -> None:
    overrides = [
        DayOverride(date(2035, 1, 1), working=False, note="元旦"),
        DayOverride(date(2035, 1, 6), working=True, note="调休上班"),  # a Saturday
    ]
    cal = WorkingCalendar(overrides)
    assert cal.knows(2035) and not WorkingCalendar().knows(2035)
    # Mon 1-1 off; Tue 1-2 … Fri 1-5 are four; Sat 1-6 (declared) is the fifth.
    assert period_end(date(2035, 1, 1), 5, WORKING_DAYS, cal) == date(2035, 1, 6)


def test_overrides_also_correct_a_known_year() -> None:
    cal = WorkingCalendar([DayOverride(date(2026, 11, 24), working=False, note="local holiday")])
    assert period_end(date(2026, 11, 23), 2, WORKING_DAYS, cal) == date(2026, 11, 25)


@pytest.mark.parametrize("length", [0, -1, 100_000])
def test_silly_lengths_are_refused(length: int) -> None:
    with pytest.raises(ValidationError):
        period_end(date(2026, 11, 23), length)


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValidationError):
        period_end(date(2026, 11, 23), 7, "weeks")
