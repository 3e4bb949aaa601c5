"""The one matcher for people's names in any spelling: Latin, Russian and Kazakh Cyrillic, the
romanisations in real use, typing slips and the case forms of running text.

Every word of a name is folded to a *key*: the word transliterated to Latin letters
(``anyascii``) and then put through a few folding rules, so that the spellings of one name
meet (Ашимбаев, Ashimbayev, Ashymbaev → ``ashimbaev``). Keys are stored beside every spelling
(``store/people.py``), so finding a name in another script is an index look-up.

The folding rules, in the order they apply:

* Kazakh letters become their nearest Russian letter first (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у,
  ү→у, һ→х, і→и), and ё→е; the Latin š, ž, č, ş, ç become sh, zh, ch, sh, ch;
* everything but the letters a–z and digits goes (apostrophes, soft signs, accents);
* dzh, dj, zh → j; kh → h; gh → g; tch → ch; sch → sh (Jomart / Zhomart, Mukhammed / Muhammed);
* ye → e (Sergeyenko / Sergeenko, Yerlan / Ерлан); yo → e, as ё is е (Yolkin / Ёлкин);
  q → k; w → v; x → ks; ph → f;
* y → i (Ashymbayev / Ashimbaev, Sergey / Sergei, Dmitriy / Dmitrii);
* a letter written twice counts once (Kassym / Kasym, Mukhammed / Mukhamed);
* a word's ending -of is -ov (Rachkof, Rachkoff / Rachkov).

A typed word then finds a stored word by its key (``KEY``), by a key it begins (as the name
is typed), by the base form of a case form (``CASE_FORM``: Russian through ``pymorphy3``'s
dictionary and the surname endings of ``surname_bases``, Kazakh through the suffix rules in
``KAZAKH_ENDINGS``) or, for words of six letters or more, by a key one or two letters away
(``CLOSE``, with ``rapidfuzz``; the store looks for those only among the keys that share the
word's first two or last three letters, never among everyone's). Two surnames that
differ only by the feminine -a (Koshanov, Kochanova) are never close: they name two people;
nor are a surname and a given name (Сергеев, Сергей)."""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from typing import Any

from protocol_desk.domain.messages import N_
from protocol_desk.domain.text import fold

# Bounds that keep any typed or stored text cheap to fold: a name has a few short words.
MAX_TEXT = 400  # characters of a typed text looked at
MAX_WORDS = 8  # words of a typed text matched
MAX_WORD = 40  # letters of one word
MIN_CLOSE = 6  # letters a word needs before a slip of one or two letters is forgiven
MAX_SLIPS = 2
MIN_STEM = 4  # letters a case form's base must keep


class Match(IntEnum):
    """How a typed word met a stored one, best first: the order of the suggestions."""

    SPELLING = 0  # the spelling as stored (case and accents aside)
    KEY = 1  # the same name in another script or romanisation
    CASE_FORM = 2  # an inflected form ("с Сергеем Рачковым", "Матвиенкомен")
    CLOSE = 3  # one or two letters off ("Ashimnayev")


MATCH_WORDS: dict[Match, str] = {
    Match.SPELLING: N_("spelling"),
    Match.KEY: N_("other spelling"),
    Match.CASE_FORM: N_("case form"),
    Match.CLOSE: N_("close spelling"),
}

# A word of a name: letters in any script (and digits, which a few records hold), apostrophes
# inside (O'Brien, G'ulom); a hyphen parts two words (Kul-Mukhammed).
_WORD = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")

_LETTERS = str.maketrans(
    {
        "ё": "е",
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "š": "sh",
        "ž": "zh",
        "č": "ch",
        "ş": "sh",
        "ç": "ch",
    }
)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^a-z0-9]", ""),
        (r"dzh|dj|zh", "j"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"tch", "ch"),
        (r"sch", "sh"),
        (r"ye", "e"),
        (r"yo", "e"),
        (r"q", "k"),
        (r"w", "v"),
        (r"x", "ks"),
        (r"ph", "f"),
        (r"y", "i"),
        (r"(.)\1+", r"\1"),
        (r"of$", "ov"),
    )
)

# Kazakh case endings as keys (the Cyrillic -мен, -ның, -ға … folded as above), longest
# first; then the same after the possessive -ы/-і/-сы/-сі ("Президентінің").
_CASE = (
    "men", "ben", "pen", "nin", "din", "tin", "ga", "ge", "ka", "ke", "da", "de", "ta", "te",
    "di", "ti", "ni", "nan", "nen", "dan", "den", "tan", "ten",
)  # fmt: skip
_POSSESSIVE_CASE = (
    "inin", "sinin", "ina", "ine", "sina", "sine", "in", "sin", "inda", "inde", "sinda",
    "sinde", "inan", "inen", "sinan", "sinen", "imen", "simen", "i", "si",
)  # fmt: skip
KAZAKH_ENDINGS: tuple[str, ...] = tuple(sorted({*_CASE, *_POSSESSIVE_CASE}, key=len, reverse=True))

_FEMININE = re.compile(r"(?:ov|ev|in)a$")
_MASCULINE = re.compile(r"(?:ov|ev|in)$")
_SURNAME = re.compile(r"(?:ov|ev|in)a?$")
_GIVEN = re.compile(r"[aeou]i$")  # Sergei, Andrei, Nikolai: a given name's ending
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def words_of(text: str) -> list[str]:
    """The words of a name or a typed text, at most ``MAX_WORDS`` of ``MAX_WORD`` letters."""
    found = _WORD.findall(unicodedata.normalize("NFC", text[:MAX_TEXT]))
    return [w[:MAX_WORD] for w in found[:MAX_WORDS]]


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The folded form of one word, the same for every spelling of it (module docstring)."""
    # Imported on first use: the window starts without either library.
    from anyascii import anyascii

    text = anyascii(fold(word[:MAX_WORD]).translate(_LETTERS)).lower()
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def name_keys(name: str) -> list[str]:
    """The keys of a name's words, in order (empty words left out)."""
    return [k for k in (word_key(w) for w in words_of(name)) if k]


def name_key(name: str) -> str:
    """One key for a whole name: its words' keys in order, spaced."""
    return " ".join(name_keys(name))


# A Russian surname in -ов/-ев/-ин (and its feminine -ова/-ева/-ина) in a case form, as a key:
# -а, -у, -ым, -е (his), -ой, -ою, -у (hers). Found in Latin transliterations too.
_SURNAME_CASE = re.compile(r"^(.{2,}(?:ov|ev|in))(?:a|u|im|e|oi|oiu)$")


def surname_bases(key: str) -> set[str]:
    """The masculine and feminine bases of a Russian surname's case form
    ("Гафаровой" → gafarov, gafarova; "Рачковым" → rachkov, rachkova)."""
    found = _SURNAME_CASE.match(key)
    if found is None:
        return set()
    return {found.group(1), found.group(1) + "a"}


def kazakh_bases(key: str) -> set[str]:
    """The bases a Kazakh case ending may have been added to (``KAZAKH_ENDINGS``)."""
    bases: set[str] = set()
    for ending in KAZAKH_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= MIN_STEM:
            bases.add(key[: -len(ending)])
    return bases


_morph_lock = threading.Lock()
_morph: Any = None
# Whether a look-up may load the analyser when it needs it. The window turns this off, loads
# it beside the window at start, and reads Russian case forms from then on.
_load_on_demand = True


def load_russian_on_demand(allowed: bool) -> None:
    global _load_on_demand
    _load_on_demand = allowed


def prepare_russian() -> None:
    """Load the Russian analyser now (the window does so beside itself at start)."""
    _analyser()


def russian_analyser() -> Any:
    """The one Russian analyser, loaded on first need: the release reader puts names and
    titles in the nominative with it too."""
    return _analyser()


def _analyser() -> Any:
    """pymorphy3's Russian analyser, with its dictionary from the installed package: loaded
    once, on first need (about half a second), never at start."""
    global _morph
    with _morph_lock:
        if _morph is None:
            import pymorphy3

            _morph = pymorphy3.MorphAnalyzer(lang="ru")
        return _morph


def russian_bases(word: str) -> frozenset[str]:
    """The dictionary forms of a Russian word ("Рачковым" → рачков), as keys."""
    if not _CYRILLIC.search(word) or len(word) < MIN_STEM:
        return frozenset()
    if _morph is None and not _load_on_demand:
        return frozenset()  # not loaded yet: the other rules still apply
    return _russian_bases(word)


@lru_cache(maxsize=16384)
def _russian_bases(word: str) -> frozenset[str]:
    # A name in running text is one person: plural readings ("Сергеев" as "of the Sergeys")
    # are left out.
    forms = {p.normal_form for p in _analyser().parse(fold(word)) if "plur" not in p.tag}
    return frozenset(k for k in (word_key(f) for f in forms) if len(k) >= MIN_STEM)


def quick_bases(key: str) -> set[str]:
    """The case forms' bases found by rules alone, without the Russian dictionary."""
    return (kazakh_bases(key) | surname_bases(key)) - {key}


def case_bases(word: str) -> set[str]:
    """Keys of the forms a word in a case form stands for (without the word's own key)."""
    key = word_key(word)
    bases = kazakh_bases(key) | surname_bases(key) | set(russian_bases(word))
    bases.discard(key)
    return bases


MOST_FORMS = 64  # whole-name keys tried for one run of words (each word's readings combined)


def name_forms(written: str) -> set[str]:
    """The whole-name keys a run of words in running text may stand for: each word as it is
    or as the base of its case form ("Касым-Жомарта Токаева" → kasim jomart tokaev)."""
    options = [[word_key(w), *sorted(case_bases(w))] for w in words_of(written)]
    options = [[o for o in opts if o] for opts in options]
    if not options or not all(options):
        return set()
    return {" ".join(c) for c in itertools.islice(itertools.product(*options), MOST_FORMS)}


def close(typed: str, stored: str) -> bool:
    """Whether two keys are one or two slips apart (letters changed, added, left out or
    swapped), for words of ``MIN_CLOSE`` letters or more. A feminine surname is never a slip
    for the masculine one (Kochanova, Koshanov), nor a surname in -ov/-ev/-in for a given name
    in -ei/-ai/-oi/-ui (Сергеев, Сергей)."""
    if min(len(typed), len(stored)) < MIN_CLOSE:
        return False
    if (_FEMININE.search(typed) and _MASCULINE.search(stored)) or (
        _FEMININE.search(stored) and _MASCULINE.search(typed)
    ):
        return False
    if (_SURNAME.search(typed) and _GIVEN.search(stored)) or (
        _SURNAME.search(stored) and _GIVEN.search(typed)
    ):
        return False  # a surname is not a slip for a given name (Сергеев, Сергей)
    from rapidfuzz.distance import OSA

    return OSA.distance(typed, stored, score_cutoff=MAX_SLIPS) <= MAX_SLIPS


@dataclass(frozen=True)
class TypedWord:
    """One typed word, ready to meet stored keys."""

    text: str
    folded: str  # as the full-text index folds it (case, accents)
    key: str
    prefix: bool  # the last word while typing: it may be only the start of a name

    def bases(self) -> set[str]:
        return case_bases(self.text)


# Words that stand beside a name in running text and are never one: a preposition before a
# case form ("с Сергеем Рачковым"), a conjunction, a form of address ("Mr Ashimbayev").
# Left out of a typed text that has other words, so it reads as the name it holds.
NOT_NAMES = frozenset(
    fold(w)
    for w in (
        *("с", "со", "и", "к", "ко", "у", "о", "об", "от", "при", "для", "между"),
        *("господин", "госпожа", "мен", "және", "мырза", "ханым"),
        *("and", "with", "mr", "mrs", "ms", "dr", "mister", "madam"),
    )
)


def typed_words(text: str, *, as_typed: bool = True) -> list[TypedWord]:
    """The words of a typed text (a search, a name being created). ``as_typed``: the last
    word may still be being typed, so it matches the names it begins too. Words that are
    never a name (``NOT_NAMES``) are left out when the text has others (the last word while
    typing stays: it may be the start of one)."""
    found = [w for w in words_of(text or "") if word_key(w)]
    last = len(found) - 1
    kept = [w for i, w in enumerate(found) if fold(w) not in NOT_NAMES or (as_typed and i == last)]
    if any(fold(w) not in NOT_NAMES for w in kept):
        found = kept
    return [
        TypedWord(w, fold(w), word_key(w), as_typed and i == len(found) - 1)
        for i, w in enumerate(found)
    ]


def word_match(word: TypedWord, stored_word: str, *, thorough: bool = True) -> Match | None:
    """How a typed word meets one stored word (None: not at all)."""
    folded = fold(stored_word)
    if folded == word.folded or (word.prefix and folded.startswith(word.folded)):
        return Match.SPELLING
    key = word_key(stored_word)
    if not key:
        return None
    if key == word.key or (word.prefix and len(word.key) >= 2 and key.startswith(word.key)):
        return Match.KEY
    if not thorough:
        return None
    if key in word.bases():
        return Match.CASE_FORM
    if close(word.key, key):
        return Match.CLOSE
    return None


def spelling_match(words: list[TypedWord], spelling: str, *, thorough: bool = True) -> Match | None:
    """How typed words meet one spelling of a name: every typed word must meet a word of it
    (in any order: "Ашимбаев Маулен"); the worst of their matches. None: it does not."""
    stored = [w for w in words_of(spelling) if word_key(w)]
    if not words or not stored:
        return None
    worst = Match.SPELLING
    for word in words:
        best = None
        for candidate in stored:
            found = word_match(word, candidate, thorough=thorough)
            if found is not None and (best is None or found < best):
                best = found
        if best is None:
            return None
        worst = max(worst, best)
    return worst


def best_spelling(
    words: list[TypedWord], spellings: list[str], *, thorough: bool = True
) -> tuple[Match, str] | None:
    """The spelling the typed words meet best, and how; among equals, one in the script
    typed ("Рачковым" → Сергей Рачков), then the first listed."""
    typed_cyrillic = any(_CYRILLIC.search(w.text) for w in words)
    best: tuple[Match, str] | None = None
    best_rank: tuple[Match, bool] | None = None
    for spelling in spellings:
        found = spelling_match(words, spelling, thorough=thorough)
        if found is None:
            continue
        rank = (found, bool(_CYRILLIC.search(spelling)) != typed_cyrillic)
        if best_rank is None or rank < best_rank:
            best, best_rank = (found, spelling), rank
    return best


def same_name(new: str, spellings: list[str]) -> bool:
    """Whether a name being created names the person with these spellings: every word of it
    meets a word of one spelling and that spelling has no word left over ("Maulen
    Ashimnayev" is Maulen Ashimbayev; "Maulen" alone or "Aidar Ashimbayev" is not)."""
    words = typed_words(new, as_typed=False)
    if not words:
        return False
    for spelling in spellings:
        stored = name_keys(spelling)
        if len(stored) != len(words):
            continue
        if spelling_match(words, spelling) is not None:
            return True
    return False


def word_keys(name: str) -> set[str]:
    """The distinct word keys of a spelling, as the word index stores them."""
    return set(name_keys(name))


MAX_RUNNING_TEXT = 20_000  # characters of running text looked through for a name


def named_in(text: str, spelling: str) -> Match | None:
    """How running text names the person with this spelling, if it does: the whole spelling
    in a row ("с Сергеем Рачковым"), or its last word alone, capitalised, as releases call
    people after the first mention ("Матвиенкомен") — in any script, case form or with a
    slip. The best match found."""
    stored = [w for w in _WORD.findall(spelling[:MAX_TEXT]) if word_key(w)][:MAX_WORDS]
    words = [w for w in _WORD.findall(text[:MAX_RUNNING_TEXT]) if word_key(w)]
    if not stored or not words:
        return None
    best: Match | None = None
    whole = " ".join(stored)
    for start in range(len(words)):
        run = words[start : start + len(stored)]
        if len(run) == len(stored):
            found = spelling_match(typed_words(" ".join(run), as_typed=False), whole)
            if found is not None and (best is None or found < best):
                best = found
        if len(stored) > 1 and words[start][:1].isupper():
            one = typed_words(words[start], as_typed=False)
            found = word_match(one[0], stored[-1]) if one else None
            if found is not None and (best is None or found < best):
                best = found
    return best
