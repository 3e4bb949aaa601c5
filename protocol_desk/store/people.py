"""People with every spelling of their names and their positions over time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from protocol_desk.domain.dates import Precision, base_date_from_iso, base_date_to_iso
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import PersonFilter, PersonMatch, PersonRow
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    AnniversaryKind,
    Person,
    PersonName,
    Position,
    Side,
)
from protocol_desk.domain.names import (
    MIN_CLOSE,
    Match,
    TypedWord,
    best_spelling,
    case_bases,
    close,
    name_key,
    quick_bases,
    same_name,
    typed_words,
    word_keys,
)
from protocol_desk.domain.text import fold, sort_key
from protocol_desk.domain.validation import validate_person
from protocol_desk.store.base import Repository, now_iso
from protocol_desk.store.search import index_tokens, quote

if TYPE_CHECKING:
    from collections.abc import Iterable

    from protocol_desk.store.anniversaries import AnniversaryRepository


_FEW_MATCHES = 1_000  # up to this many people matching a name are sorted; more are walked
_KEYS_PER_QUERY = 500  # spellings asked about at once: well under SQLite's bound-variable limit
_SURNAME_HITS = 50  # people whose names hold a word, looked at for one ending with it


def _names_match(words: tuple[str, ...]) -> str:
    """The full-text query for spellings with a word beginning with each of ``words``."""
    return " ".join(f"names:{quote(w)}*" for w in words)


def _word_match(word: TypedWord) -> str:
    """The full-text query for the spellings one typed word finds as it is written: any word
    it begins when it is still being typed, else that word (in any case, without accents)."""
    tokens = index_tokens(word.text) or (word.folded,)
    star = "*" if word.prefix else ""
    return " ".join(f"names:{quote(t)}{star}" for t in tokens)


@dataclass(frozen=True)
class PersonMeetingRow:
    """A meeting someone took part in, with what they were that day."""

    meeting_id: int
    date: date
    precision: Precision
    subject: str
    city: str
    side: Side
    role: str
    title: str
    organisation: str


@dataclass(frozen=True)
class OrganisationMember:
    """Someone who held a position in an organisation, and when."""

    person_id: int
    full_name: str
    title: str
    start: date | None
    end: date | None


def _optional_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class PersonRepository(Repository):
    @cached_property
    def anniversaries(self) -> AnniversaryRepository:
        # Imported when first needed: suggesting names for a filter needs no anniversaries.
        from protocol_desk.store.anniversaries import AnniversaryRepository

        return AnniversaryRepository(self.db, self.user)

    def get(self, person_id: int) -> Person:
        row = self.fetch_row("person", person_id)
        return self._person(row)

    def _person(self, row: dict[str, Any]) -> Person:
        person_id = row["id"]
        names = self.query(
            "SELECT name, note, misprint FROM person_name WHERE person_id = ? ORDER BY ordinal, id",
            [person_id],
        )
        positions = [
            Position(
                id=p["id"],
                uid=p["uid"],
                title=p["title"],
                organisation_id=p["organisation_id"],
                start=date.fromisoformat(p["start_date"]) if p["start_date"] else None,
                end=date.fromisoformat(p["end_date"]) if p["end_date"] else None,
                provenance=p["provenance"],
            )
            for p in self.query(
                "SELECT * FROM position WHERE person_id = ? ORDER BY coalesce(start_date, ''), id",
                [person_id],
            )
        ]
        return Person(
            id=person_id,
            uid=row["uid"],
            version=row["version"],
            full_name=row["full_name"],
            side=Side(row["side"]),
            variants=[
                PersonName(n["name"], n["note"], bool(n["misprint"]))
                for n in names
                if n["name"] != row["full_name"]
            ],
            form_of_address=row["form_of_address"],
            country_id=row["country_id"],
            birth_date=base_date_from_iso(row["birth_date"]),
            notes=row["notes"],
            provenance=row["provenance"],
            positions=positions,
            has_photo=row["photo"] is not None,
        )

    def all(self) -> list[Person]:
        rows = self.query(
            "SELECT * FROM person WHERE merged_into_id IS NULL AND deleted_at IS NULL"
            " ORDER BY sort_key"
        )
        return [self._person(r) for r in rows]

    def names_in_order(self) -> list[tuple[int, str]]:
        """(id, full name) of everyone not merged away, in dictionary order."""
        rows = self.db.execute(
            "SELECT id, full_name FROM person WHERE merged_into_id IS NULL"
            " AND deleted_at IS NULL ORDER BY sort_key, id"
        ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def photo(self, person_id: int) -> bytes | None:
        row = self.db.execute("SELECT photo FROM person WHERE id = ?", [person_id]).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def set_photo(self, person_id: int, photo: bytes | None) -> None:
        self.update_row("person", person_id, None, {"photo": photo})

    def save(self, person: Person) -> Person:
        validate_person(person)
        row = {
            "full_name": person.full_name.strip(),
            "sort_key": sort_key(person.full_name),
            "side": person.side.value,
            "form_of_address": person.form_of_address,
            "country_id": person.country_id,
            "birth_date": base_date_to_iso(person.birth_date),
            "notes": person.notes,
            "provenance": person.provenance,
        }
        if person.id is None:
            person.id = self.insert_row("person", {"uid": person.uid, **row})
            person.version = 1
        else:
            person.version = self.update_row("person", person.id, person.version, row)
        self._write_names(person)
        self._write_positions(person)
        self.reindex(person.id)
        self._sync_birthday(person, merged=self.merged_into(person.id) is not None)
        return person

    def _sync_birthday(self, person: Person, *, merged: bool) -> None:
        # A record merged away keeps its date for history, but only the surviving record's
        # birthday comes up, so nobody is congratulated twice.
        self.anniversaries.sync_derived(
            f"person:{person.uid}:birthday",
            AnniversaryKind.BIRTHDAY,
            f"Birthday of {person.full_name}",
            None if merged else person.birth_date,
            person_id=person.id,
            provenance=person.provenance,
        )

    def _write_names(self, person: Person) -> None:
        names = [PersonName(person.full_name.strip()), *person.variants]
        old = [
            r["name"]
            for r in self.query(
                "SELECT name FROM person_name WHERE person_id = ? ORDER BY ordinal, id", [person.id]
            )
        ]
        self.db.execute("DELETE FROM person_name WHERE person_id = ?", [person.id])
        seen: set[str] = set()
        for ordinal, variant in enumerate(names):
            name = variant.name.strip()
            if name in seen:
                continue
            seen.add(name)
            self.db.execute(
                "INSERT INTO person_name (person_id, name, name_key, note, ordinal,"
                " spelling_key, misprint) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    person.id,
                    name,
                    fold(name),
                    variant.note,
                    ordinal,
                    name_key(name),
                    int(variant.misprint),
                ],
            )
        self._write_words(person.id, seen)
        new = [n for n in seen]
        if sorted(old) != sorted(new) and old:
            self.log("person", person.uid, "update", "names", old, [v.name for v in names])

    def _write_words(self, person_id: int | None, spellings: Iterable[str]) -> None:
        """The word keys of all the person's spellings, for finding them in any spelling."""
        self.db.execute("DELETE FROM person_word WHERE person_id = ?", [person_id])
        keys = sorted({k for name in spellings for k in word_keys(name)})
        self.db.conn.executemany(
            "INSERT INTO person_word (key, person_id, tail) VALUES (?, ?, ?)",
            [(key, person_id, key[::-1]) for key in keys],
        )

    def _write_positions(self, person: Person) -> None:
        kept: list[int] = []
        for position in person.positions:
            row = {
                "person_id": person.id,
                "organisation_id": position.organisation_id,
                "title": position.title.strip(),
                "start_date": position.start.isoformat() if position.start else None,
                "end_date": position.end.isoformat() if position.end else None,
                "provenance": position.provenance,
            }
            existing = self.id_for_uid("position", position.uid)
            if existing is None:
                position.id = self.insert_row("position", {"uid": position.uid, **row})
            else:
                position.id = existing
                self.update_row("position", existing, None, row)
            kept.append(position.id)
        # "NOT IN (NULL)" would keep every row: with none kept, every position goes.
        unkept = f" AND id NOT IN ({', '.join('?' * len(kept))})" if kept else ""
        for stale in self.query(
            f"SELECT id FROM position WHERE person_id = ?{unkept}", [person.id, *kept]
        ):
            self.delete_row("position", stale["id"])  # its values kept in the log

    def mark_merged(self, person_id: int, into_id: int) -> None:
        """Record that ``person_id`` turned out to be ``into_id``; the row stays for history."""
        # Merged into itself, or into someone merged into it, a person would vanish from every
        # list with nobody left standing for them.
        into: int | None = into_id
        seen: set[int] = set()
        while into is not None and into not in seen:
            seen.add(into)
            if into == person_id:
                raise ValidationError(
                    N_(
                        "{name} cannot be merged into {kept}: that record is (or was merged "
                        "into) this one.",
                        name=self.get(person_id).full_name,
                        kept=self.get(into_id).full_name,
                    )
                )
            into = self.merged_into(into)
        self.update_row("person", person_id, None, {"merged_into_id": into_id}, operation="merge")
        absorbed = self.get(person_id)
        self._sync_birthday(absorbed, merged=True)
        self.db.execute("DELETE FROM person_fts WHERE rowid = ?", [person_id])

    def is_deleted(self, person_id: int) -> bool:
        return self.fetch_row("person", person_id)["deleted_at"] is not None

    def delete(self, person_id: int) -> None:
        """Move to the bin: the record stays, and every meeting, visit and anniversary that
        names the person keeps naming them; it can be restored. Their birthday, which follows
        from their record, goes to the bin with them (its lead time and notes kept)."""
        row = self.fetch_row("person", person_id)
        if row["deleted_at"] is None:
            self.db.execute(
                "UPDATE person SET deleted_at = ?, version = version + 1 WHERE id = ?",
                [now_iso(), person_id],
            )
            self.log("person", row["uid"], "delete")
            birthday = self._birthday(row["uid"])
            if birthday is not None and birthday[1] is None:
                self.anniversaries.delete(birthday[0])

    def restore(self, person_id: int) -> None:
        row = self.fetch_row("person", person_id)
        if row["deleted_at"] is not None:
            self.db.execute(
                "UPDATE person SET deleted_at = NULL, version = version + 1 WHERE id = ?",
                [person_id],
            )
            self.log("person", row["uid"], "restore")
            birthday = self._birthday(row["uid"])
            # Only a birthday the record still gives (not one retired when its date went).
            if birthday is not None and row["birth_date"] and row["merged_into_id"] is None:
                self.anniversaries.restore(birthday[0])

    def _birthday(self, uid: str) -> tuple[int, str | None] | None:
        """The person's birthday anniversary (id, when binned), when their record has one."""
        found = self.db.execute(
            "SELECT id, deleted_at FROM anniversary WHERE derived_from = ?",
            [f"person:{uid}:birthday"],
        ).fetchone()
        return (int(found[0]), found[1]) if found else None

    def merged_into(self, person_id: int) -> int | None:
        """The record this one was merged into, or None while it stands on its own."""
        row = self.db.execute(
            "SELECT merged_into_id FROM person WHERE id = ?", [person_id]
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def meeting_ids(self, person_id: int) -> list[int]:
        """Every meeting the person took part in, those in the bin included, oldest first."""
        rows = self.query(
            "SELECT m.id FROM participant pa JOIN meeting m ON m.id = pa.meeting_id"
            " WHERE pa.person_id = ? ORDER BY m.date, m.id",
            [person_id],
        )
        return [int(r["id"]) for r in rows]

    def reassign_anniversaries(self, absorbed_id: int, kept_id: int) -> int:
        """Move the officer's own anniversaries of a merged-away person to the one kept;
        agreed actions due on the absorbed birthday follow the kept person's birthday."""
        moved = 0
        for row in self.query(
            "SELECT id FROM anniversary WHERE person_id = ? AND derived_from IS NULL",
            [absorbed_id],
        ):
            self.update_row(
                "anniversary", row["id"], None, {"person_id": kept_id}, operation="merge"
            )
            moved += 1
        absorbed_uid = self.uid_for_id("person", absorbed_id)
        kept_uid = self.uid_for_id("person", kept_id)
        old = self.db.execute(
            "SELECT id FROM anniversary WHERE derived_from = ?", [f"person:{absorbed_uid}:birthday"]
        ).fetchone()
        new = self.db.execute(
            "SELECT id FROM anniversary WHERE derived_from = ? AND deleted_at IS NULL",
            [f"person:{kept_uid}:birthday"],
        ).fetchone()
        if old and new:
            for action in self.query(
                "SELECT id FROM agreed_action WHERE due_anniversary_id = ?", [old[0]]
            ):
                self.update_row(
                    "agreed_action",
                    action["id"],
                    None,
                    {"due_anniversary_id": new[0]},
                    operation="merge",
                )
        return moved

    def count_anniversaries(self, person_id: int) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM anniversary WHERE person_id = ? AND derived_from IS NULL"
            " AND deleted_at IS NULL",
            [person_id],
        ).fetchone()
        return int(row[0])

    # --- the people list --------------------------------------------------------------------
    def _where(self, flt: PersonFilter) -> tuple[list[str], list[Any]]:
        clauses = [
            "p.merged_into_id IS NULL",
            "p.deleted_at IS NOT NULL" if flt.deleted else "p.deleted_at IS NULL",
        ]
        params: list[Any] = []
        text = flt.text or ""
        words = index_tokens(text)
        found = self.matching(text) if words or typed_words(text) else {}
        if found is not None and (words or typed_words(text)):
            # Any spelling, script, case form or a slip or two (``matching``).
            clauses.append("p.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(found)))
        elif words:
            # The first letters of a name: every typed word begins a word of some spelling,
            # in any script and case; the full-text index answers in milliseconds.
            clauses.append("p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?)")
            params.append(_names_match(words))
        if flt.side is not None:
            clauses.append("p.side = ?")
            params.append(flt.side.value)
        if flt.country_id is not None:
            clauses.append("p.country_id = ?")
            params.append(flt.country_id)
        if flt.organisation_id is not None:
            clauses.append("p.id IN (SELECT person_id FROM position WHERE organisation_id = ?)")
            params.append(flt.organisation_id)
        return clauses, params

    def count(self, flt: PersonFilter) -> int:
        clauses, params = self._where(flt)
        row = self.db.execute(
            f"SELECT count(*) FROM person p WHERE {' AND '.join(clauses)}", params
        ).fetchone()
        return int(row[0])

    def page(
        self,
        flt: PersonFilter,
        *,
        after: tuple[str, int] | None = None,
        limit: int = 200,
        on: date | None = None,
    ) -> tuple[list[PersonRow], tuple[str, int] | None]:
        """One page of people in dictionary order, continuing after a (sort key, id)."""
        clauses, params = self._where(flt)
        if after is not None:
            clauses.append("(p.sort_key > ? OR (p.sort_key = ? AND p.id > ?))")
            params += [after[0], after[0], after[1]]
        day = (on or date.today()).isoformat()
        rows = self.query(
            "SELECT p.id, p.full_name, p.side, p.sort_key, coalesce(c.name, '') AS country,"
            " (SELECT group_concat(name, ' · ') FROM (SELECT n.name FROM person_name n"
            "   WHERE n.person_id = p.id AND n.name <> p.full_name ORDER BY n.ordinal, n.id))"
            "   AS other_names,"
            " (SELECT po.title FROM position po WHERE po.person_id = p.id"
            "   AND (po.start_date IS NULL OR po.start_date <= ?)"
            "   AND (po.end_date IS NULL OR po.end_date >= ?)"
            "   ORDER BY coalesce(po.start_date, '') DESC, po.id DESC LIMIT 1) AS title"
            " FROM person p LEFT JOIN country c ON c.id = p.country_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY p.sort_key, p.id LIMIT ?",
            [day, day, *params, limit],
        )
        result = [
            PersonRow(
                id=r["id"],
                full_name=r["full_name"],
                other_names=r["other_names"] or "",
                side=Side(r["side"]),
                country=r["country"],
                title=r["title"] or "",
                sort_value=r["sort_key"],
            )
            for r in rows
        ]
        following = (result[-1].sort_value, result[-1].id) if len(result) == limit else None
        return result, following

    def meetings(
        self,
        person_id: int,
        *,
        after: tuple[str, int] | None = None,
        limit: int = 200,
    ) -> tuple[list[PersonMeetingRow], tuple[str, int] | None]:
        """The person's meetings newest first (the bin left out), continuing after (date, id)."""
        clauses = ["pa.person_id = ?", "m.deleted_at IS NULL"]
        params: list[Any] = [person_id]
        if after is not None:
            clauses.append("(m.date < ? OR (m.date = ? AND m.id < ?))")
            params += [after[0], after[0], after[1]]
        rows = self.query(
            "SELECT m.id, m.date, m.date_precision, m.subject, m.city, pa.side, pa.role,"
            " pa.title, coalesce(o.name, '') AS organisation"
            " FROM participant pa JOIN meeting m ON m.id = pa.meeting_id"
            " LEFT JOIN organisation o ON o.id = pa.organisation_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY m.date DESC, m.id DESC LIMIT ?",
            [*params, limit],
        )
        result = [
            PersonMeetingRow(
                meeting_id=r["id"],
                date=date.fromisoformat(r["date"]),
                precision=Precision(r["date_precision"]),
                subject=r["subject"],
                city=r["city"],
                side=Side(r["side"]),
                role=r["role"],
                title=r["title"],
                organisation=r["organisation"],
            )
            for r in rows
        ]
        following = (
            (result[-1].date.isoformat(), result[-1].meeting_id) if len(result) == limit else None
        )
        return result, following

    def count_meetings(self, person_id: int) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM participant pa JOIN meeting m ON m.id = pa.meeting_id"
            " WHERE pa.person_id = ? AND m.deleted_at IS NULL",
            [person_id],
        ).fetchone()
        return int(row[0])

    def members_of(self, organisation_id: int) -> list[OrganisationMember]:
        """Everyone who held a position in the organisation, current holders first."""
        rows = self.query(
            "SELECT p.id, p.full_name, po.title, po.start_date, po.end_date"
            " FROM position po JOIN person p ON p.id = po.person_id"
            " WHERE po.organisation_id = ? AND p.merged_into_id IS NULL AND p.deleted_at IS NULL"
            " ORDER BY po.end_date IS NOT NULL, coalesce(po.end_date, '') DESC,"
            " coalesce(po.start_date, '') DESC, p.sort_key",
            [organisation_id],
        )
        return [
            OrganisationMember(
                person_id=r["id"],
                full_name=r["full_name"],
                title=r["title"],
                start=_optional_date(r["start_date"]),
                end=_optional_date(r["end_date"]),
            )
            for r in rows
        ]

    def people_with_name(self, names: list[str], *, other_than: int | None = None) -> list[int]:
        """People (not merged away) any of whose spellings is one of ``names``, ignoring case."""
        keys = sorted({fold(n.strip()) for n in names if n.strip()})
        if not keys:
            return []
        rows = self.query(
            "SELECT DISTINCT p.id FROM person_name n JOIN person p ON p.id = n.person_id"
            " WHERE p.merged_into_id IS NULL"
            f" AND p.deleted_at IS NULL AND n.name_key IN ({', '.join('?' * len(keys))})"
            " AND p.id IS NOT ? ORDER BY p.id",
            [*keys, other_than],
        )
        return [int(r["id"]) for r in rows]

    def reindex(self, person_id: int) -> None:
        names = " ".join(
            r["name"]
            for r in self.query("SELECT name FROM person_name WHERE person_id = ?", [person_id])
        )
        titles = " ".join(
            r["title"]
            for r in self.query("SELECT title FROM position WHERE person_id = ?", [person_id])
        )
        self.db.execute("DELETE FROM person_fts WHERE rowid = ?", [person_id])
        self.db.execute(
            "INSERT INTO person_fts (rowid, names, titles) VALUES (?, ?, ?)",
            [person_id, names, titles],
        )

    def spelt(self, keys: Iterable[str]) -> dict[str, list[int]]:
        """For each folded spelling that is someone's name (people not merged away), who."""
        wanted = sorted(set(keys))
        found: dict[str, list[int]] = {}
        for start in range(0, len(wanted), _KEYS_PER_QUERY):
            chunk = wanted[start : start + _KEYS_PER_QUERY]
            rows = self.db.execute(
                "SELECT DISTINCT n.name_key, p.id FROM person_name n"
                " JOIN person p ON p.id = n.person_id"
                " WHERE p.merged_into_id IS NULL"
                f" AND p.deleted_at IS NULL AND n.name_key IN ({', '.join('?' * len(chunk))})"
                " ORDER BY p.id",
                chunk,
            ).fetchall()
            for key, person_id in rows:
                found.setdefault(str(key), []).append(int(person_id))
        return found

    def spelt_as(self, keys: Iterable[str]) -> dict[str, list[int]]:
        """For each whole-name key (``domain.names.name_key``) that is the key of someone's
        spelling (people not merged away), who: the same name in any script or romanisation."""
        wanted = sorted(set(keys))
        found: dict[str, list[int]] = {}
        for start in range(0, len(wanted), _KEYS_PER_QUERY):
            chunk = wanted[start : start + _KEYS_PER_QUERY]
            rows = self.db.execute(
                "SELECT DISTINCT n.spelling_key, p.id FROM person_name n"
                " JOIN person p ON p.id = n.person_id WHERE p.merged_into_id IS NULL"
                " AND p.deleted_at IS NULL"
                f" AND n.spelling_key IN ({', '.join('?' * len(chunk))}) ORDER BY p.id",
                chunk,
            ).fetchall()
            for key, person_id in rows:
                found.setdefault(str(key), []).append(int(person_id))
        return found

    def with_last_word(self, keys: Iterable[str], enough: int = 2) -> list[int]:
        """People (not merged away) one of whose spellings ends with a word of one of these
        keys ("Рачковым" → rachkov → Sergey Rachkov): at most ``enough``."""
        wanted = sorted(set(keys))[:_KEYS_PER_QUERY]
        if not wanted:
            return []
        hits = self.db.execute(
            "SELECT DISTINCT w.person_id FROM person_word w JOIN person p ON p.id = w.person_id"
            f" WHERE w.key IN ({', '.join('?' * len(wanted))}) AND p.merged_into_id IS NULL"
            " AND p.deleted_at IS NULL"
            " ORDER BY w.person_id LIMIT ?",
            [*wanted, _SURNAME_HITS],
        ).fetchall()
        found: list[int] = []
        for (person_id,) in hits:
            spellings = self.db.execute(
                "SELECT spelling_key FROM person_name WHERE person_id = ?", [person_id]
            ).fetchall()
            if any(str(k).rsplit(" ", 1)[-1] in wanted for (k,) in spellings):
                found.append(int(person_id))
                if len(found) >= enough:
                    break
        return found

    def close_words(self, key: str) -> set[str]:
        """Word keys of people's spellings a slip or two from ``key`` (``_close_keys``)."""
        return self._close_keys(key) if len(key) >= MIN_CLOSE else set()

    def with_last_name(self, word: str, enough: int = 2) -> list[int]:
        """People (not merged away) one of whose spellings ends with ``word``, as the index
        folds words ("Koshanov" finds Yerlan Koshanov): at most ``enough``, which is all a
        caller telling one person from several needs."""
        words = index_tokens(word)
        if not words:
            return []
        hits = self.db.execute(
            "SELECT p.id FROM person_fts f JOIN person p ON p.id = f.rowid"
            " WHERE person_fts MATCH ? AND p.merged_into_id IS NULL"
            " AND p.deleted_at IS NULL LIMIT ?",
            [" ".join(f"names:{quote(w)}" for w in words), _SURNAME_HITS],
        ).fetchall()
        found: list[int] = []
        for (person_id,) in hits:
            names = self.db.execute(
                "SELECT name FROM person_name WHERE person_id = ?", [person_id]
            ).fetchall()
            if any(index_tokens(name)[-len(words) :] == words for (name,) in names):
                found.append(int(person_id))
                if len(found) >= enough:
                    break
        return found

    def find_by_name(self, name: str) -> Person | None:
        """The person any of whose spellings is exactly ``name`` (case-insensitively)."""
        row = self.db.execute(
            "SELECT p.id FROM person_name n JOIN person p ON p.id = n.person_id"
            " WHERE n.name_key = ? AND p.merged_into_id IS NULL"
            " AND p.deleted_at IS NULL ORDER BY p.id LIMIT 1",
            [fold(name.strip())],
        ).fetchone()
        return self.get(row[0]) if row else None

    # --- finding people by any spelling (``domain.names``) ----------------------------------
    def _word_people(self, word: TypedWord, *, thorough: bool) -> dict[int, Match] | None:
        """The people one typed word finds, each with its best match; None when a few letters
        find more than ``_FEW_MATCHES`` (then the list is walked in its own order)."""
        found: dict[int, Match] = {}

        def take(rows: list[Any], how: Match) -> None:
            for (person_id,) in rows:
                if found.get(person_id, Match.CLOSE + 1) > how:
                    found[person_id] = how

        spelt = self.db.execute(
            "SELECT rowid FROM person_fts WHERE person_fts MATCH ? LIMIT ?",
            [_word_match(word), _FEW_MATCHES + 1],
        ).fetchall()
        if len(spelt) > _FEW_MATCHES:
            return None
        take(spelt, Match.SPELLING)
        if word.prefix and len(word.key) >= 2:
            keyed = self.db.execute(
                "SELECT DISTINCT person_id FROM person_word WHERE key >= ? AND key < ? LIMIT ?",
                [word.key, word.key + "{", _FEW_MATCHES + 1],
            ).fetchall()
            if len(keyed) > _FEW_MATCHES:
                return None
        else:
            keyed = self.db.execute(
                "SELECT person_id FROM person_word WHERE key = ?", [word.key]
            ).fetchall()
        take(keyed, Match.KEY)
        bases = case_bases(word.text) if thorough else quick_bases(word.key)
        if bases:
            take(self._with_keys(bases), Match.CASE_FORM)
        if thorough and len(word.key) >= MIN_CLOSE:
            take(self._with_keys(self._close_keys(word.key)), Match.CLOSE)
        return found

    def _with_keys(self, keys: Iterable[str]) -> list[Any]:
        wanted = sorted(set(keys))[:_KEYS_PER_QUERY]
        if not wanted:
            return []
        return self.db.execute(
            f"SELECT person_id FROM person_word WHERE key IN ({', '.join('?' * len(wanted))})",
            wanted,
        ).fetchall()

    def _close_keys(self, key: str) -> set[str]:
        """Stored word keys one or two slips from ``key``: looked for among the keys that
        begin with its first two letters or end with its last three (two indexes), never
        among everyone's."""
        rows = self.db.execute(
            "SELECT key FROM person_word WHERE key >= ? AND key < ?"
            " AND length(key) BETWEEN ? AND ?"
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
        return {str(k) for (k,) in rows if k != key and close(key, str(k))}

    def matching(self, text: str, *, thorough: bool = True) -> dict[int, Match] | None:
        """The people (not merged away) every typed word finds, each with the worst of its
        words' matches; None when the first letters of a name find too many to rank."""
        words = typed_words(text)
        if not words:
            return {}
        found: dict[int, Match] | None = None
        for word in words:
            mine = self._word_people(word, thorough=thorough)
            if mine is None:
                return None
            if found is None:
                found = mine
            else:
                found = {p: max(found[p], how) for p, how in mine.items() if p in found}
            if not found:
                return {}
        assert found is not None
        ids = sorted(found)
        live: set[int] = set()
        for start in range(0, len(ids), _KEYS_PER_QUERY):
            chunk = ids[start : start + _KEYS_PER_QUERY]
            live.update(
                int(r[0])
                for r in self.db.execute(
                    f"SELECT id FROM person WHERE id IN ({', '.join('?' * len(chunk))})"
                    " AND merged_into_id IS NULL AND deleted_at IS NULL",
                    chunk,
                )
            )
        return {p: how for p, how in found.items() if p in live}

    def suggest(
        self, text: str, limit: int = 12, on: date | None = None, *, thorough: bool = True
    ) -> list[PersonMatch]:
        """People a typed name finds, best first: the spelling as stored, then another script
        or romanisation, then a case form, then a close spelling; alphabetical within each.
        Each says which of the person's spellings matched ("Ашимбаев" → Maulen Ashimbayev).

        Answered from indexes, never by reading every name: a name picker asks on each
        keystroke, at two hundred thousand people too. Nothing typed is an error."""
        words = typed_words(text)
        if not words:
            return []
        found = self.matching(text, thorough=thorough)
        day = on or date.today()
        if found is None:
            # The first letter or two: walk the people in alphabetical order and stop at the
            # first ``limit`` whose spellings begin so, instead of sorting them all.
            # The spellings as typed first, then the same letters in another script.
            spelt = " AND ".join(
                "id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?)" for _ in words
            )
            keyed = " AND ".join(
                "(id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?)"
                " OR id IN (SELECT person_id FROM person_word WHERE key >= ? AND key < ?))"
                for _ in words
            )
            ids: list[int] = []
            for clauses, params in (
                (spelt, [_word_match(w) for w in words]),
                (keyed, [p for w in words for p in (_word_match(w), w.key, w.key + "{")]),
            ):
                if len(ids) >= limit:
                    break
                rows = self.db.execute(
                    "SELECT id FROM person INDEXED BY person_sort WHERE merged_into_id IS NULL"
                    " AND deleted_at IS NULL"
                    f" AND {clauses} ORDER BY sort_key LIMIT ?",
                    [*params, limit + len(ids)],
                ).fetchall()
                ids += [int(r[0]) for r in rows if int(r[0]) not in ids]
            return [self._match(i, words, day, thorough) for i in ids[:limit]]
        if not found:
            return []
        ids = sorted(found)[: _FEW_MATCHES + 1]
        ordered = self.db.execute(
            f"SELECT id, sort_key FROM person WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        ).fetchall()
        ordered.sort(key=lambda r: (found[r[0]], r[1], r[0]))
        return [self._match(int(r[0]), words, day, thorough) for r in ordered[:limit]]

    def similar(self, name: str, *, other_than: int | None = None) -> list[int]:
        """People (not merged away) a new name may well be: every word of it meets a word of
        one of their spellings, in any script, case form or with a slip or two, and that
        spelling has no other words ("Maulen Ashimnayev" is Maulen Ashimbayev)."""
        found = self.matching(name) or {}
        similar = []
        for person_id in sorted(found):
            if person_id == other_than:
                continue
            spellings = [
                str(r[0])
                for r in self.db.execute(
                    "SELECT name FROM person_name WHERE person_id = ?", [person_id]
                )
            ]
            if same_name(name, spellings):
                similar.append(person_id)
        return similar

    def _match(
        self, person_id: int, words: list[TypedWord], day: date, thorough: bool = True
    ) -> PersonMatch:
        row = self.db.execute(
            "SELECT full_name, side FROM person WHERE id = ?", [person_id]
        ).fetchone()
        names = [
            str(r[0])
            for r in self.db.execute(
                "SELECT name FROM person_name WHERE person_id = ? ORDER BY ordinal, id",
                [person_id],
            )
        ]
        best = best_spelling(words, names, thorough=thorough)
        how, matched = best if best is not None else (Match.SPELLING, str(row[0]))
        return PersonMatch(
            person_id=person_id,
            full_name=row[0],
            matched_name=matched,
            side=Side(row[1]),
            title=self.title_on(person_id, day),
            how=how,
        )

    def title_on(self, person_id: int, day: date) -> str:
        """The title the person held that day, with the organisation; empty when unknown.
        The latest-starting position wins; among undated ones, the first listed (the main one)."""
        row = self.db.execute(
            "SELECT p.title, o.name FROM position p LEFT JOIN organisation o"
            " ON o.id = p.organisation_id WHERE p.person_id = ?"
            " AND (p.start_date IS NULL OR p.start_date <= ?)"
            " AND (p.end_date IS NULL OR p.end_date >= ?)"
            " ORDER BY coalesce(p.start_date, '') DESC, p.id LIMIT 1",
            [person_id, day.isoformat(), day.isoformat()],
        ).fetchone()
        if not row:
            return ""
        return f"{row[0]}, {row[1]}" if row[1] and row[1] not in row[0] else str(row[0])

    def organisation_on(self, person_id: int, day: date) -> int | None:
        row = self.db.execute(
            "SELECT organisation_id FROM position WHERE person_id = ?"
            " AND (start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date >= ?)"
            " ORDER BY coalesce(start_date, '') DESC, id LIMIT 1",
            [person_id, day.isoformat(), day.isoformat()],
        ).fetchone()
        return row[0] if row else None
