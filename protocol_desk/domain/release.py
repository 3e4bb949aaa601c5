"""Reading a press release for what an officer would copy from it by hand: the days it gives,
the words that may be names, and the sentences that say what was agreed. These are offered
as suggestions to tick, never filled in unasked: a release mixes the meeting's day with its
own, and names and agreements with reported speech."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from protocol_desk.domain.dates import MONTH_NAMES, parse_date
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.text import fold

CONTEXT = 40  # characters either side of a day, to tell the meeting's day from the posting's
LONGEST_NAME = 5  # words: "Mukhtar Kul-Mukhammed", "Алия Ерлановна Сарсенбаева-Ким"
MOST_AGREEMENTS = 12

# Month words in the scripts the region writes: the English ones and their forms in Russian and
# Kazakh (a day reads "16 сентября 2022", "2022 жылғы 16 қыркүйек").
_MONTH_WORD = (
    r"(?:"
    + "|".join(
        [
            *MONTH_NAMES,
            *(name[:3] + r"\.?" for name in MONTH_NAMES),
            r"январ[ья]",
            r"феврал[ья]",
            r"марта?",
            r"апрел[ья]",
            r"ма[йя]",
            r"июн[ья]",
            r"июл[ья]",
            r"августа?",
            r"сентябр[ья]",
            r"октябр[ья]",
            r"ноябр[ья]",
            r"декабр[ья]",
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
    )
    + r")"
)
_DAY_PATTERNS = [
    re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?![\d.]*\d)"),  # 06.06.2022
    re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"),  # 2022-06-06
    re.compile(  # 6 June 2022, 16th September 2022, 16 сентября 2022 года
        rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_WORD}\s+\d{{4}}(?!\d)", re.IGNORECASE
    ),
    re.compile(  # September 16th, 2022
        rf"{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)", re.IGNORECASE
    ),
]
# Kazakh puts the year first: "2022 жылғы 16 қыркүйек".
_YEAR_FIRST = re.compile(
    rf"(?<!\d)(\d{{4}})\s+ж(?:ылғы|\.)?\s+(\d{{1,2}})\s+({_MONTH_WORD})", re.IGNORECASE
)
# Words saying a day is when the release went out, not when anyone met.
_POSTED = ("posted", "published", "опубликовано", "дата публикации", "жарияланды")

# A word of a name: letters in any script, with inner hyphens and apostrophes (Kul-Mukhammed,
# O'Brien, Құл-Мұхаммед).
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# A sentence ends at a full stop, question or exclamation mark, or a line break; not at the
# stop of "Mr." before a name.
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)\s+|\n+")

# What says something was agreed or is to be done, in English, Russian and Kazakh. The first
# list is strong (someone agreed, decided, proposed or invited), the second weaker (readiness,
# intent, plans): a sentence with either is offered, the strong ones ticked.
_AGREED = (
    "agreed",
    "agree to",
    "decided",
    "resolved to",
    "proposed to",
    "proposed that",
    "proposed holding",
    "suggested to",
    "suggested that",
    "suggested holding",
    "invited",
    "to consider",
    "will consider",
    "reached an agreement",
    "reached agreement",
    "договорил",
    "условил",
    "решили",
    "решено",
    "предложил",
    "пригласил",
    "рассмотреть",
    "достигнута договорённость",
    "достигнута договоренность",
    "келісті",
    "келісілді",
    "уағдаласт",
    "ұсынды",
    "шақырды",
    "қарастыру",
)
_INTENDED = (
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


@dataclass(frozen=True)
class FoundDay:
    """A day the text gives, as written, with the words around it."""

    day: date
    written: str
    context: str

    @property
    def looks_posted(self) -> bool:
        """The day the release was posted, by the words just before it."""
        before = fold(self.context.split(self.written, 1)[0])
        return any(word in before for word in _POSTED)


@dataclass(frozen=True)
class Agreement:
    """A sentence that may say what was agreed; ``strong`` when it says so outright."""

    text: str
    strong: bool


def days_in(text: str) -> list[FoundDay]:
    """Every day the text gives, in reading order, each once; dates that do not exist and
    months or years without a day are left out."""
    found: dict[int, FoundDay] = {}

    def add(match: re.Match[str], readable: str) -> None:
        if any(start <= match.start() < start + len(f.written) for start, f in found.items()):
            return  # part of a day already found
        try:
            day = parse_date(readable)
        except ValidationError:
            return
        context = text[max(0, match.start() - CONTEXT) : match.end() + CONTEXT]
        found[match.start()] = FoundDay(day, match.group(), " ".join(context.split()))

    for pattern in _DAY_PATTERNS:
        for match in pattern.finditer(text):
            add(match, match.group())
    for match in _YEAR_FIRST.finditer(text):
        add(match, f"{match[2]} {match[3]} {match[1]}")
    days: list[FoundDay] = []
    for _, found_day in sorted(found.items()):
        if all(d.day != found_day.day for d in days):
            days.append(found_day)
    return days


def likely_meeting_day(days: list[FoundDay]) -> FoundDay | None:
    """The day the meeting seems to have been, when the text leaves no doubt: the one day it
    gives that is neither the posting's nor after it (a release looks ahead, to an
    anniversary or the next session, but reports what already happened)."""
    posted = next((d.day for d in days if d.looks_posted), None)
    candidates = [d for d in days if not d.looks_posted and (posted is None or d.day <= posted)]
    return candidates[0] if len(candidates) == 1 else None


def name_candidates(text: str, longest: int = LONGEST_NAME) -> dict[str, str]:
    """Runs of one to ``longest`` words that could be someone's name, folded as names are
    stored, each with the first way the text writes it. Looked up among the office's people
    by spelling, they find who the release names in any script."""
    candidates: dict[str, str] = {}
    for line in text.splitlines():
        words = _WORD.findall(line)
        for start in range(len(words)):
            for length in range(1, min(longest, len(words) - start) + 1):
                written = " ".join(words[start : start + length])
                candidates.setdefault(fold(written), written)
    return candidates


def agreements_in(text: str, most: int = MOST_AGREEMENTS) -> list[Agreement]:
    """Sentences that may say what was agreed, in reading order, at most ``most`` of them
    (the strong ones first when there are more)."""
    found: list[tuple[int, Agreement]] = []
    for position, sentence in enumerate(_sentences(text)):
        folded = fold(sentence)
        strong = any(cue in folded for cue in _AGREED)
        if strong or any(cue in folded for cue in _INTENDED):
            found.append((position, Agreement(sentence, strong)))
    if len(found) > most:
        found = sorted(found, key=lambda pair: (not pair[1].strong, pair[0]))[:most]
    return [agreement for _, agreement in sorted(found, key=lambda pair: pair[0])]


def _sentences(text: str) -> list[str]:
    sentences = []
    for piece in _SENTENCE_END.split(text):
        sentence = " ".join(piece.split())
        # A heading, a caption or a share button is not an agreement; a whole page is not one
        # sentence either.
        if 20 <= len(sentence) <= 600 and " " in sentence:
            sentences.append(sentence)
    return sentences
