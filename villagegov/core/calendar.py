"""Posting periods and deadlines in calendar days or working days. Pure: no Qt, no database.

Conventions (used by every room):

- A *period* of N days starting on a day counts that day as day 1: a 7-day 公示 posted on
  2026-11-23 ends on 2026-11-29 (`period_end`). Counted in working days, day 1 is the first
  working day on or after the start, and the period ends on its N-th working day.
- A *deadline* "within N days of X" does not count the day of X (民法典 Art. 201: 开始的当日不计入):
  `deadline(X, N)` is X + N days, or X's N-th following working day (`add_working_days`).
- A working day is a Monday to Friday that is not a public holiday, or a weekend day the State
  Council declares a make-up working day (调休上班).

Where the holidays come from: the `holidays` package for the years whose make-up working days it
knows (it knows 2026's: 1-4, 2-14, 2-28, 5-9, 9-20, 10-10); for any other year it would only guess
the holidays from the lunar calendar and would not know the make-up days, so we do not use it
there. The village keeps an override table (days declared a day off or a working day, from the
State Council's yearly announcement): a year with overrides is known, counted as weekends plus
the overrides alone. Working-day arithmetic that enters a year known neither way stops with
`UnknownCalendarYear` rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from villagegov.core.errors import ValidationError, VillagegovError
from villagegov.core.i18n import N_, _

DAYS = "days"
WORKING_DAYS = "working_days"
UNITS = (DAYS, WORKING_DAYS)
UNIT_LABELS = {DAYS: N_("calendar days"), WORKING_DAYS: N_("working days")}

# No period or deadline in a village's records runs anywhere near this long; a guard, not a rule.
MAX_LENGTH = 3660


def unit_label(unit: str) -> str:
    return _(UNIT_LABELS[unit])


class UnknownCalendarYear(VillagegovError):
    """Working days were asked for in a year whose holidays and make-up days nobody told us."""

    def __init__(self, year: int) -> None:
        super().__init__(
            N_(
                "The working-day calendar does not know {year} yet: the State Council announces each "
                "year's public holidays and make-up working days. Enter {year}'s days off and make-up "
                "working days in the calendar settings, or count the period in calendar days."
            ),
            year=year,
        )
        self.year = year


@dataclass(frozen=True)
class DayOverride:
    """One day the village declares a day off (`working=False`) or a working day (`working=True`)."""

    day: date
    working: bool
    note: str = ""


@cache
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]] | None:
    """(days off, make-up working days) from the `holidays` package, or None if it does not know
    that year's make-up days (and so would only be guessing)."""
    import holidays

    china: Any = holidays.country_holidays("CN", years=year)
    make_up = frozenset(d for d in china.weekend_workdays if d.year == year)
    if not make_up:
        return None
    return frozenset(d for d in china if d.year == year), make_up


def package_knows(year: int) -> bool:
    """True if the installed `holidays` package has the State Council's announcement for `year`."""
    return _package_year(year) is not None


class WorkingCalendar:
    """China's working days, with the village's overrides on top."""

    def __init__(self, overrides: Iterable[DayOverride] = ()) -> None:
        self._overrides = {o.day: o.working for o in overrides}
        self._override_years = {d.year for d in self._overrides}

    def knows(self, year: int) -> bool:
        return year in self._override_years or package_knows(year)

    def is_working_day(self, day: date) -> bool:
        """Raises UnknownCalendarYear for a day of a year the calendar does not know."""
        if day in self._overrides:
            return self._overrides[day]
        known = _package_year(day.year)
        if known is None:
            if day.year not in self._override_years:
                raise UnknownCalendarYear(day.year)
            return day.weekday() < 5
        days_off, make_up = known
        if day in make_up:
            return True
        return day.weekday() < 5 and day not in days_off


def _check_length(length: int, minimum: int) -> None:
    if not minimum <= length <= MAX_LENGTH:
        raise ValidationError(
            N_("A period or deadline must be between {minimum} and {maximum} days, not {length}."),
            field="length",
            minimum=minimum,
            maximum=MAX_LENGTH,
            length=length,
        )


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValidationError(N_("Unknown unit of days: {unit}"), field="unit", unit=unit)


def add_working_days(start: date, n: int, calendar: WorkingCalendar | None = None) -> date:
    """The n-th working day after `start` (`start` itself not counted); `start` when n is 0."""
    _check_length(n, 0)
    cal = calendar or WorkingCalendar()
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day


def period_end(start: date, length: int, unit: str = DAYS, calendar: WorkingCalendar | None = None) -> date:
    """The last day of a period of `length` days (or working days) whose first day is `start`."""
    _check_unit(unit)
    _check_length(length, 1)
    if unit == DAYS:
        return start + timedelta(days=length - 1)
    cal = calendar or WorkingCalendar()
    day = start
    while not cal.is_working_day(day):  # posted on a day off: day 1 is the next working day
        day += timedelta(days=1)
    return add_working_days(day, length - 1, cal)


def deadline(start: date, n: int, unit: str = DAYS, calendar: WorkingCalendar | None = None) -> date:
    """The last day of "within n days (or working days) of `start`", the day of `start` not counted."""
    _check_unit(unit)
    _check_length(n, 0)
    if unit == DAYS:
        return start + timedelta(days=n)
    return add_working_days(start, n, calendar)
