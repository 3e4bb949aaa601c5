"""Opening the file: connection settings, owner-only files, the health check, and refusing
damaged or foreign files without changing a byte of them."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database, Migrations, hookimpl
from sqlite_utils.plugins import pm

from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.models import Meeting
from protocol_desk.domain.safety import (
    DamagedDatabaseError,
    ForeignFileError,
    NewerSchemaError,
    OlderSchemaError,
    ReadOnlyLocationError,
)
from protocol_desk.services.demo import load_demo
from protocol_desk.store import Store, connection, versions
from protocol_desk.store.backup import create_backup, list_backups
from protocol_desk.store.connection import connect
from protocol_desk.store.schema import migrations


def _pragmas(conn: sqlite3.Connection) -> dict[str, object]:
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in (
            "foreign_keys",
            "journal_mode",
            "synchronous",
            "trusted_schema",
            "busy_timeout",
        )
    }


def _assert_settings(conn: sqlite3.Connection) -> None:
    values = _pragmas(conn)
    assert values["foreign_keys"] == 1
    assert values["journal_mode"] == "wal"
    assert values["synchronous"] == 2  # FULL
    assert values["trusted_schema"] == 0
    assert int(str(values["busy_timeout"])) > 0


def _demo_file(path: Path) -> Path:
    store = Store.open(path)
    load_demo(store)
    store.close()
    return path


def test_every_connection_gets_the_settings(db_path: Path) -> None:
    first = connect(db_path)  # creates the file
    _assert_settings(first.conn)
    second = connect(db_path)  # opens the existing file
    _assert_settings(second.conn)
    reader = connect(db_path, readonly=True)
    _assert_settings(reader.conn)
    for db in (first, second, reader):
        db.conn.close()
    memory = connect(":memory:")
    values = _pragmas(memory.conn)
    assert values["foreign_keys"] == 1 and values["trusted_schema"] == 0
    assert values["synchronous"] == 2
    memory.conn.close()


def test_database_wal_shm_and_backups_are_owner_only(db_path: Path) -> None:
    store = Store.open(db_path)
    with store.transaction():
        store.settings.set("our_country", "KZ")
    wal, shm = Path(f"{db_path}-wal"), Path(f"{db_path}-shm")
    assert wal.exists() and shm.exists()
    for path in (db_path, wal, shm):
        assert path.stat().st_mode & 0o777 == 0o600, path
    made = create_backup(store.db.conn, db_path)
    assert made.path.stat().st_mode & 0o777 == 0o600
    assert made.path.parent.stat().st_mode & 0o777 == 0o700
    store.close()


def test_a_new_database_appears_whole_or_not_at_all(db_path: Path) -> None:
    Store.open(db_path).close()
    # Built under a temporary name and renamed: nothing is left beside it.
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _variants(original: bytes) -> dict[str, bytes]:
    middle = len(original) // 2
    scribbled = bytearray(original)
    scribbled[middle : middle + 8192] = os.urandom(8192)
    return {
        "zero bytes": b"",
        "cut in the header": original[:60],
        "cut at one page": original[:4096],
        "cut in half": original[:middle],
        "scribbled over": bytes(scribbled),
    }


@pytest.mark.parametrize("kind", list(_variants(b"x" * 20000)))
def test_damaged_file_is_refused_kept_aside_byte_for_byte(tmp_path: Path, kind: str) -> None:
    original = _demo_file(tmp_path / "good.sqlite").read_bytes()
    damaged = _variants(original)[kind]
    path = tmp_path / "office.sqlite"
    path.write_bytes(damaged)
    with pytest.raises(DamagedDatabaseError) as caught:
        Store.open(path)
    error = caught.value
    assert "is damaged" in error.message
    assert error.kept_at is not None and error.kept_at.name in error.message
    assert error.kept_at.read_bytes() == damaged
    # Never opened as if empty: nothing was created in its place.
    assert not path.exists()
    assert error.backup is None and "no backup" in error.message


def test_damaged_file_names_the_newest_verified_backup(tmp_path: Path) -> None:
    path = _demo_file(tmp_path / "office.sqlite")
    store = Store.open(path)
    made = create_backup(store.db.conn, path)
    store.close()
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(DamagedDatabaseError) as caught:
        Store.open(path)
    assert caught.value.backup == made
    assert made.when in caught.value.message


def test_damaged_file_keeps_its_wal_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    store = Store.open(path)
    with store.transaction():
        store.settings.set("our_country", "KZ")
    # Copy the set while the WAL holds the change (as after a power cut), then damage it.
    data, wal = path.read_bytes(), Path(f"{path}-wal").read_bytes()
    store.close()
    victim = tmp_path / "victim.sqlite"
    victim.write_bytes(data[:3000])
    Path(f"{victim}-wal").write_bytes(wal)
    with pytest.raises(DamagedDatabaseError) as caught:
        Store.open(victim)
    kept = caught.value.kept_at
    assert kept is not None
    assert kept.read_bytes() == data[:3000]
    assert Path(f"{kept}-wal").read_bytes() == wal
    assert not Path(f"{victim}-wal").exists()


@pytest.mark.parametrize("content", [os.urandom(8192), b"Dear colleagues,\n" * 100])
def test_foreign_bytes_are_refused_and_left_in_place(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "office.sqlite"
    path.write_bytes(content)
    with pytest.raises(ForeignFileError, match="not a Protocol Desk database"):
        Store.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.sqlite"]


def test_another_programs_sqlite_file_is_refused_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (url TEXT)")
    conn.execute("INSERT INTO moz_places VALUES ('https://parlam.kz')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(ForeignFileError, match="another program"):
            Store.open(path, readonly=readonly)
    assert path.read_bytes() == before


def test_newer_schema_is_refused_and_left_alone(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('protocol_desk', '0999_from_the_future', '2030-01-01')"
        )
    before = db_path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer Protocol Desk"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_missing_folder_and_read_only_folder_have_their_own_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        Store.open(tmp_path / "nowhere" / "office.sqlite")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access

    # The tests may run as root, who can write anywhere: say the folder is not writable.
    def access(path: object, mode: int, **kwargs: object) -> bool:
        if mode == os.W_OK and Path(str(path)) in (locked, locked / "office.sqlite"):
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(ReadOnlyLocationError, match="read-only: cannot create"):
        Store.open(locked / "office.sqlite")
    monkeypatch.setattr(os, "access", real_access)
    Store.open(locked / "office.sqlite").close()
    monkeypatch.setattr(os, "access", access)
    with pytest.raises(ReadOnlyLocationError, match="can only be opened read-only"):
        Store.open(locked / "office.sqlite")
    Store.open(locked / "office.sqlite", readonly=True).close()


def test_read_only_store_refuses_changes_with_a_message(db_path: Path) -> None:
    _demo_file(db_path)
    reader = Store.open(db_path, readonly=True)
    assert reader.readonly
    assert len(reader.meetings.all_ids()) == 6
    with pytest.raises(DatabaseError, match="read-only"), reader.transaction():
        reader.meetings.save(Meeting(date=date(2024, 1, 1), subject="Not saved"))
    reader.close()
    assert len(Store.open(db_path).meetings.all_ids()) == 6


def test_a_migration_is_preceded_by_a_verified_backup(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_demo_file(db_path, monkeypatch)
    assert list_backups(db_path) == []
    store = Store.open(db_path)
    columns = [r[1] for r in store.db.execute("PRAGMA table_info(meeting)").fetchall()]
    assert "test_note" in columns
    store.close()
    [backup] = list_backups(db_path)
    assert backup.reason == "before-update"
    with sqlite3.connect(backup.path) as old:
        columns = [r[1] for r in old.execute("PRAGMA table_info(meeting)").fetchall()]
        assert "test_note" not in columns
        assert old.execute("SELECT count(*) FROM meeting").fetchone()[0] == 6
    # Opening again applies nothing and makes no second copy.
    Store.open(db_path).close()
    assert len(list_backups(db_path)) == 1


def _old_demo_file(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo file, with one migration this version has and the file has not had yet."""
    _demo_file(db_path)

    def add_column(db: object) -> None:
        db.execute("ALTER TABLE meeting ADD COLUMN test_note TEXT")  # type: ignore[attr-defined]

    extra = Migrations._Migration("9999_test_note", add_column)
    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, extra])
    monkeypatch.setattr(versions, "MIGRATIONS", (*versions.MIGRATIONS, extra.name))


def test_a_backup_that_trips_over_another_programs_is_made_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_demo_file(db_path, monkeypatch)
    tries: list[str] = []

    def collides_once(*args: object, **kwargs: object) -> object:
        tries.append("backup")
        if len(tries) == 1:
            raise DatabaseError("A backup named demo.before-update.sqlite already exists.")
        return create_backup(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(connection.backups, "create_backup", collides_once)
    store = Store.open(db_path)
    store.close()
    assert tries == ["backup", "backup"]
    assert [b.reason for b in list_backups(db_path)] == ["before-update"]


def test_a_file_that_cannot_be_backed_up_is_not_updated(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_demo_file(db_path, monkeypatch)
    monkeypatch.setattr(connection.time, "sleep", lambda seconds: None)

    def fails(*args: object, **kwargs: object) -> object:
        raise DatabaseError("The disk is full.")

    monkeypatch.setattr(connection.backups, "create_backup", fails)
    with pytest.raises(DatabaseError, match=r"no backup could be made first.*The disk is full"):
        Store.open(db_path)
    with sqlite3.connect(db_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(meeting)").fetchall()]
    assert "test_note" not in columns


OPEN_AT = """
import sys, time
from pathlib import Path
from protocol_desk.store import Store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start together
Store.open(Path(sys.argv[1])).close()
print("ok")
"""


def test_programs_opening_an_old_file_at_once_migrate_it_once(db_path: Path) -> None:
    import subprocess
    import sys
    import time

    from protocol_desk.store.schema import known_migrations

    names = known_migrations()
    old = sqlite3.connect(db_path, isolation_level=None)
    old.execute("PRAGMA journal_mode = WAL")
    assert len(names) > 1
    migrations.apply(Database(old), stop_before=names[-1])
    old.execute("INSERT INTO country (uid, name, sort_key) VALUES ('c1', 'Қазақстан', 'k')")
    old.close()
    start = time.time() + 1.5
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT, str(db_path), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in openers]
    assert [out.strip() for out, _ in results] == ["ok"] * 4, [err for _, err in results]
    with sqlite3.connect(db_path) as conn:
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The office's country once, under its own name (beside the reference data's others).
        assert (
            conn.execute("SELECT name FROM country WHERE uid = 'c1'").fetchone()[0] == "Қазақстан"
        )
        named = conn.execute("SELECT count(*) FROM country WHERE name = 'Қазақстан'").fetchone()
        assert named[0] == 1
    assert applied == names


class _IntrusivePlugin:
    """A sqlite-utils plugin as one installed on the machine might be: it adds a function to
    every connection sqlite-utils prepares."""

    @staticmethod
    @hookimpl
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function("intruder", 0, lambda: "was here")


def test_installed_sqlite_utils_plugins_never_touch_the_office_connection(tmp_path: Path) -> None:
    plugin = _IntrusivePlugin()
    pm.register(plugin, name="intrusive-test-plugin")
    try:
        # The plugin works on a connection sqlite-utils prepares in the usual way ...
        assert Database(memory=True).execute("SELECT intruder()").fetchone()[0] == "was here"
        # ... but not on the app's, whether new, in memory or reopened.
        for opened in (connect(tmp_path / "office.sqlite"), connect(":memory:")):
            with pytest.raises(sqlite3.OperationalError, match="no such function"):
                opened.execute("SELECT intruder()")
            opened.conn.close()
        reopened = connect(tmp_path / "office.sqlite")
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            reopened.execute("SELECT intruder()")
        reopened.conn.close()
    finally:
        pm.unregister(plugin)


def test_a_file_that_needs_an_update_is_refused_read_only_and_left_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its colleague's older version holds it: this version cannot update it, and its queries
    # would not fit the old format, so it says so instead of showing wrong lists.
    _old_demo_file(db_path, monkeypatch)
    before = db_path.read_bytes()
    with pytest.raises(OlderSchemaError, match=r"earlier version.*cannot be done read-only"):
        Store.open(db_path, readonly=True)
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == []
    # Opened for editing, it is updated, and then reads fine read-only too.
    Store.open(db_path).close()
    reader = Store.open(db_path, readonly=True)
    assert len(reader.meetings.all_ids()) == 6
    reader.close()
