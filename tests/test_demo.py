"""Every fact the demo dataset takes from the seed press releases."""

from __future__ import annotations

from datetime import date

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.listing import MeetingFilter
from protocol_desk.domain.models import ActionStatus, DelegationDirection, Side
from protocol_desk.services.anniversaries import upcoming_anniversaries
from protocol_desk.services.exchange import export_data
from protocol_desk.store import Store


def _person(store: Store, name: str):  # type: ignore[no-untyped-def]
    person = store.people.find_by_name(name)
    assert person is not None, name
    return person


def test_the_june_2022_meeting_is_one_meeting_with_two_sources(demo_store: Store) -> None:
    kul = _person(demo_store, "Mukhtar Kul-Mukhammed")
    rachkov = _person(demo_store, "Sergey Rachkov")
    meetings = demo_store.meetings.page(MeetingFilter(person_id=rachkov.id)).rows
    assert len(meetings) == 1
    meeting = demo_store.meetings.get(meetings[0].id)
    assert meeting.date == date(2022, 6, 6)
    assert {p.person_id for p in meeting.participants} == {kul.id, rachkov.id}
    assert sorted(s.document for s in meeting.sources) == [
        "000_3b0bb9c4478de45b.txt",
        "001_f186f351a2958608.txt",
    ]
    assert all(s.text for s in meeting.sources)  # the release text is kept with the meeting


def test_both_spellings_are_kept_as_variants(demo_store: Store) -> None:
    kul = _person(demo_store, "Mukhtar Kul-Mohammed")
    assert kul.full_name == "Mukhtar Kul-Mukhammed"
    assert "Mukhtar Kul-Mohammed" in kul.all_names()
    rachkov = _person(demo_store, "Sergei Rachkov")
    assert rachkov.full_name == "Sergey Rachkov"
    sergeyenko = _person(demo_store, "Igor Segeenko")
    assert sergeyenko.full_name == "Igor Sergeyenko"
    assert any("misspell" in v.note for v in sergeyenko.variants)


def test_relations_with_belarus_and_the_30th_anniversary(demo_store: Store) -> None:
    belarus = demo_store.countries.find("Belarus")
    assert belarus is not None
    assert belarus.relations_established == date(1992, 9, 16)
    occurrences = upcoming_anniversaries(demo_store, date(2022, 6, 8), 120)
    relations = [
        o
        for o in occurrences
        if o.anniversary.country_id == belarus.id and o.anniversary.kind == "diplomatic_relations"
    ]
    assert len(relations) == 1
    assert relations[0].date == date(2022, 9, 16)
    assert relations[0].ordinal == 30
    assert relations[0].jubilee
    assert relations[0].anniversary.title == "Kazakhstan–Belarus diplomatic relations"


def test_the_commission_action_follows_the_anniversary(demo_store: Store) -> None:
    kul = _person(demo_store, "Mukhtar Kul-Mukhammed")
    meeting_id = demo_store.meetings.page(MeetingFilter(person_id=kul.id)).rows[0].id
    actions = demo_store.actions.for_meeting(meeting_id)
    assert len(actions) == 1
    action = actions[0]
    assert "Interparliamentary Commission" in action.text
    assert "30th anniversary" in action.text
    assert action.due == date(2022, 9, 16)
    assert action.status is ActionStatus.OPEN
    assert action.due_anniversary_id is not None
    anniversary = demo_store.anniversaries.get(action.due_anniversary_id)
    assert anniversary.base_date == date(1992, 9, 16)


def test_brussels_meeting_stores_only_what_the_release_supports(demo_store: Store) -> None:
    rows = demo_store.meetings.page(MeetingFilter(text="Palace of the Nation")).rows
    assert len(rows) == 1
    meeting = demo_store.meetings.get(rows[0].id)
    assert meeting.venue == "Palace of the Nation"
    assert meeting.city == "Brussels"
    assert meeting.precision is Precision.YEAR  # no exact date in the release
    names = {p.person_name for p in meeting.participants}
    assert names == {"Roman Vassilenko", "Peter De Roover"}
    [action] = meeting.actions
    assert "joint calendar of activities for 2025-2026" in action.text
    assert action.due is None


def test_turkpa_observer_mission(demo_store: Store) -> None:
    kaya = _person(demo_store, "Erol Kaya")
    ashimbayev = _person(demo_store, "Maulen Ashimbayev")
    [row] = demo_store.meetings.page(MeetingFilter(person_id=kaya.id)).rows
    meeting = demo_store.meetings.get(row.id)
    assert meeting.date == date(2022, 11, 18)
    assert {p.person_id for p in meeting.participants} == {kaya.id, ashimbayev.id}
    assert meeting.delegation_id is not None
    mission = demo_store.delegations.get(meeting.delegation_id)
    assert mission.head_person_id == kaya.id
    assert mission.direction is DelegationDirection.INCOMING
    turkpa = demo_store.organisations.find("TurkPA")
    assert turkpa is not None and turkpa.country_id is None  # an international body


def test_majilis_speaker_visit_to_belarus(demo_store: Store) -> None:
    koshanov = _person(demo_store, "Yerlan Koshanov")
    rows = demo_store.meetings.page(MeetingFilter(person_id=koshanov.id)).rows
    assert {r.date for r in rows} == {date(2026, 2, 6)}
    counterparts = {r.counterpart for r in rows}
    assert counterparts == {"Alexander Lukashenko", "Igor Sergeyenko", "Natalya Kochanova"}
    visit = demo_store.delegations.get(demo_store.meetings.get(rows[0].id).delegation_id or 0)
    assert visit.direction is DelegationDirection.OUTGOING
    assert visit.head_person_id == koshanov.id
    assert {i.meeting_id for i in visit.programme if i.meeting_id} == {r.id for r in rows}
    assert any("Khatyn" in i.title for i in visit.programme)
    texts = {a.text for r in rows for a in demo_store.actions.for_meeting(r.id)}
    assert "Continue exchanging legislative experience" in texts


def test_every_fact_names_where_it_came_from(demo_store: Store) -> None:
    data = export_data(demo_store)
    for kind in ("countries", "organisations", "people", "meetings", "delegations", "actions"):
        for record in data[kind]:
            provenance = record["provenance"]
            # Beside the seeds, every new database holds the world's countries and bodies.
            assert (
                "seed 00" in provenance
                or "general knowledge" in provenance
                or provenance.startswith("reference data: db/reference/")
            )
    for country in data["countries"]:
        if country["national_day"]:
            assert "general knowledge" in country["provenance"]


def test_kazakh_names_are_searchable(demo_store: Store) -> None:
    ours = [m.full_name for m in demo_store.people.suggest("әшім")]
    assert ours == ["Maulen Ashimbayev"]
    assert demo_store.people.get(_person(demo_store, "Мәулен Әшімбаев").id or 0).side is Side.OURS


def test_each_source_keeps_the_text_of_its_seed_file(demo_store: Store) -> None:
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[1] / "db" / "seeds"
    documents = set()
    for meeting_id in demo_store.meetings.all_ids():
        for source in demo_store.meetings.get(meeting_id).sources:
            documents.add(source.document)
            assert source.text == (seeds / source.document).read_text(encoding="utf-8").strip()
    assert documents == {p.name for p in seeds.glob("*.txt")}
