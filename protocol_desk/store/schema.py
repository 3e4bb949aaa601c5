"""Versioned schema migrations (sqlite-utils ``Migrations``): each runs once, in one
transaction, in order. ``versions`` names them, for the check made on every start."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

from protocol_desk.domain.names import name_key, word_keys
from protocol_desk.domain.text import sort_key
from protocol_desk.store.due import anniversary_due
from protocol_desk.store.versions import APPLICATION_ID, MIGRATION_SET

migrations = Migrations(MIGRATION_SET)


def run_script(db: Database, script: str) -> None:
    """Run several statements inside the caller's transaction
    (``executescript`` would commit first, breaking the migration's atomicity)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement[:80]}")


# Every record the office edits carries these: a stable uid for import/export and a version
# that turns a lost update into a visible conflict.
_RECORD = """
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    provenance TEXT NOT NULL DEFAULT ''
"""


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    run_script(
        db,
        f"""
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE country (
            {_RECORD},
            name TEXT NOT NULL,
            sort_key TEXT NOT NULL,
            iso_code TEXT UNIQUE,
            other_names TEXT NOT NULL DEFAULT '[]',
            relations_established TEXT,
            national_day TEXT,
            national_day_name TEXT,
            notes TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE organisation (
            {_RECORD},
            name TEXT NOT NULL,
            sort_key TEXT NOT NULL,
            short_name TEXT,
            other_names TEXT NOT NULL DEFAULT '[]',
            kind TEXT NOT NULL,
            country_id INTEGER REFERENCES country(id) ON DELETE RESTRICT,
            parent_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
            founded_on TEXT,
            notes TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX organisation_country ON organisation(country_id);
        CREATE INDEX organisation_parent ON organisation(parent_id);

        CREATE TABLE person (
            {_RECORD},
            full_name TEXT NOT NULL,
            sort_key TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('ours', 'counterpart')),
            form_of_address TEXT NOT NULL DEFAULT '',
            country_id INTEGER REFERENCES country(id) ON DELETE RESTRICT,
            birth_date TEXT,
            photo BLOB,
            notes TEXT NOT NULL DEFAULT '',
            merged_into_id INTEGER REFERENCES person(id) ON DELETE RESTRICT
        );
        CREATE INDEX person_sort ON person(sort_key);
        CREATE INDEX person_country ON person(country_id);

        -- every spelling of a name, in any script; name_key is the case-folded form for look-up
        CREATE TABLE person_name (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            ordinal INTEGER NOT NULL DEFAULT 0,
            UNIQUE (person_id, name)
        );
        CREATE INDEX person_name_key ON person_name(name_key);

        CREATE TABLE position (
            {_RECORD},
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            organisation_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
            title TEXT NOT NULL,
            start_date TEXT,
            end_date TEXT,
            CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
        );
        CREATE INDEX position_person ON position(person_id);
        CREATE INDEX position_organisation ON position(organisation_id);

        CREATE TABLE delegation (
            {_RECORD},
            title TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'multilateral')),
            country_id INTEGER REFERENCES country(id) ON DELETE RESTRICT,
            organisation_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
            head_person_id INTEGER REFERENCES person(id) ON DELETE RESTRICT,
            start_date TEXT NOT NULL,
            end_date TEXT,
            city TEXT NOT NULL DEFAULT '',
            purpose TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('planned', 'confirmed', 'done', 'cancelled')),
            notes TEXT NOT NULL DEFAULT '',
            deleted_at TEXT,
            CHECK (end_date IS NULL OR end_date >= start_date)
        );
        CREATE INDEX delegation_start ON delegation(start_date);

        CREATE TABLE delegation_member (
            id INTEGER PRIMARY KEY,
            delegation_id INTEGER NOT NULL REFERENCES delegation(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            role TEXT NOT NULL DEFAULT '',
            ordinal INTEGER NOT NULL DEFAULT 0,
            UNIQUE (delegation_id, person_id)
        );
        CREATE INDEX delegation_member_person ON delegation_member(person_id);

        -- the visit's programme: its meetings and other items (arrival, wreath laying, site visit)
        CREATE TABLE programme_item (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            delegation_id INTEGER NOT NULL REFERENCES delegation(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            time TEXT,
            title TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            meeting_id INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
            notes TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX programme_item_delegation ON programme_item(delegation_id, day, time);

        CREATE TABLE meeting (
            {_RECORD},
            date TEXT NOT NULL,
            date_precision TEXT NOT NULL DEFAULT 'day'
                CHECK (date_precision IN ('day', 'month', 'year')),
            time TEXT,
            venue TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '',
            country_id INTEGER REFERENCES country(id) ON DELETE RESTRICT,
            format TEXT NOT NULL DEFAULT 'in_person'
                CHECK (format IN ('in_person', 'video', 'phone', 'margins')),
            occasion TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL,
            subject_sort TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            topics TEXT NOT NULL DEFAULT '[]',
            delegation_id INTEGER REFERENCES delegation(id) ON DELETE RESTRICT,
            confidentiality TEXT NOT NULL DEFAULT 'public'
                CHECK (confidentiality IN ('public', 'internal', 'restricted')),
            counterpart TEXT NOT NULL DEFAULT '',
            deleted_at TEXT
        );
        CREATE INDEX meeting_date ON meeting(date DESC, id DESC) WHERE deleted_at IS NULL;
        CREATE INDEX meeting_subject ON meeting(subject_sort) WHERE deleted_at IS NULL;
        CREATE INDEX meeting_country ON meeting(country_id, date);
        CREATE INDEX meeting_delegation ON meeting(delegation_id);
        CREATE INDEX meeting_kind ON meeting(kind, date);

        CREATE TABLE participant (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            side TEXT NOT NULL CHECK (side IN ('ours', 'counterpart')),
            role TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            organisation_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
            ordinal INTEGER NOT NULL DEFAULT 0,
            UNIQUE (meeting_id, person_id)
        );
        CREATE INDEX participant_person ON participant(person_id, meeting_id);
        CREATE INDEX participant_organisation ON participant(organisation_id);

        CREATE TABLE meeting_source (
            {_RECORD},
            meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE RESTRICT,
            publisher TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            published_on TEXT,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            document TEXT NOT NULL DEFAULT '',
            ordinal INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX meeting_source_meeting ON meeting_source(meeting_id);

        CREATE TABLE anniversary (
            {_RECORD},
            kind TEXT NOT NULL CHECK (kind IN ('diplomatic_relations', 'national_day', 'founding',
                                               'birthday', 'treaty', 'custom')),
            title TEXT NOT NULL,
            base_date TEXT NOT NULL,
            base_month_day TEXT NOT NULL,
            country_id INTEGER REFERENCES country(id) ON DELETE RESTRICT,
            organisation_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
            person_id INTEGER REFERENCES person(id) ON DELETE RESTRICT,
            lead_days INTEGER,
            notes TEXT NOT NULL DEFAULT '',
            -- set when the anniversary follows from another record's date and is kept in step
            derived_from TEXT UNIQUE,
            deleted_at TEXT
        );
        CREATE INDEX anniversary_month_day ON anniversary(base_month_day);
        CREATE INDEX anniversary_country ON anniversary(country_id);

        CREATE TABLE agreed_action (
            {_RECORD},
            meeting_id INTEGER REFERENCES meeting(id) ON DELETE RESTRICT,
            text TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due_date TEXT,
            due_anniversary_id INTEGER REFERENCES anniversary(id) ON DELETE RESTRICT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
            completed_on TEXT,
            outcome TEXT NOT NULL DEFAULT '',
            fulfilled_meeting_id INTEGER REFERENCES meeting(id) ON DELETE RESTRICT,
            ordinal INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX agreed_action_meeting ON agreed_action(meeting_id);
        CREATE INDEX agreed_action_status_due ON agreed_action(status, due_date);
        CREATE INDEX agreed_action_anniversary ON agreed_action(due_anniversary_id);

        CREATE TABLE action_status_change (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES agreed_action(id) ON DELETE CASCADE,
            changed_at TEXT NOT NULL,
            old_status TEXT,
            new_status TEXT NOT NULL,
            meeting_id INTEGER REFERENCES meeting(id) ON DELETE RESTRICT,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX action_status_change_action ON action_status_change(action_id);

        -- append-only audit trail: the triggers below refuse edits and deletions
        CREATE TABLE change_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            os_user TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_uid TEXT NOT NULL,
            operation TEXT NOT NULL
                CHECK (operation IN ('create', 'update', 'delete', 'restore', 'merge', 'import')),
            field TEXT,
            old_value TEXT,
            new_value TEXT
        );
        CREATE INDEX change_log_row ON change_log(row_uid, id);
        CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
        CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

        -- full-text search: rows are written by the store in the same transaction as the record
        CREATE VIRTUAL TABLE meeting_fts USING fts5(
            subject, summary, places, names, sources, topics,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE person_fts USING fts5(
            names, titles,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """,
    )


@migrations(name="0002_indexes_for_office_scale")
def indexes_for_office_scale(db: Database) -> None:
    """What the meetings window needs to stay quick at a million meetings: an index for each
    sort and filter it offers, and a full-text index that answers two- and three-letter
    prefixes (the first keystrokes of a search) without reading every word they start."""
    run_script(
        db,
        """
        -- One per sortable column of the list, over the live meetings (the bin is small).
        CREATE INDEX meeting_live_counterpart ON meeting(counterpart) WHERE deleted_at IS NULL;
        CREATE INDEX meeting_live_city ON meeting(city) WHERE deleted_at IS NULL;
        CREATE INDEX meeting_live_kind ON meeting(kind) WHERE deleted_at IS NULL;
        -- Narrow, so counting the live meetings reads little; also the country sort and filter.
        CREATE INDEX meeting_live_country ON meeting(country_id) WHERE deleted_at IS NULL;
        -- A kind in date order, and its count, without reading the meetings.
        CREATE INDEX meeting_live_kind_date ON meeting(kind, date) WHERE deleted_at IS NULL;
        -- The bin.
        CREATE INDEX meeting_deleted ON meeting(deleted_at) WHERE deleted_at IS NOT NULL;
        CREATE INDEX country_sort ON country(sort_key);
        -- Covering: an organisation's meetings, and a country's counterparts' meetings,
        -- without reading the participant rows.
        DROP INDEX participant_organisation;
        CREATE INDEX participant_organisation ON participant(organisation_id, meeting_id);
        CREATE INDEX participant_person_side ON participant(person_id, side, meeting_id);

        -- The same full-text table, with prefix indexes of two and three letters.
        ALTER TABLE meeting_fts RENAME TO meeting_fts_0001;
        CREATE VIRTUAL TABLE meeting_fts USING fts5(
            subject, summary, places, names, sources, topics,
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3'
        );
        INSERT INTO meeting_fts (rowid, subject, summary, places, names, sources, topics)
            SELECT rowid, subject, summary, places, names, sources, topics FROM meeting_fts_0001;
        DROP TABLE meeting_fts_0001;
        INSERT INTO meeting_fts (meeting_fts) VALUES ('optimize');
        -- The words in the index, to turn a typed word into the few words it begins.
        CREATE VIRTUAL TABLE meeting_fts_terms USING fts5vocab(meeting_fts, 'row');
        """,
    )


@migrations(name="0003_action_due_dates")
def action_due_dates(db: Database) -> None:
    """The due date that applies to each agreed action, kept beside the one typed in (see
    ``store/due.py``), so the action list filters and sorts by it on an index."""
    # The rule as it stood for this format (``due.DUE_SQL`` may change in a later version,
    # with a migration of its own to work the column out again).
    db.conn.create_function("pd_anniversary_due", 4, anniversary_due, deterministic=True)
    run_script(
        db,
        """
        ALTER TABLE agreed_action ADD COLUMN due_on TEXT;
        UPDATE agreed_action AS a SET due_on = CASE WHEN a.due_anniversary_id IS NULL
            THEN a.due_date ELSE pd_anniversary_due(
                (SELECT base_date FROM anniversary WHERE id = a.due_anniversary_id), a.due_date,
                coalesce((SELECT date FROM meeting WHERE id = a.meeting_id), a.created_at),
                (SELECT value FROM setting WHERE key = 'leap_day_rule')) END;
        -- Due first, undated last: the list's default order.
        CREATE INDEX agreed_action_due ON agreed_action(coalesce(due_on, '9999-12-31'));
        -- Counting what is open or overdue without reading the actions.
        DROP INDEX agreed_action_status_due;
        CREATE INDEX agreed_action_status_due ON agreed_action(status, due_on, meeting_id);
        """,
    )


@migrations(name="0004_action_sort_keys")
def action_sort_keys(db: Database) -> None:
    """The dictionary-order keys of an action's text and owner (``domain.text.sort_key``), kept
    and indexed, so the action list sorts by them without working them out for every row."""
    db.conn.create_function(
        "pd_text_sort_key", 1, lambda text: sort_key(text or ""), deterministic=True
    )
    run_script(
        db,
        """
        ALTER TABLE agreed_action ADD COLUMN text_sort TEXT NOT NULL DEFAULT '';
        ALTER TABLE agreed_action ADD COLUMN owner_sort TEXT NOT NULL DEFAULT '';
        UPDATE agreed_action
            SET text_sort = pd_text_sort_key(text), owner_sort = pd_text_sort_key(owner);
        CREATE INDEX agreed_action_text_sort ON agreed_action(text_sort);
        CREATE INDEX agreed_action_owner_sort ON agreed_action(owner_sort);
        """,
    )


@migrations(name="0005_search_vocabulary")
def search_vocabulary(db: Database) -> None:
    """The words of the meetings' full-text index, in a table of their own: a typed word is
    turned into the words it begins by reading a few keys here. The index's own vocabulary
    (``meeting_fts_terms``) counts every word it passes, which for a common word such as
    "cooperation" means reading its whole list of meetings on every keystroke."""
    run_script(
        db,
        """
        CREATE TABLE meeting_term (term TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT INTO meeting_term (term) SELECT term FROM meeting_fts_terms;
        """,
    )


@migrations(name="0006_search_in_date_order")
def search_in_date_order(db: Database) -> None:
    """The meetings' full-text index keyed by day, then id: ``(julian day << 32) + id``
    (``search.key_sql``). The index then lists a word's meetings in the list's own order, so
    the newest 200 of a word in half the meetings are read without collecting the other
    half-million. The store moves a meeting's entry when its date changes (a trigger cannot:
    with ``trusted_schema`` off, triggers may not write to a full-text table)."""
    # Rebuilt from the old index's stored text, in key order, with room to sort in memory:
    # about 20 s at 100,000 meetings (the words are split again; that cannot be avoided).
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -262144")  # 256 MiB
    try:
        run_script(
            db,
            """
            ALTER TABLE meeting_fts RENAME TO meeting_fts_0005;
            CREATE VIRTUAL TABLE meeting_fts USING fts5(
                subject, summary, places, names, sources, topics,
                tokenize = 'unicode61 remove_diacritics 2',
                prefix = '2 3'
            );
            INSERT INTO meeting_fts (rowid, subject, summary, places, names, sources, topics)
                SELECT (CAST(julianday(m.date) AS INTEGER) << 32) + m.id,
                    f.c0, f.c1, f.c2, f.c3, f.c4, f.c5
                FROM meeting_fts_0005_content f JOIN meeting m ON m.id = f.id ORDER BY 1;
            DROP TABLE meeting_fts_0005;
            INSERT INTO meeting_fts (meeting_fts) VALUES ('optimize');
            """,
        )
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache)}")


@migrations(name="0007_dictionary_order_keys")
def dictionary_order_keys(db: Database) -> None:
    """Dictionary-order keys (``domain.text.sort_key``) for the meetings list's counterpart,
    city and kind, which sorted by their raw text (Қ, Ә and Ө after Я, Ł after Z, lower case
    after upper); and the keys the action list sorts by that come from the meeting of origin
    (``store/action_keys.py``): its date, counterpart and countries. Each is indexed, and so is
    the actions' order of statuses, so every sort of both lists walks an index. The keys
    already kept are written again where this version's ``sort_key`` differs: it files ł, ı, ø
    and the like with the letters they are read as, where they had sorted before every letter."""
    # The keys as this format defines them (``action_keys.KEYS_SQL`` may change in a later
    # version, with a migration of its own to write them again).
    db.conn.create_function(
        "pd_text_sort_key", 1, lambda text: sort_key(text or ""), deterministic=True
    )
    run_script(
        db,
        """
        UPDATE country SET sort_key = pd_text_sort_key(name)
            WHERE sort_key IS NOT pd_text_sort_key(name);
        UPDATE organisation SET sort_key = pd_text_sort_key(name)
            WHERE sort_key IS NOT pd_text_sort_key(name);
        UPDATE person SET sort_key = pd_text_sort_key(full_name)
            WHERE sort_key IS NOT pd_text_sort_key(full_name);
        UPDATE meeting SET subject_sort = pd_text_sort_key(subject)
            WHERE subject_sort IS NOT pd_text_sort_key(subject);
        UPDATE agreed_action SET text_sort = pd_text_sort_key(text),
            owner_sort = pd_text_sort_key(owner)
            WHERE text_sort IS NOT pd_text_sort_key(text)
                OR owner_sort IS NOT pd_text_sort_key(owner);

        ALTER TABLE meeting ADD COLUMN counterpart_sort TEXT NOT NULL DEFAULT '';
        ALTER TABLE meeting ADD COLUMN city_sort TEXT NOT NULL DEFAULT '';
        ALTER TABLE meeting ADD COLUMN kind_sort TEXT NOT NULL DEFAULT '';
        UPDATE meeting SET counterpart_sort = pd_text_sort_key(counterpart),
            city_sort = pd_text_sort_key(city), kind_sort = pd_text_sort_key(kind);
        DROP INDEX meeting_live_counterpart;
        DROP INDEX meeting_live_city;
        DROP INDEX meeting_live_kind;
        CREATE INDEX meeting_live_counterpart ON meeting(counterpart_sort)
            WHERE deleted_at IS NULL;
        CREATE INDEX meeting_live_city ON meeting(city_sort) WHERE deleted_at IS NULL;
        CREATE INDEX meeting_live_kind ON meeting(kind_sort) WHERE deleted_at IS NULL;

        ALTER TABLE agreed_action ADD COLUMN meeting_sort TEXT NOT NULL DEFAULT '';
        ALTER TABLE agreed_action ADD COLUMN counterpart_sort TEXT NOT NULL DEFAULT '';
        ALTER TABLE agreed_action ADD COLUMN country_sort TEXT NOT NULL DEFAULT '';
        UPDATE agreed_action AS a SET
            meeting_sort = coalesce((SELECT date FROM meeting WHERE id = a.meeting_id), ''),
            counterpart_sort = pd_text_sort_key(
                (SELECT counterpart FROM meeting WHERE id = a.meeting_id)),
            country_sort = pd_text_sort_key(coalesce(
                (SELECT group_concat(name, ', ') FROM (SELECT DISTINCT c2.name AS name
                    FROM participant pa JOIN person pe ON pe.id = pa.person_id
                    JOIN country c2 ON c2.id = pe.country_id
                    WHERE pa.meeting_id = a.meeting_id AND pa.side = 'counterpart'
                    ORDER BY c2.sort_key)),
                (SELECT c3.name FROM meeting m3 JOIN country c3 ON c3.id = m3.country_id
                    WHERE m3.id = a.meeting_id),
                ''));
        CREATE INDEX agreed_action_meeting_sort ON agreed_action(meeting_sort);
        CREATE INDEX agreed_action_counterpart_sort ON agreed_action(counterpart_sort);
        CREATE INDEX agreed_action_country_sort ON agreed_action(country_sort);
        -- The list's order of statuses (open, in progress, done, dropped), as it sorts them.
        CREATE INDEX agreed_action_status_order ON agreed_action(CASE status WHEN 'open' THEN 0
            WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END);
        """,
    )


@migrations(name="0008_anniversary_days_with_dates")
def anniversary_days_with_dates(db: Database) -> None:
    """The anniversaries by day and month with their base date, kind and bin mark in the
    index itself: counting a month's occurrences (for its heading, as the anniversaries area
    scrolls into it) reads the index alone, 4,000 entries at a million meetings in 2 ms rather
    than 13 ms of lookups in the table."""
    run_script(
        db,
        """
        DROP INDEX anniversary_month_day;
        CREATE INDEX anniversary_month_day_dates
            ON anniversary(base_month_day, base_date, kind, deleted_at);
        """,
    )


@migrations(name="0009_change_log_chain")
def change_log_chain(db: Database) -> None:
    """Make tampering with the change log evident: each entry carries the hash of the entry
    before it and a hash of its own content with that one (computed by the app, so the
    entries already there are chained here, in order). ``INSERT OR REPLACE`` replaced an entry
    without firing the delete trigger: an insert over an existing entry is refused too, and so
    is one without its hash."""
    from protocol_desk.store import changelog

    run_script(
        db,
        """
        ALTER TABLE change_log ADD COLUMN prev_hash TEXT;
        ALTER TABLE change_log ADD COLUMN entry_hash TEXT;
        DROP TRIGGER change_log_no_update;
        """,
    )
    changelog.chain_existing(db.conn)
    run_script(
        db,
        """
        CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
        CREATE TRIGGER change_log_no_replace BEFORE INSERT ON change_log
        WHEN EXISTS (SELECT 1 FROM change_log WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
        CREATE TRIGGER change_log_chained BEFORE INSERT ON change_log
        WHEN NEW.entry_hash IS NULL OR NEW.prev_hash IS NULL
        BEGIN SELECT RAISE(ABORT, 'a change log entry carries the hashes of its chain'); END;
        """,
    )


@migrations(name="0010_name_keys")
def name_keys(db: Database) -> None:
    """Every spelling of a person's name with its folded key (``domain.names``), a mark for
    a misprint the office kept so it is found but never printed, and each person's word keys
    in an index of their own: a name in another script, romanisation, case form or with a
    slip is then found by reading a few keys, at two hundred thousand people too."""
    run_script(
        db,
        """
        ALTER TABLE person_name ADD COLUMN spelling_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE person_name ADD COLUMN misprint INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX person_name_spelling ON person_name(spelling_key);
        -- One row per word key of any of a person's spellings; ``tail`` is the key reversed,
        -- so a slip in a word's first letters still finds it by its last ones.
        CREATE TABLE person_word (
            key TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            tail TEXT NOT NULL,
            PRIMARY KEY (key, person_id)
        ) WITHOUT ROWID;
        CREATE INDEX person_word_tail ON person_word(tail);
        CREATE INDEX person_word_person ON person_word(person_id);
        """,
    )
    # The keys as this format defines them (``domain.names`` may change in a later version,
    # with a migration of its own to write them again).
    rows = db.execute("SELECT id, person_id, name FROM person_name").fetchall()
    db.conn.executemany(
        "UPDATE person_name SET spelling_key = ? WHERE id = ?",
        [(name_key(name), name_id) for name_id, _, name in rows],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO person_word (key, person_id, tail) VALUES (?, ?, ?)",
        [(key, person_id, key[::-1]) for _, person_id, name in rows for key in word_keys(name)],
    )
    # The text of every source (a pasted release) is searched from now on: the meetings that
    # have one are indexed again.
    from protocol_desk.store.meetings import MeetingRepository
    from protocol_desk.store.sql import Db

    meetings = MeetingRepository(Db(db.conn), "migration")
    for (meeting_id,) in db.execute(
        "SELECT DISTINCT meeting_id FROM meeting_source WHERE text <> '' ORDER BY meeting_id"
    ).fetchall():
        meetings.reindex(int(meeting_id))


@migrations(name="0011_world_reference_data")
def world_reference_data(db: Database) -> None:
    """Every country of ISO 3166 with its names in English, Russian and Kazakh and its
    capital, and the international bodies the office meets, from the data files in
    ``db/reference/`` (``store/world.py``). Countries and bodies the office already keeps are
    matched (by ISO code, then by name) and completed, never duplicated or overwritten; what
    the reference data wrote is remembered field by field, so a later update changes only the
    fields the office has left as they were. Safe to run again: it then only brings the
    reference data up to date."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(country)").fetchall()}
    if "capital" not in columns:
        db.execute("ALTER TABLE country ADD COLUMN capital TEXT NOT NULL DEFAULT ''")
    run_script(
        db,
        """
        -- A name in a given language (en, ru, kk), the usual one first: what a briefing in
        -- that language prints. The office's own list of names is ``other_names``.
        CREATE TABLE IF NOT EXISTS country_name (
            id INTEGER PRIMARY KEY,
            country_id INTEGER NOT NULL REFERENCES country(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            name TEXT NOT NULL,
            ordinal INTEGER NOT NULL DEFAULT 0,
            UNIQUE (country_id, lang, name)
        );
        CREATE TABLE IF NOT EXISTS organisation_name (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            name TEXT NOT NULL,
            is_short INTEGER NOT NULL DEFAULT 0,
            ordinal INTEGER NOT NULL DEFAULT 0,
            UNIQUE (organisation_id, lang, name)
        );

        -- What the reference data last wrote into each record it knows, field by field
        -- (JSON): a field still holding it is the reference's to update; any other value is
        -- the office's and stays. ``created``: the reference data made the record.
        CREATE TABLE IF NOT EXISTS reference_record (
            ref_key TEXT PRIMARY KEY,
            table_name TEXT NOT NULL CHECK (table_name IN ('country', 'organisation')),
            row_id INTEGER NOT NULL,
            created INTEGER NOT NULL DEFAULT 0,
            fields TEXT NOT NULL DEFAULT '{}'
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS reference_record_row ON reference_record(table_name, row_id);
        """,
    )
    from protocol_desk.store.sql import Db
    from protocol_desk.store.world import apply_world_reference

    apply_world_reference(Db(db.conn))


# Which shared record a row belongs to, for the office outbox: (table, kind, SQL giving the
# record's uid from the row, written with ROW for NEW or OLD). Parts of a record (a meeting's
# participants, a person's spellings) mark their record.
OUTBOX_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("setting", "settings", "'settings'"),
    ("country", "country", "ROW.uid"),
    ("organisation", "organisation", "ROW.uid"),
    ("person", "person", "ROW.uid"),
    ("person_name", "person", "(SELECT uid FROM person WHERE id = ROW.person_id)"),
    ("position", "person", "(SELECT uid FROM person WHERE id = ROW.person_id)"),
    ("anniversary", "anniversary", "ROW.uid"),
    ("delegation", "delegation", "ROW.uid"),
    (
        "delegation_member",
        "delegation",
        "(SELECT uid FROM delegation WHERE id = ROW.delegation_id)",
    ),
    ("programme_item", "delegation", "(SELECT uid FROM delegation WHERE id = ROW.delegation_id)"),
    ("meeting", "meeting", "ROW.uid"),
    ("participant", "meeting", "(SELECT uid FROM meeting WHERE id = ROW.meeting_id)"),
    ("meeting_source", "meeting", "(SELECT uid FROM meeting WHERE id = ROW.meeting_id)"),
    ("agreed_action", "action", "ROW.uid"),
    (
        "action_status_change",
        "action",
        "(SELECT uid FROM agreed_action WHERE id = ROW.action_id)",
    ),
)


def _outbox_triggers(db: Database, sources: tuple[tuple[str, str, str], ...]) -> None:
    """The triggers that mark a changed row's record in the office outbox (``OUTBOX_SOURCES``)."""
    for table, kind, uid_sql in sources:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            uid = uid_sql.replace("ROW.", f"{row}.")
            db.execute(
                f"""
                CREATE TRIGGER outbox_{table}_{event.lower()} AFTER {event} ON {table}
                WHEN (SELECT value FROM sync_state WHERE key = 'outbox') = '1'
                BEGIN
                    INSERT INTO sync_outbox (uid, kind) SELECT u, '{kind}' FROM (SELECT {uid} AS u)
                    WHERE u IS NOT NULL
                    ON CONFLICT (uid) DO UPDATE SET changes = changes + 1;
                END
                """
            )


@migrations(name="0012_office_sync")
def office_sync(db: Database) -> None:
    """What sharing through the office server needs on the desk: the outbox (records changed
    here since they were last sent), each record's base (the office's version and content
    this desk last agreed with), conflicts kept until the officer resolves them, and the
    sync's own state. Triggers fill the outbox in the same transaction as every change,
    whichever code made it, while the desk is connected and not applying the office's own
    changes (``sync_state.outbox`` is '1')."""
    run_script(
        db,
        """
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO sync_state (key, value) VALUES ('outbox', '0');
        CREATE TABLE sync_outbox (
            uid TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            -- raised by every change: the sync removes an entry only if nothing changed since
            changes INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE sync_base (
            uid TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            version INTEGER NOT NULL,
            digest TEXT NOT NULL
        );
        CREATE TABLE sync_conflict (
            uid TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            their_version INTEGER NOT NULL,
            their_content TEXT,
            their_author TEXT NOT NULL DEFAULT '',
            found_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        """,
    )
    _outbox_triggers(db, OUTBOX_SOURCES)


# An agreed action of a meeting travels inside its meeting's shared record; one with no
# meeting is a record of its own. (table, SQL giving the record's kind, SQL giving its uid),
# written with ROW for NEW or OLD.
_ACTION_OWNER = (
    "(SELECT coalesce(m.uid, a.uid) FROM agreed_action a LEFT JOIN meeting m"
    " ON m.id = a.meeting_id WHERE a.id = ROW.action_id)"
)
_ACTION_KIND = (
    "(SELECT CASE WHEN a.meeting_id IS NULL THEN 'action' ELSE 'meeting' END"
    " FROM agreed_action a WHERE a.id = ROW.action_id)"
)
ACTION_OUTBOX_SOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "agreed_action",
        "CASE WHEN ROW.meeting_id IS NULL THEN 'action' ELSE 'meeting' END",
        "coalesce((SELECT uid FROM meeting WHERE id = ROW.meeting_id), ROW.uid)",
    ),
    ("action_status_change", _ACTION_KIND, _ACTION_OWNER),
)


@migrations(name="0012_office_sync_whole_meetings")
def office_sync_whole_meetings(db: Database) -> None:
    """A meeting is shared with its agreed actions inside, as one record: a change to an
    action (its status from the actions list too) marks its meeting in the outbox, and an
    action moved to another meeting marks both. Changes waiting as actions of their own wait
    as their meetings. A conflict kept also says why the office's version could not be
    applied here, when that is why it is kept."""
    for table, kind_sql, uid_sql in ACTION_OUTBOX_SOURCES:
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")), ("DELETE", ("OLD",))):
            marked = " UNION ".join(
                f"SELECT {uid_sql.replace('ROW.', f'{row}.')} AS u,"
                f" {kind_sql.replace('ROW.', f'{row}.')} AS k"
                for row in rows
            )
            db.execute(f"DROP TRIGGER outbox_{table}_{event.lower()}")
            db.execute(
                f"""
                CREATE TRIGGER outbox_{table}_{event.lower()} AFTER {event} ON {table}
                WHEN (SELECT value FROM sync_state WHERE key = 'outbox') = '1'
                BEGIN
                    INSERT INTO sync_outbox (uid, kind) SELECT u, k FROM ({marked})
                    WHERE u IS NOT NULL
                    ON CONFLICT (uid) DO UPDATE SET changes = changes + 1;
                END
                """
            )
    run_script(
        db,
        """
        INSERT INTO sync_outbox (uid, kind)
            SELECT m.uid, 'meeting' FROM sync_outbox o
            JOIN agreed_action a ON a.uid = o.uid JOIN meeting m ON m.id = a.meeting_id
            WHERE o.kind = 'action'
            ON CONFLICT (uid) DO UPDATE SET changes = changes + 1;
        DELETE FROM sync_outbox WHERE kind = 'action'
            AND uid IN (SELECT uid FROM agreed_action WHERE meeting_id IS NOT NULL);
        -- why the office's version could not be applied here; '' for a conflict
        ALTER TABLE sync_conflict ADD COLUMN reason TEXT NOT NULL DEFAULT '';
        """,
    )


@migrations(name="0013_signed_documents")
def signed_documents(db: Database) -> None:
    """Documents signed at meetings (agreements, memoranda, roadmaps…): records of their own,
    kept with the meeting like its sources, never agreed actions; a change to one marks its
    meeting for the office server, as a source's does."""
    run_script(
        db,
        f"""
        CREATE TABLE signed_document (
            {_RECORD},
            meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE RESTRICT,
            title TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'other',
            signed_on TEXT,
            signed_by TEXT NOT NULL DEFAULT '[]',
            ordinal INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX signed_document_meeting ON signed_document(meeting_id);
        """,
    )
    _outbox_triggers(
        db,
        (("signed_document", "meeting", "(SELECT uid FROM meeting WHERE id = ROW.meeting_id)"),),
    )


@migrations(name="0014_people_to_the_bin")
def people_to_the_bin(db: Database) -> None:
    """People can be moved to the bin, as meetings and visits are: the row stays with every
    meeting, visit and anniversary that names them, until it is restored."""
    run_script(
        db,
        """
        ALTER TABLE person ADD COLUMN deleted_at TEXT;
        CREATE INDEX person_deleted ON person(deleted_at) WHERE deleted_at IS NOT NULL;
        """,
    )


def apply_migrations(db: Database) -> list[str]:
    """Apply what is pending; returns the names applied."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]


@migrations(name="0017_world_reference_bodies")
def world_reference_bodies(db: Database) -> None:
    """The international bodies' names brought up to date from ``db/reference/
    organisations.json`` (the Organization of Turkic States as Kazakhstan writes it in Kazakh;
    TurkPA's and the IPA CIS's former and other names), as 0011 brings them: a field the office
    edited stays the office's."""
    from protocol_desk.store.sql import Db
    from protocol_desk.store.world import WorldLoader, read_organisations

    WorldLoader(Db(db.conn)).organisations(read_organisations())
