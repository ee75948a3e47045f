"""The roster's dialogs: a villager's form (which can make the villager group and the household it needs),
a household's, a villager group's, and the preview of a roster's import.

A dialog opened from inside another (a new group from the villager form) runs through the `run` it was
given, the room's `exec_dialog`, so a test fills it as it fills the room's own dialogs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _
from villagegov.roster import rules, service
from villagegov.roster.records import GroupRow, HouseholdRow, ImportPreview, ImportResult, VillagerRow
from villagegov.ui import ops
from villagegov.ui.forms import FormDialog, date_edit, error_label, qdate
from villagegov.ui.widgets import Column, RowsModel, rows_view

Run = Callable[[QDialog], bool]
FIRST_BIRTH_DATE = date(1980, 1, 1)  # where the birth date field starts when there is no ID-card number
TERM_YEARS = 5  # a representative's term, as the field first offers it


def run_modal(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def _pydate(edit: QDateEdit) -> date | None:
    """The date of an enabled field; None when the field is off (a term of no representative)."""
    q = edit.date()
    return date(q.year(), q.month(), q.day()) if q.isValid() and edit.isEnabled() else None


class GroupDialog(FormDialog):
    """A new villager group, or a group's new name; `result_value` is the group's id."""

    MIN_WIDTH = 420

    def __init__(self, actor: Actor, row: GroupRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Rename villager group") if row else _("New villager group"), parent)
        self.actor, self.row = actor, row
        self.name = QLineEdit(row.name if row else "")
        self.name.setPlaceholderText(_("e.g. Group 1"))
        self.form.addRow(_("Name of the villager group"), self.name)

    def submit(self) -> int:
        if self.row is None:
            return service.add_group(self.actor, self.name.text()).id
        service.rename_group(self.actor, self.row.id, self.name.text())
        return self.row.id


class GroupPicker(QWidget):
    """The villager groups in a list, with “New group…” beside it: a group made there is chosen at once."""

    def __init__(self, actor: Actor, run: Run, chosen: int | None = None) -> None:
        super().__init__()
        self.actor, self.run = actor, run
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        layout.addWidget(self.combo, 1)
        self.new = QPushButton(_("New group…"))
        self.new.clicked.connect(lambda _checked=False: self.make_group())
        layout.addWidget(self.new)
        self.fill(chosen)

    def fill(self, chosen: int | None = None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for group in ops.read(self, service.list_groups, self.actor) or []:
            self.combo.addItem(group.name, group.id)
        self.combo.blockSignals(False)
        index = self.combo.findData(chosen)
        self.combo.setCurrentIndex(index if index >= 0 else 0)
        self.combo.currentIndexChanged.emit(self.combo.currentIndex())

    def group_id(self) -> int | None:
        value = self.combo.currentData()
        return int(value) if value is not None else None

    def make_group(self) -> int | None:
        dialog = GroupDialog(self.actor, None, self.window())
        if not self.run(dialog):
            return None
        self.fill(dialog.result_value)
        return int(dialog.result_value)


class HouseholdDialog(FormDialog):
    """A new household in a villager group (made here too if need be), or a household's changes;
    `result_value` is the household's id."""

    def __init__(
        self,
        actor: Actor,
        row: HouseholdRow | None = None,
        parent: QWidget | None = None,
        *,
        group_id: int | None = None,
        run: Run = run_modal,
    ) -> None:
        super().__init__(_("Edit household") if row else _("New household"), parent)
        self.actor, self.row = actor, row
        self.group = GroupPicker(actor, run, row.group_id if row else group_id)
        self.form.addRow(_("Villager group"), self.group)
        self.number = QLineEdit(row.number if row else "")
        self.number.setPlaceholderText(_("e.g. 01-001"))
        self.form.addRow(_("Household number"), self.number)
        self.address = QLineEdit(row.address if row else "")
        self.form.addRow(_("Address"), self.address)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.form.addRow(self.hint)
        self.group.combo.currentIndexChanged.connect(lambda _index: self._hint())
        self._hint()

    def _hint(self) -> None:
        empty = self.group.group_id() is None
        text = _("A household belongs to a villager group: make one with “New group…”.")
        self.hint.setText(text if empty else "")
        self.hint.setVisible(empty)

    def submit(self) -> int:
        group = self.group.group_id()
        if group is None:
            raise ValidationError(N_("Choose the villager group, or make one with “New group…”."))
        if self.row is None:
            return service.add_household(self.actor, group, self.number.text(), self.address.text())
        service.update_household(self.actor, self.row.id, group, self.number.text(), self.address.text())
        return self.row.id


class VillagerDialog(FormDialog):
    """A villager's form. The group and household pickers offer “New group…” and “New household…”, so a
    new village's first villager needs no other screen; the ID-card number fills the birth date and the
    gender as it is typed. `result_value` is the saved `VillagerRow`."""

    def __init__(
        self,
        actor: Actor,
        row: VillagerRow | None,
        parent: QWidget | None = None,
        *,
        run: Run = run_modal,
    ) -> None:
        super().__init__(_("Edit villager") if row else _("Add villager"), parent)
        self.actor, self.row, self.run = actor, row, run
        form = self.form
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
        self.birth_date = date_edit(row.birth_date if row else FIRST_BIRTH_DATE)
        form.addRow(_("Birth date"), self.birth_date)
        self.phone = QLineEdit(row.phone if row else "")
        form.addRow(_("Phone"), self.phone)

        self.group = GroupPicker(actor, run, row.group_id if row else None)
        form.addRow(_("Villager group"), self.group)
        households = QWidget()
        line = QHBoxLayout(households)
        line.setContentsMargins(0, 0, 0, 0)
        self.household = QComboBox()
        line.addWidget(self.household, 1)
        self.new_household = QPushButton(_("New household…"))
        self.new_household.clicked.connect(lambda _checked=False: self.make_household())
        line.addWidget(self.new_household)
        form.addRow(_("Household"), households)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #8a5a00;")
        form.addRow(self.hint)
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
        today = clock.today()
        start = row.representative_term_start if row and row.representative_term_start else today
        self.term_start = date_edit(start)
        self.term_end = date_edit(today)
        self.term_end.setDate(
            qdate(row.representative_term_end)
            if row and row.representative_term_end
            else qdate(today).addYears(TERM_YEARS)
        )
        form.addRow(_("Term starts"), self.term_start)
        form.addRow(_("Term ends"), self.term_end)
        self.representative.toggled.connect(self._term_enabled)
        self._term_enabled(self.representative.isChecked())
        self.notes = QLineEdit(row.notes if row else "")
        form.addRow(_("Notes"), self.notes)

        self._households: list[HouseholdRow] = []
        self.group.combo.currentIndexChanged.connect(lambda _index: self.fill_households())
        self.household.currentIndexChanged.connect(lambda _index: self._household_chosen())
        self.fill_households(row.household_id if row else None)
        self.id_number.textChanged.connect(self.read_id_number)
        self.read_id_number(self.id_number.text())

    # --- the pickers ---

    def fill_households(self, chosen: int | None = None) -> None:
        """The households of the chosen group, each with its head (or a note that it has none)."""
        group = self.group.group_id()
        rows = ops.read(self, service.list_households, self.actor, group) if group is not None else []
        self._households = rows or []
        no_head = _("(no head)")
        self.household.blockSignals(True)
        self.household.clear()
        for h in self._households:
            self.household.addItem(f"{h.number} · {h.head or no_head}", h.id)
        self.household.blockSignals(False)
        index = self.household.findData(chosen)
        self.household.setCurrentIndex(index if index >= 0 else 0)
        self.new_household.setEnabled(group is not None)
        self._household_chosen()

    def _household_chosen(self) -> None:
        if self.group.group_id() is None:
            hint = _(
                "The village has no villager group yet: make one with “New group…”, then its household "
                "with “New household…”."
            )
        elif not self._households:
            hint = _("This group has no household yet: make one with “New household…”.")
        else:
            hint = ""
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        chosen = self._chosen_household()
        if self.row is None and chosen is not None and not chosen.head:
            # A household's first villager is usually its head.
            self.relation.setCurrentIndex(self.relation.findData(rules.HEAD))

    def _chosen_household(self) -> HouseholdRow | None:
        index = self.household.currentIndex()
        return self._households[index] if 0 <= index < len(self._households) else None

    def make_household(self) -> int | None:
        dialog = HouseholdDialog(self.actor, None, self, group_id=self.group.group_id(), run=self.run)
        if not self.run(dialog):
            return None
        made = int(dialog.result_value)
        group = dialog.group.group_id()  # the household dialog may have made a group of its own
        self.group.fill(group)
        self.fill_households(made)
        return made

    # --- the ID-card number ---

    def read_id_number(self, text: str) -> None:
        """A whole, valid number gives the birth date and the gender at once (the rules read them, as
        when saving); while it is empty or not valid the two fields stay the clerk's to fill."""
        facts = rules.id_facts(text, clock.today())
        if facts is not None:
            born, gender = facts
            self.birth_date.setDate(qdate(born))
            self.gender.setCurrentIndex(self.gender.findData(gender))
        tip = _("Read from the ID-card number") if facts is not None else ""
        for field in (self.gender, self.birth_date):
            field.setEnabled(facts is None)
            field.setToolTip(tip)

    def _term_enabled(self, on: bool) -> None:
        self.term_start.setEnabled(on)
        self.term_end.setEnabled(on)

    # --- saving ---

    def data(self) -> rules.VillagerInput:
        # With an ID-card number the rules take the gender and the birth date from it (or refuse it).
        has_id = bool(self.id_number.text().strip())
        return rules.VillagerInput(
            name=self.name.text(), household_id=self.household.currentData() or 0,
            relation=self.relation.currentData(),
            gender=None if has_id else self.gender.currentData(),
            birth_date=None if has_id else _pydate(self.birth_date),
            id_number=self.id_number.text(), phone=self.phone.text(),
            party_member=self.party_member.isChecked(), representative=self.representative.isChecked(),
            representative_term_start=_pydate(self.term_start),
            representative_term_end=_pydate(self.term_end),
            notes=self.notes.text(),
        )  # fmt: skip

    def submit(self) -> VillagerRow:
        if self.household.currentData() is None:
            raise ValidationError(
                N_("Choose the villager's household, or make one with “New household…”."), field="household"
            )
        if self.row is None:
            return service.add_villager(self.actor, self.data())
        return service.update_villager(self.actor, self.row.id, self.data())


def _table(
    title: str, columns: Sequence[Column], rows: Sequence[object], empty: str, stretch: bool = True
) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(title))
    model = RowsModel(columns, box)
    view = rows_view(model, empty)
    # A table whose last column is a count keeps its columns as fitted: stretched, the count would sit
    # at the far right of the pane, or past it.
    view.horizontalHeader().setStretchLastSection(stretch)
    model.set_rows(rows)  # after the view exists, so its columns fit the text
    layout.addWidget(view, 1)
    box.setObjectName("table")
    return box


PROBLEM_COLUMNS = (
    Column(N_("Row"), lambda p: p.row or "", align_right=True),
    Column(N_("Column"), lambda p: p.column),
    Column(N_("Problem"), lambda p: p.message),
)
NEW_GROUP_COLUMNS = (
    Column(N_("Villager group"), lambda g: g.name),
    Column(N_("Households"), lambda g: g.households, align_right=True),
    Column(N_("Villagers"), lambda g: g.villagers, align_right=True),
)
NEW_HOUSEHOLD_COLUMNS = (
    Column(N_("Household number"), lambda h: h.number),
    Column(N_("Group"), lambda h: h.group),
    Column(N_("Head of household"), lambda h: h.head),
    Column(N_("Members"), lambda h: h.villagers, align_right=True),
    Column(N_("Address"), lambda h: h.address),
)


class ImportDialog(QDialog):
    """The preview: the rows refused, each with its reason, beside the villager groups and households the
    import will make. Nothing is written until the clerk confirms; then the import runs on a worker with
    its progress and Cancel, all of it or nothing. `result_value` is the `ImportResult`."""

    def __init__(self, actor: Actor, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.preview = preview
        self.result_value: ImportResult | None = None
        self.task: ops.Task[ImportResult] | None = None
        self.setWindowTitle(_("Import a roster"))
        self.resize(1040, 560)
        layout = QVBoxLayout(self)
        if preview.ok:
            text = _(
                "{file}: {n} villagers can be imported; new villager groups: {g}; new households: {h}."
            ).format(n=len(preview.rows), g=len(preview.new_groups), h=len(preview.new_households),
                     file=preview.file.name)  # fmt: skip
        else:
            text = _(
                "{file} has {n} problems. Nothing will be imported until they are fixed in the file."
            ).format(file=preview.file.name, n=len(preview.problems))
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter()
        self.problems = _table(
            _("Rows refused ({n})").format(n=preview.refused_rows), PROBLEM_COLUMNS, preview.problems, ""
        )
        self.problems.setVisible(bool(preview.problems))
        splitter.addWidget(self.problems)
        made = QSplitter(Qt.Orientation.Vertical)
        self.groups = _table(
            _("Villager groups it will make ({n})").format(n=len(preview.new_groups)),
            NEW_GROUP_COLUMNS, preview.new_groups, _("None: every group it names is on the roster."),
            stretch=False,
        )  # fmt: skip
        self.households = _table(
            _("Households it will make ({n})").format(n=len(preview.new_households)),
            NEW_HOUSEHOLD_COLUMNS, preview.new_households,
            _("None: every household it names is on the roster."),
        )  # fmt: skip
        made.addWidget(self.groups)
        made.addWidget(self.households)
        made.setSizes([160, 300])
        splitter.addWidget(made)
        splitter.setSizes([520, 520] if preview.problems else [0, 1040])
        layout.addWidget(splitter, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.confirm = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(preview.ok)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def apply(self) -> ops.Task[ImportResult] | None:
        """Import on a worker (a large roster takes seconds); the dialog closes once it is written."""
        if not self.preview.ok or self.task is not None:
            return None
        actor, preview = self.actor, self.preview

        def work(progress: ops.Progress) -> ImportResult:
            return service.apply_import(actor, preview, progress=progress, cancel=progress.cancel_event)

        self.confirm.setEnabled(False)
        self.error.hide()
        self.task = ops.run(
            self, work, self._imported, title=_("Import a roster"), label=_("Importing the roster…"),
            refused=self._refused, cancelled=self._cancelled,
        )  # fmt: skip
        return self.task

    def _imported(self, result: ImportResult) -> None:
        self.task = None
        self.result_value = result
        self.accept()

    def _refused(self, message: str) -> None:
        self.task = None
        self.error.setText(message)
        self.error.show()

    def _cancelled(self) -> None:
        self.task = None
        self.confirm.setEnabled(self.preview.ok)
        self.error.setText(_("The import was cancelled; nothing was written."))
        self.error.show()
