"""Anniversary arithmetic: ordinals, jubilees, year ends, 29 February under both rules, and
every occurrence in a horizon exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_desk.domain.anniversaries import (
    JubileeRule,
    LeadTimes,
    LeapDayRule,
    action_due_date,
    count_occurrences,
    horizon_end,
    lead_days_for,
    next_occurrence,
    observed_on,
    occurrence,
    occurrences_between,
    occurrences_in,
    ordinal_for,
    ordinal_text,
    parse_jubilee_rule,
    preparation_started,
    upcoming,
)
from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.models import Anniversary, AnniversaryKind


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- strategies ---------------------------------------------------------------------------------
rules = st.sampled_from(list(LeapDayRule))
days_in_range = st.dates(min_value=date(1900, 1, 1), max_value=date(2090, 12, 31))
leap_day_bases = st.sampled_from([1904, 1948, 1992, 2000, 2004, 2020]).map(lambda y: date(y, 2, 29))
year_less = st.builds(
    MonthDay,
    month=st.integers(1, 12),
    day=st.integers(1, 28),
) | st.just(MonthDay(2, 29))
bases = days_in_range | leap_day_bases | year_less
titles = st.text(alphabet=st.sampled_from("abcАБВӘҒҚҢӨҰҮҺІ <&"), min_size=1, max_size=12).filter(
    lambda t: t.strip() != ""
)


@st.composite
def anniversaries(draw: st.DrawFn) -> Anniversary:
    return Anniversary(
        kind=draw(st.sampled_from(list(AnniversaryKind))),
        title=draw(titles),
        base_date=draw(bases),
        lead_days=draw(st.none() | st.integers(0, 400)),
        id=draw(st.integers(1, 10**6)),
    )


# --- ordinals -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (30, "30th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (1000, "1000th"),
    ],
)
def test_ordinal_text_examples(n: int, text: str) -> None:
    assert ordinal_text(n) == text


@given(st.integers(1, 10_000))
def test_ordinal_text_suffix_follows_the_last_two_digits(n: int) -> None:
    text = ordinal_text(n)
    assert text[:-2] == str(n)
    # The suffix depends on the last two digits only, so n and n + 100 agree.
    assert text[-2:] == ordinal_text(n + 100)[-2:]
    if n % 100 in (11, 12, 13):
        assert text.endswith("th")
    else:
        assert text.endswith({1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


@given(days_in_range, st.integers(1, 150), rules)
def test_ordinal_counts_the_years_since_the_base_date(
    base: date, years: int, rule: LeapDayRule
) -> None:
    day = observed_on(base.month, base.day, base.year + years, rule)
    assert ordinal_for(base, day) == years
    assert occurrence(Anniversary(AnniversaryKind.CUSTOM, "x", base), day).ordinal == years


def test_a_base_without_a_year_has_no_ordinal() -> None:
    birthday = Anniversary(AnniversaryKind.BIRTHDAY, "Birthday", MonthDay(3, 14))
    found = occurrence(birthday, date(2022, 3, 14))
    assert found.ordinal is None
    assert not found.jubilee
    assert found.title == "Birthday"


# --- jubilees -----------------------------------------------------------------------------------
def test_default_jubilees() -> None:
    rule = JubileeRule()
    assert [n for n in range(1, 41) if rule.is_jubilee(n)] == [5, 10, 15, 20, 25, 30, 35, 40]
    assert [n for n in range(1, 201) if rule.is_major(n)] == [10, 25, 50, 75, 100, 150, 200]
    assert not rule.is_jubilee(None)
    assert not rule.is_jubilee(0)


def test_jubilee_rule_from_settings_text() -> None:
    rule = parse_jubilee_rule("10", "25; 50 100")
    assert rule.every == 10
    assert rule.major == (25, 50, 100)
    assert rule.is_jubilee(20) and not rule.is_jubilee(15)
    assert rule.is_jubilee(25)  # a major jubilee is a jubilee whatever the step
    only_major = parse_jubilee_rule("0", "50")
    assert [n for n in range(1, 101) if only_major.is_jubilee(n)] == [50, 100]
    assert parse_jubilee_rule(None, None) == JubileeRule()
    with pytest.raises(ValidationError, match="whole number"):
        parse_jubilee_rule("five", "10")
    with pytest.raises(ValidationError, match="list of years"):
        parse_jubilee_rule("5", "10, twenty")
    with pytest.raises(ValidationError):
        parse_jubilee_rule("-5", "10")


@given(st.integers(1, 500), st.integers(0, 20))
def test_every_major_jubilee_is_a_jubilee(n: int, every: int) -> None:
    rule = JubileeRule(every=every)
    if rule.is_major(n):
        assert rule.is_jubilee(n)
    if every:
        assert rule.is_jubilee(n) == (n % every == 0 or rule.is_major(n))


# --- lead times ---------------------------------------------------------------------------------
def test_lead_time_by_kind_and_for_jubilees() -> None:
    relations = Anniversary(AnniversaryKind.DIPLOMATIC_RELATIONS, "Relations", date(1992, 9, 16))
    birthday = Anniversary(AnniversaryKind.BIRTHDAY, "Birthday", date(1962, 5, 1))
    assert lead_days_for(relations, False) == 60
    assert lead_days_for(relations, True) == 120  # a jubilee wants months
    assert lead_days_for(birthday, False) == 14  # a birthday two weeks
    assert lead_days_for(birthday, True) == 30
    relations.lead_days = 10
    assert lead_days_for(relations, False) == 10
    assert lead_days_for(relations, True) == 120  # never less than the kind's jubilee time
    relations.lead_days = 200
    assert lead_days_for(relations, True) == 200
    times = LeadTimes(ordinary={AnniversaryKind.BIRTHDAY: 7}, jubilee={})
    assert lead_days_for(birthday, False, times) == 7


def test_prepare_by_is_the_date_less_the_lead_time() -> None:
    relations = Anniversary(AnniversaryKind.DIPLOMATIC_RELATIONS, "Relations", date(1992, 9, 16))
    found = occurrence(relations, date(2022, 9, 16))
    assert found.jubilee and found.ordinal == 30
    assert found.prepare_by == date(2022, 5, 19)
    assert found.preparation_started(date(2022, 6, 8))
    assert not found.preparation_started(date(2022, 5, 18))
    assert found.days_until(date(2022, 6, 8)) == 100
    assert found.title == "30th anniversary: Relations"


# --- 29 February --------------------------------------------------------------------------------
def test_leap_day_examples() -> None:
    base = date(2000, 2, 29)
    assert next_occurrence(base, date(2000, 1, 1)) == date(2001, 2, 28)
    assert next_occurrence(base, date(2000, 1, 1), LeapDayRule.MAR_1) == date(2001, 3, 1)
    assert next_occurrence(base, date(2004, 1, 1), LeapDayRule.MAR_1) == date(2004, 2, 29)
    assert observed_on(2, 29, 2100, LeapDayRule.FEB_28) == date(2100, 2, 28)  # not a leap year
    assert observed_on(2, 29, 2400, LeapDayRule.MAR_1) == date(2400, 2, 29)


@given(st.integers(1901, 2200), rules, leap_day_bases | st.just(MonthDay(2, 29)))
def test_leap_day_is_observed_once_a_year_as_the_rule_says(
    year: int, rule: LeapDayRule, base: date | MonthDay
) -> None:
    if isinstance(base, date) and year <= base.year:
        return
    found = occurrences_between(base, date(year, 1, 1), date(year, 12, 31), rule)
    if _is_leap(year):
        expected = date(year, 2, 29)
    else:
        expected = date(year, 2, 28) if rule is LeapDayRule.FEB_28 else date(year, 3, 1)
    assert found == [expected]


# --- next occurrence and year ends --------------------------------------------------------------
@given(bases, days_in_range, rules)
def test_next_occurrence_is_the_first_one_on_or_after(
    base: date | MonthDay, after: date, rule: LeapDayRule
) -> None:
    found = next_occurrence(base, after, rule)
    assert found >= after
    if isinstance(base, date):
        assert found.year > base.year  # the base day itself is not an anniversary
    # Nothing in between: the first of the window's occurrences is the one found.
    assert occurrences_between(base, after, found, rule) == [found]
    assert (found.month, found.day) == (base.month, base.day) or (base.month, base.day) == (2, 29)


@given(st.integers(1950, 2080), st.integers(1, 40), st.integers(1, 60), rules)
def test_across_the_year_end(year: int, december_day: int, horizon: int, rule: LeapDayRule) -> None:
    as_of = date(year, 12, 1) + timedelta(days=december_day % 31)
    anniversary = Anniversary(AnniversaryKind.TREATY, "Treaty", date(1945, 1, 5))
    found = upcoming([anniversary], as_of, horizon, rule)
    expected_day = date(as_of.year + 1, 1, 5)
    if as_of <= expected_day <= horizon_end(as_of, horizon):
        assert [o.date for o in found] == [expected_day]
        assert found[0].ordinal == as_of.year + 1 - 1945
    else:
        assert found == []


def test_year_end_example() -> None:
    new_year = Anniversary(AnniversaryKind.NATIONAL_DAY, "Day", MonthDay(1, 1))
    december = Anniversary(AnniversaryKind.NATIONAL_DAY, "Independence", date(1991, 12, 16))
    found = upcoming([new_year, december], date(2022, 12, 10), 30)
    assert [(o.date, o.ordinal) for o in found] == [
        (date(2022, 12, 16), 31),
        (date(2023, 1, 1), None),
    ]


# --- each occurrence in the horizon exactly once ------------------------------------------------
@settings(max_examples=60)
@given(
    st.lists(anniversaries(), max_size=15),
    days_in_range,
    st.integers(0, 800),
    st.integers(0, 800),
    rules,
)
def test_each_occurrence_in_the_horizon_exactly_once(
    items: list[Anniversary], start: date, first: int, second: int, rule: LeapDayRule
) -> None:
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    whole = occurrences_in(items, start, end, rule)
    keys = [(id(o.anniversary), o.date) for o in whole]
    assert len(keys) == len(set(keys))  # nothing twice
    # Split anywhere, the two halves hold exactly what the whole window holds.
    halves = occurrences_in(items, start, middle, rule) + occurrences_in(
        items, middle + timedelta(days=1), end, rule
    )
    assert sorted(keys) == sorted((id(o.anniversary), o.date) for o in halves)
    # And it is every observed day of every year in the window, past the base year.
    for item in items:
        base = item.base_date
        expected = [
            observed_on(base.month, base.day, year, rule)
            for year in range(start.year, end.year + 1)
            if not isinstance(base, date) or year > base.year
        ]
        expected = [d for d in expected if start <= d <= end]
        assert [o.date for o in whole if o.anniversary is item] == expected
    # Ordered by date, jubilees first within a day.
    assert [(o.date, not o.jubilee) for o in whole] == sorted(
        (o.date, not o.jubilee) for o in whole
    )


@given(st.lists(anniversaries(), max_size=15), days_in_range, st.integers(1, 365), rules)
def test_a_year_or_less_shows_each_anniversary_at_most_once(
    items: list[Anniversary], as_of: date, days: int, rule: LeapDayRule
) -> None:
    found = upcoming(items, as_of, days, rule)
    assert all(as_of <= o.date < as_of + timedelta(days=days) for o in found)
    counted = [id(o.anniversary) for o in found]
    assert len(counted) == len(set(counted))
    if days == 365:
        # A full year: everything past its first anniversary appears.
        expected = {
            id(a)
            for a in items
            if not isinstance(a.base_date, date)
            or next_occurrence(a.base_date, as_of, rule) < as_of + timedelta(days=365)
        }
        assert set(counted) == expected


@settings(max_examples=60)
@given(st.lists(anniversaries(), max_size=15), days_in_range, st.integers(0, 400), rules)
def test_counting_and_preparing_agree_with_the_listed_occurrences(
    items: list[Anniversary], start: date, days: int, rule: LeapDayRule
) -> None:
    end = start + timedelta(days=days)
    whole = occurrences_in(items, start, end, rule)
    jubilees = sum(1 for o in whole if o.jubilee)
    assert count_occurrences((a.base_date for a in items), start, end, rule) == (
        len(whole),
        jubilees,
    )
    facts = [(n, a.base_date, a.kind, a.lead_days) for n, a in enumerate(items)]
    for preparing_on in (start, start + timedelta(days=days // 2), end):
        started = occurrences_in(items, start, end, rule, preparing_on=preparing_on)
        assert started == [o for o in whole if o.preparation_started(preparing_on)]
        # Worked out from the facts alone, the same anniversaries.
        keys = preparation_started(facts, start, end, preparing_on, rule)
        assert {id(items[key]) for key in keys} == {id(o.anniversary) for o in started}
        # And with the office's own jubilee rule and lead times.
        jubilees = JubileeRule(every=10, major=(20, 50))
        times = LeadTimes(
            ordinary={kind: 7 for kind in AnniversaryKind},
            jubilee={AnniversaryKind.CUSTOM: 200},
        )
        started = occurrences_in(
            items, start, end, rule, jubilees, times, preparing_on=preparing_on
        )
        keys = preparation_started(facts, start, end, preparing_on, rule, jubilees, times)
        assert {id(items[key]) for key in keys} == {id(o.anniversary) for o in started}


def test_horizon_limits() -> None:
    assert upcoming([], date(2022, 6, 8), 0) == []
    with pytest.raises(ValidationError, match="horizon"):
        upcoming([], date(2022, 6, 8), -1)
    with pytest.raises(ValidationError, match="horizon"):
        upcoming([], date(2022, 6, 8), 100_000)
    with pytest.raises(ValidationError):
        upcoming([], date(9999, 12, 1), 365)


def test_within_a_day_jubilees_come_first_then_the_given_order() -> None:
    plain = Anniversary(AnniversaryKind.CUSTOM, "A plain one", date(2001, 9, 16))
    jubilee = Anniversary(AnniversaryKind.CUSTOM, "Z jubilee", date(1992, 9, 16))
    other = Anniversary(AnniversaryKind.CUSTOM, "B another", MonthDay(9, 16))
    found = upcoming([plain, other, jubilee], date(2022, 9, 1), 30)
    assert [o.anniversary.title for o in found] == ["Z jubilee", "A plain one", "B another"]


# --- agreed actions that follow an anniversary --------------------------------------------------
def test_action_due_date_follows_the_anniversary() -> None:
    base = date(1992, 9, 16)
    assert action_due_date(base, date(2022, 1, 1), None, LeapDayRule.FEB_28) == date(2022, 9, 16)
    assert action_due_date(base, None, date(2022, 10, 1), LeapDayRule.FEB_28) == date(2023, 9, 16)
    assert action_due_date(base, None, None, LeapDayRule.FEB_28) is None
    leap = date(2000, 2, 29)
    assert action_due_date(leap, date(2023, 5, 5), None, LeapDayRule.MAR_1) == date(2023, 3, 1)
