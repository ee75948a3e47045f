"""What every room of the window stands on: who is signed in, today, the dialog hooks, the one way to
act (`ui/ops.py`), buttons enabled by the room's rules, and a room that never goes stale.

A room lists in `watches` the record kinds it shows (the audit log's names: "notice", "objection",
"villager"). When any write anywhere changes such a record, a visible room reloads at once and a
hidden one reloads when it is next shown; `reload()` keeps the selection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

from villagegov.accounts import rules as access
from villagegov.core import clock
from villagegov.core.actions import Allowed, Refusal
from villagegov.core.actor import Actor
from villagegov.core.changes import Changes
from villagegov.ui import ops

if TYPE_CHECKING:
    from villagegov.ui.pdf_preview import PdfPreviewDialog

P = ParamSpec("P")
T = TypeVar("T")


class Room(QWidget):
    watches: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.can_write = access.may(actor, access.WRITE)
        self.can_approve = access.may(actor, access.APPROVE)
        self.buttons: dict[str, QPushButton] = {}  # by action (the rules' names), for the rules and tests
        self._stale = False
        self._reloading = False
        ops.bus().changed.connect(self._changed)

    # --- hooks a test replaces ------------------------------------------------------------------

    def today(self) -> date:
        return clock.today()

    def exec_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    # --- acting through ops ---------------------------------------------------------------------

    def write(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
        return ops.write(self, fn, *args, **kwargs)

    def attempt(self, fn: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs) -> bool:
        return ops.attempt(self, fn, *args, **kwargs)

    def read(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
        return ops.read(self, fn, *args, **kwargs)

    def task(
        self, work: Callable[[ops.Progress], T], done: Callable[[T], object] | None = None, **options: Any
    ) -> ops.Task[T]:
        return ops.run(self, work, done, **options)

    # --- papers ---------------------------------------------------------------------------------

    def paper_dialog(self, key: str, subject: int, title: str, file_stem: str) -> PdfPreviewDialog:
        """The print preview of a paper from the rooms' tables (villagegov/documents.py), laid out on
        a worker thread; `file_stem` is the suggested file name without .pdf."""
        from villagegov import documents
        from villagegov.core.files import pdf_file_name
        from villagegov.ui.pdf_preview import PdfPreviewDialog

        actor, today = self.actor, self.today()
        return PdfPreviewDialog(
            self, title, lambda paper: documents.render_bytes(actor, key, subject, paper, today),
            pdf_file_name(file_stem),
        )  # fmt: skip

    def print_paper(self, key: str, subject: int, title: str, file_stem: str) -> PdfPreviewDialog:
        dialog = self.paper_dialog(key, subject, title, file_stem)
        self.exec_dialog(dialog)
        return dialog

    # --- buttons from the rules -------------------------------------------------------------------

    def button(self, action: str, label: str, slot: Callable[[], object]) -> QPushButton:
        """A button for one of the rules' actions, kept in `buttons` under the action's name."""
        button = QPushButton(label)
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons[action] = button
        return button

    def button_bar(self, actions: Sequence[tuple[str, str, Callable[[], object]]]) -> QHBoxLayout:
        """A row of buttons on the right under a table: (action, label in the user's language, slot)."""
        bar = QHBoxLayout()
        bar.addStretch(1)
        for action, label, slot in actions:
            bar.addWidget(self.button(action, label, slot))
        return bar

    def show_allowed(self, allowed: Mapping[str, Refusal | None]) -> None:
        """Enable each button the rules answered for; a refused one says why in its tooltip."""
        for action, refusal in allowed.items():
            button = self.buttons.get(action)
            if button is None:
                continue
            button.setEnabled(refusal is None)
            button.setToolTip("" if refusal is None else refusal.message())

    @staticmethod
    def allowed_now(allowed: Allowed | None, actions: tuple[str, ...], why: Refusal) -> Allowed:
        """The rules' answer for the selected record, or every action refused for `why` (none selected)."""
        return allowed if allowed is not None else Allowed.nothing(actions, why)

    # --- staying fresh --------------------------------------------------------------------------

    def reload(self) -> None:
        """Load again everything the room shows, keeping the selection."""
        raise NotImplementedError

    def _changed(self, what: Changes) -> None:
        if not what.touches(self.watches):
            return
        if self.isVisible() and not self._reloading:
            self._reload_now()
        else:
            self._stale = True

    def _reload_now(self) -> None:
        self._stale = False
        self._reloading = True
        try:
            self.reload()
        finally:
            self._reloading = False

    @property
    def stale(self) -> bool:
        return self._stale

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._reload_now()
        super().showEvent(event)
