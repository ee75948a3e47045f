"""The print preview shows the document's own PDF and saves or prints exactly that."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.printing.test_document import notice
from villagegov.printing.document import render_bytes
from villagegov.printing.fonts import GlyphsMissing
from villagegov.printing.template import Paper
from villagegov.ui import pdf_preview
from villagegov.ui.pdf_preview import PdfPreviewDialog, print_pdf


def make(paper: Paper) -> bytes:
    return render_bytes(notice(paper, rows=60))


def test_preview_shows_every_page_and_switches_to_a3(qtbot: QtBot) -> None:
    dialog = PdfPreviewDialog(None, "公示", make, "公示.pdf")
    qtbot.addWidget(dialog)
    assert dialog.document.status() == QPdfDocument.Status.Ready
    pages = dialog.document.pageCount()
    assert pages >= 2
    assert dialog.pages.text() == f"共 {pages} 页"
    assert round(dialog.document.pagePointSize(0).width()) == 595
    dialog.paper.setCurrentIndex(1)
    assert round(dialog.document.pagePointSize(0).width()) == 842  # A3 in points


def test_save_writes_the_previewed_bytes(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(None, "公示", make, "公示.pdf")
    qtbot.addWidget(dialog)
    saved = dialog.save(tmp_path / "board" / "公示")
    assert saved == tmp_path / "board" / "公示.pdf"
    assert saved.read_bytes() == dialog.pdf_bytes


def test_printing_paints_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(None, "公示", make, "公示.pdf")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pdf(dialog.document, printer) == dialog.document.pageCount()
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000


def test_a_document_that_cannot_be_made_is_refused_not_previewed_empty(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No font draws 𠮷 here: the refusal is shown when the preview is asked for, instead of a modal box
    while the dialog is made (which hung the test command) and an empty preview saving a 0-byte file."""
    shown: list[str] = []
    monkeypatch.setattr(pdf_preview, "show_error", lambda parent, exc: shown.append(str(exc)))

    def fails(paper: Paper) -> bytes:
        raise GlyphsMissing("𠮷", "王𠮷")

    dialog = PdfPreviewDialog(None, "公示", fails, "公示.pdf")
    qtbot.addWidget(dialog)
    assert not shown  # nothing while the dialog is made
    assert isinstance(dialog.error, GlyphsMissing)
    assert dialog.exec() == QDialog.DialogCode.Rejected.value
    assert not dialog.isVisible() and len(shown) == 1
    assert dialog.save(tmp_path / "公示.pdf") is None
    assert not list(tmp_path.iterdir())


def test_switching_paper_keeps_the_shown_document_when_the_other_cannot_be_made(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(pdf_preview, "show_error", lambda parent, exc: shown.append(str(exc)))

    def a4_only(paper: Paper) -> bytes:
        if paper is Paper.A3:
            raise GlyphsMissing("𠮷", "王𠮷")
        return make(paper)

    dialog = PdfPreviewDialog(None, "公示", a4_only, "公示.pdf")
    qtbot.addWidget(dialog)
    a4 = dialog.pdf_bytes
    dialog.paper.setCurrentIndex(1)
    assert len(shown) == 1
    assert dialog.current_paper() is Paper.A4 and dialog.pdf_bytes == a4
    assert round(dialog.document.pagePointSize(0).width()) == 595
