"""What the lists and pickers show and are narrowed by: the filters the window sets and the rows
and pages the store reads for them. Shared by the store, the services and the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.models import (
    ActionStatus,
    DelegationDirection,
    DelegationStatus,
    OrganisationKind,
    Side,
)
from protocol_desk.domain.names import Match


@dataclass
class MeetingFilter:
    """What the meetings list is narrowed to: words, country, organisation, person, dates."""

    text: str = ""
    country_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    deleted: bool = False  # True lists the deleted meetings, for restoring


@dataclass(frozen=True)
class MeetingRow:
    """One line of the meetings list: just what the list shows."""

    id: int
    date: date
    precision: Precision
    subject: str
    counterpart: str
    city: str
    country: str
    kind: str
    in_source: bool = False  # a search found it only in the text of a source


@dataclass
class Page:
    """One page of the meetings list and the key to read the next one from."""

    rows: list[MeetingRow] = field(default_factory=list)
    # The key to continue after, or None when this was the last page.
    next_after: tuple[Any, int] | None = None


@dataclass(frozen=True)
class PersonMatch:
    """A suggestion for a typed name: who it is, the spelling that matched, and what they are."""

    person_id: int
    full_name: str
    matched_name: str
    side: Side
    title: str
    how: Match = Match.SPELLING  # how the typed name met the spelling


@dataclass
class PersonFilter:
    """What the people list shows: typed words match any spelling, in any script."""

    text: str = ""
    side: Side | None = None
    country_id: int | None = None
    organisation_id: int | None = None  # held a position there, now or before
    deleted: bool = False  # True lists the bin, for restoring


@dataclass(frozen=True)
class PersonRow:
    """One line of the people list."""

    id: int
    full_name: str
    other_names: str
    side: Side
    country: str
    title: str
    sort_value: str


@dataclass
class DelegationFilter:
    """What the delegations list shows; dates select visits that overlap the period."""

    text: str = ""
    direction: DelegationDirection | None = None
    status: DelegationStatus | None = None
    country_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    deleted: bool = False  # True lists the bin, for restoring


@dataclass(frozen=True)
class DelegationRow:
    """One line of the delegations list."""

    id: int
    title: str
    direction: DelegationDirection
    status: DelegationStatus
    start: date
    end: date | None
    city: str
    country: str
    organisation: str
    head: str
    members: int


@dataclass(frozen=True)
class VisitMeeting:
    """A meeting held as part of a visit."""

    id: int
    date: date
    precision: Precision
    time: str | None
    subject: str
    venue: str
    city: str


@dataclass
class OrganisationFilter:
    """What the organisations list shows; words match any of its names, in any script."""

    text: str = ""
    kind: OrganisationKind | None = None
    country_id: int | None = None
    international: bool = False  # only bodies without a country, such as TurkPA


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation as its list shows it, with its country and parent by name."""

    id: int
    name: str
    short_name: str
    kind: OrganisationKind
    country: str
    parent: str
    sort_value: str


# Still to be done: an action in one of these states can be overdue.
UNFINISHED = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


@dataclass(frozen=True)
class ActionRow:
    """One line of the action list: the action with its meeting of origin and counterpart."""

    id: int
    version: int
    text: str
    owner: str
    status: ActionStatus
    due: date | None  # the date that applies: the stored one, or the anniversary's occurrence
    due_date: date | None  # as stored
    due_anniversary_id: int | None
    due_anniversary: str  # its title, when the due date follows an anniversary
    completed_on: date | None
    outcome: str
    fulfilled_meeting_id: int | None
    meeting_id: int | None
    meeting_date: date | None
    meeting_precision: Precision
    meeting_subject: str
    counterpart: str
    country: str

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED

    def is_overdue(self, as_of: date) -> bool:
        return not self.finished and self.due is not None and self.due < as_of

    def days_overdue(self, as_of: date) -> int:
        return (as_of - self.due).days if self.due and self.is_overdue(as_of) else 0


@dataclass(frozen=True)
class Place:
    """A city whose name (``matched``: the spelling typed, maybe an old or foreign one)
    begins with what was typed; ``name`` is what GeoNames calls it today."""

    matched: str
    name: str
    iso_code: str
    population: int
