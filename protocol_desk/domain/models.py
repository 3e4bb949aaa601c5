"""The office's records as plain dataclasses: what the store returns and the services take."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from protocol_desk.domain.dates import MonthDay, Precision, Year
from protocol_desk.domain.messages import N_


def new_uid() -> str:
    # Imported when a record is first made: uuid imports platform, which the start can spare.
    import uuid

    return str(uuid.uuid4())


class Side(StrEnum):
    OURS = "ours"
    COUNTERPART = "counterpart"


class OrganisationKind(StrEnum):
    PARLIAMENT = "parliament"
    CHAMBER = "chamber"
    COMMITTEE = "committee"
    COMMISSION = "commission"
    EMBASSY = "embassy"
    MINISTRY = "ministry"
    GOVERNMENT = "government"
    HEAD_OF_STATE = "head_of_state"
    INTERNATIONAL_ASSEMBLY = "international_assembly"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    PRESS_SERVICE = "press_service"
    OTHER = "other"


class MeetingFormat(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"
    MARGINS = "margins"


MEETING_FORMAT_LABELS: dict[MeetingFormat, str] = {
    MeetingFormat.IN_PERSON: N_("In person"),
    MeetingFormat.VIDEO: N_("Video conference"),
    MeetingFormat.PHONE: N_("Phone call"),
    MeetingFormat.MARGINS: N_("On the margins of an event"),
}

MEETING_KINDS: tuple[str, ...] = (
    N_("talks"),
    N_("courtesy call"),
    N_("commission session"),
    N_("reception"),
    N_("working meeting"),
    N_("audience"),
    N_("consultations"),
    N_("signing ceremony"),
    N_("other"),
)


class Confidentiality(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"


CONFIDENTIALITY_LABELS: dict[Confidentiality, str] = {
    Confidentiality.PUBLIC: N_("Public"),
    Confidentiality.INTERNAL: N_("Internal"),
    Confidentiality.RESTRICTED: N_("Restricted"),
}


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: N_("Open"),
    ActionStatus.IN_PROGRESS: N_("In progress"),
    ActionStatus.DONE: N_("Done"),
    ActionStatus.DROPPED: N_("Dropped"),
}


class DelegationDirection(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    MULTILATERAL = "multilateral"


class DelegationStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"


DELEGATION_STATUS_LABELS: dict[DelegationStatus, str] = {
    DelegationStatus.PLANNED: N_("Planned"),
    DelegationStatus.CONFIRMED: N_("Confirmed"),
    DelegationStatus.DONE: N_("Held"),
    DelegationStatus.CANCELLED: N_("Cancelled"),
}


class AnniversaryKind(StrEnum):
    DIPLOMATIC_RELATIONS = "diplomatic_relations"
    NATIONAL_DAY = "national_day"
    FOUNDING = "founding"
    BIRTHDAY = "birthday"
    TREATY = "treaty"
    CUSTOM = "custom"


ANNIVERSARY_KIND_LABELS: dict[AnniversaryKind, str] = {
    AnniversaryKind.DIPLOMATIC_RELATIONS: N_("Diplomatic relations"),
    AnniversaryKind.NATIONAL_DAY: N_("National day"),
    AnniversaryKind.FOUNDING: N_("Founding"),
    AnniversaryKind.BIRTHDAY: N_("Birthday"),
    AnniversaryKind.TREATY: N_("Treaty"),
    AnniversaryKind.CUSTOM: N_("Other event"),
}


@dataclass
class Country:
    """A country the office deals with, under its English name and any other spellings.
    Relations may be known to the day or by the year alone."""

    name: str
    iso_code: str | None = None
    other_names: list[str] = field(default_factory=list)
    capital: str = ""
    relations_established: date | Year | None = None
    national_day: MonthDay | None = None
    national_day_name: str | None = None
    notes: str = ""
    provenance: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0


@dataclass
class Organisation:
    """A parliament, chamber, committee, ministry or assembly; it may belong to another."""

    name: str
    kind: OrganisationKind = OrganisationKind.OTHER
    short_name: str | None = None
    other_names: list[str] = field(default_factory=list)
    country_id: int | None = None
    parent_id: int | None = None
    founded_on: date | MonthDay | None = None
    notes: str = ""
    provenance: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0


@dataclass
class PersonName:
    """One spelling of a person's name; the first is the name shown."""

    name: str
    note: str = ""
    # A misprint the office confirmed as this person ("Ashimnayev"): found, never printed.
    misprint: bool = False


@dataclass
class Position:
    """A title a person held at an organisation, for a span of days (open-ended allowed)."""

    title: str
    organisation_id: int | None = None
    start: date | None = None
    end: date | None = None
    provenance: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)

    def held_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Person:
    """A counterpart or one of our own, with every spelling of the name and the posts held."""

    full_name: str
    side: Side = Side.COUNTERPART
    variants: list[PersonName] = field(default_factory=list)
    form_of_address: str = ""
    country_id: int | None = None
    birth_date: date | MonthDay | None = None
    notes: str = ""
    provenance: str = ""
    positions: list[Position] = field(default_factory=list)
    has_photo: bool = False
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0

    def printable_variants(self) -> list[PersonName]:
        """The other spellings a briefing or a list may print: misprints left out."""
        return [v for v in self.variants if not v.misprint]

    def all_names(self) -> list[str]:
        return [self.full_name, *(v.name for v in self.variants if v.name != self.full_name)]

    def position_on(self, day: date) -> Position | None:
        """The position held that day; the latest-starting wins when several overlap."""
        held = [p for p in self.positions if p.held_on(day)]
        held.sort(key=lambda p: p.start or date.min, reverse=True)
        return held[0] if held else None


@dataclass
class Participant:
    """A person at a meeting, with the side, role and title they had that day."""

    person_id: int
    side: Side = Side.COUNTERPART
    role: str = ""
    title: str = ""
    organisation_id: int | None = None
    # Filled by the store for display; never written back.
    person_name: str = ""


@dataclass
class Source:
    """A document a meeting was recorded from: a press release, a note, a web page."""

    publisher: str = ""
    url: str = ""
    published_on: date | None = None
    title: str = ""
    text: str = ""
    document: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0  # as read; a save names it, like the meeting's


class DocumentKind(StrEnum):
    AGREEMENT = "agreement"
    MEMORANDUM = "memorandum"
    ROADMAP = "roadmap"
    PROTOCOL = "protocol"
    JOINT_STATEMENT = "joint statement"
    PLAN = "plan"
    DECLARATION = "declaration"
    OTHER = "other"


DOCUMENT_KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.AGREEMENT: N_("agreement"),
    DocumentKind.MEMORANDUM: N_("memorandum"),
    DocumentKind.ROADMAP: N_("roadmap"),
    DocumentKind.PROTOCOL: N_("protocol"),
    DocumentKind.JOINT_STATEMENT: N_("joint statement"),
    DocumentKind.PLAN: N_("plan"),
    DocumentKind.DECLARATION: N_("declaration"),
    DocumentKind.OTHER: N_("other"),
}


@dataclass
class SignedDocument:
    """A document signed at a meeting: a record of its own, never an agreed action."""

    title: str
    kind: DocumentKind = DocumentKind.OTHER
    signed_on: date | None = None
    signed_by: list[str] = field(default_factory=list)  # the signatories' names
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0  # as read; a save names it, like the meeting's


@dataclass
class AgreedAction:
    """Something agreed at a meeting, with its owner, due date and progress."""

    text: str
    meeting_id: int | None = None
    owner: str = ""
    due: date | None = None
    due_anniversary_id: int | None = None
    status: ActionStatus = ActionStatus.OPEN
    completed_on: date | None = None
    outcome: str = ""
    fulfilled_meeting_id: int | None = None
    provenance: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0


@dataclass
class Meeting:
    """A meeting with a foreign counterpart: when, where, who, what was said and agreed."""

    date: date
    subject: str
    precision: Precision = Precision.DAY
    time: str | None = None
    venue: str = ""
    city: str = ""
    country_id: int | None = None
    format: MeetingFormat = MeetingFormat.IN_PERSON
    occasion: str = ""
    kind: str = "talks"
    summary: str = ""
    topics: list[str] = field(default_factory=list)
    delegation_id: int | None = None
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    participants: list[Participant] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    actions: list[AgreedAction] = field(default_factory=list)
    provenance: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0
    documents: list[SignedDocument] = field(default_factory=list)


@dataclass
class DelegationMember:
    """A person travelling with a delegation, in a role."""

    person_id: int
    role: str = ""
    person_name: str = ""


@dataclass
class ProgrammeItem:
    """One entry of a delegation's day-by-day programme, possibly linked to its meeting."""

    day: date
    title: str
    time: str | None = None
    place: str = ""
    meeting_id: int | None = None
    notes: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Delegation:
    """A visiting or outgoing delegation: dates, head, members and programme."""

    title: str
    direction: DelegationDirection
    start: date
    end: date | None = None
    country_id: int | None = None
    organisation_id: int | None = None
    head_person_id: int | None = None
    city: str = ""
    purpose: str = ""
    status: DelegationStatus = DelegationStatus.PLANNED
    notes: str = ""
    provenance: str = ""
    members: list[DelegationMember] = field(default_factory=list)
    programme: list[ProgrammeItem] = field(default_factory=list)
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0


@dataclass
class Anniversary:
    """A date that comes back every year: relations, a national day, a founding, a birthday."""

    kind: AnniversaryKind
    title: str
    base_date: date | MonthDay
    country_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None
    lead_days: int | None = None
    notes: str = ""
    provenance: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    version: int = 0
