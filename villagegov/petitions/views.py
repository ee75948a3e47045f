"""The 民情三本账 and 矛盾纠纷调处 room: petitions carried step by step to their end (petition_views.py),
disputes to their outcome (mediation_views.py), the figures the county asks for, the village's time
limits, and what is due across them.

Screens only: every read and write goes through the room's services, by the one way to act
(`ui/ops.py`). Each tab is a `Room` of its own, with its buttons from its rules, and reloads when what
it shows changes, wherever that was changed; the main window counts its indicator again from the same
announcements.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from villagegov.core.actions import refuse
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _
from villagegov.petitions import documents, petition_rules, petition_service, rules, service
from villagegov.petitions.mediation_views import MediationsPage
from villagegov.petitions.petition_views import PetitionsPage, RoomFormDialog, period_paper
from villagegov.petitions.records import (
    DUE_PETITION,
    FOLLOW_UP_DUE,
    OVERDUE_MEDIATION,
    OVERDUE_PETITION,
    Reminder,
)
from villagegov.ui.charts import BarChartView
from villagegov.ui.forms import ERROR_STYLE, date_edit, day_text, pydate
from villagegov.ui.room import Room
from villagegov.ui.widgets import fit_columns, heading, reminders_panel

REMINDERS_SHOWN = 5
CHART_MIN_HEIGHT = 170  # pixels: a chart's bars and its month labels still read
WARN_STYLE = "color: #8a5a00;"

REMINDER_TEXTS = {
    OVERDUE_PETITION: N_("Overdue: {number} “{subject}” — {step} was due by {date}."),
    DUE_PETITION: N_("Due soon: {number} “{subject}” — {step} by {date}."),
    OVERDUE_MEDIATION: N_("Mediation {number} “{subject}” was to be concluded by {date}."),
    FOLLOW_UP_DUE: N_("Agreement {number} was to be performed by {date}: visit the parties."),
}


def reminder_text(r: Reminder) -> str:
    return _(REMINDER_TEXTS[r.kind]).format(
        number=r.number, subject=r.subject, step=petition_rules.step_label(r.step) if r.step else "",
        date=day_text(r.due_on),
    )  # fmt: skip


class LimitsDialog(RoomFormDialog):
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
            spin.setRange(0, petition_rules.MAX_LIMIT)
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
        # Everyone reads the limits; only the secretary sets them (the OK button says why not).
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        why = rules.room_actions(actor.role).why_not(rules.SET_LIMITS)
        ok.setEnabled(why is None)
        ok.setToolTip(why or "")

    def submit(self) -> service.Settings:
        values = {name: spin.value() for name, spin in self.spins.items()}
        limits = replace(self.current.limits, mediation_days=self.mediation_days.value(), **values)
        return service.update_settings(self.actor, service.Settings(limits, self.committee.text()))


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


class FiguresPage(Room):
    """The county's figures for any period: tables per ledger and for disputes, and two charts."""

    watches = frozenset({"petition", "petition_step", "mediation", "mediation_session"})

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.figures: rules.Figures | None = None
        self._loaded = False  # counted when the tab is first shown
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        today = self.today()
        self.start = date_edit(date(today.year, 1, 1))
        self.end = date_edit(date(today.year, 12, 31))
        show = QPushButton(_("Show"))
        show.clicked.connect(self.load)
        self.print_button = self.button(rules.PRINT_SUMMARY, _("Print summary…"), self.print_summary)
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
        for lg in (*petition_rules.LEDGERS, "mediation"):
            headers = MEDIATION_HEADERS if lg == "mediation" else FIGURE_HEADERS
            grid = QTableWidget(0, len(headers))
            grid.setHorizontalHeaderLabels([_(h) for h in headers])
            grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            grid.verticalHeader().setVisible(False)
            self.grids[lg] = grid
            self.tables.addTab(grid, _("Mediation") if lg == "mediation" else petition_rules.ledger_label(lg))
        splitter.addWidget(self.tables)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        self.petition_chart = BarChartView()
        self.mediation_chart = BarChartView()
        for chart in (self.petition_chart, self.mediation_chart):
            # Both charts share the height the tables leave, and ask for no more: at 1366×768 the
            # room's buttons stay inside the window.
            chart.setMinimumHeight(CHART_MIN_HEIGHT)
            chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            charts_layout.addWidget(chart)
        splitter.addWidget(charts)
        splitter.setSizes([640, 480])
        layout.addWidget(splitter, 1)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)  # counts again first if something changed while hidden
        if not self._loaded:
            self.load()

    def reload(self) -> None:
        self.load()

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
        f = self.read(service.figures, self.actor, *self.period())
        self.figures = f
        if f is None:
            self.show_allowed(
                {rules.PRINT_SUMMARY: refuse(N_("Choose a period whose figures can be shown."))}
            )
            return
        self.show_allowed(rules.room_actions(self.actor.role))
        span = f.months[0].year != f.months[-1].year
        for lg in petition_rules.LEDGERS:
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

    def print_summary(self) -> None:
        start, end = self.period()
        actor, today = self.actor, self.today()
        self.exec_dialog(
            period_paper(
                self, _("Summary"), documents.summary_stem(start, end),
                lambda paper: documents.summary_between(actor, start, end, paper, today),
            )
        )  # fmt: skip


# --- the room ------------------------------------------------------------------------------------------


class PetitionsRoom(Room):
    """The heading with the time limits, what is due, and the three tabs (each a room of its own)."""

    watches = frozenset({
        "petition", "petition_step", "petition_settings", "mediation", "mediation_session",
        "mediation_follow_up",
    })  # fmt: skip

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Villagers' ledgers and mediation")))
        top.addStretch(1)
        top.addWidget(self.button(rules.LIMITS, _("Time limits…"), self.edit_limits))
        layout.addLayout(top)
        self.reminders = reminders_panel("reminders")
        layout.addWidget(self.reminders)
        self.tabs = QTabWidget()
        self.petitions = PetitionsPage(actor)
        self.mediations = MediationsPage(actor)
        self.figures = FiguresPage(actor)
        self.tabs.addTab(self.petitions, _("Three ledgers"))
        self.tabs.addTab(self.mediations, _("Disputes and mediation"))
        self.tabs.addTab(self.figures, _("Figures"))
        layout.addWidget(self.tabs, 1)
        self.show_allowed(rules.room_actions(actor.role))
        provisional = self.read(petition_service.provisional_count, actor) if self.can_write else 0
        if provisional:
            # The calendar may have learnt next year's holidays since: count those deadlines again.
            self.write(petition_service.recount_deadlines, actor)
        self.load_reminders()

    def reload(self) -> None:
        self.load_reminders()

    def load_reminders(self) -> None:
        found = self.read(service.reminders, self.actor, self.today()) or []
        if not found:
            self.reminders.setText(html.escape(_("Nothing is due: every petition and dispute is on time.")))
            return
        lines = []
        for reminder in found[:REMINDERS_SHOWN]:
            text = html.escape(reminder_text(reminder))
            style = WARN_STYLE if reminder.kind == DUE_PETITION else ERROR_STYLE
            lines.append(f'• <span style="{style}">{text}</span>')
        if len(found) > REMINDERS_SHOWN:
            lines.append(html.escape(_("… and {n} more.").format(n=len(found) - REMINDERS_SHOWN)))
        self.reminders.setText("<br>".join(lines))

    def edit_limits(self) -> None:
        self.exec_dialog(LimitsDialog(self.actor, self))
