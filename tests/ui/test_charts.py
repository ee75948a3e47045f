"""The chart in a room: bars painted in the series' colours, figures in the tooltip."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from villagegov.core.charts import PALETTE, BarChart, Series
from villagegov.ui.charts import BarChartView


def _colours(view: BarChartView) -> set[str]:
    image = view.grab().toImage()
    return {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }


def test_bars_are_painted_in_their_series_colours_and_the_tooltip_lists_the_figures(qtbot: QtBot) -> None:
    view = BarChartView()
    qtbot.addWidget(view)
    view.resize(640, 320)
    assert PALETTE[0] not in _colours(view)  # nothing to show yet
    chart = BarChart(
        "受理与办结", ("1月", "2月"), (Series("受理", (3, 5)), Series("办结", (2, 0))), unit="件"
    )
    view.set_chart(chart)
    colours = _colours(view)
    assert PALETTE[0] in colours and PALETTE[1] in colours
    assert "1月：受理 3，办结 2" in view.toolTip()
    assert "2月：受理 5，办结 0" in view.toolTip()


def _count(view: BarChartView, colour: str) -> int:
    image = view.grab().toImage()
    return sum(
        QColor(image.pixel(x, y)).name() == colour
        for x in range(image.width())
        for y in range(image.height())
    )


def test_an_all_zero_month_has_no_bar_only_its_legend_swatch(qtbot: QtBot) -> None:
    view = BarChartView()
    qtbot.addWidget(view)
    view.resize(400, 260)
    view.set_chart(BarChart("空", ("1月",), (Series("受理", (0,)),)))
    swatch_only = _count(view, PALETTE[0])
    view.set_chart(BarChart("空", ("1月",), (Series("受理", (1,)),)))
    with_bar = _count(view, PALETTE[0])
    assert 0 < swatch_only < with_bar / 10


def test_a_unit_wider_than_the_axis_figures_is_painted_whole(qtbot: QtBot) -> None:
    """ "items" (the English unit) used to be clipped to the width of the axis's figures ("6")."""
    from PySide6.QtGui import QFontMetrics

    view = BarChartView()
    qtbot.addWidget(view)
    view.resize(640, 320)
    view.set_chart(BarChart("Received", ("Jan", "Feb"), (Series("Claims", (6, 2)),), unit="items"))
    metrics = QFontMetrics(view.font())
    line = metrics.height()
    top = line + 10 + line * 2  # the plot's top, as the view lays it out
    image = view.grab().toImage()
    inked = [
        x
        for x in range(image.width() // 3)
        for y in range(int(top - line * 1.4), int(top - line * 0.3))
        if QColor(image.pixel(x, y)).lightness() < 128
    ]
    assert inked and max(inked) - min(inked) >= 0.8 * metrics.horizontalAdvance("items")
