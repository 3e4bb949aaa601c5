"""``upcoming`` and ``ics``: what is coming, on the terminal or in a calendar file."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk.cli import date_arg, open_store, print_json
from protocol_desk.domain.dates import format_date
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.language import anniversary_ordinal
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import AnniversaryKind
from protocol_desk.i18n import _, current_language, ngettext
from protocol_desk.services.anniversaries import (
    UpcomingQuery,
    kind_label,
    upcoming_items,
    year_only_anniversaries,
)


def _filters(parser: Any, days_help: str, days_default: int | None) -> None:
    """The filter options ``upcoming`` and ``ics`` share."""
    parser.add_argument("--days", type=int, default=days_default, help=days_help)
    parser.add_argument(
        "--as-of", type=date_arg, default=None, metavar="DATE", help=_("start day (default today)")
    )
    parser.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in AnniversaryKind],
        help=_("only this kind (repeat for several)"),
    )
    parser.add_argument("--country", metavar="NAME", help=_("only this country's anniversaries"))


def register(commands: Any) -> None:
    upcoming = commands.add_parser(
        "upcoming", help=_("anniversaries in the coming days, jubilees marked")
    )
    _filters(upcoming, _("how many days ahead, today included (default 90)"), 90)
    upcoming.add_argument("--json", action="store_true", help=_("print JSON"))
    upcoming.set_defaults(run=run_upcoming)

    ics = commands.add_parser(
        "ics",
        help=_("export anniversaries to an iCalendar file"),
        description=_(
            "Write anniversaries as yearly events, each reminding at its own lead "
            "time. Without filters every anniversary; with the filters of `upcoming`, the ones "
            "it lists (--days: those falling in that many days; without it, on any day)."
        ),
    )
    ics.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.ics")
    _filters(
        ics, _("only those falling in this many days, today included (default: any day)"), None
    )
    ics.set_defaults(run=run_ics)


def _query(store: Any, args: argparse.Namespace, as_of: date, days: int) -> UpcomingQuery:
    country_id = None
    if args.country:
        country = store.countries.find(args.country)
        if country is None:
            raise ValidationError(N_("No country called “{name}”.", name=args.country), "country")
        country_id = country.id
    return UpcomingQuery(
        as_of=as_of,
        days=days,
        kinds=frozenset(AnniversaryKind(k) for k in args.kind) if args.kind else None,
        country_id=country_id,
    )


def run_upcoming(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    store = open_store(args, readonly=True)
    try:
        query = _query(store, args, as_of, args.days)
        items = upcoming_items(store, query)
        by_year = year_only_anniversaries(store, query)
    finally:
        store.close()
    if args.json:
        print_json([item.as_dict(as_of) for item in items] + [y.as_dict() for y in by_year])
        return 0
    if not items and not by_year:
        print(
            ngettext(
                "No anniversaries in the {n} day from {day}.",
                "No anniversaries in the {n} days from {day}.",
                args.days,
            ).format(n=args.days, day=format_date(as_of))
        )
        return 0
    for item in items:
        o = item.occurrence
        mark = "★" if o.jubilee else " "
        where = f"  [{item.country}]" if item.country else ""
        when = _("{kind}, in {days} d, prepare by {day}").format(
            kind=_(kind_label(o.anniversary.kind)),
            days=o.days_until(as_of),
            day=format_date(o.prepare_by),
        )
        # The ordinal in the reader's language; the title as the office wrote it.
        title = o.anniversary.title
        if o.ordinal:
            title = f"{anniversary_ordinal(o.ordinal, current_language())}: {title}"
        print(f"{format_date(o.date)} {mark} {title}{where}  — {when}")
    if by_year:
        print(_("Known by the year alone (the day is not known):"))
    for anniversary in by_year:
        mark = "★" if anniversary.jubilee else " "
        years = ngettext("{n} year in {year}", "{n} years in {year}", anniversary.ordinal)
        label = f"{years.format(n=anniversary.ordinal, year=anniversary.year)}: {anniversary.title}"
        print(f"{anniversary.year}       {mark} {label}  [{anniversary.country}]")
    return 0


def run_ics(args: argparse.Namespace) -> int:
    from protocol_desk.reports.calendar import export_calendar  # icalendar only when needed

    as_of = args.as_of or date.today()
    store = open_store(args, readonly=True)
    try:
        filtered = args.days is not None or args.kind or args.country
        query = _query(store, args, as_of, args.days or 0) if filtered else None
        count = export_calendar(
            store, args.output, as_of=as_of, query=query, any_day=args.days is None
        )
    finally:
        store.close()
    print(
        ngettext(
            "{n} anniversary written to {file}.", "{n} anniversaries written to {file}.", count
        ).format(n=count, file=args.output)
    )
    return 0
