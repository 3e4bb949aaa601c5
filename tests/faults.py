"""Helpers of the fault tests: a small tmpfs to fill, kill points in a child process, damaged
files of many kinds, and the figures a run reports (scripts/fault_suite.py prints them)."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPORT_ENV = "PROTOCOL_DESK_FAULT_REPORT"
ROOT = Path(__file__).resolve().parent.parent


def report(test: str, tried: int, failures: int, lost: int) -> None:
    """Add one line to the run's figures, when the fault suite script asked for them."""
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        line = {"test": test, "tried": tried, "failures": failures, "lost": lost}
        handle.write(json.dumps(line) + "\n")


# --- a small disk ---------------------------------------------------------------------------


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


@contextlib.contextmanager
def small_disk(size: str = "8m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on a new folder; skipped, saying why, where mounting is not
    allowed (not root, or no mount in the container). CI runs as root, so there it runs."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (CI runs as root)")
    folder = Path(tempfile.mkdtemp(prefix="pd-disk-"))
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=1777", "tmpfs", str(folder))
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"mount -t tmpfs is not available here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        _run("mount", "-o", "remount,rw", str(folder))
        _run("umount", "-l", str(folder))
        with contextlib.suppress(OSError):
            folder.rmdir()


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk up, leaving about ``leave`` bytes free; returns the filler to delete."""
    filler = disk / "FILLER"
    filler.unlink(missing_ok=True)
    free = shutil.disk_usage(disk).free - leave
    with open(filler, "wb") as handle:
        chunk = b"\0" * 65536
        with contextlib.suppress(OSError):
            while free > 0:
                handle.write(chunk[: min(len(chunk), free)])
                free -= len(chunk)
            handle.flush()
    # tmpfs counts whole pages: top up the last few bytes one page at a time.
    if leave == 0:
        with contextlib.suppress(OSError), open(filler, "ab") as handle:
            for _ in range(64):
                handle.write(b"\0" * 4096)
                handle.flush()
    return filler


def remount(disk: Path, mode: str) -> None:
    done = _run("mount", "-o", f"remount,{mode}", str(disk))
    if done.returncode != 0:
        pytest.skip(f"mount -o remount,{mode} is not available here: {done.stderr.strip()}")


# --- kill points ----------------------------------------------------------------------------

# Runs one safety operation and SIGKILLs itself at its Nth step: every call that changes files
# (os.replace, unlink, fsync, open, link) and every SQLite statement or backup made by the app.
CHILD = r"""
import os, signal, sqlite3, sys
from pathlib import Path

kill_at, operation, db = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
steps = 0


def step():
    global steps
    steps += 1
    if steps == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)


def counted(function):
    def call(*args, **kwargs):
        step()
        return function(*args, **kwargs)
    return call


class Counted(sqlite3.Connection):
    def execute(self, *args, **kwargs):
        step()
        return super().execute(*args, **kwargs)

    def backup(self, *args, **kwargs):
        step()
        return super().backup(*args, **kwargs)


from protocol_desk.services import safety

real_connect = sqlite3.connect
sqlite3.connect = lambda *a, **k: real_connect(*a, factory=Counted, **k)
for name in ("replace", "rename", "unlink", "fsync", "open", "link"):
    setattr(os, name, counted(getattr(os, name)))

if operation == "restore":
    safety.restore_file(db, Path(sys.argv[4]))
elif operation == "backup":
    safety.make_backup(db, "manual")
print("steps", steps, flush=True)
"""


def run_killed(kill_at: int, operation: str, *args: Path) -> subprocess.CompletedProcess[str]:
    """Run ``operation`` in a child killed at step ``kill_at`` (0: never)."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(kill_at), operation, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


# A window that saved a meeting and was then killed: its changes are in the -wal only.
CRASHED_WINDOW = r"""
import os, signal, sys
from datetime import date
from pathlib import Path
from protocol_desk.domain.models import Meeting
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.safety import open_for_editing

opened = open_for_editing(Path(sys.argv[1]), automatic_backup=False)
MeetingService(opened.store).save(Meeting(date=date(2026, 3, 3), subject=sys.argv[2]))
os.kill(os.getpid(), signal.SIGKILL)
"""


def crash_after_saving(db: Path, subject: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CRASHED_WINDOW, str(db), subject],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == -9, done.stderr


def orphan_wals(folder: Path) -> list[Path]:
    """-wal files holding something, whose database is not beside them."""
    return [
        p
        for p in folder.iterdir()
        if p.name.endswith("-wal")
        and p.stat().st_size > 0
        and not p.with_name(p.name[: -len("-wal")]).exists()
    ]


def subjects(path: Path) -> set[str]:
    """The meetings' subjects in a file, read without writing to it."""
    uri = f"file:{path}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT subject FROM meeting WHERE deleted_at IS NULL")}
    finally:
        conn.close()


# --- damaged files --------------------------------------------------------------------------


def page_of(path: Path, table: str) -> tuple[int, int]:
    """(root page number, page size) of ``table`` or index ``table``."""
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        number = root.fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    return number, size


def zero_page(path: Path, number: int, size: int) -> None:
    with open(path, "r+b") as handle:
        handle.seek((number - 1) * size)
        handle.write(b"\0" * size)


def random_bytes(count: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(count)
