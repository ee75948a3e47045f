"""Settings: language, the people who use the app, and the database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from villagegov.accounts import rules as access
from villagegov.accounts import service as accounts
from villagegov.core import settings
from villagegov.core.actor import CLERK, SECRETARY, SUPERVISOR, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _
from villagegov.ui.widgets import Column, RowsModel, heading, rows_view, show_error

USER_COLUMNS = (
    Column(N_("User name"), lambda u: u.username),
    Column(N_("Name"), lambda u: u.display_name),
    Column(N_("Role"), lambda u: access.role_label(u.role)),
    Column(N_("Active"), lambda u: _("Yes") if u.active else _("No")),
)


class SettingsRoom(QWidget):
    def __init__(self, actor: Actor, database: str) -> None:
        super().__init__()
        self.actor = actor
        self.database = database
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Settings")))

        language_box = QGroupBox(_("Language"))
        row = QHBoxLayout(language_box)
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(self.language.findData(settings.load().language))
        self.language.currentIndexChanged.connect(self.save_language)
        row.addWidget(self.language)
        row.addWidget(QLabel(_("Takes effect when villagegov starts again.")))
        row.addStretch(1)
        layout.addWidget(language_box)

        users_box = QGroupBox(_("Users"))
        users_layout = QVBoxLayout(users_box)
        self.users = RowsModel(USER_COLUMNS, self)
        users_layout.addWidget(rows_view(self.users))
        add = QPushButton(_("Add user"))
        add.setEnabled(access.may(actor, access.MANAGE_USERS))
        add.clicked.connect(self.add_user)
        users_layout.addWidget(add)
        layout.addWidget(users_box)

        db_box = QGroupBox(_("Database"))
        db_layout = QHBoxLayout(db_box)
        path = QLabel(database)
        path.setWordWrap(True)
        db_layout.addWidget(path, 1)
        backup = QPushButton(_("Back up now"))
        backup.setEnabled(access.may(actor, access.MAINTAIN))
        backup.clicked.connect(self.backup)
        db_layout.addWidget(backup)
        layout.addWidget(db_box)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.users.set_rows(accounts.list_users(self.actor))

    def save_language(self) -> None:
        current = settings.load()
        current.language = self.language.currentData()
        settings.save(current)

    def backup(self) -> None:
        from villagegov.core import maintenance
        from villagegov.core.db import database

        try:
            path = maintenance.backup(database.obj)
        except VillagegovError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, _("Backed up"), _("Backed up to {file}").format(file=path))

    def add_user(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Add user"))
        form = QFormLayout(dialog)
        username, name = QLineEdit(), QLineEdit()
        role = QComboBox()
        for r in (CLERK, SECRETARY, SUPERVISOR):
            role.addItem(access.role_label(r), r)
        password, confirm = QLineEdit(), QLineEdit()
        for edit in (password, confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("User name"), username)
        form.addRow(_("Name"), name)
        form.addRow(_("Role"), role)
        form.addRow(_("Password"), password)
        form.addRow(_("Password again"), confirm)
        error = QLabel()
        error.setStyleSheet("color: #b00020;")
        form.addRow(error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form.addRow(buttons)

        def save() -> None:
            try:
                accounts.create_user(
                    self.actor,
                    username.text(),
                    name.text(),
                    role.currentData(),
                    password.text(),
                    confirm.text(),
                )
            except VillagegovError as exc:
                error.setText(exc.message())
                return
            dialog.accept()

        buttons.accepted.connect(save)
        buttons.rejected.connect(dialog.reject)
        if dialog.exec():
            self.refresh()
