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
