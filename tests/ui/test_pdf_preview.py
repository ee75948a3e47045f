"""The print preview shows the document's own PDF and saves or prints exactly that."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.printing.test_document import notice
from villagegov.printing.document import render_bytes
from villagegov.printing.fonts import GlyphsMissing
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


def test_a_document_that_cannot_be_made_is_refused_not_previewed_empty(
    qtbot: QtBot, tmp_path: Path, refusals: list[str]
) -> None:
    """No font draws 𠮷 here: the refusal is said once, the preview closes instead of showing empty (and
    before, a modal box while the dialog was made hung the test command), and nothing is saved."""
    shown = refusals

    def fails(paper: Paper) -> bytes:
        raise GlyphsMissing("𠮷", "王𠮷")

    dialog = PdfPreviewDialog(None, "公示", fails, "公示.pdf")
    qtbot.addWidget(dialog)
    assert not shown  # nothing while the dialog is made: it lays out on a worker
    assert dialog.exec() == QDialog.DialogCode.Rejected.value
    assert "𠮷" in dialog.refusal
    assert not dialog.isVisible() and len(shown) == 1
    assert dialog.save(tmp_path / "公示.pdf") is None
    assert not list(tmp_path.iterdir())


def test_switching_paper_keeps_the_shown_document_when_the_other_cannot_be_made(
    qtbot: QtBot, refusals: list[str]
) -> None:
    shown = refusals

    def a4_only(paper: Paper) -> bytes:
        if paper is Paper.A3:
            raise GlyphsMissing("𠮷", "王𠮷")
        return make(paper)

    dialog = PdfPreviewDialog(None, "公示", a4_only, "公示.pdf")
    qtbot.addWidget(dialog)
    assert dialog.ready()
    a4 = dialog.pdf_bytes
    dialog.paper.setCurrentIndex(1)
    assert not dialog.ready() and len(shown) == 1
    assert dialog.current_paper() is Paper.A4 and dialog.pdf_bytes == a4
    assert round(dialog.document.pagePointSize(0).width()) == 595
