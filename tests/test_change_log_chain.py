"""The change log is tamper-evident: each entry is chained to the one before it by a hash,
``check`` walks the chain and names the first entry that breaks it, and a replacing insert is
refused like an update or a delete."""

from __future__ import annotations

import itertools
import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from protocol_desk.domain.models import AgreedAction, Meeting, Source
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.safety import SafetyService, check_database, log_tampering
from protocol_desk.store import Store, changelog

ROOT = Path(__file__).resolve().parent.parent


def _logged(db_path: Path) -> Store:
    """A file with a few dozen entries in its log."""
    store = Store.open(db_path)
    meetings = MeetingService(store)
    for n in range(5):
        meeting = meetings.save(
            Meeting(
                date=date(2023, 5, n + 1),
                subject=f"Переговоры {n}",
                sources=[Source(publisher="Сенат")],
                actions=[AgreedAction(text="Қайта кездесу")],
            )
        )
        meeting.summary = "Әріптестік туралы"
        meetings.save(meeting)
    return store


def _tamper(db_path: Path, *statements: str) -> None:
    """What a determined writer can do with the sqlite3 shell: drop the triggers first."""
    conn = sqlite3.connect(db_path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_every_entry_is_chained_and_the_chain_holds(db_path: Path) -> None:
    store = _logged(db_path)
    rows = store.db.execute(
        "SELECT id, prev_hash, entry_hash FROM change_log ORDER BY id"
    ).fetchall()
    assert len(rows) >= 20
    assert rows[0][1] == changelog.GENESIS
    for before, after in itertools.pairwise(rows):
        assert after[1] == before[2] and len(after[2]) == 64
    assert changelog.first_broken(store.db.conn) is None
    store.close()
    assert check_database(db_path).ok
    assert log_tampering(db_path) is None


@pytest.mark.faults  # the fault suite's tampered change log
def test_insert_or_replace_is_refused_like_update_and_delete(db_path: Path) -> None:
    store = _logged(db_path)
    before = store.db.execute("SELECT * FROM change_log WHERE id = 3").fetchone()
    for statement in (
        "INSERT OR REPLACE INTO change_log (id, os_user, table_name, row_uid, operation,"
        " prev_hash, entry_hash) VALUES (3, 'x', 'meeting', 'forged', 'create', 'a', 'b')",
        "REPLACE INTO change_log (id, os_user, table_name, row_uid, operation, prev_hash,"
        " entry_hash) VALUES (3, 'x', 'meeting', 'forged', 'create', 'a', 'b')",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute(statement)
    # An entry without its chain is refused too: only the app writes the log.
    with pytest.raises(sqlite3.IntegrityError, match="hashes of its chain"):
        store.db.execute(
            "INSERT INTO change_log (os_user, table_name, row_uid, operation)"
            " VALUES ('x', 'meeting', 'forged', 'create')"
        )
    assert store.db.execute("SELECT * FROM change_log WHERE id = 3").fetchone() == before
    store.close()


@pytest.mark.faults  # the fault suite's tampered change log
def test_an_entry_changed_outside_the_app_is_named(db_path: Path) -> None:
    _logged(db_path).close()
    _tamper(
        db_path,
        "DROP TRIGGER change_log_no_update",
        "UPDATE change_log SET new_value = 'forged' WHERE id = 7",
    )
    report = check_database(db_path)
    assert not report.ok
    assert report.problems == [
        "The change log was altered outside Protocol Desk: entry #7 was changed after it was "
        "written."
    ]
    assert log_tampering(db_path) == report.problems[0]


@pytest.mark.faults  # the fault suite's tampered change log
def test_an_entry_deleted_outside_the_app_is_found_at_the_next_one(db_path: Path) -> None:
    _logged(db_path).close()
    _tamper(db_path, "DROP TRIGGER change_log_no_delete", "DELETE FROM change_log WHERE id = 9")
    problems = check_database(db_path).problems
    assert problems == [
        "The change log was altered outside Protocol Desk: entry #10 does not follow the entry "
        "before it (one was removed or added)."
    ]


@pytest.mark.faults  # the fault suite's tampered change log
def test_an_entry_replaced_with_triggers_dropped_is_found(db_path: Path) -> None:
    _logged(db_path).close()
    _tamper(
        db_path,
        "DROP TRIGGER change_log_no_replace",
        # Entry 5 again under its own hashes, but written by someone else.
        "INSERT OR REPLACE INTO change_log SELECT id, at, 'mallory', table_name, row_uid,"
        " operation, field, old_value, new_value, prev_hash, entry_hash FROM change_log"
        " WHERE id = 5",
    )
    assert check_database(db_path).problems == [
        "The change log was altered outside Protocol Desk: entry #5 was changed after it was "
        "written."
    ]


@pytest.mark.faults  # the fault suite's tampered change log
def test_the_check_command_names_the_broken_entry(db_path: Path) -> None:
    _logged(db_path).close()
    _tamper(
        db_path,
        "DROP TRIGGER change_log_no_update",
        "UPDATE change_log SET os_user = 'someone' WHERE id = 2",
    )
    done = subprocess.run(
        [sys.executable, "-m", "protocol_desk", "--db", str(db_path), "check", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["problems"] == [
        "The change log was altered outside Protocol Desk: entry #2 was changed after it was "
        "written."
    ]
    assert "Traceback" not in done.stderr


def test_deleted_records_keep_their_old_values_in_the_log(store: Store) -> None:
    meetings = MeetingService(store)
    meeting = meetings.save(
        Meeting(
            date=date(2022, 6, 6),
            subject="Talks",
            sources=[Source(publisher="Мәжіліс баспасөз қызметі", url="https://parlam.kz/1")],
            actions=[AgreedAction(text="Send the minutes", owner="Protocol")],
        )
    )
    source_uid, action_uid = meeting.sources[0].uid, meeting.actions[0].uid
    meeting.sources.clear()
    meeting.actions.clear()
    meetings.save(meeting)
    for uid, expected in (
        (source_uid, {"publisher": "Мәжіліс баспасөз қызметі", "url": "https://parlam.kz/1"}),
        (action_uid, {"text": "Send the minutes", "owner": "Protocol"}),
    ):
        [deleted] = [e for e in store.changes.for_record(uid) if e.operation == "delete"]
        assert deleted.old is not None
        old = json.loads(deleted.old)
        assert expected.items() <= old.items()
    # The meeting's own history says which went, as it does for participants.
    lines = SafetyService(store).meeting_history(meeting.id or 0)
    changed = {(line.field, line.old, line.new) for line in lines}
    assert ("Sources", "Мәжіліс баспасөз қызметі", "") in changed
    assert ("Agreed actions", "Send the minutes", "") in changed


def test_the_migration_chains_the_entries_already_there(db_path: Path) -> None:
    """A file from before the chain: its entries are chained, in order, when it is opened."""
    _logged(db_path).close()
    _tamper(
        db_path,
        "DROP TRIGGER change_log_no_replace",
        "DROP TRIGGER change_log_chained",
        "ALTER TABLE change_log DROP COLUMN prev_hash",
        "ALTER TABLE change_log DROP COLUMN entry_hash",
        # Only this migration is undone: those after it stay as they are.
        "DELETE FROM _sqlite_migrations WHERE name = '0009_change_log_chain'",
    )
    conn = sqlite3.connect(db_path)
    count = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    assert check_database(db_path).ok  # nothing to check yet, nothing to complain of
    conn.close()
    store = Store.open(db_path)
    assert store.changes.count() == count
    assert (
        store.db.execute("SELECT count(*) FROM change_log WHERE entry_hash IS NULL").fetchone()[0]
        == 0
    )
    assert changelog.first_broken(store.db.conn) is None
    MeetingService(store).save(Meeting(date=date(2024, 1, 1), subject="After the update"))
    assert changelog.first_broken(store.db.conn) is None
    store.close()


def test_the_hash_is_of_the_documented_text() -> None:
    """The previous hash, then each value as length:text ("~" for none): checkable anywhere."""
    import hashlib

    content = (7, "2026-01-02T03:04:05.678Z", "әлия", "meeting", "u-1", "update", None, "a", "")
    text = "0" * 64 + "1:7" + "24:2026-01-02T03:04:05.678Z" + "4:әлия" + "7:meeting" + "3:u-1"
    text += "6:update" + "~" + "1:a" + "0:"
    assert changelog.entry_hash("0" * 64, content) == hashlib.sha256(text.encode()).hexdigest()


def test_removing_a_persons_last_position_removes_it_and_logs_it(store: Store) -> None:
    from protocol_desk.domain.models import Person, Position

    person = store.people.save(
        Person(full_name="Ерлан Қошанов", positions=[Position(title="Мәжіліс Төрағасы")])
    )
    uid = person.positions[0].uid
    person.positions.clear()
    store.people.save(person)
    assert store.people.get(person.id or 0).positions == []
    [deleted] = [e for e in store.changes.for_record(uid) if e.operation == "delete"]
    assert deleted.old is not None and "Мәжіліс Төрағасы" in deleted.old
