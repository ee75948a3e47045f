"""The demo's ceremonies whatever the day of the year: twelve months behind it, two versions each
judging some of them (the demo was once built around the real date and failed on 7 December)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from villagegov.ceremonies.demo_data import demo_span


@pytest.mark.parametrize(
    "today", [date(2026, 11, 25), date(2027, 1, 1), date(2028, 2, 29), date(2026, 12, 31), date(2026, 7, 1)]
)
def test_the_demo_span_covers_the_twelve_months_up_to_today(today: date) -> None:
    first, last, adopted, revised = demo_span(today)
    assert (first, last) == (today - timedelta(days=365), today + timedelta(days=30))
    assert adopted <= first and adopted.month == adopted.day == 1
    # The revision takes effect on a month's first day, months after the first ceremony and before today.
    assert revised.day == 1 and first + timedelta(days=150) < revised < today - timedelta(days=150)
