"""The main window: the office's areas on the left, the chosen one on the right."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSettings, Qt, QTimer, SignalInstance
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QWidget,
)

from protocol_desk import APP_NAME
from protocol_desk.i18n import _, ngettext, record_count, shown
from protocol_desk.services.database import Database
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.reference import ReferenceService
from protocol_desk.services.safety import holds_lock
from protocol_desk.ui.area_names import AreaNames
from protocol_desk.ui.background import Reads
from protocol_desk.ui.home_view import HomeView
from protocol_desk.ui.list_area import ListArea, list_areas
from protocol_desk.ui.looks import icon
from protocol_desk.ui.meetings_view import MeetingsView
from protocol_desk.ui.safety_jobs import (
    BackupJob,
    HealthCheckJob,
    start_automatic_backup,
    start_health_check,
    start_heartbeat,
)
from protocol_desk.ui.undo import offer_undo, remember
from protocol_desk.ui.widgets import named, show_error

# Message boxes and file dialogs are imported when first used: each Qt class made costs
# the start its enums.
if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from protocol_desk.domain.safety import DamagedDatabaseError
    from protocol_desk.ui.office_sync import OfficeSharing

# The areas' buttons that change records (object names): a read-only window does not show them.
WRITING_BUTTONS = frozenset(
    {
        "newPerson",
        "editPerson",
        "mergePerson",
        "newOrganisation",
        "editOrganisation",
        "newCountry",
        "editCountry",
        "newDelegation",
        "editDelegation",
        "deleteDelegation",
        "restoreDelegation",
        "newAnniversary",
        "editAnniversary",
        "deleteAnniversary",
        "anniversaryRules",
        "createAction",
        "markDone",
        "setStatus",
    }
)


# How long after the window is built the safety jobs (health check, daily backup) start.
SAFETY_JOBS_DELAY_MS = 1500


class Area(NamedTuple):
    """One of the window's areas: its key (also its icon's name), its title in the list, and
    how it is built. (A named tuple: a dataclass would cost the start its definition.)"""

    key: str
    title: str
    build: Callable[[], QWidget]


# What Ctrl+N (and File → New) makes in each area; the people area makes what its tab shows.
NEW_IN_AREA = {
    "today": "meeting",
    "meetings": "meeting",
    "delegations": "visit",
    "anniversaries": "anniversary",
    "actions": "meeting",
}


class MainWindow(QMainWindow):
    def __init__(self, store: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.meeting_service = MeetingService(store)
        self.reference = ReferenceService(store)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("app"))
        self.setWindowTitle(
            f"{APP_NAME} — "
            + (store.path.name if store.path else _("temporary database"))
            + (" " + _("(read-only)") if store.readonly else "")
        )
        self.lock_heartbeat = start_heartbeat(self, store)
        # The page-by-page check and the daily backup read the whole file: they start once
        # the window is up and settled, not while it is being built and first painted.
        self.health_check: HealthCheckJob | None = None
        self.automatic_backup: BackupJob | None = None
        self.manual_backup: BackupJob | None = None  # the last one asked for
        self.dictionary_reads: Reads | None = None
        self.safety_timer = QTimer(self)
        self.safety_timer.setObjectName("safetyJobsTimer")
        self.safety_timer.setSingleShot(True)
        self.safety_timer.setInterval(SAFETY_JOBS_DELAY_MS)
        self.safety_timer.timeout.connect(self._start_safety_jobs)
        # Office sharing (its status, the first sync) also starts once the window is up: the
        # server's client is not imported before then.
        self.office_sharing: OfficeSharing | None = None
        self.office_timer = QTimer(self)
        self.office_timer.setObjectName("officeSharingTimer")
        self.office_timer.setSingleShot(True)
        self.office_timer.setInterval(SAFETY_JOBS_DELAY_MS // 3)
        self.office_timer.timeout.connect(self._start_office_sharing)
        # Fits a 1280 × 800 screen at 100 % and a 1440 × 900 one at 150 %.
        self.resize(1240, 760)

        self.meetings_view = MeetingsView(self.meeting_service, self.reference)
        self.meetings_view.edit_requested.connect(self.edit_meeting)
        self.meetings_view.selection_changed.connect(self._update_actions)
        self.meetings_view.show_bin.toggled.connect(
            lambda _checked: self._update_actions(self.meetings_view.selected_id())
        )

        self.nav = QListWidget()
        named(self.nav, "areaList", _("Areas"))
        self.nav.setMaximumWidth(220)
        self.nav.setStyleSheet("QListWidget#areaList::item { padding: 7px 10px; }")
        self.stack = QStackedWidget()
        self.stack.setObjectName("areaStack")
        # Each area is built the first time it is shown: the window is up sooner, and an area
        # that is never opened in a session costs nothing.
        self.areas: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {}
        for area in self._areas():
            self._builders[area.key] = area.build
            placeholder = QWidget()
            placeholder.setObjectName(f"{area.key}Placeholder")
            self.stack.addWidget(placeholder)
            item = QListWidgetItem(icon(area.key), area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setToolTip(f"{area.title} (Ctrl+{len(self._builders)})")  # a key's name stays
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)
        # The areas' names stay whole, on two lines where a language's are long.
        AreaNames(self.nav)

        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([175, 1145])
        self.setCentralWidget(self.splitter)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self._build_actions()
        self.meetings_view.delete_requested.connect(self.delete_meeting)
        self.show_area(str(QSettings().value("mainWindow/area", "today")))
        self._update_actions(None)
        self._restore_geometry()
        # Last: a window whose building failed (a damaged page read by its first view) must
        # not go on to check or back up a file it no longer has open.
        self.safety_timer.start()
        self.office_timer.start()

    def _start_safety_jobs(self) -> None:
        self.health_check = start_health_check(self, self.store, self._report_damage)
        self.automatic_backup = start_automatic_backup(self, self.store)
        if self.store.path is not None:
            # Russian case forms of names need a dictionary that takes half a second to load.
            self.dictionary_reads = Reads(
                self.store.path, self, _ignore, _ignore, "the Russian dictionary of names"
            )
            self.dictionary_reads.start(_load_dictionary)

    def office(self) -> OfficeSharing:
        """The window's office sharing (made when first needed)."""
        if self.office_sharing is None:
            from protocol_desk.ui.office_sync import OfficeSharing

            self.office_sharing = OfficeSharing(self)
        return self.office_sharing

    def show_changes_made_elsewhere(self) -> None:
        """Colleagues' changes arrived (an office sync): every area built so far reads again."""
        others = [area for area in self.areas.values() if area is not self.meetings_view]
        for area in (self.meetings_view, *others):
            for name in ("refresh_choices", "reload"):
                method = getattr(area, name, None)
                if callable(method):
                    method()

    def _start_office_sharing(self) -> None:
        self.office().start()

    # --- areas ------------------------------------------------------------------------------
    def _areas(self) -> list[Area]:
        return [
            Area("today", _("Today"), lambda: HomeView(self.store, open_area=self.show_area)),
            Area("meetings", _("Meetings"), lambda: self.meetings_view),
            Area("delegations", _("Delegations and visits"), self._delegations_view),
            Area("people", _("People and organisations"), self._people_view),
            Area("anniversaries", _("Anniversaries"), self._anniversaries_view),
            Area("actions", _("Agreed actions"), self._actions_view),
        ]

    # These areas' modules are imported when first shown: the window is up sooner.
    def _delegations_view(self) -> QWidget:
        from protocol_desk.ui.delegations_view import DelegationsView

        view = DelegationsView(self.store)
        return self._keeping_meetings_current(view, view.data_changed)

    def _people_view(self) -> QWidget:
        from protocol_desk.ui.people_view import PeopleArea

        view = PeopleArea(self.store)
        return self._keeping_meetings_current(view, view.data_changed)

    def _anniversaries_view(self) -> QWidget:
        from protocol_desk.ui.anniversaries_view import AnniversariesView

        # A linked action's due date, shown with its meeting, follows its anniversary.
        view = AnniversariesView(self.store)
        return self._keeping_meetings_current(view, view.data_changed)

    def _actions_view(self) -> QWidget:
        from protocol_desk.ui.actions_view import ActionsView

        view = ActionsView(self.store)
        return self._keeping_meetings_current(view, view.data_changed)

    def _keeping_meetings_current(self, view: QWidget, data_changed: SignalInstance) -> QWidget:
        # Meetings show people by name, belong to visits and list their actions' status:
        # a merge, a rename or a closed action shows there too.
        data_changed.connect(self.meetings_view.refresh_choices)
        data_changed.connect(self.meetings_view.reload)
        return view

    def show_area(self, key: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return

    def area(self, key: str) -> QWidget:
        """The area's view, built now if it has not been shown yet."""
        if key not in self.areas:
            row = list(self._builders).index(key)
            placeholder = self.stack.widget(row)
            assert placeholder is not None
            widget = self._builders[key]()
            self._hide_writing(widget)
            self.areas[key] = widget
            self.stack.insertWidget(row, widget)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        return self.areas[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = list(self._builders)[row]
        self.stack.setCurrentWidget(self.area(key))
        QSettings().setValue("mainWindow/area", key)
        self._update_actions(self.meetings_view.selected_id())

    def current_area(self) -> str:
        return list(self._builders)[max(self.nav.currentRow(), 0)]

    def _on_meetings(self) -> bool:
        return self.stack.currentWidget() is self.meetings_view

    # --- actions ----------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        name: str,
        slot: Callable[[], None],
        shortcut: str | QKeySequence.StandardKey | None = None,
        icon_name: str | None = None,
    ) -> QAction:
        # Built from its parent, then named: QAction(text, parent) makes PySide6 weigh the
        # icon overloads, which costs the start a few milliseconds.
        action = QAction(self)
        action.setText(text)
        action.setObjectName(name)
        tip = text.replace("&", "").rstrip("…")
        if shortcut is not None:
            keys = QKeySequence(shortcut)
            action.setShortcut(keys)
            tip += f" ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)  # a tooltip names the action's key
        if icon_name is not None:
            action.setIcon(icon(icon_name))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _name_undo_keys(self, _index: int = 0) -> None:
        """Undo's and Redo's tooltips say what they take back, and their keys."""
        for action in (self.undo_action, self.redo_action):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.text()} ({keys})")

    def _shower(self, key: str) -> Callable[[], None]:
        return lambda: self.show_area(key)

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_meeting_action = self._action(
            _("New meeting…"), "newMeeting", self.new_meeting, None, "new"
        )
        self.new_here_action = self._action(
            _("&New…"), "newRecord", self.new_in_area, key.New, "new"
        )
        self.new_actions = {
            kind: self._action(f"{label}…", f"new{kind.capitalize()}Record", slot)
            for kind, label, slot in (
                ("meeting", _("Meeting"), self.new_meeting),
                ("visit", _("Visit or delegation"), lambda: self.new_record("visit")),
                ("person", _("Person"), lambda: self.new_record("person")),
                ("organisation", _("Organisation"), lambda: self.new_record("organisation")),
                ("country", _("Country"), lambda: self.new_record("country")),
                ("anniversary", _("Anniversary"), lambda: self.new_record("anniversary")),
            )
        }
        self.edit_meeting_action = self._action(
            _("Edit…"),
            "editMeeting",
            lambda: self.edit_meeting(self.meetings_view.selected_id()),
            None,
            "edit",
        )
        self.delete_meeting_action = self._action(
            _("Delete…"), "deleteMeeting", self.delete_meeting, None, "delete"
        )
        self.delete_meeting_action.setToolTip(_("Move the selected meetings to the bin (Del)"))
        self.restore_meeting_action = self._action(
            _("Restore"), "restoreMeeting", self._restore_selected, None, "restore"
        )
        self.search_action = self._action(
            _("&Find"), "findMeeting", self.focus_search, key.Find, "find"
        )
        self.briefing_action = self._action(
            _("Briefing…"), "briefing", self.open_briefing, "Ctrl+B", "briefing"
        )
        self.export_action = self._action(
            _("Export everything…"), "exportData", self.export_data, None, "export"
        )
        self.export_list_action = self._action(
            _("Export list…"), "exportList", self.export_list, "Ctrl+E", "export"
        )
        self.import_action = self._action(
            _("&Import…"), "importData", self.import_data, None, "import"
        )
        self.print_action = self._action(_("&Print…"), "print", self.print_list, key.Print, "print")
        self.preview_action = self._action(
            _("Print pre&view…"), "printPreview", self.preview_list, "Ctrl+Shift+P", "preview"
        )
        self.print_meeting_action = self._action(
            _("Print meeting…"), "printMeeting", self.print_meeting, None, "print"
        )
        self.print_meeting_action.setToolTip(
            _("Print the selected meeting, as its PDF, from a print preview")
        )
        self.backup_action = self._action(
            _("Back up now"), "backupNow", self.back_up_now, None, "backup"
        )
        self.restore_backup_action = self._action(
            _("Restore from backup…"),
            "restoreBackup",
            self.restore_from_backup,
            None,
            "restore-backup",
        )
        self.history_action = self._action(
            _("History…"), "meetingHistory", self.show_history, None, "history"
        )
        self.quit_action = self._action(_("&Quit"), "quit", self._quit, "Ctrl+Q", "quit")

        self.undo_action = self.undo_stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcut(QKeySequence(key.Undo))
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = self.undo_stack.createRedoAction(self, _("&Redo"))
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcut(QKeySequence(key.Redo))
        self.redo_action.setIcon(icon("redo"))
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
        self.undo_stack.indexChanged.connect(self._name_undo_keys)
        self._name_undo_keys()
        self.copy_action = self._action(_("&Copy"), "copy", self.copy_selection, None, "copy")
        self.copy_action.setToolTip(_("Copy the selected rows (Ctrl+C in a list)"))
        self.preferences_action = self._action(
            _("Pre&ferences…"), "preferences", self.show_preferences, key.Preferences, "preferences"
        )
        self.refresh_action = self._action(
            _("&Refresh"), "refresh", self.refresh, key.Refresh, "refresh"
        )
        self.area_actions = [
            self._action(
                area.title,
                f"show{area.key.capitalize()}",
                self._shower(area.key),
                f"Ctrl+{number}",
                area.key,
            )
            for number, area in enumerate(self._areas(), 1)
        ]
        self.guide_action = self._action(
            _("&User guide"), "userGuide", self.show_user_guide, key.HelpContents, "help"
        )
        self.keys_action = self._action(
            _("&Keyboard shortcuts"), "keyboardShortcuts", self.show_shortcuts, None, "keyboard"
        )
        self.about_action = self._action(
            _("&About {app}").format(app=APP_NAME), "about", self.show_about, None, "about"
        )
        self.connect_action = self._action(
            _("Connect to the office server…"),
            "connectOffice",
            lambda: self.office().connect_dialog(),
        )
        self.sync_action = self._action(
            _("Sync now"), "syncNow", lambda: self.office().sync_now(), "Ctrl+R"
        )
        self.sync_action.setEnabled(False)
        self.conflicts_action = self._action(
            _("Conflicts…"), "officeConflicts", lambda: self.office().show_conflicts()
        )
        self.conflicts_action.setEnabled(False)

        toolbar = QToolBar(_("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (
            self.new_here_action,
            self.edit_meeting_action,
            self.delete_meeting_action,
            self.restore_meeting_action,
            self.briefing_action,
            self.print_action,
            self.undo_action,
        ):
            toolbar.addAction(action)
        self.addToolBar(toolbar)

        menus = self.menuBar()
        file_menu = menus.addMenu(_("&File"))
        file_menu.setObjectName("fileMenu")
        new_menu = file_menu.addMenu(icon("new"), _("&New"))
        new_menu.setObjectName("newMenu")
        for action in self.new_actions.values():
            new_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_list_action)
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.preview_action)
        file_menu.addAction(self.print_meeting_action)
        file_menu.addAction(self.briefing_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.connect_action)
        file_menu.addAction(self.sync_action)
        file_menu.addAction(self.conflicts_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu(_("&Edit"))
        edit_menu.setObjectName("editMenu")
        for action in (self.undo_action, self.redo_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.search_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        view_menu = menus.addMenu(_("&View"))
        view_menu.setObjectName("viewMenu")
        for action in self.area_actions:
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        meeting_menu = menus.addMenu(_("&Meeting"))
        meeting_menu.setObjectName("meetingMenu")
        for action in (
            self.new_meeting_action,
            self.edit_meeting_action,
            self.delete_meeting_action,
            self.restore_meeting_action,
            self.print_meeting_action,
            self.briefing_action,
            self.history_action,
        ):
            meeting_menu.addAction(action)
        self.meetings_view.list_area.add_record_action(self.print_meeting_action)
        help_menu = menus.addMenu(_("&Help"))
        help_menu.setObjectName("helpMenu")
        for action in (self.guide_action, self.keys_action, self.about_action):
            help_menu.addAction(action)
        for menu in (file_menu, new_menu, edit_menu, view_menu, meeting_menu, help_menu):
            menu.setToolTipsVisible(True)

    def _update_actions(self, meeting_id: object) -> None:
        # Edit, Delete (the Del key), Restore and History act on the meeting selected in the
        # list: in another area that meeting is out of sight, and Del was meant for what is.
        selected = meeting_id is not None and self._on_meetings()
        # Read-only (in use elsewhere, or an unwritable file): nothing that writes is offered.
        writable = not self.store.readonly
        in_bin = self.meetings_view.showing_bin()
        self.edit_meeting_action.setEnabled(selected and writable and not in_bin)
        self.delete_meeting_action.setEnabled(selected and writable and not in_bin)
        self.restore_meeting_action.setEnabled(selected and writable and in_bin)
        self.history_action.setEnabled(selected)
        self.print_meeting_action.setEnabled(selected)
        for action in (
            self.new_meeting_action,
            self.new_here_action,
            self.import_action,
            *self.new_actions.values(),
        ):
            action.setEnabled(writable)
        # A window that holds the lock may restore even when read-only (found damaged).
        self.restore_backup_action.setEnabled(writable or holds_lock(self.store))
        self.statusBar().showMessage(
            (f"{self.store.path}" if self.store.path else _("Temporary database"))
            + (" — " + _("read-only") if self.store.readonly else "")
        )

    def _report_damage(self, problem: DamagedDatabaseError) -> None:
        from protocol_desk.ui.safety_dialogs import report_damage

        report_damage(self, self.store, problem, self.became_read_only)

    def became_read_only(self) -> None:
        """The database was switched to read-only while open (found damaged)."""
        self._update_actions(self.meetings_view.selected_id())
        for widget in self.areas.values():
            self._hide_writing(widget)

    def _hide_writing(self, area: QWidget) -> None:
        # Writes would be refused anyway ("open read-only"); better not to offer them.
        if not self.store.readonly:
            return
        for button in area.findChildren(QAbstractButton):
            if button.objectName() in WRITING_BUTTONS:
                button.setVisible(False)

    def _quit(self) -> None:
        self.close()

    def focus_search(self) -> None:
        """Ctrl+F: the search field of the area shown (the meetings' from the Today page)."""
        if self.current_area() == "today":
            self.show_area("meetings")
        area = self.area(self.current_area())
        tab = area.currentWidget() if isinstance(area, QTabWidget) else None
        search = getattr(tab or area, "search", None)
        if isinstance(search, QLineEdit):
            search.setFocus()
            search.selectAll()

    # --- new records --------------------------------------------------------------------------
    def new_in_area(self) -> None:
        """Ctrl+N: a new record of the kind the area shown lists."""
        area = self.current_area()
        if area == "people":
            people = self.area("people")
            tab = people.currentIndex() if isinstance(people, QTabWidget) else 0
            self.new_record(("person", "organisation", "country")[max(tab, 0)])
        else:
            self.new_record(NEW_IN_AREA.get(area, "meeting"))

    def new_record(self, kind: str) -> None:
        if kind == "meeting":
            self.new_meeting()
            return
        area_key = {"visit": "delegations", "anniversary": "anniversaries"}.get(kind, "people")
        self.show_area(area_key)
        view = self.area(area_key)
        if kind == "visit":
            view.edit_delegation(new=True)  # type: ignore[attr-defined]
        elif kind == "anniversary":
            view.edit(None)  # type: ignore[attr-defined]
        else:
            tab = ("person", "organisation", "country").index(kind)
            assert isinstance(view, QTabWidget)
            view.setCurrentIndex(tab)
            shown = view.currentWidget()
            getattr(shown, f"edit_{kind}")(new=True)

    # --- the list shown: copy, export, print -------------------------------------------------
    def current_list(self) -> ListArea | None:
        areas = list_areas(self.area(self.current_area()))
        return areas[0] if areas else None

    def copy_selection(self) -> None:
        shown = self.current_list()
        if shown is not None:
            shown.copy()

    def export_list(self) -> None:
        shown = self.current_list()
        if shown is None:
            self.statusBar().showMessage(_("This area has no list to export."), 5000)
            return
        shown.export(*shown.every_row())

    def print_list(self) -> None:
        self._print(preview=False)

    def preview_list(self) -> None:
        self._print(preview=True)

    def _print(self, *, preview: bool) -> None:
        """Ctrl+P prints what is shown: the area's list, as a table of the rows its filter
        shows."""
        shown = self.current_list()
        if shown is None:
            self.statusBar().showMessage(_("This area has no list to print."), 5000)
            return
        shown.print(*shown.every_row(), preview=preview)

    def print_meeting(self) -> None:
        """The selected meeting on paper: its PDF, through the print preview."""
        from protocol_desk.ui.printing import print_meeting

        meeting_id = self.meetings_view.selected_id()
        if meeting_id is None or not self._on_meetings():
            return
        try:
            print_meeting(self, self.store, meeting_id, preview=True)
        except Exception as error:
            show_error(self, error, _("Not printed"))

    def refresh(self) -> None:
        """F5: every area built so far reads its records again."""
        self.show_changes_made_elsewhere()

    def reload(self) -> None:
        """After an Undo or Redo of a change made from the window (a meeting's edit)."""
        self.show_changes_made_elsewhere()

    # --- help and preferences -----------------------------------------------------------------
    def show_user_guide(self) -> None:
        from protocol_desk.ui.help import show_user_guide

        show_user_guide(self)

    def show_shortcuts(self) -> None:
        from protocol_desk.ui.help import show_shortcuts

        show_shortcuts(self)

    def show_about(self) -> None:
        from protocol_desk.ui.help import show_about

        show_about(self, self.store.path)

    def show_preferences(self) -> None:
        from protocol_desk.ui.help import show_preferences

        show_preferences(self)

    # --- meetings ---------------------------------------------------------------------------
    def new_meeting(self) -> None:
        self.edit_meeting(None)

    def edit_meeting(self, meeting_id: object) -> None:
        from protocol_desk.ui.meeting_editor import MeetingEditor

        editor = MeetingEditor(
            self.meeting_service,
            self.reference,
            meeting_id=meeting_id if isinstance(meeting_id, int) else None,
            parent=self,
        )
        if editor.exec():
            self.meetings_view.refresh_choices()
            self.meetings_view.reload(select_id=editor.saved_id)
            self.show_area("meetings")

    def open_briefing(self) -> None:
        """The briefing dialog, on the selected meeting when there is one."""
        from protocol_desk.services.briefing import Subject, SubjectKind
        from protocol_desk.ui.briefing_dialog import BriefingDialog

        meeting_id = self.meetings_view.selected_id() if self._on_meetings() else None
        subject = Subject(SubjectKind.MEETING, meeting_id) if meeting_id is not None else None
        # As of the day the officer is looking at (Today's, the anniversaries', the actions').
        looked_at = getattr(self.area(self.current_area()), "day_looked_at", None)
        as_of = looked_at() if callable(looked_at) else None
        BriefingDialog(self.store, subject, as_of=as_of, parent=self).exec()

    def delete_meeting(self) -> None:
        meeting_ids = self.meetings_view.selected_ids()
        if not meeting_ids or self.store.readonly or self.meetings_view.showing_bin():
            return
        from PySide6.QtWidgets import QMessageBox

        if len(meeting_ids) == 1:
            meeting = self.meeting_service.get(meeting_ids[0])
            what = f"“{meeting.subject}”"
            question = _("Move {what} to the bin?").format(what=what)
            held = (
                ngettext(
                    "Its participants, {n} source",
                    "Its participants, {n} sources",
                    len(meeting.sources),
                ).format(n=len(meeting.sources))
                + " "
                + ngettext(
                    "and {n} agreed action stay with it, and you can restore it with Undo.",
                    "and {n} agreed actions stay with it, and you can restore it with Undo.",
                    len(meeting.actions),
                ).format(n=len(meeting.actions))
            )
        else:
            what = ngettext("this {n} meeting", "these {n} meetings", len(meeting_ids)).format(
                n=len(meeting_ids)
            )
            question = ngettext(
                "Move this {n} meeting to the bin?",
                "Move these {n} meetings to the bin?",
                len(meeting_ids),
            ).format(n=len(meeting_ids))
            held = _(
                "Their participants, sources and agreed actions stay with them, and you can "
                "restore them with Undo."
            )
        answer = QMessageBox.question(self, _("Delete meeting"), f"{question}\n\n{held}")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.meeting_service.delete_many(meeting_ids)
        except Exception as error:
            show_error(self, error, _("Not deleted"))
            return
        self.meetings_view.reload()
        remember(
            self,
            _("Delete of {what}").format(what=what),
            lambda: self.meeting_service.restore_many(meeting_ids),
            lambda: self.meeting_service.delete_many(meeting_ids),
            self.meetings_view.reload,
        )
        self._offer_undo(meeting_ids)

    def _offer_undo(self, meeting_ids: list[int]) -> None:
        count = len(meeting_ids)
        offer_undo(
            self,
            ngettext("Meeting deleted", "Meetings deleted", count),
            _("The meeting was moved to the bin.")
            if count == 1
            else ngettext(
                "{n} meeting was moved to the bin.", "{n} meetings were moved to the bin.", count
            ).format(n=count),
        )

    def _restore_selected(self) -> None:
        meeting_id = self.meetings_view.selected_id()
        if meeting_id is not None:
            self.meetings_view.show_bin.setChecked(False)
            self.restore_meeting(meeting_id)

    def restore_meeting(self, meeting_id: int) -> None:
        try:
            self.meeting_service.restore(meeting_id)
        except Exception as error:
            show_error(self, error, _("Not restored"))
            return
        self.meetings_view.reload(select_id=meeting_id)

    # --- safety (the dialogs' module is imported when first needed) --------------------------
    def back_up_now(self) -> None:
        from protocol_desk.ui.safety_dialogs import back_up_now

        self.manual_backup = back_up_now(self, self.store, self.backup_action) or self.manual_backup

    def restore_from_backup(self) -> None:
        from protocol_desk.ui.safety_dialogs import restore_from_backup

        restore_from_backup(self, self.store)

    def show_history(self) -> None:
        from protocol_desk.ui.safety_dialogs import show_meeting_history

        show_meeting_history(self, self.store, self.meetings_view.selected_id())

    # --- import and export ------------------------------------------------------------------
    def export_data(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export everything"), "protocol-desk-export.json", "JSON (*.json)"
        )
        if not path:
            return
        from protocol_desk.services.exchange import export_file  # not needed to start

        try:
            export_file(self.store, Path(path))
        except Exception as error:
            show_error(self, error, _("Not exported"))
            return
        self.statusBar().showMessage(_("Exported to {path}").format(path=path), 5000)

    def import_data(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        path, _filter = QFileDialog.getOpenFileName(self, _("Import"), "", "JSON (*.json)")
        if not path:
            return
        from protocol_desk.services.exchange import import_file

        same_people: list[str] = []
        try:
            counts = import_file(self.store, Path(path), same_people)
        except Exception as error:
            show_error(self, error, _("Nothing imported"))
            return
        self.meetings_view.refresh_choices()
        self.meetings_view.reload()
        QMessageBox.information(
            self,
            _("Imported"),
            _("Imported: {counts}.").format(
                counts=", ".join(record_count(kind, n) for kind, n in counts.items())
            )
            + "".join(f"\n\n{shown(line)}" for line in same_people[:10]),
        )

    # --- window state -----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            return
        # A first start on a small or scaled screen: no larger than the screen.
        room = self.screen().availableGeometry()
        self.resize(min(self.width(), room.width()), min(self.height(), room.height()))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.safety_timer.stop()  # closed before they started: they do not
        self.office_timer.stop()
        if self.health_check is not None:
            self.health_check.cancelled.set()
        # Areas reading beside the window stop before its connection is closed.
        others = (area for area in self.areas.values() if area is not self.meetings_view)
        for area in (self.meetings_view, *others):
            shutdown = getattr(area, "shutdown", None)
            if callable(shutdown):
                shutdown()
        if self.office_sharing is not None:
            self.office_sharing.timer.stop()
            self.office_sharing.wait()  # its connection is its own; let it finish
        if self.dictionary_reads is not None:
            self.dictionary_reads.close()
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        super().closeEvent(event)


def _load_dictionary(_service: MeetingService) -> bool:
    from protocol_desk.domain.names import prepare_russian

    prepare_russian()
    return True


def _ignore(_number: int, _what: object) -> None:
    """The dictionary's load reports nothing: names are matched without it until it is in."""
