"""The official page, read back from the PDF: text, embedded fonts, paper, and placement."""

from __future__ import annotations

import itertools
import re
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
    Appendix,
    AttachmentNote,
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
    monkeypatch.setenv(fonts.BUNDLED_FONTS_ENV, "0")
    target = tmp_path / "out" / "notice.pdf"
    with pytest.raises(GlyphsMissing):
        render(notice(extra="王𠮷"), target)
    assert not target.exists()
    assert not list(target.parent.glob("*"))


def test_a_rare_name_prints_with_a_fallback_font_embedded(tmp_path: Path) -> None:
    if not any(f.covers("𠮷") for f in fonts.font_set().fallbacks):
        pytest.skip("no Extension B font: resources/fonts/HanaMinB.ttf is missing")
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
        pytest.skip("no Extension B font: resources/fonts/HanaMinB.ttf is missing")
    paragraphs = tuple(Text("𠮷" + "村" * n + "，" + "民" * 40) for n in range(20, 34))
    path = render(OfficialDocument(title="标点", blocks=paragraphs), tmp_path / "p.pdf")
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "，" not in [line.strip()[:1] for line in lines.splitlines() if line.strip()]


@pytest.mark.parametrize("mark", ["“", "（", "《", "〔", "【", "‘"])
def test_no_line_of_body_text_ends_with_an_opening_mark(
    tmp_path: Path, needs_poppler: None, mark: str
) -> None:
    """Wherever the mark falls, it goes over to the next line with the word it opens."""
    closing = {"“": "”", "（": "）", "《": "》", "〔": "〕", "【": "】", "‘": "’"}[mark]
    paragraphs = tuple(Text("村" * n + mark + "两委" + closing + "民" * 40) for n in range(20, 34))
    path = render(OfficialDocument(title="标点", blocks=paragraphs), tmp_path / "p.pdf")
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    shown = [line.strip() for line in lines.splitlines() if line.strip()]
    assert not [line for line in shown if line.endswith(mark)]
    assert sum(line.count(mark + "两") for line in shown) == len(paragraphs)  # never parted from 两
    assert sum(line.count(mark) for line in shown) == len(paragraphs)


def test_no_line_ends_with_an_opening_mark_in_a_paragraph_that_mixes_fonts(
    tmp_path: Path, needs_poppler: None
) -> None:
    """The other line breaker (runs of several fonts), and its lines keep their full width."""
    if not any(f.covers("𠮷") for f in fonts.font_set().fallbacks):
        pytest.skip("no Extension B font: resources/fonts/HanaMinB.ttf is missing")
    paragraphs = tuple(Text("𠮷" + "村" * n + "《村规民约》" + "民" * 40) for n in range(20, 34))
    path = render(OfficialDocument(title="标点", blocks=paragraphs), tmp_path / "p.pdf")
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    shown = [line.strip() for line in lines.splitlines() if line.strip()]
    assert not [line for line in shown if line.endswith("《")]
    assert sum(line.count("《村") for line in shown) == len(paragraphs)


def test_a_line_sent_over_early_keeps_its_width_for_centring() -> None:
    """The breaker narrows a line to push the mark over, then gives the width back: a centred or
    justified line is placed by the page's width, not by the narrowed one."""
    from reportlab.lib import textsplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    name = fonts.font_set().name(Role.SONG)
    one = stringWidth("村", name, 16)
    lines = textsplit.wordSplit("村" * 7 + "《两委》" + "民" * 10, [8 * one], name, 16)
    assert [text for _spare, text in lines][:2] == ["村" * 7, "《两委》民民民民"]
    assert lines[0][0] == pytest.approx(one)  # the width of the mark that went over, unused


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


def test_a_heading_goes_over_to_the_next_page_with_the_table_it_heads(
    tmp_path: Path, needs_poppler: None
) -> None:
    """Seen on a ceremony's follow-up record: 三、事后回访 alone at the foot of page 1, its table on 2."""
    for lines in range(14, 20):  # wherever the heading falls near the foot of the first page
        filler = tuple(Text(f"第{i}段正文，用来把第一页写满。") for i in range(lines))
        table_block = TableBlock(("项目", "内容"), tuple((f"项目{i}", "内容") for i in range(7)))
        doc = OfficialDocument(title="回访记录", blocks=(*filler, Heading("三、事后回访", 1), table_block))
        path = render(doc, tmp_path / f"t{lines}.pdf")
        pages = {w.text: w.page for w in words(path)}
        assert pages["三、事后回访"] == pages["项目0"], lines


def test_blank_rows_to_sign_in_never_take_a_page_of_their_own(tmp_path: Path) -> None:
    """Seen on a sign-in sheet: the last blank observer row alone on a second page."""
    written = (("1", "王建国", "村“两委”"), ("2", "陈淑芬", "监委会"))
    rows = (*written, *((str(n), "", "") for n in range(3, 6)))
    header = ("序号", "姓名", "列席类别")
    trimmed = 0
    for lines in range(6, 22):  # wherever the table's end falls near the foot of the first page
        filler = tuple(Text(f"第{i}段正文，用来把第一页写满。") for i in range(lines))

        def sheet(
            blank_rows: int, body: tuple[tuple[str, ...], ...] = rows, filler: tuple[Text, ...] = filler
        ) -> OfficialDocument:
            table_block = TableBlock(header, body, caption="列席人员签到", row_mm=12, blank_rows=blank_rows)
            return OfficialDocument(title="签到表", blocks=(*filler, table_block))

        with_blanks = page_texts(render(sheet(3), tmp_path / f"b{lines}.pdf"))
        without = page_texts(render(sheet(0, written), tmp_path / f"w{lines}.pdf"))
        whole = page_texts(render(sheet(0), tmp_path / f"a{lines}.pdf"))  # blanks as any other row
        assert len(with_blanks) == len(without), lines
        assert "陈淑芬" in with_blanks[-1]
        for texts in (with_blanks, without, whole):  # no page holds its number alone
            assert all(re.sub(r"—\s*\d+\s*—", "", t).strip() for t in texts), lines
        if len(whole) > len(with_blanks):
            trimmed += 1
            assert "5" not in with_blanks[-1].split()  # the blank that went over is left out
        else:
            assert len(with_blanks) == len(whole)
            assert all(str(n) in with_blanks[-1].split() for n in (3, 4, 5))
    assert trimmed  # the foot of the page was met


# --- Chinese line breaking, tables that belong together, and attachments ----------------------------


def _layout_lines(doc: OfficialDocument, path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(render(doc, path)), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [line.strip() for line in text.splitlines() if line.strip() and "—" not in line]


def test_no_line_opens_with_a_comma_or_a_closing_mark(tmp_path: Path, needs_poppler: None) -> None:
    # Left alone, reportlab broke this sentence right before the second "，" (its list of marks
    # that cannot start a line is Japanese and lacks the full-width comma).
    sentence = "经支部大会讨论，拟同意一名预备党员按期转为正式党员，现予以公示。"
    # An indented first line holds 25 characters: each mark below falls just past the line's end.
    marks = "，；：？！》”"
    blocks = (Text(sentence * 3), *(Text("公" * 25 + mark + "后文。") for mark in marks))
    lines = _layout_lines(OfficialDocument(title="关于预备党员转正的公示", blocks=blocks), tmp_path / "n.pdf")
    assert lines[1] == "经支部大会讨论，拟同意一名预备党员按期转为正式党员，"
    assert not [line for line in lines if line[0] in "，。、；：？！）》”"], lines
    assert [line for line in lines if line.startswith("公")] == ["公" * 25 + m for m in marks]


def test_a_counting_column_is_centred_and_tables_that_belong_together_line_up(
    tmp_path: Path, needs_poppler: None
) -> None:
    shares = (0.12, 0.6, 0.28)
    doc = OfficialDocument(
        title="财务收支情况公开",
        blocks=(
            TableBlock(
                ("序号", "项目", "金额（元）"), (("1", "短", "1.00"), ("2", "短", "2.00")), shares=shares
            ),
            TableBlock(
                ("序号", "项目", "金额（元）"),
                (("1", "村内道路及水渠维修（一事一议）", "14,699.50"),),
                shares=shares,
            ),
        ),
    )
    placed = words(render(doc, tmp_path / "t.pdf"))
    headings = [w for w in placed if w.text == "项目"]
    assert len(headings) == 2 and headings[0].x_min == pytest.approx(headings[1].x_min, abs=0.5)
    number_heading = next(w for w in placed if w.text == "序号")
    one = next(w for w in placed if w.text == "1")
    assert (one.x_min + one.x_max) / 2 == pytest.approx(
        (number_heading.x_min + number_heading.x_max) / 2, abs=2
    )  # centred under 序号, not pushed to the right


def test_the_attachment_note_numbers_its_items_and_wraps_under_the_name(
    tmp_path: Path, needs_poppler: None
) -> None:
    long_name = "工程现场照片及村民代表会议签到表和验收组成员签字的竣工验收单"
    doc = OfficialDocument(
        title="关于村内道路硬化工程实施结果的公示",
        blocks=(Text("正文。"), AttachmentNote(("竣工验收单", long_name))),
    )
    placed = words(render(doc, tmp_path / "a.pdf"))
    first = next(w for w in placed if w.text.startswith("附件："))
    assert first.x_min / mm == pytest.approx(28 + 2 * 16 / mm, abs=1)  # two characters in
    assert first.text == "附件：1.竣工验收单"
    second = next(w for w in placed if w.text.startswith("2."))
    wrapped = next(w for w in placed if w.y_min > second.y_max - 1 and w.page == second.page and w.x_min > 0)
    # "2." sits under "1."; the wrapped rest of a long name under the name's first character.
    label = 3 * 16  # 附件： is three characters of 16 pt
    assert second.x_min == pytest.approx(first.x_min + label, abs=2)
    assert wrapped.x_min > second.x_min + 4


def test_attachments_print_after_the_document_on_pages_of_their_own(
    tmp_path: Path, needs_poppler: None
) -> None:
    from tests.notices import samples

    doc = OfficialDocument(
        title="关于村内道路硬化工程实施结果的公示",
        number=document_number(2026, 18),
        blocks=(Text("正文。"), AttachmentNote(("现场照片", "竣工验收单"))),
        signature=Signature("青石村村民委员会", SIGNED),
        appendices=(
            Appendix("附件1", "现场照片", "image/jpeg", samples.sideways_jpeg()),
            Appendix("附件2", "竣工验收单", "application/pdf", samples.pdf_drawing(pages=2)),
            Appendix("附件3", "说明", "application/pdf", samples.pdf_with_text("说明", "第二页的文字")),
        ),
    )
    pdf = render(doc, tmp_path / "with-attachments.pdf")
    texts = page_texts(pdf)
    assert len(texts) == 5  # the notice, the photo, two pages of drawings, the explanation
    assert "附件1" in texts[1] and "现场照片" in texts[1]
    assert "附件2" in texts[2] and "竣工验收单" in texts[2] and "附件" not in texts[3]
    assert "附件3" in texts[4] and "第二页的文字" in texts[4]  # its own text, laid into the page
    for number, text in enumerate(texts, start=1):
        assert f"— {number} —" in text  # page numbers run through the attachments
    assert all(fonts_in(pdf).values())
    # The photo stands upright: stored 60 × 20, EXIF says turn it, so it prints taller than wide.
    images = PdfReader(pdf).pages[1].images
    assert len(images) == 1 and images[0].image.height > images[0].image.width
    # Each drawn page keeps its own content, scaled into the text block.
    rendered = [
        subprocess.run(
            ["pdftoppm", "-r", "20", "-gray", "-f", str(p), "-l", str(p), str(pdf)],
            check=True, capture_output=True,
        ).stdout
        for p in (3, 4)
    ]  # fmt: skip
    assert rendered[0] != rendered[1]


def test_a_short_label_is_not_broken_to_widen_a_column_of_long_text() -> None:
    """Seen on the 四议两公开 dossier: 应到、实到 broken after 实 beside a column of names."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from villagegov.printing.flowables import column_widths

    name = fonts.font_set().name(Role.SONG)
    rows = (
        ("会议", "村党组织（党支部）委员会会议"),
        ("应到、实到", "应到5人，实到5人"),
        ("出席人员", "、".join(f"委员{i}（支部委员）" for i in range(6))),
    )
    widths = column_widths(("项目", "内容"), rows, name, 12, 156 * mm)
    padding = 2 * 12 / 4  # the cell's own, a quarter of the size on each side
    assert widths[0] >= stringWidth("应到、实到", name, 12) + padding
    assert sum(widths) == pytest.approx(156 * mm)


def test_numbers_in_a_wide_table_are_never_broken(tmp_path: Path, needs_poppler: None) -> None:
    header = ("序号", "户主姓名", "身份证号", "所在小组", "联系电话", "面积（亩）", "金额（元）")
    rows = tuple(
        (str(i), "王秀英", "419901********5945", "第一村民小组", "133****4315", "11.0", "1,151.70")
        for i in range(1, 6)
    )
    pdf = render(OfficialDocument(title="补贴名单", blocks=(TableBlock(header, rows),)), tmp_path / "w.pdf")
    placed = [w.text for w in words(pdf)]
    # Before, the widest columns were squeezed alike: 419901********5 / 945 on two lines.
    assert placed.count("419901********5945") == 5 and placed.count("133****4315") == 5
    assert placed.count("1,151.70") == 5
    assert placed.count("第一村民小组") == 5  # short Chinese text kept whole where there is room


def test_body_text_is_justified_to_both_edges(tmp_path: Path, needs_poppler: None) -> None:
    """两端对齐: every line but a paragraph's last ends at the text block's right edge, even where
    quotes, digits and Latin letters make its characters of unequal width."""
    text = "根据“四议两公开”工作程序，县道拓宽征地补偿费分配方案事项经村党组织提议、村“两委”会议商议、" * 3
    text += "同意征地补偿费86万元的80%按被征地面积分配给被征地农户，20%留作村集体公积金。"
    path = render(OfficialDocument(title="两端对齐", blocks=(Text(text),)), tmp_path / "j.pdf")
    lines = [w for w in words(path) if len(w.text) > 4 and w.text != "两端对齐"]  # not the page number
    right_edge = (28 + 156) * mm
    assert len(lines) >= 5
    assert all(abs(w.x_max - right_edge) < 1.5 for w in lines[:-1]), [(w.text, w.x_max) for w in lines]
    assert lines[-1].x_max < right_edge - 16  # the last line stays as long as its text


def _list_ending(with_table_last: bool) -> OfficialDocument:
    if not with_table_last:
        return notice(rows=1000)
    # A catalogue's shape: text, then the list, then only the signature.
    return OfficialDocument(
        title="青石村2026年度村级档案案卷目录",
        blocks=(Text("本目录列出全部文书。"), TableBlock(HEADER, subsidy_rows(1000), caption="文书目录")),
        signature=Signature("青石村村民委员会", SIGNED),
    )


@pytest.mark.parametrize("with_table_last", [False, True], ids=["text after", "signature after"])
def test_a_list_of_a_thousand_rows_prints_every_row_once_in_order_page_by_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_table_last: bool
) -> None:
    """A long list is made a page at a time (memory stays flat for a year's catalogue); the pages are
    those of the same list made as one table, every row once, in order, from the first page on."""
    from villagegov.printing import flowables

    document = _list_ending(with_table_last)
    paged = page_texts(render(document, tmp_path / "paged.pdf"))
    monkeypatch.setattr(flowables, "LONG_TABLE_ROWS", 10**6)
    whole = page_texts(render(document, tmp_path / "whole.pdf"))
    assert len(paged) > 20 and paged == whole
    assert re.search(r"村民1(?!\d)", paged[0]), "the list begins on the first page, below its text"
    names = [n for text in paged for n in re.findall(r"村民(\d+)", text)]
    assert names == [str(i) for i in range(1, 1001)]
    assert all("身份证号" in text for text in paged[:-1])
