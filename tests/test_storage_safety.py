"""The smaller promises about the files around the database: private output files, a database
made private, leftovers of interrupted backups, readers that never write, risky folders, and a
lock whose process number now belongs to another program."""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from protocol_desk.cli import main
from protocol_desk.services.safety import list_backups, make_backup, open_for_editing
from protocol_desk.store import backup as backups
from protocol_desk.store import connection
from protocol_desk.store.lock import LockInfo, acquire, lock_path, storage_warning


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "office.sqlite"
    assert main(["--db", str(db), "init", "--demo"]) == 0
    return db


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_every_file_written_for_the_officer_is_private(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    umask = os.umask(0o022)  # an ordinary account's: new files readable by all
    try:
        out = tmp_path / "out"
        out.mkdir()
        (out / "old.json").write_text("{}", encoding="utf-8")
        os.chmod(out / "old.json", 0o644)  # an older export, replaced
        assert main(["--db", str(demo_db), "export", str(out / "old.json")]) == 0
        assert main(["--db", str(demo_db), "ics", "-o", str(out / "anniversaries.ics")]) == 0
        assert (
            main(["--db", str(demo_db), "brief", "--country", "Belarus", "-o", str(out / "b.pdf")])
            == 0
        )
    finally:
        os.umask(umask)
    written = sorted(out.iterdir())
    assert [p.name for p in written] == ["anniversaries.ics", "b.pdf", "old.json"]
    assert {p.name: _mode(p) for p in written} == {p.name: 0o600 for p in written}
    assert json.loads((out / "old.json").read_text(encoding="utf-8"))["meetings"]


def test_the_log_file_is_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from protocol_desk import app

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    umask = os.umask(0o022)
    try:
        path = app.configure_logging()
    finally:
        os.umask(umask)
        for handler in root.handlers:
            handler.close()
    assert path is not None and _mode(path) == 0o600


def test_a_database_others_can_read_is_made_private_with_a_notice(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chmod(demo_db, 0o644)
    opened = open_for_editing(demo_db, automatic_backup=False)
    opened.store.close()
    assert _mode(demo_db) == 0o600
    assert any("now private to you (0600)" in w and "0644" in w for w in opened.warnings)
    os.chmod(demo_db, 0o640)
    document = demo_db.with_name("empty.json")
    document.write_text("{}", encoding="utf-8")
    main(["--db", str(demo_db), "import", str(document)])
    assert "now private to you" in capsys.readouterr().err
    assert _mode(demo_db) == 0o600


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_backups_go_at_the_next_start_and_backup(demo_db: Path) -> None:
    folder = backups.backup_dir(demo_db)
    folder.mkdir(exist_ok=True)
    dead = _dead_pid()
    left = [
        folder / f".office.2026-01-01T000000.000000Z.manual.sqlite.{dead}.tmp",
        folder / f".office.2026-01-01T000000.000000Z.manual.sqlite.{dead}.tmp-journal",
        folder / ".office.2025-01-01T000000.000000Z.manual.sqlite.tmp",  # an older version's
        folder / ".office.2025-01-01T000000.000000Z.manual.sqlite.tmp-journal",
    ]
    live = folder / f".office.2026-01-02T000000.000000Z.manual.sqlite.{os.getpid()}.tmp"
    for path in (*left, live):
        path.write_bytes(b"x" * 1000)
    opened = open_for_editing(demo_db, automatic_backup=False)
    opened.store.close()
    assert not any(p.exists() for p in left)
    assert live.exists()  # a backup still being made (here, by this process) is left alone
    left[0].write_bytes(b"x")
    make_backup(demo_db, "manual")
    assert not left[0].exists()
    assert [p.name for p in folder.iterdir() if ".tmp" in p.name] == [live.name]
    assert len(list_backups(demo_db)) == 1


def test_export_and_search_only_read_the_database(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_as: list[str] = []
    real_connect = sqlite3.connect

    def spy(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened_as.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(connection.sqlite3, "connect", spy)
    before = demo_db.read_bytes()
    holder = acquire(demo_db, user="aigerim")  # a colleague's window has it open
    try:
        assert main(["--db", str(demo_db), "export", str(tmp_path / "out.json")]) == 0
        assert main(["--db", str(demo_db), "search", "Belarus"]) == 0
    finally:
        holder.release()
    assert opened_as and all("mode=ro" in name for name in opened_as), opened_as
    assert demo_db.read_bytes() == before
    assert main(["--db", str(tmp_path / "none.sqlite"), "search", "x"]) == 1
    assert not (tmp_path / "none.sqlite").exists()  # a reader never makes a database


@pytest.mark.parametrize(
    "folder",
    ["Box", "Sync", "SynologyDrive", "Seafile", "Tresorit", "MEGAsync", "CloudStorage"],
)
def test_more_cloud_sync_folders_get_a_warning(tmp_path: Path, folder: str) -> None:
    warning = storage_warning(tmp_path / folder / "office" / "office.sqlite")
    assert warning is not None and "cloud-sync folder" in warning and folder in warning


@pytest.mark.parametrize(
    "fstype", ["fuse.gvfsd-fuse", "ceph", "fuse.glusterfs", "vboxsf", "afpfs", "fuse.ceph-fuse"]
)
def test_more_network_file_systems_get_a_warning(tmp_path: Path, fstype: str) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nhost:/ /mnt/share {fstype} rw 0 0\n")
    warning = storage_warning(Path("/mnt/share/office.sqlite"), mounts_file=mounts)
    assert warning is not None and "network share" in warning and fstype in warning


def test_gnome_shares_and_mac_volumes_are_recognised(tmp_path: Path) -> None:
    from protocol_desk.store.lock import mac_volume_kind

    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\n")
    gvfs = Path("/run/user/1000/gvfs/smb-share:server=pc,share=office/office.sqlite")
    assert "network share" in (storage_warning(gvfs, mounts_file=mounts) or "")
    assert mac_volume_kind("/Volumes/Office", "smbfs", 0) == ("/Volumes/Office", "smbfs")
    assert mac_volume_kind("/Volumes/Share", "apfs", 0) == ("/Volumes/Share", "remote")
    assert mac_volume_kind("/", "apfs", 0x1000) is None


def test_import_warns_about_a_cloud_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Seafile"
    folder.mkdir()
    document = tmp_path / "empty.json"
    document.write_text("{}", encoding="utf-8")
    main(["--db", str(folder / "office.sqlite"), "import", str(document)])
    assert "cloud-sync folder (Seafile)" in capsys.readouterr().err


def test_a_lock_naming_an_unrelated_live_process_does_not_block(demo_db: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock_path(demo_db).write_text(
            json.dumps(
                {
                    "user": "dana",
                    "host": socket.gethostname(),
                    "pid": other.pid,
                    "since": datetime.now(UTC).isoformat(),
                }
            ),
            encoding="utf-8",
        )
        opened = open_for_editing(demo_db, automatic_backup=False)
        assert opened.after_crash  # taken over as a lock left behind, and checked in full
        opened.store.close()
        holder = LockInfo(
            "dana",
            socket.gethostname(),
            other.pid,
            datetime.now(UTC),
            datetime.now(UTC),
            command="protocol-desk --db office.sqlite",
        )
        assert holder.is_stale()  # its recorded command line is not the live one
    finally:
        other.kill()
        other.wait()


def test_a_missing_database_with_an_interrupted_restore_is_never_made_anew(
    demo_db: Path,
) -> None:
    from protocol_desk.domain.errors import DatabaseError
    from protocol_desk.store import Store

    backup = make_backup(demo_db, "manual")
    prepared = backups.prepare_restore(backup.path, demo_db)
    kept = demo_db.with_name(demo_db.name + ".replaced-20260101T000000")
    backups._write_journal(
        backups.restore_journal_path(demo_db), {"prepared": prepared.name, "kept": kept.name}
    )
    os.replace(demo_db, kept)  # stopped just after the old file was set aside
    with pytest.raises(DatabaseError, match=r"restore of office\.sqlite was interrupted"):
        Store.open(demo_db)  # no lock: it must not guess, nor create an empty file
    assert not demo_db.exists()
    assert main(["--db", str(demo_db), "search", "Belarus"]) == 1
    opened = open_for_editing(demo_db, automatic_backup=False)  # holds the lock: finishes it
    assert len(opened.store.meetings.all_ids()) == 6
    assert any("it was finished now" in w for w in opened.warnings)
    opened.store.close()
    assert kept.exists() and not prepared.exists()
    assert not backups.restore_journal_path(demo_db).exists()


def test_a_fresh_start_is_never_the_default_answer(tmp_path: Path) -> None:
    from protocol_desk.ui.opening import START_EMPTY, open_database_interactively

    path = tmp_path / "office.sqlite"
    assert main(["--db", str(path), "init", "--demo"]) == 0
    path.write_bytes(path.read_bytes()[:50_000])
    asked: list[tuple[str, list[str]]] = []

    def officer(kind: str, title: str, text: str, details: str, choices: Any) -> str:
        asked.append((details, list(choices)))
        return choices[0]  # Enter: the default button

    assert open_database_interactively(path, officer) is None
    details, choices = asked[0]
    assert choices[0] != START_EMPTY and START_EMPTY in choices
    kept = next(p for p in tmp_path.iterdir() if ".damaged-" in p.name)
    assert kept.name in details and "unchanged" in details
    assert not path.exists()  # nothing was made in its place
