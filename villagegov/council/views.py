"""The 村民议事会 room: council terms and members, rules of procedure, meetings from plan to sign-off.

Screens only: every read and write goes through `villagegov.council.service` (and the roster's
service to choose members); the pure `rules` give names and labels, and `core/voting.py` shows the
outcome live while votes are typed (the service decides it again when they are saved).
Dialogs are run through `CouncilRoom.exec_dialog`, so a test can fill a dialog and take its accept
path without a modal loop.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from villagegov.core import clock, voting
from villagegov.core.actions import NOTHING_SELECTED, Allowed, refuse
from villagegov.core.actor import Actor
from villagegov.core.changes import Changes
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date, ngettext
from villagegov.council import documents, rules, service
from villagegov.roster import service as roster
from villagegov.ui import ops
from villagegov.ui.forms import ERROR_STYLE, OK_STYLE, FormDialog, date_edit, day_text, pydate
from villagegov.ui.pdf_preview import PdfPreviewDialog
from villagegov.ui.room import Room
from villagegov.ui.widgets import Column, RowsModel, fit_columns, heading, rows_view, yes_no

PICK_LIMIT = 50  # villagers listed at once while the clerk types a name
YEARS_BACK = 10


def _threshold_words(threshold: voting.Threshold, base: str) -> str:
    return voting.threshold_text(threshold, base)


# The counts before the state, which comes last and stretches (its English labels are long: the
# cell's tooltip says it whole), so that every column is on screen at 1366×768 in both languages.
MEETING_COLUMNS = (
    Column(N_("Meeting"), lambda r: r.title),
    Column(N_("Date"), lambda r: day_text(r.date)),
    Column(N_("Expected"), lambda r: r.expected, align_right=True),
    Column(N_("Present"), lambda r: r.present if r.state != rules.PLANNED else "", align_right=True),
    Column(N_("Items"), lambda r: r.items, align_right=True),
    Column(N_("Resolutions"), lambda r: r.resolutions, align_right=True),
    Column(N_("State"), lambda r: rules.state_label(r.state), tip=lambda r: rules.state_label(r.state)),
)


def _vote_text(item: service.ItemRow) -> str:
    """The counts in the agenda's narrow column: 赞6 反2 弃1 (in English 6-2-1); the cell's tooltip
    says them in full (`_vote_words`)."""
    if not item.for_vote:
        return _("Not voted on")
    if item.vote is None:
        return ""
    v = item.vote
    return _("{for_}-{against}-{abstain}").format(for_=v.for_, against=v.against, abstain=v.abstain)


def _vote_words(item: service.ItemRow) -> str:
    if item.vote is None:
        return ""
    v = item.vote
    return _("{for_} for, {against} against, {abstain} abstaining").format(
        for_=v.for_, against=v.against, abstain=v.abstain
    )


# The vote and its outcome right after the title, which is capped, so that they stay on screen at
# 1366×768 (issue 16).
ITEM_TITLE, ITEM_TITLE_WIDTH = 1, 200
AGENDA_WIDTH = 440
ITEM_COLUMNS = (
    Column(N_("No."), lambda i: i.order, align_right=True),
    Column(N_("Item"), lambda i: i.title, tip=lambda i: i.title),
    Column(N_("Vote"), _vote_text, tip=_vote_words),
    Column(N_("Outcome"), lambda i: voting.result_label(i.vote.outcome) if i.vote else ""),
    Column(N_("Resolution"), lambda i: i.resolution.number if i.resolution and not i.resolution.void else ""),
    Column(N_("Two-thirds"), lambda i: yes_no(i.needs_two_thirds)),
    Column(N_("Stepping aside"), lambda i: "、".join(r.name for r in i.recusals)),
    Column(N_("Proposer"), lambda i: i.proposer),
)
MEMBER_COLUMNS = (
    Column(N_("Name"), lambda m: m.name),
    Column(N_("Position"), lambda m: rules.role_label(m.role)),
    Column(N_("Group"), lambda m: m.group),
    Column(N_("Joined"), lambda m: day_text(m.joined_on)),
    Column(N_("Left"), lambda m: day_text(m.left_on)),
)
RULES_COLUMNS = (
    Column(N_("In force from"), lambda r: day_text(r.effective_from)),
    Column(N_("Quorum"), lambda r: _threshold_words(r.quorum, voting.MEMBERS)),
    Column(N_("Passes with"), lambda r: _threshold_words(r.pass_threshold, voting.PRESENT)),
    Column(N_("Two-thirds items"), lambda r: _threshold_words(r.two_thirds, voting.PRESENT)),
    Column(N_("Set by"), lambda r: r.set_by_name or r.set_by),
)


# --- small dialogs --------------------------------------------------------------------------------


class CouncilDialog(FormDialog):
    """A council term: its name and the first and last day of the term."""

    def __init__(self, actor: Actor, row: service.CouncilRow | None, parent: QWidget | None = None) -> None:
        super().__init__(_("Edit the council's term") if row else _("New council term"), parent)
        self.actor, self.row = actor, row
        self.name = QLineEdit(row.name if row else "")
        self.name.setPlaceholderText(_("Leave empty for the village's name + 村民议事会"))
        today = clock.today()
        self.start = date_edit(row.term_start if row else date(today.year, 1, 1))
        self.end = date_edit(row.term_end if row else date(today.year + 4, 12, 31))
        self.form.addRow(_("Name of the council"), self.name)
        self.form.addRow(_("Term starts"), self.start)
        self.form.addRow(_("Term ends"), self.end)
        self.finish()

    def submit(self) -> service.CouncilRow:
        if self.row is None:
            return service.create_council(self.actor, pydate(self.start), pydate(self.end), self.name.text())
        return service.update_council(
            self.actor, self.row.id, self.name.text(), pydate(self.start), pydate(self.end)
        )


class VillagerPicker(QWidget):
    """Type part of a name (or ID-card number, phone, household number); pick the villager.

    A villager added or renamed elsewhere while the dialog is open (the roster room, an import) shows
    at once: the picker hears what changed (ui/ops.py) and looks again, keeping the one chosen.
    """

    WATCHES = frozenset({"villager", "household", "villager_group"})

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Type a name to find the villager"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMinimumHeight(160)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self.search.textChanged.connect(self.find)
        ops.bus().changed.connect(self._changed)
        self.find()

    def _changed(self, what: Changes) -> None:
        if what.touches(self.WATCHES):
            self.find()

    def find(self) -> None:
        chosen = self.villager_id()
        filter_ = roster.VillagerFilter(text=self.search.text())
        rows = ops.read(self, roster.list_villagers, self.actor, filter_) or []
        self.results.clear()
        for row in rows[:PICK_LIMIT]:
            label = _("{name} ({group}, born {born})").format(
                name=row.name, group=row.group, born=row.birth_date.year
            )
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
            if row.id == chosen:
                self.results.setCurrentItem(item)
        if self.results.count() == 1:
            self.results.setCurrentRow(0)

    def villager_id(self) -> int | None:
        item = self.results.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


def _role_combo(current: str = rules.MEMBER) -> QComboBox:
    combo = QComboBox()
    for role in rules.ROLES:
        combo.addItem(rules.role_label(role), role)
    combo.setCurrentIndex(combo.findData(current))
    return combo


class MemberDialog(FormDialog):
    """A seat: a villager from the roster, the role, and the days it begins and ends."""

    def __init__(
        self, actor: Actor, council: service.CouncilRow, row: service.MemberRow | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(
            _("Edit the seat of {name}").format(name=row.name) if row else _("Add a member"), parent
        )
        self.actor, self.council, self.row = actor, council, row
        self.picker: VillagerPicker | None = None
        if row is None:
            self.picker = VillagerPicker(actor)
            self.form.addRow(_("Villager"), self.picker)
        else:
            self.form.addRow(_("Villager"), QLabel(row.name))
        self.role = _role_combo(row.role if row else rules.MEMBER)
        self.form.addRow(_("Position"), self.role)
        self.joined = date_edit(
            row.joined_on if row else max(council.term_start, min(clock.today(), council.term_end))
        )
        self.form.addRow(_("Joined on"), self.joined)
        self.has_left = QCheckBox(_("Left the council on"))
        self.left = date_edit(row.left_on if row and row.left_on else council.term_end)
        self.has_left.setChecked(bool(row and row.left_on))
        self.left.setEnabled(self.has_left.isChecked())
        self.has_left.toggled.connect(self.left.setEnabled)
        left = QHBoxLayout()
        left.addWidget(self.has_left)
        left.addWidget(self.left)
        left.addStretch(1)
        self.form.addRow("", left)
        self.finish()

    def submit(self) -> service.MemberRow:
        left = pydate(self.left) if self.has_left.isChecked() else None
        role = self.role.currentData()
        if self.row is not None:
            return service.update_member(self.actor, self.row.id, role, pydate(self.joined), left)
        assert self.picker is not None
        villager = self.picker.villager_id()
        if villager is None:
            raise VillagegovError(N_("Choose the villager from the list."))
        return service.add_member(self.actor, self.council.id, villager, role, pydate(self.joined), left)


class RoleChangeDialog(FormDialog):
    """A member takes another role from a day: the old seat ends, a new one begins."""

    def __init__(self, actor: Actor, row: service.MemberRow, parent: QWidget | None = None) -> None:
        super().__init__(_("Change the role of {name}").format(name=row.name), parent)
        self.actor, self.row = actor, row
        self.role = _role_combo(row.role)
        self.form.addRow(_("New role"), self.role)
        self.from_day = date_edit(clock.today())
        self.form.addRow(_("From"), self.from_day)
        self.finish()

    def submit(self) -> service.MemberRow:
        return service.change_role(self.actor, self.row.id, self.role.currentData(), pydate(self.from_day))


class _ThresholdEdit(QWidget):
    """A share as two whole numbers (2/3) and whether it is "more than" (过半数) or "at least" (以上)."""

    def __init__(self, threshold: voting.Threshold, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox()
        self.kind.addItem(_("at least"), False)
        self.kind.addItem(_("more than"), True)
        self.kind.setCurrentIndex(1 if threshold.strict else 0)
        self.numerator = QSpinBox()
        self.numerator.setRange(1, 99)
        self.numerator.setValue(threshold.fraction.numerator)
        self.denominator = QSpinBox()
        self.denominator.setRange(1, 99)
        self.denominator.setValue(threshold.fraction.denominator)
        layout.addWidget(self.kind)
        layout.addWidget(self.numerator)
        layout.addWidget(QLabel("/"))
        layout.addWidget(self.denominator)
        layout.addStretch(1)

    def threshold(self) -> voting.Threshold:
        return rules.threshold(self.numerator.value(), self.denominator.value(), self.kind.currentData())


class RulesDialog(FormDialog):
    """The secretary sets the council's thresholds from a day on; meetings already held keep theirs."""

    def __init__(
        self, actor: Actor, council: service.CouncilRow, current: service.RulesRow | None, today: date,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(_("New rules of procedure"), parent)
        self.actor, self.council = actor, council
        version = current.version() if current else rules.RulesVersion(council.term_start)
        self.effective_from = date_edit(max(council.term_start, min(today, council.term_end)))
        self.form.addRow(_("In force from"), self.effective_from)
        self.quorum = _ThresholdEdit(version.quorum)
        self.form.addRow(_("Quorum: present of the members"), self.quorum)
        self.pass_threshold = _ThresholdEdit(version.pass_threshold)
        self.form.addRow(_("An item passes with, of those present"), self.pass_threshold)
        self.two_thirds = _ThresholdEdit(version.two_thirds)
        self.form.addRow(_("A two-thirds item passes with"), self.two_thirds)
        note = QLabel(_("Meetings already held keep the rules they were held under."))
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.finish()

    def submit(self) -> service.RulesRow:
        return service.set_council_rules(
            self.actor, self.council.id, pydate(self.effective_from), self.quorum.threshold(),
            self.pass_threshold.threshold(), self.two_thirds.threshold(),
        )  # fmt: skip


class _PersonBox(QComboBox):
    """A member chosen from the list, or a name typed in (the recorder is often the clerk)."""

    def __init__(self, members: list[service.MemberRow], current: rules.Person) -> None:
        super().__init__()
        self.setEditable(True)
        self.addItem("", None)
        for m in members:
            self.addItem(m.name, m.villager_id)
        if current.name:
            index = self.findText(current.name)
            if index >= 0:
                self.setCurrentIndex(index)
            else:
                self.setEditText(current.name)

    def person(self) -> rules.Person:
        name = self.currentText().strip()
        index = self.findText(name)
        villager = self.itemData(index) if index >= 0 else None
        return rules.Person(name, villager)


class MeetingDialog(FormDialog):
    """Prepare a meeting: date and time, place, who convenes, chairs and records."""

    def __init__(
        self, actor: Actor, council: service.CouncilRow, detail: service.MeetingDetail | None,
        default_day: date, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(
            _("Edit {meeting}").format(meeting=detail.title) if detail else _("Prepare a meeting"), parent
        )
        self.actor, self.council, self.detail = actor, council, detail
        data = detail.as_input() if detail else None
        on = data.date if data else default_day
        members = ops.read(parent, service.list_members, actor, council.id, on) or []
        chair = next((m for m in members if m.role == rules.CHAIR), None)
        default = rules.Person(chair.name, chair.villager_id) if chair else rules.Person()
        self.date = date_edit(data.date if data else default_day)
        self.time = QLineEdit(data.time if data else "14:30")
        self.time.setPlaceholderText("14:30")
        self.place = QLineEdit(data.place if data else _("Village committee meeting room"))
        self.convener = _PersonBox(members, data.convener if data else default)
        self.chair = _PersonBox(members, data.chair if data else default)
        self.recorder = _PersonBox(members, data.recorder if data else rules.Person(actor.display_name))
        self.form.addRow(_("Date"), self.date)
        self.form.addRow(_("Time"), self.time)
        self.form.addRow(_("Place"), self.place)
        self.form.addRow(_("Convened by"), self.convener)
        self.form.addRow(_("Chaired by"), self.chair)
        self.form.addRow(_("Recorded by"), self.recorder)
        if detail is None:
            self.form.addRow("", QLabel(_("The meeting takes the term's next number.")))
        self.finish()

    def data(self) -> rules.MeetingInput:
        return rules.MeetingInput(
            pydate(self.date), self.place.text(), self.time.text(), self.convener.person(),
            self.chair.person(), self.recorder.person(),
        )  # fmt: skip

    def submit(self) -> service.MeetingDetail:
        if self.detail is None:
            return service.create_meeting(self.actor, self.council.id, self.data())
        return service.update_meeting(self.actor, self.detail.id, self.data())


class ItemDialog(FormDialog):
    """An agenda item: its title, who proposed it, the background, and how it is decided."""

    def __init__(
        self, actor: Actor, meeting: service.MeetingDetail, item: service.ItemRow | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(_("Edit the item") if item else _("Add an agenda item"), parent)
        self.actor, self.meeting, self.item = actor, meeting, item
        self.title = QLineEdit(item.title if item else "")
        self.proposer = QLineEdit(item.proposer if item else "")
        self.proposer.setPlaceholderText(_("A member, the village committee, the party branch…"))
        self.background = QPlainTextEdit(item.background if item else "")
        self.for_vote = QCheckBox(_("Voted on (leave unticked for a report heard without a vote)"))
        self.for_vote.setChecked(item.for_vote if item else True)
        self.two_thirds = QCheckBox(_("Needs two-thirds to pass"))
        self.two_thirds.setChecked(bool(item and item.needs_two_thirds))
        self.for_vote.toggled.connect(self._update)
        self.form.addRow(_("Title"), self.title)
        self.form.addRow(_("Proposer"), self.proposer)
        self.form.addRow(_("Background"), self.background)
        self.form.addRow("", self.for_vote)
        self.form.addRow("", self.two_thirds)
        self._update()
        self.finish()

    def _update(self) -> None:
        self.two_thirds.setEnabled(self.for_vote.isChecked())
        if not self.for_vote.isChecked():
            self.two_thirds.setChecked(False)

    def submit(self) -> service.ItemRow:
        data = rules.ItemInput(
            self.title.text(), self.proposer.text(), self.background.toPlainText(),
            self.two_thirds.isChecked(), self.for_vote.isChecked(),
        )  # fmt: skip
        if self.item is None:
            return service.add_item(self.actor, self.meeting.id, data)
        return service.update_item(self.actor, self.item.id, data)


class ObserverDialog(FormDialog):
    """列席: someone who sits in without a vote."""

    def __init__(self, actor: Actor, meeting: service.MeetingDetail, parent: QWidget | None = None) -> None:
        super().__init__(_("Add an observer"), parent)
        self.actor, self.meeting = actor, meeting
        self.name = QLineEdit()
        self.kind = QComboBox()
        for kind in rules.OBSERVER_KINDS:
            self.kind.addItem(rules.observer_label(kind), kind)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Position, e.g. director of the supervisory committee"))
        self.form.addRow(_("Name"), self.name)
        self.form.addRow(_("Sits in for"), self.kind)
        self.form.addRow(_("Position"), self.note)
        self.finish()

    def submit(self) -> service.ObserverRow:
        return service.add_observer(
            self.actor, self.meeting.id, self.name.text(), self.kind.currentData(), self.note.text()
        )


class AttendanceDialog(FormDialog):
    """Who came: every member holding a seat on the meeting's day, present or absent with a reason."""

    def __init__(
        self, actor: Actor, meeting: service.MeetingDetail, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Attendance at {meeting}").format(meeting=meeting.title), parent)
        self.actor, self.meeting, self.today = actor, meeting, today
        self.setMinimumWidth(640)
        self.grid = QTableWidget(len(meeting.attendance), 3)
        self.grid.setHorizontalHeaderLabels([_("Member"), _("Present"), _("Reason for absence")])
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.verticalHeader().setVisible(False)
        self.present: list[QCheckBox] = []
        self.reasons: list[QLineEdit] = []
        for row, a in enumerate(meeting.attendance):
            name = QTableWidgetItem(f"{a.name}（{rules.role_label(a.role)}）")
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.grid.setItem(row, 0, name)
            box = QCheckBox()
            box.setChecked(a.status != rules.ABSENT)
            box.toggled.connect(self._update)
            self.grid.setCellWidget(row, 1, box)
            reason = QLineEdit(a.reason)
            reason.setPlaceholderText(_("e.g. working away, on leave"))
            self.grid.setCellWidget(row, 2, reason)
            self.present.append(box)
            self.reasons.append(reason)
        fit_columns(self.grid)
        self.layout_.insertWidget(0, self.grid, 1)
        self.quorum = QLabel()
        self.quorum.setWordWrap(True)
        self.layout_.insertWidget(1, self.quorum)
        self.finish()
        self._update()

    def _update(self) -> None:
        present = sum(box.isChecked() for box in self.present)
        needed = self.meeting.quorum_needed
        text = _("{present} of {expected} present; the quorum is {needed}.").format(
            present=present, expected=self.meeting.expected, needed=needed
        )
        if present >= needed:
            verdict = _("The meeting may sit.")
        else:
            verdict = _("Not enough: the meeting is recorded as not held.")
        self.quorum.setText(_("{sentence} {another}").format(sentence=text, another=verdict))
        self.quorum.setStyleSheet(OK_STYLE if present >= needed else ERROR_STYLE)
        for box, reason in zip(self.present, self.reasons, strict=True):
            reason.setEnabled(not box.isChecked())

    def set_absent(self, member_id: int, reason: str) -> None:
        """Mark one member absent (what the clerk does with a click and a typed reason)."""
        index = [a.member_id for a in self.meeting.attendance].index(member_id)
        self.present[index].setChecked(False)
        self.reasons[index].setText(reason)

    def submit(self) -> service.MeetingDetail:
        entries = [
            rules.AttendanceInput(a.member_id, box.isChecked(), reason.text())
            for a, box, reason in zip(self.meeting.attendance, self.present, self.reasons, strict=True)
        ]
        return service.record_attendance(self.actor, self.meeting.id, entries, today=self.today)


def _present(meeting: service.MeetingDetail) -> list[service.AttendanceRow]:
    return [a for a in meeting.attendance if a.status == rules.PRESENT]


class RecusalDialog(FormDialog):
    """回避: the members present who step aside for this item, and why."""

    def __init__(
        self,
        actor: Actor,
        meeting: service.MeetingDetail,
        item: service.ItemRow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Stepping aside for {item}").format(item=item.title), parent)
        self.actor, self.item = actor, item
        known = {r.member_id: r.reason for r in item.recusals}
        self.rows: list[tuple[int, QCheckBox, QLineEdit]] = []
        for a in _present(meeting):
            box = QCheckBox(a.name)
            box.setChecked(a.member_id in known)
            reason = QLineEdit(known.get(a.member_id, ""))
            reason.setPlaceholderText(_("The conflict of interest"))
            line = QHBoxLayout()
            line.addWidget(box)
            line.addWidget(reason, 1)
            self.form.addRow(line)
            self.rows.append((a.member_id, box, reason))
        self.finish()

    def submit(self) -> service.ItemRow:
        chosen = [rules.RecusalInput(m, reason.text()) for m, box, reason in self.rows if box.isChecked()]
        return service.set_recusals(self.actor, self.item.id, chosen)


class VoteDialog(FormDialog):
    """An item's vote: counts for / against / abstaining, or a roll call; the outcome is computed."""

    def __init__(
        self,
        actor: Actor,
        meeting: service.MeetingDetail,
        item: service.ItemRow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Vote on {item}").format(item=item.title), parent)
        self.actor, self.meeting, self.item = actor, meeting, item
        recused = {r.member_id for r in item.recusals}
        self.eligible = [a for a in _present(meeting) if a.member_id not in recused]
        self.rule = meeting.rules_version.version().rule(item.needs_two_thirds)
        template = _("{eligible} may vote ({present} present, {recused} stepping aside). Passes with {rule}.")
        info = template.format(
            eligible=len(self.eligible), present=meeting.present, recused=len(recused),
            rule=voting.threshold_text(self.rule.pass_threshold, self.rule.pass_base),
        )  # fmt: skip
        label = QLabel(info)
        label.setWordWrap(True)
        self.form.addRow(label)
        self.by_counts = QRadioButton(_("Counts (show of hands)"))
        self.by_roll_call = QRadioButton(_("Roll call, member by member"))
        modes = QHBoxLayout()
        modes.addWidget(self.by_counts)
        modes.addWidget(self.by_roll_call)
        modes.addStretch(1)
        self.form.addRow(modes)
        self.pages = QStackedWidget()
        counts = QWidget()
        counts_form = QFormLayout(counts)
        self.for_, self.against, self.abstain = QSpinBox(), QSpinBox(), QSpinBox()
        for spin, caption in (
            (self.for_, _("For")),
            (self.against, _("Against")),
            (self.abstain, _("Abstain")),
        ):
            spin.setRange(0, max(len(self.eligible), 0))
            spin.valueChanged.connect(self._update)
            counts_form.addRow(caption, spin)
        self.pages.addWidget(counts)
        self.roll = QTableWidget(len(self.eligible), 2)
        self.roll.setHorizontalHeaderLabels([_("Member"), _("Vote")])
        self.roll.horizontalHeader().setStretchLastSection(True)
        self.roll.verticalHeader().setVisible(False)
        self.choices: dict[int, QComboBox] = {}
        earlier = {r.member_id: r.choice for r in (item.vote.roll_call if item.vote else ())}
        for row, a in enumerate(self.eligible):
            name = QTableWidgetItem(a.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.roll.setItem(row, 0, name)
            combo = QComboBox()
            combo.addItem(_("Did not vote"), None)
            for choice in rules.CHOICES:
                combo.addItem(rules.choice_label(choice), choice)
            combo.setCurrentIndex(max(combo.findData(earlier.get(a.member_id)), 0))
            combo.currentIndexChanged.connect(self._update)
            self.roll.setCellWidget(row, 1, combo)
            self.choices[a.member_id] = combo
        self.pages.addWidget(self.roll)
        self.form.addRow(self.pages)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.form.addRow(_("Outcome"), self.outcome)
        if item.vote is not None and item.vote.method == rules.ROLL_CALL:
            self.by_roll_call.setChecked(True)
        else:
            self.by_counts.setChecked(True)
            if item.vote is not None:
                self.for_.setValue(item.vote.for_)
                self.against.setValue(item.vote.against)
                self.abstain.setValue(item.vote.abstain)
        self.by_counts.toggled.connect(self._update)
        self.finish()
        self._update()

    def counts(self) -> tuple[int, int, int]:
        if self.by_counts.isChecked():
            return self.for_.value(), self.against.value(), self.abstain.value()
        picked = [c.currentData() for c in self.choices.values()]
        return picked.count(rules.FOR), picked.count(rules.AGAINST), picked.count(rules.ABSTAIN)

    def _update(self) -> None:
        self.pages.setCurrentIndex(0 if self.by_counts.isChecked() else 1)
        for_, against, abstain = self.counts()
        recused = len(self.item.recusals)
        counts = voting.Counts(self.meeting.expected, self.meeting.present, recused, for_, against, abstain)
        try:
            outcome = voting.tally(self.rule, counts)
        except VillagegovError as exc:
            self.outcome.setText(exc.message())
            self.outcome.setStyleSheet(ERROR_STYLE)
            return
        text = _("{outcome}: {for_} for, {needed} needed.").format(
            outcome=outcome.label(), for_=for_, needed=outcome.needed
        )
        self.outcome.setText(text)
        self.outcome.setStyleSheet(OK_STYLE if outcome.passed else ERROR_STYLE)

    def submit(self) -> service.ItemRow:
        if self.by_counts.isChecked():
            for_, against, abstain = self.counts()
            return service.record_votes(self.actor, self.item.id, for_, against, abstain)
        choices = {m: c.currentData() for m, c in self.choices.items() if c.currentData() is not None}
        return service.record_roll_call(self.actor, self.item.id, choices)


class MinutesDialog(FormDialog):
    """What was said: on the meeting as a whole, and on each item."""

    def __init__(self, actor: Actor, meeting: service.MeetingDetail, parent: QWidget | None = None) -> None:
        super().__init__(_("Minutes of {meeting}").format(meeting=meeting.title), parent)
        self.actor, self.meeting = actor, meeting
        self.resize(760, 600)
        self.tabs = QTabWidget()
        self.general = QPlainTextEdit(meeting.minutes)
        self.general.setPlaceholderText(_("Who chaired, how the meeting went, anything said on the whole."))
        self.tabs.addTab(self.general, _("The meeting"))
        self.items: dict[int, QPlainTextEdit] = {}
        if meeting.state != rules.NOT_HELD:
            for item in meeting.items:
                edit = QPlainTextEdit(item.minutes)
                edit.setPlaceholderText(_("What was said on this item."))
                self.tabs.addTab(edit, _("Item {n}").format(n=item.order))
                self.items[item.id] = edit
        self.layout_.insertWidget(0, self.tabs, 1)
        self.finish()

    def submit(self) -> service.MeetingDetail:
        detail = service.set_minutes(self.actor, self.meeting.id, self.general.toPlainText())
        for item_id, edit in self.items.items():
            detail = service.set_minutes(self.actor, self.meeting.id, edit.toPlainText(), item_id)
        return detail


class ResolutionDialog(FormDialog):
    """A passed item's resolution: its title and what was resolved."""

    def __init__(
        self, actor: Actor, resolution: service.ResolutionRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Resolution {number}").format(number=resolution.number), parent)
        self.actor, self.resolution = actor, resolution
        self.title = QLineEdit(resolution.title)
        self.text = QPlainTextEdit(resolution.text)
        self.text.setPlaceholderText(_("What the council resolved, one point a line."))
        self.form.addRow(_("Title"), self.title)
        self.form.addRow(_("Text"), self.text)
        self.finish()

    def submit(self) -> service.ResolutionRow:
        return service.update_resolution(
            self.actor, self.resolution.id, self.title.text(), self.text.toPlainText()
        )


class SignOffDialog(FormDialog):
    """The chair's or the recorder's signature on the record; with both, the meeting is finalised."""

    def __init__(
        self, actor: Actor, meeting: service.MeetingDetail, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Sign the record of {meeting}").format(meeting=meeting.title), parent)
        self.actor, self.meeting, self.today = actor, meeting, today
        self.signer = QComboBox()
        allowed = meeting.actions(actor.role, today)
        for signer, name in (("chair", meeting.chair.name), ("recorder", meeting.recorder.name)):
            if allowed.may(rules.sign_action(signer)):
                who = _(rules.SIGNER_LABELS[signer])
                self.signer.addItem(_("{who}: {name}").format(who=who, name=name or "—"), signer)
        self.signed_on = date_edit(today)
        self.form.addRow(_("Who signs"), self.signer)
        self.form.addRow(_("Signed on"), self.signed_on)
        note = QLabel(
            _("Once both have signed, the record is finalised and locked; later corrections are amendments.")
        )
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.finish()

    def submit(self) -> service.MeetingDetail:
        return service.sign_off(
            self.actor, self.meeting.id, self.signer.currentData(), pydate(self.signed_on), today=self.today
        )


def amendable_parts(meeting: service.MeetingDetail) -> list[tuple[str, str, int, str]]:
    """(what, target, row id, original) for every part of a finalised record that may be corrected."""
    parts: list[tuple[str, str, int, str]] = [
        (rules.amendment_label("meeting.place"), "meeting.place", meeting.id, meeting.place),
        (rules.amendment_label("meeting.time"), "meeting.time", meeting.id, meeting.time),
    ]
    if meeting.minutes_id is not None:
        parts.append((_("Minutes of the meeting"), "minutes.text", meeting.minutes_id, meeting.minutes))
    for item in meeting.items:
        prefix = _("Item {n}").format(n=item.order)
        for target, original in (
            ("agenda_item.title", item.title), ("agenda_item.proposer", item.proposer),
            ("agenda_item.background", item.background),
        ):  # fmt: skip
            parts.append((f"{prefix} · {rules.amendment_label(target)}", target, item.id, original))
        if item.minutes_id is not None:
            what = f"{prefix} · {rules.amendment_label('minutes.text')}"
            parts.append((what, "minutes.text", item.minutes_id,
                          item.minutes))  # fmt: skip
        if item.resolution is not None and not item.resolution.void:
            for target, original in (
                ("resolution.title", item.resolution.title), ("resolution.text", item.resolution.text),
            ):  # fmt: skip
                parts.append(
                    (f"{prefix} · {rules.amendment_label(target)}", target, item.resolution.id, original)
                )
    for a in meeting.attendance:
        if a.status == rules.ABSENT and a.id is not None:
            what = f"{a.name} · {rules.amendment_label('attendance.reason')}"
            parts.append((what, "attendance.reason", a.id,
                          a.reason))  # fmt: skip
    for o in meeting.observers:
        parts.append((f"{o.name} · {rules.amendment_label('observer.name')}", "observer.name", o.id, o.name))
    return parts


class AmendDialog(FormDialog):
    """Correct a finalised record: the corrected text takes its place, the original is kept beside it."""

    def __init__(self, actor: Actor, meeting: service.MeetingDetail, parent: QWidget | None = None) -> None:
        super().__init__(_("Correct the record of {meeting}").format(meeting=meeting.title), parent)
        self.actor, self.meeting = actor, meeting
        self.resize(680, 520)
        self.parts = amendable_parts(meeting)
        self.part = QComboBox()
        for what, *_rest in self.parts:
            self.part.addItem(what)
        self.original = QPlainTextEdit()
        self.original.setReadOnly(True)
        self.corrected = QPlainTextEdit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why, and who confirmed it"))
        self.form.addRow(_("Part of the record"), self.part)
        self.form.addRow(_("Original"), self.original)
        self.form.addRow(_("Corrected"), self.corrected)
        self.form.addRow(_("Reason"), self.reason)
        self.part.currentIndexChanged.connect(self._show)
        self._show()
        self.finish()

    def choose(self, target: str, target_id: int) -> None:
        for index, (_what, t, i, _original) in enumerate(self.parts):
            if (t, i) == (target, target_id):
                self.part.setCurrentIndex(index)
                return
        raise KeyError(target)

    def _show(self) -> None:
        original = self.parts[self.part.currentIndex()][3] if self.parts else ""
        self.original.setPlainText(original)
        self.corrected.setPlainText(original)

    def submit(self) -> service.AmendmentRow:
        _what, target, target_id, _original = self.parts[self.part.currentIndex()]
        return service.amend(
            self.actor, self.meeting.id, target, target_id, self.corrected.toPlainText(), self.reason.text()
        )


# --- the room -------------------------------------------------------------------------------------


class CouncilRoom(Room):
    # What the room shows: the council's records, the villagers' names and groups beside them, and
    # the 四议两公开 step an agenda item holds.
    watches = frozenset({
        "council", "council_member", "council_rules", "meeting", "agenda_item", "attendance", "observer",
        "recusal", "vote", "roll_call_vote", "resolution", "minutes", "amendment", "villager", "household",
        "villager_group", "decision", "decision_step", "user",
    })  # fmt: skip

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.council: service.CouncilRow | None = None
        self.detail: service.MeetingDetail | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Villagers' council")))
        top.addStretch(1)
        top.addWidget(QLabel(_("Term:")))
        self.councils = QComboBox()
        self.councils.setMinimumWidth(280)
        self.councils.currentIndexChanged.connect(self._council_chosen)
        top.addWidget(self.councils)
        top.addWidget(self.button(rules.NEW_TERM, _("New term…"), self.new_council))
        top.addWidget(self.button(rules.EDIT_TERM, _("Edit term…"), self.edit_council))
        layout.addLayout(top)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._meetings_tab(), _("Meetings"))
        self.tabs.addTab(self._members_tab(), _("Members of the council"))
        self.tabs.addTab(self._rules_tab(), _("Rules of procedure"))
        self.load_councils()

    def _meetings_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        filters = QHBoxLayout()
        self.year = QComboBox()
        self.year.addItem(_("All years"), None)
        for y in range(self.today().year + 1, self.today().year - YEARS_BACK, -1):
            self.year.addItem(str(y), y)
        self.year.currentIndexChanged.connect(lambda *args: self.load_meetings())
        filters.addWidget(QLabel(_("Year:")))
        filters.addWidget(self.year)
        filters.addStretch(1)
        self.count = QLabel()
        filters.addWidget(self.count)
        layout.addLayout(filters)
        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self._split_fitted = False
        self.meetings = RowsModel(MEETING_COLUMNS, self)
        self.meeting_view = rows_view(
            self.meetings,
            _(
                "No meetings in this term and year. “Prepare meeting…” plans one; a new village first sets "
                "up its council with “New term…”."
            ),
        )
        self.meeting_view.selectionModel().selectionChanged.connect(self.show_selected)
        splitter.addWidget(self.meeting_view)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        right_layout.addWidget(self.details, 3)
        right_layout.addWidget(QLabel(_("Agenda")))
        self.items = RowsModel(ITEM_COLUMNS, self)
        self.item_view = rows_view(self.items, _("No items on the agenda yet: “Add item…” puts one on it."))
        self.item_view.selectionModel().selectionChanged.connect(self.update_buttons)
        right_layout.addWidget(self.item_view, 2)
        # Read only: which 四议两公开 step the selected item holds (the decisions room keeps the link).
        self.item_step = QLabel()
        self.item_step.setObjectName("item_step")
        self.item_step.setWordWrap(True)
        self.item_step.hide()
        self.item_view.selectionModel().selectionChanged.connect(self.show_item_step)
        right_layout.addWidget(self.item_step)
        splitter.addWidget(right)
        # The meetings list as wide as its columns (`_fit_split`), the agenda and details the rest.
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 540])
        layout.addWidget(splitter, 1)
        # One row for the meeting, one for its items, one for its papers.
        layout.addLayout(self.button_bar((
            (rules.NEW_MEETING, _("Prepare meeting…"), self.new_meeting),
            (rules.EDIT_MEETING, _("Edit meeting…"), self.edit_meeting),
            (rules.DELETE_MEETING, _("Delete meeting"), self.delete_meeting),
            (rules.ADD_OBSERVER, _("Add observer…"), self.add_observer),
            (rules.RECORD_ATTENDANCE, _("Attendance…"), self.attendance),
            (rules.MINUTES, _("Minutes…"), self.minutes),
            (rules.SIGN_OFF, _("Sign off…"), self.sign_off),
            (rules.WITHDRAW_SIGNATURE, _("Withdraw signature"), self.withdraw_signature),
            (rules.CORRECT, _("Correct…"), self.amend),
        )))  # fmt: skip
        layout.addLayout(self.button_bar((
            (rules.ADD_ITEM, _("Add item…"), self.add_item),
            (rules.EDIT_ITEM, _("Edit item…"), self.edit_item),
            (rules.REMOVE_ITEM, _("Remove item"), self.remove_item),
            (rules.RECUSALS, _("Stepping aside…"), self.recusals),
            (rules.VOTE, _("Enter vote…"), self.vote),
            (rules.CLEAR_VOTE, _("Clear vote"), self.clear_vote),
            (rules.RESOLUTION, _("Resolution…"), self.resolution),
        )))  # fmt: skip
        layout.addLayout(self.button_bar((
            (rules.PRINT_NOTICE, _("Print meeting notice…"), self.print_notice),
            (rules.PRINT_SIGN_IN, _("Print sign-in sheet…"), self.print_sign_in),
            (rules.PRINT_MINUTES, _("Print minutes…"), self.print_minutes),
            (rules.PRINT_RESOLUTION, _("Print resolution…"), self.print_resolution),
        )))  # fmt: skip
        return page

    def _members_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.members = RowsModel(MEMBER_COLUMNS, self)
        self.member_view = rows_view(
            self.members, _("No members yet: “Add member…” seats a villager from the roster.")
        )
        self.member_view.selectionModel().selectionChanged.connect(self.update_buttons)
        layout.addWidget(self.member_view, 1)
        layout.addLayout(self.button_bar((
            (rules.ADD_MEMBER, _("Add member…"), self.add_member),
            (rules.EDIT_SEAT, _("Edit seat…"), self.edit_member),
            (rules.CHANGE_ROLE, _("Change role…"), self.change_role),
            (rules.REMOVE_SEAT, _("Remove seat"), self.remove_member),
        )))  # fmt: skip
        return page

    def _rules_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        note = QLabel(
            _(
                "The council's own rules: how many members must be present, and how many votes an item "
                "needs. Each meeting is decided under the version in force on its day; only the party "
                "secretary sets "
                "a new version."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.versions = RowsModel(RULES_COLUMNS, self)
        self.version_view = rows_view(self.versions)
        layout.addWidget(self.version_view, 1)
        layout.addLayout(self.button_bar(((rules.NEW_RULES, _("New version…"), self.new_rules),)))
        return page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_fitted:
            QTimer.singleShot(0, self._fit_split)  # once laid out at the window's size

    def _fit_split(self) -> None:
        """The meetings list as wide as its columns need (they differ by language), the rest to the
        agenda, which keeps at least AGENDA_WIDTH so that each item's vote and outcome are on screen."""
        total = sum(self.splitter.sizes())
        if total <= 0 or not self.meetings.rowCount():
            return
        view, header = self.meeting_view, self.meeting_view.horizontalHeader()
        last = header.count() - 1
        need = sum(header.sectionSize(i) for i in range(last)) + max(
            header.sectionSizeFromContents(last).width(), view.sizeHintForColumn(last)
        )  # fmt: skip
        need += view.verticalScrollBar().sizeHint().width() + 2 * view.frameWidth()
        left = max(total // 3, min(need, total - AGENDA_WIDTH))
        self.splitter.setSizes([left, total - left])
        self._split_fitted = True

    # --- loading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Everything again, keeping the term, the meeting, the item and the member chosen."""
        self.load_councils()

    def load_councils(self, select: int | None = None) -> None:
        rows = self.read(service.list_councils, self.actor) or []
        keep = select if select is not None else (self.council.id if self.council else None)
        if keep is None:
            current = next((c for c in rows if c.term_start <= self.today() <= c.term_end), None)
            keep = current.id if current else (rows[0].id if rows else None)
        self.councils.blockSignals(True)
        self.councils.clear()
        for c in rows:
            self.councils.addItem(
                _("{name} ({start} to {end})").format(
                    name=c.name, start=c.term_start.year, end=c.term_end.year
                ),
                c,
            )
        ids = [c.id for c in rows]
        self.councils.setCurrentIndex(ids.index(keep) if keep in ids else -1)
        self.councils.blockSignals(False)
        chosen = self.councils.currentData()
        if (chosen.id if chosen else None) != (self.council.id if self.council else None):
            self.detail = None  # another term: its own meetings
        self.council = chosen
        self._load_term()

    def _council_chosen(self) -> None:
        self.council = self.councils.currentData()
        self.detail = None
        self._load_term()

    def _load_term(self) -> None:
        self.load_meetings()
        self.load_members()
        self.load_rules()

    def load_meetings(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.detail.id if self.detail else None)
        rows: list[service.MeetingRow] = []
        if self.council is not None:
            year = self.year.currentData()
            rows = self.read(service.list_meetings, self.actor, year, self.council.id) or []
        self.meetings.set_rows(rows)
        self.count.setText(ngettext("{n} meeting", "{n} meetings", len(rows)).format(n=len(rows)))
        if not self.meeting_view.select_record(keep):
            self.show_detail(None)
        elif self.meeting_view.selected_id() == keep:
            self.show_selected()  # the same row again: selectionChanged is not emitted

    def load_members(self, select: int | None = None) -> None:
        chosen = self.selected_member()
        keep = select if select is not None else (chosen.id if chosen else None)
        rows = self.read(service.list_members, self.actor, self.council.id) if self.council else []
        self.members.set_rows(rows or [])
        ids = [m.id for m in self.members.rows()]
        if keep in ids:
            self.member_view.selectRow(ids.index(keep))
        self.update_buttons()

    def load_rules(self) -> None:
        rows = self.read(service.council_rules, self.actor, self.council.id) if self.council else []
        self.versions.set_rows(list(reversed(rows or [])))

    def show_selected(self) -> None:
        meeting_id = self.meeting_view.selected_id()
        self.show_detail(self.read(service.get_meeting, self.actor, meeting_id) if meeting_id else None)

    def show_detail(self, detail: service.MeetingDetail | None) -> None:
        item = self.selected_item()
        keep = item.id if item is not None and self.detail is not None and detail is not None and (
            self.detail.id == detail.id
        ) else None  # fmt: skip
        self.detail = detail
        self.details.setHtml(self.detail_html(detail) if detail else "")
        self.items.set_rows(list(detail.items) if detail else [])
        fit_columns(self.item_view)  # a meeting's votes may be wider than the last one's
        header = self.item_view.horizontalHeader()
        if header.sectionSize(ITEM_TITLE) > ITEM_TITLE_WIDTH:  # the full title is the cell's tooltip
            header.resizeSection(ITEM_TITLE, ITEM_TITLE_WIDTH)
        self.item_view.select_record(keep)
        self.show_item_step()
        self.update_buttons()

    def show_item_step(self) -> None:
        """The line under the agenda: the major matter and the 四议两公开 step the selected item holds."""
        from villagegov.decisions import rules as decision_rules
        from villagegov.decisions import service as decisions

        item = self.selected_item()
        ref = self.read(decisions.step_for_agenda_item, self.actor, item.id) if item is not None else None
        if ref is None:
            self.item_step.hide()
            return
        self.item_step.setText(
            _("Four deliberations, two disclosures: this item holds {step} of {number} {title}.").format(
                step=decision_rules.step_title(ref.step), number=ref.number, title=ref.title
            )
        )
        self.item_step.show()

    def detail_html(self, d: service.MeetingDetail) -> str:
        e = html.escape
        out = [f"<h3>{e(d.council_name)} {e(d.title)}</h3>"]
        version = d.rules_version
        facts: list[tuple[str, str]] = [
            (_("State"), rules.state_label(d.state)),
            (_("Date"), f"{format_date(d.date)} {d.time}".strip()),
            (_("Place"), d.place),
            (_("Convened by"), d.convener.name),
            (_("Chaired by"), d.chair.name),
            (_("Recorded by"), d.recorder.name),
            (
                _("Quorum"),
                _("{rule}: {needed} of {expected}").format(
                    rule=voting.threshold_text(version.quorum, voting.MEMBERS), needed=d.quorum_needed,
                    expected=d.expected,
                ),
            ),
        ]  # fmt: skip
        if d.state != rules.PLANNED:
            absent = [a for a in d.attendance if a.status == rules.ABSENT]
            facts.append(
                (
                    _("Attendance"),
                    _("{present} of {expected} present").format(present=d.present, expected=d.expected)
                    + (
                        "；" + "、".join(f"{a.name}（{a.reason}）" if a.reason else a.name for a in absent)
                        if absent
                        else ""
                    ),
                )
            )
        if d.observers:
            facts.append(
                (
                    _("Observers"),
                    "、".join(f"{o.name}（{o.note or rules.observer_label(o.kind)}）" for o in d.observers),
                )
            )
        if d.state != rules.PLANNED:
            # The sentence the minutes' paper prints under its title (rules.signatures_sentence).
            signed = rules.signatures_sentence(d.chair_signed_on, d.recorder_signed_on)
            when = [
                _("{who} signed on {date}").format(who=_(rules.SIGNER_LABELS[s]), date=format_date(on))
                for s, on in (("chair", d.chair_signed_on), ("recorder", d.recorder_signed_on))
                if on is not None
            ]
            if when:
                signed = _("{sentence} ({details})").format(sentence=signed, details="；".join(when))
            facts.append((_("Signatures"), signed))
        out.append("<table cellspacing='0' cellpadding='2'>")
        for label, value in facts:
            out.append(f"<tr><td style='color:#555'>{e(label)}</td><td>{e(value)}</td></tr>")
        out.append("</table>")
        if d.state == rules.NOT_HELD:
            out.append(
                f"<p style='{ERROR_STYLE}'>{e(_('The quorum was not met: the meeting was not held.'))}</p>"
            )
        if d.state == rules.FINALISED:
            out.append(
                f"<p style='{OK_STYLE}'>"
                f"{e(_('Signed by the chair and the recorder: finalised and locked.'))}</p>"
            )
        if d.amendments:
            out.append(f"<p><b>{e(_('Corrections'))}</b></p><ul>")
            for a in d.amendments:
                text = _("{what}: “{original}” → “{corrected}” ({reason}; {date})").format(
                    what=a.what, original=a.original, corrected=a.corrected, reason=a.reason,
                    date=format_date(a.amended_at.date()),
                )  # fmt: skip
                out.append(f"<li>{e(text)}</li>")
            out.append("</ul>")
        if d.minutes:
            out.append(f"<hr><p>{e(d.minutes)}</p>")
        return "".join(out)

    def selected_item(self) -> service.ItemRow | None:
        rows = self.item_view.selectionModel().selectedRows()
        return self.items.row(rows[0].row()) if rows else None

    def selected_member(self) -> service.MemberRow | None:
        rows = self.member_view.selectionModel().selectedRows()
        return self.members.row(rows[0].row()) if rows else None

    def update_buttons(self) -> None:
        """Each button as the rules allow for the chosen meeting, item and seat; a refused one says why."""
        role = self.actor.role
        allowed = rules.room_actions(role, self.council is not None)
        d = self.detail
        if d is None:
            why = refuse(rules.NO_COUNCIL if self.council is None else NOTHING_SELECTED)
            allowed = allowed.merged(Allowed.nothing(rules.MEETING_ACTIONS + rules.ITEM_ACTIONS, why))
        else:
            allowed = allowed.merged(d.actions(role, self.today()))
            item = self.selected_item()
            if item is None:
                allowed = allowed.merged(Allowed.nothing(rules.ITEM_ACTIONS, refuse(rules.NO_ITEM)))
            else:
                allowed = allowed.merged(d.item_actions(role, item.id))
        member = self.selected_member()
        if member is None:
            allowed = allowed.merged(Allowed.nothing(rules.SEAT_ACTIONS, refuse(rules.NO_SEAT)))
        else:
            allowed = allowed.merged(member.actions(role))
        self.show_allowed(allowed)

    # --- actions ----------------------------------------------------------------------------------
    # Every write announces what it changed; the room reloads from that, keeping what is chosen, and
    # a new record is chosen after it.

    def _choose_meeting(self, meeting_id: int) -> None:
        ids = [r.id for r in self.meetings.rows()]
        if meeting_id in ids:
            self.meeting_view.selectRow(ids.index(meeting_id))

    def _choose_item(self, item_id: int) -> None:
        ids = [i.id for i in self.items.rows()]
        if item_id in ids:
            self.item_view.selectRow(ids.index(item_id))

    def new_council(self) -> None:
        dialog = CouncilDialog(self.actor, None, self)
        if self.exec_dialog(dialog):
            self.load_councils(select=dialog.result_value.id)

    def edit_council(self) -> None:
        if self.council is not None:
            self.exec_dialog(CouncilDialog(self.actor, self.council, self))

    def new_meeting(self) -> None:
        if self.council is None:
            return
        day = max(self.council.term_start, min(self.today(), self.council.term_end))
        dialog = MeetingDialog(self.actor, self.council, None, day, self)
        if self.exec_dialog(dialog):
            self._choose_meeting(dialog.result_value.id)

    def edit_meeting(self) -> None:
        if self.council is not None and self.detail is not None:
            self.exec_dialog(MeetingDialog(self.actor, self.council, self.detail, self.detail.date, self))

    def delete_meeting(self) -> None:
        d = self.detail
        if d is None or not self.confirm(
            _("Delete meeting"),
            _("Delete {meeting} on {date}? The audit log keeps a record of it.").format(
                meeting=d.title, date=format_date(d.date)
            ),
        ):
            return
        self.attempt(service.delete_meeting, self.actor, d.id)

    def add_item(self) -> None:
        if self.detail is None:
            return
        dialog = ItemDialog(self.actor, self.detail, None, self)
        if self.exec_dialog(dialog):
            self._choose_item(dialog.result_value.id)

    def edit_item(self) -> None:
        item = self.selected_item()
        if self.detail is not None and item is not None:
            self.exec_dialog(ItemDialog(self.actor, self.detail, item, self))

    def remove_item(self) -> None:
        item = self.selected_item()
        if item is not None and self.confirm(
            _("Remove item"), _("Remove the item {title} from the agenda?").format(title=item.title)
        ):
            self.attempt(service.delete_item, self.actor, item.id)

    def add_observer(self) -> None:
        if self.detail is not None:
            self.exec_dialog(ObserverDialog(self.actor, self.detail, self))

    def attendance(self) -> None:
        if self.detail is not None:
            self.exec_dialog(AttendanceDialog(self.actor, self.detail, self.today(), self))

    def recusals(self) -> None:
        item = self.selected_item()
        if self.detail is not None and item is not None:
            self.exec_dialog(RecusalDialog(self.actor, self.detail, item, self))

    def vote(self) -> None:
        item = self.selected_item()
        if self.detail is not None and item is not None:
            self.exec_dialog(VoteDialog(self.actor, self.detail, item, self))

    def clear_vote(self) -> None:
        item = self.selected_item()
        if item is not None and self.confirm(
            _("Clear vote"),
            _(
                "Take back the vote on {title}? A resolution it passed becomes void; its number is not "
                "given again."
            ).format(title=item.title),
        ):
            self.write(service.clear_vote, self.actor, item.id)

    def minutes(self) -> None:
        if self.detail is not None:
            self.exec_dialog(MinutesDialog(self.actor, self.detail, self))

    def resolution(self) -> None:
        item = self.selected_item()
        if item is not None and item.resolution is not None:
            self.exec_dialog(ResolutionDialog(self.actor, item.resolution, self))

    def sign_off(self) -> None:
        if self.detail is not None:
            self.exec_dialog(SignOffDialog(self.actor, self.detail, self.today(), self))

    def withdraw_signature(self) -> None:
        d = self.detail
        if d is None:
            return
        signer = "recorder" if d.recorder_signed_on else "chair"  # the last given goes first
        if self.confirm(
            _("Withdraw signature"),
            _("Withdraw the signature of {who}?").format(who=_(rules.SIGNER_LABELS[signer])),
        ):
            self.write(service.withdraw_sign_off, self.actor, d.id, signer)

    def amend(self) -> None:
        if self.detail is not None:
            self.exec_dialog(AmendDialog(self.actor, self.detail, self))

    def add_member(self) -> None:
        if self.council is None:
            return
        dialog = MemberDialog(self.actor, self.council, None, self)
        if self.exec_dialog(dialog):
            self.load_members(select=dialog.result_value.id)

    def edit_member(self) -> None:
        member = self.selected_member()
        if self.council is not None and member is not None:
            self.exec_dialog(MemberDialog(self.actor, self.council, member, self))

    def change_role(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        dialog = RoleChangeDialog(self.actor, member, self)
        if self.exec_dialog(dialog):
            self.load_members(select=dialog.result_value.id)

    def remove_member(self) -> None:
        member = self.selected_member()
        if member is not None and self.confirm(
            _("Remove seat"),
            _(
                "Remove the seat of {name}? Only a seat entered by mistake is removed; a member who leaves "
                "gets a leaving date."
            ).format(name=member.name),
        ):
            self.attempt(service.remove_member, self.actor, member.id)

    def new_rules(self) -> None:
        if self.council is None:
            return
        versions = self.versions.rows()
        dialog = RulesDialog(self.actor, self.council, versions[0] if versions else None, self.today(), self)
        self.exec_dialog(dialog)

    # --- printing (laid out on a worker: documents.py) --------------------------------------------

    def _meeting_paper(self, key: str) -> PdfPreviewDialog | None:
        d = self.detail
        if d is None:
            return None
        stem = documents.meeting_paper_stem(d.council_name, d.title, key)
        return self.print_paper(key, d.id, _(documents.TITLES[key]), stem)

    def print_notice(self) -> PdfPreviewDialog | None:
        return self._meeting_paper(documents.MEETING_NOTICE)

    def print_sign_in(self) -> PdfPreviewDialog | None:
        return self._meeting_paper(documents.SIGN_IN_SHEET)

    def print_minutes(self) -> PdfPreviewDialog | None:
        return self._meeting_paper(documents.MINUTES)

    def print_resolution(self) -> PdfPreviewDialog | None:
        item = self.selected_item()
        resolution = item.resolution if item is not None else None
        if resolution is None:
            return None
        stem = documents.resolution_stem(resolution.number, resolution.title)
        return self.print_paper(documents.RESOLUTION, resolution.id, resolution.number, stem)
