"""Organisations and countries: lists and filters, their people and meetings, saving rules,
and the anniversaries their dates feed."""

from __future__ import annotations

from datetime import date

import pytest

from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import OrganisationFilter
from protocol_desk.domain.models import (
    AnniversaryKind,
    Country,
    Organisation,
    OrganisationKind,
    Person,
    Position,
)
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import PeopleService
from protocol_desk.store import Store


def organisation_names(store: Store, flt: OrganisationFilter) -> list[str]:
    rows, _ = OrganisationService(store).page(flt)
    return [r.name for r in rows]


def test_filters_by_name_in_any_script_kind_and_country(demo_store: Store) -> None:
    belarus = demo_store.countries.find("Belarus")
    assert belarus is not None
    assert organisation_names(demo_store, OrganisationFilter(text="turkpa")) == ["TurkPA"]
    international = organisation_names(demo_store, OrganisationFilter(international=True))
    assert {
        "Interparliamentary Commission of the Council of the Republic of the National Assembly "
        "of Belarus and the Senate of the Parliament of Kazakhstan on Co-operation",
        "TurkPA",
        "Inter-Parliamentary Union",  # the reference data's bodies are there too
    } <= set(international)
    assert international.count("TurkPA") == 1
    assert not {"Parliament of the Republic of Kazakhstan", "Senate"} & set(international)
    chambers = organisation_names(
        demo_store, OrganisationFilter(kind=OrganisationKind.CHAMBER, country_id=belarus.id)
    )
    assert chambers == [
        "Council of the Republic of the National Assembly of Belarus",
        "House of Representatives of the National Assembly of Belarus",
    ]


def test_a_name_in_cyrillic_is_found_in_any_case(store: Store) -> None:
    OrganisationService(store).save(
        Organisation(
            name="Senate of the Parliament of the Republic of Kazakhstan",
            short_name="Senate",
            other_names=["Сенат Парламента Республики Казахстан", "ҚР Парламентінің Сенаты"],
            kind=OrganisationKind.CHAMBER,
        )
    )
    for typed in ("сенат", "СЕНАТЫ", "парламентінің", "senate"):
        assert organisation_names(store, OrganisationFilter(text=typed)) == [
            "Senate of the Parliament of the Republic of Kazakhstan"
        ], typed
    assert OrganisationService(store).count(OrganisationFilter(text="Belgium")) == 0


def test_detail_lists_its_people_parts_and_meetings(demo_store: Store) -> None:
    service = OrganisationService(demo_store)
    senate = demo_store.organisations.find("Senate of the Parliament of the Republic of Kazakhstan")
    assert senate is not None and senate.id is not None
    detail = service.detail(senate.id)
    assert detail.country == "Kazakhstan"
    assert detail.parent is not None and detail.parent.kind is OrganisationKind.PARLIAMENT
    assert [c.name for c in detail.children] == [
        "Committee on International Relations, Defence and Security of the Senate"
    ]
    assert [(m.full_name, m.title) for m in detail.people] == [
        ("Maulen Ashimbayev", "Chairman of the Senate")
    ]
    turkpa = demo_store.organisations.find("TurkPA")
    assert turkpa is not None and turkpa.id is not None
    assert [v.title for v in service.detail(turkpa.id).visits] == [
        "TurkPA Observer Mission to the early presidential election"
    ]


def test_former_holders_are_listed_after_current_ones(store: Store) -> None:
    organisations = OrganisationService(store)
    house = organisations.save(Organisation(name="House of Representatives"))
    people = PeopleService(store)
    for name, start, end in (
        ("Vladimir Andreichenko", date(2008, 10, 1), date(2019, 12, 5)),
        ("Igor Sergeyenko", date(2019, 12, 6), None),
    ):
        people.save(
            Person(
                full_name=name,
                positions=[Position("Chairman", organisation_id=house.id, start=start, end=end)],
            )
        )
    assert house.id is not None
    detail = organisations.detail(house.id)
    assert [m.full_name for m in detail.people] == ["Igor Sergeyenko", "Vladimir Andreichenko"]


def test_an_organisation_cannot_sit_under_its_own_part(demo_store: Store) -> None:
    service = OrganisationService(demo_store)
    senate = demo_store.organisations.find("Senate of the Parliament of the Republic of Kazakhstan")
    committee = demo_store.organisations.find(
        "Committee on International Relations, Defence and Security of the Senate"
    )
    assert senate is not None and committee is not None
    version = senate.version
    senate.parent_id = committee.id
    with pytest.raises(ValidationError) as raised:
        service.save(senate)
    assert raised.value.field == "parent"
    assert demo_store.organisations.get(senate.id or 0).version == version


def test_founding_date_feeds_an_anniversary(store: Store) -> None:
    service = OrganisationService(store)
    turkpa = service.save(
        Organisation(
            name="TurkPA",
            kind=OrganisationKind.INTERNATIONAL_ASSEMBLY,
            founded_on=date(2008, 11, 21),
        )
    )
    founding = [a for a in store.anniversaries.all() if a.kind is AnniversaryKind.FOUNDING]
    assert [(a.title, a.base_date) for a in founding] == [
        ("Founding of TurkPA", date(2008, 11, 21))
    ]
    turkpa.founded_on = None
    service.save(turkpa)
    assert [a for a in store.anniversaries.all() if a.kind is AnniversaryKind.FOUNDING] == []


# --- countries ---------------------------------------------------------------------------------


def test_countries_are_found_by_any_name_or_code(demo_store: Store) -> None:
    service = CountryService(demo_store)
    assert [c.name for c in service.list("беларусь")] == ["Belarus"]
    assert [c.name for c in service.list("Қазақ")] == ["Kazakhstan"]
    assert [c.name for c in service.list("be")][:3] == ["Belarus", "Belgium", "Belize"]
    assert "Türkiye" in [c.name for c in service.list("tr")]
    assert [c.name for c in service.list("Турция")] == ["Türkiye"]


def test_country_dates_feed_the_anniversaries(store: Store) -> None:
    service = CountryService(store)
    belarus = service.save(
        Country(
            name="Belarus",
            iso_code="by",
            other_names=["Беларусь", " ", "беларусь"],
            relations_established=date(1992, 9, 16),
            national_day=MonthDay(7, 3),
            national_day_name="Independence Day",
        )
    )
    assert belarus.iso_code == "BY"
    # The office's names as typed (repeats once), then the reference data's it lacked.
    assert belarus.other_names[0] == "Беларусь"
    assert [n.casefold() for n in belarus.other_names].count("беларусь") == 1
    assert "Белоруссия" in belarus.other_names
    assert [c.name for c in service.list()].count("Belarus") == 1
    titles = {(a.kind, a.title) for a in store.anniversaries.all()}
    assert titles == {
        (AnniversaryKind.DIPLOMATIC_RELATIONS, "Diplomatic relations with Belarus"),
        (AnniversaryKind.NATIONAL_DAY, "Independence Day of Belarus"),
    }
    assert belarus.id is not None
    assert CountryService(store).detail(belarus.id).relations_years(date(2022, 9, 16)) == 30
    assert CountryService(store).detail(belarus.id).relations_years(date(2022, 9, 15)) == 29


@pytest.mark.parametrize(
    ("country", "field"),
    [
        (Country(name="Byelorussia", iso_code="BY"), "iso_code"),
        (Country(name="belarus"), "name"),
        (Country(name="Atlantis", relations_established=date(2099, 1, 1)), "relations_established"),
        (Country(name="Atlantis", iso_code="A1"), "iso_code"),
        (Country(name="   "), "name"),
    ],
)
def test_bad_countries_are_refused(store: Store, country: Country, field: str) -> None:
    service = CountryService(store)
    service.save(Country(name="Belarus", iso_code="BY"))
    with pytest.raises(ValidationError) as raised:
        service.save(country, on=date(2026, 1, 1))
    assert raised.value.field == field
    names = [c.name for c in service.list()]
    assert names.count("Belarus") == 1
    assert not {"Byelorussia", "belarus", "Atlantis"} & set(names)


def test_country_detail_gathers_its_people_bodies_meetings_and_visits(demo_store: Store) -> None:
    belarus = demo_store.countries.find("Belarus")
    assert belarus is not None and belarus.id is not None
    detail = CountryService(demo_store).detail(belarus.id)
    assert detail.people_count == 4
    assert "House of Representatives of the National Assembly of Belarus" in [
        o.name for o in detail.organisations
    ]
    assert detail.meeting_count >= 3
    assert [v.title for v in detail.visits] == [
        "Visit of the Majilis Speaker Yerlan Koshanov to Belarus"
    ]
    ours = demo_store.countries.find("Kazakhstan")
    assert ours is not None and ours.id is not None
    assert CountryService(demo_store).detail(ours.id).is_ours
