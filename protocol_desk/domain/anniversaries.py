"""Anniversary arithmetic in one place: occurrences, ordinals, jubilees, the 29 February rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from operator import attrgetter, itemgetter
from typing import TypeVar

from protocol_desk.domain.dates import MonthDay, Year
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Anniversary, AnniversaryKind

Day = date  # the field ``Occurrence.date`` shadows the type inside that class

# Longest window the office may ask for at once: ten years of occurrences.
MAX_HORIZON_DAYS = 3660


class LeapDayRule(StrEnum):
    """Where a 29 February anniversary is observed in a common year (a setting)."""

    FEB_28 = "feb28"
    MAR_1 = "mar1"


LEAP_DAY_RULE_LABELS = {
    LeapDayRule.FEB_28: N_("28 February"),
    LeapDayRule.MAR_1: N_("1 March"),
}

# Major jubilees; every 5th year is a jubilee too (configurable through JubileeRule).
DEFAULT_MAJOR = (10, 25, 50, 75, 100)

# How long before the day preparation should start, by kind (the anniversary may override).
DEFAULT_LEAD_DAYS = {
    AnniversaryKind.DIPLOMATIC_RELATIONS: 60,
    AnniversaryKind.NATIONAL_DAY: 30,
    AnniversaryKind.FOUNDING: 45,
    AnniversaryKind.BIRTHDAY: 14,
    AnniversaryKind.TREATY: 45,
    AnniversaryKind.CUSTOM: 14,
}
JUBILEE_LEAD_DAYS = 120  # a jubilee wants months: a letter, a commemorative meeting

# A jubilee's lead time by kind: a round birthday needs a letter, not a commemorative session.
DEFAULT_JUBILEE_LEAD_DAYS = {
    AnniversaryKind.DIPLOMATIC_RELATIONS: JUBILEE_LEAD_DAYS,
    AnniversaryKind.NATIONAL_DAY: 90,
    AnniversaryKind.FOUNDING: JUBILEE_LEAD_DAYS,
    AnniversaryKind.BIRTHDAY: 30,
    AnniversaryKind.TREATY: 90,
    AnniversaryKind.CUSTOM: 60,
}


@dataclass(frozen=True)
class JubileeRule:
    """Which anniversaries are jubilees: every ``every``-th year (0: none) and the ``major``
    ones, which are also every ``major_every``-th year beyond the list (150th, 200th…)."""

    every: int = 5
    major: tuple[int, ...] = DEFAULT_MAJOR
    major_every: int = 50

    def __post_init__(self) -> None:
        if self.every < 0 or self.major_every < 0 or any(n <= 0 for n in self.major):
            raise ValidationError(N_("Jubilee years are positive whole numbers."), "jubilees")

    def is_jubilee(self, ordinal: int | None) -> bool:
        if ordinal is None or ordinal <= 0:
            return False
        return (self.every > 0 and ordinal % self.every == 0) or self.is_major(ordinal)

    def is_major(self, ordinal: int | None) -> bool:
        if ordinal is None or ordinal <= 0:
            return False
        return ordinal in self.major or (self.major_every > 0 and ordinal % self.major_every == 0)

    def describe(self) -> str:
        every = f"every {ordinal_text(self.every)} year" if self.every else "no regular jubilees"
        major = ", ".join(str(n) for n in self.major) or "none"
        return f"{every}; major: {major}"


def parse_jubilee_rule(every: str | None, major: str | None) -> JubileeRule:
    """A jubilee rule from the settings' text (``"5"`` and ``"10, 25, 50, 75, 100"``)."""
    default = JubileeRule()
    try:
        every_n = int(every) if every not in (None, "") else default.every
    except ValueError:
        raise ValidationError(
            N_("“{text}” is not a whole number of years.", text=every), "jubilee_every"
        ) from None
    if major is None:
        majors = default.major
    else:
        parts = [p for p in major.replace(";", ",").replace(" ", ",").split(",") if p]
        try:
            majors = tuple(sorted({int(p) for p in parts}))
        except ValueError:
            raise ValidationError(
                N_("“{text}” is not a list of years like 10, 25, 50.", text=major),
                "jubilee_major",
            ) from None
    return JubileeRule(every=every_n, major=majors)


@dataclass(frozen=True)
class LeadTimes:
    """Days of preparation before an occurrence, by kind, for ordinary years and jubilees."""

    ordinary: Mapping[AnniversaryKind, int] = field(default_factory=lambda: dict(DEFAULT_LEAD_DAYS))
    jubilee: Mapping[AnniversaryKind, int] = field(
        default_factory=lambda: dict(DEFAULT_JUBILEE_LEAD_DAYS)
    )

    def for_kind(self, kind: AnniversaryKind, jubilee: bool) -> int:
        ordinary = self.ordinary.get(kind, 14)
        return max(ordinary, self.jubilee.get(kind, JUBILEE_LEAD_DAYS)) if jubilee else ordinary


def observed_on(month: int, day: int, year: int, rule: LeapDayRule = LeapDayRule.FEB_28) -> date:
    """The day in ``year`` on which a ``day month`` anniversary is observed."""
    if month == 2 and day == 29 and not _is_leap(year):
        return date(year, 2, 28) if rule is LeapDayRule.FEB_28 else date(year, 3, 1)
    return date(year, month, day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _base_year(base: date | MonthDay) -> int | None:
    return base.year if isinstance(base, date) else None


def next_occurrence(
    base: date | MonthDay, on_or_after: date, rule: LeapDayRule = LeapDayRule.FEB_28
) -> date:
    """The first observed day on or after ``on_or_after`` (never the base date itself: the
    first anniversary is a year later)."""
    first_year = _base_year(base)
    year = on_or_after.year if first_year is None else max(on_or_after.year, first_year + 1)
    while True:
        candidate = observed_on(base.month, base.day, year, rule)
        if candidate >= on_or_after:
            return candidate
        year += 1


def action_due_date(
    base: date | MonthDay, due: date | None, anchor: date | None, rule: LeapDayRule
) -> date | None:
    """The day an agreed action that follows an anniversary falls due.

    The anniversary gives the day and month; the action's own due date picks the year (so
    "for the 30th anniversary" stays on 2022 even when agreed years before); without one, it is
    the first occurrence on or after ``anchor`` (the meeting where it was agreed)."""
    if due is not None:
        return observed_on(base.month, base.day, due.year, rule)
    if anchor is None:
        return None
    return next_occurrence(base, anchor, rule)


def occurrences_between(
    base: date | MonthDay, start: date, end: date, rule: LeapDayRule = LeapDayRule.FEB_28
) -> list[date]:
    """Every observed day in ``[start, end]`` (both included), each once, in order."""
    first_year = _base_year(base)
    found = []
    # An observed day never leaves its year, so the years of the window are all there is.
    for year in range(start.year, end.year + 1):
        if first_year is not None and year <= first_year:
            continue
        candidate = observed_on(base.month, base.day, year, rule)
        if start <= candidate <= end:
            found.append(candidate)
    return found


def ordinal_for(base: date | MonthDay, occurrence: date) -> int | None:
    """How many years have passed: 30 for 16.09.2022 of relations set up on 16.09.1992.
    None when the base year is unknown (a birthday given as day and month)."""
    if not isinstance(base, date):
        return None
    return occurrence.year - base.year


def full_years(since: date | Year, on: date) -> int | None:
    """Full years from ``since`` to ``on`` (30 on 16.09.2022 for 16.09.1992); from a year
    alone, counted by the year (30 all through 2022 for 1992). None before it began."""
    if isinstance(since, Year):
        return on.year - since.year if since.year <= on.year else None
    if since > on:
        return None
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def year_anniversaries(base: Year, start: date, end: date) -> list[tuple[int, int]]:
    """The anniversaries of an event known by its year alone that fall in the years of
    ``[start, end]``, as (year, ordinal): relations set up in 1992 have their 30th in 2022,
    on a day nobody knows."""
    if end < start:
        return []
    _check_period(start, end)
    return [
        (year, year - base.year) for year in range(start.year, end.year + 1) if year > base.year
    ]


def relations_title(country: str, ours: str | None) -> str:
    """The title a country's relations anniversary is kept under (in the office's working
    language): “Kazakhstan–Belarus diplomatic relations”, or “Diplomatic relations with Belarus”
    before it is known which country is ours."""
    if ours:
        return f"{ours}–{country} diplomatic relations"
    return f"Diplomatic relations with {country}"


def ordinal_text(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``21st``, ``30th``, ``112th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# Not frozen: a year's view builds thousands, and a frozen dataclass is four times slower to
# build. Treat it as a value all the same.
@dataclass(slots=True)
class Occurrence:
    """One observed day of an anniversary, with what the office needs to know about it."""

    anniversary: Anniversary
    date: Day
    ordinal: int | None
    jubilee: bool
    major: bool
    lead_days: int

    @property
    def prepare_by(self) -> Day:
        """The day preparation should have started: the date less the lead time."""
        return self.date - timedelta(days=self.lead_days)

    @property
    def title(self) -> str:
        if self.ordinal:
            return f"{ordinal_text(self.ordinal)} anniversary: {self.anniversary.title}"
        return self.anniversary.title

    @property
    def ordinal_label(self) -> str | None:
        return ordinal_text(self.ordinal) if self.ordinal else None

    def days_until(self, as_of: Day) -> int:
        return (self.date - as_of).days

    def preparation_started(self, as_of: Day) -> bool:
        """The lead time has begun (or the day itself has come)."""
        return self.prepare_by <= as_of


def lead_days_for(
    anniversary: Anniversary, jubilee: bool, lead_times: LeadTimes | None = None
) -> int:
    """The anniversary's own lead time, else its kind's; a jubilee never gets less than its
    kind's jubilee lead time."""
    times = lead_times or _DEFAULT_LEAD_TIMES
    if anniversary.lead_days is not None:
        if jubilee:
            return max(anniversary.lead_days, times.for_kind(anniversary.kind, True))
        return anniversary.lead_days
    return times.for_kind(anniversary.kind, jubilee)


def occurrence(
    anniversary: Anniversary,
    day: date,
    jubilees: JubileeRule | None = None,
    lead_times: LeadTimes | None = None,
) -> Occurrence:
    jubilees = jubilees or _DEFAULT_JUBILEES
    ordinal = ordinal_for(anniversary.base_date, day)
    jubilee = jubilees.is_jubilee(ordinal)
    lead = lead_days_for(anniversary, jubilee, lead_times)
    return Occurrence(
        anniversary=anniversary,
        date=day,
        ordinal=ordinal,
        jubilee=jubilee,
        major=jubilees.is_major(ordinal),
        lead_days=lead,
    )


_DEFAULT_JUBILEES = JubileeRule()
_DEFAULT_LEAD_TIMES = LeadTimes()


def sort_key(found: Occurrence) -> tuple[date, bool, str]:
    """By date; within a day, jubilees first, then by title."""
    return (found.date, not found.jubilee, found.anniversary.title)


_BY_DATE = attrgetter("date")
_BY_JUBILEE = attrgetter("jubilee")


def _in_order(found: list[Occurrence]) -> list[Occurrence]:
    """By date, jubilees first within a day, otherwise as given (the store gives
    anniversaries in dictionary order of title). Two C-level stable sorts: a year's view sorts
    thousands, and a Python key function would cost more than all the arithmetic."""
    found.sort(key=_BY_JUBILEE, reverse=True)  # reverse keeps equal items in their order
    found.sort(key=_BY_DATE)
    return found


T = TypeVar("T")


def _base_date(anniversary: Anniversary) -> date | MonthDay:
    return anniversary.base_date


def _itself(base: date | MonthDay) -> date | MonthDay:
    return base


def _check_period(start: date, end: date) -> None:
    if (end - start).days >= MAX_HORIZON_DAYS:
        raise ValidationError(
            N_("Choose a period shorter than {n} years.", n=MAX_HORIZON_DAYS // 366), "horizon"
        )


def _observations(
    items: Iterable[T],
    base_of: Callable[[T], date | MonthDay],
    start: date,
    end: date,
    rule: LeapDayRule,
) -> Iterator[tuple[T, date, int | None]]:
    """Each observed day in ``[start, end]`` of each item (an anniversary, or its base date
    alone), with its ordinal (None when the base year is unknown): the arithmetic shared by
    listing and counting occurrences."""
    years = range(start.year, end.year + 1)
    # Facts shared by many anniversaries are computed once: a year's view of 50,000
    # anniversaries must stay fast. The observed days in the window, by day and month:
    observed_in: dict[int, list[tuple[date, int]]] = {}  # by 32 × month + day
    for anniversary in items:
        base = base_of(anniversary)
        key = base.month * 32 + base.day
        observed = observed_in.get(key)
        if observed is None:
            observed = observed_in[key] = [
                (day, day.year)
                for day in (observed_on(base.month, base.day, year, rule) for year in years)
                if start <= day <= end
            ]
        if not observed:
            continue
        if not isinstance(base, date):
            for day, _ in observed:
                yield anniversary, day, None
            continue
        first_year = base.year
        for day, year in observed:
            if year > first_year:
                yield anniversary, day, year - first_year


def _with_leads(
    items: Iterable[T],
    base_of: Callable[[T], date | MonthDay],
    kind_of: Callable[[T], AnniversaryKind],
    own_lead_of: Callable[[T], int | None],
    start: date,
    end: date,
    rule: LeapDayRule,
    jubilees: JubileeRule | None,
    lead_times: LeadTimes | None,
    preparing_on: date | None,
) -> Iterator[tuple[T, date, int | None, bool, bool, int]]:
    """Each observed day in ``[start, end]`` of each item, with its ordinal, whether it is a
    jubilee and a major one, and its lead time; with ``preparing_on``, only the days whose
    preparation has started by then. The arithmetic shared by listing occurrences and by
    picking out those being prepared."""
    _check_period(start, end)
    # Compared as day numbers, before an occurrence is built: most are not yet due.
    started_by = preparing_on.toordinal() if preparing_on is not None else None
    jubilees = jubilees or _DEFAULT_JUBILEES
    times = lead_times or _DEFAULT_LEAD_TIMES
    jubilee_of: dict[int | None, tuple[bool, bool]] = {None: (False, False)}
    ordinary_lead = {kind: times.for_kind(kind, False) for kind in AnniversaryKind}
    jubilee_lead = {kind: times.for_kind(kind, True) for kind in AnniversaryKind}
    for item, day, ordinal in _observations(items, base_of, start, end, rule):
        marks = jubilee_of.get(ordinal)
        if marks is None:
            marks = jubilee_of[ordinal] = (
                jubilees.is_jubilee(ordinal),
                jubilees.is_major(ordinal),
            )
        kind_lead = (jubilee_lead if marks[0] else ordinary_lead)[kind_of(item)]
        own = own_lead_of(item)
        # The item's own lead time, else its kind's; a jubilee never gets less than its
        # kind's jubilee lead time (as ``lead_days_for``).
        lead = kind_lead if own is None else max(own, kind_lead) if marks[0] else own
        if started_by is not None and day.toordinal() - lead > started_by:
            continue
        yield item, day, ordinal, marks[0], marks[1], lead


_KIND = attrgetter("kind")
_OWN_LEAD = attrgetter("lead_days")


def occurrences_in(
    anniversaries: Iterable[Anniversary],
    start: date,
    end: date,
    rule: LeapDayRule = LeapDayRule.FEB_28,
    jubilees: JubileeRule | None = None,
    lead_times: LeadTimes | None = None,
    *,
    preparing_on: date | None = None,
) -> list[Occurrence]:
    """Occurrences from ``start`` through ``end`` (both included), ordered by date, jubilees
    first within a day, then in the order the anniversaries were given; with
    ``preparing_on``, only those whose preparation has started by that day."""
    if end < start:
        return []
    found = [
        Occurrence(*facts)
        for facts in _with_leads(
            anniversaries,
            _base_date,
            _KIND,
            _OWN_LEAD,
            start,
            end,
            rule,
            jubilees,
            lead_times,
            preparing_on,
        )
    ]
    return _in_order(found)


# What deciding when an anniversary's preparation starts needs: a key of the caller's (an id),
# the base date, the kind and the anniversary's own lead time. A plain tuple: a year of them
# costs neither an object each nor the garbage collector's attention.
PreparationFacts = tuple[int, date | MonthDay, AnniversaryKind, int | None]

_FACT_BASE = itemgetter(1)
_FACT_KIND = itemgetter(2)
_FACT_OWN_LEAD = itemgetter(3)


def preparation_started(
    facts: Iterable[PreparationFacts],
    start: date,
    end: date,
    preparing_on: date,
    rule: LeapDayRule = LeapDayRule.FEB_28,
    jubilees: JubileeRule | None = None,
    lead_times: LeadTimes | None = None,
) -> set[int]:
    """The keys of the anniversaries with an occurrence in ``[start, end]`` whose preparation
    has started by ``preparing_on``: what ``occurrences_in(..., preparing_on=...)`` would list,
    worked out from the facts alone, so that only those anniversaries need reading in full."""
    if end < start:
        return set()
    return {
        found[0][0]
        for found in _with_leads(
            facts,
            _FACT_BASE,
            _FACT_KIND,
            _FACT_OWN_LEAD,
            start,
            end,
            rule,
            jubilees,
            lead_times,
            preparing_on,
        )
    }


def count_occurrences(
    base_dates: Iterable[date | MonthDay],
    start: date,
    end: date,
    rule: LeapDayRule = LeapDayRule.FEB_28,
    jubilees: JubileeRule | None = None,
) -> tuple[int, int]:
    """How many occurrences ``occurrences_in`` would list for anniversaries of these base
    dates, and how many of them are jubilees, without building them (the dates are all that
    counting needs: a month's heading at a million meetings reads nothing else)."""
    if end < start:
        return 0, 0
    _check_period(start, end)
    jubilees = jubilees or _DEFAULT_JUBILEES
    jubilee_of: dict[int | None, bool] = {None: False}
    count = jubilee_count = 0
    for _, _, ordinal in _observations(base_dates, _itself, start, end, rule):
        count += 1
        jubilee = jubilee_of.get(ordinal)
        if jubilee is None:
            jubilee = jubilee_of[ordinal] = jubilees.is_jubilee(ordinal)
        jubilee_count += jubilee
    return count, jubilee_count


def horizon_end(as_of: date, days: int) -> date:
    """The last day of a ``days``-day horizon starting on ``as_of`` (today counts as day one)."""
    if not 0 <= days <= MAX_HORIZON_DAYS:
        raise ValidationError(
            N_("The horizon is between 0 and {days} days.", days=format(MAX_HORIZON_DAYS, ",")),
            "horizon",
        )
    try:
        return as_of + timedelta(days=days - 1)
    except OverflowError:
        raise ValidationError(N_("The horizon runs past the last date this app knows.")) from None


def upcoming(
    anniversaries: Iterable[Anniversary],
    as_of: date,
    days: int,
    rule: LeapDayRule = LeapDayRule.FEB_28,
    jubilees: JubileeRule | None = None,
    lead_times: LeadTimes | None = None,
) -> list[Occurrence]:
    """Occurrences in the ``days`` days starting with ``as_of`` (so 365 days show each
    anniversary once), ordered by date, jubilees first within a day."""
    end = horizon_end(as_of, days)
    return occurrences_in(anniversaries, as_of, end, rule, jubilees, lead_times)
