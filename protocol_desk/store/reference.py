"""Settings, countries and organisations: the reference data that meetings point at."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from protocol_desk.domain.anniversaries import relations_title
from protocol_desk.domain.dates import (
    base_date_from_iso,
    base_date_to_iso,
    day_or_year_from_iso,
    day_or_year_to_iso,
)
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import OrganisationFilter, OrganisationRow
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    AnniversaryKind,
    Country,
    Organisation,
    OrganisationKind,
)
from protocol_desk.domain.names import name_key
from protocol_desk.domain.text import fold, sort_key
from protocol_desk.domain.validation import validate_country, validate_organisation
from protocol_desk.domain.world import merge_names, without_name
from protocol_desk.store import due, world
from protocol_desk.store.anniversaries import AnniversaryRepository
from protocol_desk.store.base import Repository


class SettingRepository(Repository):
    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else default

    def set(self, key: str, value: str) -> None:
        old = self.get(key)
        if old == value:
            return
        self.db.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
        self.log("setting", key, "update" if old is not None else "create", key, old, value)
        if key == due.LEAP_DAY_SETTING:
            due.refresh_anniversary_dues(self.db.conn)

    def all(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.query("SELECT key, value FROM setting")}


def _country(row: dict[str, Any]) -> Country:
    national_day = base_date_from_iso(row["national_day"])
    return Country(
        id=row["id"],
        uid=row["uid"],
        version=row["version"],
        name=row["name"],
        iso_code=row["iso_code"],
        other_names=json.loads(row["other_names"]),
        capital=row["capital"],
        relations_established=day_or_year_from_iso(row["relations_established"]),
        national_day=national_day if not isinstance(national_day, date) else None,
        national_day_name=row["national_day_name"],
        notes=row["notes"],
        provenance=row["provenance"],
    )


class CountryRepository(Repository):
    def __init__(self, db: Any, user: str | None = None) -> None:
        super().__init__(db, user)
        self.anniversaries = AnniversaryRepository(db, self.user)

    def get(self, country_id: int) -> Country:
        return _country(self.fetch_row("country", country_id))

    def all(self) -> list[Country]:
        return [_country(r) for r in self.query("SELECT * FROM country ORDER BY sort_key")]

    def find(self, text: str) -> Country | None:
        """A country by ISO code, name or any of its other names, case-insensitively."""
        key = fold(text.strip())
        countries = self.all()
        for country in countries:
            names = [country.name, *(country.other_names), country.iso_code or ""]
            if key in {fold(n) for n in names if n}:
                return country
        # Then in another script or romanisation (``domain.names``): "Belarus'", "Türkiye".
        spelt = name_key(text)
        for country in countries:
            if spelt and spelt in {name_key(n) for n in [country.name, *country.other_names]}:
                return country
        return None

    def save(self, country: Country) -> Country:
        validate_country(country)
        row = {
            "name": country.name.strip(),
            "sort_key": sort_key(country.name),
            "iso_code": country.iso_code.upper() if country.iso_code else None,
            "other_names": json.dumps(country.other_names, ensure_ascii=False),
            "capital": country.capital.strip(),
            "relations_established": day_or_year_to_iso(country.relations_established),
            "national_day": base_date_to_iso(country.national_day),
            "national_day_name": country.national_day_name,
            "notes": country.notes,
            "provenance": country.provenance,
        }
        if country.id is None and self._adopt_country(country):
            row["other_names"] = json.dumps(country.other_names, ensure_ascii=False)
            row["capital"] = country.capital
        if country.id is None:
            country.id = self.insert_row("country", {"uid": country.uid, **row})
            country.version = 1
        else:
            country.version = self.update_row("country", country.id, country.version, row)
        if country.uid == self._our_country_uid():
            # Our name is in every other country's relations title.
            self.resync_anniversaries()
        else:
            self._sync_anniversaries(country)
        return country

    def _adopt_country(self, country: Country) -> bool:
        """A new country of the office's whose ISO code the reference data already brought,
        untouched since, takes that record's place (its id, so nothing pointing at it moves)
        and keeps its names too."""
        if not country.iso_code:
            return False
        row = self.db.execute(
            "SELECT id FROM country WHERE iso_code = ?", [country.iso_code.upper()]
        ).fetchone()
        if row is None or not world.adoptable(self.db, "country", row[0]):
            return False
        current = self.get(row[0])
        self._take_over("country", current.uid, country.uid, row[0])
        country.id, country.version = current.id, current.version
        country.other_names = without_name(
            merge_names(None, country.other_names, [current.name, *current.other_names]),
            country.name,
        )
        country.capital = country.capital or current.capital
        return True

    def adoptable(self, country_id: int) -> bool:
        """Made by the reference data and untouched since: a new country of the office's with
        its ISO code takes its place."""
        return world.adoptable(self.db, "country", country_id)

    def _take_over(self, table: str, old_uid: str, new_uid: str, row_id: int) -> None:
        world.take_over(self.db, table, row_id, new_uid)
        self.log(table, new_uid, "merge", "uid", old_uid, new_uid)

    def names_in(self, country_id: int, lang: str) -> list[str]:
        """The country's names in a language (en, ru, kk) from the reference data."""
        return world.names_in(self.db, "country_name", "country_id", country_id, lang)

    def resync_anniversaries(self) -> None:
        """Bring every country's derived anniversaries in step (after an import, or when the
        office's own country changed)."""
        for country in self.all():
            self._sync_anniversaries(country)

    def known_by_year(self, country_id: int | None = None) -> list[Country]:
        """Countries whose relations are known by the year alone (``1992``)."""
        where = "length(relations_established) = 4"
        params: list[Any] = []
        if country_id is not None:
            where += " AND id = ?"
            params.append(country_id)
        rows = self.query(f"SELECT * FROM country WHERE {where} ORDER BY sort_key", params)
        our_uid = self._our_country_uid()
        return [_country(r) for r in rows if r["uid"] != our_uid]

    def relations_title(self, country: Country) -> str:
        """“Kazakhstan–Belarus diplomatic relations”, as the office says it, once it is known
        which country is ours."""
        our_uid = self._our_country_uid()
        if our_uid and our_uid != country.uid:
            ours = self.db.execute("SELECT name FROM country WHERE uid = ?", [our_uid]).fetchone()
            if ours:
                return relations_title(country.name, ours[0])
        return relations_title(country.name, None)

    def _our_country_uid(self) -> str | None:
        row = self.db.execute("SELECT value FROM setting WHERE key = 'our_country'").fetchone()
        return str(row[0]) if row else None

    def _sync_anniversaries(self, country: Country) -> None:
        assert country.id is not None
        self.anniversaries.sync_derived(
            f"country:{country.uid}:relations",
            AnniversaryKind.DIPLOMATIC_RELATIONS,
            self.relations_title(country),
            # A year alone has no day to fall on: ``year_anniversaries`` counts those.
            country.relations_established
            if isinstance(country.relations_established, date)
            else None,
            country_id=country.id,
            provenance=country.provenance,
        )
        self.anniversaries.sync_derived(
            f"country:{country.uid}:national_day",
            AnniversaryKind.NATIONAL_DAY,
            f"{country.national_day_name or 'National day'} of {country.name}",
            country.national_day,
            country_id=country.id,
            provenance=country.provenance,
        )


def _organisation(row: dict[str, Any]) -> Organisation:
    return Organisation(
        id=row["id"],
        uid=row["uid"],
        version=row["version"],
        name=row["name"],
        short_name=row["short_name"],
        other_names=json.loads(row["other_names"]),
        kind=OrganisationKind(row["kind"]),
        country_id=row["country_id"],
        parent_id=row["parent_id"],
        founded_on=base_date_from_iso(row["founded_on"]),
        notes=row["notes"],
        provenance=row["provenance"],
    )


class OrganisationRepository(Repository):
    def __init__(self, db: Any, user: str | None = None) -> None:
        super().__init__(db, user)
        self.anniversaries = AnniversaryRepository(db, self.user)

    def get(self, organisation_id: int) -> Organisation:
        return _organisation(self.fetch_row("organisation", organisation_id))

    def _where(self, flt: OrganisationFilter) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if words := fold(flt.text).split():
            # One condition for all the words, however many (a pasted page of text too).
            clauses.append(
                "pd_has_words(o.name || ' ' || coalesce(o.short_name, '') || ' ' || o.other_names,"
                " ?)"
            )
            params.append("\n".join(dict.fromkeys(words)))
        if flt.kind is not None:
            clauses.append("o.kind = ?")
            params.append(flt.kind.value)
        if flt.international:
            clauses.append("o.country_id IS NULL")
        elif flt.country_id is not None:
            clauses.append("o.country_id = ?")
            params.append(flt.country_id)
        return clauses, params

    def count(self, flt: OrganisationFilter) -> int:
        clauses, params = self._where(flt)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        row = self.db.execute(f"SELECT count(*) FROM organisation o {where}", params).fetchone()
        return int(row[0])

    def page(
        self,
        flt: OrganisationFilter,
        *,
        after: tuple[str, int] | None = None,
        limit: int = 200,
    ) -> tuple[list[OrganisationRow], tuple[str, int] | None]:
        """One page in dictionary order, continuing after a (sort key, id)."""
        clauses, params = self._where(flt)
        if after is not None:
            clauses.append("(o.sort_key > ? OR (o.sort_key = ? AND o.id > ?))")
            params += [after[0], after[0], after[1]]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.query(
            "SELECT o.id, o.name, coalesce(o.short_name, '') AS short_name, o.kind, o.sort_key,"
            " coalesce(c.name, '') AS country, coalesce(p.short_name, p.name, '') AS parent"
            " FROM organisation o LEFT JOIN country c ON c.id = o.country_id"
            f" LEFT JOIN organisation p ON p.id = o.parent_id {where}"
            " ORDER BY o.sort_key, o.id LIMIT ?",
            [*params, limit],
        )
        result = [
            OrganisationRow(
                id=r["id"],
                name=r["name"],
                short_name=r["short_name"],
                kind=OrganisationKind(r["kind"]),
                country=r["country"],
                parent=r["parent"],
                sort_value=r["sort_key"],
            )
            for r in rows
        ]
        following = (result[-1].sort_value, result[-1].id) if len(result) == limit else None
        return result, following

    def all(self) -> list[Organisation]:
        return [
            _organisation(r) for r in self.query("SELECT * FROM organisation ORDER BY sort_key")
        ]

    def find(self, text: str) -> Organisation | None:
        key = fold(text.strip())
        organisations = self.all()
        for organisation in organisations:
            names = [organisation.name, organisation.short_name or "", *organisation.other_names]
            if key in {fold(n) for n in names if n}:
                return organisation
        # Then in another script or romanisation (``domain.names``): "Mazhilis" for Majilis.
        spelt = name_key(text)
        for organisation in organisations:
            names = [organisation.name, organisation.short_name or "", *organisation.other_names]
            if spelt and spelt in {name_key(n) for n in names if n}:
                return organisation
        return None

    def _refuse_circle(self, organisation: Organisation) -> None:
        """An organisation may not sit inside itself through its parents (A in B, B in A): every
        walk up its hierarchy would go round for ever."""
        if organisation.id is None or organisation.parent_id is None:
            return
        inside = self.db.execute(
            "WITH RECURSIVE up(id) AS (SELECT ? UNION"
            " SELECT o.parent_id FROM organisation o JOIN up ON o.id = up.id"
            " WHERE o.parent_id IS NOT NULL)"
            " SELECT 1 FROM up WHERE id = ?",
            [organisation.parent_id, organisation.id],
        ).fetchone()
        if inside:
            raise ValidationError(
                N_(
                    "“{name}” cannot be placed under one of its own parts.",
                    name=organisation.name,
                ),
                "parent",
            )

    def _adopt(self, organisation: Organisation) -> bool:
        """A new international body of the office's that the reference data already
        brought, untouched since (matched by a name or short name), takes that record's
        place and keeps its names too."""
        if organisation.country_id is not None:
            return False
        wanted = {fold(n) for n in (organisation.name, organisation.short_name or "") if n}
        rows = self.query(
            "SELECT o.id FROM organisation o JOIN reference_record r"
            " ON r.table_name = 'organisation' AND r.row_id = o.id AND r.created"
            " WHERE o.country_id IS NULL"
        )
        for found in rows:
            current = self.get(found["id"])
            names = [current.name, current.short_name or "", *current.other_names]
            if wanted & {fold(n) for n in names if n} and world.adoptable(
                self.db, "organisation", found["id"]
            ):
                world.take_over(self.db, "organisation", found["id"], organisation.uid)
                self.log(
                    "organisation", organisation.uid, "merge", "uid", current.uid, organisation.uid
                )
                organisation.id, organisation.version = current.id, current.version
                organisation.short_name = organisation.short_name or current.short_name
                organisation.other_names = without_name(
                    merge_names(
                        None,
                        organisation.other_names,
                        [current.name, current.short_name or "", *current.other_names],
                    ),
                    organisation.name,
                )
                organisation.other_names = [n for n in organisation.other_names if n]
                return True
        return False

    def names_in(self, organisation_id: int, lang: str) -> list[str]:
        """The body's names in a language (en, ru, kk) from the reference data."""
        return world.names_in(
            self.db, "organisation_name", "organisation_id", organisation_id, lang
        )

    def save(self, organisation: Organisation) -> Organisation:
        validate_organisation(organisation)
        self._refuse_circle(organisation)
        row = {
            "name": organisation.name.strip(),
            "sort_key": sort_key(organisation.name),
            "short_name": organisation.short_name,
            "other_names": json.dumps(organisation.other_names, ensure_ascii=False),
            "kind": organisation.kind.value,
            "country_id": organisation.country_id,
            "parent_id": organisation.parent_id,
            "founded_on": base_date_to_iso(organisation.founded_on),
            "notes": organisation.notes,
            "provenance": organisation.provenance,
        }
        if organisation.id is None and self._adopt(organisation):
            row["other_names"] = json.dumps(organisation.other_names, ensure_ascii=False)
            row["short_name"] = organisation.short_name
        if organisation.id is None:
            organisation.id = self.insert_row("organisation", {"uid": organisation.uid, **row})
            organisation.version = 1
        else:
            organisation.version = self.update_row(
                "organisation", organisation.id, organisation.version, row
            )
        self.anniversaries.sync_derived(
            f"organisation:{organisation.uid}:founding",
            AnniversaryKind.FOUNDING,
            f"Founding of {organisation.name}",
            organisation.founded_on,
            organisation_id=organisation.id,
            provenance=organisation.provenance,
        )
        return organisation
