"""The benchmark's generated office: the bulk writer's rows are the repositories' rows, and the
generated database is sound and usable by the app."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from protocol_desk.bench.data import COMMON_WORD, OfficeGenerator
from protocol_desk.bench.generate import generate
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import MeetingFilter
from protocol_desk.domain.models import (
    Anniversary,
    Country,
    Meeting,
    Organisation,
    Person,
    Side,
)
from protocol_desk.domain.text import sort_key
from protocol_desk.services.anniversaries import upcoming_anniversaries
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store, changelog
from protocol_desk.store.bulk import SortKeys, integrity_problems

TODAY = date(2024, 3, 15)
MEETINGS = 400

# Set by SQLite when the row is written, so they differ between two writes of the same record.
CLOCK_COLUMNS = {"created_at", "updated_at", "at", "changed_at"}
TABLES = (
    "setting",
    "country",
    "organisation",
    "person",
    "person_name",
    "position",
    "anniversary",
    "meeting",
    "participant",
    "meeting_source",
    "agreed_action",
    "action_status_change",
    "change_log",
)


class RepositorySink:
    """Writes the generated records the slow, ordinary way: through the repositories."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def setting(self, key: str, value: str) -> None:
        self.store.settings.set(key, value)

    def country(self, country: Country) -> int:
        saved = self.store.countries.save(country).id
        assert saved is not None
        return saved

    def organisation(self, organisation: Organisation) -> int:
        saved = self.store.organisations.save(organisation).id
        assert saved is not None
        return saved

    def international_body(self, short_name: str) -> int | None:
        found = self.store.organisations.find(short_name)
        return found.id if found is not None and found.country_id is None else None

    def person(self, person: Person) -> int:
        saved = self.store.people.save(person).id
        assert saved is not None
        return saved

    def anniversary(self, anniversary: Anniversary) -> int:
        saved = self.store.anniversaries.save(anniversary).id
        assert saved is not None
        return saved

    def meeting(self, meeting: Meeting) -> int:
        saved = self.store.meetings.save(meeting).id
        assert saved is not None
        return saved


def rows(store: Store, table: str) -> list[dict[str, object]]:
    found = store.db.execute(f"SELECT * FROM {table} ORDER BY rowid")
    columns = [d[0] for d in found.description]
    return [
        {c: v for c, v in zip(columns, r, strict=True) if c not in CLOCK_COLUMNS}
        for r in found.fetchall()
    ]


def fts_words(store: Store, table: str) -> list[tuple[int, Counter[str]]]:
    """Each full-text row as the multiset of its words per column (the index does not care
    in which order a meeting's participants' names were joined)."""
    found = store.db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid")
    return [
        (r[0], Counter(f"{n}:{w}" for n, value in enumerate(r[1:]) for w in value.split()))
        for r in found.fetchall()
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("bench") / "office.sqlite"
    result = generate(path, MEETINGS, seed=7, today=TODAY)
    assert result.counts["meeting"] == MEETINGS
    opened = Store.open(path)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def through_repositories() -> Iterator[Store]:
    store = Store.open(":memory:")
    with store.transaction():
        OfficeGenerator(MEETINGS, seed=7, today=TODAY).populate(RepositorySink(store))
    yield store
    store.close()


def test_generated_rows_are_exactly_the_repositories_rows(
    generated: Store, through_repositories: Store
) -> None:
    for table in TABLES:
        bulk, slow = rows(generated, table), rows(through_repositories, table)
        if table == "change_log":
            for row in (*bulk, *slow):
                # The chain's hashes cover the user and the moment: the same only if they are.
                for column in ("os_user", "prev_hash", "entry_hash"):
                    row.pop(column)
        assert len(bulk) == len(slow), table
        for mine, theirs in zip(bulk, slow, strict=True):
            assert mine == theirs, table
    for table in ("meeting_fts", "person_fts"):
        assert fts_words(generated, table) == fts_words(through_repositories, table), table
    # The bulk load chains its log entries as the repositories do.
    assert changelog.first_broken(generated.db.conn) is None
    assert changelog.first_broken(through_repositories.db.conn) is None


def test_generated_schema_is_the_apps_schema(generated: Store, through_repositories: Store) -> None:
    def schema(store: Store) -> set[tuple[str, ...]]:
        # (sqlite_stat1 comes and goes with the planner's statistics, kept when a store closes)
        rows = store.db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'"
        ).fetchall()
        return {tuple(r) for r in rows}

    assert schema(generated) == schema(through_repositories)


def test_generated_database_is_sound(generated: Store) -> None:
    assert integrity_problems(generated.db) == []
    assert generated.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_proportions_and_scripts(generated: Store) -> None:
    db = generated.db
    count = {
        t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("meeting", "person", "agreed_action")
    }
    assert count["person"] == MEETINGS // 5
    assert 0.3 * MEETINGS < count["agreed_action"] < 0.7 * MEETINGS
    birthdays = db.execute("SELECT count(*) FROM anniversary WHERE kind = 'birthday'").fetchone()
    assert birthdays[0] > 0
    summaries = [r[0] for r in db.execute("SELECT summary FROM meeting")]
    assert 200 < sum(map(len, summaries)) / len(summaries) < 700
    text = " ".join(summaries) + " ".join(r[0] for r in db.execute("SELECT name FROM person_name"))
    assert any(ch in text for ch in "ӘҒҚҢӨҰҮІәғқңөұүі")  # Kazakh
    assert "ы" in text and "e" in text  # Cyrillic and Latin


def test_generation_is_reproducible(tmp_path: Path, generated: Store) -> None:
    again = generate(tmp_path / "again.sqlite", MEETINGS, seed=7, today=TODAY)
    other = Store.open(again.path)
    try:
        assert rows(other, "meeting") == rows(generated, "meeting")
    finally:
        other.close()


def test_generate_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    path.write_bytes(b"anything")
    with pytest.raises(ValidationError):
        generate(path, 10)
    assert path.read_bytes() == b"anything"


def test_the_apps_queries_work_on_it(generated: Store) -> None:
    service = MeetingService(generated)
    page = service.page(MeetingFilter(), limit=50)
    assert len(page.rows) == 50
    dates = [r.date for r in page.rows]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] <= TODAY

    found = service.page(MeetingFilter(text=COMMON_WORD), limit=500).rows
    assert found and len(found) < MEETINGS
    for row in found[:20]:
        meeting = service.get(row.id)
        text = " ".join(
            [meeting.subject, meeting.summary, *meeting.topics]
            + [p.title for p in meeting.participants]
        )
        assert COMMON_WORD in text.lower()

    person_id = generated.db.execute(
        "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    theirs = service.page(MeetingFilter(person_id=person_id), limit=1000).rows
    assert theirs
    assert all(
        any(p.person_id == person_id for p in service.get(r.id).participants) for r in theirs[:10]
    )

    # A counterpart found by any spelling, in any script.
    person = generated.people.get(service.get(page.rows[0].id).participants[-1].person_id)
    assert person.side is Side.COUNTERPART
    for name in person.all_names():
        assert generated.people.find_by_name(name.upper()) is not None

    coming = upcoming_anniversaries(generated, TODAY, 365)
    assert coming
    assert [o.date for o in coming] == sorted(o.date for o in coming)


@pytest.mark.parametrize(
    "text",
    ["Ұлытау Әлия ҚҰЛ", "  Straße İstanbul ", "é e\u0301 Ё ё", "ǰ ﬁx Ａ", "Һакімов-Қасымов", ""],
)
def test_quick_sort_keys_equal_sort_key(text: str) -> None:
    keys = SortKeys()
    assert keys(text) == sort_key(text)
    assert keys(text.upper()) == sort_key(text.upper())
