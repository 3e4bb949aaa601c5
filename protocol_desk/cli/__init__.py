"""The command line: ``python -m protocol_desk --db PATH COMMAND``. Same services, no Qt.

Each module in ``COMMAND_MODULES`` adds its sub-commands to the parser; a command is a function
taking the parsed arguments and returning the exit code."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk import APP_NAME, __version__, i18n
from protocol_desk.domain.dates import parse_date
from protocol_desk.domain.errors import ProtocolDeskError, ValidationError
from protocol_desk.domain.language import Language, parse_language
from protocol_desk.domain.messages import os_reason
from protocol_desk.i18n import _, shown
from protocol_desk.paths import default_db_path
from protocol_desk.store import Store

COMMAND_MODULES = (
    "protocol_desk.cli.data",
    "protocol_desk.cli.actions",
    "protocol_desk.cli.briefing",
    "protocol_desk.cli.anniversaries",
    "protocol_desk.cli.safety",
    "protocol_desk.cli.office",
    "protocol_desk.cli.releases",
)


def open_store(args: argparse.Namespace, *, readonly: bool = False) -> Store:
    path = Path(args.db) if args.db else default_db_path()
    if not readonly and not path.parent.exists() and not args.db:
        path.parent.mkdir(parents=True, exist_ok=True)
    return Store.open(path, readonly=readonly)


def open_store_for_writing(args: argparse.Namespace) -> Store:
    """Open as the one writer (the same lock the window takes): an import never writes into a
    database that a colleague's window is editing."""
    from protocol_desk.services.safety import open_for_editing

    path = Path(args.db) if args.db else default_db_path()
    if not args.db:
        path.parent.mkdir(parents=True, exist_ok=True)
    opened = open_for_editing(path, automatic_backup=False)
    for warning in opened.warnings:  # a risky folder, a file made private, a finished restore
        print(_("Warning: {warning}").format(warning=shown(warning)), file=sys.stderr)
    return opened.store


def date_arg(text: str) -> date:
    """``--as-of`` and friends take any date the app reads (``2022-06-08``, ``08.06.2022``)."""
    try:
        return parse_date(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(shown(error.message)) from None


def whole_number(lowest: int, highest: int, unit: str) -> Callable[[str], int]:
    """An option's whole number within bounds: anything else is a one-line message, never a
    traceback from deeper down (SQLite's integers end at 2**63). ``unit`` is already in the
    reader's language."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            value = None
        if value is None or not lowest <= value <= highest:
            raise argparse.ArgumentTypeError(
                _(
                    "expected a whole number of {unit} from {lowest} to {highest}, not “{text}”"
                ).format(unit=unit, lowest=f"{lowest:,}", highest=f"{highest:,}", text=text[:40])
            )
        return value

    return parse


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def language_arg(text: str) -> Language:
    try:
        return parse_language(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("unknown language “{text}”: use kk (Kazakh), ru (Russian) or en (English)").format(
                text=text[:40]
            )
        ) from None


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--lang``: the language of the messages (and of the window, for the window)."""
    parser.add_argument(
        "--lang",
        type=language_arg,
        metavar="kk|ru|en",
        help=_("the language to speak (default: the system's language, else English)"),
    )


def requested_language(argv: Sequence[str]) -> str | None:
    """The program's ``--lang``, read before the parser is built (its help is written in that
    language): the options before the command only, since ``brief --lang`` is the note's. A
    value that is not a language is left for the parser to refuse."""
    value = None
    tokens = iter(argv)
    for token in tokens:
        if token == "--lang":
            value = next(tokens, None)
        elif token.startswith("--lang="):
            value = token.partition("=")[2]
        elif token == "--db":
            next(tokens, None)
        elif not token.startswith("-"):
            break  # the command
    try:
        return parse_language(value).value if value else None
    except ValueError:
        return None


def speak(language: Language) -> None:
    """The program's messages, and argparse's own words (usage, error), in ``language``."""
    catalog = i18n.install(language)
    # argparse looks its words up in its module's ``_`` and ``ngettext`` when it uses them.
    argparse._ = catalog.gettext  # type: ignore[attr-defined]
    argparse.ngettext = catalog.ngettext  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m protocol_desk",
        description=_("{app}: the office's records from the command line.").format(app=APP_NAME),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help=_("show the program's version and exit"),
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=_("database file (default: {path})").format(path=default_db_path()),
    )
    add_language_option(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    speak(i18n.choose_language(requested_language(argv)))
    parser = build_parser()
    for argument in sys.argv[1:] if argv is None else argv:
        # Bytes that are not UTF-8 arrive as lone surrogates, which no file or SQLite takes.
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            escaped = argument.encode("utf-8", "backslashreplace").decode("utf-8")
            message = _("“{text}” is not text in UTF-8.").format(text=escaped)
            print(f"{parser.prog}: {message}", file=sys.stderr)
            return 2
    args = parser.parse_args(argv)
    root = logging.getLogger()
    if not root.handlers:
        # What went wrong is said in one line below; the store's log records are not printed
        # too (Python prints warnings to stderr when nothing else takes them).
        root.addHandler(logging.NullHandler())
    try:
        return int(args.run(args))
    except ProtocolDeskError as error:
        print(f"{parser.prog}: {shown(error.message)}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{parser.prog}: {shown(os_reason(error))}: {error.filename or ''}", file=sys.stderr)
        return 1
