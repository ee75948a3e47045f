"""Shared pieces of an official page: title, number, text, tables, and the signature block."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from villagegov.printing import cjk  # noqa: F401 - Chinese line breaking and justification for reportlab
from villagegov.printing.fonts import FontSet, Role
from villagegov.printing.template import Geometry, Styles

# A cell that is a number or an amount (¥1,234.50, 12, -3.5, 45%) is right-aligned.
NUMERIC = re.compile(r"^[¥￥]?-?[\d,]+(\.\d+)?%?$")
# "Nothing to show" in a column of figures (a rate of 0 out of 0): it does not make the column text.
PLACEHOLDERS = frozenset({"—", "-", "－"})


def text(fonts: FontSet, value: str, style: ParagraphStyle, role: Role) -> Paragraph:
    """A paragraph of plain text: escaped, with fallback fonts for characters the role lacks."""
    return Paragraph(fonts.markup(value, role), style)


# Columns that count rows (序号) are centred, as in any Chinese form; other numbers align right.
CENTRED_HEADINGS = ("序号", "编号", "No.")


def column_alignments(rows: Sequence[Sequence[str]], header: Sequence[str] = ()) -> list[int]:
    """Centre a 序号 column; right-align a column whose every non-empty cell is a number; others left."""
    columns = max(max((len(r) for r in rows), default=0), len(header))
    alignments = []
    for index in range(columns):
        if index < len(header) and header[index].strip() in CENTRED_HEADINGS:
            alignments.append(TA_CENTER)
            continue
        filled = [r[index].strip() for r in rows if index < len(r) and r[index].strip()]
        cells = [c for c in filled if c not in PLACEHOLDERS]
        if filled and not cells:
            alignments.append(TA_RIGHT)  # only "—": a column of figures with nothing to show yet
            continue
        numeric = bool(cells) and all(NUMERIC.match(c) for c in cells)
        alignments.append(TA_RIGHT if numeric else TA_LEFT)
    return alignments


# A cell without Chinese (an ID-card number, a phone number, an amount, a date) is never broken:
# 419901********1234 split over two lines is misread. Chinese text and headings may wrap.
UNBREAKABLE = re.compile(r"^[\x21-\x7e¥￥]*$")
MIN_WRAPPED_CHARACTERS = 4  # a wrapping column still shows this many characters a line
SHORT_CELL_CHARACTERS = 6  # cells up to this long (labels, names) are kept on one line first


def _fill(levels: Sequence[Sequence[float]], width: float) -> list[float]:
    """Widths growing level by level (each level at least the one before) until `width` is used:
    the first level that does not fit is reached in proportion to what each column still wants."""
    current = list(levels[0])
    if sum(current) >= width:  # not even the first level fits: shrink it alike
        return [w * width / sum(current) for w in current]
    for level in levels[1:]:
        wanted = [max(0.0, want - have) for want, have in zip(level, current, strict=True)]
        spare = width - sum(current)
        if sum(wanted) >= spare:
            return [have + spare * w / sum(wanted) for have, w in zip(current, wanted, strict=True)]
        current = [have + w for have, w in zip(current, wanted, strict=True)]
    spare = width - sum(current)
    return [w + spare * w / sum(current) for w in current]


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], font: str, size: float, width: float
) -> list[float]:
    """Share the text width by each column's widest cell, so short columns stay narrow.

    Columns grow in four steps as the width allows: their minimum (numbers whole; Chinese text
    at least four characters a line or its longest cell), then short cells whole (a label such as
    应到、实到 is not broken to let a column of long text grow), then their widest cell, then their
    heading on one line; what is left is shared in proportion to the widths reached."""
    padding = 0.75 * size  # the cell's own padding (a quarter of the size each side) and a little air
    minimum: list[float] = []
    content: list[float] = []
    natural: list[float] = []
    for index, title in enumerate(header):
        cells = [r[index] for r in rows if index < len(r) and r[index].strip()]
        widest = max((stringWidth(c, font, size) for c in cells), default=0.0)
        whole = bool(cells) and all(UNBREAKABLE.match(c.strip()) for c in cells)
        floor = widest if whole else min(widest, MIN_WRAPPED_CHARACTERS * size)
        minimum.append(max(floor, 2 * size) + padding)  # a heading shows two characters a line
        content.append(max(widest, 2 * size) + padding)
        natural.append(max(widest, stringWidth(title, font, size)) + padding)
    short = [
        max(low, min(want, SHORT_CELL_CHARACTERS * size + padding))
        for low, want in zip(minimum, content, strict=True)
    ]
    return _fill((minimum, short, content, natural), width)


# Tables longer than this are laid out a page at a time (a year's catalogue has thousands of rows:
# made whole, its cells' paragraphs held ~20 KB a row for the whole layout).
LONG_TABLE_ROWS = 120


def table(
    fonts: FontSet,
    styles: Styles,
    geometry: Geometry,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    total_rows: int = 0,
    row_mm: float = 0,
    shares: Sequence[float] = (),
    blank_rows: int = 0,
) -> Flowable:
    """A ruled table whose header repeats on every page; the last `total_rows` rows in 黑体.

    `row_mm` > 0 gives each body row at least that height (scaled with the paper), e.g. to sign in.
    `shares` fixes each column's part of the text width (tables that belong together, such as the
    income and expenditure of one statement, then line up); otherwise widths follow the content.
    Widths and alignments are the whole table's, also when a long one is made a page at a time.
    The last `blank_rows` rows are empty ones to write in: see BlankTailTable (not for a long table).
    """
    alignments = column_alignments(rows[: len(rows) - total_rows] if total_rows else rows, header)
    cell_styles = [
        ParagraphStyle(f"cell{i}", parent=styles.cell, alignment=cast(_Alignment, a))
        for i, a in enumerate(alignments)
    ]
    bold_styles = [
        ParagraphStyle(f"total{i}", parent=s, fontName=fonts.name(Role.HEI))
        for i, s in enumerate(cell_styles)
    ]
    if shares and len(shares) == len(header):
        widths = [geometry.text_width * share / sum(shares) for share in shares]
    else:
        widths = column_widths(header, rows, fonts.name(Role.SONG), geometry.table_size, geometry.text_width)
    pad = geometry.table_size / 4
    least = row_mm * mm * geometry.table_size / 12
    style = TableStyle(
        [
            # Tables otherwise set Helvetica on the canvas, which would then sit unembedded in the file.
            ("FONT", (0, 0), (-1, -1), fonts.name(Role.SONG), geometry.table_size),
            ("GRID", (0, 0), (-1, -1), 0.5 * geometry.table_size / 12, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ]
    )

    # Rows made for a page but not placed on it are made once: the next page takes them as they are.
    made: dict[int, tuple[list[Paragraph], float | None]] = {}

    def row(row_index: int) -> tuple[list[Paragraph], float | None]:
        """A body row's cells, and its height when rows have a least height."""
        if row_index in made:
            return made[row_index]
        is_total = row_index >= len(rows) - total_rows
        row_styles = bold_styles if is_total else cell_styles
        role = Role.HEI if is_total else Role.SONG
        values = list(rows[row_index]) + [""] * (len(header) - len(rows[row_index]))
        cells = [text(fonts, c, row_styles[i], role) for i, c in enumerate(values)]
        height: float | None = None
        if row_mm > 0:
            # At least that high; a row whose wrapped text needs more keeps what it needs.
            needed = max(cell.wrap(w - 2 * pad, 10_000)[1] for cell, w in zip(cells, widths, strict=True))
            height = max(least, needed + 2 * pad)
        made[row_index] = cells, height
        return cells, height

    def rows_table(first: int, stop: int, blanks: int = 0) -> Table:
        """The header and rows[first:stop], of which the last `blanks` are to write in."""
        for placed in [i for i in made if i < first]:
            del made[placed]
        body = [row(i) for i in range(first, stop)]
        data = [[text(fonts, h, styles.header_cell, Role.HEI) for h in header], *(cells for cells, _ in body)]
        heights = [None, *(height for _, height in body)] if row_mm > 0 else None
        result = BlankTailTable(
            data, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="CENTER", blanks=blanks
        )
        result.setStyle(style)
        return result

    if len(rows) <= LONG_TABLE_ROWS:
        return rows_table(0, len(rows), min(max(blank_rows, 0), len(rows)))
    return PagedTable(rows_table, 0, len(rows))


class TrailingSpace(Spacer):
    """Space after a block that shrinks to what is left at the foot of a page: a table that ends
    there does not push it, alone, onto a page of its own."""

    _ZEROSIZE = True  # reportlab's frame then offers it whatever room is left, even none

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, max(0.0, min(self.height, available_height))


_Alignment = Literal[0, 1, 2, 4]  # reportlab's TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY


def _row_count(table: Flowable) -> int:
    """The rows of a Table (or of a part its split made), header included."""
    cells: list[Any] = getattr(table, "_cellvalues")  # noqa: B009 - reportlab's own, untyped
    return len(cells)


class BlankTailTable(Table):
    """A Table whose last `blanks` body rows are empty ones to write in (a sign-in sheet's rows for
    whoever comes unannounced). Blanks that would go over to a new page after the last written row
    are left out: they never take a page of their own."""

    def __init__(self, *args: Any, blanks: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # reportlab's split makes the parts with self.__class__
        self.blanks = blanks

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        if len(parts) < 2 or not self.blanks:
            return parts
        written = _row_count(self) - self.repeatRows - self.blanks
        placed = _row_count(parts[0]) - self.repeatRows
        if placed >= written:
            return parts[:1]  # the rest holds blanks only
        rest: Any = parts[1]  # made by reportlab as self.__class__
        rest.blanks = self.blanks  # all of them are still to come
        return parts


class PagedTable(Flowable):
    """A long table made a page at a time: each split makes a few more rows than the last page held,
    keeps what fits, and leaves the rest unmade. The pages look as one Table's would."""

    def __init__(self, make: Callable[[int, int], Table], first: int, stop: int, chunk: int = 40) -> None:
        super().__init__()
        self._make = make
        self._first = first
        self._stop = stop
        self._chunk = chunk  # rows to make for the next page
        self._whole: Table | None = None
        self.hAlign = "CENTER"  # as the Table it stands for

    def _last_part(self) -> Table | None:
        """The whole rest, once it is short enough to be one Table."""
        if self._whole is None and self._stop - self._first <= self._chunk:
            self._whole = self._make(self._first, self._stop)
        return self._whole

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        whole = self._last_part()
        if whole is not None:
            self.width, self.height = whole.wrap(available_width, available_height)
            return self.width, self.height
        # More than a page: taller than any frame, so the frame asks for a split.
        self.width, self.height = available_width, available_height + 1
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        whole = self._last_part()
        if whole is not None:
            return whole.split(available_width, available_height)
        chunk = self._chunk
        while True:
            stop = min(self._first + chunk, self._stop)
            parts = self._make(self._first, stop).split(available_width, available_height)
            if len(parts) > 1 or stop == self._stop:
                break
            if not parts:
                return []
            chunk *= 2  # all of them fit: the page holds more
        if len(parts) < 2:
            return parts
        placed = _row_count(parts[0]) - 1  # the rows on this page, beside the header
        if placed <= 0:
            return []
        rest = PagedTable(self._make, self._first + placed, self._stop, placed + placed // 5 + 2)
        return [parts[0], rest]

    def draw(self) -> None:
        whole = self._last_part()
        if whole is not None:
            whole.drawOn(self.canv, 0, 0)


class SignatureBlock(Flowable):
    """The signing body over the date, the date four characters from the right edge.

    GB/T 9704 7.3.5: the date (Arabic numerals, month and day not padded) sits four characters
    in from the right; the signing body is centred on the date; the seal is pressed over both,
    so the block keeps a seal's height of blank space above the signing body.
    """

    SEAL_DIAMETER_MM = 42

    def __init__(self, fonts: FontSet, geometry: Geometry, body: str, date_text: str) -> None:
        super().__init__()
        self.fonts = fonts
        self.geometry = geometry
        self.body = body
        self.date_text = date_text
        fonts.check(body, Role.FANGSONG)
        fonts.check(date_text, Role.FANGSONG)

    def _width_of(self, value: str) -> float:
        size = self.geometry.body_size
        return sum(stringWidth(run, font.name, size) for font, run in self.fonts.runs(value, Role.FANGSONG))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        g = self.geometry
        self.width = available_width
        # Two lines of blank space for the upper half of the seal, then body and date.
        self.height = 4 * g.line_pitch
        return self.width, self.height

    def _draw_line(self, x: float, y: float, value: str) -> None:
        size = self.geometry.body_size
        for font, run in self.fonts.runs(value, Role.FANGSONG):
            self.canv.setFont(font.name, size)
            self.canv.drawString(x, y, run)
            x += stringWidth(run, font.name, size)

    def draw(self) -> None:
        g = self.geometry
        size = g.body_size
        date_width = self._width_of(self.date_text)
        body_width = self._width_of(self.body)
        date_right = self.width - 4 * size
        centre = date_right - date_width / 2
        # A long signing body is kept inside the text block, two characters from its edge.
        body_x = min(centre - body_width / 2, self.width - 2 * size - body_width)
        date_y = g.line_pitch * 0.3
        self._draw_line(max(body_x, 0), date_y + g.line_pitch, self.body)
        self._draw_line(date_right - date_width, date_y, self.date_text)


# Without a word segmenter, titles break well after these characters and phrase-ending words,
# or before the words that open the second half of a typical notice title.
BREAK_AFTER = "年度的于和与及、，：）》”"
BREAK_AFTER_WORDS = ("关于", "补贴", "工程", "对象", "人员", "保障", "资金", "项目", "情况", "方案", "村民")
BREAK_BEFORE = (
    "公示", "公告", "通知", "名单", "决议", "情况", "方案", "记录", "报告", "结果",
    "发放", "面积", "实施", "分配", "使用", "申请", "拟聘", "收支", "的",
)  # fmt: skip


def _break_cost(value: str, position: int, ideal: float) -> float:
    before, after = value[position - 1], value[position]
    if before.isdigit() and after.isdigit():
        return float("inf")  # never split 2026 or an amount
    head, tail = value[:position], value[position:]
    friendly = before in BREAK_AFTER or head.endswith(BREAK_AFTER_WORDS) or tail.startswith(BREAK_BEFORE)
    return abs(position - ideal) + (0 if friendly else 4)


def balanced_lines(value: str, font: str, size: float, width: float) -> list[str]:
    """Break a long title into lines of nearly equal length (GB/T 9704 asks for a symmetric shape).

    Left to itself the paragraph would fill the first line and leave one character on the
    next; instead take the fewest lines that fit, break near the even share, and prefer
    breaking after 年/的/关于 or before the closing 公示/通知 so words stay whole.
    """
    if stringWidth(value, font, size) <= width or len(value) < 2:
        return [value]
    lines = 2
    while lines < len(value):
        ideal = len(value) / lines
        candidates = [p for p in range(1, len(value)) if stringWidth(value[:p], font, size) <= width]
        if candidates:
            best = min(candidates, key=lambda p: _break_cost(value, p, ideal))
            rest = balanced_lines(value[best:], font, size, width) if lines > 2 else [value[best:]]
            chunks = [value[:best], *rest]
            if len(chunks) <= lines and all(stringWidth(c, font, size) <= width for c in chunks):
                return chunks
        lines += 1
    return list(value)


def title(fonts: FontSet, value: str, style: ParagraphStyle, width: float) -> Paragraph:
    """The document title: centred, 小标宋, long titles in balanced lines."""
    lines = balanced_lines(value, style.fontName, style.fontSize, width)
    return Paragraph("<br/>".join(fonts.markup(line, Role.TITLE) for line in lines), style)
