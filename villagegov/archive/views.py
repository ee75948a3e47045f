"""The 档案 room: the village exports and verifies its yearly package; the township reviewer imports
packages and reads many villages side by side, read-only.

Long work (export, verify, import, the review's layout) runs on a worker thread of its own (peewee
gives it its own connection) behind a modal progress dialog that can cancel it: the window never
freezes. Cancelling stops between files or documents and leaves nothing behind. Views call only the
archive service.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
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
from villagegov.archive import package as pkg
from villagegov.archive import service
from villagegov.archive.contract import Period
from villagegov.core import clock
from villagegov.core.actor import REVIEWER, Actor
from villagegov.core.db import database
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date
from villagegov.ui.widgets import Column, RowsModel, heading, rows_view, show_error, yes_no

# Column headers (msgids, translated by the model).
N_VILLAGE, N_YEAR, N_EXPORTED, N_EXPORTER = N_("Village"), N_("Year"), N_("Exported"), N_("Exporter")
N_DOCUMENTS, N_RECORDS = N_("Documents"), N_("Records")
N_FINDINGS, N_CURRENT = N_("To look at"), N_("Current")
N_NUMBER, N_TITLE, N_DATE, N_PAGES, N_PERSONAL = (
    N_("No."),
    N_("Title"),
    N_("Date"),
    N_("Pages"),
    N_("Personal data"),
)

# What a worker's function is given: progress(done, total, what) and the event that cancels it.
Work = Callable[[Callable[[int, int, str], None], threading.Event], Any]


class TaskWorker(QThread):
    """`work(progress, cancel)` on a thread of its own: its result, its refusal, or its cancelling."""

    progress = Signal(int, int, str)  # done, total (0: not known), what is being done
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.work = work
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            result = self.work(lambda d, t, what="": self.progress.emit(d, t, what), self.cancel_event)
        except (service.ExportCancelled, pkg.Cancelled):
            self.cancelled.emit()
        except VillagegovError as exc:
            self.failed.emit(exc.message())
        else:
            self.done.emit(result)
        finally:
            database.close()  # this thread's own connection


class LongTask(QObject):
    """One piece of long work behind a modal progress dialog with a Cancel button.

    `done(result)`, `failed(message)` and `cancelled()` are called on the GUI thread; `finished()`
    after any of them, once the thread has ended and the dialog is gone.
    """

    def __init__(
        self,
        parent: QWidget,
        title: str,
        label: str,
        work: Work,
        done: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
        cancelled: Callable[[], None] | None = None,
        finished: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.worker: TaskWorker | None = TaskWorker(work)
        self.dialog: QProgressDialog | None = QProgressDialog(label, _("Cancel"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.worker.progress.connect(self._progress)
        self.worker.done.connect(done)
        self.worker.failed.connect(failed or (lambda message: show_error(parent, message)))
        if cancelled is not None:
            self.worker.cancelled.connect(cancelled)
        self.worker.finished.connect(self._finished)
        self._after = finished

    def start(self) -> None:
        assert self.dialog is not None and self.worker is not None
        self.dialog.show()
        self.worker.start()

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel_event.set()
            if self.dialog is not None:
                self.dialog.setLabelText(_("Cancelling…"))

    def shutdown(self) -> None:
        """The window is closing: cancel the work and wait for it (a QThread destroyed while it runs
        would abort the program)."""
        worker = self.worker
        if worker is not None and worker.isRunning():
            worker.cancel_event.set()
            worker.wait()

    def _progress(self, done: int, total: int, what: str) -> None:
        dialog = self.dialog  # a modal dialog's setValue runs the event loop: the work may end inside it
        if dialog is None or (self.worker is not None and self.worker.cancel_event.is_set()):
            return
        if what:
            dialog.setLabelText(what)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def _finished(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.worker is not None:
            self.worker.wait()
            self.worker.deleteLater()
            self.worker = None
        if self._after is not None:
            self._after()


def paths_exports() -> Path:
    from villagegov.core import paths

    return paths.exports_dir()


class ExportPage(QWidget):
    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.task: LongTask | None = None
        today = clock.today()
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
        # The chain's head on paper: the village's anchor before (and between) its packages.
        self.head_button = QPushButton(_("Print a head record of the audit log…"))
        self.head_button.setToolTip(
            _(
                "A dated paper with the audit log's last entry and its hash, to sign and keep apart, and a "
                "file for villagegov check --head: entries deleted or rewritten later are then found."
            )
        )
        self.head_button.clicked.connect(lambda: self.save_head_record())
        key_row = QHBoxLayout()
        key_row.addWidget(save_key)
        key_row.addWidget(self.head_button)
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

    def save_head_record(self, path: str | None = None) -> None:
        if path is None:
            suggested = str(paths_exports() / f"{_('head-record')}-{clock.today().isoformat()}.pdf")
            path, _filter = QFileDialog.getSaveFileName(self, _("Head record"), suggested, "*.pdf")
        if not path:
            return
        try:
            paper, file, record = service.save_head_record(self.actor, Path(path))
        except VillagegovError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(
            self,
            _("Head record"),
            _(
                "The audit log's head on {date}: entry {seq}, hash {hash}.\n\nPrint {paper}, have it signed "
                "and kept by the supervisory committee; {file} is for villagegov check --head."
            ).format(date=format_date(record.day), seq=record.seq, hash=record.hash, paper=paper, file=file),
        )

    def start(self) -> None:
        text = self.target.text().strip()
        if not text:
            show_error(self, _("Choose where to save the package."))
            return
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting…"))
        actor, period, target = self.actor, Period.year(self.year.value()), Path(text)

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> service.ExportResult:
            def documents(done: int, total: int) -> None:
                progress(done, total, _("{done} of {total} documents").format(done=done, total=total))

            return service.export(actor, period, target, documents, cancel)

        self.task = LongTask(
            self,
            _("Exporting the package"),
            _("Rendering the documents…"),
            work,
            self._done,
            self._failed,
            self._cancelled,
            self._finished,
        )
        self.task.start()

    @property
    def worker(self) -> TaskWorker | None:
        return self.task.worker if self.task is not None else None

    @property
    def dialog(self) -> QProgressDialog | None:
        return self.task.dialog if self.task is not None else None

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def shutdown(self) -> None:
        """The window is closing: cancel a running export and wait for it (the .part file goes too)."""
        if self.task is not None:
            self.task.shutdown()

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
        self.task = None
        self.export_button.setEnabled(access.may(self.actor, access.MAINTAIN))


class VerifyPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.task: LongTask | None = None
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
        if not text or self.task is not None:
            return
        path = Path(text)
        self.verify_button.setEnabled(False)
        self.report.setPlainText(_("Verifying {file}…").format(file=path.name))

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> pkg.Report:
            def files(done: int, total: int) -> None:
                progress(done, total, _("Checking {file}: {done} of {total} files").format(
                    file=path.name, done=done, total=total))  # fmt: skip

            return service.verify(path, progress=files, cancel=cancel)

        self.task = LongTask(
            self,
            _("Verifying the package"),
            _("Checking {file}…").format(file=path.name),
            work,
            lambda report: self.report.setPlainText("\n".join(report.lines())),
            self.report.setPlainText,
            lambda: self.report.setPlainText(_("The verification was cancelled.")),
            self._finished,
        )
        self.task.start()

    def _finished(self) -> None:
        self.task = None
        self.verify_button.setEnabled(True)

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.shutdown()


def _import_lines(
    actor: Actor, files: list[Path], progress: Callable[[int, int, str], None], cancel: threading.Event
) -> list[str]:
    """Import each file in turn (on the worker thread); a line saying what became of each."""
    lines: list[str] = []
    for number, file in enumerate(files, start=1):

        def step(done: int, total: int, name: str = file.name, n: int = number) -> None:
            progress(done, total, _("Package {n} of {count}, {file}: {done} of {total}").format(
                n=n, count=len(files), file=name, done=done, total=total))  # fmt: skip

        try:
            result = service.import_package(actor, file, progress=step, cancel=cancel)
        except service.PackageRefused as exc:
            lines.append(_("{file}: refused, nothing was written.").format(file=file.name))
            lines += ["  ✗ " + f.message() for f in exc.report.findings]
            continue
        except pkg.Cancelled:
            lines.append(_("{file}: cancelled, nothing was written.").format(file=file.name))
            break
        except VillagegovError as exc:
            lines.append(f"{file.name}: {exc.message()}")
            continue
        if result.imported:
            text = _("{file}: imported {village}, {period}, {documents} documents.").format(
                file=file.name, village=result.village, period=result.period, documents=result.documents
            )
            if result.replaced:
                text += " " + _("It replaces the older export, which stays on record.")
            lines.append(text)
        else:
            lines.append(_("{file}: already imported; nothing changed.").format(file=file.name))
    return lines


def _count(kind: str) -> Column:
    label = next(label for _room, k, label in service.ROOM_COUNTS if k == kind)
    return Column(label, lambda r: r.count(kind), align_right=True)


class TownshipPage(QWidget):
    """Every imported package, villages side by side with their counts per room; the selected
    package's documents and what its review finds, room by room."""

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.task: LongTask | None = None
        self.packages = RowsModel(
            [
                Column(N_VILLAGE, lambda r: r.village),
                Column(N_YEAR, lambda r: r.year, align_right=True),
                Column(N_EXPORTED, lambda r: r.exported_at[:16].replace("T", " ")),
                Column(N_EXPORTER, lambda r: r.exporter),
                *(_count(kind) for _room, kind, _label in service.ROOM_COUNTS),
                Column(N_DOCUMENTS, lambda r: r.documents, align_right=True),
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
        self.import_button = QPushButton(_("Import packages…"))
        self.import_button.clicked.connect(lambda: self.import_packages())
        self.register_button = QPushButton(_("Register a village's key…"))
        self.register_button.clicked.connect(lambda: self.register_key())
        self.review_button = QPushButton(_("Print the review…"))
        self.review_button.clicked.connect(self.print_review)
        for button in (self.import_button, self.register_button, self.review_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.open_button = QPushButton(_("Open the document"))
        self.open_button.clicked.connect(self.open_document)
        buttons.addWidget(self.open_button)
        self.lower = QTabWidget()
        self.lower.addTab(self.findings, _("Findings"))
        self.lower.addTab(self.document_view, _("Catalogue"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.package_view)
        splitter.addWidget(self.lower)
        splitter.setSizes([200, 400])
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
        grouped = service.findings_by_room(service.review_findings(self.actor, row.id))
        lines: list[str] = []
        for room, found in grouped:
            lines.append(_("{room} ({n})").format(room=service.room_name(room), n=len(found)))
            lines += [f"  {n}. {f.message()}" for n, f in enumerate(found, start=1)]
            lines.append("")
        self.findings.setPlainText("\n".join(lines).strip() or _("Nothing to look at."))

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

    def _busy(self, busy: bool) -> None:
        for button in (self.import_button, self.register_button, self.review_button):
            button.setEnabled(not busy)

    def _run(self, title: str, label: str, work: Work, done: Callable[[Any], None]) -> None:
        if self.task is not None:
            return
        self._busy(True)

        def finished() -> None:
            self.task = None
            self._busy(False)

        self.task = LongTask(self, title, label, work, done, finished=finished)
        self.task.start()

    def import_packages(self, files: list[str] | None = None) -> None:
        if not files:
            files, _filter = QFileDialog.getOpenFileNames(self, _("Import packages"), "", "*.zip")
        paths = [Path(f) for f in files or []]
        if not paths:
            return
        actor = self.actor

        def done(lines: list[str]) -> None:
            self.load()
            QMessageBox.information(self, _("Import packages"), "\n".join(lines))

        self._run(
            _("Import packages"),
            _("Checking {file}…").format(file=paths[0].name),
            lambda progress, cancel: _import_lines(actor, paths, progress, cancel),
            done,
        )

    def register_key(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("The village's key file or package"), "", "*.json *.zip"
            )
        if not path:
            return
        chosen = Path(path)

        def registered(key: Any) -> None:
            given, ok = QInputDialog.getText(
                self,
                _("Register a village's key"),
                _(
                    "{village} ({township}, {county}). Type the fingerprint from the village's stamped form:"
                ).format(village=key.village, township=key.township, county=key.county),
            )
            if not ok:
                return
            try:
                service.register_key(self.actor, chosen, given, key=key)
            except VillagegovError as exc:
                show_error(self, exc)

        # A package's key is read only after the whole package is checked: work for the thread.
        self._run(
            _("Register a village's key"),
            _("Checking {file}…").format(file=chosen.name),
            lambda progress, cancel: service.read_key_file(chosen),
            registered,
        )

    def print_review(self) -> None:
        row = self.selected_package()
        actor, year = self.actor, (row.year if row else None)

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> bytes:
            from villagegov.printing.document import render_bytes

            return render_bytes(service.review_document(actor, year))

        def show(content: bytes) -> None:
            from villagegov.ui.pdf_preview import PdfPreviewDialog

            dialog = PdfPreviewDialog(self, _("Township review"), lambda _paper: content, "review.pdf")
            dialog.open()
            self._preview = dialog

        self._run(_("Township review"), _("Laying out the township's review…"), work, show)

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.shutdown()


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
        """The window is closing: any long work is cancelled and waited for."""
        for page in (getattr(self, "export_page", None), getattr(self, "township", None), self.verify_page):
            if page is not None:
                page.shutdown()
