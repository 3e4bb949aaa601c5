"""Days as the window writes them, in its language: a day as ``06.06.2022`` in every
language, a month or a year and the long forms in words (``маусым 2022 ж.``,
``июнь 2022 г.``, ``June 2022``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from babel.dates import format_date as cldr_date

from protocol_desk.domain import language as words
from protocol_desk.domain.dates import MonthDay, Precision
from protocol_desk.domain.dates import format_date as office_date
from protocol_desk.i18n import _, current_language, ngettext

if TYPE_CHECKING:
    from protocol_desk.services.anniversaries import YearAnniversary


def date_text(value: date | None, precision: Precision | str = Precision.DAY) -> str:
    """A list's or a field's date: the office's digits for a day, words for a month."""
    if value is None or Precision(precision) is Precision.DAY:
        return office_date(value, precision)
    return words.date_with_precision(value, precision, current_language())


def long_date(value: date) -> str:
    """``16 қыркүйек 2022 ж.``, ``16 сентября 2022 г.``, ``16 September 2022``."""
    return words.long_date(value, current_language())


def long_day(day: date) -> str:
    """``Friday, 16 September 2022`` in the window's language."""
    language = current_language()
    return f"{cldr_date(day, 'EEEE', locale=language.value)}, {long_date(day)}"


def base_date_text(value: date | MonthDay | None) -> str:
    """An anniversary's date: a full day, or a day that comes back every year."""
    if value is None:
        return ""
    if isinstance(value, MonthDay):
        return words.day_of_year(value.month, value.day, current_language())
    return long_date(value)


def month_heading(year: int, month: int) -> str:
    """``September 2022`` as a heading (capitalised, as a heading starts)."""
    text = cldr_date(date(year, month, 1), "LLLL y", locale=current_language().value)
    return text[:1].upper() + text[1:]


def year_only_when(found: YearAnniversary) -> str:
    """“30 years in 2022”: an anniversary of relations known by the year alone."""
    return ngettext("{n} year in {year}", "{n} years in {year}", found.ordinal).format(
        n=found.ordinal, year=found.year
    )


def year_only_note(found: YearAnniversary) -> str:
    """“Belarus: 30 years in 2022, the day not known”, for a line of text."""
    return _("{country}: {when}, the day not known").format(
        country=found.country, when=year_only_when(found)
    )
