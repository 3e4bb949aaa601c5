"""How releases name countries and cities beyond the names the reference data gives them
(every country in English, Russian and Kazakh, its capital in the cities file): adjectives
("Kazakh-Russian", "белорусская сторона", "беларус тарапы"), parliaments ("Oliy Majlis",
"Совет Федерации") and the cities releases name most, as word beginnings so that case
endings still match («Беларуси», «Пәкістанға»). The words are kept out of people's names
too. ``name_pattern`` is how a name of the reference data is looked for in running text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from protocol_desk.domain.text import fold


@dataclass(frozen=True)
class CountryWords:
    iso: str
    name: str
    stems: tuple[str, ...]  # lower-case word beginnings: names, adjectives, chambers
    names: tuple[str, ...] = ()  # ``name_pattern``s of its names, written with a capital


# Stems are matched at the start of a word and must be long enough not to begin other words.
COUNTRIES: tuple[CountryWords, ...] = (
    CountryWords("KZ", "Kazakhstan", ("kazakh", "казахстан", "қазақстан", "казахск")),
    CountryWords(
        "RU",
        "Russia",
        (
            "russia",
            "state duma",
            "federation council",
            "росси",
            "государственной дум",
            "государственная дума",
            "совет федерации",
            "совета федерации",
            "ресей",
            "федерация кеңес",
            "мемлекеттік дума",
            "казахстанско-российск",
            "kazakh-russian",
        ),
    ),
    CountryWords(
        "BY",
        "Belarus",
        ("belarus", "беларус", "белорус", "council of the republic", "совет республики"),
    ),
    CountryWords("UZ", "Uzbekistan", ("uzbek", "oliy majlis", "узбек", "өзбек", "олий мажлис")),
    CountryWords(
        "KG", "Kyrgyzstan", ("kyrgyz", "jogorku kenesh", "кыргыз", "киргиз", "қырғыз", "жогорку")
    ),
    CountryWords("TJ", "Tajikistan", ("tajik", "таджик", "тәжік", "маджлиси")),
    CountryWords("TM", "Turkmenistan", ("turkmen", "туркмен", "түрікмен")),
    CountryWords(
        "AZ", "Azerbaijan", ("azerbaijan", "milli majlis", "азербайджан", "әзербайжан", "милли")
    ),
    CountryWords("AM", "Armenia", ("armenia", "армени", "армян")),
    CountryWords("GE", "Georgia", ("georgia", "грузи", "грузин")),
    CountryWords(
        "TR",
        "Türkiye",
        ("turkey", "türkiye", "turkish", "турци", "турецк", "түркия", "түрік"),
    ),
    CountryWords(
        "CN", "China", ("china", "chinese", "китай", "китае", "всекитайск", "қытай", "бүкілқытай")
    ),
    CountryWords("MN", "Mongolia", ("mongolia", "монгол", "моңғол", "great khural", "хурал")),
    CountryWords("PK", "Pakistan", ("pakistan", "пакистан", "пәкістан")),
    CountryWords("IN", "India", ("india", "индии", "индия", "үнді")),
    CountryWords("MY", "Malaysia", ("malaysia", "малайзи", "dewan negara")),
    CountryWords(
        "KR",
        "South Korea",
        ("republic of korea", "south korea", "korean", "корея", "кореи", "корей"),
    ),
    CountryWords("JP", "Japan", ("japan", "япони", "жапон")),
    CountryWords(
        "US", "United States", ("united states", "usa", "american", "сша", "америк", "ақш")
    ),
    CountryWords(
        "GB",
        "United Kingdom",
        (
            "united kingdom",
            "british",
            "britain",
            "великобритан",
            "британ",
            "соединённое королевство",
            "соединенного королевства",
            "соединённого королевства",
            "ұлыбритания",
        ),
    ),
    CountryWords("DE", "Germany", ("germany", "german", "германи", "немецк", "герман")),
    CountryWords("FR", "France", ("france", "french", "франци", "француз")),
    CountryWords("IT", "Italy", ("italy", "italian", "итали", "италия")),
    CountryWords("BE", "Belgium", ("belgium", "belgian", "бельги")),
    CountryWords("HU", "Hungary", ("hungary", "hungarian", "венгр", "мажарстан", "венгер")),
    CountryWords("PL", "Poland", ("poland", "polish", "польш", "польск", "польша")),
    CountryWords("VA", "Holy See", ("holy see", "vatican", "ватикан")),
    CountryWords("LT", "Lithuania", ("lithuania", "литв", "литов")),
    CountryWords("IR", "Iran", ("iran", "иран")),
    CountryWords("EG", "Egypt", ("egypt", "египет", "египт", "мысыр")),
    CountryWords("SA", "Saudi Arabia", ("saudi", "саудовск", "сауд арабия")),
    CountryWords("AE", "United Arab Emirates", ("emirates", "эмират", "әмірлік")),
    CountryWords("QA", "Qatar", ("qatar", "катар")),
)


@dataclass(frozen=True)
class CityWords:
    name: str
    iso: str
    stems: tuple[str, ...]
    names: tuple[str, ...] = ()  # ``name_pattern``s of its names, written with a capital


CITIES: tuple[CityWords, ...] = (
    CityWords("Astana", "KZ", ("astana", "астан")),
    CityWords("Nur-Sultan", "KZ", ("nur-sultan", "нур-султан", "нұр-сұлтан")),
    CityWords("Almaty", "KZ", ("almaty", "алматы", "алма-ат")),
    CityWords("Turkistan", "KZ", ("turkistan", "туркестан", "түркістан")),
    CityWords("Moscow", "RU", ("moscow", "москв", "мәскеу")),
    CityWords("Saint Petersburg", "RU", ("saint petersburg", "st petersburg", "санкт-петербург")),
    CityWords("Minsk", "BY", ("minsk", "минск", "минскі")),
    CityWords("Tashkent", "UZ", ("tashkent", "ташкент", "ташкент")),
    CityWords("Samarkand", "UZ", ("samarkand", "самарканд", "самарқан")),
    CityWords("Bishkek", "KG", ("bishkek", "бишкек", "бішкек")),
    CityWords("Dushanbe", "TJ", ("dushanbe", "душанбе")),
    CityWords("Ashgabat", "TM", ("ashgabat", "ашхабад", "ашғабат")),
    CityWords("Baku", "AZ", ("baku", "баку", "баку")),
    CityWords("Yerevan", "AM", ("yerevan", "ереван")),
    CityWords("Tbilisi", "GE", ("tbilisi", "тбилиси")),
    CityWords("Ankara", "TR", ("ankara", "анкар")),
    CityWords("Istanbul", "TR", ("istanbul", "стамбул", "ыстамбұл")),
    CityWords("Beijing", "CN", ("beijing", "пекин", "бейжің")),
    CityWords("Ulaanbaatar", "MN", ("ulaanbaatar", "улан-батор", "ұлан-батор")),
    CityWords("Islamabad", "PK", ("islamabad", "исламабад")),
    CityWords("Seoul", "KR", ("seoul", "сеул")),
    CityWords("Tokyo", "JP", ("tokyo", "токио")),
    CityWords("Kuala Lumpur", "MY", ("kuala lumpur", "куала-лумпур")),
    CityWords("Washington", "US", ("washington", "вашингтон")),
    CityWords("New York", "US", ("new york", "нью-йорк")),
    CityWords("London", "GB", ("london", "лондон")),
    CityWords("Brussels", "BE", ("brussels", "брюссел")),
    CityWords("Berlin", "DE", ("berlin", "берлин")),
    CityWords("Paris", "FR", ("paris", "париж")),
    CityWords("Rome", "IT", ("rome", "рим")),
    CityWords("Geneva", "CH", ("geneva", "женев")),
    CityWords("Vienna", "AT", ("vienna", "вене", "вена")),
    CityWords("Strasbourg", "FR", ("strasbourg", "страсбург")),
    CityWords("Budapest", "HU", ("budapest", "будапешт")),
    CityWords("Warsaw", "PL", ("warsaw", "варшав")),
    CityWords("Vatican City", "VA", ("vatican", "ватикан")),
)


# --- a name from the reference data, looked for in running text ---------------------------

_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_LAST_VOWEL = re.compile(r"[аеёиоуыэюяьй]$")
_LETTERS = r"[^\W\d_]"
MIN_NAME = 4  # letters: shorter names (UK, US, ОАЭ) are abbreviations, and common words


def name_pattern(name: str) -> str | None:
    """A regular expression for a country's or a city's name in folded running text (hyphens
    as spaces), or None for a name too short to look for. A Cyrillic name is found by its stem
    with any ending, so its case forms meet it (Беларусь: Беларуси, Беларусьпен; Соединённое
    Королевство: Соединённого Королевства); a Latin name as written, with a possessive."""
    words = fold(name).replace("-", " ").split()
    if not words or len("".join(words)) < MIN_NAME:
        return None
    if _CYRILLIC.search(name):
        stems = [_LAST_VOWEL.sub("", w) if len(w) > MIN_NAME else w for w in words]
        return r"\s+".join(re.escape(s) + _LETTERS + "*" for s in stems)
    return r"\s+".join(re.escape(w) for w in words) + rf"(?:'s)?(?!{_LETTERS})"
