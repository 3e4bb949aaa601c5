"""What goes into a briefing note on one counterpart, gathered from the database as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from protocol_desk.domain.anniversaries import (
    Occurrence,
    full_years,
    next_occurrence,
    relations_title,
)
from protocol_desk.domain.dates import (
    MonthDay,
    Precision,
    Year,
    format_date,
)
from protocol_desk.domain.errors import NotFoundError, ValidationError
from protocol_desk.domain.language import (
    Language,
    anniversary_ordinal,
    date_with_precision,
    day_of_year,
    long_date,
    name_in_language,
)
from protocol_desk.domain.listing import MeetingFilter, MeetingRow
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    ACTION_STATUS_LABELS,
    ANNIVERSARY_KIND_LABELS,
    CONFIDENTIALITY_LABELS,
    DELEGATION_STATUS_LABELS,
    MEETING_FORMAT_LABELS,
    ActionStatus,
    AgreedAction,
    AnniversaryKind,
    Confidentiality,
    Delegation,
    DelegationDirection,
    Meeting,
    MeetingFormat,
    Person,
    Side,
)
from protocol_desk.domain.names import Match
from protocol_desk.i18n import Catalog, catalog, current_language
from protocol_desk.services.anniversaries import leap_day_rule, upcoming_anniversaries
from protocol_desk.store import Store

Day = date  # a field called ``date`` shadows the type inside a dataclass

DEFAULT_OFFICE_NAME = N_("Protocol Office")
# The marking a note carries when the office set none of its own, in the note's language.
STANDARD_MARKING = N_("FOR OFFICIAL USE")
BRIEFING_NOTE = N_("Briefing note")
VISIT_PROGRAMME = N_("Visit programme")
MEETING_RECORD = N_("Meeting")
DEFAULT_DAYS = 90
# Meetings older than those printed still count for their open actions, up to this many.
ACTION_REACH = 300
UPCOMING_SCAN = 50  # meetings ahead read from the database; the nearest are printed
UPCOMING_MEETINGS = 20


class SubjectKind(StrEnum):
    COUNTRY = "country"
    ORGANISATION = "organisation"
    PERSON = "person"
    MEETING = "meeting"
    DELEGATION = "delegation"


SUBJECT_KIND_LABELS: dict[SubjectKind, str] = {
    SubjectKind.COUNTRY: N_("Country"),
    SubjectKind.ORGANISATION: N_("Organisation"),
    SubjectKind.PERSON: N_("Person"),
    SubjectKind.MEETING: N_("Meeting"),
    SubjectKind.DELEGATION: N_("Delegation or visit"),
}


class Section(StrEnum):
    """The parts of a note, in the order they are printed."""

    PURPOSE = "purpose"
    PROFILES = "profiles"
    RELATIONS = "relations"
    HISTORY = "history"
    ACTIONS = "actions"
    TALKING_POINTS = "talking_points"


SECTION_TITLES: dict[Section, str] = {
    Section.PURPOSE: N_("Purpose"),
    Section.PROFILES: N_("Who is who"),
    Section.RELATIONS: N_("Relations and anniversaries"),
    Section.HISTORY: N_("Previous meetings"),
    Section.ACTIONS: N_("Agreed actions"),
    Section.TALKING_POINTS: N_("Talking points"),
}


class PageSize(StrEnum):
    A4 = "A4"
    LETTER = "Letter"


DIRECTION_LABELS: dict[DelegationDirection, str] = {
    DelegationDirection.INCOMING: N_("Incoming visit"),
    DelegationDirection.OUTGOING: N_("Outgoing visit"),
    DelegationDirection.MULTILATERAL: N_("Multilateral event"),
}


@dataclass(frozen=True)
class Subject:
    """What a briefing note is about: a country, an organisation, a person or a meeting."""

    kind: SubjectKind
    id: int


@dataclass(frozen=True)
class SubjectChoice:
    """One entry of a subject picker."""

    subject: Subject
    label: str


@dataclass
class BriefingOptions:
    """How a briefing note is made: the day it is as of, how far ahead it looks, its
    sections, marking and page size, and how much of each list it prints."""

    as_of: date
    days: int = DEFAULT_DAYS  # how far ahead to look for events and anniversaries
    sections: tuple[Section, ...] = tuple(Section)
    marking: str | None = None  # None: the office's setting
    page_size: PageSize = PageSize.A4
    history_limit: int = 50  # the most recent meetings printed in full
    profile_limit: int = 8
    done_within_days: int = 365  # done actions this recent are listed too
    action_limit: int = 20  # open actions printed; the rest are counted
    prepared_on: date | None = None  # None: today
    section_per_page: bool = False  # sections flow on; each starts a page only when asked
    language: Language = Language.ENGLISH  # the note's, apart from the window's


@dataclass
class ProgrammeLine:
    """One line of the visit programme printed in a briefing note."""

    day: date
    time: str
    title: str
    place: str


@dataclass
class Purpose:
    """An upcoming meeting or visit the note prepares for."""

    heading: str
    when: str
    details: list[tuple[str, str]] = field(default_factory=list)  # label, value
    text: str = ""
    members: list[tuple[str, str]] = field(default_factory=list)  # name, role
    programme: list[ProgrammeLine] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # a meeting's, on its printout
    actions: list[ActionLine] = field(default_factory=list)  # agreed at the meeting


@dataclass
class Profile:
    """A person's profile for a briefing note: names, post, and how to address them."""

    person_id: int
    name: str
    side: Side
    other_names: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # held on the as-of date
    previous_titles: list[str] = field(default_factory=list)
    form_of_address: str = ""
    country: str = ""
    born: str = ""
    notes: str = ""
    photo: bytes | None = None
    contacts: int = 0
    last_contact: date | None = None
    last_contact_precision: Precision = Precision.DAY


@dataclass
class AnniversaryLine:
    """An anniversary falling near the meeting, as a briefing note prints it."""

    date: date
    title: str
    kind: AnniversaryKind
    kind_label: str
    ordinal: int | None
    jubilee: bool
    major: bool
    days_until: int
    prepare_by: Day


@dataclass
class Relations:
    """The state of relations with a country: since when, and its coming anniversaries."""

    country: str = ""
    established: date | Year | None = None  # a year alone when the day is not known
    years: int | None = None
    national_day: str = ""
    anniversaries: list[AnniversaryLine] = field(default_factory=list)

    def is_empty(self) -> bool:
        return self.established is None and not self.national_day and not self.anniversaries


@dataclass
class HistoryEntry:
    """A past meeting as a briefing note summarises it."""

    meeting_id: int
    date: date
    date_text: str
    subject: str
    place: str = ""
    kind: str = ""
    format_label: str = ""
    ours: list[tuple[str, str]] = field(default_factory=list)  # name, title held then
    theirs: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""
    topics: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    confidentiality: str = ""  # empty when public
    documents: list[str] = field(default_factory=list)  # documents signed at the meeting


@dataclass
class ActionLine:
    """An agreed action as a briefing note lists it: open ones, and those lately done."""

    action_id: int
    text: str
    status: ActionStatus
    status_label: str
    due: date | None = None
    overdue: bool = False
    owner: str = ""
    agreed_on: str = ""
    agreed_at: str = ""  # the meeting it came from
    completed_on: date | None = None
    outcome: str = ""


@dataclass
class Briefing:
    """Everything a note prints: plain data, so it can be rendered away from the database."""

    subject: Subject
    office_name: str
    marking: str
    title: str
    kind_label: str
    as_of: date
    prepared_on: date
    window_end: date
    subtitle: str = ""
    page_size: PageSize = PageSize.A4
    sections: tuple[Section, ...] = tuple(Section)
    section_per_page: bool = False
    document_kind: str = BRIEFING_NOTE  # or a visit's programme, a meeting's printout
    language: Language = Language.ENGLISH  # labels, dates and names are written in it
    purposes: list[Purpose] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    more_profiles: int = 0  # counterparts met in the period but not profiled
    relations: Relations | None = None
    history: list[HistoryEntry] = field(default_factory=list)
    history_truncated: bool = False
    open_actions: list[ActionLine] = field(default_factory=list)
    more_open_actions: int = 0  # open but not printed (the note shows the most pressing)
    # Of every open action, printed or not: how many are overdue, and the next due date.
    overdue_actions: int = 0
    next_due: date | None = None
    done_actions: list[ActionLine] = field(default_factory=list)
    talking_points: list[str] = field(default_factory=list)

    @property
    def document_title(self) -> str:
        return f"{catalog(self.language).gettext(self.document_kind)}: {self.title}"

    @property
    def is_record(self) -> bool:
        """A printout of one visit or meeting rather than a note on a subject."""
        return self.document_kind != BRIEFING_NOTE

    def shows(self, section: Section) -> bool:
        """Whether the section is wanted and has something to say."""
        if section not in self.sections:
            return False
        content: dict[Section, bool] = {
            Section.PURPOSE: bool(self.purposes),
            Section.PROFILES: bool(self.profiles),
            Section.RELATIONS: self.relations is not None and not self.relations.is_empty(),
            Section.HISTORY: bool(self.history),
            Section.ACTIONS: bool(self.open_actions or self.done_actions),
            Section.TALKING_POINTS: any(p.strip() for p in self.talking_points),
        }
        return content[section]


# --- finding the subject -----------------------------------------------------------------------
def resolve_subject(store: Store, kind: SubjectKind, text: str) -> Subject:
    """The subject a user named: any name, spelling or ISO code, in any case; ids for meetings
    and delegations. Raises NotFoundError or ValidationError with a message to show as it is."""
    value = (text or "").strip()
    if not value:
        raise ValidationError(N_("Name what the note is to be about."))
    if kind is SubjectKind.COUNTRY:
        country = store.countries.find(value)
        if country is None or country.id is None:
            raise NotFoundError(N_("No country matches “{name}”.", name=value))
        return Subject(kind, country.id)
    if kind is SubjectKind.ORGANISATION:
        organisation = store.organisations.find(value)
        if organisation is None or organisation.id is None:
            raise NotFoundError(N_("No organisation matches “{name}”.", name=value))
        return Subject(kind, organisation.id)
    if kind is SubjectKind.PERSON:
        person = store.people.find_by_name(value)
        if person is not None and person.id is not None:
            return Subject(kind, person.id)
        matches = store.people.suggest(value, limit=6)
        if len(matches) == 1 or (
            len(matches) > 1
            and matches[0].how is Match.SPELLING
            and matches[1].how is not Match.SPELLING
        ):
            # One person, or one spelt as typed among others found by another script or a slip.
            return Subject(kind, matches[0].person_id)
        if matches:
            names = ", ".join(m.full_name for m in matches[:5])
            raise ValidationError(
                N_(
                    "“{name}” matches several people ({names}): give the full name.",
                    name=value,
                    names=names,
                )
            )
        raise NotFoundError(N_("No person matches “{name}”.", name=value))
    try:
        record_id = int(value.lstrip("#"))
    except ValueError:
        raise ValidationError(
            N_("A meeting is given by its number, not “{text}”.", text=value)
            if kind is SubjectKind.MEETING
            else N_("A visit is given by its number, not “{text}”.", text=value)
        ) from None
    if kind is SubjectKind.MEETING:
        if store.meetings.is_deleted(record_id):  # raises NotFoundError when there is none
            raise NotFoundError(N_("Meeting #{number} is in the bin.", number=record_id))
    else:
        store.delegations.get(record_id)
    return Subject(kind, record_id)


def subject_choices(store: Store, kind: SubjectKind, around: date) -> list[SubjectChoice]:
    """What a picker offers: every country, organisation or person; for meetings and visits the
    ones nearest ``around`` (upcoming first), since there may be a great many."""
    if kind is SubjectKind.COUNTRY:
        return [
            SubjectChoice(Subject(kind, c.id), c.name)
            for c in store.countries.all()
            if c.id is not None
        ]
    if kind is SubjectKind.ORGANISATION:
        return [
            SubjectChoice(Subject(kind, o.id), o.name)
            for o in store.organisations.all()
            if o.id is not None
        ]
    if kind is SubjectKind.PERSON:
        return [
            SubjectChoice(Subject(kind, pid), name) for pid, name in store.people.names_in_order()
        ]
    if kind is SubjectKind.MEETING:
        ahead = store.meetings.page(
            MeetingFilter(date_from=around), descending=False, limit=100
        ).rows
        before = store.meetings.page(
            MeetingFilter(date_to=around - timedelta(days=1)), limit=100
        ).rows
        return [SubjectChoice(Subject(kind, r.id), _meeting_label(r)) for r in [*ahead, *before]]
    return [
        SubjectChoice(Subject(kind, d.id), f"{format_date(d.start)}  {d.title}")
        for d in store.delegations.all()
        if d.id is not None
    ]


def subject_label(store: Store, subject: Subject) -> str:
    """A short name for a subject, for pickers and window titles."""
    if subject.kind is SubjectKind.COUNTRY:
        return store.countries.get(subject.id).name
    if subject.kind is SubjectKind.ORGANISATION:
        return store.organisations.get(subject.id).name
    if subject.kind is SubjectKind.PERSON:
        return store.people.get(subject.id).full_name
    if subject.kind is SubjectKind.MEETING:
        meeting = store.meetings.get(subject.id)
        return f"{format_date(meeting.date, meeting.precision)}  {meeting.subject}"
    delegation = store.delegations.get(subject.id)
    return f"{format_date(delegation.start)}  {delegation.title}"


def _meeting_label(row: MeetingRow) -> str:
    who = f" — {row.counterpart}" if row.counterpart else ""
    return f"{format_date(row.date, row.precision)}  {row.subject}{who}"


# --- collecting --------------------------------------------------------------------------------
@dataclass
class _Scope:
    """Which records count as 'about the subject'."""

    country_id: int | None = None  # meetings held there or with its people are history
    relations_country_id: int | None = None  # whose relations and anniversaries are shown
    organisation_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)  # counterparts known up front
    event_meeting_ids: set[int] = field(default_factory=set)  # the purpose, not history
    history_to: date | None = None
    event_end: date | None = None
    search_upcoming: bool = True


def collect_briefing(store: Store, subject: Subject, options: BriefingOptions) -> Briefing:
    """Gather a note on ``subject`` as of ``options.as_of``; talking points come prefilled."""
    return _Collector(store, options).collect(subject)


def visit_programme(
    store: Store,
    delegation_id: int,
    *,
    prepared_on: date | None = None,
    language: Language | None = None,
) -> Briefing:
    """A visit printed on its own: when, who takes part, its purpose and the day-by-day
    programme; in ``language``, else the program's."""
    delegation = store.delegations.get(delegation_id)
    options = _record_options(delegation.start, prepared_on, language)
    collector = _Collector(store, options)
    purpose = collector._delegation_purpose(delegation)
    return collector.record(
        Subject(SubjectKind.DELEGATION, delegation_id), VISIT_PROGRAMME, purpose
    )


def meeting_record(
    store: Store,
    meeting_id: int,
    *,
    prepared_on: date | None = None,
    language: Language | None = None,
) -> Briefing:
    """A meeting printed on its own: when, where, who, the summary, its sources and what was
    agreed there; in ``language``, else the program's."""
    meeting = store.meetings.get(meeting_id)
    collector = _Collector(store, _record_options(meeting.date, prepared_on, language))
    purpose = collector._meeting_purpose(meeting)
    purpose.sources = collector._history_entry(meeting).sources
    origin = _Origin(meeting.date, meeting.precision, meeting.subject)
    purpose.actions = [
        collector._action_line(
            action, origin, action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        )
        for action in meeting.actions
        if action.id is not None
    ]
    return collector.record(Subject(SubjectKind.MEETING, meeting_id), MEETING_RECORD, purpose)


def _record_options(
    day: date, prepared_on: date | None, language: Language | None
) -> BriefingOptions:
    return BriefingOptions(
        as_of=day,
        days=0,
        sections=(Section.PURPOSE,),
        prepared_on=prepared_on,
        language=language or current_language(),
    )


def saved_marking(store: Store) -> str:
    """The marking the office last chose for its notes (none when never chosen)."""
    return store.settings.get("marking", "") or ""


def note_marking(chosen: str | None, language: Language) -> str:
    """The office's marking as it wrote it, except the standard one (“FOR OFFICIAL USE” in any
    of the three languages), which is printed in the note's language. None stays none."""
    text = (chosen or "").strip()
    standard = {catalog(other).gettext(STANDARD_MARKING).casefold() for other in Language}
    if text.casefold() in standard:
        return catalog(language).gettext(STANDARD_MARKING)
    return text


class _Collector:
    def __init__(self, store: Store, options: BriefingOptions) -> None:
        self.store = store
        self.options = options
        self.as_of = options.as_of
        self.language = options.language
        self.catalog: Catalog = catalog(options.language)
        self._ = self.catalog.gettext
        self._org_names: dict[int, str] = {}
        self._country_names: dict[int, str] = {}
        self._people: dict[int, Person] = {}
        self.upcoming_people: list[int] = []  # counterparts of the events ahead, in order
        uid = store.settings.get("our_country")
        self.our_country_id = store.countries.id_for_uid("country", uid) if uid else None

    # --- names, cached: the same few records come up again and again ---------------------------
    def org_name(self, organisation_id: int | None) -> str:
        if organisation_id is None:
            return ""
        if organisation_id not in self._org_names:
            organisation = self.store.organisations.get(organisation_id)
            self._org_names[organisation_id] = name_in_language(
                organisation.name, organisation.other_names, self.language
            )
        return self._org_names[organisation_id]

    def country_name(self, country_id: int | None) -> str:
        if country_id is None:
            return ""
        if country_id not in self._country_names:
            country = self.store.countries.get(country_id)
            self._country_names[country_id] = name_in_language(
                country.name, country.other_names, self.language
            )
        return self._country_names[country_id]

    def person(self, person_id: int) -> Person:
        if person_id not in self._people:
            self._people[person_id] = self.store.people.get(person_id)
        return self._people[person_id]

    # --- dates and the note's own words ---------------------------------------------------------
    def long(self, value: date) -> str:
        return long_date(value, self.language)

    def precise(self, value: date, precision: Precision) -> str:
        return date_with_precision(value, precision, self.language)

    def base_date(self, value: date | MonthDay | None) -> str:
        if value is None:
            return ""
        if isinstance(value, MonthDay):
            return day_of_year(value.month, value.day, self.language)
        return self.long(value)

    def span(self, start: date, end: date | None) -> str:
        if end is None or end == start:
            return self.long(start)
        if start.year == end.year and start.month == end.month:
            return f"{start.day}–{self.long(end)}"
        return f"{self.long(start)} – {self.long(end)}"

    def marking(self, chosen: str | None) -> str:
        return note_marking(chosen, self.language)

    def office_name(self) -> str:
        return (self.store.settings.get("office_name") or "").strip() or self._(DEFAULT_OFFICE_NAME)

    # --- the whole note ---------------------------------------------------------------------------
    def record(self, subject: Subject, kind: str, purpose: Purpose) -> Briefing:
        """A printout of one visit or meeting: the purpose block alone, under its own title."""
        settings = self.store.settings
        return Briefing(
            subject=subject,
            office_name=self.office_name(),
            marking=self.marking(settings.get("marking", "")),
            title=purpose.heading,
            kind_label=self._(SUBJECT_KIND_LABELS[subject.kind]),
            as_of=self.as_of,
            prepared_on=self.options.prepared_on or date.today(),
            window_end=self.as_of,
            sections=(Section.PURPOSE,),
            document_kind=kind,
            purposes=[purpose],
            language=self.language,
        )

    def collect(self, subject: Subject) -> Briefing:
        options = self.options
        settings = self.store.settings
        marking = options.marking if options.marking is not None else settings.get("marking", "")
        briefing = Briefing(
            subject=subject,
            office_name=self.office_name(),
            marking=self.marking(marking),
            title="",
            kind_label=self._(SUBJECT_KIND_LABELS[subject.kind]),
            as_of=self.as_of,
            prepared_on=options.prepared_on or date.today(),
            window_end=self.as_of + timedelta(days=max(options.days, 0)),
            page_size=options.page_size,
            sections=tuple(s for s in Section if s in options.sections),
            section_per_page=options.section_per_page,
            language=self.language,
        )
        scope = self._describe(subject, briefing)
        if scope.event_end is not None and scope.event_end > briefing.window_end:
            briefing.window_end = scope.event_end
        ahead, past, more = self._scan(scope, briefing.window_end)
        if scope.search_upcoming:
            briefing.purposes = self._upcoming(scope, briefing.window_end, ahead)
        limit = max(options.history_limit, 0)
        meetings = [self.store.meetings.get(r.id) for r in past[:limit]]
        briefing.history = [self._history_entry(m) for m in meetings]
        briefing.history_truncated = more or len(past) > limit
        briefing.profiles, briefing.more_profiles = self._profiles(subject, scope, meetings)
        briefing.relations = self._relations(scope, briefing)
        open_actions, briefing.done_actions = self._actions(meetings, past[limit:])
        briefing.open_actions = open_actions[: max(options.action_limit, 0)]
        briefing.more_open_actions = len(open_actions) - len(briefing.open_actions)
        briefing.overdue_actions = sum(1 for a in open_actions if a.overdue)
        briefing.next_due = min(
            (a.due for a in open_actions if a.due and not a.overdue), default=None
        )
        briefing.talking_points = suggest_talking_points(briefing)
        return briefing

    def _describe(self, subject: Subject, briefing: Briefing) -> _Scope:
        """Title the note and decide its scope, by kind of subject."""
        store = self.store
        scope = _Scope(history_to=self.as_of)
        if subject.kind is SubjectKind.COUNTRY:
            country = store.countries.get(subject.id)
            briefing.title = self.country_name(subject.id)
            briefing.subtitle = " · ".join(
                n
                for n in [country.name, *country.other_names, country.iso_code or ""]
                if n and n != briefing.title
            )
            scope.country_id = subject.id
        elif subject.kind is SubjectKind.ORGANISATION:
            organisation = store.organisations.get(subject.id)
            briefing.title = self.org_name(subject.id)
            briefing.subtitle = " · ".join(
                n
                for n in [
                    organisation.short_name or "",
                    organisation.name,
                    *organisation.other_names,
                    self.country_name(organisation.country_id),
                ]
                if n and n != briefing.title
            )
            scope.organisation_ids = self._organisation_tree(subject.id)
            scope.relations_country_id = organisation.country_id
        elif subject.kind is SubjectKind.PERSON:
            person = self.person(subject.id)
            briefing.title = person.full_name
            briefing.subtitle = "; ".join(self._titles_on(person, self.as_of))
            scope.person_ids = [subject.id]
            scope.relations_country_id = person.country_id
        elif subject.kind is SubjectKind.MEETING:
            meeting = store.meetings.get(subject.id)
            theirs = [p for p in meeting.participants if p.side is Side.COUNTERPART]
            briefing.title = (
                self._("Meeting with {names}").format(
                    names=", ".join(p.person_name for p in theirs)
                )
                if theirs
                else meeting.subject
            )
            briefing.subtitle = " · ".join(
                x
                for x in [
                    self.precise(meeting.date, meeting.precision),
                    self._place(meeting),
                ]
                if x
            )
            briefing.purposes = [self._meeting_purpose(meeting)]
            scope.person_ids = [p.person_id for p in theirs]
            scope.country_id = self._counterpart_country(scope.person_ids, meeting.country_id)
            scope.event_meeting_ids = {subject.id}
            scope.history_to = meeting.date - timedelta(days=1)
            scope.event_end = meeting.date
            scope.search_upcoming = False
        else:
            delegation = store.delegations.get(subject.id)
            briefing.title = delegation.title
            briefing.subtitle = " · ".join(
                x
                for x in [
                    self.span(delegation.start, delegation.end),
                    self._(DIRECTION_LABELS[delegation.direction]),
                    delegation.city,
                ]
                if x
            )
            briefing.purposes = [self._delegation_purpose(delegation)]
            members = [
                m.person_id
                for m in delegation.members
                if self.person(m.person_id).side is Side.COUNTERPART
            ]
            programme_meetings = [i.meeting_id for i in delegation.programme if i.meeting_id]
            for meeting_id in programme_meetings:
                for p in self.store.meetings.get(meeting_id).participants:
                    if p.side is Side.COUNTERPART and p.person_id not in members:
                        members.append(p.person_id)
            scope.person_ids = members
            if delegation.organisation_id is not None:
                scope.organisation_ids = self._organisation_tree(delegation.organisation_id)
            country_id = delegation.country_id
            if country_id is None and delegation.organisation_id is not None:
                country_id = store.organisations.get(delegation.organisation_id).country_id
            scope.country_id = self._counterpart_country(members, country_id)
            scope.event_meeting_ids = set(programme_meetings)
            scope.history_to = delegation.start - timedelta(days=1)
            scope.event_end = delegation.end or delegation.start
            scope.search_upcoming = False
        if scope.country_id == self.our_country_id and subject.kind is not SubjectKind.COUNTRY:
            # "Meetings held in our own country" would be nearly every meeting: not a scope.
            scope.country_id = None
        if scope.relations_country_id is None:
            scope.relations_country_id = scope.country_id
        if scope.relations_country_id == self.our_country_id:
            scope.relations_country_id = None  # no "relations" with ourselves
        return scope

    def _organisation_tree(self, organisation_id: int) -> list[int]:
        """The organisation and everything under it (a chamber and its committees)."""
        children: dict[int | None, list[int]] = {}
        for organisation in self.store.organisations.all():
            if organisation.id is not None:
                children.setdefault(organisation.parent_id, []).append(organisation.id)
                self._org_names[organisation.id] = organisation.name
        found, queue = [], [organisation_id]
        while queue:
            current = queue.pop(0)
            if current in found:
                continue
            found.append(current)
            queue.extend(children.get(current, []))
        return found

    def _counterpart_country(self, person_ids: list[int], fallback: int | None) -> int | None:
        """The country most of the counterparts come from, else the one given."""
        counts: dict[int, int] = {}
        for person_id in person_ids:
            country_id = self.person(person_id).country_id
            if country_id is not None and country_id != self.our_country_id:
                counts[country_id] = counts.get(country_id, 0) + 1
        if counts:
            return max(counts, key=lambda c: counts[c])
        return fallback

    # --- purpose ----------------------------------------------------------------------------
    def _place(self, meeting: Meeting) -> str:
        parts = [meeting.venue, meeting.city, self.country_name(meeting.country_id)]
        place = ", ".join(p for p in parts if p)
        if meeting.occasion:
            place = f"{place} ({meeting.occasion})" if place else meeting.occasion
        return place

    def _meeting_purpose(self, meeting: Meeting) -> Purpose:
        _ = self._
        when = self.precise(meeting.date, meeting.precision)
        if meeting.time:
            when = f"{when}, {meeting.time}"
        kind = _(meeting.kind) if meeting.kind else ""  # the office's own kinds are translated
        details = [
            (_("Place"), self._place(meeting)),
            (_("Format"), _(MEETING_FORMAT_LABELS.get(meeting.format, ""))),
            (_("Kind"), kind[:1].upper() + kind[1:]),
        ]
        if meeting.delegation_id is not None:
            details.append((_("Visit"), self.store.delegations.get(meeting.delegation_id).title))
        if meeting.topics:
            details.append((_("Topics"), "; ".join(meeting.topics)))
        members = [(p.person_name, p.title or p.role) for p in meeting.participants]
        return Purpose(
            heading=meeting.subject,
            when=when,
            details=[(k, v) for k, v in details if v],
            text=meeting.summary,
            members=members,
        )

    def _delegation_purpose(self, delegation: Delegation) -> Purpose:
        _ = self._
        details = [
            (_("Kind"), _(DIRECTION_LABELS[delegation.direction])),
            (_("Status"), _(DELEGATION_STATUS_LABELS[delegation.status])),
            (_("City"), delegation.city),
            (_("Country"), self.country_name(delegation.country_id)),
            (_("Host or guest"), self.org_name(delegation.organisation_id)),
        ]
        if delegation.head_person_id is not None:
            details.append((_("Head"), self.person(delegation.head_person_id).full_name))
        return Purpose(
            heading=delegation.title,
            when=self.span(delegation.start, delegation.end),
            details=[(k, v) for k, v in details if v],
            text=delegation.purpose,
            members=[
                (m.person_name or self.person(m.person_id).full_name, m.role)
                for m in delegation.members
            ],
            programme=[
                ProgrammeLine(i.day, i.time or "", i.title, i.place) for i in delegation.programme
            ],
        )

    def _filters(
        self, scope: _Scope, date_from: date | None, date_to: date | None
    ) -> list[MeetingFilter]:
        filters = []
        if scope.country_id is not None:
            filters.append(
                MeetingFilter(country_id=scope.country_id, date_from=date_from, date_to=date_to)
            )
        filters += [
            MeetingFilter(organisation_id=o, date_from=date_from, date_to=date_to)
            for o in scope.organisation_ids
        ]
        filters += [
            MeetingFilter(person_id=p, date_from=date_from, date_to=date_to)
            for p in scope.person_ids
        ]
        return filters

    def _note_upcoming(self, person_ids: Iterable[int]) -> None:
        for person_id in person_ids:
            if self.person(person_id).side is Side.COUNTERPART and (
                person_id not in self.upcoming_people
            ):
                self.upcoming_people.append(person_id)

    def _upcoming(self, scope: _Scope, window_end: date, ahead: list[MeetingRow]) -> list[Purpose]:
        """Visits and meetings with the subject after the as-of date, within the window."""
        start = self.as_of + timedelta(days=1)
        delegations = [
            d
            for d in self.store.delegations.all()
            if d.status.value != "cancelled"
            and start <= d.start <= window_end
            and (
                (scope.country_id is not None and d.country_id == scope.country_id)
                or d.organisation_id in scope.organisation_ids
                or d.head_person_id in scope.person_ids
                or any(m.person_id in scope.person_ids for m in d.members)
            )
        ]
        delegations.sort(key=lambda d: d.start)
        purposes = [self._delegation_purpose(d) for d in delegations]
        for delegation in delegations:
            self._note_upcoming(m.person_id for m in delegation.members)
        delegation_ids = {d.id for d in delegations}
        programme = {i.meeting_id for d in delegations for i in d.programme if i.meeting_id}
        for row in ahead[:UPCOMING_MEETINGS]:
            meeting = self.store.meetings.get(row.id)
            self._note_upcoming(p.person_id for p in meeting.participants)
            # A meeting on a visit's programme is printed with the visit, not again on its own.
            if row.id not in programme and meeting.delegation_id not in delegation_ids:
                purposes.append(self._meeting_purpose(meeting))
        return purposes[:6]

    # --- history ----------------------------------------------------------------------------
    def _scan(
        self, scope: _Scope, window_end: date
    ) -> tuple[list[MeetingRow], list[MeetingRow], bool]:
        """The subject's meetings: those ahead in the window (nearest first), those up to the
        history date (newest first), and whether older ones were left out. One query per
        filter serves both: at office scale each costs far more than reading its rows."""
        reach = max(self.options.history_limit, ACTION_REACH)
        until = scope.history_to or self.as_of
        if scope.search_upcoming:
            until = max(until, window_end)
        limit = reach + (UPCOMING_SCAN if scope.search_upcoming else 0)
        rows: dict[int, MeetingRow] = {}
        more = False
        for flt in self._filters(scope, None, until):
            page = self.store.meetings.page(flt, limit=limit + 1)
            more = more or len(page.rows) > limit
            for row in page.rows:
                if row.id not in scope.event_meeting_ids:
                    rows[row.id] = row
        ordered = sorted(rows.values(), key=lambda r: (r.date, r.id), reverse=True)
        ahead = sorted(
            (r for r in ordered if scope.search_upcoming and self.as_of < r.date <= window_end),
            key=lambda r: (r.date, r.id),
        )
        history_to = scope.history_to or self.as_of
        past = [r for r in ordered if r.date <= history_to]
        return ahead, past[:reach], more or len(past) > reach

    def _history_entry(self, meeting: Meeting) -> HistoryEntry:
        assert meeting.id is not None
        sources = []
        for source in meeting.sources:
            text = ", ".join(
                x
                for x in [
                    source.publisher,
                    source.title and f"“{source.title}”",
                    source.published_on and self.long(source.published_on),
                    source.url,
                ]
                if x
            )
            if text:
                sources.append(text)
        return HistoryEntry(
            meeting_id=meeting.id,
            date=meeting.date,
            date_text=self.precise(meeting.date, meeting.precision),
            subject=meeting.subject,
            place=self._place(meeting),
            kind=meeting.kind,
            format_label=(
                self._(MEETING_FORMAT_LABELS[meeting.format])
                if meeting.format is not MeetingFormat.IN_PERSON
                else ""
            ),
            ours=[(p.person_name, p.title) for p in meeting.participants if p.side is Side.OURS],
            theirs=[
                (p.person_name, p.title) for p in meeting.participants if p.side is Side.COUNTERPART
            ],
            summary=meeting.summary,
            topics=list(meeting.topics),
            sources=sources,
            documents=[
                ", ".join(
                    x for x in [d.title, d.kind.value, d.signed_on and self.long(d.signed_on)] if x
                )
                for d in meeting.documents
            ],
            confidentiality=(
                self._(CONFIDENTIALITY_LABELS[meeting.confidentiality])
                if meeting.confidentiality is not Confidentiality.PUBLIC
                else ""
            ),
        )

    # --- profiles ---------------------------------------------------------------------------
    def _profiles(
        self, subject: Subject, scope: _Scope, meetings: list[Meeting]
    ) -> tuple[list[Profile], int]:
        candidates: list[int] = list(scope.person_ids)
        if subject.kind in (SubjectKind.COUNTRY, SubjectKind.ORGANISATION):
            for person_id in self.upcoming_people:
                if person_id not in candidates:
                    candidates.append(person_id)
            for meeting in meetings:  # newest first: the people met most recently lead
                for p in meeting.participants:
                    if p.side is Side.COUNTERPART and p.person_id not in candidates:
                        candidates.append(p.person_id)
            candidates = [c for c in candidates if self._belongs(c, subject, scope)]
        limit = max(self.options.profile_limit, 0)
        return [self._profile(c) for c in candidates[:limit]], max(len(candidates) - limit, 0)

    def _belongs(self, person_id: int, subject: Subject, scope: _Scope) -> bool:
        person = self.person(person_id)
        if subject.kind is SubjectKind.COUNTRY:
            return person.country_id in (None, subject.id)
        organisation_ids = set(scope.organisation_ids)
        return any(p.organisation_id in organisation_ids for p in person.positions) or not any(
            p.organisation_id for p in person.positions
        )

    def _titles_on(self, person: Person, day: date) -> list[str]:
        return [
            _with_organisation(p.title, self.org_name(p.organisation_id))
            for p in person.positions
            if p.held_on(day)
        ]

    def _profile(self, person_id: int) -> Profile:
        person = self.person(person_id)
        previous = [
            _with_organisation(p.title, self.org_name(p.organisation_id))
            + (" " + self._("(until {day})").format(day=self.long(p.end)) if p.end else "")
            for p in sorted(person.positions, key=lambda p: p.end or date.min, reverse=True)
            if p.end is not None and p.end < self.as_of
        ]
        contacts = MeetingFilter(person_id=person_id, date_to=self.as_of)
        count = self.store.meetings.count(contacts)
        last = self.store.meetings.page(contacts, limit=1).rows if count else []
        born = self.base_date(person.birth_date)
        return Profile(
            person_id=person_id,
            name=person.full_name,
            side=person.side,
            other_names=[v.name for v in person.printable_variants()],
            titles=self._titles_on(person, self.as_of),
            previous_titles=previous,
            form_of_address=person.form_of_address,
            country=self.country_name(person.country_id),
            born=born,
            notes=person.notes,
            photo=self.store.people.photo(person_id) if person.has_photo else None,
            contacts=count,
            last_contact=last[0].date if last else None,
            last_contact_precision=last[0].precision if last else Precision.DAY,
        )

    # --- relations and anniversaries --------------------------------------------------------
    def _relations(self, scope: _Scope, briefing: Briefing) -> Relations | None:
        relations = Relations()
        country_id = scope.relations_country_id
        if country_id is not None:
            country = self.store.countries.get(country_id)
            relations.country = self.country_name(country_id)
            relations.established = country.relations_established
            if country.relations_established:
                relations.years = full_years(country.relations_established, self.as_of)
            if country.national_day is not None:
                name = country.national_day_name or self._("National day")
                relations.national_day = f"{name}: {self.base_date(country.national_day)}"
        people = {p.person_id for p in briefing.profiles} | set(scope.person_ids)
        organisations = set(scope.organisation_ids)
        days = (briefing.window_end - self.as_of).days
        found = [
            o
            for o in upcoming_anniversaries(self.store, self.as_of, days)
            if (country_id is not None and o.anniversary.country_id == country_id)
            or o.anniversary.organisation_id in organisations
            or o.anniversary.person_id in people
        ]
        found.sort(key=lambda o: (not o.jubilee, o.date, o.anniversary.title))
        relations.anniversaries = [self._anniversary_line(o) for o in found]
        if relations.is_empty():
            return None
        return relations

    def _anniversary_title(self, occurrence: Occurrence) -> str:
        """The anniversary's title as the note prints it: a relations anniversary under the
        title the program gave it is written in the note's language; the office's own titles
        stay as written. Its ordinal (“30th anniversary”, “30-летие”) in front."""
        anniversary = occurrence.anniversary
        title = anniversary.title
        if (
            anniversary.kind is AnniversaryKind.DIPLOMATIC_RELATIONS
            and anniversary.country_id is not None
        ):
            country = self.store.countries.get(anniversary.country_id)
            ours = (
                self.store.countries.get(self.our_country_id).name
                if self.our_country_id is not None
                else None
            )
            if title == relations_title(country.name, ours):
                name = self.country_name(anniversary.country_id)
                title = (
                    self._("{ours}–{country} diplomatic relations").format(
                        ours=self.country_name(self.our_country_id), country=name
                    )
                    if ours
                    else self._("Diplomatic relations with {country}").format(country=name)
                )
        if occurrence.ordinal:
            return f"{anniversary_ordinal(occurrence.ordinal, self.language)}: {title}"
        return title

    def _anniversary_line(self, occurrence: Occurrence) -> AnniversaryLine:
        return AnniversaryLine(
            date=occurrence.date,
            title=self._anniversary_title(occurrence),
            kind=occurrence.anniversary.kind,
            kind_label=self._(ANNIVERSARY_KIND_LABELS[occurrence.anniversary.kind]),
            ordinal=occurrence.ordinal,
            jubilee=occurrence.jubilee,
            major=occurrence.major,
            days_until=occurrence.days_until(self.as_of),
            prepare_by=occurrence.prepare_by,
        )

    # --- agreed actions ---------------------------------------------------------------------
    def _actions(
        self, meetings: list[Meeting], older: list[MeetingRow]
    ) -> tuple[list[ActionLine], list[ActionLine]]:
        """Open actions (as of the as-of date) and those done recently, from the printed
        meetings and the older ones within reach."""
        origins: list[tuple[list[AgreedAction], _Origin]] = [
            (m.actions, _Origin(m.date, m.precision, m.subject)) for m in meetings
        ]
        origins += [
            (self.store.actions.for_meeting(r.id), _Origin(r.date, r.precision, r.subject))
            for r in older
        ]
        open_lines: list[ActionLine] = []
        done_lines: list[ActionLine] = []
        recent = self.as_of - timedelta(days=max(self.options.done_within_days, 0))
        for actions, origin in origins:
            for action in actions:
                # As of an earlier date, an action finished later was still open.
                finished_later = (
                    action.completed_on is not None and action.completed_on > self.as_of
                )
                is_open = finished_later or action.status in (
                    ActionStatus.OPEN,
                    ActionStatus.IN_PROGRESS,
                )
                line = self._action_line(action, origin, is_open)
                if is_open:
                    open_lines.append(line)
                elif (
                    action.status is ActionStatus.DONE
                    and (action.completed_on or origin.day) >= recent
                ):
                    done_lines.append(line)
        open_lines.sort(key=_pressing)
        done_lines.sort(key=lambda a: a.completed_on or date.min, reverse=True)
        return open_lines, done_lines

    def _action_line(self, action: AgreedAction, origin: _Origin, is_open: bool) -> ActionLine:
        assert action.id is not None
        due = action.due
        if due is None and action.due_anniversary_id is not None:
            anniversary = self.store.anniversaries.get(action.due_anniversary_id)
            due = next_occurrence(anniversary.base_date, origin.day, leap_day_rule(self.store))
        status = action.status
        if is_open and status in (ActionStatus.DONE, ActionStatus.DROPPED):
            status = ActionStatus.OPEN
        return ActionLine(
            action_id=action.id,
            text=action.text,
            status=status,
            status_label=self._(ACTION_STATUS_LABELS[status]),
            due=due,
            overdue=is_open and due is not None and due < self.as_of,
            owner=action.owner,
            agreed_on=self.precise(origin.day, origin.precision),
            agreed_at=origin.subject,
            completed_on=action.completed_on if not is_open else None,
            outcome=action.outcome if not is_open else "",
        )


@dataclass(frozen=True)
class _Origin:
    """The meeting an action was agreed at, as much of it as an action line shows."""

    day: date
    precision: Precision
    subject: str


def _pressing(line: ActionLine) -> tuple[int, int, str]:
    """Most pressing first: overdue (the most recently missed first), then by due date, then
    those with no date."""
    if line.overdue and line.due is not None:
        return (0, -line.due.toordinal(), line.text)
    if line.due is not None:
        return (1, line.due.toordinal(), line.text)
    return (2, 0, line.text)


# --- talking points ----------------------------------------------------------------------------
def suggest_talking_points(
    briefing: Briefing, *, anniversaries: int = 3, actions: int = 6
) -> list[str]:
    """Points to raise, drawn from near anniversaries (jubilees first) and open actions (the
    next ones due, then the most recently missed). The officer edits them before printing; a
    handful is what can be said in one meeting, so the lists are capped."""
    language = briefing.language
    _ = catalog(language).gettext
    points: list[str] = []
    relations = briefing.relations
    for line in (relations.anniversaries if relations else [])[:anniversaries]:
        when = long_date(line.date, language)
        if line.kind is AnniversaryKind.DIPLOMATIC_RELATIONS and line.ordinal:
            country = relations.country if relations else ""
            point = (
                _("Mark the {anniversary} of diplomatic relations with {country} on {day}")
                if country
                else _("Mark the {anniversary} of diplomatic relations on {day}")
            ).format(
                anniversary=anniversary_ordinal(line.ordinal, language), country=country, day=when
            )
        elif line.kind is AnniversaryKind.BIRTHDAY:
            point = _("Offer birthday greetings ({name}, {day})").format(name=line.title, day=when)
        else:
            point = _("Offer congratulations: {occasion}, {day}").format(
                occasion=line.title, day=when
            )
        if line.jubilee:
            point += _(" — a jubilee")
        points.append(point + ".")
    upcoming = [a for a in briefing.open_actions if a.due is not None and not a.overdue]
    missed = sorted(
        (a for a in briefing.open_actions if a.overdue),
        key=lambda a: a.due or date.min,
        reverse=True,
    )
    undated = [a for a in briefing.open_actions if a.due is None]
    for action in [*upcoming, *missed, *undated][:actions]:
        text = action.text.rstrip(". ")
        origin = (
            _("agreed on {day}").format(day=action.agreed_on)
            if action.agreed_on
            else _("agreed earlier")
        )
        due = ""
        if action.due is not None:
            day = long_date(action.due, language)
            due = (_(", was due {day}") if action.overdue else _(", due {day}")).format(day=day)
        points.append(
            _("Follow up: {action} ({origin}{due}).").format(action=text, origin=origin, due=due)
        )
    return points


def _with_organisation(title: str, organisation: str) -> str:
    if organisation and organisation.casefold() not in title.casefold():
        return f"{title}, {organisation}"
    return title
