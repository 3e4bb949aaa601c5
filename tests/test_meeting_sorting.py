"""The meetings list sorted by counterpart, city or kind: dictionary order, Kazakh letters in
their place (Қ after К, not after Я), Ł with L, upper and lower case together."""

from __future__ import annotations

from datetime import date

import pytest

from protocol_desk.domain.listing import MeetingFilter, MeetingRow
from protocol_desk.domain.models import Country, Meeting, Participant, Person
from protocol_desk.domain.text import sort_key
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store

COUNTERPARTS = ["Қасым Тоқаев", "Łukasz Nowak", "Ян Бекер", "Zofia Lis", "Кайрат Ахметов", "aliya"]
CITIES = ["Шымкент", "Қарағанды", "Łódź", "Lublin", "Ақтау", "Алматы", "Zürich", "almaty"]
KINDS = ["кездесу", "Қабылдау", "talks", "Ұсыныс", "audience", "Уполномоченный"]


def _office(store: Store) -> None:
    with store.transaction():
        people = []
        for name in COUNTERPARTS:
            person = store.people.save(Person(full_name=name))
            assert person.id is not None
            people.append(person.id)
    service = MeetingService(store)
    for n in range(18):
        service.save(
            Meeting(
                date=date(2022, 1 + n % 12, 1 + n),
                subject=f"Meeting {n}",
                city=CITIES[n % len(CITIES)],
                kind=KINDS[n % len(KINDS)],
                participants=[Participant(person_id=people[n % len(people)])],
            )
        )


@pytest.mark.parametrize("order_by", ["counterpart", "city", "kind"])
@pytest.mark.parametrize("descending", [False, True])
def test_text_columns_sort_in_dictionary_order(
    store: Store, order_by: str, descending: bool
) -> None:
    _office(store)
    service = MeetingService(store)
    rows: list[MeetingRow] = []
    after = None
    while True:
        page = service.page(
            MeetingFilter(), order_by=order_by, descending=descending, after=after, limit=4
        )
        rows += page.rows
        if page.next_after is None:
            break
        after = page.next_after
    assert len(rows) == 18 and len({r.id for r in rows}) == 18
    keys = [(sort_key(getattr(r, order_by)), r.id) for r in rows]
    assert keys == sorted(keys, reverse=descending)
    shown = list(dict.fromkeys(getattr(r, order_by) for r in rows))
    if order_by == "city" and not descending:
        # Ақтау before Алматы (Қ sits between К and Л), both before Қарағанды, then Шымкент;
        # Łódź beside Lublin.
        assert shown.index("Қарағанды") < shown.index("Шымкент")
        assert shown.index("Ақтау") < shown.index("Алматы") < shown.index("Қарағанды")
        assert abs(shown.index("Łódź") - shown.index("Lublin")) == 1
        # Lower case among the rest, not after Z.
        assert shown.index("almaty") < shown.index("Lublin") < shown.index("Zürich")


def test_the_keys_follow_edits(store: Store) -> None:
    _office(store)
    meeting = store.meetings.get(1)
    meeting.city, meeting.kind = "Өскемен", "Ресми сапар"
    MeetingService(store).save(meeting)
    row = store.db.execute(
        "SELECT city_sort, kind_sort, counterpart_sort, counterpart FROM meeting WHERE id = 1"
    ).fetchone()
    assert tuple(row[:3]) == (sort_key("Өскемен"), sort_key("Ресми сапар"), sort_key(row[3]))


def _office_with_blanks(store: Store) -> None:
    """Twelve meetings, some with no city, no kind or no country; all share the word "visit"."""
    with store.transaction():
        countries = [
            store.countries.save(Country(name=name)).id for name in ("Қазақстан", "Belgium")
        ]
    service = MeetingService(store)
    for n in range(12):
        service.save(
            Meeting(
                date=date(2023, 1 + n, 10),
                subject=f"Working visit {n}",
                city="" if n % 3 == 0 else CITIES[n % len(CITIES)],
                kind="" if n % 4 == 0 else KINDS[n % len(KINDS)],
                country_id=None if n % 2 == 0 else countries[n % 4 // 2],
            )
        )


def _shown(row: MeetingRow, order_by: str) -> str:
    return str(getattr(row, order_by))


@pytest.mark.parametrize("order_by", ["city", "kind", "country"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("text", ["", "visit"])
def test_meetings_without_a_value_come_last_either_way(
    store: Store, order_by: str, descending: bool, text: str
) -> None:
    _office_with_blanks(store)
    service = MeetingService(store)
    rows: list[MeetingRow] = []
    after = None
    while True:  # pages of five: the blanks start inside a page and run over the next
        page = service.page(
            MeetingFilter(text=text),
            order_by=order_by,
            descending=descending,
            after=after,
            limit=5,
        )
        rows += page.rows
        if page.next_after is None:
            break
        after = page.next_after
    assert sorted(r.id for r in rows) == list(range(1, 13))
    values = [_shown(r, order_by) for r in rows]
    blanks = values.count("")
    assert 0 < blanks < len(values)
    assert values[-blanks:] == [""] * blanks  # the blanks, and only they, at the end
    given = [(sort_key(v), r.id) for v, r in zip(values, rows, strict=True) if v]
    assert given == sorted(given, reverse=descending)
    blank_ids = [r.id for r in rows[-blanks:]]
    assert blank_ids == sorted(blank_ids, reverse=descending)
