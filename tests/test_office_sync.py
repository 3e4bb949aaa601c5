"""Sharing between desks through a real (private) PostgreSQL office server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pg_office import PASSWORD, PASSWORD_USER

from protocol_desk.cli import main
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    DocumentKind,
    Meeting,
    Participant,
    Person,
    Side,
    SignedDocument,
)
from protocol_desk.services import office
from protocol_desk.services.anniversaries import delete_anniversary, restore_anniversary
from protocol_desk.services.delegations import DelegationService
from protocol_desk.services.demo import load_demo
from protocol_desk.services.exchange import export_data, export_file, import_file
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.people import PeopleService
from protocol_desk.store import Store
from protocol_desk.store.bulk import integrity_problems
from protocol_desk.store.office_server import (
    OfficeError,
    OfficeServer,
    Outgoing,
    ReadOnlyOfficeError,
)

pytestmark = pytest.mark.office


class Desks:
    def __init__(self, folder: Path, dsn: str) -> None:
        self.folder = folder
        self.dsn = dsn
        self.opened: list[Store] = []

    def new(self, name: str, *, demo: bool = False, connect: bool = True) -> Store:
        store = Store.open(self.folder / f"{name}.sqlite")
        store.user = name
        self.opened.append(store)
        if demo:
            load_demo(store)
        if connect:
            office.connect_desk(store, self.dsn)
        return store


@pytest.fixture
def desks(tmp_path: Path, office_dsn: str) -> Iterator[Desks]:
    made = Desks(tmp_path, office_dsn)
    yield made
    for store in made.opened:
        store.close()


def exported(store: Store) -> str:
    return json.dumps(export_data(store), ensure_ascii=False, sort_keys=True)


def meeting_by_subject(store: Store, subject: str) -> Meeting:
    row = store.db.execute("SELECT id FROM meeting WHERE subject = ?", [subject]).fetchone()
    assert row is not None, subject
    return store.meetings.get(int(row[0]))


def first_meeting(store: Store) -> Meeting:
    return store.meetings.get(min(store.meetings.all_ids()))


def edit_subject(store: Store, meeting_uid: str, subject: str) -> None:
    with store.transaction():
        meeting = store.meetings.get(store.meetings.id_for_uid("meeting", meeting_uid) or 0)
        meeting.subject = subject
        store.meetings.save(meeting)


def test_a_desk_with_data_shares_it_and_a_new_desk_receives_everything(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    sent = office.sync(first)
    assert sent.pushed > 20 and sent.pulled == 0 and sent.conflicts == 0
    second = desks.new("bolat")
    said: list[str] = []
    received = office.sync(second, said.append)
    assert received.pulled == sent.pushed and received.pushed == 0
    assert said[0] == "Office: receiving colleagues' changes…"
    # A desk with nothing yet joins in bulk, saying how far it got.
    assert f"Office: joining — {sent.pushed} of {sent.pushed} records received…" in said
    assert exported(second) == exported(first)
    assert integrity_problems(second.db) == []
    # The change log says the records came from the office, and who made them there.
    meeting = first_meeting(second)
    assert {e.user for e in second.changes.for_record(meeting.uid)} == {"office: aliya (postgres)"}
    again = office.sync(second)
    assert (again.pushed, again.pulled, again.conflicts) == (0, 0, 0)


def test_the_same_data_on_two_desks_is_not_a_conflict(desks: Desks, tmp_path: Path) -> None:
    first = desks.new("aliya", demo=True)
    export_file(first, tmp_path / "handed-over.json")
    second = desks.new("bolat", connect=False)
    import_file(second, tmp_path / "handed-over.json")  # an export passed on, as before
    office.connect_desk(second, desks.dsn)
    office.sync(first)
    outcome = office.sync(second)
    assert outcome.conflicts == 0 and outcome.pushed == 0
    assert exported(first) == exported(second)


def test_a_new_meeting_travels_with_its_people_and_actions(desks: Desks) -> None:
    first, second = desks.new("aliya"), desks.new("bolat")
    with first.transaction():
        person = first.people.save(Person(full_name="Мұхтар Құл-Мұхаммед", side=Side.OURS))
        meeting = first.meetings.save(
            Meeting(
                date=date(2024, 3, 1),
                subject="Кездесу Ә Ғ Қ Ң Ө Ұ Ү Һ І",
                participants=[Participant(person_id=person.id or 0, side=Side.OURS)],
                actions=[AgreedAction(text="Prepare the visit")],
            )
        )
    # The person, and the meeting with its action: one shared record, one row at the office.
    assert office.sync(first).pushed == 2
    assert office.sync(second).pulled == 2
    got = meeting_by_subject(second, "Кездесу Ә Ғ Қ Ң Ө Ұ Ү Һ І")
    assert got.uid == meeting.uid
    assert [a.text for a in got.actions] == ["Prepare the visit"]
    assert exported(first) == exported(second)


def test_documents_signed_travel_with_their_meeting(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    with first.transaction():
        meeting = first_meeting(first)
        meeting.documents = [SignedDocument("Roadmap 2024–2025", DocumentKind.ROADMAP)]
        first.meetings.save(meeting)
    office.sync(first)
    second = desks.new("bolat")  # joins in bulk
    office.sync(second)
    got = second.meetings.get(second.meetings.id_for_uid("meeting", meeting.uid) or 0)
    assert [(d.title, d.kind) for d in got.documents] == [
        ("Roadmap 2024–2025", DocumentKind.ROADMAP)
    ]
    with second.transaction():
        got.documents[0].title = "Roadmap for 2024–2025"
        second.meetings.save(got)
    assert office.sync(second).pushed == 1
    office.sync(first)
    back = first.meetings.get(meeting.id or 0)
    assert [d.title for d in back.documents] == ["Roadmap for 2024–2025"]
    assert exported(first) == exported(second)


def test_two_desks_editing_one_meeting_keep_both_versions_until_resolved(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    uid = first_meeting(first).uid
    edit_subject(first, uid, "Aliya's subject")
    assert office.sync(first).pushed == 1
    edit_subject(second, uid, "Bolat's subject")
    outcome = office.sync(second)
    assert outcome.conflicts == 1 and outcome.pushed == 0
    # Both versions kept: Bolat's on his desk, Aliya's beside it in the conflict.
    assert meeting_by_subject(second, "Bolat's subject").uid == uid
    [conflict] = office.conflicts(second)
    assert conflict.uid == uid and conflict.kind == "meeting"
    assert conflict.theirs["subject"] == "Aliya's subject"
    assert conflict.mine["subject"] == "Bolat's subject"
    assert [(d.path, d.mine, d.theirs) for d in conflict.differences] == [
        ("subject", "Bolat's subject", "Aliya's subject")
    ]
    # Still a conflict after another sync: nothing resolved silently.
    assert office.sync(second).conflicts == 1
    assert office.sync(first).pulled == 0
    assert meeting_by_subject(first, "Aliya's subject").uid == uid

    office.keep_mine(second, uid)
    outcome = office.sync(second)
    assert (outcome.pushed, outcome.conflicts) == (1, 0)
    office.sync(first)
    assert meeting_by_subject(first, "Bolat's subject").uid == uid
    assert exported(first) == exported(second)


def test_taking_theirs_replaces_mine_and_participants_show_in_the_differences(
    desks: Desks,
) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    uid = first_meeting(first).uid
    with first.transaction():
        meeting = first.meetings.get(first.meetings.id_for_uid("meeting", uid) or 0)
        meeting.participants[0].title = "Speaker"
        first.meetings.save(meeting)
    office.sync(first)
    edit_subject(second, uid, "Bolat's subject")
    assert office.sync(second).conflicts == 1
    [conflict] = office.conflicts(second)
    paths = {d.path for d in conflict.differences}
    assert "participants[1].title" in paths and "subject" in paths
    assert office.field_label("participants[1].title") == "Participants 1: Title"
    office.take_theirs(second, uid)
    assert office.conflicts(second) == []
    outcome = office.sync(second)
    assert (outcome.pushed, outcome.conflicts) == (0, 0)
    assert exported(first) == exported(second)


def test_merging_by_hand_sends_the_merged_version(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    uid = first_meeting(first).uid
    edit_subject(first, uid, "Aliya's subject")
    office.sync(first)
    with second.transaction():
        meeting = second.meetings.get(second.meetings.id_for_uid("meeting", uid) or 0)
        meeting.summary = "Bolat's summary"
        meeting.subject = "Bolat's subject"
        second.meetings.save(meeting)
    office.sync(second)
    [conflict] = office.conflicts(second)
    merged = dict(conflict.mine, subject=conflict.theirs["subject"])
    office.merge_by_hand(second, uid, merged)
    assert office.sync(second).pushed == 1
    office.sync(first)
    got = first.meetings.get(first.meetings.id_for_uid("meeting", uid) or 0)
    assert (got.subject, got.summary) == ("Aliya's subject", "Bolat's summary")
    assert exported(first) == exported(second)


def test_a_changed_participant_is_shown_by_name(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    uid = first_meeting(first).uid
    for store, full_name in ((first, "Ерлан Қошанов"), (second, "Маулен Әшімбаев")):
        with store.transaction():
            person = store.people.save(Person(full_name=full_name))
            meeting = store.meetings.get(store.meetings.id_for_uid("meeting", uid) or 0)
            meeting.participants[0].person_id = person.id or 0
            store.meetings.save(meeting)
    office.sync(first)
    office.sync(second)
    [conflict] = office.conflicts(second)
    shown = {d.path: (d.mine, d.theirs) for d in conflict.differences}
    assert shown["participants[1].person"] == ("Маулен Әшімбаев", "Ерлан Қошанов")


def action_of(store: Store, uid: str) -> AgreedAction:
    return store.actions.get(store.actions.id_for_uid("agreed_action", uid) or 0)


def test_deleting_what_a_colleague_edited_is_a_conflict(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    action = first.actions.all()[0]
    with first.transaction():
        action.outcome = "Done in September"
        first.actions.save(action)
    office.sync(first)
    with second.transaction():
        second.actions.delete(second.actions.id_for_uid("agreed_action", action.uid) or 0)
    outcome = office.sync(second)
    assert outcome.conflicts == 1
    [conflict] = office.conflicts(second)
    meeting_uid = first.meetings.uid_for_id("meeting", action.meeting_id)
    assert conflict.uid == meeting_uid and conflict.kind == "meeting"
    assert action.uid not in [a["uid"] for a in conflict.mine["actions"]]
    [theirs] = [a for a in conflict.theirs["actions"] if a["uid"] == action.uid]
    assert theirs["outcome"] == "Done in September"
    office.take_theirs(second, meeting_uid or "")
    assert action_of(second, action.uid).outcome == "Done in September"
    assert exported(first) == exported(second)


def test_a_deletion_reaches_the_other_desks(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    action = first.actions.all()[0]
    with first.transaction():
        first.actions.delete(action.id or 0)
    assert office.sync(first).pushed == 1  # its meeting, without it
    assert office.sync(second).pulled == 1
    assert second.actions.id_for_uid("agreed_action", action.uid) is None
    assert exported(first) == exported(second)


def test_a_meeting_and_its_actions_are_one_record_at_the_office(
    desks: Desks, office_dsn: str
) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    action = first.actions.all()[0]
    meeting_uid = first.meetings.uid_for_id("meeting", action.meeting_id)
    with psycopg.connect(office_dsn) as conn:
        kinds = {k for (k,) in conn.execute("SELECT DISTINCT kind FROM protocol_desk.record")}
        row = conn.execute(
            "SELECT version, content FROM protocol_desk.record WHERE uid = %s", [meeting_uid]
        ).fetchone()
        assert row is not None
        version, content = row
        assert "action" not in kinds  # every demo action belongs to a meeting
        assert action.uid in [a["uid"] for a in content["actions"]]
    # A status change from the actions list changes the meeting's record.
    first.actions.change_status([action.id or 0], ActionStatus.DONE, completed_on=date(2022, 9, 1))
    assert office.sync(first).pushed == 1
    with psycopg.connect(office_dsn) as conn:
        row = conn.execute(
            "SELECT version, content FROM protocol_desk.record WHERE uid = %s", [meeting_uid]
        ).fetchone()
        assert row is not None and row[0] == version + 1
        [shared] = [a for a in row[1]["actions"] if a["uid"] == action.uid]
        assert shared["status"] == "done"
    # The export file keeps its separate list of actions.
    assert action.uid in [a["uid"] for a in export_data(first)["actions"]]
    assert all("actions" not in m for m in export_data(first)["meetings"])


def test_two_desks_changing_different_actions_of_one_meeting_is_a_conflict_part_by_part(
    desks: Desks,
) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    meeting_id = next(m for m in first.meetings.all_ids() if len(first.actions.for_meeting(m)) >= 2)
    one, two = first.actions.for_meeting(meeting_id)[:2]
    first.actions.change_status([one.id or 0], ActionStatus.IN_PROGRESS)
    office.sync(first)
    with second.transaction():
        theirs_two = action_of(second, two.uid)
        theirs_two.owner = "Ерлан Қошанов"
        second.actions.save(theirs_two)
    outcome = office.sync(second)
    assert (outcome.conflicts, outcome.pushed) == (1, 0)
    [conflict] = office.conflicts(second)
    assert conflict.kind == "meeting" and conflict.reason == ""
    shown = {d.path: (d.mine, d.theirs) for d in conflict.differences}
    assert shown["actions[1].status"] == ("open", "in_progress")
    assert shown["actions[2].owner"] == ("Ерлан Қошанов", two.owner)
    # The status change's history entry, its local time left aside.
    assert set(shown) == {"actions[1].status", "actions[1].history[2]", "actions[2].owner"}
    assert "changed_at" not in shown["actions[1].history[2]"][1]
    # Nothing silent: each desk keeps its own until the officer chooses.
    assert action_of(second, one.uid).status is ActionStatus.OPEN
    assert action_of(first, two.uid).owner == two.owner
    merged = dict(
        conflict.mine, actions=[conflict.theirs["actions"][0], *conflict.mine["actions"][1:]]
    )
    office.merge_by_hand(second, conflict.uid, merged)
    assert office.sync(second).pushed == 1
    office.sync(first)
    assert action_of(first, one.uid).status is ActionStatus.IN_PROGRESS
    assert action_of(first, two.uid).owner == "Ерлан Қошанов"
    assert exported(first) == exported(second)


def test_desks_that_each_loaded_the_demo_agree_without_conflicts(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    second = desks.new("bolat", demo=True)  # the actions' history written at another moment
    office.sync(first)
    outcome = office.sync(second)
    assert (outcome.conflicts, outcome.pushed) == (0, 0)
    assert office.sync(first).pulled == 0


def test_a_deleted_visit_and_a_restored_anniversary_reach_the_other_desks(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    with first.transaction():
        first.anniversaries.save(
            Anniversary(
                kind=AnniversaryKind.TREATY,
                title="Договор о дружбе — Достық туралы шарт",
                base_date=date(1996, 1, 17),
            )
        )
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    visit_id = first.db.execute("SELECT min(id) FROM delegation").fetchone()[0]
    visit_uid = first.meetings.uid_for_id("delegation", visit_id) or ""
    DelegationService(first).delete(visit_id)
    [typed] = first.anniversaries.all(include_derived=False)
    delete_anniversary(first, typed.id or 0)
    assert office.sync(first).pushed == 2
    assert office.sync(second).pulled == 2
    here = second.meetings.id_for_uid("delegation", visit_uid) or 0
    assert second.delegations.is_deleted(here)  # in the bin, as on Aliya's desk
    there = second.meetings.id_for_uid("anniversary", typed.uid) or 0
    assert second.anniversaries.is_deleted(there)
    # Bolat restores the anniversary from his bin: it comes back on Aliya's desk too.
    restore_anniversary(second, there)
    assert office.sync(second).pushed == 1
    assert office.sync(first).pulled == 1
    assert not first.anniversaries.is_deleted(typed.id or 0)
    assert exported(first) == exported(second)


def test_a_person_sent_to_the_bin_reaches_the_other_desks_and_comes_back(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    second = desks.new("bolat")
    office.sync(second)
    person_id = first.db.execute(
        "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    uid = first.meetings.uid_for_id("person", person_id) or ""
    PeopleService(first).delete(person_id)
    assert office.sync(first).pushed == 1
    assert office.sync(second).pulled == 1
    here = second.meetings.id_for_uid("person", uid) or 0
    assert second.people.is_deleted(here)  # in the bin, with every meeting still naming them
    assert second.people.meeting_ids(here)
    PeopleService(second).restore(here)
    assert office.sync(second).pushed == 1
    assert office.sync(first).pulled == 1
    assert not first.people.is_deleted(person_id)
    assert exported(first) == exported(second)


def test_a_record_that_cannot_be_applied_here_is_kept_aside_and_the_rest_applied(
    desks: Desks, office_dsn: str
) -> None:
    first, second = desks.new("aliya", demo=True), desks.new("bolat")
    office.sync(first)
    # A record this version cannot apply (another desk's bug, a later version's value).
    with OfficeServer.connect(office_dsn) as server:
        server.push(
            [Outgoing("bad-meeting", "meeting", None, {"uid": "bad-meeting", "date": "31.02"})]
        )
    edit_subject(first, first_meeting(first).uid, "After the bad record")
    office.sync(first)
    said: list[str] = []
    outcome = office.sync(second, said.append)
    assert "Office: receiving colleagues' changes one by one…" in said  # not in bulk
    assert outcome.pulled > 20 and outcome.conflicts == 1
    meeting_by_subject(second, "After the bad record")  # the rest went in
    [kept] = office.conflicts(second)
    assert kept.uid == "bad-meeting" and kept.mine is None
    assert kept.reason == "Meeting “?”: “31.02” is not a date (YYYY-MM-DD)."
    assert office.status(second).problem is None
    # Later syncs go on; the record stays aside, said in one line, until the officer chooses.
    edit_subject(first, first_meeting(first).uid, "Later still")
    office.sync(first)
    assert office.sync(second).pulled == 1
    meeting_by_subject(second, "Later still")
    assert [c.uid for c in office.conflicts(second)] == ["bad-meeting"]
    with pytest.raises(ValidationError, match="is not a date"):
        office.take_theirs(second, "bad-meeting")


def test_a_reader_cannot_write(desks: Desks, office_cluster: Any) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    office_cluster.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader_dana') THEN"
        " CREATE ROLE reader_dana LOGIN IN ROLE protocol_desk_reader; END IF; END $$"
    )
    reader_dsn = desks.dsn.replace("user=postgres", "user=reader_dana")
    with OfficeServer.connect(reader_dsn) as server, pytest.raises(ReadOnlyOfficeError):
        server.push([Outgoing("x", "meeting", None, {"uid": "x"})])
    desks.dsn = reader_dsn
    reader = desks.new("dana")
    outcome = office.sync(reader)
    assert outcome.pulled > 0 and outcome.readonly
    edit_subject(reader, first_meeting(reader).uid, "A reader's change")
    outcome = office.sync(reader)
    assert outcome.readonly and outcome.waiting >= 1 and outcome.pushed == 0
    with OfficeServer.connect(reader_dsn) as server:
        seen = [r for batch in server.changes_after(0) for r in batch]
    assert all(r.content is None or r.content.get("subject") != "A reader's change" for r in seen)


def keeps_working_offline(store: Store) -> None:
    """After a failed sync the desk still saves, and the change waits in the outbox."""
    waiting = office.status(store).waiting
    with store.transaction():
        store.people.save(Person(full_name="Offline Officer"))
    status = office.status(store)
    assert status.waiting == waiting + 1
    assert status.sentence().startswith("Office: offline")


def test_a_wrong_password_is_one_clear_message(desks: Desks, office_cluster: Any) -> None:
    office_cluster.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PASSWORD_USER}')"
        f" THEN CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'"
        " IN ROLE protocol_desk_officer; END IF; END $$"
    )
    secure = desks.dsn.replace("user=postgres", f"user={PASSWORD_USER}")
    store = desks.new("aliya", connect=False)
    with pytest.raises(OfficeError, match="refused the user name or password"):
        office.connect_desk(store, secure, password="wrong")
    office.connect_desk(store, secure, password=PASSWORD)
    assert office.sync(store).conflicts == 0  # the password came back from the keyring
    import keyring

    keyring.set_password(
        office.KEYRING_SERVICE, office._account(office.office_dsn(store) or ""), "x"
    )
    with pytest.raises(OfficeError, match="refused the user name or password") as raised:
        office.sync(store)
    assert "\n" not in raised.value.message
    keeps_working_offline(store)


def test_a_server_that_is_down_is_one_clear_message(desks: Desks, tmp_path: Path) -> None:
    store = desks.new("aliya", demo=True)
    with store.transaction():
        store.outbox.set_state("server", f"host={tmp_path} dbname=office user=postgres")
    with pytest.raises(OfficeError, match="is not answering") as raised:
        office.sync(store)
    assert "\n" not in raised.value.message
    keeps_working_offline(store)


def test_a_newer_server_schema_is_one_clear_message(desks: Desks, office_cluster: Any) -> None:
    store = desks.new("aliya", demo=True)
    with psycopg.connect(desks.dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO protocol_desk.schema_migrations (name) VALUES ('0099_future')")
    with pytest.raises(OfficeError, match="newer Protocol Desk"):
        office.sync(store)
    keeps_working_offline(store)


def test_another_applications_database_is_one_clear_message(
    desks: Desks, office_cluster: Any
) -> None:
    other = office_cluster.fresh_database()
    with psycopg.connect(other, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)")
    store = desks.new("aliya", demo=True)
    with pytest.raises(OfficeError, match="not a Protocol Desk office server"):
        office.connect_desk(store, other)
    with store.transaction():
        store.outbox.set_state("server", other)
    with pytest.raises(OfficeError, match="not a Protocol Desk office server"):
        office.sync(store)
    keeps_working_offline(store)


def test_the_command_line_connects_and_syncs(
    tmp_path: Path, office_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "desk.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    assert main(["--db", db, "connect", "--dsn", office_dsn]) == 0
    capsys.readouterr()
    assert main(["--db", db, "sync", "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["pushed"] > 20 and outcome["pulled"] == 0 and outcome["conflicts"] == 0
    other = str(tmp_path / "other.sqlite")
    assert main(["--db", other, "init"]) == 0
    assert main(["--db", other, "connect", "--dsn", office_dsn]) == 0
    capsys.readouterr()
    assert main(["--db", other, "sync", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pulled"] == outcome["pushed"]


def test_the_command_line_says_in_one_line_when_it_cannot_sync(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "desk.sqlite")
    assert main(["--db", db, "init"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "sync"]) == 1
    err = capsys.readouterr().err.strip()
    assert "not connected to an office server" in err and "\n" not in err
    assert main(["--db", db, "connect", "--dsn", "host=/nonexistent dbname=x user=y"]) == 1
    err = capsys.readouterr().err.strip()
    assert "is not answering" in err and "\n" not in err


def test_server_check_and_init_are_repeatable(office_dsn: str) -> None:
    assert "ready" in office.server_check(office_dsn)
    assert office.server_init(office_dsn) == []


def test_a_remote_server_needs_tls() -> None:
    kept, password = office.prepared_dsn("postgresql://me:secret@office.example/desk")
    assert "sslmode=require" in kept and "secret" not in kept and password == "secret"
    with pytest.raises(office.ValidationError, match="encrypted"):
        office.prepared_dsn("host=office.example dbname=desk sslmode=disable")
    local, _ = office.prepared_dsn("host=localhost dbname=desk")
    assert "sslmode" not in local


def test_a_password_with_no_keyring_to_keep_it_connects_nothing(
    tmp_path: Path, office_dsn: str
) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    store = Store.open(tmp_path / "desk.sqlite")
    try:
        with pytest.raises(OfficeError, match="keyring"):
            office.connect_desk(store, office_dsn, password="secret")
        assert office.office_dsn(store) is None
    finally:
        store.close()


def test_server_init_needs_the_right_to_create_roles(office_cluster: Any) -> None:
    office_cluster.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plain_user') THEN"
        " CREATE ROLE plain_user LOGIN; END IF; END $$"
    )
    database = office_cluster.fresh_database()
    plain = database.replace("user=postgres", "user=plain_user")
    with pytest.raises(OfficeError, match="right to create roles"):
        office.server_init(plain)


def _shared_actions(store: Store) -> dict[str, tuple[str, str, str | None]]:
    return {
        a.uid: (a.text, a.status.value, store.meetings.uid_for_id("meeting", a.meeting_id))
        for a in store.actions.all()
    }


def test_actions_an_earlier_version_shared_on_their_own_are_still_read(
    desks: Desks, office_dsn: str
) -> None:
    first = desks.new("aliya", demo=True)
    office.sync(first)
    with_actions = sorted({a.meeting_id for a in first.actions.all()})
    older, later = (first.meetings.uid_for_id("meeting", i) for i in with_actions[:2])
    with psycopg.connect(office_dsn) as conn:
        # An earlier version shared a meeting without its actions, each action a record of
        # its own naming its meeting...
        (content,) = conn.execute(
            "SELECT content FROM protocol_desk.record WHERE uid = %s", [older]
        ).fetchone() or (None,)
        actions = content.pop("actions")
        conn.execute(
            "UPDATE protocol_desk.record SET content = %s WHERE uid = %s",
            [psycopg.types.json.Jsonb(content), older],
        )
        for action in actions:
            conn.execute(
                "INSERT INTO protocol_desk.record (uid, kind, version, content)"
                " VALUES (%s, 'action', 1, %s)",
                [action["uid"], psycopg.types.json.Jsonb(action)],
            )
        # ...and an action record of its, older than its meeting's record shared since with
        # the actions inside, holds an earlier text.
        (content,) = conn.execute(
            "SELECT content FROM protocol_desk.record WHERE uid = %s", [later]
        ).fetchone() or (None,)
        stale = dict(content["actions"][0], text="An earlier text of this action")
        conn.execute(
            "INSERT INTO protocol_desk.record (uid, kind, version, content)"
            " VALUES (%s, 'action', 1, %s)",
            [stale["uid"], psycopg.types.json.Jsonb(stale)],
        )
        conn.execute(
            "UPDATE protocol_desk.record SET seq = nextval('protocol_desk.record_seq')"
            " WHERE uid = %s",
            [later],
        )
    assert "ready" in office.server_check(office_dsn)
    joining = desks.new("bolat")
    catching_up = desks.new("dana")
    with catching_up.transaction():  # data of its own: it pulls record by record
        catching_up.people.save(Person(full_name="Бақытжан Сағынтаев"))
    for desk in (joining, catching_up):
        outcome = office.sync(desk)
        assert outcome.conflicts == 0
        assert _shared_actions(desk) == _shared_actions(first)
    assert exported(joining) == exported(first)


def _vocabulary(store: Store, table: str) -> set[str]:
    return {str(r[0]) for r in store.db.execute(f"SELECT term FROM {table}")}


def test_a_pull_writes_new_records_in_bulk_as_the_import_would(desks: Desks) -> None:
    first = desks.new("aliya", demo=True)
    sent = office.sync(first).pushed
    second = desks.new("bolat")
    with second.transaction():  # data of its own: not a new desk joining
        second.people.save(Person(full_name="Бақытжан Сағынтаев"))
    assert office.sync(second).pulled == sent
    mine = export_data(first)
    theirs = export_data(second)
    for part in ("meetings", "actions", "anniversaries", "delegations"):
        assert theirs[part] == mine[part], part
    assert [p for p in theirs["people"] if p["full_name"] != "Бақытжан Сағынтаев"] == mine["people"]
    # Rows, full-text index, search vocabulary, action keys and due dates as the import's.
    assert integrity_problems(second.db) == []
    assert _vocabulary(second, "meeting_term") == _vocabulary(second, "meeting_fts_terms")
    subject = first.meetings.get(first.meetings.all_ids()[-1]).subject
    assert subject in [r.subject for r in MeetingService(second).search(subject.split()[0])]
    # Each record's creation logged once, as made at the office.
    meeting = first_meeting(second)
    entries = second.changes.for_record(meeting.uid)
    assert [e.operation for e in entries].count("create") == 1
    assert {e.user for e in entries} == {"office: aliya (postgres)"}
    again = office.sync(second)
    assert (again.pulled, again.conflicts) == (0, 0)
