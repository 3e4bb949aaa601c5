"""Planning a meetings search: typed words become an FTS5 query that is cheap to evaluate, and
the list's order decides how that query meets the meetings.

The full-text index keys each meeting by its day and then its id (``text_key``, migration
0006), so in the list's default order, by date, a search of many matches is read straight from
the index, newest first, and the first page is its first 200 matches however common the words
(``MeetingRepository._text_stream``).

In any other order (subject, counterpart, city, kind), or to meet a person, an organisation or
a country, ``id IN (SELECT ... MATCH ?)`` would make SQLite collect every match of a word
present in most of a million meetings before it can show the first page. Three plans keep every
query to a few milliseconds or tens of them:

* few matches: collect them and sort them (a handful of rows);
* many: collect them, then walk the list's index and keep the meetings that are in the set;
* most of the table: walk the list's index and ask about each meeting in turn (the full-text
  index, or the meeting's participants); the first page is found after a few hundred questions.

Several sets combined: the smallest leads, and a much bigger one is asked about each of its
meetings rather than collected. How many match is estimated from the newest ten thousand
meetings (the full-text index can count within a range of its keys without reading the rest);
people, organisations and countries are counted in their indexes, up to the point where the
answer no longer changes the plan.

Asking needs each question to be cheap. A prefix query (``"coop"*``) costs a read of every word
it begins on each question, so typed words are turned into exact words first, with the index's
words (kept in a table of their own, migration 0005): ``coop`` becomes
``("coop" OR "cooperation" OR "cooperative")``. Two- and three-letter words use the index's
prefix tables (migration 0002)."""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from protocol_desk.store.sql import Db

T = TypeVar("T")

# A single letter matches nearly everything and tells the list nothing: it is not searched.
MIN_WORD = 2
# Lengths the full-text index keeps prefix tables for (migration 0002: prefix = '2 3').
PREFIX_LENGTHS = frozenset({2, 3})
# A longer word is looked up as the exact words it begins, when there are at most this many.
MAX_EXPANSION = 32

# How many matches decide the plan (see the module's docstring and ``most_for``).
FEW = 3_000
MOST: int | None = None  # fixed instead of computed (the tests use this)
SAMPLE = 10_000  # newest meetings a search's share is estimated on


def most_for(meetings: int, name: str = "text") -> int:
    """From how many meetings on asking about each one beats collecting a set of one word,
    when walking the list's order.

    Collecting costs about a fifth of a microsecond a match. Asking the full-text index about
    one meeting costs more the bigger the index, as its lists get longer to seek in (measured:
    some 40 µs at 100,000 meetings, 130 at a million: about 0.13 × sqrt(meetings) µs), so for
    one word asking wins from about 11 × meetings^¾ matches (62,000 of 100,000; 350,000 of a
    million); ``text_most`` weighs several words. A person's, organisation's or country's
    question costs a few microseconds: 50 × sqrt(meetings)."""
    if MOST is not None:
        return MOST
    if name != "text":
        return max(FEW, int(50 * meetings**0.5))
    return max(FEW, int(11 * meetings**0.75))


def text_most(db: Db, id_set: IdSet, meetings: int) -> int:
    """``most_for`` a search of several words.

    Collecting reads every match of every typed word, however few meetings have them all:
    about 0.2 µs × the sum of the words' own counts. Asking about one meeting seeks once per
    typed word (its alternatives' lists are short beside the common one's): 0.13 ×
    sqrt(meetings) µs each, and a first page of 200 takes 200 / share questions. Asking wins
    from the size where the two meet: 127 × words × meetings^1.5 / (sum of the words' counts).
    For one word that is ``most_for``."""
    if MOST is not None:
        return MOST
    if len(id_set.groups) <= 1 or meetings <= SAMPLE:
        return most_for(meetings, id_set.name)

    def estimate() -> int:
        total = 0
        for group in id_set.groups:
            row = db.execute(
                "SELECT count(*) FROM meeting_fts WHERE meeting_fts MATCH ? AND rowid >= ?",
                [group, sample_floor(db)],
            ).fetchone()
            total += int(row[0]) * meetings // SAMPLE
        most = 127 * len(id_set.groups) * meetings**1.5 / max(total, 1)
        return int(min(max(FEW, most), meetings + 1))

    key = ("most", id_set.groups, meetings)
    return cached(db, key, estimate)


def set_most(db: Db, id_set: IdSet, meetings: int) -> int:
    if id_set.name == "text":
        return text_most(db, id_set, meetings)
    return most_for(meetings, id_set.name)


# Costs in microseconds, for choosing between collecting a set and asking about each meeting
# of a small one: collecting a member (every set's members arrive in order, ``IdSet.kept``),
# and asking about one meeting: per typed word for a search (measured: 15-25 µs at 100,000
# and at a million meetings), a few index reads for a person, organisation or country.
COLLECT_US = 0.2
ASK_US = {"text": 20.0}
ASK_OTHER_US = 3.0


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
        self._conn.execute("CREATE VIRTUAL TABLE words_known USING fts5vocab(words, 'row')")

    def tokens(self, text: str) -> tuple[str, ...]:
        with self._lock:
            self._conn.execute("INSERT INTO words (rowid, text) VALUES (1, ?)", [text])
            try:
                rows = self._conn.execute("SELECT term FROM words_seen ORDER BY offset").fetchall()
            finally:
                self._conn.execute("DELETE FROM words")
        return tuple(str(r[0]) for r in rows)

    def terms(self, text: str) -> list[str]:
        """The distinct words of ``text`` as the index stores them (in no particular order
        of the text: quicker than ``tokens`` for many pages of text)."""
        with self._lock:
            self._conn.execute("INSERT INTO words (rowid, text) VALUES (1, ?)", [text])
            try:
                rows = self._conn.execute("SELECT term FROM words_known").fetchall()
            finally:
                self._conn.execute("DELETE FROM words")
        return [str(r[0]) for r in rows]


_folder: _Folder | None = None


def _the_folder() -> _Folder:
    global _folder
    if _folder is None:
        _folder = _Folder()
    return _folder


@functools.lru_cache(maxsize=4096)
def index_tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the full-text index stores them (case and accents folded)."""
    return _the_folder().tokens(text)


# Text folded at a time when adding words to the vocabulary: a window beside a pull of a
# thousand meetings never waits long for any one step.
_TERMS_AT_A_TIME = 50_000


def add_terms(db: Db, *texts: str) -> None:
    """Add the words of meetings' indexed texts to the search vocabulary (migration 0005)."""
    terms: set[str] = set()
    chunk: list[str] = []
    size = 0
    for text in (*texts, None):
        if text is None or size > _TERMS_AT_A_TIME:
            terms.update(_the_folder().terms(" ".join(chunk)))
            chunk, size = [], 0
        if text:
            chunk.append(text)
            size += len(text)
    db.execute(
        "INSERT OR IGNORE INTO meeting_term (term) SELECT value FROM json_each(?)",
        [json.dumps(sorted(terms), ensure_ascii=False)],
    )


def quote(word: str) -> str:
    """``word`` as an FTS5 string: any character is then just part of the word."""
    return '"' + word.replace('"', '""') + '"'


@dataclass(frozen=True)
class SearchQuery:
    """An FTS5 query for what was typed. ``cheap``: asking whether one given meeting matches is
    quick (no term is a prefix that must read every word it begins)."""

    match: str
    cheap: bool
    # Each typed word's part of ``match``: all are required.
    groups: tuple[str, ...] = ()


def _extensions(db: Db, word: str) -> list[str] | None:
    """The indexed words that begin with ``word`` (without ``word`` itself); None when there
    are too many to list, or the vocabulary cannot be read."""
    try:
        # The words the meetings have had (migration 0005, kept by ``add_terms``): one no
        # meeting has any more only adds a term that matches nothing.
        rows = db.execute(
            "SELECT term FROM meeting_term WHERE term > ? AND term < ? LIMIT ?",
            [word, word + "\U0010ffff", MAX_EXPANSION + 1],
        ).fetchall()
    except sqlite3.Error:
        return None
    if len(rows) > MAX_EXPANSION:
        return None
    return [str(r[0]) for r in rows]


def _version(db: Db) -> tuple[int, int]:
    """Changes when this connection or any other writes to the file."""
    data_version = int(db.execute("PRAGMA data_version").fetchone()[0])
    return (db.conn.total_changes, data_version)


# Recent plans and estimates, per open database: the list asks for the same filter page after
# page, and count() after page(). Keyed on the file's version, so a colleague's new word is
# never missed.
_CACHES: weakref.WeakKeyDictionary[Db, OrderedDict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def cached(db: Db, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, remembered for ``db`` until its data changes (in this or another
    connection)."""
    cache = _CACHES.setdefault(db, OrderedDict())
    key = (*_version(db), *key)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = make()
    cache[key] = value
    while len(cache) > 128:
        cache.popitem(last=False)
    return value


def forget_plans() -> None:
    """Drop every remembered plan and estimate (the benchmark plans each run afresh)."""
    _CACHES.clear()
    index_tokens.cache_clear()


def plan_query(db: Db, text: str) -> SearchQuery | None:
    """Every typed word required, each matching the words it begins; None when nothing
    searchable was typed (only single letters or punctuation)."""
    return cached(db, ("plan", text), lambda: _plan_query(db, text))


def _plan_query(db: Db, text: str) -> SearchQuery | None:
    words: list[str] = []
    for token in index_tokens(text or ""):
        if len(token) >= MIN_WORD and token not in words:
            words.append(token)
    if not words:
        return None
    from protocol_desk.store.spellings import other_spellings  # it reads this module's index

    terms = []
    cheap = True
    for word in words:
        # The same name in another script or romanisation, a case form or a slip: the words
        # of the people, countries and organisations it names (store/spellings.py).
        others = [quote(w) for w in other_spellings(db, word)] if len(word) > 2 else []
        if len(word) in PREFIX_LENGTHS:
            alternatives = [quote(word) + "*"]
        else:
            extensions = _extensions(db, word)
            if extensions is None:
                alternatives = [quote(word) + "*"]
                cheap = False
            else:
                alternatives = [quote(w) for w in [word, *extensions]]
        alternatives += [w for w in others if w not in alternatives]
        if len(alternatives) == 1:
            terms.append(alternatives[0])
        else:
            terms.append("(" + " OR ".join(alternatives) + ")")
    return SearchQuery(" AND ".join(terms), cheap, tuple(terms))


# The full-text index's key for a meeting: its day (as a Julian day number) in the high 32
# bits, its id in the low ones, so the index lists its matches in date order (migration 0006).
ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
_JULIAN_OFFSET = 1_721_424  # SQLite's julianday(d) is date.toordinal() + 1,721,424.5


def key_sql(meeting: str = "m") -> str:
    """The SQL for the full-text key of the meeting whose table alias is ``meeting``."""
    return f"((CAST(julianday({meeting}.date) AS INTEGER) << {ID_BITS}) + {meeting}.id)"


def text_key(day: date, meeting_id: int) -> int:
    """``key_sql`` in Python (for writing in bulk, and bounding a stream)."""
    if not 0 <= meeting_id <= ID_MASK:
        raise ValueError(f"meeting id {meeting_id} does not fit the full-text key")
    return ((day.toordinal() + _JULIAN_OFFSET) << ID_BITS) + meeting_id


def key_day(day: date) -> int:
    """The lowest key of ``day``: every meeting of that day has a key at least this."""
    return (day.toordinal() + _JULIAN_OFFSET) << ID_BITS


MEETING_OF_KEY = f"rowid & {ID_MASK}"

# The ways a search meets the list (module docstring, ``IdSet``); each takes the MATCH parameter.
IN_MATCHES = f"m.id IN (SELECT {MEETING_OF_KEY} FROM meeting_fts WHERE meeting_fts MATCH ?)"
EACH_MATCHES = (
    "EXISTS (SELECT 1 FROM meeting_fts WHERE meeting_fts MATCH ?"
    f" AND meeting_fts.rowid = {key_sql('m')})"
)

KEPT_MATCHES = f"{key_sql('m')} IN (SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ?)"

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
    """A filter that is a set of meeting ids (a search, a person, an organisation, a country).

    ``clause`` keeps the meetings in the set by collecting it once, and can lead a query (it
    finds the meetings by id); ``kept`` collects it in the order it comes in, to keep the
    meetings another set or index leads to (a search's matches come in date order, and
    putting half a million ids in their places costs ten times as much as taking keys as they
    come); ``each`` asks about the meeting at hand instead (better when walking an index
    through a big set); ``members`` lists the set, ``rough`` too but perhaps with repeats
    (quicker, for estimates). All take ``params``."""

    name: str
    clause: str
    each: str
    members: str
    params: list[Any] = field(default_factory=list)
    rough: str = ""
    groups: tuple[str, ...] = ()  # a search's typed words, each required
    kept: str = ""  # empty when it is the same as ``clause``


def person_set(person_id: int) -> IdSet:
    return IdSet(
        "person",
        "m.id IN (SELECT meeting_id FROM participant WHERE person_id = ?)",
        "EXISTS (SELECT 1 FROM participant WHERE meeting_id = m.id AND person_id = ?)",
        "SELECT meeting_id FROM participant WHERE person_id = ?",
        [person_id],
    )


def organisation_set(organisation_id: int) -> IdSet:
    return IdSet(
        "organisation",
        "m.id IN (SELECT meeting_id FROM participant WHERE organisation_id = ?)",
        "EXISTS (SELECT 1 FROM participant WHERE meeting_id = m.id AND organisation_id = ?)",
        # Two participants of one organisation at one meeting: one meeting.
        "SELECT DISTINCT meeting_id FROM participant WHERE organisation_id = ?",
        [organisation_id],
        rough="SELECT meeting_id FROM participant WHERE organisation_id = ?",
    )


def country_set(country_id: int) -> IdSet:
    """Held in that country, or with a counterpart from it (as a set: the union of two
    indexed lists, so it can lead a query where ``country_id = ? OR ...`` could not)."""
    held = "SELECT id FROM meeting WHERE country_id = ?"
    counterparts = (
        "SELECT pa.meeting_id FROM participant pa JOIN person pe ON pe.id = pa.person_id"
        " WHERE pe.country_id = ? AND pa.side = 'counterpart'"
    )
    each = (
        "(m.country_id = ? OR EXISTS (SELECT 1 FROM participant pa JOIN person pe"
        " ON pe.id = pa.person_id WHERE pa.meeting_id = m.id AND pa.side = 'counterpart'"
        " AND pe.country_id = ?))"
    )
    return IdSet(
        "country",
        f"m.id IN ({held} UNION ALL {counterparts})",
        each,
        f"{held} UNION {counterparts}",
        [country_id, country_id],
        rough=f"{held} UNION ALL {counterparts}",
    )


def text_set(query: SearchQuery) -> IdSet:
    return IdSet(
        "text",
        IN_MATCHES,
        EACH_MATCHES,
        f"SELECT {MEETING_OF_KEY} FROM meeting_fts WHERE meeting_fts MATCH ?",
        [query.match],
        groups=query.groups,
        kept=KEPT_MATCHES,
    )


def meetings_estimate(db: Db) -> int:
    """Roughly how many meetings there are, instantly (the highest id)."""
    row = db.execute("SELECT coalesce(max(id), 0) FROM meeting").fetchone()
    return int(row[0])


def sample_floor(db: Db) -> int:
    """The full-text key from which on the newest ``SAMPLE`` live meetings lie: the index
    counts its matches from there without reading the rest."""

    def floor() -> int:
        row = db.execute(
            f"SELECT {key_sql('m')} FROM meeting m INDEXED BY meeting_date"
            " WHERE m.deleted_at IS NULL ORDER BY m.date DESC, m.id DESC LIMIT 1 OFFSET ?",
            [SAMPLE - 1],
        ).fetchone()
        return int(row[0]) if row else 0

    return cached(db, ("floor", SAMPLE), floor)


def size_estimate(db: Db, id_set: IdSet, meetings: int, limit: int) -> int:
    """About how many meetings the set holds, no more than ``limit``: a search's share of the
    newest meetings times all of them; any other set counted in its index up to ``limit``."""

    def estimate() -> int:
        if id_set.name == "text" and meetings > SAMPLE:
            row = db.execute(
                "SELECT count(*) FROM meeting_fts WHERE meeting_fts MATCH ? AND rowid >= ?",
                [*id_set.params, sample_floor(db)],
            ).fetchone()
            return min(limit, int(row[0]) * meetings // SAMPLE)
        members = id_set.rough or id_set.members
        row = db.execute(
            f"SELECT count(*) FROM ({members} LIMIT ?)", [*id_set.params, limit]
        ).fetchone()
        return int(row[0])

    key = ("size", id_set.members, tuple(id_set.params), meetings, limit)
    return cached(db, key, estimate)


@dataclass(frozen=True)
class Plan:
    """How a filter's sets meet the list: ``first`` leads; ``walk``: follow the list's index;
    ``each``: the sets asked about meeting by meeting instead of collected."""

    first: str | None = None
    walk: bool = False
    each: tuple[str, ...] = ()


# A date range of fewer meetings than this is read in the list's order and its meetings asked
# about until a page is full, rather than walking an order the range does not bound (30,000
# ids read and sorted take about 40 ms at a million meetings; the walk 0.25 s).
FEW_IN_DATES = 30_000


def few_in_dates(db: Db, date_from: date | None, date_to: date | None) -> bool:
    """Whether a date range holds fewer live meetings than ``FEW_IN_DATES`` (or ``FEW``, if
    more): asking about each of them beats walking an order that the range does not bound."""
    if date_from is None and date_to is None:
        return False
    clauses, params = ["deleted_at IS NULL"], []
    if date_from is not None:
        clauses.append("date >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        clauses.append("date <= ?")
        params.append(date_to.isoformat())
    row = db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM meeting INDEXED BY meeting_date"
        f" WHERE {' AND '.join(clauses)} LIMIT ?)",
        [*params, max(FEW, FEW_IN_DATES)],
    ).fetchone()
    return int(row[0]) < max(FEW, FEW_IN_DATES)


def choose_plan(db: Db, sets: list[IdSet], cheap: bool) -> Plan:
    """The plan for a page (module docstring). ``cheap``: the search, if any, is quick to ask
    about one meeting."""
    if not sets:
        return Plan()
    meetings = meetings_estimate(db)
    most = {s.name: set_most(db, s, meetings) for s in sets}
    sizes = {s.name: size_estimate(db, s, meetings, most[s.name]) for s in sets}
    first = min(sizes, key=lambda n: sizes[n])
    if sizes[first] < FEW:
        return Plan(first, each=_asked(sets, sizes, first, cheap))
    each = [n for n in sizes if sizes[n] >= most[n] and (cheap or n != "text")]
    return Plan(first, walk=True, each=tuple(each))


def _asked(sets: list[IdSet], sizes: dict[str, int], first: str, cheap: bool) -> tuple[str, ...]:
    """The sets better asked about each meeting of the set ``first`` than collected: a word
    in half a million meetings takes a tenth of a second to collect, a few hundred questions
    a few milliseconds."""
    return tuple(
        s.name
        for s in sets
        if s.name != first
        and (cheap or s.name != "text")
        and sizes[s.name] * COLLECT_US
        > sizes[first] * ASK_US.get(s.name, ASK_OTHER_US) * max(1, len(s.groups))
    )


def count_plan(db: Db, sets: list[IdSet], cheap: bool) -> Plan:
    """How to count the meetings in all of several sets: from the smallest, asking about the
    others when that beats collecting them. ``walk``: the smallest is a big search, better
    read from its own index (a stream) than collected."""
    if not sets:
        return Plan()
    meetings = meetings_estimate(db)
    most = {s.name: set_most(db, s, meetings) for s in sets}
    sizes = {s.name: size_estimate(db, s, meetings, most[s.name]) for s in sets}
    first = min(sizes, key=lambda n: sizes[n])
    walk = first == "text" and sizes[first] >= FEW
    return Plan(first, walk=walk, each=_asked(sets, sizes, first, cheap))


def filter_sets(
    search: SearchQuery | None,
    country_id: int | None,
    person_id: int | None,
    organisation_id: int | None,
) -> list[IdSet]:
    """The id sets of a meetings filter."""
    sets = []
    if search is not None:
        sets.append(text_set(search))
    if country_id is not None:
        sets.append(country_set(country_id))
    if person_id is not None:
        sets.append(person_set(person_id))
    if organisation_id is not None:
        sets.append(organisation_set(organisation_id))
    return sets


# A million list rows hold the same few cities, countries, kinds and days over and over: the
# rows share one object for each instead of a copy apiece (about 200 bytes a row).
list_date = functools.lru_cache(maxsize=1 << 16)(date.fromisoformat)
