"""What a pasted press release offers the meeting being logged: its days, the office's people
it names in any of their spellings, and the sentences that may say what was agreed."""

from __future__ import annotations

from dataclasses import dataclass

from protocol_desk.domain.models import Side
from protocol_desk.domain.release import (
    Agreement,
    FoundDay,
    agreements_in,
    days_in,
    name_candidates,
)
from protocol_desk.domain.text import fold
from protocol_desk.store import Store


@dataclass(frozen=True)
class NamedPerson:
    """Someone of the office's people the release names, and how it writes the name."""

    person_id: int
    full_name: str
    written: str
    side: Side
    by_last_name: bool = False  # found by a last name alone: worth a second look


@dataclass(frozen=True)
class ReleaseReading:
    days: list[FoundDay]
    people: list[NamedPerson]
    agreements: list[Agreement]

    @property
    def empty(self) -> bool:
        return not (self.days or self.people or self.agreements)


def read_release(store: Store, text: str) -> ReleaseReading:
    """Read a release for suggestions. People are found by their stored spellings, whole: a
    spelling shared by two people names neither, and declined forms ("с Сергеем Рачковым")
    are not guessed at."""
    candidates = name_candidates(text)
    spelt = store.people.spelt(candidates)
    people: list[NamedPerson] = []
    seen: set[int] = set()

    def add(person_id: int, written: str, by_last_name: bool = False) -> None:
        seen.add(person_id)
        person = store.people.get(person_id)
        people.append(NamedPerson(person_id, person.full_name, written, person.side, by_last_name))

    for key, written in candidates.items():  # in reading order
        ids = spelt.get(key, [])
        if len(ids) == 1 and ids[0] not in seen:
            add(ids[0], written)
    # Then a capitalised word on its own that ends exactly one person's name: releases call
    # people by their last name after the first mention, or only so.
    named_words = {fold(word) for p in people for word in p.written.split()}
    for key, written in candidates.items():
        if " " in written or not written[:1].isupper() or len(written) < 3 or key in named_words:
            continue
        ids = store.people.with_last_name(written)
        if len(ids) == 1 and ids[0] not in seen:
            add(ids[0], written, by_last_name=True)
    return ReleaseReading(days_in(text), people, agreements_in(text))
