"""``upcoming`` and ``ics``: what is coming, on the terminal or in a calendar file."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk.cli import date_arg, open_store, print_json
from protocol_desk.domain.dates import format_date
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.models import AnniversaryKind
from protocol_desk.services.anniversaries import (
    UpcomingQuery,
    export_calendar,
    kind_label,
    upcoming_items,
)


def register(commands: Any) -> None:
    upcoming = commands.add_parser(
        "upcoming", help="anniversaries in the coming days, jubilees marked"
    )
    upcoming.add_argument(
        "--days", type=int, default=90, help="how many days ahead, today included (default 90)"
    )
    upcoming.add_argument(
        "--as-of", type=date_arg, default=None, metavar="DATE", help="start day (default today)"
    )
    upcoming.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in AnniversaryKind],
        help="only this kind (repeat for several)",
    )
    upcoming.add_argument("--country", metavar="NAME", help="only this country's anniversaries")
    upcoming.add_argument("--json", action="store_true", help="print JSON")
    upcoming.set_defaults(run=run_upcoming)

    ics = commands.add_parser("ics", help="export every anniversary to an iCalendar file")
    ics.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.ics")
    ics.add_argument("--as-of", type=date_arg, default=None, metavar="DATE")
    ics.set_defaults(run=run_ics)


def run_upcoming(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    store = open_store(args, readonly=True)
    try:
        country_id = None
        if args.country:
            country = store.countries.find(args.country)
            if country is None:
                raise ValidationError(f"No country called “{args.country}”.", "country")
            country_id = country.id
        items = upcoming_items(
            store,
            UpcomingQuery(
                as_of=as_of,
                days=args.days,
                kinds=frozenset(AnniversaryKind(k) for k in args.kind) if args.kind else None,
                country_id=country_id,
            ),
        )
    finally:
        store.close()
    if args.json:
        print_json([item.as_dict(as_of) for item in items])
        return 0
    if not items:
        print(f"No anniversaries in the {args.days} days from {format_date(as_of)}.")
        return 0
    for item in items:
        o = item.occurrence
        mark = "★" if o.jubilee else " "
        where = f"  [{item.country}]" if item.country else ""
        print(
            f"{format_date(o.date)} {mark} {o.title}{where}"
            f"  — {kind_label(o.anniversary.kind)}, in {o.days_until(as_of)} d,"
            f" prepare by {format_date(o.prepare_by)}"
        )
    return 0


def run_ics(args: argparse.Namespace) -> int:
    store = open_store(args, readonly=True)
    try:
        count = export_calendar(store, args.output, as_of=args.as_of)
    finally:
        store.close()
    print(f"{count} anniversar{'ies' if count != 1 else 'y'} written to {args.output}.")
    return 0
