"""Delegations and visits: the demo's visits, lists and filters, saving rules, the programme
day by day, and the bin."""

from __future__ import annotations

from datetime import date

import pytest

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.errors import ConflictError, ValidationError
from protocol_desk.domain.listing import DelegationFilter, VisitMeeting
from protocol_desk.domain.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    DelegationStatus,
    Meeting,
    Person,
    ProgrammeItem,
)
from protocol_desk.services.delegations import (
    HEAD_ROLE,
    DelegationService,
    normalise_time,
    programme_days,
)
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.people import PeopleService
from protocol_desk.store import Store


def visit_titles(store: Store, flt: DelegationFilter) -> list[str]:
    rows, _ = DelegationService(store).page(flt)
    return [r.title for r in rows]


def person(store: Store, name: str) -> int:
    found = store.people.find_by_name(name)
    if found is None:
        found = PeopleService(store).save(Person(full_name=name))
    assert found.id is not None
    return found.id


def plain_visit(**changes: object) -> Delegation:
    visit = Delegation(
        title="Visit of the Speaker to Minsk",
        direction=DelegationDirection.OUTGOING,
        start=date(2026, 2, 5),
        end=date(2026, 2, 6),
    )
    for key, value in changes.items():
        setattr(visit, key, value)
    return visit


# --- the demo ----------------------------------------------------------------------------------


def test_demo_has_the_turkpa_mission_with_its_meeting(demo_store: Store) -> None:
    service = DelegationService(demo_store)
    rows, _ = service.page(DelegationFilter(text="TurkPA"))
    assert len(rows) == 1
    detail = service.detail(rows[0].id)
    assert detail.delegation.start == date(2022, 11, 18)
    assert detail.delegation.direction is DelegationDirection.INCOMING
    assert detail.organisation == "TurkPA" and detail.country == ""
    assert detail.head == "Erol Kaya"
    assert [m.subject for m in detail.meetings] == [
        "Maulen Ashimbayev met with the observers of TurkPA"
    ]
    assert [(d.day, [e.title for e in d.entries]) for d in detail.days] == [
        (date(2022, 11, 18), ["Meeting with Senate President Maulen Ashimbayev"])
    ]


def test_demo_has_the_speakers_visit_to_belarus_with_three_meetings(demo_store: Store) -> None:
    service = DelegationService(demo_store)
    rows, _ = service.page(DelegationFilter(text="Belarus", direction=DelegationDirection.OUTGOING))
    assert [r.title for r in rows] == ["Visit of the Majilis Speaker Yerlan Koshanov to Belarus"]
    detail = service.detail(rows[0].id)
    assert detail.delegation.start == date(2026, 2, 6)
    assert len(detail.meetings) == 3
    (day,) = detail.days
    assert day.day == date(2026, 2, 6)
    assert len(day.entries) == 6
    assert sum(e.meeting_id is not None for e in day.entries) == 3
    assert "Visit to the Khatyn State Memorial Complex" in [e.title for e in day.entries]


# --- lists and filters -------------------------------------------------------------------------


def test_filters_by_text_in_any_script_direction_status_country_and_dates(
    demo_store: Store,
) -> None:
    belarus = demo_store.countries.find("Belarus")
    assert belarus is not None
    turkpa = "TurkPA Observer Mission to the early presidential election"
    speaker = "Visit of the Majilis Speaker Yerlan Koshanov to Belarus"
    assert visit_titles(demo_store, DelegationFilter()) == [speaker, turkpa]
    assert visit_titles(demo_store, DelegationFilter(text="Қошанов")) == [speaker]
    assert visit_titles(demo_store, DelegationFilter(text="observer MISSION")) == [turkpa]
    assert visit_titles(demo_store, DelegationFilter(direction=DelegationDirection.INCOMING)) == [
        turkpa
    ]
    assert visit_titles(demo_store, DelegationFilter(status=DelegationStatus.PLANNED)) == []
    assert visit_titles(demo_store, DelegationFilter(country_id=belarus.id)) == [speaker]
    assert visit_titles(
        demo_store, DelegationFilter(date_from=date(2022, 1, 1), date_to=date(2022, 12, 31))
    ) == [turkpa]
    assert visit_titles(demo_store, DelegationFilter(text="%")) == []


def test_a_visit_that_spans_the_period_start_is_in_it(store: Store) -> None:
    DelegationService(store).save(plain_visit(start=date(2025, 12, 30), end=date(2026, 1, 2)))
    assert visit_titles(store, DelegationFilter(date_from=date(2026, 1, 1))) == [
        "Visit of the Speaker to Minsk"
    ]
    assert visit_titles(store, DelegationFilter(date_from=date(2026, 1, 3))) == []


def test_pages_continue_latest_first(store: Store) -> None:
    service = DelegationService(store)
    with store.transaction():
        for n in range(250):
            store.delegations.save(
                plain_visit(title=f"Visit {n}", start=date(2020, 1, 1 + n % 28), end=None)
            )
    first, after = service.page(DelegationFilter(), limit=200)
    rest, end = service.page(DelegationFilter(), after=after, limit=200)
    assert end is None
    starts = [r.start for r in first + rest]
    assert starts == sorted(starts, reverse=True)
    assert len({r.id for r in first + rest}) == 250 == service.count(DelegationFilter())


# --- saving ------------------------------------------------------------------------------------


def test_end_before_start_is_refused_and_nothing_saved(store: Store) -> None:
    service = DelegationService(store)
    with pytest.raises(ValidationError) as raised:
        service.save(plain_visit(end=date(2026, 2, 1)))
    assert raised.value.field == "end"
    assert service.count(DelegationFilter()) == 0


def test_a_member_listed_twice_is_refused(store: Store) -> None:
    igor = person(store, "Igor Sergeyenko")
    with pytest.raises(ValidationError) as raised:
        DelegationService(store).save(
            plain_visit(
                members=[
                    DelegationMember(igor, "member", "Igor Sergeyenko"),
                    DelegationMember(igor, "adviser", "Igor Sergeyenko"),
                ]
            )
        )
    assert raised.value.field == "members"
    assert "Igor Sergeyenko is listed twice" in raised.value.message
    assert DelegationService(store).count(DelegationFilter()) == 0


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (ProgrammeItem(day=date(2026, 2, 7), title="Departure"), "outside the visit's dates"),
        (ProgrammeItem(day=date(2026, 2, 5), title="Arrival", time="25:00"), "not a time"),
        (ProgrammeItem(day=date(2026, 2, 5), title="  "), "needs a title"),
    ],
)
def test_bad_programme_items_are_refused(store: Store, item: ProgrammeItem, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        DelegationService(store).save(plain_visit(programme=[item]))
    assert raised.value.field == "programme"
    assert message in raised.value.message
    assert DelegationService(store).count(DelegationFilter()) == 0


def test_times_are_written_the_office_way() -> None:
    assert normalise_time("9:30") == "09:30"
    assert normalise_time("09.30") == "09:30"
    assert normalise_time(" ") is None
    with pytest.raises(ValidationError):
        normalise_time("9:75")


def test_the_head_is_always_a_member(store: Store) -> None:
    head = person(store, "Yerlan Koshanov")
    saved = DelegationService(store).save(plain_visit(head_person_id=head))
    assert [(m.person_id, m.role) for m in saved.members] == [(head, HEAD_ROLE)]


def test_a_stale_copy_is_a_conflict(store: Store) -> None:
    service = DelegationService(store)
    saved = service.save(plain_visit())
    assert saved.id is not None
    mine, theirs = service.get(saved.id), service.get(saved.id)
    theirs.status = DelegationStatus.CONFIRMED
    service.save(theirs)
    mine.city = "Minsk"
    with pytest.raises(ConflictError):
        service.save(mine)
    assert service.get(saved.id).city == ""


def test_a_meeting_in_the_programme_becomes_one_of_the_visits_meetings(store: Store) -> None:
    meeting = MeetingService(store).save(Meeting(date=date(2026, 2, 6), subject="Talks in Minsk"))
    service = DelegationService(store)
    probe = plain_visit()
    assert [m.id for m in service.candidate_meetings(probe)] == [meeting.id]
    saved = service.save(
        plain_visit(
            programme=[ProgrammeItem(day=date(2026, 2, 6), title="Talks", meeting_id=meeting.id)]
        )
    )
    assert saved.id is not None
    assert store.meetings.get(meeting.id or 0).delegation_id == saved.id
    assert [m.id for m in service.meetings(saved.id)] == [meeting.id]


def test_members_and_programme_changes_are_logged(store: Store) -> None:
    service = DelegationService(store)
    interpreter = person(store, "Aigerim Interpreter")
    saved = service.save(
        plain_visit(programme=[ProgrammeItem(day=date(2026, 2, 5), title="Arrival")])
    )
    saved.members = [DelegationMember(interpreter, "interpreter")]
    saved.programme.append(ProgrammeItem(day=date(2026, 2, 6), title="Departure"))
    service.save(saved)
    fields = {
        r[0]
        for r in store.db.execute(
            "SELECT field FROM change_log WHERE table_name = 'delegation' AND operation = 'update'"
        )
    }
    assert {"members", "programme"} <= fields


# --- the programme day by day ------------------------------------------------------------------


def test_programme_days_in_time_order_with_untimed_items_after() -> None:
    visit = plain_visit(
        start=date(2026, 2, 5),
        end=date(2026, 2, 7),
        programme=[
            ProgrammeItem(day=date(2026, 2, 6), title="Site visit", time=None),
            ProgrammeItem(day=date(2026, 2, 6), title="Talks", time="15:00", meeting_id=7),
            ProgrammeItem(day=date(2026, 2, 5), title="Arrival", time="22:40"),
            ProgrammeItem(day=date(2026, 2, 6), title="Wreath laying", time="09:00"),
        ],
    )
    meetings = [
        VisitMeeting(
            7, date(2026, 2, 6), Precision.DAY, "15:00", "Talks with the Chairman", "", "Minsk"
        ),
        VisitMeeting(
            8, date(2026, 2, 6), Precision.DAY, "11:00", "Meeting at the Council", "Hall", ""
        ),
    ]
    days = programme_days(visit, meetings)
    assert [d.day for d in days] == [date(2026, 2, 5), date(2026, 2, 6), date(2026, 2, 7)]
    assert [e.title for e in days[0].entries] == ["Arrival"]
    assert [(e.time, e.title) for e in days[1].entries] == [
        ("09:00", "Wreath laying"),
        ("11:00", "Meeting at the Council"),
        ("15:00", "Talks"),
        (None, "Site visit"),
    ]
    assert days[2].entries == []  # an empty day is shown as such, not left out


# --- the bin -----------------------------------------------------------------------------------


def test_delete_moves_to_the_bin_and_restore_brings_back(demo_store: Store) -> None:
    service = DelegationService(demo_store)
    rows, _ = service.page(DelegationFilter(text="TurkPA"))
    visit_id = rows[0].id
    service.delete(visit_id)
    assert visit_titles(demo_store, DelegationFilter(text="TurkPA")) == []
    assert visit_titles(demo_store, DelegationFilter(deleted=True)) == [rows[0].title]
    assert service.detail(visit_id).deleted
    # The meeting of the visit stays, still pointing at it.
    assert [
        m.delegation_id
        for m in map(demo_store.meetings.get, demo_store.meetings.all_ids())
        if m.subject.endswith("TurkPA")
    ] == [visit_id]
    service.restore(visit_id)
    assert visit_titles(demo_store, DelegationFilter(text="TurkPA")) == [rows[0].title]
    operations = [
        r[0]
        for r in demo_store.db.execute(
            "SELECT operation FROM change_log WHERE table_name = 'delegation'"
            " AND operation IN ('delete', 'restore') ORDER BY id"
        )
    ]
    assert operations == ["delete", "restore"]
