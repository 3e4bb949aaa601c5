"""``brief``: a briefing note on a country, organisation, person, meeting or visit, as PDF."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk.cli import date_arg, language_arg, open_store, whole_number
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _, current_language, ngettext
from protocol_desk.services.briefing import (
    DEFAULT_DAYS,
    BriefingOptions,
    PageSize,
    SubjectKind,
    resolve_subject,
)
from protocol_desk.store.files import private_output


def register(commands: Any) -> None:
    brief = commands.add_parser(
        "brief",
        help=_("write a briefing note as PDF"),
        description=_(
            "Write a print-ready briefing note. Names match any spelling, in any case; "
            "countries also match their ISO code."
        ),
    )
    subject = brief.add_mutually_exclusive_group(required=True)
    subject.add_argument(
        "--country", metavar="NAME", help=_("a country: name, other name or ISO code")
    )
    subject.add_argument(
        "--organisation", metavar="NAME", help=_("an organisation: name or short name")
    )
    subject.add_argument("--person", metavar="NAME", help=_("a person: any spelling of the name"))
    subject.add_argument("--meeting", metavar="ID", help=_("a meeting, by its number"))
    subject.add_argument(
        "--delegation", metavar="ID", help=_("a delegation or visit, by its number")
    )
    brief.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help=_("the note's date (default: today)"),
    )
    brief.add_argument(
        "--days",
        type=whole_number(0, 3660, _("days")),
        default=DEFAULT_DAYS,
        metavar="N",
        help=_("look ahead N days for events and anniversaries (default: {days})").format(
            days=DEFAULT_DAYS
        ),
    )
    brief.add_argument(
        "--marking",
        metavar="TEXT",
        help=_(
            "classification marking (default: the office's setting, else the standard "
            "marking in the note's language)"
        ),
    )
    brief.add_argument(
        "--lang",
        dest="note_language",
        type=language_arg,
        default=None,
        metavar="kk|ru|en",
        help=_("the note's language (default: the language of the messages)"),
    )
    brief.add_argument(
        "--page-size",
        choices=[p.value for p in PageSize],
        default=PageSize.A4.value,
        help=_("paper size (default: A4)"),
    )
    brief.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.pdf", help=_("the PDF to write")
    )
    brief.set_defaults(run=run_brief)


def run_brief(args: argparse.Namespace) -> int:
    from protocol_desk.reports.briefing_pdf import write_briefing  # reportlab only when needed

    kind, text = next(
        (kind, getattr(args, kind.value))
        for kind in SubjectKind
        if getattr(args, kind.value) is not None
    )
    if args.days < 0:
        raise ValidationError(N_("--days cannot be negative."))
    store = open_store(args, readonly=True)
    try:
        subject = resolve_subject(store, kind, text)
        options = BriefingOptions(
            as_of=args.as_of or date.today(),
            days=args.days,
            marking=args.marking,
            page_size=PageSize(args.page_size),
            language=args.note_language or current_language(),
        )
        with private_output(Path(args.output)) as temporary:
            briefing, pages = write_briefing(store, subject, options, temporary)
    finally:
        store.close()
    print(
        ngettext(
            "Briefing note on {title}: {file} ({n} page).",
            "Briefing note on {title}: {file} ({n} pages).",
            pages,
        ).format(title=briefing.title, file=args.output, n=pages)
    )
    return 0
