"""People to the bin: deleted with a question that says where they appear, restorable, left
out of lists and pickers while the meetings that name them keep the name; carried by the
export, the import and the office's records; the file of the previous version updated."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox
from sqlite_utils import Database

from protocol_desk.domain.models import Meeting, Participant, Person, Side
from protocol_desk.services import exchange
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import PeopleService
from protocol_desk.store import Store
from protocol_desk.store.people import PersonFilter
from protocol_desk.store.schema import migrations
from protocol_desk.ui import people_view
from protocol_desk.ui.people_view import PeopleView


def busiest_person(store: Store) -> int:
    """The demo's person in the most meetings (and so in the most places)."""
    row = store.db.execute(
        "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*) DESC, person_id"
        " LIMIT 1"
    ).fetchone()
    return int(row[0])


def listed_ids(store: Store, flt: PersonFilter | None = None) -> set[int]:
    rows, _following = store.people.page(flt or PersonFilter(), limit=10_000)
    return {r.id for r in rows}


def test_a_person_in_the_bin_leaves_lists_and_pickers_and_meetings_keep_the_name(
    demo_store: Store,
) -> None:
    people = PeopleService(demo_store)
    person_id = busiest_person(demo_store)
    person = people.get(person_id)
    meeting_ids = demo_store.people.meeting_ids(person_id)
    before = {m: MeetingService(demo_store).get(m) for m in meeting_ids}
    assert before and person_id in listed_ids(demo_store)
    surname = person.full_name.split()[0]
    assert person_id in {m.person_id for m in people.suggest(surname)}

    people.delete(person_id)

    assert person_id not in listed_ids(demo_store)
    assert listed_ids(demo_store, PersonFilter(deleted=True)) == {person_id}
    assert person_id not in {m.person_id for m in people.suggest(surname)}
    assert demo_store.people.find_by_name(person.full_name) is None
    assert people.detail(person_id).deleted
    for meeting_id, meeting in before.items():
        after = MeetingService(demo_store).get(meeting_id)
        assert [p.person_id for p in after.participants] == [
            p.person_id for p in meeting.participants
        ]
        assert after.version == meeting.version  # nothing in the meeting changed
    logged = demo_store.db.execute(
        "SELECT operation FROM change_log WHERE row_uid = ? ORDER BY id DESC LIMIT 1",
        [person.uid],
    ).fetchone()
    assert logged[0] == "delete"

    people.restore(person_id)
    assert person_id in listed_ids(demo_store)
    assert not people.detail(person_id).deleted
    assert listed_ids(demo_store, PersonFilter(deleted=True)) == set()


def test_the_bin_travels_in_an_export_and_an_import(demo_store: Store, tmp_path: Path) -> None:
    person_id = busiest_person(demo_store)
    uid = demo_store.meetings.uid_for_id("person", person_id)
    PeopleService(demo_store).delete(person_id)
    document = exchange.export_data(demo_store)
    [record] = [p for p in document["people"] if p["uid"] == uid]
    assert record["deleted"] is True
    assert not any(p["deleted"] for p in document["people"] if p["uid"] != uid)

    fresh = Store.open(tmp_path / "other.sqlite")
    try:
        exchange.import_data(fresh, document)
        here = fresh.meetings.id_for_uid("person", uid or "") or 0
        assert fresh.people.is_deleted(here)
        assert exchange.export_data(fresh)["people"] == document["people"]
        # The same person without the mark (restored elsewhere) comes out of the bin.
        record["deleted"] = False
        exchange.import_data(fresh, document)
        assert not fresh.people.is_deleted(here)
    finally:
        fresh.close()


def test_the_office_shares_a_person_in_the_bin_as_a_deletion(demo_store: Store) -> None:
    person_id = busiest_person(demo_store)
    uid = demo_store.meetings.uid_for_id("person", person_id) or ""
    assert exchange.export_record(demo_store, "person", uid)[1] is not None
    with demo_store.transaction():
        demo_store.people.delete(person_id)
    assert exchange.export_record(demo_store, "person", uid) == ("person", None)

    # Received from the office: a deletion goes to the bin, the record again restores.
    with demo_store.transaction():
        demo_store.people.restore(person_id)
    content = exchange.export_record(demo_store, "person", uid)[1]
    assert content is not None
    with demo_store.transaction():
        exchange.remove_record(demo_store, "person", uid)
    assert demo_store.people.is_deleted(person_id)
    assert demo_store.people.meeting_ids(person_id)  # participation untouched
    with demo_store.transaction():
        exchange.import_records(demo_store, [("person", content)])
    assert not demo_store.people.is_deleted(person_id)


def test_the_outbox_marks_a_person_sent_to_the_bin(store: Store) -> None:
    with store.transaction():
        person = store.people.save(Person(full_name="Әлихан Бөкейхан", side=Side.OURS))
        store.db.execute("UPDATE sync_state SET value = '1' WHERE key = 'outbox'")
    PeopleService(store).delete(person.id or 0)
    row = store.db.execute("SELECT kind FROM sync_outbox WHERE uid = ?", [person.uid]).fetchone()
    assert row is not None and row[0] == "person"


# --- a database made by the previous version ---------------------------------------------------


def test_the_update_of_an_older_file_keeps_its_people_and_lets_them_go_to_the_bin(
    db_path: Path,
) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrations.apply(Database(conn), stop_before="0014_people_to_the_bin")
    conn.executescript(
        """
        INSERT INTO person (uid, full_name, sort_key, side)
            VALUES ('p1', 'Қасым-Жомарт Тоқаев', 'қасым', 'ours');
        INSERT INTO person_name (person_id, name, name_key)
            VALUES (1, 'Қасым-Жомарт Тоқаев', 'x');
        INSERT INTO meeting (uid, date, subject, subject_sort)
            VALUES ('m1', '2022-06-06', 'Talks', 't');
        INSERT INTO participant (meeting_id, person_id, side) VALUES (1, 1, 'ours');
        """
    )
    columns = [r[1] for r in conn.execute("PRAGMA table_info(person)")]
    assert "deleted_at" not in columns
    conn.close()

    store = Store.open(db_path)
    try:
        assert listed_ids(store) == {1}
        assert not store.people.is_deleted(1)
        PeopleService(store).delete(1)
        assert listed_ids(store) == set() and listed_ids(store, PersonFilter(deleted=True)) == {1}
        assert [p.person_id for p in store.meetings.get(1).participants] == [1]
    finally:
        store.close()


# --- on screen ---------------------------------------------------------------------------------


@pytest.fixture
def view(qtbot: Any, demo_store: Store) -> Iterator[PeopleView]:
    widget = PeopleView(
        PeopleService(demo_store), OrganisationService(demo_store), CountryService(demo_store)
    )
    widget.undo_stack = QUndoStack(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    yield widget


@pytest.mark.gui
def test_delete_asks_saying_where_the_person_appears_then_undo_restores(
    view: PeopleView, demo_store: Store, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person_id = busiest_person(demo_store)
    detail = view.people.detail(person_id)
    assert view.select(person_id)
    assert view.delete_button.isEnabled() and "(Del)" in view.delete_button.toolTip()
    asked: list[str] = []
    offered: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_rest: object) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(people_view, "offer_undo", lambda _w, _t, text: offered.append(text))
    view.table.setFocus()
    view.list_area.delete_action.trigger()  # Del in the list, or Delete… in its menu

    [question] = asked
    assert detail.person.full_name in question
    assert f"{detail.meetings} meeting" in question
    assert "keep showing their name" in question
    if detail.visits:
        assert detail.visits[0].title in question
    assert offered and detail.person.full_name in offered[0]
    assert demo_store.people.is_deleted(person_id)
    assert view.model.row_of(person_id) is None

    view.undo_stack.undo()  # type: ignore[attr-defined]
    assert not demo_store.people.is_deleted(person_id)
    assert view.model.row_of(person_id) is not None
    view.undo_stack.redo()  # type: ignore[attr-defined]
    assert demo_store.people.is_deleted(person_id)

    # From the bin: listed there, the detail says so, Restore brings them back.
    view.show_bin.setChecked(True)
    qtbot.waitUntil(lambda: view.model.row_of(person_id) is not None)
    assert view.select(person_id)
    assert "in the bin" in view.detail.toPlainText()
    assert view.restore_button.isVisible() and not view.delete_button.isEnabled()
    view.restore_button.click()
    assert not demo_store.people.is_deleted(person_id)
    assert not view.show_bin.isChecked() and view.selected_id() == person_id


@pytest.mark.gui
def test_a_person_in_no_record_is_asked_about_plainly_and_no_keeps_them(
    view: PeopleView, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_store.transaction():
        person = demo_store.people.save(Person(full_name="Ғалым Үсенов", side=Side.COUNTERPART))
    view.reload(select_id=person.id)
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_rest: object) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    view.delete_person()
    assert asked and "no meeting, visit or anniversary" in asked[0]
    assert not demo_store.people.is_deleted(person.id or 0)


def test_a_meeting_keeps_a_participant_in_the_bin_when_saved_again(demo_store: Store) -> None:
    service = MeetingService(demo_store)
    person_id = busiest_person(demo_store)
    PeopleService(demo_store).delete(person_id)
    meeting = service.get(demo_store.people.meeting_ids(person_id)[0])
    meeting.summary += " Edited."
    saved = service.save(meeting)
    assert person_id in [p.person_id for p in saved.participants]
    new = Meeting(
        date=meeting.date,
        subject="Follow-up",
        participants=[Participant(person_id=person_id, side=Side.COUNTERPART)],
    )
    saved_new = service.save(new, allow_duplicate=True)
    assert person_id in [p.person_id for p in saved_new.participants]


def test_a_persons_birthday_goes_to_the_bin_and_back_with_them(store: Store) -> None:
    from datetime import date

    from protocol_desk.services.anniversaries import upcoming_anniversaries

    people = PeopleService(store)
    with store.transaction():
        person = store.people.save(
            Person(full_name="Нұрлан Нығматулин", side=Side.OURS, birth_date=date(1962, 1, 31))
        )
        other = store.people.save(Person(full_name="Мәулен Әшімбаев", side=Side.OURS))

    def birthdays() -> list[str]:
        found = upcoming_anniversaries(store, date(2026, 1, 1), 60)
        return [item.anniversary.title for item in found]

    assert birthdays() == ["Birthday of Нұрлан Нығматулин"]
    detail = people.detail(person.id or 0)
    assert "birthday" in people_view.appearances_text(detail)
    assert "birthday" not in people_view.appearances_text(people.detail(other.id or 0))
    people.delete(person.id or 0)
    assert birthdays() == []
    people.restore(person.id or 0)
    assert birthdays() == ["Birthday of Нұрлан Нығматулин"]
