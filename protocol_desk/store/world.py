"""The world reference data in the database: countries of ISO 3166 and international bodies
from ``db/reference/``, added to the office's records without overwriting what it edited.

Read when a database is created or updated (migration ``0011``), never at start."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protocol_desk.domain.text import fold, sort_key
from protocol_desk.domain.world import (
    merge_names,
    merge_value,
    reference_uid,
    without_name,
)
from protocol_desk.store import changelog
from protocol_desk.store.base import _as_text, os_user
from protocol_desk.store.sql import Db

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "db" / "reference"
PROVENANCE = "reference data: db/reference/"


@dataclass
class ReferenceCountry:
    """A country as the reference data gives it."""

    iso: str
    names: dict[str, list[str]]  # by language (en, ru, kk, other), the usual name first
    capital: str = ""

    @property
    def key(self) -> str:
        return f"country:{self.iso}"

    def fields(self) -> dict[str, Any]:
        name = self.names["en"][0]
        others = [n for lang in ("en", "ru", "kk", "other") for n in self.names.get(lang, [])]
        return {
            "name": name,
            "iso_code": self.iso,
            "other_names": _once(without_name(others, name)),
            "capital": self.capital,
        }


@dataclass
class ReferenceOrganisation:
    """An international body as the reference data gives it."""

    key_name: str
    kind: str
    names: dict[str, dict[str, str]]  # by language: name, short, source
    other_names: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"organisation:{self.key_name}"

    def fields(self) -> dict[str, Any]:
        english = self.names["en"]
        others: list[str] = []
        for lang in ("en", "ru", "kk"):
            entry = self.names.get(lang, {})
            others += [entry.get("name", "")]
            if lang != "en":  # the English short name is the record's own short name
                others.append(entry.get("short", ""))
        others += self.other_names
        names = [n for n in others if n]
        return {
            "name": english["name"],
            "short_name": english.get("short") or None,
            "other_names": _once(without_name(names, english["name"])),
            "kind": self.kind,
        }

    def all_names(self) -> list[str]:
        fields = self.fields()
        return [fields["name"], fields["short_name"] or "", *(fields["other_names"])]


def _once(names: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for name in names:
        if fold(name) not in seen:
            seen.add(fold(name))
            kept.append(name)
    return kept


def read_countries(path: Path | None = None) -> list[ReferenceCountry]:
    data = json.loads((path or REFERENCE_DIR / "countries.json").read_text(encoding="utf-8"))
    return [
        ReferenceCountry(iso=c["iso"], names=c["names"], capital=c.get("capital", ""))
        for c in data["countries"]
    ]


def read_organisations(path: Path | None = None) -> list[ReferenceOrganisation]:
    data = json.loads((path or REFERENCE_DIR / "organisations.json").read_text(encoding="utf-8"))
    return [
        ReferenceOrganisation(
            key_name=o["key"],
            kind=o["kind"],
            names=o["names"],
            other_names=[n["name"] for n in o.get("other_names", [])],
        )
        for o in data["organisations"]
    ]


class WorldLoader:
    """Adds reference records to a database, or brings them up to date, in the caller's
    transaction. Each record the reference knows is matched to the office's (by the link kept
    from last time, else ISO code, else a name) and merged field by field
    (``domain.world``); a record the office deleted stays deleted."""

    def __init__(self, db: Db, user: str | None = None) -> None:
        self.db = db
        self.user = user or os_user()
        self.counts = {"added": 0, "updated": 0, "unchanged": 0, "deleted by the office": 0}

    # --- the change log ---------------------------------------------------------------------
    def _log(self, table: str, uid: str, field_name: str | None, old: Any, new: Any) -> None:
        # Chained to the entry before, as every entry of the change log.
        changelog.append(
            self.db.conn,
            (self.user, table, uid, "import", field_name, _as_text(old), _as_text(new)),
        )

    # --- links ------------------------------------------------------------------------------
    def _link(self, ref_key: str) -> tuple[int, bool, dict[str, Any]] | None:
        row = self.db.execute(
            "SELECT row_id, created, fields FROM reference_record WHERE ref_key = ?", [ref_key]
        ).fetchone()
        return (int(row[0]), bool(row[1]), json.loads(row[2])) if row else None

    def _remember(
        self, ref_key: str, table: str, row_id: int, created: bool, fields: dict[str, Any]
    ) -> None:
        self.db.execute(
            "INSERT INTO reference_record (ref_key, table_name, row_id, created, fields)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(ref_key) DO UPDATE SET"
            " row_id = excluded.row_id, fields = excluded.fields",
            [ref_key, table, row_id, int(created), json.dumps(fields, ensure_ascii=False)],
        )

    def _linked_ids(self, table: str) -> set[int]:
        rows = self.db.execute(
            "SELECT row_id FROM reference_record WHERE table_name = ?", [table]
        ).fetchall()
        return {int(r[0]) for r in rows}

    # --- merging one record -----------------------------------------------------------------
    def _merge(
        self,
        table: str,
        ref_key: str,
        new: dict[str, Any],
        match: int | None,
        base: dict[str, Any] | None,
        created: bool,
    ) -> int:
        """Insert or merge one record; returns its id."""
        if match is None:
            uid = reference_uid(ref_key)
            row = {**new, "other_names": json.dumps(new["other_names"], ensure_ascii=False)}
            row["sort_key"] = sort_key(new["name"])
            columns = ["uid", "provenance", *row]
            cursor = self.db.execute(
                f"INSERT INTO {table} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                [uid, PROVENANCE, *row.values()],
            )
            row_id = int(cursor.lastrowid or 0)
            self._log(table, uid, None, None, {k: v for k, v in new.items() if v})
            self._remember(ref_key, table, row_id, True, new)
            self.counts["added"] += 1
            return row_id
        cursor = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [match])
        current = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
        current["other_names"] = json.loads(current["other_names"])
        merged: dict[str, Any] = {}
        for name, value in new.items():
            before = None if base is None else base.get(name)
            if name == "other_names":
                # The reference's own name is one of the names too, where the office keeps
                # another (Turkey, where the reference says Türkiye).
                merged[name] = merge_names(
                    None if base is None else [base["name"], *base["other_names"]],
                    current[name],
                    [new["name"], *value],
                )
            else:
                merged[name] = merge_value(before, current[name], value)
        merged["other_names"] = without_name(merged["other_names"], merged["name"])
        changed = {k: v for k, v in merged.items() if current[k] != v}
        if changed:
            assignments = {**changed}
            if "other_names" in assignments:
                assignments["other_names"] = json.dumps(changed["other_names"], ensure_ascii=False)
            if "name" in assignments:
                assignments["sort_key"] = sort_key(changed["name"])
            sql = ", ".join(f"{column} = ?" for column in assignments)
            self.db.execute(
                f"UPDATE {table} SET {sql}, version = version + 1,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                [*assignments.values(), match],
            )
            for column, value in changed.items():
                self._log(table, current["uid"], column, current[column], value)
            self.counts["updated"] += 1
        else:
            self.counts["unchanged"] += 1
        self._remember(ref_key, table, match, created, new)
        return match

    # --- countries --------------------------------------------------------------------------
    def countries(self, countries: list[ReferenceCountry]) -> None:
        linked = self._linked_ids("country")
        by_iso: dict[str, int] = {}
        by_name: dict[str, int] = {}
        for row_id, iso, name, others in self.db.execute(
            "SELECT id, iso_code, name, other_names FROM country"
        ):
            if row_id in linked:
                continue
            if iso:
                by_iso[str(iso).upper()] = row_id
            else:  # a country without a code is matched by its names
                for each in [name, *json.loads(others)]:
                    by_name.setdefault(fold(each), row_id)
        for country in countries:
            link = self._link(country.key)
            if link is not None:
                row_id, created, base = link
                if not self._exists("country", row_id):
                    self.counts["deleted by the office"] += 1
                    continue
                self._merge("country", country.key, country.fields(), row_id, base, created)
            else:
                match = by_iso.pop(country.iso, None)
                if match is None:
                    names = [n for names in country.names.values() for n in names]
                    match = next((by_name[fold(n)] for n in names if fold(n) in by_name), None)
                    if match is not None and match in linked:
                        match = None
                row_id = self._merge("country", country.key, country.fields(), match, None, False)
                linked.add(row_id)
            self._names("country_name", "country_id", row_id, country.names)

    # --- organisations ----------------------------------------------------------------------
    def organisations(self, organisations: list[ReferenceOrganisation]) -> None:
        linked = self._linked_ids("organisation")
        by_name: dict[str, int] = {}
        for row_id, name, short, others in self.db.execute(
            "SELECT id, name, short_name, other_names FROM organisation WHERE country_id IS NULL"
        ):
            if row_id in linked:
                continue
            for each in [name, short or "", *json.loads(others)]:
                if each:
                    by_name.setdefault(fold(each), row_id)
        for body in organisations:
            link = self._link(body.key)
            if link is not None:
                row_id, created, base = link
                if not self._exists("organisation", row_id):
                    self.counts["deleted by the office"] += 1
                    continue
                self._merge("organisation", body.key, body.fields(), row_id, base, created)
            else:
                match = next(
                    (by_name[fold(n)] for n in body.all_names() if n and fold(n) in by_name),
                    None,
                )
                if match is not None and match in linked:
                    match = None
                row_id = self._merge("organisation", body.key, body.fields(), match, None, False)
                linked.add(row_id)
            self.db.execute("DELETE FROM organisation_name WHERE organisation_id = ?", [row_id])
            rows: list[tuple[int, str, str, int, int]] = []
            for lang, entry in body.names.items():
                for is_short, key in ((0, "name"), (1, "short")):
                    if entry.get(key):
                        rows.append((row_id, lang, entry[key], is_short, len(rows)))
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO organisation_name"
                " (organisation_id, lang, name, is_short, ordinal) VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def _exists(self, table: str, row_id: int) -> bool:
        found = self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone()
        return found is not None

    def _names(self, table: str, column: str, row_id: int, names: dict[str, list[str]]) -> None:
        """The record's names by language, as the reference gives them now."""
        self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", [row_id])
        self.db.conn.executemany(
            f"INSERT OR IGNORE INTO {table} ({column}, lang, name, ordinal) VALUES (?, ?, ?, ?)",
            [
                (row_id, lang, name, ordinal)
                for lang in ("en", "ru", "kk")
                for ordinal, name in enumerate(names.get(lang, []))
            ],
        )


def apply_world_reference(
    db: Db,
    countries: list[ReferenceCountry] | None = None,
    organisations: list[ReferenceOrganisation] | None = None,
    user: str | None = None,
) -> dict[str, int]:
    """Add the reference data to the database, or bring it up to date (the data files unless
    given); the caller holds the transaction. Returns what was added, updated and left."""
    loader = WorldLoader(db, user)
    loader.countries(read_countries() if countries is None else countries)
    loader.organisations(read_organisations() if organisations is None else organisations)
    return loader.counts


def adoptable(db: Db, table: str, row_id: int) -> bool:
    """A record the reference data made and the office has not touched since: a new record
    of the office's for the same country or body takes its place rather than doubling it."""
    row = db.execute(
        f"SELECT t.uid FROM {table} t JOIN reference_record r"
        " ON r.table_name = ? AND r.row_id = t.id AND r.created WHERE t.id = ?",
        [table, row_id],
    ).fetchone()
    if row is None:
        return False
    touched = db.execute(
        "SELECT 1 FROM change_log WHERE row_uid = ? AND operation != 'import' LIMIT 1", [row[0]]
    ).fetchone()
    return touched is None


def take_over(db: Db, table: str, row_id: int, uid: str) -> None:
    """The office's new record takes the reference record's place: its uid, and the record
    is the office's own from now on (the reference data still fills in what it leaves)."""
    assert table in {"country", "organisation"}
    db.execute(f"UPDATE {table} SET uid = ? WHERE id = ?", [uid, row_id])
    db.execute(
        "UPDATE reference_record SET created = 0 WHERE table_name = ? AND row_id = ?",
        [table, row_id],
    )


def names_in(db: Db, table: str, column: str, row_id: int, lang: str) -> list[str]:
    """A record's reference names in a language, the usual one first."""
    known = {("country_name", "country_id"), ("organisation_name", "organisation_id")}
    assert (table, column) in known
    rows = db.execute(
        f"SELECT name FROM {table} WHERE {column} = ? AND lang = ? ORDER BY ordinal",
        [row_id, lang],
    ).fetchall()
    return [str(r[0]) for r in rows]
