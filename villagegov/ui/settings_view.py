"""Settings: language, the people who use the app (and their passwords), and the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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
from villagegov.core import i18n, settings
from villagegov.core.actor import CLERK, SECRETARY, SUPERVISOR, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _
from villagegov.ui.forms import FormDialog
from villagegov.ui.widgets import Column, RowsModel, heading, rows_view, show_error

USER_COLUMNS = (
    Column(N_("User name"), lambda u: u.username),
    Column(N_("Name"), lambda u: u.display_name),
    Column(N_("Role"), lambda u: access.role_label(u.role)),
    Column(N_("Active"), lambda u: _("Yes") if u.active else _("No")),
)


def _password_line() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordDialog(FormDialog):
    """One's own password (the old one, then the new one twice), or another user's, reset by the clerk or
    the secretary (the new one twice). Either is audited without the password or its hash."""

    MIN_WIDTH = 420

    def __init__(
        self, actor: Actor, user: accounts.UserRow | None = None, parent: QWidget | None = None
    ) -> None:
        own = user is None or user.id == actor.user_id
        title = (
            _("Change my password")
            if own
            else _("Reset the password of {name}").format(name=user.display_name if user else "")
        )
        super().__init__(title, parent)
        self.actor, self.user, self.own = actor, user, own
        self.old: QLineEdit | None = None
        if own:
            self.old = _password_line()
            self.form.addRow(_("Current password"), self.old)
        self.password, self.confirm = _password_line(), _password_line()
        self.form.addRow(_("New password"), self.password)
        self.form.addRow(_("New password again"), self.confirm)
        self.finish()

    def submit(self) -> None:
        if self.old is not None:
            accounts.change_password(self.actor, self.old.text(), self.password.text(), self.confirm.text())
        else:
            assert self.user is not None
            accounts.set_password(self.actor, self.user.id, self.password.text(), self.confirm.text())


class SettingsRoom(QWidget):
    # A backup was restored: the window must open the restored database afresh (MainWindow reopens).
    restored = Signal()

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
        # The language in use (--lang may differ from the saved choice); choosing saves it.
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.currentIndexChanged.connect(self.save_language)
        row.addWidget(self.language)
        row.addWidget(QLabel(_("Takes effect when villagegov starts again.")))
        row.addStretch(1)
        layout.addWidget(language_box)

        users_box = QGroupBox(_("Users"))
        users_layout = QVBoxLayout(users_box)
        self.users = RowsModel(USER_COLUMNS, self)
        self.users_view = rows_view(self.users)
        users_layout.addWidget(self.users_view)
        manage = access.may(actor, access.MANAGE_USERS)
        user_buttons = QHBoxLayout()
        add = QPushButton(_("Add user"))
        add.setEnabled(manage)
        add.clicked.connect(self.add_user)
        self.reset_button = QPushButton(_("Reset the password…"))
        self.reset_button.setEnabled(manage)
        self.reset_button.clicked.connect(lambda: self.reset_password())
        self.own_password_button = QPushButton(_("Change my password…"))
        self.own_password_button.setEnabled(actor.user_id is not None)
        self.own_password_button.clicked.connect(lambda: self.change_password())
        for button in (add, self.reset_button, self.own_password_button):
            user_buttons.addWidget(button)
        user_buttons.addStretch(1)
        users_layout.addLayout(user_buttons)
        layout.addWidget(users_box)

        db_box = QGroupBox(_("Database"))
        db_layout = QVBoxLayout(db_box)
        path = QLabel(database)
        path.setWordWrap(True)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        db_layout.addWidget(path)
        self.backups_label = QLabel()
        self.backups_label.setWordWrap(True)
        db_layout.addWidget(self.backups_label)
        db_buttons = QHBoxLayout()
        maintain = access.may(actor, access.MAINTAIN)
        backup = QPushButton(_("Back up now"))
        backup.setEnabled(maintain)
        backup.clicked.connect(self.backup)
        self.restore_button = QPushButton(_("Restore from a backup…"))
        self.restore_button.setEnabled(maintain)
        self.restore_button.clicked.connect(lambda: self.restore())
        db_buttons.addWidget(backup)
        db_buttons.addWidget(self.restore_button)
        db_buttons.addStretch(1)
        db_layout.addLayout(db_buttons)
        layout.addWidget(db_box)
        layout.addStretch(1)
        self._show_backups_folder()
        self.refresh()

    def refresh(self) -> None:
        self.users.set_rows(accounts.list_users(self.actor))

    def save_language(self) -> None:
        current = settings.load()
        current.language = self.language.currentData()
        settings.save(current)

    def _show_backups_folder(self) -> None:
        from villagegov.core import maintenance
        from villagegov.core.db import database

        try:
            folder = maintenance.backups_folder(database.obj)
        except VillagegovError:  # a township server: backed up with pg_dump
            self.backups_label.setText(_("A township server is backed up with PostgreSQL's own tools."))
            return
        self.backups_label.setText(
            _("Backups (one each time the window closes) are kept in {folder}.").format(folder=folder)
        )

    def backup(self) -> None:
        from villagegov.core import maintenance
        from villagegov.core.db import database

        try:
            path = maintenance.backup(database.obj, actor=self.actor)
        except VillagegovError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, _("Backed up"), _("Backed up to {file}").format(file=path))

    def change_password(self) -> bool:
        return bool(PasswordDialog(self.actor, None, self).exec())

    def reset_password(self) -> bool:
        user = self.users_view.selected_record()
        if user is None:
            show_error(self, _("Choose whose password to reset in the list first."))
            return False
        return bool(PasswordDialog(self.actor, user, self).exec())

    def restore(self, path: str | None = None) -> bool:
        """Choose a backup, check it, say what it holds and ask, restore, then have the window reopen.

        The file is checked here so that the clerk decides on a sound file; the restore checks its own
        private copy again, and keeps the database it replaces.
        """
        from villagegov.core import maintenance
        from villagegov.core.db import database

        db = database.obj
        try:
            folder = str(maintenance.backups_folder(db))
        except VillagegovError as exc:
            show_error(self, exc)
            return False
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Restore from a backup"), folder, _("Backups (*.sqlite3 *.db);;All files (*)")
            )
        if not path:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = maintenance.check_file(Path(path))
        except VillagegovError as exc:
            QApplication.restoreOverrideCursor()
            show_error(self, exc)
            return False
        QApplication.restoreOverrideCursor()
        if not report.ok:
            show_error(
                self,
                _("{file} cannot be restored:").format(file=path) + "\n" + "\n".join(report.lines()[-5:]),
            )
            return False
        heads = "\n".join(report.lines()[1:-1])
        answer = QMessageBox.question(
            self,
            _("Restore from a backup"),
            _(
                "{file} is sound: {n} audit entries explain every record.\n{heads}\n\nReplace the records in "
                "use with it? The database as it is now is kept as a backup first. The window then opens the "
                "restored database and you sign in again."
            ).format(file=path, n=report.entries, heads=heads),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = maintenance.restore(db, Path(path), self.actor)
        except VillagegovError as exc:
            QApplication.restoreOverrideCursor()
            show_error(self, exc)
            return False
        QApplication.restoreOverrideCursor()
        QMessageBox.information(
            self,
            _("Restored"),
            _("Restored from {file}; the database as it was is kept in {backup}.").format(
                file=path, backup=result.safety_backup
            ),
        )
        self.restored.emit()
        return True

    def add_user(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Add user"))
        form = QFormLayout(dialog)
        username, name = QLineEdit(), QLineEdit()
        role = QComboBox()
        for r in (CLERK, SECRETARY, SUPERVISOR):
            role.addItem(access.role_label(r), r)
        password, confirm = _password_line(), _password_line()
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
