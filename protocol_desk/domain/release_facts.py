"""What a release says beyond its days and names, read by rules in English, Russian and
Kazakh: the meeting's format, relative days and ranges of days, documents signed, what the
sides agreed to do next (as a short action), visits, and anniversaries of relations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from protocol_desk.domain.release import cues as _cues
from protocol_desk.domain.release import month_number as _month_number


def _any(*phrases: str) -> re.Pattern[str]:
    return _cues(*phrases)


# --- format -------------------------------------------------------------------------------

_VIDEO = _any(
    "video conference",
    "videoconference",
    "video link",
    "video call",
    "online meeting",
    "видеоконференц",
    "режиме видео",
    "онлайн",
    "бейнеконференц",
    "бейнебайланыс",
)
_PHONE = _any(
    "telephone",
    "phone call",
    "by phone",
    "phone conversation",
    "телефонн",
    "по телефону",
    "телефон арқылы",
    "телефонмен",
)
_MARGINS = re.compile(
    r"(?:on the (?:margins|sidelines) of|in the margins of|на полях|в кулуарах)"
    r"\s+(?P<event>[^,.;]+)"
    r"|(?P<kk>[^,.;]{3,80}?(?:ассамблея|сессия|форум|саммит|конференция|отырыс)\S*)\s+"
    r"(?:аясында|шеңберінде|кезінде)",
    re.IGNORECASE,
)


# The words that say a call or a video conference: the people in their sentence took part.
REMOTE = re.compile(f"{_VIDEO.pattern}|{_PHONE.pattern}", re.IGNORECASE)


@dataclass(frozen=True)
class Format:
    value: str  # in_person, video, phone, margins
    evidence: str = ""
    event: str = ""


def format_of(text: str) -> Format:
    for pattern, value in ((_VIDEO, "video"), (_PHONE, "phone")):
        found = pattern.search(text)
        if found:
            return Format(value, _around(text, found.start(), found.end()))
    found = _MARGINS.search(text)
    if found:
        event = " ".join((found["event"] or found["kk"] or "").split())
        return Format("margins", _around(text, found.start(), found.end()), event)
    return Format("in_person")


# A delegation gone to an international body's assembly or session meets people on its margins.
_ATTENDS = _any(
    "attend",
    "take part in",
    "takes part in",
    "took part in",
    "participate in",
    "delegation to the",
    "примет участие",
    "принял участие",
    "приняла участие",
    "для участия",
    "қатысады",
    "қатысты",
    "қатысу",
)
_GATHERING = re.compile(
    r"(?P<event>(?:the\s+)?[\w-]*\s*(?:Assembly|Session|Conference|Summit|Forum)\s+of\s+the\s+"
    r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4}"
    r"|[\w-]+\s+(?:пленарн\w+\s+)?(?:сесси\w+|ассамбле\w+|заседани\w+|конференци\w+)"
    r"\s+(?:[А-ЯЁ]\w*\s*){1,4}"
    r"|(?:[А-ЯӘҒҚҢӨҰҮҺІ]\w*\s+){1,4}[\w-]*\s*(?:ассамблея|сессия|конференция)\w*)",
)


def attended_event(sentences: list[str], international: re.Pattern[str]) -> Format | None:
    """The margins of an international body's assembly, session or conference that a
    delegation goes to (the releases' "will attend the 140th Assembly of the IPU")."""
    for sentence in sentences:
        if not (_ATTENDS.search(sentence) and international.search(sentence)):
            continue
        found = _GATHERING.search(sentence)
        if found:
            event = " ".join(found["event"].split())
            return Format("margins", sentence, re.sub(r"^the\s+", "", event))
    return None


def _around(text: str, start: int, end: int, width: int = 60) -> str:
    return " ".join(text[max(0, start - width) : end + width].split())


# --- relative days and ranges ---------------------------------------------------------------

_WEEKDAYS = {
    0: ("monday", "понедельник", "дүйсенбі"),
    1: ("tuesday", "вторник", "сейсенбі"),
    2: ("wednesday", "сред", "сәрсенбі"),
    3: ("thursday", "четверг", "бейсенбі"),
    4: ("friday", "пятниц", "жұма"),
    5: ("saturday", "суббот", "сенбі"),
    6: ("sunday", "воскресень", "жексенбі"),
}
_TODAY = _any("today", "сегодня", "бүгін")
_YESTERDAY = _any("yesterday", "вчера", "кеше")
_FUTURE = _any(
    "will ", "is to ", "are to ", "to arrive", "прибудет", "состоится", "келеді", "болады"
)
# A release that announces what is ahead: its headline or lead in the future tense.
AHEAD_LEAD = _any(
    "will ",
    "is to ",
    "are to ",
    "to arrive",
    "to visit",
    "to take part",
    "to attend",
    "прибудет",
    "посетит",
    "примет участие",
    "состоится",
    "барады",
    "келеді",
    "қатысады",
)


@dataclass(frozen=True)
class RelativeDay:
    day: date
    evidence: str


def relative_day(sentence: str, posted: date) -> RelativeDay | None:
    """A day the sentence names against the posting day: today, yesterday, on Sunday (the
    last one before the posting, or the next one when the sentence looks ahead)."""
    if _YESTERDAY.search(sentence):
        return RelativeDay(posted - timedelta(days=1), sentence)
    for weekday, words in _WEEKDAYS.items():
        pattern = _any(*(f"on {w}" if w.isascii() else w for w in words))
        if pattern.search(sentence):
            if _FUTURE.search(sentence):
                ahead = (weekday - posted.weekday()) % 7 or 7
                return RelativeDay(posted + timedelta(days=ahead), sentence)
            back = (posted.weekday() - weekday) % 7 or 7
            return RelativeDay(posted - timedelta(days=back), sentence)
    if _TODAY.search(sentence):
        return RelativeDay(posted, sentence)
    return None


_MONTH_WORD = r"(?P<month>[^\W\d_]{3,14})"
_RANGES = [
    # 2022 жылғы 11-13 желтоқсан
    re.compile(
        rf"(?P<year>\d{{4}})\s+ж\S*\s+(?P<first>\d{{1,2}})\s*[-–—]\s*(?P<last>\d{{1,2}})\s+{_MONTH_WORD}",
        re.IGNORECASE,
    ),
    # 11–13 December 2022, 27-29 September, 4-5 қараша
    re.compile(
        rf"(?<!\d)(?P<first>\d{{1,2}})\s*[-–—]\s*(?P<last>\d{{1,2}})\s+{_MONTH_WORD}"
        r"(?:\s+(?P<year>\d{4}))?",
        re.IGNORECASE,
    ),
    # September 27-29, 2021
    re.compile(
        rf"{_MONTH_WORD}\s+(?P<first>\d{{1,2}})\s*[-–—]\s*(?P<last>\d{{1,2}}),?(?:\s+(?P<year>\d{{4}}))?",
        re.IGNORECASE,
    ),
]
_DAYS_LONG = re.compile(
    r"(?P<n>two|three|four|five|двух|трех|трёх|четырех|2|3|4|5)[-\s](?:day|дневн|күндік)",
    re.IGNORECASE,
)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "двух": 2, "трех": 3, "трёх": 3}
_UNTIL = re.compile(
    r"(?:until|till|ends on|will end on|продлится до|до|завершится|закончится)\s+"
    r"(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]{3,14})"
    r"|(?P<day2>\d{1,2})\s+(?P<month2>[^\W\d_]{3,14})\s+(?:дейін|аяқталады)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DayRange:
    start: date
    end: date
    evidence: str


def range_of_days(text: str, year: int | None) -> DayRange | None:
    """The first range of days the text gives ("11–13 December"), in the text's year when it
    writes none."""
    for pattern in _RANGES:
        for found in pattern.finditer(text):
            month = _month_number(found["month"])
            when = int(found["year"]) if found["year"] else year
            if month is None or when is None:
                continue
            try:
                start = date(when, month, int(found["first"]))
                end = date(when, month, int(found["last"]))
            except ValueError:
                continue
            if start < end:
                return DayRange(start, end, _around(text, found.start(), found.end()))
    return None


def length_in_days(text: str) -> int | None:
    found = _DAYS_LONG.search(text)
    if not found:
        return None
    word = found["n"].casefold()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def until_day(text: str, start: date) -> date | None:
    """ "The visit lasts until 29 September": the last day of a visit, after ``start``."""
    for found in _UNTIL.finditer(text):
        month = _month_number(found["month"] or found["month2"])
        if month is None:
            continue
        try:
            day = date(start.year, month, int(found["day"] or found["day2"]))
        except ValueError:
            continue
        if start < day <= start + timedelta(days=31):
            return day
    return None


# --- documents signed ------------------------------------------------------------------------

SIGNED = re.compile(
    r"(?<![^\W\d_])(?:signed|подписали|подписан[оаы]?|подписано|қол қойды|қол қойылды)(?![^\W\d_])",
    re.IGNORECASE,
)
_NOT_NOW = _any(
    "will sign",
    "to be signed",
    "to sign",
    "signed in 19",
    "signed in 20",
    "was signed in",
    "будет подписан",
    "подписания",
    "ранее подписан",
    "қол қойылады",
    "қол қою",
)
_KINDS = (
    ("roadmap", ("roadmap", "road map", "дорожн", "жол карта")),
    ("memorandum", ("memorandum", "меморандум")),
    (
        "joint statement",
        ("joint statement", "совместное заявление", "совместного заявления", "бірлескен мәлімдеме"),
    ),
    ("protocol", ("protocol", "протокол", "хаттама")),
    ("plan", ("plan of", "action plan", "plan for", "план", "жоспар")),
    ("declaration", ("declaration", "декларац")),
    ("agreement", ("agreement", "соглашени", "договор", "келісім")),
)


@dataclass(frozen=True)
class SignedDocument:
    title: str
    kind: str
    evidence: str


def documents_signed(sentences: list[str]) -> list[SignedDocument]:
    """Documents the sentences say were signed now (not "will sign", not a treaty of 1996)."""
    found: list[SignedDocument] = []
    for sentence in sentences:
        if not SIGNED.search(sentence) or _NOT_NOW.search(sentence):
            continue
        folded = sentence.casefold()
        hits: list[tuple[int, str, int]] = []
        for kind, words in _KINDS:
            for word in words:
                at = folded.find(word)
                if at != -1 and not any(h[0] <= at < h[0] + h[2] for h in hits):
                    hits.append((at, kind, len(word)))
                    break
        for at, kind, _ in sorted(hits):
            title = _title_at(sentence, at)
            same = next((n for n, d in enumerate(found) if d.kind == kind), None)
            if same is None:
                found.append(SignedDocument(title, kind, sentence))
            elif len(title) > len(found[same].title):  # the body names it more fully
                found[same] = SignedDocument(title, kind, sentence)
    return found


_TITLE_END = re.compile(r"[,;.]|\s(?:was|were|was|under|according|which|signed|и был|был|была)\s")


_KAZAKH_SIGNING = re.compile(r"\s*(?:қол\s+қой\S*).*$", re.IGNORECASE)
_KAZAKH_LEAD = {"бойынша", "қорытындысында", "қорытындысы", "тараптар", "барысында"}


def _title_at(sentence: str, at: int) -> str:
    """The document's title as the sentence gives it: from its kind's word on (English,
    Russian), or, in Kazakh, the words before "қол қойылды" back to the sentence's lead,
    with the dative taken off ("Жол картасына" → "Жол картасы")."""
    signing = _KAZAKH_SIGNING.search(sentence)
    if signing is not None and signing.start() >= at:
        words = sentence[: signing.start()].split()
        start = max((i + 1 for i, w in enumerate(words) if w.casefold() in _KAZAKH_LEAD), default=0)
        words = words[start:][-16:]
        if words:
            last = words[-1].strip(' «»"')
            folded = last.casefold()
            if folded.endswith(("сына", "сіне")) or folded.endswith(("ға", "ге", "қа", "ке")):
                last = last[:-2]
            words[-1] = last
        text = " ".join(words).replace("«", "").replace("»", "").strip(' "')
        return text[:1].upper() + text[1:]
    rest = sentence[at:]
    end = _TITLE_END.search(rest)
    title = rest[: end.start()] if end else rest
    text = " ".join(title.split()[:16]).strip(' «»"')
    return text[:1].upper() + text[1:]


# --- agreed actions -------------------------------------------------------------------------

# The sides agreed (not invited, proposed or discussed): the action is what follows the verb
# in English and Russian, and what precedes it in Kazakh.
_AGREED_EN_RU = re.compile(
    r"(?:agreed(?: on the need)?(?: to| on)?|decided to|resolved to|договорились(?: о том, чтобы)?|"
    r"решили|условились|приняли решение)\s+(?P<act>.+)",
    re.IGNORECASE,
)
_AGREED_KK = re.compile(
    r"(?P<act>.+?)\s*(?:келісті|келісімге келді|уағдаласты|шешті|келісілді)", re.IGNORECASE
)
_AGREED_KK_VERB = re.compile(r"келісті|келісімге келді|уағдаласты|шешті|келісілді", re.IGNORECASE)
_KK_SUBJECT = re.compile(
    r"^(?:тараптар|екі тарап|олар|депутаттар|парламентшілер)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class AgreedAction:
    text: str
    evidence: str
    due: str = ""  # a year or a day, when the text gives one


_YEAR_IN = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def agreed_actions(sentences: list[str]) -> list[AgreedAction]:
    found: list[AgreedAction] = []
    for sentence in sentences:
        if SIGNED.search(sentence):
            continue  # a signing is a document, never an action
        act = None
        match = _AGREED_EN_RU.search(sentence)
        if match:
            act = match["act"]
        elif _AGREED_KK_VERB.search(sentence):
            kazakh = _AGREED_KK.search(sentence)
            if kazakh:
                act = _KK_SUBJECT.sub("", kazakh["act"].strip())
                act = re.sub(r"(у)(ға|ге|қа|ке)$", r"\1", act)  # "өткізуге" → "өткізу"
        if not act:
            continue
        act = act.strip().rstrip(".;: ")
        if len(act.split()) < 2:
            continue
        year = _YEAR_IN.search(act)
        found.append(AgreedAction(act[:1].upper() + act[1:], sentence, year[1] if year else ""))
    return found


# --- visits ---------------------------------------------------------------------------------

_VISIT = _any(
    "visit",
    "delegation",
    "визит",
    "делегаци",
    "сапар",
    "делегация",
)
NOT_THIS_VISIT = _any(
    "invited",
    "invites",
    "planned",
    "запланирован",
    "жоспарланған",
    "предстоящ",
    "prepar",
    "next year",
    "upcoming",
    "подготов",
    "приглас",
    "приглаш",
    "следующ",
    "дайында",
    "шақыр",
    "келесі",
    "agreed",
    "договорил",
    "келісті",
    "schedule",
    "график",
    "кесте",
    # an exchange of delegations spoken of is no visit made
    "exchange",
    "обмен",
    "алмас",
)
TO_US = _any(
    "to kazakhstan",
    "in kazakhstan",
    "в казахстан",
    "в республику казахстан",
    "қазақстанға",
    "received the delegation",
    "received the parliamentary delegation",
    "принял делегацию",
    "делегациясын қабылдады",
    "arrives in kazakhstan",
    "visit kazakhstan",
    "visits kazakhstan",
    "visited kazakhstan",
    "посетит казахстан",
    "посетила казахстан",
    "посетил казахстан",
    "посетят казахстан",
)
_PROGRAMME = re.compile(
    r"(?:programme|program|программа визита|бағдарламасында)\s*(?:includes|include|включает|"
    r"предусматривает)?\s*(?P<items>.+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class VisitCue:
    evidence: str
    to_us: bool
    programme: list[str]


def visit_cue(sentences: list[str]) -> VisitCue | None:
    """A sentence that reports a visit under way or just made (not one being prepared)."""
    for sentence in sentences:
        if _VISIT.search(sentence) and not NOT_THIS_VISIT.search(sentence):
            programme: list[str] = []
            for other in sentences:
                found = _PROGRAMME.search(other)
                if found:
                    programme = _items(found["items"])
                    break
            return VisitCue(sentence, bool(TO_US.search(sentence)), programme)
    return None


def _items(text: str) -> list[str]:
    parts = re.split(r",\s*|\s+and\s+|\s+и\s+|\s+және\s+", text.rstrip(". "))
    return [p.strip() for p in parts if len(p.split()) >= 2][:8]


# --- anniversaries --------------------------------------------------------------------------

_RELATIONS = _any("diplomatic relations", "дипломатических отношений", "дипломатиялық")
_ORDINAL = re.compile(
    r"(?<!\d)(?P<n>\d{1,3})(?:st|nd|rd|th|-?летие|-?летию|-?летия|-ю|-й|-я)?\s*"
    r"(?P<what>anniversary|years?|лет|годовщин|жыл)?",
    re.IGNORECASE,
)
_THIS_YEAR = _any("this year", "в этом году", "биыл", "нынешнем году", "marks")
_NEXT_YEAR = _any("next year", "в следующем году", "келесі жыл")
# "over 30 years", "более 30 лет": a span, not an anniversary ("over the thirty years since"
# is one).
_OVER = re.compile(
    r"(?<![^\W\d_])(?:over|more than|более|свыше)\s+\d|\d+\s+\S*\s*астам", re.IGNORECASE
)


@dataclass(frozen=True)
class Anniversary:
    kind: str
    ordinal: int
    year: int  # the year the relations began
    evidence: str


# Round numbers of years written in words, as digits ("thirty years", "тридцатилетие",
# "отыз жыл"): tens, and tens and five.
_TENS = {
    "en": ("ten", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"),
    "ru": (
        "десят",
        "двадцат",
        "тридцат",
        "сорок",
        "пят[ьи]десят",
        "шест[ьи]десят",
        "сем[ьи]десят",
        "восьм?[ьи]десят",
        "девяност",
    ),
    "kk": ("он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"),
}
# What follows the tens in each language: the ending, "and five", and (Russian, Kazakh) the
# years they count.
_AFTER_TENS = {
    "en": r"(?:y|ieth|th)?(?:[-\s](?P<five>five|fifth))?(?![^\W\d_])",
    "ru": r"(?:ь|и|а|ой|ого|ую|ая|ый)?(?:[\s-]?(?P<five>пят[ьи]?))?"
    r"(?=\s+лет|\s+годовщин|лети|\w*\s+годовщин)",
    "kk": r"(?:\s+(?P<five>бес))?(?=\s+жыл)",
}
_NUMBER_WORDS = {
    lang: re.compile(
        r"(?<![^\W\d_])(?:"
        + "|".join(f"(?P<t{tens}>{stem})" for tens, stem in enumerate(stems, 1))
        + r")"
        + _AFTER_TENS[lang],
        re.IGNORECASE,
    )
    for lang, stems in _TENS.items()
}


def _as_digits(found: re.Match[str]) -> str:
    """A round number written in words, in digits, with what the anniversary rule reads."""
    tens = next(int(k[1:]) for k, v in found.groupdict().items() if k[0] == "t" and v)
    number = tens * 10 + (5 if found["five"] else 0)
    if found.group().casefold().endswith("th"):  # an English ordinal: "thirtieth"
        return f"{number}th"
    if found.string[found.end() : found.end() + 3].casefold() == "лет":  # "тридцатилетие"
        return f"{number}-"
    return f"{number} "


def numbers_as_digits(sentence: str) -> str:
    """The sentence with round numbers of years written in words put as digits."""
    for pattern in _NUMBER_WORDS.values():
        sentence = pattern.sub(_as_digits, sentence)
    return sentence


def anniversaries_in(sentences: list[str], release_year: int | None) -> list[Anniversary]:
    found: list[Anniversary] = []
    for sentence in sentences:
        if not _RELATIONS.search(sentence):
            continue
        sentence = numbers_as_digits(sentence)
        if _OVER.search(sentence):
            continue
        ordinal = None
        for match in _ORDINAL.finditer(sentence):
            number = int(match["n"])
            tail = sentence[match.end(1) : match.end(1) + 14].casefold()
            if 1 <= number <= 150 and (
                match["what"] or re.match(r"(st|nd|rd|th|-?лет|-ю|-й)", tail)
            ):
                ordinal = number
                break
        if ordinal is None:
            continue
        years = [int(y) for y in _YEAR_IN.findall(sentence)]
        if years:
            at = years[0]
        elif release_year is None:
            continue
        elif _NEXT_YEAR.search(sentence):
            at = release_year + 1
        else:
            at = release_year
        found.append(Anniversary("diplomatic relations", ordinal, at - ordinal, sentence))
    return found
