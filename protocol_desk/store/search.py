"""Planning a meetings search: typed words become an FTS5 query that is cheap to evaluate, and
the list's order decides how that query meets the meetings.

Why this is not simply ``id IN (SELECT rowid FROM meeting_fts WHERE ... MATCH ?)``: the
full-text index returns meetings in id order while the list shows them in date order, so a word
present in most of a million meetings would make SQLite collect every match before it can show
the first page. Three plans keep every query to a few milliseconds:

* few matches: collect them and sort them (a handful of rows);
* many: collect them, then walk the list's index and keep the meetings that are in the set;
* most of the table: walk the list's index and ask the full-text index about each meeting in
  turn; the first page is found after a few hundred questions.

The last plan needs each question to be cheap. A prefix query (``"coop"*``) costs a read of
every word it begins on each question, so typed words are turned into exact words first, with
the index's own vocabulary: ``coop`` becomes ``("coop" OR "cooperation" OR "cooperative")``.
Two- and three-letter words use the index's prefix tables (migration 0002)."""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

# A single letter matches nearly everything and tells the list nothing: it is not searched.
MIN_WORD = 2
# Lengths the full-text index keeps prefix tables for (migration 0002: prefix = '2 3').
PREFIX_LENGTHS = frozenset({2, 3})
# A longer word is looked up as the exact words it begins, when there are at most this many.
MAX_EXPANSION = 32

# How many matches decide the plan (see the module's docstring).
FEW = 3_000
MOST = 100_000

_TOKENIZER = "unicode61 remove_diacritics 2"  # the same as meeting_fts (schema.py)


class _Folder:
    """Splits and folds typed text exactly as the full-text index does, by asking an FTS5 table
    with the same tokenizer in a private in-memory database (so a read-only store works too)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute(
            f"CREATE VIRTUAL TABLE words USING fts5(text, tokenize = '{_TOKENIZER}')"
        )
        self._conn.execute("CREATE VIRTUAL TABLE words_seen USING fts5vocab(words, 'instance')")

    def tokens(self, text: str) -> tuple[str, ...]:
        with self._lock:
            self._conn.execute("INSERT INTO words (rowid, text) VALUES (1, ?)", [text])
            try:
                rows = self._conn.execute("SELECT term FROM words_seen ORDER BY offset").fetchall()
            finally:
                self._conn.execute("DELETE FROM words")
        return tuple(str(r[0]) for r in rows)


_folder: _Folder | None = None


@functools.lru_cache(maxsize=4096)
def index_tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the full-text index stores them (case and accents folded)."""
    global _folder
    if _folder is None:
        _folder = _Folder()
    return _folder.tokens(text)


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


@dataclass(frozen=True)
class SearchQuery:
    """An FTS5 query for what was typed. ``cheap``: asking whether one given meeting matches is
    quick (no term is a prefix that must read every word it begins)."""

    match: str
    cheap: bool


def _extensions(db: Database, word: str) -> list[str] | None:
    """The indexed words that begin with ``word`` (without ``word`` itself); None when there
    are too many to list, or the vocabulary cannot be read."""
    try:
        rows = db.execute(
            "SELECT term FROM meeting_fts_terms WHERE term > ? AND term < ? LIMIT ?",
            [word, word + "\U0010ffff", MAX_EXPANSION + 1],
        ).fetchall()
    except sqlite3.Error:
        return None
    if len(rows) > MAX_EXPANSION:
        return None
    return [str(r[0]) for r in rows]


def plan_query(db: Database, text: str) -> SearchQuery | None:
    """Every typed word required, each matching the words it begins; None when nothing
    searchable was typed (only single letters or punctuation)."""
    words: list[str] = []
    for token in index_tokens(text or ""):
        if len(token) >= MIN_WORD and token not in words:
            words.append(token)
    if not words:
        return None
    terms = []
    cheap = True
    for word in words:
        if len(word) in PREFIX_LENGTHS:
            terms.append(_quote(word) + "*")
            continue
        extensions = _extensions(db, word)
        if extensions is None:
            terms.append(_quote(word) + "*")
            cheap = False
        elif extensions:
            terms.append("(" + " OR ".join(_quote(w) for w in [word, *extensions]) + ")")
        else:
            terms.append(_quote(word))
    return SearchQuery(" AND ".join(terms), cheap)


def match_count(db: Database, query: SearchQuery) -> int:
    """How many meetings (live or in the bin) match."""
    row = db.execute(
        "SELECT count(*) FROM meeting_fts WHERE meeting_fts MATCH ?", [query.match]
    ).fetchone()
    return int(row[0])


# The three ways a search meets the list (module docstring); each takes the MATCH parameter.
IN_MATCHES = "m.id IN (SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ?)"
EACH_MATCHES = (
    "EXISTS (SELECT 1 FROM meeting_fts WHERE meeting_fts MATCH ? AND meeting_fts.rowid = m.id)"
)

# The index that lists the live meetings in each sortable column's order (schema.py).
SORT_INDEXES = {
    "date": "meeting_date",
    "subject": "meeting_subject",
    "counterpart": "meeting_live_counterpart",
    "city": "meeting_live_city",
    "kind": "meeting_live_kind",
}


@dataclass(frozen=True)
class IdSet:
    """A filter that is a set of meeting ids (a search, a person, an organisation, a country):
    ``clause`` keeps the meetings in it; ``members`` lists them (a query, with ``params``)."""

    name: str
    clause: str
    members: str
    params: list[Any] = field(default_factory=list)


def person_set(person_id: int) -> IdSet:
    return IdSet(
        "person",
        "m.id IN (SELECT meeting_id FROM participant WHERE person_id = ?)",
        "SELECT meeting_id FROM participant WHERE person_id = ?",
        [person_id],
    )


def organisation_set(organisation_id: int) -> IdSet:
    return IdSet(
        "organisation",
        "m.id IN (SELECT meeting_id FROM participant WHERE organisation_id = ?)",
        "SELECT meeting_id FROM participant WHERE organisation_id = ?",
        [organisation_id],
    )


def country_set(country_id: int) -> IdSet:
    """Held in that country, or with a counterpart from it (a union of two indexed lists, so
    it can lead a query where ``country_id = ? OR ...`` could not)."""
    members = (
        "SELECT id FROM meeting WHERE country_id = ?"
        " UNION SELECT pa.meeting_id FROM participant pa JOIN person pe ON pe.id = pa.person_id"
        " WHERE pe.country_id = ? AND pa.side = 'counterpart'"
    )
    return IdSet("country", f"m.id IN ({members})", members, [country_id, country_id])


def text_set(query: SearchQuery, clause: str = IN_MATCHES) -> IdSet:
    return IdSet(
        "text",
        clause,
        "SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ?",
        [query.match],
    )


# Recent size estimates: a plan only needs to know roughly how big a set is, and the list asks
# for the same filter page after page. A stale estimate costs speed, never a wrong row.
_ESTIMATES: OrderedDict[tuple[Any, ...], int] = OrderedDict()


def size_at_least(db: Database, id_set: IdSet, limit: int) -> int:
    """How many ids the set holds, counting no further than ``limit``."""
    key = (id(db), db.conn.total_changes, id_set.members, tuple(id_set.params), limit)
    found = _ESTIMATES.get(key)
    if found is None:
        row = db.execute(
            f"SELECT count(*) FROM ({id_set.members} LIMIT ?)", [*id_set.params, limit]
        ).fetchone()
        found = int(row[0])
        _ESTIMATES[key] = found
        while len(_ESTIMATES) > 64:
            _ESTIMATES.popitem(last=False)
    return found


def filter_sets(
    search: SearchQuery | None,
    country_id: int | None,
    person_id: int | None,
    organisation_id: int | None,
    text_clause: str = IN_MATCHES,
) -> list[IdSet]:
    """The id sets of a meetings filter."""
    sets = []
    if search is not None:
        sets.append(text_set(search, text_clause))
    if country_id is not None:
        sets.append(country_set(country_id))
    if person_id is not None:
        sets.append(person_set(person_id))
    if organisation_id is not None:
        sets.append(organisation_set(organisation_id))
    return sets


def smallest(db: Database, sets: list[IdSet], limit: int) -> tuple[str | None, int]:
    """The set to start from and its size (counted up to ``limit``)."""
    sizes = {s.name: size_at_least(db, s, limit) for s in sets}
    if not sizes:
        return None, limit
    name = min(sizes, key=lambda n: sizes[n])
    return name, sizes[name]
