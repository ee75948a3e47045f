"""The 档案 room: the village exports and verifies its yearly package; the township reviewer imports
packages and reads many villages side by side, read-only.

The export runs on one worker thread (peewee gives it its own connection) with a progress dialog
counting documents; cancelling stops it between documents and leaves no file. Views call only the
archive service.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from villagegov.accounts import rules as access
from villagegov.archive import service
from villagegov.archive.contract import Period
from villagegov.core.actor import REVIEWER, Actor
from villagegov.core.db import database
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date
from villagegov.ui.widgets import Column, RowsModel, heading, rows_view, show_error, yes_no

# Column headers (msgids, translated by the model).
N_VILLAGE, N_YEAR, N_EXPORTED, N_EXPORTER = N_("Village"), N_("Year"), N_("Exported"), N_("Exporter")
N_DOCUMENTS, N_RECORDS, N_NOTICES = N_("Documents"), N_("Records"), N_("Notices")
N_FINDINGS, N_CURRENT = N_("To look at"), N_("Current")
N_NUMBER, N_TITLE, N_DATE, N_PAGES, N_PERSONAL = (
    N_("No."),
    N_("Title"),
    N_("Date"),
    N_("Pages"),
    N_("Personal data"),
)


class ExportWorker(QThread):
    """service.export on a thread of its own; `progress(done, total)` after each document."""

    progress = Signal(int, int)
    done = Signal(object)  # ExportResult
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, actor: Actor, period: Period, target: Path) -> None:
        super().__init__()
        self.actor, self.period, self.target = actor, period, target
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            result = service.export(
                self.actor, self.period, self.target, lambda d, t: self.progress.emit(d, t), self.cancel_event
            )
        except service.ExportCancelled:
            self.cancelled.emit()
        except VillagegovError as exc:
            self.failed.emit(exc.message())
        else:
            self.done.emit(result)
        finally:
            database.close()  # this thread's own connection


class ExportPage(QWidget):
    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.worker: ExportWorker | None = None
        self.dialog: QProgressDialog | None = None
        today = date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, today.year)
        self.year.setValue(today.year - 1 if today.month <= 2 else today.year)
        self.year.valueChanged.connect(self._suggest)
        self.target = QLineEdit()
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(choose)
        self.export_button = QPushButton(_("Export the package"))
        self.export_button.clicked.connect(self.start)
        self.export_button.setEnabled(access.may(actor, access.MAINTAIN))
        form = QFormLayout()
        form.addRow(_("Year:"), self.year)
        form.addRow(_("Package file:"), where)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.key_label = QLabel()
        self.key_label.setWordWrap(True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        save_key = QPushButton(_("Save the key file for the township…"))
        save_key.clicked.connect(self._save_key)
        save_key.setEnabled(access.may(actor, access.MAINTAIN))
        intro = QLabel(
            _(
                "The package holds the year's records, every printed document and the audit log, signed with "
                "the village's key. Hand it to the township; it is checked there against the key the village "
                "registered once."
            )
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addSpacing(16)
        layout.addWidget(QLabel("<b>" + _("The village's archive key") + "</b>"))
        layout.addWidget(self.key_label)
        key_row = QHBoxLayout()
        key_row.addWidget(save_key)
        key_row.addStretch(1)
        layout.addLayout(key_row)
        layout.addStretch(1)
        self._suggest()
        self._show_key()

    def _suggest(self) -> None:
        from villagegov.core import paths

        name = service.default_file_name(self.actor, Period.year(self.year.value()))
        self.target.setText(str(paths.exports_dir() / name))

    def _choose(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Package file"), self.target.text(), "*.zip")
        if path:
            self.target.setText(path)

    def _show_key(self) -> None:
        key = service.village_key(self.actor)
        if key is None:
            self.key_label.setText(_("Not made yet: the first export makes it."))
        else:
            self.key_label.setText(
                _(
                    "Fingerprint {fingerprint}, made {date}. Give the township the key file and this "
                    "fingerprint, "
                    "stamped, once."
                ).format(fingerprint=key.fingerprint, date=format_date(key.created_at.date()))
            )

    def _save_key(self) -> None:
        name = service.default_file_name(self.actor, Period.year(self.year.value())).split("-")[0]
        path, _filter = QFileDialog.getSaveFileName(self, _("Key file"), f"{name}-key.json", "*.json")
        if not path:
            return
        try:
            service.save_public_key(self.actor, Path(path))
        except VillagegovError as exc:
            show_error(self, exc)
            return
        self._show_key()

    def start(self) -> None:
        text = self.target.text().strip()
        if not text:
            show_error(self, _("Choose where to save the package."))
            return
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting…"))
        self.worker = ExportWorker(self.actor, Period.year(self.year.value()), Path(text))
        self.dialog = QProgressDialog(_("Rendering the documents…"), _("Cancel"), 0, 0, self)
        self.dialog.setWindowTitle(_("Exporting the package"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.worker.progress.connect(self._progress)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.worker.finished.connect(self._finished)
        self.dialog.show()
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel_event.set()
            if self.dialog is not None:
                self.dialog.setLabelText(_("Cancelling…"))

    def shutdown(self) -> None:
        """The window is closing: cancel a running export and wait for it (the .part file goes too);
        a QThread destroyed while it runs would abort the program."""
        worker = self.worker
        if worker is not None and worker.isRunning():
            worker.cancel_event.set()
            worker.wait()

    def _progress(self, done: int, total: int) -> None:
        dialog = self.dialog  # a modal dialog's setValue runs the event loop: the export may end inside it
        if dialog is None:
            return
        dialog.setMaximum(max(total, 1))
        dialog.setLabelText(_("{done} of {total} documents").format(done=done, total=total))
        dialog.setValue(done)

    def _done(self, result: service.ExportResult) -> None:
        self.status.setText(
            _(
                "Exported {file}: {documents} documents ({pages} pages), {records} records, "
                "{entries} audit entries, "
                "in {seconds:.1f} s."
            ).format(
                file=result.path,
                documents=result.documents,
                pages=result.pages,
                records=result.records,
                entries=result.audit_entries,
                seconds=result.seconds,
            )
        )
        self._show_key()

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        show_error(self, message)

    def _cancelled(self) -> None:
        self.status.setText(_("The export was cancelled; no file was written."))

    def _finished(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.worker is not None:
            self.worker.wait()
            self.worker.deleteLater()
            self.worker = None
        self.export_button.setEnabled(access.may(self.actor, access.MAINTAIN))


class VerifyPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.file = QLineEdit()
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose)
        self.verify_button = QPushButton(_("Verify"))
        self.verify_button.clicked.connect(self.verify)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Package file:")))
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        row.addWidget(self.verify_button)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.report, 1)

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Package file"), "", "*.zip")
        if path:
            self.file.setText(path)
            self.verify()

    def verify(self) -> None:
        text = self.file.text().strip()
        if not text:
            return
        report = service.verify(Path(text))
        self.report.setPlainText("\n".join(report.lines()))


class TownshipPage(QWidget):
    """Every imported package, villages side by side; the selected package's documents and findings."""

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.packages = RowsModel(
            [
                Column(N_VILLAGE, lambda r: r.village),
                Column(N_YEAR, lambda r: r.year, align_right=True),
                Column(N_EXPORTED, lambda r: r.exported_at[:16].replace("T", " ")),
                Column(N_EXPORTER, lambda r: r.exporter),
                Column(N_DOCUMENTS, lambda r: r.documents, align_right=True),
                Column(N_RECORDS, lambda r: r.records, align_right=True),
                Column(N_NOTICES, lambda r: r.counts.get("notices", 0), align_right=True),
                Column(N_FINDINGS, lambda r: r.findings if r.findings >= 0 else "", align_right=True),
                Column(N_CURRENT, lambda r: yes_no(r.current) or _("replaced")),
            ],
            self,
        )
        self.package_view = rows_view(self.packages)
        self.package_view.selectionModel().selectionChanged.connect(self._package_chosen)
        self.documents = RowsModel(
            [
                Column(N_NUMBER, lambda d: d.number, align_right=True),
                Column(N_TITLE, lambda d: d.title),
                Column(N_DATE, lambda d: format_date(d.on)),
                Column(N_PAGES, lambda d: d.pages, align_right=True),
                Column(N_PERSONAL, lambda d: yes_no(d.personal_data)),
            ],
            self,
        )
        self.document_view = rows_view(self.documents)
        self.document_view.doubleClicked.connect(lambda _index: self.open_document())
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        buttons = QHBoxLayout()
        for label, slot in (
            (_("Import packages…"), self.import_packages),
            (_("Register a village's key…"), self.register_key),
            (_("Print the review…"), self.print_review),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.open_button = QPushButton(_("Open the document"))
        self.open_button.clicked.connect(self.open_document)
        buttons.addWidget(self.open_button)
        lower = QTabWidget()
        lower.addTab(self.document_view, _("Catalogue"))
        lower.addTab(self.findings, _("Findings"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.package_view)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.load()

    def load(self) -> None:
        self.packages.set_rows(service.packages(self.actor, with_findings=True))
        if self.packages.rowCount():
            self.package_view.selectRow(0)

    def selected_package(self) -> service.PackageRow | None:
        rows = self.package_view.selectionModel().selectedRows()
        return self.packages.row(rows[0].row()) if rows else None

    def _package_chosen(self) -> None:
        row = self.selected_package()
        if row is None:
            return
        self.documents.set_rows(service.catalogue(self.actor, row.id))
        found = service.review_findings(self.actor, row.id)
        text = "\n".join(f"{n}. {f.message()}" for n, f in enumerate(found, start=1))
        self.findings.setPlainText(text or _("Nothing to look at."))

    def open_document(self) -> None:
        rows = self.document_view.selectionModel().selectedRows()
        if not rows:
            return
        document = self.documents.row(rows[0].row())
        content = service.document_content(self.actor, document.id)
        from villagegov.ui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(self, document.title, lambda _paper: content, f"{document.number}.pdf")
        dialog.open()
        self._preview = dialog

    def import_packages(self, files: list[str] | None = None) -> None:
        if not files:
            files, _filter = QFileDialog.getOpenFileNames(self, _("Import packages"), "", "*.zip")
        lines = []
        for file in files or []:
            try:
                result = service.import_package(self.actor, Path(file))
            except service.PackageRefused as exc:
                lines.append(_("{file}: refused, nothing was written.").format(file=Path(file).name))
                lines += ["  ✗ " + f.message() for f in exc.report.findings]
                continue
            except VillagegovError as exc:
                lines.append(f"{Path(file).name}: {exc.message()}")
                continue
            if result.imported:
                lines.append(
                    _("{file}: imported {village}, {period}, {documents} documents.").format(
                        file=Path(file).name,
                        village=result.village,
                        period=result.period,
                        documents=result.documents,
                    )
                )
            else:
                lines.append(_("{file}: already imported; nothing changed.").format(file=Path(file).name))
        if lines:
            self.load()
            QMessageBox.information(self, _("Import packages"), "\n".join(lines))

    def register_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("The village's key file or package"), "", "*.json *.zip"
        )
        if not path:
            return
        try:
            key = service.read_key_file(Path(path))
            given, ok = QInputDialog.getText(
                self,
                _("Register a village's key"),
                _(
                    "{village} ({township}, {county}). Type the fingerprint from the village's stamped form:"
                ).format(village=key.village, township=key.township, county=key.county),
            )
            if ok:
                service.register_key(self.actor, Path(path), given)
        except VillagegovError as exc:
            show_error(self, exc)

    def print_review(self) -> None:
        row = self.selected_package()
        try:
            document = service.review_document(self.actor, row.year if row else None)
        except VillagegovError as exc:
            show_error(self, exc)
            return
        from villagegov.printing.document import render_bytes
        from villagegov.ui.pdf_preview import PdfPreviewDialog

        content = render_bytes(document)
        dialog = PdfPreviewDialog(self, _("Township review"), lambda _paper: content, "review.pdf")
        dialog.open()
        self._preview = dialog


class ArchiveRoom(QWidget):
    def __init__(self, actor: Actor) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Archives")))
        self.tabs = QTabWidget()
        if actor.role == REVIEWER and actor.village_id is None:
            self.township = TownshipPage(actor)
            self.tabs.addTab(self.township, _("Villages"))
        else:
            self.export_page = ExportPage(actor)
            self.tabs.addTab(self.export_page, _("Export"))
        self.verify_page = VerifyPage()
        self.tabs.addTab(self.verify_page, _("Verify"))
        layout.addWidget(self.tabs, 1)

    def shutdown(self) -> None:
        export_page = getattr(self, "export_page", None)
        if export_page is not None:
            export_page.shutdown()
