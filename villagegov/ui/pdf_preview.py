"""Print preview: the document's own PDF in Qt's PDF viewer, then print or save it.

The preview shows exactly the bytes that will be printed or saved, so what the clerk sees is
what goes on the bulletin board. Printing renders each page at the printer's resolution.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter
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

from villagegov.core.errors import VillagegovError
from villagegov.core.files import atomic_path
from villagegov.core.i18n import _, ngettext
from villagegov.printing.template import Paper
from villagegov.ui.widgets import show_error

MakePdf = Callable[[Paper], bytes]


class PdfPreviewDialog(QDialog):
    """Shows a document; the paper can be switched between A4 and A3 (the board copy).

    A document that cannot be made (a name no font can draw) is not previewed: `error` holds the
    refusal, and `exec()` shows it instead of an empty preview whose PDF would be empty. Nothing is
    shown while the dialog is made, so no refusal opens a modal box before anyone asked for one.
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
        self.resize(900, 1000)
        self._make_pdf = make_pdf
        self._suggested_name = suggested_name
        self.pdf_bytes = b""
        self.error: VillagegovError | None = None
        self._shown = paper
        self._buffer: QBuffer | None = None

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
        print_button = QPushButton(_("Print…"))
        print_button.clicked.connect(self.print_document)
        save_button = QPushButton(_("Save as PDF…"))
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
        self.error = self._load()

    def current_paper(self) -> Paper:
        return self.paper.currentData()

    def exec(self) -> int:
        """The preview, or the refusal of a document that could not be made (and no preview)."""
        if self.error is not None:
            show_error(self.parentWidget(), self.error)
            return QDialog.DialogCode.Rejected.value
        return super().exec()

    def refresh(self) -> None:
        """Lay the document out again for the chosen paper and show it (the paper was switched)."""
        error = self._load()
        if error is not None:
            self.paper.blockSignals(True)  # the preview keeps the paper it showed
            self.paper.setCurrentIndex(0 if self._shown is Paper.A4 else 1)
            self.paper.blockSignals(False)
            show_error(self, error)

    def _load(self) -> VillagegovError | None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            data = self._make_pdf(self.current_paper())
        except VillagegovError as error:
            return error
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.pdf_bytes = data
        self._shown = self.current_paper()
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        count = self.document.pageCount()
        self.pages.setText(ngettext("{count} page", "{count} pages", count).format(count=count))
        return None

    def save(self, path: Path | None = None) -> Path | None:
        """Save the shown PDF; asks where unless a path is given. Nothing is written without one."""
        if not self.pdf_bytes:
            show_error(self, self.error or _("There is no document to save."))
            return None
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
            show_error(self, _("The file could not be saved: {reason}").format(reason=error.strerror))
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
