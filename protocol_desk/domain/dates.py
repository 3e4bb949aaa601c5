"""The one date parser and formatter: dates as the region writes them, day first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_


class Precision(StrEnum):
    """How much of a date a source actually gives."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_MONTH_YEAR_NUM = re.compile(r"^(\d{1,2})[./-](\d{4})$|^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEARLESS = re.compile(r"^(?:--)?(\d{1,2})-(\d{1,2})$")
_ORDINAL_SUFFIX = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)

# Russian and Kazakh month names map onto English so one parser serves all three.
_LOCAL_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "январь января қаңтар",
        "февраль февраля ақпан",
        "март марта наурыз",
        "апрель апреля сәуір",
        "май мая мамыр",
        "июнь июня маусым",
        "июль июля шілде",
        "август августа тамыз",
        "сентябрь сентября қыркүйек",
        "октябрь октября қазан",
        "ноябрь ноября қараша",
        "декабрь декабря желтоқсан",
    ],
    start=1,
):
    for _name in _names.split():
        _LOCAL_MONTHS[_name] = _number


def _checked(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise ValidationError(N_("The date {text} has no month {month}.", text=text, month=month))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(N_("The date {text} does not exist.", text=text)) from None


def _normalise(text: str) -> str:
    cleaned = " ".join(text.replace(",", " ").split())
    cleaned = _ORDINAL_SUFFIX.sub(r"\1", cleaned)
    words = []
    for word in cleaned.split(" "):
        number = _LOCAL_MONTHS.get(word.casefold().rstrip("."))
        words.append(MONTH_NAMES[number - 1] if number else word)
    # "2022 ж." / "2022 г." / "2022 year" are how the region writes the year
    return " ".join(w for w in words if w.casefold() not in {"ж.", "г.", "г", "ж", "year"})


def parse_date(text: str) -> date:
    """Parse one exact day: ``06.06.2022``, ``2022-06-06``, ``6 June 2022``,
    ``September 16th, 2022``, ``16 сентября 2022``. Raises ValidationError."""
    value, precision = parse_partial_date(text)
    if precision is not Precision.DAY:
        raise ValidationError(
            N_("“{text}” is not a complete date: give the day too.", text=text.strip())
        )
    return value


def parse_period(text: str) -> tuple[date, date]:
    """The first and the last day of the day, month or year written, for the "from" and "to"
    of a filter: ``2022`` is 01.01.2022 to 31.12.2022, ``June 2022`` or ``06.2022`` the whole
    of June. Raises ValidationError."""
    start, precision = parse_partial_date(text)
    if precision is Precision.DAY:
        return start, start
    if precision is Precision.MONTH:
        return start, month_end(start)
    return start, start.replace(month=12, day=31)


def parse_partial_date(text: str) -> tuple[date, Precision]:
    """Parse a date that may give only a month or a year.

    The returned date is the first day of the period for month/year precision."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(N_("A date is required."))
    if match := _ISO.match(raw):
        return _checked(int(match[1]), int(match[2]), int(match[3]), raw), Precision.DAY
    if match := _DOTTED.match(raw):
        return _checked(int(match[3]), int(match[2]), int(match[1]), raw), Precision.DAY
    if match := _YEAR.match(raw):
        return _checked(int(match[1]), 1, 1, raw), Precision.YEAR
    if match := _MONTH_YEAR_NUM.match(raw):
        year, month = (match[2], match[1]) if match[1] else (match[3], match[4])
        return _checked(int(year), int(month), 1, raw), Precision.MONTH
    normalised = _normalise(raw)
    has_day = bool(re.search(r"(?<!\d)\d{1,2}(?!\d)", normalised))
    has_month = any(name.casefold() in normalised.casefold() for name in MONTH_NAMES) or any(
        name[:3].casefold() in normalised.casefold().split() for name in MONTH_NAMES
    )
    has_year = bool(re.search(r"\d{4}", normalised))
    if not has_month:
        raise ValidationError(
            N_("“{text}” is not a date this app understands: write 06.06.2022.", text=raw)
        )
    if not has_year:
        raise ValidationError(N_("“{text}” has no year: write it like 06.06.2022.", text=raw))
    # Imported here: dateutil's parser is slow to import, and the window opens without
    # parsing a written-out date.
    from dateutil import parser as dateutil_parser

    try:
        parsed = dateutil_parser.parse(normalised, dayfirst=True, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        # dateutil says "day is out of range for month" for 31 February
        raise ValidationError(N_("The date {text} does not exist.", text=raw)) from None
    if has_day:
        return parsed.date(), Precision.DAY
    return parsed.date().replace(day=1), Precision.MONTH


@dataclass(frozen=True, order=True)
class MonthDay:
    """A recurring day of the year; the year of the base event may be unknown."""

    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValidationError(N_("There is no month {month}.", month=self.month))
        try:
            date(2000, self.month, self.day)  # 2000 is a leap year: 29 February is allowed
        except ValueError:
            raise ValidationError(
                N_("The day {day}.{month:02} does not exist.", day=self.day, month=self.month)
            ) from None

    def iso(self) -> str:
        return f"--{self.month:02d}-{self.day:02d}"


def parse_base_date(text: str) -> date | MonthDay:
    """Parse a birthday or founding date whose year may be unknown:
    ``16.09.1992`` or ``16.09`` / ``--09-16`` / ``16 September``."""
    raw = (text or "").strip()
    if match := _YEARLESS.match(raw):
        if raw.startswith("--"):
            return MonthDay(int(match[1]), int(match[2]))
        return MonthDay(int(match[2]), int(match[1]))
    if match := re.match(r"^(\d{1,2})\.(\d{1,2})\.?$", raw):
        return MonthDay(int(match[2]), int(match[1]))
    try:
        return parse_date(raw)
    except ValidationError:
        normalised = _normalise(raw)
        if re.search(r"\d{4}", normalised):
            raise
        for number, name in enumerate(MONTH_NAMES, start=1):
            if name.casefold() in normalised.casefold():
                day = re.search(r"\d{1,2}", normalised)
                if day:
                    return MonthDay(number, int(day[0]))
        raise


def base_date_to_iso(value: date | MonthDay | None) -> str | None:
    if value is None:
        return None
    return value.iso() if isinstance(value, MonthDay) else value.isoformat()


def base_date_from_iso(text: str | None) -> date | MonthDay | None:
    if not text:
        return None
    if text.startswith("--"):
        return MonthDay(int(text[2:4]), int(text[5:7]))
    return date.fromisoformat(text)


def format_date(value: date | None, precision: Precision | str = Precision.DAY) -> str:
    """Display a date the way the office writes it: ``06.06.2022``, ``June 2022``, ``2022``."""
    if value is None:
        return ""
    precision = Precision(precision)
    if precision is Precision.YEAR:
        return f"{value.year}"
    if precision is Precision.MONTH:
        return f"{MONTH_NAMES[value.month - 1]} {value.year}"
    return value.strftime("%d.%m.%Y")


def format_long(value: date) -> str:
    """``16 September 2022`` for prose and printed notes."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def format_base_date(value: date | MonthDay | None) -> str:
    if value is None:
        return ""
    if isinstance(value, MonthDay):
        return f"{value.day} {MONTH_NAMES[value.month - 1]}"
    return format_long(value)


def month_end(day: date) -> date:
    """The last day of the day's month."""
    if day.month == 12:
        return day.replace(day=31)
    return day.replace(month=day.month + 1, day=1) - timedelta(days=1)


@dataclass(frozen=True, order=True)
class Year:
    """A year alone, where the day of an event is not known (relations established in 1992)."""

    year: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValidationError(N_("There is no year {year}.", year=self.year))

    def iso(self) -> str:
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return str(self.year)


def parse_day_or_year(text: str) -> date | Year:
    """An exact day, or a year alone (``16.09.1992`` or ``1992``): a day can be given later."""
    value, precision = parse_partial_date(text)
    if precision is Precision.YEAR:
        return Year(value.year)
    if precision is Precision.MONTH:
        raise ValidationError(
            N_(
                "“{text}” gives a month: give the whole day (16.09.1992) or the year alone.",
                text=text.strip(),
            )
        )
    return value


def day_or_year_to_iso(value: date | Year | None) -> str | None:
    if value is None:
        return None
    return value.iso() if isinstance(value, Year) else value.isoformat()


def day_or_year_from_iso(text: str | None) -> date | Year | None:
    """``1992-09-16`` or ``1992``; raises ValueError for anything else."""
    if not text:
        return None
    if len(text) == 4 and text.isdigit():
        return Year(int(text))
    return date.fromisoformat(text)


def format_day_or_year(value: date | Year | None, long: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, Year):
        return str(value.year)
    return format_long(value) if long else value.strftime("%d.%m.%Y")
