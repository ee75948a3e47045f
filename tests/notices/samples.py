"""Real files a clerk attaches: images (one turned by its EXIF orientation) and PDF files."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from villagegov.core.privacy import Audience, Masking
from villagegov.printing.document import OfficialDocument, Text, render_bytes


def png(width: int = 40, height: int = 20, colour: tuple[int, int, int] = (200, 50, 50)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def sideways_jpeg() -> bytes:
    """A phone photo stored 60 wide and 20 high whose EXIF says: turn me 90° to stand upright."""
    image = Image.new("RGB", (60, 20), (30, 120, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def pdf_with_text(*lines: str) -> bytes:
    """A PDF as villagegov prints it: Chinese text, its fonts embedded; numbers as written (a paper kept
    on file by a village that prints them in full: like a list made elsewhere)."""
    unmasked = {"audience": Audience.ON_FILE, "masking": Masking(on_file=False)}
    return render_bytes(
        OfficialDocument(title=lines[0], blocks=tuple(Text(line) for line in lines[1:]), **unmasked)
    )


def pdf_drawing(pages: int = 2, landscape: bool = True) -> bytes:
    """A scanned PDF: pictures only, no text, no fonts; page N shows N dark boxes."""
    size = (842, 595) if landscape else (595, 842)
    images = []
    for page in range(1, pages + 1):
        image = Image.new("RGB", size, (255, 255, 255))
        for box in range(page):
            image.paste((20, 20, 20), (40 + 60 * box, 40, 90 + 60 * box, 90))
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()


def pdf_with_unembedded_font() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 720, "Site plan")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
