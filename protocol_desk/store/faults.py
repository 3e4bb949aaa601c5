"""What went wrong with a database file: SQLite's own verdict of damage, or a fault of the disk,
folder or system around a sound file.

Only SQLite may call a file damaged (SQLITE_CORRUPT, SQLITE_NOTADB, or a failed check). A full
disk, an I/O error, a read-only or unreachable folder say nothing about the file: they get a
plain sentence, and nothing is moved or replaced because of them."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from protocol_desk.domain.messages import N_
from protocol_desk.domain.safety import DiskFullError, ReadOnlyLocationError, StorageError

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

# Below this much free space an I/O error is taken to be the disk being full: SQLite reports a
# full disk as SQLITE_IOERR when it cannot grow its shared-memory file.
NEARLY_FULL_BYTES = 1_048_576


def primary_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def is_corruption(error: BaseException) -> bool:
    """SQLite's own verdict that the file is damaged, or not a database at all."""
    return primary_code(error) in {SQLITE_CORRUPT, SQLITE_NOTADB}


def _disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _kind(error: BaseException, folder: Path) -> str | None:
    code = primary_code(error)
    if isinstance(error, OSError):
        number = error.errno
        if number in {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}:
            return "full"
        if number == errno.EROFS:
            return "readonly"
        if number in {errno.EACCES, errno.EPERM}:
            return "permission"
        if number in {errno.ENOENT, errno.ENOTDIR, errno.ENODEV, errno.ENXIO, errno.ESTALE}:
            return "cantopen"
        return "io"
    if code == SQLITE_FULL:
        return "full"
    if code == SQLITE_READONLY:
        return "readonly"
    if code == SQLITE_PERM:
        return "permission"
    if code == SQLITE_CANTOPEN:
        return "readonly" if _folder_read_only(folder) else "cantopen"
    if code == SQLITE_IOERR:
        return "full" if _disk_nearly_full(folder) else "io"
    if code in {SQLITE_BUSY, SQLITE_LOCKED}:
        return "busy"
    if code == SQLITE_NOMEM:
        return "memory"
    return None


def _folder_read_only(folder: Path) -> bool:
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):
        pass
    return not os.access(folder, os.W_OK)


def storage_message(kind: str, path: Path) -> str:
    names = {"folder": str(path.parent), "name": path.name, "path": str(path)}
    if kind == "full":
        return N_(
            "The disk holding {folder} is full: free some space and try again. "
            "{name} was not changed.",
            **names,
        )
    if kind == "readonly":
        return N_(
            "The disk or folder holding {name} ({folder}) is read-only: nothing can be "
            "written there. Open it read-only, or move it to a folder you can write to.",
            **names,
        )
    if kind == "permission":
        return N_(
            "This account may not read or write {path} (or its folder): check the file's "
            "permissions. Nothing was changed.",
            **names,
        )
    if kind == "io":
        return N_(
            "The disk holding {folder} could not be read or written (a disk I/O error): check "
            "the disk or its connection and try again. {name} was not changed.",
            **names,
        )
    if kind == "cantopen":
        return N_(
            "{path} cannot be reached: check that its disk or network folder is connected, "
            "then try again. Nothing was changed.",
            **names,
        )
    if kind == "busy":
        return N_(
            "{name} is busy: another program is writing to it. Try again in a moment.", **names
        )
    if kind == "memory":
        return N_("The computer ran out of memory. Close other programs and try again.")
    raise KeyError(kind)


def storage_error(path: Path, error: BaseException) -> StorageError | None:
    """The plain error for a fault of the disk or system, or None when ``error`` is not one
    (corruption, or a programming error, which must not be dressed up as the disk's fault)."""
    path = Path(path)
    kind = _kind(error, path.parent)
    if kind is None:
        return None
    message = storage_message(kind, path)
    if kind == "full":
        return DiskFullError(message, path, kind)
    if kind == "readonly":
        return ReadOnlyLocationError(message, path)
    return StorageError(message, path, kind)
