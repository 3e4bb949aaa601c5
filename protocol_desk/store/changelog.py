"""Reading the change log: who changed what, when, from which value to which."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from protocol_desk.store.base import Repository

_CHUNK = 500  # uids per query, well under SQLite's limit on bound parameters


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


class ChangeLogRepository(Repository):
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
