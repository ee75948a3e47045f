"""An official document as plain data, and the one function that prints it to PDF.

Rooms build an `OfficialDocument` from their service's plain data (never from models) and
call `render`; the archive calls the same `render`, so a document prints the same everywhere.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO, Literal

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from villagegov import __version__
from villagegov.core.charts import BarChart
from villagegov.core.files import atomic_path
from villagegov.core.i18n import document_date
from villagegov.printing import flowables
from villagegov.printing.charts import ChartFlowable
from villagegov.printing.fonts import FontSet, Role, font_set
from villagegov.printing.template import Geometry, OfficialDocTemplate, Paper, Styles

Align = Literal["justify", "left", "centre", "right"]
ALIGNMENTS = {"justify": TA_JUSTIFY, "left": TA_LEFT, "centre": TA_CENTER, "right": TA_RIGHT}


@dataclass(frozen=True)
class Heading:
    """一、 (level 1, 黑体), （一） (level 2, 楷体), 1. (level 3, 仿宋); the text carries its own numeral."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Text:
    """A paragraph of body text; `indent` gives the first line its two-character indent."""

    text: str
    indent: bool = True
    align: Align = "justify"


@dataclass(frozen=True)
class TableBlock:
    """A ruled table; the header repeats on each page; `total_rows` last rows print in 黑体."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    total_rows: int = 0


@dataclass(frozen=True)
class BlankLine:
    lines: int = 1


@dataclass(frozen=True)
class ChartBlock:
    """A bar chart `lines` body lines high (nine lines: about a third of an A4 text block)."""

    chart: BarChart
    lines: int = 9


Block = Heading | Text | TableBlock | BlankLine | ChartBlock


@dataclass(frozen=True)
class Signature:
    """Who signs (the body whose seal is pressed over it) and the date signed."""

    body: str
    on: date


@dataclass(frozen=True)
class OfficialDocument:
    title: str
    blocks: tuple[Block, ...] = ()
    number: str = ""
    signature: Signature | None = None
    paper: Paper = Paper.A4
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = field(default=())


def _block_flowables(block: Block, fonts: FontSet, styles: Styles, geometry: Geometry) -> list[Flowable]:
    if isinstance(block, Heading):
        style, role = {
            1: (styles.heading1, Role.HEI),
            2: (styles.heading2, Role.KAI),
        }.get(block.level, (styles.heading3, Role.FANGSONG))
        return [flowables.text(fonts, block.text, style, role)]
    if isinstance(block, Text):
        base = styles.body if block.indent else styles.plain
        style = ParagraphStyle(f"{base.name}-{block.align}", parent=base, alignment=ALIGNMENTS[block.align])
        return [flowables.text(fonts, line, style, Role.FANGSONG) for line in block.text.split("\n")]
    if isinstance(block, TableBlock):
        parts: list[Flowable] = []
        if block.caption:
            parts.append(flowables.text(fonts, block.caption, styles.caption, Role.HEI))
        parts.append(flowables.table(fonts, styles, geometry, block.header, block.rows, block.total_rows))
        parts.append(Spacer(1, geometry.line_pitch / 2))
        # A caption is never left alone at the foot of a page.
        return [CondPageBreak(geometry.line_pitch * 4), *parts]
    if isinstance(block, ChartBlock):
        return [ChartFlowable(fonts, geometry, block.chart, block.lines), Spacer(1, geometry.line_pitch / 2)]
    return [Spacer(1, geometry.line_pitch * block.lines)]


def story(doc: OfficialDocument, fonts: FontSet, geometry: Geometry) -> list[Flowable]:
    """The flowables of a document; raises GlyphsMissing before anything is written."""
    styles = Styles.build(geometry, fonts)
    parts: list[Flowable] = [flowables.title(fonts, doc.title, styles.title, geometry.text_width)]
    if doc.number:
        parts.append(flowables.text(fonts, doc.number, styles.number, Role.FANGSONG))
    for block in doc.blocks:
        parts.extend(_block_flowables(block, fonts, styles, geometry))
    if doc.signature is not None:
        signature = flowables.SignatureBlock(
            fonts, geometry, doc.signature.body, document_date(doc.signature.on)
        )
        # The signature never stands alone on a page: it takes the last line of text (or the last
        # chart) with it, with the spacing after it. A table that ends the document is left to split
        # across pages as it must.
        start = len(parts)
        while start > 1 and isinstance(parts[start - 1], Spacer):
            start -= 1
        if start > 1 and not isinstance(parts[start - 1], Table):
            start -= 1
        tail: Sequence[Flowable] = parts[start:]
        parts = [*parts[:start], KeepTogether([*tail, signature])]
    return parts


def write(doc: OfficialDocument, out: BinaryIO | str) -> int:
    """Lay the document out into `out`; returns the number of pages."""
    fonts = font_set()
    geometry = Geometry.for_paper(doc.paper)
    parts = story(doc, fonts, geometry)
    template = OfficialDocTemplate(
        out,
        geometry,
        fonts,
        title=doc.title,
        author=doc.author or (doc.signature.body if doc.signature else ""),
        subject=doc.subject,
        keywords=list(doc.keywords),
        creator=f"villagegov {__version__}",
        producer=f"villagegov {__version__}",
    )
    template.build(parts)
    return template.page


def render(doc: OfficialDocument, path: Path | str) -> Path:
    """Print to a PDF file: written beside the target and moved into place only when whole."""
    target = Path(path)
    with atomic_path(target) as tmp:
        write(doc, str(tmp))
    return target


def render_bytes(doc: OfficialDocument) -> bytes:
    """The PDF in memory, for the preview."""
    buffer = io.BytesIO()
    write(doc, buffer)
    return buffer.getvalue()
