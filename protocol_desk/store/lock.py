"""One writer at a time: the lock file beside the database, and warnings about risky folders."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.messages import N_, os_reason
from protocol_desk.domain.safety import DatabaseInUseError, ReadOnlyLocationError, format_moment
from protocol_desk.store.base import os_user
from protocol_desk.store.faults import storage_error


def host_name() -> str:
    """This computer's name, as socket.gethostname() gives it (without importing socket,
    which the start can spare, where the system says it directly)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


# A lock whose holder has not refreshed it for this long is taken to be left by a crash, even
# when the holder's process cannot be checked (another computer). The window refreshes every
# few minutes, so only a machine that is off or asleep this long loses its claim.
STALE_AFTER = timedelta(hours=6)
REFRESH_EVERY = timedelta(minutes=5)

# Folders kept in step by a sync client: SQLite's locking and WAL files do not survive them.
SYNC_FOLDER_NAMES = (
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "my drive",
    "icloud drive",
    "icloud",
    "mobile documents",
    "nextcloud",
    "owncloud",
    "yandex.disk",
    "pcloud drive",
    "box sync",
    "box",
    "cloudstorage",  # macOS keeps every File Provider cloud drive under ~/Library/CloudStorage
    "sync",  # Sync.com
    "synologydrive",
    "synology drive",
    "seafile",
    "seadrive",
    "tresorit",
    "tresors",
    "mega",
    "megasync",
    "megasync downloads",
)
# File systems where SQLite's locks are unreliable or slow.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "ncpfs",
        "9p",
        "davfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "fuse.dropbox",
        "fuse.onedriver",
        "fuse.gvfsd-fuse",  # GNOME's view of SMB, SFTP and WebDAV shares
        "fuse.gvfs-fuse-daemon",
        "ceph",
        "fuse.ceph-fuse",
        "glusterfs",
        "fuse.glusterfs",
        "vboxsf",
        "afpfs",
        "fuse.afpfs",
        "fuse.afpfs-ng",
        "remote",  # what Windows and macOS say of a network drive (see _system_volume)
        "lustre",
        "gpfs",
        "beegfs",
        "fuse.seadrive",
        "fuse.megafuse",
    }
)
# A path below one of these folders is reached over the network (GNOME's shares).
NETWORK_FOLDERS = ("gvfs",)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _boot_time() -> float | None:
    """When this computer started (Linux); a lock older than that was left before a restart."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, it belongs to someone else
        return True
    except OSError:
        return False
    return True


def own_command() -> str:
    """This process's command line as the system shows it to others, for the lock file."""
    return _command_line(os.getpid()) or " ".join(sys.argv)


def _command_line(pid: int) -> str | None:
    """The command line of process ``pid`` (Linux: /proc), or None when it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.rstrip(b"\0").replace(b"\0", b" ").decode("utf-8", "replace")


# Words in the command line of a Protocol Desk process, for locks that do not record theirs.
APP_COMMAND_WORDS = ("protocol_desk", "protocol-desk", "protocoldesk")


def is_protocol_desk(pid: int, recorded: str | None) -> bool:
    """Whether live process ``pid`` is the Protocol Desk that wrote a lock, as far as this
    system can tell: its command line is the one the lock recorded (or names the app). Where
    command lines cannot be read (not Linux), a live process is taken to be the holder."""
    command = _command_line(pid)
    if command is None:
        return True
    if recorded:
        return command == recorded
    lowered = command.lower()
    return any(word in lowered for word in APP_COMMAND_WORDS)


@dataclass(frozen=True)
class LockInfo:
    """Who holds (or held) the database: read from the lock file."""

    user: str
    host: str
    pid: int
    since: datetime
    refreshed: datetime
    command: str | None = None  # the holder's command line, to tell it from a reused number

    @property
    def on_this_computer(self) -> bool:
        return self.host == host_name()

    def is_stale(self, now: datetime | None = None) -> bool:
        """True when the holder is certainly gone: its process ended on this computer, the
        computer restarted since, or it stopped refreshing the lock long ago."""
        now = now or datetime.now(UTC)
        if self.on_this_computer:
            if self.pid == os.getpid():
                return False
            if not _process_alive(self.pid):
                return True
            if not is_protocol_desk(self.pid, self.command):
                return True  # the number now belongs to an unrelated program
            boot = _boot_time()
            if boot is not None and self.since.timestamp() < boot:
                return True  # the number now belongs to another process
        return now - self.refreshed > STALE_AFTER

    def describe(self) -> str:
        return N_(
            "in use by {user} on {host} since {since}",
            user=self.user,
            host=self.host,
            since=format_moment(self.since),
        )


def _parse_lock(path: Path, *, partial_ok: bool) -> LockInfo | None:
    try:
        text = path.read_text(encoding="utf-8")
        refreshed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, UnicodeDecodeError):
        return None
    try:
        data = json.loads(text)
        since = datetime.fromisoformat(str(data["since"]))
        return LockInfo(
            user=str(data["user"]),
            host=str(data["host"]),
            pid=int(data["pid"]),
            since=since if since.tzinfo else since.replace(tzinfo=UTC),
            refreshed=refreshed,
            command=str(data["command"]) if data.get("command") else None,
        )
    except (ValueError, KeyError, TypeError):
        if not partial_ok:
            return None
        # Locks are written whole, so unreadable content is debris: report it as stale.
        return LockInfo(user="?", host=host_name(), pid=0, since=refreshed, refreshed=refreshed)


def read_lock(db_path: Path) -> LockInfo | None:
    """The lock on the database, or None when there is none."""
    return _parse_lock(lock_path(db_path), partial_ok=True)


def left_by_crash(db_path: Path) -> bool:
    """A lock is still there although its holder is gone: the last session did not close."""
    info = read_lock(db_path)
    return info is not None and info.is_stale()


class DatabaseLock:
    """This process's claim to be the one writer. Release it when the database is closed."""

    def __init__(self, db_path: Path, info: LockInfo, previous: LockInfo | None) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self.info = info
        # The stale lock this one replaced: the last session ended without closing.
        self.previous = previous
        self.released = False

    @property
    def after_crash(self) -> bool:
        return self.previous is not None

    def held(self) -> bool:
        current = read_lock(self.db_path)
        return (
            not self.released
            and current is not None
            and (current.host, current.pid, current.since)
            == (self.info.host, self.info.pid, self.info.since)
        )

    def refresh(self) -> bool:
        """Show colleagues the holder is still there; False when the lock was lost."""
        if not self.held():
            return False
        with contextlib.suppress(OSError):
            os.utime(self.path)
        return True

    def release(self) -> None:
        if self.released:
            return
        if self.held():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.released = True

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _write_new(path: Path, text: str) -> bool:
    """Create ``path`` with ``text`` only if it does not exist, atomically: a reader never
    sees a half-written lock and two writers never both win."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}")
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        except OSError:
            # File systems without hard links: O_EXCL is the next best atomic create.
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
        return True
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


DEBRIS_AGE_S = 60  # a lock's temporary file lives milliseconds; older ones were left behind


def _remove_debris(path: Path) -> None:
    """Remove the temporary files (``.NAME.lock.PID.N``, ``.NAME.lock.stale.PID.N``) of
    openers killed while writing a lock or setting a stale one aside: their process is gone
    and they are a minute old, so no opener is still using them."""
    prefix = f".{path.name}."
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in path.parent.iterdir():
            parts = leftover.name[len(prefix) :].split(".")
            if not leftover.name.startswith(prefix) or len(parts) < 2 or not parts[-2].isdigit():
                continue
            with contextlib.suppress(OSError):
                if _process_alive(int(parts[-2])) or now - leftover.stat().st_mtime < DEBRIS_AGE_S:
                    continue
                leftover.unlink()


def acquire(db_path: Path, *, user: str | None = None) -> DatabaseLock:
    """Claim the database for writing; raises DatabaseInUseError naming the holder.

    A stale lock (its holder crashed) is taken over and returned as ``previous`` so the
    caller knows to run the full integrity check."""
    db_path = Path(db_path)
    info = LockInfo(
        user=user or os_user(),
        host=host_name(),
        pid=os.getpid(),
        since=datetime.now(UTC).replace(microsecond=0),
        refreshed=datetime.now(UTC),
        command=own_command(),
    )
    text = json.dumps({**_as_json(info), "app": "Protocol Desk"}, ensure_ascii=False)
    path = lock_path(db_path)
    previous: LockInfo | None = None
    for _attempt in range(3):
        try:
            if _write_new(path, text):
                _remove_debris(path)
                return DatabaseLock(db_path, info, previous)
        except OSError as error:
            if isinstance(error, PermissionError) or error.errno == errno.EROFS:
                raise ReadOnlyLocationError(
                    N_(
                        "The folder {folder} is read-only: the database can only be opened "
                        "read-only.",
                        folder=str(db_path.parent),
                    ),
                    db_path,
                ) from error
            plain = storage_error(db_path, error)
            if plain is not None:
                raise plain from error
            raise DatabaseError(
                N_(
                    "The lock file cannot be written in {folder}: {reason}.",
                    folder=str(db_path.parent),
                    reason=os_reason(error),
                )
            ) from error
        holder = read_lock(db_path)
        if holder is None:
            continue  # released between our attempt and the read: try again
        if not holder.is_stale():
            raise DatabaseInUseError(db_path, holder)
        # Move the stale lock out of the way under a unique name, so two openers that both
        # found it stale cannot both remove a lock the other has just written.
        aside = path.with_name(f".{path.name}.stale.{os.getpid()}.{time.monotonic_ns()}")
        try:
            os.replace(path, aside)
        except FileNotFoundError:
            continue
        moved = _parse_lock(aside, partial_ok=False)
        with contextlib.suppress(OSError):
            aside.unlink()
        if moved is not None and (moved.host, moved.pid, moved.since) != (
            holder.host,
            holder.pid,
            holder.since,
        ):
            # Someone else's fresh lock was moved by mistake: put it back and report it.
            with contextlib.suppress(OSError):
                _write_new(path, json.dumps(_as_json(moved), ensure_ascii=False))
            raise DatabaseInUseError(db_path, moved)
        previous = holder
    holder = read_lock(db_path)
    if holder is not None:
        raise DatabaseInUseError(db_path, holder)
    raise DatabaseError(N_("Could not lock the database {path}.", path=str(db_path)))


def _as_json(info: LockInfo) -> dict[str, object]:
    found: dict[str, object] = {
        "user": info.user,
        "host": info.host,
        "pid": info.pid,
        "since": info.since.isoformat(),
    }
    if info.command:
        found["command"] = info.command
    return found


# --- risky folders ------------------------------------------------------------------------


def _mount_type(path: Path, mounts_file: Path) -> tuple[str, str] | None:
    """(mount point, file system type) of the mount holding ``path``, from /proc/mounts."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best: tuple[str, str] | None = None
    target = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        # /proc/mounts escapes spaces as \040
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > len(best[0])):
            best = (point, parts[2])
    return best


def storage_warning(db_path: Path, *, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """A warning when the database sits in a cloud-sync folder or on a network share."""
    try:
        resolved = Path(db_path).resolve()
    except OSError:
        resolved = Path(db_path).absolute()
    for part in resolved.parent.parts:
        lowered = part.lower()
        if any(
            lowered == name or lowered.startswith(name + " ") or lowered.startswith(name + "-")
            for name in SYNC_FOLDER_NAMES
        ):
            return (
                f"The database is in a cloud-sync folder ({part}). Sync clients copy the file "
                "while it is being written and can damage it or lose recent changes. Keep the "
                "database in a local folder and use File → Back up now, or export, to share it."
            )
    mount = _mount_type(resolved, mounts_file)
    if mount is None:
        mount = _system_volume(resolved)
    if mount is not None and mount[1].lower() in NETWORK_FILESYSTEMS:
        return network_warning(*mount)
    if any(part in NETWORK_FOLDERS for part in resolved.parent.parts):
        return network_warning(str(resolved.parent), "gvfs")
    return None


def network_warning(point: str, kind: str) -> str:
    return (
        f"The database is on a network share ({kind} at {point}). SQLite cannot "
        "always lock files over a network: if a colleague opens it at the same time, "
        "changes can be lost. Prefer a local folder on one computer."
    )


def _system_volume(path: Path) -> tuple[str, str] | None:
    """(volume, kind) where /proc/mounts is missing: "remote" for a network drive on Windows,
    the file system's name on macOS (or "remote" for a volume not marked local). Best effort:
    None when the system cannot say."""
    try:
        if sys.platform == "win32":
            return _windows_drive(path)
        if sys.platform == "darwin":
            return _mac_volume(path)
    except (OSError, AttributeError, ValueError):
        return None
    return None


DRIVE_REMOTE = 4  # GetDriveTypeW


def _windows_drive(path: Path) -> tuple[str, str] | None:
    import ctypes

    root = path.anchor
    if root.startswith("\\\\") and not root.startswith("\\\\?\\"):
        return (root, "remote")  # \\server\share
    kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]
    return (root, "remote") if kind == DRIVE_REMOTE else None


MNT_LOCAL = 0x00001000  # macOS: the volume is stored locally


def _mac_volume(path: Path) -> tuple[str, str] | None:
    import ctypes
    import ctypes.util

    class StatFs(ctypes.Structure):  # struct statfs, 64-bit inodes (macOS 10.6 and later)
        _fields_ = [
            ("f_bsize", ctypes.c_uint32),
            ("f_iosize", ctypes.c_int32),
            ("f_blocks", ctypes.c_uint64),
            ("f_bfree", ctypes.c_uint64),
            ("f_bavail", ctypes.c_uint64),
            ("f_files", ctypes.c_uint64),
            ("f_ffree", ctypes.c_uint64),
            ("f_fsid", ctypes.c_int32 * 2),
            ("f_owner", ctypes.c_uint32),
            ("f_type", ctypes.c_uint32),
            ("f_flags", ctypes.c_uint32),
            ("f_fssubtype", ctypes.c_uint32),
            ("f_fstypename", ctypes.c_char * 16),
            ("f_mntonname", ctypes.c_char * 1024),
            ("f_mntfromname", ctypes.c_char * 1024),
            ("f_reserved", ctypes.c_uint32 * 8),
        ]

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    found = StatFs()
    if libc.statfs(os.fsencode(path.parent), ctypes.byref(found)) != 0:
        return None
    return mac_volume_kind(
        found.f_mntonname.decode("utf-8", "replace"),
        found.f_fstypename.decode("ascii", "replace"),
        found.f_flags,
    )


def mac_volume_kind(point: str, type_name: str, flags: int) -> tuple[str, str] | None:
    """A macOS volume's verdict from its statfs: a network file system, or not marked local."""
    if type_name.lower() in NETWORK_FILESYSTEMS or type_name.lower() in {"smbfs", "webdav"}:
        return (point, type_name)
    if not flags & MNT_LOCAL:
        return (point, "remote")
    return None
