"""Finding people's names in a release and putting them in the nominative, as a new person is
created: Russian names through pymorphy3's dictionary with the case of the name or of the
title before it, Kazakh names by taking the case ending off the last word ("Матвиенкомен" →
"Матвиенко"). Who a name is, in any spelling or case form, is the names matcher's answer
(``domain.names``, asked through ``services.release_lookup``), never this module's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from protocol_desk.domain.names import prepare_russian, russian_analyser
from protocol_desk.domain.release import KAZAKH_MONTHS, RUSSIAN_MONTH_STEMS
from protocol_desk.domain.world_words import CITIES, COUNTRIES

_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

# Words that begin with a capital in releases but are never part of a person's name:
# institutions, titles, places, and the words a sentence starts with.
_NOT_NAME_STEMS = tuple(
    [
        "the",
        "a",
        "an",
        "at",
        "in",
        "on",
        "of",
        "and",
        "during",
        "following",
        "after",
        "before",
        "under",
        "with",
        "by",
        "for",
        "to",
        "from",
        "as",
        "this",
        "that",
        "these",
        "those",
        "today",
        "yesterday",
        "tomorrow",
        "mr",
        "mrs",
        "sir",
        "dame",
        "lord",
        "lady",
        "ms",
        "dr",
        "his",
        "her",
        "their",
        "it",
        "its",
        "they",
        "he",
        "she",
        "we",
        "our",
        "both",
        "two",
        "speaker",
        "senate",
        "senator",
        "senators",
        "majilis",
        "mazhilis",
        "parliament",
        "parliamentary",
        "chairman",
        "chairwoman",
        "chairperson",
        "chair",
        "co-chair",
        "co-chairman",
        "deputy",
        "vice",
        "president",
        "prime",
        "minister",
        "ambassador",
        "embassy",
        "secretary",
        "general",
        "head",
        "member",
        "members",
        "mp",
        "mps",
        "committee",
        "commission",
        "council",
        "assembly",
        "national",
        "state",
        "republic",
        "kingdom",
        "federal",
        "federation",
        "house",
        "chamber",
        "representatives",
        "legislative",
        "great",
        "grand",
        "inter",
        "interparliamentary",
        "union",
        "international",
        "standing",
        "permanent",
        "resident",
        "coordinator",
        "office",
        "programme",
        "program",
        "memorandum",
        "agreement",
        "roadmap",
        "protocol",
        "plan",
        "declaration",
        "convention",
        "treaty",
        "year",
        "day",
        "days",
        "photo",
        "posted",
        "published",
        "date",
        "astana",
        "kazinform",
        "news",
        "press",
        "service",
        "first",
        "second",
        "third",
        "new",
        "old",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "organisation",
        "organization",
        "united",
        "nations",
        "turkpa",
        "cis",
        "csto",
        "osce",
        "eaeu",
        "ipa",
        "sco",
        "un",
        "eu",
        "nato",
        "congress",
        "forum",
        "summit",
        "session",
        "conference",
        "palace",
        "hall",
        "mosque",
        "institute",
        "university",
        "museum",
        "delegation",
        "visit",
        "talks",
        "meeting",
        "kazakh",
        "kazakhstan's",
        "belarusian",
        "russian",
        "chinese",
        "turkish",
        "while",
        "according",
        "also",
        "meanwhile",
        "next",
        "last",
        "within",
        "between",
        "among",
        "via",
        "per",
        "dewan",
        "negara",
        "khural",
        "oliy",
        "milli",
        "jogorku",
        "kenesh",
        "duma",
        "majlis",
        "mejlis",
        "legislation",
        "religions",
        "leaders",
        "world",
        "traditional",
        "сенат",
        "сенатор",
        "мажилис",
        "мәжіліс",
        "парламент",
        "председател",
        "спикер",
        "посол",
        "посл",
        "заместител",
        "вице",
        "президент",
        "премьер",
        "министр",
        "депутат",
        "глава",
        "генеральн",
        "секретар",
        "комитет",
        "комисси",
        "совет",
        "собрани",
        "ассамбле",
        "республик",
        "федераци",
        "государствен",
        "национальн",
        "постоянн",
        "координатор",
        "межпарламент",
        "палат",
        "дум",
        "хурал",
        "меджлис",
        "милли",
        "олий",
        "жогорку",
        "кенеш",
        "кеңес",
        "чрезвычайн",
        "полномочн",
        "сопредседател",
        "организаци",
        "объединённ",
        "объединен",
        "договор",
        "соглашени",
        "меморандум",
        "протокол",
        "план",
        "дорожн",
        "декларац",
        "визит",
        "делегац",
        "встреч",
        "переговор",
        "сессии",
        "сессия",
        "форум",
        "саммит",
        "ведомост",
        "стороны",
        "сторон",
        "сегодня",
        "вчера",
        "завтра",
        "опубликован",
        "дата",
        "пресс-служб",
        "казахстан",
        "содружеств",
        "независим",
        "евразийск",
        "экономическ",
        "таврическ",
        "дворец",
        "дворц",
        "музей",
        "университет",
        "программ",
        "мажлис",
        "маджлис",
        "мальта",
        "төраға",
        "төрайым",
        "елші",
        "елшіс",
        "мемлекет",
        "мемлекеттік",
        "ұлттық",
        "ұлы",
        "бас",
        "хатшы",
        "комитет",
        "комиссия",
        "орден",
        "магистр",
        "канцлер",
        "одақ",
        "ұйым",
        "халықаралық",
        "парламентаралық",
        "түркітілдес",
        "төтенше",
        "өкілетті",
        "өкілдер",
        "палата",
        "жиналыс",
        "федерация",
        "ресей",
        "қазақстан",
        "бүкіл",
        "тұрақты",
        "жол",
        "карта",
        "бірлескен",
        "еуразиялық",
        "сыртқы",
        "тәуелсіз",
        "достастық",
        "премьер",
        "кеңесші",
        "сапар",
        "бағдарлама",
        "жарияланды",
        "бүгін",
        "кеше",
        "ертең",
        "сенаттың",
        "мәжілістің",
        "ассамблея",
        "бейнеконференц",
    ]
)
# A month's word begins no name ("ма", May's Russian stem, would take Марат).
_MONTH_STEMS = tuple(s for s in RUSSIAN_MONTH_STEMS if s != "ма") + KAZAKH_MONTHS
# Each word of a place's name ("Saint Petersburg", "Buenos Aires") is no person's name.
_PLACE_STEMS = tuple(s for c in COUNTRIES for s in c.stems if " " not in s) + tuple(
    word for c in CITIES for s in c.stems for word in s.split()
)
# str.startswith takes a tuple and tries it in C: a word is checked in microseconds.
_NOT_NAME_BEGINNINGS = tuple(stem for stem in _NOT_NAME_STEMS if len(stem) >= 4)
_NOT_NAME_WORDS = frozenset(_NOT_NAME_STEMS)
_PLACE_BEGINNINGS = tuple(stem for stem in _PLACE_STEMS if len(stem) >= 4)
# Kazakh case endings a person's last word takes, longest first: with, genitive,
# accusative, dative, ablative.
_KAZAKH_ENDINGS = (
    "ымен",
    "імен",
    "мен",
    "пен",
    "бен",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "нан",
    "нен",
    "дан",
    "ден",
    "тан",
    "тен",
    "ға",
    "ге",
    "қа",
    "ке",
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
)
_RU_TITLES = (
    "посол",
    "посл",
    "председател",
    "спикер",
    "заместител",
    "координатор",
    "депутат",
    "глав",
    "секретар",
    "министр",
    "президент",
    "сопредседател",
    "руководител",
    "лидер",
    "генерал",
)


def script_of(text: str) -> str:
    """'kk', 'ru' or 'en': which language a release is written in, by its letters."""
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if _CYRILLIC.match(c))
    if cyrillic < len(letters) / 3:
        return "en"
    return "kk" if len(_KAZAKH_LETTERS.findall(text)) > cyrillic / 100 else "ru"


def _morph() -> Any:
    """The Russian dictionary: the names matcher's own analyser, loaded once, when first
    needed."""
    return russian_analyser()


def load_models() -> None:
    """Load what reading a release needs, so that the first release reads as fast as the
    next (the window does this beside itself, behind a busy indicator)."""
    prepare_russian()


# Lower-case words inside a name ("Ahmad bin Abdullah Al Mahmoud", "Ursula von der Leyen").
_PARTICLES = frozenset(
    (
        "bin",
        "ibn",
        "bint",
        "al",
        "el",
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "du",
        "la",
        "le",
    )
)


def _could_be_name(word: str, language: str, after_first_name: bool = False) -> bool:
    """Whether a word may be part of a person's name; ``after_first_name``: it follows a
    word the Russian dictionary knows as a first name, so a surname that is also a common
    word ("Григорий Карасин") is one."""
    if len(word) < 2 or not word[0].isupper() or (word.isupper() and len(word) > 1):
        return False
    folded = word.casefold().replace("’", "'")
    if folded.endswith("'s"):
        folded = folded[:-2]
    if folded.startswith(_NOT_NAME_BEGINNINGS) or folded in _NOT_NAME_WORDS:
        return False
    if folded.startswith(_MONTH_STEMS) or folded.startswith(_PLACE_BEGINNINGS):
        return False
    if language == "ru" and not after_first_name:
        parses = _morph().parse(word)
        best = parses[0]
        tags = best.tag
        if {"Geox", "Orgn", "Abbr"} & set(tags.grammemes) and best.is_known:
            return False
        if best.is_known and not ({"Name", "Surn", "Patr"} & set(tags.grammemes)):
            return any({"Name", "Surn"} & set(p.tag.grammemes) for p in parses[:3])
    return True


def may_be_surname(word: str) -> bool:
    """Whether a capitalised word standing alone may be someone's surname: not a title, an
    institution, a month or a place (the dictionary is not asked: it is quick)."""
    return _could_be_name(word, "en")


@dataclass(frozen=True)
class NameInText:
    """A run of words that reads as someone's name, where it stands, and its nominative."""

    written: str
    nominative: str
    start: int
    end: int


def names_in(sentence: str, language: str, longest: int = 4) -> list[NameInText]:
    """Runs of two to ``longest`` capitalised words that could be a person's name."""
    found: list[NameInText] = []
    tokens = list(_TOKEN.finditer(sentence))
    run: list[re.Match[str]] = []

    def close() -> None:
        if 2 <= sum(1 for t in run if t.group() not in _PARTICLES) <= longest:
            written = sentence[run[0].start() : run[-1].end()]
            words = [t.group() for t in run]
            found.append(
                NameInText(
                    written,
                    nominative(words, language, sentence[: run[0].start()]),
                    run[0].start(),
                    run[-1].end(),
                )
            )
        run.clear()

    particles: list[re.Match[str]] = []  # lower-case words waiting for the name to go on
    for token in tokens:
        between = sentence[(particles or run)[-1].end() : token.start()] if run else ""
        if run and between.strip():
            particles.clear()
            close()
        word = token.group()
        if run and word in _PARTICLES:
            particles.append(token)
            continue
        if _could_be_name(word, language, after_first_name=_first_name_before(run, language)):
            run.extend(particles)
            run.append(token)
        else:
            close()
        particles.clear()
    close()
    return found


def _first_name_before(run: list[re.Match[str]], language: str) -> bool:
    """Whether the run so far is one word the Russian dictionary knows as a first name."""
    if language != "ru" or len(run) != 1:
        return False
    return any("Name" in p.tag.grammemes and p.score >= 0.3 for p in _morph().parse(run[0].group()))


def nominative(words: list[str], language: str, before: str = "") -> str:
    words = [re.sub(r"['’]s$", "", w) for w in words]
    if language == "kk":
        return " ".join([*words[:-1], kazakh_stem(words[-1])])
    if language == "ru":
        return " ".join(_russian_nominative(words, before))
    return " ".join(words)


def title_nominative(title: str, language: str) -> str:
    """A Russian title as it is entered: its head word in the nominative ("Председателем
    Государственной Думы" → "Председатель Государственной Думы"); the words after it keep
    their case, as the title's own grammar wants."""
    words = title.split()
    if language != "ru" or not words:
        return title
    morph = _morph()
    # The head noun among the first words, and the adjectives before it ("Постоянного
    # координатора" → "Постоянный координатор").
    for index, word in enumerate(words[:4]):
        noun = (
            next((p for p in morph.parse(word) if "NOUN" in p.tag), None) if len(word) > 2 else None
        )
        if noun is None:
            continue
        head = noun.inflect({"nomn", "sing"})
        if head is None:
            return title
        gender = str(noun.tag.gender) if noun.tag.gender else "masc"
        for before in range(index):
            adjective = next((p for p in morph.parse(words[before]) if "ADJF" in p.tag), None)
            agreed = adjective.inflect({"nomn", "sing", gender}) if adjective else None
            if agreed is not None:
                words[before] = _same_case(words[before], agreed.word)
        words[index] = _same_case(word, head.word)
        return " ".join(words)
    return title


def _same_case(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def kazakh_stem(word: str) -> str:
    """A Kazakh word without the case ending a person's name takes."""
    folded = word.casefold()
    for ending in _KAZAKH_ENDINGS:
        if folded.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _russian_nominative(words: list[str], before: str) -> list[str]:
    morph = _morph()
    case: str | None = None
    gender: str | None = None
    first = morph.parse(words[0])
    for parse in first[:3]:
        grammemes = set(parse.tag.grammemes)
        if "Name" in grammemes and parse.score >= 0.3:
            case = str(parse.tag.case) if parse.tag.case else None
            gender = str(parse.tag.gender) if parse.tag.gender else None
            break
    if case is None:
        case = _case_from_title(before)
    last = words[-1].casefold()
    if gender not in ("masc", "femn"):
        feminine = last.endswith(("ова", "ева", "ина", "овой", "евой", "иной", "ая", "ой"))
        gender = "femn" if feminine else "masc"
    result = []
    for index, word in enumerate(words):
        if index == 0 and case is not None:
            known = next(
                (p for p in first[:3] if "Name" in p.tag.grammemes and str(p.tag.case) == case),
                None,
            )
            if known is not None and known.is_known:
                inflected = known.inflect({"nomn"})
                if inflected is not None:
                    result.append(_like(word, inflected.word))
                    continue
        rule = _russian_rule(word.casefold(), case or "nomn", gender, first=index == 0)
        result.append(_like(word, rule))
    return result


def _case_from_title(before: str) -> str | None:
    words = _TOKEN.findall(before)[-8:]
    if words and words[-1].casefold() in {"с", "со"}:
        return "ablt"
    for word in reversed(words):
        if word.casefold().startswith(_RU_TITLES):
            parse = _morph().parse(word)[0]
            return str(parse.tag.case) if parse.tag.case else None
    return None


def _russian_rule(word: str, case: str, gender: str, first: bool = False) -> str:
    """The nominative of a name's word by its ending, for names the dictionary lacks."""
    if case == "nomn" or word.endswith(("о", "е", "и", "ы", "э", "зода")):
        return word
    feminine = gender == "femn"
    if case == "ablt":
        if feminine or (first and word.endswith("ой")):  # Кабибуллой, like Никитой
            if word.endswith("ой"):
                return word[:-2] + "а"
            if word.endswith("ей"):
                return word[:-2] + "я"
            return word
        for ending in ("ым", "ом", "ем"):
            if word.endswith(ending) and len(word) > 4:
                return word[: -len(ending)]
        return word
    if case in ("gent", "accs", "datv"):
        if word.endswith("у"):
            return word[:-1] if case == "datv" and not feminine else word[:-1] + "а"
        if word.endswith("ю"):
            return word[:-1] + "я"
        if feminine and word.endswith(("ой", "ей")):
            return word[:-2] + "а"
        if not feminine and word.endswith("ия"):
            return word[:-1] + "й"
        if not feminine and word.endswith("а") and len(word) > 4 and word[-2] not in "аеиоуыэюя":
            return word[:-1]
    return word


def _like(original: str, word: str) -> str:
    """``word`` written with ``original``'s capitals (each part of a hyphenated name)."""
    parts = word.split("-")
    return "-".join(p[:1].upper() + p[1:] for p in parts)
