"""The SQLite store: migrations, connection settings, constraints, the change log."""

from __future__ import annotations

import getpass
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from protocol_desk.domain.errors import ConflictError, DatabaseError, ValidationError
from protocol_desk.domain.models import Meeting, Participant, Person, PersonName, Side
from protocol_desk.store import Store, versions
from protocol_desk.store.base import os_user
from protocol_desk.store.connection import connect
from protocol_desk.store.schema import known_migrations, migrations


def test_migrations_create_every_table_on_an_empty_file(db_path: Path) -> None:
    store = Store.open(db_path)
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    store.close()
    for table in (
        "country",
        "organisation",
        "person",
        "person_name",
        "position",
        "delegation",
        "delegation_member",
        "programme_item",
        "meeting",
        "participant",
        "meeting_source",
        "agreed_action",
        "anniversary",
        "change_log",
        "meeting_fts",
        "person_fts",
    ):
        assert table in tables
    applied = [m.name for m in migrations.applied(Database(sqlite3.connect(db_path)))]
    assert applied == known_migrations()


def test_the_check_on_every_start_names_every_migration_in_order() -> None:
    # Opening a file compares it with this list, without importing the migrations.
    assert list(versions.MIGRATIONS) == known_migrations()


def test_opening_again_applies_nothing_and_keeps_data(db_path: Path) -> None:
    store = Store.open(db_path)
    with store.transaction():
        store.people.save(Person(full_name="Мәулен Әшімбаев"))
    store.close()
    again = Store.open(db_path)
    assert [p.full_name for p in again.people.all()] == ["Мәулен Әшімбаев"]
    again.close()


def test_file_from_each_previous_migration_upgrades_without_loss(db_path: Path) -> None:
    """A database made by every earlier version opens, migrates, and keeps its rows."""
    names = known_migrations()
    for stop_before in names[1:] or [None]:
        path = db_path.with_name(f"v-{stop_before}.sqlite")
        old = Database(sqlite3.connect(path, isolation_level=None))
        migrations.apply(old, stop_before=stop_before) if stop_before else migrations.apply(old)
        old.execute("INSERT INTO country (uid, name, sort_key) VALUES ('c1', 'Қазақстан', 'k')")
        old.conn.close()
        store = Store.open(path)
        # Kept once under its own name, beside the reference data's other countries.
        countries = [c.name for c in store.countries.all()]
        assert countries.count("Қазақстан") == 1
        if names.index(stop_before or names[-1]) <= names.index("0011_world_reference_data"):
            assert "Kazakhstan" not in countries  # matched by its name, not doubled
        assert store.countries.get(store.countries.id_for_uid("country", "c1") or 0).name == (
            "Қазақстан"
        )
        assert [m.name for m in migrations.applied(store.db.sqlite_utils())] == names
        store.close()


def test_connection_settings(db_path: Path) -> None:
    db = connect(db_path)
    pragma = lambda name: db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("foreign_keys") == 1
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("trusted_schema") == 0
    assert pragma("busy_timeout") > 0
    db.conn.close()


def test_database_file_is_owner_only(db_path: Path) -> None:
    Store.open(db_path).close()
    assert db_path.stat().st_mode & 0o777 == 0o600


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO participant (meeting_id, person_id, side) VALUES (999, 999, 'ours')"
        )


def test_a_person_in_a_meeting_cannot_be_deleted_silently(store: Store) -> None:
    with store.transaction():
        person = store.people.save(Person(full_name="Sergey Rachkov"))
        store.meetings.save(
            Meeting(
                date=date(2022, 6, 6),
                subject="Talks",
                participants=[Participant(person_id=person.id or 0)],
            )
        )
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("DELETE FROM person WHERE id = ?", [person.id])


def test_foreign_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(DatabaseError, match="not a Protocol Desk database"):
        Store.open(foreign)
    assert foreign.read_bytes() == before


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("hello")
    with pytest.raises(DatabaseError, match="not a SQLite file"):
        Store.open(path)
    assert path.read_text() == "hello"


def test_failed_save_changes_nothing(store: Store) -> None:
    with store.transaction():
        person = store.people.save(Person(full_name="Erol Kaya"))
    meeting = Meeting(
        date=date(2022, 11, 18),
        subject="Observers",
        participants=[Participant(person_id=person.id or 0), Participant(person_id=12345)],
    )
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.meetings.save(meeting)
    assert store.db.execute("SELECT count(*) FROM meeting").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM meeting_fts").fetchone()[0] == 0


def test_stale_version_is_a_conflict_not_an_overwrite(store: Store) -> None:
    with store.transaction():
        person = store.people.save(Person(full_name="Igor Sergeyenko"))
    mine = store.people.get(person.id or 0)
    theirs = store.people.get(person.id or 0)
    theirs.form_of_address = "Mr. Chairman"
    with store.transaction():
        store.people.save(theirs)
    mine.form_of_address = "Your Excellency"
    with pytest.raises(ConflictError), store.transaction():
        store.people.save(mine)
    assert store.people.get(person.id or 0).form_of_address == "Mr. Chairman"


def test_change_log_records_and_refuses_edits(store: Store) -> None:
    with store.transaction():
        person = store.people.save(Person(full_name="Natalya Kochanova"))
        person.form_of_address = "Madam Chairperson"
        store.people.save(person)
    rows = store.db.execute(
        "SELECT operation, field, new_value FROM change_log WHERE row_uid = ? ORDER BY id",
        [person.uid],
    ).fetchall()
    assert rows[0][0] == "create"
    assert ("update", "form_of_address", "Madam Chairperson") in rows
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE change_log SET os_user = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM change_log")


def test_names_are_found_in_any_spelling_and_case(store: Store) -> None:
    with store.transaction():
        store.people.save(
            Person(
                full_name="Mukhtar Kul-Mukhammed",
                variants=[PersonName("Mukhtar Kul-Mohammed"), PersonName("Мұхтар Құл-Мұхаммед")],
                side=Side.OURS,
            )
        )
    for typed in ("kul-mohammed", "KUL-MUKHAMMED", "құл-мұх", "ҚҰЛ", "mukhtar kul"):
        assert [m.full_name for m in store.people.suggest(typed)] == ["Mukhtar Kul-Mukhammed"], (
            typed
        )
    assert store.people.find_by_name("MUKHTAR KUL-MOHAMMED") is not None


def test_suggestions_match_word_beginnings_and_show_the_spelling_typed(store: Store) -> None:
    with store.transaction():
        store.people.save(
            Person(
                full_name="Mukhtar Kul-Mukhammed",
                variants=[PersonName("Mukhtar Kul-Mohammed"), PersonName("Мұхтар Құл-Мұхаммед")],
            )
        )
        store.people.save(
            Person(full_name="Yerlan Koshanov", variants=[PersonName("Ерлан Қошанов")])
        )
        store.people.save(Person(full_name="Hélène Müller"))
    by_text = {m.full_name: m.matched_name for m in store.people.suggest("мұх")}
    assert by_text == {"Mukhtar Kul-Mukhammed": "Мұхтар Құл-Мұхаммед"}
    assert [m.matched_name for m in store.people.suggest("kul-moh")] == ["Mukhtar Kul-Mohammed"]
    assert [m.full_name for m in store.people.suggest("helene mull")] == ["Hélène Müller"]
    # A word is matched from its beginning: the middle of a word is not a name typed.
    assert store.people.suggest("hanov") == []
    assert store.people.suggest("  -  ") == []


@pytest.mark.parametrize("few", [1_000, 1])
def test_suggestions_are_in_alphabetical_order_however_many_match(
    store: Store, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    """Few matches are sorted, many are walked in the alphabet's order: both give the same."""
    import protocol_desk.store.people as people

    monkeypatch.setattr(people, "_FEW_MATCHES", few)
    names = ["Қанат Ахметов", "Ахмет Байұлы", "Әлия Ахмедова", "Ahmed Khan", "Kanat Akhmetov"]
    with store.transaction():
        for name in names:
            store.people.save(Person(full_name=name))
        merged = store.people.save(Person(full_name="Ахмед Ахмедов"))
        kept = store.people.find_by_name("Ахмет Байұлы")
        assert kept is not None and merged.id is not None and kept.id is not None
        store.people.mark_merged(merged.id, kept.id)
    found = [m.full_name for m in store.people.suggest("ахм", limit=3)]
    assert found == ["Ахмет Байұлы", "Әлия Ахмедова", "Қанат Ахметов"]
    # The spelling as typed first, then the same letters in the other script.
    assert [m.full_name for m in store.people.suggest("ahm")] == [
        "Ahmed Khan",
        "Kanat Akhmetov",
        "Ахмет Байұлы",
        "Әлия Ахмедова",
        "Қанат Ахметов",
    ]


def test_people_sort_in_kazakh_alphabet_order(store: Store) -> None:
    with store.transaction():
        for name in ("Ясин", "Әлия", "Бақыт", "Алма", "Қанат", "Кирилл", "Ілияс", "Zara", "Adam"):
            store.people.save(Person(full_name=name))
    assert [p.full_name for p in store.people.all()] == [
        "Adam",
        "Zara",
        "Алма",
        "Әлия",
        "Бақыт",
        "Кирилл",
        "Қанат",
        "Ілияс",
        "Ясин",
    ]


def test_validation_names_the_field(store: Store) -> None:
    with pytest.raises(ValidationError) as raised:
        store.meetings.save(Meeting(date=date(2022, 6, 6), subject="  "))
    assert raised.value.field == "subject"


def test_title_on_a_day_prefers_the_latest_start_then_the_first_listed(store: Store) -> None:
    from protocol_desk.domain.models import Position

    with store.transaction():
        person = store.people.save(
            Person(
                full_name="Mukhtar Kul-Mukhammed",
                positions=[
                    Position(title="Chairman of the Committee"),
                    Position(title="Co-Chairman of the Commission"),
                    Position(title="Senator", start=date(2020, 1, 1), end=date(2021, 12, 31)),
                ],
            )
        )
    assert store.people.title_on(person.id or 0, date(2022, 6, 6)) == "Chairman of the Committee"
    assert store.people.title_on(person.id or 0, date(2021, 6, 1)) == "Senator"


def test_the_change_log_names_the_account_when_no_login_variable_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    assert os_user() == getpass.getuser()
    assert os_user() != "unknown"
    monkeypatch.setenv("USER", "officer")
    assert os_user() == "officer"
