"""The official page, read back from the PDF: text, embedded fonts, paper, and placement."""

from __future__ import annotations

import itertools
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from tests.printing.conftest import BASE14, fonts_in, page_texts, words
from villagegov.core.numbering import document_number
from villagegov.printing import fonts
from villagegov.printing.document import (
    BlankLine,
    Heading,
    OfficialDocument,
    Signature,
    TableBlock,
    Text,
    render,
    render_bytes,
)
from villagegov.printing.flowables import balanced_lines
from villagegov.printing.fonts import GlyphsMissing, Role
from villagegov.printing.template import Paper

SIGNED = date(2026, 11, 23)
HEADER = ("序号", "姓名", "身份证号", "组别", "金额（元）")


def subsidy_rows(count: int) -> tuple[tuple[str, ...], ...]:
    return tuple((str(i), f"村民{i}", "110105********1234", "第1组", "125.50") for i in range(1, count + 1))


def notice(paper: Paper = Paper.A4, rows: int = 3, extra: str = "") -> OfficialDocument:
    return OfficialDocument(
        title="青石村2026年度耕地地力保护补贴发放名单公示",
        number=document_number(2026, 12),
        blocks=(
            Text("各村民小组、全体村民：", indent=False),
            Text("经村民代表会议决议，现将补贴发放名单予以公示。" + extra),
            Heading("一、补贴标准"),
            Heading("（一）发放范围", level=2),
            TableBlock(HEADER, subsidy_rows(rows), caption="补贴发放名单"),
            BlankLine(),
            Text("公示期：2026年11月23日至2026年11月29日"),
        ),
        signature=Signature("青石村村民委员会", SIGNED),
        paper=paper,
    )


def test_a4_notice_reads_back_with_its_text_and_page_size(tmp_path: Path) -> None:
    pdf = render(notice(), tmp_path / "notice.pdf")
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (210, 297)
    text = "".join(page_texts(pdf))
    for expected in ("耕地地力保护补贴", "〔2026〕12号", "各村民小组", "一、补贴标准", "110105********1234"):
        assert expected in text
    assert "青石村村民委员会" in text
    assert "2026年11月23日" in text  # month and day not zero-padded
    assert reader.metadata is not None and reader.metadata.title == notice().title


def test_a3_copy_for_the_board_scales_the_whole_page(tmp_path: Path, needs_poppler: None) -> None:
    a4 = render(notice(), tmp_path / "a4.pdf")
    a3 = render(notice(Paper.A3), tmp_path / "a3.pdf")
    box = PdfReader(a3).pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (297, 420)
    small = next(w for w in words(a4) if "各村民小组" in w.text)
    large = next(w for w in words(a3) if "各村民小组" in w.text)
    assert large.x_min / small.x_min == pytest.approx(2**0.5, rel=0.02)
    assert (large.y_max - large.y_min) / (small.y_max - small.y_min) == pytest.approx(2**0.5, rel=0.05)


def test_every_font_is_embedded_and_no_viewer_substitution_is_left(tmp_path: Path) -> None:
    pdf = render(notice(rows=40), tmp_path / "notice.pdf")
    used = fonts_in(pdf)
    assert used, "no fonts found in the PDF"
    assert all(used.values()), used
    assert not {name.split("+")[-1] for name in used} & BASE14


def test_margins_follow_gb_t_9704(tmp_path: Path, needs_poppler: None) -> None:
    pdf = render(notice(), tmp_path / "notice.pdf")
    placed = words(pdf)
    # The unindented salutation starts at the 28 mm binding margin.
    salutation = next(w for w in placed if w.text.startswith("各村民小组"))
    assert salutation.x_min / mm == pytest.approx(28, abs=1)
    # The title's first line sits at the 37 mm top margin (its glyphs start a little lower).
    title = min(placed, key=lambda w: w.y_min)
    assert 37 <= title.y_min / mm <= 37 + 10
    # The body paragraph is indented two characters of 16 pt.
    body = next(w for w in placed if w.text.startswith("经村民代表会议"))
    assert (body.x_min - salutation.x_min) == pytest.approx(32, abs=2)


def test_signature_date_sits_four_characters_from_the_right_with_the_body_centred_on_it(
    tmp_path: Path, needs_poppler: None
) -> None:
    pdf = render(notice(), tmp_path / "notice.pdf")
    placed = words(pdf)
    signed = next(w for w in placed if w.text == "2026年11月23日")
    body = next(w for w in placed if w.text == "青石村村民委员会")
    right_edge = (28 + 156) * mm
    assert right_edge - signed.x_max == pytest.approx(4 * 16, abs=3)
    assert (body.x_min + body.x_max) / 2 == pytest.approx((signed.x_min + signed.x_max) / 2, abs=2)
    assert body.y_max <= signed.y_min  # the body above the date


def test_long_table_repeats_its_header_and_numbers_pages_odd_right_even_left(
    tmp_path: Path, needs_poppler: None
) -> None:
    pdf = render(notice(rows=80), tmp_path / "list.pdf")
    texts = page_texts(pdf)
    assert len(texts) >= 3
    for page_number, text in enumerate(texts, start=1):
        assert f"— {page_number} —" in text
    for page_number in range(1, len(texts)):  # the last page may hold only the signature
        assert "身份证号" in texts[page_number - 1], page_number
    centre = 210 * mm / 2
    for page_number in (1, 2):
        numeral = max(
            (w for w in words(pdf) if w.page == page_number and w.text == str(page_number)),
            key=lambda w: w.y_min,
        )
        # The page number's top is 7 mm below the text block (37 + 225 mm from the top).
        assert numeral.y_min / mm == pytest.approx(37 + 225 + 7, abs=1.5)
        assert (numeral.x_min > centre) == (page_number % 2 == 1)


def test_the_signature_never_stands_alone_on_a_page(tmp_path: Path) -> None:
    for rows in range(12, 30):
        pdf = render(notice(rows=rows), tmp_path / f"list{rows}.pdf")
        last = page_texts(pdf)[-1]
        assert "公示期" in last or "第1组" in last, rows


def test_a_name_no_font_can_draw_stops_printing_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    wqy = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    if not wqy.exists():
        pytest.skip("fonts-wqy-zenhei is not installed; .ci/run installs it")
    (folder / wqy.name).symlink_to(wqy)
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, str(folder))
    monkeypatch.setenv(fonts.SYSTEM_FONTS_ENV, "0")
    target = tmp_path / "out" / "notice.pdf"
    with pytest.raises(GlyphsMissing):
        render(notice(extra="王𠮷"), target)
    assert not target.exists()
    assert not list(target.parent.glob("*"))


def test_a_rare_name_prints_with_a_fallback_font_embedded(tmp_path: Path) -> None:
    if not any(f.covers("𠮷") for f in fonts.font_set().fallbacks):
        pytest.skip("no Extension B font installed (fonts-hanazono); .ci/run installs it")
    pdf = render(notice(extra="王𠮷"), tmp_path / "notice.pdf")
    assert "王𠮷" in "".join(page_texts(pdf))  # copy and search find the name too
    assert all(fonts_in(pdf).values())


def test_render_bytes_is_the_same_document(tmp_path: Path) -> None:
    data = render_bytes(notice())
    assert data.startswith(b"%PDF-")
    path = tmp_path / "n.pdf"
    path.write_bytes(data)
    assert "〔2026〕12号" in page_texts(path)[0]


@pytest.mark.parametrize(
    "title",
    [
        "青石村2026年度耕地地力保护补贴发放名单公示",
        "关于青石村2026年第三季度村级财务收支情况的公示",
        "关于2026年度村集体经济组织收益分配方案和困难群众临时救助对象及金额的公示说明",
    ],
)
def test_long_titles_break_into_balanced_lines(title: str) -> None:
    font = fonts.font_set().name(Role.TITLE)
    lines = balanced_lines(title, font, 22, 156 * mm)
    assert "".join(lines) == title
    assert len(lines) >= 2
    assert min(map(len, lines)) >= 4  # never a character or two left alone on a line
    assert max(map(len, lines)) <= 2.5 * min(map(len, lines))
    assert not any(a[-1].isdigit() and b[0].isdigit() for a, b in itertools.pairwise(lines))


def test_document_numbers_use_hexagonal_brackets_and_no_padding() -> None:
    assert document_number(2026, 1) == "〔2026〕1号"
    assert document_number(2026, 3, word="议字第") == "〔2026〕议字第3号"
    with pytest.raises(ValueError):
        document_number(2026, 0)


@pytest.mark.parametrize("mark", ["，", "：", "；", "？", "！", "”", "》", "。", "、", "）"])
def test_no_line_of_body_text_opens_with_a_punctuation_mark(
    tmp_path: Path, needs_poppler: None, mark: str
) -> None:
    """Wherever the mark falls, it never starts a line: it hangs at the end of the line before."""
    paragraphs = tuple(Text("村" * n + mark + "民" * 40) for n in range(20, 34))
    path = render(OfficialDocument(title="标点", blocks=paragraphs), tmp_path / "p.pdf")
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    starts = [line.strip()[:1] for line in lines.splitlines() if line.strip()]
    assert mark not in starts
    assert sum(line.count(mark) for line in lines.splitlines()) == len(paragraphs)


def test_no_line_opens_with_a_comma_in_a_paragraph_that_mixes_fonts(
    tmp_path: Path, needs_poppler: None
) -> None:
    """A rare name (𠮷, from a fallback font) sends the paragraph down reportlab's other line breaker."""
    if not any(f.covers("𠮷") for f in fonts.font_set().fallbacks):
        pytest.skip("no Extension B font installed (fonts-hanazono); .ci/run installs it")
    paragraphs = tuple(Text("𠮷" + "村" * n + "，" + "民" * 40) for n in range(20, 34))
    path = render(OfficialDocument(title="标点", blocks=paragraphs), tmp_path / "p.pdf")
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "，" not in [line.strip()[:1] for line in lines.splitlines() if line.strip()]


def test_a_heading_goes_over_to_the_next_page_with_the_chart_it_heads(
    tmp_path: Path, needs_poppler: None
) -> None:
    from villagegov.core.charts import BarChart, Series
    from villagegov.printing.document import ChartBlock, Heading

    filler = tuple(Text(f"第{i}段正文，用来把第一页写到只剩几行。") for i in range(17))
    chart = BarChart("各月办理情况", ("1月", "2月"), (Series("婚事", (1, 2)),))
    doc = OfficialDocument(title="年度报告", blocks=(*filler, Heading("三、节约情况", 1), ChartBlock(chart)))
    path = render(doc, tmp_path / "h.pdf")
    pages = {w.text: w.page for w in words(path)}
    assert pages["三、节约情况"] == pages["各月办理情况"] == 2
