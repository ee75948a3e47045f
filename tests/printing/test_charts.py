"""Bar charts on paper: the figures a council reports to the village, readable and embedded."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.printing.conftest import fonts_in, page_texts, words
from villagegov.core.charts import BarChart, Series, nice_axis
from villagegov.printing.document import ChartBlock, OfficialDocument, TableBlock, render
from villagegov.printing.fonts import GlyphsMissing

MONTHS = tuple(f"{m}月" for m in range(1, 13))


def _chart(**kwargs: object) -> BarChart:
    values = dict(
        title="2026年红白事办理情况",
        categories=MONTHS,
        series=(
            Series("婚事", (2, 0, 1, 3, 5, 1, 0, 0, 2, 6, 4, 1)),
            Series("丧事", (1, 2, 0, 1, 0, 1, 2, 1, 0, 0, 1, 3)),
        ),
        unit="件",
    )
    values.update(kwargs)
    return BarChart(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("highest", "expected"),
    [
        (0, (5, 1)),
        (1, (1, 1)),
        (5, (5, 1)),
        (7, (8, 2)),
        (12, (15, 5)),
        (100, (100, 20)),
        (1234, (1500, 500)),
    ],
)
def test_axis_top_is_a_round_multiple_of_its_step_and_covers_the_tallest_bar(
    highest: int, expected: tuple[int, int]
) -> None:
    top, step = nice_axis(highest)
    assert (top, step) == expected
    assert top >= highest and top % step == 0


def test_stacked_chart_axis_covers_the_tallest_stack() -> None:
    chart = _chart(stacked=True)
    assert chart.highest == 6  # October: 6 weddings, no funeral
    assert chart.highest == max(
        a + b for a, b in zip(chart.series[0].values, chart.series[1].values, strict=True)
    )


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="婚事"):
        BarChart("x", MONTHS, (Series("婚事", (1, 2)),))


def test_chart_prints_its_title_legend_categories_and_values_in_embedded_fonts(
    tmp_path: Path, needs_poppler: None
) -> None:
    chart = _chart()
    doc = OfficialDocument(
        title="2026年度红白理事会工作情况报告",
        blocks=(ChartBlock(chart), TableBlock(("月份", "婚事", "丧事"), (("1月", "2", "1"),))),
    )
    path = render(doc, tmp_path / "chart.pdf")
    text = page_texts(path)[0]
    for expected in ("2026年红白事办理情况", "婚事", "丧事", "1月", "12月", "件"):
        assert expected in text
    assert all(fonts_in(path).values())
    # The October wedding bar carries its value, above the axis line and under the title.
    placed = {w.text: w for w in words(path) if w.page == 1}
    assert "6" in placed
    assert placed["2026年红白事办理情况"].y_max < placed["12月"].y_min


def test_a_category_no_font_can_draw_is_refused_naming_it(tmp_path: Path) -> None:
    chart = BarChart("统计", ("\U000f0000组",), (Series("件数", (1,)),))
    with pytest.raises(GlyphsMissing):
        render(OfficialDocument(title="统计", blocks=(ChartBlock(chart),)), tmp_path / "x.pdf")


@pytest.mark.parametrize("values", [(20_010, 19_500), (18_000, 18_000, 18_000)])
def test_values_of_narrow_neighbouring_bars_do_not_overprint(
    values: tuple[int, ...], tmp_path: Path, needs_poppler: None
) -> None:
    """Bars of similar (or equal) height side by side in a narrow month: each value is raised above the
    one it would overprint. (Equal heights once looped for ever on a rounding error.)"""
    series = tuple(Series(f"第{i}项", (0,) * 6 + (v,) + (0,) * 5) for i, v in enumerate(values, start=1))
    chart = BarChart("首次报备计划与实际花费", MONTHS, series, unit="元")
    path = render(OfficialDocument(title="节约情况", blocks=(ChartBlock(chart),)), tmp_path / "c.pdf")
    labels = [w for w in words(path) if w.text in {f"{v:,}" for v in values}]
    assert len(labels) == len(values)
    for a, b in itertools.combinations(labels, 2):
        overlap_x = a.x_min < b.x_max and b.x_min < a.x_max
        overlap_y = a.y_min < b.y_max and b.y_min < a.y_max
        assert not (overlap_x and overlap_y), (a, b)


def test_a_chart_ending_a_document_goes_over_the_page_with_its_signature(tmp_path: Path) -> None:
    """A document ending in a chart used to leave the signature alone on a page (it kept only the
    spacing after the chart); now the chart goes with it."""
    from datetime import date

    from villagegov.printing.document import Signature, Text

    # Eight lines of text: the chart still fits on the first page, the signature under it does not.
    filler = tuple(Text("本村各月红白事办理情况统计如下。") for _ in range(8))
    doc = OfficialDocument(
        title="2026年红白事办理情况统计",
        blocks=(*filler, ChartBlock(_chart())),
        signature=Signature("青石村红白理事会", date(2026, 11, 29)),
    )
    pages = page_texts(render(doc, tmp_path / "chart-last.pdf"))
    last = pages[-1].replace(" ", "")
    assert "青石村红白理事会" in last and "2026年红白事办理情况" in last  # the chart's title
    assert len(pages) == 2 and "青石村红白理事会" not in pages[0].replace(" ", "")
