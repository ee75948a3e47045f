"""The one chart geometry both the room and the printed summary draw."""

from __future__ import annotations

from villagegov.core.charts import BarChart, Series, layout


def test_grouped_bars_stand_side_by_side_in_their_month_with_heights_in_proportion() -> None:
    chart = BarChart("t", ("1月", "2月"), (Series("受理", (4, 2)), Series("办结", (3, 0))))
    plot = layout(chart, width=200, height=100)
    assert (plot.axis_top, plot.step) == (4, 1)
    january = [b for b in plot.bars if b.x < 100]
    assert [(b.series, b.value, b.height) for b in january] == [(0, 4, 100), (1, 3, 75)]
    assert january[0].x + january[0].width == january[1].x  # side by side, no overlap
    assert all(b.base == 0 for b in plot.bars)
    assert [c for _x, c in plot.labels] == ["1月", "2月"]


def test_stacked_bars_sit_on_each_other_and_carry_the_group_total() -> None:
    chart = BarChart("t", ("婚事",), (Series("标准内", (6,)), Series("超标", (2,))), stacked=True)
    plot = layout(chart, width=100, height=80)
    lower, upper = plot.bars
    assert lower.x == upper.x and upper.base == lower.height
    assert plot.stack_totals == ((lower.x + lower.width / 2, 80.0, 8),)
