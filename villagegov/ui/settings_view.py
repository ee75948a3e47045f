"""Settings: language, the people who use the app (and their passwords), and the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from villagegov.accounts import rules as access
from villagegov.accounts import service as accounts
from villagegov.core import i18n, settings
from villagegov.core.actor import CLERK, SECRETARY, SUPERVISOR, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _
from villagegov.ui import ops
from villagegov.ui.forms import FormDialog
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, RowsModel, heading, rows_view

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


class UserDialog(FormDialog):
    """A new user of the village's database: user name, name, role and a first password."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(_("Add user"), parent)
        self.actor = actor
        self.username, self.name = QLineEdit(), QLineEdit()
        self.role = QComboBox()
        for r in (CLERK, SECRETARY, SUPERVISOR):
            self.role.addItem(access.role_label(r), r)
        self.password, self.confirm = _password_line(), _password_line()
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Name"), self.name)
        self.form.addRow(_("Role"), self.role)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("Password again"), self.confirm)
        self.finish()

    def submit(self) -> accounts.UserRow:
        return accounts.create_user(
            self.actor, self.username.text(), self.name.text(), self.role.currentData(),
            self.password.text(), self.confirm.text(),
        )  # fmt: skip


class SettingsRoom(Room):
    # A backup was restored: the window must open the restored database afresh (MainWindow reopens).
    restored = Signal()
    watches = frozenset({"user"})

    def __init__(self, actor: Actor, database: str) -> None:
        super().__init__(actor)
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
        self.users_view.selectionModel().selectionChanged.connect(lambda *args: self.update_buttons())
        user_buttons = QHBoxLayout()
        self.add_button = self.button(access.ADD_USER, _("Add user"), self.add_user)
        self.reset_button = self.button(access.RESET_PASSWORD, _("Reset the password…"), self.reset_password)
        self.own_password_button = self.button(
            access.CHANGE_OWN_PASSWORD, _("Change my password…"), self.change_password
        )
        for button in (self.add_button, self.reset_button, self.own_password_button):
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
        backup = self.button(access.BACK_UP, _("Back up now"), self.backup)
        self.restore_button = self.button(access.RESTORE, _("Restore from a backup…"), self.restore)
        db_buttons.addWidget(backup)
        db_buttons.addWidget(self.restore_button)
        db_buttons.addStretch(1)
        db_layout.addLayout(db_buttons)
        layout.addWidget(db_box)
        layout.addStretch(1)
        self._show_backups_folder()
        self.refresh()

    def refresh(self) -> None:
        self.users.set_rows(self.read(accounts.list_users, self.actor) or [])
        self.update_buttons()

    def reload(self) -> None:
        chosen = self.users_view.selected_id()
        self.refresh()
        if chosen is not None:
            self.users_view.select_record(chosen)

    def update_buttons(self) -> None:
        chosen = self.users_view.selected_record() is not None
        self.show_allowed(access.settings_actions(self.actor.role, self.actor.user_id is not None, chosen))

    def show_information(self, title: str, text: str) -> None:
        """A box that says what was done (a test replaces it)."""
        QMessageBox.information(self, title, text)

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

        db, actor = database.obj, self.actor
        self.task(
            lambda progress: maintenance.backup(db, actor=actor),
            lambda path: self.show_information(_("Backed up"), _("Backed up to {file}").format(file=path)),
            title=_("Back up now"), label=_("Backing up the database…"),
        )  # fmt: skip

    def change_password(self) -> bool:
        return self.exec_dialog(PasswordDialog(self.actor, None, self))

    def reset_password(self) -> bool:
        user = self.users_view.selected_record()
        allowed = access.settings_actions(self.actor.role, self.actor.user_id is not None, user is not None)
        if not allowed.may(access.RESET_PASSWORD):
            ops.show_refusal(self, allowed.why_not(access.RESET_PASSWORD) or "")
            return False
        return self.exec_dialog(PasswordDialog(self.actor, user, self))

    def restore(self, path: str | None = None) -> bool:
        """Choose a backup, check it, say what it holds and ask, restore, then have the window reopen.

        The file is checked here so that the clerk decides on a sound file; the restore checks its own
        private copy again, and keeps the database it replaces.
        """
        from villagegov.core import maintenance
        from villagegov.core.db import database

        db = database.obj
        folder_path = ops.read(self, maintenance.backups_folder, db)
        if folder_path is None:
            return False
        folder = str(folder_path)
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Restore from a backup"), folder, _("Backups (*.sqlite3 *.db);;All files (*)")
            )
        if not path:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = ops.read(self, maintenance.check_file, Path(path))
        finally:
            QApplication.restoreOverrideCursor()
        if report is None:
            return False
        if not report.ok:
            ops.show_refusal(
                self,
                _("{file} cannot be restored:").format(file=path) + "\n" + "\n".join(report.lines()[-5:]),
            )
            return False
        heads = "\n".join(report.lines()[1:-1])
        answer = self.confirm(
            _("Restore from a backup"),
            _(
                "{file} is sound: {n} audit entries explain every record.\n{heads}\n\nReplace the records in "
                "use with it? The database as it is now is kept as a backup first. The window then opens the "
                "restored database and you sign in again."
            ).format(file=path, n=report.entries, heads=heads),
        )
        if not answer:
            return False
        # On this thread, with a wait cursor: the database in use is replaced under this very
        # connection, and the window then closes to open the restored one.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.write(maintenance.restore, db, Path(path), self.actor)
        finally:
            QApplication.restoreOverrideCursor()
        if result is None:
            return False
        self.show_information(
            _("Restored"),
            _("Restored from {file}; the database as it was is kept in {backup}.").format(
                file=path, backup=result.safety_backup
            ),
        )
        self.restored.emit()
        return True

    def add_user(self) -> None:
        self.exec_dialog(UserDialog(self.actor, self))
