"""Sharing with colleagues in the window: the status bar's "Office: …", syncing every minute
and on demand beside the window. The dialogs (``office_dialogs``) are imported when opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar

from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.domain.sharing import Step
from protocol_desk.i18n import _, shown
from protocol_desk.services import office
from protocol_desk.ui.background import Work, run_beside
from protocol_desk.ui.widgets import named, show_error

if TYPE_CHECKING:
    from protocol_desk.ui.main_window import MainWindow
    from protocol_desk.ui.office_dialogs import ConflictsDialog

SYNC_EVERY_MS = 60_000


class OfficeSharing(QObject):
    """The window's side of office sharing: one sync at a time, beside the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.store = window.store
        self.label = named(QLabel(), "officeStatus", _("Office server status"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        window.statusBar().addPermanentWidget(self.label)
        # How far a long sync (a new desk joining a large office) has got.
        self.bar = named(QProgressBar(), "officeProgress", "Office sync progress")
        self.bar.setMaximumWidth(160)
        self.bar.setVisible(False)
        window.statusBar().addPermanentWidget(self.bar)
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
        self.label.setText(shown(status.sentence()))
        self.label.setToolTip(
            (status.problem or _("Shared through {server}").format(server=status.server))
            if status.server
            else ""
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
        self.label.setText(_("Office: syncing…"))
        self.job = run_beside(
            lambda report: office.on_own_connection(
                path, user, lambda store: office.sync(store, report)
            ),
            self._synced,
            self._not_synced,
            _("office sync"),
            progress=self._progress,
        )

    def _progress(self, step: object) -> None:
        self.label.setText(str(step))
        if isinstance(step, Step) and step.total:
            self.bar.setRange(0, step.total)
            self.bar.setValue(step.done or 0)
            self.bar.setVisible(True)
        else:
            self.bar.setVisible(False)

    def _synced(self, outcome: object) -> None:
        assert isinstance(outcome, office.SyncOutcome)
        self.bar.setVisible(False)
        self.refresh()
        if outcome.pulled or outcome.conflicts:
            self.window.show_changes_made_elsewhere()
        if self.conflicts_dialog is not None and self.conflicts_dialog.isVisible():
            self.conflicts_dialog.reload()

    def _not_synced(self, error: object) -> None:
        self.bar.setVisible(False)
        self.refresh()
        if not isinstance(error, ProtocolDeskError):  # a bug: said once, calmly
            assert isinstance(error, BaseException)
            show_error(self.window, error, _("Not synced"))

    def wait(self, ms: int = 30_000) -> None:
        """Let a sync under way finish (the window is closing, or a test waits)."""
        from PySide6.QtCore import QThreadPool

        if self.job is not None:
            QThreadPool.globalInstance().waitForDone(ms)

    # --- dialogs ----------------------------------------------------------------------------
    def connect_dialog(self) -> None:
        from PySide6.QtWidgets import QDialog

        from protocol_desk.ui.office_dialogs import ConnectDialog

        dialog = ConnectDialog(self.store, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.window.statusBar().showMessage(dialog.outcome, 10_000)
            self.timer.start()
            self.sync_now()

    def show_conflicts(self) -> None:
        from protocol_desk.ui.office_dialogs import ConflictsDialog

        if self.conflicts_dialog is None:
            self.conflicts_dialog = ConflictsDialog(self.store, self.window)
            self.conflicts_dialog.resolved.connect(self._resolved)
        self.conflicts_dialog.reload()
        self.conflicts_dialog.show()
        self.conflicts_dialog.raise_()

    def _resolved(self) -> None:
        self.refresh()
        self.window.show_changes_made_elsewhere()
