"""Anniversaries: typed ones, and those kept in step with a country's, organisation's or
person's own date."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from protocol_desk.domain.dates import MonthDay, base_date_from_iso, base_date_to_iso
from protocol_desk.domain.models import Anniversary, AnniversaryKind
from protocol_desk.domain.validation import validate_anniversary
from protocol_desk.store.base import Repository, now_iso

# Derived anniversaries get a uid computed from what they derive from, so a re-derivation
# (after an import, say) yields the same record and links to it survive.
_DERIVED_NAMESPACE = uuid.UUID("6f1c7c2e-3f0e-4b8e-9a51-2d8f0f5d7a10")


def derived_uid(derived_from: str) -> str:
    return str(uuid.uuid5(_DERIVED_NAMESPACE, derived_from))


def _month_day(value: date | MonthDay) -> str:
    return f"{value.month:02d}-{value.day:02d}"


def anniversary_from_row(row: dict[str, Any]) -> Anniversary:
    base = base_date_from_iso(row["base_date"])
    assert base is not None
    return Anniversary(
        id=row["id"],
        uid=row["uid"],
        version=row["version"],
        kind=AnniversaryKind(row["kind"]),
        title=row["title"],
        base_date=base,
        country_id=row["country_id"],
        organisation_id=row["organisation_id"],
        person_id=row["person_id"],
        lead_days=row["lead_days"],
        notes=row["notes"],
        provenance=row["provenance"],
    )


class AnniversaryRepository(Repository):
    def get(self, anniversary_id: int) -> Anniversary:
        return anniversary_from_row(self.fetch_row("anniversary", anniversary_id))

    def all(self, *, include_derived: bool = True) -> list[Anniversary]:
        where = "deleted_at IS NULL" + ("" if include_derived else " AND derived_from IS NULL")
        rows = self.query(f"SELECT * FROM anniversary WHERE {where} ORDER BY base_month_day, id")
        return [anniversary_from_row(r) for r in rows]

    def is_derived(self, anniversary_id: int) -> bool:
        row = self.db.execute(
            "SELECT derived_from FROM anniversary WHERE id = ?", [anniversary_id]
        ).fetchone()
        return bool(row and row[0])

    def save(self, anniversary: Anniversary) -> Anniversary:
        validate_anniversary(anniversary)
        row = self._row(anniversary)
        if anniversary.id is None:
            anniversary.id = self.insert_row("anniversary", {"uid": anniversary.uid, **row})
            anniversary.version = 1
        else:
            anniversary.version = self.update_row(
                "anniversary", anniversary.id, anniversary.version, row
            )
        return anniversary

    @staticmethod
    def _row(anniversary: Anniversary) -> dict[str, Any]:
        return {
            "kind": anniversary.kind.value,
            "title": anniversary.title.strip(),
            "base_date": base_date_to_iso(anniversary.base_date),
            "base_month_day": _month_day(anniversary.base_date),
            "country_id": anniversary.country_id,
            "organisation_id": anniversary.organisation_id,
            "person_id": anniversary.person_id,
            "lead_days": anniversary.lead_days,
            "notes": anniversary.notes,
            "provenance": anniversary.provenance,
        }

    def sync_derived(
        self,
        derived_from: str,
        kind: AnniversaryKind,
        title: str,
        base: date | MonthDay | None,
        *,
        country_id: int | None = None,
        organisation_id: int | None = None,
        person_id: int | None = None,
        provenance: str = "",
    ) -> None:
        """Create, update or retire the anniversary that follows from another record's date."""
        existing = self.db.execute(
            "SELECT id, deleted_at FROM anniversary WHERE derived_from = ?", [derived_from]
        ).fetchone()
        if base is None:
            if existing and existing[1] is None:
                self.db.execute(
                    "UPDATE anniversary SET deleted_at = ? WHERE id = ?", [now_iso(), existing[0]]
                )
                self.log("anniversary", derived_uid(derived_from), "delete")
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
        row = self._row(anniversary)
        if existing is None:
            self.insert_row(
                "anniversary", {"uid": anniversary.uid, "derived_from": derived_from, **row}
            )
        else:
            if existing[1] is not None:
                self.db.execute(
                    "UPDATE anniversary SET deleted_at = NULL WHERE id = ?", [existing[0]]
                )
                self.log("anniversary", anniversary.uid, "restore")
            # Keep the officer's own lead time and notes on a derived anniversary.
            current = self.fetch_row("anniversary", existing[0])
            row["lead_days"] = current["lead_days"]
            row["notes"] = current["notes"]
            self.update_row("anniversary", existing[0], None, row)
