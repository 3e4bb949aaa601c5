"""Reads made beside the window: each view's own read-only connection, used in a thread of
its own, so that a slow read never holds the window up. Results come back as signals, which
Qt delivers on the window's thread; a result made stale by a newer request is dropped."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from protocol_desk.services.meetings import BackgroundReader, MeetingService

log = logging.getLogger(__name__)


class ReadSignals(QObject):
    done = Signal(int, object)  # request number, what was read
    failed = Signal(int, str)  # request number, what went wrong


class ReadJob(QRunnable):
    """One read (a list's first page, its count, a summary) in a thread of the view's; only
    the newest request is worked out: older ones still queued are skipped, and the one under
    way is interrupted when a newer one is made."""

    def __init__(
        self,
        reader: BackgroundReader,
        work: Callable[[MeetingService], object],
        number: int,
        newest: Callable[[], int],
        signals: ReadSignals,
        what: str,
    ) -> None:
        super().__init__()
        self.what = what
        self.reader = reader
        self.work = work
        self.number = number
        self.newest = newest
        self.signals = signals
        self.finished = False

    def run(self) -> None:
        try:
            if self.number != self.newest():
                return
            found = self.reader.call(self.work)
            if found is not None:
                with contextlib.suppress(RuntimeError):  # the view was closed meanwhile
                    self.signals.done.emit(self.number, found)
        except Exception as error:  # the view says so; the log has the reason
            log.error("reading %s failed: %s", self.what, error)
            with contextlib.suppress(RuntimeError):
                self.signals.failed.emit(self.number, str(error))
        finally:
            self.finished = True


class Reads:
    """A reader with its own connection and thread, and the requests made of it."""

    def __init__(
        self,
        path: Path,
        parent: QObject,
        done: Callable[[int, object], None],
        failed: Callable[[int, str], None],
        what: str,
    ) -> None:
        self.what = what  # for the log
        self.reader = BackgroundReader(path)
        self.pool = QThreadPool(parent)
        self.pool.setMaxThreadCount(1)
        self.signals = ReadSignals(parent)
        self.signals.done.connect(done)
        self.signals.failed.connect(failed)
        self.newest = 0
        self._jobs: list[ReadJob] = []  # queued or under way (the pool does not own them)

    def start(self, work: Callable[[MeetingService], object]) -> int:
        self.newest += 1
        self.reader.cancel()  # what is under way is stale now
        job = ReadJob(self.reader, work, self.newest, lambda: self.newest, self.signals, self.what)
        job.setAutoDelete(False)
        self._jobs = [j for j in self._jobs if not j.finished]
        self._jobs.append(job)
        self.pool.start(job)
        return self.newest

    def close(self) -> None:
        self.newest += 1  # whatever is queued is stale
        self.reader.cancel()
        self.pool.clear()
        self.pool.waitForDone(5_000)
        self.reader.close()


class _WorkSignals(QObject):
    done = Signal(object)  # what the work returned
    failed = Signal(object)  # the exception
    progress = Signal(object)  # what the work is doing now, in words (a str, maybe a Step)


class Work(QRunnable):
    """One piece of work beside the window (an office sync, joining the office) in the
    global pool, on connections of its own; it talks back only through signals, which Qt
    delivers on the window's thread."""

    def __init__(self, work: Callable[[Callable[[str], None]], object], what: str) -> None:
        super().__init__()
        self.work = work
        self.what = what
        self.signals = _WorkSignals()
        self.finished = False

    def run(self) -> None:
        try:
            result = self.work(self._report)
        except Exception as error:  # reported on the window's thread
            log.info("%s failed: %s", self.what, error)
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self.signals.failed.emit(error)
        else:
            with contextlib.suppress(RuntimeError):
                self.signals.done.emit(result)
        finally:
            self.finished = True

    def _report(self, text: str) -> None:
        with contextlib.suppress(RuntimeError):
            self.signals.progress.emit(text)


def run_beside(
    work: Callable[[Callable[[str], None]], object],
    done: Callable[[object], None],
    failed: Callable[[object], None],
    what: str,
    progress: Callable[[object], None] | None = None,
) -> Work:
    """Start ``work(report)`` beside the window; ``done`` or ``failed`` is called on the
    window's thread, and ``progress`` with each text the work reports. The caller keeps the
    returned job until it has finished."""
    job = Work(work, what)
    job.setAutoDelete(False)
    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    if progress is not None:
        job.signals.progress.connect(progress)
    QThreadPool.globalInstance().start(job)
    return job
