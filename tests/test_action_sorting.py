"""The action list sorted by text or owner: dictionary order (Kazakh letters in their place),
read from stored keys whichever plan the number of matches picks."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

import protocol_desk.store.actions as actions_store
from protocol_desk.domain.models import ActionStatus, AgreedAction, Meeting
from protocol_desk.domain.text import sort_key
from protocol_desk.services.actions import ActionFilter, ActionService
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store
from protocol_desk.store.schema import migrations

TEXTS = ["Ясин хат", "Әзірлеу жоспар", "Agree a plan", "қол қою", "Кездесу", "zoom call", "Алу"]
OWNERS = ["Ілияс", "Bakyt", "Әлия", "", "Қанат", "Alma", "Ян"]


def _office(store: Store) -> None:
    actions = [
        AgreedAction(
            text=f"{TEXTS[n % len(TEXTS)]} {n}",
            owner=OWNERS[n % len(OWNERS)],
            status=[ActionStatus.OPEN, ActionStatus.DONE][n % 2],
            completed_on=date(2023, 1, 1) if n % 2 else None,
        )
        for n in range(40)
    ]
    MeetingService(store).save(Meeting(date=date(2022, 6, 6), subject="Talks", actions=actions))


@pytest.mark.parametrize("order_by", ["text", "owner"])
@pytest.mark.parametrize("descending", [False, True])
def test_text_and_owner_sort_in_dictionary_order_however_many_match(
    store: Store, monkeypatch: pytest.MonkeyPatch, order_by: str, descending: bool
) -> None:
    _office(store)
    service = ActionService(store)
    flt = ActionFilter(statuses=frozenset({ActionStatus.OPEN}))

    def listed() -> list[int]:
        found, after = [], None
        while True:
            page = service.page(flt, order_by=order_by, descending=descending, after=after, limit=6)
            found += [r.id for r in page.rows]
            if page.next_after is None:
                return found
            after = page.next_after

    sorted_ids = listed()
    monkeypatch.setattr(actions_store, "_MANY", 1)  # walk the index instead
    assert listed() == sorted_ids and len(sorted_ids) == 20
    rows = {r.id: r for r in service.rows(flt)}
    keys = [(sort_key(getattr(rows[i], order_by)), i) for i in sorted_ids]
    assert keys == sorted(keys, reverse=descending)


def test_the_keys_follow_edits(store: Store) -> None:
    _office(store)
    action = store.actions.all()[0]
    action.text, action.owner = "Қорытынды", "Өмір"
    with store.transaction():
        store.actions.save(action)
    row = store.db.execute(
        "SELECT text_sort, owner_sort FROM agreed_action WHERE id = ?", [action.id]
    ).fetchone()
    assert tuple(row) == (sort_key("Қорытынды"), sort_key("Өмір"))


def test_a_file_from_before_the_keys_gets_them(db_path: Path) -> None:
    old = Database(sqlite3.connect(db_path, isolation_level=None))
    migrations.apply(old, stop_before="0004_action_sort_keys")
    old.execute(
        "INSERT INTO agreed_action (uid, text, owner) VALUES ('a', 'Әзірлеу', 'Қанат'),"
        " ('b', 'Алу', 'Zara')"
    )
    old.conn.close()
    store = Store.open(db_path)
    try:
        rows = store.db.execute(
            "SELECT text, text_sort, owner_sort FROM agreed_action ORDER BY text_sort"
        ).fetchall()
        assert [r[0] for r in rows] == ["Алу", "Әзірлеу"]
        assert rows[1][1:] == (sort_key("Әзірлеу"), sort_key("Қанат"))
    finally:
        store.close()
