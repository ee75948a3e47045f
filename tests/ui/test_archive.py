"""The 档案 room offscreen on a real database: export with progress and cancel, verify, township view."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import peewee
import pytest
from pytestqt.qtbot import QtBot

from tests.archive.conftest import YEAR, Village, fill_village, fingerprint_of
from tests.archive.conftest import small_village as small_village  # the fixture
from villagegov.accounts import service as accounts
from villagegov.archive import service
from villagegov.archive import views as archive_views
from villagegov.archive.views import ArchiveRoom
from villagegov.core.actor import Actor
from villagegov.notices import archiving as notices_archiving
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(archive_views, "show_error", lambda parent, exc: seen.append(str(exc)))
    return seen


def _room(qtbot: QtBot, actor: Actor) -> ArchiveRoom:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    room = window.show_room("archive")
    assert isinstance(room, ArchiveRoom)
    return room


def test_export_shows_progress_and_the_package_verifies(
    qtbot: QtBot, store: peewee.Database, tmp_path: Path, refusals: list[str]
) -> None:
    clerk = fill_village("青石村", notices_count=3)
    room = _room(qtbot, clerk)
    page = room.export_page
    assert page.year.value() in (YEAR, YEAR - 1)
    page.year.setValue(YEAR)
    target = tmp_path / "out" / f"青石村-{YEAR}.zip"
    page.target.setText(str(target))
    seen: list[tuple[int, int]] = []
    page.export_button.click()
    assert page.worker is not None
    page.worker.progress.connect(lambda d, t: seen.append((d, t)))
    qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)
    assert refusals == []
    assert target.is_file()
    assert seen and seen[-1][0] == seen[-1][1] >= 3  # documents done / total, up to the last one
    assert str(target) in page.status.text()
    assert "指纹" in page.key_label.text() or "Fingerprint" in page.key_label.text()
    room.tabs.setCurrentWidget(room.verify_page)
    room.verify_page.file.setText(str(target))
    room.verify_page.verify_button.click()
    assert service.verify(target, check_registration=False).ok
    assert str(target) in room.verify_page.report.toPlainText()


def test_a_cancelled_export_leaves_no_file(
    qtbot: QtBot, store: peewee.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusals: list[str]
) -> None:
    clerk = fill_village("青石村", notices_count=2)
    real = notices_archiving.documents

    def slow_documents(actor, period):
        docs = real(actor, period)

        def slow(build):
            def build_slowly():
                time.sleep(0.05)
                return build()

            return build_slowly

        return [
            replace(d, name=f"notices/slow-{n}.pdf", build=slow(d.build)) for n, d in enumerate(docs * 100)
        ]

    monkeypatch.setattr(notices_archiving, "documents", slow_documents)
    room = _room(qtbot, clerk)
    page = room.export_page
    page.year.setValue(YEAR)
    target = tmp_path / "out" / f"青石村-{YEAR}.zip"
    page.target.setText(str(target))
    page.export_button.click()
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.value() >= 3, timeout=30_000)
    assert dialog.maximum() >= 300  # the slowed notices (3 × 100) and the other rooms' papers
    from PySide6.QtWidgets import QPushButton

    dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    qtbot.waitUntil(lambda: page.worker is None, timeout=30_000)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # not even the temporary .part file
    assert page.status.text() in (
        "导出已取消，没有写入文件。",
        "The export was cancelled; no file was written.",
    )
    assert refusals == []


def test_the_reviewer_reads_imported_villages_side_by_side(
    qtbot: QtBot, store: peewee.Database, small_village: Village, refusals: list[str]
) -> None:
    accounts.set_up_reviewer("shenhe", "赵审查", "mima-1234", "mima-1234")
    reviewer = accounts.sign_in("shenhe", "mima-1234")
    service.register_key(reviewer, small_village.package, fingerprint_of(small_village.package))
    room = _room(qtbot, reviewer)
    page = room.township
    assert page.packages.rowCount() == 0
    page.import_packages = page.import_packages  # the file dialog is skipped: files are given
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    original = QMessageBox.information
    QMessageBox.information = staticmethod(lambda parent, title, text: shown.append(text))  # type: ignore[method-assign]
    try:
        page.import_packages([str(small_village.package)])
    finally:
        QMessageBox.information = original  # type: ignore[method-assign]
    assert shown and "青石村" in shown[0]
    assert page.packages.rowCount() == 1
    assert page.packages.row(0).village == "青石村"
    assert page.documents.rowCount() >= 2
    page.document_view.selectRow(0)
    page.open_document()
    assert isinstance(page._preview, PdfPreviewDialog)
    assert page._preview.pdf_bytes.startswith(b"%PDF-")
    page._preview.close()
    assert refusals == []


def test_closing_the_window_during_an_export_cancels_it_and_leaves_no_file(
    qtbot: QtBot, store: peewee.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusals: list[str]
) -> None:
    clerk = fill_village("青石村", notices_count=2)
    real = notices_archiving.documents

    def slow_documents(actor, period):
        def slow(build):
            def build_slowly():
                time.sleep(0.05)
                return build()

            return build_slowly

        docs = real(actor, period)
        return [
            replace(d, name=f"notices/slow-{n}.pdf", build=slow(d.build)) for n, d in enumerate(docs * 50)
        ]

    monkeypatch.setattr(notices_archiving, "documents", slow_documents)
    room = _room(qtbot, clerk)
    page = room.export_page
    page.year.setValue(YEAR)
    target = tmp_path / "out" / f"青石村-{YEAR}.zip"
    page.target.setText(str(target))
    page.export_button.click()
    worker = page.worker
    assert worker is not None
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.value() >= 2, timeout=30_000)
    room.window().close()  # the clerk closes the program half-way
    assert not worker.isRunning()
    assert not target.exists() and list(target.parent.iterdir()) == []
