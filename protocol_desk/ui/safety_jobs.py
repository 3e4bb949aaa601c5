"""What runs beside the window to keep the database safe: backups (the daily one, and those
asked for), the page-by-page health check and the copying half of a restore, each in a
thread beside the window, and the lock's heartbeat."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.domain.safety import BackupInfo, DamagedDatabaseError, Progress, RestoreCancelled
from protocol_desk.i18n import _, shown
from protocol_desk.services.database import Database
from protocol_desk.services.safety import (
    HEARTBEAT_EVERY,
    HealthWatch,
    automatic_backup_due,
    health_problem,
    holds_lock,
    keep_lock,
    log_tampering,
    make_backup,
)

log = logging.getLogger(__name__)


class _BackupSignals(QObject):
    done = Signal(object)  # BackupInfo
    failed = Signal(object)  # the exception


# Two backups at once would each clear the other's unfinished copy (create_backup tidies
# leftovers first): the daily one and one asked for take turns.
_ONE_BACKUP_AT_A_TIME = threading.Lock()


class BackupJob(QRunnable):
    """A backup in a pool thread on its own connection; it talks back only through signals,
    which Qt delivers on the GUI thread."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__()
        self.path = path
        self.reason = reason
        self.signals = _BackupSignals()

    def run(self) -> None:
        # The window may close while the backup is made: the backup is kept all the same, and
        # there is nobody left to tell (its signals are gone with it).
        try:
            with _ONE_BACKUP_AT_A_TIME:
                made = make_backup(self.path, self.reason)
        except Exception as error:  # reported on the GUI thread
            log.error("%s backup of %s failed: %s", self.reason, self.path, error)
            with contextlib.suppress(RuntimeError):
                self.signals.failed.emit(error)
            return
        log.info("%s backup %s", self.reason, made.path)
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(made)


def start_backup(
    path: Path,
    reason: str,
    done: Callable[[BackupInfo], None],
    failed: Callable[[BaseException], None],
) -> BackupJob:
    job = BackupJob(path, reason)
    job.setAutoDelete(False)  # the caller keeps it (and its signals) until it is done
    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(job)
    return job


def start_automatic_backup(window: QMainWindow, store: Database) -> BackupJob | None:
    """Once a day, back up after the window is up rather than make the officer wait for it."""
    if not holds_lock(store) or store.path is None or not automatic_backup_due(store):
        return None

    def done(made: BackupInfo) -> None:
        window.statusBar().showMessage(
            _("Daily backup made and checked: {name}").format(name=made.path.name), 10_000
        )

    def failed(error: BaseException) -> None:
        message = shown(error.message) if isinstance(error, ProtocolDeskError) else str(error)
        window.statusBar().showMessage(
            _("The daily backup failed: {message}").format(message=message)
        )

    return start_backup(store.path, "automatic", done, failed)


class _HealthSignals(QObject):
    done = Signal(object)  # DamagedDatabaseError, or None when the file is sound
    tampered = Signal(str)  # what was altered in the change log outside the app


class HealthCheckJob(QRunnable):
    """SQLite's quick check of every page (unless the pages were checked when opening), then
    the change log's chain, in a pool thread on its own read-only connections."""

    def __init__(self, path: Path, *, pages: bool = True) -> None:
        super().__init__()
        self.path = path
        self.pages = pages
        self.signals = _HealthSignals()
        # Set when the window closes: the check stops within milliseconds instead of keeping
        # the application alive until it has read the whole file.
        self.cancelled = threading.Event()

    def run(self) -> None:
        try:
            problem = health_problem(self.path, self.cancelled) if self.pages else None
            tampering = None if problem else log_tampering(self.path, self.cancelled)
        except Exception as error:  # a check that cannot run is logged, not shown as damage
            log.error("the health check of %s could not run: %s", self.path, error)
            return
        if not self.cancelled.is_set():
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                if self.pages:
                    self.signals.done.emit(problem)
                if tampering:
                    self.signals.tampered.emit(tampering)


def start_health_check(
    window: QMainWindow,
    store: Database,
    on_damage: Callable[[DamagedDatabaseError], None] | None = None,
) -> HealthCheckJob | None:
    """After a clean close, the page-by-page check runs once the window is up instead of
    making the officer wait for it (seconds for a big office); damage found in the open file
    is handed to ``on_damage`` (the window reports it)."""
    if not holds_lock(store) or store.path is None:
        return None
    watch = HealthWatch(store)
    job = HealthCheckJob(store.path, pages=watch.pages)
    job.setAutoDelete(False)  # the window keeps it (and its signals) until it is done

    def done(problem: DamagedDatabaseError | None) -> None:
        if not watch.current:
            return  # a backup was restored meanwhile: the finding is about the file it replaced
        if problem is None:
            watch.found_sound()
            log.info("health check of %s: sound", store.path)
        elif not store.readonly and on_damage is not None:
            on_damage(problem)

    def tampered(finding: str) -> None:
        if watch.current:
            log.warning("%s: %s", store.path, finding)
            QMessageBox.warning(
                window,
                _("The change log was altered"),
                f"{finding}\n\n"
                + _(
                    "Your records are as they are; the history of changes from that entry on "
                    "can no longer be vouched for. A backup made before the change has the log "
                    "as it was."
                ),
            )

    job.signals.done.connect(done)
    job.signals.tampered.connect(tampered)
    QThreadPool.globalInstance().start(job)
    return job


def start_heartbeat(window: QMainWindow, store: Database) -> QTimer | None:
    """The lock's heartbeat of a window over the office's database, so colleagues see the
    lock is not stale."""
    if not holds_lock(store):
        return None
    timer = QTimer(window)
    timer.setObjectName("lockHeartbeat")
    timer.setInterval(int(HEARTBEAT_EVERY.total_seconds() * 1000))

    def refresh() -> None:
        if not keep_lock(store):
            log.warning("the lock on %s was taken over by another session", store.path)

    timer.timeout.connect(refresh)
    timer.start()
    return timer


class _RestoreSignals(QObject):
    progress = Signal(str, int, int)  # stage, done, total (0: not known)
    done = Signal(object)  # what the work returned
    failed = Signal(object)  # the exception (RestoreCancelled when cancelled)


class RestoreJob(QRunnable):
    """The slow part of a restore (copying the backup and checking the copy), in a thread of
    its own so that a health check or a backup in the shared pool cannot hold it up; it talks
    back only through signals."""

    def __init__(self, work: Callable[[Progress, threading.Event], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = _RestoreSignals()
        self.cancelled = threading.Event()
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.setAutoDelete(False)  # the caller keeps it (and its signals) until it is done

    def start(self) -> None:
        self.pool.start(self)

    def wait(self) -> None:
        self.pool.waitForDone()

    def run(self) -> None:
        try:
            outcome = self.work(self._progress, self.cancelled)
        except Exception as error:  # reported on the GUI thread
            if not isinstance(error, RestoreCancelled):
                log.error("the restore could not be done: %s", error)
            with contextlib.suppress(RuntimeError):
                self.signals.failed.emit(error)
            return
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(outcome)

    def _progress(self, stage: str, done: int, total: int) -> None:
        with contextlib.suppress(RuntimeError):
            self.signals.progress.emit(stage, done, total)
