"""How releases name countries and cities: names, adjectives and parliaments in English,
Russian and Kazakh, as word beginnings (so that case endings still match: «Беларуси»,
«Пәкістанға»). Used by the release reader until the office's reference data gives it more;
the office's own countries and their spellings are always asked too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryWords:
    iso: str
    name: str
    stems: tuple[str, ...]  # lower-case word beginnings: names, adjectives, chambers


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
