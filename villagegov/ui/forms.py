"""What the rooms' forms share: date fields, the error line, and a dialog whose refusals show inside it."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from villagegov.core.errors import VillagegovError
from villagegov.core.files import pdf_file_name as pdf_file_name  # where the rooms import it from
from villagegov.core.i18n import format_date

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def date_edit(value: date) -> QDateEdit:
    """A date typed as 2026-11-29 or picked from a calendar."""
    edit = QDateEdit(qdate(value))
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


def day_text(value: date | None) -> str:
    return format_date(value) if value else ""


def error_label() -> QLabel:
    """A red line, hidden until there is something to say."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class FormDialog(QDialog):
    """A form whose service refusal shows inside it, keeping what was typed.

    Subclasses add rows to `form` and may add widgets below it to `layout_`, then call `finish()` so the
    error line and the OK/Cancel buttons stay last; `submit()` calls the service and returns its result.
    """

    MIN_WIDTH: ClassVar[int] = 520

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.MIN_WIDTH)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.result_value: Any = None
        self.finish()

    def finish(self) -> None:
        """Put the error line and the buttons after whatever the subclass added below the form."""
        for widget in (self.error, self.buttons):
            self.layout_.removeWidget(widget)
            self.layout_.addWidget(widget)

    def submit(self) -> Any:
        raise NotImplementedError

    def save(self) -> None:
        """Submit through the one way to act: what the service changed is announced to every room."""
        from villagegov.ui import ops

        try:
            with ops.Gathered():
                self.result_value = self.submit()
        except VillagegovError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return
        self.accept()
