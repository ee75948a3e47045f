"""The roster room (花名册): villagers, households and villager groups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from villagegov.accounts import rules as access
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date
from villagegov.roster import rules, service
from villagegov.ui.widgets import Action, Column, RowsModel, TablePage, heading, rows_view, show_error, yes_no


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate()


def _pydate(edit: QDateEdit) -> date | None:
    q = edit.date()
    return date(q.year(), q.month(), q.day()) if q.isValid() and edit.isEnabled() else None


VILLAGER_COLUMNS = (
    Column(N_("Name"), lambda r: r.name),
    Column(N_("Gender"), lambda r: rules.gender_label(r.gender)),
    Column(N_("Birth date"), lambda r: format_date(r.birth_date)),
    Column(N_("ID-card number"), lambda r: r.id_number or ""),
    Column(N_("Phone"), lambda r: r.phone),
    Column(N_("Group"), lambda r: r.group),
    Column(N_("Household"), lambda r: r.household),
    Column(N_("Relation"), lambda r: rules.relation_label(r.relation)),
    Column(N_("Party member"), lambda r: yes_no(r.party_member)),
    Column(N_("Representative"), lambda r: yes_no(r.representative)),
)
HOUSEHOLD_COLUMNS = (
    Column(N_("Household number"), lambda r: r.number),
    Column(N_("Group"), lambda r: r.group),
    Column(N_("Head of household"), lambda r: r.head),
    Column(N_("Members"), lambda r: r.members, align_right=True),
    Column(N_("Address"), lambda r: r.address),
)
GROUP_COLUMNS = (
    Column(N_("Villager group"), lambda r: r.name),
    Column(N_("Households"), lambda r: r.households, align_right=True),
    Column(N_("Villagers"), lambda r: r.villagers, align_right=True),
)


class RosterRoom(QWidget):
    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.can_write = access.may(actor, access.WRITE)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Roster")))
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.villagers = VillagersTab(self)
        self.households = HouseholdsTab(self)
        self.groups = GroupsTab(self)
        self.tabs.addTab(self.villagers, _("Villagers"))
        self.tabs.addTab(self.households, _("Households"))
        self.tabs.addTab(self.groups, _("Villager groups"))
        layout.addWidget(self.tabs)
        self.refresh()

    def refresh(self) -> None:
        """Reload after a change: the tab on screen at once, the others when they are next shown."""
        counts = service.counts(self.actor)
        self.summary.setText(
            _(
                "{groups} groups · {households} households · {villagers} villagers · {representatives} "
                "representatives"
            ).format(**counts)
        )
        self.villagers.reload_filters()
        self.villagers.refresh()
        self.households.refresh()
        self.groups.refresh()

    def run(self, operation, *args: object) -> object | None:
        """Call a service; show its refusal in the user's language instead of failing."""
        try:
            return operation(*args)
        except VillagegovError as exc:
            show_error(self, exc)
            return None


class VillagersTab(TablePage):
    def __init__(self, room: RosterRoom) -> None:
        super().__init__(VILLAGER_COLUMNS)
        self.room = room
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search name, ID-card number, phone or household"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.group = QComboBox()
        self.group.currentIndexChanged.connect(self.refresh)
        self.kind = QComboBox()
        for label, key in (
            (N_("Everyone"), None),
            (N_("Party members"), "party"),
            (N_("Representatives"), "rep"),
            (N_("Men"), "male"),
            (N_("Women"), "female"),
        ):
            self.kind.addItem(_(label), key)
        self.kind.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.group, 1)
        bar.addWidget(self.kind, 1)
        self.layout_.insertLayout(0, bar)
        self.view.doubleClicked.connect(self.edit)
        self.count = QLabel()
        self.add_buttons(
            (
                Action(N_("Add villager"), self.add),
                Action(N_("Edit"), self.edit),
                Action(N_("Delete"), self.delete),
                Action(N_("Import…"), self.import_file),
                Action(N_("Export to Excel…"), self.export, writes=False),
            ),
            room.can_write,
            leading=(self.count,),
        )

    def reload_filters(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(_("All groups"), None)
        for g in service.list_groups(self.room.actor):
            self.group.addItem(g.name, g.id)
        index = self.group.findData(current)
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)

    def filters(self) -> service.VillagerFilter:
        kind = self.kind.currentData()
        return service.VillagerFilter(
            text=self.search.text(), group_id=self.group.currentData(),
            party_member=True if kind == "party" else None, representative=True if kind == "rep" else None,
            gender=kind if kind in (rules.MALE, rules.FEMALE) else None,
        )  # fmt: skip

    def load(self) -> None:
        rows = service.list_villagers(self.room.actor, self.filters())
        self.model.set_rows(rows)
        self.count.setText(_("{n} shown").format(n=len(rows)))

    def add(self) -> None:
        dialog = VillagerDialog(self.room.actor, None, self)
        if dialog.exec():
            self.room.refresh()

    def edit(self) -> None:
        row = self.selected()
        if row is None or not self.room.can_write:
            return
        dialog = VillagerDialog(self.room.actor, row, self)
        if dialog.exec():
            self.room.refresh()

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            _("Delete villager"),
            _("Delete {name} from the roster? The audit log keeps a record of it.").format(name=row.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.room.run(service.delete_villager, self.room.actor, row.id)
            self.room.refresh()

    def import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import a roster"), "", _("Rosters (*.xlsx *.csv)")
        )
        if not path:
            return
        preview = self.room.run(service.preview_import, self.room.actor, Path(path))
        if preview is None:
            return
        if ImportDialog(self.room.actor, preview, self).exec():
            self.room.refresh()

    def export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the roster"), _("roster.xlsx"), _("Excel workbook (*.xlsx)")
        )
        if path:
            count = self.room.run(service.export_xlsx, self.room.actor, Path(path), self.filters())
            if count is not None:
                QMessageBox.information(
                    self, _("Exported"), _("Exported {n} villagers to {file}").format(n=count, file=path)
                )


class ImportDialog(QDialog):
    """The preview: every bad row with its reason; nothing is written until the clerk confirms."""

    def __init__(self, actor: Actor, preview: service.ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.preview = preview
        self.setWindowTitle(_("Import a roster"))
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        if preview.ok:
            text = _("{n} villagers in {h} new households can be imported from {file}.").format(
                n=len(preview.rows), h=preview.new_households, file=preview.file.name
            )
        else:
            text = _(
                "{file} has {n} problems. Nothing will be imported until they are fixed in the file."
            ).format(file=preview.file.name, n=len(preview.problems))
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RowsModel((
            Column(N_("Row"), lambda p: p.row or "", align_right=True),
            Column(N_("Column"), lambda p: p.column),
            Column(N_("Problem"), lambda p: p.message),
        ), self)  # fmt: skip
        view = rows_view(self.model)
        self.model.set_rows(preview.problems)  # after the view exists, so its columns fit the text
        view.setVisible(bool(preview.problems))
        layout.addWidget(view)
        self.buttons = QDialogButtonBox()
        self.confirm = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(preview.ok)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def apply(self) -> None:
        try:
            result = service.apply_import(self.actor, self.preview.file)
        except VillagegovError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(
            self,
            _("Imported"),
            _("Imported {villagers} villagers in {households} new households.").format(
                villagers=result.villagers, households=result.households
            ),
        )
        self.accept()


class VillagerDialog(QDialog):
    def __init__(self, actor: Actor, row: service.VillagerRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.row = row
        self.setWindowTitle(_("Edit villager") if row else _("Add villager"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit(row.name if row else "")
        form.addRow(_("Name"), self.name)
        self.id_number = QLineEdit(row.id_number or "" if row else "")
        self.id_number.setPlaceholderText(_("Gender and birth date are read from it"))
        form.addRow(_("ID-card number"), self.id_number)
        self.gender = QComboBox()
        self.gender.addItem(_("(from the ID-card number)"), None)
        for g in rules.GENDERS:
            self.gender.addItem(rules.gender_label(g), g)
        if row:
            self.gender.setCurrentIndex(self.gender.findData(row.gender))
        form.addRow(_("Gender"), self.gender)
        self.birth_date = QDateEdit(_qdate(row.birth_date if row else date(1980, 1, 1)))
        self.birth_date.setDisplayFormat("yyyy-MM-dd")
        self.birth_date.setCalendarPopup(True)
        form.addRow(_("Birth date"), self.birth_date)
        self.phone = QLineEdit(row.phone if row else "")
        form.addRow(_("Phone"), self.phone)
        self.household = QComboBox()
        no_head = _("(no head)")
        for h in service.list_households(actor):
            self.household.addItem(f"{h.group} · {h.number} · {h.head or no_head}", h.id)
        if row:
            self.household.setCurrentIndex(self.household.findData(row.household_id))
        form.addRow(_("Household"), self.household)
        self.relation = QComboBox()
        for r in rules.RELATIONS:
            self.relation.addItem(rules.relation_label(r), r)
        if row:
            self.relation.setCurrentIndex(self.relation.findData(row.relation))
        form.addRow(_("Relation"), self.relation)
        self.party_member = QCheckBox(_("Party member"))
        self.party_member.setChecked(bool(row and row.party_member))
        form.addRow("", self.party_member)
        self.representative = QCheckBox(_("Villagers' representative"))
        self.representative.setChecked(bool(row and row.representative))
        form.addRow("", self.representative)
        self.term_start = QDateEdit(
            _qdate(row.representative_term_start if row else None)
            if row and row.representative_term_start
            else QDate.currentDate()
        )
        self.term_end = QDateEdit(
            _qdate(row.representative_term_end)
            if row and row.representative_term_end
            else QDate.currentDate().addYears(5)
        )
        for edit in (self.term_start, self.term_end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        form.addRow(_("Term starts"), self.term_start)
        form.addRow(_("Term ends"), self.term_end)
        self.representative.toggled.connect(self._term_enabled)
        self._term_enabled(self.representative.isChecked())
        self.notes = QLineEdit(row.notes if row else "")
        form.addRow(_("Notes"), self.notes)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _term_enabled(self, on: bool) -> None:
        self.term_start.setEnabled(on)
        self.term_end.setEnabled(on)

    def data(self) -> rules.VillagerInput:
        has_id = bool(self.id_number.text().strip())
        return rules.VillagerInput(
            name=self.name.text(), household_id=self.household.currentData() or 0,
            relation=self.relation.currentData(), gender=self.gender.currentData(),
            birth_date=None if has_id and self.row is None else _pydate(self.birth_date),
            id_number=self.id_number.text(), phone=self.phone.text(),
            party_member=self.party_member.isChecked(), representative=self.representative.isChecked(),
            representative_term_start=_pydate(self.term_start),
            representative_term_end=_pydate(self.term_end),
            notes=self.notes.text(),
        )  # fmt: skip

    def save(self) -> None:
        try:
            if self.row is None:
                service.add_villager(self.actor, self.data())
            else:
                service.update_villager(self.actor, self.row.id, self.data())
        except VillagegovError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return
        self.accept()


class HouseholdsTab(TablePage):
    def __init__(self, room: RosterRoom) -> None:
        super().__init__(HOUSEHOLD_COLUMNS)
        self.room = room
        self.add_buttons(
            (
                Action(N_("Add household"), self.add),
                Action(N_("Edit"), self.edit),
                Action(N_("Delete"), self.delete),
            ),
            room.can_write,
        )

    def load(self) -> None:
        self.model.set_rows(service.list_households(self.room.actor))

    def _dialog(self, row: service.HouseholdRow | None) -> tuple[int, str, str] | None:
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Household"))
        form = QFormLayout(dialog)
        group = QComboBox()
        for g in service.list_groups(self.room.actor):
            group.addItem(g.name, g.id)
        if row:
            group.setCurrentIndex(group.findData(row.group_id))
        number = QLineEdit(row.number if row else "")
        address = QLineEdit(row.address if row else "")
        form.addRow(_("Villager group"), group)
        form.addRow(_("Household number"), number)
        form.addRow(_("Address"), address)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if not dialog.exec() or group.currentData() is None:
            return None
        return group.currentData(), number.text(), address.text()

    def add(self) -> None:
        values = self._dialog(None)
        if values:
            self.room.run(service.add_household, self.room.actor, *values)
            self.room.refresh()

    def edit(self) -> None:
        row = self.selected()
        values = self._dialog(row) if row else None
        if row and values:
            self.room.run(service.update_household, self.room.actor, row.id, *values)
            self.room.refresh()

    def delete(self) -> None:
        row = self.selected()
        if row:
            self.room.run(service.delete_household, self.room.actor, row.id)
            self.room.refresh()


class GroupsTab(TablePage):
    def __init__(self, room: RosterRoom) -> None:
        super().__init__(GROUP_COLUMNS)
        self.room = room
        self.add_buttons(
            (
                Action(N_("Add group"), self.add),
                Action(N_("Rename"), self.rename),
                Action(N_("Delete"), self.delete),
            ),
            room.can_write,
        )

    def load(self) -> None:
        self.model.set_rows(service.list_groups(self.room.actor))

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, _("Add group"), _("Name of the villager group"))
        if ok:
            self.room.run(service.add_group, self.room.actor, name)
            self.room.refresh()

    def rename(self) -> None:
        row = self.selected()
        if row is None:
            return
        name, ok = QInputDialog.getText(self, _("Rename"), _("Name of the villager group"), text=row.name)
        if ok:
            self.room.run(service.rename_group, self.room.actor, row.id, name)
            self.room.refresh()

    def delete(self) -> None:
        row = self.selected()
        if row:
            self.room.run(service.delete_group, self.room.actor, row.id)
            self.room.refresh()
