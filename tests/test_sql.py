"""The store's connection: units of work nest as savepoints, and opening an up-to-date file
needs neither sqlite-utils nor the migrations."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from protocol_desk.domain.listing import MeetingFilter
from protocol_desk.domain.models import Meeting
from protocol_desk.store import Store, versions
from protocol_desk.store.actions import ActionFilter
from protocol_desk.store.bulk import integrity_problems
from protocol_desk.store.connection import connect
from protocol_desk.store.schema import known_migrations, migrations
from protocol_desk.store.search import ID_MASK, key_day, key_sql, plan_query, text_key
from protocol_desk.store.sql import Db


def _names(db: Db) -> list[str]:
    """The countries these tests added (a new database holds the world's too)."""
    rows = db.execute("SELECT name FROM country WHERE uid LIKE 'uid-%' ORDER BY name")
    return [r[0] for r in rows]


def _add(db: Db, name: str) -> None:
    db.execute(
        "INSERT INTO country (uid, name, sort_key) VALUES (:uid, :name, :name)",
        {"uid": f"uid-{name}", "name": name},
    )


def test_a_failed_inner_unit_undoes_only_itself(store: Store) -> None:
    with store.transaction() as db:
        _add(db, "Беларусь")
        with pytest.raises(ValueError), store.transaction():
            _add(db, "Қазақстан")
            raise ValueError("inner step refused")
        _add(db, "Türkiye")
    assert _names(store.db) == ["Türkiye", "Беларусь"]


def test_a_failed_outer_unit_undoes_its_inner_units_too(store: Store) -> None:
    with pytest.raises(ValueError), store.transaction() as db:
        with store.transaction():
            _add(db, "Қазақстан")
        raise ValueError("outer step refused")
    assert _names(store.db) == []
    assert not store.db.conn.in_transaction


def test_a_unit_of_its_own_commits_or_rolls_back(store: Store) -> None:
    with store.transaction():
        _add(store.db, "Belgique")
    with pytest.raises(ValueError), store.transaction():
        _add(store.db, "Ұлыбритания")
        raise ValueError
    assert _names(store.db) == ["Belgique"]


def test_query_gives_rows_by_column_name(store: Store) -> None:
    _add(store.db, "Өзбекстан")
    assert list(store.db.query("SELECT name, uid FROM country WHERE name = ?", ["Өзбекстан"])) == [
        {"name": "Өзбекстан", "uid": "uid-Өзбекстан"}
    ]


OPEN_AND_REPORT = """
import sys
from protocol_desk.store import Store
store = Store.open(sys.argv[1])
print(sorted(m for m in ("sqlite_utils", "protocol_desk.store.schema") if m in sys.modules))
store.close()
"""


def _report(code: str, path: Path) -> str:
    """What ``code`` prints, run on ``path`` in a fresh interpreter (nothing imported yet)."""
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    return done.stdout.strip()


def _modules_after_opening(path: Path) -> str:
    return _report(OPEN_AND_REPORT, path)


def test_opening_an_up_to_date_file_imports_neither_sqlite_utils_nor_migrations(
    db_path: Path,
) -> None:
    Store.open(db_path).close()  # created, with every migration
    assert _modules_after_opening(db_path) == "[]"


def test_a_file_that_needs_a_migration_still_gets_it(db_path: Path) -> None:
    names = known_migrations()
    old = Database(sqlite3.connect(db_path, isolation_level=None))
    migrations.apply(old, stop_before=names[-1])
    old.conn.close()
    assert _modules_after_opening(db_path) == "['protocol_desk.store.schema', 'sqlite_utils']"
    with sqlite3.connect(db_path) as conn:
        assert versions.pending(conn) == []


LIST_MEETINGS_AND_REPORT = """
import sys
from protocol_desk.store import Store
from protocol_desk.store.meetings import MeetingFilter
store = Store.open(sys.argv[1])
store.meetings.page(MeetingFilter(), limit=10)
store.people.suggest("Ерлан")
later = ("actions", "anniversaries", "delegations", "changelog")
print(sorted(m for m in later if f"protocol_desk.store.{m}" in sys.modules))
store.close()
"""


def test_a_repository_is_made_when_first_used(demo_file: Path) -> None:
    # Listing meetings and suggesting names (what the window's start needs) import none of
    # the repositories for actions, anniversaries, visits or the change log.
    assert _report(LIST_MEETINGS_AND_REPORT, demo_file) == "[]"
    store = Store.open(demo_file)
    try:
        first = store.actions
        assert store.actions is first  # one per store
        assert store.meetings.actions.db is store.db
        # Reopened in place (as a restore does): new repositories on the new connection.
        old_db = store.db
        store.db.conn.close()
        Store.__init__(store, connect(demo_file), demo_file)
        assert store.actions is not first and store.actions.db is store.db is not old_db
        assert store.actions.count(ActionFilter()) > 0
    finally:
        store.close()


def test_an_older_file_gets_the_search_vocabulary_of_its_meetings(db_path: Path) -> None:
    old = Database(sqlite3.connect(db_path, isolation_level=None))
    migrations.apply(old, stop_before="0005_search_vocabulary")
    old.conn.execute(
        "INSERT INTO meeting_fts (rowid, subject, summary, places, names, sources, topics)"
        " VALUES (1, 'Ынтымақтастық cooperation', '', 'Астана', '', '', '')"
    )
    old.conn.close()
    store = Store.open(db_path)
    try:
        terms = {r[0] for r in store.db.execute("SELECT term FROM meeting_term")}
        assert terms == {"ынтымақтастық", "cooperation", "астана"}
        query = plan_query(store.db, "Ынтым")
        assert query is not None and query.cheap and '"ынтымақтастық"' in query.match
    finally:
        store.close()


def _fts_keys(db: Db) -> set[int]:
    return {int(r[0]) for r in db.execute("SELECT rowid FROM meeting_fts")}


def test_an_older_file_gets_its_search_index_keyed_by_date(db_path: Path) -> None:
    old = Database(sqlite3.connect(db_path, isolation_level=None))
    migrations.apply(old, stop_before="0006_search_in_date_order")
    # Ids in one order, dates in another: the list's order is the dates'.
    meetings = {1: "2022-09-16", 2: "1992-09-16", 3: "2024-02-29", 4: "2022-09-16"}
    for meeting_id, day in meetings.items():
        old.conn.execute(
            "INSERT INTO meeting (id, uid, date, subject, subject_sort) VALUES (?, ?, ?, ?, ?)",
            [meeting_id, f"uid-{meeting_id}", day, f"Талқылау {meeting_id}", ""],
        )
        old.conn.execute(
            "INSERT INTO meeting_fts (rowid, subject, summary, places, names, sources, topics)"
            " VALUES (?, ?, 'ынтымақтастық cooperation', 'Астана', '', '', '')",
            [meeting_id, f"Талқылау {meeting_id}"],
        )
    old.conn.close()
    store = Store.open(db_path)
    try:
        assert _fts_keys(store.db) == {
            text_key(date.fromisoformat(day), meeting_id) for meeting_id, day in meetings.items()
        }
        # The words came along: one match per meeting, newest first, same day by id.
        found = store.meetings.page(MeetingFilter(text="ынтымақтастық"))
        assert [r.id for r in found.rows] == [3, 4, 1, 2]
        assert store.meetings.count(MeetingFilter(text="Астана cooperation")) == 4
    finally:
        store.close()


def test_the_search_index_follows_a_meetings_date_when_it_is_changed(store: Store) -> None:
    with store.transaction():
        kept = store.meetings.save(Meeting(date=date(2022, 6, 6), subject="Kul-Mukhammed talks"))
        other = store.meetings.save(Meeting(date=date(2022, 9, 16), subject="Anniversary talks"))
    assert kept.id is not None and other.id is not None
    # Through the editor.
    kept.date = date(2023, 1, 5)
    with store.transaction():
        store.meetings.save(kept)
    assert _fts_keys(store.db) == {
        text_key(date(2023, 1, 5), kept.id),
        text_key(date(2022, 9, 16), other.id),
    }
    assert [r.id for r in store.meetings.page(MeetingFilter(text="talks")).rows] == [
        kept.id,
        other.id,
    ]
    # And back through the editor, with nothing else changed.
    kept.date = date(2021, 12, 16)
    with store.transaction():
        store.meetings.save(kept)
    assert text_key(date(2021, 12, 16), kept.id) in _fts_keys(store.db)
    assert len(_fts_keys(store.db)) == 2
    assert [r.id for r in store.meetings.page(MeetingFilter(text="talks")).rows] == [
        other.id,
        kept.id,
    ]
    assert integrity_problems(store.db) == []


def test_the_search_key_is_the_same_in_python_and_in_sql(store: Store) -> None:
    for day in (date(1, 1, 1), date(1992, 9, 16), date(2024, 2, 29), date(9999, 12, 31)):
        for meeting_id in (1, 123_456, ID_MASK):
            sql = store.db.execute(
                f"SELECT {key_sql('m')} FROM (SELECT ? AS date, ? AS id) m",
                [day.isoformat(), meeting_id],
            ).fetchone()[0]
            assert sql == text_key(day, meeting_id)
            assert text_key(day, meeting_id) & ID_MASK == meeting_id
            assert key_day(day) <= text_key(day, meeting_id) <= key_day(day) + ID_MASK
            if day < date.max:
                assert key_day(day) + ID_MASK < key_day(day + timedelta(days=1))
    with pytest.raises(ValueError, match="does not fit"):
        text_key(date(2022, 9, 16), ID_MASK + 1)
