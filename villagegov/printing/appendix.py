"""Attachments printed after a document (GB/T 9704 8 附件): images and the pages of PDF files.

An image is drawn by reportlab, scaled into the space left in the text block. A PDF page cannot be
drawn by reportlab, so the layout reserves its place (`PdfPagePlace`, the text block of a page of
its own, label and page number drawn as usual) and `merge_pdf_pages` lays each page of the file
into its place afterwards with pypdf, scaled to fit. The result is one PDF whose page numbers run
through the attachments.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable

from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_

if TYPE_CHECKING:
    from pypdf import PdfReader

# pypdf (~130 ms to import) and Pillow are imported where a file is read, not with the printing:
# most notices have no attachments, and the command line lists notices without printing any.

IMAGE_TYPES = ("image/png", "image/jpeg")
PDF_TYPE = "application/pdf"

# Below this a page would be too small to read; a flowable asking for more waits for a new page.
MIN_HEIGHT_SHARE = 0.5


def check_image(content: bytes) -> None:
    """Refuse an image that cannot be decoded whole (a truncated or damaged file)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(N_("The image cannot be read; it may be damaged.")) from exc


def upright_image(content: bytes) -> bytes:
    """The image as it should stand: a phone's photo turned by its EXIF orientation (reportlab
    ignores it and would print the photo on its side); other images unchanged."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            orientation = image.getexif().get(0x0112, 1)
            if orientation in (None, 1):
                return content
            turned = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            turned.convert("RGB").save(out, format="JPEG", quality=90)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(N_("The image cannot be read; it may be damaged.")) from exc


class FittedImage(Flowable):
    """An image scaled to fit the width and the height left on the page (never enlarged past
    the text block), centred."""

    def __init__(self, content: bytes, max_height: float) -> None:
        from reportlab.lib.utils import ImageReader

        super().__init__()
        self._reader = ImageReader(io.BytesIO(upright_image(content)))
        self._pixels = self._reader.getSize()
        self._max_height = max_height
        self._draw_width = self._draw_height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width, height = self._pixels
        if available_height < self._max_height * MIN_HEIGHT_SHARE:
            available_height = self._max_height  # ask for a new page rather than print it tiny
        scale = min(available_width / width, available_height / height)
        self._draw_width, self._draw_height = width * scale, height * scale
        self.width = available_width
        self.height = self._draw_height
        return self.width, self.height

    def draw(self) -> None:
        x = (self.width - self._draw_width) / 2
        self.canv.drawImage(self._reader, x, 0, self._draw_width, self._draw_height, mask="auto")


@dataclass
class Placement:
    """Where page `index` of an attached PDF goes: on page `page` (from 1), in the box x, y, w, h."""

    source: int  # which attached file (index into the document's PDF contents)
    index: int
    page: int
    x: float
    y: float
    width: float
    height: float


class PdfPagePlace(Flowable):
    """Reserves the space for one page of an attached PDF and records where it landed."""

    def __init__(self, placements: list[Placement], source: int, index: int, max_height: float) -> None:
        super().__init__()
        self._placements = placements
        self._source = source
        self._index = index
        self._max_height = max_height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_height < self._max_height * MIN_HEIGHT_SHARE:
            available_height = self._max_height
        self.width, self.height = available_width, available_height - 1  # a point to spare
        return self.width, self.height

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        self._placements.append(
            Placement(self._source, self._index, canvas.getPageNumber(), x, y, self.width, self.height)  # type: ignore[attr-defined]
        )

    def draw(self) -> None:  # pragma: no cover - drawOn does the work
        pass


def pdf_pages(content: bytes) -> int:
    """The number of pages of an attached PDF; a file that cannot be read is refused."""
    return len(_reader(content).pages)


def _reader(content: bytes) -> PdfReader:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ValidationError(
                N_("The PDF file is protected by a password; save it again without protection.")
            )
        if not reader.pages:
            raise ValidationError(N_("The PDF file has no pages."))
        return reader
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise ValidationError(N_("The PDF file cannot be read; it may be damaged.")) from exc


def merge_pdf_pages(built: bytes, sources: list[bytes], placements: list[Placement]) -> bytes:
    """Lay each attached page into its reserved box, scaled to fit and centred."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(built)))
    # Pages turned by /Rotate are turned in their content first; pypdf does that only to pages
    # that belong to a writer.
    attached = [PdfWriter(clone_from=_reader(content)) for content in sources]
    for place in placements:
        page = attached[place.source].pages[place.index]
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        scale = min(place.width / width, place.height / height)
        dx = place.x + (place.width - width * scale) / 2 - float(box.left) * scale
        dy = place.y + (place.height - height * scale) - float(box.bottom) * scale  # at the top
        writer.pages[place.page - 1].merge_transformed_page(
            page, Transformation().scale(scale, scale).translate(dx, dy)
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fonts_not_embedded(content: bytes) -> list[str]:
    """The names of the fonts an attached PDF uses without carrying them (a printer elsewhere
    would substitute another font); Type 3 fonts are drawings and always carried."""
    missing: dict[str, None] = {}
    for page in _reader(content).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type3":
                continue
            descendants = font.get("/DescendantFonts")
            holder = descendants.get_object()[0].get_object() if descendants else font
            descriptor = holder.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            if not embedded:
                missing[str(font.get("/BaseFont", "?")).lstrip("/")] = None
    return list(missing)


def pdf_text(content: bytes) -> list[str]:
    """The text of each page of an attached PDF (empty for a scan)."""
    from pypdf.errors import PyPdfError

    texts = []
    for page in _reader(content).pages:
        try:
            texts.append(page.extract_text() or "")
        except (PyPdfError, ValueError, KeyError, TypeError):  # a page pypdf cannot read as text
            texts.append("")
    return texts
