"""The store's connection: units of work nest as savepoints, and opening an up-to-date file
needs neither sqlite-utils nor the migrations."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from protocol_desk.store import Store, versions
from protocol_desk.store.actions import ActionFilter
from protocol_desk.store.connection import connect
from protocol_desk.store.schema import known_migrations, migrations
from protocol_desk.store.search import plan_query
from protocol_desk.store.sql import Db


def _names(db: Db) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM country ORDER BY name")]


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
