"""Delegations and visits: members with their roles, and the programme day by day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.listing import DelegationFilter, DelegationRow, VisitMeeting
from protocol_desk.domain.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    DelegationStatus,
    ProgrammeItem,
)
from protocol_desk.domain.text import fold
from protocol_desk.domain.validation import validate_delegation
from protocol_desk.store.base import Repository, now_iso


@dataclass(frozen=True)
class PersonVisit:
    """A visit someone took part in, and in what role."""

    delegation_id: int
    title: str
    start: date
    end: date | None
    role: str
    status: DelegationStatus


class DelegationRepository(Repository):
    def __init__(self, db: Any, user: str | None = None) -> None:
        super().__init__(db, user)

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

    def is_deleted(self, delegation_id: int) -> bool:
        return self.fetch_row("delegation", delegation_id)["deleted_at"] is not None

    def _where(self, flt: DelegationFilter) -> tuple[list[str], list[Any]]:
        clauses = ["d.deleted_at IS NOT NULL" if flt.deleted else "d.deleted_at IS NULL"]
        params: list[Any] = []
        if words := fold(flt.text).split():
            # A word may be in the title, city or purpose, or any spelling of a member's or
            # the head's name: one condition for all the words, however many.
            clauses.append(
                "pd_has_words(d.title || ' ' || d.city || ' ' || d.purpose"
                " || ' ' || coalesce((SELECT group_concat(n.name_key, ' ')"
                " FROM delegation_member dm JOIN person_name n ON n.person_id = dm.person_id"
                " WHERE dm.delegation_id = d.id), '')"
                " || ' ' || coalesce((SELECT group_concat(name_key, ' ') FROM person_name"
                " WHERE person_id = d.head_person_id), ''), ?)"
            )
            params.append("\n".join(dict.fromkeys(words)))
        if flt.direction is not None:
            clauses.append("d.direction = ?")
            params.append(flt.direction.value)
        if flt.status is not None:
            clauses.append("d.status = ?")
            params.append(flt.status.value)
        if flt.country_id is not None:
            clauses.append("d.country_id = ?")
            params.append(flt.country_id)
        if flt.organisation_id is not None:
            clauses.append("d.organisation_id = ?")
            params.append(flt.organisation_id)
        if flt.person_id is not None:
            clauses.append(
                "(d.head_person_id = ? OR d.id IN"
                " (SELECT delegation_id FROM delegation_member WHERE person_id = ?))"
            )
            params += [flt.person_id, flt.person_id]
        if flt.date_from is not None:
            clauses.append("coalesce(d.end_date, d.start_date) >= ?")
            params.append(flt.date_from.isoformat())
        if flt.date_to is not None:
            clauses.append("d.start_date <= ?")
            params.append(flt.date_to.isoformat())
        return clauses, params

    def count(self, flt: DelegationFilter) -> int:
        clauses, params = self._where(flt)
        row = self.db.execute(
            f"SELECT count(*) FROM delegation d WHERE {' AND '.join(clauses)}", params
        ).fetchone()
        return int(row[0])

    def page(
        self,
        flt: DelegationFilter,
        *,
        after: tuple[str, int] | None = None,
        limit: int = 200,
    ) -> tuple[list[DelegationRow], tuple[str, int] | None]:
        """One page of visits, latest first, continuing after a (start date, id)."""
        clauses, params = self._where(flt)
        if after is not None:
            clauses.append("(d.start_date < ? OR (d.start_date = ? AND d.id < ?))")
            params += [after[0], after[0], after[1]]
        rows = self.query(
            "SELECT d.id, d.title, d.direction, d.status, d.start_date, d.end_date, d.city,"
            " coalesce(c.name, '') AS country, coalesce(o.short_name, o.name, '') AS organisation,"
            " coalesce(p.full_name, '') AS head,"
            " (SELECT count(*) FROM delegation_member dm WHERE dm.delegation_id = d.id) AS members"
            " FROM delegation d LEFT JOIN country c ON c.id = d.country_id"
            " LEFT JOIN organisation o ON o.id = d.organisation_id"
            " LEFT JOIN person p ON p.id = d.head_person_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY d.start_date DESC, d.id DESC LIMIT ?",
            [*params, limit],
        )
        result = [
            DelegationRow(
                id=r["id"],
                title=r["title"],
                direction=DelegationDirection(r["direction"]),
                status=DelegationStatus(r["status"]),
                start=date.fromisoformat(r["start_date"]),
                end=date.fromisoformat(r["end_date"]) if r["end_date"] else None,
                city=r["city"],
                country=r["country"],
                organisation=r["organisation"],
                head=r["head"],
                members=r["members"],
            )
            for r in rows
        ]
        following = (result[-1].start.isoformat(), result[-1].id) if len(result) == limit else None
        return result, following

    def meetings(self, delegation_id: int) -> list[VisitMeeting]:
        """The meetings of the visit, in time order (the bin left out)."""
        rows = self.query(
            "SELECT id, date, date_precision, time, subject, venue, city FROM meeting"
            " WHERE delegation_id = ? AND deleted_at IS NULL"
            " ORDER BY date, coalesce(time, ''), id",
            [delegation_id],
        )
        return [self._visit_meeting(r) for r in rows]

    def meetings_between(self, start: date, end: date, limit: int = 200) -> list[VisitMeeting]:
        """Meetings held in a period: candidates for a visit's programme."""
        rows = self.query(
            "SELECT id, date, date_precision, time, subject, venue, city FROM meeting"
            " WHERE date BETWEEN ? AND ? AND deleted_at IS NULL"
            " ORDER BY date, coalesce(time, ''), id LIMIT ?",
            [start.isoformat(), end.isoformat(), limit],
        )
        return [self._visit_meeting(r) for r in rows]

    @staticmethod
    def _visit_meeting(r: dict[str, Any]) -> VisitMeeting:
        return VisitMeeting(
            id=r["id"],
            date=date.fromisoformat(r["date"]),
            precision=Precision(r["date_precision"]),
            time=r["time"],
            subject=r["subject"],
            venue=r["venue"],
            city=r["city"],
        )

    def for_person(self, person_id: int) -> list[PersonVisit]:
        """Visits the person headed or took part in, latest first (the bin left out)."""
        rows = self.query(
            "SELECT d.id, d.title, d.start_date, d.end_date, d.status,"
            " coalesce(dm.role, CASE WHEN d.head_person_id = ? THEN 'head of the delegation'"
            " ELSE '' END) AS role"
            " FROM delegation d LEFT JOIN delegation_member dm"
            " ON dm.delegation_id = d.id AND dm.person_id = ?"
            " WHERE d.deleted_at IS NULL AND (d.head_person_id = ? OR dm.person_id IS NOT NULL)"
            " ORDER BY d.start_date DESC, d.id DESC",
            [person_id, person_id, person_id],
        )
        return [
            PersonVisit(
                delegation_id=r["id"],
                title=r["title"],
                start=date.fromisoformat(r["start_date"]),
                end=date.fromisoformat(r["end_date"]) if r["end_date"] else None,
                role=r["role"],
                status=DelegationStatus(r["status"]),
            )
            for r in rows
        ]

    def reassign_person(self, absorbed_id: int, kept_id: int) -> int:
        """Point visits at the person kept after a merge; returns how many visits changed.

        A visit listing both keeps one membership: the kept person's, with the absorbed
        record's role when the kept one had none."""
        changed: set[int] = set()
        for row in self.query("SELECT id FROM delegation WHERE head_person_id = ?", [absorbed_id]):
            self.update_row(
                "delegation", row["id"], None, {"head_person_id": kept_id}, operation="merge"
            )
            changed.add(row["id"])
        for member in self.query(
            "SELECT dm.id, dm.delegation_id, dm.role, d.uid FROM delegation_member dm"
            " JOIN delegation d ON d.id = dm.delegation_id WHERE dm.person_id = ?",
            [absorbed_id],
        ):
            both = self.db.execute(
                "SELECT id, role FROM delegation_member WHERE delegation_id = ? AND person_id = ?",
                [member["delegation_id"], kept_id],
            ).fetchone()
            if both is None:
                self.db.execute(
                    "UPDATE delegation_member SET person_id = ? WHERE id = ?",
                    [kept_id, member["id"]],
                )
            else:
                if not both[1] and member["role"]:
                    self.db.execute(
                        "UPDATE delegation_member SET role = ? WHERE id = ?",
                        [member["role"], both[0]],
                    )
                self.db.execute("DELETE FROM delegation_member WHERE id = ?", [member["id"]])
            self.log(
                "delegation",
                member["uid"],
                "merge",
                "members",
                self.uid_for_id("person", absorbed_id),
                self.uid_for_id("person", kept_id),
            )
            changed.add(member["delegation_id"])
        return len(changed)

    def delete(self, delegation_id: int) -> None:
        """Move to the bin: the visit, its members and programme stay, and can be restored;
        its meetings keep pointing at it."""
        row = self.fetch_row("delegation", delegation_id)
        if row["deleted_at"] is None:
            self.db.execute(
                "UPDATE delegation SET deleted_at = ?, version = version + 1 WHERE id = ?",
                [now_iso(), delegation_id],
            )
            self.log("delegation", row["uid"], "delete")

    def restore(self, delegation_id: int) -> None:
        row = self.fetch_row("delegation", delegation_id)
        if row["deleted_at"] is not None:
            self.db.execute(
                "UPDATE delegation SET deleted_at = NULL, version = version + 1 WHERE id = ?",
                [delegation_id],
            )
            self.log("delegation", row["uid"], "restore")

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
        created = delegation.id is None
        if delegation.id is None:
            delegation.id = self.insert_row("delegation", {"uid": delegation.uid, **row})
            delegation.version = 1
        else:
            delegation.version = self.update_row(
                "delegation", delegation.id, delegation.version, row
            )
        old_members = [
            f"{r['person_id']}:{r['role']}"
            for r in self.query(
                "SELECT person_id, role FROM delegation_member WHERE delegation_id = ?"
                " ORDER BY ordinal, id",
                [delegation.id],
            )
        ]
        old_programme = [
            f"{r['day']} {r['time'] or ''} {r['title']}"
            for r in self.query(
                "SELECT day, time, title FROM programme_item WHERE delegation_id = ?"
                " ORDER BY day, coalesce(time, ''), id",
                [delegation.id],
            )
        ]
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
        new_members = [f"{m.person_id}:{m.role}" for m in delegation.members]
        if not created and old_members != new_members:
            self.log("delegation", delegation.uid, "update", "members", old_members, new_members)
        new_programme = sorted(
            f"{i.day.isoformat()} {i.time or ''} {i.title}" for i in delegation.programme
        )
        if not created and sorted(old_programme) != new_programme:
            self.log(
                "delegation", delegation.uid, "update", "programme", old_programme, new_programme
            )
        return delegation
