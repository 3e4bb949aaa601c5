"""The office's three languages: which one applies, and dates, ordinals, countdowns and plural
forms written in each, from the Unicode CLDR data that Babel ships rather than hand-kept tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum

from babel import Locale
from babel.dates import format_date as cldr_date
from babel.dates import format_timedelta

from protocol_desk.domain.dates import Precision


class Language(StrEnum):
    KAZAKH = "kk"
    RUSSIAN = "ru"
    ENGLISH = "en"


# Checked in this order, as gettext does: the first one set names the language.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# Day, month and year patterns. Kazakh and Russian write the year's word after the year
# ("16 қыркүйек 2022 ж.", "16 сентября 2022 г."); English keeps the region's day-first order.
_DAY = {
    Language.KAZAKH: "d MMMM y 'ж'.",
    Language.RUSSIAN: "d MMMM y 'г'.",
    Language.ENGLISH: "d MMMM y",
}
_MONTH = {
    Language.KAZAKH: "MMMM y 'ж'.",
    Language.RUSSIAN: "LLLL y 'г'.",
    Language.ENGLISH: "LLLL y",
}
_YEAR = {
    Language.KAZAKH: "y 'ж'.",
    Language.RUSSIAN: "y 'г'.",
    Language.ENGLISH: "y",
}
_DAY_OF_YEAR = {
    Language.KAZAKH: "d MMMM",
    Language.RUSSIAN: "d MMMM",
    Language.ENGLISH: "d MMMM",
}
_TODAY = {Language.KAZAKH: "бүгін", Language.RUSSIAN: "сегодня", Language.ENGLISH: "today"}


def language_from_locale(name: str | None) -> Language:
    """``kk_KZ.UTF-8`` → Kazakh, ``ru_RU`` → Russian, anything else → English."""
    code = (name or "").strip().lower()
    for separator in ":.@-_":
        code = code.split(separator)[0]
    try:
        return Language(code)
    except ValueError:
        return Language.ENGLISH


def system_language(environment: Mapping[str, str]) -> Language:
    """The language the system asks for through its locale variables (``os.environ``)."""
    for variable in LOCALE_VARIABLES:
        value = environment.get(variable, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return language_from_locale(value)
    return Language.ENGLISH


def parse_language(text: str) -> Language:
    """A language code typed on the command line or kept in settings: ``kk``, ``ru``, ``en``."""
    try:
        return Language(text.strip().lower())
    except ValueError:
        raise ValueError(
            f"Unknown language {text!r}: use kk (Kazakh), ru (Russian) or en (English)."
        ) from None


def locale_of(language: Language) -> Locale:
    return Locale.parse(language.value)


def long_date(value: date, language: Language) -> str:
    """``16 қыркүйек 2022 ж.``, ``16 сентября 2022 г.``, ``16 September 2022``."""
    return cldr_date(value, _DAY[language], locale=language.value)


def date_with_precision(value: date, precision: Precision | str, language: Language) -> str:
    """A meeting's day as precisely as it is known: the day, its month, or its year alone."""
    patterns = {Precision.DAY: _DAY, Precision.MONTH: _MONTH, Precision.YEAR: _YEAR}
    return cldr_date(value, patterns[Precision(precision)][language], locale=language.value)


def day_of_year(month: int, day: int, language: Language) -> str:
    """A day that comes back every year (a national day, a birthday): ``16 September``."""
    # 2000 is a leap year, so 29 February has a day to stand on.
    return cldr_date(date(2000, month, day), _DAY_OF_YEAR[language], locale=language.value)


def anniversary_ordinal(years: int, language: Language) -> str:
    """``30th anniversary``, ``30-летие``, ``30 жылдығы``."""
    if language is Language.KAZAKH:
        return f"{years} жылдығы"
    if language is Language.RUSSIAN:
        return f"{years}-летие" if years > 1 else f"{years}-я годовщина"
    suffix = "th" if 10 <= years % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(years % 10, "th")
    return f"{years}{suffix} anniversary"


def countdown(days: int, language: Language) -> str:
    """How far a day is from today: ``in 9 days``, ``через 9 дней``, ``9 күннен кейін``;
    ``9 days ago``, ``9 дней назад``, ``9 күн бұрын``; ``today``."""
    if days == 0:
        return _TODAY[language]
    # A threshold no span reaches keeps the count in days (CLDR would switch to weeks).
    return format_timedelta(
        timedelta(days=days),
        granularity="day",
        threshold=10**9,
        add_direction=True,
        locale=language.value,
    )


def plural_category(count: int, language: Language) -> str:
    """CLDR's plural category of a count: Russian has one/few/many, Kazakh and English
    one/other."""
    return str(locale_of(language).plural_form(count))


# Letters only Kazakh writes among the Cyrillic alphabets the office meets.
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def _is_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("\u0400" <= c <= "\u04ff" for c in letters)


def name_in_language(name: str, other_names: Sequence[str], language: Language) -> str:
    """A country's or organisation's name as a note in ``language`` prints it: the office's
    (English) name for English; for Russian the first other name in Cyrillic without Kazakh
    letters, for Kazakh the first with them, else the first in Cyrillic; else the name."""
    if language is Language.ENGLISH:
        return name
    cyrillic = [n for n in other_names if _is_cyrillic(n)]
    kazakh = [n for n in cyrillic if _KAZAKH_LETTERS & set(n)]
    russian = [n for n in cyrillic if not _KAZAKH_LETTERS & set(n)]
    preferred = kazakh if language is Language.KAZAKH else russian
    return next(iter(preferred or cyrillic), name)


def count_phrase(count: int, forms: Mapping[str, str], language: Language) -> str:
    """``forms`` maps plural categories to phrases holding ``{n}``: for Russian
    ``{"one": "{n} встреча", "few": "{n} встречи", "many": "{n} встреч"}``. A category
    missing from ``forms`` falls back to ``other``."""
    category = plural_category(count, language)
    phrase = forms.get(category) or forms.get("other") or forms.get("many") or ""
    return phrase.format(n=count)
