"""An official document as plain data, and the one function that prints it to PDF.

Rooms build an `OfficialDocument` from their service's plain data (never from models) and
call `render`; the archive calls the same `render`, so a document prints the same everywhere.

Each document says what it is (`audience`): posted in public, or kept on file. Before it is laid out,
every text of it — title, headings, paragraphs, table cells, captions, attachment titles — goes through
`core.privacy.mask_public` with the village's `masking`: always on public paper, on paper kept on file
unless the village chose to print numbers in full there. So no room can forget a field.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO, Literal

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table
from reportlab.platypus import PageBreak as NewPage

from villagegov import __version__
from villagegov.core.charts import BarChart
from villagegov.core.files import atomic_path
from villagegov.core.i18n import document_date
from villagegov.core.privacy import DEFAULT_MASKING, Audience, Masking
from villagegov.printing import appendix as attached
from villagegov.printing import flowables
from villagegov.printing.appendix import IMAGE_TYPES, PDF_TYPE
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
    """A paragraph of body text; `indent` gives the first line its two-character indent. `verbatim`:
    a checksum or a key's fingerprint, which the app writes and masking would spoil (never a person's
    number, nor anything typed)."""

    text: str
    indent: bool = True
    align: Align = "justify"
    verbatim: bool = False


@dataclass(frozen=True)
class TableBlock:
    """A ruled table; the header repeats on each page; `total_rows` last rows print in 黑体;
    `shares` fixes the columns' parts of the width (else they follow the content)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    total_rows: int = 0
    row_mm: float = 0  # least height of a body row on A4 (room to sign a sheet); 0: as the text needs
    shares: tuple[float, ...] = ()
    blank_rows: int = 0  # the last rows are blanks to write in; those that would start a page are left out


@dataclass(frozen=True)
class BlankLine:
    lines: int = 1


@dataclass(frozen=True)
class ChartBlock:
    """A bar chart `lines` body lines high (nine lines: about a third of an A4 text block)."""

    chart: BarChart
    lines: int = 9


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page (a dossier's cover sheet, each record of a file on its own)."""


@dataclass(frozen=True)
class AttachmentNote:
    """附件说明 (GB/T 9704 7.3.3): under the body, two characters in, "附件：1.名称", each further
    name numbered under the first, a long name wrapping under its own first character."""

    titles: tuple[str, ...]


@dataclass(frozen=True)
class Together:
    """Blocks kept on one page (a posting period and how to object to it)."""

    blocks: tuple[Heading | Text | BlankLine, ...]


Block = Heading | Text | TableBlock | BlankLine | ChartBlock | PageBreak | AttachmentNote | Together


@dataclass(frozen=True)
class Appendix:
    """An attachment printed after the document (GB/T 9704 8): on a new page, its label (附件1)
    in 黑体 at the top left, its title centred on the third line, then its content: an image
    scaled into the text block, or each page of a PDF scaled into the text block of a page of its
    own. Page numbers run on."""

    label: str
    title: str
    media_type: str  # IMAGE_TYPES or PDF_TYPE
    content: bytes


SIGN_HERE = "＿" * 8  # a line to sign on by hand
BLANK_DATE = "　　年　　月　　日"  # a date to write by hand


def sign_here(label: str, signed_by: str = "", on: str = "") -> str:
    """A line signed by hand (记录人（签字）：＿＿＿＿＿＿＿＿　　　　年　　月　　日), or with the name
    and the date once it is signed."""
    return f"{label}：{signed_by or SIGN_HERE}　　{on or BLANK_DATE}"


@dataclass(frozen=True)
class Signature:
    """Who signs (the body whose seal is pressed over it) and the date signed."""

    body: str
    on: date


@dataclass(frozen=True)
class OfficialDocument:
    """A document to print. `audience`: posted in public (the default, and the safe one) or kept on
    file; each room's layout says which. `masking`: the village's rule, published contacts and choice
    for papers on file (core/privacy.py); the default masks with the default rule."""

    title: str
    blocks: tuple[Block, ...] = ()
    number: str = ""
    signature: Signature | None = None
    paper: Paper = Paper.A4
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = field(default=())
    appendices: tuple[Appendix, ...] = ()
    audience: Audience = Audience.PUBLIC
    masking: Masking = DEFAULT_MASKING


def _masked(value: object, mask: Masking) -> object:
    """Every text inside a block (and the blocks inside it) through the mask; bytes, dates and numbers
    as they are."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, tuple):
        return tuple(_masked(v, mask) for v in value)
    if (isinstance(value, Text) and value.verbatim) or isinstance(value, Masking):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _masked(getattr(value, f.name), mask) for f in fields(value) if f.init}
        return replace(value, **changes)
    return value


def masked(doc: OfficialDocument) -> OfficialDocument:
    """The document as it may be printed for its audience: every ID-card, bank card and phone number in
    every text masked (the village's published contacts in full), unless it is kept on file and the
    village prints numbers in full there."""
    if not doc.masking.masks(doc.audience):
        return doc
    m = doc.masking
    signature = doc.signature
    return replace(
        doc,
        title=m(doc.title),
        number=m(doc.number),
        blocks=tuple(_masked(b, m) for b in doc.blocks),  # type: ignore[misc]
        signature=replace(signature, body=m(signature.body)) if signature is not None else None,
        author=m(doc.author),
        subject=m(doc.subject),
        keywords=tuple(m(k) for k in doc.keywords),
        appendices=tuple(replace(a, label=m(a.label), title=m(a.title)) for a in doc.appendices),
    )


def _width(fonts: FontSet, value: str, role: Role, size: float) -> float:
    return sum(stringWidth(run, font.name, size) for font, run in fonts.runs(value, role))


def _attachment_note(
    note: AttachmentNote, fonts: FontSet, styles: Styles, geometry: Geometry
) -> list[Flowable]:
    size = geometry.body_size
    label = "附件："
    label_width = _width(fonts, label, Role.FANGSONG, size)
    numbered = len(note.titles) > 1
    parts: list[Flowable] = [Spacer(1, geometry.line_pitch / 2)]
    for index, title in enumerate(note.titles, start=1):
        number = f"{index}." if numbered else ""
        number_width = _width(fonts, number, Role.FANGSONG, size) if number else 0.0
        head = label if index == 1 else ""
        left = 2 * size + label_width + number_width  # a wrapped line starts under the name
        style = ParagraphStyle(
            f"attachment-note-{index}",
            parent=styles.plain,
            leftIndent=left,
            firstLineIndent=-(number_width + (label_width if head else 0.0)),
        )
        parts.append(flowables.text(fonts, head + number + title, style, Role.FANGSONG))
    return parts


def _block_flowables(block: Block, fonts: FontSet, styles: Styles, geometry: Geometry) -> list[Flowable]:
    if isinstance(block, Heading):
        style, role = {
            1: (styles.heading1, Role.HEI),
            2: (styles.heading2, Role.KAI),
        }.get(block.level, (styles.heading3, Role.FANGSONG))
        heading = flowables.text(fonts, block.text, style, role)
        # A heading never stands alone at the foot of a page: it goes over with what it heads.
        heading.keepWithNext = True
        return [heading]
    if isinstance(block, Text):
        base = styles.body if block.indent else styles.plain
        style = ParagraphStyle(f"{base.name}-{block.align}", parent=base, alignment=ALIGNMENTS[block.align])  # type: ignore[arg-type]  # reportlab's TA_* are ints the stubs name as Literal
        return [flowables.text(fonts, line, style, Role.FANGSONG) for line in block.text.split("\n")]
    if isinstance(block, TableBlock):
        parts: list[Flowable] = []
        if block.caption:
            parts.append(flowables.text(fonts, block.caption, styles.caption, Role.HEI))
        parts.append(
            flowables.table(
                fonts,
                styles,
                geometry,
                block.header,
                block.rows,
                block.total_rows,
                block.row_mm,
                block.shares,
                block.blank_rows,
            )
        )
        parts.append(flowables.TrailingSpace(1, geometry.line_pitch / 2))
        # A caption is never left alone at the foot of a page.
        return [CondPageBreak(geometry.line_pitch * 4), *parts]
    if isinstance(block, PageBreak):
        return [NewPage()]
    if isinstance(block, ChartBlock):
        return [ChartFlowable(fonts, geometry, block.chart, block.lines), Spacer(1, geometry.line_pitch / 2)]
    if isinstance(block, AttachmentNote):
        return _attachment_note(block, fonts, styles, geometry)
    if isinstance(block, Together):
        inner = [f for b in block.blocks for f in _block_flowables(b, fonts, styles, geometry)]
        return [KeepTogether(inner)]
    return [Spacer(1, geometry.line_pitch * block.lines)]


def _append_block(parts: list[Flowable], new: list[Flowable]) -> None:
    """Add a block's flowables after the others.

    A table's room check (its CondPageBreak) goes before the headings that lead into it: a heading
    keeps with the flowable after it, and kept with the check alone it was left at the page's foot
    while its table went over to the next page."""
    if new and isinstance(new[0], CondPageBreak):
        at = len(parts)
        while at > 1 and getattr(parts[at - 1], "keepWithNext", False):
            at -= 1
        parts.insert(at, new[0])
        new = new[1:]
    parts.extend(new)


def _appendix_flowables(
    item: Appendix,
    source: int,
    fonts: FontSet,
    styles: Styles,
    geometry: Geometry,
    placements: list[attached.Placement],
) -> list[Flowable]:
    """A new page: 附件1 in 黑体 at the top left, the title centred on the third line, the content."""
    label_style = ParagraphStyle("appendix-label", parent=styles.heading1, firstLineIndent=0)
    head: list[Flowable] = [
        NewPage(),
        flowables.text(fonts, item.label, label_style, Role.HEI),
        Spacer(1, geometry.line_pitch),
    ]
    if item.title:
        head.append(flowables.title(fonts, item.title, styles.title, geometry.text_width))
    if item.media_type in IMAGE_TYPES:
        return [*head, attached.FittedImage(item.content, geometry.text_height)]
    pages = attached.pdf_pages(item.content)
    body: list[Flowable] = [attached.PdfPagePlace(placements, source, 0, geometry.text_height)]
    for index in range(1, pages):
        body += [NewPage(), attached.PdfPagePlace(placements, source, index, geometry.text_height)]
    return [*head, *body]


def story(
    doc: OfficialDocument,
    fonts: FontSet,
    geometry: Geometry,
    placements: list[attached.Placement] | None = None,
) -> list[Flowable]:
    """The flowables of a document; raises GlyphsMissing before anything is written.

    Where an attached PDF's pages go is appended to `placements` while the story is laid out."""
    styles = Styles.build(geometry, fonts)
    parts: list[Flowable] = [flowables.title(fonts, doc.title, styles.title, geometry.text_width)]
    if doc.number:
        parts.append(flowables.text(fonts, doc.number, styles.number, Role.FANGSONG))
    for block in doc.blocks:
        _append_block(parts, _block_flowables(block, fonts, styles, geometry))
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
        if start > 1 and not isinstance(parts[start - 1], (Table, flowables.PagedTable)):
            start -= 1
        tail: Sequence[Flowable] = parts[start:]
        kept = list(tail)
        if kept and isinstance(kept[0], KeepTogether):
            # Blocks kept together (a period and how to object) join the signature's group as they
            # are: reportlab breaks the page before a KeepTogether nested in another, even with room.
            kept = [*getattr(kept[0], "_content"), *kept[1:]]  # noqa: B009 - reportlab's own, untyped
        parts = [*parts[:start], KeepTogether([*kept, signature])]
    pdfs = [a for a in doc.appendices if a.media_type == PDF_TYPE]
    for item in doc.appendices:
        source = pdfs.index(item) if item.media_type == PDF_TYPE else -1
        parts += _appendix_flowables(
            item, source, fonts, styles, geometry, placements if placements is not None else []
        )
    return parts


def write(doc: OfficialDocument, out: BinaryIO | str) -> int:
    """Lay the document out into `out`, masked for its audience; returns the number of pages."""
    doc = masked(doc)
    fonts = font_set()
    geometry = Geometry.for_paper(doc.paper)
    placements: list[attached.Placement] = []
    parts = story(doc, fonts, geometry, placements)
    pdfs = [a.content for a in doc.appendices if a.media_type == PDF_TYPE]
    target: BinaryIO | str = io.BytesIO() if pdfs else out
    template = OfficialDocTemplate(
        target,
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
    if pdfs:
        assert isinstance(target, io.BytesIO)
        merged = attached.merge_pdf_pages(target.getvalue(), pdfs, placements)
        if isinstance(out, str):
            with open(out, "wb") as fh:
                fh.write(merged)
        else:
            out.write(merged)
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
