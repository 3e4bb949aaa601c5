"""The one place the release reader asks who and where a name is: the office's people through
the names matcher (``domain.names``: any stored spelling, another script or romanisation, a
case form, a slip of a letter or two), its countries and cities with the reader's own words
for them. Everything the reader learns from the office goes through ``ReleaseLookup``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Country
from protocol_desk.domain.names import Match, best_spelling, name_forms, typed_words
from protocol_desk.domain.text import fold
from protocol_desk.domain.world_words import (
    CITIES,
    COUNTRIES,
    CityWords,
    CountryWords,
    name_pattern,
)
from protocol_desk.store import Store

# How a known person was matched, as the review says it (in the window's language).
HOW = {
    Match.SPELLING: N_("a stored spelling"),
    Match.KEY: N_("another script or romanisation"),
    Match.CASE_FORM: N_("a case form"),
    Match.CLOSE: N_("a close spelling (check it)"),
}
LAST_NAME = N_("the last name alone")


@dataclass(frozen=True)
class KnownPerson:
    person_id: int
    full_name: str
    side: str
    country_iso: str | None
    how: str  # how the name was matched, for the officer


class ReleaseLookup(Protocol):
    def person(self, spellings: list[str]) -> KnownPerson | None: ...

    def person_by_last_name(self, word: str) -> KnownPerson | None: ...

    def countries(self) -> list[CountryWords]: ...

    def cities(self) -> list[CityWords]: ...

    def relations_year(self, iso: str) -> int | None: ...

    def country_id(self, iso: str) -> int | None: ...


class StoreLookup:
    """The lookup over the office's own file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._countries: list[CountryWords] | None = None
        self._cities: list[CityWords] | None = None
        # What one release asks, asked of the file once: a release names the same people
        # and words again and again.
        self._country_rows: list[Country] | None = None
        self._people: dict[tuple[str, ...], KnownPerson | None] = {}
        self._last_names: dict[str, KnownPerson | None] = {}

    def _office_countries(self) -> list[Country]:
        if self._country_rows is None:
            self._country_rows = self.store.countries.all()
        return self._country_rows

    def _known(self, person_id: int, how: str) -> KnownPerson:
        person = self.store.people.get(person_id)
        iso = None
        if person.country_id is not None:
            iso = self.store.countries.get(person.country_id).iso_code
        return KnownPerson(person_id, person.full_name, person.side.value, iso, how)

    def person(self, spellings: list[str]) -> KnownPerson | None:
        """The one person a name in the text is, best match first: a stored spelling, then
        the same name in another script, romanisation or case form, then a close spelling
        with every word of it. A name that fits two people names neither."""
        asked = tuple(spellings)
        if asked not in self._people:
            self._people[asked] = self._person(spellings)
        return self._people[asked]

    def _person(self, spellings: list[str]) -> KnownPerson | None:
        written = [s for s in spellings if s]
        keys = [fold(s) for s in written]
        found = self.store.people.spelt(keys)
        for key in keys:
            ids = found.get(key, [])
            if len(ids) == 1:
                return self._known(ids[0], HOW[Match.SPELLING])
            if ids:
                return None
        forms = {s: name_forms(s) for s in written}
        spelt_as = self.store.people.spelt_as(k for keys in forms.values() for k in keys)
        ids = sorted({i for keys in forms.values() for k in keys for i in spelt_as.get(k, [])})
        if len(ids) == 1:
            return self._known(ids[0], self._how(ids[0], written))
        if ids:
            return None
        similar = sorted({i for s in written[:1] for i in self.store.people.similar(s)})
        if len(similar) == 1:
            return self._known(similar[0], self._how(similar[0], written))
        return None

    def _how(self, person_id: int, written: list[str]) -> str:
        names = self.store.people.get(person_id).all_names()
        best = min(
            (b[0] for s in written if (b := best_spelling(typed_words(s, as_typed=False), names))),
            default=Match.CLOSE,
        )
        return HOW[best]

    def person_by_last_name(self, word: str) -> KnownPerson | None:
        """The one person whose name ends with this word, as releases call people after the
        first mention: as spelt, in another script or case form ("Рачковым", "Қошановпен"),
        or misprinted ("Ashimnayev")."""
        if word not in self._last_names:
            self._last_names[word] = self._person_by_last_name(word)
        return self._last_names[word]

    def _person_by_last_name(self, word: str) -> KnownPerson | None:
        ids = self.store.people.with_last_name(word)
        if len(ids) == 1:
            return self._known(ids[0], LAST_NAME)
        if not ids:
            keys = name_forms(word)
            ids = self.store.people.with_last_word(keys)
            if not ids:
                close = {c for k in keys for c in self.store.people.close_words(k)}
                ids = self.store.people.with_last_word(close)
        if len(ids) != 1:
            return None
        return self._known(ids[0], N_("the last name alone, {how}", how=self._how(ids[0], [word])))

    def countries(self) -> list[CountryWords]:
        """Every country of the office (the reference data gives all of them, by their names
        in English, Russian and Kazakh and the office's own spellings), with the reader's
        words for the adjectives and parliaments that name a country too."""
        if self._countries is None:
            self._countries = list(
                _country_words(
                    tuple(
                        (c.iso_code, c.name, tuple(c.other_names))
                        for c in self._office_countries()
                        if c.iso_code
                    )
                )
            )
        return self._countries

    def cities(self) -> list[CityWords]:
        """The cities releases name most, and every country's capital by any of its names."""
        if self._cities is None:
            capitals = tuple(
                (c.capital, c.iso_code)
                for c in self._office_countries()
                if c.capital and c.iso_code
            )
            self._cities = list(_city_words(capitals))
        return self._cities

    def relations_year(self, iso: str) -> int | None:
        for country in self._office_countries():
            if country.iso_code == iso and country.relations_established is not None:
                return country.relations_established.year
        return None

    def country_id(self, iso: str) -> int | None:
        return next((c.id for c in self._office_countries() if c.iso_code == iso), None)


def _patterns(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for n in names if (p := name_pattern(n))))


@lru_cache(maxsize=4)
def _country_words(
    countries: tuple[tuple[str, str, tuple[str, ...]], ...],
) -> tuple[CountryWords, ...]:
    """The countries' words, made once for each state of the office's countries."""
    rules = {c.iso: c for c in COUNTRIES}
    found = [
        CountryWords(
            iso,
            name,
            rules[iso].stems if iso in rules else (),
            _patterns([name, *others]),
        )
        for iso, name, others in countries
    ]
    known = {c.iso for c in found}
    return (*found, *(c for c in COUNTRIES if c.iso not in known))


@lru_cache(maxsize=4)
def _city_words(capitals: tuple[tuple[str, str], ...]) -> tuple[CityWords, ...]:
    """The reader's cities, then each capital the reader does not know by its names in the
    cities file (the reference data's GeoNames names), made once."""
    from protocol_desk.store.places import Places

    places = Places()
    known = {fold(c.name) for c in CITIES}
    unknown = [(capital, iso) for capital, iso in capitals if fold(capital) not in known]
    names = places.names_of(unknown) if unknown else {}
    places.close()
    extra = [
        CityWords(capital, iso, (), _patterns([capital, *names.get((capital, iso), [])]))
        for capital, iso in unknown
    ]
    return (*CITIES, *extra)
