"""Backups of the database file: made with SQLite's backup API, verified, rotated, restored."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.messages import N_, os_reason
from protocol_desk.domain.safety import (
    CHECKING,
    COPYING,
    REASONS,
    BackupInfo,
    Progress,
    RestoreCancelled,
    StorageError,
)
from protocol_desk.store import versions
from protocol_desk.store.faults import is_corruption, storage_error
from protocol_desk.store.versions import APPLICATION_ID

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
KEEP_RECENT = 3  # whatever their dates: "back up now" twice in a day keeps both
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_BEFORE_UPDATE = 3  # the copies in the old format, kept apart from the daily rotation
BACKUP_EVERY = timedelta(days=1)

COPY_SLICES = 200  # the copy tells its progress about this often
COPY_SLICE_PAGES = 256
CANCEL_CHECK_EVERY = 100_000  # SQLite steps between looks at a cancel during a check

_STAMP_FORMAT = "%Y-%m-%dT%H%M%S.%fZ"  # no colons: the name must be valid on Windows too
_NAME = re.compile(r"^(?P<stamp>\d{4}-\d{2}-\d{2}T\d{6}\.\d{6}Z)\.(?P<reason>[a-z-]+)\.sqlite$")


def readonly_uri(path: Path, *, immutable: bool = False) -> str:
    """A ``file:`` URI opening ``path`` read-only (names with ``#`` or ``?`` quoted);
    ``immutable`` for a file nobody can change (on a read-only disk)."""
    extra = "&immutable=1" if immutable else ""
    return f"file:{quote(Path(path).absolute().as_posix())}?mode=ro{extra}"


def on_read_only_disk(path: Path) -> bool:
    """The folder holding ``path`` cannot be written: a read-only mount, or no permission."""
    folder = Path(path).absolute().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        pass
    return not os.access(folder, os.W_OK)


def connect_read_only(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection that writes nothing to the file.

    A database in WAL mode needs its -shm file even to be read; on a read-only disk that file
    cannot be made, so there the file is opened as immutable: nobody can be changing it. Not
    when its -wal holds changes: immutable would hide them (then the first error stands)."""
    path = Path(path)
    conn = sqlite3.connect(
        readonly_uri(path), uri=True, isolation_level=None, check_same_thread=check_same_thread
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file now
        return conn
    except sqlite3.Error:
        conn.close()
        wal = Path(f"{path}-wal")
        wal_holds_changes = wal.exists() and wal.stat().st_size > 0
        if not on_read_only_disk(path) or wal_holds_changes:
            raise
    return sqlite3.connect(
        readonly_uri(path, immutable=True),
        uri=True,
        isolation_level=None,
        check_same_thread=check_same_thread,
    )


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: the directory entry itself must reach the disk."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _check_copy(conn: sqlite3.Connection, cancelled: threading.Event | None = None) -> list[str]:
    """Problems found in a copy: integrity, and whether it is ours at all. Once ``cancelled``
    is set, SQLite interrupts the check (``sqlite3.OperationalError``)."""
    if cancelled is not None:
        conn.set_progress_handler(cancelled.is_set, CANCEL_CHECK_EVERY)
    problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    if problems == ["ok"]:
        problems = []
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        problems.append("it is not a Protocol Desk database")
    return problems


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of this database, newest first."""
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    prefix = db_path.stem + "."
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        match = _NAME.match(entry.name[len(prefix) :])
        if match is None:
            continue
        try:
            created = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(entry, created, match["reason"], size))
    found.sort(key=lambda b: b.created, reverse=True)
    return found


def verify_backup(path: Path) -> bool:
    """True when the backup is a sound Protocol Desk database."""
    try:
        conn = connect_read_only(path)
    except sqlite3.Error:
        return False
    try:
        return not _check_copy(conn)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def newest_verified_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup that still passes the integrity check (a backup can rot too)."""
    for backup in list_backups(db_path):
        if verify_backup(backup.path):
            return backup
    return None


def is_backup_due(db_path: Path, now: datetime | None = None) -> bool:
    backups = list_backups(db_path)
    now = now or datetime.now(UTC)
    return not backups or now - backups[0].created >= BACKUP_EVERY


_LEFTOVER = re.compile(r"^\..+?(?:\.(?P<pid>\d+))?\.tmp(?:-journal|-wal|-shm)?$")
LEFTOVER_GRACE = 3600  # seconds a copy of a live process on another computer may take


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists (another user's), or this system cannot tell
        return True
    return True


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary copies (and SQLite's journals of them) of backups that were
    interrupted: their process is gone. A copy whose process still runs is left alone, unless
    it is an hour old (its number may belong to another computer's process). Returns them."""
    removed: list[Path] = []
    cutoff = time.time() - LEFTOVER_GRACE
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if match is None:
            continue
        with contextlib.suppress(OSError):
            pid = match["pid"]
            live = pid is not None and _alive(int(pid))
            if live and entry.stat().st_mtime >= cutoff:
                continue
            entry.unlink()
            removed.append(entry)
    return removed


def create_backup(
    source: sqlite3.Connection,
    db_path: Path,
    reason: str = "manual",
    *,
    now: datetime | None = None,
) -> BackupInfo:
    """Copy the open database into a verified backup file, then rotate the old ones.

    The copy goes to a temporary file that is checked and only then renamed into place, so a
    backup that exists under its final name is always complete."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise DatabaseError(
            N_(
                "Cannot create the backup folder {folder}: {reason}.",
                folder=str(folder),
                reason=os_reason(error),
            )
        ) from error
    remove_leftovers(folder)
    created = now or datetime.now(UTC)
    final = folder / f"{db_path.stem}.{created.strftime(_STAMP_FORMAT)}.{reason}.sqlite"
    temporary = folder / f".{final.name}.{os.getpid()}.tmp"
    try:
        _new_private_file(temporary)
        target = sqlite3.connect(temporary, isolation_level=None)
        try:
            source.backup(target)
            # A backup is one self-contained file, without -wal and -shm beside it.
            target.execute("PRAGMA journal_mode = DELETE")
            problems = _check_copy(target)
        finally:
            target.close()
        if problems:
            raise DatabaseError(
                N_(
                    "The backup did not pass its check, so it was not kept: {problems}",
                    problems="; ".join(problems),
                )
            )
        _fsync_file(temporary)
        # Read before the rename: the moment it is in place, another program's rotation may
        # remove it (four opening an old file at once make four copies; three are kept).
        size = temporary.stat().st_size
        if final.exists():
            raise DatabaseError(N_("A backup named {name} already exists.", name=final.name))
        os.replace(temporary, final)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as error:
        plain = None if is_corruption(error) else storage_error(db_path, error)
        if plain is not None and plain.kind in {"full", "readonly", "io", "permission"}:
            raise StorageError(
                N_("No backup was made. {reason}", reason=plain.message), db_path, plain.kind
            ) from error
        if isinstance(error, OSError):
            raise DatabaseError(
                N_(
                    "The backup could not be written to {folder}: {reason}.",
                    folder=str(folder),
                    reason=os_reason(error),
                )
            ) from error
        raise DatabaseError(N_("The backup could not be made: {reason}.", reason=error)) from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    info = BackupInfo(final, created, reason, size)
    rotate(db_path)
    return info


def backups_to_keep(
    backups: list[BackupInfo],
    *,
    keep_recent: int = KEEP_RECENT,
    keep_daily: int = KEEP_DAILY,
    keep_weekly: int = KEEP_WEEKLY,
    keep_before_update: int = KEEP_BEFORE_UPDATE,
) -> set[Path]:
    """The ``keep_recent`` newest backups, the newest of each of the last ``keep_daily`` days
    and ``keep_weekly`` weeks that have one, and the newest copies made before format
    updates."""
    ordered = sorted(backups, key=lambda b: b.created, reverse=True)
    keep = {b.path for b in ordered[:keep_recent]}
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    updates = 0
    for backup in ordered:
        if backup.reason == "before-update":
            if updates < keep_before_update:
                keep.add(backup.path)
                updates += 1
            continue
        local = backup.created.astimezone().date()
        if local not in days and len(days) < keep_daily:
            days.add(local)
            keep.add(backup.path)
        week = local.isocalendar()[:2]
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)
            keep.add(backup.path)
    return keep


def rotate(db_path: Path) -> list[Path]:
    """Delete the backups the rotation no longer keeps; returns them."""
    backups = list_backups(db_path)
    keep = backups_to_keep(backups)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    return removed


SIDE_FILES = ("-wal", "-shm", "-journal")


def keep_aside(db_path: Path, why: str) -> Path | None:
    """Move the database with its -wal, -shm and -journal to a new name beside it, so
    nothing overwrites it and SQLite still finds the set together. Returns the new name."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    aside = _aside_name(db_path, why)
    _move_with_side_files(db_path, aside)
    return aside


def _move_with_side_files(source: Path, target: Path) -> None:
    """Rename a database with its -wal, -shm and -journal, the side files first: a database
    without its WAL would look older than it is."""
    for suffix in SIDE_FILES:
        side = Path(f"{source}{suffix}")
        if side.exists():
            os.replace(side, f"{target}{suffix}")
    os.replace(source, target)
    with contextlib.suppress(OSError):
        _fsync_dir(Path(target).parent)


def restoring_path(db_path: Path) -> Path:
    """Where a restore copies the backup to, hidden beside the database."""
    db_path = Path(db_path)
    return db_path.with_name(f".{db_path.name}.restoring")


def prepare_restore(
    backup: Path,
    db_path: Path,
    *,
    progress: Progress | None = None,
    cancelled: threading.Event | None = None,
) -> Path:
    """Copy a backup beside the database and check the copy in full; returns the copy, for
    ``put_in_place``. The database itself is not touched, so this (the slow part of a
    restore) may run in another thread while a window goes on reading it. ``progress`` hears
    how far each stage has gone; once ``cancelled`` is set the copy is removed and
    ``RestoreCancelled`` raised."""
    db_path, backup = Path(db_path), Path(backup)
    if not backup.is_file():
        raise DatabaseError(N_("There is no backup file {path}.", path=str(backup)))
    temporary = restoring_path(db_path)
    _discard(temporary)  # left by a restore that was interrupted
    try:
        _new_private_file(temporary)
        try:
            source = sqlite3.connect(readonly_uri(backup), uri=True)
        except sqlite3.Error as error:
            raise _not_read(backup, error) from error
        try:
            target = sqlite3.connect(temporary, isolation_level=None)
            try:
                _copy(source, target, progress, cancelled)
                if progress is not None:
                    progress(CHECKING, 0, 0)
                # The copy is page for page the backup: checking it checks both.
                problems = _check_copy(target, cancelled)
                if cancelled is not None and cancelled.is_set():
                    raise RestoreCancelled()  # a check too short for SQLite to look
                newer = [] if problems else versions.unknown_applied(target)
            finally:
                target.close()
        finally:
            source.close()
        if problems:
            raise _damaged(backup)
        if newer:
            raise DatabaseError(
                N_(
                    "The backup {name} was made by a newer Protocol Desk (it has {changes}): "
                    "update the app to restore it.",
                    name=backup.name,
                    changes=", ".join(newer),
                )
            )
        _fsync_file(temporary)
    except sqlite3.Error as error:
        _discard(temporary)
        if cancelled is not None and cancelled.is_set():
            raise RestoreCancelled() from error
        raise _copy_failure(backup, db_path, error) from error
    except OSError as error:
        _discard(temporary)
        raise _not_copied(db_path, os_reason(error)) from error
    except BaseException:
        _discard(temporary)
        raise
    return temporary


def restore_journal_path(db_path: Path) -> Path:
    """The small file that records a restore's swap while it happens, beside the database."""
    db_path = Path(db_path)
    return db_path.with_name(f".{db_path.name}.restore-journal")


def _aside_name(db_path: Path, why: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.{why}-{stamp}")
    counter = 1
    while any(Path(f"{aside}{s}").exists() for s in ("", *SIDE_FILES)):
        counter += 1
        aside = db_path.with_name(f"{db_path.name}.{why}-{stamp}-{counter}")
    return aside


def checkpoint(db_path: Path) -> None:
    """Copy every change in the -wal into the file and empty the -wal, so the file alone holds
    all that was committed (a window that crashed leaves its last changes in the -wal)."""
    try:
        conn = sqlite3.connect(db_path, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        if is_corruption(error):
            # A damaged file is replaced as it is: its -wal moves with it, under its new name.
            log.warning("no checkpoint of the damaged %s before its restore: %s", db_path, error)
            return
        raise storage_error(db_path, error) or DatabaseError(
            N_(
                "{name} could not be prepared for the restore ({reason}); nothing was changed.",
                name=db_path.name,
                reason=error,
            )
        ) from error
    if busy:
        raise DatabaseError(
            N_(
                "{name} is being read by another program, so it cannot be replaced now; "
                "nothing was changed. Close the other program and try again.",
                name=db_path.name,
            )
        )


def _write_journal(journal: Path, content: dict[str, str]) -> None:
    """Write the journal whole or not at all: under a temporary name, synced, then renamed."""
    temporary = journal.with_name(journal.name + ".new")
    fd = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(content, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, journal)
    _fsync_dir(journal.parent)


def put_in_place(prepared: Path, db_path: Path) -> Path | None:
    """Rename a copy made by ``prepare_restore`` to the database's name, after the current
    file was moved aside; returns where that was kept. Every connection to the database must
    be closed first.

    The -wal is first checkpointed into the file, and each step of the swap is recorded in a
    journal beside the database, so a restore stopped at any point (a crash, a power cut) is
    finished or undone by ``finish_interrupted_restore`` at the next start: the database's
    name always leads to the old data or to the restored data, whole."""
    db_path, prepared = Path(db_path), Path(prepared)
    journal = restore_journal_path(db_path)
    kept: Path | None = None
    try:
        if db_path.exists():
            checkpoint(db_path)
            kept = _aside_name(db_path, "replaced")
        _write_journal(journal, {"prepared": prepared.name, "kept": kept.name if kept else ""})
        if kept is not None:
            for suffix in SIDE_FILES:
                side = Path(f"{db_path}{suffix}")
                if side.exists():
                    os.replace(side, f"{kept}{suffix}")
            os.replace(db_path, kept)
        os.replace(prepared, db_path)
        _fsync_dir(db_path.parent)
        journal.unlink()
        _fsync_dir(db_path.parent)
    except OSError as error:
        # Undo what was done, the way the next start would.
        with contextlib.suppress(OSError, DatabaseError):
            finish_interrupted_restore(db_path, finish=False)
        raise DatabaseError(
            N_(
                "The backup could not be restored into {folder}: {reason}.",
                folder=str(db_path.parent),
                reason=os_reason(error),
            )
        ) from error
    finally:
        if not journal.exists():
            _discard(prepared)
    return kept


def finish_interrupted_restore(db_path: Path, *, finish: bool = True) -> str | None:
    """Complete or undo a restore that was stopped midway, from its journal; the caller holds
    the lock. Returns what was done ("finished", "undone", "completed") or None when no restore
    was interrupted. With ``finish`` False a swap that can go either way is undone."""
    db_path = Path(db_path)
    journal = restore_journal_path(db_path)
    try:
        content = json.loads(journal.read_text(encoding="utf-8"))
        prepared = db_path.with_name(str(content["prepared"]))
        kept = db_path.with_name(str(content["kept"])) if content.get("kept") else None
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        # The journal is written whole (renamed into place): unreadable means the disk failed.
        raise DatabaseError(
            N_(
                "An interrupted restore of {name} left a journal that cannot be read "
                "({journal}): nothing was changed. Ask your IT support to look at it.",
                name=db_path.name,
                journal=journal.name,
            )
        ) from error
    if prepared.exists() and not db_path.exists():
        if finish:  # the old file is aside, the checked copy ready: put it in place
            os.replace(prepared, db_path)
            outcome = "finished"
        else:
            if kept is not None:
                _move_with_side_files(kept, db_path)
            _discard(prepared)
            outcome = "undone"
    elif prepared.exists():
        # The old file is still in place (only its empty side files may have moved): undo.
        if kept is not None:
            for suffix in SIDE_FILES:
                side, back = Path(f"{kept}{suffix}"), Path(f"{db_path}{suffix}")
                if side.exists() and not back.exists():
                    os.replace(side, back)
        _discard(prepared)
        outcome = "undone"
    elif db_path.exists():
        outcome = "completed"  # the copy was in place; only the journal was left
    elif kept is not None and kept.exists():
        _move_with_side_files(kept, db_path)
        outcome = "undone"
    else:
        outcome = "undone"
    _fsync_dir(db_path.parent)
    journal.unlink()
    _fsync_dir(db_path.parent)
    log.warning("an interrupted restore of %s was %s", db_path, outcome)
    return outcome


def put_back(kept: Path, db_path: Path) -> None:
    """Undo ``keep_aside``: the kept file and its -wal, -shm and -journal go back to the
    database's name; whatever is there now (a restored copy that failed to open) is removed."""
    db_path = Path(db_path)
    if Path(kept) != db_path:
        _discard(db_path)
    _move_with_side_files(Path(kept), db_path)


def discard_prepared(prepared: Path) -> None:
    """Remove a copy made by ``prepare_restore`` that is not to be put in place after all."""
    _discard(prepared)


def restore_backup(
    backup: Path,
    db_path: Path,
    *,
    progress: Progress | None = None,
    cancelled: threading.Event | None = None,
) -> Path | None:
    """Put a backup in the database's place; returns where the current file was kept. Every
    connection to the database must be closed first."""
    prepared = prepare_restore(backup, db_path, progress=progress, cancelled=cancelled)
    if cancelled is not None and cancelled.is_set():  # the last moment a cancel is heard
        discard_prepared(prepared)
        raise RestoreCancelled()
    return put_in_place(prepared, db_path)


def _copy(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    progress: Progress | None,
    cancelled: threading.Event | None,
) -> None:
    """SQLite's backup API, a slice of pages at a time so that progress can be told and a
    cancel heard between slices."""
    total = source.execute("PRAGMA page_count").fetchone()[0]
    if progress is not None:
        progress(COPYING, 0, total)

    def step(_status: int, remaining: int, count: int) -> None:
        if cancelled is not None and cancelled.is_set():
            raise RestoreCancelled()  # the backup API stops and passes it on
        if progress is not None:
            progress(COPYING, count - remaining, count)

    source.backup(target, pages=max(COPY_SLICE_PAGES, total // COPY_SLICES), progress=step)


# SQLite's names for failing to read a file, and to write one (the copy, as the backup was
# opened and read before it): any other error in a restore means the backup is not sound.
_READ_FAILURES = frozenset({"SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ"})
_WRITE_FAILURES = frozenset(
    {
        "SQLITE_FULL",
        "SQLITE_CANTOPEN",
        "SQLITE_READONLY",
        "SQLITE_PERM",
        "SQLITE_IOERR_WRITE",
        "SQLITE_IOERR_FSYNC",
        "SQLITE_IOERR_DIR_FSYNC",
        "SQLITE_IOERR_TRUNCATE",
    }
)


def _copy_failure(backup: Path, db_path: Path, error: sqlite3.Error) -> DatabaseError:
    name = getattr(error, "sqlite_errorname", "")
    if name in _WRITE_FAILURES:
        return _not_copied(db_path, str(error))
    if name in _READ_FAILURES:
        return _not_read(backup, error)
    return _damaged(backup)


def _damaged(backup: Path) -> DatabaseError:
    return DatabaseError(
        N_(
            "The backup {name} is damaged or not a Protocol Desk database; choose another one.",
            name=backup.name,
        )
    )


def _not_read(backup: Path, error: sqlite3.Error) -> DatabaseError:
    return DatabaseError(
        N_("The backup {path} cannot be read: {reason}.", path=str(backup), reason=error)
    )


def _not_copied(db_path: Path, why: str) -> DatabaseError:
    return DatabaseError(
        N_(
            "The backup could not be copied into {folder}: {reason}.",
            folder=str(db_path.parent),
            reason=why,
        )
    )


def _discard(path: Path) -> None:
    """Remove a copy with whatever SQLite kept beside it."""
    for name in (str(path), *(f"{path}{suffix}" for suffix in SIDE_FILES)):
        with contextlib.suppress(OSError):
            Path(name).unlink()
