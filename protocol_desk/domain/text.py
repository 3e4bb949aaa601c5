"""Text rules shared by search and sorting: case folding and an alphabet-aware sort key."""

from __future__ import annotations

import unicodedata

# Kazakh extends the Russian alphabet; its letters sort right after their nearest Russian letter.
_CYRILLIC_ORDER = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_LATIN_ORDER = "abcdefghijklmnopqrstuvwxyz"
_PRIVATE_USE = 0xE000  # sort positions live in the private-use area, above every real letter

_KEYS: dict[str, str] = {}
for _index, _letter in enumerate(_LATIN_ORDER):
    _KEYS[_letter] = chr(_PRIVATE_USE + _index)
for _index, _letter in enumerate(_CYRILLIC_ORDER):
    _KEYS[_letter] = chr(_PRIVATE_USE + 100 + _index)
_KEYS["ё"] = _KEYS["е"]  # Russian dictionaries file ё with е
# Latin letters that Unicode does not decompose into a base letter and a mark (Polish ł,
# Turkish ı, Norwegian ø…): filed with the letters they are read as.
for _letter, _as in {
    "ł": "l",
    "ı": "i",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ŧ": "t",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
}.items():
    _KEYS[_letter] = "".join(_KEYS[c] for c in _as)


def fold(text: str) -> str:
    """Case-insensitive form for matching names in any script (Kul-Mohammed, КУЛ-МУХАММЕД)."""
    return unicodedata.normalize("NFC", text).casefold()


def sort_key(text: str) -> str:
    """A string whose plain binary order is the dictionary order of ``text``:
    Latin a–z, then Cyrillic with the Kazakh letters in their place (Ә after А, Қ after К…)."""
    folded = fold(text).strip()
    out = []
    for char in folded:
        key = _KEYS.get(char)
        if key is None:
            decomposed = unicodedata.normalize("NFD", char)[0]
            key = _KEYS.get(decomposed, char)
        out.append(key)
    return "".join(out)


def clean(text: str | None) -> str:
    """Trim a single-line field and fold runs of white space."""
    return " ".join((text or "").split())
