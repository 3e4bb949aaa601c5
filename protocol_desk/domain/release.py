"""Reading a press release for what an officer would copy from it by hand: the days it gives,
the words that may be names, and the sentences that say what was agreed. These are offered
as suggestions to tick, never filled in unasked: a release mixes the meeting's day with its
own, and names and agreements with reported speech."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from protocol_desk.domain.dates import MONTH_NAMES
from protocol_desk.domain.text import fold

CONTEXT = 40  # characters either side of a day, to tell the meeting's day from the posting's
MOST_AGREEMENTS = 12
LONGEST_SENTENCE = 1_500  # characters: Russian releases write long ones; a page is not one

# --- days ---------------------------------------------------------------------------------

# Month words: English (whole or from three letters, "Sept"), Russian (any case ending) and
# Kazakh (with its case endings: "наурызда"), as the word's beginning.
KAZAKH_MONTHS = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
RUSSIAN_MONTH_STEMS = (
    *("январ", "феврал", "март", "апрел", "ма", "июн"),
    *("июл", "август", "сентябр", "октябр", "ноябр", "декабр"),
)


def _month_number(word: str) -> int | None:
    folded = fold(word).rstrip(".")
    if len(folded) < 3:
        return None
    for number, name in enumerate(MONTH_NAMES, start=1):
        if name.casefold().startswith(folded):
            return number
    for number, name in enumerate(KAZAKH_MONTHS, start=1):
        if folded.startswith(name):
            return number
    for number, stem in enumerate(RUSSIAN_MONTH_STEMS, start=1):
        # "ма" is май and мая only: "март" and "марта" are March.
        if folded.startswith(stem) and (stem != "ма" or folded in {"май", "мая"}):
            return number
    return None


_MONTH = r"(?P<month>[^\W\d_]{3,14})\.?"
_DAY = r"[«\"“]?(?P<day>\d{1,2})(?:st|nd|rd|th|-го|-е|-ші|-шы)?[»\"”]?"
_YEAR = r"(?P<year>\d{4})(?!\d)"
# With a year: each pattern names its parts; the month is a number or a word.
_FULL_DAYS = [
    # 06.06.2022 or 06/06/2022: two digits each, as the region writes them ("1.2.2024" is a
    # version number more often than a day).
    re.compile(rf"(?<![\d.,/])(?P<day>\d{{2}})([./])(?P<month>\d{{2}})\2{_YEAR}(?![.,/]?\d)"),
    re.compile(r"(?<![\d.\-/])(?P<year>\d{4})([-.])(?P<month>\d{2})\2(?P<day>\d{2})(?![\d\-.]*\d)"),
    re.compile(rf"(?<!\d){_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}", re.IGNORECASE),
    re.compile(  # November 16-17, 2026: read as its last day, which _RANGE_BEFORE then tells
        rf"{_MONTH}\s+\d{{1,2}}\s*[-–—]\s*(?P<day>\d{{1,2}}),?\s+{_YEAR}", re.IGNORECASE
    ),
    re.compile(  # Kazakh puts the year first: "2022 жылғы 16 қыркүйек"
        rf"(?<!\d){_YEAR}\s+ж(?:ылғы|ылы|\.)?\s+(?P<day>\d{{1,2}})\s+{_MONTH}", re.IGNORECASE
    ),
]
# Without a year ("12 марта", "ASTANA, December 2"): the year is the posting's, or else that
# of the nearest day written with one, or else this year.
_YEARLESS_DAYS = [
    re.compile(rf"(?<![\d.]){_DAY}(?:\s+of)?\s+{_MONTH}(?!\s*,?\s*\d)", re.IGNORECASE),
    re.compile(
        rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:.,]\d|\d|,?\s+\d|\s*[-–—]\s*\d)",
        re.IGNORECASE,
    ),
]
# A posting's stamp: "Posted: 08.06.2022", "Опубликовано 13.03.2024" alone before the day on
# its line, or a time beside it ("13.03.2024 09:00", "12:40, 13.03.2026"). "The statement
# published on 3 November" is not one.
_POSTED = re.compile(
    r"^\W*(?:posted|published|date|опубликовано|дата публикации|дата|жарияланды)(?:\s+on)?\W*$",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"\s*,?\s*\d{1,2}:\d{2}")
_TIME_BEFORE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*[,|]?\s*$")
_RANGE_BEFORE = re.compile(r"\d{1,2}\s*(?:[-–—]|and|to|и|по|до|және)\s*$", re.IGNORECASE)
_RANGE_WITHIN = re.compile(r"[^\W\d_]\.?\s+\d{1,2}\s*[-–—]\s*\d{1,2}(?!\d)")  # "Nov 16-17"


@dataclass(frozen=True)
class FoundDay:
    """A day the text gives, as written, with the words around it."""

    day: date
    written: str
    context: str
    looks_posted: bool = False  # the day the release went out, by the words before it
    in_range: bool = False  # the last day of "12–13 March": not one day
    year_guessed: bool = False  # written without a year: the posting's, or a nearby one


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    day: int
    month: int
    year: int | None


def _matches(text: str) -> list[_Match]:
    """Every day written in the text, each once, in reading order: where two ways of
    reading overlap, the one with a year, then the longer, wins."""
    found: list[tuple[int, int, int, _Match]] = []
    for rank, patterns in enumerate((_FULL_DAYS, _YEARLESS_DAYS)):
        for pattern in patterns:
            for m in pattern.finditer(text):
                parts = m.groupdict()
                month = (
                    int(parts["month"])
                    if parts["month"].isdigit()
                    else _month_number(parts["month"])
                )
                if month is None:
                    continue
                year = int(parts["year"]) if parts.get("year") else None
                found.append(
                    (
                        m.start(),
                        rank,
                        -(m.end() - m.start()),
                        _Match(m.start(), m.end(), int(parts["day"]), month, year),
                    )
                )
    found.sort(key=lambda f: (f[0], f[1], f[2]))
    kept: list[_Match] = []
    for _, _, _, match in found:
        if kept and match.start < kept[-1].end:
            continue  # part of a day already read
        kept.append(match)
    return kept


def _valid(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None  # 31 February


def days_in(text: str, today: date | None = None) -> list[FoundDay]:
    """Every day the text gives, in reading order: each once, or twice when it is both the
    posting's and written elsewhere (same-day news). Days that do not exist, and months or
    years without a day, are left out. A day written without a year takes the posting's, or
    else that of the nearest day written with one, or else ``today``'s."""
    matches = _matches(text)
    posted: list[bool] = []
    previous_end = 0
    for match in matches:
        line_start = text.rfind("\n", 0, match.start) + 1
        before = text[max(line_start, previous_end) : match.start]
        previous_end = match.end
        posted.append(
            bool(_POSTED.match(before))
            or bool(_TIME_AFTER.match(text, match.end))
            or bool(_TIME_BEFORE.search(before))
        )
    posted_year = next(
        (m.year for m, p in zip(matches, posted, strict=True) if p and m.year is not None), None
    )
    days: list[FoundDay] = []
    for index, (match, looks_posted) in enumerate(zip(matches, posted, strict=True)):
        year = (
            match.year
            or posted_year
            or _nearest_year(matches, index)
            or _year_beside(text, match.start, match.end)
        )
        if year is None and today is not None:
            year = today.year
        day = _valid(year, match.month, match.day) if year is not None else None
        if day is None or any(d.day == day and d.looks_posted == looks_posted for d in days):
            continue
        days.append(
            FoundDay(
                day,
                " ".join(text[match.start : match.end].split()),
                _context(text, match.start, match.end),
                looks_posted=looks_posted,
                in_range=bool(
                    _RANGE_BEFORE.search(text, max(0, match.start - 12), match.start)
                    or _RANGE_WITHIN.search(text, match.start, match.end)
                ),
                year_guessed=match.year is None,
            )
        )
    return days


_YEAR_ALONE = re.compile(r"(?<![\d.:/-])(?:19|20)\d\d(?![\d.:/-])")
BESIDE = 24  # characters: "Мамырдың 29-ы. 2013 жыл" writes the year just after the day


def _year_beside(text: str, start: int, end: int) -> int | None:
    """A year written on its own next to a day on the same line (a dateline's)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    near = text[max(line_start, start - BESIDE) : min(line_end, end + BESIDE)]
    found = _YEAR_ALONE.search(near)
    return int(found.group()) if found else None


def _nearest_year(matches: list[_Match], index: int) -> int | None:
    with_year = [(abs(i - index), m.year) for i, m in enumerate(matches) if m.year is not None]
    return min(with_year)[1] if with_year else None


def _context(text: str, start: int, end: int) -> str:
    """The words around a day, whole."""
    left = text.rfind(" ", 0, max(0, start - CONTEXT)) + 1 if start > CONTEXT else 0
    right = text.find(" ", end + CONTEXT)
    return " ".join(text[left : right if right != -1 else len(text)].split())


# --- sentences ----------------------------------------------------------------------------

# A sentence ends at a full stop, question or exclamation mark, or a line break; not at the
# stop of "Mr.", of an initial ("S. Rachkov") or of "г." (the year's abbreviation in Russian).
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][”\"»]))"
    r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\b[^\W\d_]\.)\s+|\n+"
)
# Where a copied page goes on past the release: its related news are other meetings.
_PAGE_END = re.compile(
    r"^\W*(?:related news|related articles|see also|read also|share this|share|other news|"
    r"другие новости|читайте также|похожие новости|поделиться|басқа жаңалықтар|"
    r"тағы оқыңыз|бөлісу)\b",
    re.IGNORECASE | re.MULTILINE,
)
# A line of a list: "— …", "• …", "1) …", "2. …".
_BULLET = re.compile(r"^\s*(?:[-–—•*▪●]|\d{1,2}[).])\s+(?P<item>\S.*)$")


def _cues(*phrases: str, whole: bool = False) -> re.Pattern[str]:
    """Phrases that must begin a word: "agreed" is not "disagreed", "intend" not
    "superintendent"; ``whole``: and end one ("met" is not "methods")."""
    end = r"(?![^\W\d_])" if whole else ""
    return re.compile(
        r"(?<![^\W\d_])(?:" + "|".join(re.escape(p) for p in phrases) + ")" + end,
        re.IGNORECASE,
    )


# Someone agreed, decided, proposed, invited or signed: in English, Russian and Kazakh.
_AGREED_BEGINNING = _cues(
    "agreed",
    "agree to",
    "agree on",
    "decided",
    "resolved to",
    "proposed to",
    "proposed that",
    "proposed holding",
    "suggested to",
    "suggested that",
    "suggested holding",
    "invited the",
    "extended an invitation",
    "to consider",
    "will consider",
    "reached an agreement",
    "agreement was reached",
    "signed a",
    "signed an",
    "signed the",
    "договорил",
    "условил",
    "решили",
    "решено",
    "предложил",
    "пригласил",
    "рассмотреть",
    "достигнута договор",
    "пришли к соглашению",
    "достигнуты договор",
    "подписали",
    "келісті",
    "келісімге келді",
    "келісілді",
    "уағдаласт",
    "ұсынды",
    "шақырды",
    "қарастыру",
    "шешім қабылд",
    "қол қойды",
    "қол қойылды",
)
_AGREED = re.compile(
    _AGREED_BEGINNING.pattern
    # whole words: "подписанный в 1996 году" is a treaty of then, not one signed now
    + "|"
    + _cues("подписан", "подписана", "подписано", "подписаны", whole=True).pattern,
    re.IGNORECASE,
)
# Readiness, intent and plans: offered, not ticked.
_INTENDED = _cues(
    "expressed readiness",
    "expressed willingness",
    "ready to",
    "intend",
    "plan to",
    "plans to",
    "will hold",
    "will be held",
    "will visit",
    "supported the idea",
    "supported the proposal",
    "next meeting",
    "готовност",
    "намерен",
    "планиру",
    "поддержал идею",
    "поддержал предложение",
    "следующее заседание",
    "дайын",
    "ниет",
    "жоспарла",
    "қолдады",
)
# What makes an agreement no agreement (a refusal), or someone's view or memory of one.
_REFUSED = _cues(
    "not agree",
    "no agreement",
    "failed to agree",
    "did not",
    "не договорил",
    "не удалось",
    "келіспеді",
    "келісілмеді",
)
_REPORTED = _cues(
    "recalled",
    "believe",
    "believes",
    "important to",
    "as agreed by",
    "agreed earlier",
    "согласно достигнутым",
    "ранее достигнут",
    "напомнил",
    "считают",
    "считает",
    "следует",
    "важно",
    "еске салды",
)
# Sentences that place people at the meeting: their names there are its participants, unless
# the sentence passes on someone's greetings or recalls another meeting.
_MEETING = re.compile(
    _cues(
        "met",
        "meet",
        "meets",
        "meeting",
        "meetings",
        "talks",
        "received",
        "conversation",
        whole=True,
    ).pattern
    + "|"
    + _cues(
        "встретил",
        "встрет",
        "встреч",
        "переговор",
        "принял",
        "бесед",
        "кездест",
        "кездесу",
        "келіссөз",
        "қабылда",
    ).pattern,
    re.IGNORECASE,
)
_IN_PASSING = _cues(
    "conveyed",
    "greetings",
    "best wishes",
    "recalled",
    "reached by",
    "on behalf of",
    "instructions of",
    "передал",
    "приветств",
    "пожелани",
    "напомнил",
    "достигнутых",
    "поручени",
    "сәлем",
    "еске",
    "тапсырма",
)


@dataclass(frozen=True)
class Agreement:
    """A sentence that may say what was agreed; ``strong`` when it says so outright."""

    text: str
    strong: bool


def main_text(text: str) -> str:
    """The release, without what a copied page goes on with (related news, share buttons)."""
    found = _PAGE_END.search(text)
    return text[: found.start()] if found else text


def agreements_in(
    text: str, most: int = MOST_AGREEMENTS, release_year: int | None = None
) -> list[Agreement]:
    """Sentences that may say what was agreed, in reading order, at most ``most`` of them
    (the strong ones first when there are more). A list under "the sides agreed:" gives one
    agreement a line. A refusal is left out; someone's view or memory of an agreement, or one
    dated years before ``release_year``, is offered, not ticked."""
    listed, prose = _listed_agreements(text)
    found: list[tuple[int, Agreement]] = []
    for position, sentence in enumerate(sentences_of(prose)):
        if _REFUSED.search(sentence):
            continue
        strong = (
            bool(_AGREED.search(sentence))
            and not _REPORTED.search(sentence)
            and not _earlier(sentence, release_year)
        )
        if strong or _AGREED.search(sentence) or _INTENDED.search(sentence):
            found.append((position, Agreement(sentence, strong)))
    found = [(position, agreement) for position, agreement in listed] + found
    if len(found) > most:
        found = sorted(found, key=lambda pair: (not pair[1].strong, pair[0]))[:most]
    return [agreement for _, agreement in sorted(found, key=lambda pair: pair[0])]


def _listed_agreements(text: str) -> tuple[list[tuple[int, Agreement]], str]:
    """The lines of a list under a line saying something was agreed ("Стороны договорились:",
    "The sides agreed to:"), each an agreement; and the text without that list and its
    heading. Their positions are negative: they come before the prose's sentences."""
    listed: list[tuple[int, Agreement]] = []
    kept: list[str] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = line.strip()
        if heading.endswith(":") and _AGREED.search(heading) and not _REFUSED.search(heading):
            items = []
            following = index + 1
            while following < len(lines):
                bullet = _BULLET.match(lines[following])
                if bullet:
                    items.append(" ".join(bullet["item"].split()).rstrip(";,"))
                elif lines[following].strip():
                    break
                following += 1
            if items:
                listed.extend(
                    (len(listed) - 10_000, Agreement(item, strong=True)) for item in items
                )
                index = following
                continue
        kept.append(line)
        index += 1
    return listed, "\n".join(kept)


_A_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def _earlier(sentence: str, release_year: int | None) -> bool:
    """Whether the sentence speaks of a year before the release's: an agreement of then."""
    if release_year is None:
        return False
    return any(int(year) < release_year for year in _A_YEAR.findall(sentence))


# A headline says who met whom, or who went where: the meeting's subject as the press service
# put it.
_HEADLINE_CUE = _cues(
    "takes part",
    "took part",
    "participates",
    "visit",
    "принял участие",
    "приняла участие",
    "визит",
    "қатысты",
    "сапар",
)


def headline_of(text: str, looked_at: int = 10) -> str | None:
    """The release's headline, when one of its first lines reads like one: a few words, no
    full stop at the end, and a meeting or a visit in it ("Maulen Ashimbayev met with
    observers of TurkPA"). A site's menu or a lead paragraph is not."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    for line in lines[:looked_at]:
        if not 20 <= len(line) <= 200 or len(line.split()) < 4 or line[-1] in ".!?…":
            continue
        if _MEETING.search(line) or _HEADLINE_CUE.search(line):
            return line
    return None


def sentences_of(text: str) -> list[str]:
    sentences = []
    for piece in _SENTENCE_END.split(text):
        sentence = " ".join(piece.split())
        # A heading, a caption or a share button is not an agreement; a whole page is not one
        # sentence either.
        if 20 <= len(sentence) <= LONGEST_SENTENCE and " " in sentence:
            sentences.append(sentence)
    return sentences


# Shared with the rest of the reader (domain/release_facts.py, services/release_offer.py).
cues = _cues
month_number = _month_number
MEETING_CUES = _MEETING
IN_PASSING = _IN_PASSING
