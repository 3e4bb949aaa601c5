"""Files written for the officer beside the database (exports, briefing notes, calendars, the
log): private to the account that writes them (0600), and whole or not there at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from protocol_desk.store.faults import storage_error

PRIVATE = 0o600


@contextlib.contextmanager
def private_output(path: Path) -> Iterator[Path]:
    """A temporary private file beside ``path`` to write to; renamed to ``path`` when the
    block ends without error, removed otherwise, so a failure (a full disk) never leaves half a
    file, nor replaces a good one. Disk faults are raised as one plain sentence."""
    path = Path(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        _raise_plainly(path, error)
        raise
    os.close(handle)  # mkstemp makes it 0600
    temporary = Path(name)
    try:
        yield temporary
        with contextlib.suppress(OSError):
            os.chmod(temporary, PRIVATE)  # a writer that replaced the file made it anew
        os.replace(temporary, path)
    except OSError as error:
        _raise_plainly(path, error)
        raise
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _raise_plainly(path: Path, error: OSError) -> None:
    plain = storage_error(path, error)
    if plain is not None and plain.kind in {"full", "readonly", "io"}:
        raise plain from error


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a private file, whole or not at all."""
    with private_output(path) as temporary, temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def private_log_file(path: Path) -> Path:
    """Make sure the log file exists and only its owner can read it (it names records)."""
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, PRIVATE)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE)
    return path
