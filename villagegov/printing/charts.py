"""A bar chart on the official page, drawn with the document's own embedded fonts."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from villagegov.core.charts import PALETTE, BarChart, layout, nice_axis
from villagegov.printing.fonts import FontSet, Role
from villagegov.printing.template import Geometry


class ChartFlowable(Flowable):
    """Title, legend, value axis with gridlines, bars with their values, category names below."""

    def __init__(self, fonts: FontSet, geometry: Geometry, chart: BarChart, lines: int) -> None:
        super().__init__()
        self.fonts = fonts
        self.geometry = geometry
        self.chart = chart
        self.lines = lines
        # Refuse before anything is drawn, naming the character, as every other block does.
        for text in (chart.title, chart.unit, *chart.categories, *(s.name for s in chart.series)):
            fonts.check(text, Role.SONG)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.lines * self.geometry.line_pitch
        return self.width, self.height

    def _text(
        self, x: float, y: float, value: str, size: float, role: Role = Role.SONG, anchor: str = "left"
    ) -> None:
        width = sum(stringWidth(run, f.name, size) for f, run in self.fonts.runs(value, role))
        if anchor == "centre":
            x -= width / 2
        elif anchor == "right":
            x -= width
        for font, run in self.fonts.runs(value, role):
            self.canv.setFont(font.name, size)
            self.canv.drawString(x, y, run)
            x += stringWidth(run, font.name, size)

    def _value_label(
        self, placed: list[tuple[float, float, float]], centre: float, y: float, value: str, size: float
    ) -> None:
        """A bar's value over it, raised above a neighbour's label it would otherwise overprint (narrow
        bars of similar height side by side: 20,000 and 18,000 ran into each other)."""
        width = sum(stringWidth(run, f.name, size) for f, run in self.fonts.runs(value, Role.SONG))
        left, right = centre - width / 2, centre + width / 2
        moved = True
        while moved:  # each move is upwards, past one label: it ends
            moved = False
            for other_left, other_right, other_y in placed:
                if left < other_right and other_left < right and abs(y - other_y) < size * 1.1:
                    y, moved = other_y + size * 1.2, True  # clear of the test above, whatever the rounding
        placed.append((left, right, y))
        self._text(centre, y, value, size, anchor="centre")

    def draw(self) -> None:
        chart, canv = self.chart, self.canv
        small = self.geometry.table_size * 0.85
        title_size = self.geometry.table_size * 7 / 6
        top = self.height - title_size
        self._text(self.width / 2, top, chart.title, title_size, Role.HEI, "centre")
        # Legend: one swatch and name per series, centred under the title.
        legend_y = top - title_size * 1.4
        entries = [(s.name, PALETTE[i % len(PALETTE)]) for i, s in enumerate(chart.series)]
        widths = [
            small * 1.6 + stringWidth(name, self.fonts.name(Role.SONG), small) + small for name, _c in entries
        ]
        x = (self.width - sum(widths)) / 2
        for (name, colour), width in zip(entries, widths, strict=True):
            canv.setFillColor(colors.HexColor(colour))
            canv.rect(x, legend_y, small, small * 0.8, stroke=0, fill=1)
            canv.setFillColor(colors.black)
            self._text(x + small * 1.4, legend_y, name, small)
            x += width
        axis_top = nice_axis(chart.highest)[0]
        label_width = stringWidth(f"{axis_top:,}", self.fonts.name(Role.SONG), small) + small
        left, right = label_width + small, self.width - small
        bottom, plot_top = small * 2.5, legend_y - small * 1.5
        height = plot_top - bottom
        plot = layout(chart, right - left, height)
        canv.setLineWidth(0.4)
        canv.setStrokeColor(colors.grey)
        for value in range(0, plot.axis_top + 1, plot.step):
            y = bottom + height * value / plot.axis_top
            canv.line(left, y, right, y)
            self._text(left - small * 0.4, y - small * 0.35, f"{value:,}", small, anchor="right")
        if chart.unit:
            self._text(left - small * 0.4, plot_top + small * 1.1, chart.unit, small, anchor="right")
        canv.setStrokeColor(colors.black)
        canv.line(left, bottom, right, bottom)
        for bar in plot.bars:
            canv.setFillColor(colors.HexColor(PALETTE[bar.series % len(PALETTE)]))
            canv.rect(left + bar.x, bottom + bar.base, bar.width, bar.height, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        # Values after all the bars, so that no neighbour's bar is painted over a value.
        value_size = small * 0.85
        per_group = max(len(chart.series), 1)
        placed: list[tuple[float, float, float]] = []  # this group's value labels: left, right, baseline
        for number, bar in enumerate(plot.bars):
            if number % per_group == 0:
                placed = []
            if bar.value and not chart.stacked:
                top = bottom + bar.base + bar.height + small * 0.2
                self._value_label(placed, left + bar.x + bar.width / 2, top, f"{bar.value:,}", value_size)
        for x, top, total in plot.stack_totals:
            self._text(left + x, bottom + top + small * 0.2, f"{total:,}", value_size, anchor="centre")
        for x, category in plot.labels:
            self._text(left + x, bottom - small * 1.3, category, small, anchor="centre")
