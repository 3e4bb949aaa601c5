"""Opening the database file: recognising it, the connection settings, migrations, transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from protocol_desk.domain.errors import DatabaseError
from protocol_desk.store.schema import APPLICATION_ID, apply_migrations, unknown_applied

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5_000

# The settings every connection gets, asserted by the tests.
PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA trusted_schema = OFF",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
)


def _check_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database before SQLite gets to look at it."""
    if not path.exists() or path.stat().st_size == 0:
        if path.exists():
            raise DatabaseError(f"{path} is an empty file, not a Protocol Desk database.")
        return
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        raise DatabaseError(f"{path} is not a Protocol Desk database (it is not a SQLite file).")
    if len(header) < 100:
        raise DatabaseError(f"{path} is damaged: the file is cut short.")


def _configure(conn: sqlite3.Connection, readonly: bool) -> None:
    for pragma in PRAGMAS:
        if readonly and "journal_mode" in pragma:
            continue
        conn.execute(pragma)


def connect(path: str | Path, *, readonly: bool = False, create: bool = True) -> Database:
    """Open (and create or migrate) the database at ``path``; ``:memory:`` for tests."""
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        db = Database(conn)
        _configure(conn, readonly=False)
        apply_migrations(db)
        return db
    path = Path(path)
    _check_file(path)
    if not path.exists():
        if not create or readonly:
            raise DatabaseError(f"There is no database at {path}.")
        if not path.parent.exists():
            raise DatabaseError(f"The folder {path.parent} does not exist.")
        if not os.access(path.parent, os.W_OK):
            raise DatabaseError(
                f"The folder {path.parent} is read-only: cannot create the database."
            )
        # Owner-only from the first byte: the records are sensitive.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    if readonly:
        uri = f"file:{path.as_posix()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        old_umask = os.umask(0o077)  # so the -wal and -shm files are owner-only too
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            _configure(conn, readonly)
        except sqlite3.DatabaseError as error:
            raise DatabaseError(f"{path} cannot be opened: {error}.") from error
        finally:
            os.umask(old_umask)
    if readonly:
        _configure(conn, readonly)
    db = Database(conn)
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    except sqlite3.DatabaseError as error:
        conn.close()
        raise DatabaseError(f"{path} is damaged and cannot be read ({error}).") from error
    if has_tables and application_id != APPLICATION_ID:
        conn.close()
        raise DatabaseError(f"{path} is a SQLite file, but not a Protocol Desk database.")
    newer = unknown_applied(db) if has_tables else []
    if newer:
        conn.close()
        raise DatabaseError(
            f"{path} was written by a newer Protocol Desk (it has {', '.join(newer)}): "
            "update the app to open it."
        )
    if not readonly:
        try:
            apply_migrations(db)
        except sqlite3.OperationalError as error:
            conn.close()
            raise DatabaseError(f"{path} cannot be updated: {error}.") from error
    return db


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One unit of work: all of it is committed, or none of it.

    ``BEGIN IMMEDIATE`` takes the write lock before the first read, so a read-then-write never
    loses to a colleague's write in between; nested use becomes a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
