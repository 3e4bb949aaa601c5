"""Loading many records at once (the benchmark's generated office): the very rows the
repositories write, assigned ids in the same order, inserted in big batches."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from protocol_desk.domain.dates import base_date_to_iso, day_or_year_to_iso
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    Country,
    Meeting,
    Organisation,
    Person,
    PersonName,
    Side,
)
from protocol_desk.domain.names import name_key, word_keys
from protocol_desk.domain.text import fold, sort_key
from protocol_desk.store import action_keys, changelog, due
from protocol_desk.store.actions import ActionRepository
from protocol_desk.store.anniversaries import AnniversaryRepository, derived_uid
from protocol_desk.store.base import _UNLOGGED, TABLES, _as_text, now_iso
from protocol_desk.store.search import key_sql, text_key
from protocol_desk.store.sql import Db

# Parents before children, so every foreign key finds its row when a batch is inserted.
_ORDER = (
    "setting",
    "country",
    "organisation",
    "person",
    "person_name",
    "person_word",
    "position",
    "anniversary",
    "meeting",
    "participant",
    "meeting_source",
    "signed_document",
    "agreed_action",
    "action_status_change",
    "change_log",
    "meeting_fts",
    "person_fts",
)
_LOG_COLUMNS = (
    "id",
    "os_user",
    "table_name",
    "row_uid",
    "operation",
    "field",
    "old_value",
    "new_value",
)
# The tables with an integer id the writer hands out (the setting is keyed by name; the
# full-text rows take their record's id).
_WITH_ID = tuple(
    t for t in _ORDER if t not in ("setting", "person_word") and not t.endswith("_fts")
)
# The tables whose indexes a load builds at its end (``loading``).
_INDEXED = (*_WITH_ID, "person_word")


# The change log's JSON, as ``_as_text`` writes it (``json.dumps(..., ensure_ascii=False)``),
# without building a new encoder for each of a million rows.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


# (table, columns) -> rows waiting to be inserted
Batch = dict[tuple[str, tuple[str, ...]], list[Sequence[Any]]]


class SortKeys:
    """``sort_key`` for a million subjects in a few seconds.

    ``sort_key`` folds the whole text, trims it, then maps each character on its own; so the
    key of a text is the folded text with each character replaced by ``sort_key``'s own key
    for it, which this remembers. A character that folding would change on its own (so the
    shortcut might differ) sends the text to ``sort_key`` itself."""

    def __init__(self) -> None:
        self._table: dict[int, str] = {}
        self._unsafe: set[str] = set()

    def _learn(self, char: str) -> None:
        # "|" never combines with a neighbour, so it isolates the character's own key.
        probe = f"|{char}|"
        if fold(probe) != probe:
            self._unsafe.add(char)
            return
        key = sort_key(probe)
        if len(key) < 2 or key[0] != "|" or key[-1] != "|":
            self._unsafe.add(char)
            return
        self._table[ord(char)] = key[1:-1]

    def __call__(self, text: str) -> str:
        folded = fold(text).strip()
        table = self._table
        for char in set(folded):
            if ord(char) not in table:
                if char not in self._unsafe:
                    self._learn(char)
                if char in self._unsafe:
                    return sort_key(text)
        return folded.translate(table)


class BulkWriter:
    """Writes domain objects as the repositories' ``save`` would: same columns, same derived
    values (sort keys, folded names, the counterpart column, full-text rows, derived
    anniversaries, status history, change log), but batched with ``executemany``.

    Records are not validated here: the caller hands over records that pass validation (the
    tests check that the generator's records save through the repositories unchanged)."""

    def __init__(self, db: Db, user: str) -> None:
        self.db = db
        self.user = user
        self._next: dict[str, int] = {}
        self._pending: Batch = defaultdict(list)
        self.after_others()
        self._names: dict[int, list[str]] = {}
        self._full_names: dict[int, str] = {}
        # The countries already written (the reference data's, the office's), by id.
        self._countries: dict[int, tuple[str, str]] = {
            int(row_id): (str(name), str(other))
            for row_id, name, other in db.execute("SELECT id, name, other_names FROM country")
        }
        # The international bodies the database already holds (the reference data's), by
        # short name: an office meets those, it does not make them again.
        self._bodies = {
            str(short): int(row_id)
            for row_id, short in db.execute(
                "SELECT id, short_name FROM organisation"
                " WHERE country_id IS NULL AND short_name IS NOT NULL"
            )
        }
        self.sort_key = SortKeys()
        # An action's status history as its record gives it (by uid), written instead of
        # the one entry a new action starts with.
        self.histories: dict[str, list[dict[str, Any]]] = {}
        # Full-text rows sorted by key before each batch goes in (records that do not come
        # in date order, as the office sends them; the generator's order is kept as it is).
        self.in_key_order = False
        # When a list: each meeting's indexed texts, for the search vocabulary.
        self.indexed: list[str] | None = None

    # --- plumbing ---------------------------------------------------------------------------
    def after_others(self) -> None:
        """Hand out ids after those of the rows written meanwhile by other code (the
        import's): call with nothing pending."""
        assert not self._pending
        for table in _WITH_ID:
            row = self.db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
            self._next[table] = int(row[0]) + 1

    def next_id(self, table: str) -> int:
        """The id the next record of this table will be given."""
        return self._next[table]

    def _id(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def _add(self, table: str, row: dict[str, Any]) -> None:
        self._pending[(table, tuple(row))].append(tuple(row.values()))

    def _log(
        self,
        table: str,
        uid: str,
        operation: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        self._add(
            "change_log",
            {
                "id": self._id("change_log"),
                "os_user": self.user,
                "table_name": table,
                "row_uid": uid,
                "operation": operation,
                "field": field,
                "old_value": _as_text(old),
                "new_value": _as_text(new),
            },
        )

    def _log_json(self, table: str, uid: str, new_value: str) -> None:
        """A 'create' entry whose new value is already JSON (the common case, made quick)."""
        self._pending[("change_log", _LOG_COLUMNS)].append(
            (self._id("change_log"), self.user, table, uid, "create", None, None, new_value)
        )

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Repository.insert_row: the row, then its 'create' entry in the change log."""
        assert table in TABLES
        row_id = self._id(table)
        self._add(table, {"id": row_id, **row})
        if "uid" in row:
            summary = {k: v for k, v in row.items() if k not in _UNLOGGED and v not in (None, "")}
            self._log_json(table, row["uid"], _encode_json(summary))
        return row_id

    def take(self) -> Batch:
        """The rows added since the last take, for ``write``; the writer starts a new batch."""
        batch, self._pending = self._pending, defaultdict(list)
        return batch

    def write(self, batch: Batch) -> None:
        """Insert a batch on this writer's connection (inside the caller's transaction)."""
        write_batch(self.db.conn, batch, in_key_order=self.in_key_order)

    def flush(self) -> None:
        """Insert everything added since the last flush (inside the caller's transaction)."""
        self.write(self.take())

    # --- records ----------------------------------------------------------------------------
    def setting(self, key: str, value: str) -> None:
        """SettingRepository.set on an empty setting."""
        self._add("setting", {"key": key, "value": value})
        self._log("setting", key, "create", key, None, value)

    def _derived(
        self,
        derived_from: str,
        kind: AnniversaryKind,
        title: str,
        base: Any,
        *,
        country_id: int | None = None,
        organisation_id: int | None = None,
        person_id: int | None = None,
        provenance: str = "",
    ) -> None:
        """AnniversaryRepository.sync_derived for a record that has no anniversary yet."""
        if base is None:
            return
        anniversary = Anniversary(
            kind=kind,
            title=title,
            base_date=base,
            country_id=country_id,
            organisation_id=organisation_id,
            person_id=person_id,
            provenance=provenance,
            uid=derived_uid(derived_from),
        )
        row = AnniversaryRepository._row(anniversary)
        self._insert("anniversary", {"uid": anniversary.uid, "derived_from": derived_from, **row})

    def country(self, country: Country) -> int:
        row: dict[str, Any] = {
            "name": country.name.strip(),
            "sort_key": self.sort_key(country.name),
            "iso_code": country.iso_code.upper() if country.iso_code else None,
            "other_names": json.dumps(country.other_names, ensure_ascii=False),
            "capital": country.capital.strip(),
            "relations_established": day_or_year_to_iso(country.relations_established),
            "national_day": base_date_to_iso(country.national_day),
            "national_day_name": country.national_day_name,
            "notes": country.notes,
            "provenance": country.provenance,
        }
        country.id = self._insert("country", {"uid": country.uid, **row})
        country.version = 1
        self._countries[country.id] = (row["name"], row["other_names"])
        self._derived(
            f"country:{country.uid}:relations",
            AnniversaryKind.DIPLOMATIC_RELATIONS,
            f"Diplomatic relations with {country.name}",
            # A year alone has no day to fall on (as ``CountryRepository``).
            country.relations_established
            if isinstance(country.relations_established, date)
            else None,
            country_id=country.id,
            provenance=country.provenance,
        )
        self._derived(
            f"country:{country.uid}:national_day",
            AnniversaryKind.NATIONAL_DAY,
            f"{country.national_day_name or 'National day'} of {country.name}",
            country.national_day,
            country_id=country.id,
            provenance=country.provenance,
        )
        return country.id

    def international_body(self, short_name: str) -> int | None:
        return self._bodies.get(short_name)

    def organisation(self, organisation: Organisation) -> int:
        row = {
            "name": organisation.name.strip(),
            "sort_key": self.sort_key(organisation.name),
            "short_name": organisation.short_name,
            "other_names": json.dumps(organisation.other_names, ensure_ascii=False),
            "kind": organisation.kind.value,
            "country_id": organisation.country_id,
            "parent_id": organisation.parent_id,
            "founded_on": base_date_to_iso(organisation.founded_on),
            "notes": organisation.notes,
            "provenance": organisation.provenance,
        }
        organisation.id = self._insert("organisation", {"uid": organisation.uid, **row})
        organisation.version = 1
        self._derived(
            f"organisation:{organisation.uid}:founding",
            AnniversaryKind.FOUNDING,
            f"Founding of {organisation.name}",
            organisation.founded_on,
            organisation_id=organisation.id,
            provenance=organisation.provenance,
        )
        return organisation.id

    def person(self, person: Person) -> int:
        row: dict[str, Any] = {
            "full_name": person.full_name.strip(),
            "sort_key": self.sort_key(person.full_name),
            "side": person.side.value,
            "form_of_address": person.form_of_address,
            "country_id": person.country_id,
            "birth_date": base_date_to_iso(person.birth_date),
            "notes": person.notes,
            "provenance": person.provenance,
        }
        person_id = self._insert("person", {"uid": person.uid, **row})
        person.id = person_id
        person.version = 1
        names: list[str] = []
        for ordinal, variant in enumerate([PersonName(person.full_name.strip()), *person.variants]):
            name, note = variant.name.strip(), variant.note
            if name in names:
                continue
            names.append(name)
            self._add(
                "person_name",
                {
                    "id": self._id("person_name"),
                    "person_id": person_id,
                    "name": name,
                    "name_key": fold(name),
                    "note": note,
                    "ordinal": ordinal,
                    "spelling_key": name_key(name),
                    "misprint": int(variant.misprint),
                },
            )
        for key in sorted({k for name in names for k in word_keys(name)}):
            self._add("person_word", {"key": key, "person_id": person_id, "tail": key[::-1]})
        titles: list[str] = []
        for position in person.positions:
            position.id = self._insert(
                "position",
                {
                    "uid": position.uid,
                    "person_id": person_id,
                    "organisation_id": position.organisation_id,
                    "title": position.title.strip(),
                    "start_date": position.start.isoformat() if position.start else None,
                    "end_date": position.end.isoformat() if position.end else None,
                    "provenance": position.provenance,
                },
            )
            titles.append(position.title.strip())
        self._add(
            "person_fts",
            {"id": person_id, "names": " ".join(names), "titles": " ".join(titles)},
        )
        self._names[person_id] = names
        self._full_names[person_id] = row["full_name"]
        self._derived(
            f"person:{person.uid}:birthday",
            AnniversaryKind.BIRTHDAY,
            f"Birthday of {person.full_name}",
            person.birth_date,
            person_id=person_id,
            provenance=person.provenance,
        )
        return person_id

    def anniversary(self, anniversary: Anniversary) -> int:
        row = AnniversaryRepository._row(anniversary)
        anniversary.id = self._insert("anniversary", {"uid": anniversary.uid, **row})
        anniversary.version = 1
        return anniversary.id

    def _action(self, action: AgreedAction, ordinal: int) -> None:
        action.id = self._insert(
            "agreed_action",
            {
                "uid": action.uid,
                **ActionRepository._row(action, ordinal, self.sort_key),
                # One that follows an anniversary is worked out at the end of the load.
                "due_on": action.due.isoformat() if action.due else None,
            },
        )
        action.version = 1
        history = self.histories.pop(action.uid, None)
        if history is not None:
            # ActionRepository.replace_history: the history the record came with.
            for entry in history:
                self._add(
                    "action_status_change",
                    {"id": self._id("action_status_change"), "action_id": action.id, **entry},
                )
            return
        self._add(
            "action_status_change",
            {
                "id": self._id("action_status_change"),
                "action_id": action.id,
                "changed_at": now_iso(),
                "old_status": None,
                "new_status": action.status.value,
                "meeting_id": action.fulfilled_meeting_id,
                "note": action.outcome if action.status is ActionStatus.DONE else "",
            },
        )

    def _person_names(self, person_id: int) -> list[str]:
        names = self._names.get(person_id)
        if names is None:
            names = [
                str(r[0])
                for r in self.db.execute(
                    "SELECT name FROM person_name WHERE person_id = ? ORDER BY ordinal, id",
                    [person_id],
                )
            ]
        return names

    def _full_name(self, person_id: int) -> str:
        name = self._full_names.get(person_id)
        if name is None:
            row = self.db.execute(
                "SELECT full_name FROM person WHERE id = ?", [person_id]
            ).fetchone()
            name = str(row[0]) if row else ""
        return name

    def _country_names(self, country_id: int | None) -> tuple[str, ...]:
        if country_id is None:
            return ()
        names = self._countries.get(country_id)
        if names is None:
            row = self.db.execute(
                "SELECT name, other_names FROM country WHERE id = ?", [country_id]
            ).fetchone()
            if row is None:
                return ()
            names = (str(row[0]), str(row[1]))
            self._countries[country_id] = names
        return names

    def meeting(self, meeting: Meeting) -> int:
        """MeetingRepository.save of a new meeting with its participants, sources, documents
        signed and actions."""
        counterpart = "; ".join(
            p.person_name or self._full_name(p.person_id)
            for p in meeting.participants
            if p.side is Side.COUNTERPART
        )
        row: dict[str, Any] = {
            "date": meeting.date.isoformat(),
            "date_precision": meeting.precision.value,
            "time": meeting.time or None,
            "venue": meeting.venue.strip(),
            "city": meeting.city.strip(),
            "country_id": meeting.country_id,
            "format": meeting.format.value,
            "occasion": meeting.occasion.strip(),
            "kind": meeting.kind.strip(),
            "subject": meeting.subject.strip(),
            "subject_sort": self.sort_key(meeting.subject),
            "summary": meeting.summary,
            "topics": json.dumps(meeting.topics, ensure_ascii=False),
            "delegation_id": meeting.delegation_id,
            "confidentiality": meeting.confidentiality.value,
            "counterpart": counterpart,
            "counterpart_sort": self.sort_key(counterpart),
            "city_sort": self.sort_key(meeting.city),
            "kind_sort": self.sort_key(meeting.kind),
            "provenance": meeting.provenance,
        }
        meeting_id = self._insert("meeting", {"uid": meeting.uid, **row})
        meeting.id = meeting_id
        meeting.version = 1
        for ordinal, p in enumerate(meeting.participants):
            self._add(
                "participant",
                {
                    "id": self._id("participant"),
                    "meeting_id": meeting_id,
                    "person_id": p.person_id,
                    "side": p.side.value,
                    "role": p.role,
                    "title": p.title,
                    "organisation_id": p.organisation_id,
                    "ordinal": ordinal,
                },
            )
        source_words: list[str] = []
        for ordinal, source in enumerate(meeting.sources):
            source_row: dict[str, Any] = {
                "meeting_id": meeting_id,
                "publisher": source.publisher.strip(),
                "url": source.url.strip(),
                "published_on": source.published_on.isoformat() if source.published_on else None,
                "title": source.title.strip(),
                "text": source.text,
                "document": source.document,
                "ordinal": ordinal,
            }
            source.id = self._insert("meeting_source", {"uid": source.uid, **source_row})
            source_words.append(
                " ".join(
                    [
                        source_row["publisher"],
                        source_row["url"],
                        source_row["title"],
                        source_row["document"],
                        source_row["text"],
                    ]
                )
            )
        for ordinal, document in enumerate(meeting.documents):
            document.id = self._insert(
                "signed_document",
                {
                    "uid": document.uid,
                    "meeting_id": meeting_id,
                    "title": document.title.strip(),
                    "kind": document.kind.value,
                    "signed_on": document.signed_on.isoformat() if document.signed_on else None,
                    "signed_by": json.dumps(document.signed_by, ensure_ascii=False),
                    "ordinal": ordinal,
                },
            )
            source_words.append(f"{document.title.strip()} {document.kind.value}")
        for ordinal, action in enumerate(meeting.actions):
            action.meeting_id = meeting_id
            self._action(action, ordinal)
        # MeetingRepository.reindex
        names = [n for p in meeting.participants for n in self._person_names(p.person_id)]
        titles = [p.title for p in meeting.participants]
        places = " ".join(
            filter(
                None,
                [
                    row["venue"],
                    row["city"],
                    row["occasion"],
                    *self._country_names(meeting.country_id),
                ],
            )
        )
        texts = {
            "subject": row["subject"],
            "summary": row["summary"],
            "places": places,
            "names": " ".join(names + titles),
            "sources": " ".join(source_words),
            "topics": " ".join(meeting.topics),
        }
        self._add("meeting_fts", {"id": text_key(meeting.date, meeting_id), **texts})
        if self.indexed is not None:
            self.indexed.extend(texts.values())
        return meeting_id


def write_batch(conn: sqlite3.Connection, batch: Batch, *, in_key_order: bool = False) -> None:
    """Insert a batch taken from a ``BulkWriter``, parents first (inside the caller's
    transaction). Any connection to the file will do: the generator writes from another
    process while it builds the next batch."""
    rank = {table: number for number, table in enumerate(_ORDER)}
    for (table, columns), rows in sorted(batch.items(), key=lambda i: rank[i[0][0]]):
        assert table in TABLES or table in {"meeting_fts", "person_fts", "person_word"}
        if table == "change_log":
            # Chained to the entries already there, in the order they were logged (their ids
            # follow on from the last one's).
            assert columns == _LOG_COLUMNS
            changelog.append_many(conn, (row[1:] for row in rows))
            continue
        if table.endswith("_fts"):
            columns = ("rowid", *columns[1:])
            if in_key_order:
                # FTS5 writes out what it holds whenever a rowid comes below the one before:
                # rows in their keys' order are one write, not one for every row out of order.
                rows = sorted(rows, key=lambda row: row[0])
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            rows,
        )


def keep_actions_written_from(conn: sqlite3.Connection, first_id: int) -> None:
    """What the store keeps about the agreed actions written in bulk from ``first_id`` on: the
    due date of those due on an anniversary, and every one's keys from its meeting (inside
    the caller's transaction)."""
    due.refresh(conn, "a.id >= ? AND a.due_anniversary_id IS NOT NULL", [first_id])
    action_keys.refresh(conn, "a.id >= ?", [first_id])


def fill_search_vocabulary(conn: sqlite3.Connection) -> None:
    """The words of the meetings written in bulk, into the search vocabulary (migration
    0005), read once from the full-text index (inside the caller's transaction)."""
    conn.execute("INSERT OR IGNORE INTO meeting_term (term) SELECT term FROM meeting_fts_terms")


@contextlib.contextmanager
def loading(conn: sqlite3.Connection) -> Iterator[None]:
    """Settings for a one-off load into a new file: no fsync per commit, a big page cache, and
    the tables' own indexes built once at the end (sorting a million keys once is far quicker
    than inserting them one by one). A crash during the load leaves a file to delete, not an
    office's data, so durability is traded for speed here only. The indexes are created again
    from their own definitions, so the file ends exactly as the schema made it."""
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    try:
        with indexes_built_at_the_end(conn):
            yield
    finally:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA journal_mode = WAL")


@contextlib.contextmanager
def indexes_built_at_the_end(conn: sqlite3.Connection) -> Iterator[None]:
    """A big page cache, and the tables' own indexes dropped and built again once the rows
    are in. Inside one transaction (a desk joining the office) a failure or a crash undoes
    the drops with everything else, so the file never lacks an index."""
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB
    marks = ", ".join("?" * len(_INDEXED))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY rowid",
        list(_INDEXED),
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    try:
        yield
        for _name, sql in indexes:
            conn.execute(sql)
    finally:
        conn.execute("PRAGMA cache_size = -2000")


# --- reading, for the benchmark and its checks -------------------------------------------------
def raw_fts_rowids(db: Db, match: str, limit: int) -> list[int]:
    """The plainest FTS5 query: the first ``limit`` rowids matching, in the index's own order."""
    rows = db.execute(
        "SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ? LIMIT ?", [match, limit]
    ).fetchall()
    return [int(r[0]) for r in rows]


def raw_fts_count(db: Db, match: str) -> int:
    row = db.execute(
        "SELECT count(*) FROM meeting_fts WHERE meeting_fts MATCH ?", [match]
    ).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class BenchSubjects:
    """What the benchmark filters the meetings list by: the busiest person, a small country,
    the busiest foreign country (the most meetings but one: ours is the first) and the busiest
    organisation (ids)."""

    person: int
    small_country: int
    busy_country: int
    organisation: int


def bench_subjects(db: Db) -> BenchSubjects:
    def one(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0])

    by_country = (
        "SELECT country_id FROM meeting WHERE country_id IS NOT NULL"
        " GROUP BY country_id ORDER BY count(*)"
    )
    return BenchSubjects(
        person=one(
            "SELECT person_id FROM participant GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
        ),
        small_country=one(f"{by_country} LIMIT 1 OFFSET 3"),
        busy_country=one(f"{by_country} DESC LIMIT 1 OFFSET 1"),
        organisation=one(
            "SELECT organisation_id FROM participant WHERE organisation_id IS NOT NULL"
            " GROUP BY organisation_id ORDER BY count(*) DESC LIMIT 1"
        ),
    )


def bench_spellings(db: Db) -> list[str]:
    """The spellings of the busiest counterpart who is written in two scripts (the names the
    benchmark types in another script, with a typo and in a case form)."""
    row = db.execute(
        "SELECT pa.person_id FROM participant pa WHERE pa.side = 'counterpart'"
        " AND (SELECT count(*) FROM person_name n WHERE n.person_id = pa.person_id) > 1"
        " GROUP BY pa.person_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return []
    return [
        str(r[0])
        for r in db.execute(
            "SELECT name FROM person_name WHERE person_id = ? ORDER BY ordinal", [row[0]]
        )
    ]


def raw_anniversaries(db: Db) -> list[tuple[Any, ...]]:
    """The live anniversaries' dates, read plainly (the upcoming view's baseline)."""
    return db.execute(
        "SELECT id, base_date, base_month_day FROM anniversary WHERE deleted_at IS NULL"
    ).fetchall()


def table_counts(db: Db) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in (
        "country",
        "organisation",
        "person",
        "anniversary",
        "meeting",
        "participant",
        "meeting_source",
        "agreed_action",
        "change_log",
    ):
        counts[table] = int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return counts


def integrity_problems(db: Db) -> list[str]:
    """What ``PRAGMA integrity_check`` and ``foreign_key_check`` report; empty when sound."""
    problems = [str(r[0]) for r in db.execute("PRAGMA integrity_check").fetchall()]
    problems = [p for p in problems if p != "ok"]
    problems += [
        f"foreign key: {tuple(r)}" for r in db.execute("PRAGMA foreign_key_check").fetchall()
    ]
    fts = db.execute(
        "SELECT (SELECT count(*) FROM meeting) - (SELECT count(*) FROM meeting_fts),"
        " (SELECT count(*) FROM person) - (SELECT count(*) FROM person_fts)"
    ).fetchone()
    if fts[0] or fts[1]:
        problems.append(f"full-text rows missing: meetings {fts[0]}, people {fts[1]}")
    # Each meeting's words under the key of its date (search.key_sql).
    unkeyed = db.execute(
        "SELECT count(*) FROM meeting m WHERE NOT EXISTS"
        f" (SELECT 1 FROM meeting_fts WHERE meeting_fts.rowid = {key_sql('m')})"
    ).fetchone()[0]
    if unkeyed:
        problems.append(f"meetings not under their date's key in the full-text index: {unkeyed}")
    # Kept sort keys (migration 0007) equal to what their texts give.
    unsorted = db.execute(
        "SELECT count(*) FROM meeting WHERE counterpart_sort IS NOT pd_sort_key(counterpart)"
        " OR city_sort IS NOT pd_sort_key(city) OR kind_sort IS NOT pd_sort_key(kind)"
    ).fetchone()[0]
    if unsorted:
        problems.append(f"meetings with out-of-date sort keys: {unsorted}")
    if stale := action_keys.stale_count(db.conn):
        problems.append(f"agreed actions with out-of-date keys from their meetings: {stale}")
    for name in ("meeting_fts", "person_fts"):
        try:
            db.execute(f"INSERT INTO {name} ({name}) VALUES ('integrity-check')")
        except Exception as error:  # the FTS5 check raises on a damaged index
            problems.append(f"{name}: {error}")
    return problems


def overdue_actions(db: Db, as_of: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Open or in-progress actions due before ``as_of``, oldest first (the store's plain
    query, used by the benchmark when no actions service is installed)."""
    rows = db.execute(
        "SELECT a.id, a.text, a.owner, a.due_on, a.status, a.meeting_id"
        " FROM agreed_action a WHERE a.status IN ('open', 'in_progress') AND a.due_on < ?"
        " ORDER BY a.due_on, a.id" + (" LIMIT ?" if limit else ""),
        [as_of, limit] if limit else [as_of],
    )
    columns = ["id", "text", "owner", "due_on", "status", "meeting_id"]
    return [dict(zip(columns, r, strict=True)) for r in rows]
