"""``read-release`` and ``import-release``: what a press release offers, and logging releases
(an archive) as meetings from what is ticked."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk.cli import date_arg, open_store, open_store_for_writing, print_json
from protocol_desk.i18n import _, shown


def register(commands: Any) -> None:
    read = commands.add_parser(
        "read-release",
        help=_("print what a press release offers a meeting, without saving"),
        description=_(
            "Read a release (.txt, .html, .docx or .pdf) and print its day, format, country, "
            "place, people, documents signed, agreed actions, visit and anniversaries."
        ),
    )
    read.add_argument("release", type=Path, metavar="RELEASE")
    read.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help=_("the day taken as today for a release that gives no year"),
    )
    read.add_argument("--json", action="store_true", help=_("print JSON"))
    read.set_defaults(run=run_read)
    log = commands.add_parser(
        "import-release",
        help=_("log releases as meetings from what is ticked"),
        description=_(
            "Log each release as a meeting from what the reader ticks; a release with no day "
            "or no counterpart beyond doubt is left for review."
        ),
    )
    log.add_argument("releases", type=Path, nargs="+", metavar="RELEASE")
    log.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help=_("the day taken as today for a release that gives no year"),
    )
    log.add_argument(
        "--without-counterpart",
        action="store_true",
        help=_("log a meeting even when no counterpart is ticked"),
    )
    log.set_defaults(run=run_import)


def run_read(args: argparse.Namespace) -> int:
    from protocol_desk.services.release_files import release_text
    from protocol_desk.services.release_lookup import StoreLookup
    from protocol_desk.services.release_offer import read_release

    text = release_text(args.release)
    store = open_store(args, readonly=True)
    try:
        offer = read_release(StoreLookup(store), text, args.as_of or date.today())
    finally:
        store.close()
    data = offer.as_json()
    if args.json:
        print_json(data)
        return 0
    when = data["date"]["value"] if data["date"] else _("no day")
    print(data["subject"])
    print("  " + _("day: {day}   format: {format}").format(day=when, format=data["format"]))
    for person in data["people"]:
        mark = "x" if person["ticked"] else " "
        print(f"  [{mark}] {person['name']} ({person['side']})")
    for action in data["actions"]:
        print(f"  [{'x' if action['ticked'] else ' '}] {action['text']}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from protocol_desk.services.names import SamePerson
    from protocol_desk.services.release_files import release_text
    from protocol_desk.services.release_lookup import StoreLookup
    from protocol_desk.services.release_offer import read_release
    from protocol_desk.services.releases import log_release

    files = []
    for path in args.releases:
        files += (
            sorted(
                p for p in path.iterdir() if p.suffix in {".txt", ".html", ".htm", ".docx", ".pdf"}
            )
            if path.is_dir()
            else [path]
        )
    store = open_store_for_writing(args)
    try:
        for path in files:
            text = release_text(path)
            offer = read_release(StoreLookup(store), text, args.as_of or date.today())
            try:
                logged = log_release(
                    store,
                    offer,
                    text,
                    source_name=path.name,
                    without_counterpart=args.without_counterpart,
                    as_of=args.as_of or date.today(),
                )
            except SamePerson as question:
                # Only the officer can say whether a new name is someone already known: the
                # release is left whole (nothing of it saved) and the archive goes on.
                print(f"{path.name}: {_('nothing saved')}")
                print(
                    "    "
                    + _("left for review: {item}").format(
                        item=_("{name}: {question} Log this release in the window.").format(
                            name=question.name, question=shown(question.message)
                        )
                    )
                )
                continue
            saved = "; ".join(shown(line) for line in logged.saved) or _("nothing saved")
            print(f"{path.name}: {saved}")
            for item in logged.left:
                print("    " + _("left for review: {item}").format(item=shown(item)))
    finally:
        store.close()
    return 0
