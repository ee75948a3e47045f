"""The print preview shows the document's own PDF and saves or prints exactly that."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from tests.printing.test_document import notice
from villagegov.printing.document import render_bytes
from villagegov.printing.template import Paper
from villagegov.ui.pdf_preview import PdfPreviewDialog, preview_size, print_pdf


def make(paper: Paper) -> bytes:
    return render_bytes(notice(paper, rows=60))


def test_preview_shows_every_page_and_switches_to_a3(qtbot: QtBot) -> None:
    dialog = PdfPreviewDialog(None, "公示", make, "公示.pdf")
    qtbot.addWidget(dialog)
    assert dialog.pages.text() == "正在排版…"  # the dialog is up at once; the layout runs on a worker
    assert dialog.ready()
    assert dialog.document.status() == QPdfDocument.Status.Ready
    pages = dialog.document.pageCount()
    assert pages >= 2
    assert dialog.pages.text() == f"共 {pages} 页"
    assert round(dialog.document.pagePointSize(0).width()) == 595
    dialog.paper.setCurrentIndex(1)
    assert dialog.ready()
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
    assert dialog.ready()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pdf(dialog.document, printer) == dialog.document.pageCount()
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000


def test_the_preview_stays_inside_the_screen(qtbot: QtBot) -> None:
    """On a 1366×768 screen (the taskbar leaves ~728 pixels) the whole dialog, buttons included, is on
    the screen; on a large screen it keeps its readable size."""
    assert preview_size(QSize(1366, 728)) == (900, 655)
    assert preview_size(QSize(1920, 1040)) == (900, 936)
    dialog = PdfPreviewDialog(None, "公示", make, "公示.pdf")
    qtbot.addWidget(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height() and dialog.width() <= screen.width()
    assert dialog.ready()
