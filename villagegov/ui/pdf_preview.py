"""Print preview: the document's own PDF in Qt's PDF viewer, then print or save it.

The preview shows exactly the bytes that will be printed or saved, so what the clerk sees is
what goes on the bulletin board. The document is laid out on a worker thread (`ui/ops.Task`): the
dialog opens at once and says it is laying out, and the window never freezes. Printing renders each
page at the printer's resolution.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from villagegov.core.files import atomic_path
from villagegov.core.i18n import _, ngettext
from villagegov.printing.template import Paper
from villagegov.ui import ops

MakePdf = Callable[[Paper], bytes]


PREFERRED_SIZE = (900, 1000)  # an A4 page at a readable width, on a screen that has the room
SCREEN_SHARE = 0.9  # never more of the screen's free area than this: the buttons stay on it


def preview_size(screen: QSize) -> tuple[int, int]:
    """The preview's size: its preferred size, within the screen's free area (a 768-pixel-high office
    screen showed a 1000-pixel preview whose foot ran past the taskbar)."""
    width, height = PREFERRED_SIZE
    return min(width, int(screen.width() * SCREEN_SHARE)), min(height, int(screen.height() * SCREEN_SHARE))


class PdfPreviewDialog(QDialog):
    """Shows a document; the paper can be switched between A4 and A3 (the board copy).

    It is laid out on a worker thread: the dialog opens at once. A document that cannot be made (a name
    no font can draw) is not previewed empty: its refusal is said once and the preview closes (there is
    nothing to print or save); a paper switched to that cannot be made keeps the one on show.
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        make_pdf: MakePdf,
        suggested_name: str,
        paper: Paper = Paper.A4,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(*preview_size(self.screen().availableGeometry().size()))
        self._make_pdf = make_pdf
        self._suggested_name = suggested_name
        self.pdf_bytes = b""
        self.refusal = ""  # why the document could not be laid out, if it could not
        self._shown: Paper | None = None  # the paper of the document on show
        self._buffer: QBuffer | None = None
        self._task: ops.Task[bytes] | None = None
        self._generation = 0

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.paper = QComboBox()
        self.paper.addItem(_("A4"), Paper.A4)
        self.paper.addItem(_("A3 (bulletin board)"), Paper.A3)
        self.paper.setCurrentIndex(0 if paper is Paper.A4 else 1)
        self.paper.currentIndexChanged.connect(self.refresh)
        self.pages = QLabel()
        self.print_button = print_button = QPushButton(_("Print…"))
        print_button.clicked.connect(self.print_document)
        self.save_button = save_button = QPushButton(_("Save as PDF…"))
        save_button.clicked.connect(lambda: self.save())
        close_button = QPushButton(_("Close"))
        close_button.clicked.connect(self.reject)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Paper:")))
        bar.addWidget(self.paper)
        bar.addWidget(self.pages)
        bar.addStretch(1)
        bar.addWidget(print_button)
        bar.addWidget(save_button)
        bar.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.refresh()

    def current_paper(self) -> Paper:
        return self.paper.currentData()

    def refresh(self) -> None:
        """Lay the document out again for the chosen paper (on a worker) and show it when done."""
        if self._task is not None:
            self._task.cancel()  # its result is dropped: the paper it was for is no longer wanted
        paper, make = self.current_paper(), self._make_pdf
        self.pages.setText(_("Laying out the document…"))
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self._generation += 1
        generation = self._generation
        self._task = ops.Task(
            self,
            lambda progress: make(paper),
            lambda data: self._laid_out(generation, paper, data),
            refused=self._refused,
            cancelled=lambda: None,
        ).start()

    def ready(self, timeout_ms: int = 60_000) -> bool:
        """Wait (running the event loop) until the document is laid out; False if it could not be."""
        while self._task is not None and self._task.running:
            if not self._task.wait(timeout_ms):
                return False
        return bool(self.pdf_bytes) and not self.refusal

    def _refused(self, message: str) -> None:
        """The document cannot be laid out (a character no font has, a record gone): said once. A paper
        switched to keeps the document on show; with nothing to show the preview closes, so there is
        never an empty preview, nor an empty file saved from one."""
        self.refusal = message
        ops.show_refusal(self, message)
        if self._shown is None:
            self.pages.setText("")
            self.reject()
            return
        self.paper.blockSignals(True)
        self.paper.setCurrentIndex(self.paper.findData(self._shown))
        self.paper.blockSignals(False)
        self._count_pages()

    def _laid_out(self, generation: int, paper: Paper, data: bytes) -> None:
        if generation != self._generation:
            return  # laid out for a paper chosen before the last one
        self._shown = paper
        self._show(data)

    def _show(self, data: bytes) -> None:
        self.refusal = ""
        self.pdf_bytes = data
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self._count_pages()

    def _count_pages(self) -> None:
        count = self.document.pageCount()
        self.pages.setText(ngettext("{count} page", "{count} pages", count).format(count=count))
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def save(self, path: Path | None = None) -> Path | None:
        """Save the shown PDF; asks where unless a path is given."""
        if not self.ready():
            return None  # nothing to save: never a 0-byte file
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self, _("Save as PDF"), self._suggested_name, _("PDF files (*.pdf)")
            )
            if not name:
                return None
            path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            with atomic_path(path) as tmp:
                tmp.write_bytes(self.pdf_bytes)
        except OSError as error:
            ops.show_refusal(self, _("The file could not be saved: {reason}").format(reason=error.strerror))
            return None
        return path

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        print_pdf(self.document, printer)


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint each page at the printer's resolution, full page, no scaling to margins."""
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        first, last = printer.fromPage() or 1, printer.toPage() or document.pageCount()
        for page in range(first - 1, last):
            if printed:
                printer.newPage()
            target: QRect = painter.viewport()
            points = document.pagePointSize(page)
            scale = min(target.width() / points.width(), target.height() / points.height())
            size = QSize(round(points.width() * scale), round(points.height() * scale))
            image = document.render(page, size)
            painter.drawImage(QPointF(0, 0), image)
            printed += 1
    finally:
        painter.end()
    return printed
