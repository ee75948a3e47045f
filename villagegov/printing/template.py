"""The official page: GB/T 9704-2012 proportions, A4 and its A3 enlargement for the board.

A4: top margin 37 mm, binding (left) margin 28 mm, text block 156 mm × 225 mm; title 22 pt
(2号), body 16 pt (3号) with a 29 pt line pitch (22 lines a page); page numbers in 14 pt (4号)
宋体 as "— 1 —", 7 mm below the text block, odd pages right and even pages left, one
character in. A3 is A4 scaled by √2 in both directions, so every measure scales with it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from math import sqrt
from typing import IO, Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from villagegov.printing.fonts import FontSet, Role


class Paper(enum.Enum):
    A4 = "a4"
    A3 = "a3"


@dataclass(frozen=True)
class Geometry:
    """Every measure of the page in points, for one paper size."""

    page_width: float
    page_height: float
    left: float
    top: float
    text_width: float
    text_height: float
    title_size: float
    body_size: float
    line_pitch: float
    table_size: float
    page_number_size: float
    page_number_gap: float

    @property
    def bottom(self) -> float:
        return self.page_height - self.top - self.text_height

    @classmethod
    def for_paper(cls, paper: Paper) -> Geometry:
        scale = 1.0 if paper is Paper.A4 else sqrt(2)
        width, height = A4 if paper is Paper.A4 else A3
        return cls(
            page_width=width,
            page_height=height,
            left=28 * mm * scale,
            top=37 * mm * scale,
            text_width=156 * mm * scale,
            text_height=225 * mm * scale,
            title_size=22 * scale,
            body_size=16 * scale,
            # 225 mm / 22 lines: the pitch that puts exactly 22 lines on a page.
            line_pitch=225 * mm / 22 * scale,
            table_size=12 * scale,
            page_number_size=14 * scale,
            page_number_gap=7 * mm * scale,
        )


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one paper size and font set."""

    title: ParagraphStyle
    number: ParagraphStyle
    body: ParagraphStyle
    plain: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    caption: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle

    @classmethod
    def build(cls, geometry: Geometry, fonts: FontSet) -> Styles:
        g = geometry
        body = ParagraphStyle(
            "body",
            fontName=fonts.name(Role.FANGSONG),
            fontSize=g.body_size,
            leading=g.line_pitch,
            firstLineIndent=2 * g.body_size,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        )
        cell = ParagraphStyle(
            "cell",
            fontName=fonts.name(Role.SONG),
            fontSize=g.table_size,
            leading=g.table_size * 1.4,
            wordWrap="CJK",
        )
        return cls(
            title=ParagraphStyle(
                "title",
                fontName=fonts.name(Role.TITLE),
                fontSize=g.title_size,
                leading=g.title_size * 1.5,
                alignment=TA_CENTER,
                wordWrap="CJK",
                spaceAfter=g.line_pitch / 2,
            ),
            number=ParagraphStyle(
                "number", parent=body, firstLineIndent=0, alignment=TA_CENTER, spaceAfter=g.line_pitch / 2
            ),
            body=body,
            plain=ParagraphStyle("plain", parent=body, firstLineIndent=0, alignment=TA_LEFT),
            # A heading is never left alone at the foot of a page: it goes over with what follows.
            heading1=ParagraphStyle("heading1", parent=body, fontName=fonts.name(Role.HEI), keepWithNext=1),
            heading2=ParagraphStyle("heading2", parent=body, fontName=fonts.name(Role.KAI), keepWithNext=1),
            heading3=ParagraphStyle("heading3", parent=body, keepWithNext=1),
            caption=ParagraphStyle(
                "caption",
                parent=body,
                fontName=fonts.name(Role.HEI),
                fontSize=g.table_size * 7 / 6,
                leading=g.line_pitch,
                firstLineIndent=0,
                alignment=TA_CENTER,
            ),
            cell=cell,
            header_cell=ParagraphStyle(
                "header_cell", parent=cell, fontName=fonts.name(Role.HEI), alignment=TA_CENTER
            ),
        )


def page_number_text(page: int) -> str:
    return f"— {page} —"


class OfficialDocTemplate(BaseDocTemplate):
    """One frame the size of the text block, page numbers drawn in the official place."""

    def __init__(self, target: str | IO[bytes], geometry: Geometry, fonts: FontSet, **kwargs: Any) -> None:
        g = geometry
        super().__init__(
            target,
            pagesize=(g.page_width, g.page_height),
            leftMargin=g.left,
            rightMargin=g.page_width - g.left - g.text_width,
            topMargin=g.top,
            bottomMargin=g.bottom,
            # Start every page in the Chinese font, so no unembedded Helvetica is left behind.
            initialFontName=fonts.name(Role.SONG),
            **kwargs,
        )
        self.geometry = g
        self.fonts = fonts
        frame = Frame(
            g.left,
            g.bottom,
            g.text_width,
            g.text_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="text",
        )
        self.addPageTemplates([PageTemplate(id="official", frames=[frame], onPage=self._draw_page_number)])

    def _draw_page_number(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        g = self.geometry
        font = self.fonts.name(Role.SONG)
        size = g.page_number_size
        text = page_number_text(canvas.getPageNumber())
        width = stringWidth(text, font, size)
        # The top of the figures sits 7 mm below the text block; one character in from its edge.
        baseline = g.bottom - g.page_number_gap - size * 0.8
        x = g.left + g.text_width - size - width if canvas.getPageNumber() % 2 else g.left + size
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.drawString(x, baseline, text)
        canvas.restoreState()
