"""Rules a record must satisfy before it is saved; each failure names the field to fix, and
every failure of a record is reported at once (``ValidationError.problems``)."""

from __future__ import annotations

from urllib.parse import urlparse

from protocol_desk.domain.errors import Problems, ValidationError
from protocol_desk.domain.models import (
    AgreedAction,
    Anniversary,
    Country,
    Delegation,
    Meeting,
    Organisation,
    Person,
)

MAX_LINE = 1_000  # a subject, a name or a title: one line of text
MAX_TEXT = 2_000_000  # a summary or a pasted press release: saved faithfully up to this size


def _required(value: str, label: str, field: str) -> None:
    if not value or not value.strip():
        raise ValidationError(f"{label} is required.", field)


def _line(value: str | None, label: str, field: str) -> None:
    if value and len(value) > MAX_LINE:
        raise ValidationError(
            f"{label} is {len(value):,} characters long; keep it under {MAX_LINE:,} "
            "(put longer text in the summary or notes).",
            field,
        )
    if value and ("\n" in value or "\r" in value):
        raise ValidationError(f"{label} must be a single line.", field)


def _text(value: str | None, label: str, field: str) -> None:
    if value and len(value) > MAX_TEXT:
        raise ValidationError(f"{label} is longer than {MAX_TEXT:,} characters.", field)


def _no_nul(*values: str | None) -> None:
    for value in values:
        if value and "\x00" in value:
            raise ValidationError("Text may not contain NUL characters.")


def validate_url(url: str, field: str = "url") -> None:
    if not url:
        return
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValidationError(
            f"“{url}” is not a web address (it should start with https://).", field
        )


def validate_country(country: Country) -> None:
    p = Problems()
    with p.at():
        _required(country.name, "The country's name", "name")
        _line(country.name, "The country's name", "name")
    if country.iso_code and (len(country.iso_code) not in (2, 3) or not country.iso_code.isalpha()):
        p.add("iso_code", "The ISO code is two or three letters, like KZ or BY.")
    with p.at():
        _no_nul(country.name, country.notes, *country.other_names)
    p.raise_any()


def validate_organisation(organisation: Organisation) -> None:
    p = Problems()
    with p.at():
        _required(organisation.name, "The organisation's name", "name")
        _line(organisation.name, "The organisation's name", "name")
    with p.at():
        _line(organisation.short_name, "The short name", "short_name")
    if organisation.parent_id is not None and organisation.parent_id == organisation.id:
        p.add("parent", "An organisation cannot be its own parent.")
    with p.at():
        _no_nul(organisation.name, organisation.short_name, organisation.notes)
    p.raise_any()


def validate_person(person: Person) -> None:
    p = Problems()
    with p.at():
        _required(person.full_name, "The person's name", "full_name")
        _line(person.full_name, "The person's name", "full_name")
    with p.at():
        for variant in person.variants:
            _required(variant.name, "A name variant", "variants")
            _line(variant.name, "A name variant", "variants")
    with p.at():
        for position in person.positions:
            _required(position.title, "A position's title", "positions")
            _line(position.title, "A position's title", "positions")
            if position.start and position.end and position.end < position.start:
                raise ValidationError(
                    f"The position “{position.title}” ends before it starts.", "positions"
                )
    with p.at():
        _line(person.form_of_address, "The form of address", "form_of_address")
    with p.at():
        _text(person.notes, "The notes", "notes")
    with p.at():
        _no_nul(person.full_name, person.notes, *(v.name for v in person.variants))
    p.raise_any()


def validate_action(action: AgreedAction) -> None:
    p = Problems()
    with p.at():
        _required(action.text, "The agreed action's text", "action_text")
        _text(action.text, "The agreed action's text", "action_text")
    with p.at():
        _line(action.owner, "The owner", "action_owner")
    if action.completed_on and action.status.value not in {"done", "dropped"}:
        p.add("action_status", "Only a done or dropped action has a completion date.")
    with p.at():
        _no_nul(action.text, action.owner, action.outcome)
    p.raise_any()


def _valid_time(time: str) -> bool:
    parts = time.split(":")
    return (
        len(parts) == 2
        and all(part.isdigit() for part in parts)
        and 0 <= int(parts[0]) < 24
        and 0 <= int(parts[1]) < 60
    )


def validate_meeting(meeting: Meeting) -> None:
    p = Problems()
    if meeting.date is None:
        p.add("date", "The meeting's date is required.")
    with p.at():
        _required(meeting.subject, "The subject", "subject")
        _line(meeting.subject, "The subject", "subject")
    for label, value, name in (
        ("The venue", meeting.venue, "venue"),
        ("The city", meeting.city, "city"),
        ("The occasion", meeting.occasion, "occasion"),
        ("The kind", meeting.kind, "kind"),
    ):
        with p.at():
            _line(value, label, name)
    if meeting.time and not _valid_time(meeting.time):
        p.add("time", f"“{meeting.time}” is not a time: write it like 14:30.")
    with p.at():
        _text(meeting.summary, "The summary", "summary")
    with p.at():
        for topic in meeting.topics:
            _line(topic, "A topic", "topics")
    with p.at():
        seen: set[int] = set()
        for participant in meeting.participants:
            if participant.person_id in seen:
                raise ValidationError(
                    f"{participant.person_name or 'A person'} is listed twice among the "
                    "participants.",
                    "participants",
                )
            seen.add(participant.person_id)
            _line(participant.title, "A participant's title", "participants")
    with p.at():
        for source in meeting.sources:
            validate_url(source.url, "sources")
            _line(source.publisher, "The source's publisher", "sources")
            _text(source.text, "The source text", "sources")
    for action in meeting.actions:
        with p.at():
            validate_action(action)
    with p.at():
        _no_nul(meeting.subject, meeting.summary, meeting.venue, meeting.city)
    p.raise_any()


def validate_delegation(delegation: Delegation) -> None:
    p = Problems()
    with p.at():
        _required(delegation.title, "The delegation's title", "title")
        _line(delegation.title, "The delegation's title", "title")
    if delegation.start is None:
        p.add("start", "The start date is required.")
    elif delegation.end and delegation.end < delegation.start:
        p.add("end", "The end date is before the start date.")
    with p.at():
        for item in delegation.programme:
            _required(item.title, "A programme item's title", "programme")
            start = delegation.start
            if start is not None and (
                item.day < start or (delegation.end and item.day > delegation.end)
            ):
                raise ValidationError(
                    f"The programme item “{item.title}” falls outside the visit's dates.",
                    "programme",
                )
    with p.at():
        _no_nul(delegation.title, delegation.purpose, delegation.notes)
    p.raise_any()


def validate_anniversary(anniversary: Anniversary) -> None:
    p = Problems()
    with p.at():
        _required(anniversary.title, "The anniversary's title", "title")
        _line(anniversary.title, "The anniversary's title", "title")
    if anniversary.base_date is None:
        p.add("base_date", "The anniversary's date is required.")
    if anniversary.lead_days is not None and not 0 <= anniversary.lead_days <= 3660:
        p.add("lead_days", "The lead time is between 0 and 3,660 days.")
    p.raise_any()
