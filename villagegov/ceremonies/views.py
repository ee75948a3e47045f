"""The 红白理事会 room: ceremonies through their stages, the council, the standard's versions, the year.

Screens only: every read and write goes through `villagegov.ceremonies.service` by `ui.ops` (the room's
`write`/`read`, a form's `save`); which buttons are on, and why not, is the rules' answer
(`rules.ceremony_actions` …); the pure `rules` judge a plan against the caps while the clerk types it,
so an over-cap figure is flagged on the spot. The room and its dialogs' pickers reload when a record
they show changes anywhere. Dialogs are run through `Room.exec_dialog`, so a test can fill one and
take its accept path.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from villagegov.ceremonies import documents as papers
from villagegov.ceremonies import rules, service
from villagegov.ceremonies.rules import Breach, FiguresInput, Standard
from villagegov.core.actions import NOTHING_SELECTED, Allowed, refuse
from villagegov.core.actor import Actor
from villagegov.core.changes import Changes
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _, format_date, format_money, ngettext
from villagegov.roster import service as roster
from villagegov.ui import ops
from villagegov.ui.charts import BarChartView
from villagegov.ui.forms import ERROR_STYLE, OK_STYLE, FormDialog, date_edit, day_text, pydate, qdate
from villagegov.ui.pdf_preview import PdfPreviewDialog
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, RowsModel, heading, rows_view

YEARS_BACK = 10
HINT_STYLE = "color: #666666;"


def _searchable(combo: QComboBox) -> None:
    """A long list (400 households, 1,500 villagers) found by typing any part of a line."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    assert completer is not None  # an editable combo has one
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


def no_limit_text(item: str) -> str:
    """What an empty cap means: no cap on a figure; no rule on how early the report comes."""
    return _("No rule") if item == rules.REPORT_DAYS else _("No cap")


# The stage before the family's names: at 1366 pixels in English the list is wider than its half.
CEREMONY_COLUMNS = (
    Column(N_("Registration number"), lambda r: r.number),
    Column(N_("Date"), lambda r: day_text(r.day)),
    Column(N_("Occasion"), lambda r: r.what),
    Column(N_("Stage"), lambda r: rules.stage_label(r.stage)),
    Column(N_("Head of household"), lambda r: r.head_name),
    Column(N_("Group"), lambda r: r.group),
    Column(N_("Over the caps or late"), lambda r: rules.problem_items(r.breaches, r.late)),
)
MEMBER_COLUMNS = (
    Column(N_("Name"), lambda m: m.name),
    Column(N_("Group"), lambda m: m.group),
    Column(N_("Position"), lambda m: rules.role_label(m.role)),
    Column(N_("Joined"), lambda m: day_text(m.joined_on)),
    Column(N_("Left"), lambda m: day_text(m.left_on)),
)
STANDARD_COLUMNS = (
    Column(N_("In force from"), lambda v: day_text(v.standard.effective_from)),
    Column(N_("Basis"), lambda v: v.standard.basis),
    Column(N_("Ceremonies judged by it"), lambda v: v.ceremonies, align_right=True),
    Column(N_("Set by"), lambda v: v.set_by),
)

# The figure fields of a form, in order: (item, is money).
FIELDS = (
    (rules.TABLES, False),
    (rules.COST_PER_TABLE, True),
    (rules.GIFT_PER_GUEST, True),
    (rules.VEHICLES, False),
    (rules.DAYS, False),
    (rules.BRIDE_PRICE, True),
    (rules.REPORT_DAYS, False),
)


# --- figures typed and judged on the spot ---------------------------------------------------------


class FiguresEditor(QWidget):
    """A plan's (or the day's) figures, each flagged beside its field the moment it breaks its cap."""

    changed = Signal()

    def __init__(self, with_spending: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = rules.WEDDING
        self.occasion = ""
        self.age: int | None = None
        self.standard: Standard = rules.DEFAULT_STANDARD
        self.edits: dict[str, QLineEdit] = {}
        self.flags: dict[str, QLabel] = {}
        self.rows: dict[str, tuple[QLabel, QLineEdit, QLabel]] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, (item, money) in enumerate(FIELDS):
            edit = QLineEdit()
            edit.setPlaceholderText(_("yuan") if money else "")
            edit.textChanged.connect(self.refresh)
            flag = QLabel()
            flag.setWordWrap(True)
            label = QLabel(rules.item_label(item))
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(flag, row, 2)
            self.edits[item], self.flags[item] = edit, flag
            self.rows[item] = (label, edit, flag)
        row = len(FIELDS)
        self.performers = QCheckBox(_("Paid performers"))
        self.performers.toggled.connect(self.refresh)
        self.cremation = QCheckBox(_("Cremation"))
        self.cremation.setChecked(True)
        self.cremation.toggled.connect(self.refresh)
        grid.addWidget(self.performers, row, 1)
        grid.addWidget(self.cremation, row + 1, 1)
        self.flags[rules.PAID_PERFORMERS] = QLabel()
        self.flags[rules.CREMATION] = QLabel()
        grid.addWidget(self.flags[rules.PAID_PERFORMERS], row, 2)
        grid.addWidget(self.flags[rules.CREMATION], row + 1, 2)
        self.spending = QLineEdit()
        self.spending.setPlaceholderText(_("yuan"))
        self.spending_label = QLabel(_("Planned total spending"))
        if with_spending:
            grid.addWidget(self.spending_label, row + 2, 0)
            grid.addWidget(self.spending, row + 2, 1)
        else:
            self.spending.hide()
            self.spending_label.hide()
        grid.setColumnStretch(2, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        grid.addWidget(self.summary, row + 3, 0, 1, 3)
        self.breaches: tuple[Breach, ...] = ()
        self.refresh()

    def set_context(self, kind: str, standard: Standard, occasion: str = "", age: int | None = None) -> None:
        self.kind, self.standard, self.occasion, self.age = kind, standard, occasion, age
        for item, (label, edit, flag) in self.rows.items():
            shown = item in rules.KIND_ITEMS[kind]
            for widget in (label, edit, flag):
                widget.setVisible(shown)
        self.cremation.setVisible(kind == rules.FUNERAL)
        self.flags[rules.CREMATION].setVisible(kind == rules.FUNERAL)
        self.refresh()

    def set_figures(self, data: FiguresInput) -> None:
        for item, value in (
            (rules.TABLES, data.tables),
            (rules.COST_PER_TABLE, data.cost_per_table),
            (rules.GIFT_PER_GUEST, data.gift_per_guest),
            (rules.VEHICLES, data.vehicles),
            (rules.DAYS, data.days),
            (rules.BRIDE_PRICE, data.bride_price),
        ):
            self.edits[item].setText(value)
        self.performers.setChecked(data.paid_performers)
        self.cremation.setChecked(data.cremation is not False)
        self.spending.setText(data.spending)

    def figures_input(self) -> FiguresInput:
        e = self.edits
        return FiguresInput(
            tables=e[rules.TABLES].text(),
            cost_per_table=e[rules.COST_PER_TABLE].text(),
            gift_per_guest=e[rules.GIFT_PER_GUEST].text(),
            vehicles=e[rules.VEHICLES].text(),
            days=e[rules.DAYS].text(),
            bride_price=e[rules.BRIDE_PRICE].text(),
            paid_performers=self.performers.isChecked(),
            cremation=self.cremation.isChecked() if self.kind == rules.FUNERAL else None,
            spending=self.spending.text(),
        )

    def _value(self, item: str, money: bool) -> tuple[int | None, str]:
        text = self.edits[item].text()
        try:
            value = rules.parse_yuan(text, item) if money else rules.parse_count(text, item)
        except ValidationError as exc:
            return None, exc.message()
        return value, ""

    def refresh(self) -> None:
        """Judge what is typed so far against the standard of the ceremony's day."""
        caps = self.standard.caps_for(self.kind)
        values: dict[str, int | None] = {}
        problems: dict[str, str] = {}
        for item, money in FIELDS:
            values[item], problems[item] = self._value(item, money)
        figures = rules.Figures(
            tables=values[rules.TABLES],
            cost_per_table_fen=values[rules.COST_PER_TABLE],
            gift_per_guest_fen=values[rules.GIFT_PER_GUEST],
            vehicles=values[rules.VEHICLES],
            days=values[rules.DAYS],
            bride_price_fen=values[rules.BRIDE_PRICE],
            paid_performers=self.performers.isChecked(),
            cremation=self.cremation.isChecked() if self.kind == rules.FUNERAL else None,
        )
        self.breaches = rules.check(self.kind, figures, self.standard, self.occasion, self.age)
        broken = {b.item: b for b in self.breaches}
        for item, _money in FIELDS:
            flag = self.flags[item]
            cap = caps.limit(item)
            if problems[item]:
                flag.setText(problems[item])
                flag.setStyleSheet(ERROR_STYLE)
            elif item in broken:
                flag.setText(_("Over the cap of {cap}").format(cap=rules.format_item(item, cap or 0)))
                flag.setStyleSheet(ERROR_STYLE)
            else:
                flag.setText(
                    _("cap {cap}").format(cap=rules.format_item(item, cap)) if cap is not None else ""
                )
                flag.setStyleSheet(HINT_STYLE)
        for item in (rules.PAID_PERFORMERS, rules.CREMATION):
            flag = self.flags[item]
            flag.setText(rules.describe_breach(broken[item]) if item in broken else "")
            flag.setStyleSheet(ERROR_STYLE)
        others = [b for b in self.breaches if b.item in (rules.BANNED_OCCASION, rules.BIRTHDAY_AGE)]
        if self.breaches:
            text = ngettext("{n} item over the standard", "{n} items over the standard", len(self.breaches))
            lines = [text.format(n=len(self.breaches))] + [rules.describe_breach(b) for b in others]
            self.summary.setText("\n".join(lines))
            self.summary.setStyleSheet(ERROR_STYLE)
        else:
            self.summary.setText(_("Within the standard in force on the day."))
            self.summary.setStyleSheet(OK_STYLE)
        self.changed.emit()


# --- pickers that stay fresh ----------------------------------------------------------------------


class Picker(QComboBox):
    """A list to choose from that a write elsewhere may change while the dialog is open (a household
    made in the roster while a report is typed): it loads again when a record of `watches` changes,
    keeping the choice."""

    def __init__(
        self,
        load: Callable[[], Iterable[tuple[str, object]]],
        watches: Iterable[str],
        searchable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self.watches = frozenset(watches)
        if searchable:
            _searchable(self)
        self.reload()
        ops.bus().changed.connect(self._changed)

    def _changed(self, what: Changes) -> None:
        if what.touches(self.watches):
            self.reload()

    def reload(self) -> None:
        keep = self.currentData()
        self.clear()
        for text, data in self._load():
            self.addItem(text, data)
        found = self.findData(keep) if keep is not None else -1
        if found >= 0:
            self.setCurrentIndex(found)


HOUSEHOLD_KINDS = ("household", "villager", "villager_group")  # a household is named by its head
MEMBER_KINDS = ("ceremony_council", "ceremony_council_member", "villager")


def household_picker(actor: Actor) -> Picker:
    def load() -> list[tuple[str, object]]:
        households = ops.read(None, roster.list_households, actor) or []
        return [(f"{h.number} {h.head}（{h.group}）", h.id) for h in households]

    return Picker(load, HOUSEHOLD_KINDS, searchable=True)


def villager_picker(actor: Actor) -> Picker:
    def load() -> list[tuple[str, object]]:
        villagers = ops.read(None, roster.list_villagers, actor) or []
        return [(f"{v.name}（{v.group}，{v.household}）", v.id) for v in villagers]

    return Picker(load, HOUSEHOLD_KINDS, searchable=True)


def member_picker(actor: Actor, day: Callable[[], date], not_recorded: bool = False) -> Picker:
    """The council's members seated on the day the form names (it loads again when the date changes)."""

    def load() -> list[tuple[str, object]]:
        first: list[tuple[str, object]] = [(_("(not recorded)"), None)] if not_recorded else []
        members = ops.read(None, service.list_members, actor, on=day()) or []
        return first + [(f"{m.name}（{rules.role_label(m.role)}）", m.id) for m in members]

    return Picker(load, MEMBER_KINDS)


# --- dialogs --------------------------------------------------------------------------------------


class _FormDialog(FormDialog):
    MIN_WIDTH = 620  # the figures' rows with their caps beside them


class ReportDialog(_FormDialog):
    """事前报备: the household, what and when, and the family's plan, judged as it is typed."""

    def __init__(
        self,
        actor: Actor,
        today: date,
        detail: service.CeremonyDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit the report") if detail else _("Report a ceremony"), parent)
        self.actor, self.today, self.detail = actor, today, detail
        self._standards: dict[date, Standard] = {}
        self.household = household_picker(actor)
        self.kind = QComboBox()
        for k in rules.KINDS:
            self.kind.addItem(rules.kind_label(k), k)
        self.occasion = QComboBox()
        for o in rules.OCCASIONS:
            self.occasion.addItem(rules.occasion_label(o), o)
        self.age = QSpinBox()
        self.age.setRange(0, 130)
        self.age.setSpecialValueText(" ")
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(_("e.g. groom and bride, or the deceased"))
        self.host = QLineEdit()
        self.host.setPlaceholderText(_("The household head, unless someone else reports"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(_("The household head's phone, unless another is given"))
        self.day = date_edit(today)
        self.place = QLineEdit()
        self.reported_on = date_edit(today)
        self.form.addRow(_("Household"), self.household)
        self.form.addRow(_("Kind"), self.kind)
        self.form.addRow(_("Occasion"), self.occasion)
        self.form.addRow(_("Age of the person celebrated"), self.age)
        self.form.addRow(_("For whom"), self.subject)
        self.form.addRow(_("Reported by"), self.host)
        self.form.addRow(_("Contact phone"), self.phone)
        self.form.addRow(_("Date of the ceremony"), self.day)
        self.form.addRow(_("Place"), self.place)
        self.form.addRow(_("Reported on"), self.reported_on)
        self.standard_line = QLabel()
        self.standard_line.setStyleSheet(HINT_STYLE)
        self.layout_.addWidget(self.standard_line)
        self.plan = FiguresEditor(with_spending=True)
        self.layout_.addWidget(self.plan)
        self.finish()
        if detail is not None:
            data = detail.report_input()
            self.household.setCurrentIndex(self.household.findData(data.household_id))
            self.kind.setCurrentIndex(self.kind.findData(data.kind))
            if data.occasion:
                self.occasion.setCurrentIndex(self.occasion.findData(data.occasion))
            self.age.setValue(data.celebrant_age or 0)
            self.subject.setText(data.subject)
            self.host.setText(data.host)
            self.phone.setText(data.contact_phone)
            self.day.setDate(qdate(data.day))
            self.place.setText(data.place)
            self.reported_on.setDate(qdate(data.reported_on or today))
            self.plan.set_figures(data.plan)
        for signal in (
            self.kind.currentIndexChanged,
            self.occasion.currentIndexChanged,
            self.age.valueChanged,
            self.day.dateChanged,
        ):
            signal.connect(self.update_context)
        self.update_context()

    def standard_on(self, day: date) -> Standard:
        if day not in self._standards:
            self._standards[day] = (
                ops.read(self, service.standard_on, self.actor, day) or rules.DEFAULT_STANDARD
            )
        return self._standards[day]

    def update_context(self) -> None:
        kind = self.kind.currentData()
        other = kind == rules.OTHER
        self.occasion.setEnabled(other)
        self.age.setEnabled(other and self.occasion.currentData() == rules.BIRTHDAY)
        standard = self.standard_on(pydate(self.day))
        self.standard_line.setText(service_standard_label(standard))
        occasion = self.occasion.currentData() if other else ""
        age = self.age.value() or None if self.age.isEnabled() else None
        self.plan.set_context(kind, standard, occasion, age)

    def data(self) -> rules.ReportInput:
        other = self.kind.currentData() == rules.OTHER
        return rules.ReportInput(
            household_id=self.household.currentData(),
            kind=self.kind.currentData(),
            day=pydate(self.day),
            place=self.place.text(),
            plan=self.plan.figures_input(),
            occasion=self.occasion.currentData() if other else "",
            celebrant_age=(self.age.value() or None) if self.age.isEnabled() else None,
            subject=self.subject.text(),
            host=self.host.text(),
            contact_phone=self.phone.text(),
            reported_on=pydate(self.reported_on),
        )

    def submit(self) -> service.CeremonyDetail:
        if self.household.currentData() is None:
            raise ValidationError(N_("Please choose the household."), field="household")
        if self.detail is None:
            return service.report(self.actor, self.data(), today=self.today)
        return service.update_report(self.actor, self.detail.id, self.data(), today=self.today)


def service_standard_label(standard: Standard) -> str:
    if standard.effective_from is None:
        return _("Judged by the default standard (the village has not adopted its own yet).")
    return _("Judged by the standard in force from {date}.").format(date=format_date(standard.effective_from))


class AdviceDialog(_FormDialog):
    """The council's advice, and the plan the family accepts with it (a new version; the first stays)."""

    def __init__(
        self, actor: Actor, today: date, detail: service.CeremonyDetail, parent: QWidget | None = None
    ):
        super().__init__(_("The council's advice"), parent)
        self.actor, self.today, self.detail = actor, today, detail
        self.advised_on = date_edit(today)
        self.member = member_picker(actor, lambda: pydate(self.advised_on), not_recorded=True)
        self.member.setCurrentIndex(1 if self.member.count() > 1 else 0)
        self.advised_on.dateChanged.connect(self.member.reload)
        self.text = QPlainTextEdit()
        self.revise = QCheckBox(_("The family accepts a revised plan"))
        self.form.addRow(_("Advised on"), self.advised_on)
        self.form.addRow(_("Member of the ceremony council"), self.member)
        self.form.addRow(_("Advice"), self.text)
        self.form.addRow("", self.revise)
        self.plan = FiguresEditor(with_spending=True)
        self.plan.set_context(detail.kind, detail.standard, detail.occasion, detail.celebrant_age)
        self.plan.set_figures(rules.figures_input(detail.plan))
        self.plan.setEnabled(False)
        self.revise.toggled.connect(self.plan.setEnabled)
        self.layout_.addWidget(self.plan)
        self.finish()

    def submit(self) -> service.CeremonyDetail:
        return service.record_advice(
            self.actor,
            self.detail.id,
            self.text.toPlainText(),
            pydate(self.advised_on),
            self.member.currentData(),
            self.plan.figures_input() if self.revise.isChecked() else None,
            today=self.today,
        )


class CommitmentDialog(_FormDialog):
    def __init__(
        self, actor: Actor, today: date, detail: service.CeremonyDetail, parent: QWidget | None = None
    ):
        super().__init__(_("Commitment letter signed"), parent)
        self.actor, self.today, self.detail = actor, today, detail
        self.signed_on = date_edit(min(today, detail.day))
        self.signer = QLineEdit(detail.host)
        self.form.addRow(_("Signed on"), self.signed_on)
        self.form.addRow(_("Signed by"), self.signer)
        note = QLabel(_("Once signed, the plan is fixed: the family commits to it."))
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.finish()

    def submit(self) -> service.CeremonyDetail:
        return service.sign_commitment(
            self.actor, self.detail.id, pydate(self.signed_on), self.signer.text(), today=self.today
        )


class SuperviseDialog(_FormDialog):
    """事中监督: the member on duty records what is seen; breaches and deviations show as it is typed."""

    def __init__(
        self, actor: Actor, today: date, detail: service.CeremonyDetail, parent: QWidget | None = None
    ):
        super().__init__(_("Supervise on the day"), parent)
        self.actor, self.today, self.detail = actor, today, detail
        self.supervised_on = date_edit(detail.day if detail.day <= today else today)
        self.member = member_picker(actor, lambda: pydate(self.supervised_on))
        self.supervised_on.dateChanged.connect(self.member.reload)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(80)
        self.form.addRow(_("Supervised on"), self.supervised_on)
        self.form.addRow(_("Council member on duty"), self.member)
        self.actual = FiguresEditor(with_spending=False)
        self.actual.set_context(detail.kind, detail.standard, detail.occasion, detail.celebrant_age)
        self.actual.set_figures(replace(rules.figures_input(detail.plan), spending=""))
        self.layout_.addWidget(QLabel(_("Figures seen on the day (filled in from the plan):")))
        self.layout_.addWidget(self.actual)
        self.deviation = QLabel()
        self.deviation.setWordWrap(True)
        self.layout_.addWidget(self.deviation)
        self.form.addRow(_("Notes"), self.notes)
        self.actual.changed.connect(self.update_deviations)
        self.finish()
        self.update_deviations()

    def update_deviations(self) -> None:
        try:
            seen = rules.parse_figures(self.actual.figures_input(), self.detail.kind, rules.ACTUAL)
        except ValidationError:
            self.deviation.setText("")  # the field's own flag says what is wrong
            return
        found = rules.deviations(self.detail.plan, seen, self.detail.kind)
        text = "；".join(rules.describe_deviation(d) for d in found)
        self.deviation.setText(_("Differs from the plan: {items}").format(items=text) if found else "")

    def submit(self) -> service.CeremonyDetail:
        member = self.member.currentData()
        if member is None:
            raise ValidationError(N_("Please choose the council member on duty."), field="member")
        return service.supervise(
            self.actor,
            self.detail.id,
            member,
            pydate(self.supervised_on),
            self.actual.figures_input(),
            self.notes.toPlainText(),
            today=self.today,
        )


class CorrectDialog(_FormDialog):
    def __init__(self, actor: Actor, detail: service.CeremonyDetail, parent: QWidget | None = None):
        super().__init__(_("Correct the figures of the day"), parent)
        self.actor, self.detail = actor, detail
        self.actual = FiguresEditor(with_spending=False)
        self.actual.set_context(detail.kind, detail.standard, detail.occasion, detail.celebrant_age)
        if detail.actual is not None:
            self.actual.set_figures(rules.figures_input(detail.actual))
        self.reason = QLineEdit()
        self.layout_.addWidget(self.actual)
        self.form.addRow(_("Reason"), self.reason)
        note = QLabel(_("The figures first recorded stay on record beside the correction."))
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.finish()

    def submit(self) -> service.CeremonyDetail:
        return service.correct_actual(
            self.actor, self.detail.id, self.actual.figures_input(), self.reason.text()
        )


class FollowUpDialog(_FormDialog):
    """事后回访: actual spending, satisfaction, remarks."""

    def __init__(
        self, actor: Actor, today: date, detail: service.CeremonyDetail, parent: QWidget | None = None
    ):
        super().__init__(_("Follow up"), parent)
        self.actor, self.today, self.detail = actor, today, detail
        self.visited_on = date_edit(today)
        self.member = member_picker(actor, lambda: pydate(self.visited_on))
        self.visited_on.dateChanged.connect(self.member.reload)
        self.spending = QLineEdit()
        self.spending.setPlaceholderText(_("yuan"))
        self.first_plan = QLabel(
            _("First plan: {amount}").format(amount=format_money(detail.first_plan.spending_fen or 0))
        )
        self.satisfaction = QComboBox()
        for s in rules.SATISFACTIONS:
            self.satisfaction.addItem(rules.satisfaction_label(s), s)
        self.remarks = QPlainTextEdit()
        self.form.addRow(_("Visited on"), self.visited_on)
        self.form.addRow(_("Member of the ceremony council"), self.member)
        self.form.addRow(_("Actual spending"), self.spending)
        self.form.addRow("", self.first_plan)
        self.form.addRow(_("Satisfaction"), self.satisfaction)
        self.form.addRow(_("Remarks"), self.remarks)
        self.finish()

    def submit(self) -> service.CeremonyDetail:
        member = self.member.currentData()
        if member is None:
            raise ValidationError(N_("Please choose the council member who visited."), field="member")
        return service.follow_up(
            self.actor,
            self.detail.id,
            member,
            pydate(self.visited_on),
            self.spending.text(),
            self.satisfaction.currentData(),
            self.remarks.toPlainText(),
            today=self.today,
        )


class CancelDialog(_FormDialog):
    def __init__(
        self, actor: Actor, today: date, detail: service.CeremonyDetail, parent: QWidget | None = None
    ):
        super().__init__(_("Cancel the ceremony"), parent)
        self.actor, self.today, self.detail = actor, today, detail
        self.reason = QLineEdit()
        self.form.addRow(_("Reason"), self.reason)
        self.finish()

    def submit(self) -> service.CeremonyDetail:
        return service.cancel(self.actor, self.detail.id, self.reason.text(), today=self.today)


class CouncilDialog(_FormDialog):
    def __init__(self, actor: Actor, today: date, parent: QWidget | None = None):
        super().__init__(_("New term of the ceremony council"), parent)
        self.actor = actor
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Default: the village's name and 红白理事会"))
        self.start = date_edit(date(today.year, 1, 1))
        self.end = date_edit(date(today.year + 4, 12, 31))
        self.form.addRow(_("Name of the council"), self.name)
        self.form.addRow(_("Term begins"), self.start)
        self.form.addRow(_("Term ends"), self.end)
        self.finish()

    def submit(self) -> service.CouncilRow:
        return service.create_council(self.actor, pydate(self.start), pydate(self.end), self.name.text())


class MemberDialog(_FormDialog):
    def __init__(self, actor: Actor, today: date, council: service.CouncilRow, parent: QWidget | None = None):
        super().__init__(_("Add a council member"), parent)
        self.actor, self.council = actor, council
        self.villager = villager_picker(actor)
        self.role = QComboBox()
        for r in rules.ROLES:
            self.role.addItem(rules.role_label(r), r)
        self.role.setCurrentIndex(self.role.findData(rules.MEMBER))
        self.joined = date_edit(max(council.term_start, min(today, council.term_end)))
        self.form.addRow(_("Villager"), self.villager)
        self.form.addRow(_("Position"), self.role)
        self.form.addRow(_("Joined on"), self.joined)
        self.finish()

    def submit(self) -> service.MemberRow:
        villager = self.villager.currentData()
        if villager is None:
            raise ValidationError(N_("Please choose the villager."), field="villager")
        return service.add_member(
            self.actor, self.council.id, villager, self.role.currentData(), pydate(self.joined)
        )


class LeaveDialog(_FormDialog):
    def __init__(self, actor: Actor, today: date, member: service.MemberRow, parent: QWidget | None = None):
        super().__init__(_("{name} leaves the council").format(name=member.name), parent)
        self.actor, self.member = actor, member
        self.left = date_edit(today)
        self.form.addRow(_("First day without the seat"), self.left)
        self.finish()

    def submit(self) -> service.MemberRow:
        return service.end_membership(self.actor, self.member.id, pydate(self.left))


class StandardDialog(_FormDialog):
    """A new version of the village's standard, from the date the villagers' representatives set. The
    date is checked as it is typed, by the rule the service enforces: not on or before the day of a
    ceremony already held that the version would judge."""

    def __init__(self, actor: Actor, today: date, base: Standard, parent: QWidget | None = None):
        super().__init__(_("New version of the standard"), parent)
        self.actor = actor
        self.held = ops.read(self, service.held_ceremonies, actor) or []
        versions = ops.read(self, service.list_standards, actor) or []
        self.versions = [v.standard.effective_from for v in versions if v.standard.effective_from]
        self.effective = date_edit(today)
        self.effective_hint = QLabel()
        self.effective_hint.setWordWrap(True)
        self.effective_hint.setStyleSheet(ERROR_STYLE)
        self.basis = QLineEdit(base.basis)
        self.basis.setPlaceholderText(_("e.g. adopted by the villagers' representatives' meeting in June"))
        self.form.addRow(_("In force from"), self.effective)
        self.form.addRow("", self.effective_hint)
        self.form.addRow(_("Basis"), self.basis)
        grid = QGridLayout()
        self.caps: dict[tuple[str, str], QLineEdit] = {}
        for column, kind in enumerate(rules.KINDS, start=1):
            grid.addWidget(QLabel(rules.kind_label(kind)), 0, column)
        for row, (item, money) in enumerate(FIELDS, start=1):
            grid.addWidget(QLabel(rules.item_label(item) + (_(" (yuan)") if money else "")), row, 0)
            for column, kind in enumerate(rules.KINDS, start=1):
                value = base.caps_for(kind).limit(item)
                edit = QLineEdit("" if value is None else (rules.fen_to_yuan(value) if money else str(value)))
                edit.setPlaceholderText(_("no rule") if item == rules.REPORT_DAYS else _("no cap"))
                grid.addWidget(edit, row, column)
                self.caps[(kind, item)] = edit
        self.layout_.addLayout(grid)
        self.cremation = QCheckBox(_("Funerals: cremation required (where the county requires it)"))
        self.performers = QCheckBox(_("No paid performers"))
        self.school = QCheckBox(_("No school admission banquets"))
        self.moving = QCheckBox(_("No house-moving banquets"))
        for box, on in (
            (self.cremation, base.cremation_required),
            (self.performers, base.paid_performers_banned),
            (self.school, base.school_admission_banned),
            (self.moving, base.house_moving_banned),
        ):
            box.setChecked(on)
            self.layout_.addWidget(box)
        self.birthday = QSpinBox()
        self.birthday.setRange(0, 120)
        self.birthday.setSpecialValueText(_("no rule"))
        self.birthday.setValue(base.birthday_min_age or 0)
        age_row = QHBoxLayout()
        age_row.addWidget(QLabel(_("Birthday banquets only from the age of")))
        age_row.addWidget(self.birthday)
        age_row.addStretch(1)
        self.layout_.addLayout(age_row)
        self.finish()
        self.effective.dateChanged.connect(self.check_date)
        self.check_date()

    def check_date(self) -> None:
        allowed = rules.standard_actions(self.actor.role, pydate(self.effective), self.held, self.versions)
        why = allowed.why_not(rules.NEW_STANDARD)
        self.effective_hint.setText(why or "")
        self.effective_hint.setVisible(why is not None)

    def standard(self) -> Standard:
        def caps(kind: str) -> rules.Caps:
            e = {item: self.caps[(kind, item)].text() for item, _m in FIELDS}
            return rules.parse_caps(
                rules.CapsInput(
                    e[rules.TABLES],
                    e[rules.COST_PER_TABLE],
                    e[rules.GIFT_PER_GUEST],
                    e[rules.VEHICLES],
                    e[rules.DAYS],
                    e[rules.BRIDE_PRICE],
                    e[rules.REPORT_DAYS],
                )
            )

        return Standard(
            effective_from=pydate(self.effective),
            wedding=caps(rules.WEDDING),
            funeral=caps(rules.FUNERAL),
            other=caps(rules.OTHER),
            cremation_required=self.cremation.isChecked(),
            paid_performers_banned=self.performers.isChecked(),
            school_admission_banned=self.school.isChecked(),
            house_moving_banned=self.moving.isChecked(),
            birthday_min_age=self.birthday.value() or None,
            basis=self.basis.text(),
        )

    def submit(self) -> service.StandardVersion:
        return service.set_standard(self.actor, self.standard())


# --- the room -------------------------------------------------------------------------------------


def caps_html(standard: Standard) -> str:
    """A version's caps as a small table for the standards tab."""
    e = html.escape
    head = "".join(f"<th>{e(rules.kind_label(k))}</th>" for k in rules.KINDS)
    rows = []
    for item, _money in FIELDS:
        cells = []
        for kind in rules.KINDS:
            limit = standard.caps_for(kind).limit(item)
            cells.append(
                f"<td>{e(rules.format_item(item, limit) if limit is not None else no_limit_text(item))}</td>"
            )
        rows.append(f"<tr><td>{e(rules.item_label(item))}</td>{''.join(cells)}</tr>")
    rules_text = []
    if standard.cremation_required:
        rules_text.append(_("Funerals: cremation required"))
    if standard.paid_performers_banned:
        rules_text.append(_("No paid performers"))
    if standard.school_admission_banned:
        rules_text.append(_("No school admission banquets"))
    if standard.house_moving_banned:
        rules_text.append(_("No house-moving banquets"))
    if standard.birthday_min_age:
        rules_text.append(_("Birthday banquets from {age}").format(age=standard.birthday_min_age))
    return (
        f"<table border='1' cellspacing='0' cellpadding='4'><tr><th></th>{head}</tr>{''.join(rows)}</table>"
        f"<p>{e('；'.join(rules_text))}</p>"
    )


class CeremoniesRoom(Room):
    """Ceremonies through their stages, the council's members, the standard's versions, the year."""

    # What the room shows: its own records, and the roster's names and households beside them.
    watches = frozenset({
        "ceremony", "ceremony_figures", "ceremony_advice", "ceremony_commitment_letter",
        "ceremony_supervision", "ceremony_follow_up", "ceremony_council", "ceremony_council_member",
        "ceremony_standard", "ceremony_caps", "villager", "household", "villager_group",
    })  # fmt: skip

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.detail: service.CeremonyDetail | None = None
        self.council: service.CouncilRow | None = None
        self.year_figures: rules.YearFigures | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Weddings and funerals council")))
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self._ceremonies_tab()
        self._council_tab()
        self._standards_tab()
        self._year_tab()
        self.refresh()

    # --- building the tabs -----------------------------------------------------------------------------

    def _year_combo(self, with_all: bool) -> QComboBox:
        combo = QComboBox()
        if with_all:
            combo.addItem(_("All years"), None)
        for y in range(self.today().year + 1, self.today().year - YEARS_BACK, -1):
            combo.addItem(_("{year}").format(year=y), y)
        combo.setCurrentIndex(combo.findData(self.today().year))
        return combo

    def _ceremonies_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        filters = QHBoxLayout()
        self.year = self._year_combo(with_all=True)
        self.stage = QComboBox()
        self.stage.addItem(_("All stages"), None)
        for s in rules.STAGES:
            self.stage.addItem(rules.stage_label(s), s)
        self.kind = QComboBox()
        self.kind.addItem(_("All kinds"), None)
        for k in rules.KINDS:
            self.kind.addItem(rules.kind_label(k), k)
        for combo in (self.year, self.stage, self.kind):
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(lambda *args: self.load())
        self.count = QLabel()
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout.addLayout(filters)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = RowsModel(CEREMONY_COLUMNS, self)
        empty = _("No ceremonies match. “Report…” registers one for a household on the roster.")
        self.view = rows_view(self.model, empty)
        self.view.selectionModel().selectionChanged.connect(self.show_selected)
        splitter.addWidget(self.view)
        self.details = QTextBrowser()
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 380])
        layout.addWidget(splitter, 1)
        # Two rows: a ceremony's stages in their order, then what corrects, cancels and prints.
        layout.addLayout(self.button_bar((
            (rules.REPORT, _("Report…"), self.new_report),
            (rules.EDIT, _("Edit report…"), self.edit_report),
            (rules.ADVISE, _("Advice…"), self.advise),
            (rules.COMMIT, _("Commitment signed…"), self.commit),
            (rules.SUPERVISE, _("Supervise…"), self.supervise),
            (rules.FOLLOW_UP, _("Follow up…"), self.follow_up),
            (rules.CLOSE, _("Close the ceremony"), self.close_ceremony),
        )))  # fmt: skip
        layout.addLayout(self.button_bar((
            (rules.CORRECT, _("Correct the day…"), self.correct),
            (rules.CANCEL, _("Cancel…"), self.cancel),
            (rules.PRINT_REPORT, _("Print report form…"), self.print_report),
            (rules.PRINT_COMMITMENT, _("Print commitment letter…"), self.print_commitment),
            (rules.PRINT_FOLLOW_UP, _("Print follow-up record…"), self.print_follow_up),
        )))  # fmt: skip
        self.tabs.addTab(page, _("Ceremonies"))

    def _council_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.council_line = QLabel()
        layout.addWidget(self.council_line)
        self.members = RowsModel(MEMBER_COLUMNS, self)
        self.member_view = rows_view(
            self.members, _("No members yet: “Add member…” seats a villager from the roster.")
        )
        self.member_view.selectionModel().selectionChanged.connect(lambda *args: self.update_buttons())
        layout.addWidget(self.member_view, 1)
        layout.addLayout(self.button_bar((
            (rules.NEW_TERM, _("New term…"), self.new_council),
            (rules.ADD_MEMBER, _("Add member…"), self.add_member),
            (rules.MEMBER_LEAVES, _("Member leaves…"), self.member_leaves),
            (rules.REMOVE_MEMBER, _("Remove member"), self.remove_member),
        )))  # fmt: skip
        self.tabs.addTab(page, _("Council members"))

    def _standards_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.standards = RowsModel(STANDARD_COLUMNS, self)
        self.standard_view = rows_view(self.standards)
        self.standard_view.selectionModel().selectionChanged.connect(self.show_standard)
        layout.addWidget(self.standard_view, 1)
        self.standard_details = QTextBrowser()
        layout.addWidget(self.standard_details, 2)
        layout.addLayout(self.button_bar(((rules.NEW_STANDARD, _("New version…"), self.new_standard),)))
        self.tabs.addTab(page, _("The village's standard"))

    def _year_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.figures_year = self._year_combo(with_all=False)
        self.figures_year.currentIndexChanged.connect(lambda *args: self.load_year())
        top.addWidget(self.figures_year)
        top.addStretch(1)
        layout.addLayout(top)
        self.year_text = QLabel()
        self.year_text.setWordWrap(True)
        layout.addWidget(self.year_text)
        charts = QHBoxLayout()
        self.month_chart = BarChartView()
        self.spending_chart = BarChartView()
        charts.addWidget(self.month_chart)
        charts.addWidget(self.spending_chart)
        layout.addLayout(charts, 1)
        layout.addLayout(
            self.button_bar(((rules.PRINT_SUMMARY, _("Print the year's summary…"), self.print_summary),))
        )
        self.tabs.addTab(page, _("The year's figures"))

    # --- loading ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        self.load(select)
        self.load_council()
        self.load_standards()
        self.load_year()

    def load(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.detail.id if self.detail else None)
        rows = (
            self.read(
                service.list_ceremonies,
                self.actor,
                self.year.currentData(),
                self.stage.currentData(),
                self.kind.currentData(),
            )
            or []
        )
        self.model.set_rows(rows)
        self.count.setText(ngettext("{n} ceremony", "{n} ceremonies", len(rows)).format(n=len(rows)))
        if not self.view.select_record(keep):
            self.show_detail(None)

    def show_selected(self) -> None:
        ceremony_id = self.view.selected_id()
        self.show_detail(self.read(service.get_ceremony, self.actor, ceremony_id) if ceremony_id else None)

    def show_detail(self, detail: service.CeremonyDetail | None) -> None:
        self.detail = detail
        self.details.setHtml(self.detail_html(detail) if detail else "")
        self.update_buttons()

    def detail_html(self, d: service.CeremonyDetail) -> str:
        e = html.escape

        def line(label: str, value: str) -> str:
            return f"<tr><td><b>{e(label)}</b></td><td>{e(value)}</td></tr>"

        parts = [f"<h3>{e(d.number)} {e(d.what)}</h3><table>"]
        parts.append(line(_("Stage"), rules.stage_label(d.stage)))
        parts.append(line(_("Household"), f"{d.household_number} {d.head_name}（{d.group}）"))
        parts.append(line(_("For whom"), d.subject))
        parts.append(line(_("Date of the ceremony"), day_text(d.day)))
        parts.append(line(_("Place"), d.place))
        parts.append(line(_("Reported by"), f"{d.host} {d.contact_phone}".strip()))
        ahead = (d.day - d.reported_on).days
        reported = (
            ngettext("{date} ({n} day ahead)", "{date} ({n} days ahead)", ahead).format(
                date=day_text(d.reported_on), n=ahead
            )
            if ahead > 0
            else day_text(d.reported_on)
        )
        parts.append(line(_("Reported on"), reported))
        parts.append("</table>")
        if d.late:
            parts.append(f"<p style='{ERROR_STYLE}'>{e(rules.describe_late(d.late))}</p>")
        parts.append(f"<p>{e(service_standard_label(d.standard))}</p>")
        caps = d.standard.caps_for(d.kind)
        head = [_("Item"), _("First plan"), _("Plan"), _("Seen on the day"), _("Cap")]
        parts.append("<table border='1' cellspacing='0' cellpadding='3'><tr>")
        parts += [f"<th>{e(h)}</th>" for h in head] + ["</tr>"]
        broken_plan = {b.item for b in d.plan_breaches}
        broken_actual = {b.item for b in d.actual_breaches}

        def cell(item: str, value: int | None, broken: set[str]) -> str:
            text = "" if value is None else rules.format_item(item, value)
            style = f" style='{ERROR_STYLE}'" if item in broken and value is not None else ""
            return f"<td nowrap{style}>{e(text)}</td>"

        for item in rules.KIND_ITEMS[d.kind]:
            actual = d.actual.value(item) if d.actual else None
            cap = caps.limit(item)
            parts.append(
                f"<tr><td>{e(rules.item_label(item))}</td>{cell(item, d.first_plan.value(item), set())}"
                f"{cell(item, d.plan.value(item), broken_plan)}{cell(item, actual, broken_actual)}"
                f"<td nowrap>{e(rules.format_item(item, cap) if cap is not None else _('No cap'))}</td></tr>"
            )
        parts.append("</table>")
        spending = format_money(d.plan.spending_fen or 0)
        spending_line = _("{label}: {value}").format(label=_("Planned total spending"), value=spending)
        parts.append(f"<p>{e(spending_line)}</p>")
        judged = d.actual_breaches if d.actual else d.plan_breaches
        if judged:
            items = "".join(f"<li>{e(rules.describe_breach(b))}</li>" for b in judged)
            parts.append(f"<p style='{ERROR_STYLE}'><b>{e(_('Over the caps'))}</b></p><ul>{items}</ul>")
        for a in d.advice:
            parts.append(
                f"<p><b>{e(_('Advice'))}</b> "
                + e(
                    _("{date} {name}: {text}").format(date=day_text(a.advised_on), name=a.member, text=a.text)
                )
                + "</p>"
            )
        if d.commitment:
            text = _("Commitment letter signed by {signer} on {date}.").format(
                signer=d.commitment.signer, date=day_text(d.commitment.signed_on)
            )
            parts.append(f"<p>{e(text)}</p>")
        if d.deviations:
            items = "".join(f"<li>{e(rules.describe_deviation(x))}</li>" for x in d.deviations)
            parts.append(f"<p><b>{e(_('Differs from the plan'))}</b></p><ul>{items}</ul>")
        if d.supervision:
            s = d.supervision
            text = _("Supervised by {member} on {date}.").format(
                member=s.member, date=day_text(s.supervised_on)
            )
            parts.append(f"<p>{e(text)} {e(s.notes)}</p>")
        if d.follow_up:
            f = d.follow_up
            text = _("Visited by {member} on {date}: spent {amount}, {satisfaction}.").format(
                member=f.member,
                date=day_text(f.visited_on),
                amount=format_money(f.actual_spending_fen),
                satisfaction=rules.satisfaction_label(f.satisfaction),
            )
            parts.append(f"<p>{e(text)} {e(f.remarks)}</p>")
        if d.cancelled_on:
            text = _("Cancelled on {date}: {reason}").format(
                date=day_text(d.cancelled_on), reason=d.cancel_reason
            )
            parts.append(f"<p>{e(text)}</p>")
        return "".join(parts)

    def load_council(self) -> None:
        keep = self.member_view.selected_id()
        councils = self.read(service.list_councils, self.actor) or []
        self.council = councils[0] if councils else None
        if self.council is None:
            self.council_line.setText(_("No ceremony council yet: start its first term."))
            self.members.set_rows([])
        else:
            c = self.council
            self.council_line.setText(
                _("{name}, term {start} to {end}").format(
                    name=c.name, start=day_text(c.term_start), end=day_text(c.term_end)
                )
            )
            self.members.set_rows(self.read(service.list_members, self.actor, c.id) or [])
            if keep is not None and keep in {m.id for m in self.members.rows()}:
                self.member_view.select_record(keep)
        self.update_buttons()

    def load_standards(self) -> None:
        keep = self.standard_view.selected_id()
        versions = self.read(service.list_standards, self.actor) or []
        self.standards.set_rows(versions)
        if versions:
            kept = keep is not None and keep in {v.id for v in versions}
            self.standard_view.select_record(keep if kept else versions[-1].id)
        else:
            current = self.read(service.standard_on, self.actor, self.today()) or rules.DEFAULT_STANDARD
            self.standard_details.setHtml(
                "<p>"
                + html.escape(_("The village has not adopted its own standard yet; the defaults apply:"))
                + "</p>"
                + caps_html(current)
            )

    def show_standard(self) -> None:
        version = self.standard_view.selected_record()
        if version is not None:
            self.standard_details.setHtml(caps_html(version.standard))

    def load_year(self) -> None:
        year = self.figures_year.currentData()
        figures = self.year_figures = self.read(service.year_figures, self.actor, year)
        if figures is None:
            return
        self.update_buttons()
        empty = rules.year_actions(year, figures.ceremonies).why_not(rules.PRINT_SUMMARY)
        for chart in (self.month_chart, self.spending_chart):
            chart.setVisible(empty is None)
        if empty:  # a year with nothing reported says so, instead of charts of zeros
            self.month_chart.set_chart(None)
            self.spending_chart.set_chart(None)
            self.year_text.setText(empty)
            return
        self.month_chart.set_chart(rules.month_chart(figures))
        self.spending_chart.set_chart(rules.spending_chart(figures))
        self.year_text.setText(
            _(
                "{year}: {n} ceremonies reported, {over} first plans over the caps; {supervised} supervised, "
                "{within} within the standard ({share}). Saved against the families' first plans: {plans}; "
                "against the caps: {caps}."
            ).format(
                year=year,
                n=figures.ceremonies,
                over=figures.first_plans_over,
                supervised=figures.supervised,
                within=figures.within,
                share=rules.percent(figures.share_within),
                plans=format_money(figures.saved_against_first_plan_fen),
                caps=format_money(figures.saved_against_caps_fen),
            )
            + (
                _(" Reported late: {n}.").format(n=figures.reported_late)  # a sentence after the others
                if figures.reported_late
                else ""
            )
        )

    def selected_member(self) -> service.MemberRow | None:
        member: service.MemberRow | None = self.member_view.selected_record()
        return member

    def update_buttons(self) -> None:
        """Each button as the rules allow for the chosen ceremony, seat and year; a refused one says why."""
        role = self.actor.role
        allowed = rules.room_actions(role).merged(rules.council_actions(role, self.council is not None))
        d = self.detail
        allowed = allowed.merged(
            rules.ceremony_actions(role, d.state, self.today())
            if d is not None
            else Allowed.nothing(rules.CEREMONY_ACTIONS, refuse(NOTHING_SELECTED))
        )
        member = self.selected_member()
        allowed = allowed.merged(
            rules.member_actions(role, rules.MemberState(member.on_record))
            if member is not None
            else Allowed.nothing(rules.MEMBER_ACTIONS, refuse(N_("Choose a member in the list first.")))
        )
        figures = self.year_figures
        if figures is not None:
            allowed = allowed.merged(rules.year_actions(figures.year, figures.ceremonies))
        self.show_allowed(allowed)

    # --- actions ---------------------------------------------------------------------------------------
    # A dialog's save announces what it changed, and the room reloads keeping its selection.

    def _dialog(self, dialog: _FormDialog) -> Any | None:
        if self.exec_dialog(dialog):
            return dialog.result_value
        return None

    def new_report(self) -> None:
        detail = self._dialog(ReportDialog(self.actor, self.today(), None, self))
        if detail is not None:
            self.view.select_record(detail.id)  # the new one, if the filters show it

    def edit_report(self) -> None:
        if self.detail:
            self._dialog(ReportDialog(self.actor, self.today(), self.detail, self))

    def advise(self) -> None:
        if self.detail:
            self._dialog(AdviceDialog(self.actor, self.today(), self.detail, self))

    def commit(self) -> None:
        if self.detail:
            self._dialog(CommitmentDialog(self.actor, self.today(), self.detail, self))

    def supervise(self) -> None:
        if self.detail:
            self._dialog(SuperviseDialog(self.actor, self.today(), self.detail, self))

    def correct(self) -> None:
        if self.detail:
            self._dialog(CorrectDialog(self.actor, self.detail, self))

    def follow_up(self) -> None:
        if self.detail:
            self._dialog(FollowUpDialog(self.actor, self.today(), self.detail, self))

    def close_ceremony(self) -> None:
        if self.detail:
            self.write(service.close, self.actor, self.detail.id, today=self.today())

    def cancel(self) -> None:
        if self.detail:
            self._dialog(CancelDialog(self.actor, self.today(), self.detail, self))

    def new_council(self) -> None:
        self._dialog(CouncilDialog(self.actor, self.today(), self))

    def add_member(self) -> None:
        if self.council is not None:
            self._dialog(MemberDialog(self.actor, self.today(), self.council, self))

    def member_leaves(self) -> None:
        member = self.selected_member()
        if member is not None:
            self._dialog(LeaveDialog(self.actor, self.today(), member, self))

    def remove_member(self) -> None:
        """A seat entered by mistake (the wrong villager); the audit log keeps that it was there."""
        member = self.selected_member()
        if member is not None and self.confirm(
            _("Remove member"),
            _("Remove {name}'s seat? Use this for a seat entered by mistake; a member who leaves is "
              "given a leaving date instead.").format(name=member.name),
        ):  # fmt: skip
            self.attempt(service.remove_member, self.actor, member.id)

    def new_standard(self) -> None:
        base = self.read(service.standard_on, self.actor, self.today()) or rules.DEFAULT_STANDARD
        self._dialog(StandardDialog(self.actor, self.today(), base, self))

    # --- printing: the papers of documents.py, laid out on a worker -----------------------------------

    def _print(self, key: str, title: str) -> PdfPreviewDialog | None:
        d = self.detail
        if d is None:
            return None
        return self.print_paper(key, d.id, _(title), papers.ceremony_stem(d.number, title))

    def print_report(self) -> PdfPreviewDialog | None:
        return self._print(papers.REPORT_FORM, papers.REPORT_FORM_TITLE)

    def print_commitment(self) -> PdfPreviewDialog | None:
        return self._print(papers.COMMITMENT, papers.COMMITMENT_TITLE)

    def print_follow_up(self) -> PdfPreviewDialog | None:
        return self._print(papers.FOLLOW_UP, papers.FOLLOW_UP_TITLE)

    def print_summary(self) -> PdfPreviewDialog:
        year = self.figures_year.currentData()
        return self.print_paper(papers.SUMMARY, year, _(papers.SUMMARY_TITLE), papers.summary_stem(year))
