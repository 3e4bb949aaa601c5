"""The meetings list's query plans (store/search.py) give exactly the rows and counts of the
plain queries, whichever plan the sizes pick, on a generated office."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from protocol_desk.bench.data import COMMON_WORD, RARE_WORDS
from protocol_desk.bench.generate import generate
from protocol_desk.domain.listing import MeetingFilter
from protocol_desk.domain.models import Meeting
from protocol_desk.store import Store, search
from protocol_desk.store.meetings import SORT_COLUMNS
from protocol_desk.store.spellings import other_spellings

MEETINGS = 1_500
TODAY = date(2024, 3, 15)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("search") / "office.sqlite"
    generate(path, MEETINGS, seed=3, today=TODAY)
    store = Store.open(path)
    # A few meetings in the bin, which every plan must leave out (or list alone).
    with store.transaction():
        for meeting_id in range(1, 60, 3):
            store.meetings.delete(meeting_id)
    yield store
    store.close()


def plain(store: Store, flt: MeetingFilter, order_by: str, descending: bool) -> list[int]:
    """The straightforward query the plans must agree with."""
    clauses = ["m.deleted_at IS NOT NULL" if flt.deleted else "m.deleted_at IS NULL"]
    params: list[object] = []
    words = [w for w in search.index_tokens(flt.text) if len(w) >= search.MIN_WORD]
    if words:
        # The index's key holds the meeting's id in its low 32 bits (migration 0006).
        clauses.append(
            "m.id IN (SELECT rowid & 4294967295 FROM meeting_fts WHERE meeting_fts MATCH ?)"
        )
        # Each word as typed, or one of the other spellings of the name it is (spellings.py).
        params.append(
            " AND ".join(
                "("
                + " OR ".join(
                    [f'"{w}"*', *(f'"{o}"' for o in other_spellings(store.db, w) if len(w) > 2)]
                )
                + ")"
                for w in words
            )
        )
    if flt.person_id is not None:
        clauses.append("m.id IN (SELECT meeting_id FROM participant WHERE person_id = ?)")
        params.append(flt.person_id)
    if flt.organisation_id is not None:
        clauses.append("m.id IN (SELECT meeting_id FROM participant WHERE organisation_id = ?)")
        params.append(flt.organisation_id)
    if flt.country_id is not None:
        clauses.append(
            "(m.country_id = ? OR m.id IN (SELECT pa.meeting_id FROM participant pa"
            " JOIN person pe ON pe.id = pa.person_id"
            " WHERE pe.country_id = ? AND pa.side = 'counterpart'))"
        )
        params += [flt.country_id, flt.country_id]
    if flt.kind:
        clauses.append("m.kind = ?")
        params.append(flt.kind)
    if flt.date_from:
        clauses.append("m.date >= ?")
        params.append(flt.date_from.isoformat())
    if flt.date_to:
        clauses.append("m.date <= ?")
        params.append(flt.date_to.isoformat())
    column = SORT_COLUMNS[order_by]
    direction = "DESC" if descending else "ASC"
    # Meetings without a value come after the rest, in either direction.
    blanks_last = "" if order_by == "date" else f"{column} = '', "
    rows = store.db.execute(
        "SELECT m.id FROM meeting m LEFT JOIN country c ON c.id = m.country_id"
        f" WHERE {' AND '.join(clauses)} ORDER BY {blanks_last}{column} {direction},"
        f" m.id {direction}",
        params,
    ).fetchall()
    return [r[0] for r in rows]


def paged(store: Store, flt: MeetingFilter, order_by: str, descending: bool) -> list[int]:
    ids: list[int] = []
    after = None
    while True:
        page = store.meetings.page(
            flt, order_by=order_by, descending=descending, after=after, limit=97
        )
        ids += [r.id for r in page.rows]
        after = page.next_after
        if after is None:
            return ids


def filters(store: Store) -> list[MeetingFilter]:
    db = store.db
    person = db.execute(
        "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    organisation = db.execute(
        "SELECT organisation_id FROM participant WHERE organisation_id IS NOT NULL"
        " GROUP BY organisation_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    country = db.execute("SELECT id FROM country WHERE iso_code = 'RU'").fetchone()[0]
    # An organisation with two participants at one meeting: still one meeting.
    shared = db.execute(
        "SELECT organisation_id FROM participant WHERE organisation_id IS NOT NULL"
        " GROUP BY meeting_id, organisation_id HAVING count(*) > 1 LIMIT 1"
    ).fetchone()[0]
    # Days that have meetings, so both ends of a range are tried with meetings on them.
    days = [date.fromisoformat(r[0]) for r in db.execute("SELECT DISTINCT date FROM meeting")]
    days.sort()
    early, middle = days[len(days) // 4], days[len(days) // 2]
    return [
        MeetingFilter(text=COMMON_WORD, date_from=early, date_to=middle),
        MeetingFilter(text="trade Astana", date_to=middle),
        MeetingFilter(text=COMMON_WORD, date_from=middle, person_id=person),
        MeetingFilter(organisation_id=shared),
        MeetingFilter(),
        MeetingFilter(text=COMMON_WORD),
        MeetingFilter(text="co"),
        MeetingFilter(text="coop"),
        MeetingFilter(text=RARE_WORDS[0]),
        MeetingFilter(text="trade Astana"),
        MeetingFilter(text="Қасымов"),
        MeetingFilter(text="ПА сотрудн"),
        MeetingFilter(text="kul-mukh"),
        MeetingFilter(text="nothing-like-this"),
        MeetingFilter(person_id=person),
        MeetingFilter(organisation_id=organisation),
        MeetingFilter(country_id=country),
        MeetingFilter(kind="talks"),
        MeetingFilter(text=COMMON_WORD, kind="talks"),
        MeetingFilter(text=COMMON_WORD, person_id=person),
        MeetingFilter(text=COMMON_WORD, country_id=country),
        MeetingFilter(country_id=country, organisation_id=organisation),
        MeetingFilter(deleted=True),
        MeetingFilter(deleted=True, text="the"),
    ]


@pytest.mark.parametrize(
    ("few", "most"),
    [(3_000, 100_000), (5, 400), (1, 2), (5, None)],
    ids=["office thresholds", "walk with the set", "ask each meeting", "weighed by sizes"],
)
def test_every_plan_gives_the_plain_rows_and_counts(
    office: Store, monkeypatch: pytest.MonkeyPatch, few: int, most: int | None
) -> None:
    monkeypatch.setattr(search, "FEW", few)
    monkeypatch.setattr(search, "MOST", most)
    monkeypatch.setattr(search, "SAMPLE", 500)  # estimate on a sample here too
    for flt in filters(office):
        for order_by in SORT_COLUMNS:
            for descending in (True, False):
                expected = plain(office, flt, order_by, descending)
                assert paged(office, flt, order_by, descending) == expected, (flt, order_by)
        assert office.meetings.count(flt) == len(plain(office, flt, "date", True)), flt


def test_searches_find_what_was_typed(office: Store) -> None:
    found = office.meetings.page(MeetingFilter(text=COMMON_WORD), limit=50).rows
    assert len(found) == 50
    dates = [r.date for r in found]
    assert dates == sorted(dates, reverse=True)
    # A Kazakh surname in any case, and cut short.
    name = office.db.execute(
        "SELECT n.name FROM person_name n JOIN participant p ON p.person_id = n.person_id"
        " WHERE n.name GLOB '*[ӘҒҚҢӨҰҮІ]*' LIMIT 1"
    ).fetchone()[0]
    surname = name.split()[-1]
    exact = office.meetings.count(MeetingFilter(text=surname.lower()))
    assert exact > 0
    assert office.meetings.count(MeetingFilter(text=surname.upper())) == exact
    assert office.meetings.count(MeetingFilter(text=surname[:4].upper())) >= exact


def test_single_letters_are_not_searched(office: Store) -> None:
    everything = office.meetings.count(MeetingFilter())
    assert office.meetings.count(MeetingFilter(text="Ә")) == everything
    assert office.meetings.count(MeetingFilter(text="a co")) == office.meetings.count(
        MeetingFilter(text="co")
    )


def test_typed_words_become_exact_words_of_the_index(office: Store) -> None:
    query = search.plan_query(office.db, "Coop")
    assert query is not None and query.cheap
    assert '"cooperation"' in query.match and "*" not in query.match
    short = search.plan_query(office.db, "па")
    assert short is not None and short.match == '"па"*'
    assert search.plan_query(office.db, "- * “ ”") is None
    # Quotes and FTS5 operators typed by the user are plain words, never syntax.
    office.meetings.count(MeetingFilter(text='"AND OR NOT" NEAR( col:x ^y'))


def test_the_index_folds_words_as_the_search_does() -> None:
    assert search.index_tokens("ҚАЗАҚСТАН Kazakhstan’s É") == ("қазақстан", "kazakhstan", "s", "e")


def test_counting_can_stop_at_a_limit(office: Store) -> None:
    for flt in filters(office):
        exact = office.meetings.count(flt)
        for limit in (1, 7, exact, exact + 5):
            assert office.meetings.count(flt, limit=limit) == min(exact, limit), (flt, limit)


def test_a_word_saved_by_another_window_is_found_at_once(tmp_path: Path) -> None:
    """Plans are remembered per file version: a colleague's new word is never missed."""
    path = tmp_path / "shared.sqlite"
    mine, theirs = Store.open(path), Store.open(path)
    try:
        with mine.transaction():
            mine.meetings.save(Meeting(date=date(2024, 1, 10), subject="Geothermal plants"))
        assert mine.meetings.count(MeetingFilter(text="geoth")) == 1
        with theirs.transaction():
            theirs.meetings.save(Meeting(date=date(2024, 1, 11), subject="Geothermics forum"))
        assert mine.meetings.count(MeetingFilter(text="geoth")) == 2
        found = mine.meetings.page(MeetingFilter(text="Geoth")).rows
        assert [r.subject for r in found] == ["Geothermics forum", "Geothermal plants"]
        with mine.transaction():
            mine.meetings.save(Meeting(date=date(2024, 1, 12), subject="Geothermic survey"))
        assert mine.meetings.count(MeetingFilter(text="geoth")) == 3
    finally:
        mine.close()
        theirs.close()


def test_several_words_are_weighed_by_their_own_counts(
    office: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Collecting a search of two words reads both words' matches: the more each word has on
    its own, the sooner asking about each meeting wins."""
    monkeypatch.setattr(search, "SAMPLE", 500)
    monkeypatch.setattr(search, "FEW", 1)
    meetings = search.meetings_estimate(office.db)
    one = search.plan_query(office.db, COMMON_WORD)
    two = search.plan_query(office.db, f"{COMMON_WORD} the")
    assert one is not None and two is not None and len(two.groups) == 2
    assert search.text_most(office.db, search.text_set(one), meetings) == search.most_for(meetings)
    # The sample: from the 500th newest live meeting on, by date (with any in the bin there).
    newest = office.db.execute(
        "SELECT id, date FROM meeting WHERE deleted_at IS NULL ORDER BY date DESC, id DESC"
        " LIMIT 500"
    ).fetchall()
    floor = (newest[-1][1], newest[-1][0])
    assert search.sample_floor(office.db) == search.text_key(date.fromisoformat(floor[0]), floor[1])
    sample = {
        meeting_id
        for meeting_id, day in office.db.execute("SELECT id, date FROM meeting")
        if (day, meeting_id) >= floor
    }
    counts = [
        len(
            sample
            & {
                r[0] & search.ID_MASK
                for r in office.db.execute(
                    "SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ?", [group]
                )
            }
        )
        * meetings
        // 500
        for group in two.groups
    ]
    expected = min(int(127 * 2 * meetings**1.5 / sum(counts)), meetings + 1)
    assert search.text_most(office.db, search.text_set(two), meetings) == expected


def _vocabulary(store: Store, table: str) -> set[str]:
    return {str(r[0]) for r in store.db.execute(f"SELECT term FROM {table}")}


def test_the_search_vocabulary_holds_every_indexed_word(office: Store) -> None:
    # Filled from the index after a bulk load (and by migration 0005 for an older file).
    assert _vocabulary(office, "meeting_term") == _vocabulary(office, "meeting_fts_terms")


def test_a_saved_meetings_words_join_the_search_vocabulary(store: Store) -> None:
    with store.transaction():
        store.meetings.save(
            Meeting(date=date(2024, 3, 1), subject="Ақтөбе hydrogeothermics roundtable")
        )
    assert {"ақтөбе", "hydrogeothermics"} <= _vocabulary(store, "meeting_term")
    assert _vocabulary(store, "meeting_term") == _vocabulary(store, "meeting_fts_terms")
    query = search.plan_query(store.db, "hydrogeo")
    assert query is not None and query.cheap and '"hydrogeothermics"' in query.match
    assert store.meetings.count(MeetingFilter(text="АҚТӨ")) == 1


def test_a_common_word_is_asked_about_a_small_sets_meetings_not_collected(
    office: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Collecting the word's matches to keep a handful of meetings would read most of the
    # index; asking about each of the handful reads a little of it each time.
    monkeypatch.setattr(search, "SAMPLE", 500)
    person = office.db.execute(
        "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*), person_id LIMIT 1"
    ).fetchone()[0]
    query = search.plan_query(office.db, COMMON_WORD)
    assert query is not None and query.cheap
    sets = search.filter_sets(query, None, person, None)
    for plan in (
        search.choose_plan(office.db, sets, True),
        search.count_plan(office.db, sets, True),
    ):
        assert plan.first == "person" and plan.each == ("text",) and not plan.walk
    # The busiest person's meetings are too many to ask about one by one: the word's
    # matches are collected once.
    busiest = office.db.execute(
        "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    sets = search.filter_sets(query, None, busiest, None)
    plan = search.choose_plan(office.db, sets, True)
    assert plan.first == "person" and plan.each == ()


def _steps(store: Store, read: Callable[[], object]) -> int:
    """How many SQLite virtual machine steps (in thousands) ``read`` takes."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    store.db.conn.set_progress_handler(tick, 1000)
    try:
        read()
    finally:
        store.db.conn.set_progress_handler(None, 0)
    return steps[0]


@pytest.mark.parametrize("descending", [False, True])
def test_a_common_word_sorted_by_country_reads_a_page_not_the_office(
    office: Store, monkeypatch: pytest.MonkeyPatch, descending: bool
) -> None:
    # Asked about each meeting of the whole office and then sorted, a page of a word in most
    # meetings cost seconds at 100,000 meetings; walking the countries in order, the page
    # is full after a few hundred questions. (The thresholds of a big office, scaled down.)
    monkeypatch.setattr(search, "FEW", 5)
    monkeypatch.setattr(search, "MOST", 400)
    monkeypatch.setattr(search, "SAMPLE", 500)
    flt = MeetingFilter(text=COMMON_WORD)
    page = office.meetings.page(flt, order_by="country", descending=descending, limit=20)
    assert len(page.rows) == 20
    steps = {
        order_by: _steps(
            office,
            partial(office.meetings.page, flt, order_by=order_by, descending=descending, limit=20),
        )
        for order_by in ("country", "city")
    }
    # About what a page by city costs, which walks its index asking about each meeting.
    assert steps["country"] < 3 * steps["city"]


def test_a_small_sets_meetings_are_asked_about_in_the_lists_order_until_the_page_is_full(
    office: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asked about all of them and then sorted, a small country's 1,700 meetings and a common
    # word took 0.15 s a page at a million meetings; in order, a page is full much sooner.
    monkeypatch.setattr(search, "SAMPLE", 500)
    monkeypatch.setattr(search, "ASK_US", {"text": 0.01})  # asking beats collecting here
    busiest = office.db.execute(
        "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    flt = MeetingFilter(text=COMMON_WORD, person_id=busiest)
    query = search.plan_query(office.db, COMMON_WORD)
    plan = search.choose_plan(office.db, search.filter_sets(query, None, busiest, None), True)
    assert plan.first == "person" and plan.each == ("text",) and not plan.walk
    everything = office.meetings.count(flt)
    assert everything > 40
    for order_by in ("date", "city", "country"):
        for descending in (True, False):
            assert paged(office, flt, order_by, descending) == plain(
                office, flt, order_by, descending
            )
        page = partial(office.meetings.page, flt, order_by=order_by, limit=10)
        assert len(page().rows) == 10
        assert _steps(office, page) * 3 < _steps(office, partial(office.meetings.count, flt))
