"""The other spellings of a searched word: the words a person, a country or an organisation is
also written with, so that a meetings search for one spelling finds the meetings that hold
another ("Беларусь" finds "Belarus", "Ashimnayev" finds "Ashimbayev" and "Ашимбаев").

Which stored words a typed word stands for is the name matcher's rule (``domain.names``):
its key, a case form's base, or a close spelling of a word of six letters or more. A person
lends the words of their spellings with a matching key; a country or an organisation, which
is one name written in several ways, lends all the one-word names it has (Belarus,
Беларусь, Белоруссия; Majilis, Mazhilis, Мажилис)."""

from __future__ import annotations

import json
import weakref
from collections import defaultdict
from typing import Any

from protocol_desk.domain.names import (
    MIN_CLOSE,
    TypedWord,
    case_bases,
    close,
    typed_words,
    word_key,
    words_of,
)
from protocol_desk.store.search import index_tokens
from protocol_desk.store.sql import Db

MOST_PEOPLE = 20  # people one typed word may lend their spellings to a search
MOST_WORDS = 32  # other spellings added to one typed word


def other_spellings(db: Db, text: str) -> tuple[str, ...]:
    """The words, as the full-text index holds them, that the typed word ``text`` is another
    spelling of (not ``text`` itself)."""
    words = typed_words(text, as_typed=False)
    if len(words) != 1:
        return ()
    word = words[0]
    found: list[str] = []
    for token in [*_people_words(db, word), *_record_words(db, word)]:
        if token != word.folded and token not in found:
            found.append(token)
    return tuple(found[:MOST_WORDS])


def _people_words(db: Db, word: TypedWord) -> list[str]:
    keys = {word.key, *case_bases(word.text)}
    if len(word.key) >= MIN_CLOSE:
        keys |= _close_person_keys(db, word.key)
    marks = ", ".join("?" * len(keys))
    people = [
        int(r[0])
        for r in db.execute(
            f"SELECT DISTINCT person_id FROM person_word WHERE key IN ({marks}) LIMIT ?",
            [*sorted(keys), MOST_PEOPLE],
        )
    ]
    if not people:
        return []
    tokens: list[str] = []
    for (name,) in db.execute(
        f"SELECT name FROM person_name WHERE person_id IN ({', '.join('?' * len(people))})",
        people,
    ):
        for written in words_of(str(name)):
            if word_key(written) in keys:
                tokens.extend(index_tokens(written))
    return tokens


def _close_person_keys(db: Db, key: str) -> set[str]:
    """Stored word keys a slip or two from ``key``, among those that share its first two or
    last three letters (``PersonRepository._close_keys``, the same two indexes)."""
    rows = db.execute(
        "SELECT key FROM person_word WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?"
        " UNION SELECT key FROM person_word WHERE tail >= ? AND tail < ?"
        " AND length(key) BETWEEN ? AND ?",
        [
            key[:2],
            key[:2] + "{",
            len(key) - 2,
            len(key) + 2,
            key[::-1][:3],
            key[::-1][:3] + "{",
            len(key) - 2,
            len(key) + 2,
        ],
    ).fetchall()
    return {str(k) for (k,) in rows if close(key, str(k))}


# The one-word names of the countries and organisations, per open database, with the state of
# the two tables they were read from: read again only when one of them changed.
_ONE_WORD_NAMES: weakref.WeakKeyDictionary[Db, tuple[tuple[Any, ...], dict[str, list[str]]]] = (
    weakref.WeakKeyDictionary()
)


def _record_words(db: Db, word: TypedWord) -> list[str]:
    """A country's or an organisation's one-word names, when the word is one of them."""
    state = tuple(
        db.execute(
            "SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || total(version)"
            " FROM country), (SELECT count(*) || ':' || coalesce(max(id), 0) || ':'"
            " || total(version) FROM organisation)"
        ).fetchone()
    )
    known = _ONE_WORD_NAMES.get(db)
    if known is None or known[0] != state:
        known = (state, _one_word_names(db))
        _ONE_WORD_NAMES[db] = known
    by_key = known[1]
    found: list[str] = []
    for key, tokens in by_key.items():
        if key == word.key or close(word.key, key):
            found.extend(tokens)
    return found


def _one_word_names(db: Db) -> dict[str, list[str]]:
    """For each key of a one-word name of a country or an organisation, the index tokens of
    all the one-word names of the records that have it (read once per change of the file)."""
    records: list[list[str]] = []
    for name, other in db.execute("SELECT name, other_names FROM country"):
        records.append([str(name), *_names(other)])
    for name, short, other in db.execute("SELECT name, short_name, other_names FROM organisation"):
        records.append([str(name), str(short or ""), *_names(other)])
    by_key: defaultdict[str, list[str]] = defaultdict(list)
    for names in records:
        single = [n for n in names if len(words_of(n)) == 1]
        tokens = [t for n in single for t in index_tokens(n)]
        for n in single:
            key = word_key(n)
            if key:
                by_key[key].extend(t for t in tokens if t not in by_key[key])
    return dict(by_key)


def _names(other_names: str | None) -> list[str]:
    try:
        value = json.loads(other_names or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
