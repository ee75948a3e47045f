"""The attachments dialog the rooms share: a record's files (images, PDF files) listed, added, opened
with the program the computer uses for them, and removed, each button as the room's rules allow.

A room subclasses it with what is its own: how its record is read again, what its rules allow, and
how its service adds, reads and removes a file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from villagegov.core.actions import Refusal, refuse
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _
from villagegov.ui import ops
from villagegov.ui.forms import day_text
from villagegov.ui.widgets import Column, RowsModel, rows_view

OPEN = "open_attachment"
NOTHING_CHOSEN = N_("Choose an attachment in the list first.")
IMAGES_AND_PDFS = N_("Images and PDF files (*.jpg *.jpeg *.png *.pdf)")


class AttachmentRow(Protocol):
    id: int
    file_name: str
    sha256: str
    size: int


def size_text(row: Any) -> str:
    return _("{kb} KB").format(kb=max(1, round(row.size / 1024)))


FILE, SIZE, ADDED = (
    Column(N_("File"), lambda a: a.file_name),
    Column(N_("Size"), size_text),
    Column(N_("Added"), lambda a: day_text(a.added_at.date())),
)


class AttachmentsDialog(QDialog):
    """The list and its buttons; `actions` are (action, label, slot) for the room's own add buttons,
    and the room's `remove_action` names the rules' action for removing."""

    remove_action = "remove_attachment"

    def __init__(
        self,
        actor: Actor,
        title: str,
        columns: Sequence[Column],
        adds: Sequence[tuple[str, str, Callable[[], object]]],
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.changed = False
        self.setWindowTitle(title)
        self.resize(640, 380)
        layout = QVBoxLayout(self)
        if hint:
            label = QLabel(hint)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.model = RowsModel(columns, self)
        self.view = rows_view(self.model, _("No attachments yet."))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.selectionModel().selectionChanged.connect(lambda *args: self.update_buttons())
        self.view.doubleClicked.connect(lambda *args: self.open_selected())
        layout.addWidget(self.view, 1)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for action, label, slot in (
            *adds,
            (OPEN, _("Open"), self.open_selected),
            (self.remove_action, _("Remove"), self.remove_selected),
        ):
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            self.buttons[action] = button
            bar.addWidget(button)
        bar.addStretch(1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        layout.addLayout(bar)

    # --- what a room says of its own ---------------------------------------------------------------

    def rows(self) -> Sequence[Any]:
        """The record's attachments as it is now (read again)."""
        raise NotImplementedError

    def allowed(self, chosen: Any | None) -> Mapping[str, Refusal | None]:
        """The room's rules for the add buttons and for removing `chosen`."""
        raise NotImplementedError

    def content(self, row: Any) -> bytes | None:
        raise NotImplementedError

    def delete(self, row: Any) -> bool:
        raise NotImplementedError

    def removal_question(self, row: Any) -> str:
        return _("Remove the attachment {name}?").format(name=row.file_name)

    # --- hooks a test replaces --------------------------------------------------------------------

    def choose_file(self, title: str = "", kinds: str = "") -> str:
        name, _filter = QFileDialog.getOpenFileName(
            self, title or _("Add an attachment"), "", kinds or _(IMAGES_AND_PDFS)
        )
        return name

    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def open_path(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # --- the list -----------------------------------------------------------------------------------

    def reload(self) -> None:
        self.model.set_rows(list(self.rows()))
        self.update_buttons()

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def update_buttons(self) -> None:
        """Each button as the room's rules allow; a refused one says why."""
        chosen = self.selected()
        nothing = None if chosen is not None else refuse(NOTHING_CHOSEN)
        answers = {**self.allowed(chosen), OPEN: nothing}
        answers[self.remove_action] = answers.get(self.remove_action) or nothing
        for action, refusal in answers.items():
            self.buttons[action].setEnabled(refusal is None)
            self.buttons[action].setToolTip("" if refusal is None else refusal.message())

    def read_file(self, name: str) -> bytes | None:
        """The chosen file's bytes; a file that cannot be read is said and gives None."""
        try:
            return Path(name).read_bytes()
        except OSError as exc:
            refusal = VillagegovError(
                N_("The file {name} cannot be read: {reason}"), name=name, reason=exc.strerror or ""
            )
            ops.show_refusal(self, refusal.message())
            return None

    def added(self, row: Any | None) -> Any | None:
        """After a room's add: the list again (the room heard of it through the announcement)."""
        if row is not None:
            self.changed = True
            self.reload()
        return row

    def open_selected(self) -> Path | None:
        """Open the file with the program the computer uses for it (a copy in a temporary folder)."""
        chosen = self.selected()
        if chosen is None:
            return None
        content = self.content(chosen)
        if content is None:
            return None
        folder = Path(tempfile.gettempdir()) / "villagegov-attachments" / chosen.sha256[:16]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / chosen.file_name
        path.write_bytes(content)
        self.open_path(path)
        return path

    def remove_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not self.confirm(_("Remove"), self.removal_question(chosen)):
            return
        if self.delete(chosen):
            self.changed = True
            self.reload()
