"""Rules a record must satisfy before it is saved; each failure names the field to fix, and
every failure of a record is reported at once (``ValidationError.problems``)."""

from __future__ import annotations

from urllib.parse import urlparse

from protocol_desk.domain.errors import Problems, ValidationError
from protocol_desk.domain.messages import N_
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
        raise ValidationError(N_("{label} is required.", label=label), field)


def _line(value: str | None, label: str, field: str) -> None:
    if value and len(value) > MAX_LINE:
        raise ValidationError(
            N_(
                "{label} is {length} characters long; keep it under {most} "
                "(put longer text in the summary or notes).",
                label=label,
                length=format(len(value), ","),
                most=format(MAX_LINE, ","),
            ),
            field,
        )
    if value and ("\n" in value or "\r" in value):
        raise ValidationError(N_("{label} must be a single line.", label=label), field)


def _text(value: str | None, label: str, field: str) -> None:
    if value and len(value) > MAX_TEXT:
        raise ValidationError(
            N_(
                "{label} is longer than {most} characters.", label=label, most=format(MAX_TEXT, ",")
            ),
            field,
        )


def _no_nul(*values: str | None) -> None:
    for value in values:
        if value and "\x00" in value:
            raise ValidationError(N_("Text may not contain NUL characters."))


def validate_url(url: str, field: str = "url") -> None:
    if not url:
        return
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValidationError(
            N_("“{url}” is not a web address (it should start with https://).", url=url), field
        )


def validate_country(country: Country) -> None:
    p = Problems()
    with p.at():
        _required(country.name, N_("The country's name"), "name")
        _line(country.name, N_("The country's name"), "name")
    if country.iso_code and (len(country.iso_code) not in (2, 3) or not country.iso_code.isalpha()):
        p.add("iso_code", N_("The ISO code is two or three letters, like KZ or BY."))
    with p.at():
        _no_nul(country.name, country.notes, *country.other_names)
    p.raise_any()


def validate_organisation(organisation: Organisation) -> None:
    p = Problems()
    with p.at():
        _required(organisation.name, N_("The organisation's name"), "name")
        _line(organisation.name, N_("The organisation's name"), "name")
    with p.at():
        _line(organisation.short_name, N_("The short name"), "short_name")
    if organisation.parent_id is not None and organisation.parent_id == organisation.id:
        p.add("parent", N_("An organisation cannot be its own parent."))
    with p.at():
        _no_nul(organisation.name, organisation.short_name, organisation.notes)
    p.raise_any()


def validate_person(person: Person) -> None:
    p = Problems()
    with p.at():
        _required(person.full_name, N_("The person's name"), "full_name")
        _line(person.full_name, N_("The person's name"), "full_name")
    with p.at():
        for variant in person.variants:
            _required(variant.name, N_("A name variant"), "variants")
            _line(variant.name, N_("A name variant"), "variants")
    with p.at():
        for position in person.positions:
            _required(position.title, N_("A position's title"), "positions")
            _line(position.title, N_("A position's title"), "positions")
            if position.start and position.end and position.end < position.start:
                raise ValidationError(
                    N_("The position “{title}” ends before it starts.", title=position.title),
                    "positions",
                )
    with p.at():
        _line(person.form_of_address, N_("The form of address"), "form_of_address")
    with p.at():
        _text(person.notes, N_("The notes"), "notes")
    with p.at():
        _no_nul(person.full_name, person.notes, *(v.name for v in person.variants))
    p.raise_any()


def validate_action(action: AgreedAction) -> None:
    p = Problems()
    with p.at():
        _required(action.text, N_("The agreed action's text"), "action_text")
        _text(action.text, N_("The agreed action's text"), "action_text")
    with p.at():
        _line(action.owner, N_("The owner"), "action_owner")
    if action.completed_on and action.status.value not in {"done", "dropped"}:
        p.add("action_status", N_("Only a done or dropped action has a completion date."))
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
        p.add("date", N_("The meeting's date is required."))
    with p.at():
        _required(meeting.subject, N_("The subject"), "subject")
        _line(meeting.subject, N_("The subject"), "subject")
    for label, value, name in (
        (N_("The venue"), meeting.venue, "venue"),
        (N_("The city"), meeting.city, "city"),
        (N_("The occasion"), meeting.occasion, "occasion"),
        (N_("The kind"), meeting.kind, "kind"),
    ):
        with p.at():
            _line(value, label, name)
    if meeting.time and not _valid_time(meeting.time):
        p.add("time", N_("“{time}” is not a time: write it like 14:30.", time=meeting.time))
    with p.at():
        _text(meeting.summary, N_("The summary"), "summary")
    with p.at():
        for topic in meeting.topics:
            _line(topic, N_("A topic"), "topics")
    with p.at():
        seen: set[int] = set()
        for participant in meeting.participants:
            if participant.person_id in seen:
                raise ValidationError(
                    N_(
                        "{name} is listed twice among the participants.",
                        name=participant.person_name or N_("A person"),
                    ),
                    "participants",
                )
            seen.add(participant.person_id)
            _line(participant.title, N_("A participant's title"), "participants")
    with p.at():
        for source in meeting.sources:
            validate_url(source.url, "sources")
            _line(source.publisher, N_("The source's publisher"), "sources")
            _text(source.text, N_("The source text"), "sources")
    for action in meeting.actions:
        with p.at():
            validate_action(action)
    with p.at():
        _no_nul(meeting.subject, meeting.summary, meeting.venue, meeting.city)
    p.raise_any()


def validate_delegation(delegation: Delegation) -> None:
    p = Problems()
    with p.at():
        _required(delegation.title, N_("The delegation's title"), "title")
        _line(delegation.title, N_("The delegation's title"), "title")
    if delegation.start is None:
        p.add("start", N_("The start date is required."))
    elif delegation.end and delegation.end < delegation.start:
        p.add("end", N_("The end date is before the start date."))
    with p.at():
        for item in delegation.programme:
            _required(item.title, N_("A programme item's title"), "programme")
            start = delegation.start
            if start is not None and (
                item.day < start or (delegation.end and item.day > delegation.end)
            ):
                raise ValidationError(
                    N_(
                        "The programme item “{title}” falls outside the visit's dates.",
                        title=item.title,
                    ),
                    "programme",
                )
    with p.at():
        _no_nul(delegation.title, delegation.purpose, delegation.notes)
    p.raise_any()


def validate_anniversary(anniversary: Anniversary) -> None:
    p = Problems()
    with p.at():
        _required(anniversary.title, N_("The anniversary's title"), "title")
        _line(anniversary.title, N_("The anniversary's title"), "title")
    if anniversary.base_date is None:
        p.add("base_date", N_("The anniversary's date is required."))
    if anniversary.lead_days is not None and not 0 <= anniversary.lead_days <= 3660:
        p.add("lead_days", N_("The lead time is between 0 and 3,660 days."))
    p.raise_any()
