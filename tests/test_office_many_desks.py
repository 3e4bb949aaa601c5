"""Four desks editing the same office at random, with offline spells: once every desk has
synced, no update is lost and every desk's export is the same, byte for byte."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from protocol_desk.domain.models import ActionStatus, AgreedAction, Meeting, Participant, Person
from protocol_desk.services import office
from protocol_desk.services.demo import load_demo
from protocol_desk.services.exchange import export_data
from protocol_desk.store import Store

pytestmark = pytest.mark.office

DESKS = 4
EDITS_PER_DESK = 500
TOKEN = re.compile(r"T\d+x")


def tokens(content: Any) -> set[str]:
    return set(TOKEN.findall(json.dumps(content, ensure_ascii=False)))


class Office:
    """The desks, and what every officer wrote and knowingly replaced or discarded."""

    def __init__(self, folder: Path, dsn: str, seed: int) -> None:
        self.random = random.Random(seed)
        self.counter = itertools.count(1)
        self.desks = [Store.open(folder / f"desk{n}.sqlite") for n in range(DESKS)]
        self.online = [True] * DESKS
        self.written: set[str] = set()
        self.replaced: set[str] = set()  # overwritten by an edit, deleted, or a conflict's loser
        load_demo(self.desks[0])
        for desk in self.desks:
            office.connect_desk(desk, dsn)
            office.sync(desk)

    def token(self) -> str:
        made = f"T{next(self.counter)}x"
        self.written.add(made)
        return made

    def close(self) -> None:
        for desk in self.desks:
            desk.close()

    # --- edits ------------------------------------------------------------------------------
    def live_meetings(self, desk: Store) -> list[int]:
        return desk.meetings.all_ids()

    def people(self, desk: Store) -> list[int]:
        return [
            int(r[0]) for r in desk.db.execute("SELECT id FROM person WHERE merged_into_id IS NULL")
        ]

    def edit(self, desk: Store) -> None:
        r = self.random
        meetings = self.live_meetings(desk)
        actions = desk.actions.all()
        choice = r.choice(
            ["new_meeting", "edit_meeting", "participants", "new_action", "edit_action",
             "delete_action", "bin_meeting", "new_person", "edit_person"]
        )  # fmt: skip
        with desk.transaction():
            if choice == "new_meeting" or not meetings:
                people = r.sample(self.people(desk), k=min(2, len(self.people(desk))))
                desk.meetings.save(
                    Meeting(
                        date=date(2023, 1, 1) + timedelta(days=r.randrange(700)),
                        subject=f"Кездесу {self.token()}",
                        participants=[Participant(person_id=p, title=self.token()) for p in people],
                        actions=[AgreedAction(text=f"Әрекет {self.token()}")],
                    )
                )
            elif choice == "edit_meeting":
                meeting = desk.meetings.get(r.choice(meetings))
                if r.random() < 0.5:
                    self.replaced |= tokens(meeting.subject)
                    meeting.subject = f"Subject {self.token()}"
                else:
                    self.replaced |= tokens(meeting.summary)
                    meeting.summary = f"Summary {self.token()}"
                desk.meetings.save(meeting)
            elif choice == "participants":
                meeting = desk.meetings.get(r.choice(meetings))
                present = {p.person_id for p in meeting.participants}
                absent = [p for p in self.people(desk) if p not in present]
                if meeting.participants and (r.random() < 0.4 or not absent):
                    gone = meeting.participants.pop(r.randrange(len(meeting.participants)))
                    self.replaced |= tokens(gone.title)
                elif absent:
                    meeting.participants.append(
                        Participant(person_id=r.choice(absent), title=self.token())
                    )
                desk.meetings.save(meeting)
            elif choice == "new_action":
                desk.actions.save(
                    AgreedAction(text=f"Action {self.token()}", meeting_id=r.choice(meetings))
                )
            elif choice == "edit_action" and actions:
                action = r.choice(actions)
                self.replaced |= tokens(action.outcome)
                action.outcome = f"Outcome {self.token()}"
                action.status = r.choice(list(ActionStatus))
                action.completed_on = (
                    date(2024, 5, 1) if action.status is ActionStatus.DONE else None
                )
                desk.actions.save(action)
            elif choice == "delete_action" and actions:
                action = r.choice(actions)
                self.replaced |= tokens([action.text, action.outcome])
                desk.actions.delete(action.id or 0)
            elif choice == "bin_meeting":
                meeting_id = r.choice(meetings)
                desk.meetings.delete(meeting_id)
            elif choice == "new_person":
                desk.people.save(Person(full_name=f"Person {self.token()}"))
            else:
                person = desk.people.get(r.choice(self.people(desk)))
                self.replaced |= tokens(person.notes)
                person.notes = f"Notes {self.token()}"
                desk.people.save(person)

    # --- syncs ------------------------------------------------------------------------------
    def sync(self, desk: Store) -> tuple[int, int, int]:
        outcome = office.sync(desk)
        for conflict in office.conflicts(desk):
            if self.random.random() < 0.5:
                self.replaced |= tokens(conflict.theirs) - tokens(conflict.mine)
                office.keep_mine(desk, conflict.uid)
            else:
                self.replaced |= tokens(conflict.mine) - tokens(conflict.theirs)
                office.take_theirs(desk, conflict.uid)
        return outcome.pushed, outcome.pulled, outcome.conflicts


@pytest.fixture
def many(tmp_path: Path, office_dsn: str) -> Iterator[Office]:
    made = Office(tmp_path, office_dsn, seed=20240601)
    yield made
    made.close()


def test_four_desks_editing_at_random_lose_nothing_and_agree(many: Office) -> None:
    r = many.random
    conflicts_seen = 0
    for _ in range(DESKS * EDITS_PER_DESK):
        n = r.randrange(DESKS)
        many.edit(many.desks[n])
        if r.random() < 0.05:
            many.online[n] = not many.online[n]  # a trip abroad begins or ends
        if many.online[n] and r.random() < 0.3:
            conflicts_seen += many.sync(many.desks[n])[2]
    many.online = [True] * DESKS
    for _ in range(10):
        rounds = [many.sync(desk) for desk in many.desks]
        if all(outcome == (0, 0, 0) for outcome in rounds):
            break
    else:
        pytest.fail("the desks did not settle after ten rounds of syncs")
    assert all(office.conflicts(desk) == [] for desk in many.desks)
    assert all(desk.outbox.waiting() == 0 for desk in many.desks)
    documents = [json.dumps(export_data(desk), ensure_ascii=False, indent=2) for desk in many.desks]
    assert all(document == documents[0] for document in documents[1:])
    lost = many.written - tokens(json.loads(documents[0])) - many.replaced
    assert lost == set(), f"{len(lost)} updates lost: {sorted(lost)[:10]}"
    assert conflicts_seen > 0  # the run did exercise conflicts
