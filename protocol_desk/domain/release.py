"""Reading a press release for what an officer would copy from it by hand: the days it gives,
the words that may be names, and the sentences that say what was agreed. These are offered
as suggestions to tick, never filled in unasked: a release mixes the meeting's day with its
own, and names and agreements with reported speech."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from protocol_desk.domain.dates import MONTH_NAMES
from protocol_desk.domain.text import fold

CONTEXT = 40  # characters either side of a day, to tell the meeting's day from the posting's
LONGEST_NAME = 5  # words: "Mukhtar Kul-Mukhammed", "Алия Ерлановна Сарсенбаева-Ким"
MOST_AGREEMENTS = 12
LONGEST_SENTENCE = 1_500  # characters: Russian releases write long ones; a page is not one
REPORTED_WITHIN = timedelta(days=60)  # a release reports a meeting of the last weeks
LOGGED_WITHIN = timedelta(days=5 * 366)  # and an office logs releases of the last few years

# --- days ---------------------------------------------------------------------------------

# Month words: English (whole or from three letters, "Sept"), Russian (any case ending) and
# Kazakh (with its case endings: "наурызда"), as the word's beginning.
_KAZAKH_MONTHS = [
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
]
_RUSSIAN_MONTHS = (
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
    for number, name in enumerate(_KAZAKH_MONTHS, start=1):
        if folded.startswith(name):
            return number
    for number, stem in enumerate(_RUSSIAN_MONTHS, start=1):
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
    re.compile(  # Kazakh puts the year first: "2022 жылғы 16 қыркүйек"
        rf"(?<!\d){_YEAR}\s+ж(?:ылғы|ылы|\.)?\s+(?P<day>\d{{1,2}})\s+{_MONTH}", re.IGNORECASE
    ),
]
# Without a year ("12 марта", "On 12 March"): the year is the posting's, when known.
_YEARLESS_DAYS = [
    re.compile(rf"(?<![\d.]){_DAY}(?:\s+of)?\s+{_MONTH}(?!\s*,?\s*\d)", re.IGNORECASE),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:.,]\d|\d|,?\s+\d)", re.I),
]
# Words saying a day is when the release went out, not when anyone met.
_POSTED = ("posted", "published", "опубликовано", "дата публикации", "жарияланды")
_TIME_AFTER = re.compile(r"\s*,?\s*\d{1,2}:\d{2}")  # "13.03.2024 09:00": a posting's stamp
_RANGE_BEFORE = re.compile(r"\d{1,2}\s*(?:[-–—]|and|to|и|по|до|және|-)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDay:
    """A day the text gives, as written, with the words around it."""

    day: date
    written: str
    context: str
    looks_posted: bool = False  # the day the release went out, by the words before it
    in_range: bool = False  # the last day of "12–13 March": not one day
    year_guessed: bool = False  # written without a year, which was taken from the posting


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


def days_in(text: str) -> list[FoundDay]:
    """Every day the text gives, in reading order, each once. Days that do not exist, months
    and years without a day, and days without a year in a text that gives no posting day
    are left out."""
    matches = _matches(text)
    posted: list[bool] = []
    previous_end = 0
    for match in matches:
        line_start = text.rfind("\n", 0, match.start) + 1
        before = text[max(line_start, previous_end, match.start - CONTEXT) : match.start]
        previous_end = match.end
        posted.append(
            any(word in fold(before) for word in _POSTED)
            or bool(_TIME_AFTER.match(text, match.end))
        )
    posted_year = next(
        (m.year for m, p in zip(matches, posted, strict=True) if p and m.year is not None), None
    )
    days: list[FoundDay] = []
    for match, looks_posted in zip(matches, posted, strict=True):
        year = match.year if match.year is not None else posted_year
        day = _valid(year, match.month, match.day) if year is not None else None
        if day is None or any(d.day == day for d in days):
            continue
        days.append(
            FoundDay(
                day,
                " ".join(text[match.start : match.end].split()),
                _context(text, match.start, match.end),
                looks_posted=looks_posted,
                in_range=bool(_RANGE_BEFORE.search(text, max(0, match.start - 12), match.start)),
                year_guessed=match.year is None,
            )
        )
    return days


def _context(text: str, start: int, end: int) -> str:
    """The words around a day, whole."""
    left = text.rfind(" ", 0, max(0, start - CONTEXT)) + 1 if start > CONTEXT else 0
    right = text.find(" ", end + CONTEXT)
    return " ".join(text[left : right if right != -1 else len(text)].split())


def likely_meeting_day(days: list[FoundDay], today: date | None = None) -> FoundDay | None:
    """The day the meeting seems to have been, when the text leaves no doubt: the one day it
    gives that is not the posting's, not part of a range, and in the weeks before the posting
    when that is known, or else in the last few years before ``today`` (a release looks ahead,
    to an anniversary or the next session, and back, to a treaty, but reports what happened
    just now)."""
    posted = next((d.day for d in days if d.looks_posted), None)

    def recent(day: date) -> bool:
        if posted is not None:
            return posted - REPORTED_WITHIN <= day <= posted
        return today is None or today - LOGGED_WITHIN <= day <= today + timedelta(days=1)

    candidates = [d for d in days if not d.looks_posted and not d.in_range and recent(d.day)]
    return candidates[0] if len(candidates) == 1 else None


# --- names --------------------------------------------------------------------------------

# A word of a name: letters in any script, with inner hyphens and apostrophes (Kul-Mukhammed,
# O'Brien, Құл-Мұхаммед). Punctuation between words ends a name.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_NAME_BREAK = re.compile(r"[.,;:!?()\[\]{}«»\"“”„/\\|•·–—]|\s-\s")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def name_candidates(text: str, longest: int = LONGEST_NAME) -> dict[str, str]:
    """Runs of one to ``longest`` words that could be someone's name, folded as names are
    stored, each with the first way the text writes it. Looked up among the office's people
    by spelling, they find who the release names in any script."""
    candidates: dict[str, str] = {}
    for line in text.splitlines():
        for segment in _NAME_BREAK.split(line):
            words = [_POSSESSIVE.sub("", w) for w in _WORD.findall(segment)]
            for start in range(len(words)):
                for length in range(1, min(longest, len(words) - start) + 1):
                    written = " ".join(words[start : start + length])
                    candidates.setdefault(fold(written), written)
    return candidates


# --- sentences ----------------------------------------------------------------------------

# A sentence ends at a full stop, question or exclamation mark, or a line break; not at the
# stop of "Mr.", of an initial ("S. Rachkov") or of "г." (the year's abbreviation in Russian).
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\b[^\W\d_]\.)\s+|\n+"
)


def _cues(*phrases: str) -> re.Pattern[str]:
    """Phrases that must begin a word: "agreed" is not "disagreed", "intend" not
    "superintendent"."""
    return re.compile(
        r"(?<![^\W\d_])(?:" + "|".join(re.escape(p) for p in phrases) + ")", re.IGNORECASE
    )


# Someone agreed, decided, proposed, invited or signed: in English, Russian and Kazakh.
_AGREED = _cues(
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
    "invited to",
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
    "подписали",
    "подписан",
    "келісті",
    "келісілді",
    "уағдаласт",
    "ұсынды",
    "шақырды",
    "қарастыру",
    "шешім қабылд",
    "қол қойды",
    "қол қойылды",
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
    "напомнил",
    "считают",
    "считает",
    "следует",
    "важно",
    "еске салды",
)
# Sentences that place people at the meeting: their names there are its participants.
_MEETING = _cues(
    "met",
    "meet",
    "meeting",
    "talks",
    "held talks",
    "received",
    "conversation",
    "встретил",
    "встреч",
    "переговор",
    "принял",
    "беседа",
    "кездест",
    "кездесу",
    "келіссөз",
    "қабылдады",
)


@dataclass(frozen=True)
class Agreement:
    """A sentence that may say what was agreed; ``strong`` when it says so outright."""

    text: str
    strong: bool


def agreements_in(text: str, most: int = MOST_AGREEMENTS) -> list[Agreement]:
    """Sentences that may say what was agreed, in reading order, at most ``most`` of them
    (the strong ones first when there are more). A refusal is left out; someone's view or
    memory of an agreement is offered, not ticked."""
    found: list[tuple[int, Agreement]] = []
    for position, sentence in enumerate(sentences_of(text)):
        if _REFUSED.search(sentence):
            continue
        strong = bool(_AGREED.search(sentence)) and not _REPORTED.search(sentence)
        if strong or _AGREED.search(sentence) or _INTENDED.search(sentence):
            found.append((position, Agreement(sentence, strong)))
    if len(found) > most:
        found = sorted(found, key=lambda pair: (not pair[1].strong, pair[0]))[:most]
    return [agreement for _, agreement in sorted(found, key=lambda pair: pair[0])]


def meeting_sentences(text: str) -> list[str]:
    """The sentences that speak of the meeting itself (met, talks, received…): the people
    they name took part in it, where others are only mentioned."""
    return [s for s in sentences_of(text) if _MEETING.search(s)]


def sentences_of(text: str) -> list[str]:
    sentences = []
    for piece in _SENTENCE_END.split(text):
        sentence = " ".join(piece.split())
        # A heading, a caption or a share button is not an agreement; a whole page is not one
        # sentence either.
        if 20 <= len(sentence) <= LONGEST_SENTENCE and " " in sentence:
            sentences.append(sentence)
    return sentences
