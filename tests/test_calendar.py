"""The iCalendar export parses back to the same events: the same uids, titles and days."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from protocol_desk.cli import main
from protocol_desk.domain.anniversaries import JubileeRule, LeapDayRule, occurrences_between
from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.models import Anniversary, AnniversaryKind
from protocol_desk.reports.calendar import calendar_bytes, event_uid, export_calendar
from protocol_desk.services.anniversaries import (
    UpcomingQuery,
    save_anniversary,
    upcoming_items,
)
from protocol_desk.store import Store
from protocol_desk.store.anniversaries import AnniversaryListing

AS_OF = date(2022, 6, 8)
NOW = datetime(2022, 6, 8, 9, 30, tzinfo=UTC)
SPAN = (date(2000, 1, 1), date(2040, 12, 31))


def _days(event: object, start: date, end: date) -> list[date]:
    """Expand an event's yearly rule the way a calendar program does."""
    first = event["dtstart"].dt  # type: ignore[index]
    rule = event["rrule"].to_ical().decode()  # type: ignore[index]
    dates = rrulestr(f"RRULE:{rule}", dtstart=datetime(first.year, first.month, first.day))
    return [
        d.date()
        for d in dates.between(
            datetime(*start.timetuple()[:3]), datetime(*end.timetuple()[:3]), inc=True
        )
    ]


def _events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    # The yearly events; a coming jubilee's own reminder is an override (RECURRENCE-ID).
    return {str(e["uid"]): e for e in calendar.walk("VEVENT") if "recurrence-id" not in e}


def _jubilees(data: bytes) -> list[Any]:
    return [e for e in Calendar.from_ical(data).walk("VEVENT") if "recurrence-id" in e]


def _listing(anniversary: Anniversary) -> AnniversaryListing:
    return AnniversaryListing(anniversary, None, "", "", False)


@pytest.mark.parametrize("rule", list(LeapDayRule))
def test_export_parses_back_to_the_same_events(
    demo_store: Store, tmp_path: Path, rule: LeapDayRule
) -> None:
    demo_store.settings.set("leap_day_rule", rule.value)
    for title, base in (
        ("Мәжіліс құрылған күн", date(1996, 1, 30)),
        ("Leap <day> & co", date(2000, 2, 29)),
        ("Birthday: Қасым-Жомарт Тоқаев", MonthDay(5, 17)),
        ("Year-less leap", MonthDay(2, 29)),
    ):
        save_anniversary(
            demo_store,
            Anniversary(AnniversaryKind.CUSTOM, title, base, notes="Line one\nline; two, three"),
        )
    path = tmp_path / "anniversaries.ics"
    count = export_calendar(demo_store, path, as_of=AS_OF, now=NOW)
    listings = demo_store.anniversaries.listings()
    assert count == len(listings) == 8

    events = _events(path.read_bytes())
    assert set(events) == {event_uid(item.anniversary) for item in listings}
    for item in listings:
        anniversary = item.anniversary
        event = events[event_uid(anniversary)]
        assert str(event["summary"]) == anniversary.title  # type: ignore[index]
        # Every day the app observes it in four decades is a day of the event, and no other.
        expected = occurrences_between(anniversary.base_date, *SPAN, rule)
        if not isinstance(anniversary.base_date, date):
            expected = [d for d in expected if d.year >= AS_OF.year]
        assert _days(event, *SPAN) == expected, anniversary.title
        start, end = event["dtstart"].dt, event["dtend"].dt  # type: ignore[index]
        assert (end - start).days == 1  # an all-day event
        assert str(event["transp"]) == "TRANSPARENT"  # type: ignore[index]
    relations = next(
        events[event_uid(i.anniversary)]
        for i in listings
        if i.anniversary.kind is AnniversaryKind.DIPLOMATIC_RELATIONS
    )
    description = str(relations["description"])  # type: ignore[index]
    assert "Since 16 September 1992." in description
    assert "30th in 2022" in description
    assert "Belarus" in description
    alarm = relations.walk("VALARM")[0]  # type: ignore[attr-defined]
    assert alarm["trigger"].dt.days == -60


def test_uids_are_stable_and_the_file_is_repeatable(demo_store: Store, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    export_calendar(demo_store, first, as_of=AS_OF, now=NOW)
    export_calendar(demo_store, second, as_of=AS_OF, now=NOW)
    assert first.read_bytes() == second.read_bytes()
    uids = set(_events(first.read_bytes()))
    assert all(uid.endswith("@protocol-desk") for uid in uids)
    # The uid is the anniversary's own, so an edit updates the event instead of adding one.
    relations = demo_store.anniversaries.listings(kinds=[AnniversaryKind.DIPLOMATIC_RELATIONS])
    assert f"{relations[0].anniversary.uid}@protocol-desk" in uids


def test_ics_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.sqlite")
    out = tmp_path / "out.ics"
    assert main(["--db", db, "init", "--demo"]) == 0
    assert main(["--db", db, "ics", "-o", str(out)]) == 0
    assert "4 anniversaries written" in capsys.readouterr().out
    calendar = Calendar.from_ical(out.read_bytes())
    assert str(calendar["prodid"]).startswith("-//Protocol Desk//")
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert "Kazakhstan–Belarus diplomatic relations" in summaries
    assert main(["--db", db, "ics", "-o", str(tmp_path / "missing" / "x.ics")]) == 1
    assert (out.stat().st_mode & 0o777) == 0o600


def test_ics_takes_the_lists_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.sqlite")
    out = tmp_path / "out.ics"
    assert main(["--db", db, "init", "--demo"]) == 0
    capsys.readouterr()
    args = ["--db", db, "upcoming", "--as-of", "2022-06-08", "--days", "120", "--json"]
    assert main(args) == 0
    shown = {row["anniversary_uid"] for row in json.loads(capsys.readouterr().out)}
    args = ["--db", db, "ics", "-o", str(out), "--as-of", "2022-06-08", "--days", "120"]
    assert main(args) == 0
    written = set(_events(out.read_bytes()))
    assert written == {f"{uid}@protocol-desk" for uid in shown}
    assert 0 < len(written) < 4
    assert main(["--db", db, "ics", "-o", str(out), "--country", "Belgium"]) == 0
    assert "1 anniversary written" in capsys.readouterr().out.splitlines()[-1]
    assert main(["--db", db, "ics", "-o", str(out), "--country", "Nowhere"]) == 1


def test_each_reminder_follows_its_own_lead_time(demo_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.ics"
    (relations,) = demo_store.anniversaries.listings(
        kinds=[AnniversaryKind.DIPLOMATIC_RELATIONS], country_id=None
    )[:1]
    export_calendar(demo_store, path, as_of=AS_OF, now=NOW)
    data = path.read_bytes()
    uid = event_uid(relations.anniversary)
    ordinary = _events(data)[uid].walk("VALARM")[0]  # type: ignore[attr-defined]
    items = upcoming_items(demo_store, UpcomingQuery(AS_OF, 120))
    coming = next(i for i in items if i.anniversary.uid == relations.anniversary.uid)
    assert coming.occurrence.jubilee and coming.occurrence.lead_days == 120
    # The 30th, on 16 September 2022, reminds 120 days ahead as the app says to prepare.
    jubilee = next(e for e in _jubilees(data) if str(e["uid"]) == uid)
    assert jubilee.decoded("recurrence-id") == coming.occurrence.date
    assert jubilee.walk("VALARM")[0].decoded("trigger") == -timedelta(days=120)
    assert "30th anniversary" in str(jubilee["summary"])
    assert ordinary.decoded("trigger") == -timedelta(days=coming.anniversary.lead_days or 60)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))
    | st.sampled_from([date(1904, 2, 29), date(2000, 2, 29), date(2024, 2, 29)]),
    st.sampled_from(list(LeapDayRule)),
)
def test_every_base_and_rule_round_trips(base: date, rule: LeapDayRule) -> None:
    anniversary = Anniversary(AnniversaryKind.TREATY, "Treaty", base, uid="fixed-uid")
    data = calendar_bytes(
        [_listing(anniversary)], rule=rule, jubilees=JubileeRule(), as_of=AS_OF, now=NOW
    )
    (event,) = _events(data).values()
    assert _days(event, *SPAN) == occurrences_between(base, *SPAN, rule)
