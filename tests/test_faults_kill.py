"""kill -9 at every step of a restore and of a backup: afterwards the database's name leads to
the old data or to the restored data, whole; nothing committed is lost or orphaned."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from protocol_desk.services.demo import load_demo
from protocol_desk.services.safety import list_backups, make_backup, open_for_editing
from protocol_desk.store import Store
from protocol_desk.store import backup as backups
from tests.faults import crash_after_saving, orphan_wals, report, run_killed, subjects

pytestmark = pytest.mark.faults

ACKNOWLEDGED = "Acknowledged before the crash, only in the -wal"
MAX_STEPS = 400  # far more than either operation takes: a loop that does not end is a failure


@pytest.fixture(scope="module")
def crashed_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder with the demo database and a backup of it, then one more meeting saved by a
    window that was killed: that meeting is only in the -wal, and the lock was left behind."""
    folder = tmp_path_factory.mktemp("crashed")
    db = folder / "office.sqlite"
    store = Store.open(db)
    load_demo(store)
    store.close()
    make_backup(db, "manual")
    crash_after_saving(db, ACKNOWLEDGED)
    assert Path(f"{db}-wal").stat().st_size > 0
    yield folder


def _fresh_copy(template: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    return target / "office.sqlite"


def test_restore_killed_at_every_step_leaves_old_or_restored_data(
    crashed_office: Path, tmp_path: Path
) -> None:
    template_db = crashed_office / "office.sqlite"
    backup = list_backups(template_db)[0].path
    before = subjects_with_wal(template_db, tmp_path)
    restored = subjects(backup)
    assert ACKNOWLEDGED in before and ACKNOWLEDGED not in restored
    tried = failures = lost = 0
    outcomes: dict[str, int] = {"old": 0, "restored": 0}
    for kill_at in range(1, MAX_STEPS):
        db = _fresh_copy(crashed_office, tmp_path / "run")
        done = run_killed(kill_at, "restore", db, db.parent / "backups" / backup.name)
        tried += 1
        # The next start, as the window or any command that writes would do it.
        opened = open_for_editing(db, automatic_backup=False)
        now = {m.subject for m in map(opened.store.meetings.get, opened.store.meetings.all_ids())}
        integrity = opened.store.db.execute("PRAGMA integrity_check").fetchone()[0]
        opened.store.close()
        kept = [
            p
            for p in db.parent.iterdir()
            if ".replaced-" in p.name and not p.name.endswith(backups.SIDE_FILES)
        ]
        kept_subjects = [subjects(p) for p in kept]
        if now == before:
            outcomes["old"] += 1
        elif now == restored:
            outcomes["restored"] += 1
            if not any(ACKNOWLEDGED in s for s in kept_subjects):
                lost += 1
        else:
            failures += 1
        if integrity != "ok" or orphan_wals(db.parent):
            failures += 1
        if any(p.name.endswith(".restore-journal") for p in db.parent.iterdir()):
            failures += 1  # the next start finishes or undoes the swap, and says so
        if done.returncode == 0:  # ran to its end: every step before it was tried
            break
    else:
        pytest.fail("the restore never ran to its end")
    report("restore killed at every step", tried, failures, lost)
    assert (failures, lost) == (0, 0)
    assert outcomes["old"] > 0 and outcomes["restored"] > 0
    assert tried > 10  # the kill points reached the swap, not only the copy


def subjects_with_wal(db: Path, scratch: Path) -> set[str]:
    """The subjects a reader sees, -wal included, read from a copy (the copy may be changed)."""
    copy = _fresh_copy(db.parent, scratch / "look")
    conn = sqlite3.connect(copy)
    try:
        return {r[0] for r in conn.execute("SELECT subject FROM meeting WHERE deleted_at IS NULL")}
    finally:
        conn.close()


def test_backup_killed_at_every_step_leaves_the_database_and_cleans_up(
    crashed_office: Path, tmp_path: Path
) -> None:
    template_db = crashed_office / "office.sqlite"
    before = subjects_with_wal(template_db, tmp_path)
    tried = failures = lost = 0
    for kill_at in range(1, MAX_STEPS):
        db = _fresh_copy(crashed_office, tmp_path / "run")
        known = {b.path.name for b in list_backups(db)}
        done = run_killed(kill_at, "backup", db)
        tried += 1
        for made in list_backups(db):
            if made.path.name not in known and not backups.verify_backup(made.path):
                failures += 1  # a backup under its final name must be whole
        opened = open_for_editing(db, automatic_backup=False)  # the next start cleans up
        now = {m.subject for m in map(opened.store.meetings.get, opened.store.meetings.all_ids())}
        opened.store.close()
        if now != before:
            lost += len(before - now)
            failures += 1
        leftovers = [p.name for p in backups.backup_dir(db).iterdir() if ".tmp" in p.name]
        if leftovers:
            failures += 1
        if done.returncode == 0:
            break
    else:
        pytest.fail("the backup never ran to its end")
    report("backup killed at every step", tried, failures, lost)
    assert (failures, lost) == (0, 0)
    assert tried > 5
