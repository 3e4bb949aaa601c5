"""The safety dialogs: backups, restore, damage found while the window is open, a record's
history, and choosing between your version and a colleague's."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from protocol_desk import APP_NAME
from protocol_desk.domain.errors import ConflictError, ProtocolDeskError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Meeting
from protocol_desk.domain.safety import (
    CHECKING,
    COPYING,
    BackupInfo,
    DamagedDatabaseError,
    Progress,
    RestoreCancelled,
    format_moment,
)
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.database import Database
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.safety import (
    Conflict,
    HistoryLine,
    SafetyService,
    stop_writing,
)
from protocol_desk.ui.columns import header_text
from protocol_desk.ui.safety_jobs import BackupJob, RestoreJob, start_backup
from protocol_desk.ui.widgets import fit_columns, named, show_error

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QShowEvent

log = logging.getLogger(__name__)

R = TypeVar("R")  # a record saved after a conflict

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
        return header_text(self.headers, section, orientation, role)


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
    headers = (N_("Made"), N_("Why"), N_("Size"), N_("File"))

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
        self.setWindowTitle(_("Restore from backup"))
        self.resize(760, 380)
        backups = safety.backups()
        self.model = BackupsModel(backups, self)
        intro = QLabel(
            _(
                "Choose the backup to go back to. The database as it is now is not deleted: it is "
                "renamed and kept beside it, so you can go back again."
            )
            if backups
            else _(
                "There are no backups of this database yet. Use File → Back up now to make one; "
                "Protocol Desk also makes one automatically each day it is started."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("restoreIntro")
        self.table = _table(self.model, "backupList", _("Backups"))
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        fit_columns(self.table, ((0, 190), (1, 240), (2, 80)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(_("Restore…"))
        named(self.restore_button, "restoreButton", _("Restore the chosen backup"))
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
        box.setWindowTitle(_("Restore from backup"))
        box.setText(_("Go back to the backup of {when}?").format(when=backup.when))
        box.setInformativeText(
            _(
                "Changes made since then will not be in the database. The current file is kept "
                "beside it under a new name, so nothing is deleted."
            )
        )
        restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or not self.confirm(backup):
            return
        # The copy and its check take minutes for a big office: beside the window, with
        # progress and a way out. Only the swap and the reopening happen here.
        progress = RestoreProgressDialog(
            lambda report, cancelled: self.safety.prepare_restore(backup, report, cancelled),
            self,
            undo=self.safety.discard_restore,
        )
        progress.exec()
        progress.deleteLater()
        if progress.error is not None:
            show_error(self, progress.error, _("Not restored"))
            return
        if not progress.completed:  # cancelled: nothing changed; choose again or close
            return
        # A backup an earlier version made is brought to this version's format as it opens.
        from protocol_desk.ui.update_notice import UpdateNotice

        notice = UpdateNotice(self.safety.path, then=_("the restored database is shown"))
        try:
            self.kept_at = self.safety.finish_restore(progress.outcome, on_update=notice)
        except Exception as error:
            notice.close()
            show_error(self, error, _("Not restored"))
            return
        notice.close()
        self.restored = backup
        self.accept()


_RESTORE_STAGES: dict[str, str] = {
    COPYING: N_("Step 1 of 2: copying the backup…"),
    CHECKING: N_("Step 2 of 2: checking the copy, every page of it…"),
}


class RestoreProgressDialog(QDialog):
    """A restore's slow work (copying the backup, checking the copy) run beside the window,
    with how far it has gone and Cancel. Afterwards ``completed`` says whether it ran to its
    end, with what it returned in ``outcome``; else ``error`` says why not (None when the
    officer cancelled). ``undo`` takes back an outcome whose cancel came as the work ended."""

    def __init__(
        self,
        work: Callable[[Progress, threading.Event], object],
        parent: QWidget | None = None,
        undo: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreProgress")
        self.setWindowTitle(
            _("Restoring from backup") if parent else f"{APP_NAME} — " + _("Restoring")
        )
        self.setModal(True)
        self.undo = undo
        self.completed = False
        self.outcome: Any = None
        self.error: BaseException | None = None
        self.stage = QLabel(_("Starting…"))
        self.stage.setObjectName("restoreStage")
        self.bar = QProgressBar()
        self.bar.setObjectName("restoreBar")
        self.bar.setRange(0, 0)
        note = QLabel(
            _(
                "The database is not changed until the copy has passed its check. Cancel leaves "
                "it as it is."
            )
        )
        note.setWordWrap(True)
        self.cancel_button = named(QPushButton(_("Cancel")), "cancelRestore", _("Stop the restore"))
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QDialogButtonBox()
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)
        self.job = RestoreJob(work)
        self.job.signals.progress.connect(self._progress)
        self.job.signals.done.connect(self._done)
        self.job.signals.failed.connect(self._failed)
        self._running = False
        self._stage = ""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Started once shown, so that its end always finds the dialog's loop running.
        if not self._running and not self.completed and self.error is None:
            self._running = True
            self.job.start()

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self.job.cancelled.is_set():
            return
        self._stage = stage
        self.stage.setText(_RESTORE_STAGES.get(stage, stage))
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        else:
            self.bar.setRange(0, 0)  # no measure of how far: a busy bar

    def cancel(self) -> None:
        if not self._running:
            return
        self.job.cancelled.set()
        # SQLite hears a cancel between slices of the copy, but only after the check has
        # read the file's whole structure: 2 s at 100,000 meetings, 40 s at a million.
        self.stage.setText(
            _("Stopping… the check first finishes reading the file's structure.")
            if self._stage == CHECKING
            else _("Stopping…")
        )
        self.cancel_button.setEnabled(False)

    def _done(self, outcome: object) -> None:
        self._running = False
        if self.job.cancelled.is_set() and self.undo is not None:
            self.undo(outcome)  # the cancel came as the work ended
        else:
            self.completed = True
            self.outcome = outcome
        self.done(QDialog.DialogCode.Accepted if self.completed else QDialog.DialogCode.Rejected)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        if not isinstance(error, RestoreCancelled):
            self.error = error
        self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        # Escape cancels; the dialog stays until the copy is gone.
        if self._running:
            self.cancel()
        else:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._running:
            self.cancel()
            event.ignore()
        else:
            super().closeEvent(event)


# --- history -------------------------------------------------------------------------------


class HistoryModel(_RowsModel):
    headers = (
        N_("When"),
        N_("Who"),
        N_("Record"),
        N_("Change"),
        N_("Field"),
        N_("Before"),
        N_("After"),
    )

    def cells(self, row: HistoryLine) -> tuple[str, ...]:
        return (
            format_moment(row.when),
            row.who,
            shown(row.record),
            shown(row.action),
            shown(row.field),
            shown(row.old),
            shown(row.new),
        )


class HistoryDialog(QDialog):
    """A record's change log: when, who, which field, before and after; newest first."""

    def __init__(self, title: str, lines: list[HistoryLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(_("History — {title}").format(title=title))
        self.resize(980, 520)
        self.model = HistoryModel(lines, self)
        heading = QLabel(
            ngettext(
                "{n} change to “{title}”, newest first. The log cannot be edited.",
                "{n} changes to “{title}”, newest first. The log cannot be edited.",
                len(lines),
            ).format(n=len(lines), title=title)
            if lines
            else _("No changes are recorded for “{title}”.").format(title=title)
        )
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        self.table = _table(self.model, "historyTable", _("Change history"))
        for column, width in enumerate((170, 90, 110, 80, 130, 170)):
            self.table.setColumnWidth(column, width)
        self.detail = QPlainTextEdit()
        named(self.detail, "historyDetail", _("The selected change in full"))
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
        what = _("{change} {record}").format(
            change=shown(line.action), record=shown(line.record).lower()
        )
        parts = [f"{format_moment(line.when)} — {line.who}: {what}"]
        if line.field:
            parts.append(_("Field: {field}").format(field=shown(line.field)))
        if line.old:
            parts.append(_("Before:\n{old}").format(old=shown(line.old)))
        if line.new:
            parts.append(_("After:\n{new}").format(new=shown(line.new)))
        self.detail.setPlainText("\n\n".join(parts))


# --- conflicts -----------------------------------------------------------------------------


class ConflictChoice(Enum):
    MINE = "mine"
    THEIRS = "theirs"
    BACK = "back"


class DifferencesModel(_RowsModel):
    headers = (N_("Part"), N_("Field"), N_("Your version"), N_("Their version (saved)"))

    def cells(self, row: Any) -> tuple[str, ...]:
        # A participant, source or action only one of you has shows "—" on the other side.
        return (
            shown(row.part),
            shown(row.label),
            shown(row.yours) or "—",
            shown(row.theirs) or "—",
        )

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
        self.setWindowTitle(_("Changed by someone else"))
        self.resize(860, 560)
        deleted = _(" and moved it to the bin") if conflict.theirs_deleted else ""
        intro = QLabel(
            _(
                "Someone saved “{title}”{deleted} after you opened it. Nothing has been "
                "overwritten yet. These parts differ (its fields, participants, sources, "
                "agreed actions); choose which version to keep, as a whole. The change log "
                "keeps the other one."
            ).format(title=conflict.title, deleted=deleted)
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        intro.setObjectName("conflictIntro")
        self.model = DifferencesModel(conflict.differences, self)
        self.table = _table(self.model, "differenceTable", _("Parts that differ"))
        self.table.setWordWrap(True)
        fit_columns(self.table, ((0, 110), (1, 150), (2, 280)))
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The selected field in full, both versions side by side.
        self.yours_text = QPlainTextEdit()
        named(self.yours_text, "yoursInFull", _("Your version in full"))
        self.theirs_text = QPlainTextEdit()
        named(self.theirs_text, "theirsInFull", _("Their version in full"))
        full = QSplitter()
        for caption, box in (
            (_("Your version, in full"), self.yours_text),
            (_("Their version, in full"), self.theirs_text),
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
        self.mine_button = QPushButton(_("Keep my version"))
        named(self.mine_button, "keepMine", _("Keep my version"))
        self.theirs_button = QPushButton(_("Keep their version"))
        named(self.theirs_button, "keepTheirs", _("Keep their version"))
        back = QPushButton(_("Back to editing"))
        named(back, "backToEditing", _("Back to editing"))
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


def resolve_conflict(
    parent: QWidget | None,
    compare: Callable[[], Conflict],
    keep_mine: Callable[[Conflict], R],
    theirs: Callable[[], R],
) -> R | None:
    """After a save raised ConflictError: show both versions and do what the officer chose.

    Returns the record now in the file (yours saved over theirs, or theirs kept), or None to
    go back to editing with nothing saved. Every editor shows its conflicts this way."""
    while True:
        conflict = compare()
        dialog = ConflictDialog(conflict, parent)
        dialog.exec()
        if dialog.choice is ConflictChoice.BACK:
            return None
        if dialog.choice is ConflictChoice.THEIRS:
            return theirs()
        try:
            return keep_mine(conflict)
        except ConflictError:
            continue  # a third save came in while the dialog was open: compare again
        except ProtocolDeskError as error:
            show_error(parent, error)
            return None


def resolve_meeting_conflict(
    parent: QWidget | None, store: Database, yours: Meeting
) -> Meeting | None:
    """A meeting's conflict, compared with its participants, sources and actions."""
    assert yours.id is not None
    meeting_id = yours.id
    safety = SafetyService(store)
    return resolve_conflict(
        parent,
        lambda: safety.meeting_conflict(yours),
        lambda conflict: safety.keep_my_meeting(yours, conflict),
        lambda: MeetingService(store).get(meeting_id),
    )


# --- the window's File menu ----------------------------------------------------------------


def back_up_now(
    window: QMainWindow, store: Database, action: QAction | None = None
) -> BackupJob | None:
    """Back up in a pool thread (a big office's file takes seconds to copy and check): the
    window stays usable, and ``action`` is off until the backup is made or has failed."""
    if store.path is None:
        QMessageBox.information(window, _("Back up now"), _("A temporary database has no backups."))
        return None
    status = window.statusBar()
    status.showMessage(_("Backing up and checking the copy…"))
    if action is not None:
        action.setEnabled(False)

    def done(made: BackupInfo) -> None:
        if action is not None:
            action.setEnabled(True)
        status.showMessage(_("Backed up and checked: {path}").format(path=made.path), 10_000)

    def failed(error: BaseException) -> None:
        if action is not None:
            action.setEnabled(True)
        status.clearMessage()
        show_error(window, error, _("No backup made"))

    return start_backup(store.path, "manual", done, failed)


def restore_from_backup(window: QMainWindow, store: Database) -> None:
    """Let the officer pick a backup; after restoring, a fresh window shows the restored data
    (every view re-reads it) and the old one closes."""
    if store.path is None:
        QMessageBox.information(
            window, _("Restore from backup"), _("A temporary database has no backups.")
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
    kept = (
        _("\n\nThe file it replaced was kept as {name}.").format(name=dialog.kept_at.name)
        if dialog.kept_at
        else ""
    )
    QMessageBox.information(
        successor,
        _("Restored"),
        _("The database is back as it was on {when}.{kept}").format(
            when=dialog.restored.when, kept=kept
        ),
    )


def show_meeting_history(window: QWidget, store: Database, meeting_id: object) -> None:
    if not isinstance(meeting_id, int):
        return
    try:
        lines = SafetyService(store).meeting_history(meeting_id)
        title = MeetingService(store).get(meeting_id).subject
    except Exception as error:
        show_error(window, error, _("No history"))
        return
    HistoryDialog(title, lines, window).exec()


def report_damage(
    window: QMainWindow,
    store: Database,
    problem: DamagedDatabaseError,
    on_read_only: Callable[[], None] | None = None,
) -> None:
    """Damage found while the window is open: stop writing at once, say so, offer a backup.
    ``on_read_only`` lets the window switch off what writes."""
    stop_writing(store)
    window.setWindowTitle(f"{window.windowTitle()} " + _("(read-only: damaged)"))
    if on_read_only is not None:
        on_read_only()
    window.statusBar().showMessage(_("The database is damaged: editing is switched off."))
    box = QMessageBox(window)
    box.setObjectName("damagedWhileOpen")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Database damaged"))
    box.setText(
        _(
            "The database {name} is damaged: SQLite's check of the file found errors in it. "
            "Editing is switched off so that nothing more is written to it."
        ).format(name=problem.path.name)
    )
    box.setDetailedText(problem.reason)
    restore = None
    if problem.backup is not None:
        box.setInformativeText(
            _(
                "The newest verified backup is from {when}. Restore it now? Changes made "
                "after it are not in it; the damaged file is kept aside."
            ).format(when=problem.backup.when)
        )
        restore = box.addButton(_("Restore the backup…"), QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(
            _(
                "There is no backup of it. Export what you can (File → Export…) and keep the file "
                "for your IT support."
            )
        )
    box.addButton(_("Keep looking, read-only"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore is not None and box.clickedButton() is restore:
        restore_from_backup(window, store)
