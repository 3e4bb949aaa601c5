"""What is coming: anniversary occurrences in a window, what needs preparing, and typed
anniversaries kept by the office, all read with the office's settings."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from protocol_desk.domain.anniversaries import (
    MAX_HORIZON_DAYS,
    Day,
    JubileeRule,
    LeadTimes,
    LeapDayRule,
    Occurrence,
    count_occurrences,
    horizon_end,
    occurrences_between,
    occurrences_in,
    ordinal_text,
    parse_jubilee_rule,
    preparation_started,
    upcoming,
    year_anniversaries,
)
from protocol_desk.domain.dates import Year, format_date, format_long, month_end
from protocol_desk.domain.errors import NotFoundError, ValidationError
from protocol_desk.domain.listing import PersonMatch
from protocol_desk.domain.messages import N_, Nn_
from protocol_desk.domain.models import (
    ANNIVERSARY_KIND_LABELS,
    AgreedAction,
    Anniversary,
    AnniversaryKind,
)
from protocol_desk.domain.validation import MAX_TEXT
from protocol_desk.store import Store
from protocol_desk.store.anniversaries import AnniversaryListing, LinkedAction
from protocol_desk.store.due import LEAP_DAY_SETTING

JUBILEE_EVERY_SETTING = "jubilee_every"
JUBILEE_MAJOR_SETTING = "jubilee_major"

HORIZON_CHOICES = (30, 90, 365)
_IDS_PER_READ = 500  # anniversaries whose linked actions one query reads


# --- settings ---------------------------------------------------------------------------------
def leap_day_rule(store: Store) -> LeapDayRule:
    value = store.settings.get(LEAP_DAY_SETTING) or LeapDayRule.FEB_28.value
    try:
        return LeapDayRule(value)
    except ValueError:
        return LeapDayRule.FEB_28


def set_leap_day_rule(store: Store, rule: LeapDayRule | str) -> LeapDayRule:
    try:
        chosen = LeapDayRule(rule)
    except ValueError:
        raise ValidationError(
            N_("“{text}” is not a rule for 29 February: use feb28 or mar1.", text=rule),
            LEAP_DAY_SETTING,
        ) from None
    with store.transaction():
        store.settings.set(LEAP_DAY_SETTING, chosen.value)
    return chosen


def jubilee_rule(store: Store) -> JubileeRule:
    """The office's jubilee rule; a setting that cannot be read falls back to the default
    (every 5th year; 10, 25, 50, 75, 100 major) rather than hiding every jubilee."""
    try:
        return parse_jubilee_rule(
            store.settings.get(JUBILEE_EVERY_SETTING), store.settings.get(JUBILEE_MAJOR_SETTING)
        )
    except ValidationError:
        return JubileeRule()


def set_jubilee_rule(store: Store, every: str, major: str) -> JubileeRule:
    """Save the jubilee rule from the text an officer typed (``5`` and ``10, 25, 50``)."""
    rule = parse_jubilee_rule(every.strip(), major)
    with store.transaction():
        store.settings.set(JUBILEE_EVERY_SETTING, str(rule.every))
        store.settings.set(JUBILEE_MAJOR_SETTING, ", ".join(str(n) for n in rule.major))
    return rule


def save_rules(store: Store, leap_day: LeapDayRule | str, every: str, major: str) -> Rules:
    """Save the 29 February rule and the jubilee rule together, or neither (a bad jubilee rule
    rolls the leap-day rule back with it)."""
    with store.transaction():
        chosen = set_leap_day_rule(store, leap_day)
        jubilees = set_jubilee_rule(store, every, major)
    return Rules(chosen, jubilees)


@dataclass(frozen=True)
class Rules:
    """The settings the arithmetic needs, read once per query."""

    leap_day: LeapDayRule = LeapDayRule.FEB_28
    jubilees: JubileeRule = field(default_factory=JubileeRule)
    lead_times: LeadTimes = field(default_factory=LeadTimes)


def rules(store: Store) -> Rules:
    return Rules(leap_day_rule(store), jubilee_rule(store))


# --- upcoming ---------------------------------------------------------------------------------
def upcoming_anniversaries(
    store: Store, as_of: date, days: int, *, country_id: int | None = None
) -> list[Occurrence]:
    """Occurrences in the ``days`` days from ``as_of`` (today is day one), ordered by date;
    with ``country_id``, only those of that country, its organisations and its people.

    This is the year's view the benchmark times: ``upcoming_anniversaries(store, as_of, 365)``."""
    current = rules(store)
    end = horizon_end(as_of, days)
    candidates = store.anniversaries.in_window(as_of, end, country_id=country_id)
    return upcoming(candidates, as_of, days, current.leap_day, current.jubilees)


@dataclass(slots=True)  # not frozen: a year's view builds thousands (treat it as a value)
class UpcomingItem:
    """One occurrence as the office sees it: with its country, subject and linked actions."""

    occurrence: Occurrence
    country_id: int | None
    country: str
    subject: str
    derived: bool
    actions: tuple[LinkedAction, ...] = ()

    @property
    def anniversary(self) -> Anniversary:
        return self.occurrence.anniversary

    @property
    def day(self) -> Day:
        return self.occurrence.date

    def needs_attention(self, as_of: Day) -> bool:
        """The lead time has started, the day has not passed, and nothing is planned for it."""
        o = self.occurrence
        return not self.actions and o.prepare_by <= as_of <= o.date

    def as_dict(self, as_of: Day) -> dict[str, Any]:
        """The fields of ``upcoming --json``."""
        o = self.occurrence
        return {
            "date": o.date.isoformat(),
            "title": o.anniversary.title,
            "label": o.title,
            "kind": o.anniversary.kind.value,
            "ordinal": o.ordinal,
            "ordinal_text": o.ordinal_label,
            "jubilee": o.jubilee,
            "major_jubilee": o.major,
            "prepare_by": o.prepare_by.isoformat(),
            "lead_days": o.lead_days,
            "days_until": o.days_until(as_of),
            "country": self.country or None,
            "subject": self.subject or None,
            "needs_attention": self.needs_attention(as_of),
            "actions": [a.id for a in self.actions],
            "anniversary_uid": o.anniversary.uid,
        }


@dataclass(frozen=True)
class UpcomingQuery:
    """Which occurrences the view lists: a horizon of ``days`` from ``as_of``, or the range
    ``as_of``–``until`` when ``until`` is given; of some kinds and one country when given."""

    as_of: date
    days: int = 90
    until: date | None = None
    kinds: frozenset[AnniversaryKind] | None = None
    country_id: int | None = None

    def window(self) -> tuple[date, date]:
        if self.until is None:
            return self.as_of, horizon_end(self.as_of, self.days)
        if self.until < self.as_of:
            raise ValidationError(N_("The end of the range is before its start."), "until")
        if (self.until - self.as_of).days >= MAX_HORIZON_DAYS:
            raise ValidationError(
                N_("Choose a range shorter than {n} years.", n=MAX_HORIZON_DAYS // 366), "until"
            )
        return self.as_of, self.until

    def months(self) -> list[MonthSpan]:
        """The window cut at the months' ends: the view reads it one month at a time."""
        start, end = self.window()
        spans = []
        day = start
        while True:
            last = min(end, month_end(day))
            spans.append(MonthSpan(day.year, day.month, day, last))
            if last == end:
                return spans
            day = last + timedelta(days=1)


@dataclass(frozen=True)
class MonthSpan:
    """The days of one calendar month that lie in a query's window."""

    year: int
    month: int
    start: date
    end: date


@dataclass(frozen=True)
class UpcomingTotals:
    """What a query's whole window holds: occurrences, and how many of them are jubilees."""

    count: int
    jubilees: int


def _covering(linked: list[LinkedAction], occurrence: Occurrence) -> tuple[LinkedAction, ...]:
    """The actions that fall due on this occurrence (not on another year's)."""
    return tuple(a for a in linked if a.due_on == occurrence.date)


def _items(
    store: Store,
    start: date,
    end: date,
    current: Rules,
    *,
    kinds: Collection[AnniversaryKind] | None,
    country_id: int | None,
    preparing_on: date | None = None,
) -> list[UpcomingItem]:
    """The occurrences in ``[start, end]`` (those whose preparation has started by
    ``preparing_on``, when given) with their country, subject and linked actions."""
    repository = store.anniversaries
    if preparing_on is None:
        found_listings = repository.listings(start, end, country_id=country_id, kinds=kinds)
    else:
        # Most anniversaries of a window of months are not being prepared yet: decide from
        # their dates and lead times which are, and read only those in full.
        facts = repository.preparation_facts(start, end, country_id=country_id, kinds=kinds)
        started = preparation_started(
            facts,
            start,
            end,
            preparing_on,
            current.leap_day,
            current.jubilees,
            current.lead_times,
        )
        found_listings = repository.listings(ids=started) if started else []
    listings = {listing.anniversary.id: listing for listing in found_listings}
    found = occurrences_in(
        (listing.anniversary for listing in listings.values()),
        start,
        end,
        current.leap_day,
        current.jubilees,
        current.lead_times,
        preparing_on=preparing_on,
    )
    # The actions of the anniversaries found, not every linked action (read by id, each read
    # walks the index of actions by anniversary).
    ids = sorted({o.anniversary.id for o in found if o.anniversary.id is not None})
    linked: dict[int, list[LinkedAction]] = defaultdict(list)
    for first in range(0, len(ids), _IDS_PER_READ):
        for action in store.anniversaries.linked_actions(ids[first : first + _IDS_PER_READ]):
            linked[action.anniversary_id].append(action)
    items = []
    for o in found:
        listing = listings[o.anniversary.id]
        actions = linked.get(o.anniversary.id or 0)
        items.append(
            UpcomingItem(
                occurrence=o,
                country_id=listing.country_id,
                country=listing.country,
                subject=listing.subject,
                derived=listing.derived,
                actions=_covering(actions, o) if actions else (),
            )
        )
    return items


@dataclass(frozen=True)
class YearAnniversary:
    """An anniversary of relations known by the year alone: “30 years in 2022”, on a day
    nobody has written down yet (the office can make the date exact later)."""

    year: int
    ordinal: int
    title: str
    country_id: int
    country: str
    jubilee: bool
    major: bool
    kind: AnniversaryKind = AnniversaryKind.DIPLOMATIC_RELATIONS

    @property
    def label(self) -> str:
        return f"{self.ordinal} years in {self.year}: {self.title}"

    def as_dict(self) -> dict[str, Any]:
        """The fields of ``upcoming --json`` for an occurrence without a day."""
        return {
            "date": None,
            "year": self.year,
            "title": self.title,
            "label": self.label,
            "kind": self.kind.value,
            "ordinal": self.ordinal,
            "ordinal_text": ordinal_text(self.ordinal),
            "jubilee": self.jubilee,
            "major_jubilee": self.major,
            "country": self.country,
        }


def year_only_anniversaries(store: Store, query: UpcomingQuery) -> list[YearAnniversary]:
    """The relations known by the year alone that have an anniversary in the years of the
    query's window, by year, jubilees first, then by country."""
    if query.kinds is not None and AnniversaryKind.DIPLOMATIC_RELATIONS not in query.kinds:
        return []
    start, end = query.window()
    jubilees = jubilee_rule(store)
    found = []
    for country in store.countries.known_by_year(query.country_id):
        assert isinstance(country.relations_established, Year) and country.id is not None
        for year, ordinal in year_anniversaries(country.relations_established, start, end):
            found.append(
                YearAnniversary(
                    year=year,
                    ordinal=ordinal,
                    title=store.countries.relations_title(country),
                    country_id=country.id,
                    country=country.name,
                    jubilee=jubilees.is_jubilee(ordinal),
                    major=jubilees.is_major(ordinal),
                )
            )
    found.sort(key=lambda a: (a.year, not a.jubilee, a.country))
    return found


def upcoming_items(store: Store, query: UpcomingQuery) -> list[UpcomingItem]:
    """The upcoming view's rows, ordered by date (jubilees first within a day)."""
    start, end = query.window()
    return _items(store, start, end, rules(store), kinds=query.kinds, country_id=query.country_id)


def upcoming_totals(store: Store, query: UpcomingQuery) -> UpcomingTotals:
    """How many occurrences the whole window holds, counted without building them."""
    start, end = query.window()
    current = rules(store)
    found = store.anniversaries.base_dates(
        start, end, country_id=query.country_id, kinds=query.kinds
    )
    count, jubilees = count_occurrences(found, start, end, current.leap_day, current.jubilees)
    return UpcomingTotals(count, jubilees)


@dataclass(frozen=True)
class MonthPart:
    """Some days of one month of a query's window (``first``–``last``), with their occurrences.
    A month's first part carries the whole month's ``totals`` (its heading counts them)."""

    span: MonthSpan
    first: date
    last: date
    items: list[UpcomingItem]
    totals: UpcomingTotals | None

    @property
    def ends_month(self) -> bool:
        return self.last == self.span.end


class UpcomingMonths:
    """A query's occurrences read a few days at a time, as the view scrolls to them: a year of
    50,000 anniversaries opens as fast as its first screen, whatever day of the month it is.
    Each month is counted when it is reached; months with nothing are passed over."""

    # Occurrences read before the list first shows: more than a screen holds (the view reads
    # on while its screen is not full).
    FIRST_ROWS = 60
    # About how many a further part holds, as the list is scrolled.
    PART_ROWS = 200

    def __init__(self, store: Store, query: UpcomingQuery) -> None:
        self.store = store
        self.query = query
        self.spans = query.months()
        self._next = 0  # the month being read
        self._day: date | None = None  # its next day to read; None before it is counted
        self._per_day = 1.0  # its occurrences per day, to size the parts
        self._rules = rules(store)

    def has_more(self) -> bool:
        return self._next < len(self.spans)

    def _read(self, first: date, last: date) -> list[UpcomingItem]:
        q = self.query
        return _items(self.store, first, last, self._rules, kinds=q.kinds, country_id=q.country_id)

    def _count(self, span: MonthSpan) -> UpcomingTotals:
        q = self.query
        found = self.store.anniversaries.base_dates(
            span.start, span.end, country_id=q.country_id, kinds=q.kinds
        )
        count, jubilees = count_occurrences(
            found, span.start, span.end, self._rules.leap_day, self._rules.jubilees
        )
        return UpcomingTotals(count, jubilees)

    def read_next(self, rows: int = PART_ROWS, *, through: date | None = None) -> MonthPart | None:
        """The next part with occurrences: about ``rows`` of them (at least the days up to
        ``through``), never past its month's end; None when the window is done."""
        totals: UpcomingTotals | None = None
        while self._next < len(self.spans):
            span = self.spans[self._next]
            if self._day is None:
                totals = self._count(span)
                if not totals.count:
                    self._next += 1
                    totals = None
                    continue
                self._day = span.start
                self._per_day = totals.count / ((span.end - span.start).days + 1)
            first = self._day
            days = max(1, math.ceil(rows / self._per_day))
            last = min(span.end, first + timedelta(days=days - 1))
            if through is not None:
                last = max(last, min(span.end, through))
            items = self._read(first, last)
            if last == span.end:
                self._next += 1
                self._day = None
            else:
                self._day = last + timedelta(days=1)
            if items:
                return MonthPart(span, first, last, items, totals)
        return None

    def read_at_least(self, rows: int = FIRST_ROWS) -> list[MonthPart]:
        """Parts until they hold ``rows`` occurrences or the window is done."""
        parts = []
        held = 0
        while held < rows and (part := self.read_next(rows - held)) is not None:
            parts.append(part)
            held += len(part.items)
        return parts

    def read_through(self, day: date) -> list[MonthPart]:
        """Parts until ``day`` has been read (to select an occurrence further down)."""
        parts = []
        while self.has_more() and self._next_day() <= day:
            part = self.read_next(through=day)
            if part is not None:
                parts.append(part)
        return parts

    def _next_day(self) -> date:
        return self._day if self._day is not None else self.spans[self._next].start


def needs_attention(
    store: Store,
    as_of: date,
    *,
    kinds: Collection[AnniversaryKind] | None = None,
    country_id: int | None = None,
) -> list[UpcomingItem]:
    """Occurrences whose lead time has started and that have no agreed action linked yet,
    however far ahead they are (a jubilee's preparation starts months before)."""
    current = rules(store)
    longest = max(
        *current.lead_times.ordinary.values(),
        *current.lead_times.jubilee.values(),
        store.anniversaries.longest_lead_days(),
    )
    end = horizon_end(as_of, min(longest + 1, MAX_HORIZON_DAYS))
    # Only occurrences whose preparation has started get their actions read.
    items = _items(
        store,
        as_of,
        end,
        current,
        kinds=kinds,
        country_id=country_id,
        preparing_on=as_of,
    )
    return [item for item in items if item.needs_attention(as_of)]


@dataclass(frozen=True)
class PeriodSummary:
    """What the area shows beside its list: the window's totals and the needs-attention list
    (read beside the window, since with tens of thousands of anniversaries they take a while)."""

    totals: UpcomingTotals
    needs_attention: list[UpcomingItem]
    # Relations known by the year alone with an anniversary in the window's years.
    by_year: list[YearAnniversary] = field(default_factory=list)


def period_summary(store: Store, query: UpcomingQuery) -> PeriodSummary:
    waiting = needs_attention(store, query.as_of, kinds=query.kinds, country_id=query.country_id)
    return PeriodSummary(
        upcoming_totals(store, query), waiting, year_only_anniversaries(store, query)
    )


def occurrence_of(store: Store, anniversary_id: int, day: date) -> UpcomingItem:
    """The occurrence of an anniversary on ``day``; a day it does not fall on is refused."""
    current = rules(store)
    listings = store.anniversaries.listings(ids=[anniversary_id])
    if not listings:
        raise NotFoundError(N_("This anniversary no longer exists."))
    listing = listings[0]
    if day not in occurrences_between(listing.anniversary.base_date, day, day, current.leap_day):
        raise ValidationError(
            N_(
                "“{title}” does not fall on {day}.",
                title=listing.anniversary.title,
                day=format_date(day),
            ),
            "date",
        )
    found = occurrences_in([listing.anniversary], day, day, current.leap_day, current.jubilees)
    linked = store.anniversaries.linked_actions([anniversary_id])
    return UpcomingItem(
        occurrence=found[0],
        country_id=listing.country_id,
        country=listing.country,
        subject=listing.subject,
        derived=listing.derived,
        actions=_covering(linked, found[0]),
    )


def suggested_action_text(occurrence: Occurrence) -> str:
    """What the action created from an occurrence says, in the office's words."""
    when = format_long(occurrence.date)
    kind = occurrence.anniversary.kind
    if kind is AnniversaryKind.BIRTHDAY:
        return f"Send birthday greetings: {occurrence.title} ({when})"
    if kind is AnniversaryKind.NATIONAL_DAY:
        return f"Send congratulations: {occurrence.title} ({when})"
    if occurrence.jubilee:
        return (
            f"Prepare a congratulatory letter and a commemorative event: {occurrence.title} "
            f"({when})"
        )
    return f"Prepare for {occurrence.title} ({when})"


def create_action_for(
    store: Store, anniversary_id: int, day: date, *, text: str | None = None, owner: str = ""
) -> AgreedAction:
    """One step from an occurrence to the agreed action that prepares it: due on the day,
    linked to the anniversary."""
    item = occurrence_of(store, anniversary_id, day)
    action = AgreedAction(
        text=text if text is not None else suggested_action_text(item.occurrence),
        owner=owner,
        due=day,
        due_anniversary_id=anniversary_id,
    )
    with store.transaction():
        return store.actions.save(action)


# --- typed anniversaries ----------------------------------------------------------------------
def has_anniversaries(store: Store) -> bool:
    """Whether the office keeps any anniversary at all (an empty list then says how to add one)."""
    return store.anniversaries.has_any()


def anniversary_record(store: Store, anniversary_id: int) -> Anniversary:
    """The anniversary as stored, to edit it."""
    return store.anniversaries.get(anniversary_id)


def get_anniversary(store: Store, anniversary_id: int) -> AnniversaryListing:
    listings = store.anniversaries.listings(ids=[anniversary_id])
    if not listings:
        raise NotFoundError(N_("This anniversary no longer exists."))
    return listings[0]


def _check(store: Store, anniversary: Anniversary) -> None:
    for value, nul in (
        (anniversary.title, N_("The title may not contain NUL characters.")),
        (anniversary.notes, N_("The notes may not contain NUL characters.")),
    ):
        if value and "\x00" in value:
            raise ValidationError(nul, "title")
    if len(anniversary.notes) > MAX_TEXT:
        raise ValidationError(
            N_("The notes are longer than {n} characters.", n=format(MAX_TEXT, ",")), "notes"
        )
    for record_id, table, gone in (
        (anniversary.country_id, "country", N_("The chosen country no longer exists.")),
        (
            anniversary.organisation_id,
            "organisation",
            N_("The chosen organisation no longer exists."),
        ),
        (anniversary.person_id, "person", N_("The chosen person no longer exists.")),
    ):
        if record_id is not None and store.anniversaries.uid_for_id(table, record_id) is None:
            raise ValidationError(gone, table)


def save_anniversary(store: Store, anniversary: Anniversary) -> Anniversary:
    """Save a typed anniversary. One that follows from another record keeps its kind, title
    and date (they are edited on that record); only its lead time and notes are the office's."""
    if anniversary.id is not None and store.anniversaries.is_derived(anniversary.id):
        current = store.anniversaries.get(anniversary.id)
        current.version = anniversary.version
        current.lead_days = anniversary.lead_days
        current.notes = anniversary.notes
        anniversary = current
    _check(store, anniversary)
    with store.transaction():
        return store.anniversaries.save(anniversary)


def delete_anniversary(store: Store, anniversary_id: int) -> None:
    """Move a typed anniversary to the bin. Refused for one that follows from another record,
    and for one that agreed actions fall due on (they would lose their date)."""
    listing = get_anniversary(store, anniversary_id)
    if listing.derived:
        follows = {
            AnniversaryKind.BIRTHDAY: N_(
                "“{title}” follows from the person's birth date: remove the date there.",
                title=listing.anniversary.title,
            ),
            AnniversaryKind.FOUNDING: N_(
                "“{title}” follows from the organisation's founding date: remove the date there.",
                title=listing.anniversary.title,
            ),
        }
        raise ValidationError(
            follows.get(
                listing.anniversary.kind,
                N_(
                    "“{title}” follows from the country's record: remove the date there.",
                    title=listing.anniversary.title,
                ),
            )
        )
    linked = store.anniversaries.count_linked_actions(anniversary_id)
    if linked:
        raise ValidationError(
            Nn_(
                "{n} agreed action falls due on “{title}”: give it another due date first.",
                "{n} agreed actions fall due on “{title}”: give them another due date first.",
                n=linked,
                title=listing.anniversary.title,
            )
        )
    with store.transaction():
        store.anniversaries.delete(anniversary_id)


def restore_anniversary(store: Store, anniversary_id: int) -> None:
    with store.transaction():
        store.anniversaries.restore(anniversary_id)


def kind_label(kind: AnniversaryKind) -> str:
    return ANNIVERSARY_KIND_LABELS.get(kind, kind.value)


def suggest_people(store: Store, text: str) -> list[PersonMatch]:
    """People whose any spelling matches, for the editor's person picker."""
    return store.people.suggest(text)


def person_name(store: Store, person_id: int | None) -> str:
    return store.people.get(person_id).full_name if person_id is not None else ""


# --- calendar ---------------------------------------------------------------------------------
def calendar_listings(
    store: Store, query: UpcomingQuery | None = None, *, any_day: bool = False
) -> list[AnniversaryListing]:
    """The anniversaries a calendar file holds: every one without a query; with one, those
    the list shows for it (its window, kinds and country), or with ``any_day`` those of its
    kinds and country whatever their day."""
    if query is None:
        return store.anniversaries.listings()
    if any_day:
        return store.anniversaries.listings(country_id=query.country_id, kinds=query.kinds)
    ids = sorted({i.anniversary.id for i in upcoming_items(store, query) if i.anniversary.id})
    return store.anniversaries.listings(ids=ids) if ids else []
