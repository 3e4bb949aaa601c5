"""A new name beside the people already known: the guard that asks "Is this Maulen Ashimbayev
(Chairman of the Senate)?" before a second record is made for one person, and keeping the
spelling the officer confirms as one of that person's ("Ashimnayev is Ashimbayev")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Person
from protocol_desk.domain.names import Match, best_spelling, typed_words
from protocol_desk.domain.text import fold
from protocol_desk.store import Store


@dataclass(frozen=True)
class KnownPerson:
    """Someone already in the database whom a new name may well be, and how it matched."""

    person_id: int
    full_name: str
    title: str
    how: Match

    @property
    def described(self) -> str:
        """``Maulen Ashimbayev (Chairman of the Senate)``."""
        if self.title:
            return N_("{name} ({title})", name=self.full_name, title=self.title)
        return self.full_name

    @property
    def question(self) -> str:
        return N_("Is this {person}?", person=self.described)


class SamePerson(ProtocolDeskError):
    """A new person's name matches someone already known: the officer says whether it is
    them (and the spelling is kept with them) or a different person (created anyway)."""

    def __init__(self, name: str, known: list[KnownPerson]) -> None:
        super().__init__(known[0].question)
        self.name = name
        self.known = known


def people_like(
    store: Store, names: list[str], on: date | None = None, other_than: int | None = None
) -> list[KnownPerson]:
    """People any of these names may well be (``PersonRepository.similar``), closest first."""
    day = on or date.today()
    found: dict[int, Match] = {}
    for name in names:
        for person_id in store.people.similar(name, other_than=other_than):
            spellings = [store.people.get(person_id).full_name, *_spellings(store, person_id)]
            best = best_spelling(typed_words(name, as_typed=False), spellings)
            how = best[0] if best else Match.CLOSE
            found[person_id] = min(found.get(person_id, how), how)
    known = [
        KnownPerson(
            person_id,
            store.people.get(person_id).full_name,
            store.people.title_on(person_id, day),
            how,
        )
        for person_id, how in found.items()
    ]
    known.sort(key=lambda k: (k.how, fold(k.full_name), k.person_id))
    return known


def check_new_name(
    store: Store, names: list[str], on: date | None = None, other_than: int | None = None
) -> None:
    """Raise SamePerson when a name being created may well be someone already known."""
    known = people_like(store, names, on, other_than)
    if known:
        raise SamePerson(names[0], known)


def misprint_of(person: Person, spelling: str) -> bool:
    """Whether a spelling confirmed as this person's is a misprint of one of theirs (a slip
    of a letter or two) rather than another script or romanisation of it."""
    best = best_spelling(typed_words(spelling, as_typed=False), person.all_names())
    return best is None or best[0] is Match.CLOSE


def _spellings(store: Store, person_id: int) -> list[str]:
    return [v.name for v in store.people.get(person_id).variants]
