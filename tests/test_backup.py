"""Backups: made with the backup API, verified, rotated, listed with dates, restored to
identical content with the replaced file kept aside; and the same from the command line."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from protocol_desk.cli import main as cli
from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.models import Meeting
from protocol_desk.domain.safety import CHECKING, COPYING, BackupInfo, RestoreCancelled
from protocol_desk.services.exchange import export_data
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.safety import (
    SafetyService,
    make_backup,
    open_for_editing,
    restore_file,
)
from protocol_desk.store import Store, versions
from protocol_desk.store import backup as backups
from protocol_desk.store.backup import (
    backups_to_keep,
    create_backup,
    is_backup_due,
    list_backups,
    prepare_restore,
    put_in_place,
    restore_backup,
    rotate,
)


def _export(path: Path) -> dict[str, object]:
    store = Store.open(path, readonly=True)
    try:
        return export_data(store)
    finally:
        store.close()


def test_backup_is_a_checked_copy_listed_with_its_date(demo_file: Path) -> None:
    store = Store.open(demo_file)
    made = create_backup(store.db.conn, demo_file, "manual")
    store.close()
    assert made.path.parent == demo_file.parent / "backups"
    assert list_backups(demo_file) == [made]
    assert made.reason_text == "Made on request"
    assert abs(made.created - datetime.now(UTC)) < timedelta(minutes=1)
    assert str(made.created.astimezone().year) in made.when
    # A self-contained file: no WAL beside it, and it passes the full check on its own.
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]
    with sqlite3.connect(made.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert _export(made.path) == _export(demo_file)


def test_backup_includes_changes_still_in_the_wal(db_path: Path) -> None:
    store = Store.open(db_path)
    MeetingService(store).save(Meeting(date=date(2024, 5, 7), subject="Қазақстан — Түркия"))
    assert Path(f"{db_path}-wal").stat().st_size > 0
    made = create_backup(store.db.conn, db_path)
    with sqlite3.connect(made.path) as conn:
        subjects = [r[0] for r in conn.execute("SELECT subject FROM meeting")]
    assert subjects == ["Қазақстан — Түркия"]
    store.close()


def test_restore_gives_back_identical_content_and_keeps_the_current_file(demo_file: Path) -> None:
    before = _export(demo_file)
    store = Store.open(demo_file)
    made = create_backup(store.db.conn, demo_file)
    service = MeetingService(store)
    first = store.meetings.all_ids()[0]
    service.delete(first)
    service.save(Meeting(date=date(2025, 1, 15), subject="Added after the backup <b>&</b>"))
    store.close()
    changed = _export(demo_file)
    assert changed != before

    kept = restore_file(demo_file, made)
    assert _export(demo_file) == before
    assert kept is not None and kept.parent == demo_file.parent
    assert _export(kept) == changed  # the replaced database is whole, beside the restored one


def test_restore_in_place_reopens_the_same_store(demo_file: Path) -> None:
    opened = open_for_editing(demo_file)
    store = opened.store
    safety = SafetyService(store)
    made = make_backup(demo_file, "manual")  # as File → Back up now makes it
    before = export_data(store)
    MeetingService(store).save(Meeting(date=date(2025, 2, 3), subject="After"))
    lock = store.lock
    kept = safety.restore(made)
    assert kept is not None
    assert export_data(store) == before  # the same object now reads the restored file
    assert store.lock is lock and lock is not None and lock.held()
    MeetingService(store).save(Meeting(date=date(2025, 2, 4), subject="Writable again"))
    store.close()
    assert not lock.held()


def test_a_damaged_backup_is_not_restored(demo_file: Path) -> None:
    store = Store.open(demo_file)
    made = create_backup(store.db.conn, demo_file)
    store.close()
    made.path.write_bytes(made.path.read_bytes()[:8192])
    before = demo_file.read_bytes()
    with pytest.raises(DatabaseError, match="damaged"):
        restore_backup(made.path, demo_file)
    assert demo_file.read_bytes() == before
    assert _restore_leftovers(demo_file.parent) == []


def _restore_leftovers(folder: Path) -> list[Path]:
    """A restore's copy and whatever SQLite kept beside it (-journal, -wal, -shm)."""
    return [p for p in folder.iterdir() if ".restoring" in p.name]


def _backup_and_change(demo_file: Path) -> tuple[Path, bytes]:
    """A backup of the demo file, then a change to the file: (the backup, the file's bytes)."""
    store = Store.open(demo_file)
    made = create_backup(store.db.conn, demo_file)
    MeetingService(store).save(Meeting(date=date(2025, 3, 3), subject="After the backup"))
    store.close()
    return made.path, demo_file.read_bytes()


def test_a_prepared_restore_leaves_the_database_alone_until_put_in_place(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup, current = _backup_and_change(demo_file)
    monkeypatch.setattr(backups, "COPY_SLICE_PAGES", 4)  # several slices even for the demo
    heard: list[tuple[str, int, int]] = []
    prepared = prepare_restore(backup, demo_file, progress=lambda *told: heard.append(told))
    assert demo_file.read_bytes() == current
    assert prepared.parent == demo_file.parent and prepared.is_file()
    copying = [(done, total) for stage, done, total in heard if stage == COPYING]
    pages = sqlite3.connect(backup).execute("PRAGMA page_count").fetchone()[0]
    assert copying[0] == (0, pages) and copying[-1] == (pages, pages) and len(copying) > 2
    assert [done for done, _ in copying] == sorted(done for done, _ in copying)
    assert heard[-1] == (CHECKING, 0, 0)  # the check comes last, with no measure of how far

    kept = put_in_place(prepared, demo_file)
    assert _export(demo_file) == _export(backup)
    assert kept is not None and kept.read_bytes() == current
    assert not prepared.exists()


@pytest.mark.parametrize("stage", [COPYING, CHECKING])
def test_a_cancelled_restore_changes_nothing_and_leaves_no_copy(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    backup, current = _backup_and_change(demo_file)
    monkeypatch.setattr(backups, "COPY_SLICE_PAGES", 2)
    cancelled = threading.Event()
    heard: list[tuple[str, int, int]] = []

    def cancel_at(told: str, done: int, total: int) -> None:
        heard.append((told, done, total))
        if told == stage and (stage == CHECKING or done > 0):
            cancelled.set()

    with pytest.raises(RestoreCancelled, match="as it was"):
        restore_backup(backup, demo_file, progress=cancel_at, cancelled=cancelled)
    assert demo_file.read_bytes() == current
    assert _restore_leftovers(demo_file.parent) == []
    if stage == COPYING:  # the copy stopped at the next slice, never reaching the check
        told, done, total = heard[-1]
        assert told == COPYING and 0 < done < total
        assert CHECKING not in {told for told, _, _ in heard}


def test_a_cancel_interrupts_the_check_of_the_copy(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups, "CANCEL_CHECK_EVERY", 1)
    cancelled = threading.Event()
    cancelled.set()
    conn = sqlite3.connect(demo_file)
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            backups._check_copy(conn, cancelled)
    finally:
        conn.close()


def test_a_file_that_is_no_database_is_not_restored(demo_file: Path, tmp_path: Path) -> None:
    not_a_backup = tmp_path / "notes.sqlite"
    not_a_backup.write_text("Қазақстан — meeting notes, not a database\n" * 500)
    before = demo_file.read_bytes()
    with pytest.raises(DatabaseError, match=r"notes\.sqlite is damaged or not a Protocol Desk"):
        restore_backup(not_a_backup, demo_file)
    assert demo_file.read_bytes() == before
    assert _restore_leftovers(demo_file.parent) == []


def test_a_copy_that_cannot_be_written_is_not_called_a_damaged_backup(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup, current = _backup_and_change(demo_file)
    real_copy = backups._copy

    def copy_onto_a_full_disk(source: sqlite3.Connection, target: sqlite3.Connection, *a: Any):
        target.execute("PRAGMA max_page_count = 3")  # SQLite's own "disk full"
        real_copy(source, target, *a)

    monkeypatch.setattr(backups, "_copy", copy_onto_a_full_disk)
    with pytest.raises(DatabaseError) as raised:
        restore_backup(backup, demo_file)
    assert raised.value.message == (
        f"The backup could not be copied into {demo_file.parent}: database or disk is full."
    )
    assert demo_file.read_bytes() == current
    assert _restore_leftovers(demo_file.parent) == []


def test_a_backup_that_cannot_be_read_is_said_to_be_unreadable(
    demo_file: Path, tmp_path: Path
) -> None:
    before = demo_file.read_bytes()
    with pytest.raises(DatabaseError, match="There is no backup file"):
        restore_backup(tmp_path / "gone.sqlite", demo_file)
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="There is no backup file"):
        restore_backup(folder, demo_file)
    assert demo_file.read_bytes() == before
    assert _restore_leftovers(demo_file.parent) == []


def test_a_backup_made_by_a_newer_version_is_refused_before_the_swap(demo_file: Path) -> None:
    store = open_for_editing(demo_file).store
    made = make_backup(demo_file, "manual")
    conn = sqlite3.connect(made.path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name) VALUES (?, '0099_later')",
        [versions.MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    before = export_data(store)
    with pytest.raises(DatabaseError, match=r"newer Protocol Desk \(it has 0099_later\)"):
        SafetyService(store).restore(BackupInfo(made.path, made.created, made.reason, 1))
    assert export_data(store) == before  # still open, on the file it had
    assert [p for p in demo_file.parent.iterdir() if ".replaced-" in p.name] == []
    assert _restore_leftovers(demo_file.parent) == []
    store.close()


def test_a_restored_file_that_fails_to_open_gives_way_to_the_one_it_replaced(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protocol_desk.services import safety as safety_module

    store = open_for_editing(demo_file).store
    made = make_backup(demo_file, "manual")
    MeetingService(store).save(Meeting(date=date(2025, 4, 1), subject="Kept: Қостанай"))
    before = export_data(store)
    real_connect = safety_module.connect
    opened: list[str] = []

    def connect(path: Path, **kwargs: Any) -> Any:
        opened.append(str(kwargs.get("on_update")))
        if len(opened) == 1:  # the restored file: its format update fails, say
            raise DatabaseError("The update of the restored file failed.")
        return real_connect(path, **kwargs)

    monkeypatch.setattr(safety_module, "connect", connect)
    with pytest.raises(DatabaseError, match="update of the restored file failed"):
        SafetyService(store).restore(made)
    assert len(opened) == 2
    assert export_data(store) == before  # the file it replaced, back and open again
    MeetingService(store).save(Meeting(date=date(2025, 4, 2), subject="Still writable"))
    assert [p for p in demo_file.parent.iterdir() if ".replaced-" in p.name] == []
    assert made.path.is_file()  # the backup itself is untouched
    store.close()


def test_a_failed_rename_puts_the_file_back_with_its_side_files(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup, current = _backup_and_change(demo_file)
    prepared = prepare_restore(backup, demo_file)
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(src) == prepared:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(src, dst)

    monkeypatch.setattr(backups.os, "replace", replace)
    with pytest.raises(DatabaseError, match="could not be restored"):
        put_in_place(prepared, demo_file)
    assert demo_file.read_bytes() == current
    assert not backups.restore_journal_path(demo_file).exists()
    assert [p.name for p in demo_file.parent.iterdir() if ".replaced-" in p.name] == []
    assert _restore_leftovers(demo_file.parent) == []


def test_the_copy_of_a_restore_killed_midway_is_removed_at_the_next_open(
    demo_file: Path,
) -> None:
    left = backups.restoring_path(demo_file)
    left.write_bytes(b"x" * 4096)
    Path(f"{left}-journal").write_bytes(b"y" * 512)
    store = open_for_editing(demo_file).store
    assert _restore_leftovers(demo_file.parent) == []
    store.close()


def test_a_restore_prepared_beside_the_open_store_is_finished_in_place(demo_file: Path) -> None:
    store = open_for_editing(demo_file).store
    safety = SafetyService(store)
    made = make_backup(demo_file, "manual")
    before = export_data(store)
    MeetingService(store).save(Meeting(date=date(2025, 2, 3), subject="After"))
    after = export_data(store)

    prepared = safety.prepare_restore(made)
    assert export_data(store) == after  # the store goes on reading the current file
    safety.discard_restore(prepared)
    assert not prepared.exists() and export_data(store) == after

    kept = safety.finish_restore(safety.prepare_restore(made))
    assert export_data(store) == before and kept is not None
    assert _restore_leftovers(demo_file.parent) == []
    store.close()


def test_a_read_only_store_without_the_lock_is_not_replaced(demo_file: Path) -> None:
    store = open_for_editing(demo_file).store
    made = make_backup(demo_file, "manual")
    store.close()
    reader = Store.open(demo_file, readonly=True)
    try:
        with pytest.raises(DatabaseError, match="read-only"):
            SafetyService(reader).prepare_restore(made)
        assert _restore_leftovers(demo_file.parent) == []
    finally:
        reader.close()


def _fake(folder: Path, created: datetime, reason: str = "automatic") -> BackupInfo:
    return BackupInfo(folder / f"{created.isoformat()}.{reason}", created, reason, 1)


def test_rotation_keeps_seven_days_four_weeks_and_the_latest() -> None:
    folder = Path("/backups")
    now = datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
    # Two backups a day for sixty days, and copies made before four format updates.
    backups = [_fake(folder, now - timedelta(days=d, hours=h)) for d in range(60) for h in (0, 6)]
    updates = [_fake(folder, now - timedelta(days=d), "before-update") for d in (5, 40, 50, 59)]
    keep = backups_to_keep(backups + updates)

    def newest_by(key: object) -> list[BackupInfo]:
        groups: dict[object, BackupInfo] = {}
        for b in sorted(backups, key=lambda b: b.created):
            groups[key(b)] = b  # type: ignore[operator]
        return sorted(groups.values(), key=lambda b: b.created, reverse=True)

    daily = newest_by(lambda b: b.created.astimezone().date())[:7]
    weekly = newest_by(lambda b: b.created.astimezone().date().isocalendar()[:2])[:4]
    recent = sorted(backups, key=lambda b: b.created, reverse=True)[:3]
    expected = {b.path for b in daily + weekly + recent} | {u.path for u in updates[:3]}
    assert keep == expected
    assert len(keep) <= 3 + 7 + 4 + 3
    assert updates[3].path not in keep  # the oldest copy before an update goes


def test_rotation_deletes_files_beyond_the_plan(demo_file: Path) -> None:
    store = Store.open(demo_file)
    start = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    for day in range(20):
        create_backup(store.db.conn, demo_file, "automatic", now=start + timedelta(days=day))
    store.close()
    remaining = list_backups(demo_file)
    assert len(remaining) < 20
    days = [b.created.date() for b in remaining]
    assert days[:7] == [date(2025, 1, 20) - timedelta(days=d) for d in range(7)]
    assert rotate(demo_file) == []  # stable: rotating again removes nothing


def test_automatic_backup_at_start_only_when_the_last_is_a_day_old(demo_file: Path) -> None:
    first = open_for_editing(demo_file)
    assert first.backup is not None and first.backup.reason == "automatic"
    first.store.close()
    second = open_for_editing(demo_file)
    assert second.backup is None
    second.store.close()
    assert not is_backup_due(demo_file)
    assert is_backup_due(demo_file, now=datetime.now(UTC) + timedelta(days=1, minutes=1))


def test_cli_backup_list_check_and_restore(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(demo_file)]
    before = _export(demo_file)
    assert cli([*db, "backup"]) == 0
    assert "checked" in capsys.readouterr().out
    assert cli([*db, "backups", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["reason"] == "manual" and Path(listed["path"]).exists()

    assert cli([*db, "check"]) == 0
    out = capsys.readouterr().out
    assert "Integrity: ok." in out and "6 meetings" in out

    store = Store.open(demo_file)
    MeetingService(store).save(Meeting(date=date(2025, 4, 1), subject="To be undone"))
    store.close()
    assert cli([*db, "restore", "1"]) == 0
    out = capsys.readouterr().out
    assert "Restored the backup of" in out and "kept as" in out
    assert _export(demo_file) == before

    assert cli([*db, "restore", "7"]) == 1
    assert "no backup number 7" in capsys.readouterr().err


def test_cli_check_reports_damage_without_moving_the_file(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(demo_file.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    demo_file.write_bytes(bytes(data))
    assert cli(["--db", str(demo_file), "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["problems"]
    assert demo_file.read_bytes() == bytes(data)


def test_cli_restore_refuses_while_a_window_has_the_database(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from protocol_desk.store.lock import acquire

    assert cli(["--db", str(demo_file), "backup"]) == 0
    before = demo_file.read_bytes()
    with acquire(demo_file, user="aigerim"):
        assert cli(["--db", str(demo_file), "restore", "1"]) == 1
    assert "in use by aigerim" in capsys.readouterr().err
    assert demo_file.read_bytes() == before


def test_a_backup_removed_by_another_programs_rotation_at_once_is_still_reported(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Six programs opening an old file at once each back it up first; the rotation keeps three
    # of those, so one program's copy can go the moment it is in place.
    store = Store.open(demo_file)
    real_replace = os.replace

    def replace_then_rotated_away(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        if str(dst).endswith(".before-update.sqlite"):
            Path(dst).unlink()

    monkeypatch.setattr(backups.os, "replace", replace_then_rotated_away)
    made = create_backup(store.db.conn, demo_file, "before-update")
    store.close()
    assert made.reason == "before-update" and made.size > 0 and not made.path.exists()
