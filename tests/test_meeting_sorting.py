"""The meetings list sorted by counterpart, city or kind: dictionary order, Kazakh letters in
their place (Қ after К, not after Я), Ł with L, upper and lower case together."""

from __future__ import annotations

from datetime import date

import pytest

from protocol_desk.domain.models import Meeting, Participant, Person
from protocol_desk.domain.text import sort_key
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store
from protocol_desk.store.meetings import MeetingFilter, MeetingRow

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
