"""Agreed actions and the history of their status."""

from __future__ import annotations

from datetime import date
from typing import Any

from protocol_desk.domain.models import ActionStatus, AgreedAction
from protocol_desk.domain.validation import validate_action
from protocol_desk.store.base import Repository, now_iso


def action_from_row(row: dict[str, Any]) -> AgreedAction:
    return AgreedAction(
        id=row["id"],
        uid=row["uid"],
        version=row["version"],
        meeting_id=row["meeting_id"],
        text=row["text"],
        owner=row["owner"],
        due=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        due_anniversary_id=row["due_anniversary_id"],
        status=ActionStatus(row["status"]),
        completed_on=date.fromisoformat(row["completed_on"]) if row["completed_on"] else None,
        outcome=row["outcome"],
        fulfilled_meeting_id=row["fulfilled_meeting_id"],
        provenance=row["provenance"],
    )


class ActionRepository(Repository):
    def get(self, action_id: int) -> AgreedAction:
        return action_from_row(self.fetch_row("agreed_action", action_id))

    def for_meeting(self, meeting_id: int) -> list[AgreedAction]:
        rows = self.query(
            "SELECT * FROM agreed_action WHERE meeting_id = ? ORDER BY ordinal, id", [meeting_id]
        )
        return [action_from_row(r) for r in rows]

    def all(self) -> list[AgreedAction]:
        return [action_from_row(r) for r in self.query("SELECT * FROM agreed_action ORDER BY id")]

    def save(
        self, action: AgreedAction, *, ordinal: int = 0, at_meeting_id: int | None = None
    ) -> AgreedAction:
        """Insert or update; a status change is also written to the action's history."""
        validate_action(action)
        row = {
            "meeting_id": action.meeting_id,
            "text": action.text.strip(),
            "owner": action.owner.strip(),
            "due_date": action.due.isoformat() if action.due else None,
            "due_anniversary_id": action.due_anniversary_id,
            "status": action.status.value,
            "completed_on": action.completed_on.isoformat() if action.completed_on else None,
            "outcome": action.outcome,
            "fulfilled_meeting_id": action.fulfilled_meeting_id,
            "provenance": action.provenance,
            "ordinal": ordinal,
        }
        existing_id = action.id or self.id_for_uid("agreed_action", action.uid)
        old_status: str | None = None
        if existing_id is None:
            action.id = self.insert_row("agreed_action", {"uid": action.uid, **row})
            action.version = 1
        else:
            old_status = self.fetch_row("agreed_action", existing_id)["status"]
            action.id = existing_id
            action.version = self.update_row(
                "agreed_action", existing_id, action.version or None, row
            )
        if old_status != action.status.value:
            self.db.execute(
                "INSERT INTO action_status_change (action_id, changed_at, old_status, new_status,"
                " meeting_id, note) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    action.id,
                    now_iso(),
                    old_status,
                    action.status.value,
                    at_meeting_id or action.fulfilled_meeting_id,
                    action.outcome if action.status is ActionStatus.DONE else "",
                ],
            )
        return action

    def delete(self, action_id: int) -> None:
        uid = self.uid_for_id("agreed_action", action_id)
        self.db.execute("DELETE FROM agreed_action WHERE id = ?", [action_id])
        if uid:
            self.log("agreed_action", uid, "delete")

    def replace_history(self, action_id: int, entries: list[dict[str, Any]]) -> None:
        """Set the status history as an import file gives it (it travels with the action)."""
        self.db.execute("DELETE FROM action_status_change WHERE action_id = ?", [action_id])
        for entry in entries:
            self.db.execute(
                "INSERT INTO action_status_change (action_id, changed_at, old_status, new_status,"
                " meeting_id, note) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    action_id,
                    entry["changed_at"],
                    entry["old_status"],
                    entry["new_status"],
                    entry["meeting_id"],
                    entry["note"],
                ],
            )

    def history(self, action_id: int) -> list[dict[str, Any]]:
        return self.query(
            "SELECT changed_at, old_status, new_status, meeting_id, note"
            " FROM action_status_change WHERE action_id = ? ORDER BY id",
            [action_id],
        )
