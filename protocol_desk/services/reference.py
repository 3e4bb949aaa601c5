"""Lists for pickers and filters: countries, organisations, people, meeting kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from protocol_desk.domain.models import MEETING_KINDS, Country
from protocol_desk.domain.text import fold
from protocol_desk.store import Store

if TYPE_CHECKING:
    from protocol_desk.domain.listing import Place
    from protocol_desk.store.places import Places

_places: Places | None = None


def _cities() -> Places:
    """One look-up of the cities file for the process, opened on first use."""
    global _places
    if _places is None:
        from protocol_desk.store.places import Places

        _places = Places()
    return _places


@dataclass(frozen=True)
class Choice:
    """An entry of a pick list: the record's id and the label shown."""

    id: int
    label: str
    # Every other name it is known by, in any script, for pickers that match them.
    other_names: list[str] = field(default_factory=list)


class ReferenceService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def countries(self) -> list[Choice]:
        return [Choice(c.id or 0, c.name, c.other_names) for c in self.store.countries.all()]

    def country_name(self, country: Country, lang: str) -> str:
        """The country's name for a text in a language (en, ru, kk): the usual name in that
        language from the reference data, as long as the office still counts it among the
        country's names; otherwise the name the office gave it. English is the office's."""
        if lang == "en" or country.id is None:
            return country.name
        kept = {fold(n) for n in (country.name, *country.other_names)}
        for name in self.store.countries.names_in(country.id, lang):
            if fold(name) in kept:
                return name
        return country.name

    def places(self, text: str, limit: int = 12) -> list[Place]:
        """Cities whose name, in any script or former spelling, begins with ``text``."""
        return _cities().starting(text, limit)

    def organisations(self) -> list[Choice]:
        return [Choice(o.id or 0, o.name) for o in self.store.organisations.all()]

    def people(self) -> list[Choice]:
        return [Choice(r[0], r[1]) for r in self.store.people.names_in_order()]

    def meeting_kinds(self) -> list[str]:
        """The usual kinds, then any other kind already used in the office's records."""
        used = self.store.meetings.kinds_in_use()
        return list(MEETING_KINDS) + sorted(k for k in used if k and k not in MEETING_KINDS)

    def our_country_id(self) -> int | None:
        uid = self.store.settings.get("our_country")
        return self.store.countries.id_for_uid("country", uid) if uid else None
