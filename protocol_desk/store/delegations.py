"""Delegations and visits: members with their roles, and the programme day by day."""

from __future__ import annotations

from datetime import date
from typing import Any

from protocol_desk.domain.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    DelegationStatus,
    ProgrammeItem,
)
from protocol_desk.domain.validation import validate_delegation
from protocol_desk.store.base import Repository


class DelegationRepository(Repository):
    def get(self, delegation_id: int) -> Delegation:
        row = self.fetch_row("delegation", delegation_id)
        members = [
            DelegationMember(person_id=m["person_id"], role=m["role"], person_name=m["full_name"])
            for m in self.query(
                "SELECT dm.*, p.full_name FROM delegation_member dm JOIN person p"
                " ON p.id = dm.person_id WHERE dm.delegation_id = ? ORDER BY dm.ordinal, dm.id",
                [delegation_id],
            )
        ]
        programme = [
            ProgrammeItem(
                id=i["id"],
                uid=i["uid"],
                day=date.fromisoformat(i["day"]),
                time=i["time"],
                title=i["title"],
                place=i["place"],
                meeting_id=i["meeting_id"],
                notes=i["notes"],
            )
            for i in self.query(
                "SELECT * FROM programme_item WHERE delegation_id = ?"
                " ORDER BY day, coalesce(time, ''), id",
                [delegation_id],
            )
        ]
        return Delegation(
            id=row["id"],
            uid=row["uid"],
            version=row["version"],
            title=row["title"],
            direction=DelegationDirection(row["direction"]),
            start=date.fromisoformat(row["start_date"]),
            end=date.fromisoformat(row["end_date"]) if row["end_date"] else None,
            country_id=row["country_id"],
            organisation_id=row["organisation_id"],
            head_person_id=row["head_person_id"],
            city=row["city"],
            purpose=row["purpose"],
            status=DelegationStatus(row["status"]),
            notes=row["notes"],
            provenance=row["provenance"],
            members=members,
            programme=programme,
        )

    def all(self) -> list[Delegation]:
        rows = self.query(
            "SELECT id FROM delegation WHERE deleted_at IS NULL ORDER BY start_date DESC, id DESC"
        )
        return [self.get(r["id"]) for r in rows]

    def save(self, delegation: Delegation) -> Delegation:
        validate_delegation(delegation)
        row: dict[str, Any] = {
            "title": delegation.title.strip(),
            "direction": delegation.direction.value,
            "country_id": delegation.country_id,
            "organisation_id": delegation.organisation_id,
            "head_person_id": delegation.head_person_id,
            "start_date": delegation.start.isoformat(),
            "end_date": delegation.end.isoformat() if delegation.end else None,
            "city": delegation.city.strip(),
            "purpose": delegation.purpose,
            "status": delegation.status.value,
            "notes": delegation.notes,
            "provenance": delegation.provenance,
        }
        if delegation.id is None:
            delegation.id = self.insert_row("delegation", {"uid": delegation.uid, **row})
            delegation.version = 1
        else:
            delegation.version = self.update_row(
                "delegation", delegation.id, delegation.version, row
            )
        self.db.execute("DELETE FROM delegation_member WHERE delegation_id = ?", [delegation.id])
        for ordinal, member in enumerate(delegation.members):
            self.db.execute(
                "INSERT INTO delegation_member (delegation_id, person_id, role, ordinal)"
                " VALUES (?, ?, ?, ?)",
                [delegation.id, member.person_id, member.role, ordinal],
            )
        self.db.execute("DELETE FROM programme_item WHERE delegation_id = ?", [delegation.id])
        for item in delegation.programme:
            item.id = self.db.execute(
                "INSERT INTO programme_item (uid, delegation_id, day, time, title, place,"
                " meeting_id, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    item.uid,
                    delegation.id,
                    item.day.isoformat(),
                    item.time,
                    item.title,
                    item.place,
                    item.meeting_id,
                    item.notes,
                ],
            ).lastrowid
        return delegation
