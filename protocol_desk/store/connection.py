"""Opening the database file: recognising it, checking its health, the connection settings,
migrations (with a backup first) and transactions."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.messages import N_, Message
from protocol_desk.domain.safety import (
    BackupInfo,
    DamagedDatabaseError,
    ForeignFileError,
    NewerSchemaError,
    OlderSchemaError,
    ReadOnlyLocationError,
)
from protocol_desk.store import backup as backups
from protocol_desk.store import functions, versions
from protocol_desk.store.backup import connect_read_only, keep_aside
from protocol_desk.store.faults import is_corruption, storage_error
from protocol_desk.store.lock import left_by_crash
from protocol_desk.store.sql import Db
from protocol_desk.store.versions import APPLICATION_ID

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5_000
BACKUP_ATTEMPTS = 3  # before a migration (see _migrate)

# The settings every connection gets, asserted by the tests.
PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA trusted_schema = OFF",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
)

Check = Literal["quick", "full", "none"]


__all__ = ["connect", "inspect", "transaction"]


def environment_error(path: Path, error: BaseException) -> DatabaseError:
    """A failure that is not SQLite's verdict of damage: said plainly, nothing moved."""
    found = storage_error(path, error)
    if found is not None:
        return found
    return DatabaseError(
        N_("{path} cannot be opened: {reason}. Nothing was changed.", path=str(path), reason=error)
    )


def _backup_sentence(backup: BackupInfo | None) -> str:
    if backup is None:
        return N_("There is no backup of it.")
    return N_("The newest verified backup is from {when}.", when=backup.when)


def damaged_error(path: Path, problem: str, *, move: bool) -> DamagedDatabaseError:
    """Move the damaged file aside (unless another process may have it open) and say so."""
    # SQLite's findings come on several lines, under a heading: one line of them is enough.
    if not isinstance(problem, Message):  # our own words stay a message to translate
        problem = " ".join(problem.replace("*** in database main ***", "").split())
    kept_at = None
    if move:
        try:
            kept_at = keep_aside(path, "damaged")
        except OSError as error:
            log.error("could not move the damaged database %s aside: %s", path, error)
    log.error("damaged database %s: %s (kept at %s)", path, problem, kept_at)
    backup = backups.newest_verified_backup(path)
    damaged = DamagedDatabaseError(
        N_(
            "The database {name} is damaged ({problem}). It was kept aside as {kept}, "
            "untouched. {backup}",
            name=path.name,
            problem=problem,
            kept=kept_at.name,
            backup=_backup_sentence(backup),
        )
        if kept_at
        else N_(
            "The database {name} is damaged ({problem}). {backup}",
            name=path.name,
            problem=problem,
            backup=_backup_sentence(backup),
        ),
        path,
        backup,
        kept_at,
    )
    damaged.reason = problem
    return damaged


def _foreign(path: Path, what: str) -> ForeignFileError:
    backup = backups.newest_verified_backup(path)
    return ForeignFileError(
        N_(
            "{path} is not a Protocol Desk database ({what}). It was left as it is. {backup}",
            path=str(path),
            what=what,
            backup=_backup_sentence(backup),
        )
        if backup
        else N_(
            "{path} is not a Protocol Desk database ({what}). It was left as it is.",
            path=str(path),
            what=what,
        ),
        path,
        backup,
    )


def _header_problem(path: Path) -> tuple[str, str] | None:
    """Look at the file's first bytes before SQLite does: ("foreign"|"damaged", why)."""
    size = path.stat().st_size
    if size == 0:
        # The app never leaves an empty file at the database's place (a new database is
        # built under a temporary name), so an empty one is a failed copy or a full disk.
        return ("damaged", N_("the file is empty: 0 bytes"))
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        return ("foreign", N_("it is not a SQLite file"))
    if len(header) < 100:
        return ("damaged", N_("the file is cut short"))
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    page_count, valid_for = struct.unpack(">I", header[28:32])[0], header[92:96]
    wal = Path(f"{path}-wal")
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    # The page count in the header is only trusted when it was written with the latest change
    # (same counter); with a WAL holding changes, the file may still grow at the checkpoint.
    if valid_for == header[24:28] and wal_empty and page_count and size < page_count * page_size:
        return (
            "damaged",
            N_(
                "the file is cut short: {size} of {total} bytes",
                size=format(size, ","),
                total=format(page_count * page_size, ","),
            ),
        )
    return None


def inspect(path: Path, check: Check = "quick", *, move_damaged: bool = True) -> None:
    """Refuse a file that is not a sound Protocol Desk database, without writing to it.

    Runs on a read-only connection, so a damaged file is not "repaired" by SQLite's recovery
    or checkpoint on close: it is kept exactly as found."""
    try:
        problem = _header_problem(path)
    except OSError as error:
        raise environment_error(path, error) from error
    if problem is not None:
        kind, why = problem
        if kind == "foreign":
            raise _foreign(path, why)
        raise damaged_error(path, why, move=move_damaged)
    conn = None
    try:
        conn = connect_read_only(path)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables and application_id != APPLICATION_ID:
            raise _foreign(path, N_("a SQLite file of another program"))
        if not tables and application_id == APPLICATION_ID:
            problem = ("damaged", N_("its tables are gone"))
        else:
            newer = versions.unknown_applied(conn) if tables else []
            if newer:
                raise NewerSchemaError(
                    N_(
                        "{path} was written by a newer Protocol Desk (it has {changes}): "
                        "update the app to open it.",
                        path=str(path),
                        changes=", ".join(newer),
                    )
                )
            if check != "none":
                pragma = "integrity_check" if check == "full" else "quick_check"
                result = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(5)").fetchall()]
                if result != ["ok"]:
                    problem = ("damaged", "; ".join(result))
    except sqlite3.DatabaseError as error:
        # Only SQLite's own verdict calls the file damaged; a full disk, an I/O error or a
        # folder that cannot be written say nothing about it.
        if not is_corruption(error):
            raise environment_error(path, error) from error
        problem = ("damaged", str(error))
    finally:
        if conn is not None:
            conn.close()
    if problem is not None:
        raise damaged_error(path, problem[1], move=move_damaged)


def _apply_migrations(db: Db) -> list[str]:
    # Imported here: sqlite-utils and the migrations are only needed when the file changes.
    from protocol_desk.store.schema import apply_migrations

    return apply_migrations(db.sqlite_utils())


def _configure(conn: sqlite3.Connection, readonly: bool) -> None:
    functions.register(conn)
    for pragma in PRAGMAS:
        if readonly and "journal_mode" in pragma:
            continue
        conn.execute(pragma)
    if readonly:
        conn.execute("PRAGMA query_only = ON")


def _create(path: Path) -> None:
    """Build a new database under a temporary name and rename it into place, so the real
    name never holds a half-made (or empty) file."""
    temporary = path.with_name(f".{path.name}.new")
    for leftover in (temporary, *(Path(f"{temporary}{s}") for s in backups.SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    # Owner-only from the first byte: the records are sensitive. SQLite gives the -wal and
    # -shm files the database file's permissions.
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    conn = sqlite3.connect(temporary, isolation_level=None)
    try:
        _configure(conn, readonly=False)
        _apply_migrations(Db(conn))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    os.replace(temporary, path)
    with contextlib.suppress(OSError):
        backups._fsync_dir(path.parent)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect(
    path: str | Path,
    *,
    readonly: bool = False,
    create: bool = True,
    check: Check | None = None,
    on_update: Callable[[], None] | None = None,
) -> Db:
    """Open (and create or migrate) the database at ``path``; ``:memory:`` for tests.

    ``check`` is the health check run first: ``quick`` by default, ``full`` when the last
    session left its lock behind (it did not close: a crash or a power cut). ``on_update`` is
    called before an existing file's format is updated (a backup and a rebuild: minutes for a
    big office), so the officer can be told."""
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        db = Db(conn)
        _configure(conn, readonly=False)
        _apply_migrations(db)
        return db
    path = Path(path)
    if not path.parent.is_dir():
        raise DatabaseError(N_("The folder {folder} does not exist.", folder=str(path.parent)))
    if not path.exists():
        if backups.restore_journal_path(path).exists():
            # Never an empty database in the place of one whose restore was interrupted.
            raise DatabaseError(
                N_(
                    "A restore of {name} was interrupted. Open it for editing (the window, or "
                    "a command that changes it) to finish the restore.",
                    name=path.name,
                )
            )
        if not create or readonly:
            raise DatabaseError(N_("There is no database at {path}.", path=str(path)))
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyLocationError(
                N_(
                    "The folder {folder} is read-only: cannot create the database there.",
                    folder=str(path.parent),
                )
            )
        try:
            _create(path)
        except (OSError, sqlite3.Error) as error:
            raise environment_error(path, error) from error
    if check is None:
        check = "full" if left_by_crash(path) else "quick"
    # A reader must not move a file that its writer (maybe a colleague) still has open.
    inspect(path, check, move_damaged=not readonly)
    if not readonly and not _writable(path):
        raise ReadOnlyLocationError(
            N_(
                "The database {name} or its folder {folder} is read-only: it can only "
                "be opened read-only.",
                name=path.name,
                folder=str(path.parent),
            )
        )
    try:
        if readonly:
            conn = connect_read_only(path, check_same_thread=False)
        else:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        _configure(conn, readonly)
    except sqlite3.DatabaseError as error:
        if is_corruption(error):
            raise damaged_error(path, str(error), move=False) from error
        raise environment_error(path, error) from error
    db = Db(conn)
    if not readonly:
        _migrate(db, path, on_update)
    elif versions.pending(conn):
        # This version's queries need the format it updates to (its indexes and columns).
        conn.close()
        raise OlderSchemaError(
            N_(
                "{name} was written by an earlier version of Protocol Desk, and this version "
                "must update its format before it can read it, which cannot be done read-only. "
                "Open it for editing once (close it first wherever it is open), or look things "
                "up with the version that wrote it.",
                name=path.name,
            )
        )
    return db


def _migrate(db: Db, path: Path, on_update: Callable[[], None] | None = None) -> None:
    """Apply pending migrations, after a verified backup of the file as it was."""
    pending = versions.pending(db.conn)
    if not pending:
        return
    has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if has_tables:
        if on_update is not None:
            on_update()
        for attempt in range(BACKUP_ATTEMPTS):
            try:
                made = backups.create_backup(db.conn, path, "before-update")
                log.info("backup before migrations %s: %s", pending, made.path)
                break
            except DatabaseError as error:
                # Two programs opening an old file at once both back it up, and one's copy
                # can trip over the other's (same name, same second). A moment later either
                # the other has updated the file, or a backup of a new name can be made.
                time.sleep(1.0)
                if not versions.pending(db.conn):
                    return
                if attempt == BACKUP_ATTEMPTS - 1:
                    db.conn.close()
                    raise DatabaseError(
                        N_(
                            "{name} needs a format update, but no backup could be made first, "
                            "so it was left unchanged. {reason}",
                            name=path.name,
                            reason=error.message,
                        )
                    ) from error
    try:
        # Under the write lock, and checked again: two programs opening an old file at once
        # must not both apply the same migration. All of them commit together, or none.
        with transaction(db):
            if versions.pending(db.conn):
                _apply_migrations(db)
    except sqlite3.OperationalError as error:
        db.conn.close()
        raise DatabaseError(
            N_("{path} cannot be updated: {reason}.", path=str(path), reason=error)
        ) from error


@contextlib.contextmanager
def transaction(db: Db) -> Iterator[Db]:
    """One unit of work: all of it is committed, or none of it.

    ``BEGIN IMMEDIATE`` takes the write lock before the first read, so a read-then-write never
    loses to a colleague's write in between; nested use becomes a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        with db.savepoint():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "readonly" in str(error) or "read-only" in str(error):
            raise DatabaseError(
                N_("The database is open read-only: nothing can be changed in this window.")
            ) from error
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseError(
                N_("The database is busy: another program is writing to it. Try again in a moment.")
            ) from error
        raise
    try:
        yield db
    except BaseException as error:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        _raise_plainly(conn, error)
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            _raise_plainly(conn, error)
            raise


_PLAIN_KINDS = frozenset({"full", "io", "readonly", "permission", "cantopen", "memory"})


def _raise_plainly(conn: sqlite3.Connection, error: BaseException) -> None:
    """A write that failed because of the disk (full, read-only, an I/O error) is said as such,
    in one sentence; the transaction was rolled back, so nothing was changed."""
    if not isinstance(error, sqlite3.Error) or is_corruption(error):
        return
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
        path = Path(row[2]) if row and row[2] else Path("the database")
    except sqlite3.Error:
        path = Path("the database")
    plain = storage_error(path, error)
    if plain is not None and plain.kind in _PLAIN_KINDS:
        raise plain from error
