"""The one date parser: the formats the region writes, and clear messages for the rest."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol_desk.domain.dates import (
    MonthDay,
    Precision,
    format_date,
    month_end,
    parse_base_date,
    parse_date,
    parse_partial_date,
    parse_period,
)
from protocol_desk.domain.errors import ValidationError


@pytest.mark.parametrize(
    "text",
    [
        "06.06.2022",
        "6.6.2022",
        "2022-06-06",
        "6 June 2022",
        "June 6th, 2022",
        "06/06/2022",
        "6 июня 2022",
        "6 маусым 2022 ж.",
    ],
)
def test_day_first_formats(text: str) -> None:
    assert parse_date(text) == date(2022, 6, 6)


def test_ordinal_english_date_from_seed() -> None:
    assert parse_date("September 16th, 2022") == date(2022, 9, 16)


def test_dotted_date_is_day_first() -> None:
    assert parse_date("01.02.2024") == date(2024, 2, 1)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2025", date(2025, 1, 1), Precision.YEAR),
        ("February 2026", date(2026, 2, 1), Precision.MONTH),
        ("02.2026", date(2026, 2, 1), Precision.MONTH),
        ("18.11.2022", date(2022, 11, 18), Precision.DAY),
    ],
)
def test_partial_dates(text: str, expected: date, precision: Precision) -> None:
    assert parse_partial_date(text) == (expected, precision)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.2022", "does not exist"),
        ("", "required"),
        ("   ", "required"),
        ("tomorrow-ish", "not a date"),
        ("16 September", "no year"),
        ("2022-13-01", "no month 13"),
    ],
)
def test_bad_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_date(text)


def test_month_only_is_not_a_day() -> None:
    with pytest.raises(ValidationError, match="not a complete date"):
        parse_date("June 2022")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.09", MonthDay(9, 16)),
        ("--09-16", MonthDay(9, 16)),
        ("16 September", MonthDay(9, 16)),
        ("29.02", MonthDay(2, 29)),
        ("16.09.1992", date(1992, 9, 16)),
    ],
)
def test_base_dates_may_lack_a_year(text: str, expected: date | MonthDay) -> None:
    assert parse_base_date(text) == expected


def test_yearless_impossible_day_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        parse_base_date("30.02")


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_displayed_dates_parse_back(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day


@given(st.text(max_size=60))
def test_any_text_either_parses_or_says_why(text: str) -> None:
    try:
        parse_partial_date(text)
    except ValidationError as error:
        assert error.message


def test_month_end_matches_the_calendar() -> None:
    import calendar

    for year in (1900, 2000, 2023, 2024, 9999):
        for month in range(1, 13):
            day = date(year, month, 15)
            assert month_end(day) == date(year, month, calendar.monthrange(year, month)[1])


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("06.2022", date(2022, 6, 1), date(2022, 6, 30)),
        ("June 2022", date(2022, 6, 1), date(2022, 6, 30)),
        ("February 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("December 2022", date(2022, 12, 1), date(2022, 12, 31)),
        ("16.09.2022", date(2022, 9, 16), date(2022, 9, 16)),
        ("September 16th, 2022", date(2022, 9, 16), date(2022, 9, 16)),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_day(text: str, first: date, last: date) -> None:
    assert parse_period(text) == (first, last)


def test_a_period_that_is_no_date_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        parse_period("31.02.2022")
    with pytest.raises(ValidationError):
        parse_period("next spring")
