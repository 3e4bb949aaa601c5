"""The desk's side of office sharing: the outbox of records changed here, each record's base
(the office's version and content this desk last agreed with), the conflicts kept until the
officer resolves them, and the sync's own state."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from protocol_desk.store.base import Repository

# Every shared record's table, with the kind the office server knows it by and which rows
# are records of their own (an agreed action of a meeting travels inside the meeting).
_SHARED_TABLES = (
    ("country", "country", "true"),
    ("organisation", "organisation", "true"),
    ("person", "person", "true"),
    ("anniversary", "anniversary", "true"),
    ("delegation", "delegation", "true"),
    ("meeting", "meeting", "true"),
    ("agreed_action", "action", "meeting_id IS NULL"),
)
_CHUNK = 500


@dataclass(frozen=True)
class OutboxEntry:
    uid: str
    kind: str
    changes: int  # the count the sync must still find when it removes the entry


@dataclass(frozen=True)
class Base:
    version: int
    digest: str


@dataclass(frozen=True)
class KeptConflict:
    uid: str
    kind: str
    their_version: int
    their_content: str | None  # JSON, None when the office deleted the record
    their_author: str
    found_at: str
    reason: str = ""  # why the office's version could not be applied here


class OutboxRepository(Repository):
    # --- state ------------------------------------------------------------------------------
    def state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def clear_state(self, key: str) -> None:
        self.db.execute("DELETE FROM sync_state WHERE key = ?", [key])

    @contextlib.contextmanager
    def applying(self) -> Iterator[None]:
        """Inside the caller's transaction: the office's own changes are written without
        landing in the outbox (the triggers look at this flag)."""
        before = self.state("outbox") or "0"
        self.set_state("outbox", "0")
        try:
            yield
        finally:
            self.set_state("outbox", before)

    def start_tracking(self, *, with_existing: bool) -> None:
        """From now on every change lands in the outbox; ``with_existing`` puts every record
        already here in it too (a desk with its own data shares it at its first sync)."""
        self.set_state("outbox", "1")
        if not with_existing:
            return
        for table, kind, own in _SHARED_TABLES:
            self.db.execute(
                f"INSERT INTO sync_outbox (uid, kind) SELECT uid, '{kind}' FROM {table}"
                f" WHERE {own} ON CONFLICT (uid) DO UPDATE SET changes = changes + 1"
            )
        self.mark("settings", "settings")

    def forget_office(self) -> None:
        """Another office server: nothing this desk agreed with the last one still holds."""
        for table in ("sync_base", "sync_conflict"):
            self.db.execute(f"DELETE FROM {table}")
        self.clear_state("last_seq")
        self.clear_state("synced_at")

    # --- outbox -----------------------------------------------------------------------------
    def mark(self, uid: str, kind: str) -> None:
        self.db.execute(
            "INSERT INTO sync_outbox (uid, kind) VALUES (?, ?)"
            " ON CONFLICT (uid) DO UPDATE SET changes = changes + 1",
            [uid, kind],
        )

    def entries(self) -> list[OutboxEntry]:
        rows = self.db.execute("SELECT uid, kind, changes FROM sync_outbox ORDER BY rowid")
        return [OutboxEntry(str(u), str(k), int(c)) for u, k, c in rows]

    def waiting(self) -> int:
        """Changes waiting to go (those in conflict wait for the officer, not the sync)."""
        return int(
            self.db.execute(
                "SELECT count(*) FROM sync_outbox WHERE uid NOT IN (SELECT uid FROM sync_conflict)"
            ).fetchone()[0]
        )

    def sent(self, uid: str, changes: int) -> None:
        """The record went (or needed not go): drop its entry unless it changed again since."""
        self.db.execute("DELETE FROM sync_outbox WHERE uid = ? AND changes = ?", [uid, changes])

    def unmark(self, uid: str) -> None:
        self.db.execute("DELETE FROM sync_outbox WHERE uid = ?", [uid])

    # --- bases ------------------------------------------------------------------------------
    def bases(self, uids: Iterable[str]) -> dict[str, Base]:
        wanted = list(dict.fromkeys(uids))
        found: dict[str, Base] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = self.db.execute(
                f"SELECT uid, version, digest FROM sync_base WHERE uid IN"
                f" ({', '.join('?' * len(chunk))})",
                chunk,
            )
            found.update({str(u): Base(int(v), str(d)) for u, v, d in rows})
        return found

    def set_base(self, uid: str, kind: str, version: int, digest: str) -> None:
        self.db.execute(
            "INSERT INTO sync_base (uid, kind, version, digest) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (uid) DO UPDATE SET kind = excluded.kind,"
            " version = excluded.version, digest = excluded.digest",
            [uid, kind, version, digest],
        )

    def set_bases(self, rows: Iterable[tuple[str, str, int, str]]) -> None:
        """``set_base`` for many records at once: (uid, kind, version, digest)."""
        self.db.conn.executemany(
            "INSERT INTO sync_base (uid, kind, version, digest) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (uid) DO UPDATE SET kind = excluded.kind,"
            " version = excluded.version, digest = excluded.digest",
            rows,
        )

    # --- conflicts --------------------------------------------------------------------------
    def keep_conflict(
        self, uid: str, kind: str, version: int, content: str | None, author: str, reason: str = ""
    ) -> None:
        """Keep the office's version beside this desk's: a conflict, or (with a reason) a
        record that could not be applied here."""
        self.db.execute(
            "INSERT INTO sync_conflict (uid, kind, their_version, their_content, their_author,"
            " reason) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET"
            " their_version = excluded.their_version, their_content = excluded.their_content,"
            " their_author = excluded.their_author, reason = excluded.reason",
            [uid, kind, version, content, author, reason],
        )

    def conflicts(self) -> list[KeptConflict]:
        rows = self.db.execute(
            "SELECT uid, kind, their_version, their_content, their_author, found_at, reason"
            " FROM sync_conflict ORDER BY found_at, uid"
        )
        return [
            KeptConflict(str(r[0]), str(r[1]), int(r[2]), r[3], str(r[4]), str(r[5]), str(r[6]))
            for r in rows
        ]

    def unapplied_uids(self) -> set[str]:
        """The office's records kept because they could not be applied here."""
        rows = self.db.execute("SELECT uid FROM sync_conflict WHERE reason != ''")
        return {str(u) for (u,) in rows}

    def conflict(self, uid: str) -> KeptConflict | None:
        return next((c for c in self.conflicts() if c.uid == uid), None)

    def conflict_uids(self) -> set[str]:
        return {str(u) for (u,) in self.db.execute("SELECT uid FROM sync_conflict")}

    def count_conflicts(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM sync_conflict").fetchone()[0])

    def resolved(self, uid: str) -> None:
        self.db.execute("DELETE FROM sync_conflict WHERE uid = ?", [uid])
