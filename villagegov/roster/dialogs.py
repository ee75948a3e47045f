"""The roster's dialogs: a villager's form, and the preview of a roster's import."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _
from villagegov.roster import rules, service
from villagegov.ui.forms import error_label
from villagegov.ui.widgets import Column, RowsModel, rows_view, show_error


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate()


def _pydate(edit: QDateEdit) -> date | None:
    q = edit.date()
    return date(q.year(), q.month(), q.day()) if q.isValid() and edit.isEnabled() else None


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
                n=len(preview.rows), h=len(preview.new_households), file=preview.file.name
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
            result = service.apply_import(self.actor, self.preview)
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
            else _qdate(clock.today())
        )
        self.term_end = QDateEdit(
            _qdate(row.representative_term_end)
            if row and row.representative_term_end
            else _qdate(clock.today()).addYears(5)
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
        self.error = error_label()
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
