"""Disputes and their mediation (矛盾纠纷调处) in the room: filters, the list, the chosen dispute with its
sessions, outcome and visits, and a button for each thing that may be done to it, enabled as
mediation_rules.mediation_actions says (a refused one says why in its tooltip).

Screens only: every read and write goes through `mediation_service` (the roster's service for choosing
a party), through the room's one way to act (`ui/ops.py`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from villagegov.core import clock
from villagegov.core.actions import NOTHING_SELECTED, Allowed, refuse
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _
from villagegov.petitions import documents, mediation_service
from villagegov.petitions import mediation_rules as rules
from villagegov.petitions.mediation_records import MediationDetail, MediationFilter, PartyRow
from villagegov.petitions.petition_rules import ANSWERS, satisfaction_label
from villagegov.petitions.petition_views import YEARS_BACK, RoomFormDialog, VillagerPicker, names
from villagegov.ui.forms import date_edit, day_text, pydate
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, RowsModel, rows_view


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


# How each dispute stands before who and when, as in the ledgers' list.
MEDIATION_COLUMNS = (
    Column(N_("Number"), lambda r: r.number),
    Column(N_("Kind"), lambda r: rules.kind_label(r.kind)),
    Column(N_("Mediation outcome"), lambda r: rules.outcome_label(r.outcome)),
    Column(N_("Due by"), lambda r: "" if r.outcome else day_text(r.due_on)),
    Column(N_("Status"), lambda r: _("Overdue") if r.overdue else ""),
    Column(N_("Parties"), lambda r: r.parties),
    Column(N_("Registered"), lambda r: day_text(r.received_on)),
)


class PartiesEditor(QWidget):
    """The parties: villagers picked from the roster (their particulars come from it) or people from
    outside, whose particulars are typed into the table."""

    COLUMNS = (N_("Name"), N_("Gender"), N_("Birth date"), N_("ID-card number"), N_("Address"), N_("Phone"))

    def __init__(self, actor: Actor, parties: Sequence[PartyRow] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.picker = VillagerPicker(actor)
        add_villager = QPushButton(_("Add villager"))
        add_villager.clicked.connect(self.add_villager)
        add_outside = QPushButton(_("Add someone from outside"))
        add_outside.clicked.connect(lambda: self.add_row())
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(self.remove_row)
        bar.addWidget(self.picker, 2)
        bar.addWidget(add_villager)
        bar.addWidget(add_outside)
        bar.addWidget(remove)
        layout.addLayout(bar)
        self.grid = QTableWidget(0, len(self.COLUMNS))
        self.grid.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setMinimumHeight(110)
        layout.addWidget(self.grid)
        for p in parties:
            self.add_row(p.name, p.villager_id, p.gender, p.birth_date, p.id_number, p.address, p.phone)

    def add_villager(self) -> None:
        villager_id = self.picker.villager_id()
        if villager_id is None:
            return
        name = self.picker.currentText().split("（")[0]
        self.add_row(name, villager_id)
        self.picker.setCurrentIndex(0)

    def add_row(
        self,
        name: str = "",
        villager_id: int | None = None,
        gender: str = "",
        birth_date: date | None = None,
        id_number: str = "",
        address: str = "",
        phone: str = "",
    ) -> None:
        row = self.grid.rowCount()
        self.grid.insertRow(row)
        gender_text = {"male": _("Male"), "female": _("Female")}.get(gender, "")
        cells = (name, gender_text, birth_date.isoformat() if birth_date else "", id_number, address, phone)
        for column, value in enumerate(cells):
            item = QTableWidgetItem(value)
            if villager_id is not None:
                # From the roster: the particulars are the roster's, as they are today.
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(_("From the roster"))
            self.grid.setItem(row, column, item)
        self.grid.item(row, 0).setData(Qt.ItemDataRole.UserRole, villager_id)

    def remove_row(self) -> None:
        row = self.grid.currentRow()
        if row >= 0:
            self.grid.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.grid.item(row, column)
        return item.text().strip() if item else ""

    def parties(self) -> tuple[rules.PartyInput, ...]:
        genders = {_("Male"): "male", _("Female"): "female", "男": "male", "女": "female"}
        out = []
        for row in range(self.grid.rowCount()):
            villager_id = (
                self.grid.item(row, 0).data(Qt.ItemDataRole.UserRole) if self.grid.item(row, 0) else None
            )
            if villager_id is not None:
                out.append(rules.PartyInput(villager_id=villager_id))
                continue
            birth = self._cell(row, 2)
            try:
                born = date.fromisoformat(birth) if birth else None
            except ValueError as exc:
                raise VillagegovError(
                    N_("Write a birth date as 1980-07-15, not {value}."), value=birth
                ) from exc
            out.append(
                rules.PartyInput(
                    name=self._cell(row, 0),
                    gender=genders.get(self._cell(row, 1), ""),
                    birth_date=born,
                    id_number=self._cell(row, 3),
                    address=self._cell(row, 4),
                    phone=self._cell(row, 5),
                )
            )
        return tuple(out)


class MediationDialog(RoomFormDialog):
    """调解登记: the dispute, its parties and its mediators."""

    def __init__(
        self,
        actor: Actor,
        detail: MediationDetail | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Edit dispute {number}").format(number=detail.number) if detail else _("New dispute"), parent
        )
        self.setMinimumWidth(820)
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        self.kind = QComboBox()
        for k in rules.KINDS:
            self.kind.addItem(rules.kind_label(k), k)
        self.received = date_edit(detail.received_on if detail else self.today)
        self.parties = PartiesEditor(actor, detail.parties if detail else ())
        self.facts = QPlainTextEdit(detail.facts if detail else "")
        self.disputed = QPlainTextEdit(detail.disputed if detail else "")
        self.disputed.setMaximumHeight(80)
        self.mediators = QLineEdit("、".join(detail.mediators) if detail else "")
        self.mediators.setPlaceholderText(_("Names, separated by commas"))
        self.form.addRow(_("Kind"), self.kind)
        self.form.addRow(_("Registered on"), self.received)
        self.form.addRow(_("Parties"), self.parties)
        self.form.addRow(_("Main facts"), self.facts)
        self.form.addRow(_("What is disputed"), self.disputed)
        self.form.addRow(_("Mediators"), self.mediators)
        if detail:
            self.kind.setCurrentIndex(self.kind.findData(detail.kind))
            self.received.setEnabled(False)

    def data(self) -> rules.MediationInput:
        return rules.MediationInput(
            kind=self.kind.currentData(), received_on=pydate(self.received), facts=self.facts.toPlainText(),
            disputed=self.disputed.toPlainText(), parties=self.parties.parties(),
            mediators=names(self.mediators.text()),
        )  # fmt: skip

    def submit(self) -> MediationDetail:
        if self.detail is None:
            return mediation_service.create_mediation(self.actor, self.data(), today=self.today)
        return mediation_service.update_mediation(self.actor, self.detail.id, self.data(), today=self.today)


class SessionDialog(RoomFormDialog):
    """One sitting of the mediation, for the work record (调解工作记录)."""

    def __init__(
        self,
        actor: Actor,
        detail: MediationDetail,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Mediation session — {number}").format(number=detail.number), parent)
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        self.held_on = date_edit(self.today)
        self.place = QLineEdit(_("Village committee's mediation room"))
        self.mediators = QLineEdit("、".join(detail.mediators))
        self.present = QLineEdit()
        self.present.setPlaceholderText(_("Parties and others who came"))
        self.record = QPlainTextEdit()
        self.record.setPlaceholderText(_("What each side said, what the mediators did, what was found"))
        self.form.addRow(_("Held on"), self.held_on)
        self.form.addRow(_("Place"), self.place)
        self.form.addRow(_("Mediators"), self.mediators)
        self.form.addRow(_("Those present"), self.present)
        self.form.addRow(_("Record"), self.record)

    def submit(self) -> MediationDetail:
        data = rules.SessionInput(
            held_on=pydate(self.held_on), place=self.place.text(), mediators=names(self.mediators.text()),
            record=self.record.toPlainText(), present=self.present.text(),
        )  # fmt: skip
        return mediation_service.record_session(self.actor, self.detail.id, data, today=self.today)


class OutcomeDialog(RoomFormDialog):
    """How the mediation ended: for an agreement, every content the People's Mediation Law asks for."""

    def __init__(
        self,
        actor: Actor,
        detail: MediationDetail,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Outcome — {number}").format(number=detail.number), parent)
        self.setMinimumWidth(680)
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        self.outcome = QComboBox()
        for o in rules.OUTCOMES:
            self.outcome.addItem(rules.outcome_label(o), o)
        self.concluded_on = date_edit(self.today)
        self.form.addRow(_("Mediation outcome"), self.outcome)
        self.form.addRow(_("Concluded on"), self.concluded_on)
        self.agreement = QWidget()
        agreement = QFormLayout(self.agreement)
        agreement.setContentsMargins(0, 0, 0, 0)
        self.responsibilities: list[QPlainTextEdit] = []
        for party in detail.parties:
            edit = QPlainTextEdit()
            edit.setMaximumHeight(60)
            agreement.addRow(_("Responsibility of {name}").format(name=party.name), edit)
            self.responsibilities.append(edit)
        self.terms = QPlainTextEdit()
        self.terms.setPlaceholderText(_("One term a line"))
        self.performance = QLineEdit()
        self.perform_by = date_edit(self.today)
        self.oral = QCheckBox(_("An oral agreement recorded by the mediator"))
        agreement.addRow(_("Terms agreed"), self.terms)
        agreement.addRow(_("How it is performed"), self.performance)
        agreement.addRow(_("Performed by"), self.perform_by)
        agreement.addRow("", self.oral)
        self.form.addRow(self.agreement)
        self.note = QPlainTextEdit()
        self.note_label = QLabel()
        self.form.addRow(self.note_label, self.note)
        self.outcome.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        outcome = self.outcome.currentData()
        self.agreement.setVisible(outcome == rules.AGREEMENT)
        self.note.setVisible(outcome != rules.AGREEMENT)
        self.note_label.setVisible(outcome != rules.AGREEMENT)
        self.note_label.setText(
            _("Referred to, and why") if outcome == rules.REFERRED else _("Why no agreement")
        )

    def data(self) -> rules.OutcomeInput:
        return rules.OutcomeInput(
            outcome=self.outcome.currentData(), concluded_on=pydate(self.concluded_on),
            responsibilities=tuple(e.toPlainText() for e in self.responsibilities),
            terms=_lines(self.terms.toPlainText()), performance=self.performance.text(),
            perform_by=pydate(self.perform_by), oral=self.oral.isChecked(), note=self.note.toPlainText(),
        )  # fmt: skip

    def submit(self) -> MediationDetail:
        return mediation_service.record_outcome(self.actor, self.detail.id, self.data(), today=self.today)


class FollowUpDialog(RoomFormDialog):
    """回访记录: who was visited, how far the agreement was performed, and whether they are satisfied."""

    def __init__(
        self,
        actor: Actor,
        detail: MediationDetail,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Follow-up visit — {number}").format(number=detail.number), parent)
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        self.party = QComboBox()
        for p in detail.parties:
            self.party.addItem(p.name, p.position)
        self.visited_on = date_edit(self.today)
        self.performance = QComboBox()
        for value in rules.PERFORMANCES:
            self.performance.addItem(rules.performance_label(value), value)
        self.satisfaction = QComboBox()
        for answer in ANSWERS:
            self.satisfaction.addItem(satisfaction_label(answer), answer)
        self.visitor = QLineEdit(actor.display_name)
        self.note = QPlainTextEdit()
        self.form.addRow(_("Party visited"), self.party)
        self.form.addRow(_("Visited on"), self.visited_on)
        self.form.addRow(_("Performance"), self.performance)
        self.form.addRow(_("Satisfaction"), self.satisfaction)
        self.form.addRow(_("Visited by"), self.visitor)
        self.form.addRow(_("Note"), self.note)

    def submit(self) -> MediationDetail:
        data = rules.FollowUpInput(
            party_index=self.party.currentData(), visited_on=pydate(self.visited_on),
            performance=self.performance.currentData(), satisfaction=self.satisfaction.currentData(),
            visitor=self.visitor.text(), note=self.note.toPlainText(),
        )  # fmt: skip
        return mediation_service.record_follow_up(self.actor, self.detail.id, data, today=self.today)


class MediationsPage(Room):
    """The disputes: filters, the list, the chosen dispute, and its buttons."""

    watches = frozenset({"mediation", "mediation_party", "mediation_session", "mediation_follow_up"})

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.detail: MediationDetail | None = None
        self._loaded = False  # the list is read when the tab is first shown
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search facts, what is disputed and the parties"))
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox()
        self.year.addItem(_("All years"), None)
        for y in range(self.today().year, self.today().year - YEARS_BACK, -1):
            self.year.addItem(_("{year}").format(year=y), y)
        self.outcome = QComboBox()
        self.outcome.addItem(_("All outcomes"), None)
        self.outcome.addItem(_("Being mediated"), "")
        for o in rules.OUTCOMES:
            self.outcome.addItem(rules.outcome_label(o), o)
        filters.addWidget(self.search, 3)
        for combo in (self.year, self.outcome):
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(lambda *args: self.load())
        self.search.textChanged.connect(lambda *args: self.load())
        layout.addLayout(filters)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = RowsModel(MEDIATION_COLUMNS, self)
        self.view = rows_view(self.model, _("No disputes match. “New dispute…” registers one."))
        self.view.selectionModel().selectionChanged.connect(self.show_selected)
        splitter.addWidget(self.view)
        self.details = QTextBrowser()
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 420])
        layout.addWidget(splitter, 1)
        layout.addLayout(self.button_bar((
            (rules.NEW, _("New dispute…"), self.new_mediation),
            (rules.EDIT, _("Edit…"), self.edit_mediation),
            (rules.SESSION, _("Record session…"), self.record_session),
            (rules.OUTCOME, _("Record outcome…"), self.record_outcome),
            (rules.FOLLOW_UP, _("Record follow-up…"), self.record_follow_up),
            (rules.PRINT_AGREEMENT, _("Print agreement…"), self.print_agreement),
        )))  # fmt: skip
        self.update_buttons()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)  # reloads first if something changed while hidden
        if not self._loaded:
            self.load()

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        self.load()

    def load(self, select: int | None = None) -> None:
        self._loaded = True
        keep = select if select is not None else (self.detail.id if self.detail else None)
        filters = MediationFilter(self.year.currentData(), self.outcome.currentData(), self.search.text())
        rows = self.read(mediation_service.list_mediations, self.actor, filters, self.today()) or []
        self.model.set_rows(rows)
        if not self.view.select_record(keep):
            self.show_detail(None)

    def show_selected(self) -> None:
        mid = self.view.selected_id()
        self.show_detail(self.read(mediation_service.get_mediation, self.actor, mid) if mid else None)

    def show_detail(self, detail: MediationDetail | None) -> None:
        self.detail = detail
        self.details.setHtml(self.detail_html(detail) if detail else "")
        self.update_buttons()

    def detail_html(self, d: MediationDetail) -> str:
        e = html.escape

        def para(text: str) -> str:
            return e(text).replace("\n", "<br>")

        def label(text: str) -> str:
            return f"<b>{e(text)}</b>{e(_(': '))}"  # ： in Chinese

        registered, mediators, parties = _("Registered on"), _("Mediators"), _("Parties")
        facts, disputed, outcome_word = _("Main facts"), _("What is disputed"), _("Mediation outcome")
        parts = [
            f"<h3>{e(d.number)} {e(rules.kind_label(d.kind))}</h3>",
            f"<p>{label(registered)}{e(day_text(d.received_on))}　",
            f"{label(mediators)}{e('、'.join(d.mediators))}</p>",
            f"<p>{label(parties)}{e('、'.join(p.name for p in d.parties))}</p>",
            f"<p>{label(facts)}{para(d.facts)}</p>",
            f"<p>{label(disputed)}{para(d.disputed)}</p>",
        ]
        for s in d.sessions:
            session = _("Session {n}").format(n=s.position)
            parts.append(
                f"<p><b>{e(session)}</b> "
                + e(
                    _("({date}, {place}, {mediators}): ").format(
                        date=day_text(s.held_on), place=s.place, mediators="、".join(s.mediators)
                    )
                )
                + f"{para(s.record)}</p>"
            )
        outcome = rules.outcome_label(d.outcome)
        if d.outcome:
            outcome += f"（{day_text(d.concluded_on)}）"
        parts.append(f"<p>{label(outcome_word)}{e(outcome)}</p>")
        if d.outcome == rules.AGREEMENT:
            terms = "<br>".join(f"{i}. {e(t)}" for i, t in enumerate(d.terms, start=1))
            parts.append(f"<p>{terms}</p>")
            performed_by = _("Performed by")
            parts.append(f"<p>{label(performed_by)}{e(day_text(d.perform_by))}　{e(d.performance)}</p>")
        elif d.outcome_note:
            parts.append(f"<p>{para(d.outcome_note)}</p>")
        visit = _("Follow-up visit")
        for v in d.follow_ups:
            parts.append(
                f"<p><b>{e(visit)}</b> "
                + e(
                    _("{date}: {party}, {performance}, {satisfaction}, {visitor}. {note}").format(
                        date=day_text(v.visited_on),
                        party=v.party,
                        visitor=v.visitor,
                        note=v.note,
                        performance=rules.performance_label(v.performance),
                        satisfaction=satisfaction_label(v.satisfaction),
                    )
                )
                + "</p>"
            )
        return "".join(parts)

    def update_buttons(self) -> None:
        """Each button as the rules allow for the chosen dispute; a refused one says why."""
        allowed = rules.room_actions(self.actor.role)
        if self.detail is None:
            allowed = allowed.merged(Allowed.nothing(rules.MEDIATION_ACTIONS, refuse(NOTHING_SELECTED)))
        else:
            allowed = allowed.merged(rules.mediation_actions(self.actor.role, self.detail.as_facts()))
        self.show_allowed(allowed)

    # --- actions --------------------------------------------------------------------------------

    def _run_dialog(self, dialog: RoomFormDialog) -> None:
        if self.exec_dialog(dialog) and dialog.result_value is not None:
            self.load(select=dialog.result_value.id)

    def new_mediation(self) -> None:
        self._run_dialog(MediationDialog(self.actor, None, self.today(), self))

    def edit_mediation(self) -> None:
        if self.detail is not None:
            self._run_dialog(MediationDialog(self.actor, self.detail, self.today(), self))

    def record_session(self) -> None:
        if self.detail is not None:
            self._run_dialog(SessionDialog(self.actor, self.detail, self.today(), self))

    def record_outcome(self) -> None:
        if self.detail is not None:
            self._run_dialog(OutcomeDialog(self.actor, self.detail, self.today(), self))

    def record_follow_up(self) -> None:
        if self.detail is not None:
            self._run_dialog(FollowUpDialog(self.actor, self.detail, self.today(), self))

    def print_agreement(self) -> None:
        d = self.detail
        if d is not None:
            self.print_paper(
                documents.MEDIATION_AGREEMENT,
                d.id,
                _("Mediation agreement"),
                documents.agreement_stem(d.number),
            )
