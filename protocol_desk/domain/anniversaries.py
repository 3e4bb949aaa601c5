"""Anniversary arithmetic in one place: occurrences, ordinals, jubilees, the 29 February rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.models import Anniversary, AnniversaryKind


Day = date  # the field ``Occurrence.date`` shadows the type inside that class


class LeapDayRule(StrEnum):
    """Where a 29 February anniversary is observed in a common year (a setting)."""

    FEB_28 = "feb28"
    MAR_1 = "mar1"


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


@dataclass(frozen=True)
class JubileeRule:
    every: int = 5
    major: tuple[int, ...] = DEFAULT_MAJOR

    def is_jubilee(self, ordinal: int | None) -> bool:
        return (
            ordinal is not None
            and ordinal > 0
            and (ordinal % self.every == 0 or ordinal in self.major)
        )

    def is_major(self, ordinal: int | None) -> bool:
        if ordinal is None or ordinal <= 0:
            return False
        return ordinal in self.major or ordinal % 50 == 0


def observed_on(month: int, day: int, year: int, rule: LeapDayRule = LeapDayRule.FEB_28) -> date:
    """The day in ``year`` on which a ``day month`` anniversary is observed."""
    if month == 2 and day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28) if rule is LeapDayRule.FEB_28 else date(year, 3, 1)
    return date(year, month, day)


def _month_day(base: date | MonthDay) -> tuple[int, int]:
    return base.month, base.day


def next_occurrence(
    base: date | MonthDay, on_or_after: date, rule: LeapDayRule = LeapDayRule.FEB_28
) -> date:
    """The first observed day on or after ``on_or_after`` (never before the base date itself)."""
    month, day = _month_day(base)
    year = on_or_after.year
    if isinstance(base, date):
        year = max(year, base.year + 1) if on_or_after <= base else year
    while True:
        candidate = observed_on(month, day, year, rule)
        if candidate >= on_or_after and (not isinstance(base, date) or candidate > base):
            return candidate
        year += 1


def occurrences_between(
    base: date | MonthDay, start: date, end: date, rule: LeapDayRule = LeapDayRule.FEB_28
) -> list[date]:
    """Every observed day in ``[start, end]``, each once, in order."""
    month, day = _month_day(base)
    found = []
    for year in range(start.year, end.year + 1):
        candidate = observed_on(month, day, year, rule)
        if start <= candidate <= end and (not isinstance(base, date) or candidate.year > base.year):
            found.append(candidate)
    return found


def ordinal_for(base: date | MonthDay, occurrence: date) -> int | None:
    """How many years have passed: 30 for 16.09.2022 of relations set up on 16.09.1992.
    None when the base year is unknown (a birthday given as day and month)."""
    if not isinstance(base, date):
        return None
    return occurrence.year - base.year


def ordinal_text(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``21st``, ``30th``, ``112th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Occurrence:
    """One observed day of an anniversary, with what the office needs to know about it."""

    anniversary: Anniversary
    date: Day
    ordinal: int | None
    jubilee: bool
    major: bool
    prepare_by: Day
    lead_days: int

    @property
    def title(self) -> str:
        if self.ordinal:
            return f"{ordinal_text(self.ordinal)} anniversary: {self.anniversary.title}"
        return self.anniversary.title

    def days_until(self, as_of: Day) -> int:
        return (self.date - as_of).days


def lead_days_for(anniversary: Anniversary, jubilee: bool) -> int:
    if anniversary.lead_days is not None:
        return anniversary.lead_days
    default = DEFAULT_LEAD_DAYS.get(anniversary.kind, 14)
    return max(default, JUBILEE_LEAD_DAYS) if jubilee else default


def occurrence(
    anniversary: Anniversary, day: date, jubilees: JubileeRule | None = None
) -> Occurrence:
    jubilees = jubilees or JubileeRule()
    ordinal = ordinal_for(anniversary.base_date, day)
    jubilee = jubilees.is_jubilee(ordinal)
    lead = lead_days_for(anniversary, jubilee)
    return Occurrence(
        anniversary=anniversary,
        date=day,
        ordinal=ordinal,
        jubilee=jubilee,
        major=jubilees.is_major(ordinal),
        prepare_by=day - timedelta(days=lead),
        lead_days=lead,
    )


def upcoming(
    anniversaries: list[Anniversary],
    as_of: date,
    days: int,
    rule: LeapDayRule = LeapDayRule.FEB_28,
    jubilees: JubileeRule | None = None,
) -> list[Occurrence]:
    """Occurrences from ``as_of`` through ``as_of + days``, ordered by date, jubilees first
    within a day."""
    end = as_of + timedelta(days=days)
    found = [
        occurrence(a, day, jubilees)
        for a in anniversaries
        for day in occurrences_between(a.base_date, as_of, end, rule)
    ]
    found.sort(key=lambda o: (o.date, not o.jubilee, o.anniversary.title))
    return found
