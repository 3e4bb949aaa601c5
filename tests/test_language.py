"""Dates, ordinals, countdowns and plural forms in the office's three languages."""

from datetime import date

import pytest

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.language import (
    Language,
    anniversary_ordinal,
    count_phrase,
    countdown,
    date_with_precision,
    day_of_year,
    language_from_locale,
    long_date,
    parse_language,
    plural_category,
    system_language,
)

KK, RU, EN = Language.KAZAKH, Language.RUSSIAN, Language.ENGLISH
RELATIONS_30 = date(2022, 9, 16)


@pytest.mark.parametrize(
    ("language", "expected"),
    [(KK, "16 қыркүйек 2022 ж."), (RU, "16 сентября 2022 г."), (EN, "16 September 2022")],
)
def test_long_date_in_each_language(language: Language, expected: str) -> None:
    assert long_date(RELATIONS_30, language) == expected


@pytest.mark.parametrize(
    ("precision", "language", "expected"),
    [
        (Precision.MONTH, KK, "қыркүйек 2022 ж."),
        (Precision.MONTH, RU, "сентябрь 2022 г."),
        (Precision.MONTH, EN, "September 2022"),
        (Precision.YEAR, KK, "2022 ж."),
        (Precision.YEAR, RU, "2022 г."),
        (Precision.YEAR, EN, "2022"),
        (Precision.DAY, RU, "16 сентября 2022 г."),
    ],
)
def test_date_with_its_precision(precision: Precision, language: Language, expected: str) -> None:
    assert date_with_precision(RELATIONS_30, precision, language) == expected


def test_a_yearly_day_and_the_leap_day() -> None:
    assert day_of_year(9, 16, RU) == "16 сентября"
    assert day_of_year(12, 16, KK) == "16 желтоқсан"
    assert day_of_year(2, 29, EN) == "29 February"


@pytest.mark.parametrize(
    ("years", "language", "expected"),
    [
        (30, KK, "30 жылдығы"),
        (30, RU, "30-летие"),
        (30, EN, "30th anniversary"),
        (1, RU, "1-я годовщина"),
        (21, EN, "21st anniversary"),
        (12, EN, "12th anniversary"),
        (112, EN, "112th anniversary"),
    ],
)
def test_anniversary_ordinals(years: int, language: Language, expected: str) -> None:
    assert anniversary_ordinal(years, language) == expected


@pytest.mark.parametrize(
    ("days", "language", "expected"),
    [
        (9, RU, "через 9 дней"),
        (9, KK, "9 күннен кейін"),
        (9, EN, "in 9 days"),
        (1, RU, "через 1 день"),
        (22, RU, "через 22 дня"),
        (-9, RU, "9 дней назад"),
        (-9, KK, "9 күн бұрын"),
        (-1, EN, "1 day ago"),
        (0, KK, "бүгін"),
        (0, RU, "сегодня"),
        (400, EN, "in 400 days"),
    ],
)
def test_countdowns_stay_in_days(days: int, language: Language, expected: str) -> None:
    assert countdown(days, language) == expected


MEETINGS_RU = {"one": "{n} встреча", "few": "{n} встречи", "many": "{n} встреч"}
MEETINGS_KK = {"one": "{n} кездесу", "other": "{n} кездесу"}
MEETINGS_EN = {"one": "{n} meeting", "other": "{n} meetings"}


@pytest.mark.parametrize(
    ("count", "ru", "en"),
    [
        (0, "0 встреч", "0 meetings"),
        (1, "1 встреча", "1 meeting"),
        (2, "2 встречи", "2 meetings"),
        (5, "5 встреч", "5 meetings"),
        (11, "11 встреч", "11 meetings"),
        (21, "21 встреча", "21 meetings"),
        (22, "22 встречи", "22 meetings"),
    ],
)
def test_plural_forms(count: int, ru: str, en: str) -> None:
    assert count_phrase(count, MEETINGS_RU, RU) == ru
    assert count_phrase(count, MEETINGS_EN, EN) == en
    assert count_phrase(count, MEETINGS_KK, KK) == f"{count} кездесу"


def test_plural_categories_per_language() -> None:
    assert [plural_category(n, RU) for n in (1, 2, 5, 21, 22, 0)] == [
        "one",
        "few",
        "many",
        "one",
        "few",
        "many",
    ]
    assert [plural_category(n, KK) for n in (0, 1, 2, 21)] == ["other", "one", "other", "other"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kk_KZ.UTF-8", KK),
        ("ru_RU.UTF-8", RU),
        ("ru", RU),
        ("kk-KZ", KK),
        ("en_GB.UTF-8", EN),
        ("de_DE.UTF-8", EN),
        ("", EN),
        (None, EN),
    ],
)
def test_language_from_a_locale_name(name: str | None, expected: Language) -> None:
    assert language_from_locale(name) == expected


def test_system_language_reads_the_locale_variables_in_gettext_order() -> None:
    assert system_language({"LANG": "ru_RU.UTF-8"}) == RU
    assert system_language({"LANG": "ru_RU.UTF-8", "LC_ALL": "kk_KZ.UTF-8"}) == KK
    assert system_language({"LANGUAGE": "kk:ru", "LANG": "en_US.UTF-8"}) == KK
    assert system_language({"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}) == RU
    assert system_language({}) == EN


def test_parse_language_names_the_choices_on_bad_input() -> None:
    assert parse_language(" RU ") == RU
    with pytest.raises(ValueError, match=r"kk \(Kazakh\), ru \(Russian\) or en"):
        parse_language("de")
