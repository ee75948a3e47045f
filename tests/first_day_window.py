"""The window's part of a new clerk's first day, run in a fresh process by tests/test_first_day.py:

    python -m tests.first_day_window DATABASE USER PASSWORD PDF

Signed in, in Chinese, offscreen: a villager added by hand to a household the imported roster made; a
notice drafted, approved (the number confirmed), posted and saved as a PDF from its preview — every
step through the rooms' own buttons and dialogs. Prints one JSON line of what happened.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog

from villagegov.accounts import service as accounts
from villagegov.core.i18n import set_language
from villagegov.core.privacy import make_id_number
from villagegov.notices import rules as notice_rules
from villagegov.notices.views import NoticeDialog, NoticesRoom, PostDialog
from villagegov.roster import rules as roster_rules
from villagegov.roster.dialogs import VillagerDialog
from villagegov.roster.views import RosterRoom
from villagegov.schema import open_store
from villagegov.ui import ops
from villagegov.ui.app import make_application
from villagegov.ui.main_window import MainWindow
from villagegov.ui.pdf_preview import PdfPreviewDialog

TITLE = "关于2026年冬季征兵报名的通知"


def main(database: str, user: str, password: str, pdf: str) -> int:
    set_language("zh_CN")
    app = make_application()
    open_store(database)
    refusals: list[str] = []
    ops.show_refusal = lambda parent, message: refusals.append(message)  # type: ignore[assignment]
    window = MainWindow(accounts.sign_in(user, password), database)
    window.resize(1366, 768)
    window.show()
    app.processEvents()

    # The roster: a child added by hand to the household 01-002 the import made.
    roster = window.show_room("roster")
    assert isinstance(roster, RosterRoom)

    def villager(dialog: QDialog) -> bool:
        assert isinstance(dialog, VillagerDialog)
        dialog.group.combo.setCurrentIndex(dialog.group.combo.findText("第二村民小组"))
        dialog.household.setCurrentIndex(dialog.household.findText("02-001", flags=_contains()))
        dialog.relation.setCurrentIndex(dialog.relation.findData("child"))
        dialog.name.setText("张小明")
        dialog.id_number.setText(make_id_number("110105", date(2010, 1, 1), 17))
        dialog.save()
        if dialog.result() != QDialog.DialogCode.Accepted:
            refusals.append(dialog.error.text())
        return dialog.result() == QDialog.DialogCode.Accepted

    roster.exec_dialog = villager  # type: ignore[method-assign]
    roster.buttons[roster_rules.ADD_VILLAGER].click()
    names = [row.name for row in roster.villagers.model.rows()]

    # The notices room: drafted, approved with its number confirmed, posted, printed.
    notices = window.show_room("notices")
    assert isinstance(notices, NoticesRoom)

    def draft(dialog: QDialog) -> bool:
        assert isinstance(dialog, NoticeDialog)
        dialog.category.setCurrentIndex(dialog.category.findData(notice_rules.VILLAGE))
        dialog.kind.setCurrentIndex(dialog.kind.findData(notice_rules.NOTIFICATION))
        dialog.title.setText(TITLE)
        dialog.body.setPlainText(
            "各村民小组：\n今年冬季征兵报名即日开始，适龄青年请到村委会报名，联系电话13812345678。"
        )
        dialog.save()
        return dialog.result() == QDialog.DialogCode.Accepted

    notices.exec_dialog = draft  # type: ignore[method-assign]
    notices.buttons[notice_rules.NEW].click()
    questions: list[str] = []
    notices.confirm = lambda title, text: bool(questions.append(text)) or True  # type: ignore[method-assign]
    notices.buttons[notice_rules.APPROVE].click()

    def post(dialog: QDialog) -> bool:
        assert isinstance(dialog, PostDialog)
        dialog.save()
        return dialog.result() == QDialog.DialogCode.Accepted

    notices.exec_dialog = post  # type: ignore[method-assign]
    notices.buttons[notice_rules.POST].click()
    detail = notices.detail
    assert detail is not None

    saved: list[str] = []

    def preview(dialog: QDialog) -> bool:
        assert isinstance(dialog, PdfPreviewDialog)
        assert dialog.ready()
        path = dialog.save(Path(pdf))
        saved.append(str(path))
        return True

    notices.exec_dialog = preview  # type: ignore[method-assign]
    notices.buttons[notice_rules.PRINT].click()
    print(json.dumps({
        "villagers": names, "refusals": refusals, "question": questions[0] if questions else "",
        "number": detail.number, "state": detail.state, "saved": saved,
    }, ensure_ascii=False))  # fmt: skip
    window.close()
    return 0


def _contains():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchContains


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
