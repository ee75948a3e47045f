"""The first-run set-up and the sign-in dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from villagegov.accounts import rules as access
from villagegov.accounts import service as accounts
from villagegov.core.actor import CLERK, SECRETARY, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import _


def _call(submit: Callable[[], Actor]) -> Actor:
    return submit()


class _FormDialog(QDialog):
    """A form with OK/Cancel whose errors show inside the dialog, keeping what was typed."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.layout_ = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self.layout_.addWidget(intro_label)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.actor: Actor | None = None
        # How `submit` is called: the app runs it beside the first screen's imports (ui/app.py).
        self.around_submit: Callable[[Callable[[], Actor]], Actor] = _call

    def line(self, label: str, password: bool = False, text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def show_problem(self, exc: VillagegovError) -> None:
        self.error.setText(exc.message())
        self.error.show()

    def _submit(self) -> None:
        try:
            self.actor = self.around_submit(self.submit)
        except VillagegovError as exc:
            self.show_problem(exc)
            return
        self.accept()

    def submit(self) -> Actor:
        raise AssertionError("subclass")


class FirstRunDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Set up the village"),
            _("Welcome. Enter your village and create your own account; you sign in with it from now on."),
            parent,
        )
        self.village = self.line(_("Village name"))
        self.township = self.line(_("Township"))
        self.county = self.line(_("County"))
        self.display_name = self.line(_("Your name"))
        self.role = QComboBox()
        for role in (CLERK, SECRETARY):
            self.role.addItem(access.role_label(role), role)
        self.form.addRow(_("Your role"), self.role)
        self.username = self.line(_("User name"))
        self.password = self.line(_("Password"), password=True)
        self.confirm = self.line(_("Password again"), password=True)

    def submit(self) -> Actor:
        return accounts.set_up(
            self.village.text(), self.township.text(), self.county.text(), self.username.text(),
            self.display_name.text(), self.password.text(), self.confirm.text(), role=self.role.currentData(),
        )  # fmt: skip


class SignInDialog(_FormDialog):
    def __init__(self, village_name: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Sign in"), _("Village records of {village}").format(village=village_name), parent)
        self.username = self.line(_("User name"))
        self.password = self.line(_("Password"), password=True)

    def submit(self) -> Actor:
        return accounts.sign_in(self.username.text(), self.password.text())
