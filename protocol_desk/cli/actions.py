"""``actions``: the agreed actions still to do, overdue, done or all, as of a day."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from protocol_desk.cli import date_arg, open_store, print_json
from protocol_desk.domain.dates import format_date
from protocol_desk.domain.models import ACTION_STATUS_LABELS
from protocol_desk.i18n import _
from protocol_desk.services.actions import STATUS_CHOICES, ActionService, row_as_dict


def register(commands: Any) -> None:
    actions = commands.add_parser(
        "actions",
        help=_("agreed actions: open (still to do), overdue, done or all"),
        description=_(
            "List agreed actions. “open” is everything still to do (open or in "
            "progress); “overdue” is the part of it whose due date is before --as-of."
        ),
    )
    actions.add_argument(
        "--status",
        choices=list(STATUS_CHOICES),
        default="open",
        help=_("which actions to list (default: open)"),
    )
    actions.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help=_("the day that decides what is overdue (default: today)"),
    )
    actions.add_argument("--json", action="store_true", help=_("print JSON"))
    actions.set_defaults(run=run_actions)


def run_actions(args: argparse.Namespace) -> int:
    as_of: date = args.as_of or date.today()
    store = open_store(args, readonly=True)
    try:
        rows = ActionService(store).list_by_status(args.status, as_of)
    finally:
        store.close()
    if args.json:
        print_json([row_as_dict(r, as_of) for r in rows])
        return 0
    if not rows:
        print(
            _("No actions of the list “{status}” as of {day}.").format(
                status=args.status, day=format_date(as_of)
            )
        )
        return 0
    for r in rows:
        due = format_date(r.due) if r.due else _("no date")
        marker = (
            _("OVERDUE {days}d").format(days=r.days_overdue(as_of)) if r.is_overdue(as_of) else ""
        )
        status = _(ACTION_STATUS_LABELS[r.status])
        print(f"{r.id:>6}  {due:<10}  {status:<11} {marker:<13} {r.text}")
        agreed = _("agreed {day}").format(day=format_date(r.meeting_date)) if r.meeting_date else ""
        details = [r.counterpart, agreed]
        if r.owner:
            details.append(_("owner: {owner}").format(owner=r.owner))
        print(" " * 8 + " · ".join(d for d in details if d))
    return 0
