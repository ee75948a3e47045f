"""The 四议两公开 room: the list of major matters and where each stands, a matter's timeline, a form for
each step, the supervisory committee's sign-off and concerns, and the dossier's print preview.

Screens only: every read and write goes through `villagegov.decisions.service`; the disclosures'
notices are approved and posted through `villagegov.notices.service` (the same dialog as the 村务公开
room). Dialogs run through `DecisionsRoom.exec_dialog`, so a test can fill one and take its accept
path without a modal loop.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from villagegov.core import calendar as cal
from villagegov.core import voting
from villagegov.core.actions import NOTHING_SELECTED, Allowed, Refusal, refuse
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date, format_money, ngettext
from villagegov.decisions import documents, records, rules, service
from villagegov.decisions.rules import Observer, Participant, StepInput
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices
from villagegov.notices.rules import NoticeInput
from villagegov.ui import attachments, ops
from villagegov.ui.forms import (
    ERROR_STYLE,
    OK_STYLE,
    FormDialog,
    date_edit,
    day_text,
    error_label,
    pydate,
    qdate,
)
from villagegov.ui.pdf_preview import PdfPreviewDialog
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, RowsModel, heading, reminders_panel, rows_view

YEARS_BACK = 10
# Four warnings and a line saying how many more: the list keeps its height on a 1366×768 screen (the
# list's Warnings column and each matter's timeline give them all).
ALERTS_SHOWN = 4
DIALOG_MARGIN = 60  # a dialog's title bar and frame beyond its height
OPEN = "open"  # the attachments dialog's own button (reading needs no rule)
MUTED_STYLE = "color: #555;"

# --- small helpers ----------------------------------------------------------------------------------------


def _money(fen: int | None) -> str:
    return "" if fen is None else format_money(fen)


def _step_short(step: str) -> str:
    return _("{n}. {label}").format(n=rules.step_number(step), label=rules.step_label(step))


def _state_text(row: records.DecisionRow | records.DecisionDetail) -> str:
    """Where a matter stands in a few words; a disclosure says what its notice waits for."""
    if row.state != rules.IN_PROGRESS:
        return rules.state_label(row.state)
    if isinstance(row, records.DecisionRow):
        waiting, notice = row.waiting, row.notice_state
    else:
        waiting = row.progress.waiting
        notice = row.facts.notice.state if row.facts.notice and not row.facts.notice_lost else None
    if waiting == rules.UNDER_WAY:
        if notice is None or notice == notice_rules.WITHDRAWN:
            return _("Notice to redraft")
        if notice in DISCLOSURE_LABELS:
            return _(DISCLOSURE_LABELS[notice])
    return _(WAITING_LABELS.get(waiting, STATE_IN_PROGRESS))


STATE_IN_PROGRESS = N_("In progress")
WAITING_LABELS = {
    rules.RECORD: N_("In progress"),
    rules.CHOICE: N_("Vote failed: revise or end"),
    rules.AGAIN: N_("To be held again"),
    rules.UNDER_WAY: N_("Being disclosed"),
}
# A disclosure under way whose notice is not yet on the board: what it waits for.
DISCLOSURE_LABELS = {
    notice_rules.DRAFT: N_("Notice to approve"),
    notice_rules.APPROVED: N_("Notice to post"),
}

DECISION_COLUMNS = (
    Column(N_("Number"), lambda r: r.number),
    Column(N_("Title"), lambda r: r.title),
    Column(N_("Amount"), lambda r: _money(r.amount_fen), align_right=True),
    Column(N_("State"), _state_text),  # before the long step names, so that it stays on screen
    Column(N_("Current step"), lambda r: _step_short(r.step)),
    Column(N_("Last date"), lambda r: day_text(r.last_date)),
    Column(N_("Warnings"), lambda r: "；".join(a.text() for a in r.alerts)),
)


# --- the step form ----------------------------------------------------------------------------------------

PRESENT_COLUMN = 2


class PeopleTable(QTableWidget):
    """The members expected at a meeting: name, kind, present (a tick), note (why absent, position)."""

    KINDS = (rules.MEMBER_KINDS, rules.OBSERVER_KINDS)

    def __init__(self, observers: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(0, 3 if observers else 4, parent)
        self.observers = observers
        headers = (
            [_("Name"), _("Kind"), _("Note")]
            if observers
            else [_("Name"), _("Kind"), _("Present"), _("Note")]
        )
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.setColumnWidth(0, 130)
        self.setColumnWidth(1, 175)
        if not observers:
            self.setColumnWidth(PRESENT_COLUMN, 70)
        self.setMinimumHeight(220)
        self._villagers: dict[int, int | None] = {}  # row → villager id

    def add(self, name: str = "", kind: str = "", present: bool = True, note: str = "",
            villager_id: int | None = None) -> None:  # fmt: skip
        row = self.rowCount()
        self.insertRow(row)
        name_item = QTableWidgetItem(name)
        if villager_id is not None:  # a name from the roster stays as the roster has it
            name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name_item.setData(Qt.ItemDataRole.UserRole, villager_id)
        self.setItem(row, 0, name_item)
        combo = QComboBox()
        for k in rules.OBSERVER_KINDS if self.observers else rules.MEMBER_KINDS:
            combo.addItem(rules.person_kind_label(k), k)
        combo.setCurrentIndex(max(combo.findData(kind), 0))
        self.setCellWidget(row, 1, combo)
        if self.observers:
            self.setItem(row, 2, QTableWidgetItem(note))
            return
        tick = QTableWidgetItem()
        tick.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        )
        tick.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
        self.setItem(row, PRESENT_COLUMN, tick)
        self.setItem(row, 3, QTableWidgetItem(note))

    def remove_current(self) -> None:
        row = self.currentRow()
        self.removeRow(row if row >= 0 else self.rowCount() - 1)

    def clear_rows(self, keep: Callable[[int], bool] = lambda row: False) -> None:
        for row in reversed(range(self.rowCount())):
            if not keep(row):
                self.removeRow(row)

    def _text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text().strip() if item else ""

    def kind(self, row: int) -> str:
        combo = self.cellWidget(row, 1)
        return combo.currentData() if isinstance(combo, QComboBox) else ""

    def villager(self, row: int) -> int | None:
        item = self.item(row, 0)
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        return int(value) if value is not None else None

    def present(self, row: int) -> bool:
        item = self.item(row, PRESENT_COLUMN)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def set_present(self, row: int, present: bool) -> None:
        item = self.item(row, PRESENT_COLUMN)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)

    def members(self) -> tuple[Participant, ...]:
        out = []
        for row in range(self.rowCount()):
            name = self._text(row, 0)
            if name:
                out.append(
                    Participant(
                        name, self.present(row), self.villager(row), self.kind(row), self._text(row, 3)
                    )
                )
        return tuple(out)

    def sitting(self) -> tuple[Observer, ...]:
        return tuple(
            Observer(self._text(row, 0), self.kind(row), self._text(row, 2))
            for row in range(self.rowCount())
            if self._text(row, 0)
        )


def _spin(maximum: int = 100_000) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    return spin


class StepDialog(QDialog):
    """The record of one meeting step (1 to 4): when and where, who came, what was said and decided.

    With `correcting`, the form opens with that record's contents and saves a correction (a new record;
    the original stays)."""

    def __init__(
        self,
        actor: Actor,
        detail: records.DecisionDetail,
        step: str,
        today: date,
        correcting: records.StepRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor, self.detail, self.step, self.today = actor, detail, step, today
        self.correcting = correcting
        self.saved: records.DecisionDetail | None = None
        title = rules.step_title(step)
        self.setWindowTitle(_("Correct {step}").format(step=title) if correcting else title)
        # Within a 1366×768 screen's working area: the form scrolls, its Save button stays on screen.
        room = self.screen().availableGeometry().height() - DIALOG_MARGIN
        self.resize(820, max(480, min(760, room)))
        outer = QVBoxLayout(self)
        intro = QLabel(
            "<b>"
            + html.escape(detail.title)
            + "</b> · "
            + html.escape(title)
            + "<br>"
            + html.escape(_(HINTS[step]))
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        page = QWidget()
        self.layout_ = QVBoxLayout(page)
        scroll.setWidget(page)
        outer.addWidget(scroll, 1)

        form = QFormLayout()
        self.held_on = date_edit(correcting.held_on if correcting and correcting.held_on else today)
        form.addRow(_("Date of the meeting"), self.held_on)
        self.body = QComboBox()
        for body in rules.BODIES[step]:
            self.body.addItem(rules.body_label(body), body)
        form.addRow(_("Meeting"), self.body)
        self.joint = QCheckBox(
            _("Held in one meeting with step 1 (the secretary also chairs the village committee)")
        )
        if step == rules.DISCUSS:
            form.addRow("", self.joint)
        self.notified_on = date_edit(today)
        self.notified_label = QLabel(_("Villagers notified on"))
        form.addRow(self.notified_label, self.notified_on)
        self.council_item = QComboBox()
        self.council_label = QLabel(_("Council agenda item"))
        form.addRow(self.council_label, self.council_item)
        self.place = QLineEdit()
        self.chair = QLineEdit()
        self.recorder = QLineEdit()
        form.addRow(_("Place"), self.place)
        form.addRow(_("Chair"), self.chair)
        form.addRow(_("Recorder"), self.recorder)
        self.layout_.addLayout(form)

        # Who was expected and who came.
        self.members_box = QGroupBox(_("Members expected (tick those present)"))
        box = QVBoxLayout(self.members_box)
        self.members = PeopleTable()
        box.addWidget(self.members)
        bar = QHBoxLayout()
        self.fill_button = QPushButton(_("Fill from the roster"))
        self.fill_button.clicked.connect(self.fill_from_roster)
        add = QPushButton(_("Add a person"))
        add.clicked.connect(lambda: self.members.add(kind=self._default_kind()))
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(self.members.remove_current)
        for button in (self.fill_button, add, remove):
            bar.addWidget(button)
        bar.addStretch(1)
        box.addLayout(bar)
        self.layout_.addWidget(self.members_box)

        self.villagers_box = QGroupBox(_("Villagers' meeting attendance"))
        vform = QFormLayout(self.villagers_box)
        self.adults_present = _spin()
        self.households_present = _spin()
        self.base_label = QLabel()
        vform.addRow(_("Adults present"), self.adults_present)
        vform.addRow(_("Households represented"), self.households_present)
        vform.addRow("", self.base_label)
        self.layout_.addWidget(self.villagers_box)

        obs_box = QGroupBox(_("Observers (sitting in without a vote)"))
        ob = QVBoxLayout(obs_box)
        self.observers = PeopleTable(observers=True)
        self.observers.setMinimumHeight(90)
        self.observers.setMaximumHeight(130)
        ob.addWidget(self.observers)
        obar = QHBoxLayout()
        add_obs = QPushButton(_("Add an observer"))
        add_obs.clicked.connect(lambda: self.observers.add(kind=rules.SUPERVISORY))
        rm_obs = QPushButton(_("Remove"))
        rm_obs.clicked.connect(self.observers.remove_current)
        obar.addWidget(add_obs)
        obar.addWidget(rm_obs)
        obar.addStretch(1)
        ob.addLayout(obar)
        self.layout_.addWidget(obs_box)

        # The conclusion, or the vote.
        self.conclusion_box = QGroupBox(_("Conclusion"))
        cl = QHBoxLayout(self.conclusion_box)
        self.agreed = QRadioButton(_("Agreed"))
        self.not_agreed = QRadioButton(_("Not agreed"))
        group = QButtonGroup(self)
        group.addButton(self.agreed)
        group.addButton(self.not_agreed)
        cl.addWidget(self.agreed)
        cl.addWidget(self.not_agreed)
        cl.addStretch(1)
        self.layout_.addWidget(self.conclusion_box)

        self.vote_box = QGroupBox(_("Vote"))
        vl = QFormLayout(self.vote_box)
        self.for_, self.against, self.abstain, self.recused = _spin(), _spin(), _spin(), _spin()
        counts = QHBoxLayout()
        for label, spin in (
            (_("For"), self.for_), (_("Against"), self.against), (_("Abstaining"), self.abstain),
            (_("Stepping aside"), self.recused),
        ):  # fmt: skip
            counts.addWidget(QLabel(label))
            counts.addWidget(spin)
        counts.addStretch(1)
        vl.addRow(counts)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        vl.addRow(self.outcome)
        self.layout_.addWidget(self.vote_box)

        tform = QFormLayout()
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText(_("What was said at the meeting."))
        self.summary.setFixedHeight(80)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_(TEXT_HINTS[step]))
        self.text.setFixedHeight(80)
        tform.addRow(_("What was said"), self.summary)
        tform.addRow(_(TEXT_LABELS[step]), self.text)
        self.reason = QLineEdit()
        if correcting:
            tform.addRow(_("Why it is corrected"), self.reason)
        self.layout_.addLayout(tform)

        self.error = error_label()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        self._fill(correcting)
        for signal in (
            self.body.currentIndexChanged, self.held_on.dateChanged, self.for_.valueChanged,
            self.against.valueChanged, self.abstain.valueChanged, self.recused.valueChanged,
            self.adults_present.valueChanged, self.households_present.valueChanged, self.members.itemChanged,
        ):  # fmt: skip
            signal.connect(self.update_view)
        self.body.currentIndexChanged.connect(self._body_changed)
        self._body_changed()

    # --- filling -------------------------------------------------------------------------------------

    def _fill(self, row: records.StepRow | None) -> None:
        if row is None:
            previous = [s for s in self.detail.live_steps() if s.step in rules.MEETING_STEPS]
            if previous:  # the same room and people as last time, as a start
                last = previous[-1]
                self.place.setText(last.place)
                self.chair.setText(last.chair)
                self.recorder.setText(last.recorder)
                for o in last.observers:
                    self.observers.add(o.name, o.kind, note=o.note)
            if self.step == rules.REVIEW:
                self.fill_from_roster()
            return
        self.body.setCurrentIndex(max(self.body.findData(row.body), 0))
        self.joint.setChecked(row.joint)
        if row.notified_on:
            self.notified_on.setDate(qdate(row.notified_on))
        self.place.setText(row.place)
        self.chair.setText(row.chair)
        self.recorder.setText(row.recorder)
        for p in row.members:
            self.members.add(p.name, p.kind, p.present, p.note, p.villager_id)
        for o in row.observers:
            self.observers.add(o.name, o.kind, note=o.note)
        self.agreed.setChecked(row.outcome == rules.AGREED)
        self.not_agreed.setChecked(row.outcome == rules.NOT_AGREED)
        for spin, value in ((self.for_, row.for_), (self.against, row.against), (self.abstain, row.abstain),
                            (self.recused, row.recused)):  # fmt: skip
            spin.setValue(value or 0)
        if row.body == rules.VILLAGERS:
            self.adults_present.setValue(row.present or 0)
            self.households_present.setValue(row.households_present or 0)
        self.summary.setPlainText(row.summary)
        self.text.setPlainText(row.text)
        self._council_choice = row.council.item_id if row.council else None

    _council_choice: int | None = None

    def _default_kind(self) -> str:
        if self.step == rules.REVIEW:
            return rules.PARTY_MEMBER
        if self.body.currentData() == rules.REPRESENTATIVES:
            return rules.COMMITTEE_MEMBER
        return ""

    def fill_from_roster(self) -> None:
        """The party members (step 3) or the representatives in term on the meeting's date (step 4)."""
        day = pydate(self.held_on)
        try:  # a refusal shows on the form's error line, beside what is being typed
            if self.step == rules.REVIEW:
                people = service.party_members(self.actor, day)
            else:
                people = service.representatives_on(self.actor, day)
        except VillagegovError as exc:
            self.show_error(exc.message())
            return
        # Keep the members typed in by hand (the village committee's); replace those from the roster.
        self.members.clear_rows(keep=lambda row: self.members.villager(row) is None)
        for p in people:
            self.members.add(p.name, p.kind, True, p.note, p.villager_id)
        self.update_view()

    def _body_changed(self) -> None:
        body = self.body.currentData()
        council = body == rules.COUNCIL
        villagers = body == rules.VILLAGERS
        self.notified_label.setVisible(villagers)
        self.notified_on.setVisible(villagers)
        self.council_label.setVisible(council)
        self.council_item.setVisible(council)
        self.members_box.setVisible(not council and not villagers)
        self.villagers_box.setVisible(villagers)
        self.conclusion_box.setVisible(self.step in (rules.PROPOSE, rules.DISCUSS))
        self.vote_box.setVisible(self.step in rules.VOTING_STEPS and not council)
        self.fill_button.setVisible(self.step == rules.REVIEW or body == rules.REPRESENTATIVES)
        for widget in (self.place, self.chair, self.recorder, self.held_on):
            widget.setEnabled(not council)
        if council and self.council_item.count() == 0:
            self._load_council_items()
        if body == rules.REPRESENTATIVES and not any(
            self.members.villager(r) is not None for r in range(self.members.rowCount())
        ):
            self.fill_from_roster()
        self.update_view()

    def _load_council_items(self) -> None:
        try:  # a refusal shows on the form's error line, as the roster's does
            items = service.council_items(self.actor)
        except VillagegovError as exc:
            self.show_error(exc.message())
            return
        for item in items:
            label = _("{meeting} on {date}: {title} ({outcome})").format(
                meeting=item.meeting_title, date=format_date(item.date), title=item.title,
                outcome=voting.result_label(item.outcome) if item.outcome else _("not voted"),
            )  # fmt: skip
            self.council_item.addItem(label, item.item_id)
        if self._council_choice is not None:
            self.council_item.setCurrentIndex(max(self.council_item.findData(self._council_choice), 0))
        if not items:
            self.council_item.addItem(_("The council has no agenda item put to a vote."), None)

    # --- live view ---------------------------------------------------------------------------------------

    def update_view(self) -> None:
        body = self.body.currentData()
        if body == rules.VILLAGERS:
            try:  # the live lines under the counts say what they can, never a box while typing
                adults, households = service.villagers_meeting_base(self.actor, pydate(self.held_on))
                self.base_label.setText(
                    _("The roster counts {adults} adults and {households} households on that day.").format(
                        adults=adults, households=households
                    )
                )
            except VillagegovError as exc:
                self.base_label.setText(exc.message())
        if not self.vote_box.isVisible() and self.step not in rules.VOTING_STEPS:
            return
        try:
            outcome = service.preview_outcome(self.actor, self.step, self.data())
        except VillagegovError as exc:
            self.outcome.setText(f'<span style="{ERROR_STYLE}">{html.escape(exc.message())}</span>')
            return
        if outcome is None:
            self.outcome.setText("")
            return
        style = OK_STYLE if outcome.passed else ERROR_STYLE
        text = _("{result}: {present} present of {expected}; {needed} votes for needed ({rule}).").format(
            result=outcome.label(), present=outcome.counts.present, expected=outcome.counts.expected,
            needed=outcome.needed, rule=outcome.threshold_text(),
        )  # fmt: skip
        self.outcome.setText(f'<span style="{style}">{html.escape(text)}</span>')

    # --- saving -------------------------------------------------------------------------------------------

    def data(self) -> StepInput:
        body = self.body.currentData()
        agreed = True if self.agreed.isChecked() else False if self.not_agreed.isChecked() else None
        return StepInput(
            held_on=pydate(self.held_on), place=self.place.text(), chair=self.chair.text(),
            recorder=self.recorder.text(), body=body,
            participants=self.members.members() if body not in (rules.VILLAGERS, rules.COUNCIL) else (),
            observers=self.observers.sitting(), agreed=agreed, for_=self.for_.value(),
            against=self.against.value(), abstain=self.abstain.value(), recused=self.recused.value(),
            adults_present=self.adults_present.value() if body == rules.VILLAGERS else None,
            households_present=self.households_present.value() if body == rules.VILLAGERS else None,
            notified_on=pydate(self.notified_on) if body == rules.VILLAGERS else None,
            joint=self.joint.isChecked() and self.step == rules.DISCUSS,
            agenda_item_id=self.council_item.currentData() if body == rules.COUNCIL else None,
            summary=self.summary.toPlainText(), text=self.text.toPlainText(),
        )  # fmt: skip

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def save(self) -> None:
        """Through the one way to act; a refusal shows in the form, keeping what was typed."""
        try:
            with ops.Gathered():
                if self.correcting is not None:
                    self.saved = service.correct_step(
                        self.actor, self.correcting.id, self.data(), self.reason.text(), today=self.today
                    )
                else:
                    self.saved = service.record_step(
                        self.actor, self.detail.id, self.step, self.data(), today=self.today
                    )
        except VillagegovError as exc:
            self.show_error(exc.message())
            return
        self.accept()


HINTS = {
    rules.PROPOSE: N_("The village party organisation (party branch committee) proposes the matter."),
    rules.DISCUSS: N_("The party branch and the village committee discuss the proposal in a joint meeting."),
    rules.REVIEW: N_(
        "The party members' meeting reviews it: it sits with at least half of the members with a vote, and "
        "passes with more than half of those expected (Party Branch Work Regulations, Art. 11)."
    ),
    rules.RESOLVE: N_(
        "The villagers' representatives' meeting sits with at least 2/3 of its members (Art. 27); the "
        "villagers' meeting with more than half of the adults or 2/3 of the households, notified 10 days "
        "ahead (Art. 22, 23). Either passes with more than half of those present."
    ),
}
TEXT_LABELS = {
    rules.PROPOSE: N_("The proposal"),
    rules.DISCUSS: N_("The plan agreed"),
    rules.REVIEW: N_("The review's opinion"),
    rules.RESOLVE: N_("The resolution"),
}
TEXT_HINTS = {
    rules.PROPOSE: N_("What the party branch proposes."),
    rules.DISCUSS: N_("The plan as the two committees agreed it."),
    rules.REVIEW: N_("What the party members' meeting decided."),
    rules.RESOLVE: N_("The resolution as adopted; it is the text of the resolution's disclosure."),
}


# --- the smaller forms ------------------------------------------------------------------------------------


class DecisionDialog(FormDialog):
    """A new major matter, or its facts corrected before the vote."""

    def __init__(
        self,
        actor: Actor,
        today: date,
        detail: records.DecisionDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit the matter") if detail else _("New major matter"), parent)
        self.actor, self.today, self.detail = actor, today, detail
        data = detail.as_input() if detail else None
        self.title = QLineEdit(data.title if data else "")
        self.kind = QComboBox()
        for kind in rules.KINDS:
            self.kind.addItem(rules.kind_label(kind), kind)
        if data:
            self.kind.setCurrentIndex(self.kind.findData(data.kind))
        self.amount = QLineEdit(data.amount if data else "")
        self.amount.setPlaceholderText(_("In yuan; empty where no money is involved"))
        self.background = QPlainTextEdit(data.background if data else "")
        self.opened_on = date_edit(detail.opened_on if detail else today)
        self.opened_on.setEnabled(detail is None)
        self.form.addRow(_("Title"), self.title)
        self.form.addRow(_("Kind of matter"), self.kind)
        self.form.addRow(_("Amount (yuan)"), self.amount)
        self.form.addRow(_("Background of the matter"), self.background)
        self.form.addRow(_("Opened on"), self.opened_on)

    def submit(self) -> records.DecisionDetail:
        data = records.DecisionInput(
            self.title.text(), self.kind.currentData(), self.amount.text(), self.background.toPlainText()
        )
        if self.detail is None:
            return service.open_decision(self.actor, data, pydate(self.opened_on), today=self.today)
        return service.update_decision(self.actor, self.detail.id, data)


class DisclosureDialog(FormDialog):
    """Start a disclosure: the 公示 drafted from the record, to check before it goes to the secretary."""

    def __init__(
        self,
        actor: Actor,
        detail: records.DecisionDetail,
        draft: NoticeInput,
        today: date,
        parent: QWidget | None = None,
    ):
        step = (
            detail.progress.step
            if detail.progress.step in rules.DISCLOSURE_STEPS
            else rules.DISCLOSE_RESOLUTION
        )
        super().__init__(rules.step_title(step), parent)
        self.setMinimumWidth(720)
        self.actor, self.detail, self.today = actor, detail, today
        explain = QLabel(
            _(
                "A publicity notice (公示) is drafted in the public notices room. The secretary approves it, "
                "it is posted, and the step is complete once it has hung for its whole period of {days} days "
                "and every objection is answered."
            ).format(days=draft.period_days)
        )
        explain.setWordWrap(True)
        self.form.addRow(explain)
        self.title = QLineEdit(draft.title)
        self.body = QPlainTextEdit(draft.body)
        self.body.setMinimumHeight(260)
        self.form.addRow(_("Title"), self.title)
        self.form.addRow(_("Text"), self.body)

    def submit(self) -> records.DecisionDetail:
        return service.start_disclosure(
            self.actor, self.detail.id, self.title.text(), self.body.toPlainText(), today=self.today
        )


class ImplementationDialog(FormDialog):
    """What was done and spent, which the result disclosure reports."""

    def __init__(
        self, actor: Actor, detail: records.DecisionDetail, today: date, parent: QWidget | None = None
    ):
        super().__init__(_("Implementation"), parent)
        self.actor, self.detail, self.today = actor, detail, today
        self.started_on = date_edit(detail.work_started_on or today)
        self.has_end = QCheckBox(_("The work has ended"))
        self.has_end.setChecked(detail.work_ended_on is not None or detail.work_started_on is None)
        self.ended_on = date_edit(detail.work_ended_on or today)
        self.has_end.toggled.connect(self.ended_on.setEnabled)
        self.ended_on.setEnabled(self.has_end.isChecked())
        end = QHBoxLayout()
        end.addWidget(self.has_end)
        end.addWidget(self.ended_on)
        end.addStretch(1)
        self.work_done = QPlainTextEdit(detail.work_done)
        self.spent = QLineEdit("" if detail.spent_fen is None else notice_rules.fen_to_yuan(detail.spent_fen))
        decided = _("Amount decided: {amount}").format(amount=_money(detail.amount_fen) or _("none"))
        self.form.addRow(_("Work started on"), self.started_on)
        self.form.addRow(_("Work ended"), end)
        self.form.addRow(_("What was done"), self.work_done)
        self.form.addRow(_("Money spent (yuan)"), self.spent)
        self.form.addRow("", QLabel(decided))

    def submit(self) -> records.DecisionDetail:
        data = records.ImplementationInput(
            pydate(self.started_on), pydate(self.ended_on) if self.has_end.isChecked() else None,
            self.work_done.toPlainText(), self.spent.text(),
        )  # fmt: skip
        return service.record_implementation(self.actor, self.detail.id, data, today=self.today)


class ReasonDialog(FormDialog):
    """A day and a reason: send the matter back as a revised proposal, or end it as not adopted."""

    def __init__(self, title: str, submit: Callable[[date, str], Any], today: date, label: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(title, parent)
        self._submit = submit
        self.on = date_edit(today)
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(100)
        self.form.addRow(_("Date"), self.on)
        self.form.addRow(label, self.reason)

    def submit(self) -> Any:
        return self._submit(pydate(self.on), self.reason.toPlainText())


class SupervisionDialog(FormDialog):
    """The supervisory committee signs off a step's record, or records a concern about it."""

    def __init__(self, actor: Actor, detail: records.DecisionDetail, kind: str, today: date,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        title = _("Sign off a step") if kind == rules.SIGN_OFF else _("Raise a concern")
        super().__init__(title, parent)
        self.actor, self.kind, self.today = actor, kind, today
        self.step = QComboBox()
        for s in detail.live_steps():
            label = _("{step}, {date}").format(
                step=rules.step_title(s.step), date=day_text(s.date) or _("not yet posted")
            )
            if s.round > 1 or detail.round > 1:
                label += " · " + _("round {n}").format(n=s.round)
            self.step.addItem(label, s.id)
        self.step.setCurrentIndex(self.step.count() - 1)
        self.on = date_edit(today)
        self.text = QPlainTextEdit()
        self.text.setFixedHeight(100)
        self.text.setPlaceholderText(
            _("Optional remark") if kind == rules.SIGN_OFF else _("What the committee questions")
        )
        self.form.addRow(_("Step"), self.step)
        self.form.addRow(_("Date"), self.on)
        self.form.addRow(_("Remark") if kind == rules.SIGN_OFF else _("Concern"), self.text)

    def submit(self) -> records.SupervisionRow:
        step_id = self.step.currentData()
        if step_id is None:  # the room offers the dialog only once a step is on record
            raise VillagegovError(N_("There is no step to supervise yet."))
        call = service.sign_off if self.kind == rules.SIGN_OFF else service.raise_concern
        return call(self.actor, step_id, self.text.toPlainText(), pydate(self.on), today=self.today)


class AnswerConcernDialog(FormDialog):
    """The clerk or the secretary answers a concern of the supervisory committee."""

    def __init__(
        self, actor: Actor, detail: records.DecisionDetail, today: date, parent: QWidget | None = None
    ):
        super().__init__(_("Answer a concern"), parent)
        self.actor, self.today = actor, today
        self.concern = QComboBox()
        for s in detail.steps:
            for c in s.supervision:
                if c.open:
                    self.concern.addItem(
                        _("{step}: {text} ({name}, {date})").format(
                            step=rules.step_title(s.step), text=c.text, name=c.by_name, date=format_date(c.on)
                        ),
                        c.id,
                    )
        self.answer = QPlainTextEdit()
        self.answer.setFixedHeight(100)
        self.on = date_edit(today)
        self.form.addRow(_("Concern"), self.concern)
        self.form.addRow(_("Answer"), self.answer)
        self.form.addRow(_("Answered on"), self.on)

    def submit(self) -> records.SupervisionRow:
        concern = self.concern.currentData()
        if concern is None:  # the room offers the dialog only while a concern waits
            raise VillagegovError(N_("No concern is waiting for an answer."))
        return service.answer_concern(
            self.actor, concern, self.answer.toPlainText(), pydate(self.on), today=self.today
        )


class SettingsDialog(FormDialog):
    """The village's settings for major matters (DOMAIN.md defaults)."""

    def __init__(self, actor: Actor, current: records.SettingsData, parent: QWidget | None = None) -> None:
        super().__init__(_("Settings for major matters"), parent)
        self.actor = actor
        self.current = current
        self.days = QSpinBox()
        self.days.setRange(rules.DEFAULT_DISCLOSURE_DAYS, notice_rules.MAX_PERIOD_DAYS)
        self.days.setValue(self.current.disclosure_days)
        self.unit = QComboBox()
        for unit in cal.UNITS:
            self.unit.addItem(cal.unit_label(unit), unit)
        self.unit.setCurrentIndex(self.unit.findData(self.current.disclosure_unit))
        period = QHBoxLayout()
        period.addWidget(self.days)
        period.addWidget(self.unit)
        period.addStretch(1)
        self.stall = QSpinBox()
        self.stall.setRange(1, 365)
        self.stall.setValue(self.current.stall_days)
        self.result = QSpinBox()
        self.result.setRange(1, 365)
        self.result.setValue(self.current.result_days)
        self.quorum = QComboBox()
        self.quorum.addItem(_("At least 1/2 of the members (national rule)"), rules.PARTY_QUORUM_DEFAULT)
        self.quorum.addItem(
            _("At least 2/3 of the members (stricter local practice)"), rules.PARTY_QUORUM_TIGHT
        )
        self.quorum.setCurrentIndex(0 if self.current.party_quorum == rules.PARTY_QUORUM_DEFAULT else 1)
        self.form.addRow(_("Each disclosure hangs for at least"), period)
        self.form.addRow(_("Warn when a matter stalls at one step for (days)"), self.stall)
        self.form.addRow(
            _("Warn when a result is not disclosed after the work ended for (days)"), self.result
        )
        self.form.addRow(_("Party members' meeting sits with"), self.quorum)

    def submit(self) -> records.SettingsData:
        return service.update_decision_settings(
            self.actor,
            replace(
                self.current, disclosure_days=self.days.value(), disclosure_unit=self.unit.currentData(),
                stall_days=self.stall.value(), result_days=self.result.value(),
                party_quorum=self.quorum.currentData(),
            ),
        )  # fmt: skip


# --- the timeline -----------------------------------------------------------------------------------------


def _people(rows: Sequence[records.PersonRow]) -> str:
    return "、".join(r.name + (f"（{r.note}）" if r.note else "") for r in rows)


def _observers(rows: Sequence[records.PersonRow]) -> str:
    """陈淑芬（监委会，监委会主任）: each observer with what they are and their position."""
    return "、".join(
        f"{o.name}（{'，'.join(x for x in (rules.person_kind_label(o.kind), o.note) if x)}）" for o in rows
    )


def _facts_table(facts: Sequence[tuple[str, str]]) -> str:
    e = html.escape
    cells = "".join(
        f"<tr><td style='{MUTED_STYLE} padding-right:8px'>{e(k)}</td><td>{e(v)}</td></tr>"
        for k, v in facts
        if v
    )
    return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"


def _step_facts(s: records.StepRow, d: records.DecisionDetail) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if s.step in rules.MEETING_STEPS:
        meeting = s.council.council + " " + s.council.meeting_title if s.council else rules.body_label(s.body)
        facts.append((_("Meeting"), meeting))
        if s.joint:
            facts.append((_("Note"), _("Held in one meeting with step 1")))
        facts += [(_("Place"), s.place), (_("Chair"), s.chair), (_("Recorder"), s.recorder)]
        if s.notified_on:
            facts.append((_("Villagers notified on"), day_text(s.notified_on)))
        if s.body == rules.VILLAGERS:
            attendance = _("{present} of {expected} adults; {hp} of {h} households").format(
                present=s.present, expected=s.expected, hp=s.households_present, h=s.households
            )
            facts.append((_("Attendance"), attendance))
        elif s.expected is not None:
            attendance = _("{present} present of {expected} expected").format(
                present=s.present, expected=s.expected
            )
            facts.append((_("Attendance"), attendance))
        absent = [p for p in s.members if not p.present]
        if absent:
            facts.append((_("Absent"), _people(absent)))
        if s.representatives is not None:
            composition = _("{reps} representatives, {women} of them women").format(
                reps=s.representatives, women=s.women_representatives
            )
            facts.append((_("Composition"), composition))
        if s.step in rules.VOTING_STEPS and s.for_ is not None:
            vote = _("{for_} for, {against} against, {abstain} abstaining; {needed} needed ({rule})").format(
                for_=s.for_, against=s.against, abstain=s.abstain, needed=s.needed, rule=s.threshold_text()
            )
            facts.append((_("Vote"), vote))
    else:
        n = s.notice
        if n is None:
            facts.append((_("Notice"), _("The draft was deleted or withdrawn; draft the disclosure again.")))
        else:
            facts.append((_("Notice"), f"{n.number or _('(number given on approval)')} {n.title}"))
            facts.append((_("Notice state"), notice_rules.state_label(n.state)))
            if n.posted_at:
                posted = _("{date} by {name}, on {places}").format(
                    date=day_text(n.posted_at), name=n.posted_by, places="、".join(n.places)
                )
                facts.append((_("Posted"), posted))
            if n.period_start and n.period_end:
                period = _("{start} to {end}").format(
                    start=day_text(n.period_start), end=day_text(n.period_end)
                )
                facts.append((_("Posting period"), period))
            if n.corrected:
                n_old = len(n.corrected)
                replaced = ngettext("replaces {n} earlier notice", "replaces {n} earlier notices", n_old)
                facts.append((_("Corrected notice"), replaced.format(n=n_old)))
        if s.step == rules.DISCLOSE_RESULT:
            facts.append((_("Money decided / spent"), f"{_money(d.amount_fen)} / {_money(d.spent_fen)}"))
        if s.completed_on:
            facts.append((_("Complete on"), day_text(s.completed_on)))
    if s.observers:
        facts.append((_("Observers"), _observers(s.observers)))
    return facts


def timeline_html(d: records.DecisionDetail, today: date) -> str:
    e = html.escape
    out = [f"<h3>{e(d.number)} {e(d.title)}</h3>"]
    facts = [
        (_("Kind of matter"), rules.kind_label(d.kind)),
        (_("Amount"), _money(d.amount_fen)),
        (_("Opened on"), day_text(d.opened_on)),
        (_("State"), _state_text(d)),
        (_("At"), rules.step_title(d.progress.step) if d.state == rules.IN_PROGRESS else ""),
        (_("Ended on"), day_text(d.ended_on)),
        (_("Why it ended"), d.end_reason),
    ]
    if d.work_started_on:
        span = day_text(d.work_started_on) + (" – " + day_text(d.work_ended_on) if d.work_ended_on else "")
        facts.append((_("Work"), span))
    if d.attachments:
        facts.append((_("Attachments"), "、".join(a.file_name for a in d.attachments)))
    out.append(_facts_table(facts))
    for alert in d.alerts:
        style = ERROR_STYLE if alert.serious else ""
        out.append(f"<p style='{style}'>⚠ {e(alert.text())}</p>")
    shown_round = 1

    def rounds_up_to(number: int) -> None:
        nonlocal shown_round
        for r in d.rounds:
            if shown_round < r.number <= number:
                text = _("{date}: sent back to step 1 as a revised proposal: {reason}").format(
                    date=day_text(r.started_on), reason=r.reason
                )
                out.append(f"<hr><p><b>{e(text)}</b></p>")
        shown_round = max(shown_round, number)

    for s in d.steps:
        rounds_up_to(s.round)
        title = rules.step_title(s.step)
        when = day_text(s.date)
        outcome = rules.outcome_label(s.outcome)
        colour = ERROR_STYLE if s.outcome in rules.FAILED or s.outcome == voting.QUORUM_NOT_MET else ""
        struck = " style='color:#888'" if s.superseded else ""
        out.append(
            f"<hr><h4{struck}>{e(title)} · {e(when)} · <span style='{colour}'>{e(outcome)}</span></h4>"
        )
        if s.superseded:
            out.append(
                f"<p style='{MUTED_STYLE}'>{e(_('This record was corrected; the correction follows.'))}</p>"
            )
        if s.corrects is not None:
            out.append(f"<p>{e(_('Correction: {reason}').format(reason=s.correction_reason))}</p>")
        out.append(_facts_table(_step_facts(s, d)))
        if s.text:
            out.append(f"<p>{e(s.text)}</p>")
        if s.notice is not None:
            for o in s.notice.objections:
                status = (
                    _("answered {date}").format(date=day_text(o.answered_on))
                    if o.answered_on
                    else _("not answered")
                )
                style = ERROR_STYLE if o.answered_on is None else ""
                text = _("Objection from {name} on {date}: {content} ({status})").format(
                    name=o.objector, date=day_text(o.received_on), content=o.content, status=status
                )
                out.append(f"<p style='{style}'>{e(text)}</p>")
        for v in s.supervision:
            if v.kind == rules.SIGN_OFF:
                text = _("Signed off by {name} on {date}").format(name=v.by_name, date=day_text(v.on))
                if v.text:
                    text += _(": {remark}").format(remark=v.text)
                out.append(f"<p style='{OK_STYLE}'>✔ {e(text)}</p>")
            else:
                text = _("Concern of {name} on {date}: {text}").format(
                    name=v.by_name, date=day_text(v.on), text=v.text
                )
                if v.open:
                    out.append(f"<p style='{ERROR_STYLE}'>● {e(text)} — {e(_('not answered yet'))}</p>")
                else:
                    answer = _("Answered on {date}: {answer}").format(
                        date=day_text(v.answered_on), answer=v.answer
                    )
                    out.append(f"<p>● {e(text)}<br>{e(answer)}</p>")
    rounds_up_to(d.round)
    if d.state == rules.IN_PROGRESS:
        out.append(f"<hr><p><b>{e(next_text(d))}</b></p>")
    return "".join(out)


def next_text(d: records.DecisionDetail) -> str:
    """What comes next, in a sentence for the clerk."""
    p = d.progress
    title = rules.step_title(p.step)
    if p.waiting in (rules.RECORD, rules.AGAIN) and p.step in rules.MEETING_STEPS:
        return _("Next: record {step}.").format(step=title)
    if p.waiting == rules.RECORD:
        if p.step == rules.DISCLOSE_RESULT and d.work_ended_on is None:
            return _("Next: record the implementation, then start {step}.").format(step=title)
        return _("Next: start {step}.").format(step=title)
    if p.waiting == rules.CHOICE:
        return _("Next: send the matter back as a revised proposal, or end it as not adopted.")
    row = d.current(p.step)
    notice = row.notice if row else None
    if notice is None:
        return _("Next: draft the disclosure again.")
    if notice.state == notice_rules.DRAFT:
        return _("Next: the secretary approves notice “{title}”.").format(title=notice.title)
    if notice.state == notice_rules.APPROVED:
        return _("Next: post notice {number}.").format(number=notice.number)
    return _("Next: complete {step} once the posting period has ended.").format(step=title)


# --- the room ---------------------------------------------------------------------------------------------

ATTACHMENT_COLUMNS = (attachments.FILE, attachments.SIZE, attachments.ADDED)


class AttachmentsDialog(attachments.AttachmentsDialog):
    """A matter's papers (a plan, a budget, a photo): add, open, remove. They are kept with the matter's
    record; once a step is on record they stay with it."""

    remove_action = rules.DELETE_ATTACHMENT

    def __init__(
        self, actor: Actor, detail: records.DecisionDetail, today: date, parent: QWidget | None = None
    ):
        self.detail, self.today = detail, today
        super().__init__(
            actor,
            _("Attachments of {number} {title}").format(number=detail.number, title=detail.title),
            ATTACHMENT_COLUMNS,
            ((rules.ADD_ATTACHMENT, _("Add attachment…"), self.add),),
            parent=parent,
        )
        self.reload()

    def rows(self) -> Sequence[records.AttachmentRow]:
        self.detail = (
            ops.read(self, service.get_decision, self.actor, self.detail.id, self.today) or self.detail
        )
        return self.detail.attachments

    def allowed(self, chosen: records.AttachmentRow | None) -> Mapping[str, Refusal | None]:
        allowed = rules.decision_actions(self.actor.role, self.detail.facts, self.today)
        return {
            rules.ADD_ATTACHMENT: allowed[rules.ADD_ATTACHMENT],
            rules.DELETE_ATTACHMENT: allowed[rules.DELETE_ATTACHMENT],
        }

    def content(self, row: records.AttachmentRow) -> bytes | None:
        return ops.read(self, service.attachment_content, self.actor, row.id)

    def delete(self, row: records.AttachmentRow) -> bool:
        return ops.attempt(self, service.delete_attachment, self.actor, row.id)

    def removal_question(self, row: records.AttachmentRow) -> str:
        return _("Remove the attachment {name} from the matter?").format(name=row.file_name)

    def add(self, path: str | None = None) -> records.AttachmentRow | None:
        name = path or self.choose_file()
        if not name:
            return None
        content = self.read_file(name)
        if content is None:
            return None
        return self.added(
            ops.write(self, service.add_attachment, self.actor, self.detail.id, Path(name).name, content)
        )


class DecisionsRoom(Room):
    # What the room shows: its matters and every part of them, the disclosures' notices and the
    # objections to them, and the council's records that a step 4 held by the council takes its facts
    # from; the boards a notice hung on are named by their villager groups.
    watches = frozenset({
        "decision", "decision_round", "decision_step", "decision_participant", "supervision",
        "decision_attachment", "decision_settings", "notice", "objection", "council", "meeting",
        "agenda_item", "attendance", "recusal", "vote", "roll_call_vote", "resolution", "villager_group",
    })  # fmt: skip

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.detail: records.DecisionDetail | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Four deliberations, two disclosures")))
        top.addStretch(1)
        top.addWidget(self.button(rules.SETTINGS, _("Settings…"), self.edit_settings))
        layout.addLayout(top)

        self.alerts = reminders_panel("alerts")
        layout.addWidget(self.alerts)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search titles and numbers"))
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox()
        self.year.addItem(_("All years"), None)
        for y in range(self.today().year, self.today().year - YEARS_BACK, -1):
            self.year.addItem(_("{year}").format(year=y), y)
        self.state = QComboBox()
        self.state.addItem(_("All states"), None)
        for s in rules.STATES:
            self.state.addItem(rules.state_label(s), s)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.year, 1)
        filters.addWidget(self.state, 1)
        self.search.textChanged.connect(lambda *args: self.load())
        self.year.currentIndexChanged.connect(lambda *args: self.load())
        self.state.currentIndexChanged.connect(lambda *args: self.load())
        layout.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = RowsModel(DECISION_COLUMNS, self)
        self.view = rows_view(self.model, _("No major matters match. “New matter…” opens one."))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.selectionModel().selectionChanged.connect(self.show_selected)
        splitter.addWidget(self.view)
        self.timeline = QTextBrowser()
        self.timeline.setOpenLinks(False)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 420])
        layout.addWidget(splitter, 1)

        # Three rows of buttons, by what they act on: the matter (with what comes next beside it, so
        # that no line of the room's height is spent on it), its meetings, its disclosures and the
        # supervisory committee. They fit a 1280 px window in English, the longer language.
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        matter = QHBoxLayout()
        matter.addWidget(self.next_label, 1)
        for action, label, slot in (
            (rules.NEW, _("New matter…"), self.new_decision),
            (rules.EDIT, _("Edit matter…"), self.edit_decision),
            (rules.DELETE, _("Delete matter"), self.delete_decision),
            (rules.ATTACHMENTS, _("Attachments…"), self.show_attachments),
            (rules.PRINT, _("Dossier…"), self.preview),
        ):
            matter.addWidget(self.button(action, label, slot))
        layout.addLayout(matter)
        layout.addLayout(self.button_bar((
            (rules.RECORD_STEP, _("Record step…"), self.record_step),
            (rules.CORRECT_STEP, _("Correct last step…"), self.correct_step),
            (rules.REVISE, _("Revise proposal…"), self.revise),
            (rules.END, _("End as not adopted…"), self.end),
            (rules.IMPLEMENTATION, _("Implementation…"), self.implementation),
        )))  # fmt: skip
        layout.addLayout(self.button_bar((
            (rules.START_DISCLOSURE, _("Start disclosure…"), self.start_disclosure),
            (rules.APPROVE_NOTICE, _("Approve notice"), self.approve_notice),
            (rules.POST_NOTICE, _("Post notice…"), self.post_notice),
            (rules.COMPLETE_DISCLOSURE, _("Complete disclosure"), self.complete_disclosure),
            (rules.SIGN_OFF, _("Sign off…"), lambda: self.supervise(rules.SIGN_OFF)),
            (rules.RAISE_CONCERN, _("Raise concern…"), lambda: self.supervise(rules.CONCERN)),
            (rules.ANSWER_CONCERN, _("Answer concern…"), self.answer_concern),
        )))  # fmt: skip
        self.refresh()

    # --- loading ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        self.load(select)

    def load(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.detail.id if self.detail else None)
        rows = self.read(
            service.list_decisions, self.actor, self.year.currentData(), self.state.currentData(),
            self.search.text(), self.today(),
        ) or []  # fmt: skip
        self.model.set_rows(rows)
        self.load_alerts(rows)
        if not self.view.select_record(keep):
            self.show_detail(None)

    def load_alerts(self, rows: Sequence[records.DecisionRow]) -> None:
        pairs = sorted(((r, a) for r in rows for a in r.alerts), key=lambda pair: not pair[1].serious)
        if not pairs:
            count = ngettext("{n} major matter", "{n} major matters", len(rows)).format(n=len(rows))
            self.alerts.setText(html.escape(_("{count}; nothing is stalled or waiting.").format(count=count)))
            return
        lines = []
        for row, alert in pairs[:ALERTS_SHOWN]:
            text = html.escape(
                _("{number} {title}: {alert}").format(number=row.number, title=row.title, alert=alert.text())
            )
            lines.append("• " + (f'<span style="{ERROR_STYLE}">{text}</span>' if alert.serious else text))
        if len(pairs) > ALERTS_SHOWN:
            lines.append(html.escape(_("… and {n} more.").format(n=len(pairs) - ALERTS_SHOWN)))
        self.alerts.setText("<br>".join(lines))

    def show_selected(self) -> None:
        decision_id = self.view.selected_id()
        self.show_detail(
            self.read(service.get_decision, self.actor, decision_id, self.today()) if decision_id else None
        )

    def show_detail(self, detail: records.DecisionDetail | None) -> None:
        self.detail = detail
        self.timeline.setHtml(timeline_html(detail, self.today()) if detail else "")
        self.next_label.setText(next_text(detail) if detail and detail.state == rules.IN_PROGRESS else "")
        self.update_buttons()

    def _current_notice(self) -> records.NoticeInfo | None:
        d = self.detail
        if d is None or d.progress.step not in rules.DISCLOSURE_STEPS:
            return None
        row = d.current(d.progress.step)
        return row.notice if row else None

    def update_buttons(self) -> None:
        """Each button as the rules allow for the chosen matter and the role; a refused one says why."""
        allowed = rules.room_actions(self.actor.role)
        d = self.detail
        if d is None:
            allowed = allowed.merged(Allowed.nothing(rules.DECISION_ACTIONS, refuse(NOTHING_SELECTED)))
        else:
            allowed = allowed.merged(rules.decision_actions(self.actor.role, d.facts, self.today()))
        self.show_allowed(allowed)

    # --- actions ------------------------------------------------------------------------------------------

    def _show(self, decision_id: int) -> None:
        """Select a matter (the room has already reloaded from what the write announced)."""
        if self.detail is None or self.detail.id != decision_id:
            self.refresh(select=decision_id)

    def new_decision(self) -> None:
        dialog = DecisionDialog(self.actor, self.today(), None, self)
        if self.exec_dialog(dialog) and dialog.result_value is not None:
            self._show(dialog.result_value.id)

    def edit_decision(self) -> None:
        if self.detail is not None:
            self.exec_dialog(DecisionDialog(self.actor, self.today(), self.detail, self))

    def delete_decision(self) -> None:
        d = self.detail
        if d is None or not self.confirm(
            _("Delete matter"),
            _("Delete {number} {title}? The audit log keeps a record of it.").format(
                number=d.number, title=d.title
            ),
        ):
            return
        self.attempt(service.delete_decision, self.actor, d.id)

    def attachments_dialog(self) -> AttachmentsDialog | None:
        return AttachmentsDialog(self.actor, self.detail, self.today(), self) if self.detail else None

    def show_attachments(self) -> None:
        dialog = self.attachments_dialog()
        if dialog is not None:
            self.exec_dialog(dialog)

    def record_step(self) -> None:
        d = self.detail
        if d is not None:
            self.exec_dialog(StepDialog(self.actor, d, d.progress.step, self.today(), parent=self))

    def correct_step(self) -> None:
        d = self.detail
        last = rules.last_record(d.facts) if d else None
        if d is None or last is None:
            return
        row = next(s for s in d.steps if s.id == last.id)
        self.exec_dialog(StepDialog(self.actor, d, row.step, self.today(), correcting=row, parent=self))

    def revise(self) -> None:
        d = self.detail
        if d is None:
            return
        self.exec_dialog(
            ReasonDialog(
                _("Revise proposal"),
                lambda on, why: service.revise(self.actor, d.id, on, why, today=self.today()),
                self.today(), _("What is revised"), self,
            )
        )  # fmt: skip

    def end(self) -> None:
        d = self.detail
        if d is None:
            return
        self.exec_dialog(
            ReasonDialog(
                _("End as not adopted"),
                lambda on, why: service.end_not_adopted(self.actor, d.id, on, why, today=self.today()),
                self.today(), _("Why it ends"), self,
            )
        )  # fmt: skip

    def start_disclosure(self) -> None:
        """The 公示 drafted from the record, to check; saved, it is a draft in 村务公开."""
        d = self.detail
        if d is None:
            return
        draft = self.read(service.disclosure_draft, self.actor, d.id)
        if draft is not None:
            self.exec_dialog(DisclosureDialog(self.actor, d, draft, self.today(), self))

    def approve_notice(self) -> None:
        notice = self._current_notice()
        if notice is not None:
            self.write(notices.approve, self.actor, notice.id)

    def post_notice(self) -> None:
        from villagegov.notices.views import PostDialog

        notice = self._current_notice()
        if notice is None:
            return
        detail = self.read(notices.get_notice, self.actor, notice.id)
        if detail is not None:
            self.exec_dialog(PostDialog(self.actor, detail, self, self.today()))

    def complete_disclosure(self) -> None:
        if self.detail is not None:
            self.write(service.complete_disclosure, self.actor, self.detail.id, today=self.today())

    def implementation(self) -> None:
        if self.detail is not None:
            self.exec_dialog(ImplementationDialog(self.actor, self.detail, self.today(), self))

    def supervise(self, kind: str) -> None:
        if self.detail is not None:
            self.exec_dialog(SupervisionDialog(self.actor, self.detail, kind, self.today(), self))

    def answer_concern(self) -> None:
        if self.detail is not None:
            self.exec_dialog(AnswerConcernDialog(self.actor, self.detail, self.today(), self))

    def preview_dialog(self) -> PdfPreviewDialog | None:
        """The dossier (一事一档) as it stands today, laid out on a worker."""
        d = self.detail
        if d is None:
            return None
        return self.paper_dialog(documents.DOSSIER, d.id, d.title, f"{d.number} {d.title}")

    def preview(self) -> None:
        dialog = self.preview_dialog()
        if dialog is not None:
            self.exec_dialog(dialog)

    def edit_settings(self) -> None:
        current = self.read(service.decision_settings, self.actor)
        if current is not None:
            self.exec_dialog(SettingsDialog(self.actor, current, self))
