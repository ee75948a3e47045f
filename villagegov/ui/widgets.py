"""Shared widgets: a table model over plain rows, a table page with its buttons, error boxes, form helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import _

Index = QModelIndex | QPersistentModelIndex

_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_HORIZONTAL = Qt.Orientation.Horizontal


@dataclass(frozen=True)
class Column:
    header: str  # an English msgid, translated when shown
    value: Callable[[Any], object]
    align_right: bool = False
    tip: Callable[[Any], object] | None = None  # a cell's tooltip: the full text of a short or capped cell


class RowsModel(QAbstractTableModel):
    """A read-only table of the plain rows a service returns.

    A cell's text is made the first time the view asks for it and kept until the rows change:
    views ask for the same cells on every paint, and some values (dates) are costly to format.
    """

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._texts: dict[tuple[int, int], str] = {}

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = {}
        self.endResetModel()

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def text(self, row: int, column: int) -> str:
        """What the cell shows."""
        key = (row, column)
        text = self._texts.get(key)
        if text is None:
            value = self._columns[column].value(self._rows[row])
            text = self._texts[key] = "" if value is None else str(value)
        return text

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's names
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if role == _DISPLAY:
            return self.text(index.row(), index.column()) if index.isValid() else None
        if role == _ALIGNMENT and index.isValid() and self._columns[index.column()].align_right:
            return _RIGHT
        if role == _TOOLTIP and index.isValid():  # the whole text of a cell its column may cut ("赞…")
            tip = self._columns[index.column()].tip
            text = tip(self._rows[index.row()]) if tip is not None else self.text(index.row(), index.column())
            return str(text) if text else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if role == _DISPLAY and orientation == _HORIZONTAL:
            return _(self._columns[section].header)
        return None


HEADING_ROOM = 16  # pixels beside a column's heading, so that no heading sits cramped in its column
FITTED_WIDTH_CAP = 360  # a column of long texts (titles, warnings) is not fitted wider than this


class RowsView(QTableView):
    """A table that says what its emptiness means (“no objections yet”) instead of showing a blank."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        if self.isVisible():  # the first viewport() costs ~10 ms (Qt's types resolved): not at start-up
            self.viewport().update()

    def selected_record(self) -> Any | None:
        """The plain row (a service's dataclass) of the selected line, if one is selected."""
        rows = self.selectionModel().selectedRows()
        return self.model().row(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        """The id of the selected record, if one is selected."""
        record = self.selected_record()
        return record.id if record else None

    def select_record(self, wanted: int | None) -> bool:
        """After a reload: select the record whose id is `wanted` again, or else the first line.
        False when the table is empty (the room then shows no record)."""
        ids = [row.id for row in self.model().rows()]
        if not ids:
            return False
        self.selectRow(ids.index(wanted) if wanted in ids else 0)
        return True

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.empty_text and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.viewport().rect().adjusted(12, 12, -12, -12), int(flags), self.empty_text)
            painter.end()


def fit_columns(view: QTableView) -> None:
    """Each column as wide as its cells (as far as the header samples them) and its heading with room
    beside it; long texts are capped, so that the columns after them stay on screen."""
    view.resizeColumnsToContents()
    model = view.model()
    header = view.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(model.columnCount()):
        heading_width = metrics.horizontalAdvance(str(model.headerData(column, _HORIZONTAL) or ""))
        least = heading_width + HEADING_ROOM
        header.resizeSection(column, max(least, min(header.sectionSize(column), FITTED_WIDTH_CAP)))


def rows_view(model: RowsModel, empty_text: str = "") -> RowsView:
    """A table of whole-row, single selections whose columns fit the first rows it is given."""
    view = RowsView()
    view.setModel(model)
    view.set_empty_text(empty_text)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    # ResizeToContents measured every row at every layout: seconds with 1,500 villagers. The
    # columns are fitted once instead, from a sample of the first rows, and then stay as they are
    # (or as the clerk drags them) while a search narrows the rows at every keystroke.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setResizeContentsPrecision(50)
    header.setStretchLastSection(True)
    fit_columns(view)  # the headings, until rows come

    def fit_first_rows() -> None:
        if model.rowCount():
            model.modelReset.disconnect(fit_first_rows)
            fit_columns(view)

    model.modelReset.connect(fit_first_rows)
    return view


@dataclass(frozen=True)
class Action:
    """A button under a table."""

    label: str  # an English msgid, translated when shown
    slot: Callable[[], object]
    writes: bool = True  # disabled for users who may only read


def button_bar(actions: Sequence[Action], buttons: dict[str, QPushButton]) -> QHBoxLayout:
    """A row of buttons on the right under a room's table; each kept in `buttons` by its msgid, so
    that the room enables them by what is selected (and a test finds them by name)."""
    bar = QHBoxLayout()
    bar.addStretch(1)
    for action in actions:
        button = QPushButton(_(action.label))
        button.clicked.connect(action.slot)
        bar.addWidget(button)
        buttons[action.label] = button
    return bar


class TablePage(QWidget):
    """A table of the rows a service returns, with a bar of buttons under it.

    Subclasses fill the table in `load()`. `refresh()` loads at once when the page is on screen and
    otherwise when it is next shown, so a hidden tab costs nothing until someone opens it.
    """

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.model = RowsModel(columns, self)
        self.view = rows_view(self.model)
        self.layout_.addWidget(self.view)
        self.bar = QHBoxLayout()
        self.layout_.addLayout(self.bar)
        self.buttons: dict[str, QPushButton] = {}
        self._stale = True

    def add_buttons(
        self, actions: Sequence[Action], can_write: bool, leading: Sequence[QWidget] = ()
    ) -> None:
        """The bar: `leading` widgets on the left, the buttons on the right."""
        for widget in leading:
            self.bar.addWidget(widget)
        self.bar.addStretch(1)
        for action in actions:
            button = QPushButton(_(action.label))
            button.clicked.connect(action.slot)
            button.setEnabled(can_write or not action.writes)
            self.bar.addWidget(button)
            self.buttons[action.label] = button

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def load(self) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        if self.isVisible():
            self._stale = False
            self.load()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.load()
        super().showEvent(event)


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Call back once `widget` has painted its first frame and the event loop is idle again.

    A zero-delay timer started right after show() fires before the first paint (Qt posts the
    repaint at low priority), so it cannot tell when the first frame is on the screen.
    """
    _FirstPaint(widget, callback)


def show_error(parent: QWidget | None, exc: VillagegovError | str) -> None:
    """A refusal (or a message already in the user's language) in a warning box."""
    from PySide6.QtWidgets import QMessageBox  # made when first needed: not at start-up (~5 ms)

    QMessageBox.warning(parent, _("Cannot do that"), exc if isinstance(exc, str) else exc.message())


def heading(text: str) -> QLabel:
    """A room's title: 20 px bold, with room above and below."""
    label = QLabel(text)
    label.setObjectName("heading")
    font = label.font()
    font.setPixelSize(20)
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 4, 0, 8)
    return label


def reminders_panel(name: str) -> QLabel:
    """A room's pale yellow panel of what is due or stalled, under its heading (rich text, wrapped)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setStyleSheet(f"QLabel#{name} {{ background: #fff8e1; padding: 6px; }}")
    return label


def yes_no(value: bool) -> str:
    return _("Yes") if value else ""
