"""The three ledgers (民情三本账) in the room: filters, the list, the chosen petition with its steps, and
a button for each thing that may be done to it — its particulars, its papers, and each step in turn,
enabled as petition_rules.petition_actions says (a refused one says why in its tooltip).

Screens only: every read and write goes through `petition_service` (the roster's service for choosing a
villager), through the room's one way to act (`ui/ops.py`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from villagegov.core import clock
from villagegov.core.actions import NOTHING_SELECTED, Allowed, refuse
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, ngettext
from villagegov.petitions import documents, petition_service
from villagegov.petitions import petition_rules as rules
from villagegov.petitions.petition_records import PetitionDetail, PetitionFilter, PetitionRow
from villagegov.petitions.rules import months_of
from villagegov.roster import service as roster
from villagegov.ui import ops
from villagegov.ui.forms import ERROR_STYLE, FormDialog, date_edit, day_text, pydate
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, RowsModel, rows_view

if TYPE_CHECKING:
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper
    from villagegov.ui.pdf_preview import PdfPreviewDialog

LIST_LIMIT = 2000
YEARS_BACK = 10


def names(text: str) -> tuple[str, ...]:
    """Names typed with any separator a clerk uses: 、，, or spaces."""
    return tuple(n for n in re.split(r"[、，,;；\s]+", text) if n)


def _due_text(row: PetitionRow | PetitionDetail) -> str:
    if not row.due_on:
        return ""
    text = day_text(row.due_on)
    return text + _(" (provisional)") if row.provisional else text


# Where each petition stands before what it is about, so that on a small screen the next step, its
# deadline and whether it is late are what the list shows first (the matter heads the details beside).
PETITION_COLUMNS = (
    Column(N_("Number"), lambda r: r.number),
    Column(N_("Ledger"), lambda r: rules.ledger_label(r.ledger)),
    Column(N_("Villager"), lambda r: r.petitioner),
    Column(N_("Next step"), lambda r: rules.step_label(r.next_step) if r.next_step else _("Closed")),
    Column(N_("Due by"), _due_text),
    Column(N_("Status"), lambda r: rules.status_label(r.status) if r.status else ""),
    Column(N_("Matter"), lambda r: r.subject),
    Column(N_("Date received"), lambda r: day_text(r.received_on)),
)


class RoomFormDialog(FormDialog):
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


class PetitionDialog(RoomFormDialog):
    """建账: a new petition in its ledger, or an open petition's particulars corrected."""

    def __init__(
        self,
        actor: Actor,
        detail: PetitionDetail | None = None,
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

    def submit(self) -> PetitionDetail:
        if self.detail is None:
            return petition_service.create_petition(self.actor, self.data(), today=self.today)
        return petition_service.update_petition(self.actor, self.detail.id, self.data(), today=self.today)


class StepDialog(RoomFormDialog):
    """A step of the petition (its next): when, who, and what each step asks (the handler, the answer…)."""

    def __init__(
        self,
        actor: Actor,
        detail: PetitionDetail,
        today: date | None = None,
        parent: QWidget | None = None,
        step: str | None = None,
    ) -> None:
        step = step or detail.next_step
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

    def submit(self) -> PetitionDetail:
        return petition_service.record_step(self.actor, self.detail.id, self.data(), today=self.today)


class PeriodDialog(RoomFormDialog):
    """A period to print: the ledgers or the summary."""

    def __init__(self, title: str, start: date, end: date, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.start = date_edit(start)
        self.end = date_edit(end)
        self.form.addRow(_("From"), self.start)
        self.form.addRow(_("To"), self.end)

    def submit(self) -> tuple[date, date]:
        start, end = pydate(self.start), pydate(self.end)
        months_of(start, end)  # refuses an end before the start
        return start, end


# The button of each step after 建账 (建账 is “New petition…”), as a clerk names it.
STEP_BUTTONS = {
    rules.REVIEW: N_("Review…"),  # 书记阅批
    rules.ACKNOWLEDGE: N_("Acknowledge…"),  # 受理告知
    rules.ASSIGN: N_("Assign…"),  # 交办
    rules.SUPERVISE: N_("Oversee…"),  # 督查
    rules.FEEDBACK: N_("Report result…"),  # 结果反馈
    rules.CHECK: N_("Check…"),  # 书记把关
    rules.CONSULT: N_("Reply and ask…"),  # 回复征询
    rules.CLOSE: N_("Close and file…"),  # 销号归档
}


class PetitionsPage(Room):
    """The three ledgers: filters, the list, the chosen petition with its steps, and its buttons."""

    watches = frozenset({"petition", "petition_step", "petition_attachment"})

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.detail: PetitionDetail | None = None
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.ledger = QComboBox()
        self.ledger.addItem(_("All ledgers"), None)
        for lg in rules.LEDGERS:
            self.ledger.addItem(rules.ledger_label(lg), lg)
        self.year = QComboBox()
        self.year.addItem(_("All years"), None)
        for y in range(self.today().year, self.today().year - YEARS_BACK, -1):
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
        splitter.setSizes([760, 380])
        layout.addWidget(splitter, 1)

        layout.addLayout(self.button_bar((
            (rules.NEW, _("New petition…"), self.new_petition),
            (rules.EDIT, _("Edit…"), self.edit_petition),
            (rules.ADD_ATTACHMENT, _("Add attachment…"), self.add_attachment),
            (rules.PRINT_NOTICE, _("Print acceptance notice…"), self.print_acknowledgement),
            (rules.PRINT_LEDGERS, _("Print ledgers…"), self.print_ledgers),
        )))  # fmt: skip
        steps = self.button_bar(
            [(step, _(label), partial(self.record_step, step)) for step, label in STEP_BUTTONS.items()]
        )
        steps.insertWidget(1, QLabel(_("Steps:")))
        layout.addLayout(steps)
        self.load()

    def choose_file(self) -> str:
        """The file to attach (a test replaces this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Add an attachment"), "", _("Images and PDF files (*.jpg *.jpeg *.png *.pdf)")
        )
        return name

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        self.load()

    def filters(self) -> PetitionFilter:
        which = self.show_which.currentData()
        return PetitionFilter(
            ledger=self.ledger.currentData(), year=self.year.currentData(),
            state=which if which in (rules.OPEN, rules.CLOSED) else None, overdue=which == "overdue",
            attention=which == "attention", text=self.search.text(),
        )  # fmt: skip

    def load(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.detail.id if self.detail else None)
        found = self.read(
            petition_service.list_petitions, self.actor, self.filters(), self.today(), None, LIST_LIMIT
        )
        rows = found or []
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
            self.read(petition_service.get_petition, self.actor, pid, self.today()) if pid else None
        )

    def show_detail(self, detail: PetitionDetail | None) -> None:
        self.detail = detail
        self.details.setHtml(self.detail_html(detail) if detail else "")
        self.update_buttons()

    def detail_html(self, d: PetitionDetail) -> str:
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
        """Each button as the rules allow for the chosen petition; a refused one says why."""
        d = self.detail
        allowed = rules.room_actions(self.actor.role)
        if d is None:
            allowed = allowed.merged(Allowed.nothing(rules.PETITION_ACTIONS, refuse(NOTHING_SELECTED)))
        else:
            allowed = allowed.merged(rules.petition_actions(self.actor.role, d.as_facts()))
        self.show_allowed(allowed)
        for step in STEP_BUTTONS:  # the step that comes next stands out in the row
            font = self.buttons[step].font()
            font.setBold(d is not None and d.next_step == step)
            self.buttons[step].setFont(font)

    # --- actions --------------------------------------------------------------------------------

    def _after(self, detail: PetitionDetail | None) -> None:
        if detail is not None:
            self.load(select=detail.id)

    def new_petition(self) -> None:
        dialog = PetitionDialog(self.actor, None, self.today(), self)
        if self.exec_dialog(dialog):
            self._after(dialog.result_value)

    def edit_petition(self) -> None:
        if self.detail is None:
            return
        dialog = PetitionDialog(self.actor, self.detail, self.today(), self)
        if self.exec_dialog(dialog):
            self._after(dialog.result_value)

    def record_step(self, step: str) -> None:
        """The step's dialog; the service records it only in its turn and by whom the rules allow."""
        if self.detail is None:
            return
        dialog = StepDialog(self.actor, self.detail, self.today(), self, step)
        if self.exec_dialog(dialog):
            self._after(dialog.result_value)

    def add_attachment(self, path: str | None = None) -> None:
        if self.detail is None:
            return
        name = path or self.choose_file()
        if not name:
            return
        try:
            content = Path(name).read_bytes()
        except OSError as exc:
            refusal = VillagegovError(
                N_("The file {name} cannot be read: {reason}"), name=name, reason=exc.strerror or ""
            )
            ops.show_refusal(self, refusal.message())
            return
        self.write(petition_service.add_attachment, self.actor, self.detail.id, Path(name).name, content)

    def print_acknowledgement(self) -> None:
        d = self.detail
        if d is not None:
            self.print_paper(
                documents.PETITION_NOTICE, d.id, _("Acceptance notice"), documents.notice_stem(d.number)
            )

    def print_ledgers(self) -> None:
        """The ledgers of any period (the year shown by default): the ledger the list shows, or all three."""
        year = self.year.currentData() or self.today().year
        period = PeriodDialog(_("Print ledgers"), date(year, 1, 1), date(year, 12, 31), self)
        if not self.exec_dialog(period):
            return
        start, end = period.result_value
        actor, today, ledger = self.actor, self.today(), self.ledger.currentData()
        self.exec_dialog(
            period_paper(
                self, _("Ledgers"), documents.ledgers_stem(start, end),
                lambda paper: documents.ledgers_between(actor, start, end, paper, today, ledger),
            )
        )  # fmt: skip


def period_paper(
    parent: QWidget, title: str, file_stem: str, build: Callable[[Paper], OfficialDocument]
) -> PdfPreviewDialog:
    """The preview of a paper of a period (not a record's, nor a year's: `Room.print_paper` prints
    those), laid out on a worker thread."""
    from villagegov.core.files import pdf_file_name
    from villagegov.printing.document import render_bytes
    from villagegov.ui.pdf_preview import PdfPreviewDialog

    return PdfPreviewDialog(parent, title, lambda paper: render_bytes(build(paper)), pdf_file_name(file_stem))
