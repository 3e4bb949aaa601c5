"""Reading a press release as an officer would log it: the meeting's day, format, country,
place, people (known or new, in the nominative), organisations, documents signed, agreed
actions, the visit and anniversaries, each with the words it came from and ticked only when
the text leaves no doubt. Nothing is saved here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from protocol_desk.domain.messages import N_, Nn_
from protocol_desk.domain.person_names import (
    may_be_surname,
    names_in,
    script_of,
    title_nominative,
)
from protocol_desk.domain.release import (
    IN_PASSING,
    MEETING_CUES,
    FoundDay,
    agreements_in,
    cues,
    days_in,
    headline_of,
    main_text,
    sentences_of,
)
from protocol_desk.domain.release_facts import (
    AHEAD_LEAD,
    NOT_THIS_VISIT,
    REMOTE,
    SIGNED,
    TO_US,
    agreed_actions,
    anniversaries_in,
    attended_event,
    documents_signed,
    format_of,
    length_in_days,
    range_of_days,
    relative_day,
    until_day,
    visit_cue,
)
from protocol_desk.domain.text import fold
from protocol_desk.domain.world_words import CityWords, CountryWords
from protocol_desk.services.release_lookup import KnownPerson, ReleaseLookup

SUBJECT_LENGTH = 120  # characters: what the meetings list shows of a subject
LEAD_SENTENCES = 4  # a release says when and where in its first sentences (headline included)
REPORTED_WITHIN = timedelta(days=60)  # a release reports what happened in the weeks before it

# Signing together places people at the meeting (a treaty "signed in 1992" gives no day).
_SIGNING = cues("signed", "подписали", "қол қойды")
_SESSION = cues(
    "session was held",
    "заседание",
    "отырысы өтті",
    "отырысты",
    "took part",
    "приняли участие",
    "conference with",
    "conversation",
    "разговор",
    "сөйлесті",
    "chaired",
    "co-chaired",
    "провели",
    "жүргізді",
    "spoke with",
    "talked",
)
_INVITED = cues(
    "invited",
    "invites",
    "invitation",
    "пригласил",
    "приглашает",
    "приглашени",
    "шақырды",
    "шақырған",
    "шақырады",
    "шақыру",
)
_AHEAD = cues(
    "planned",
    "scheduled",
    "планируется",
    "предусмотрен",
    "жоспарлан",
    "запланирован",
    "предстоящ",
    "жоспарланған",
    "will be held",
    "to be held",
    "upcoming",
    "состоится",
    "пройдет",
    "пройдёт",
    "өтетін",
    "алдағы",
    "until",
    "продлится",
    "дейін",
)
# A day in such a sentence is that event's, not the meeting's.
_DAY_AHEAD = cues(
    "will be held",
    "to be held",
    "состоится",
    "пройдет",
    "пройдёт",
    "өтетін",
    "until",
    "продлится",
    "дейін",
)
# "At the invitation of X": the visit under way, and X not necessarily at it.
_AT_INVITATION = cues(
    "at the invitation of",
    "by invitation of",
    "по приглашению",
    "шақыруымен",
    "шақыруы бойынша",
)
# A name followed by an institution's word is the institution's ("Islamic Consultative
# Assembly", "Великого Государственного Хурала").
_INSTITUTION_NEXT = re.compile(
    r"^\s*(?:Assembly|Council|Parliament|Chamber|Committee|Commission|House|Party|Union|"
    r"Congress|Court|Khural|Duma|Majlis|Ассамбле|Совет|Парламент|Палат|Комитет|Комисси|Хурал|"
    r"Дум|Парти|Кеңес|Жиналыс|Ассамблея|Комитет)",
)
# Condolences speak of another event: its day and city are not the meeting's.
_OTHER_EVENT = cues(
    "condolence",
    "terrorist attack",
    "earthquake",
    "соболезнован",
    "теракт",
    "землетрясен",
    "көңіл айт",
    "жер сілкін",
)
_VISITING = cues("visit", "визит", "сапар", "arrive", "прибыл", "келді", "делегаци", "delegation")
_MEMBERS = cues(
    "delegation includes",
    "delegation consists",
    "delegation comprises",
    "в составе делегации",
    "также приняли участие",
    "took part",
    "құрамында",
    "participated",
)
_SPEECH = cues(
    "said",
    "noted",
    "stressed",
    "thanked",
    "congratulated",
    "emphasized",
    "emphasised",
    "pointed out",
    "for his part",
    "for her part",
    "in turn",
    "informed",
    "told",
    "expressed",
    "extended",
    "praised",
    "welcomed",
    "appreciated",
    "отметил",
    "оценил",
    "приветствовал",
    "подчеркнул",
    "заявил",
    "поблагодарил",
    "в свою очередь",
    "сообщил",
    "выразил",
    "атап өтті",
    "деді",
    "алғыс",
    "өз кезегінде",
    "айтты",
    "бағалады",
)
_TITLE_WORDS = cues(
    "ambassador",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "speaker",
    "president",
    "deputy",
    "secretary",
    "minister",
    "head",
    "member",
    "senator",
    "сенатор",
    "coordinator",
    "director",
    "chief",
    "mp",
    "посол",
    "посл",
    "председател",
    "спикер",
    "заместител",
    "координатор",
    "заведующ",
    "руководител",
    "директор",
    "депутат",
    "глав",
    "секретар",
    "министр",
    "президент",
    "сопредседател",
    "елші",
    "төраға",
    "төрайым",
    "хатшы",
    "меңгеруші",
    "магистр",
    "орынбасар",
    "басшы",
    "мүше",
    "спикері",
)
_OUR_BODIES = cues("senate", "majilis", "mazhilis", "сенат", "мажилис", "мәжіліс", "kazakh parl")
_AMBASSADOR = cues("ambassador", "посол", "посла", "послом", "елші")
_JOINED = re.compile(r"^\s*(?:,|and|и|және|пен|мен|бен)\s*$", re.IGNORECASE)
_QUOTED = re.compile(r"[«“\"]")
_INTERNATIONAL = cues(
    "turkpa",
    "тюркпа",
    "түркпа",
    "ipa cis",
    "мпа снг",
    "inter-parliamentary union",
    "united nations",
    "оон",
    "бұұ",
    "osce",
    "обсе",
    "csto",
    "одкб",
    "observer",
)
_VENUE = re.compile(
    r"(?:\bat the|\bin the)\s+(?P<venue>(?:[A-Z][\w’'-]*\s*(?:of the\s+)?){1,5}"
    r"(?:Palace|House|Hall|Building|Centre|Center)(?:\s+of the\s+[A-Z]\w+)?)"
    r"|(?:в|во)\s+(?P<ru>[А-ЯЁ]\w+\s+дворце)",
)


@dataclass
class Offered:
    """One suggestion, with the words it came from."""

    ticked: bool
    evidence: str


@dataclass
class OfferedPerson:
    as_written: str
    name: str
    person_id: int | None
    title: str
    organisation: str
    side: str
    ticked: bool
    evidence: str = ""
    how: str = ""  # how a known person was matched
    country: str | None = None


@dataclass
class ReleaseOffer:
    date: dict[str, Any] | None
    posting_date: dt.date | None
    end_date: dt.date | None
    format: dict[str, Any]
    country: dict[str, Any] | None
    place: dict[str, Any] | None
    people: list[OfferedPerson]
    organisations: list[dict[str, Any]]
    documents_signed: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    visit: dict[str, Any] | None
    anniversaries: list[dict[str, Any]]
    subject: str
    language: str = "en"
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("posting_date", "end_date"):
            value = getattr(self, key)
            data[key] = value.isoformat() if value else None
        # The format is a plain value; which event, and the words it came from, beside it.
        data["format"] = self.format["value"]
        data["format_event"] = self.format.get("event") or None
        data["format_evidence"] = self.format.get("evidence") or None
        return _plain(data)

    @property
    def empty(self) -> bool:
        """Whether the text offers nothing to take."""
        return not (self.date or self.people or self.actions or self.documents_signed)

    @property
    def counterpart_ticked(self) -> bool:
        return any(p.ticked and p.side == "counterpart" for p in self.people)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_release(lookup: ReleaseLookup, text: str, as_of: date | None = None) -> ReleaseOffer:
    body = main_text(text)
    language = script_of(body)
    sentences = sentences_of(body)
    lines = [" ".join(line.split()) for line in body.splitlines() if line.strip()]
    days = days_in(body, as_of)
    posted = next((d.day for d in days if d.looks_posted), None)
    posted, meeting_days = _dateline_as_posting(days, lines, posted, body)
    written_year = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", body)
    release_year = (
        posted.year
        if posted
        else meeting_days[0].day.year
        if meeting_days
        else int(written_year.group())
        if written_year
        else (as_of or date.today()).year
    )
    plain = [s for s in sentences if not _QUOTED.match(s)]
    agreed = agreed_actions(sentences)
    agreed_sentences = {a.evidence for a in agreed}
    happening = [s for s in plain if s not in agreed_sentences]

    # An announcement (its headline or lead in the future) is about days ahead of its posting.
    ahead = bool(AHEAD_LEAD.search(" ".join(lines[:1] + happening[:2])))
    date_offer, end = _meeting_day(body, happening, meeting_days, posted, release_year, ahead)
    form = format_of(body)
    country = _country(lookup, body, lines)
    place = _place(lookup, body, lines, happening)
    if form.value == "in_person" and place is not None and place.get("iso") not in (None, "KZ"):
        form = attended_event(happening[:LEAD_SENTENCES], _INTERNATIONAL) or form
    if place is not None and form.value in ("video", "phone"):
        place["ticked"] = False  # where one side sat is no meeting place
    people = _people(lookup, sentences, lines, language, ahead)
    # A new counterpart's title names their country ("Председатель Совета Федерации").
    if country is not None and not country["ticked"]:
        words = next(c for c in lookup.countries() if c.iso == country["iso"])
        titles = " ".join(p.title for p in people if p.ticked and p.side == "counterpart")
        if _mentions(words, titles):
            country["ticked"] = True
    # A known counterpart tells the country when the text's own words leave it open, unless
    # the headline names an international body and no country: its people act for the body.
    names = {c.iso: c.name for c in lookup.countries()}
    headline = headline_of(body) or (lines[0] if lines else "")
    plain_headline = _without_bodies(headline)
    for_a_body = bool(_INTERNATIONAL.search(headline)) and not any(
        _mentions(c, plain_headline)
        for c in _present(lookup.countries(), fold(plain_headline).replace("-", " "))
        if c.iso != "KZ"
    )
    for person in people:
        if person.ticked and person.side == "counterpart" and person.country and not for_a_body:
            if country is None or (not country["ticked"] and country["iso"] == person.country):
                country = {
                    "iso": person.country,
                    "name": names.get(person.country, person.country),
                    "ticked": True,
                    "evidence": N_("{name} is of this country", name=person.as_written),
                }
            break
    documents = [
        {
            "title": d.title,
            "kind": d.kind,
            "ticked": True,
            "evidence": d.evidence,
            "signed_on": date_offer["value"] if date_offer else None,
            "signed_by": [p.name for p in people if p.ticked][:2],
        }
        for d in documents_signed(sentences)
    ]
    actions = [
        {"text": a.text, "ticked": True, "evidence": a.evidence, "due": a.due or None}
        for a in agreed
    ]
    for weak in agreements_in(body, release_year=release_year):
        if weak.text not in agreed_sentences and not SIGNED.search(weak.text):
            actions.append({"text": weak.text, "ticked": False, "evidence": weak.text, "due": None})
    visit = _visit(happening, form.value, place, people, date_offer, end)
    anniversaries = []
    meeting_year = int(date_offer["value"][:4]) if date_offer else release_year
    for found in anniversaries_in(sentences, meeting_year):
        iso = country["iso"] if country else None
        office = lookup.relations_year(iso) if iso else None
        anniversaries.append(
            {
                "kind": found.kind,
                "ordinal": found.ordinal,
                "year": found.year,
                "country": iso,
                "ticked": iso is not None and office in (None, found.year),
                "evidence": found.evidence,
                "office_year": office,
            }
        )
    subject = headline_of(body) or next(
        (line for line in lines if len(re.findall(r"[^\W\d_]{2,}", line)) >= 4), ""
    )
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[:SUBJECT_LENGTH].rsplit(" ", 1)[0] + "…"
    return ReleaseOffer(
        date_offer,
        posted,
        end,
        {"value": form.value, "event": form.event, "evidence": form.evidence},
        country,
        place,
        people,
        _organisations(lookup, body, people),
        documents,
        actions,
        visit,
        anniversaries,
        subject,
        language,
    )


# --- days -------------------------------------------------------------------------------------


def _dateline_as_posting(
    days: list[FoundDay], lines: list[str], posted: date | None, body: str
) -> tuple[date | None, list[FoundDay]]:
    """The days the meeting may have been on, and the posting day: a full day standing alone
    on a line under the headline is the posting's when the text names an earlier day."""
    candidates = [d for d in days if not d.looks_posted]
    if posted is None:
        alone = [d for d in candidates if not d.year_guessed and _alone_on_line(d, lines)]
        for day in alone:
            if any(o.day < day.day and _about_meeting(o, body) for o in candidates if o is not day):
                return day.day, [d for d in candidates if d is not day]
    return posted, candidates


def _alone_on_line(day: FoundDay, lines: list[str]) -> bool:
    return any(
        day.written in line and len(line.replace(day.written, "").split()) <= 1 for line in lines
    )


def _meeting_day(
    body: str,
    happening: list[str],
    days: list[FoundDay],
    posted: date | None,
    year: int,
    ahead: bool = False,
) -> tuple[dict[str, Any] | None, date | None]:
    if posted is not None:
        for sentence in happening[:8]:
            relative = relative_day(sentence, posted)
            if relative is not None:
                end = None
                length = length_in_days(sentence)
                if length:
                    end = relative.day + timedelta(days=length - 1)
                else:  # "the trip ends on 29 March", said elsewhere in the release
                    end = until_day(body, relative.day)
                return _day(relative.day, True, relative.evidence), end
    span = range_of_days(body, year)
    recent = [
        d
        for d in days
        if not d.in_range
        and _about_meeting(d, body, ahead)
        and (
            posted is None
            or posted - REPORTED_WITHIN <= d.day <= posted
            or (ahead and posted < d.day <= posted + REPORTED_WITHIN)
        )
        and (span is None or not span.start <= d.day <= span.end)
    ]
    if span is not None:  # a range with no other day is the meeting's; with one, it is a choice
        return _day(span.start, not recent, span.evidence), span.end
    distinct = sorted({d.day for d in recent})
    if len(distinct) == 1:
        found = next(d for d in recent if d.day == distinct[0])
        end = until_day(body, found.day)
        return _day(found.day, True, _sentence_with(body, found)), end
    if distinct:
        found = recent[0]
        return _day(found.day, False, _sentence_with(body, found)), None
    if posted is not None:
        return _day(posted, False, N_("the day the release was posted")), None
    return None, None


def _sentence_with(body: str, day: FoundDay) -> str:
    """The sentence (or line) a day is written in: the words to show as its evidence."""
    return next((s for s in sentences_of(body) if day.written in s), day.context)


def _about_meeting(day: FoundDay, body: str, ahead: bool = False) -> bool:
    """Whether a day is the meeting's by where it stands: on a line of its own or after the
    city of a dateline ("Astana, April 18"), or in the release's lead (its first sentences),
    about the meeting, not about an event before or ahead (unless the release announces
    what is ahead)."""
    sentences = sentences_of(body)
    for position, sentence in enumerate(sentences + body.splitlines()):
        if day.written in sentence:
            if _OTHER_EVENT.search(sentence):
                return False
            if re.match(r"^[^\W\d_][\w-]*,\s*" + re.escape(day.written), sentence):
                return True
            if (
                position < len(sentences)
                and position >= LEAD_SENTENCES
                and (len(sentence.replace(day.written, "").split()) > 3)
            ):
                return False
            if _DAY_AHEAD.search(sentence) and not ahead:
                return False
            if len(sentence.replace(day.written, "").split()) <= 3:
                return True
            return bool(
                MEETING_CUES.search(sentence)
                or _SESSION.search(sentence)
                or _VISITING.search(sentence)
                or sentence.strip().startswith(day.written)
                or re.match(r"^[A-ZА-ЯЁ-]+[,.]", sentence)
            )
    return True


def _day(day: date, ticked: bool, evidence: str) -> dict[str, Any]:
    return {"value": day.isoformat(), "precision": "day", "ticked": ticked, "evidence": evidence}


# --- country and place ------------------------------------------------------------------------

_WORD_START = r"(?<![^\W\d_])"


@lru_cache(maxsize=512)
def _stems_pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all of a country's words, each at a word's start."""
    return re.compile(_WORD_START + "(?:" + "|".join(re.escape(s) for s in stems) + ")")


def _count(stems: tuple[str, ...], folded: str) -> int:
    return len(_stems_pattern(stems).findall(folded)) if stems else 0


# Some three hundred countries and as many cities are looked for in every text: a name whose
# first letters begin no word of the text is not in it, and its pattern need not run.
_WORD_BEGINNING = re.compile(_WORD_START + r"[^\W\d_]{1,3}")
_LEAD = 3  # letters


@lru_cache(maxsize=256)
def _beginnings(folded: str) -> frozenset[str]:
    """The first one, two and three letters of each word of a folded text."""
    found: set[str] = set()
    for match in _WORD_BEGINNING.finditer(folded):
        word = match.group()
        found.update((word[:1], word[:2], word))
    return frozenset(found)


def _literal_start(pattern: str) -> str:
    """The letters a pattern of escaped words or stems must begin with (at most three)."""
    letters: list[str] = []
    at = 0
    while at < len(pattern) and len(letters) < _LEAD:
        char = pattern[at]
        if char == "\\":
            char = pattern[at + 1 : at + 2]
            at += 1
        if not char.isalpha() or (at + 1 < len(pattern) and pattern[at + 1] in "*+?{"):
            break
        letters.append(char)
        at += 1
    return "".join(letters)


@lru_cache(maxsize=4096)
def _leads(words: CountryWords | CityWords) -> frozenset[str] | None:
    """The letters each of a country's or city's words begins with; None when one of them
    begins with no letter to tell."""
    leads = [_literal_start(re.escape(s)) for s in words.stems]
    leads += [_literal_start(p) for p in words.names]
    return None if not all(leads) else frozenset(leads)


_Words = TypeVar("_Words", CountryWords, CityWords)


def _present(candidates: list[_Words], folded: str) -> list[_Words]:
    """The countries or cities whose words may stand in the folded text (the others cannot)."""
    beginnings = _beginnings(folded)
    return [
        words
        for words in candidates
        if (leads := _leads(words)) is None or not leads.isdisjoint(beginnings)
    ]


@lru_cache(maxsize=1024)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a country's or city's names (``world_words.name_pattern``)."""
    return re.compile(_WORD_START + "(?:" + "|".join(names) + ")") if names else None


def prepare(lookup: ReleaseLookup) -> None:
    """Make the lookup's words for every country and city, and their patterns, now: the
    first release then reads as fast as the next."""
    for country in lookup.countries():
        _count(country.stems, "")
        _names_pattern(country.names)
        _leads(country)
    for city in lookup.cities():
        _names_pattern(city.names)
        _leads(city)
    lookup.person(["Astana Astana"])  # the people look-up's own modules load now too


def _named_at(words: CountryWords | CityWords, text: str, folded: str) -> list[int]:
    """Where a country's or city's names stand in the text, written with a capital."""
    pattern = _names_pattern(words.names)
    if pattern is None:
        return []
    aligned = len(folded) == len(text)
    return [m.start() for m in pattern.finditer(folded) if not aligned or text[m.start()].isupper()]


def _mentions(words: CountryWords, text: str, folded: str | None = None) -> int:
    """How often the text names a country: by its names, adjectives or parliaments
    (``folded``: the text folded, hyphens as spaces, when the caller has it)."""
    folded = fold(text).replace("-", " ") if folded is None else folded
    return _count(words.stems, folded) + len(_named_at(words, text, folded))


def _without_bodies(text: str) -> str:
    """The text without the names of international bodies ("TurkPA" names no Turkey)."""
    return _INTERNATIONAL.sub(lambda found: " " * len(found.group()), text)


def _country(lookup: ReleaseLookup, body: str, lines: list[str]) -> dict[str, Any] | None:
    written_headline = lines[0] if lines else ""
    body = _without_bodies(body)
    headline = _without_bodies(written_headline)
    folded = fold(body).replace("-", " ")
    folded_headline = fold(headline).replace("-", " ")
    scores: list[tuple[int, str, str]] = []
    for country in _present(lookup.countries(), folded):
        if country.iso == "KZ":
            continue
        score = _mentions(country, body, folded) + _mentions(country, headline, folded_headline)
        if score:
            scores.append((score, country.iso, country.name))
    if not scores:
        return None
    scores.sort(reverse=True)
    best = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0
    clear = best[0] >= 2 and best[0] >= 2 * second
    if (
        best[0] < 3
        and _INTERNATIONAL.search(written_headline)
        and not _mentions(next(c for c in lookup.countries() if c.iso == best[1]), headline)
    ):
        clear = False  # an international body's people may come from anywhere
    named = Nn_("named {n} time", "named {n} times", n=best[0])
    return {"iso": best[1], "name": best[2], "ticked": clear, "evidence": named}


def _place(
    lookup: ReleaseLookup, body: str, lines: list[str], happening: list[str]
) -> dict[str, Any] | None:
    cities = lookup.cities()

    def first_city(text: str) -> tuple[int, str, str] | None:
        folded = fold(text)
        found = []
        for city in _present(cities, folded):
            for stem in city.stems:
                for match in re.finditer(_WORD_START + re.escape(stem), folded):
                    if text[match.start()].isupper():
                        found.append((match.start(), city.name, city.iso))
            found += [(at, city.name, city.iso) for at in _named_at(city, text, folded)]
        return min(found) if found else None

    def offered(hit: tuple[int, str, str], evidence: str) -> dict[str, Any]:
        return {"city": hit[1], "venue": venue, "iso": hit[2], "ticked": True, "evidence": evidence}

    venue_match = _VENUE.search(body)
    venue = (venue_match["venue"] or venue_match["ru"]).strip() if venue_match else ""
    for line in lines[:4]:  # a dateline: "ASTANA, September 4." or "Москва, 14 сентября"
        head = re.split(r"[.,]", line, maxsplit=1)[0]
        hit = first_city(head)
        if hit and hit[0] == 0 and len(head.split()) <= 3:
            return offered(hit, line)
        if re.match(r"^\d", line) and len(line.split()) <= 6:
            hit = first_city(line)
            if hit:
                return offered(hit, line)
    for sentence in happening:
        invitation_left_out = _AT_INVITATION.sub(" ", sentence)  # it brought this visit
        if (
            _AHEAD.search(sentence)
            or _INVITED.search(invitation_left_out)
            or NOT_THIS_VISIT.search(invitation_left_out)
            or _OTHER_EVENT.search(sentence)
        ):
            continue  # the city of an event ahead, of an invitation, of a visit being prepared
        if MEETING_CUES.search(sentence) or _VISITING.search(sentence) or _SESSION.search(sentence):
            hit = first_city(sentence)
            if hit:
                return offered(hit, sentence)
    if venue:
        return {"city": None, "venue": venue, "iso": None, "ticked": True, "evidence": venue}
    return None


# --- people -----------------------------------------------------------------------------------


def _people(
    lookup: ReleaseLookup,
    sentences: list[str],
    lines: list[str],
    language: str,
    ahead: bool = False,
) -> list[OfferedPerson]:
    found: dict[str, OfferedPerson] = {}
    order: list[str] = []
    inherited: set[str] = set()  # new people whose side was taken from the name before theirs
    headline = lines[0] if lines else ""
    for sentence in [headline, *sentences]:
        at_meeting = bool(
            (
                MEETING_CUES.search(sentence)
                or _SESSION.search(sentence)
                or _MEMBERS.search(sentence)
                or (
                    _VISITING.search(sentence)
                    and not NOT_THIS_VISIT.search(_AT_INVITATION.sub(" ", sentence))
                )
                or _SIGNING.search(sentence)
                or REMOTE.search(sentence)
            )
            and not IN_PASSING.search(sentence)
            and not _INVITED.search(_AT_INVITATION.sub(" ", sentence))
        )
        # What a report of the past says is planned happens after it (an announcement is
        # about what is planned): the people it names are named in passing.
        planned = None if ahead else _AHEAD.search(sentence)
        previous_side: str | None = None
        previous_end = 0
        spans = names_in(sentence, language)
        singles = _single_words(sentence, spans)
        for name in spans:
            known = lookup.person([name.written, name.nominative])
            before = sentence[max(previous_end, 0) : name.start]
            after = sentence[name.end : name.end + 80]
            joined = bool(_JOINED.match(before)) and previous_side is not None
            speaking = _speaks(sentence, name.end)
            inviting = bool(_AT_INVITATION.search(sentence[max(0, name.start - 70) : name.start]))
            later = _planned_for(planned, name.start, sentence, language)
            present = (at_meeting or speaking) and not inviting and not later
            if known is not None:
                key = f"id:{known.person_id}"
                person = _from_known(known, name.written, sentence, present)
            else:
                if _INSTITUTION_NEXT.match(after):
                    continue  # the title before it is still the next name's
                titled_after = after.startswith(",") and _TITLE_WORDS.search(after[:40])
                if not (_TITLE_WORDS.search(before[-90:]) or titled_after or joined):
                    previous_end = name.end
                    continue
                # "X and Y, Speaker of…": Y's own title decides, else Y is on X's side.
                inherit = joined and not titled_after
                side = (previous_side if inherit else None) or _side(lookup, before[-120:], after)
                key = f"new:{fold(name.nominative)}"
                title, organisation = _title_and_body(
                    title_nominative(_title(before, after), language)
                )
                person = OfferedPerson(
                    name.written,
                    name.nominative,
                    None,
                    title,
                    organisation,
                    side,
                    present,
                    sentence,
                )
                # A side taken from the name before is a guess: the person's own title,
                # wherever the text gives it, decides.
                if inherit:
                    if key not in found:
                        inherited.add(key)
                elif key in inherited and title:
                    inherited.discard(key)
                    earlier = found[key]
                    earlier.side, earlier.title, earlier.organisation = side, title, organisation
            previous_side = person.side
            previous_end = name.end
            _keep(found, order, key, person)
        for word in singles:  # "Koshanov said…": people the text goes on to call by surname
            known = lookup.person_by_last_name(word)
            if known is not None:
                key = f"id:{known.person_id}"
                at = sentence.find(word)
                present = (at_meeting or _speaks(sentence, at + len(word))) and not _planned_for(
                    planned, at, sentence, language
                )
                _keep(found, order, key, _from_known(known, word, sentence, present))
    return [found[key] for key in order]


# A Kazakh sentence ends on its verb: one that says the meeting took place.
_HELD = cues("кездесті", "қабылдады", "жүргізді", "сөйлесті", "талқылады", "қол қойды")


def _planned_for(planned: re.Match[str] | None, at: int, sentence: str, language: str) -> bool:
    """Whether the person named at ``at`` is in what the sentence says is planned: the plan
    comes before the name (English, Russian), or, in Kazakh, no verb says it took place."""
    if planned is None:
        return False
    if language == "kk":
        return not _HELD.search(sentence)
    return planned.start() < at


def _keep(
    found: dict[str, OfferedPerson], order: list[str], key: str, person: OfferedPerson
) -> None:
    if key not in found:
        found[key] = person
        order.append(key)
    elif person.ticked and not found[key].ticked:
        found[key].ticked = True
        found[key].evidence = person.evidence


def _from_known(known: KnownPerson, written: str, sentence: str, present: bool) -> OfferedPerson:
    return OfferedPerson(
        written,
        known.full_name,
        known.person_id,
        "",
        "",
        known.side,
        present,
        sentence,
        known.how or "",
        known.country_iso,
    )


_CAPITAL_WORD = re.compile(r"(?<![^\W\d_])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][^\W\d_]{3,}(?:-[^\W\d_]+)?")


def _single_words(sentence: str, spans: list[Any]) -> list[str]:
    taken = [(s.start, s.end) for s in spans]
    words = []
    for match in _CAPITAL_WORD.finditer(sentence):
        if any(a <= match.start() < b for a, b in taken) or not may_be_surname(match.group()):
            continue
        words.append(match.group())
    return words[:12]


def _speaks(sentence: str, name_end: int) -> bool:
    """Whether the person named just before ``name_end`` says or does something in the
    sentence ("Erol Kaya stressed…", "President Lukashenko thanked…")."""
    following = sentence[name_end : name_end + 40]
    words = following.split()[:5]
    return bool(_SPEECH.search(" ".join(words))) and not following.lstrip().startswith("’s")


def _side(lookup: ReleaseLookup, before: str, after: str) -> str:
    """Ours when the words about the person name our chambers or our country's embassy, not
    another country's parliament."""
    apposition = after[:90] if after.startswith(",") else ""
    # Words after the name tell its title only as an apposition ("X, Ambassador of…"), not
    # when they go on to the next person ("X met Y, Ambassador of…").
    ambassador = _AMBASSADOR.search(before[-60:]) or _AMBASSADOR.search(apposition[:40])
    words = before[-80:] + " " + apposition
    span = fold(words).replace("-", " ")
    foreign = any(
        _mentions(c, words, span) for c in _present(lookup.countries(), span) if c.iso != "KZ"
    )
    ours_named = bool(re.search(r"(?:kazakhstan|казахстан|қазақстан)", span))
    text = (before[-60:] if ambassador else before) + " " + apposition[:60]
    folded = fold(text)
    if ambassador:
        return (
            "ours"
            if re.search(r"(?:kazakhstan|казахстан|қазақстан)", folded[:80])
            and not re.search(
                r"to kazakhstan|в казахстан|в республике казахстан|қазақстандағы", folded
            )
            else "counterpart"
        )
    # The title right before the name ("Федерация Кеңесінің Төрайымы") speaks first.
    title_run = _TITLE_RUN.search(before[-NEAR_TITLE * 2 :])
    near = title_run.group() if title_run else ""
    near_folded = fold(near).replace("-", " ")
    near_foreign = any(
        _mentions(c, near, near_folded)
        for c in _present(lookup.countries(), near_folded)
        if c.iso != "KZ"
    )
    if near_foreign and not _OUR_BODIES.search(near) and not re.search(_KAZAKHSTAN, near_folded):
        return "counterpart"
    if foreign and not ours_named:
        return "counterpart"
    if _OUR_BODIES.search(before[-80:]) or _OUR_BODIES.search(apposition[:50]):
        return "ours"
    return "counterpart"


NEAR_TITLE = 45  # characters before a name: its own title
# The capitalised words just before a name, with the small words inside a title: its title.
_TITLE_RUN = re.compile(
    r"(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w’'-]*[ ,]+(?:(?:of|the|and|for|и|по|на)\s+)*)+"
    r"(?:[^\W\d_]+\s+){0,2}$"  # and its last words: "Мемлекеттік Дума Төрағасының орынбасары"
)
_KAZAKHSTAN = r"(?:kazakhstan|казахстан|қазақстан)"
_LED_BY = re.compile(r"^(?:во\s+)?главе\s+со?\s+|^led\s+by\s+", re.IGNORECASE)


def _title(before: str, after: str) -> str:
    tail = after.lstrip(", ")
    if _TITLE_WORDS.match(tail):
        return re.split(r"[,.;(]", tail, maxsplit=1)[0].strip()
    words = before.split()[-8:]
    for index, word in enumerate(words):
        if _TITLE_WORDS.match(word):
            title = " ".join(words[index:]).strip(" ,")
            return _LED_BY.sub("", title) if _LED_BY.match(title) else title
    return ""


# "Speaker of the National Assembly of Pakistan": the title, and the body it is held in.
_TITLE_IN_BODY = re.compile(
    r"^(?P<title>[^,]+?) of (?:the )?(?P<body>[A-Z][\w’'-]*(?:\s+[\w’'-]+)*)$"
)
_BODIES = cues(
    "assembly",
    "senate",
    "parliament",
    "council",
    "chamber",
    "house",
    "khural",
    "majlis",
    "majilis",
    "mazhilis",
    "duma",
    "kenesh",
    "committee",
    "commission",
    "embassy",
    "union",
    "group",
    "organisation",
    "organization",
    "dewan",
)


def _title_and_body(title: str) -> tuple[str, str]:
    """An English title split into the post and the body it is held in, when it names one
    (the organisation a new person is created with); other titles are kept whole."""
    found = _TITLE_IN_BODY.match(title)
    if found and _BODIES.search(found["body"]):
        post = found["title"].strip()
        return post[:1].upper() + post[1:], found["body"].strip()
    return title, ""


# --- organisations and visit -------------------------------------------------------------------


def _organisations(lookup: Any, body: str, people: list[OfferedPerson]) -> list[dict[str, Any]]:
    """The office's organisations the text names, then bodies new to it that a new person's
    title names (created with that person when taken)."""
    found: list[dict[str, Any]] = []
    store = getattr(lookup, "store", None)
    folded = fold(body)
    for organisation in store.organisations.all() if store is not None else []:
        names = [organisation.name, organisation.short_name or "", *organisation.other_names]
        hit = next((n for n in names if len(n) > 4 and fold(n) in folded), None)
        if hit:
            found.append(
                {
                    "as_written": hit,
                    "name": organisation.name,
                    "id": organisation.id,
                    "ticked": False,
                }
            )
    known = {fold(o["name"]) for o in found} | {fold(o["as_written"]) for o in found}
    for person in people:
        new_body = person.person_id is None and person.organisation
        if new_body and fold(person.organisation) not in known:
            known.add(fold(person.organisation))
            found.append(
                {
                    "as_written": person.organisation,
                    "name": person.organisation,
                    "id": None,
                    "ticked": person.ticked,
                }
            )
    return found


def _visit(
    happening: list[str],
    form: str,
    place: dict[str, Any] | None,
    people: list[OfferedPerson],
    day: dict[str, Any] | None,
    end: date | None,
) -> dict[str, Any] | None:
    if form not in ("in_person", "margins"):  # a delegation's trip is a visit whatever its meetings
        return None
    cue = visit_cue(happening)
    if cue is None:
        return None
    to_us = any(TO_US.search(s) for s in happening if _VISITING.search(s))
    if to_us or (place is not None and place.get("iso") == "KZ"):
        direction = "incoming"
    else:
        direction = "outgoing"
    visiting = "counterpart" if direction == "incoming" else "ours"
    guests = [p.name for p in people if p.ticked and p.side == visiting]
    hosts = [p.name for p in people if p.ticked and p.side != visiting]
    return {
        "direction": direction,
        "head": guests[0] if guests else "",
        "members": guests[1:],
        "host": hosts[0] if hosts else "",
        "start": day["value"] if day else None,
        "end": end.isoformat() if end else None,
        "programme": cue.programme,
        "ticked": True,
        "evidence": cue.evidence,
    }
