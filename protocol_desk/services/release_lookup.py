"""The one place the release reader asks who and where a name is: the office's people through
the names matcher (``domain.names``: any stored spelling, another script or romanisation, a
case form, a slip of a letter or two), its countries and cities with the reader's own words
for them. Everything the reader learns from the office goes through ``ReleaseLookup``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from protocol_desk.domain.names import Match, best_spelling, name_forms, typed_words
from protocol_desk.domain.text import fold
from protocol_desk.domain.world_words import CITIES, COUNTRIES, CityWords, CountryWords
from protocol_desk.store import Store

# How a known person was matched, as the review says it.
HOW = {
    Match.SPELLING: "a stored spelling",
    Match.KEY: "another script or romanisation",
    Match.CASE_FORM: "a case form",
    Match.CLOSE: "a close spelling (check it)",
}
LAST_NAME = "the last name alone"


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
        return self._known(ids[0], f"{LAST_NAME}, {self._how(ids[0], [word])}")

    def countries(self) -> list[CountryWords]:
        if self._countries is None:
            own = []
            for country in self.store.countries.all():
                if country.iso_code:
                    stems = tuple(fold(n) for n in [country.name, *country.other_names])
                    own.append(CountryWords(country.iso_code, country.name, stems))
            known = {c.iso for c in own}
            merged = [
                CountryWords(c.iso, c.name, c.stems + next(o.stems for o in own if o.iso == c.iso))
                if c.iso in known
                else c
                for c in COUNTRIES
            ]
            merged += [o for o in own if o.iso not in {c.iso for c in COUNTRIES}]
            self._countries = merged
        return self._countries

    def cities(self) -> list[CityWords]:
        return list(CITIES)

    def relations_year(self, iso: str) -> int | None:
        for country in self.store.countries.all():
            if country.iso_code == iso and country.relations_established is not None:
                return country.relations_established.year
        return None

    def country_id(self, iso: str) -> int | None:
        return next((c.id for c in self.store.countries.all() if c.iso_code == iso), None)
