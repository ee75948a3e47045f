"""A bar chart in a room, painted from the same plain `BarChart` the yearly summary prints.

QtCharts lives in the 60 MB PySide6-Addons wheel; a few bars and a legend do not need it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from villagegov.core.charts import PALETTE, BarChart, layout, nice_axis


class BarChartView(QWidget):
    def __init__(self, chart: BarChart | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(220)

    def set_chart(self, chart: BarChart | None) -> None:
        self.chart = chart
        self.setToolTip(self._describe() if chart else "")
        self.update()

    def _describe(self) -> str:
        """The figures as text, for the tooltip and for screen readers."""
        assert self.chart is not None
        lines = [self.chart.title]
        for index, category in enumerate(self.chart.categories):
            values = "，".join(f"{s.name} {s.values[index]}" for s in self.chart.series)
            lines.append(f"{category}：{values}")
        return "\n".join(lines)

    def sizeHint(self) -> QSize:
        return QSize(640, 300)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if self.chart is not None:
            self._paint(painter, self.chart)
        painter.end()

    def _paint(self, p: QPainter, chart: BarChart) -> None:
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        text_colour = self.palette().text().color()
        width, height = self.width(), self.height()
        title_font = self.font()
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(text_colour)
        p.drawText(QRectF(0, 4, width, line + 4), Qt.AlignmentFlag.AlignCenter, chart.title)
        p.setFont(self.font())
        # Legend, centred under the title.
        legend_y = line + 10
        entries = [(s.name, QColor(PALETTE[i % len(PALETTE)])) for i, s in enumerate(chart.series)]
        widths = [line + metrics.horizontalAdvance(name) + line for name, _c in entries]
        x = (width - sum(widths)) / 2
        for (name, colour), w in zip(entries, widths, strict=True):
            p.fillRect(QRectF(x, legend_y + 2, line * 0.8, line * 0.7), colour)
            p.drawText(QRectF(x + line, legend_y, w, line), Qt.AlignmentFlag.AlignVCenter, name)
            x += w
        axis_top = nice_axis(chart.highest)[0]
        label_width = metrics.horizontalAdvance(f"{axis_top:,}") + 8
        left, right = label_width + 8, width - 12
        top, bottom = legend_y + line * 2, height - line - 8
        plot_height = max(bottom - top, 1)
        plot = layout(chart, right - left, plot_height)
        grid = QPen(QColor("#d0d0d0"))
        for value in range(0, plot.axis_top + 1, plot.step):
            y = bottom - plot_height * value / plot.axis_top
            p.setPen(grid)
            p.drawLine(int(left), int(y), int(right), int(y))
            p.setPen(text_colour)
            p.drawText(QRectF(0, y - line / 2, label_width, line), Qt.AlignmentFlag.AlignRight, f"{value:,}")
        if chart.unit:
            # As wide as the unit needs: a word ("items") is wider than the axis's figures.
            unit_width = max(label_width, metrics.horizontalAdvance(chart.unit) + 4)
            p.drawText(QRectF(0, top - line * 1.4, unit_width, line), Qt.AlignmentFlag.AlignRight, chart.unit)
        p.setPen(text_colour)
        p.drawLine(int(left), int(bottom), int(right), int(bottom))
        for bar in plot.bars:
            rect = QRectF(left + bar.x, bottom - bar.base - bar.height, bar.width, bar.height)
            p.fillRect(rect, QColor(PALETTE[bar.series % len(PALETTE)]))
        slot = (right - left) / max(len(chart.categories), 1)
        for x, category in plot.labels:
            p.drawText(
                QRectF(left + x - slot / 2, bottom + 2, slot, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                category,
            )
