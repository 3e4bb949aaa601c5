"""Backups: made with the backup API, verified, rotated, listed with dates, restored to
identical content with the replaced file kept aside; and the same from the command line."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from protocol_desk.cli import main as cli
from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.models import Meeting
from protocol_desk.services.exchange import export_data
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.safety import (
    SafetyService,
    make_backup,
    open_for_editing,
    restore_file,
)
from protocol_desk.store import Store
from protocol_desk.store.backup import (
    BackupInfo,
    backups_to_keep,
    create_backup,
    is_backup_due,
    list_backups,
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
