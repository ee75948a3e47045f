"""The 档案 room: the village exports and verifies its yearly package; the township reviewer imports
packages and reads many villages side by side, read-only.

Screens only: every read and write goes through `villagegov.archive.service` by way of `ui/ops` (the
room's `read`/`write`/`task`). Long work — export, verify, import, reading a key from a package, laying
out the head record and the township's review — runs on a worker thread (`ops.Task`, its own database
connection) behind a window-modal progress dialog whose Cancel stops it between files or documents and
leaves nothing behind; the window never freezes, and closing it cancels the work and waits for it
(`ops.shutdown`). Which buttons may be used, and why not, comes from `rules.archive_actions`, which the
service enforces. The pages are plain widgets; the room holds their buttons and acts for them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from villagegov.archive import package as pkg
from villagegov.archive import rules, service, signing
from villagegov.archive.contract import Period
from villagegov.core.actor import REVIEWER, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date
from villagegov.ui import ops
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, RowsModel, heading, rows_view, yes_no

if TYPE_CHECKING:
    from villagegov.core.audit import HeadRecord

T = TypeVar("T")

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
NO_PACKAGES = N_(
    "No package imported yet: register each village's key once (“Register a village's key…”), then "
    "import the packages the villages hand in (“Import packages…”)."
)

# The buttons that start long work: one piece of it at a time.
LONG_WORK = (rules.EXPORT, rules.HEAD_RECORD, rules.VERIFY, rules.IMPORT, rules.REGISTER, rules.PRINT_REVIEW)
HEAD_RECORD_HELP = N_(
    "A dated paper with the audit log's last entry and its hash, to sign and keep apart, and a file for "
    "villagegov check --head: entries deleted or rewritten later are then found."
)


def _count(kind: str) -> Column:
    label = next(label for _room, k, label in service.ROOM_COUNTS if k == kind)
    return Column(label, lambda r: r.count(kind), align_right=True)


def _import_lines(actor: Actor, files: list[Path], progress: ops.Progress) -> list[str]:
    """Import each file in turn (on the worker thread); a line saying what became of each. A cancel
    stops at the file it reached, which writes nothing; those before it stay imported."""
    lines: list[str] = []
    for number, file in enumerate(files, start=1):

        def step(done: int, total: int, name: str = file.name, n: int = number) -> None:
            progress(done, total, _("Package {n} of {count}, {file}: {done} of {total}").format(
                n=n, count=len(files), file=name, done=done, total=total))  # fmt: skip

        try:
            result = service.import_package(actor, file, progress=step, cancel=progress.cancel_event)
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


class ExportPage(QWidget):
    """The village's page: the year's package, and the key and head record the township relies on."""

    def __init__(self, room: ArchiveRoom) -> None:
        super().__init__()
        today = room.today()
        self.year = QSpinBox()
        self.year.setRange(2000, today.year)
        self.year.setValue(today.year - 1 if today.month <= 2 else today.year)
        self.year.valueChanged.connect(lambda _year: room.suggest_target())
        self.target = QLineEdit()
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(lambda _checked=False: room.choose_target())
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(choose)
        form = QFormLayout()
        form.addRow(_("Year:"), self.year)
        form.addRow(_("Package file:"), where)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.key_label = QLabel()
        self.key_label.setWordWrap(True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        layout.addLayout(room.button_bar([(rules.EXPORT, _("Export the package"), room.export)]))
        layout.addWidget(self.status)
        layout.addSpacing(16)
        layout.addWidget(QLabel("<b>" + _("The village's archive key") + "</b>"))
        layout.addWidget(self.key_label)
        key_row = QHBoxLayout()
        key_row.addWidget(room.button(rules.KEY, _("Save the key file for the township…"), room.save_key))
        # The chain's head on paper: the village's anchor before (and between) its packages.
        key_row.addWidget(
            room.button(rules.HEAD_RECORD, _("Print a head record of the audit log…"), room.save_head_record)
        )
        key_row.addStretch(1)
        layout.addLayout(key_row)
        layout.addStretch(1)


class VerifyPage(QWidget):
    """Anyone's page: check a package file as the township will."""

    def __init__(self, room: ArchiveRoom) -> None:
        super().__init__()
        self.file = QLineEdit()
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(lambda _checked=False: room.choose_verify_file())
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Package file:")))
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        row.addWidget(room.button(rules.VERIFY, _("Verify"), room.verify))
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.report, 1)


class TownshipPage(QWidget):
    """Every imported package, villages side by side with their counts per room; the selected
    package's documents and what its review finds, room by room."""

    def __init__(self, room: ArchiveRoom) -> None:
        super().__init__()
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
        self.package_view = rows_view(self.packages, _(NO_PACKAGES))
        self.package_view.selectionModel().selectionChanged.connect(lambda *_args: room.package_chosen())
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
        self.document_view.doubleClicked.connect(lambda _index: room.open_document())
        self.document_view.selectionModel().selectionChanged.connect(lambda *_args: room.update_buttons())
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        buttons = QHBoxLayout()
        for action, label, slot in (
            (rules.IMPORT, _("Import packages…"), room.import_packages),
            (rules.REGISTER, _("Register a village's key…"), room.register_key),
            (rules.PRINT_REVIEW, _("Print the review…"), room.print_review),
        ):
            buttons.addWidget(room.button(action, label, slot))
        buttons.addStretch(1)
        buttons.addWidget(room.button(rules.OPEN_DOCUMENT, _("Open the document"), room.open_document))
        self.details = QTabWidget()
        self.details.addTab(self.findings, _("Findings"))
        self.details.addTab(self.document_view, _("Catalogue"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.package_view)
        splitter.addWidget(self.details)
        splitter.setSizes([200, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

    def selected_package(self) -> service.PackageRow | None:
        rows = self.package_view.selectionModel().selectedRows()
        return self.packages.row(rows[0].row()) if rows else None

    def selected_document(self) -> service.DocumentRow | None:
        rows = self.document_view.selectionModel().selectedRows()
        return self.documents.row(rows[0].row()) if rows else None


class ArchiveRoom(Room):
    # What the room shows: the village's key; the township's villages, their keys and packages (a
    # package's documents, records and audit log are written with it).
    watches = frozenset(
        {"archive_village_key", "archive_village", "archive_registered_key", "archive_package"}
    )

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.running: ops.Task[Any] | None = None  # the long work under way: one at a time
        self.export_page: ExportPage | None = None
        self.township: TownshipPage | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Archives")))
        self.tabs = QTabWidget()
        if actor.role == REVIEWER and actor.village_id is None:
            self.township = TownshipPage(self)
            self.tabs.addTab(self.township, _("Villages"))
        else:
            self.export_page = ExportPage(self)
            self.tabs.addTab(self.export_page, _("Export"))
        self.verify_page = VerifyPage(self)
        self.tabs.addTab(self.verify_page, _("Verify"))
        layout.addWidget(self.tabs, 1)
        self.suggest_target()
        self.reload()

    # --- hooks a test replaces ----------------------------------------------------------------------

    def inform(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, title, text)

    def ask_fingerprint(self, key: signing.PublicKey) -> str | None:
        """The fingerprint typed from the village's stamped form, or None when the clerk gave up."""
        from PySide6.QtWidgets import QInputDialog

        given, ok = QInputDialog.getText(
            self,
            _("Register a village's key"),
            _(
                "{village} ({township}, {county}). Type the fingerprint from the village's stamped form:"
            ).format(village=key.village, township=key.township, county=key.county),
        )
        return given if ok else None

    def _save_name(self, title: str, suggested: str, pattern: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(self, title, suggested, pattern)
        return path

    def _open_name(self, title: str, pattern: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(self, title, "", pattern)
        return path

    # --- loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        """The village's key, or the township's packages (keeping the one chosen); then the buttons."""
        if self.export_page is not None:
            self._show_key(self.export_page)
        if self.township is not None:
            self._load_packages(self.township)
        self.update_buttons()

    def update_buttons(self) -> None:
        """Each button as the rules allow; while long work runs, the others that start some wait."""
        page = self.township
        allowed = rules.archive_actions(
            self.actor.role,
            self.actor.village_id is not None,
            packages=page.packages.rowCount() if page is not None else 0,
            document_chosen=page is not None and page.selected_document() is not None,
        )
        self.show_allowed(allowed)
        if self.running is not None:
            for action in LONG_WORK:
                if button := self.buttons.get(action):
                    button.setEnabled(False)
                    button.setToolTip(_("Wait until the work under way has finished."))
        head = self.buttons.get(rules.HEAD_RECORD)
        if head is not None and head.isEnabled():
            head.setToolTip(_(HEAD_RECORD_HELP))

    def _run(
        self, work: Callable[[ops.Progress], T], done: Callable[[T], object], *, title: str, label: str,
        refused: Callable[[str], object] | None = None, cancelled: Callable[[], object] | None = None,
    ) -> ops.Task[T] | None:  # fmt: skip
        """Long work on a worker, with its progress dialog; the buttons that start more wait for it."""
        if self.running is not None:
            return None

        def finished() -> None:
            self.running = None
            self.update_buttons()

        task = self.task(
            work, done, title=title, label=label, refused=refused, cancelled=cancelled, finished=finished
        )
        self.running = task  # its end is queued: it cannot come before this
        self.update_buttons()
        return task

    # --- the village: export, key, head record ---------------------------------------------------------

    def suggest_target(self) -> None:
        page = self.export_page
        if page is None:
            return
        from villagegov.core import paths

        name = self.read(service.default_file_name, self.actor, Period.year(page.year.value()))
        if name is not None:
            page.target.setText(str(paths.exports_dir() / name))

    def choose_target(self) -> None:
        page = self.export_page
        assert page is not None
        path = self._save_name(_("Package file"), page.target.text(), "*.zip")
        if path:
            page.target.setText(path)

    def _show_key(self, page: ExportPage) -> None:
        key = self.read(service.village_key, self.actor)
        if key is None:
            page.key_label.setText(_("Not made yet: the first export makes it."))
        else:
            page.key_label.setText(
                _(
                    "Fingerprint {fingerprint}, made {date}. Give the township the key file and this "
                    "fingerprint, stamped, once."
                ).format(fingerprint=key.fingerprint, date=format_date(key.created_at.date()))
            )

    def save_key(self, path: str | None = None) -> None:
        page = self.export_page
        assert page is not None
        if path is None:
            name = self.read(service.default_file_name, self.actor, Period.year(page.year.value()))
            if name is None:
                return
            path = self._save_name(_("Key file"), f"{name.split('-')[0]}-key.json", "*.json")
        if path:
            self.write(service.save_public_key, self.actor, Path(path))  # a key made is announced

    def save_head_record(self, path: str | None = None) -> ops.Task[tuple[Path, Path, HeadRecord]] | None:
        """The head record's paper and file, laid out on a worker (the first layout loads the fonts)."""
        if path is None:
            from villagegov.core import paths

            suggested = str(paths.exports_dir() / f"{_('head-record')}-{self.today().isoformat()}.pdf")
            path = self._save_name(_("Head record"), suggested, "*.pdf")
        if not path:
            return None
        actor, target = self.actor, Path(path)

        def saved(result: tuple[Path, Path, HeadRecord]) -> None:
            paper, file, record = result
            self.inform(
                _("Head record"),
                _(
                    "The audit log's head on {date}: entry {seq}, hash {hash}.\n\nPrint {paper}, have it "
                    "signed and kept by the supervisory committee; {file} is for villagegov check --head."
                ).format(
                    date=format_date(record.day), seq=record.seq, hash=record.hash, paper=paper, file=file
                ),
            )

        return self._run(
            lambda progress: service.save_head_record(actor, target), saved,
            title=_("Head record"), label=_("Laying out the head record…"),
        )  # fmt: skip

    def export(self) -> ops.Task[service.ExportResult] | None:
        page = self.export_page
        assert page is not None
        text = page.target.text().strip()
        if not text:
            ops.show_refusal(self, _("Choose where to save the package."))
            return None
        actor, period, target = self.actor, Period.year(page.year.value()), Path(text)

        def work(progress: ops.Progress) -> service.ExportResult:
            def documents(done: int, total: int) -> None:
                progress(done, total, _("{done} of {total} documents").format(done=done, total=total))

            return service.export(actor, period, target, documents, progress.cancel_event)

        def done(result: service.ExportResult) -> None:
            page.status.setText(
                _(
                    "Exported {file}: {documents} documents ({pages} pages), {records} records, "
                    "{entries} audit entries, in {seconds:.1f} s."
                ).format(
                    file=result.path, documents=result.documents, pages=result.pages,
                    records=result.records, entries=result.audit_entries, seconds=result.seconds,
                )
            )  # fmt: skip

        def refused(message: str) -> None:
            page.status.setText(message)
            ops.show_refusal(self, message)

        task = self._run(
            work, done, title=_("Exporting the package"), label=_("Rendering the documents…"),
            refused=refused,
            cancelled=lambda: page.status.setText(_("The export was cancelled; no file was written.")),
        )  # fmt: skip
        if task is not None:
            page.status.setText(_("Exporting…"))
        return task

    # --- anyone: verify ------------------------------------------------------------------------------

    def choose_verify_file(self) -> None:
        path = self._open_name(_("Package file"), "*.zip")
        if path:
            self.verify_page.file.setText(path)
            self.verify()

    def verify(self) -> ops.Task[pkg.Report] | None:
        page = self.verify_page
        text = page.file.text().strip()
        if not text:
            return None
        path = Path(text)

        def work(progress: ops.Progress) -> pkg.Report:
            def files(done: int, total: int) -> None:
                progress(done, total, _("Checking {file}: {done} of {total} files").format(
                    file=path.name, done=done, total=total))  # fmt: skip

            return service.verify(path, progress=files, cancel=progress.cancel_event)

        task = self._run(
            work, lambda report: page.report.setPlainText("\n".join(report.lines())),
            title=_("Verifying the package"), label=_("Checking {file}…").format(file=path.name),
            refused=page.report.setPlainText,  # what could not be checked is the report
            cancelled=lambda: page.report.setPlainText(_("The verification was cancelled.")),
        )  # fmt: skip
        if task is not None:
            page.report.setPlainText(_("Verifying {file}…").format(file=path.name))
        return task

    # --- the township: keys, imports, the review ------------------------------------------------------

    def _load_packages(self, page: TownshipPage) -> None:
        chosen = page.selected_package()
        rows = self.read(service.packages, self.actor, with_findings=True) or []
        page.packages.set_rows(rows)
        if not rows:
            page.documents.set_rows([])
            page.findings.setPlainText("")
            return
        ids = [r.id for r in rows]
        page.package_view.selectRow(ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0)

    def package_chosen(self) -> None:
        """The chosen package's catalogue and what its review finds, room by room."""
        page = self.township
        assert page is not None
        row = page.selected_package()
        if row is None:
            return
        page.documents.set_rows(self.read(service.catalogue, self.actor, row.id) or [])
        found = self.read(service.review_findings, self.actor, row.id) or []
        lines: list[str] = []
        for room, items in service.findings_by_room(found):
            lines.append(_("{room} ({n})").format(room=service.room_name(room), n=len(items)))
            lines += [f"  {n}. {f.message()}" for n, f in enumerate(items, start=1)]
            lines.append("")
        page.findings.setPlainText("\n".join(lines).strip() or _("Nothing to look at."))
        self.update_buttons()

    def open_document(self) -> None:
        page = self.township
        assert page is not None
        document = page.selected_document()
        if document is None:
            return
        content = self.read(service.document_content, self.actor, document.id)
        if content is None:
            return
        from villagegov.ui.pdf_preview import PdfPreviewDialog

        data = content
        dialog = PdfPreviewDialog(self, document.title, lambda _paper: data, f"{document.number}.pdf")
        self.exec_dialog(dialog)

    def import_packages(self, files: list[str] | None = None) -> ops.Task[list[str]] | None:
        if not files:
            from PySide6.QtWidgets import QFileDialog

            files, _filter = QFileDialog.getOpenFileNames(self, _("Import packages"), "", "*.zip")
        paths = [Path(f) for f in files or []]
        if not paths:
            return None
        actor = self.actor
        # The list reloads when the import's changes are announced; then what became of each file.
        return self._run(
            lambda progress: _import_lines(actor, paths, progress),
            lambda lines: self.inform(_("Import packages"), "\n".join(lines)),
            title=_("Import packages"), label=_("Checking {file}…").format(file=paths[0].name),
        )  # fmt: skip

    def register_key(self, path: str | None = None) -> ops.Task[signing.PublicKey] | None:
        """Read the key (a package's only after the whole package is checked: on a worker), then have
        the fingerprint from the village's stamped form typed, and register it."""
        if not path:
            path = self._open_name(_("The village's key file or package"), "*.json *.zip")
        if not path:
            return None
        chosen = Path(path)

        def registered(key: signing.PublicKey) -> None:
            given = self.ask_fingerprint(key)
            if given is not None:
                self.write(service.register_key, self.actor, chosen, given, key=key)

        return self._run(
            lambda progress: service.read_key_file(chosen), registered,
            title=_("Register a village's key"), label=_("Checking {file}…").format(file=chosen.name),
        )  # fmt: skip

    def print_review(self) -> ops.Task[bytes] | None:
        """乡镇审查意见 of the chosen package's year, laid out on a worker, then previewed."""
        page = self.township
        assert page is not None
        row = page.selected_package()
        actor, year = self.actor, (row.year if row else None)

        def work(progress: ops.Progress) -> bytes:
            from villagegov.printing.document import render_bytes

            return render_bytes(service.review_document(actor, year))

        def show(content: bytes) -> None:
            from villagegov.core.files import pdf_file_name
            from villagegov.ui.pdf_preview import PdfPreviewDialog

            name = pdf_file_name(f"{year or ''}{_('Township review')}")
            self.exec_dialog(PdfPreviewDialog(self, _("Township review"), lambda _paper: content, name))

        return self._run(work, show, title=_("Township review"), label=_("Laying out the township's review…"))
