"""The action list sorted by text, owner, meeting, counterpart or country: dictionary order
(Kazakh letters in their place), read from stored keys whichever plan the number of matches
picks, and the keys taken from the meeting kept true as meetings, people and countries change."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

import protocol_desk.store.actions as actions_store
from protocol_desk.domain.listing import UNFINISHED
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Country,
    Meeting,
    Participant,
    Person,
)
from protocol_desk.domain.text import sort_key
from protocol_desk.services.actions import ActionFilter, ActionService
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.people import PeopleService
from protocol_desk.store import Store, action_keys
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


# Counterparts and countries whose raw text sorts otherwise (Қ, Ә, Ө after Я; Ł after Z).
PEOPLE = [
    ("Қасым Тоқаев", "Қазақстан"),
    ("Łukasz Nowak", "Poland"),
    ("Әлия Сәрсен", "Әзірбайжан"),
    ("Zofia Lis", "Poland"),
    ("Ян Бекер", "Беларусь"),
    ("Ömer Aydın", "Türkiye"),
    ("Olga Sergeyenko", "Беларусь"),
]


def _meetings_office(store: Store) -> list[int]:
    """Meetings with counterparts from several countries, each with open and done actions;
    the people's ids."""
    countries: dict[str, int] = {}
    people: list[int] = []
    with store.transaction():
        for name, country in PEOPLE:
            if country not in countries:
                saved = store.countries.save(Country(name=country)).id
                assert saved is not None
                countries[country] = saved
            person = store.people.save(Person(full_name=name, country_id=countries[country]))
            assert person.id is not None
            people.append(person.id)
    held_in = store.countries.save(Country(name="Өзбекстан")).id
    service = MeetingService(store)
    for n in range(12):
        # Two counterparts from one meeting, one alone, or none (then where it was held).
        seats = [people[n % len(people)], people[(n * 3 + 1) % len(people)]][: n % 3]
        service.save(
            Meeting(
                date=date(2020 + n % 5, 1 + n % 12, 1 + n),
                subject=f"Meeting {n}",
                country_id=held_in if n % 4 == 0 else None,
                participants=[Participant(person_id=p) for p in dict.fromkeys(seats)],
                actions=[
                    AgreedAction(
                        text=f"Action {n}.{k}",
                        status=[ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.IN_PROGRESS][k],
                        completed_on=date(2023, 1, 1) if k == 1 else None,
                    )
                    for k in range(3)
                ],
            )
        )
    return people


def in_list_order(keys: list[tuple[str, int]], descending: bool) -> list[tuple[str, int]]:
    """Sorted as the list shows them: those with a value, then the blanks, either way."""
    given = sorted((k for k in keys if k[0]), reverse=descending)
    return given + sorted((k for k in keys if not k[0]), reverse=descending)


def _listed(
    service: ActionService, flt: ActionFilter, order_by: str, descending: bool, limit: int = 5
) -> list[int]:
    """Every row's id, page by page."""
    found: list[int] = []
    after = None
    while True:
        page = service.page(flt, order_by=order_by, descending=descending, after=after, limit=limit)
        found += [r.id for r in page.rows]
        if page.next_after is None:
            return found
        after = page.next_after


@pytest.mark.parametrize("order_by", ["meeting", "counterpart", "country", "status"])
@pytest.mark.parametrize("descending", [False, True])
def test_the_meetings_sorts_follow_what_is_shown_however_many_match(
    store: Store, monkeypatch: pytest.MonkeyPatch, order_by: str, descending: bool
) -> None:
    _meetings_office(store)
    service = ActionService(store)
    flt = ActionFilter(statuses=UNFINISHED)  # what the list opens on
    sorted_ids = _listed(service, flt, order_by, descending)
    monkeypatch.setattr(actions_store, "_MANY", 1)  # walk the index instead
    assert _listed(service, flt, order_by, descending) == sorted_ids
    rows = {r.id: r for r in service.rows(flt)}
    assert len(sorted_ids) == len(rows) == 24

    def shown(row: actions_store.ActionRow) -> str:
        if order_by == "meeting":
            return row.meeting_date.isoformat() if row.meeting_date else ""
        if order_by == "status":
            return str(list(ActionStatus).index(row.status))
        return sort_key(getattr(row, order_by))

    keys = [(shown(rows[i]), i) for i in sorted_ids]
    assert keys == in_list_order(keys, descending)
    assert len({k for k, _ in keys}) > (1 if order_by == "status" else 4)


def test_every_sort_of_the_list_walks_an_index(store: Store) -> None:
    _meetings_office(store)
    clauses, params = actions_store.ActionRepository._where(ActionFilter())
    for order_by, index in actions_store._WALK_INDEXES.items():
        column = actions_store.ACTION_SORT_COLUMNS[order_by]
        plan = " ".join(
            str(r[3])
            for r in store.db.execute(
                f"EXPLAIN QUERY PLAN SELECT r.id FROM (SELECT *, {column} AS sort_value"
                f" FROM ({actions_store._lean(index)})) r WHERE {' AND '.join(clauses)}"
                " ORDER BY r.sort_value, r.id LIMIT 200",
                params,
            )
        )
        assert "TEMP B-TREE" not in plan, (order_by, plan)
    assert set(actions_store._WALK_INDEXES) == set(actions_store.ACTION_SORT_COLUMNS)


def _keys(store: Store, action_id: int) -> tuple[str, str, str]:
    row = store.db.execute(
        "SELECT meeting_sort, counterpart_sort, country_sort FROM agreed_action WHERE id = ?",
        [action_id],
    ).fetchone()
    return (row[0], row[1], row[2])


def test_the_keys_from_the_meeting_follow_every_change(store: Store) -> None:
    people = _meetings_office(store)
    assert action_keys.stale_count(store.db.conn) == 0
    meeting = store.meetings.get(2)
    action_id = meeting.actions[0].id
    assert action_id is not None
    before = _keys(store, action_id)

    # The meeting's date and counterparts.
    meeting.date = date(2031, 5, 5)
    meeting.participants = [Participant(person_id=people[4])]  # Ян Бекер, Беларусь
    MeetingService(store).save(meeting)
    assert _keys(store, action_id) == ("2031-05-05", sort_key("Ян Бекер"), sort_key("Беларусь"))
    assert _keys(store, action_id) != before

    # The counterpart's country.
    person = store.people.get(people[4])
    person.country_id = store.countries.save(Country(name="Ұлыбритания")).id
    with store.transaction():
        store.people.save(person)
    assert _keys(store, action_id)[2] == sort_key("Ұлыбритания")

    # The country's name.
    country = store.countries.get(person.country_id or 0)
    country.name = "Біріккен Корольдік"
    with store.transaction():
        store.countries.save(country)
    assert _keys(store, action_id)[2] == sort_key("Біріккен Корольдік")

    # Two records of one person merged: the meeting lists the kept one, with their country.
    PeopleService(store).merge(people[4], people[0])
    assert _keys(store, action_id)[1:] == (sort_key("Қасым Тоқаев"), sort_key("Қазақстан"))
    assert action_keys.stale_count(store.db.conn) == 0


def test_an_action_moved_to_another_meeting_takes_its_keys(store: Store) -> None:
    _meetings_office(store)
    action = store.actions.all()[0]
    other = store.meetings.get(5)
    assert action.meeting_id != other.id
    action.meeting_id = other.id
    with store.transaction():
        store.actions.save(action)
    assert action.id is not None
    assert _keys(store, action.id)[0] == other.date.isoformat()
    assert action_keys.stale_count(store.db.conn) == 0


@pytest.mark.parametrize("order_by", ["text", "owner"])
@pytest.mark.parametrize("descending", [False, True])
def test_text_and_owner_sort_in_dictionary_order_however_many_match(
    store: Store, monkeypatch: pytest.MonkeyPatch, order_by: str, descending: bool
) -> None:
    _office(store)
    service = ActionService(store)
    flt = ActionFilter(statuses=frozenset({ActionStatus.OPEN}))

    sorted_ids = _listed(service, flt, order_by, descending, limit=6)
    monkeypatch.setattr(actions_store, "_MANY", 1)  # walk the index instead
    assert _listed(service, flt, order_by, descending, limit=6) == sorted_ids
    assert len(sorted_ids) == 20
    rows = {r.id: r for r in service.rows(flt)}
    keys = [(sort_key(getattr(rows[i], order_by)), i) for i in sorted_ids]
    assert keys == in_list_order(keys, descending)


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


def test_a_file_from_before_the_meetings_keys_gets_them(db_path: Path) -> None:
    old = Database(sqlite3.connect(db_path, isolation_level=None))
    migrations.apply(old, stop_before="0007_dictionary_order_keys")
    old.execute(
        "INSERT INTO country (uid, name, sort_key)"
        " VALUES ('c1', 'Қазақстан', ?), ('c2', 'Poland', ?)",
        [sort_key("Қазақстан"), sort_key("Poland")],
    )
    old.execute(
        "INSERT INTO person (uid, full_name, sort_key, side, country_id) VALUES"
        " ('p1', 'Łukasz Nowak', '', 'counterpart', 2)"
    )
    old.execute(
        "INSERT INTO meeting (uid, date, subject, subject_sort, city, kind, counterpart,"
        " country_id) VALUES ('m1', '2022-06-06', 'Talks', 'talks', 'Қарағанды', 'кездесу',"
        " 'Łukasz Nowak', 1), ('m2', '2021-01-02', 'Visit', 'visit', 'Шымкент', 'audience', '', 1)"
    )
    old.execute(
        "INSERT INTO participant (meeting_id, person_id, side) VALUES (1, 1, 'counterpart')"
    )
    old.execute(
        "INSERT INTO agreed_action (uid, meeting_id, text) VALUES ('a1', 1, 'Write'),"
        " ('a2', 2, 'Call'), ('a3', NULL, 'Plan')"
    )
    old.conn.close()
    store = Store.open(db_path)
    try:
        assert action_keys.stale_count(store.db.conn) == 0
        keys = store.db.execute(
            "SELECT text, meeting_sort, counterpart_sort, country_sort FROM agreed_action"
            " ORDER BY id"
        ).fetchall()
        assert [tuple(k) for k in keys] == [
            ("Write", "2022-06-06", sort_key("Łukasz Nowak"), sort_key("Poland")),
            ("Call", "2021-01-02", "", sort_key("Қазақстан")),
            ("Plan", "", "", ""),
        ]
        cities = store.db.execute(
            "SELECT city FROM meeting INDEXED BY meeting_live_city"
            " WHERE deleted_at IS NULL ORDER BY city_sort"
        ).fetchall()
        assert [c[0] for c in cities] == ["Қарағанды", "Шымкент"]
        # A key kept before is written again: Ł is filed with L now.
        person_key = store.db.execute("SELECT sort_key FROM person").fetchone()[0]
        assert person_key == sort_key("Łukasz Nowak") == sort_key("Lukasz Nowak")
    finally:
        store.close()


def test_the_status_order_in_python_is_the_one_in_sql(store: Store) -> None:
    for status in ActionStatus:
        rank = store.db.execute(
            f"SELECT {actions_store._STATUS_ORDER} FROM (SELECT ? AS status) a", [status.value]
        ).fetchone()[0]
        assert rank == actions_store._STATUS_RANKS[status.value]


@pytest.mark.parametrize("descending", [False, True])
def test_sorted_by_status_the_walk_starts_at_the_statuses_asked_for(
    store: Store, monkeypatch: pytest.MonkeyPatch, descending: bool
) -> None:
    _meetings_office(store)
    monkeypatch.setattr(actions_store, "_MANY", 1)  # walk the index, as with many actions
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        ActionService(store).page(
            ActionFilter(statuses=UNFINISHED), order_by="status", descending=descending
        )
    finally:
        store.db.conn.set_trace_callback(None)
    page_sql = next(s for s in statements if "INDEXED BY agreed_action_status_order" in s)
    plan = " ".join(str(r[3]) for r in store.db.execute(f"EXPLAIN QUERY PLAN {page_sql}"))
    # The page's actions are chosen from a range of the index (the finished actions are not
    # read), in its order; only then are the 200 chosen given their display columns.
    chosen = plan[plan.index("MATERIALIZE p") : plan.index("SCAN p")]
    assert "SEARCH a USING INDEX agreed_action_status_order (<expr>=?)" in chosen, plan
    assert "TEMP B-TREE" not in chosen, plan
