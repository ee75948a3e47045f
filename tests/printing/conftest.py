"""Reading printed PDFs back: text, fonts, page size and where words sit on the page."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

BASE14 = {
    "Helvetica", "Helvetica-Bold", "Times-Roman", "Courier", "Symbol", "ZapfDingbats",
    "Helvetica-Oblique", "Times-Bold", "Courier-Bold",
}  # fmt: skip


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def fonts_in(path: Path) -> dict[str, bool]:
    """Every font used on any page (including inside tables) → whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[name] = embedded
    return found


def words(path: Path) -> list[Word]:
    """Words with their boxes (points, origin top-left), from poppler's pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    result: list[Word] = []
    page = 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', line
        )
        if match:
            x0, y0, x1, y1, text = match.groups()
            result.append(Word(page, text, float(x0), float(y0), float(x1), float(y1)))
    return result


@pytest.fixture
def needs_poppler() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed; .ci/run installs it")
