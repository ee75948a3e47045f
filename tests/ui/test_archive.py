"""The 档案 room offscreen on a real database: export with progress and cancel, verify, township view;
its buttons from the rules with their reasons, and the township's list reloaded by the announcement."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from tests.archive.conftest import YEAR, Village, fill_village, fingerprint_of
from tests.archive.conftest import small_village as small_village  # the fixture
from villagegov.accounts import service as accounts
from villagegov.archive import rules, service
from villagegov.archive.views import ArchiveRoom
from villagegov.core.actor import Actor
from villagegov.notices import archiving as notices_archiving
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog


def _window(qtbot: QtBot, actor: Actor) -> MainWindow:
    make_application()
    window = MainWindow(actor, "village.sqlite3")
    qtbot.addWidget(window)
    window.show()
    return window


def _room(qtbot: QtBot, actor: Actor) -> ArchiveRoom:
    room = _window(qtbot, actor).show_room("archive")
    assert isinstance(room, ArchiveRoom)
    return room


def _previews(room: ArchiveRoom) -> list[PdfPreviewDialog]:
    """The room's print previews, each laid out (on its worker) before the test reads it."""
    shown: list[PdfPreviewDialog] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, PdfPreviewDialog)
        assert dialog.ready()
        shown.append(dialog)
        return True

    room.exec_dialog = run  # type: ignore[method-assign]
    return shown


def _reviewer() -> Actor:
    accounts.set_up_reviewer("shenhe", "赵审查", "mima-1234", "mima-1234")
    return accounts.sign_in("shenhe", "mima-1234")


def _cancel(dialog: object) -> None:
    dialog.findChild(QPushButton).click()  # type: ignore[attr-defined]  # the progress dialog's Cancel


def test_export_shows_progress_and_the_package_verifies(
    qtbot: QtBot, store: peewee.Database, tmp_path: Path, refusals: list[str]
) -> None:
    clerk = fill_village("青石村", notices_count=3)
    room = _room(qtbot, clerk)
    page = room.export_page
    assert page is not None
    assert page.year.value() in (YEAR, YEAR - 1)
    page.year.setValue(YEAR)
    target = tmp_path / "out" / f"青石村-{YEAR}.zip"
    page.target.setText(str(target))
    seen: list[tuple[int, int]] = []
    room.buttons[rules.EXPORT].click()
    task = room.running
    assert task is not None and task.worker is not None
    assert not room.buttons[rules.EXPORT].isEnabled()  # one export at a time
    task.worker.progressed.connect(lambda d, t, _what: seen.append((d, t)))
    qtbot.waitUntil(lambda: room.running is None, timeout=60_000)
    assert refusals == [] and task.outcome == "done"
    assert target.is_file()
    assert seen and seen[-1][0] == seen[-1][1] >= 3  # documents done / total, up to the last one
    assert str(target) in page.status.text()
    assert "指纹" in page.key_label.text() or "Fingerprint" in page.key_label.text()
    room.tabs.setCurrentWidget(room.verify_page)
    room.verify_page.file.setText(str(target))
    room.buttons[rules.VERIFY].click()
    assert room.running is not None  # checked on a thread of its own
    qtbot.waitUntil(lambda: room.running is None, timeout=60_000)
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
    assert page is not None
    page.year.setValue(YEAR)
    target = tmp_path / "out" / f"青石村-{YEAR}.zip"
    page.target.setText(str(target))
    room.buttons[rules.EXPORT].click()
    task = room.running
    assert task is not None and task.dialog is not None
    dialog = task.dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() >= 3, timeout=30_000)
    assert dialog.maximum() >= 300  # the slowed notices (3 × 100) and the other rooms' papers
    _cancel(dialog)
    qtbot.waitUntil(lambda: room.running is None, timeout=30_000)
    assert task.outcome == "cancelled"
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
    reviewer = _reviewer()
    room = _room(qtbot, reviewer)
    page = room.township
    assert page is not None and room.export_page is None
    assert page.packages.rowCount() == 0
    assert not room.buttons[rules.PRINT_REVIEW].isEnabled()  # nothing imported to review yet
    # The key is read from the package (checked whole, on the worker thread), then its fingerprint typed.
    typed = fingerprint_of(small_village.package)
    asked: list[str] = []
    room.ask_fingerprint = lambda key: asked.append(key.village) or typed  # type: ignore[method-assign]
    task = room.register_key(str(small_village.package))
    assert task is not None and room.running is task
    assert not room.buttons[rules.REGISTER].isEnabled() and not room.buttons[rules.IMPORT].isEnabled()
    qtbot.waitUntil(lambda: room.running is None, timeout=60_000)
    assert asked == ["青石村"]
    assert service.township_villages(reviewer)[0].fingerprint == typed
    assert room.buttons[rules.REGISTER].isEnabled()
    shown: list[str] = []
    room.inform = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    progress: list[tuple[int, int]] = []
    task = room.import_packages([str(small_village.package)])
    assert task is not None and task.dialog is not None and task.worker is not None
    task.worker.progressed.connect(lambda d, t, _what: progress.append((d, t)))
    qtbot.waitUntil(lambda: room.running is None, timeout=60_000)
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
    assert room.buttons[rules.PRINT_REVIEW].isEnabled()
    previews = _previews(room)
    assert not room.buttons[rules.OPEN_DOCUMENT].isEnabled()  # no document chosen yet
    page.document_view.selectRow(0)
    assert room.buttons[rules.OPEN_DOCUMENT].isEnabled()
    room.buttons[rules.OPEN_DOCUMENT].click()
    assert len(previews) == 1 and previews[0].pdf_bytes.startswith(b"%PDF-")
    assert previews[0].windowTitle() == page.documents.row(0).title
    room.buttons[rules.PRINT_REVIEW].click()
    assert room.running is not None  # laid out on a worker
    qtbot.waitUntil(lambda: room.running is None, timeout=60_000)
    assert len(previews) == 2 and previews[1].pdf_bytes.startswith(b"%PDF-")
    assert "审查" in previews[1].windowTitle()
    assert refusals == []


def test_the_findings_are_grouped_by_room(
    qtbot: QtBot, store: peewee.Database, small_village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    from villagegov.archive.contract import ReviewFinding

    reviewer = _reviewer()
    service.register_key(reviewer, small_village.package, fingerprint_of(small_village.package))
    service.import_package(reviewer, small_village.package)
    found = [
        ReviewFinding("meetings", 1, "Meetings", {}),
        ReviewFinding("petition", 2, "Petitions", {}),
        ReviewFinding("mediation", 3, "Mediations", {}),
    ]
    monkeypatch.setattr(service, "review_findings", lambda actor, package_id: found)
    page = _room(qtbot, reviewer).township
    assert page is not None
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
    room.tabs.setCurrentWidget(verify)
    verify.file.setText(str(small_village.package))
    button = room.buttons[rules.VERIFY]
    button.click()
    task = room.running
    assert task is not None and task.dialog is not None
    assert not button.isEnabled() and not room.buttons[rules.EXPORT].isEnabled()
    dialog = task.dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() >= 2, timeout=30_000)
    assert "青石村" in dialog.labelText()  # which file, how far: the window kept painting meanwhile
    _cancel(dialog)
    qtbot.waitUntil(lambda: room.running is None, timeout=30_000)
    assert verify.report.toPlainText() in ("校验已取消。", "The verification was cancelled.")
    assert list((tmp_path / "tmp").iterdir()) == []  # the unpacked files are gone
    # Once more, to the end: the report of a sound package.
    button.click()
    qtbot.waitUntil(lambda: room.running is None, timeout=60_000)
    assert "校验通过" in verify.report.toPlainText()
    assert button.isEnabled()


def test_a_cancelled_import_writes_nothing(
    qtbot: QtBot,
    store: peewee.Database,
    small_village: Village,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from villagegov.archive.models import ImportedPackage

    reviewer = _reviewer()
    service.register_key(reviewer, small_village.package, fingerprint_of(small_village.package))
    _slow_unpacking(monkeypatch)
    shown: list[str] = []
    room = _room(qtbot, reviewer)
    room.inform = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    page = room.township
    assert page is not None
    task = room.import_packages([str(small_village.package)])
    assert task is not None and task.dialog is not None
    dialog = task.dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() >= 2, timeout=30_000)
    _cancel(dialog)
    qtbot.waitUntil(lambda: room.running is None, timeout=30_000)
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
    assert page is not None
    page.year.setValue(YEAR)
    target = tmp_path / "out" / f"青石村-{YEAR}.zip"
    page.target.setText(str(target))
    room.buttons[rules.EXPORT].click()
    task = room.running
    assert task is not None and task.worker is not None and task.dialog is not None
    worker, dialog = task.worker, task.dialog
    qtbot.waitUntil(lambda: dialog.value() >= 2, timeout=30_000)
    room.window().close()  # the clerk closes the program half-way
    assert not worker.isRunning() and not ops.busy()
    assert not target.exists() and list(target.parent.iterdir()) == []
    from villagegov.core import paths

    work = paths.work_dir(create=False)
    assert not work.exists() or list(work.glob("export-*")) == []  # the records' work folder went too


def test_a_disabled_button_says_why_in_chinese(
    qtbot: QtBot, store: peewee.Database, refusals: list[str]
) -> None:
    """The supervisory committee reads the room: it may write down the audit log's head and verify, but
    the package and the key are the clerk's or the secretary's, and their buttons say so."""
    clerk = fill_village("青石村")
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    room = _room(qtbot, accounts.sign_in("jianwei", "mima-5678"))
    export = room.buttons[rules.EXPORT]
    assert not export.isEnabled()
    assert export.toolTip() == "只有文书或书记可以备份、恢复或导入；您当前的登录身份是监委会。"
    assert not room.buttons[rules.KEY].isEnabled() and room.buttons[rules.KEY].toolTip() == export.toolTip()
    head = room.buttons[rules.HEAD_RECORD]
    assert head.isEnabled() and "check --head" in head.toolTip()  # what the paper is for
    assert room.buttons[rules.VERIFY].isEnabled()
    assert refusals == []


def test_the_township_list_reloads_when_a_package_is_imported_anywhere(
    qtbot: QtBot, store: peewee.Database, small_village: Village, refusals: list[str]
) -> None:
    """An import made through ops elsewhere (another room, a dialog) is announced: the township's list
    shows it when next shown (at once when on screen), with its catalogue; the review then may be printed."""
    reviewer = _reviewer()
    window = _window(qtbot, reviewer)
    room = window.show_room("archive")
    assert isinstance(room, ArchiveRoom) and room.township is not None
    page = room.township
    review = room.buttons[rules.PRINT_REVIEW]
    assert page.packages.rowCount() == 0
    assert not review.isEnabled() and review.toolTip() == "尚未导入任何档案包。"
    assert not room.buttons[rules.OPEN_DOCUMENT].isEnabled()
    package, fingerprint = small_village.package, fingerprint_of(small_village.package)
    assert ops.write(window, service.register_key, reviewer, package, fingerprint) is not None
    window.show_room("settings")
    assert ops.write(window, service.import_package, reviewer, package) is not None
    assert room.stale and page.packages.rowCount() == 0  # hidden: reloaded when shown
    window.show_room("archive")
    assert not room.stale and page.packages.rowCount() == 1
    assert page.selected_package() is not None and page.documents.rowCount() >= 2
    assert review.isEnabled() and review.toolTip() == ""
    assert refusals == []


def test_the_service_refuses_what_the_buttons_refuse(
    store: peewee.Database, small_village: Village, tmp_path: Path
) -> None:
    """The same answer, in the same words, from the rules to the service."""
    from villagegov.core.actor import REVIEWER
    from villagegov.core.errors import PermissionDenied

    clerk = fill_village("青石村")
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    supervisor = accounts.sign_in("jianwei", "mima-5678")
    key_file = tmp_path / "key.json"
    with pytest.raises(PermissionDenied) as refused:
        service.save_public_key(supervisor, key_file)
    assert refused.value.message() == rules.archive_actions(supervisor.role, True).why_not(rules.KEY)
    assert not key_file.exists() and service.village_key(clerk) is None  # no key made either
    assert service.head_record(supervisor).seq > 0  # the committee writes the head down itself
    with pytest.raises(PermissionDenied) as refused:
        service.register_key(clerk, small_village.package, fingerprint_of(small_village.package))
    assert refused.value.message() == rules.archive_actions(clerk.role, True).why_not(rules.REGISTER)
    assert refused.value.message() == "只有乡镇审查员才能在乡镇数据库中进行此操作。"
    reviewer = Actor(None, "shenhe", "赵审查", REVIEWER, None)
    with pytest.raises(PermissionDenied) as refused:
        service.head_record(reviewer)
    assert refused.value.message() == "链头记录只能在本村自己的数据库中生成。"
