"""The sort keys an agreed action takes from its meeting, kept in ``agreed_action``.

The action list sorts by the meeting of origin's date, its counterpart and its country (the
counterpart side's countries, else the country the meeting was held in). These live in other
tables, so no index over the actions could hold them, and sorting worked them out for every
matching action: seconds a page at a million meetings. They are kept beside each action
(``meeting_sort``, ``counterpart_sort``, ``country_sort``) and written again whenever one of
their inputs changes (``after_write``, from ``Repository.insert_row`` and ``update_row``, and
``refresh_meeting`` once a meeting's participants are written), so every sort of the list
walks an index."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

# The countries shown for the action ``a``: its meeting's counterparts' countries, in their
# order, else the country the meeting was held in.
COUNTRY_SQL = (
    "coalesce((SELECT group_concat(name, ', ') FROM (SELECT DISTINCT c2.name AS name"
    " FROM participant pa JOIN person pe ON pe.id = pa.person_id"
    " JOIN country c2 ON c2.id = pe.country_id"
    " WHERE pa.meeting_id = a.meeting_id AND pa.side = 'counterpart' ORDER BY c2.sort_key)),"
    " (SELECT c3.name FROM meeting m3 JOIN country c3 ON c3.id = m3.country_id"
    " WHERE m3.id = a.meeting_id), '')"
)

# Column = what it holds, for the action ``a`` (``pd_sort_key``: ``store/functions.py``).
KEYS_SQL = {
    "meeting_sort": "coalesce((SELECT date FROM meeting WHERE id = a.meeting_id), '')",
    "counterpart_sort": "pd_sort_key((SELECT counterpart FROM meeting WHERE id = a.meeting_id))",
    "country_sort": f"pd_sort_key({COUNTRY_SQL})",
}

# Changing one of these columns changes the keys of some actions.
INPUTS = {
    "agreed_action": frozenset({"meeting_id"}),
    "meeting": frozenset({"date", "counterpart", "country_id"}),
    "person": frozenset({"country_id"}),
    "country": frozenset({"name", "sort_key"}),
}

# The meetings a person or a country takes part in as a counterpart.
_COUNTERPART_OF_PERSON = (
    "a.meeting_id IN"
    " (SELECT meeting_id FROM participant WHERE person_id = ? AND side = 'counterpart')"
)
_OF_COUNTRY = (
    "(a.meeting_id IN (SELECT id FROM meeting WHERE country_id = ?) OR a.meeting_id IN"
    " (SELECT pa.meeting_id FROM participant pa JOIN person pe ON pe.id = pa.person_id"
    " WHERE pe.country_id = ? AND pa.side = 'counterpart'))"
)


def refresh(conn: sqlite3.Connection, condition: str = "1", params: Sequence[Any] = ()) -> None:
    """Write the keys again for the actions ``a`` matching ``condition``."""
    assignments = ", ".join(f"{column} = {sql}" for column, sql in KEYS_SQL.items())
    conn.execute(f"UPDATE agreed_action AS a SET {assignments} WHERE {condition}", list(params))


def refresh_meeting(conn: sqlite3.Connection, meeting_id: int) -> None:
    """The keys of a meeting's actions, once its participants are written."""
    refresh(conn, "a.meeting_id = ?", [meeting_id])


def after_write(conn: sqlite3.Connection, table: str, row_id: int, columns: set[str]) -> None:
    """Keep the keys true after ``columns`` of ``table``'s row ``row_id`` were written."""
    inputs = INPUTS.get(table)
    if inputs is None or not inputs & columns:
        return
    if table == "agreed_action":
        refresh(conn, "a.id = ?", [row_id])
    elif table == "meeting":
        refresh_meeting(conn, row_id)
    elif table == "person":
        refresh(conn, _COUNTERPART_OF_PERSON, [row_id])
    else:
        refresh(conn, _OF_COUNTRY, [row_id, row_id])


def stale_count(conn: sqlite3.Connection) -> int:
    """How many actions' keys differ from what their meetings give (0 when all are true)."""
    differs = " OR ".join(f"{column} IS NOT {sql}" for column, sql in KEYS_SQL.items())
    return int(conn.execute(f"SELECT count(*) FROM agreed_action a WHERE {differs}").fetchone()[0])
