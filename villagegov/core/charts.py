"""A bar chart as plain data: the same chart is painted in a room and printed in a yearly summary.

Values are integers (counts, or amounts in whole yuan or fen as the caller says in `unit`), never
floats, so a chart shows exactly the figures of the table printed beside it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class BarChart:
    """Grouped bars (or stacked with `stacked`): one group per category, one bar per series."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""  # shown beside the value axis, e.g. "件" or "元"
    stacked: bool = False

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series {s.name!r} has {len(s.values)} values for {len(self.categories)} categories"
                )

    @property
    def highest(self) -> int:
        """The top of the value axis before rounding: the tallest bar (or stack)."""
        if not self.series or not self.categories:
            return 0
        if self.stacked:
            return max(sum(max(s.values[i], 0) for s in self.series) for i in range(len(self.categories)))
        return max(max(s.values) for s in self.series)


def nice_axis(highest: int, ticks: int = 5) -> tuple[int, int]:
    """(axis top, step) with a round step (1, 2, 5 × 10ⁿ), so gridlines fall on readable values."""
    if highest <= 0:
        return ticks, 1
    raw = -(-highest // ticks)  # ceiling division
    magnitude = 1
    while magnitude * 10 <= raw:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    return step * -(-highest // step), step


@dataclass(frozen=True)
class Bar:
    """One bar in plot units: `x` from the plot's left edge, `base` and `height` up from its axis."""

    x: float
    width: float
    base: float
    height: float
    series: int
    value: int


@dataclass(frozen=True)
class Layout:
    axis_top: int
    step: int
    bars: tuple[Bar, ...]
    labels: tuple[tuple[float, str], ...]  # (centre x, category)
    stack_totals: tuple[tuple[float, float, int], ...]  # (centre x, top, total) of each stacked group


def layout(chart: BarChart, width: float, height: float) -> Layout:
    """Where every bar goes in a plot `width` × `height`: the one geometry both painters draw."""
    axis_top, step = nice_axis(chart.highest)
    groups = max(len(chart.categories), 1)
    group_width = width / groups
    bar_width = group_width * 0.7 / (1 if chart.stacked else max(len(chart.series), 1))
    bars: list[Bar] = []
    totals: list[tuple[float, float, int]] = []
    for index in range(len(chart.categories)):
        group_x = index * group_width + group_width * 0.15
        base = 0
        for number, series in enumerate(chart.series):
            value = series.values[index]
            x = group_x if chart.stacked else group_x + number * bar_width
            bars.append(Bar(x, bar_width, height * base / axis_top, height * value / axis_top, number, value))
            if chart.stacked:
                base += value
        if chart.stacked and base:
            totals.append((group_x + bar_width / 2, height * base / axis_top, base))
    labels = tuple(((i + 0.5) * group_width, c) for i, c in enumerate(chart.categories))
    return Layout(axis_top, step, tuple(bars), labels, tuple(totals))


# Fills that stay apart in colour and in grey (a village printer is often black and white).
PALETTE: tuple[str, ...] = ("#c0392b", "#2c3e50", "#d4a017", "#7f8c8d", "#27ae60", "#8e44ad")
