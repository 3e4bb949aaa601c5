"""``init``, ``import``, ``export`` and ``search``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from protocol_desk.cli import open_store, open_store_for_writing, print_json, whole_number
from protocol_desk.domain.dates import format_date
from protocol_desk.domain.names import MATCH_WORDS
from protocol_desk.i18n import _, record_count, shown
from protocol_desk.services.demo import load_demo
from protocol_desk.services.exchange import export_file, import_file
from protocol_desk.services.meetings import SEARCH_MOST, MeetingService
from protocol_desk.services.people import PeopleService


def register(commands: Any) -> None:
    init = commands.add_parser("init", help=_("create the database (with --demo: the demo data)"))
    init.add_argument("--demo", action="store_true", help=_("load the demo dataset"))
    init.set_defaults(run=run_init)

    imp = commands.add_parser(
        "import", help=_("import a JSON export (keyed on uids: no duplicates)")
    )
    imp.add_argument("file", type=Path)
    imp.set_defaults(run=run_import)

    exp = commands.add_parser("export", help=_("export everything to JSON, loss-free"))
    exp.add_argument("file", type=Path)
    exp.set_defaults(run=run_export)

    search = commands.add_parser("search", help=_("find meetings by any word"))
    search.add_argument("text")
    search.add_argument(
        "--limit",
        type=whole_number(1, SEARCH_MOST, _("meetings")),
        default=50,
        help=_("show at most this many meetings, 1 to {most} (default 50)").format(
            most=f"{SEARCH_MOST:,}"
        ),
    )
    search.add_argument("--json", action="store_true", help=_("print JSON"))
    search.set_defaults(run=run_search)

    people = commands.add_parser("people", help=_("find people by any spelling of a name"))
    people.add_argument("text")
    people.add_argument("--json", action="store_true", help=_("print JSON"))
    people.set_defaults(run=run_people)


def run_init(args: argparse.Namespace) -> int:
    store = open_store_for_writing(args)
    try:
        if args.demo:
            counts = load_demo(store)
            print(
                _("Demo data loaded: {meetings} meetings, {people} people.").format(
                    meetings=counts["meetings"], people=counts["people"]
                )
            )
        else:
            print(_("Database ready."))
    finally:
        store.close()
    return 0


def run_import(args: argparse.Namespace) -> int:
    store = open_store_for_writing(args)
    same_people: list[str] = []
    try:
        counts = import_file(store, args.file, same_people)
    finally:
        store.close()
    imported = ", ".join(record_count(kind, n) for kind, n in counts.items())
    print(_("Imported {counts}.").format(counts=imported))
    for line in same_people:
        print(shown(line))
    return 0


def run_export(args: argparse.Namespace) -> int:
    store = open_store(args, readonly=True)  # a reader never writes to the database
    try:
        export_file(store, args.file)
    finally:
        store.close()
    print(_("Exported to {file}.").format(file=args.file))
    return 0


def run_search(args: argparse.Namespace) -> int:
    store = open_store(args, readonly=True)
    try:
        rows = MeetingService(store).search(args.text, limit=args.limit)
    finally:
        store.close()
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "date": r.date.isoformat(),
                    "precision": r.precision.value,
                    "subject": r.subject,
                    "counterpart": r.counterpart,
                    "country": r.country,
                    "city": r.city,
                    "kind": r.kind,
                    "found_in_source": r.in_source,
                }
                for r in rows
            ]
        )
    else:
        for r in rows:
            where = "  " + _("[found in a source]") if r.in_source else ""
            print(f"{r.id:>6}  {format_date(r.date, r.precision):<14} {r.subject}{where}")
        if not rows:
            print(_("No meetings found."))
    return 0


def run_people(args: argparse.Namespace) -> int:
    """The suggestions a name picker shows: best first, with the spelling that matched."""
    store = open_store(args)
    try:
        found = PeopleService(store).suggest(args.text)
    finally:
        store.close()
    if args.json:
        print_json(
            [
                {
                    "id": m.person_id,
                    "full_name": m.full_name,
                    "matched": m.matched_name,
                    "how": MATCH_WORDS[m.how],
                    "title": m.title,
                }
                for m in found
            ]
        )
    else:
        for m in found:
            spelt = f"{m.matched_name} → " if m.matched_name != m.full_name else ""
            print(f"{m.person_id:>6}  {spelt}{m.full_name} ({_(MATCH_WORDS[m.how])})")
        if not found:
            print(_("Nobody found."))
    return 0
