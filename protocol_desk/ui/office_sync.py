"""Sharing with colleagues in the window: the status bar's "Office: …", syncing every minute
and on demand beside the window, the Connect dialog and the Conflicts dialog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.services import office
from protocol_desk.store import Store
from protocol_desk.store.connection import connect
from protocol_desk.ui.background import Work, run_beside
from protocol_desk.ui.widgets import named, show_error

if TYPE_CHECKING:
    from protocol_desk.ui.main_window import MainWindow

SYNC_EVERY_MS = 60_000


def _on_own_connection(path: Path, user: str, work: Any) -> Any:
    """Run ``work(store)`` on a connection of its own (in the worker's thread)."""
    store = Store(connect(path, check="none"), path, user)
    try:
        return work(store)
    finally:
        store.db.conn.close()


class OfficeSharing(QObject):
    """The window's side of office sharing: one sync at a time, beside the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.store = window.store
        self.label = named(QLabel(), "officeStatus", "Office server status")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setObjectName("officeSyncTimer")
        self.timer.setInterval(SYNC_EVERY_MS)
        self.timer.timeout.connect(self.sync_now)
        self.job: Work | None = None
        self.conflicts_dialog: ConflictsDialog | None = None

    @property
    def can_share(self) -> bool:
        return self.store.path is not None and not self.store.readonly

    def start(self) -> None:
        """Once the window is up: show the status and, when connected, sync now and then
        every minute."""
        self.refresh()
        if self.can_share and office.office_dsn(self.store) is not None:
            self.timer.start()
            self.sync_now()

    def refresh(self) -> None:
        status = office.status(self.store)
        self.label.setText(status.sentence())
        self.label.setToolTip(
            (status.problem or f"Shared through {status.server}") if status.server else ""
        )
        self.window.conflicts_action.setEnabled(status.conflicts > 0)
        self.window.sync_action.setEnabled(self.can_share and status.server is not None)
        self.window.connect_action.setEnabled(self.can_share)

    def sync_now(self) -> None:
        if self.job is not None and not self.job.finished:
            return  # one sync at a time
        if not self.can_share or office.office_dsn(self.store) is None:
            return
        assert self.store.path is not None
        path, user = self.store.path, self.store.user
        self.label.setText("Office: syncing…")
        self.job = run_beside(
            lambda: _on_own_connection(path, user, office.sync),
            self._synced,
            self._not_synced,
            "office sync",
        )

    def _synced(self, outcome: object) -> None:
        assert isinstance(outcome, office.SyncOutcome)
        self.refresh()
        if outcome.pulled or outcome.conflicts:
            self.window.meetings_view.refresh_choices()
            self.window.meetings_view.reload()
        if self.conflicts_dialog is not None and self.conflicts_dialog.isVisible():
            self.conflicts_dialog.reload()

    def _not_synced(self, error: object) -> None:
        self.refresh()
        if not isinstance(error, ProtocolDeskError):  # a bug: said once, calmly
            assert isinstance(error, BaseException)
            show_error(self.window, error, "Not synced")

    def wait(self, ms: int = 30_000) -> None:
        """Let a sync under way finish (the window is closing, or a test waits)."""
        from PySide6.QtCore import QThreadPool

        if self.job is not None:
            QThreadPool.globalInstance().waitForDone(ms)

    # --- dialogs ----------------------------------------------------------------------------
    def connect_dialog(self) -> None:
        dialog = ConnectDialog(self.store, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.window.statusBar().showMessage(dialog.outcome, 10_000)
            self.timer.start()
            self.sync_now()

    def show_conflicts(self) -> None:
        if self.conflicts_dialog is None:
            self.conflicts_dialog = ConflictsDialog(self.store, self.window)
            self.conflicts_dialog.resolved.connect(self._resolved)
        self.conflicts_dialog.reload()
        self.conflicts_dialog.show()
        self.conflicts_dialog.raise_()

    def _resolved(self) -> None:
        self.refresh()
        self.window.meetings_view.refresh_choices()
        self.window.meetings_view.reload()


class ConnectDialog(QDialog):
    """File → Connect to the office server…: where it is and who this officer is there. The
    password goes to the system's keyring; the check runs beside the window."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.outcome = ""
        self.job: Work | None = None
        self.setObjectName("connectDialog")
        self.setWindowTitle("Connect to the office server")
        self.host = named(QLineEdit(), "officeHost", "Server")
        self.host.setPlaceholderText("office-server.senate.kz, or empty for this computer")
        self.port = named(QSpinBox(), "officePort", "Port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = named(QLineEdit("protocol_desk"), "officeDatabase", "Database")
        self.user = named(QLineEdit(), "officeUser", "User")
        self.password = named(QLineEdit(), "officePassword", "Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system's keyring, never in a file")
        form = QFormLayout()
        form.addRow("&Server:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow("&Password:", self.password)
        note = QLabel(
            "A server on another computer is reached over an encrypted (TLS) connection only."
            " Your records already on this desk are shared at the first sync; colleagues'"
            " records arrive at the same time."
        )
        note.setWordWrap(True)
        self.message = named(QLabel(), "connectMessage", "Connection problem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Connect")
        ok.setObjectName("connectButton")
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def try_connect(self) -> None:
        try:
            dsn = office.make_dsn(
                self.host.text(), self.port.value(), self.database.text(), self.user.text()
            )
            office.prepared_dsn(dsn)
        except ProtocolDeskError as error:
            self.message.setText(error.message)
            return
        assert self.store.path is not None
        path, user, password = self.store.path, self.store.user, self.password.text() or None
        self.message.setText("Connecting…")
        self.buttons.setEnabled(False)
        self.job = run_beside(
            lambda: _on_own_connection(
                path, user, lambda store: office.connect_desk(store, dsn, password)
            ),
            self._connected,
            self._refused,
            "connecting to the office server",
        )

    def _connected(self, sentence: object) -> None:
        self.outcome = str(sentence)
        self.buttons.setEnabled(True)
        self.accept()

    def _refused(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ProtocolDeskError):
            self.message.setText(error.message)
        else:
            assert isinstance(error, BaseException)
            self.message.setText("")
            show_error(self, error, "Not connected")


_KINDS = {
    "meeting": "Meeting",
    "action": "Agreed action",
    "person": "Person",
    "organisation": "Organisation",
    "country": "Country",
    "anniversary": "Anniversary",
    "anniversary_preparation": "Anniversary",
    "delegation": "Visit",
    "settings": "Settings",
}


def _top_field(path: str) -> str:
    """The record's own field a difference is in: ``participants[2].title`` → participants."""
    return path.split(".")[0].split("[")[0]


class ConflictsDialog(QDialog):
    """Records changed here and by a colleague: mine and theirs field by field, with Keep mine,
    Take theirs, or Merge by hand (tick the fields to take from theirs)."""

    resolved = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.found: list[office.Conflict] = []
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Conflicts with the office")
        self.list = named(QListWidget(), "conflictList", "Conflicts")
        self.list.currentRowChanged.connect(self._show)
        self.heading = named(QLabel(), "conflictHeading", "Conflict")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = named(QTableWidget(0, 4), "conflictFields", "Differences")
        self.table.setHorizontalHeaderLabels(["Field", "Mine (this desk)", "Theirs (office)", ""])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.keep_mine = named(QPushButton("Keep mine"), "keepMine", "Keep mine")
        self.take_theirs = named(QPushButton("Take theirs"), "takeTheirs", "Take theirs")
        self.merge = named(QPushButton("Merge by hand"), "mergeByHand", "Merge by hand")
        self.merge.setToolTip("Keep mine, with the fields ticked “take theirs” from theirs")
        self.keep_mine.clicked.connect(lambda: self._resolve("mine"))
        self.take_theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.merge.clicked.connect(lambda: self._resolve("merge"))
        close = named(QPushButton("Close"), "closeConflicts", "Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.keep_mine, self.take_theirs, self.merge):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        right = QWidget()
        detail = QVBoxLayout(right)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addWidget(self.heading)
        detail.addWidget(self.table, 1)
        detail.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([320, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1040, 520)

    def reload(self) -> None:
        self.found = office.conflicts(self.store)
        self.list.clear()
        for conflict in self.found:
            item = QListWidgetItem(f"{_KINDS.get(conflict.kind, conflict.kind)}: {conflict.title}")
            item.setToolTip(f"Changed here and by {conflict.their_author}")
            self.list.addItem(item)
        if self.found:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)

    def _show(self, row: int) -> None:
        has = 0 <= row < len(self.found)
        for button in (self.keep_mine, self.take_theirs, self.merge):
            button.setEnabled(has)
        self.table.setRowCount(0)
        if not has:
            self.heading.setText("No conflicts: everything on this desk agrees with the office.")
            return
        conflict = self.found[row]
        self.merge.setEnabled(conflict.mine is not None and conflict.theirs is not None)
        self.heading.setText(
            f"{_KINDS.get(conflict.kind, conflict.kind)} “{conflict.title}” was changed on this"
            f" desk and by {conflict.their_author} at the office. Both versions are kept until"
            " you choose."
        )
        self.table.setRowCount(len(conflict.differences))
        for n, difference in enumerate(conflict.differences):
            shown = (office.field_label(difference.path), difference.mine, difference.theirs)
            for column, text in enumerate(shown):
                self.table.setItem(n, column, QTableWidgetItem(text))
            take = QCheckBox("take theirs")
            take.setObjectName(f"takeTheirs_{n}")
            take.setToolTip(f"Merge by hand: take “{_top_field(difference.path)}” from theirs")
            self.table.setCellWidget(n, 3, take)
        self.table.resizeRowsToContents()

    def _resolve(self, how: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.found):
            return
        conflict = self.found[row]
        try:
            if how == "mine":
                office.keep_mine(self.store, conflict.uid)
            elif how == "theirs":
                office.take_theirs(self.store, conflict.uid)
            else:
                from protocol_desk.domain.sharing import merged

                take = {
                    _top_field(d.path)
                    for n, d in enumerate(conflict.differences)
                    if isinstance(box := self.table.cellWidget(n, 3), QCheckBox) and box.isChecked()
                }
                office.merge_by_hand(
                    self.store, conflict.uid, merged(conflict.mine, conflict.theirs, take)
                )
        except Exception as error:
            show_error(self, error, "Not resolved")
            return
        self.resolved.emit()
        self.reload()
