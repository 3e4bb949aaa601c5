"""Calendar export: anniversaries as yearly all-day events in an iCalendar file, each with a
reminder at its own lead time (a coming jubilee, prepared longer, gets its own reminder)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event, vRecur

from protocol_desk import APP_NAME, __version__
from protocol_desk.domain.anniversaries import (
    JubileeRule,
    LeadTimes,
    LeapDayRule,
    lead_days_for,
    next_occurrence,
    ordinal_text,
)
from protocol_desk.domain.dates import MonthDay, format_base_date
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_, os_reason
from protocol_desk.domain.models import ANNIVERSARY_KIND_LABELS, Anniversary
from protocol_desk.services.anniversaries import UpcomingQuery, calendar_listings, rules
from protocol_desk.store.files import write_private

if TYPE_CHECKING:
    from protocol_desk.store import Store
    from protocol_desk.store.anniversaries import AnniversaryListing

UID_DOMAIN = "protocol-desk"
PRODID = f"-//{APP_NAME}//Anniversaries {__version__}//EN"
JUBILEES_LISTED = 3  # how many coming jubilees an event's description names


def event_uid(anniversary: Anniversary) -> str:
    """Stable across exports (the anniversary's uid), so a re-import updates, never doubles."""
    return f"{anniversary.uid}@{UID_DOMAIN}"


def recurrence(base: date | MonthDay, rule: LeapDayRule) -> vRecur:
    """Yearly on the day; 29 February as the office's rule says in common years: the last
    day of February, or the 60th day of the year (29 February or 1 March)."""
    if (base.month, base.day) == (2, 29):
        if rule is LeapDayRule.FEB_28:
            return vRecur(freq="YEARLY", bymonth=2, bymonthday=-1)
        return vRecur(freq="YEARLY", byyearday=60)
    return vRecur(freq="YEARLY")


def first_occurrence(base: date | MonthDay, as_of: date, rule: LeapDayRule) -> date:
    """The event's first day: the first anniversary, or this year's day for a base without a
    year (a birthday given as day and month)."""
    if isinstance(base, date):
        return next_occurrence(base, base + timedelta(days=1), rule)
    return next_occurrence(base, date(as_of.year, 1, 1), rule)


def _description(
    listing: AnniversaryListing, as_of: date, rule: LeapDayRule, jubilees: JubileeRule
) -> str:
    anniversary = listing.anniversary
    lines = [ANNIVERSARY_KIND_LABELS.get(anniversary.kind, anniversary.kind.value)]
    if listing.country or listing.subject:
        lines.append(" · ".join(x for x in (listing.subject, listing.country) if x))
    base = anniversary.base_date
    if isinstance(base, date):
        lines.append(f"Since {format_base_date(base)}.")
        # Name the next few jubilees: a recurring event cannot carry a changing ordinal.
        coming: list[str] = []
        year = next_occurrence(base, as_of, rule).year
        while len(coming) < JUBILEES_LISTED and year <= base.year + 1000:
            if jubilees.is_jubilee(year - base.year):
                coming.append(f"{ordinal_text(year - base.year)} in {year}")
            year += 1
        if coming:
            lines.append("Jubilees: " + ", ".join(coming) + ".")
    if anniversary.notes.strip():
        lines.append("")
        lines.append(anniversary.notes.strip())
    return "\n".join(lines)


def anniversary_event(
    listing: AnniversaryListing,
    *,
    rule: LeapDayRule,
    jubilees: JubileeRule,
    as_of: date,
    stamp: datetime,
    lead_times: LeadTimes | None = None,
) -> Event:
    anniversary = listing.anniversary
    start = first_occurrence(anniversary.base_date, as_of, rule)
    event = Event()
    event.add("uid", event_uid(anniversary))
    event.add("dtstamp", stamp)
    event.add("sequence", max(anniversary.version - 1, 0))
    event.add("summary", anniversary.title)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(days=1))
    event.add("rrule", recurrence(anniversary.base_date, rule))
    event.add("transp", "TRANSPARENT")  # a day to remember, not time taken
    event.add("categories", [ANNIVERSARY_KIND_LABELS.get(anniversary.kind, "Anniversary")])
    event.add("description", _description(listing, as_of, rule, jubilees))
    _remind(event, anniversary.title, lead_days_for(anniversary, False, lead_times))
    return event


def _remind(event: Event, title: str, lead: int) -> None:
    if lead > 0:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Prepare: {title}")
        alarm.add("trigger", timedelta(days=-lead))
        event.add_component(alarm)


def jubilee_events(
    listing: AnniversaryListing,
    *,
    rule: LeapDayRule,
    jubilees: JubileeRule,
    as_of: date,
    stamp: datetime,
    lead_times: LeadTimes | None = None,
) -> list[Event]:
    """The coming jubilees whose preparation starts earlier than an ordinary year's, as
    overrides of the yearly event (same uid, RECURRENCE-ID): their own title and reminder."""
    anniversary = listing.anniversary
    base = anniversary.base_date
    if not isinstance(base, date):
        return []
    ordinary = lead_days_for(anniversary, False, lead_times)
    lead = lead_days_for(anniversary, True, lead_times)
    if lead == ordinary:
        return []
    events: list[Event] = []
    day = next_occurrence(base, as_of, rule)
    while len(events) < JUBILEES_LISTED and day.year <= base.year + 1000:
        years = day.year - base.year
        if jubilees.is_jubilee(years):
            event = Event()
            event.add("uid", event_uid(anniversary))
            event.add("dtstamp", stamp)
            event.add("sequence", max(anniversary.version - 1, 0))
            event.add("recurrence-id", day)
            title = f"{anniversary.title} — {ordinal_text(years)} anniversary"
            event.add("summary", title)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            event.add("categories", [ANNIVERSARY_KIND_LABELS.get(anniversary.kind, "Anniversary")])
            event.add("description", _description(listing, as_of, rule, jubilees))
            _remind(event, title, lead)
            events.append(event)
        day = next_occurrence(base, day + timedelta(days=1), rule)
    return events


def calendar_bytes(
    listings: Iterable[AnniversaryListing],
    *,
    rule: LeapDayRule,
    jubilees: JubileeRule,
    as_of: date,
    office: str = "",
    now: datetime | None = None,
    lead_times: LeadTimes | None = None,
) -> bytes:
    """The iCalendar file (RFC 5545) for the given anniversaries, ordered by uid so the same
    data always gives the same file."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"Anniversaries — {office}" if office else "Anniversaries"
    calendar.add("x-wr-calname", name)
    for listing in sorted(listings, key=lambda item: item.anniversary.uid):
        settings = {
            "rule": rule,
            "jubilees": jubilees,
            "as_of": as_of,
            "stamp": stamp,
            "lead_times": lead_times,
        }
        calendar.add_component(anniversary_event(listing, **settings))  # type: ignore[arg-type]
        for jubilee in jubilee_events(listing, **settings):  # type: ignore[arg-type]
            calendar.add_component(jubilee)
    return calendar.to_ical()


def export_calendar(
    store: Store,
    path: Path,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
    query: UpcomingQuery | None = None,
    any_day: bool = False,
) -> int:
    """Write anniversaries as yearly events to an iCalendar file (mode 0600), each reminding
    at its own lead time: all of them, or those ``query`` selects (see calendar_listings).
    Returns how many."""
    current = rules(store)
    listings = calendar_listings(store, query, any_day=any_day)
    data = calendar_bytes(
        listings,
        rule=current.leap_day,
        jubilees=current.jubilees,
        as_of=as_of or (query.as_of if query else date.today()),
        office=store.settings.get("office_name") or "",
        now=now,
        lead_times=current.lead_times,
    )
    try:
        write_private(path, data)
    except OSError as error:
        raise ValidationError(
            N_("Cannot write {path}: {reason}.", path=path, reason=os_reason(error))
        ) from error
    return len(listings)
