"""The 民情三本账 and 矛盾纠纷调处 room: petitions carried step by step to their end, disputes to their
outcome, and the figures the county asks for.

Screens only: every read and write goes through `villagegov.petitions.service` (the roster's
service for choosing a villager). Dialogs run through `PetitionsRoom.exec_dialog`, so a test can
fill a dialog and take its accept path without a modal loop.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from villagegov.accounts import rules as access
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, ngettext
from villagegov.petitions import pdf, rules, service
from villagegov.roster import service as roster
from villagegov.ui.charts import BarChartView
from villagegov.ui.forms import ERROR_STYLE, FormDialog, date_edit, day_text, pdf_file_name, pydate
from villagegov.ui.pdf_preview import PdfPreviewDialog
from villagegov.ui.widgets import (
    Action,
    Column,
    RowsModel,
    button_bar,
    fit_columns,
    heading,
    reminders_panel,
    rows_view,
    show_error,
)

LIST_LIMIT = 2000
REMINDERS_SHOWN = 5
YEARS_BACK = 10
WARN_STYLE = "color: #8a5a00;"


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _names(text: str) -> tuple[str, ...]:
    """Names typed with any separator a clerk uses: 、，, or spaces."""
    return tuple(n for n in re.split(r"[、，,;；\s]+", text) if n)


def _due_text(row: service.PetitionRow | service.PetitionDetail) -> str:
    if not row.due_on:
        return ""
    text = day_text(row.due_on)
    return text + _(" (provisional)") if row.provisional else text


PETITION_COLUMNS = (
    Column(N_("Number"), lambda r: r.number),
    Column(N_("Ledger"), lambda r: rules.ledger_label(r.ledger)),
    Column(N_("Date received"), lambda r: day_text(r.received_on)),
    Column(N_("Villager"), lambda r: r.petitioner),
    Column(N_("Matter"), lambda r: r.subject),
    Column(N_("Next step"), lambda r: rules.step_label(r.next_step) if r.next_step else _("Closed")),
    Column(N_("Due by"), _due_text),
    Column(N_("Status"), lambda r: rules.status_label(r.status) if r.status else ""),
)
MEDIATION_COLUMNS = (
    Column(N_("Number"), lambda r: r.number),
    Column(N_("Kind"), lambda r: rules.kind_label(r.kind)),
    Column(N_("Registered"), lambda r: day_text(r.received_on)),
    Column(N_("Parties"), lambda r: r.parties),
    Column(N_("Mediation outcome"), lambda r: rules.outcome_label(r.outcome)),
    Column(N_("Due by"), lambda r: "" if r.outcome else day_text(r.due_on)),
    Column(N_("Status"), lambda r: _("Overdue") if r.overdue else ""),
)

REMINDER_TEXTS = {
    service.OVERDUE_PETITION: N_("Overdue: {number} “{subject}” — {step} was due by {date}."),
    service.DUE_PETITION: N_("Due soon: {number} “{subject}” — {step} by {date}."),
    service.OVERDUE_MEDIATION: N_("Mediation {number} “{subject}” was to be concluded by {date}."),
    service.FOLLOW_UP_DUE: N_("Agreement {number} was to be performed by {date}: visit the parties."),
}


def reminder_text(r: service.Reminder) -> str:
    return _(REMINDER_TEXTS[r.kind]).format(
        number=r.number, subject=r.subject, step=rules.step_label(r.step) if r.step else "",
        date=day_text(r.due_on),
    )  # fmt: skip


class _FormDialog(FormDialog):
    MIN_WIDTH = 560  # the steps' notes and the parties' names


class VillagerPicker(QComboBox):
    """Choose a villager from the roster by typing part of a name (1,500 names: a completer, not a list)."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", None)
        for v in roster.list_villagers(actor):
            self.addItem(f"{v.name}（{v.group} {v.household}）", v.id)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().setPlaceholderText(_("Type a name"))

    def villager_id(self) -> int | None:
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text)
        if index < 0:  # a bare name typed: take it if it names exactly one villager
            matches = [i for i in range(1, self.count()) if self.itemText(i).split("（")[0] == text]
            index = matches[0] if len(matches) == 1 else -1
        return self.itemData(index) if index >= 0 else None

    def set_villager(self, villager_id: int | None) -> None:
        self.setCurrentIndex(max(self.findData(villager_id), 0))


# --- petitions ------------------------------------------------------------------------------------


class PetitionDialog(_FormDialog):
    """建账: a new petition in its ledger, or an open petition's particulars corrected."""

    def __init__(
        self,
        actor: Actor,
        detail: service.PetitionDetail | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Edit petition {number}").format(number=detail.number) if detail else _("New petition"), parent
        )
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        data = detail.as_input() if detail else None
        self.ledger = QComboBox()
        for lg in rules.LEDGERS:
            self.ledger.addItem(rules.ledger_label(lg), lg)
        self.channel = QComboBox()
        for ch in rules.CHANNELS:
            self.channel.addItem(rules.channel_label(ch), ch)
        self.received = date_edit(data.received_on if data else self.today)
        self.villager = VillagerPicker(actor)
        self.anonymous = QCheckBox(_("Anonymous (a complaint only)"))
        self.contact = QLineEdit(data.contact if data else "")
        self.contact.setPlaceholderText(_("Phone to answer on (never printed)"))
        self.departments = QCheckBox(_("Needs other departments (a claim gets more time for the result)"))
        self.subject = QLineEdit(data.subject if data else "")
        self.subject.setPlaceholderText(_("The matter in a few words"))
        self.content = QPlainTextEdit(data.content if data else "")
        self.content.setPlaceholderText(_("What the villager said or wrote"))
        self.form.addRow(_("Ledger"), self.ledger)
        self.form.addRow(_("Channel"), self.channel)
        self.form.addRow(_("Date received"), self.received)
        self.form.addRow(_("Villager"), self.villager)
        self.form.addRow("", self.anonymous)
        self.form.addRow(_("Contact"), self.contact)
        self.form.addRow("", self.departments)
        self.form.addRow(_("Matter"), self.subject)
        self.form.addRow(_("Content"), self.content)
        if data:
            self.ledger.setCurrentIndex(self.ledger.findData(data.ledger))
            self.channel.setCurrentIndex(self.channel.findData(data.channel))
            self.villager.set_villager(data.villager_id)
            self.anonymous.setChecked(data.anonymous)
            self.departments.setChecked(data.departments)
            self.ledger.setEnabled(False)  # a petition keeps its ledger and number
            self.received.setEnabled(False)
        self.ledger.currentIndexChanged.connect(self._update)
        self.anonymous.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        ledger = self.ledger.currentData()
        self.anonymous.setEnabled(ledger == rules.COMPLAINT)
        if ledger != rules.COMPLAINT:
            self.anonymous.setChecked(False)
        self.departments.setEnabled(ledger == rules.CLAIM)
        if ledger != rules.CLAIM:
            self.departments.setChecked(False)
        anonymous = self.anonymous.isChecked()
        self.villager.setEnabled(not anonymous)
        self.contact.setEnabled(not anonymous)

    def data(self) -> rules.PetitionInput:
        anonymous = self.anonymous.isChecked()
        villager = None if anonymous else self.villager.villager_id()
        return rules.PetitionInput(
            ledger=self.ledger.currentData(), channel=self.channel.currentData(),
            received_on=pydate(self.received), subject=self.subject.text(),
            content=self.content.toPlainText(), villager_id=villager,
            anonymous=anonymous, contact="" if anonymous else self.contact.text(),
            departments=self.departments.isChecked(),
        )  # fmt: skip

    def submit(self) -> service.PetitionDetail:
        if self.detail is None:
            return service.create_petition(self.actor, self.data(), today=self.today)
        return service.update_petition(self.actor, self.detail.id, self.data(), today=self.today)


class StepDialog(_FormDialog):
    """The petition's next step: when, who, and what each step asks (the handler, the answer…)."""

    def __init__(
        self,
        actor: Actor,
        detail: service.PetitionDetail,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        step = detail.next_step
        super().__init__(
            _("{step} — petition {number}").format(step=rules.step_label(step), number=detail.number), parent
        )
        self.actor = actor
        self.detail = detail
        self.step = step
        self.today = today or clock.today()
        due = QLabel(_("Due by {date}").format(date=_due_text(detail)) if detail.due_on else "")
        if detail.status == rules.OVERDUE:
            due.setStyleSheet(ERROR_STYLE)
        self.form.addRow(_("Step"), QLabel(rules.step_label(step)))
        self.form.addRow(_("Deadline"), due)
        self.done_on = date_edit(self.today)
        self.form.addRow(_("Done on"), self.done_on)
        self.done_by = QLineEdit(actor.display_name)
        self.form.addRow(_("Done by"), self.done_by)
        self.assignee = QLineEdit()
        self.assignee.setPlaceholderText(_("A committee member, a villager group or a department"))
        if step == rules.ASSIGN:
            self.form.addRow(_("Handled by"), self.assignee)
        self.satisfaction = QComboBox()
        self.satisfaction.addItem("", "")
        answers = (*rules.ANSWERS, rules.NOT_ASKED) if detail.anonymous else rules.ANSWERS
        for answer in answers:
            self.satisfaction.addItem(rules.satisfaction_label(answer), answer)
        if step == rules.CONSULT:
            self.form.addRow(_("The villager's answer"), self.satisfaction)
            hint = QLabel(_("“Dissatisfied” sends the petition back to be assigned again."))
            hint.setWordWrap(True)
            self.form.addRow("", hint)
        self.note = QPlainTextEdit()
        self.note.setMinimumHeight(90)
        self.form.addRow(rules.note_label(step), self.note)

    def data(self) -> rules.StepInput:
        return rules.StepInput(
            step=self.step, done_on=pydate(self.done_on), done_by=self.done_by.text(),
            note=self.note.toPlainText(), assignee=self.assignee.text(),
            satisfaction=self.satisfaction.currentData() or "",
        )  # fmt: skip

    def submit(self) -> service.PetitionDetail:
        return service.record_step(self.actor, self.detail.id, self.data(), today=self.today)


class LimitsDialog(_FormDialog):
    """The secretary's time limits in working days; deadlines already given stay as they were."""

    LABELS = (
        ("register", N_("Entered in the ledger, from receipt")),
        ("review", N_("Secretary's review, from entry")),
        ("acknowledge", N_("Acceptance notice, from receipt")),
        ("assign", N_("Assigned, from the review")),
        ("supervise", N_("Supervision, from assignment")),
        ("feedback", N_("Result, from assignment")),
        ("feedback_departments", N_("Result of a claim needing other departments")),
        ("check", N_("Secretary's check, from the result")),
        ("consult", N_("Reply and satisfaction, from the result")),
        ("close", N_("Closed and filed, from the reply")),
        ("due_soon", N_("Show as due soon, before the deadline")),
    )

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(_("Time limits"), parent)
        self.actor = actor
        self.current = service.settings(actor)
        intro = QLabel(
            _(
                "Working days (public holidays and make-up working days counted as the State Council "
                "announces them). A new limit applies to deadlines set from now on."
            )
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.spins: dict[str, QSpinBox] = {}
        for name, label in self.LABELS:
            spin = QSpinBox()
            spin.setRange(0, rules.MAX_LIMIT)
            spin.setValue(getattr(self.current.limits, name))
            spin.setSuffix(_(" working days"))
            self.form.addRow(_(label), spin)
            self.spins[name] = spin
        self.mediation_days = QSpinBox()
        self.mediation_days.setRange(1, 366)
        self.mediation_days.setValue(self.current.limits.mediation_days)
        self.mediation_days.setSuffix(_(" days"))
        self.form.addRow(_("A mediation concluded within"), self.mediation_days)
        self.committee = QLineEdit(self.current.committee_name)
        self.committee.setPlaceholderText(_("The village's people's mediation committee"))
        self.form.addRow(_("Mediation committee"), self.committee)
        if not access.may(actor, access.APPROVE):
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def submit(self) -> service.Settings:
        values = {name: spin.value() for name, spin in self.spins.items()}
        limits = replace(self.current.limits, mediation_days=self.mediation_days.value(), **values)
        return service.update_settings(self.actor, service.Settings(limits, self.committee.text()))


class PeriodDialog(_FormDialog):
    """A period to print: the ledgers or the summary."""

    def __init__(self, title: str, start: date, end: date, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.start = date_edit(start)
        self.end = date_edit(end)
        self.form.addRow(_("From"), self.start)
        self.form.addRow(_("To"), self.end)

    def submit(self) -> tuple[date, date]:
        start, end = pydate(self.start), pydate(self.end)
        rules.months_of(start, end)  # refuses an end before the start
        return start, end


class PetitionsPage(QWidget):
    """The three ledgers: filters, the list, the chosen petition with its steps, and its buttons."""

    def __init__(self, room: PetitionsRoom) -> None:
        super().__init__()
        self.room = room
        self.actor = room.actor
        self.detail: service.PetitionDetail | None = None
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.ledger = QComboBox()
        self.ledger.addItem(_("All ledgers"), None)
        for lg in rules.LEDGERS:
            self.ledger.addItem(rules.ledger_label(lg), lg)
        self.year = QComboBox()
        self.year.addItem(_("All years"), None)
        for y in range(room.today().year, room.today().year - YEARS_BACK, -1):
            self.year.addItem(_("{year}").format(year=y), y)
        self.show_which = QComboBox()
        self.show_which.addItem(_("Open and closed"), "all")
        self.show_which.addItem(_("Open"), rules.OPEN)
        self.show_which.addItem(_("Due soon or overdue"), "attention")
        self.show_which.addItem(_("Overdue"), "overdue")
        self.show_which.addItem(_("Closed"), rules.CLOSED)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the matter and the content"))
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self.search, 3)
        for combo in (self.ledger, self.year, self.show_which):
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(lambda *args: self.load())
        self.search.textChanged.connect(lambda *args: self.load())
        layout.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.model = RowsModel(PETITION_COLUMNS, self)
        self.view = rows_view(self.model, _("No petitions match. “New petition…” enters one in its ledger."))
        self.view.selectionModel().selectionChanged.connect(self.show_selected)
        left_layout.addWidget(self.view, 1)
        self.count = QLabel()
        left_layout.addWidget(self.count)
        splitter.addWidget(left)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 420])
        layout.addWidget(splitter, 1)

        self.buttons: dict[str, QPushButton] = {}
        actions = (
            Action(N_("New petition…"), self.new_petition),
            Action(N_("Edit…"), self.edit_petition),
            Action(N_("Record next step…"), self.record_step),
            Action(N_("Add attachment…"), self.add_attachment),
            Action(N_("Print acceptance notice…"), self.print_acknowledgement, writes=False),
            Action(N_("Print ledgers…"), self.print_ledgers, writes=False),
        )
        layout.addLayout(button_bar(actions, self.buttons))

    def filters(self) -> service.PetitionFilter:
        which = self.show_which.currentData()
        return service.PetitionFilter(
            ledger=self.ledger.currentData(), year=self.year.currentData(),
            state=which if which in (rules.OPEN, rules.CLOSED) else None, overdue=which == "overdue",
            attention=which == "attention", text=self.search.text(),
        )  # fmt: skip

    def load(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.detail.id if self.detail else None)
        rows = self.room.run(
            service.list_petitions, self.actor, self.filters(), self.room.today(), None, LIST_LIMIT
        )
        rows = rows or []
        self.model.set_rows(rows)
        if len(rows) >= LIST_LIMIT:
            self.count.setText(
                _("The first {n} petitions are shown; narrow the list with the filters.").format(n=len(rows))
            )
        else:
            self.count.setText(ngettext("{n} petition", "{n} petitions", len(rows)).format(n=len(rows)))
        if not self.view.select_record(keep):
            self.show_detail(None)

    def show_selected(self) -> None:
        pid = self.view.selected_id()
        self.show_detail(
            self.room.run(service.get_petition, self.actor, pid, self.room.today()) if pid else None
        )

    def show_detail(self, detail: service.PetitionDetail | None) -> None:
        self.detail = detail
        self.details.setHtml(self.detail_html(detail) if detail else "")
        self.update_buttons()

    def detail_html(self, d: service.PetitionDetail) -> str:
        e = html.escape
        facts = [
            (_("Ledger"), rules.ledger_label(d.ledger)),
            (_("Channel"), rules.channel_label(d.channel)),
            (_("Date received"), day_text(d.received_on)),
            (_("Villager"), d.petitioner),
        ]
        if d.contact:
            facts.append((_("Contact"), d.contact))
        if d.departments:
            facts.append((_("Time limit"), _("Needs other departments")))
        if d.round:
            facts.append(
                (
                    _("Reopened"),
                    ngettext(
                        "once, after a dissatisfied answer", "{n} times, after dissatisfied answers", d.round
                    ).format(n=d.round),
                )
            )
        if d.next_step:
            status = rules.status_label(d.status) if d.status else ""
            facts.append((_("Next step"), f"{rules.step_label(d.next_step)} · {_due_text(d)} · {status}"))
        else:
            facts.append((_("Closed on"), day_text(d.closed_on)))
        rows = "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in facts)
        steps_title, late_word, attachments = _("Steps"), _("late"), _("Attachments")
        parts = [
            f"<h3>{e(d.number)} {e(d.subject)}</h3>",
            f"<table cellspacing='4'>{rows}</table>",
            f"<p>{e(d.content).replace(chr(10), '<br>')}</p>",
            f"<h4>{e(steps_title)}</h4>",
            "<table border='1' cellspacing='0' cellpadding='3'>",
            "<tr>"
            + "".join(
                f"<th>{e(h)}</th>"
                for h in (_("Step"), _("Done on"), _("Done by"), _("Due by"), _("What was done"))
            )
            + "</tr>",
        ]
        for s in d.steps:
            what = "；".join(
                x
                for x in (
                    s.assignee and _("handled by {name}").format(name=s.assignee),
                    rules.satisfaction_label(s.satisfaction),
                    s.note,
                )
                if x
            )
            late = "" if s.on_time else f" <span style='{ERROR_STYLE}'>{e(late_word)}</span>"
            parts.append(
                f"<tr><td>{e(rules.step_label(s.step))}</td><td>{e(day_text(s.done_on))}</td><td>{e(s.done_by)}</td>"
                f"<td>{e(day_text(s.due_on))}{late}</td><td>{e(what)}</td></tr>"
            )
        parts.append("</table>")
        if d.attachments:
            names = "、".join(a.file_name for a in d.attachments)
            parts.append(f"<p><b>{e(attachments)}</b>{e(_(': '))}{e(names)}</p>")
        return "".join(parts)

    def update_buttons(self) -> None:
        d = self.detail
        room = self.room
        nxt = d.next_step if d else ""
        may_step = bool(nxt) and (room.can_approve if nxt in rules.SECRETARY_STEPS else room.can_write)
        enabled = {
            "New petition…": room.can_write,
            "Edit…": room.can_write and d is not None and bool(nxt) and d.petitioner_visible,
            "Record next step…": may_step,
            "Add attachment…": room.can_write and d is not None and bool(nxt) and d.petitioner_visible,
            "Print acceptance notice…": d is not None
            and not d.anonymous
            and any(s.step == rules.REVIEW for s in d.steps),
            "Print ledgers…": True,
        }
        for label, on in enabled.items():
            self.buttons[label].setEnabled(bool(on))
        if nxt:
            self.buttons["Record next step…"].setText(
                _("Record “{step}”…").format(step=rules.step_label(nxt))
            )
        else:
            self.buttons["Record next step…"].setText(_("Record next step…"))

    def _after(self, detail: service.PetitionDetail | None) -> None:
        if detail is not None:
            self.room.changed.emit()
            self.room.load_reminders()
            self.load(select=detail.id)

    def new_petition(self) -> None:
        dialog = PetitionDialog(self.actor, None, self.room.today(), self)
        if self.room.exec_dialog(dialog):
            self._after(dialog.result_value)

    def edit_petition(self) -> None:
        if self.detail is None:
            return
        dialog = PetitionDialog(self.actor, self.detail, self.room.today(), self)
        if self.room.exec_dialog(dialog):
            self._after(dialog.result_value)

    def record_step(self) -> None:
        if self.detail is None or not self.detail.next_step:
            return
        dialog = StepDialog(self.actor, self.detail, self.room.today(), self)
        if self.room.exec_dialog(dialog):
            self._after(dialog.result_value)

    def add_attachment(self, path: str | None = None) -> None:
        if self.detail is None:
            return
        name = path or self.room.choose_file()
        if not name:
            return
        try:
            content = Path(name).read_bytes()
        except OSError as exc:
            show_error(
                self,
                VillagegovError(
                    N_("The file {name} cannot be read: {reason}"), name=name, reason=exc.strerror or ""
                ),
            )
            return
        if self.room.run(service.add_attachment, self.actor, self.detail.id, Path(name).name, content):
            self.load(select=self.detail.id)

    def acknowledgement_dialog(self) -> PdfPreviewDialog | None:
        d = self.detail
        if d is None:
            return None
        document = self.room.run(service.acknowledgement_document, self.actor, d.id, self.room.today())
        if document is None:
            return None
        return PdfPreviewDialog(
            self, _("Acceptance notice"), lambda paper: pdf.acknowledgement_bytes(document, paper),
            pdf_file_name(_("Acceptance notice {number}").format(number=d.number)),
        )  # fmt: skip

    def print_acknowledgement(self) -> None:
        dialog = self.acknowledgement_dialog()
        if dialog is not None:
            self.room.exec_dialog(dialog)

    def ledgers_dialog(self, start: date, end: date) -> PdfPreviewDialog | None:
        ledger = self.ledger.currentData()
        document = self.room.run(service.ledger_document, self.actor, start, end, ledger, self.room.today())
        if document is None:
            return None
        return PdfPreviewDialog(
            self, _("Ledgers"), lambda paper: pdf.ledger_bytes(document, paper),
            pdf_file_name(_("Ledgers {start} to {end}").format(start=start.isoformat(), end=end.isoformat())),
        )  # fmt: skip

    def print_ledgers(self) -> None:
        year = self.year.currentData() or self.room.today().year
        period = PeriodDialog(_("Print ledgers"), date(year, 1, 1), date(year, 12, 31), self)
        if not self.room.exec_dialog(period):
            return
        dialog = self.ledgers_dialog(*period.result_value)
        if dialog is not None:
            self.room.exec_dialog(dialog)


# --- mediations ----------------------------------------------------------------------------------------


class PartiesEditor(QWidget):
    """The parties: villagers picked from the roster (their particulars come from it) or people from
    outside, whose particulars are typed into the table."""

    COLUMNS = (N_("Name"), N_("Gender"), N_("Birth date"), N_("ID-card number"), N_("Address"), N_("Phone"))

    def __init__(
        self, actor: Actor, parties: Sequence[service.PartyRow] = (), parent: QWidget | None = None
    ) -> None:
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


class MediationDialog(_FormDialog):
    """调解登记: the dispute, its parties and its mediators."""

    def __init__(
        self,
        actor: Actor,
        detail: service.MediationDetail | None = None,
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
            mediators=_names(self.mediators.text()),
        )  # fmt: skip

    def submit(self) -> service.MediationDetail:
        if self.detail is None:
            return service.create_mediation(self.actor, self.data(), today=self.today)
        return service.update_mediation(self.actor, self.detail.id, self.data(), today=self.today)


class SessionDialog(_FormDialog):
    """One sitting of the mediation, for the work record (调解工作记录)."""

    def __init__(
        self,
        actor: Actor,
        detail: service.MediationDetail,
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

    def submit(self) -> service.MediationDetail:
        data = rules.SessionInput(
            held_on=pydate(self.held_on), place=self.place.text(), mediators=_names(self.mediators.text()),
            record=self.record.toPlainText(), present=self.present.text(),
        )  # fmt: skip
        return service.record_session(self.actor, self.detail.id, data, today=self.today)


class OutcomeDialog(_FormDialog):
    """How the mediation ended: for an agreement, every content the People's Mediation Law asks for."""

    def __init__(
        self,
        actor: Actor,
        detail: service.MediationDetail,
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

    def submit(self) -> service.MediationDetail:
        return service.record_outcome(self.actor, self.detail.id, self.data(), today=self.today)


class FollowUpDialog(_FormDialog):
    """回访记录: who was visited, how far the agreement was performed, and whether they are satisfied."""

    def __init__(
        self,
        actor: Actor,
        detail: service.MediationDetail,
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
        for answer in rules.ANSWERS:
            self.satisfaction.addItem(rules.satisfaction_label(answer), answer)
        self.visitor = QLineEdit(actor.display_name)
        self.note = QPlainTextEdit()
        self.form.addRow(_("Party visited"), self.party)
        self.form.addRow(_("Visited on"), self.visited_on)
        self.form.addRow(_("Performance"), self.performance)
        self.form.addRow(_("Satisfaction"), self.satisfaction)
        self.form.addRow(_("Visited by"), self.visitor)
        self.form.addRow(_("Note"), self.note)

    def submit(self) -> service.MediationDetail:
        data = rules.FollowUpInput(
            party_index=self.party.currentData(), visited_on=pydate(self.visited_on),
            performance=self.performance.currentData(), satisfaction=self.satisfaction.currentData(),
            visitor=self.visitor.text(), note=self.note.toPlainText(),
        )  # fmt: skip
        return service.record_follow_up(self.actor, self.detail.id, data, today=self.today)


class MediationsPage(QWidget):
    def __init__(self, room: PetitionsRoom) -> None:
        super().__init__()
        self.room = room
        self.actor = room.actor
        self.detail: service.MediationDetail | None = None
        self._loaded = False
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search facts, what is disputed and the parties"))
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox()
        self.year.addItem(_("All years"), None)
        for y in range(room.today().year, room.today().year - YEARS_BACK, -1):
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
        splitter.setSizes([640, 480])
        layout.addWidget(splitter, 1)
        self.buttons: dict[str, QPushButton] = {}
        actions = (
            Action(N_("New dispute…"), self.new_mediation),
            Action(N_("Edit…"), self.edit_mediation),
            Action(N_("Record session…"), self.record_session),
            Action(N_("Record outcome…"), self.record_outcome),
            Action(N_("Record follow-up…"), self.record_follow_up),
            Action(N_("Print agreement…"), self.print_agreement, writes=False),
        )
        layout.addLayout(button_bar(actions, self.buttons))

    def showEvent(self, event: Any) -> None:
        if not self._loaded:
            self._loaded = True
            self.load()
        super().showEvent(event)

    def load(self, select: int | None = None) -> None:
        self._loaded = True
        keep = select if select is not None else (self.detail.id if self.detail else None)
        filters = service.MediationFilter(
            self.year.currentData(), self.outcome.currentData(), self.search.text()
        )
        rows = self.room.run(service.list_mediations, self.actor, filters, self.room.today()) or []
        self.model.set_rows(rows)
        if not self.view.select_record(keep):
            self.show_detail(None)

    def show_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        mid = self.model.row(rows[0].row()).id if rows else None
        self.show_detail(self.room.run(service.get_mediation, self.actor, mid) if mid else None)

    def show_detail(self, detail: service.MediationDetail | None) -> None:
        self.detail = detail
        self.details.setHtml(self.detail_html(detail) if detail else "")
        self.update_buttons()

    def detail_html(self, d: service.MediationDetail) -> str:
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
                        satisfaction=rules.satisfaction_label(v.satisfaction),
                    )
                )
                + "</p>"
            )
        return "".join(parts)

    def update_buttons(self) -> None:
        d = self.detail
        w = self.room.can_write
        open_ = d is not None and not d.outcome
        enabled = {
            "New dispute…": w,
            "Edit…": w and open_,
            "Record session…": w and open_,
            "Record outcome…": w and open_ and d is not None and bool(d.sessions),
            "Record follow-up…": w and d is not None and d.outcome == rules.AGREEMENT,
            "Print agreement…": d is not None and d.outcome == rules.AGREEMENT,
        }
        for label, on in enabled.items():
            self.buttons[label].setEnabled(bool(on))

    def _after(self, detail: service.MediationDetail | None) -> None:
        if detail is not None:
            self.room.changed.emit()
            self.room.load_reminders()
            self.load(select=detail.id)

    def _run_dialog(self, dialog: _FormDialog) -> None:
        if self.room.exec_dialog(dialog):
            self._after(dialog.result_value)

    def new_mediation(self) -> None:
        self._run_dialog(MediationDialog(self.actor, None, self.room.today(), self))

    def edit_mediation(self) -> None:
        if self.detail is not None:
            self._run_dialog(MediationDialog(self.actor, self.detail, self.room.today(), self))

    def record_session(self) -> None:
        if self.detail is not None:
            self._run_dialog(SessionDialog(self.actor, self.detail, self.room.today(), self))

    def record_outcome(self) -> None:
        if self.detail is not None:
            self._run_dialog(OutcomeDialog(self.actor, self.detail, self.room.today(), self))

    def record_follow_up(self) -> None:
        if self.detail is not None:
            self._run_dialog(FollowUpDialog(self.actor, self.detail, self.room.today(), self))

    def agreement_dialog(self) -> PdfPreviewDialog | None:
        d = self.detail
        if d is None:
            return None
        document = self.room.run(service.agreement_document, self.actor, d.id)
        if document is None:
            return None
        return PdfPreviewDialog(
            self, _("Mediation agreement"), lambda paper: pdf.agreement_bytes(document, paper),
            pdf_file_name(_("Mediation agreement {number}").format(number=d.number)),
        )  # fmt: skip

    def print_agreement(self) -> None:
        dialog = self.agreement_dialog()
        if dialog is not None:
            self.room.exec_dialog(dialog)


# --- figures ---------------------------------------------------------------------------------------------

FIGURE_HEADERS = (
    N_("Month"), N_("Received (items)"), N_("Closed (items)"), N_("Closed on time"), N_("On-time rate"),
    N_("Answers"), N_("Satisfaction rate"),
)  # fmt: skip
MEDIATION_HEADERS = (
    N_("Month"), N_("Received (items)"), N_("Concluded (items)"), N_("Resolved (items)"), N_("Success rate"),
)  # fmt: skip


def _month_text(month: date | None, span: bool) -> str:
    if month is None:
        return _("Total")
    return rules.month_label(month, span)


class FiguresPage(QWidget):
    """The county's figures for any period: tables per ledger and for disputes, and two charts."""

    def __init__(self, room: PetitionsRoom) -> None:
        super().__init__()
        self.room = room
        self.actor = room.actor
        self.figures: rules.Figures | None = None
        self._loaded = False
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        today = room.today()
        self.start = date_edit(date(today.year, 1, 1))
        self.end = date_edit(date(today.year, 12, 31))
        show = QPushButton(_("Show"))
        show.clicked.connect(self.load)
        self.print_button = QPushButton(_("Print summary…"))
        self.print_button.clicked.connect(self.print_summary)
        bar.addWidget(QLabel(_("From")))
        bar.addWidget(self.start)
        bar.addWidget(QLabel(_("To")))
        bar.addWidget(self.end)
        bar.addWidget(show)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tables = QTabWidget()
        self.grids: dict[str, QTableWidget] = {}
        for lg in (*rules.LEDGERS, "mediation"):
            headers = MEDIATION_HEADERS if lg == "mediation" else FIGURE_HEADERS
            grid = QTableWidget(0, len(headers))
            grid.setHorizontalHeaderLabels([_(h) for h in headers])
            grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            grid.verticalHeader().setVisible(False)
            self.grids[lg] = grid
            self.tables.addTab(grid, _("Mediation") if lg == "mediation" else rules.ledger_label(lg))
        splitter.addWidget(self.tables)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        self.petition_chart = BarChartView()
        self.mediation_chart = BarChartView()
        charts_layout.addWidget(self.petition_chart)
        charts_layout.addWidget(self.mediation_chart)
        splitter.addWidget(charts)
        splitter.setSizes([560, 560])
        layout.addWidget(splitter, 1)

    def showEvent(self, event: Any) -> None:
        if not self._loaded:
            self.load()
        super().showEvent(event)

    def period(self) -> tuple[date, date]:
        return pydate(self.start), pydate(self.end)

    def _fill(self, grid: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
        grid.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.setItem(r, c, item)
        fit_columns(grid)

    def load(self) -> None:
        self._loaded = True
        f = self.room.run(service.figures, self.actor, *self.period())
        self.figures = f
        self.print_button.setEnabled(f is not None)
        if f is None:
            return
        span = f.months[0].year != f.months[-1].year
        for lg in rules.LEDGERS:
            self._fill(
                self.grids[lg],
                [
                    (_month_text(r.month, span), str(r.received), str(r.closed), str(r.on_time),
                     rules.percent(r.on_time_rate), str(r.answers), rules.percent(r.satisfaction_rate))
                    for r in (*f.ledgers[lg], f.ledger_totals[lg])
                ],
            )  # fmt: skip
        assert f.mediation_total is not None
        self._fill(
            self.grids["mediation"],
            [
                (_month_text(r.month, span), str(r.received), str(r.concluded), str(r.resolved),
                 rules.percent(r.success_rate))
                for r in (*f.mediations, f.mediation_total)
            ],
        )  # fmt: skip
        every, med = f.ledger_totals[""], f.mediation_total
        self.summary.setText(
            _(
                "Petitions: {received} received, {closed} closed, {on_time} of them on time "
                "({on_time_rate}); satisfaction {satisfaction}. Disputes: {disputes} received, {resolved} "
                "resolved by agreement of {concluded} concluded ({success})."
            ).format(
                received=every.received,
                closed=every.closed,
                on_time=every.on_time,
                on_time_rate=rules.percent(every.on_time_rate),
                satisfaction=rules.percent(every.satisfaction_rate),
                disputes=med.received,
                resolved=med.resolved,
                concluded=med.concluded,
                success=rules.percent(med.success_rate),
            )
        )
        self.petition_chart.set_chart(rules.petition_chart(f))
        self.mediation_chart.set_chart(rules.mediation_chart(f))

    def summary_dialog(self) -> PdfPreviewDialog | None:
        start, end = self.period()
        document = self.room.run(service.summary_document, self.actor, start, end, self.room.today())
        if document is None:
            return None
        return PdfPreviewDialog(
            self, _("Summary"), lambda paper: pdf.summary_bytes(document, paper),
            pdf_file_name(
                _("Petitions and disputes summary {start} to {end}").format(
                    start=start.isoformat(), end=end.isoformat()
                )
            ),
        )  # fmt: skip

    def print_summary(self) -> None:
        dialog = self.summary_dialog()
        if dialog is not None:
            self.room.exec_dialog(dialog)


# --- the room ------------------------------------------------------------------------------------------


class PetitionsRoom(QWidget):
    changed = Signal()  # something was recorded: the main window's indicator counts again

    def __init__(self, actor: Actor, today: date | None = None) -> None:
        super().__init__()
        self.actor = actor
        self._today = today
        self.can_write = access.may(actor, access.WRITE)
        self.can_approve = access.may(actor, access.APPROVE)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Villagers' ledgers and mediation")))
        top.addStretch(1)
        limits = QPushButton(_("Time limits…"))
        limits.clicked.connect(self.edit_limits)
        top.addWidget(limits)
        layout.addLayout(top)
        self.reminders = reminders_panel("reminders")
        layout.addWidget(self.reminders)
        self.tabs = QTabWidget()
        self.petitions = PetitionsPage(self)
        self.mediations = MediationsPage(self)
        self.figures = FiguresPage(self)
        self.tabs.addTab(self.petitions, _("Three ledgers"))
        self.tabs.addTab(self.mediations, _("Disputes and mediation"))
        self.tabs.addTab(self.figures, _("Figures"))
        layout.addWidget(self.tabs, 1)
        if self.can_write and self.run(service.provisional_count, actor):
            # The calendar may have learnt next year's holidays since: count those deadlines again.
            self.run(service.recount_deadlines, actor)
        self.refresh()

    # --- hooks a test replaces ------------------------------------------------------------------

    def today(self) -> date:
        return self._today or clock.today()

    def exec_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def choose_file(self) -> str:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Add an attachment"), "", _("Images and PDF files (*.jpg *.jpeg *.png *.pdf)")
        )
        return name

    # --- loading --------------------------------------------------------------------------------

    def run(self, operation: Callable[..., Any], *args: Any) -> Any | None:
        """Call a service; show its refusal in the user's language instead of failing."""
        try:
            return operation(*args)
        except VillagegovError as exc:
            show_error(self, exc)
            return None

    def refresh(self) -> None:
        self.load_reminders()
        self.petitions.load()
        if self.mediations._loaded:
            self.mediations.load()

    def load_reminders(self) -> None:
        found = self.run(service.reminders, self.actor, self.today()) or []
        if not found:
            self.reminders.setText(html.escape(_("Nothing is due: every petition and dispute is on time.")))
            return
        lines = []
        for reminder in found[:REMINDERS_SHOWN]:
            text = html.escape(reminder_text(reminder))
            style = WARN_STYLE if reminder.kind == service.DUE_PETITION else ERROR_STYLE
            lines.append(f'• <span style="{style}">{text}</span>')
        if len(found) > REMINDERS_SHOWN:
            lines.append(html.escape(_("… and {n} more.").format(n=len(found) - REMINDERS_SHOWN)))
        self.reminders.setText("<br>".join(lines))

    def edit_limits(self) -> None:
        dialog = LimitsDialog(self.actor, self)
        if self.exec_dialog(dialog):
            self.refresh()
