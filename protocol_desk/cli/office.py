"""``connect``, ``sync``, ``conflicts``, ``resolve`` and ``server init|check``: sharing with
colleagues through the office server."""

from __future__ import annotations

import argparse
from typing import Any

from protocol_desk.cli import open_store_for_writing, print_json
from protocol_desk.i18n import _, ngettext, shown


def register(commands: Any) -> None:
    connect = commands.add_parser("connect", help=_("share this desk through the office server"))
    connect.add_argument(
        "--dsn",
        required=True,
        help=_("PostgreSQL connection string, e.g. postgresql://me@host/office"),
    )
    connect.set_defaults(run=run_connect)

    sync = commands.add_parser("sync", help=_("send this desk's changes, receive colleagues'"))
    sync.add_argument("--json", action="store_true", help=_("print JSON"))
    sync.set_defaults(run=run_sync)

    conflicts = commands.add_parser("conflicts", help=_("records changed here and by a colleague"))
    conflicts.add_argument("--json", action="store_true", help=_("print JSON"))
    conflicts.set_defaults(run=run_conflicts)

    resolve = commands.add_parser("resolve", help=_("resolve a conflict: keep mine or take theirs"))
    resolve.add_argument("uid")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument("--mine", action="store_true", help=_("this desk's version wins"))
    choice.add_argument("--theirs", action="store_true", help=_("the office's version wins"))
    resolve.set_defaults(run=run_resolve)

    server = commands.add_parser("server", help=_("set up or check the office server (IT)"))
    actions = server.add_subparsers(dest="server_command", required=True, metavar="ACTION")
    init = actions.add_parser("init", help=_("create or update the schema and the roles"))
    init.add_argument("--dsn", required=True, help=_("as a user allowed to create roles"))
    init.set_defaults(run=run_server_init)
    check = actions.add_parser("check", help=_("verify the server is ready for the desks"))
    check.add_argument("--dsn", required=True)
    check.set_defaults(run=run_server_check)


def run_connect(args: argparse.Namespace) -> int:
    from protocol_desk.services import office

    store = open_store_for_writing(args)
    try:
        print(shown(office.connect_desk(store, args.dsn)))
    finally:
        store.close()
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from protocol_desk.services import office

    store = open_store_for_writing(args)
    try:
        outcome = office.sync(store)
    finally:
        store.close()
    if args.json:
        print_json(outcome.as_json())
    else:
        print(
            ngettext(
                "Sent {pushed}, received {pulled}, {n} conflict to resolve.",
                "Sent {pushed}, received {pulled}, {n} conflicts to resolve.",
                outcome.conflicts,
            ).format(pushed=outcome.pushed, pulled=outcome.pulled, n=outcome.conflicts)
        )
        if outcome.readonly and outcome.waiting:
            print(
                _("Your account may only read: {n} changes stay on this desk.").format(
                    n=outcome.waiting
                )
            )
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    from protocol_desk.services import office

    store = open_store_for_writing(args)
    try:
        found = office.conflicts(store)
    finally:
        store.close()
    if args.json:
        print_json(
            [
                {
                    "uid": c.uid,
                    "kind": c.kind,
                    "title": c.title,
                    "their_author": c.their_author,
                    "could_not_apply": c.reason or None,
                    "differences": [
                        {"field": d.path, "mine": d.mine, "theirs": d.theirs} for d in c.differences
                    ],
                }
                for c in found
            ]
        )
        return 0
    if not found:
        print(_("No conflicts."))
    for c in found:
        theirs_by = _("theirs by {author}").format(author=c.their_author)
        print(f"{c.uid}  {c.kind}: {c.title} ({theirs_by})")
        if c.reason:
            print("    " + _("could not be applied here: {reason}").format(reason=shown(c.reason)))
        for d in c.differences:
            both = _("mine “{mine}” — theirs “{theirs}”").format(mine=d.mine, theirs=d.theirs)
            print(f"    {d.path}: {both}")
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    from protocol_desk.services import office

    store = open_store_for_writing(args)
    try:
        if args.mine:
            office.keep_mine(store, args.uid)
            print(_("Kept this desk's version; it goes to the office at the next sync."))
        else:
            office.take_theirs(store, args.uid)
            print(_("Took the office's version."))
    finally:
        store.close()
    return 0


def run_server_init(args: argparse.Namespace) -> int:
    from protocol_desk.services import office

    applied = office.server_init(args.dsn)
    if applied:
        print(_("Office server ready (applied {names}).").format(names=", ".join(applied)))
    else:
        print(_("Office server ready (already up to date)."))
    print(
        _(
            "Give each officer a log-in in the role protocol_desk_officer, each reader one in"
            " protocol_desk_reader."
        )
    )
    return 0


def run_server_check(args: argparse.Namespace) -> int:
    from protocol_desk.services import office

    print(shown(office.server_check(args.dsn)))
    return 0
