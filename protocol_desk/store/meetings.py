"""Meetings with their participants, sources and agreed actions; listing and full-text search."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.listing import MeetingFilter, MeetingRow, Page
from protocol_desk.domain.models import (
    Confidentiality,
    DocumentKind,
    Meeting,
    MeetingFormat,
    Participant,
    Side,
    SignedDocument,
    Source,
)
from protocol_desk.domain.text import sort_key
from protocol_desk.domain.validation import validate_meeting
from protocol_desk.store import action_keys
from protocol_desk.store.base import Repository, now_iso
from protocol_desk.store.search import (
    ID_MASK,
    MEETING_OF_KEY,
    SORT_INDEXES,
    IdSet,
    SearchQuery,
    add_terms,
    choose_plan,
    count_plan,
    few_in_dates,
    filter_sets,
    key_day,
    list_date,
    plan_query,
    text_key,
)

if TYPE_CHECKING:
    from protocol_desk.store.actions import ActionRepository


# Matches outside the sources read to tell which meetings of a page were found only in one.
SOURCE_HITS_READ = 4_000

# The country's name and sort key beside each meeting of the list.
_COUNTRY = " LEFT JOIN country c ON c.id = m.country_id"

# Sortable columns of the list; identifiers only ever come from this table.
SORT_COLUMNS = {
    "date": "m.date",
    "subject": "m.subject_sort",
    "counterpart": "m.counterpart_sort",
    "city": "m.city_sort",
    "country": "coalesce(c.sort_key, '')",
    "kind": "m.kind_sort",
}

# For each sort but the date: the meetings that have a value, and those that have none. On the
# meeting's own columns, so that SQLite reads the country of a page's rows only.
_GIVEN_AND_BLANK = {
    "subject": ("m.subject_sort > ''", "m.subject_sort = ''"),
    "counterpart": ("m.counterpart_sort > ''", "m.counterpart_sort = ''"),
    "city": ("m.city_sort > ''", "m.city_sort = ''"),
    "kind": ("m.kind_sort > ''", "m.kind_sort = ''"),
    "country": ("m.country_id IS NOT NULL", "m.country_id IS NULL"),
}


def _still_to_come(key: str, after: str, descending: bool) -> bool:
    """Whether a sort key comes at or after the key a page continues from (blanks last)."""
    if not after:
        return False  # the blanks come last: every value came before them
    return key <= after if descending else key >= after


def _in_the_bin(sets: list[IdSet], cheap: bool) -> tuple[str, ...]:
    """The sets asked about each meeting in the bin: it holds few, so that beats collecting
    any of them (a common word's half-million matches among them)."""
    return tuple(s.name for s in sets if cheap or s.name != "text")


class MeetingRepository(Repository):
    # While ``words_collected``: the texts indexed, added to the search vocabulary at once.
    _collected: list[str] | None = None

    @contextlib.contextmanager
    def words_collected(self) -> Iterator[None]:
        """Inside the caller's transaction: the words of the meetings saved meanwhile go to
        the search vocabulary once, at the end (a pull saving a thousand meetings)."""
        self._collected = []
        try:
            yield
            add_terms(self.db, *self._collected)
        finally:
            self._collected = None

    @cached_property
    def actions(self) -> ActionRepository:
        # Imported when first needed: listing and searching meetings needs no actions.
        from protocol_desk.store.actions import ActionRepository

        return ActionRepository(self.db, self.user)

    # --- reading ----------------------------------------------------------------------------
    def get(self, meeting_id: int) -> Meeting:
        row = self.fetch_row("meeting", meeting_id)
        participants = [
            Participant(
                person_id=p["person_id"],
                side=Side(p["side"]),
                role=p["role"],
                title=p["title"],
                organisation_id=p["organisation_id"],
                person_name=p["full_name"],
            )
            for p in self.query(
                "SELECT pa.*, pe.full_name FROM participant pa JOIN person pe"
                " ON pe.id = pa.person_id WHERE pa.meeting_id = ? ORDER BY pa.ordinal, pa.id",
                [meeting_id],
            )
        ]
        sources = [
            Source(
                id=s["id"],
                uid=s["uid"],
                publisher=s["publisher"],
                url=s["url"],
                published_on=date.fromisoformat(s["published_on"]) if s["published_on"] else None,
                title=s["title"],
                text=s["text"],
                document=s["document"],
                version=s["version"],
            )
            for s in self.query(
                "SELECT * FROM meeting_source WHERE meeting_id = ? ORDER BY ordinal, id",
                [meeting_id],
            )
        ]
        return Meeting(
            id=row["id"],
            uid=row["uid"],
            version=row["version"],
            date=date.fromisoformat(row["date"]),
            precision=Precision(row["date_precision"]),
            time=row["time"],
            venue=row["venue"],
            city=row["city"],
            country_id=row["country_id"],
            format=MeetingFormat(row["format"]),
            occasion=row["occasion"],
            kind=row["kind"],
            subject=row["subject"],
            summary=row["summary"],
            topics=json.loads(row["topics"]),
            delegation_id=row["delegation_id"],
            confidentiality=Confidentiality(row["confidentiality"]),
            participants=participants,
            sources=sources,
            actions=self.actions.for_meeting(meeting_id),
            provenance=row["provenance"],
            documents=[
                SignedDocument(
                    id=d["id"],
                    uid=d["uid"],
                    version=d["version"],
                    title=d["title"],
                    kind=DocumentKind(d["kind"]),
                    signed_on=date.fromisoformat(d["signed_on"]) if d["signed_on"] else None,
                    signed_by=json.loads(d["signed_by"]),
                )
                for d in self.query(
                    "SELECT * FROM signed_document WHERE meeting_id = ? ORDER BY ordinal, id",
                    [meeting_id],
                )
            ],
        )

    def is_deleted(self, meeting_id: int) -> bool:
        return self.fetch_row("meeting", meeting_id)["deleted_at"] is not None

    def all_ids(self, *, include_deleted: bool = False) -> list[int]:
        where = "" if include_deleted else " WHERE deleted_at IS NULL"
        return [r["id"] for r in self.query(f"SELECT id FROM meeting{where} ORDER BY date, id")]

    def _where(
        self,
        flt: MeetingFilter,
        *,
        search: SearchQuery | None = None,
        first: str | None = None,
        each: list[str] | tuple[str, ...] = (),
        streamed: bool = False,
        leave_out: tuple[str, ...] = (),
    ) -> tuple[list[str], list[Any]]:
        """WHERE clauses for a filter. ``search`` is its planned text query (planned here when
        not given). The set named ``first`` comes first, where SQLite starts from it; the
        others are collected as they come, to keep the meetings in them, except those named in
        ``each``, asked meeting by meeting instead (store/search.py, ``IdSet``).
        ``streamed``: the query reads the full-text index itself, so the words need no clause.
        The sets named in ``leave_out`` get no clause (the caller asks about them itself)."""
        clauses = ["m.deleted_at IS NOT NULL" if flt.deleted else "m.deleted_at IS NULL"]
        params: list[Any] = []
        if search is None and flt.text:
            search = plan_query(self.db, flt.text)
        sets = filter_sets(
            None if streamed else search, flt.country_id, flt.person_id, flt.organisation_id
        )
        sets.sort(key=lambda s: s.name != first)
        for id_set in sets:
            if id_set.name in leave_out:
                continue
            if id_set.name in each:
                clauses.append(id_set.each)
            elif id_set.name == first or not id_set.kept:
                clauses.append(id_set.clause)
            else:
                clauses.append(id_set.kept)
            params += id_set.params
        if flt.kind:
            clauses.append("m.kind = ?")
            params.append(flt.kind)
        if flt.date_from:
            clauses.append("m.date >= ?")
            params.append(flt.date_from.isoformat())
        if flt.date_to:
            clauses.append("m.date <= ?")
            params.append(flt.date_to.isoformat())
        return clauses, params

    def count(self, flt: MeetingFilter, *, limit: int | None = None) -> int:
        """How many meetings the filter lets through. A set on its own (a search, a person, an
        organisation, a country) is counted in its own indexes, less the few in the bin.

        With ``limit``, counting stops there, and a result of ``limit`` means "at least that
        many" (a million matches cost tens of milliseconds to count exactly)."""
        search = plan_query(self.db, flt.text) if flt.text else None
        sets = filter_sets(search, flt.country_id, flt.person_id, flt.organisation_id)
        columns = flt.kind or flt.date_from or flt.date_to

        def counted(sql: str, params: list[Any], extra: int = 0) -> int:
            if limit is None:
                return int(self.db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
            row = self.db.execute(
                f"SELECT count(*) FROM ({sql} LIMIT ?)", [*params, limit + extra]
            ).fetchone()
            return int(row[0])

        if len(sets) == 1 and not columns and not flt.deleted:
            (only,) = sets
            kept = only.kept or only.clause
            in_bin = kept if search is not None and not search.cheap else only.each
            binned = int(
                self.db.execute(
                    "SELECT count(*) FROM meeting m INDEXED BY meeting_deleted"
                    f" WHERE m.deleted_at IS NOT NULL AND {in_bin}",
                    only.params,
                ).fetchone()[0]
            )
            total = counted(only.members, only.params, binned) - binned
            return total if limit is None else min(total, limit)
        cheap = search is None or search.cheap
        plan = count_plan(self.db, sets, cheap)
        if plan.walk and search is not None and not flt.deleted:
            # A big search with more to it: its matches read in the index's order.
            stream, params = self._text_stream(flt, search, plan.each)
            return counted(f"SELECT 1 {stream}", params)
        each = _in_the_bin(sets, cheap) if flt.deleted else plan.each
        clauses, params = self._where(flt, search=search, first=plan.first, each=each)
        # Every live meeting: the narrowest index that lists them all.
        everything = not sets and not columns and not flt.deleted
        hint = " INDEXED BY meeting_live_country" if everything else ""
        return counted(f"SELECT 1 FROM meeting m{hint} WHERE {' AND '.join(clauses)}", params)

    def page(
        self,
        flt: MeetingFilter,
        *,
        order_by: str = "date",
        descending: bool = True,
        after: tuple[Any, int] | None = None,
        limit: int = 200,
    ) -> Page:
        """One page of the list (``_page``); with a search in date order (the list's own and
        the command line's), each meeting found only by the text of a source says so
        (``MeetingRow.in_source``)."""
        page = self._page(flt, order_by=order_by, descending=descending, after=after, limit=limit)
        # In the list's date order, the page's matches lie together in the full-text index and
        # are read at once; in another order they could be spread over every match of a word.
        marked = flt.text and page.rows and order_by == "date"
        search = plan_query(self.db, flt.text) if marked else None
        if search is not None:
            page.rows = self._mark_source_hits(page.rows, search.match)
        return page

    def _mark_source_hits(self, rows: list[MeetingRow], match: str) -> list[MeetingRow]:
        """The page's meetings that the search finds only in a source, marked so. The
        matches outside the sources are read newest first within the page's keys (in date
        order, the page's own matches), at most ``SOURCE_HITS_READ`` of them: past that, the
        older meetings are left unmarked rather than every match of a word read."""
        keys = {text_key(r.date, r.id): r for r in rows}
        low, high = min(keys), max(keys)
        outside: set[int] = set()
        judged_from = high + 1
        for (key,) in self.db.execute(
            "SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH ? AND rowid >= ?"
            " AND rowid <= ? ORDER BY rowid DESC LIMIT ?",
            [
                "{subject summary places names topics} : (" + match + ")",
                low,
                high,
                SOURCE_HITS_READ,
            ],
        ):
            outside.add(int(key))
            judged_from = int(key)
        if len(outside) < SOURCE_HITS_READ:
            judged_from = low
        return [
            dataclasses.replace(r, in_source=True)
            if key >= judged_from and key not in outside
            else r
            for key, r in keys.items()
        ]

    def _page(
        self,
        flt: MeetingFilter,
        *,
        order_by: str = "date",
        descending: bool = True,
        after: tuple[Any, int] | None = None,
        limit: int = 200,
    ) -> Page:
        """One page of the list, continuing after a key (keyset paging: as fast at the end of a
        million rows as at the start). How the filter's sets meet the list's order is chosen
        by their sizes (store/search.py)."""
        column = SORT_COLUMNS[order_by]
        direction = "DESC" if descending else "ASC"
        op = "<" if descending else ">"
        search = plan_query(self.db, flt.text) if flt.text else None
        sets = filter_sets(search, flt.country_id, flt.person_id, flt.organisation_id)
        select = (
            "SELECT m.id, m.date, m.date_precision, m.subject, m.counterpart, m.city, m.kind,"
            f" coalesce(c.name, '') AS country, {column} AS sort_value"
        )
        rows: list[dict[str, Any]] = []
        plan = choose_plan(self.db, sets, search is None or search.cheap)
        # Sets too big to collect and sort (a common word) and quick to ask about one meeting,
        # unless the dates leave few meetings to ask about.
        all_asked = plan.walk and not flt.deleted and {s.name for s in sets} <= set(plan.each)
        if order_by == "country" and (
            not sets or (all_asked and not few_in_dates(self.db, flt.date_from, flt.date_to))
        ):
            # No index can hold another table's sort key, so walk the countries in their
            # order and each one's meetings in id order (those with no country last), asking
            # about each meeting met whether it is in the filter's sets.
            groups: dict[str, list[int | None]] = {"": [None]}
            for key, country_id in self.db.execute(
                "SELECT sort_key, id FROM country ORDER BY sort_key, id"
            ):
                groups.setdefault(key, []).append(country_id)
            named = sorted(((k, v) for k, v in groups.items() if k), reverse=descending)
            for key, ids in [*named, ("", groups[""])]:
                if after is not None and key and not _still_to_come(key, after[0], descending):
                    continue
                clauses, params = self._where(flt, search=search, each=plan.each)
                known = [i for i in ids if i is not None]
                either = [f"m.country_id IN ({', '.join('?' * len(known))})"] if known else []
                if None in ids:
                    either.append("m.country_id IS NULL")
                clauses.append(f"({' OR '.join(either)})")
                params += known
                if after is not None and key == after[0]:
                    clauses.append(f"m.id {op} ?")
                    params.append(after[1])
                hint = "" if flt.deleted else " INDEXED BY meeting_live_country"
                rows += self.query(
                    f"{select} FROM meeting m{hint}{_COUNTRY}"
                    f" WHERE {' AND '.join(clauses)} ORDER BY m.id {direction} LIMIT ?",
                    [*params, limit - len(rows)],
                )
                if len(rows) == limit:
                    break
        else:
            index = SORT_INDEXES.get(order_by)
            walk = plan.walk and index is not None and not flt.deleted
            if walk and search is not None and order_by == "date":
                # Many matches, in date order: the full-text index lists them in that order.
                stream, params = self._text_stream(
                    flt, search, plan.each, descending, after, joins=_COUNTRY
                )
                rows = self.query(
                    f"{select} {stream} ORDER BY meeting_fts.rowid {direction} LIMIT ?",
                    [*params, limit],
                )
                return self._rows_page(rows, limit)
            # Big sets: walk the list's own order and keep the meetings in them.
            hint = f" INDEXED BY {index}" if walk else ""
            each = _in_the_bin(sets, search is None or search.cheap) if flt.deleted else plan.each
            # Walking an index, no set leads: each is kept as it comes, or asked about.
            first = None if walk else plan.first
            clauses, params = self._where(flt, search=search, first=first, each=each)
            order = f" ORDER BY {column} {direction}, m.id {direction}"
            # A small set leads and big ones are asked about its meetings: SQLite would ask
            # about all of them before sorting (1,700 questions, 0.15 s at a million meetings
            # for a small country and a common word). Its meetings are put in order first,
            # then asked about a few hundred at a time until the page is full.
            asking = not walk and not flt.deleted and first is not None and bool(each)
            if asking:
                lead, lead_params = self._where(flt, search=search, first=first, leave_out=each)
                asked_sets = [s for s in sets if s.name in each]
                asked_clauses = [s.each for s in asked_sets]
                asked_params = [p for s in asked_sets for p in s.params]

            def read(more: list[str], keys: list[Any], count: int) -> list[dict[str, Any]]:
                if not asking:
                    return self.query(
                        f"{select} FROM meeting m{hint}{_COUNTRY}"
                        f" WHERE {' AND '.join([*clauses, *more])}{order} LIMIT ?",
                        [*params, *keys, count],
                    )
                led = [
                    r[0]
                    for r in self.db.execute(
                        f"SELECT m.id FROM meeting m{_COUNTRY}"
                        f" WHERE {' AND '.join([*lead, *more])}{order}",
                        [*lead_params, *keys],
                    )
                ]
                found: list[dict[str, Any]] = []
                start, size = 0, count
                while start < len(led) and len(found) < count:
                    part = led[start : start + size]
                    start += len(part)
                    found += self.query(
                        f"{select} FROM meeting m{_COUNTRY}"
                        f" WHERE m.id IN ({', '.join('?' * len(part))})"
                        f" AND {' AND '.join(asked_clauses)}{order} LIMIT ?",
                        [*part, *asked_params, count - len(found)],
                    )
                    # The next part: as many as the share found so far says the page still
                    # needs, and a fifth more (a question costs 40-130 µs).
                    share = max(len(found), 1) / start
                    size = min(1000, max(50, int((count - len(found)) / share * 1.2)))
                return found

            if order_by == "date":  # every meeting has one
                after_key = [f"({column}, m.id) {op} (?, ?)"] if after else []
                rows = read(after_key, list(after or ()), limit)
            else:
                # As in a spreadsheet, the meetings without one (no city, no kind) come after
                # the rest in either direction: first those with a value, then the blanks.
                given, blank = _GIVEN_AND_BLANK[order_by]
                if after is None:
                    rows = read([given], [], limit)
                elif after[0] != "":
                    # Upwards from a value, every key is one: a second lower bound would make
                    # SQLite start from the lowest.
                    more = [given] if descending else []
                    rows = read([*more, f"({column}, m.id) {op} (?, ?)"], list(after), limit)
                if len(rows) < limit:
                    if after is not None and after[0] == "":  # among the blanks already
                        more, keys = [blank, f"m.id {op} ?"], [after[1]]
                    else:
                        more, keys = [blank], []
                    rows += read(more, keys, limit - len(rows))
        return self._rows_page(rows, limit)

    def _text_stream(
        self,
        flt: MeetingFilter,
        search: SearchQuery,
        each: tuple[str, ...],
        descending: bool = True,
        after: tuple[Any, int] | None = None,
        joins: str = "",
    ) -> tuple[str, list[Any]]:
        """The filter's meetings read straight from the full-text index, whose keys are in
        date order (search.key_sql): only matches are visited, and only until the page is
        full or the count reaches its limit. The filter's other sets are asked about each
        match or collected, as planned. Returns ``FROM ... WHERE ...`` (the meeting is ``m``,
        followed by ``joins``) and its parameters; ``ORDER BY meeting_fts.rowid`` keeps the
        index's order."""
        clauses, params = self._where(flt, search=search, each=each, streamed=True)
        bounds: list[str] = []
        keys: list[int] = []
        if after is not None:
            bounds.append("meeting_fts.rowid < ?" if descending else "meeting_fts.rowid > ?")
            keys.append(text_key(date.fromisoformat(after[0]), after[1]))
        # The dates bound the keys too, so the index skips to them.
        if flt.date_from:
            bounds.append("meeting_fts.rowid >= ?")
            keys.append(key_day(flt.date_from))
        if flt.date_to:
            bounds.append("meeting_fts.rowid <= ?")
            keys.append(key_day(flt.date_to) + ID_MASK)
        return (
            f"FROM meeting_fts CROSS JOIN meeting m ON m.id = meeting_fts.{MEETING_OF_KEY}{joins}"
            f" WHERE {' AND '.join(['meeting_fts MATCH ?', *bounds, *clauses])}",
            [search.match, *keys, *params],
        )

    @staticmethod
    def _rows_page(rows: list[dict[str, Any]], limit: int) -> Page:
        page = Page(
            rows=[
                MeetingRow(
                    id=r["id"],
                    date=list_date(r["date"]),
                    precision=Precision(r["date_precision"]),
                    subject=r["subject"],
                    counterpart=r["counterpart"],
                    city=sys.intern(r["city"]),
                    country=sys.intern(r["country"]),
                    kind=sys.intern(r["kind"]),
                )
                for r in rows
            ]
        )
        if len(rows) == limit:
            page.next_after = (rows[-1]["sort_value"], rows[-1]["id"])
        return page

    def with_counterpart_on(self, person_ids: list[int], day: date) -> list[int]:
        """Meetings on ``day`` in which any of these people took part (the duplicate guard)."""
        if not person_ids:
            return []
        marks = ", ".join("?" * len(person_ids))
        rows = self.query(
            "SELECT DISTINCT m.id FROM meeting m JOIN participant p ON p.meeting_id = m.id"
            f" WHERE m.deleted_at IS NULL AND m.date = ? AND p.person_id IN ({marks})"
            " ORDER BY m.id",
            [day.isoformat(), *person_ids],
        )
        return [r["id"] for r in rows]

    def kinds_in_use(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT kind FROM meeting ORDER BY kind").fetchall()
        return [str(r[0]) for r in rows]

    def for_person(self, person_id: int) -> list[MeetingRow]:
        return self.page(MeetingFilter(person_id=person_id), limit=100_000).rows

    # --- writing ----------------------------------------------------------------------------
    def save(self, meeting: Meeting) -> Meeting:
        """Insert or update the meeting with everything it holds. The caller opens the
        transaction (services do), so a failure anywhere leaves nothing half-saved."""
        validate_meeting(meeting)
        counterpart = "; ".join(
            p.person_name or self._name(p.person_id)
            for p in meeting.participants
            if p.side is Side.COUNTERPART
        )
        row = {
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
            "subject_sort": sort_key(meeting.subject),
            "summary": meeting.summary,
            "topics": json.dumps(meeting.topics, ensure_ascii=False),
            "delegation_id": meeting.delegation_id,
            "confidentiality": meeting.confidentiality.value,
            "counterpart": counterpart,
            "counterpart_sort": sort_key(counterpart),
            "city_sort": sort_key(meeting.city),
            "kind_sort": sort_key(meeting.kind),
            "provenance": meeting.provenance,
        }
        indexed_on: str | None = None
        if meeting.id is None:
            meeting.id = self.insert_row("meeting", {"uid": meeting.uid, **row})
            meeting.version = 1
            self._write_participants(meeting)
            self._write_sources(meeting)
            self._write_documents(meeting)
            self._write_actions(meeting)
        else:
            indexed_on = self.fetch_row("meeting", meeting.id)["date"]
            # The version check comes first, before any part is written: a copy read before
            # a colleague's save (of any part) is a conflict, never a write-back of stale parts.
            based_on = meeting.version
            meeting.version = self.update_row("meeting", meeting.id, based_on, row)
            parts = [
                self._write_participants(meeting),
                self._write_sources(meeting),
                self._write_documents(meeting),
                self._write_actions(meeting),
            ]
            if any(parts) and meeting.version == based_on:
                meeting.version = self.raise_meeting_version(meeting.id)
        # Its actions sort by its date, counterpart and countries (the participants' too).
        action_keys.refresh_meeting(self.db.conn, meeting.id)
        self.reindex(meeting.id, indexed_on=indexed_on)
        return meeting

    def _name(self, person_id: int) -> str:
        row = self.db.execute("SELECT full_name FROM person WHERE id = ?", [person_id]).fetchone()
        return str(row[0]) if row else ""

    def _write_participants(self, meeting: Meeting) -> bool:
        """Write the participants; whether they changed."""
        before = self.query(
            "SELECT person_id, side, role, title, organisation_id FROM participant"
            " WHERE meeting_id = ? ORDER BY ordinal, id",
            [meeting.id],
        )
        old = [f"{r['person_id']}:{r['side']}:{r['title']}" for r in before]
        self.db.execute("DELETE FROM participant WHERE meeting_id = ?", [meeting.id])
        for ordinal, p in enumerate(meeting.participants):
            self.db.execute(
                "INSERT INTO participant (meeting_id, person_id, side, role, title,"
                " organisation_id, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    meeting.id,
                    p.person_id,
                    p.side.value,
                    p.role,
                    p.title,
                    p.organisation_id,
                    ordinal,
                ],
            )
        new = [f"{p.person_id}:{p.side.value}:{p.title}" for p in meeting.participants]
        if old and old != new:
            self.log("meeting", meeting.uid, "update", "participants", old, new)
        return [
            (r["person_id"], r["side"], r["role"], r["title"], r["organisation_id"]) for r in before
        ] != [
            (p.person_id, p.side.value, p.role, p.title, p.organisation_id)
            for p in meeting.participants
        ]

    def _write_sources(self, meeting: Meeting) -> bool:
        """Write the sources, each checked against the version it was read at; whether any
        changed."""
        changed = False
        kept: list[int] = []
        before = self._labels(
            "meeting_source", "coalesce(nullif(title, ''), publisher, url)", meeting
        )
        for ordinal, source in enumerate(meeting.sources):
            row = {
                "meeting_id": meeting.id,
                "publisher": source.publisher.strip(),
                "url": source.url.strip(),
                "published_on": source.published_on.isoformat() if source.published_on else None,
                "title": source.title.strip(),
                "text": source.text,
                "document": source.document,
                "ordinal": ordinal,
            }
            part_id, part_changed = self._write_part("meeting_source", source, row)
            kept.append(part_id)
            changed = changed or part_changed
        if self._delete_missing("meeting_source", meeting.id, kept):
            # Seen in the meeting's own history, like its participants; the source's values
            # are in its own delete entry.
            now = [s.title.strip() or s.publisher.strip() or s.url.strip() for s in meeting.sources]
            self.log("meeting", meeting.uid, "update", "sources", before, now)
            return True
        return changed

    def _write_part(
        self, table: str, part: Source | SignedDocument, row: dict[str, Any]
    ) -> tuple[int, bool]:
        """Insert a versioned part of a meeting, or update it against the version it was read
        at (a stale one is a conflict): its id, and whether it changed. Sets the part's id and
        version."""
        existing = self.id_for_uid(table, part.uid)
        if existing is None:
            part.id = self.insert_row(table, {"uid": part.uid, **row})
            part.version = 1
            return part.id, True
        part.id = existing
        based_on = part.version
        part.version = self.update_row(table, existing, based_on, row)
        return existing, part.version != based_on

    def _write_documents(self, meeting: Meeting) -> bool:
        """Write the documents signed, each checked against the version it was read at;
        whether any changed."""
        changed = False
        kept: list[int] = []
        before = self._labels("signed_document", "title", meeting)
        for ordinal, document in enumerate(meeting.documents):
            row = {
                "meeting_id": meeting.id,
                "title": document.title.strip(),
                "kind": document.kind.value,
                "signed_on": document.signed_on.isoformat() if document.signed_on else None,
                "signed_by": json.dumps(document.signed_by, ensure_ascii=False),
                "ordinal": ordinal,
            }
            part_id, part_changed = self._write_part("signed_document", document, row)
            kept.append(part_id)
            changed = changed or part_changed
        if self._delete_missing("signed_document", meeting.id, kept):
            now = [d.title.strip() for d in meeting.documents]
            self.log("meeting", meeting.uid, "update", "documents_signed", before, now)
            return True
        return changed

    def _write_actions(self, meeting: Meeting) -> bool:
        """Write the agreed actions (each checked against its version); whether any changed."""
        changed = False
        kept: list[int] = []
        before = self._labels("agreed_action", "text", meeting)
        for ordinal, action in enumerate(meeting.actions):
            action.meeting_id = meeting.id
            based_on = action.id, action.version
            self.actions.save(action, ordinal=ordinal, within_meeting=True)
            assert action.id is not None
            kept.append(action.id)
            changed = changed or (action.id, action.version) != based_on
        stale_ids = self._missing("agreed_action", meeting.id, kept)
        for stale in stale_ids:
            self.actions.delete(stale, within_meeting=True)
        if stale_ids:
            now = [a.text for a in meeting.actions]
            self.log("meeting", meeting.uid, "update", "agreed_actions", before, now)
        return changed or bool(stale_ids)

    def _labels(self, table: str, label_sql: str, meeting: Meeting) -> list[str]:
        """How the meeting's sources or actions are named in its history, before a save."""
        assert table in ("meeting_source", "agreed_action", "signed_document")
        rows = self.db.execute(
            f"SELECT {label_sql} FROM {table} WHERE meeting_id = ? ORDER BY ordinal, id",
            [meeting.id],
        )
        return [str(r[0] or "") for r in rows]

    def _missing(self, table: str, meeting_id: int | None, kept: list[int]) -> list[int]:
        # "NOT IN (NULL)" would keep every row: with none kept, every row is missing.
        marks = ", ".join("?" * len(kept))
        unkept = f" AND id NOT IN ({marks})" if kept else ""
        rows = self.query(
            f"SELECT id FROM {table} WHERE meeting_id = ?{unkept}", [meeting_id, *kept]
        )
        return [r["id"] for r in rows]

    def _delete_missing(self, table: str, meeting_id: int | None, kept: list[int]) -> bool:
        """Delete the rows no longer listed, their old values logged; whether any were."""
        stale_ids = self._missing(table, meeting_id, kept)
        for stale in stale_ids:
            self.delete_row(table, stale)
        return bool(stale_ids)

    @cached_property
    def _documents_kept(self) -> bool:
        """Whether the file has documents signed yet: an older file's migration re-indexes
        its meetings before the migration that adds them."""
        return bool(
            self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signed_document'"
            ).fetchone()
        )

    def reindex(self, meeting_id: int, *, indexed_on: str | None = None) -> None:
        """Write the meeting's words to the full-text index. ``indexed_on``: the date it was
        indexed under, when that may differ from its date now (its key holds the date)."""
        row = self.fetch_row("meeting", meeting_id)
        names = self.query(
            "SELECT n.name FROM participant p JOIN person_name n ON n.person_id = p.person_id"
            " WHERE p.meeting_id = ?",
            [meeting_id],
        )
        titles = self.query("SELECT title FROM participant WHERE meeting_id = ?", [meeting_id])
        sources = self.query(
            "SELECT publisher, url, title, document, text FROM meeting_source WHERE meeting_id = ?",
            [meeting_id],
        )
        documents = (
            self.query("SELECT title, kind FROM signed_document WHERE meeting_id = ?", [meeting_id])
            if self._documents_kept
            else []
        )
        country = self.db.execute(
            "SELECT name, other_names FROM country WHERE id = ?", [row["country_id"]]
        ).fetchone()
        places = " ".join(
            filter(None, [row["venue"], row["city"], row["occasion"], *(country or [])])
        )
        texts = [
            row["subject"],
            row["summary"],
            places,
            " ".join([r["name"] for r in names] + [r["title"] for r in titles]),
            " ".join(" ".join(s.values()) for s in [*sources, *documents]),
            " ".join(json.loads(row["topics"])),
        ]
        # Keyed by the meeting's day and id (search.key_sql).
        key = text_key(date.fromisoformat(row["date"]), meeting_id)
        old_key = text_key(date.fromisoformat(indexed_on or row["date"]), meeting_id)
        self.db.execute("DELETE FROM meeting_fts WHERE rowid IN (?, ?)", [old_key, key])
        self.db.execute(
            "INSERT INTO meeting_fts (rowid, subject, summary, places, names, sources, topics)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [key, *texts],
        )
        if self._collected is not None:
            self._collected.extend(texts)
        else:
            add_terms(self.db, *texts)

    def delete(self, meeting_id: int) -> None:
        """Move to the bin: the meeting and everything it holds stay, and can be restored."""
        row = self.fetch_row("meeting", meeting_id)
        if row["deleted_at"] is None:
            self.db.execute(
                "UPDATE meeting SET deleted_at = ?, version = version + 1 WHERE id = ?",
                [now_iso(), meeting_id],
            )
            self.log("meeting", row["uid"], "delete")

    def restore(self, meeting_id: int) -> None:
        row = self.fetch_row("meeting", meeting_id)
        if row["deleted_at"] is not None:
            self.db.execute(
                "UPDATE meeting SET deleted_at = NULL, version = version + 1 WHERE id = ?",
                [meeting_id],
            )
            self.log("meeting", row["uid"], "restore")
