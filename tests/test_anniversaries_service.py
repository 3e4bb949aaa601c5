"""Upcoming anniversaries read from the database: the demo's jubilee, needs-attention and the
one-step action, the office's settings, typed anniversaries, and the command line."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from protocol_desk.cli import main
from protocol_desk.domain.anniversaries import LeapDayRule, upcoming
from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from protocol_desk.domain.models import (
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    Country,
    Organisation,
    Person,
)
from protocol_desk.services.anniversaries import (
    UpcomingItem,
    UpcomingMonths,
    UpcomingQuery,
    UpcomingTotals,
    create_action_for,
    delete_anniversary,
    get_anniversary,
    jubilee_rule,
    leap_day_rule,
    needs_attention,
    restore_anniversary,
    save_anniversary,
    set_jubilee_rule,
    set_leap_day_rule,
    upcoming_anniversaries,
    upcoming_items,
    upcoming_totals,
)
from protocol_desk.store import Store
from protocol_desk.store.schema import migrations

AS_OF = date(2022, 6, 8)
AddMany = Callable[[Store, int, int], None]


def _belarus(store: Store) -> Country:
    country = store.countries.find("Belarus")
    assert country is not None
    return country


def _typed(store: Store, title: str, base: date | MonthDay, **fields: Any) -> Anniversary:
    return save_anniversary(
        store, Anniversary(kind=AnniversaryKind.CUSTOM, title=title, base_date=base, **fields)
    )


# --- the demo's jubilee -------------------------------------------------------------------------
def test_the_30th_anniversary_of_relations_with_belarus_is_a_jubilee(demo_store: Store) -> None:
    belarus = _belarus(demo_store)
    found = [
        o
        for o in upcoming_anniversaries(demo_store, AS_OF, 120)
        if o.anniversary.kind is AnniversaryKind.DIPLOMATIC_RELATIONS
        and o.anniversary.country_id == belarus.id
    ]
    assert [(o.date, o.ordinal, o.jubilee) for o in found] == [(date(2022, 9, 16), 30, True)]
    assert found[0].prepare_by < AS_OF  # a jubilee's preparation started months before

    items = upcoming_items(demo_store, UpcomingQuery(AS_OF, 120, country_id=belarus.id))
    relations = next(i for i in items if i.anniversary.kind is AnniversaryKind.DIPLOMATIC_RELATIONS)
    assert relations.country == "Belarus"
    # The demo's commission action is due on it, so it does not need attention.
    assert len(relations.actions) == 1
    assert relations.actions[0].text.startswith("Consider holding a meeting")
    assert not relations.needs_attention(AS_OF)


def test_upcoming_json_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "upcoming", "--days", "120", "--as-of", "2022-06-08", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    for row in rows:
        assert {"date", "title", "kind", "ordinal", "jubilee", "prepare_by"} <= set(row)
    jubilee = next(r for r in rows if r["kind"] == "diplomatic_relations")
    assert jubilee["date"] == "2022-09-16"
    assert jubilee["ordinal"] == 30
    assert jubilee["jubilee"] is True
    assert jubilee["country"] == "Belarus"
    assert jubilee["days_until"] == 100
    assert jubilee["prepare_by"] == "2022-05-19"
    national_day = next(r for r in rows if r["kind"] == "national_day")
    assert national_day["ordinal"] is None and national_day["jubilee"] is False

    assert main(["--db", db, "upcoming", "--days", "120", "--as-of", "08.06.2022"]) == 0
    text = capsys.readouterr().out
    assert "16.09.2022 ★ 30th anniversary: Kazakhstan–Belarus diplomatic relations" in text

    assert main(["--db", db, "upcoming", "--as-of", "2022-06-08", "--days", "-3"]) == 1
    assert "horizon" in capsys.readouterr().err
    assert main(["--db", db, "upcoming", "--country", "Atlantis"]) == 1
    assert "Atlantis" in capsys.readouterr().err


# --- needs attention and the one-step action ----------------------------------------------------
def test_needs_attention_is_what_the_whole_window_shows(
    store: Store, add_many_anniversaries: AddMany
) -> None:
    """Needs-attention reads in full only the anniversaries being prepared: it must list what
    the upcoming list itself marks, from the file, from memory and inside a transaction."""
    add_many_anniversaries(store, 400, 17)
    repository = store.anniversaries
    as_of = date(2023, 4, 10)
    with store.transaction():
        # Own lead times, short and long, on some of them; and a jubilee rule of the office's.
        for number, listing in enumerate(repository.listings()):
            if number % 7 == 0:
                anniversary = repository.get(listing.anniversary.id or 0)
                anniversary.lead_days = (1, 30, 150, 250)[number % 4]
                repository.save(anniversary)
    set_jubilee_rule(store, "3", "9, 27")
    started = needs_attention(store, as_of)
    first = started[len(started) // 2]
    create_action_for(store, first.anniversary.id or 0, first.day)  # planned: drops out

    def expected() -> list[tuple[int | None, date]]:
        whole = upcoming_items(store, UpcomingQuery(as_of, 366))
        return [(i.anniversary.id, i.day) for i in whole if i.needs_attention(as_of)]

    def found(**kw: Any) -> list[tuple[int | None, date]]:
        return [(i.anniversary.id, i.day) for i in needs_attention(store, as_of, **kw)]

    want = expected()
    assert len(want) > 20 and (first.anniversary.id, first.day) not in want
    assert any(i.occurrence.jubilee for i in started)
    assert any(i.occurrence.lead_days == 250 for i in started)
    repository.forget()
    assert found() == want  # read from the file, then kept
    assert found() == want  # from memory
    kazakhstan = store.countries.find("Қазақстан")
    assert kazakhstan is not None
    ours = found(country_id=kazakhstan.id)
    assert ours and ours == [
        (i.anniversary.id, i.day)
        for i in upcoming_items(store, UpcomingQuery(as_of, 366, country_id=kazakhstan.id))
        if i.needs_attention(as_of)
    ]
    assert found(kinds=frozenset({AnniversaryKind.BIRTHDAY})) == []
    with store.transaction():
        assert found() == want


def test_needs_attention_and_creating_the_action(demo_store: Store) -> None:
    waiting = needs_attention(demo_store, AS_OF)
    titles = [i.anniversary.title for i in waiting]
    # Prepare-by 3 June for 3 July: started, and nothing planned yet.
    assert "Independence Day of Belarus" in titles
    # Its lead time starts on 21 June: not yet.
    assert "National Day of Belgium" not in titles
    # The relations jubilee has the commission action linked.
    assert not any(i.anniversary.kind is AnniversaryKind.DIPLOMATIC_RELATIONS for i in waiting)

    item = next(i for i in waiting if i.anniversary.title == "Independence Day of Belarus")
    assert item.anniversary.id is not None
    action = create_action_for(demo_store, item.anniversary.id, item.day)
    saved = demo_store.actions.get(action.id or 0)
    assert saved.due == date(2022, 7, 3)
    assert saved.due_anniversary_id == item.anniversary.id
    assert "Independence Day of Belarus" in saved.text
    after = [i.anniversary.title for i in needs_attention(demo_store, AS_OF)]
    assert "Independence Day of Belarus" not in after
    # Next year's occurrence is a different one: the action does not cover it.
    next_year = upcoming_items(demo_store, UpcomingQuery(date(2023, 6, 8), 30))
    assert next(i for i in next_year if i.anniversary.id == item.anniversary.id).actions == ()


def test_linked_actions_are_the_same_however_many_are_read_at_once(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The linked actions of the anniversaries found are read a few hundred anniversaries at a
    time: each occurrence gets the same actions whatever the batch."""
    from protocol_desk.services import anniversaries

    query = UpcomingQuery(date(2022, 6, 1), 365)

    def actions_by_occurrence() -> dict[tuple[int | None, object], list[int | None]]:
        items = upcoming_items(demo_store, query)
        return {(i.anniversary.id, i.day): [a.id for a in i.actions] for i in items}

    together = actions_by_occurrence()
    monkeypatch.setattr(anniversaries, "_IDS_PER_READ", 1)
    assert actions_by_occurrence() == together
    assert any(together.values())


def test_an_action_only_for_a_day_the_anniversary_falls_on(demo_store: Store) -> None:
    anniversary = demo_store.anniversaries.listings(kinds=[AnniversaryKind.NATIONAL_DAY])[0]
    before = len(demo_store.actions.all())
    with pytest.raises(ValidationError, match="does not fall on"):
        create_action_for(demo_store, anniversary.anniversary.id or 0, date(2022, 1, 2))
    with pytest.raises(NotFoundError):
        create_action_for(demo_store, 999_999, date(2022, 1, 2))
    assert len(demo_store.actions.all()) == before


def test_an_action_without_due_date_counts_for_the_next_occurrence(store: Store) -> None:
    anniversary = _typed(store, "Treaty of friendship", date(1999, 3, 10))
    with store.transaction():
        store.actions.save(AgreedAction(text="Letter", due=None, due_anniversary_id=anniversary.id))
    # Entered today, so it counts for the next occurrence from today on.
    today = date.today()
    item = next(
        i
        for i in upcoming_items(store, UpcomingQuery(today, 366))
        if i.anniversary.id == anniversary.id
    )
    assert [a.text for a in item.actions] == ["Letter"]


# --- a few days at a time ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("as_of", "days"), [(date(2023, 11, 23), 365), (date(2024, 2, 10), 90), (date(2023, 1, 31), 1)]
)
@pytest.mark.parametrize("part_rows", [1, 7, 200])
def test_read_in_parts_the_window_comes_whole_in_order(
    store: Store, add_many_anniversaries: AddMany, as_of: date, days: int, part_rows: int
) -> None:
    add_many_anniversaries(store, 300, days)
    kazakhstan = store.countries.find("Қазақстан")
    assert kazakhstan is not None
    for query in (
        UpcomingQuery(as_of, days),
        UpcomingQuery(as_of, days, country_id=kazakhstan.id),
        UpcomingQuery(as_of, days, kinds=frozenset({AnniversaryKind.FOUNDING})),
    ):
        whole = upcoming_items(store, query)
        reader = UpcomingMonths(store, query)
        parts = reader.read_at_least(40)
        assert sum(len(part.items) for part in parts) >= min(40, len(whole))
        while (part := reader.read_next(part_rows)) is not None:
            parts.append(part)
        assert not reader.has_more()
        read = [(i.anniversary.id, i.occurrence.date) for part in parts for i in part.items]
        assert read == [(i.anniversary.id, i.occurrence.date) for i in whole]
        months: dict[tuple[int, int], list[UpcomingItem]] = {}
        for part in parts:
            assert part.items, "a stretch with nothing is passed over"
            key = (part.span.year, part.span.month)
            # A month's first part counts the whole month; the others continue it.
            assert (part.totals is not None) == (key not in months)
            months.setdefault(key, []).extend(part.items)
            for item in part.items:
                assert part.first <= item.occurrence.date <= part.last <= part.span.end
        for part in parts:
            if part.totals is not None:
                items = months[(part.span.year, part.span.month)]
                jubilees = sum(1 for i in items if i.occurrence.jubilee)
                assert part.totals == UpcomingTotals(len(items), jubilees)
        jubilees = sum(1 for i in whole if i.occurrence.jubilee)
        assert upcoming_totals(store, query) == UpcomingTotals(len(whole), jubilees)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2023, 3, 1), date(2023, 3, 31)),  # a month
        (date(2023, 12, 20), date(2024, 1, 10)),  # across the new year
        (date(2024, 2, 27), date(2024, 3, 2)),  # 29 February, in a leap year
        (date(2023, 11, 1), date(2024, 3, 5)),  # across the new year and 29 February
        (date(2023, 6, 2), date(2024, 5, 31)),  # 365 days, across the new year
        (date(2023, 1, 1), date(2023, 12, 31)),  # a year: nothing narrowed in SQL
    ],
)
def test_counting_reads_the_dates_of_the_anniversaries_it_would_list(
    store: Store, add_many_anniversaries: AddMany, start: date, end: date
) -> None:
    add_many_anniversaries(store, 300, 11)
    kazakhstan = store.countries.find("Қазақстан")
    assert kazakhstan is not None
    repository = store.anniversaries
    filters: list[dict[str, Any]] = [
        {},
        {"country_id": kazakhstan.id},
        {"kinds": frozenset({AnniversaryKind.FOUNDING, AnniversaryKind.BIRTHDAY})},
        {"kinds": frozenset()},
    ]

    def listed(**kw: Any) -> list[object]:
        return sorted(
            map(str, (i.anniversary.base_date for i in repository.listings(start, end, **kw)))
        )

    def dated(**kw: Any) -> list[object]:
        return sorted(map(str, repository.base_dates(start, end, **kw)))

    expected = [listed(**kw) for kw in filters]
    assert expected[0] and expected[1] and expected[2] and not expected[3]
    repository.forget()  # read from the file, not from memory
    assert [dated(**kw) for kw in filters] == expected
    repository.listings()  # now from memory
    assert [dated(**kw) for kw in filters] == expected
    with store.transaction():  # what a transaction wrote is read from it, never kept
        store.anniversaries.save(
            Anniversary(AnniversaryKind.CUSTOM, "Added meanwhile", MonthDay(start.month, start.day))
        )
        assert len(dated()) == len(expected[0]) + 1
        assert dated() == listed()


def test_a_part_is_sized_by_the_months_count(store: Store, add_many_anniversaries: AddMany) -> None:
    add_many_anniversaries(store, 600, 5)
    reader = UpcomingMonths(store, UpcomingQuery(date(2023, 3, 1), 365))
    first = reader.read_next(10)
    assert first is not None and first.totals is not None
    # Far fewer than the month's occurrences, and only its first days.
    assert len(first.items) < first.totals.count / 3
    assert first.last < first.span.end


def test_reading_through_a_day_reads_no_further_than_its_part(
    store: Store, add_many_anniversaries: AddMany
) -> None:
    add_many_anniversaries(store, 200, 3)
    reader = UpcomingMonths(store, UpcomingQuery(date(2023, 1, 1), 365))
    parts = reader.read_through(date(2023, 3, 15))
    assert [(p.span.year, p.span.month) for p in parts if p.totals] == [
        (2023, 1),
        (2023, 2),
        (2023, 3),
    ]
    assert parts[-1].last >= date(2023, 3, 15) and parts[-1].first <= date(2023, 3, 15)
    assert reader.has_more()
    rest = reader.read_through(date(2023, 12, 31))
    assert all(p.first > date(2023, 3, 15) for p in rest)
    assert {p.span.month for p in rest if p.totals} == set(range(4, 13))
    assert reader.read_next() is None


def test_the_months_of_a_window_cover_it_day_by_day() -> None:
    spans = UpcomingQuery(date(2023, 11, 23), 365).months()
    assert spans[0].start == date(2023, 11, 23) and spans[-1].end == date(2024, 11, 21)
    for before, after in pairwise(spans):
        assert after.start == before.end + timedelta(days=1)
        assert after.start.day == 1
    assert UpcomingQuery(date(9999, 12, 1), 31).months()[0].end == date(9999, 12, 31)


# --- settings -----------------------------------------------------------------------------------
def test_the_leap_day_setting_moves_29_february(store: Store) -> None:
    _typed(store, "Leap", date(2000, 2, 29))
    assert leap_day_rule(store) is LeapDayRule.FEB_28
    assert [o.date for o in upcoming_anniversaries(store, date(2023, 1, 1), 365)] == [
        date(2023, 2, 28)
    ]
    set_leap_day_rule(store, "mar1")
    assert store.settings.get("leap_day_rule") == "mar1"
    assert [o.date for o in upcoming_anniversaries(store, date(2023, 1, 1), 365)] == [
        date(2023, 3, 1)
    ]
    with pytest.raises(ValidationError, match="feb28 or mar1"):
        set_leap_day_rule(store, "mar2")
    store.settings.set("leap_day_rule", "nonsense")
    assert leap_day_rule(store) is LeapDayRule.FEB_28


def test_the_jubilee_setting(store: Store) -> None:
    _typed(store, "Founding", date(2002, 5, 5))
    assert upcoming_anniversaries(store, date(2022, 5, 1), 30)[0].jubilee
    set_jubilee_rule(store, "10", "25, 50")
    assert jubilee_rule(store).every == 10
    found = upcoming_anniversaries(store, date(2022, 5, 1), 30)[0]
    assert found.ordinal == 20 and found.jubilee
    assert not upcoming_anniversaries(store, date(2017, 5, 1), 30)[0].jubilee  # 15th
    with pytest.raises(ValidationError):
        set_jubilee_rule(store, "x", "25")
    store.settings.set("jubilee_every", "garbage")
    assert jubilee_rule(store).every == 5  # a broken setting never hides every jubilee


# --- countries ----------------------------------------------------------------------------------
def test_a_country_filter_takes_its_organisations_and_people(store: Store) -> None:
    with store.transaction():
        country = store.countries.save(Country(name="Қазақстан", iso_code="KZ"))
        other = store.countries.save(Country(name="Belgium", iso_code="BE"))
        senate = store.organisations.save(Organisation(name="Сенат", country_id=country.id))
        person = store.people.save(
            Person(full_name="Мәулен Әшімбаев", country_id=country.id, birth_date=MonthDay(7, 1))
        )
    _typed(store, "Founding of the Senate", date(1996, 1, 30), organisation_id=senate.id)
    _typed(store, "Typed for Belgium", date(1996, 2, 1), country_id=other.id)
    titles = {
        i.anniversary.title
        for i in upcoming_items(store, UpcomingQuery(date(2022, 1, 1), 365, country_id=country.id))
    }
    assert titles == {"Founding of the Senate", "Birthday of Мәулен Әшімбаев"}
    item = next(
        i
        for i in upcoming_items(store, UpcomingQuery(date(2022, 1, 1), 365))
        if i.anniversary.person_id == person.id
    )
    assert item.country == "Қазақстан"
    assert item.subject == "Мәулен Әшімбаев"
    assert item.derived
    assert {
        o.anniversary.title
        for o in upcoming_anniversaries(store, date(2022, 1, 1), 365, country_id=other.id)
    } == {"Typed for Belgium"}


def test_range_and_kind_filters(store: Store) -> None:
    _typed(store, "Custom", date(2000, 4, 1))
    save_anniversary(
        store,
        Anniversary(AnniversaryKind.TREATY, "Treaty", date(2000, 4, 2)),
    )
    query = UpcomingQuery(date(2022, 3, 1), until=date(2022, 4, 1))
    assert [i.anniversary.title for i in upcoming_items(store, query)] == ["Custom"]
    query = UpcomingQuery(
        date(2022, 1, 1), until=date(2022, 12, 31), kinds=frozenset({AnniversaryKind.TREATY})
    )
    assert [i.anniversary.title for i in upcoming_items(store, query)] == ["Treaty"]
    with pytest.raises(ValidationError, match="before its start"):
        upcoming_items(store, UpcomingQuery(date(2022, 3, 1), until=date(2022, 2, 1)))
    with pytest.raises(ValidationError, match="shorter"):
        upcoming_items(store, UpcomingQuery(date(2022, 3, 1), until=date(2042, 2, 1)))


# --- typed anniversaries ------------------------------------------------------------------------
def test_typed_anniversary_save_edit_delete_restore(store: Store) -> None:
    saved = _typed(store, "Signing of the <Astana> & Minsk treaty", date(1999, 10, 3), notes="x")
    assert saved.id is not None
    listing = get_anniversary(store, saved.id)
    assert not listing.derived
    assert listing.anniversary.title == "Signing of the <Astana> & Minsk treaty"

    edited = store.anniversaries.get(saved.id)
    edited.title = "Сигнинг: Қазақстан — Беларусь"
    edited.lead_days = 21
    save_anniversary(store, edited)
    again = store.anniversaries.get(saved.id)
    assert (again.title, again.lead_days, again.version) == (edited.title, 21, 2)

    stale = store.anniversaries.get(saved.id)
    stale.version = 1
    with pytest.raises(ConflictError, match="changed by someone else"):
        save_anniversary(store, stale)

    delete_anniversary(store, saved.id)
    assert upcoming_anniversaries(store, date(2022, 1, 1), 365) == []
    restore_anniversary(store, saved.id)
    assert len(upcoming_anniversaries(store, date(2022, 1, 1), 365)) == 1


def test_bad_input_changes_nothing(store: Store) -> None:
    for bad, message in (
        (Anniversary(AnniversaryKind.CUSTOM, "  ", date(2000, 1, 1)), "title"),
        (Anniversary(AnniversaryKind.CUSTOM, "Two\nlines", date(2000, 1, 1)), "single line"),
        (Anniversary(AnniversaryKind.CUSTOM, "Lead", date(2000, 1, 1), lead_days=-1), "lead"),
        (Anniversary(AnniversaryKind.CUSTOM, "Nul\x00", date(2000, 1, 1)), "NUL"),
        (
            Anniversary(AnniversaryKind.CUSTOM, "Gone", date(2000, 1, 1), country_id=10**9),
            "no longer",
        ),
    ):
        with pytest.raises(ValidationError, match=message):
            save_anniversary(store, bad)
    assert store.anniversaries.all() == []


def test_derived_anniversaries_keep_their_date_and_cannot_be_deleted(demo_store: Store) -> None:
    relations = demo_store.anniversaries.listings(kinds=[AnniversaryKind.DIPLOMATIC_RELATIONS])[
        0
    ].anniversary
    assert relations.id is not None
    edited = demo_store.anniversaries.get(relations.id)
    edited.title = "Renamed"
    edited.base_date = date(2000, 1, 1)
    edited.lead_days = 150
    edited.notes = "Letter from the Speaker"
    save_anniversary(demo_store, edited)
    again = demo_store.anniversaries.get(relations.id)
    assert again.title == "Kazakhstan–Belarus diplomatic relations"
    assert again.base_date == date(1992, 9, 16)
    assert (again.lead_days, again.notes) == (150, "Letter from the Speaker")
    with pytest.raises(ValidationError, match="country's record"):
        delete_anniversary(demo_store, relations.id)
    # Renaming our own country renames every relations anniversary it is in.
    ours = demo_store.countries.find("Kazakhstan")
    assert ours is not None
    ours.name = "Republic of Kazakhstan"
    with demo_store.transaction():
        demo_store.countries.save(ours)
    renamed = demo_store.anniversaries.get(relations.id)
    assert renamed.title == "Republic of Kazakhstan–Belarus diplomatic relations"


def test_an_anniversary_with_actions_due_on_it_is_not_deleted(store: Store) -> None:
    saved = _typed(store, "Treaty", date(1999, 10, 3))
    create_action_for(store, saved.id or 0, date(2022, 10, 3))
    with pytest.raises(ValidationError, match="1 agreed action falls due"):
        delete_anniversary(store, saved.id or 0)
    assert len(store.anniversaries.all()) == 1


# --- what is read stays current -----------------------------------------------------------------
def test_the_view_follows_changes_in_this_and_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    first = Store.open(path)
    second = Store.open(path)
    try:
        _typed(first, "First", date(2000, 6, 10))
        assert len(upcoming_anniversaries(first, AS_OF, 365)) == 1  # read and kept
        _typed(first, "Second", date(2000, 6, 11))
        assert len(upcoming_anniversaries(first, AS_OF, 365)) == 2
        _typed(second, "From another window", date(2000, 6, 12))
        assert len(upcoming_anniversaries(first, AS_OF, 365)) == 3
        first.anniversaries.forget()
        assert len(upcoming_anniversaries(first, AS_OF, 365)) == 3
        # Read inside a transaction that is then rolled back: nothing of it is kept.
        with pytest.raises(RuntimeError), first.transaction():
            first.anniversaries.save(Anniversary(AnniversaryKind.CUSTOM, "Gone", date(2000, 6, 13)))
            assert len(upcoming_anniversaries(first, AS_OF, 365)) == 4
            raise RuntimeError
        assert len(upcoming_anniversaries(first, AS_OF, 365)) == 3
    finally:
        first.close()
        second.close()


_LEAP_BASE = [(date(1996, 2, 29), True), (date(2000, 2, 29), False)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(_LEAP_BASE, date(2023, 2, 1), 28, LeapDayRule.FEB_28)
@example(_LEAP_BASE, date(2023, 3, 1), 30, LeapDayRule.MAR_1)
@example(
    [(date(1991, 12, 16), True), (date(1992, 1, 2), False)],
    date(2022, 12, 20),
    30,
    LeapDayRule.FEB_28,
)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31))
            | st.sampled_from([date(1996, 2, 29), date(2000, 2, 28), date(2004, 3, 1)]),
            st.booleans(),
        ),
        max_size=25,
    ),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.sampled_from([1, 7, 30, 61, 62, 90, 364, 365, 400]),
    st.sampled_from(list(LeapDayRule)),
)
def test_the_database_window_never_loses_an_occurrence(
    bases: list[tuple[date, bool]], as_of: date, days: int, rule: LeapDayRule
) -> None:
    store = Store.open(":memory:")
    try:
        store.settings.set("leap_day_rule", rule.value)
        saved = []
        with store.transaction():
            for number, (base, year_known) in enumerate(bases):
                day: date | MonthDay = base if year_known else MonthDay(base.month, base.day)
                saved.append(
                    store.anniversaries.save(Anniversary(AnniversaryKind.CUSTOM, f"A{number}", day))
                )
        expected = upcoming(saved, as_of, days, rule)
        found = upcoming_anniversaries(store, as_of, days)
        assert sorted((o.anniversary.id, o.date) for o in found) == sorted(
            (o.anniversary.id, o.date) for o in expected
        )
        assert all(as_of <= o.date <= as_of + timedelta(days=days - 1) for o in found)
    finally:
        store.close()


def test_both_rules_are_saved_together_or_neither(store: Store) -> None:
    from protocol_desk.services.anniversaries import save_rules

    with pytest.raises(ValidationError):
        save_rules(store, LeapDayRule.MAR_1, "five", "10, 25")
    assert leap_day_rule(store) is LeapDayRule.FEB_28
    rules = save_rules(store, LeapDayRule.MAR_1, "10", "25, 50")
    assert leap_day_rule(store) is LeapDayRule.MAR_1 and rules.jubilees.every == 10
    assert jubilee_rule(store).major == rules.jubilees.major


def test_a_file_from_before_the_index_of_days_gets_it(db_path: Path) -> None:
    old = Database(sqlite3.connect(db_path, isolation_level=None))
    migrations.apply(old, stop_before="0008_anniversary_days_with_dates")
    old.execute(
        "INSERT INTO anniversary (uid, kind, title, base_date, base_month_day, deleted_at)"
        " VALUES ('a1', 'custom', 'Құрылған күні', '1992-03-14', '03-14', NULL),"
        " ('a2', 'custom', 'In the bin', '1992-03-15', '03-15', '2024-01-01T00:00:00'),"
        " ('a3', 'birthday', 'Туған күні', '--02-29', '02-29', NULL)"
    )
    old.conn.close()
    store = Store.open(db_path)
    try:
        query = (
            "SELECT a.base_date FROM anniversary a WHERE a.deleted_at IS NULL"
            " AND a.base_month_day BETWEEN '03-01' AND '03-31'"
        )
        plan = " ".join(r[3] for r in store.db.execute(f"EXPLAIN QUERY PLAN {query}"))
        assert "COVERING INDEX anniversary_month_day_dates" in plan
        assert store.db.execute(query).fetchall() == [("1992-03-14",)]
        # Counted from the file, the bin left out and 29 February let through.
        found = store.anniversaries.base_dates(date(2023, 3, 1), date(2023, 3, 31))
        assert sorted(map(str, found)) == sorted(["1992-03-14", str(MonthDay(2, 29))])
    finally:
        store.close()
