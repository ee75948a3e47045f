"""The 村务公开 room: draft, approve, post and take down notices; objections; print on the board.

Screens only: every read and write goes through `villagegov.notices.service`; the pure `rules`
give the names, labels and the live arithmetic of a finance statement while it is typed.
Dialogs are run through `NoticesRoom.exec_dialog` (and files chosen through `choose_file`), so a
test can fill a dialog and take its accept path without a modal loop.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
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

from villagegov.accounts import service as accounts
from villagegov.core import calendar as cal
from villagegov.core import clock
from villagegov.core.actions import NOTHING_SELECTED, Allowed, Refusal, refuse
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, format_date, format_money, ngettext
from villagegov.notices import documents, rules, service
from villagegov.roster import service as roster
from villagegov.ui import attachments, ops
from villagegov.ui.forms import (
    ERROR_STYLE,
    OK_STYLE,
    FormDialog,
    date_edit,
    day_text,
    error_label,
    pydate,
)
from villagegov.ui.pdf_preview import PdfPreviewDialog
from villagegov.ui.room import Room
from villagegov.ui.widgets import (
    Column,
    RowsModel,
    heading,
    reminders_panel,
    rows_view,
    yes_no,
)

LIST_LIMIT = 2000  # rows shown at once; the filters and the search narrow a large village's list
REMINDERS_SHOWN = 5
YEARS_BACK = 10


def _quoted(title: str) -> str:
    """A title inside a sentence: 《…》 in Chinese, “…” in English (the translation decides)."""
    return _("“{title}”").format(title=title)


NOTICE_COLUMNS = (
    Column(N_("Number"), lambda r: r.number),
    Column(N_("Category"), lambda r: rules.category_label(r.category)),
    Column(N_("Kind"), lambda r: rules.kind_label(r.kind)),
    Column(N_("State"), lambda r: rules.state_label(r.state)),  # before the long titles: on screen
    Column(N_("Title"), lambda r: r.title),
    Column(N_("Posted on"), lambda r: day_text(r.posted_at)),
    Column(N_("Period ends"), lambda r: day_text(r.period_end)),
)
OBJECTION_COLUMNS = (
    Column(N_("Received"), lambda o: day_text(o.received_on)),
    Column(N_("Objector"), lambda o: o.objector),
    Column(N_("Contact"), lambda o: o.contact),
    Column(N_("Objection"), lambda o: o.content),
    Column(N_("Late"), lambda o: yes_no(o.late)),
    Column(N_("Answer due"), lambda o: "" if o.answered_on else day_text(o.answer_due)),
    Column(N_("Answered"), lambda o: day_text(o.answered_on)),
    Column(N_("Answer"), lambda o: o.answer or o.handling),
)


def reminder_text(reminder: rules.Reminder) -> str:
    """One line of the reminders strip, in the user's language."""
    overdue = reminder.status == rules.OVERDUE
    when = format_date(reminder.due_by)
    if reminder.kind == rules.DISCLOSURE:
        category = rules.category_label(reminder.category)
        if overdue:
            text = _("{category} is overdue: nothing was posted by {date}.").format(
                category=category, date=when
            )
        else:
            text = _("{category} is due by {date}.").format(category=category, date=when)
        if reminder.last_posted:
            last = _("Last posted on {date}.").format(date=format_date(reminder.last_posted))
        else:
            last = _("Nothing posted yet.")
        return _("{sentence} {another}").format(sentence=text, another=last)
    title = _quoted(reminder.title)
    if reminder.kind == rules.MAJOR_MATTER:
        return _("The major matter {title}, drafted on {date}, is not yet posted.").format(
            title=title, date=when
        )
    if overdue:
        return _("An objection to {title} was to be answered by {date}.").format(title=title, date=when)
    return _("An objection to {title} is to be answered by {date}.").format(title=title, date=when)


class _PasteFilter(QObject):
    """Ctrl+V in a grid pastes the clipboard's tab-separated cells."""

    def __init__(self, paste: Callable[[str], None], parent: QObject) -> None:
        super().__init__(parent)
        self._paste = paste

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Paste):  # type: ignore[attr-defined]
            self._paste(QGuiApplication.clipboard().text())
            return True
        return False


def _cell(grid: QTableWidget, row: int, column: int) -> str:
    item = grid.item(row, column)
    return item.text().strip() if item else ""


class TableEditor(QWidget):
    """One table of a notice: a caption, the column headings and the rows; paste from Excel."""

    def __init__(self, table: rules.TableInput | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.caption = QLineEdit(table.caption if table else "")
        form.addRow(_("Caption"), self.caption)
        self.header = QLineEdit("，".join(table.header) if table else "")
        self.header.setPlaceholderText(_("Column headings, separated by commas"))
        form.addRow(_("Columns"), self.header)
        layout.addLayout(form)
        self.grid = QTableWidget(0, 1)
        self.grid.installEventFilter(_PasteFilter(self.paste_text, self))
        layout.addWidget(self.grid, 1)
        hint = QLabel(_("Copy the cells in Excel or WPS and paste them here with Ctrl+V or the button."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        bar = QHBoxLayout()
        for label, slot in (
            (_("Paste from Excel"), lambda: self.paste_text(QGuiApplication.clipboard().text())),
            (_("Add row"), self.add_row),
            (_("Remove row"), self.remove_row),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.header.textChanged.connect(self._sync_columns)
        self._sync_columns()
        for row in table.rows if table else ():
            self._put_row(self.grid.rowCount(), 0, list(row))

    def headings(self) -> list[str]:
        return rules.split_headings(self.header.text())

    def _sync_columns(self) -> None:
        headings = self.headings()
        self.grid.setColumnCount(max(len(headings), 1))
        self.grid.setHorizontalHeaderLabels(headings or [""])

    def _put_row(self, row: int, column: int, cells: Sequence[str]) -> None:
        if row >= self.grid.rowCount():
            self.grid.setRowCount(row + 1)
        if column + len(cells) > self.grid.columnCount():
            headings = self.headings()
            headings += [""] * (column + len(cells) - len(headings))
            self.header.setText("，".join(headings))
        for offset, text in enumerate(cells):
            self.grid.setItem(row, column + offset, QTableWidgetItem(text.strip()))

    def paste_text(self, text: str) -> None:
        """Rows of tab-separated cells: the first row becomes the headings while there are none;
        the rest go in at the current cell, or after the last row."""
        rows = rules.parse_pasted(text)
        if not rows:
            return
        if not self.headings():
            self.header.setText("，".join(c.strip() for c in rows[0]))
            rows = rows[1:]
        current = self.grid.currentIndex()
        start, column = (current.row(), current.column()) if current.isValid() else (self.grid.rowCount(), 0)
        for i, cells in enumerate(rows):
            self._put_row(start + i, column, cells)

    def add_row(self) -> None:
        self.grid.setRowCount(self.grid.rowCount() + 1)

    def remove_row(self) -> None:
        row = self.grid.currentRow()
        self.grid.removeRow(row if row >= 0 else self.grid.rowCount() - 1)

    def table(self) -> rules.TableInput | None:
        """What the editor holds, or None when it is empty; blank rows are left out."""
        headings = self.headings()
        rows = []
        for r in range(self.grid.rowCount()):
            cells = [_cell(self.grid, r, c) for c in range(len(headings))]
            if any(cells):
                rows.append(tuple(cells))
        if not headings and not rows and not self.caption.text().strip():
            return None
        return rules.TableInput(tuple(headings), tuple(rows), self.caption.text().strip())


class FinanceEditor(QWidget):
    """Income and expenditure lines in yuan, the totals from the account books, and the computed totals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.grid = QTableWidget(0, 3)
        self.grid.setHorizontalHeaderLabels([_("Side"), _("Item"), _("Amount (yuan)")])
        self.grid.horizontalHeader().setStretchLastSection(False)
        self.grid.setColumnWidth(0, 110)
        self.grid.setColumnWidth(1, 360)
        self.grid.setColumnWidth(2, 150)
        self.grid.installEventFilter(_PasteFilter(self.paste_text, self))
        self.grid.itemChanged.connect(self.update_totals)
        layout.addWidget(self.grid, 1)
        bar = QHBoxLayout()
        for label, slot in (
            (_("Add income"), lambda: self.add_line(rules.INCOME)),
            (_("Add expenditure"), lambda: self.add_line(rules.EXPENSE)),
            (_("Paste from Excel"), lambda: self.paste_text(QGuiApplication.clipboard().text())),
            (_("Remove line"), self.remove_line),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        form = QFormLayout()
        self.stated_income = QLineEdit()
        self.stated_expense = QLineEdit()
        self.opening_balance = QLineEdit()
        self.opening_balance.setPlaceholderText(_("Optional"))
        form.addRow(_("Total income in the account books (yuan)"), self.stated_income)
        form.addRow(_("Total expenditure in the account books (yuan)"), self.stated_expense)
        form.addRow(_("Opening balance (yuan)"), self.opening_balance)
        layout.addLayout(form)
        for edit in (self.stated_income, self.stated_expense, self.opening_balance):
            edit.textChanged.connect(self.update_totals)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.totals)
        self.update_totals()

    def add_line(self, side: str, item: str = "", amount: str = "") -> None:
        row = self.grid.rowCount()
        self.grid.blockSignals(True)
        self.grid.insertRow(row)
        combo = QComboBox()
        for s in rules.SIDES:
            combo.addItem(rules.side_label(s), s)
        combo.setCurrentIndex(combo.findData(side))
        combo.currentIndexChanged.connect(self.update_totals)
        self.grid.setCellWidget(row, 0, combo)
        self.grid.setItem(row, 1, QTableWidgetItem(item))
        amount_item = QTableWidgetItem(amount)
        amount_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.grid.setItem(row, 2, amount_item)
        self.grid.blockSignals(False)
        self.update_totals()

    def remove_line(self) -> None:
        row = self.grid.currentRow()
        self.grid.removeRow(row if row >= 0 else self.grid.rowCount() - 1)
        self.update_totals()

    def paste_text(self, text: str) -> None:
        """Rows of `side, item, amount` or `item, amount` (then income, unless the row names a side)."""
        for line in rules.pasted_finance_lines(text):
            self.add_line(line.side, line.item, line.amount)

    def lines(self) -> tuple[rules.FinanceLineInput, ...]:
        out = []
        for row in range(self.grid.rowCount()):
            combo = self.grid.cellWidget(row, 0)
            side = combo.currentData() if isinstance(combo, QComboBox) else rules.INCOME
            item, amount = _cell(self.grid, row, 1), _cell(self.grid, row, 2)
            if item or amount:
                out.append(rules.FinanceLineInput(side, item, amount))
        return tuple(out)

    def set_lines(self, lines: Sequence[rules.FinanceLineInput]) -> None:
        self.grid.setRowCount(0)
        for line in lines:
            self.add_line(line.side, line.item, line.amount)

    def update_totals(self) -> None:
        """Computed from the lines as they are typed, never typed; compared with the books (rules)."""
        totals = rules.finance_totals(self.lines(), self.stated_income.text(), self.stated_expense.text())
        parts = [
            html.escape(
                _("Computed from the lines: income {income}, expenditure {expense}.").format(
                    income=format_money(totals.income_fen), expense=format_money(totals.expense_fen)
                )
            )
        ]
        for comparison in totals.comparisons:
            label = rules.side_label(comparison.side)
            if comparison.difference_fen == 0:
                text = _("{side} matches the account books.").format(side=label)
                parts.append(f'<span style="{OK_STYLE}">{html.escape(text)}</span>')
            else:
                text = _("{side} differs from the account books by {difference}.").format(
                    side=label, difference=format_money(comparison.difference_fen)
                )
                parts.append(f'<span style="{ERROR_STYLE}">{html.escape(text)}</span>')
        parts += [f'<span style="{ERROR_STYLE}">{html.escape(p)}</span>' for p in totals.problems]
        self.totals.setText("<br>".join(parts))


class _Boards(QWidget):
    """The bulletin boards as checkboxes: the village board and each villager group's board."""

    def __init__(self, actor: Actor, chosen: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        places = [(rules.VILLAGE_BOARD, rules.place_label(rules.VILLAGE_BOARD, {}))]
        groups = {g.id: g.name for g in roster.list_groups(actor)}
        places += [
            (rules.group_place(gid), rules.place_label(rules.group_place(gid), groups)) for gid in groups
        ]
        for i, (place, label) in enumerate(places):
            box = QCheckBox(label)
            box.setChecked(place in chosen)
            layout.addWidget(box, i // 3, i % 3)
            self.boxes[place] = box

    def places(self) -> tuple[str, ...]:
        return tuple(place for place, box in self.boxes.items() if box.isChecked())


class NoticeDialog(QDialog):
    """A new notice or a draft's changes: what it says, where it hangs, its tables and statement."""

    def __init__(
        self, actor: Actor, detail: service.NoticeDetail | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.detail = detail
        self.saved: service.NoticeDetail | None = None
        settings = service.notice_settings(actor)
        data = detail.as_input() if detail else None
        self.setWindowTitle(_("Edit draft") if detail else _("New notice"))
        self.resize(860, 680)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # What it says.
        page = QWidget()
        form = QFormLayout(page)
        self.category = QComboBox()
        for c in rules.CATEGORIES:
            self.category.addItem(rules.category_label(c), c)
        self.kind = QComboBox()
        for k in rules.KINDS:
            self.kind.addItem(rules.kind_label(k), k)
        self.title = QLineEdit(data.title if data else "")
        self.body = QPlainTextEdit(data.body if data else "")
        self.body.setPlaceholderText(
            _("One paragraph a line. A line beginning with 一、 or （一） is printed as a heading.")
        )
        form.addRow(_("Category"), self.category)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Title"), self.title)
        form.addRow(_("Text"), self.body)
        self.tabs.addTab(page, _("Notice"))

        # Where and how long it hangs.
        page = QWidget()
        form = QFormLayout(page)
        self.boards = _Boards(actor, data.places if data else (rules.VILLAGE_BOARD,))
        form.addRow(_("Bulletin boards"), self.boards)
        self.major = QCheckBox(_("A major matter touching villagers' interests (disclosed at once)"))
        self.major.setChecked(bool(data and data.major))
        form.addRow("", self.major)
        self.period_days = QSpinBox()
        self.period_days.setRange(1, rules.MAX_PERIOD_DAYS)
        self.period_days.setValue(data.period_days if data and data.period_days else settings.period_days)
        self.period_unit = QComboBox()
        for unit in cal.UNITS:
            self.period_unit.addItem(cal.unit_label(unit), unit)
        self.period_unit.setCurrentIndex(
            self.period_unit.findData(data.period_unit if data and data.period_unit else settings.period_unit)
        )
        period = QHBoxLayout()
        period.addWidget(self.period_days)
        period.addWidget(self.period_unit)
        period.addStretch(1)
        form.addRow(_("Posting period"), period)
        self.has_start = QCheckBox(_("Planned first day on the board"))
        self.start = date_edit(data.period_start if data and data.period_start else clock.today())
        self.has_start.setChecked(bool(data and data.period_start))
        start = QHBoxLayout()
        start.addWidget(self.has_start)
        start.addWidget(self.start)
        start.addStretch(1)
        form.addRow("", start)
        self.period_end = QLabel()
        form.addRow(_("Last day of the period"), self.period_end)
        self.tabs.addTab(page, _("Boards and period"))

        # Tables.
        page = QWidget()
        box = QVBoxLayout(page)
        bar = QHBoxLayout()
        add_table = QPushButton(_("Add table"))
        add_table.clicked.connect(lambda: self.add_table())
        remove_table = QPushButton(_("Remove table"))
        remove_table.clicked.connect(self.remove_table)
        bar.addWidget(add_table)
        bar.addWidget(remove_table)
        bar.addStretch(1)
        box.addLayout(bar)
        self.tables = QTabWidget()
        box.addWidget(self.tables, 1)
        self.tabs.addTab(page, _("Tables"))
        for table in data.tables if data else ():
            self.add_table(table)

        # The finance statement.
        self.finance = FinanceEditor()
        if data:
            self.finance.set_lines(data.finance_lines)
            self.finance.stated_income.setText(data.stated_income)
            self.finance.stated_expense.setText(data.stated_expense)
            self.finance.opening_balance.setText(data.opening_balance)
        self.finance_tab = self.tabs.addTab(self.finance, _("Finance statement"))

        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        if data:
            self.category.setCurrentIndex(self.category.findData(data.category))
            self.kind.setCurrentIndex(self.kind.findData(data.kind))
        for signal in (
            self.category.currentIndexChanged, self.kind.currentIndexChanged, self.period_days.valueChanged,
            self.period_unit.currentIndexChanged, self.has_start.toggled, self.start.dateChanged,
        ):  # fmt: skip
            signal.connect(self._update)
        self._update()

    def add_table(self, table: rules.TableInput | None = None) -> TableEditor:
        editor = TableEditor(table)
        self.tables.addTab(editor, _("Table {n}").format(n=self.tables.count() + 1))
        self.tables.setCurrentWidget(editor)
        return editor

    def remove_table(self) -> None:
        index = self.tables.currentIndex()
        if index >= 0:
            self.tables.removeTab(index)
            for i in range(self.tables.count()):
                self.tables.setTabText(i, _("Table {n}").format(n=i + 1))

    def _update(self) -> None:
        publicity = self.kind.currentData() == rules.PUBLICITY
        for widget in (self.period_days, self.period_unit, self.has_start):
            widget.setEnabled(publicity)
        self.start.setEnabled(publicity and self.has_start.isChecked())
        self.tabs.setTabEnabled(self.finance_tab, self.category.currentData() == rules.FINANCE)
        text = ""
        if not publicity:
            text = _("Only a publicity notice has a posting period.")
        elif self.has_start.isChecked():
            try:
                end = service.preview_period_end(
                    self.actor, pydate(self.start), self.period_days.value(), self.period_unit.currentData()
                )
                text = format_date(end)
            except VillagegovError as exc:
                text = exc.message()
        else:
            text = _("Computed when the notice is posted.")
        self.period_end.setText(text)

    def data(self) -> rules.NoticeInput:
        publicity = self.kind.currentData() == rules.PUBLICITY
        finance = self.category.currentData() == rules.FINANCE
        tables = []
        for i in range(self.tables.count()):
            editor = self.tables.widget(i)
            table = editor.table() if isinstance(editor, TableEditor) else None
            if table is not None:
                tables.append(table)
        return rules.NoticeInput(
            category=self.category.currentData(), kind=self.kind.currentData(), title=self.title.text(),
            body=self.body.toPlainText(), places=self.boards.places(), major=self.major.isChecked(),
            period_days=self.period_days.value() if publicity else None,
            period_unit=self.period_unit.currentData() if publicity else None,
            period_start=pydate(self.start) if publicity and self.has_start.isChecked() else None,
            tables=tuple(tables),
            finance_lines=self.finance.lines() if finance else (),
            stated_income=self.finance.stated_income.text() if finance else "",
            stated_expense=self.finance.stated_expense.text() if finance else "",
            opening_balance=self.finance.opening_balance.text() if finance else "",
        )  # fmt: skip

    def save(self) -> None:
        try:
            with ops.Gathered():
                if self.detail is None:
                    self.saved = service.create_draft(self.actor, self.data())
                else:
                    self.saved = service.update_draft(self.actor, self.detail.id, self.data())
        except VillagegovError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return
        self.accept()


class _FormDialog(FormDialog):
    MIN_WIDTH = 480  # its forms are short


class PostDialog(_FormDialog):
    """张贴: when, by whom, on which boards, and optionally a photo of the posted sheet."""

    def __init__(
        self,
        actor: Actor,
        detail: service.NoticeDetail,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(_("Post notice {number}").format(number=detail.number), parent)
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        self.posted_at = date_edit(self.today)
        self.form.addRow(_("Posted on"), self.posted_at)
        self.posted_by = QLineEdit(actor.display_name)
        self.form.addRow(_("Posted by"), self.posted_by)
        self.boards = _Boards(actor, detail.places)
        self.form.addRow(_("Bulletin boards"), self.boards)
        self.photo = QLineEdit()
        self.photo.setPlaceholderText(_("Optional: a photo of the posted sheet (JPEG or PNG)"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.photo, 1)
        row.addWidget(browse)
        self.form.addRow(_("Photo"), row)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Photo of the posted sheet"), "", _("Photos (*.jpg *.jpeg *.png)")
        )
        if name:
            self.photo.setText(name)

    def submit(self) -> service.NoticeDetail:
        photo = None
        path = self.photo.text().strip()
        if path:
            try:
                photo = (Path(path).name, Path(path).read_bytes())
            except OSError as exc:
                raise VillagegovError(
                    N_("The file {name} cannot be read: {reason}"), name=path, reason=exc.strerror or ""
                ) from exc
        return service.post(
            self.actor,
            self.detail.id,
            pydate(self.posted_at),
            self.posted_by.text(),
            self.boards.places(),
            photo,
            self.today,
        )


class RemoveDialog(_FormDialog):
    """撤下: the day the sheet was taken down, and by whom."""

    def __init__(
        self,
        actor: Actor,
        detail: service.NoticeDetail,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(_("Take down notice {number}").format(number=detail.number), parent)
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        self.removed_at = date_edit(self.today)
        self.form.addRow(_("Taken down on"), self.removed_at)
        self.removed_by = QLineEdit(actor.display_name)
        self.form.addRow(_("Taken down by"), self.removed_by)

    def submit(self) -> service.NoticeDetail:
        return service.remove(
            self.actor, self.detail.id, pydate(self.removed_at), self.removed_by.text(), self.today
        )


class ObjectionDialog(_FormDialog):
    """A villager's objection: who, how to reach them, when it came in, what it says."""

    def __init__(
        self,
        actor: Actor,
        detail: service.NoticeDetail,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(_("Record an objection"), parent)
        self.actor = actor
        self.detail = detail
        self.today = today or clock.today()
        self.form.addRow(_("Notice"), QLabel(detail.title))
        self.objector = QLineEdit()
        self.form.addRow(_("Raised by"), self.objector)
        self.contact = QLineEdit()
        self.form.addRow(_("Contact"), self.contact)
        self.received_on = date_edit(self.today)
        self.form.addRow(_("Received on"), self.received_on)
        if detail.period_end:
            self.form.addRow(
                "",
                QLabel(_("The posting period ends on {date}.").format(date=format_date(detail.period_end))),
            )
        self.content = QPlainTextEdit()
        self.form.addRow(_("Objection"), self.content)

    def submit(self) -> service.ObjectionRow:
        return service.record_objection(
            self.actor, self.detail.id, self.objector.text(), self.content.toPlainText(),
            pydate(self.received_on), self.contact.text(), self.today,
        )  # fmt: skip


class AnswerDialog(_FormDialog):
    """How an objection is handled, and the answer once it is given (then the answer is final)."""

    def __init__(
        self,
        actor: Actor,
        objection: service.ObjectionRow,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(_("Answer an objection"), parent)
        self.actor = actor
        self.objection = objection
        self.today = today or clock.today()
        said = QLabel(
            _("{name}, received on {date}: {content}").format(
                name=objection.objector, date=format_date(objection.received_on), content=objection.content
            )
        )
        said.setWordWrap(True)
        self.form.addRow(_("Objection"), said)
        self.form.addRow(_("Answer due"), QLabel(format_date(objection.answer_due)))
        self.handling = QPlainTextEdit(objection.handling)
        self.form.addRow(_("Handling"), self.handling)
        self.answer = QPlainTextEdit(objection.answer)
        self.answer.setPlaceholderText(_("Leave empty while the objection is still being handled."))
        self.form.addRow(_("Answer"), self.answer)
        self.answered_on = date_edit(self.today)
        self.form.addRow(_("Answered on"), self.answered_on)

    def submit(self) -> service.ObjectionRow:
        answered = bool(self.answer.toPlainText().strip())
        return service.update_objection(
            self.actor, self.objection.id, self.handling.toPlainText(), self.answer.toPlainText(),
            pydate(self.answered_on) if answered else None, self.today,
        )  # fmt: skip


class SettingsDialog(_FormDialog):
    """The village's notice settings: default posting period, the supervisory committee, finance rhythm."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(_("Notice settings"), parent)
        self.setMinimumWidth(640)  # the English check box's sentence on one line
        self.actor = actor
        self.current = service.notice_settings(actor)
        self.period_days = QSpinBox()
        self.period_days.setRange(1, rules.MAX_PERIOD_DAYS)
        self.period_days.setValue(self.current.period_days)
        self.period_unit = QComboBox()
        for unit in cal.UNITS:
            self.period_unit.addItem(cal.unit_label(unit), unit)
        self.period_unit.setCurrentIndex(self.period_unit.findData(self.current.period_unit))
        period = QHBoxLayout()
        period.addWidget(self.period_days)
        period.addWidget(self.period_unit)
        period.addStretch(1)
        self.form.addRow(_("Default posting period"), period)
        bodies = service.signing_bodies(actor)
        self.supervisory_name = QLineEdit(self.current.supervisory_name)
        self.supervisory_name.setPlaceholderText(bodies[2])
        self.form.addRow(_("Supervisory committee"), self.supervisory_name)
        self.supervisory_phone = QLineEdit(self.current.supervisory_phone)
        self.form.addRow(_("Its phone for objections"), self.supervisory_phone)
        self.public_phones = QPlainTextEdit(
            "\n".join(f"{phone} {whose}".strip() for phone, whose in self.current.public_phones)
        )
        self.public_phones.setPlaceholderText(_("0915-6321234 village committee office"))
        self.public_phones.setFixedHeight(80)
        self.form.addRow(_("Office numbers printed in full"), self.public_phones)
        note = QLabel(
            _(
                "Every other ID-card and phone number prints masked on public paper. One number a "
                "line, then whose it is."
            )
        )
        note.setWordWrap(True)
        self.form.addRow("", note)
        # Papers kept on file (minutes, report forms, ledgers): masked too unless the village says so.
        self.mask_on_file = QCheckBox(_("Mask ID-card and phone numbers on papers kept on file too"))
        self.mask_on_file.setToolTip(
            _(
                "Minutes, sign-in sheets, ceremony report forms, ledgers and mediation agreements are kept "
                "on file. Papers posted in public are always masked."
            )
        )
        self.mask_on_file.setChecked(self.current.mask_on_file)
        self.form.addRow("", self.mask_on_file)
        self.finance_busy = QCheckBox(_("Collective finance is busy: disclose finance every month"))
        self.finance_busy.setChecked(self.current.finance_busy)
        self.form.addRow("", self.finance_busy)
        refusal = rules.room_actions(actor.role)[rules.SETTINGS]
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(refusal is None)
        ok.setToolTip(refusal.message() if refusal else "")

    def submit(self) -> service.NoticeSettingsData:
        return service.update_notice_settings(
            self.actor,
            replace(
                self.current, period_days=self.period_days.value(),
                period_unit=self.period_unit.currentData(), supervisory_name=self.supervisory_name.text(),
                supervisory_phone=self.supervisory_phone.text(), finance_busy=self.finance_busy.isChecked(),
                public_phones=rules.parse_public_phones(self.public_phones.toPlainText()),
                mask_on_file=self.mask_on_file.isChecked(),
            ),
        )  # fmt: skip


ATTACHMENT_COLUMNS = (
    attachments.FILE,
    Column(
        N_("Kind"),
        lambda a: _("Photo of the posted sheet") if a.purpose == service.PHOTO else _("Attachment"),
    ),
    attachments.SIZE,
    attachments.ADDED,
)


class AttachmentsDialog(attachments.AttachmentsDialog):
    """A notice's attachments (printed after it) and the photos of its posted sheet: add, open, remove.

    Attachments belong to a draft; photos are added once the notice is up and always stay."""

    remove_action = rules.REMOVE_ATTACHMENT

    def __init__(self, actor: Actor, detail: service.NoticeDetail, parent: QWidget | None = None) -> None:
        self.detail = detail
        super().__init__(
            actor,
            _("Attachments of {title}").format(title=_quoted(detail.title)),
            ATTACHMENT_COLUMNS,
            (
                (rules.ADD_ATTACHMENT, _("Add attachment…"), lambda: self.add(service.ATTACHMENT)),
                (rules.ADD_PHOTO, _("Add photo of the posted sheet…"), lambda: self.add(service.PHOTO)),
            ),
            hint=_(
                "Attachments (images or PDF files) print after the notice, each on pages of its own. "
                "A PDF is checked for full ID-card and phone numbers; an image cannot be read, so "
                "look at it before adding it."
            ),
            parent=parent,
        )
        self.reload()

    def rows(self) -> Sequence[service.AttachmentRow]:
        self.detail = ops.read(self, service.get_notice, self.actor, self.detail.id) or self.detail
        return self.detail.attachments

    def allowed(self, chosen: service.AttachmentRow | None) -> Mapping[str, Refusal | None]:
        d = self.detail
        facts = rules.NoticeFacts(d.state, d.kind, d.number, d.period_end)
        return rules.attachment_actions(self.actor.role, facts, chosen.purpose if chosen else None)

    def content(self, row: service.AttachmentRow) -> bytes | None:
        return ops.read(self, service.attachment_content, self.actor, row.id)

    def delete(self, row: service.AttachmentRow) -> bool:
        return ops.attempt(self, service.delete_attachment, self.actor, row.id)

    def removal_question(self, row: service.AttachmentRow) -> str:
        return _("Remove the attachment {name} from the draft?").format(name=row.file_name)

    def choose_file(self, title: str = "", kinds: str = "", purpose: str = service.ATTACHMENT) -> str:
        if purpose == service.PHOTO:
            return super().choose_file(_("Photo of the posted sheet"), _("Photos (*.jpg *.jpeg *.png)"))
        return super().choose_file()

    def add(self, purpose: str, path: str | None = None) -> service.AttachmentRow | None:
        name = path or self.choose_file(purpose=purpose)
        if not name:
            return None
        is_image = Path(name).suffix.lower() in (".jpg", ".jpeg", ".png")
        if (
            purpose == service.ATTACHMENT
            and is_image
            and not self.confirm(
                _("Add attachment…"),
                _(
                    "The image prints on public paper as it is; its numbers cannot be checked. Add it "
                    "only if it shows no full ID-card or phone number. Add it?"
                ),
            )
        ):
            return None
        content = self.read_file(name)
        if content is None:
            return None
        row = ops.write(
            self, service.add_attachment, self.actor, self.detail.id, Path(name).name, content, purpose
        )
        return self.added(row)


OVERRIDE_COLUMNS = (
    Column(N_("Date"), lambda o: day_text(o.day)),
    Column(N_("Weekday"), lambda o: _(WEEKDAYS[o.day.weekday()])),
    Column(N_("Kind"), lambda o: _("Make-up working day") if o.working else _("Day off")),
    Column(N_("Note"), lambda o: o.note),
)
WEEKDAYS = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"),
)  # fmt: skip


class CalendarDialog(QDialog):
    """日历设置: the days off and make-up working days of a year, as the State Council announces
    them, for posting periods counted in working days. A year the installed calendar does not know
    is known once its days are entered here."""

    def __init__(self, actor: Actor, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.changed = False
        self.setWindowTitle(_("Calendar settings"))
        self.resize(620, 460)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year")))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.valueChanged.connect(lambda *args: self.reload())
        top.addWidget(self.year)
        top.addStretch(1)
        layout.addLayout(top)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.model = RowsModel(OVERRIDE_COLUMNS, self)
        self.view = rows_view(self.model, _("No days of the village's own for this year."))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.view, 1)
        entry = QHBoxLayout()
        self.day = date_edit(date(year, 1, 1))
        self.kind = QComboBox()
        self.kind.addItem(_("Day off"), False)
        self.kind.addItem(_("Make-up working day"), True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Note, e.g. Spring Festival"))
        add = QPushButton(_("Add"))
        add.clicked.connect(self.add)
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(self.remove_selected)
        for widget in (self.day, self.kind, self.note):
            entry.addWidget(widget)
        entry.addWidget(add)
        entry.addWidget(remove)
        layout.addLayout(entry)
        self.error = error_label()
        layout.addWidget(self.error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout.addWidget(close)
        refusal = rules.room_actions(actor.role)[rules.CALENDAR]
        for widget in (self.day, self.kind, self.note, add, remove):
            widget.setEnabled(refusal is None)
            widget.setToolTip(refusal.message() if refusal else "")
        self.reload()

    def reload(self) -> None:
        year = self.year.value()
        entries = service.calendar_overrides(self.actor, year)
        self.model.set_rows(entries)
        if cal.package_knows(year):
            text = _("{year}: the public holidays and make-up working days are known.")
        elif entries:
            text = _("{year}: known from the days entered here (weekends and the entries below).")
        else:
            text = _(
                "{year}: not known yet. Enter the days off and make-up working days from the State "
                "Council's announcement; until then, count posting periods in calendar days."
            )
        self.status.setText(text.format(year=year))
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))

    def add(self) -> service.CalendarOverrideRow | None:
        try:
            with ops.Gathered():
                row = service.set_calendar_override(
                    self.actor, pydate(self.day), self.kind.currentData(), self.note.text()
                )
        except VillagegovError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return None
        self.error.hide()
        self.note.clear()
        self.changed = True
        self.reload()
        return row

    def remove_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        try:
            with ops.Gathered():
                service.delete_calendar_override(self.actor, self.model.row(rows[0].row()).day)
        except VillagegovError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return
        self.changed = True
        self.reload()


class NoticesRoom(Room):
    # What the room shows: notices and their parts, and the names it prints beside them.
    watches = frozenset({
        "notice", "notice_table", "finance_line", "notice_attachment", "objection", "notice_settings",
        "calendar_override", "public_phone", "villager_group", "user", "decision_step",
    })  # fmt: skip

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.detail: service.NoticeDetail | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Public notices")))
        top.addStretch(1)
        top.addWidget(self.button(rules.CALENDAR, _("Calendar settings…"), self.edit_calendar))
        top.addWidget(self.button(rules.SETTINGS, _("Notice settings…"), self.edit_settings))
        layout.addLayout(top)

        self.reminders = reminders_panel("reminders")
        layout.addWidget(self.reminders)

        filters = QHBoxLayout()
        self.category = QComboBox()
        self.category.addItem(_("All categories"), None)
        for c in rules.CATEGORIES:
            self.category.addItem(rules.category_label(c), c)
        self.kind = QComboBox()
        self.kind.addItem(_("All kinds"), None)
        for k in rules.KINDS:
            self.kind.addItem(rules.kind_label(k), k)
        self.state = QComboBox()
        self.state.addItem(_("All states"), None)
        for s in rules.STATES:
            self.state.addItem(rules.state_label(s), s)
        self.year = QComboBox()
        self.year.addItem(_("All years"), None)
        for y in range(self.today().year, self.today().year - YEARS_BACK, -1):
            self.year.addItem(_("{year}").format(year=y), y)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search titles and text"))
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self.search, 3)
        for combo in (self.category, self.kind, self.state, self.year):
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(lambda *args: self.load())
        self.search.textChanged.connect(lambda *args: self.load())
        layout.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.model = RowsModel(NOTICE_COLUMNS, self)
        self.view = rows_view(
            self.model, _("No notices match. Choose other filters, or draft one with “New notice…”.")
        )
        self.view.selectionModel().selectionChanged.connect(self.show_selected)
        left_layout.addWidget(self.view, 1)
        self.count = QLabel()
        left_layout.addWidget(self.count)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        right_layout.addWidget(self.details, 3)
        right_layout.addWidget(QLabel(_("Objections")))
        self.objections = RowsModel(OBJECTION_COLUMNS, self)
        self.objection_view = rows_view(self.objections, _("No objections."))
        self.objection_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.objection_view.selectionModel().selectionChanged.connect(lambda *args: self.update_buttons())
        right_layout.addWidget(self.objection_view, 2)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 340])
        layout.addWidget(splitter, 1)

        layout.addLayout(self.button_bar((
            (rules.NEW, _("New notice…"), self.new_notice),
            (rules.EDIT, _("Edit draft…"), self.edit_draft),
            (rules.DELETE, _("Delete draft"), self.delete_draft),
            (rules.ATTACHMENTS, _("Attachments…"), self.show_attachments),
            (rules.APPROVE, _("Approve"), self.approve),
            (rules.WITHDRAW, _("Withdraw"), self.withdraw),
            (rules.POST, _("Post…"), self.post),
            (rules.REMOVE, _("Take down…"), self.take_down),
            (rules.CORRECT, _("Correct…"), self.correct),
        )))  # fmt: skip
        layout.addLayout(self.button_bar((
            (rules.RECORD_OBJECTION, _("Record objection…"), self.record_objection),
            (rules.ANSWER_OBJECTION, _("Answer objection…"), self.answer_objection),
            (rules.PRINT, _("Preview and print…"), self.preview),
            (rules.PRINT_RESULT, _("Print period result…"), self.print_result),
        )))  # fmt: skip
        self.refresh()

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        self.refresh()

    def filters(self) -> service.NoticeFilter:
        return service.NoticeFilter(
            category=self.category.currentData(), kind=self.kind.currentData(),
            state=self.state.currentData(), year=self.year.currentData(), text=self.search.text(),
        )  # fmt: skip

    def refresh(self, select: int | None = None) -> None:
        self.load_reminders()
        self.load(select)

    def load_reminders(self) -> None:
        reminders = self.read(service.due_reminders, self.actor, self.today()) or []
        settings = self.read(service.notice_settings, self.actor)
        lines = []
        if settings is not None and not settings.supervisory_phone:
            # A 公示 tells villagers whom to call with an objection; without the number it cannot.
            text = _(
                "Publicity notices print no phone for objections yet: enter the supervisory "
                "committee's phone in the notice settings."
            )
            lines.append(f'• <span style="{ERROR_STYLE}">{html.escape(text)}</span>')
        if not reminders and not lines:
            self.reminders.setText(html.escape(_("Nothing is due: every disclosure is up to date.")))
            return
        for reminder in reminders[:REMINDERS_SHOWN]:
            text = html.escape(reminder_text(reminder))
            if reminder.status == rules.OVERDUE:
                text = f'<span style="{ERROR_STYLE}">{text}</span>'
            lines.append("• " + text)
        if len(reminders) > REMINDERS_SHOWN:
            more = len(reminders) - REMINDERS_SHOWN
            lines.append(html.escape(_("… and {n} more.").format(n=more)))
        self.reminders.setText("<br>".join(lines))

    def load(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.detail.id if self.detail else None)
        rows = self.read(service.list_notices, self.actor, self.filters(), None, LIST_LIMIT) or []
        self.model.set_rows(rows)
        if len(rows) >= LIST_LIMIT:
            self.count.setText(
                _("The first {n} notices are shown; narrow the list with the filters.").format(n=len(rows))
            )
        else:
            self.count.setText(ngettext("{n} notice", "{n} notices", len(rows)).format(n=len(rows)))
        if not self.view.select_record(keep):
            self.show_detail(None)

    def show_selected(self) -> None:
        notice_id = self.view.selected_id()
        self.show_detail(self.read(service.get_notice, self.actor, notice_id) if notice_id else None)

    def show_detail(self, detail: service.NoticeDetail | None) -> None:
        self.detail = detail
        self.details.setHtml(self.detail_html(detail) if detail else "")
        self.objections.set_rows(detail.objections if detail else [])
        self.update_buttons()

    def detail_html(self, d: service.NoticeDetail) -> str:
        e = html.escape
        groups = {g.id: g.name for g in roster.list_groups(self.actor)}
        users = {u.username: u.display_name for u in accounts.list_users(self.actor)}

        def who(username: str) -> str:
            return users.get(username, username)

        out = [f"<h3>{e(d.title)}</h3>"]
        facts: list[tuple[str, str]] = [
            (_("Number"), d.number or _("(given on approval)")),
            (_("Category"), rules.category_label(d.category)),
            (_("Kind"), rules.kind_label(d.kind)),
            (_("State"), rules.state_label(d.state)),
            (
                _("Drafted"),
                _("{date} by {name}").format(date=format_date(d.created_at.date()), name=who(d.created_by)),
            ),
        ]
        if d.major:
            facts.append((_("Major matter"), _("Yes")))
        if d.approved_at:
            facts.append(
                (
                    _("Approved"),
                    _("{date} by {name}").format(
                        date=format_date(d.approved_at.date()), name=who(d.approved_by)
                    ),
                )
            )
        if d.withdrawn_at:
            facts.append((_("Withdrawn"), format_date(d.withdrawn_at.date())))
        if d.posted_at:
            facts.append(
                (_("Posted"), _("{date} by {name}").format(date=format_date(d.posted_at), name=d.posted_by))
            )
        places = d.posted_places or d.places
        facts.append((_("Bulletin boards"), "、".join(rules.place_label(p, groups) for p in places)))
        if d.kind == rules.PUBLICITY and d.period_days:
            length = _("{days} {unit}").format(
                days=d.period_days, unit=cal.unit_label(d.period_unit or cal.DAYS)
            )
            if d.period_start and d.period_end:
                length = _("{start} to {end} ({length})").format(
                    start=format_date(d.period_start), end=format_date(d.period_end), length=length
                )
            elif d.period_start:
                length = _("from {start} ({length})").format(start=format_date(d.period_start), length=length)
            facts.append((_("Posting period"), length))
        if d.removed_at:
            facts.append(
                (
                    _("Taken down"),
                    _("{date} by {name}").format(date=format_date(d.removed_at), name=d.removed_by),
                )
            )
        if d.superseded_at:
            facts.append((_("Superseded"), format_date(d.superseded_at)))
        if d.supersedes_id:
            facts.append((_("Corrects"), self._notice_name(d.supersedes_id)))
        if d.superseded_by:
            facts.append((_("Corrected by"), "、".join(self._notice_name(i) for i in d.superseded_by)))
        out.append("<table cellspacing='0' cellpadding='2'>")
        for label, value in facts:
            out.append(f"<tr><td style='color:#555'>{e(label)}</td><td>{e(value)}</td></tr>")
        out.append("</table>")
        if d.kind == rules.PUBLICITY and d.period_end:
            result = self.read(service.period_result, self.actor, d.id, self.today())
            if result is not None:
                out.append(f"<p><b>{e(result.text)}</b></p>")
        if d.statement is not None:
            s = d.statement
            out.append(
                "<p>"
                + e(
                    _("Statement: income {income}, expenditure {expense}.").format(
                        income=format_money(s.income_total_fen), expense=format_money(s.expense_total_fen)
                    )
                )
                + "</p>"
            )
            if d.statement_problem:
                out.append(f"<p style='{ERROR_STYLE}'>{e(d.statement_problem)}</p>")
        if d.tables:
            captions = "、".join(
                t.caption or _("Table {n}").format(n=i) for i, t in enumerate(d.tables, start=1)
            )
            rows = sum(len(t.rows) for t in d.tables)
            text = _("Tables: {captions} ({rows} rows)").format(captions=captions, rows=rows)
            out.append(f"<p>{e(text)}</p>")
        if d.attachments:
            attachments = _("Attachments")
            out.append(f"<p><b>{e(attachments)}</b></p><ul>")
            for a in d.attachments:
                what = _("Photo of the posted sheet") if a.purpose == service.PHOTO else _("Attachment")
                size = _("{kb} KB").format(kb=max(1, round(a.size / 1024)))
                out.append(f"<li>{e(a.file_name)} · {e(what)} · {e(size)}</li>")
            out.append("</ul>")
        if d.body:
            out.append("<hr>")
            for p in rules.paragraphs(d.body):
                text = e(p.text)
                out.append(f"<p><b>{text}</b></p>" if p.level in (1, 2) else f"<p>{text}</p>")
        return "".join(out)

    def _notice_name(self, notice_id: int) -> str:
        try:
            other = service.get_notice(self.actor, notice_id)
        except VillagegovError:
            return "?"
        return f"{other.number} {_quoted(other.title)}".strip()

    def selected_objection(self) -> service.ObjectionRow | None:
        rows = self.objection_view.selectionModel().selectedRows()
        if rows:
            return self.objections.row(rows[0].row())
        open_ones = [o for o in (self.detail.objections if self.detail else ()) if o.answered_on is None]
        return open_ones[0] if len(open_ones) == 1 else None

    def update_buttons(self) -> None:
        """Each button as the rules allow for the chosen notice and objection; a refused one says why."""
        d = self.detail
        allowed = rules.room_actions(self.actor.role)
        if d is None:
            allowed = allowed.merged(Allowed.nothing(rules.NOTICE_ACTIONS, refuse(NOTHING_SELECTED)))
        else:
            facts = rules.NoticeFacts(d.state, d.kind, d.number, d.period_end)
            allowed = allowed.merged(rules.notice_actions(self.actor.role, facts, self.today()))
        objection = self.selected_objection()
        if objection is None:
            why = refuse(N_("Choose the objection to answer in the list of objections."))
            allowed = allowed.merged({rules.ANSWER_OBJECTION: why})
        else:
            allowed = allowed.merged(rules.objection_actions(self.actor.role, objection.answered_on))
        self.show_allowed(allowed)

    # --- actions --------------------------------------------------------------------------------

    def _after(self, detail: service.NoticeDetail | None) -> None:
        if detail is not None:
            self.refresh(select=detail.id)

    def new_notice(self) -> None:
        dialog = NoticeDialog(self.actor, None, self)
        if self.exec_dialog(dialog):
            self._after(dialog.saved)

    def edit_draft(self) -> None:
        if self.detail is None:
            return
        dialog = NoticeDialog(self.actor, self.detail, self)
        if self.exec_dialog(dialog):
            self._after(dialog.saved)

    def delete_draft(self) -> None:
        d = self.detail
        if d is None:
            return
        if not self.confirm(
            _("Delete draft"),
            _("Delete the draft {title}? The audit log keeps a record of it.").format(title=_quoted(d.title)),
        ):
            return
        if self.attempt(service.delete_draft, self.actor, d.id):
            self.detail = None
            self.refresh()

    def approve(self) -> None:
        """The number is given for good: the secretary sees it and confirms first."""
        d = self.detail
        number = self.read(service.number_on_approval, self.actor) if d is not None else None
        if d is None or number is None:
            return
        question = _(
            "Approve {title}? It takes the number {number}, which is never given again, and it can no "
            "longer be edited."
        ).format(title=_quoted(d.title), number=number)
        if self.confirm(_("Approve"), question):
            self._after(self.write(service.approve, self.actor, d.id))

    def withdraw(self) -> None:
        d = self.detail
        if d is not None and self.confirm(
            _("Withdraw"),
            _("Withdraw notice {number}? Its number is not given to another notice.").format(number=d.number),
        ):
            self._after(self.write(service.withdraw, self.actor, d.id))

    def post(self) -> None:
        if self.detail is None:
            return
        dialog = PostDialog(self.actor, self.detail, self, self.today())
        if self.exec_dialog(dialog):
            self._after(dialog.result_value)

    def take_down(self) -> None:
        if self.detail is None:
            return
        dialog = RemoveDialog(self.actor, self.detail, self, self.today())
        if self.exec_dialog(dialog):
            self._after(dialog.result_value)

    def correct(self) -> None:
        """A correction is a new draft that supersedes this notice once posted; it opens for editing."""
        if self.detail is None:
            return
        draft = self.write(service.correct, self.actor, self.detail.id)
        if draft is None:
            return
        self.refresh(select=draft.id)
        self.edit_draft()

    def record_objection(self) -> None:
        if self.detail is None:
            return
        dialog = ObjectionDialog(self.actor, self.detail, self, self.today())
        if self.exec_dialog(dialog):
            self.refresh(select=self.detail.id)

    def answer_objection(self) -> None:
        objection = self.selected_objection()
        if objection is None or self.detail is None:
            return
        dialog = AnswerDialog(self.actor, objection, self, self.today())
        if self.exec_dialog(dialog):
            self.refresh(select=self.detail.id)

    def attachments_dialog(self) -> AttachmentsDialog | None:
        return AttachmentsDialog(self.actor, self.detail, self) if self.detail is not None else None

    def show_attachments(self) -> None:
        dialog = self.attachments_dialog()
        if dialog is None:
            return
        self.exec_dialog(dialog)
        if dialog.changed:
            self.refresh(select=dialog.detail.id)

    def preview_dialog(self) -> PdfPreviewDialog | None:
        """The notice as it will hang on the board (A4, or A3 for the board copy)."""
        d = self.detail
        if d is None:
            return None
        return self.paper_dialog(documents.NOTICE, d.id, d.title, f"{d.number} {d.title}")

    def preview(self) -> None:
        dialog = self.preview_dialog()
        if dialog is not None:
            self.exec_dialog(dialog)

    def result_dialog(self) -> PdfPreviewDialog | None:
        """The printed result of the posting period: 公示期满无异议, or the objections and their handling."""
        d = self.detail
        if d is None:
            return None
        return self.paper_dialog(
            documents.NOTICE_RESULT, d.id, _("Period result"), f"{d.number} {d.title} " + _("Period result")
        )

    def print_result(self) -> None:
        dialog = self.result_dialog()
        if dialog is not None:
            self.exec_dialog(dialog)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.actor, self)
        if self.exec_dialog(dialog):
            self.refresh()

    def edit_calendar(self) -> None:
        dialog = CalendarDialog(self.actor, self.today().year, self)
        self.exec_dialog(dialog)
        if dialog.changed:
            self.refresh()
