"""One writer at a time: the lock file, the message a second opener sees, stale locks left by
a crash, and warnings for cloud-sync folders and network shares."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.safety import DatabaseInUseError
from protocol_desk.services.demo import load_demo
from protocol_desk.services.safety import open_for_editing, open_read_only
from protocol_desk.store import Store
from protocol_desk.store.lock import (
    STALE_AFTER,
    LockInfo,
    acquire,
    left_by_crash,
    lock_path,
    read_lock,
    storage_warning,
)

HOLD = """
import sys, time
from pathlib import Path
from protocol_desk.store.lock import acquire
lock = acquire(Path(sys.argv[1]), user="aigerim")
print("held", flush=True)
sys.stdin.readline()
lock.release()
"""


def _write_lock(db_path: Path, **fields: object) -> None:
    data = {
        "user": "dana",
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": datetime.now(UTC).isoformat(),
    }
    data.update(fields)
    lock_path(db_path).write_text(json.dumps(data), encoding="utf-8")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_lock_file_names_user_host_process_and_time(db_path: Path) -> None:
    lock = acquire(db_path, user="Мадина")
    data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
    assert data["user"] == "Мадина"
    assert data["host"] == socket.gethostname()
    assert data["pid"] == os.getpid()
    assert abs(datetime.fromisoformat(data["since"]) - datetime.now(UTC)) < timedelta(minutes=1)
    assert lock_path(db_path).stat().st_mode & 0o777 == 0o600
    lock.release()
    assert not lock_path(db_path).exists()


def test_second_opener_is_told_who_holds_it_and_may_read(db_path: Path) -> None:
    store = Store.open(db_path)
    load_demo(store)
    store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUseError) as caught:
            open_for_editing(db_path)
        message = caught.value.message
        assert f"in use by aigerim on {socket.gethostname()} since " in message
        assert caught.value.holder.pid == holder.pid
        reader = open_read_only(db_path)
        assert reader.store.readonly and len(reader.store.meetings.all_ids()) == 6
        reader.store.close()
        assert read_lock(db_path) is not None  # the reader did not touch the writer's lock
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    opened = open_for_editing(db_path)  # free again
    assert not opened.after_crash
    opened.store.close()


def test_the_same_window_cannot_claim_it_twice(db_path: Path) -> None:
    first = acquire(db_path)
    with pytest.raises(DatabaseInUseError, match="in use by"):
        acquire(db_path)
    first.release()
    acquire(db_path).release()


def test_lock_of_a_dead_process_is_stale_and_means_a_crash(db_path: Path) -> None:
    Store.open(db_path).close()
    _write_lock(db_path, pid=_dead_pid())
    assert left_by_crash(db_path)
    opened = open_for_editing(db_path)
    assert opened.after_crash
    assert opened.store.lock is not None and opened.store.lock.previous is not None
    assert opened.store.lock.held()
    opened.store.close()
    assert not left_by_crash(db_path)


def test_a_full_check_runs_after_a_crash(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(db_path).close()
    from protocol_desk.store import connection

    checks: list[str] = []
    real = connection.inspect

    def spy(path: Path, check: connection.Check = "quick", **kwargs: bool) -> None:
        checks.append(check)
        real(path, check, **kwargs)

    monkeypatch.setattr(connection, "inspect", spy)
    clean = open_for_editing(db_path).store
    clean.close()
    _write_lock(db_path, pid=_dead_pid())
    after_crash = open_for_editing(db_path).store
    after_crash.close()
    # After a clean close, the window checks every page in the background (not checked yet);
    # after a crash, before anything is shown.
    assert checks == ["none", "full"]
    assert not clean.checked and after_crash.checked


def test_old_and_fresh_locks_of_another_computer(db_path: Path) -> None:
    now = datetime.now(UTC)
    fresh = LockInfo("dana", "other-pc", 4242, now - timedelta(hours=1), now)
    old = LockInfo("dana", "other-pc", 4242, now - timedelta(days=3), now - STALE_AFTER * 2)
    assert not fresh.is_stale(now)
    assert old.is_stale(now)
    _write_lock(db_path, host="other-pc", pid=4242)
    with pytest.raises(DatabaseInUseError, match="on other-pc since"):
        acquire(db_path)
    stamp = (now - STALE_AFTER * 2).timestamp()
    os.utime(lock_path(db_path), (stamp, stamp))
    taken = acquire(db_path)
    assert taken.after_crash
    taken.release()


def test_garbage_in_the_lock_file_is_treated_as_stale(db_path: Path) -> None:
    lock_path(db_path).write_bytes(b"\x00\x01 not json")
    lock = acquire(db_path)
    assert lock.after_crash
    lock.release()


def test_release_leaves_someone_elses_lock_alone(db_path: Path) -> None:
    lock = acquire(db_path)
    _write_lock(db_path, user="colleague", host="other-pc", pid=77)
    assert not lock.refresh()
    lock.release()
    info = read_lock(db_path)
    assert info is not None and info.user == "colleague"


@pytest.mark.parametrize(
    "folder",
    ["Dropbox", "OneDrive - Parliament", "Google Drive", "iCloud Drive", "Yandex.Disk"],
)
def test_cloud_sync_folders_get_a_warning(tmp_path: Path, folder: str) -> None:
    warning = storage_warning(tmp_path / folder / "office" / "office.sqlite")
    assert warning is not None and "cloud-sync folder" in warning and folder in warning


@pytest.mark.parametrize("fstype", ["nfs4", "cifs", "smb3", "fuse.sshfs"])
def test_network_shares_get_a_warning(tmp_path: Path, fstype: str) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        f"/dev/sda1 / ext4 rw 0 0\nserver:/export /mnt/office\\040share {fstype} rw 0 0\n",
        encoding="utf-8",
    )
    warning = storage_warning(Path("/mnt/office share/pd/office.sqlite"), mounts_file=mounts)
    assert warning is not None and "network share" in warning and fstype in warning
    assert storage_warning(Path("/home/dana/office.sqlite"), mounts_file=mounts) is None


def test_local_folder_gets_no_warning(db_path: Path) -> None:
    assert storage_warning(db_path) is None


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.EROFS, "Read-only file system"), "is read-only: the database can only"),
        (OSError(errno.ENOSPC, "No space left on device"), "is full: free some space"),
    ],
)
def test_a_lock_that_cannot_be_written_is_said_in_words(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, said: str
) -> None:
    from protocol_desk.store import lock as lock_module

    def fail(path: Path, text: str) -> bool:
        raise error

    monkeypatch.setattr(lock_module, "_write_new", fail)
    with pytest.raises(DatabaseError, match=said) as raised:
        acquire(db_path)
    assert str(db_path.parent) in raised.value.message


def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


@pytest.mark.faults
def test_temporary_lock_files_of_killed_openers_are_removed(db_path: Path) -> None:
    # An opener killed while writing its lock, or while setting a stale one aside, leaves these.
    dead = _dead_pid()
    name = lock_path(db_path).name
    left = [
        db_path.with_name(f".{name}.{dead}.123456789"),
        db_path.with_name(f".{name}.stale.{dead}.987654321"),
    ]
    fresh = db_path.with_name(f".{name}.{dead}.555")  # just written: perhaps still in use
    alive = db_path.with_name(f".{name}.{os.getppid()}.777")  # its opener still runs
    for path in [*left, fresh, alive]:
        path.write_text("{}", encoding="utf-8")
    for path in [*left, alive]:
        os.utime(path, (0, 0))
    with acquire(db_path):
        pass
    assert [p.exists() for p in left] == [False, False]
    assert fresh.exists() and alive.exists()
