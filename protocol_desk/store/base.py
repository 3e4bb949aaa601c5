"""What every repository shares: version-checked writes and the change log."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from protocol_desk.domain.errors import ConflictError, NotFoundError
from protocol_desk.domain.messages import N_
from protocol_desk.store import action_keys, due
from protocol_desk.store.sql import Db

# Table names the store knows; identifiers in SQL only ever come from here.
TABLES = frozenset(
    {
        "setting",
        "country",
        "organisation",
        "person",
        "person_name",
        "position",
        "delegation",
        "delegation_member",
        "programme_item",
        "meeting",
        "participant",
        "meeting_source",
        "signed_document",
        "anniversary",
        "agreed_action",
        "action_status_change",
        "change_log",
    }
)

# A table's record as a message names it (in the reader's language).
_RECORD_KINDS = {
    "setting": N_("setting"),
    "country": N_("country"),
    "organisation": N_("organisation"),
    "person": N_("person"),
    "person_name": N_("spelling"),
    "position": N_("position"),
    "delegation": N_("visit"),
    "delegation_member": N_("visit's member"),
    "programme_item": N_("programme item"),
    "meeting": N_("meeting"),
    "participant": N_("participant"),
    "meeting_source": N_("source"),
    "signed_document": N_("document signed"),
    "anniversary": N_("anniversary"),
    "agreed_action": N_("agreed action"),
    "action_status_change": N_("status change"),
    "change_log": N_("change log entry"),
}


def record_kind(table: str) -> str:
    return _RECORD_KINDS.get(table, table.replace("_", " "))


# Columns that the change log leaves out: bookkeeping, or derived from another column.
_UNLOGGED = {
    "id",
    "uid",
    "version",
    "created_at",
    "updated_at",
    "sort_key",
    "subject_sort",
    "due_on",
    "text_sort",
    "owner_sort",
    "counterpart_sort",
    "city_sort",
    "kind_sort",
    "meeting_sort",
    "country_sort",
}


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def os_user() -> str:
    # What getpass.getuser() does, without importing getpass (and its terminal code).
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if user := os.environ.get(name):
            return user
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # no login name in some service environments
        return "unknown"


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _summary(row: Mapping[str, Any]) -> dict[str, Any]:
    """A record's values as its create (or delete) entry keeps them."""
    return {
        k: (f"<{len(v)} bytes>" if isinstance(v, bytes) else v)
        for k, v in row.items()
        if k not in _UNLOGGED and v not in (None, "")
    }


class Repository:
    """Base of the repositories: holds the connection and writes the audit trail."""

    def __init__(self, db: Db, user: str | None = None) -> None:
        self.db = db
        self.user = user or os_user()

    # --- change log -------------------------------------------------------------------------
    def log(
        self,
        table: str,
        uid: str,
        operation: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        # Imported when first written: opening and listing (the window's start) need it not.
        from protocol_desk.store import changelog

        changelog.append(
            self.db.conn, (self.user, table, uid, operation, field, _as_text(old), _as_text(new))
        )

    # --- generic writes ---------------------------------------------------------------------
    def insert_row(self, table: str, row: Mapping[str, Any], *, operation: str = "create") -> int:
        assert table in TABLES
        columns = list(row)
        cursor = self.db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )
        if "uid" in row:
            self.log(table, row["uid"], operation, None, None, _summary(row))
        rowid = cursor.lastrowid
        assert rowid is not None
        due.after_write(self.db.conn, table, rowid, set(columns))
        action_keys.after_write(self.db.conn, table, rowid, set(columns))
        return rowid

    def delete_row(self, table: str, row_id: int) -> None:
        """Delete a row for good, its values kept in the change log's entry."""
        old = self.fetch_row(table, row_id)
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
        if old.get("uid"):
            self.log(table, old["uid"], "delete", None, _summary(old), None)

    def fetch_row(self, table: str, row_id: int) -> dict[str, Any]:
        assert table in TABLES
        cursor = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        values = cursor.fetchone()
        if values is None:
            raise NotFoundError(
                N_("The {kind} #{id} does not exist.", kind=record_kind(table), id=row_id)
            )
        return dict(zip([d[0] for d in cursor.description], values, strict=True))

    def update_row(
        self,
        table: str,
        row_id: int,
        expected_version: int | None,
        row: Mapping[str, Any],
        *,
        operation: str = "update",
    ) -> int:
        """Update changed columns; returns the new version.

        ``expected_version`` is the version the user's copy was read at: a different one in the
        file means someone saved in between, and that is a conflict, never a silent overwrite."""
        current = self.fetch_row(table, row_id)
        if expected_version is not None and current["version"] != expected_version:
            raise ConflictError(
                N_(
                    "This {kind} was changed by someone else after you opened it "
                    "(version {version}, yours {yours}).",
                    kind=record_kind(table),
                    version=current["version"],
                    yours=expected_version,
                ),
                current,
            )
        changed = {k: v for k, v in row.items() if k in current and current[k] != v}
        if not changed:
            return int(current["version"])
        new_version = int(current["version"]) + 1
        assignments = ", ".join(f"{column} = ?" for column in changed)
        self.db.execute(
            f"UPDATE {table} SET {assignments}, version = ?, updated_at = ? WHERE id = ?",
            [*changed.values(), new_version, now_iso(), row_id],
        )
        for column, value in changed.items():
            if column not in _UNLOGGED:
                self.log(table, current["uid"], operation, column, current[column], value)
        due.after_write(self.db.conn, table, row_id, set(changed))
        action_keys.after_write(self.db.conn, table, row_id, set(changed))
        return new_version

    def raise_meeting_version(self, meeting_id: int) -> int:
        """A part of a meeting (a participant, a source, an agreed action) changed: the
        meeting is one record for versioning, so its version goes up too. Returns it."""
        row = self.db.execute(
            "UPDATE meeting SET version = version + 1, updated_at = ? WHERE id = ?"
            " RETURNING version",
            [now_iso(), meeting_id],
        ).fetchone()
        return int(row[0])

    def id_for_uid(self, table: str, uid: str) -> int | None:
        assert table in TABLES
        row = self.db.execute(f"SELECT id FROM {table} WHERE uid = ?", [uid]).fetchone()
        return int(row[0]) if row else None

    def any_uid_of(self, table: str, uids: list[Any]) -> bool:
        """Whether any of these uids is a row of ``table`` here."""
        assert table in TABLES
        wanted = [str(u) for u in uids if u not in (None, "")]
        if not wanted:
            return False
        marks = ", ".join("?" * len(wanted))
        row = self.db.execute(f"SELECT 1 FROM {table} WHERE uid IN ({marks}) LIMIT 1", wanted)
        return row.fetchone() is not None

    def uid_for_id(self, table: str, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        assert table in TABLES
        row = self.db.execute(f"SELECT uid FROM {table} WHERE id = ?", [row_id]).fetchone()
        return str(row[0]) if row else None

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, list(params)))
