"""The one place the release reader asks who and where a name is: the office's people by
any stored spelling (or a near one), its countries and cities with the reader's own words
for them. Everything the reader learns from the office goes through ``ReleaseLookup``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Protocol

from protocol_desk.domain.text import fold
from protocol_desk.domain.world_words import CITIES, COUNTRIES, CityWords, CountryWords
from protocol_desk.store import Store

NEAR_SPELLING = 0.88  # a misprint of a stored spelling: "Kul-Mukhamed" for "Kul-Mukhammed"
MOST_SPELLINGS_COMPARED = 5_000  # beyond that, only exact spellings are asked


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
        self._spellings: list[tuple[str, int]] | None = None
        self._countries: list[CountryWords] | None = None

    def _known(self, person_id: int, how: str) -> KnownPerson:
        person = self.store.people.get(person_id)
        iso = None
        if person.country_id is not None:
            iso = self.store.countries.get(person.country_id).iso_code
        return KnownPerson(person_id, person.full_name, person.side.value, iso, how)

    def person(self, spellings: list[str]) -> KnownPerson | None:
        keys = [fold(s) for s in spellings if s]
        found = self.store.people.spelt(keys)
        for key in keys:
            ids = found.get(key, [])
            if len(ids) == 1:
                return self._known(ids[0], "a stored spelling")
            if ids:
                return None  # a spelling two people share names neither
        return self._near(keys)

    def _near(self, keys: list[str]) -> KnownPerson | None:
        if self._spellings is None:
            self._spellings = self.store.people.spellings(MOST_SPELLINGS_COMPARED)
        for key in keys:
            best = (0.0, 0)
            for spelling, person_id in self._spellings:
                if abs(len(spelling) - len(key)) > 3:
                    continue
                matcher = difflib.SequenceMatcher(None, key, spelling)
                # The cheap upper bounds first: most spellings are nowhere near.
                if (
                    matcher.real_quick_ratio() < NEAR_SPELLING
                    or matcher.quick_ratio() < NEAR_SPELLING
                ):
                    continue
                best = max(best, (matcher.ratio(), person_id))
            if best[0] >= NEAR_SPELLING:
                return self._known(best[1], "a near spelling (check it)")
        return None

    def person_by_last_name(self, word: str) -> KnownPerson | None:
        ids = self.store.people.with_last_name(word)
        return self._known(ids[0], "the last name alone") if len(ids) == 1 else None

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
