"""Logging what a press release offers (read by ``release_offer``) as a meeting: the people
taken (new ones created), the visit drafted, documents and actions kept with the meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from protocol_desk.domain.messages import N_, Nn_
from protocol_desk.domain.models import Delegation, Side
from protocol_desk.services.release_offer import OfferedPerson, ReleaseOffer
from protocol_desk.store import Store

# --- logging a release as a meeting ---------------------------------------------------------


@dataclass(frozen=True)
class LoggedRelease:
    """What ``log_release`` saved, and what it left for the officer to look at."""

    meeting_id: int | None
    saved: list[str]
    left: list[str]


def country_for_meeting(store: Store, iso: str, name: str) -> int:
    """The office's id of the country with this ISO code, added (name and code only) when the
    office has no such country yet. The caller holds the transaction."""
    from protocol_desk.domain.models import Country

    for country in store.countries.all():
        if country.iso_code == iso and country.id is not None:
            return country.id
    added = store.countries.save(Country(name=name, iso_code=iso))
    assert added.id is not None
    return added.id


def relations_from_release(
    store: Store, anniversaries: list[dict[str, Any]], country_id: int, on: date
) -> tuple[list[str], list[str]]:
    """The year diplomatic relations with the meeting's country were established, from the
    anniversary a release names ("the 30th anniversary" in 2022: 1992): kept as the year alone
    when the office has no date; an office date of another year is never overwritten, only
    named for the officer to check. Returns (saved, left); the caller holds the transaction."""
    from protocol_desk.domain.dates import Year
    from protocol_desk.services.organisations import CountryService

    saved: list[str] = []
    left: list[str] = []
    country = store.countries.get(country_id)
    for anniversary in anniversaries:
        if anniversary["kind"] != "diplomatic relations" or anniversary["country"] != (
            country.iso_code
        ):
            continue
        year = int(anniversary["year"])
        known = country.relations_established
        if known is None and anniversary["ticked"]:
            country.relations_established = Year(year)
            country = CountryService(store).save(country, on=on)
            saved.append(
                N_(
                    "relations with {country} since {year} (the year alone)",
                    country=country.name,
                    year=year,
                )
            )
        elif known is not None and known.year != year:
            left.append(
                N_(
                    "the release counts relations with {country} from {year}; the office has "
                    "{known}: check",
                    country=country.name,
                    year=year,
                    known=known,
                )
            )
    return saved, left


def people_for_meeting(
    store: Store, people: list[OfferedPerson], country_id: int | None, on: date
) -> list[tuple[OfferedPerson, int, bool]]:
    """The office's id of each person taken, creating the new ones (with the title the text
    gives them and, for a counterpart, the meeting's country): (person, id, created). A new
    name already in the office is taken as that person, never created twice. The caller
    holds the transaction."""
    from protocol_desk.services.meetings import MeetingService, NewPerson

    service = MeetingService(store)
    taken: list[tuple[OfferedPerson, int, bool]] = []
    for person in people:
        if person.person_id is not None:
            taken.append((person, person.person_id, False))
            continue
        existing = store.people.find_by_name(person.name)
        if existing is not None and existing.id is not None:
            taken.append((person, existing.id, False))
            continue
        created = service.create_person(
            NewPerson(
                person.name,
                Side(person.side),
                title=person.title,
                organisation=person.organisation,
                country_id=country_id if person.side == "counterpart" else None,
            ),
            on=on,
        )
        assert created.id is not None
        taken.append((person, created.id, True))
    return taken


def known_country_codes(store: Store) -> set[str]:
    """The ISO codes of the office's countries (a release's country among them is known)."""
    return {c.iso_code for c in store.countries.all() if c.iso_code}


def take_country(
    store: Store, iso: str, name: str, anniversaries: list[dict[str, Any]], on: date
) -> int:
    """The meeting's country a release names (added when new to the office) and the year of
    relations its anniversary gives, in one transaction: the country's id."""
    with store.transaction():
        country_id = country_for_meeting(store, iso, name)
        relations_from_release(store, anniversaries, country_id, on)
    return country_id


def take_people(
    store: Store, people: list[OfferedPerson], country_id: int | None, on: date
) -> list[tuple[OfferedPerson, int, bool]]:
    """``people_for_meeting`` in one transaction of its own."""
    with store.transaction():
        return people_for_meeting(store, people, country_id, on)


def visit_from_release(
    visit: dict[str, Any],
    taken: list[tuple[OfferedPerson, int, bool]],
    *,
    subject: str,
    start: date,
    end: date | None,
    country_id: int | None,
    city: str,
    as_of: date,
) -> Delegation:
    """A draft visit from what the release says of it: direction, head and members (the
    visiting side's people taken), dates, city, and the programme items it names."""
    from protocol_desk.domain.models import (
        DelegationDirection,
        DelegationMember,
        DelegationStatus,
    )

    visiting = "counterpart" if visit["direction"] == "incoming" else "ours"
    members = [
        DelegationMember(person_id=person_id, role="head of the delegation" if n == 0 else "")
        for n, (_, person_id, _) in enumerate(p for p in taken if p[0].side == visiting)
    ]
    return Delegation(
        title=subject[:200] or "Visit",
        direction=DelegationDirection(visit["direction"]),
        start=start,
        end=end,
        country_id=country_id,
        head_person_id=members[0].person_id if members else None,
        city=city,
        purpose="; ".join(visit.get("programme") or []),
        status=DelegationStatus.DONE if (end or start) <= as_of else DelegationStatus.PLANNED,
        members=members,
    )


def log_release(
    store: Store,
    offer: ReleaseOffer,
    text: str,
    *,
    source_name: str = "",
    without_counterpart: bool = False,
    as_of: date | None = None,
) -> LoggedRelease:
    """Save a meeting from what the reading ticked: its day, format, country, place, the
    people (new ones created), documents signed, agreed actions, the visit, and the release
    as its source, in one transaction. A meeting with no counterpart ticked, or no day, is
    not saved unless the officer says so."""
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
    from protocol_desk.services.delegations import DelegationService
    from protocol_desk.services.meetings import MeetingService

    day = offer.date if offer.date and offer.date["ticked"] else None
    if day is None:
        return LoggedRelease(None, [], ["no meeting day beyond doubt: read it and log it by hand"])
    if not offer.counterpart_ticked and not without_counterpart:
        return LoggedRelease(None, [], ["no counterpart ticked: read it and log it by hand"])
    when = date.fromisoformat(day["value"])
    place = offer.place if offer.place and offer.place["ticked"] else {}
    saved: list[str] = []
    left: list[str] = [
        N_("not taken: {name} (named in passing)", name=p.name)
        for p in offer.people
        if not p.ticked
    ]
    left += [N_("not taken: {text}", text=a["text"][:80]) for a in offer.actions if not a["ticked"]]
    with store.transaction():
        country_id = (
            country_for_meeting(store, offer.country["iso"], offer.country["name"])
            if offer.country and offer.country["ticked"]
            else None
        )
        if country_id is not None:
            relations, unsure = relations_from_release(store, offer.anniversaries, country_id, when)
            saved += relations
            left += unsure
        taken = people_for_meeting(store, [p for p in offer.people if p.ticked], country_id, when)
        saved += [
            N_("new person: {name}", name=person.name) for person, _, created in taken if created
        ]
        delegation_id = None
        if offer.visit and offer.visit["ticked"]:
            visit = visit_from_release(
                offer.visit,
                taken,
                subject=offer.subject,
                start=when,
                end=offer.end_date,
                country_id=country_id,
                city=place.get("city") or "",
                as_of=as_of or date.today(),
            )
            delegation_id = DelegationService(store).save(visit).id
            saved.append(
                N_("visit ({direction}) {id}", direction=offer.visit["direction"], id=delegation_id)
            )
        actions = [AgreedAction(text=a["text"]) for a in offer.actions if a["ticked"]]
        documents = [
            SignedDocument(
                title=d["title"],
                kind=DocumentKind(d["kind"]),
                signed_on=when,
                signed_by=list(d.get("signed_by") or []),
            )
            for d in offer.documents_signed
            if d["ticked"]
        ]
        meeting = Meeting(
            date=when,
            subject=offer.subject or "Meeting",
            precision=Precision.DAY,
            venue=place.get("venue") or "",
            city=place.get("city") or "",
            country_id=country_id,
            format=MeetingFormat(offer.format["value"]),
            occasion=offer.format.get("event") or "",
            delegation_id=delegation_id,
            participants=[
                Participant(person_id=person_id, side=Side(person.side))
                for person, person_id, _ in taken
            ],
            actions=actions,
            documents=documents,
            sources=[Source(title=source_name, text=text, published_on=offer.posting_date)],
        )
        logged = MeetingService(store).save(meeting, allow_duplicate=True)
    saved.append(
        Nn_(
            "meeting {id} on {day} with {n} person",
            "meeting {id} on {day} with {n} people",
            n=len(taken),
            id=logged.id,
            day=when.isoformat(),
        )
    )
    if actions:
        saved.append(Nn_("{n} agreed action", "{n} agreed actions", n=len(actions)))
    if documents:
        saved.append(Nn_("{n} document signed", "{n} documents signed", n=len(documents)))
    return LoggedRelease(logged.id, saved, left)
