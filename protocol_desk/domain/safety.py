"""What the safety of the database file speaks of: backups and a restore's progress, and the
errors that say why a file cannot be opened or written. Shared by the store, which finds them,
and the window, which asks the officer what to do about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from protocol_desk.domain.dates import format_long
from protocol_desk.domain.errors import DatabaseError, ProtocolDeskError
from protocol_desk.domain.messages import N_


class LockHolder(Protocol):
    """Who holds the database, as an error about it names them."""

    @property
    def user(self) -> str: ...

    @property
    def host(self) -> str: ...

    @property
    def since(self) -> datetime: ...

    def describe(self) -> str: ...


# Why a backup was made: a fixed vocabulary, part of the file name.
REASONS: dict[str, str] = {
    "manual": N_("Made on request"),
    "automatic": N_("Automatic, at start"),
    "before-update": N_("Before a database format update"),
}


# A restore's stages, as its progress names them: (stage, done, total), total 0 when unknown.
COPYING = "copying"
CHECKING = "checking"
Progress = Callable[[str, int, int], None]


class RestoreCancelled(ProtocolDeskError):
    """A restore stopped before the backup was put in place: nothing was changed."""

    def __init__(self) -> None:
        super().__init__("The restore was cancelled; the database is as it was.")


def format_moment(moment: datetime) -> str:
    """A point in time as the officer reads it: local time, day first."""
    local = moment.astimezone()
    return f"{format_long(local.date())}, {local:%H:%M}"


@dataclass(frozen=True)
class BackupInfo:
    """A backup file: where it is, when and why it was made, and its size."""

    path: Path
    created: datetime  # UTC
    reason: str
    size: int

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def when(self) -> str:
        return format_moment(self.created)


class StorageError(DatabaseError):
    """The disk, folder or system around the database failed; the file itself is not judged.

    ``kind`` is one of "full", "readonly", "permission", "io", "cantopen", "busy", "memory"."""

    def __init__(self, message: str, path: Path, kind: str) -> None:
        super().__init__(message)
        self.path = path
        self.kind = kind


class DiskFullError(StorageError):
    """The disk holding the database has no room left."""


class ReadOnlyLocationError(StorageError):
    """The file or its folder cannot be written: it can only be opened read-only."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message, path or Path(), "readonly")


class UnusableDatabaseError(DatabaseError):
    """The file at the database's place cannot be used; names the newest verified backup."""

    def __init__(
        self,
        message: str,
        path: Path,
        backup: BackupInfo | None = None,
        kept_at: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
        self.kept_at = kept_at


class DamagedDatabaseError(UnusableDatabaseError):
    """A Protocol Desk database that failed its health check: moved aside, never opened."""

    reason = ""  # what the check found, in SQLite's words


class ForeignFileError(UnusableDatabaseError):
    """Something else than a Protocol Desk database: left exactly as it is."""


class NewerSchemaError(DatabaseError):
    """The file was written by a newer Protocol Desk than this one."""


class OlderSchemaError(DatabaseError):
    """The file needs a format update this version cannot make (it is opened read-only)."""


class DatabaseInUseError(DatabaseError):
    """Another window (here or on a colleague's computer) is writing to the database."""

    def __init__(self, path: Path, holder: LockHolder) -> None:
        super().__init__(
            N_(
                "The database {name} is {holder}. You can open it read-only, or wait until it "
                "is closed.",
                name=path.name,
                holder=holder.describe(),
            )
        )
        self.path = path
        self.holder = holder
