"""Organisations and countries: keeping the reference records and showing who and what
belongs to each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from protocol_desk.domain.anniversaries import full_years
from protocol_desk.domain.dates import Year
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import (
    DelegationFilter,
    DelegationRow,
    MeetingFilter,
    MeetingRow,
    OrganisationFilter,
    OrganisationRow,
    PersonFilter,
    PersonRow,
)
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Country, Organisation, OrganisationKind
from protocol_desk.domain.text import clean, fold
from protocol_desk.services.reference import ReferenceService
from protocol_desk.store import Store
from protocol_desk.store.people import OrganisationMember

RECENT = 50  # how many meetings a detail pane lists before saying "and N more"

ORGANISATION_KIND_LABELS = {
    OrganisationKind.PARLIAMENT: N_("Parliament"),
    OrganisationKind.CHAMBER: N_("Parliament chamber"),
    OrganisationKind.COMMITTEE: N_("Committee"),
    OrganisationKind.COMMISSION: N_("Commission"),
    OrganisationKind.EMBASSY: N_("Embassy"),
    OrganisationKind.MINISTRY: N_("Ministry"),
    OrganisationKind.GOVERNMENT: N_("Government"),
    OrganisationKind.HEAD_OF_STATE: N_("Head of state's office"),
    OrganisationKind.INTERNATIONAL_ASSEMBLY: N_("International assembly"),
    OrganisationKind.INTERNATIONAL_ORGANISATION: N_("International organisation"),
    OrganisationKind.PRESS_SERVICE: N_("Press service"),
    OrganisationKind.OTHER: N_("Other"),
}

# Kinds that normally belong to no single country.
INTERNATIONAL_KINDS = {
    OrganisationKind.INTERNATIONAL_ASSEMBLY,
    OrganisationKind.INTERNATIONAL_ORGANISATION,
}


@dataclass
class OrganisationDetail:
    """An organisation with its country, parent and sub-bodies, people and meetings."""

    organisation: Organisation
    country: str = ""
    parent: Organisation | None = None
    children: list[Organisation] = field(default_factory=list)
    people: list[OrganisationMember] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    meeting_count: int = 0
    visits: list[DelegationRow] = field(default_factory=list)


@dataclass
class CountryDetail:
    """A country with its organisations, people, meetings and visits."""

    country: Country
    is_ours: bool = False
    organisations: list[Organisation] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    people_count: int = 0
    meetings: list[MeetingRow] = field(default_factory=list)
    meeting_count: int = 0
    visits: list[DelegationRow] = field(default_factory=list)

    # The country's usual name in Russian and Kazakh, where the reference data gives one.
    names_by_language: dict[str, str] = field(default_factory=dict)

    def relations_years(self, on: date) -> int | None:
        """Full years of diplomatic relations on a day, for "30 years this September"."""
        established = self.country.relations_established
        if established is None:
            return None
        return full_years(established, on)


def _after(value: date | Year, day: date) -> bool:
    """A day after ``day``, or a year after its year."""
    return value.year > day.year if isinstance(value, Year) else value > day


def _names(values: list[str]) -> list[str]:
    """Other names as typed: trimmed, empty lines dropped, repeats (in any case) once."""
    seen: set[str] = set()
    result = []
    for value in values:
        name = clean(value)
        if name and fold(name) not in seen:
            seen.add(fold(name))
            result.append(name)
    return result


class OrganisationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def page(
        self, flt: OrganisationFilter, *, after: tuple[str, int] | None = None, limit: int = 200
    ) -> tuple[list[OrganisationRow], tuple[str, int] | None]:
        return self.store.organisations.page(flt, after=after, limit=limit)

    def count(self, flt: OrganisationFilter) -> int:
        return self.store.organisations.count(flt)

    def get(self, organisation_id: int) -> Organisation:
        return self.store.organisations.get(organisation_id)

    def detail(self, organisation_id: int) -> OrganisationDetail:
        organisation = self.store.organisations.get(organisation_id)
        detail = OrganisationDetail(organisation=organisation)
        if organisation.country_id is not None:
            detail.country = self.store.countries.get(organisation.country_id).name
        if organisation.parent_id is not None:
            detail.parent = self.store.organisations.get(organisation.parent_id)
        detail.children = [
            o for o in self.store.organisations.all() if o.parent_id == organisation_id
        ]
        detail.people = self.store.people.members_of(organisation_id)
        flt = MeetingFilter(organisation_id=organisation_id)
        detail.meetings = self.store.meetings.page(flt, limit=RECENT).rows
        detail.meeting_count = self.store.meetings.count(flt)
        detail.visits, _ = self.store.delegations.page(
            DelegationFilter(organisation_id=organisation_id), limit=RECENT
        )
        return detail

    def save(self, organisation: Organisation) -> Organisation:
        """Save a new or edited organisation in one transaction."""
        organisation.name = clean(organisation.name)
        organisation.short_name = clean(organisation.short_name) or None
        organisation.other_names = _names(organisation.other_names)
        if not organisation.name:
            raise ValidationError(N_("The organisation's name is required."), "name")
        with self.store.transaction():
            if organisation.country_id is not None:
                self.store.countries.get(organisation.country_id)
            self._check_parent(organisation)
            return self.store.organisations.save(organisation)

    def _check_parent(self, organisation: Organisation) -> None:
        """A committee of the Senate may not end up above the Senate."""
        parent_id = organisation.parent_id
        seen: set[int] = set()
        while parent_id is not None:
            if parent_id == organisation.id:
                raise ValidationError(
                    N_(
                        "“{name}” cannot be placed under one of its own parts.",
                        name=organisation.name,
                    ),
                    "parent",
                )
            if parent_id in seen:
                break  # an older loop in the data: not this edit's doing
            seen.add(parent_id)
            parent_id = self.store.organisations.get(parent_id).parent_id

    def choices(self) -> list[tuple[int, str]]:
        """(id, name) of every organisation, in dictionary order, for pickers."""
        return [(o.id or 0, o.name) for o in self.store.organisations.all()]


class CountryService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def list(self, text: str = "") -> list[Country]:
        """Countries whose name, other name or ISO code contains every typed word.

        The list is short (fewer than 200 states), so it is read whole."""
        words = fold(text).split()
        countries = self.store.countries.all()
        if not words:
            return countries
        return [
            c
            for c in countries
            if all(
                any(w in fold(n) for n in (c.name, c.iso_code or "", *c.other_names)) for w in words
            )
        ]

    def get(self, country_id: int) -> Country:
        return self.store.countries.get(country_id)

    def our_country_id(self) -> int | None:
        uid = self.store.settings.get("our_country")
        return self.store.countries.id_for_uid("country", uid) if uid else None

    def detail(self, country_id: int) -> CountryDetail:
        country = self.store.countries.get(country_id)
        detail = CountryDetail(country=country, is_ours=self.our_country_id() == country_id)
        names = ReferenceService(self.store)
        for lang, language in (("ru", "Russian"), ("kk", "Kazakh")):
            name = names.country_name(country, lang)
            if name != country.name:
                detail.names_by_language[language] = name
        detail.organisations = [
            o for o in self.store.organisations.all() if o.country_id == country_id
        ]
        people_filter = PersonFilter(country_id=country_id)
        detail.people, _ = self.store.people.page(people_filter, limit=RECENT)
        detail.people_count = self.store.people.count(people_filter)
        flt = MeetingFilter(country_id=country_id)
        detail.meetings = self.store.meetings.page(flt, limit=RECENT).rows
        detail.meeting_count = self.store.meetings.count(flt)
        detail.visits, _ = self.store.delegations.page(
            DelegationFilter(country_id=country_id), limit=RECENT
        )
        return detail

    def save(self, country: Country, on: date | None = None) -> Country:
        """Save a new or edited country in one transaction; its anniversaries follow."""
        country.name = clean(country.name)
        country.iso_code = clean(country.iso_code).upper() or None
        country.other_names = _names(country.other_names)
        country.national_day_name = clean(country.national_day_name) or None
        if not country.name:
            raise ValidationError(N_("The country's name is required."), "name")
        if country.relations_established and _after(
            country.relations_established, on or date.today()
        ):
            raise ValidationError(
                N_("Diplomatic relations cannot be established in the future."),
                "relations_established",
            )
        with self.store.transaction():
            for other in self.store.countries.all():
                if other.id == country.id:
                    continue
                if country.iso_code and other.iso_code == country.iso_code:
                    if country.id is None and self.store.countries.adoptable(other.id or 0):
                        # The reference data's record, untouched: the new one takes its place.
                        continue
                    raise ValidationError(
                        N_(
                            "The ISO code {code} is already {name}'s.",
                            code=country.iso_code,
                            name=other.name,
                        ),
                        "iso_code",
                    )
                if fold(other.name) == fold(country.name):
                    raise ValidationError(
                        N_("{name} is already in the list.", name=other.name), "name"
                    )

            return self.store.countries.save(country)
