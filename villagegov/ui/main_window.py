"""The main window: a navigation of the rooms on the left, the chosen room on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from villagegov.accounts import rules as access
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.changes import Changes
from villagegov.core.i18n import N_, _, format_date, ngettext
from villagegov.roster import service as roster
from villagegov.ui import ops
from villagegov.ui.widgets import after_first_paint, heading

# (key, name, what the room will hold); rooms not yet built show their heading and purpose.
ROOMS: tuple[tuple[str, str, str], ...] = (
    ("roster", N_("Roster"), N_("Villager groups, households and villagers.")),
    ("council", N_("Villagers' council"),
     N_("Council members and terms, meetings, attendance, votes, resolutions and minutes.")),
    ("decisions", N_("Four deliberations, two disclosures"),
     N_("Major village matters carried through their six steps, ending in two public disclosures.")),
    ("ceremonies", N_("Weddings and funerals council"),
     N_("Weddings and funerals reported, supervised and followed up against the village's caps.")),
    ("notices", N_("Public notices"),
     N_("Party, village and finance notices posted on the bulletin board, with their objections.")),
    ("petitions", N_("Villagers' ledgers and mediation"),
     N_("Suggestions, claims and complaints, and the mediation of disputes, each tracked to its end.")),
    ("archive", N_("Archives"), N_("The yearly package for the township's review.")),
    ("settings", N_("Settings"), N_("Language, users and the database.")),
)  # fmt: skip


TOWNSHIP_ROOMS = ("archive", "settings")  # what a township reviewer, who keeps no village, opens

NAV_STYLE = """
QListWidget { font-size: 15px; }
QListWidget::item { padding: 8px 10px; }
"""
NAV_SLACK = 8  # pixels beyond the longest name, so that no font's rounding elides it
# English names are twice as long as Chinese ones: beyond this width they wrap onto a second line
# instead of taking ~100 px from every room (whose lists then lost their last columns off screen).
NAV_MAX_WIDTH = 200
# The petitions' due/overdue indicator is counted this long after the window's first frame is on the
# screen: the first paint never waits for it (its service's import is ~50 ms; the counts ~1 ms).
ATTENTION_DELAY_MS = 300
PREVIEW_IMPORT_DELAY_MS = 600
# The records whose changes the indicator counts again (wherever they were changed).
ATTENTION_KINDS = frozenset(
    {"petition", "petition_step", "mediation", "mediation_session", "mediation_follow_up"}
)


DEFAULT_SIZE = (1280, 800)
SCREEN_MARGIN = 40  # the window's frame and title bar beyond its size


def _scrolling(room: QWidget) -> QScrollArea:
    """A room in a frameless scroll area: on a small or scaled screen nothing is cut off at the window's
    edge — what does not fit can be scrolled to."""
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(room)
    return area


def _import_preview() -> None:
    import villagegov.documents
    import villagegov.ui.pdf_preview  # noqa: F401 - Qt's PDF viewer


class PlaceholderRoom(QWidget):
    def __init__(self, title: str, purpose: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        text = QLabel(purpose + "\n\n" + _("This room is being built and comes in a later version."))
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    def __init__(self, actor: Actor, database: str, today: date | None = None, notice: str = "") -> None:
        super().__init__()
        self.actor = actor
        self.database = database
        self._today = today
        self.reopen_requested = False  # closed to open the database afresh (after a restore)
        if actor.village_id is None:  # a township reviewer: the imported archives, read-only
            info = roster.VillageInfo(0, _("Township review"), "", "")
            self.setWindowTitle(_("Township review"))
        else:
            info = roster.village(actor)
            # Qt adds the application's name (村务记录) after the title: it is not repeated here.
            self.setWindowTitle(_("{village}, {township}").format(village=info.name, township=info.township))
        self.resize(*DEFAULT_SIZE)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet(NAV_STYLE)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setWordWrap(True)
        self.stack = QStackedWidget()
        self.rooms: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {
            "roster": self._roster_room,
            "council": self._council_room,
            "decisions": self._decisions_room,
            "notices": self._notices_room,
            "archive": self._archive_room,
            "ceremonies": self._ceremonies_room,
            "petitions": self._petitions_room,
            "settings": self._settings_room,
        }
        for key, name, _purpose in ROOMS:
            if actor.village_id is None and key not in TOWNSHIP_ROOMS:
                continue
            item = QListWidgetItem(_(name))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            placeholder = QWidget()
            self.stack.addWidget(_scrolling(placeholder))
            self.rooms[key] = placeholder
        self._purposes = {key: (name, purpose) for key, name, purpose in ROOMS}
        self.nav.currentRowChanged.connect(self._show_row)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        width = self._fit_navigation()
        splitter.setSizes([width, self.width() - width])
        self._menus()
        self.statusBar().showMessage(
            _("{village} · {name} ({role}) · {today}").format(
                village=info.name,
                name=actor.display_name,
                role=access.role_label(actor.role),
                today=format_date(today or clock.today()),
            )
        )
        self.nav.setCurrentRow(0)
        self.attention = QLabel()
        self.attention.setObjectName("attention")
        self.attention.linkActivated.connect(lambda _link: self.show_room("petitions"))
        self.statusBar().addPermanentWidget(self.attention)
        # Something the clerk should know about the files (the database was readable by others).
        self.notice = QLabel(notice)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        self.statusBar().addPermanentWidget(self.notice)
        # A child timer: it dies with the window, so it never fires into a closed one.
        self._attention_timer = QTimer(self)
        self._attention_timer.setSingleShot(True)
        self._attention_timer.timeout.connect(self.refresh_attention)
        after_first_paint(self, self._after_first_frame)
        ops.bus().changed.connect(self._changed)

    def _after_first_frame(self) -> None:
        self._attention_timer.start(ATTENTION_DELAY_MS)
        from villagegov.printing.fonts import warm_up

        warm_up()  # the first print preview then does not wait for the fonts (~0.6 s)
        # Qt's PDF viewer and the papers' table, imported while the clerk reads the first screen rather
        # than when the first preview is asked for (~100 ms of a frozen window then).
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.timeout.connect(_import_preview)
        self._preview_timer.start(PREVIEW_IMPORT_DELAY_MS)

    def _changed(self, what: Changes) -> None:
        if what.touches(ATTENTION_KINDS):
            self.refresh_attention()

    def refresh_attention(self) -> None:
        """Petitions overdue or due soon, and disputes past their month, in the status bar."""
        if self.actor.village_id is None:
            return  # a township reviewer reads many villages
        from villagegov.petitions import service as petitions

        counts = petitions.attention(self.actor, self._today)
        parts = []
        if counts.overdue:
            parts.append(ngettext("{n} overdue", "{n} overdue", counts.overdue).format(n=counts.overdue))
        if counts.due_soon:
            parts.append(ngettext("{n} due soon", "{n} due soon", counts.due_soon).format(n=counts.due_soon))
        if counts.mediations_overdue:
            n = counts.mediations_overdue
            parts.append(ngettext("{n} dispute overdue", "{n} disputes overdue", n).format(n=n))
        text = _("Petitions: {counts}").format(counts=_("; ").join(parts)) if parts else ""
        colour = "#b00020" if counts.overdue or counts.mediations_overdue else "#8a5a00"
        self.attention.setText(f'<a href="petitions" style="color: {colour};">{text}</a>' if text else "")

    def _fit_navigation(self) -> int:
        """As wide as the longest room name in the language shown, up to NAV_MAX_WIDTH (then they wrap)."""
        self.nav.ensurePolished()  # the style sheet's font size and item padding
        width = min(self.nav.sizeHintForColumn(0), NAV_MAX_WIDTH) + 2 * self.nav.frameWidth() + NAV_SLACK
        self.nav.setMinimumWidth(width)
        return width

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        backup = self._action(_("&Back up now"))
        backup.triggered.connect(lambda: self.show_room("settings"))
        file_menu.addAction(backup)
        quit_action = self._action(_("&Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        about = self._action(_("&About villagegov"))
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _action(self, text: str) -> QAction:
        # QAction(text, parent) makes Qt's icon class first (QAction(icon, text, parent) is tried):
        # ~2 ms of the window's start for menus without icons.
        action = QAction(self)
        action.setText(text)
        return action

    def closeEvent(self, event: QCloseEvent) -> None:
        """Long work on other threads (an export) ends before the window does."""
        for room in self.rooms.values():
            shutdown = getattr(room, "shutdown", None)
            if callable(shutdown):
                shutdown()
        ops.shutdown()
        super().closeEvent(event)

    def about(self) -> None:
        from villagegov.ui.about import show_about

        show_about(self, self.database)

    def _roster_room(self) -> QWidget:
        from villagegov.roster.views import RosterRoom

        return RosterRoom(self.actor)

    def _council_room(self) -> QWidget:
        from villagegov.council.views import CouncilRoom

        return CouncilRoom(self.actor)

    def _decisions_room(self) -> QWidget:
        from villagegov.decisions.views import DecisionsRoom

        return DecisionsRoom(self.actor)

    def _notices_room(self) -> QWidget:
        from villagegov.notices.views import NoticesRoom

        return NoticesRoom(self.actor)

    def _archive_room(self) -> QWidget:
        from villagegov.archive.views import ArchiveRoom

        return ArchiveRoom(self.actor)

    def _ceremonies_room(self) -> QWidget:
        from villagegov.ceremonies.views import CeremoniesRoom

        return CeremoniesRoom(self.actor)

    def _petitions_room(self) -> QWidget:
        from villagegov.petitions.views import PetitionsRoom

        return PetitionsRoom(self.actor)

    def _settings_room(self) -> QWidget:
        from villagegov.ui.settings_view import SettingsRoom

        room = SettingsRoom(self.actor, self.database)
        room.restored.connect(self.reopen)
        return room

    def reopen(self) -> None:
        """The records were replaced (a restore): close, and let the app sign in to them afresh."""
        self.reopen_requested = True
        self.close()

    def _show_row(self, row: int) -> None:
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        self._ensure(key)
        self.stack.setCurrentWidget(self._page(key))

    def _page(self, key: str) -> QScrollArea:
        """The scroll area a room sits in."""
        area = self.rooms[key].parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        assert area is not None
        return area

    def current_room(self) -> QWidget:
        page = self.stack.currentWidget()
        assert isinstance(page, QScrollArea)
        return page.widget()

    def fit_to_screen(self) -> None:
        """Open inside the screen's free area (the taskbar excluded): at the default size where it fits,
        else maximised — a 1366×768 office screen, or any screen at 125 % or 150 % scaling."""
        screen = self.screen().availableGeometry()
        width, height = DEFAULT_SIZE
        if screen.width() < width + SCREEN_MARGIN or screen.height() < height + SCREEN_MARGIN:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            self.resize(min(width, screen.width()), min(height, screen.height()))
            return
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(screen.center())
        self.move(frame.topLeft())

    def _ensure(self, key: str) -> QWidget:
        """Rooms are built when first opened, so start-up only pays for the first one."""
        current = self.rooms[key]
        if current.objectName() == "built":
            return current
        builder = self._builders.get(key)
        name, purpose = self._purposes[key]
        room = builder() if builder else PlaceholderRoom(_(name), _(purpose))
        room.setObjectName("built")
        page = self._page(key)
        page.takeWidget()
        current.deleteLater()
        page.setWidget(room)
        self.rooms[key] = room
        return room

    def show_room(self, key: str) -> QWidget:
        row = [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.nav.count())].index(key)
        self.nav.setCurrentRow(row)
        return self.rooms[key]
