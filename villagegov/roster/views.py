"""The roster room (花名册): villagers, households and villager groups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QTabWidget, QVBoxLayout, QWidget

from villagegov.accounts import rules as access
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date, message
from villagegov.roster import rules, service
from villagegov.ui.widgets import Action, Column, TablePage, heading, show_error, yes_no

# The dialogs (roster/dialogs.py) and Qt's message, file and input boxes are imported when first
# opened: each Qt class the start touches costs its making (QMessageBox ~5 ms, QFormLayout ~5 ms).


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
        self.representation = QLabel()  # the 5–15 households rule, when the marked representatives miss it
        self.representation.setWordWrap(True)
        self.representation.setStyleSheet("color: #8a5a00;")
        layout.addWidget(self.representation)
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
        notes = [
            note
            for note in (
                rules.representation_note(counts["households"], counts["representatives"]),
                rules.women_note(counts["representatives"], counts["women_representatives"]),
            )
            if note is not None
        ]
        self.representation.setText("\n".join(message(*note) for note in notes))
        self.representation.setVisible(bool(notes))
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
        from villagegov.roster.dialogs import VillagerDialog

        dialog = VillagerDialog(self.room.actor, None, self)
        if dialog.exec():
            self.room.refresh()

    def edit(self) -> None:
        row = self.selected()
        if row is None or not self.room.can_write:
            return
        from villagegov.roster.dialogs import VillagerDialog

        dialog = VillagerDialog(self.room.actor, row, self)
        if dialog.exec():
            self.room.refresh()

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            _("Delete villager"),
            _("Delete {name} from the roster? The audit log keeps a record of it.").format(name=row.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.room.run(service.delete_villager, self.room.actor, row.id)
            self.room.refresh()

    def import_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from villagegov.roster.dialogs import ImportDialog

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
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the roster"), _("roster.xlsx"), _("Excel workbook (*.xlsx)")
        )
        if path:
            count = self.room.run(service.export_xlsx, self.room.actor, Path(path), self.filters())
            if count is not None:
                QMessageBox.information(
                    self, _("Exported"), _("Exported {n} villagers to {file}").format(n=count, file=path)
                )


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
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout

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
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, _("Add group"), _("Name of the villager group"))
        if ok:
            self.room.run(service.add_group, self.room.actor, name)
            self.room.refresh()

    def rename(self) -> None:
        row = self.selected()
        if row is None:
            return
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, _("Rename"), _("Name of the villager group"), text=row.name)
        if ok:
            self.room.run(service.rename_group, self.room.actor, row.id, name)
            self.room.refresh()

    def delete(self) -> None:
        row = self.selected()
        if row:
            self.room.run(service.delete_group, self.room.actor, row.id)
            self.room.refresh()
