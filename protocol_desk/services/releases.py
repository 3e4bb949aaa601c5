"""What a pasted press release offers the meeting being logged: its days, the office's people
it names in any of their spellings, and the sentences that may say what was agreed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from protocol_desk.domain.models import Side
from protocol_desk.domain.names import case_bases, word_key, words_of
from protocol_desk.domain.release import (
    Agreement,
    FoundDay,
    agreements_in,
    days_in,
    headline_of,
    likely_meeting_day,
    main_text,
    meeting_sentences,
    name_candidates,
)
from protocol_desk.domain.text import fold
from protocol_desk.services.release_lookup import StoreLookup
from protocol_desk.services.release_offer import ReleaseOffer
from protocol_desk.store import Store

MOST_LAST_NAMES = 300  # capitalised words asked about as last names, in reading order


@dataclass(frozen=True)
class NamedPerson:
    """Someone of the office's people the release names, and how it writes the name."""

    person_id: int
    full_name: str
    written: str
    side: Side
    by_last_name: bool = False  # found by a last name alone: worth a second look
    at_meeting: bool = False  # named where the text speaks of the meeting, not only mentioned


@dataclass(frozen=True)
class ReleaseReading:
    days: list[FoundDay]
    people: list[NamedPerson]
    agreements: list[Agreement]
    headline: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.days or self.people or self.agreements or self.headline)


def read_release(store: Store, text: str, today: date | None = None) -> ReleaseReading:
    """Read a release for suggestions. People are found by their stored spellings, whole, then
    by the same names in another script, romanisation or case form ("с Сергеем Рачковым"),
    then by a last name alone (misprinted too): a name that fits two people names neither."""
    text = main_text(text)  # not the related news a copied page goes on with
    days = days_in(text, today)
    candidates = name_candidates(text)
    spelt = store.people.spelt(candidates)
    people: list[NamedPerson] = []
    seen: set[int] = set()
    at_meeting = [_words(sentence) for sentence in meeting_sentences(text)]

    def add(person_id: int, written: str, by_last_name: bool = False) -> None:
        seen.add(person_id)
        person = store.people.get(person_id)
        # By the name as written, or by the last name alone, as releases go on to call people.
        names = [_words(written), _words(written)[-1:]]
        present = any(_holds(words, name) for words in at_meeting for name in names if name)
        people.append(
            NamedPerson(person_id, person.full_name, written, person.side, by_last_name, present)
        )

    for key, written in candidates.items():  # in reading order
        ids = spelt.get(key, [])
        if len(ids) == 1 and ids[0] not in seen:
            add(ids[0], written)
    # Then the same names in another script or romanisation, or in a case form ("с Сергеем
    # Рачковым", "Касым-Жомарта Токаева", "Қошановпен"): by the keys of their spellings.
    forms = {
        written: _name_forms(written)
        for written in candidates.values()
        if " " in written and _capitalised(written)
    }
    spelt_as = store.people.spelt_as(k for keys in forms.values() for k in keys)
    for written, keys in forms.items():
        ids = sorted({i for k in keys for i in spelt_as.get(k, [])})
        if len(ids) == 1 and ids[0] not in seen:
            add(ids[0], written)
    # Then a capitalised word on its own that ends exactly one person's name: releases call
    # people by their last name after the first mention, or only so.
    named_words = {fold(word) for p in people for word in p.written.split()}
    asked = 0
    for key, written in candidates.items():
        if " " in written or not written[:1].isupper() or not 3 <= len(written) <= 40:
            continue
        if key in named_words:
            continue
        asked += 1
        if asked > MOST_LAST_NAMES:
            break  # a text that long is not one release: what was found stands
        ids = store.people.with_last_name(written)
        if not ids:
            # In another script, a case form ("Рачковым"), or misprinted ("Ashimnayev").
            keys = _name_forms(written)
            ids = store.people.with_last_word(keys)
            if not ids:
                close = {c for k in keys for c in store.people.close_words(k)}
                ids = store.people.with_last_word(close)
        if len(ids) == 1 and ids[0] not in seen:
            add(ids[0], written, by_last_name=True)
    # The release's year: an agreement dated before it is one of then, not of this meeting.
    dated = next((d for d in days if d.looks_posted), None) or likely_meeting_day(days, today)
    year = dated.day.year if dated else (days[0].day.year if days else None)
    agreements = agreements_in(text, release_year=year)
    return ReleaseReading(days, people, agreements, headline_of(text))


MOST_FORMS = 64  # whole-name keys tried for one run of words (each word's readings combined)


def _capitalised(written: str) -> bool:
    return all(word[:1].isupper() for word in written.split())


def _name_forms(written: str) -> set[str]:
    """The whole-name keys a run of words may stand for: each word as it is or as the base
    of its case form (``domain.names``)."""
    options = [[word_key(w), *sorted(case_bases(w))] for w in words_of(written)]
    options = [[o for o in opts if o] for opts in options]
    if not options or not all(options):
        return set()
    forms = {" ".join(combo) for combo in itertools.islice(itertools.product(*options), MOST_FORMS)}
    return forms


def _words(text: str) -> list[str]:
    return fold(text).replace("’", "'").split()


def _holds(words: list[str], name: list[str]) -> bool:
    """Whether the words hold the name's words in a row (a possessive "'s" after it too)."""
    size = len(name)
    for start in range(len(words) - size + 1):
        run = [w.strip('.,;:!?()«»"“”') for w in words[start : start + size]]
        if run[:-1] == name[:-1] and run[-1] in {name[-1], f"{name[-1]}'s"}:
            return True
    return False


# --- logging a release as a meeting ---------------------------------------------------------


@dataclass(frozen=True)
class LoggedRelease:
    """What ``log_release`` saved, and what it left for the officer to look at."""

    meeting_id: int | None
    saved: list[str]
    left: list[str]


def log_release(
    store: Store,
    offer: ReleaseOffer,
    text: str,
    *,
    source_name: str = "",
    without_counterpart: bool = False,
) -> LoggedRelease:
    """Save a meeting from what the reading ticked: its day, format, country, place, the
    people (new ones created), the agreed actions, and the release as its source. A meeting
    with no counterpart ticked, or no day, is not saved unless the officer says so."""
    from protocol_desk.domain.models import (
        AgreedAction,
        DocumentKind,
        Meeting,
        MeetingFormat,
        Participant,
        Precision,
        SignedDocument,
        Source,
    )
    from protocol_desk.services.meetings import MeetingService, NewPerson

    left: list[str] = []
    day = offer.date if offer.date and offer.date["ticked"] else None
    if day is None:
        return LoggedRelease(None, [], ["no meeting day beyond doubt: read it and log it by hand"])
    if not offer.counterpart_ticked and not without_counterpart:
        return LoggedRelease(None, [], ["no counterpart ticked: read it and log it by hand"])
    lookup = StoreLookup(store)
    service = MeetingService(store)
    country_id = (
        lookup.country_id(offer.country["iso"])
        if offer.country and offer.country["ticked"]
        else None
    )
    when = date.fromisoformat(day["value"])
    participants = []
    saved: list[str] = []
    with store.transaction():
        for person in offer.people:
            if not person.ticked:
                if person.person_id is None:
                    left.append(f"not taken: {person.name} (named in passing)")
                continue
            person_id = person.person_id
            if person_id is None:
                existing = store.people.find_by_name(person.name)
                if existing is not None:
                    person_id = existing.id
                else:
                    created = service.create_person(
                        NewPerson(
                            person.name,
                            Side(person.side),
                            title=person.title,
                            country_id=country_id if person.side == "counterpart" else None,
                        ),
                        on=when,
                    )
                    person_id = created.id
                    saved.append(f"new person: {person.name}")
            assert person_id is not None
            participants.append(Participant(person_id=person_id, side=Side(person.side)))
        actions = [AgreedAction(text=a["text"]) for a in offer.actions if a["ticked"]]
        left += [f"not taken: {a['text'][:80]}" for a in offer.actions if not a["ticked"]]
        place = offer.place if offer.place and offer.place["ticked"] else None
        meeting = Meeting(
            date=when,
            subject=offer.subject or "Meeting",
            precision=Precision.DAY,
            venue=(place or {}).get("venue") or "",
            city=(place or {}).get("city") or "",
            country_id=country_id,
            format=MeetingFormat(offer.format["value"]),
            occasion=offer.format.get("event") or "",
            participants=participants,
            actions=actions,
            documents=[
                SignedDocument(
                    title=d["title"],
                    kind=DocumentKind(d["kind"]),
                    signed_on=when,
                    signed_by=list(d.get("signed_by") or []),
                )
                for d in offer.documents_signed
                if d["ticked"]
            ],
            sources=[Source(title=source_name, text=text, published_on=offer.posting_date)],
        )
        logged = service.save(meeting, allow_duplicate=True)
    saved.append(f"meeting {logged.id} on {when.isoformat()} with {len(participants)} people")
    if actions:
        saved.append(f"{len(actions)} agreed actions")
    documents = [d for d in offer.documents_signed if d["ticked"]]
    if documents:
        saved.append(f"{len(documents)} documents signed")
    if offer.visit:
        left.append(f"visit ({offer.visit['direction']}): create it from the meeting")
    return LoggedRelease(logged.id, saved, left)
