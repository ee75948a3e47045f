"""The 档案 room offscreen on a real database: export with progress and cancel, verify, township view."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
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
    page.worker.progress.connect(lambda d, t, _what: seen.append((d, t)))
    qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)
    assert refusals == []
    assert target.is_file()
    assert seen and seen[-1][0] == seen[-1][1] >= 3  # documents done / total, up to the last one
    assert str(target) in page.status.text()
    assert "指纹" in page.key_label.text() or "Fingerprint" in page.key_label.text()
    room.tabs.setCurrentWidget(room.verify_page)
    room.verify_page.file.setText(str(target))
    room.verify_page.verify_button.click()
    qtbot.waitUntil(lambda: room.verify_page.task is None, timeout=60_000)  # checked on its own thread
    assert str(target) in room.verify_page.report.toPlainText()
    assert "校验通过" in room.verify_page.report.toPlainText()


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


def test_the_reviewer_registers_imports_and_reads_villages_side_by_side_off_the_gui_thread(
    qtbot: QtBot,
    store: peewee.Database,
    small_village: Village,
    refusals: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    accounts.set_up_reviewer("shenhe", "赵审查", "mima-1234", "mima-1234")
    reviewer = accounts.sign_in("shenhe", "mima-1234")
    room = _room(qtbot, reviewer)
    page = room.township
    assert page.packages.rowCount() == 0
    # The key is read from the package (checked whole, on the worker thread), then its fingerprint typed.
    typed = fingerprint_of(small_village.package)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *args: (typed, True)))
    page.register_key(str(small_village.package))
    assert page.task is not None and not page.register_button.isEnabled()  # busy while it works
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    assert service.township_villages(reviewer)[0].fingerprint == typed
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda parent, title, text: shown.append(text))
    )
    progress: list[tuple[int, int]] = []
    page.import_packages([str(small_village.package)])
    assert page.task is not None and page.task.dialog is not None and page.task.dialog.isVisible()
    page.task.worker.progress.connect(lambda d, t, _what: progress.append((d, t)))
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    assert shown and "青石村" in shown[0] and refusals == []
    assert progress and progress[-1][0] == progress[-1][1]  # the files checked, then the documents stored
    assert page.packages.rowCount() == 1
    row = page.packages.row(0)
    assert row.village == "青石村" and row.count("notices") == 2 and row.count("villagers") == 2
    headers = [
        page.packages.headerData(c, Qt.Orientation.Horizontal) for c in range(page.packages.columnCount())
    ]
    assert {"村民", "议事会会议", "重大事项", "红白事", "公开事项", "民情事项", "调解纠纷"} <= set(headers)
    assert page.findings.toPlainText()  # grouped by room, or "nothing to look at"
    assert page.documents.rowCount() >= 2
    page.document_view.selectRow(0)
    page.open_document()
    assert isinstance(page._preview, PdfPreviewDialog)
    assert page._preview.ready() and page._preview.pdf_bytes.startswith(b"%PDF-")
    page._preview.close()
    page.print_review()
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    assert page._preview.ready() and page._preview.pdf_bytes.startswith(b"%PDF-")
    assert "审查" in page._preview.windowTitle()
    page._preview.close()
    assert refusals == []


def test_the_findings_are_grouped_by_room(
    qtbot: QtBot, store: peewee.Database, small_village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    from villagegov.archive.contract import ReviewFinding

    accounts.set_up_reviewer("shenhe", "赵审查", "mima-1234", "mima-1234")
    reviewer = accounts.sign_in("shenhe", "mima-1234")
    service.register_key(reviewer, small_village.package, fingerprint_of(small_village.package))
    service.import_package(reviewer, small_village.package)
    found = [
        ReviewFinding("meetings", 1, "Meetings", {}),
        ReviewFinding("petition", 2, "Petitions", {}),
        ReviewFinding("mediation", 3, "Mediations", {}),
    ]
    monkeypatch.setattr(service, "review_findings", lambda actor, package_id: found)
    page = _room(qtbot, reviewer).township
    text = page.findings.toPlainText()
    assert "村民议事会（1项）" in text and "民情三本账与调解（2项）" in text
    assert text.index("村民议事会") < text.index("民情三本账")
    assert page.packages.row(0).findings == 3


def _slow_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file of a package takes a tenth of a second to check: long enough to watch and cancel."""
    from villagegov.archive import package as pkg

    real = pkg._is_pdf_entry

    def slowly(relative: str) -> bool:
        time.sleep(0.1)
        return real(relative)

    monkeypatch.setattr(pkg, "_is_pdf_entry", slowly)


def test_verify_runs_off_the_gui_thread_with_progress_and_can_be_cancelled(
    qtbot: QtBot,
    store: peewee.Database,
    small_village: Village,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    _slow_unpacking(monkeypatch)
    room = _room(qtbot, fill_village("白沙村", notices_count=1))
    verify = room.verify_page
    verify.file.setText(str(small_village.package))
    verify.verify_button.click()
    task = verify.task
    assert task is not None and task.dialog is not None and task.dialog.isVisible()
    assert not verify.verify_button.isEnabled()
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.value() >= 2, timeout=30_000)
    assert "青石村" in task.dialog.labelText()  # which file, how far: the window kept painting meanwhile
    from PySide6.QtWidgets import QPushButton

    task.dialog.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: verify.task is None, timeout=30_000)
    assert verify.report.toPlainText() in ("校验已取消。", "The verification was cancelled.")
    assert list((tmp_path / "tmp").iterdir()) == []  # the unpacked files are gone
    # Once more, to the end: the report of a sound package.
    verify.verify_button.click()
    qtbot.waitUntil(lambda: verify.task is None, timeout=60_000)
    assert "校验通过" in verify.report.toPlainText()
    assert verify.verify_button.isEnabled()


def test_a_cancelled_import_writes_nothing(
    qtbot: QtBot,
    store: peewee.Database,
    small_village: Village,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from villagegov.archive.models import ImportedPackage

    accounts.set_up_reviewer("shenhe", "赵审查", "mima-1234", "mima-1234")
    reviewer = accounts.sign_in("shenhe", "mima-1234")
    service.register_key(reviewer, small_village.package, fingerprint_of(small_village.package))
    _slow_unpacking(monkeypatch)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda parent, title, text: shown.append(text))
    )
    page = _room(qtbot, reviewer).township
    page.import_packages([str(small_village.package)])
    task = page.task
    assert task is not None
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.value() >= 2, timeout=30_000)
    task.dialog.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert shown and "已取消" in shown[0]
    assert not ImportedPackage.select().exists() and page.packages.rowCount() == 0


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
