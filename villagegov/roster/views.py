"""The roster room (花名册): villagers, households and villager groups.

Screens only: every read and write goes through `villagegov.roster.service` by way of `ui/ops` (the
room's `read`/`write`/`attempt`/`task`, the dialogs' `FormDialog.save`); which buttons may be used, and
why not, comes from `roster/rules.py`. An empty village's room says how to begin: import the roster kept
in Excel, or enter it by hand (a villager group, a household, then its villagers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from villagegov.core.actions import NOTHING_SELECTED, Allowed, refuse
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _, format_date, message
from villagegov.roster import rules, service
from villagegov.roster.importer import HEADERS_ZH, REQUIRED
from villagegov.roster.records import GroupRow, HouseholdRow, ImportPreview, VillagerRow
from villagegov.ui import ops
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, TablePage, heading, yes_no

# The dialogs (roster/dialogs.py) and Qt's message and file boxes are imported when first opened:
# each Qt class the start touches costs its making (QMessageBox ~5 ms, QFormLayout ~5 ms).


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

# What an empty table says, so that a new village's clerk knows what comes first.
FIRST_STEPS = N_(
    "Make a villager group first, then a household, then add its villagers; or import a roster from Excel."
)
NO_VILLAGERS_MATCH = N_("No villagers match the search and the filters.")
NO_GROUP_FOR_HOUSEHOLDS = N_(
    "A household belongs to a villager group: make a group first (“Add group”), then its households; or "
    "import a roster from Excel, which makes both."
)
NO_HOUSEHOLDS = N_("No households yet: “Add household” makes one; or import a roster from Excel.")
NO_GROUPS = N_(
    "No villager groups yet: “Add group” makes one; or import a roster from Excel, which makes the groups "
    "it names."
)
NO_COUNTS = {"groups": 0, "households": 0, "villagers": 0, "representatives": 0, "women_representatives": 0}


class RosterRoom(Room):
    # What the room shows: the roster itself (an import writes the same three).
    watches = frozenset({"villager", "household", "villager_group"})

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.counts: dict[str, int] = dict(NO_COUNTS)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Roster")))
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.start = self._start_panel()
        layout.addWidget(self.start)
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
        layout.addWidget(self.tabs, 1)
        self.reload()

    def _start_panel(self) -> QFrame:
        """The two ways into an empty roster, said plainly: import the one kept in Excel, or enter it."""
        panel = QFrame()
        panel.setObjectName("start")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setStyleSheet("QFrame#start { background: #fff8e1; }")
        layout = QVBoxLayout(panel)
        text = QLabel(
            _(
                "The roster is empty. There are two ways to fill it: import the roster you keep in Excel "
                "(or as CSV), and the villager groups and households it names are made with it; or enter it "
                "by hand: a villager group first, then a household, then its villagers (the villager form "
                "can make the group and the household)."
            )
            + "\n"
            + _(
                "A roster file's first row names its columns; it needs {columns}. “Export to Excel…” on "
                "the empty roster gives the form with every column, to fill in."
            ).format(columns=_(", ").join(HEADERS_ZH[key] for key in REQUIRED))
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        bar = QHBoxLayout()
        self.start_import = QPushButton(_("Import a roster…"))
        self.start_import.clicked.connect(lambda _checked=False: self.import_file())
        self.start_by_hand = QPushButton(_("Enter by hand…"))
        self.start_by_hand.clicked.connect(lambda _checked=False: self.add_villager())
        bar.addWidget(self.start_import)
        bar.addWidget(self.start_by_hand)
        bar.addStretch(1)
        layout.addLayout(bar)
        return panel

    # --- hooks a test replaces ---------------------------------------------------------------------

    def choose_roster_file(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import a roster"), "", _("Rosters (*.xlsx *.csv *.txt)")
        )
        return Path(path) if path else None

    def choose_export_file(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the roster"), _("roster.xlsx"), _("Excel workbook (*.xlsx)")
        )
        return Path(path) if path else None

    def inform(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, title, text)

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """The counts and notes, then each tab: the one on screen at once, the others when shown."""
        self.counts = self.read(service.counts, self.actor) or dict(NO_COUNTS)
        counts = self.counts
        self.summary.setText(
            _(
                "{groups} groups · {households} households · {villagers} villagers · {representatives} "
                "representatives"
            ).format(**counts)
        )
        self.start.setVisible(counts["villagers"] == 0)
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
        for tab in (self.villagers, self.households, self.groups):
            tab.refresh()
        self.update_buttons()

    def update_buttons(self) -> None:
        """Each button as the rules allow for what is chosen in each tab; a refused one says why."""
        allowed = rules.room_actions(self.actor.role)
        for tab in (self.villagers, self.households, self.groups):
            allowed = allowed.merged(tab.allowed())
        self.show_allowed(allowed)
        for button, action in ((self.start_import, rules.IMPORT), (self.start_by_hand, rules.ADD_VILLAGER)):
            refusal = allowed[action]
            button.setEnabled(refusal is None)
            button.setToolTip("" if refusal is None else refusal.message())

    # --- actions --------------------------------------------------------------------------------

    def add_villager(self) -> None:
        from villagegov.roster.dialogs import VillagerDialog

        dialog = VillagerDialog(self.actor, None, self, run=self.exec_dialog)
        if self.exec_dialog(dialog):
            self._show(self.villagers, dialog.result_value.id)

    def edit_villager(self) -> None:
        row = self.villagers.selected()
        if row is None or not self.buttons[rules.EDIT_VILLAGER].isEnabled():
            return
        from villagegov.roster.dialogs import VillagerDialog

        dialog = VillagerDialog(self.actor, row, self, run=self.exec_dialog)
        if self.exec_dialog(dialog):
            self._show(self.villagers, row.id)

    def delete_villager(self) -> None:
        row = self.villagers.selected()
        if row is None:
            return
        question = _("Delete {name} from the roster? The audit log keeps a record of it.").format(
            name=row.name
        )
        if self.confirm(_("Delete villager"), question):
            self.attempt(service.delete_villager, self.actor, row.id)

    def import_file(self) -> ops.Task[ImportPreview] | None:
        """Read and check the file on a worker (a large roster takes seconds), then show its preview."""
        path = self.choose_roster_file()
        if path is None:
            return None
        actor = self.actor

        def work(progress: ops.Progress) -> ImportPreview:
            return service.preview_import(actor, path, progress=progress, cancel=progress.cancel_event)

        return self.task(
            work, self.show_preview, title=_("Import a roster"),
            label=_("Checking {file}…").format(file=path.name),
        )  # fmt: skip

    def show_preview(self, preview: ImportPreview) -> None:
        from villagegov.roster.dialogs import ImportDialog

        dialog = ImportDialog(self.actor, preview, self)
        if self.exec_dialog(dialog) and dialog.result_value is not None:
            result = dialog.result_value
            self.inform(
                _("Imported"),
                _(
                    "Imported {villagers} villagers; new villager groups: {groups}; new households: "
                    "{households}."
                ).format(villagers=result.villagers, groups=result.groups, households=result.households),
            )

    def export(self) -> None:
        path = self.choose_export_file()
        if path is None:
            return
        actor, filters = self.actor, self.villagers.filters()

        def done(count: int) -> None:
            self.inform(_("Exported"), _("Exported {n} villagers to {file}").format(n=count, file=path))

        self.task(
            lambda progress: service.export_xlsx(actor, path, filters), done,
            title=_("Export the roster"), label=_("Writing {file}…").format(file=path.name),
        )  # fmt: skip

    def add_household(self) -> None:
        from villagegov.roster.dialogs import HouseholdDialog

        group = self.groups.selected()
        dialog = HouseholdDialog(
            self.actor, None, self, group_id=group.id if group else None, run=self.exec_dialog
        )
        if self.exec_dialog(dialog):
            self._show(self.households, int(dialog.result_value))

    def edit_household(self) -> None:
        row = self.households.selected()
        if row is None or not self.buttons[rules.EDIT_HOUSEHOLD].isEnabled():
            return
        from villagegov.roster.dialogs import HouseholdDialog

        dialog = HouseholdDialog(self.actor, row, self, run=self.exec_dialog)
        if self.exec_dialog(dialog):
            self._show(self.households, row.id)

    def delete_household(self) -> None:
        row = self.households.selected()
        if row is not None:
            self.attempt(service.delete_household, self.actor, row.id)

    def add_group(self) -> None:
        from villagegov.roster.dialogs import GroupDialog

        dialog = GroupDialog(self.actor, None, self)
        if self.exec_dialog(dialog):
            self._show(self.groups, int(dialog.result_value))

    def rename_group(self) -> None:
        row = self.groups.selected()
        if row is None or not self.buttons[rules.RENAME_GROUP].isEnabled():
            return
        from villagegov.roster.dialogs import GroupDialog

        dialog = GroupDialog(self.actor, row, self)
        if self.exec_dialog(dialog):
            self._show(self.groups, row.id)

    def delete_group(self) -> None:
        row = self.groups.selected()
        if row is not None:
            self.attempt(service.delete_group, self.actor, row.id)

    def _show(self, tab: RosterTab, record_id: int) -> None:
        """After a save: the tab on screen, the record chosen in it."""
        self.tabs.setCurrentWidget(tab)
        tab.keep = record_id
        tab.refresh()


class RosterTab(TablePage):
    """A table of the roster with its bar of buttons (kept in the room's `buttons` by the rules' names);
    a reload keeps the record chosen."""

    actions: tuple[str, ...] = ()

    def __init__(self, room: RosterRoom, columns: Sequence[Column]) -> None:
        super().__init__(columns)
        self.room = room
        self.keep: int | None = None  # the record to choose at the next load
        self.view.selectionModel().selectionChanged.connect(lambda *_args: self.room.update_buttons())

    def add_bar(
        self, actions: Sequence[tuple[str, str, Callable[[], object]]], leading: Sequence[QWidget] = ()
    ) -> None:
        for widget in leading:
            self.bar.addWidget(widget)
        self.bar.addStretch(1)
        for action, label, slot in actions:
            self.bar.addWidget(self.room.button(action, label, slot))

    def rows(self) -> list[Any]:
        raise NotImplementedError

    def empty_text(self) -> str:
        raise NotImplementedError

    def load(self) -> None:
        chosen = self.selected()
        keep = self.keep if self.keep is not None else (chosen.id if chosen is not None else None)
        self.keep = None
        self.model.set_rows(self.rows())
        self.view.set_empty_text(self.empty_text())
        if not self.view.select_record(keep):
            self.view.clearSelection()
        self.room.update_buttons()

    def allowed(self) -> Allowed:
        raise NotImplementedError

    def nothing_chosen(self) -> Allowed:
        return Allowed.nothing(self.actions, refuse(NOTHING_SELECTED))


class VillagersTab(RosterTab):
    actions = rules.VILLAGER_ACTIONS

    def __init__(self, room: RosterRoom) -> None:
        super().__init__(room, VILLAGER_COLUMNS)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search name, ID-card number, phone or household"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.group = QComboBox()
        self.group.currentIndexChanged.connect(lambda _index: self.refresh())
        self.kind = QComboBox()
        for label, key in (
            (N_("Everyone"), None),
            (N_("Party members"), "party"),
            (N_("Representatives"), "rep"),
            (N_("Men"), "male"),
            (N_("Women"), "female"),
        ):
            self.kind.addItem(_(label), key)
        self.kind.currentIndexChanged.connect(lambda _index: self.refresh())
        bar.addWidget(self.search, 2)
        bar.addWidget(self.group, 1)
        bar.addWidget(self.kind, 1)
        self.layout_.insertLayout(0, bar)
        self.view.doubleClicked.connect(lambda _index: room.edit_villager())
        self.count = QLabel()
        self.add_bar(
            (
                (rules.ADD_VILLAGER, _("Add villager"), room.add_villager),
                (rules.EDIT_VILLAGER, _("Edit"), room.edit_villager),
                (rules.DELETE_VILLAGER, _("Delete"), room.delete_villager),
                (rules.IMPORT, _("Import…"), room.import_file),
                (rules.EXPORT, _("Export to Excel…"), room.export),
            ),
            leading=(self.count,),
        )

    def reload_filters(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(_("All groups"), None)
        for g in self.room.read(service.list_groups, self.room.actor) or []:
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

    def rows(self) -> list[VillagerRow]:
        rows = self.room.read(service.list_villagers, self.room.actor, self.filters()) or []
        self.count.setText(_("{n} shown").format(n=len(rows)))
        return rows

    def empty_text(self) -> str:
        return _(FIRST_STEPS) if self.room.counts["villagers"] == 0 else _(NO_VILLAGERS_MATCH)

    def allowed(self) -> Allowed:
        row = self.selected()
        if row is None:
            return self.nothing_chosen()
        return self.room.read(service.villager_actions, self.room.actor, row.id) or self.nothing_chosen()


class HouseholdsTab(RosterTab):
    actions = rules.HOUSEHOLD_ACTIONS

    def __init__(self, room: RosterRoom) -> None:
        super().__init__(room, HOUSEHOLD_COLUMNS)
        self.view.doubleClicked.connect(lambda _index: room.edit_household())
        self.add_bar(
            (
                (rules.ADD_HOUSEHOLD, _("Add household"), room.add_household),
                (rules.EDIT_HOUSEHOLD, _("Edit"), room.edit_household),
                (rules.DELETE_HOUSEHOLD, _("Delete"), room.delete_household),
            )
        )

    def rows(self) -> list[HouseholdRow]:
        return self.room.read(service.list_households, self.room.actor) or []

    def empty_text(self) -> str:
        return _(NO_GROUP_FOR_HOUSEHOLDS) if self.room.counts["groups"] == 0 else _(NO_HOUSEHOLDS)

    def allowed(self) -> Allowed:
        row = self.selected()
        if row is None:
            return self.nothing_chosen()
        return rules.household_actions(self.room.actor.role, row.number, row.members)


class GroupsTab(RosterTab):
    actions = rules.GROUP_ACTIONS

    def __init__(self, room: RosterRoom) -> None:
        super().__init__(room, GROUP_COLUMNS)
        self.view.doubleClicked.connect(lambda _index: room.rename_group())
        self.add_bar(
            (
                (rules.ADD_GROUP, _("Add group"), room.add_group),
                (rules.RENAME_GROUP, _("Rename"), room.rename_group),
                (rules.DELETE_GROUP, _("Delete"), room.delete_group),
            )
        )

    def rows(self) -> list[GroupRow]:
        return self.room.read(service.list_groups, self.room.actor) or []

    def empty_text(self) -> str:
        return _(NO_GROUPS)

    def allowed(self) -> Allowed:
        row = self.selected()
        if row is None:
            return self.nothing_chosen()
        return rules.group_actions(self.room.actor.role, row.name, row.households)
