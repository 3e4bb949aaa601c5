"""The change log: who changed what, when, from which value to which; each entry chained to
the one before it by a hash, so that an entry changed, removed or slipped in outside the app
is found by ``check``."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from protocol_desk.store.sql import Db

_CHUNK = 500  # uids per query, well under SQLite's limit on bound parameters

# The hash the first entry follows.
GENESIS = "0" * 64

# What an entry's hash covers, in this order, after the previous entry's hash.
CONTENT_COLUMNS = (
    "id",
    "at",
    "os_user",
    "table_name",
    "row_uid",
    "operation",
    "field",
    "old_value",
    "new_value",
)


def entry_hash(previous: str, content: Sequence[Any]) -> str:
    """sha256 (hex) of the previous entry's hash followed by this entry's content, each value
    written as its length, a colon and its text (an empty value as "~"), so that no two
    different entries give the same text to hash. Plain enough to check with any language."""
    fields = "".join("~" if v is None else f"{len(t)}:{t}" for v in content for t in (str(v),))
    return hashlib.sha256((previous + fields).encode("utf-8")).hexdigest()


def _now() -> str:
    # As the column's default wrote it before entries were chained: UTC, milliseconds.
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _last(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT id, entry_hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append(conn: sqlite3.Connection, entry: Sequence[Any]) -> None:
    """Add one entry (the content columns after ``id`` and ``at``), chained to the last one.
    Inside the caller's transaction, which holds the write lock: nobody appends between the
    read of the last entry and this one."""
    append_many(conn, [entry])


def append_many(conn: sqlite3.Connection, entries: Iterable[Sequence[Any]]) -> None:
    """Add entries in order, each chained to the one before (a bulk load's too)."""
    if not conn.in_transaction:
        # A write outside any transaction: the read of the last entry and the insert still
        # go together, so two writers never chain to the same entry.
        conn.execute("BEGIN IMMEDIATE")
        try:
            append_many(conn, entries)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return
    last_id, previous = _last(conn)
    at = _now()
    rows = []
    for entry in entries:
        last_id += 1
        content = (last_id, at, *entry)
        digest = entry_hash(previous, content)
        rows.append((*content, previous, digest))
        previous = digest
    columns = ", ".join((*CONTENT_COLUMNS, "prev_hash", "entry_hash"))
    marks = ", ".join("?" * (len(CONTENT_COLUMNS) + 2))
    conn.executemany(f"INSERT INTO change_log ({columns}) VALUES ({marks})", rows)


def chain_existing(conn: sqlite3.Connection) -> int:
    """Give every entry without a hash its place in the chain, in id order (entries written
    before the log was chained); returns how many. For the migration that adds the chain."""
    previous = GENESIS
    done = 0
    select = f"SELECT {', '.join(CONTENT_COLUMNS)}, entry_hash FROM change_log ORDER BY id"
    for row in conn.execute(select).fetchall():
        content, stored = row[:-1], row[-1]
        if stored is None:
            stored = entry_hash(previous, content)
            conn.execute(
                "UPDATE change_log SET prev_hash = ?, entry_hash = ? WHERE id = ?",
                [previous, stored, content[0]],
            )
            done += 1
        previous = stored
    return done


@dataclass(frozen=True)
class BrokenEntry:
    """The first entry of the log that does not hold together with those before it."""

    id: int
    reason: str

    def describe(self) -> str:
        return f"The change log was altered outside Protocol Desk: entry #{self.id} {self.reason}."


def first_broken(conn: sqlite3.Connection) -> BrokenEntry | None:
    """Walk the chain from the first entry: the first one whose content no longer gives its
    hash (changed), or that does not follow the entry before it (one removed or slipped in),
    or None when the whole log holds together. Read-only.

    (Entries removed from the very end leave no trace in a chain: the log is as it was
    then.)"""
    columns = "name FROM pragma_table_info('change_log')"
    if "entry_hash" not in {r[0] for r in conn.execute(f"SELECT {columns}")}:
        return None  # a file from before the chain: opening it adds one
    previous = GENESIS
    select = (
        f"SELECT {', '.join(CONTENT_COLUMNS)}, prev_hash, entry_hash FROM change_log ORDER BY id"
    )
    for row in conn.execute(select):
        content, prev_hash, stored = row[:-2], row[-2], row[-1]
        if prev_hash != previous:
            return BrokenEntry(
                int(content[0]), "does not follow the entry before it (one was removed or added)"
            )
        if stored != entry_hash(previous, content):
            return BrokenEntry(int(content[0]), "was changed after it was written")
        previous = stored
    return None


@dataclass(frozen=True)
class ChangeEntry:
    """One line of the change log, as written (the log is append-only)."""

    id: int
    at: datetime  # UTC
    user: str
    table: str
    row_uid: str
    operation: str
    field: str | None
    old: str | None
    new: str | None


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ChangeLogRepository:
    """Reads the log (the repositories write it, through ``append``)."""

    def __init__(self, db: Db, user: str | None = None) -> None:
        self.db = db

    def _entries(self, where: str, params: Sequence[object], limit: int) -> list[ChangeEntry]:
        rows = self.db.execute(
            "SELECT id, at, os_user, table_name, row_uid, operation, field, old_value,"
            f" new_value FROM change_log WHERE {where} ORDER BY id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [
            ChangeEntry(
                id=int(r[0]),
                at=_moment(str(r[1])),
                user=str(r[2]),
                table=str(r[3]),
                row_uid=str(r[4]),
                operation=str(r[5]),
                field=r[6],
                old=r[7],
                new=r[8],
            )
            for r in rows
        ]

    def for_rows(self, uids: Sequence[str], limit: int = 2_000) -> list[ChangeEntry]:
        """Entries about any of these records, newest first."""
        unique = list(dict.fromkeys(uids))
        entries: list[ChangeEntry] = []
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            entries.extend(self._entries(f"row_uid IN ({marks})", chunk, limit))
        entries.sort(key=lambda e: e.id, reverse=True)
        return entries[:limit]

    def for_record(self, uid: str, limit: int = 2_000) -> list[ChangeEntry]:
        return self.for_rows([uid], limit)

    def recent(self, limit: int = 200) -> list[ChangeEntry]:
        return self._entries("1 = 1", [], limit)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM change_log").fetchone()[0])
