"""The product's one translation catalog (gettext, kept as ``.po`` files and compiled by
Babel): the command line, the briefing PDF and the window all read it. Which language applies:
``--lang`` > the saved preference > the system's language > English."""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from protocol_desk.domain.language import Language, parse_language, system_language
from protocol_desk.domain.messages import in_language

DOMAIN = "protocol_desk"
LOCALE_DIR = Path(__file__).parent / "locale"

Catalog = gettext.NullTranslations


@cache
def catalog(language: Language) -> Catalog:
    """The compiled catalog of a language; English (the message ids) needs none."""
    if language is Language.ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language.value], fallback=True)


def choose_language(
    requested: str | None = None,
    saved: str | None = None,
    environment: Mapping[str, str] | None = None,
) -> Language:
    """``--lang`` (already checked by its parser) > the saved preference > the system's
    language > English. A saved value that is no longer a language is passed over."""
    if requested:
        return parse_language(requested)
    if saved:
        try:
            return parse_language(saved)
        except ValueError:
            pass
    return system_language(os.environ if environment is None else environment)


_current: Catalog = gettext.NullTranslations()
_language = Language.ENGLISH


def install(language: Language) -> Catalog:
    """Make ``language`` the one the program speaks (``_`` and ``ngettext`` below)."""
    global _current, _language
    _current = catalog(language)
    _language = language
    return _current


def current_language() -> Language:
    return _language


def _(message: str) -> str:
    """A message in the program's language; the id is the English text."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """A message whose wording follows the count ``n``, in the program's language."""
    return _current.ngettext(singular, plural, n)


def record_count(kind: str, n: int) -> str:
    """``6 meetings``, ``6 встреч``, ``6 кездесу``: a count of records of a kind the export
    and the health check name (``meetings``, ``people``, ``agreed actions`` …)."""
    forms = {
        "countries": ngettext("{n} country", "{n} countries", n),
        "organisations": ngettext("{n} organisation", "{n} organisations", n),
        "people": ngettext("{n} person", "{n} people", n),
        "anniversaries": ngettext("{n} anniversary", "{n} anniversaries", n),
        "delegations": ngettext("{n} delegation", "{n} delegations", n),
        "meetings": ngettext("{n} meeting", "{n} meetings", n),
        "actions": ngettext("{n} agreed action", "{n} agreed actions", n),
        "agreed actions": ngettext("{n} agreed action", "{n} agreed actions", n),
        "change log entries": ngettext("{n} change log entry", "{n} change log entries", n),
    }
    return forms.get(kind, f"{{n}} {kind}").format(n=f"{n:,}")


def shown(text: str) -> str:
    """A message (marked where it was raised) in the program's language, where it is shown."""
    return in_language(text, _current)
