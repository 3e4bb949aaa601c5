"""The safety dialogs: opening the database (in use, damaged), backups, restore, a record's
history, and choosing between your version and a colleague's."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from protocol_desk import APP_NAME
from protocol_desk.domain.errors import ConflictError, DatabaseError, ProtocolDeskError
from protocol_desk.domain.models import Meeting
from protocol_desk.services.safety import (
    Conflict,
    HistoryLine,
    OpenedDatabase,
    SafetyService,
    automatic_backup_due,
    health_problem,
    make_automatic_backup,
    open_for_editing,
    open_read_only,
    restore_file,
    stop_writing,
)
from protocol_desk.store import Store
from protocol_desk.store.backup import BackupInfo, format_moment
from protocol_desk.store.connection import (
    DamagedDatabaseError,
    ReadOnlyLocationError,
    UnusableDatabaseError,
)
from protocol_desk.store.lock import REFRESH_EVERY, DatabaseInUseError
from protocol_desk.ui.widgets import named, show_error

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(size // 1024, 1)} KB"


def _first_line(text: str, limit: int = 120) -> str:
    line = text.split("\n", 1)[0]
    if len(line) > limit:
        return line[: limit - 1] + "…"
    return line + (" …" if "\n" in text else "")


class _RowsModel(QAbstractTableModel):
    """A small read-only table over a list: backups, history lines, differences."""

    headers: tuple[str, ...] = ()

    def __init__(self, rows: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = list(rows)

    def cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def full_text(self, row: Any, column: int) -> str:
        return self.cells(row)[column]

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _first_line(self.cells(row)[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.full_text(row, index.column())
            return text[:2000] if text else None
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


def _table(model: QAbstractTableModel, object_name: str, accessible: str) -> QTableView:
    view = QTableView()
    named(view, object_name, accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


# --- backups -------------------------------------------------------------------------------


class BackupsModel(_RowsModel):
    headers = ("Made", "Why", "Size", "File")

    def cells(self, row: BackupInfo) -> tuple[str, ...]:
        return (row.when, row.reason_text, _size(row.size), row.path.name)

    def full_text(self, row: BackupInfo, column: int) -> str:
        return str(row.path) if column == 3 else self.cells(row)[column]


class RestoreDialog(QDialog):
    """Lists the backups with their dates; restores the chosen one after confirmation."""

    def __init__(self, safety: SafetyService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.safety = safety
        self.kept_at: Path | None = None
        self.restored: BackupInfo | None = None
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from backup")
        self.resize(760, 380)
        backups = safety.backups()
        self.model = BackupsModel(backups, self)
        intro = QLabel(
            "Choose the backup to go back to. The database as it is now is not deleted: it is "
            "renamed and kept beside it, so you can go back again."
            if backups
            else "There are no backups of this database yet. Use File → Back up now to make one; "
            "Protocol Desk also makes one automatically each day it is started."
        )
        intro.setWordWrap(True)
        intro.setObjectName("restoreIntro")
        self.table = _table(self.model, "backupList", "Backups")
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.table.setColumnWidth(0, 190)
        self.table.setColumnWidth(1, 240)
        self.table.setColumnWidth(2, 80)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("Restore…")
        named(self.restore_button, "restoreButton", "Restore the chosen backup")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if backups:
            self.table.selectRow(0)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self._update()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def confirm(self, backup: BackupInfo) -> bool:
        box = QMessageBox(self)
        box.setObjectName("confirmRestore")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Restore from backup")
        box.setText(f"Go back to the backup of {backup.when}?")
        box.setInformativeText(
            "Changes made since then will not be in the database. The current file is kept "
            "beside it under a new name, so nothing is deleted."
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or not self.confirm(backup):
            return
        try:
            self.kept_at = self.safety.restore(backup)
        except Exception as error:
            show_error(self, error, "Not restored")
            return
        self.restored = backup
        self.accept()


# --- history -------------------------------------------------------------------------------


class HistoryModel(_RowsModel):
    headers = ("When", "Who", "Record", "Change", "Field", "Before", "After")

    def cells(self, row: HistoryLine) -> tuple[str, ...]:
        return (
            format_moment(row.when),
            row.who,
            row.record,
            row.action,
            row.field,
            row.old,
            row.new,
        )


class HistoryDialog(QDialog):
    """A record's change log: when, who, which field, before and after; newest first."""

    def __init__(self, title: str, lines: list[HistoryLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(f"History — {title}")
        self.resize(980, 520)
        self.model = HistoryModel(lines, self)
        heading = QLabel(
            f"{len(lines)} change{'s' if len(lines) != 1 else ''} to “{title}”, newest first. "
            "The log cannot be edited."
            if lines
            else f"No changes are recorded for “{title}”."
        )
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        self.table = _table(self.model, "historyTable", "Change history")
        for column, width in enumerate((170, 90, 110, 80, 130, 170)):
            self.table.setColumnWidth(column, width)
        self.detail = QPlainTextEdit()
        named(self.detail, "historyDetail", "The selected change in full")
        self.detail.setReadOnly(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([340, 120])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.table.selectionModel().currentRowChanged.connect(self._show)
        if lines:
            self.table.selectRow(0)

    def _show(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        line: HistoryLine = self.model.rows[current.row()]
        parts = [f"{format_moment(line.when)} — {line.who}: {line.action} {line.record.lower()}"]
        if line.field:
            parts.append(f"Field: {line.field}")
        if line.old:
            parts.append(f"Before:\n{line.old}")
        if line.new:
            parts.append(f"After:\n{line.new}")
        self.detail.setPlainText("\n\n".join(parts))


# --- conflicts -----------------------------------------------------------------------------


class ConflictChoice(Enum):
    MINE = "mine"
    THEIRS = "theirs"
    BACK = "back"


class DifferencesModel(_RowsModel):
    headers = ("Field", "Your version", "Their version (saved)")

    def cells(self, row: Any) -> tuple[str, ...]:
        return (row.label, row.yours or "—", row.theirs or "—")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Several lines per cell (participants, sources): the choice needs them, up to a size.
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            text = self.cells(self.rows[index.row()])[index.column()]
            return text if len(text) <= 400 else text[:399] + "…"
        return super().data(index, role)


class ConflictDialog(QDialog):
    """Someone saved the record after you opened it: both versions side by side; you choose."""

    def __init__(self, conflict: Conflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = ConflictChoice.BACK
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Changed by someone else")
        self.resize(860, 560)
        deleted = " and moved it to the bin" if conflict.theirs_deleted else ""
        intro = QLabel(
            f"Someone saved “{conflict.title}”{deleted} after you opened it. Nothing has been "
            "overwritten yet. These fields differ; choose which version to keep. The change "
            "log keeps the other one."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        intro.setObjectName("conflictIntro")
        self.model = DifferencesModel(conflict.differences, self)
        self.table = _table(self.model, "differenceTable", "Fields that differ")
        self.table.setWordWrap(True)
        self.table.setColumnWidth(0, 140)
        self.table.setColumnWidth(1, 320)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The selected field in full, both versions side by side.
        self.yours_text = QPlainTextEdit()
        named(self.yours_text, "yoursInFull", "Your version in full")
        self.theirs_text = QPlainTextEdit()
        named(self.theirs_text, "theirsInFull", "Their version in full")
        full = QSplitter()
        for caption, box in (
            ("Your version, in full", self.yours_text),
            ("Their version, in full", self.theirs_text),
        ):
            box.setReadOnly(True)
            pane = QWidget()
            pane_layout = QVBoxLayout(pane)
            pane_layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(caption)
            label.setBuddy(box)
            pane_layout.addWidget(label)
            pane_layout.addWidget(box)
            full.addWidget(pane)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(full)
        split.setSizes([260, 120])
        buttons = QDialogButtonBox()
        self.mine_button = QPushButton("Keep my version")
        named(self.mine_button, "keepMine", "Keep my version")
        self.theirs_button = QPushButton("Keep their version")
        named(self.theirs_button, "keepTheirs", "Keep their version")
        back = QPushButton("Back to editing")
        named(back, "backToEditing", "Back to editing")
        buttons.addButton(self.mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.theirs_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(back, QDialogButtonBox.ButtonRole.RejectRole)
        self.mine_button.clicked.connect(lambda: self._choose(ConflictChoice.MINE))
        self.theirs_button.clicked.connect(lambda: self._choose(ConflictChoice.THEIRS))
        back.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.table.selectionModel().currentRowChanged.connect(self._show)
        if conflict.differences:
            self.table.selectRow(0)

    def _show(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        difference = self.model.rows[current.row()]
        self.yours_text.setPlainText(difference.yours)
        self.theirs_text.setPlainText(difference.theirs)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()


def resolve_meeting_conflict(
    parent: QWidget | None, store: Store, yours: Meeting
) -> Meeting | None:
    """After a save raised ConflictError: show both versions and do what the officer chose.

    Returns the meeting now in the file (yours saved over theirs, or theirs kept), or None to
    go back to editing with nothing saved."""
    safety = SafetyService(store)
    while True:
        conflict = safety.meeting_conflict(yours)
        dialog = ConflictDialog(conflict, parent)
        dialog.exec()
        if dialog.choice is ConflictChoice.BACK:
            return None
        if dialog.choice is ConflictChoice.THEIRS:
            assert yours.id is not None
            return store.meetings.get(yours.id)
        try:
            return safety.keep_my_meeting(yours, conflict)
        except ConflictError:
            continue  # a third save came in while the dialog was open: compare again
        except ProtocolDeskError as error:
            show_error(parent, error)
            return None


# --- opening the database ------------------------------------------------------------------

# ask(kind, title, text, details, choices) -> the chosen label or None; replaced in tests.
Ask = Callable[[str, str, str, str, Sequence[str]], str | None]


def message_box(
    kind: str, title: str, text: str, details: str, choices: Sequence[str]
) -> tuple[QMessageBox, dict[object, str]]:
    """The question asked at start, with one button per choice (the first is the default)."""
    box = QMessageBox()
    box.setObjectName(f"{kind}Message")
    box.setIcon(
        QMessageBox.Icon.Critical
        if kind in {"damaged", "foreign", "error"}
        else QMessageBox.Icon.Warning
    )
    box.setWindowTitle(f"{APP_NAME} — {title}")
    box.setText(text)
    if details:
        box.setInformativeText(details)
    buttons: dict[object, str] = {}
    for index, label in enumerate(choices):
        role = (
            QMessageBox.ButtonRole.AcceptRole if index == 0 else QMessageBox.ButtonRole.RejectRole
        )
        button = box.addButton(label, role)
        buttons[button] = label
        if index == 0:
            box.setDefaultButton(button)
    return box, buttons


def ask_with_message_box(
    kind: str, title: str, text: str, details: str, choices: Sequence[str]
) -> str | None:
    box, buttons = message_box(kind, title, text, details, choices)
    box.exec()
    return buttons.get(box.clickedButton())


OPEN_READ_ONLY = "Open read-only"
RESTORE = "Restore this backup"
START_EMPTY = "Start an empty database"
QUIT = "Quit"
OK = "OK"


def _show_warnings(opened: OpenedDatabase, ask: Ask) -> None:
    for warning in opened.warnings:
        ask("warning", "Check where the database is", warning, "", [OK])


def open_database_interactively(path: Path, ask: Ask = ask_with_message_box) -> Store | None:
    """Open the database for the window, asking the officer whenever there is a choice:
    read-only when it is in use, a backup when it is damaged. None means quit."""
    path = Path(path)
    try:
        # The daily backup runs once the window is up (start_safety), not before it.
        opened = open_for_editing(path, automatic_backup=False)
    except DatabaseInUseError as error:
        answer = ask(
            "inUse",
            "Database in use",
            f"The database {path.name} is {error.holder.describe()}.",
            "You can open it read-only to look things up. To edit, close it there first.",
            [OPEN_READ_ONLY, QUIT],
        )
        return _read_only(path, ask) if answer == OPEN_READ_ONLY else None
    except ReadOnlyLocationError as error:
        answer = ask("readOnly", "Read-only", error.message, "", [OPEN_READ_ONLY, QUIT])
        return _read_only(path, ask) if answer == OPEN_READ_ONLY else None
    except UnusableDatabaseError as error:
        return _recover(path, error, ask)
    except DatabaseError as error:
        ask("error", "Cannot open the database", error.message, "", [QUIT])
        return None
    _show_warnings(opened, ask)
    return opened.store


def _read_only(path: Path, ask: Ask) -> Store | None:
    try:
        opened = open_read_only(path)
    except DatabaseError as error:
        ask("error", "Cannot open the database", error.message, "", [QUIT])
        return None
    _show_warnings(opened, ask)
    return opened.store


def _recover(path: Path, error: UnusableDatabaseError, ask: Ask) -> Store | None:
    """A damaged or foreign file: offer the newest verified backup, or a fresh start when the
    damaged file is already safe aside."""
    damaged = isinstance(error, DamagedDatabaseError)
    choices = [RESTORE] if error.backup else []
    if damaged and error.kept_at is not None:
        choices.append(START_EMPTY)
    choices.append(QUIT)
    details = (
        f"Restore the backup of {error.backup.when}? Changes made after it are not in it."
        if error.backup
        else "There is no backup to go back to."
    )
    answer = ask(
        "damaged" if damaged else "foreign",
        "Database damaged" if damaged else "Not a Protocol Desk database",
        error.message,
        details,
        choices,
    )
    if answer == RESTORE and error.backup is not None:
        try:
            restore_file(path, error.backup)
        except DatabaseError as failure:
            ask("error", "Not restored", failure.message, "", [QUIT])
            return None
        return open_database_interactively(path, ask)
    if answer == START_EMPTY:
        return open_database_interactively(path, ask)
    return None


# --- the window's File menu ----------------------------------------------------------------


def back_up_now(window: QMainWindow, store: Store) -> None:
    try:
        made = SafetyService(store).backup_now()
    except Exception as error:
        show_error(window, error, "No backup made")
        return
    window.statusBar().showMessage(f"Backed up and checked: {made.path}", 10_000)


def restore_from_backup(window: QMainWindow, store: Store) -> None:
    """Let the officer pick a backup; after restoring, a fresh window shows the restored data
    (every view re-reads it) and the old one closes."""
    if store.path is None:
        QMessageBox.information(
            window, "Restore from backup", "A temporary database has no backups."
        )
        return
    dialog = RestoreDialog(SafetyService(store), window)
    if not dialog.exec() or dialog.restored is None:
        return
    successor: QMainWindow = type(window)(store)  # type: ignore[arg-type]
    successor.restoreGeometry(window.saveGeometry())
    successor.show()
    # The closed window keeps the new one alive (the application holds the old one).
    window._successor = successor  # type: ignore[attr-defined]
    window.close()
    kept = f"\n\nThe file it replaced was kept as {dialog.kept_at.name}." if dialog.kept_at else ""
    QMessageBox.information(
        successor,
        "Restored",
        f"The database is back as it was on {dialog.restored.when}.{kept}",
    )


def show_meeting_history(window: QWidget, store: Store, meeting_id: object) -> None:
    if not isinstance(meeting_id, int):
        return
    try:
        lines = SafetyService(store).meeting_history(meeting_id)
        title = store.meetings.get(meeting_id).subject
    except Exception as error:
        show_error(window, error, "No history")
        return
    HistoryDialog(title, lines, window).exec()


class _BackupSignals(QObject):
    done = Signal(object)  # BackupInfo
    failed = Signal(object)  # the exception


class AutomaticBackupJob(QRunnable):
    """The daily backup, in a pool thread on its own connection; it talks back only through
    signals, which Qt delivers on the GUI thread."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.signals = _BackupSignals()

    def run(self) -> None:
        # The window may close while the backup is made: the backup is kept all the same, and
        # there is nobody left to tell (its signals are gone with it).
        try:
            made = make_automatic_backup(self.path)
        except Exception as error:  # reported on the GUI thread
            log.error("automatic backup of %s failed: %s", self.path, error)
            with contextlib.suppress(RuntimeError):
                self.signals.failed.emit(error)
            return
        log.info("automatic backup %s", made.path)
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(made)


def start_automatic_backup(window: QMainWindow, store: Store) -> AutomaticBackupJob | None:
    """Once a day, back up after the window is up rather than make the officer wait for it."""
    if store.lock is None or store.path is None or not automatic_backup_due(store):
        return None
    job = AutomaticBackupJob(store.path)
    job.setAutoDelete(False)  # the window keeps it (and its signals) until it is done

    def done(made: BackupInfo) -> None:
        window.statusBar().showMessage(f"Daily backup made and checked: {made.path.name}", 10_000)

    def failed(error: BaseException) -> None:
        message = error.message if isinstance(error, ProtocolDeskError) else str(error)
        window.statusBar().showMessage(f"The daily backup failed: {message}")

    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(job)
    return job


class _HealthSignals(QObject):
    done = Signal(object)  # DamagedDatabaseError, or None when the file is sound


class HealthCheckJob(QRunnable):
    """SQLite's quick check of every page, in a pool thread on its own read-only connection."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.signals = _HealthSignals()
        # Set when the window closes: the check stops within milliseconds instead of keeping
        # the application alive until it has read the whole file.
        self.cancelled = threading.Event()

    def run(self) -> None:
        try:
            problem = health_problem(self.path, self.cancelled)
        except Exception as error:  # a check that cannot run is logged, not shown as damage
            log.error("the health check of %s could not run: %s", self.path, error)
            return
        if not self.cancelled.is_set():
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self.signals.done.emit(problem)


def report_damage(
    window: QMainWindow,
    store: Store,
    problem: DamagedDatabaseError,
    on_read_only: Callable[[], None] | None = None,
) -> None:
    """Damage found while the window is open: stop writing at once, say so, offer a backup.
    ``on_read_only`` lets the window switch off what writes."""
    stop_writing(store)
    window.setWindowTitle(f"{window.windowTitle()} (read-only: damaged)")
    if on_read_only is not None:
        on_read_only()
    window.statusBar().showMessage("The database is damaged: editing is switched off.")
    box = QMessageBox(window)
    box.setObjectName("damagedWhileOpen")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Database damaged")
    box.setText(
        f"The database {problem.path.name} is damaged: SQLite's check of the file found "
        "errors in it. Editing is switched off so that nothing more is written to it."
    )
    box.setDetailedText(problem.reason)
    restore = None
    if problem.backup is not None:
        box.setInformativeText(
            f"The newest verified backup is from {problem.backup.when}. Restore it now? "
            "Changes made after it are not in it; the damaged file is kept aside."
        )
        restore = box.addButton("Restore the backup…", QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(
            "There is no backup of it. Export what you can (File → Export…) and keep the file "
            "for your IT support."
        )
    box.addButton("Keep looking, read-only", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore is not None and box.clickedButton() is restore:
        restore_from_backup(window, store)


def start_health_check(
    window: QMainWindow, store: Store, on_read_only: Callable[[], None] | None = None
) -> HealthCheckJob | None:
    """After a clean close, the page-by-page check runs once the window is up instead of
    making the officer wait for it (seconds for a big office)."""
    if store.lock is None or store.path is None or store.checked:
        return None
    job = HealthCheckJob(store.path)
    job.setAutoDelete(False)  # the window keeps it (and its signals) until it is done

    def done(problem: DamagedDatabaseError | None) -> None:
        if problem is None:
            store.checked = True
            log.info("health check of %s: sound", store.path)
        elif not store.readonly:
            report_damage(window, store, problem, on_read_only)

    job.signals.done.connect(done)
    QThreadPool.globalInstance().start(job)
    return job


def start_safety(window: QMainWindow, store: Store) -> QTimer | None:
    """What a window over the office's database runs: the daily backup (in the background)
    and the lock's heartbeat, so colleagues see the lock is not stale."""
    window.automatic_backup = start_automatic_backup(window, store)  # type: ignore[attr-defined]
    if store.lock is None:
        return None
    timer = QTimer(window)
    timer.setObjectName("lockHeartbeat")
    timer.setInterval(int(REFRESH_EVERY.total_seconds() * 1000))

    def refresh() -> None:
        if store.lock is not None and not store.lock.refresh():
            log.warning("the lock on %s was taken over by another session", store.path)

    timer.timeout.connect(refresh)
    timer.start()
    return timer
