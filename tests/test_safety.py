"""Safety of the records: the append-only change log and a record's history, no lost update
between two connections or two processes, and writers killed with SIGKILL."""

from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from protocol_desk.domain.errors import ConflictError
from protocol_desk.domain.models import AgreedAction, Meeting, Person, Source
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.people import PeopleService
from protocol_desk.services.safety import SafetyService, history_lines
from protocol_desk.store import Store
from protocol_desk.store.base import os_user

ROOT = Path(__file__).resolve().parent.parent


def _operations(store: Store, uid: str) -> list[str]:
    return [e.operation for e in reversed(store.changes.for_record(uid))]


def test_change_log_refuses_update_and_delete(store: Store) -> None:
    MeetingService(store).save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    before = store.changes.count()
    assert before > 0
    for statement in (
        "UPDATE change_log SET new_value = 'forged'",
        "UPDATE change_log SET os_user = 'someone' WHERE id = 1",
        "DELETE FROM change_log",
        "DELETE FROM change_log WHERE id = 1",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute(statement)
    assert store.changes.count() == before
    assert "forged" not in {e.new for e in store.changes.recent()}


def test_change_log_records_create_update_delete_restore_and_merge(store: Store) -> None:
    meetings = MeetingService(store)
    meeting = meetings.save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    meeting.subject = "Talks with the Speaker of the Milli Majlis"
    meeting = meetings.save(meeting)
    assert meeting.id is not None
    meetings.delete(meeting.id)
    meetings.restore(meeting.id)
    assert _operations(store, meeting.uid) == ["create", "update", "delete", "restore"]
    [update] = [e for e in store.changes.for_record(meeting.uid) if e.operation == "update"]
    assert (update.field, update.old, update.new) == (
        "subject",
        "Talks",
        "Talks with the Speaker of the Milli Majlis",
    )
    assert update.user == os_user()

    people = PeopleService(store)
    kept = people.save(Person(full_name="Bakhtiyar Sadyk"))
    absorbed = people.save(Person(full_name="Бахтияр Садык"), allow_duplicate=True)
    assert kept.id is not None and absorbed.id is not None
    people.merge(absorbed.id, kept.id)
    assert "merge" in _operations(store, absorbed.uid)


def test_meeting_history_shows_when_who_field_before_after(store: Store) -> None:
    meetings = MeetingService(store)
    meeting = meetings.save(
        Meeting(
            date=date(2022, 6, 6),
            subject="Talks",
            sources=[Source(publisher="Senate", title="Press release")],
            actions=[AgreedAction(text="Send the draft agreement")],
        )
    )
    meeting.summary = "Discussed <script>alert(1)</script> & trade"
    meeting.actions[0].outcome = "Sent"
    meetings.save(meeting)
    assert meeting.id is not None
    lines = SafetyService(store).meeting_history(meeting.id)
    assert lines[0].when >= lines[-1].when
    records = {line.record for line in lines}
    assert {"Meeting", "Source", "Agreed action"} <= records
    summary = next(line for line in lines if line.field == "Summary")
    assert (summary.old, summary.new) == ("", "Discussed <script>alert(1)</script> & trade")
    assert summary.action == "Changed" and summary.who == os_user()
    created = next(line for line in lines if line.action == "Created" and line.record == "Meeting")
    assert "Subject: Talks" in created.new and "Date: 2022-06-06" in created.new
    assert history_lines([]) == []


def test_two_connections_never_lose_an_update(db_path: Path) -> None:
    mine, theirs = Store.open(db_path), Store.open(db_path)
    created = MeetingService(mine).save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    assert created.id is not None
    my_copy = mine.meetings.get(created.id)
    their_copy = theirs.meetings.get(created.id)
    their_copy.summary = "Their summary"
    MeetingService(theirs).save(their_copy)
    my_copy.summary = "My summary"
    with pytest.raises(ConflictError, match="changed by someone else"):
        MeetingService(mine).save(my_copy)
    assert mine.meetings.get(created.id).summary == "Their summary"

    safety = SafetyService(mine)
    conflict = safety.meeting_conflict(my_copy)
    assert [(d.label, d.yours, d.theirs) for d in conflict.differences] == [
        ("Summary", "My summary", "Their summary")
    ]
    saved = safety.keep_my_meeting(my_copy, conflict)
    assert saved.version == conflict.their_version + 1
    assert theirs.meetings.get(created.id).summary == "My summary"
    # Choosing mine is recorded: their text stays in the log as the value replaced.
    olds = [e.old for e in mine.changes.for_record(created.uid) if e.field == "summary"]
    assert "Their summary" in olds
    mine.close()
    theirs.close()


def test_keep_mine_refuses_when_a_third_save_came_in(db_path: Path) -> None:
    mine, theirs = Store.open(db_path), Store.open(db_path)
    created = MeetingService(mine).save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    assert created.id is not None
    my_copy = mine.meetings.get(created.id)
    for text in ("second", "third"):
        copy = theirs.meetings.get(created.id)
        copy.summary = text
        MeetingService(theirs).save(copy)
        if text == "second":
            my_copy.summary = "mine"
            conflict = SafetyService(mine).meeting_conflict(my_copy)
    with pytest.raises(ConflictError):
        SafetyService(mine).keep_my_meeting(my_copy, conflict)
    assert mine.meetings.get(created.id).summary == "third"
    mine.close()
    theirs.close()


INCREMENT = """
import random, sys, time
from pathlib import Path
from protocol_desk.domain.errors import ConflictError
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store

store = Store.open(Path(sys.argv[1]))
service = MeetingService(store)
meeting_id, times = int(sys.argv[2]), int(sys.argv[3])
random.seed(sys.argv[4])
conflicts = 0
done = 0
while done < times:
    copy = store.meetings.get(meeting_id)         # read, as an editor does
    time.sleep(random.uniform(0, 0.004))           # the officer types
    copy.summary = str(int(copy.summary) + 1)
    try:
        service.save(copy)
        done += 1
    except ConflictError:
        conflicts += 1                              # re-read and try again
print(conflicts)
"""


def test_two_processes_editing_one_record_never_lose_an_update(db_path: Path) -> None:
    store = Store.open(db_path)
    meeting = MeetingService(store).save(Meeting(date=date(2022, 6, 6), subject="C", summary="0"))
    store.close()
    times = 40
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", INCREMENT, str(db_path), str(meeting.id), str(times), name],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for name in ("first", "second")
    ]
    conflicts = [int(w.communicate(timeout=120)[0]) for w in writers]
    assert all(w.returncode == 0 for w in writers)
    store = Store.open(db_path)
    assert meeting.id is not None
    assert store.meetings.get(meeting.id).summary == str(2 * times)  # every increment is there
    assert store.meetings.get(meeting.id).version == 1 + 2 * times
    updates = [e for e in store.changes.for_record(meeting.uid) if e.field == "summary"]
    assert len(updates) == 2 * times
    store.close()
    print("conflicts met and retried:", conflicts)


EDIT_LATE = """
import sys
from pathlib import Path
from protocol_desk.domain.errors import ConflictError
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store

store = Store.open(Path(sys.argv[1]))
copy = store.meetings.get(int(sys.argv[2]))
print("opened", flush=True)
sys.stdin.readline()                  # meanwhile a colleague saves
copy.summary = "from the other process"
try:
    MeetingService(store).save(copy)
    print("saved")
except ConflictError as error:
    print("conflict:", error.message)
"""


def test_a_colleagues_process_gets_a_conflict_not_an_overwrite(db_path: Path) -> None:
    store = Store.open(db_path)
    meeting = MeetingService(store).save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    assert meeting.id is not None
    other = subprocess.Popen(
        [sys.executable, "-c", EDIT_LATE, str(db_path), str(meeting.id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert other.stdout is not None and other.stdout.readline().strip() == "opened"
    meeting.summary = "saved here first"
    MeetingService(store).save(meeting)
    out, _ = other.communicate("\n", timeout=60)
    assert out.startswith("conflict:") and "changed by someone else" in out
    assert store.meetings.get(meeting.id).summary == "saved here first"
    store.close()


def _crash_script(monkeypatch: pytest.MonkeyPatch) -> object:
    spec = importlib.util.spec_from_file_location("crash_test", ROOT / "scripts" / "crash_test.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "crash_test", module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_writer_killed_at_random_moments_loses_no_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = _crash_script(monkeypatch)
    totals = crash.run(5, 7, tmp_path / "crash.sqlite", 0.3, quiet=True)  # type: ignore[attr-defined]
    assert totals.rounds == 5
    assert totals.acknowledged > 0
    assert totals.lost == []
    assert totals.integrity_failures == []
    assert totals.counter_checks >= 4
    assert 0 <= totals.found_unacknowledged <= totals.rounds
    with sqlite3.connect(tmp_path / "crash.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_background_check_finds_damage_and_stops_when_cancelled(tmp_path: Path) -> None:
    import threading

    from protocol_desk.services.safety import health_problem

    path = tmp_path / "office.sqlite"
    Store.open(path).close()
    assert health_problem(path) is None
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE filler (n INTEGER PRIMARY KEY, text TEXT)")
        conn.executemany(
            "INSERT INTO filler (text) VALUES (?)", ((f"row {n} " * 8,) for n in range(50_000))
        )
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[-3 * page_size : -2 * page_size] = b"\xff" * page_size  # near the end of the file
    path.write_bytes(bytes(data))

    found = health_problem(path)
    assert found is not None and found.reason and found.kept_at is None
    assert path.read_bytes() == bytes(data)  # looked at, never moved
    cancelled = threading.Event()
    cancelled.set()  # the window closed before the check reached the damage
    assert health_problem(path, cancelled) is None
