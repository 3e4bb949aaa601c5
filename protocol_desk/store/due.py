"""The due date that applies to each agreed action, kept in ``agreed_action.due_on``.

An action due on an anniversary falls due on that anniversary's occurrence, which follows
from the anniversary's date, the meeting where it was agreed and the office's rule for
29 February. Keeping the result in an indexed column lets the action list filter and sort
on it at half a million actions; it is written again whenever one of those inputs changes
(``Repository.insert_row`` and ``update_row``, and the leap-day setting)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

from protocol_desk.domain.anniversaries import LeapDayRule, action_due_date
from protocol_desk.domain.dates import base_date_from_iso

LEAP_DAY_SETTING = "leap_day_rule"

# What the inputs give, for the action ``a`` (``pd_anniversary_due``: ``store/functions.py``).
DUE_SQL = (
    "CASE WHEN a.due_anniversary_id IS NULL THEN a.due_date ELSE pd_anniversary_due("
    "(SELECT base_date FROM anniversary WHERE id = a.due_anniversary_id), a.due_date,"
    " coalesce((SELECT date FROM meeting WHERE id = a.meeting_id), a.created_at),"
    f" (SELECT value FROM setting WHERE key = '{LEAP_DAY_SETTING}')) END"
)

# Changing one of these columns changes the due date of some actions.
INPUTS = {
    "agreed_action": frozenset({"due_date", "due_anniversary_id", "meeting_id"}),
    "anniversary": frozenset({"base_date"}),
    "meeting": frozenset({"date"}),
}


def anniversary_due(
    base_iso: str | None, due_iso: str | None, anchor_iso: str | None, rule: str | None
) -> str | None:
    """``action_due_date`` on the stored text values."""
    base = base_date_from_iso(base_iso)
    if base is None:
        return due_iso
    try:
        leap = LeapDayRule(rule or LeapDayRule.FEB_28.value)
    except ValueError:
        leap = LeapDayRule.FEB_28
    found = action_due_date(
        base,
        date.fromisoformat(due_iso) if due_iso else None,
        date.fromisoformat(anchor_iso[:10]) if anchor_iso else None,
        leap,
    )
    return found.isoformat() if found else None


def refresh(conn: sqlite3.Connection, condition: str, params: Sequence[Any] = ()) -> None:
    """Write the due date again for the actions ``a`` matching ``condition``."""
    conn.execute(
        f"UPDATE agreed_action AS a SET due_on = {DUE_SQL} WHERE {condition}", list(params)
    )


def after_write(conn: sqlite3.Connection, table: str, row_id: int, columns: set[str]) -> None:
    """Keep the due dates true after ``columns`` of ``table``'s row ``row_id`` were written."""
    inputs = INPUTS.get(table)
    if inputs is None or not inputs & columns:
        return
    if table == "agreed_action":
        refresh(conn, "a.id = ?", [row_id])
    elif table == "anniversary":
        refresh(conn, "a.due_anniversary_id = ?", [row_id])
    else:
        refresh(conn, "a.meeting_id = ? AND a.due_anniversary_id IS NOT NULL", [row_id])


def refresh_anniversary_dues(conn: sqlite3.Connection) -> None:
    """After the leap-day rule changed: every action due on an anniversary."""
    refresh(conn, "a.due_anniversary_id IS NOT NULL")
