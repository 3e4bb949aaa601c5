"""Agreed actions: saving them, the history of their status, and the filtered action list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.listing import UNFINISHED, ActionRow
from protocol_desk.domain.models import ActionStatus, AgreedAction
from protocol_desk.domain.text import fold, sort_key
from protocol_desk.domain.validation import validate_action
from protocol_desk.store.action_keys import COUNTRY_SQL
from protocol_desk.store.base import Repository, now_iso
from protocol_desk.store.connection import transaction
from protocol_desk.store.search import cached, country_set

# From this many matches on, the list walks the index of its order, when it has one.
_MANY = 2_000
_WALK_INDEXES = {
    "due": "agreed_action_due",
    "text": "agreed_action_text_sort",
    "owner": "agreed_action_owner_sort",
    "meeting": "agreed_action_meeting_sort",
    "counterpart": "agreed_action_counterpart_sort",
    "country": "agreed_action_country_sort",
    "status": "agreed_action_status_order",
}


@dataclass(frozen=True)
class ActionFilter:
    """Which actions the list shows; every field left at its default lets everything through."""

    statuses: frozenset[ActionStatus] | None = None
    owner: str | None = None
    country_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    # Unfinished actions whose due date is before this day.
    overdue_as_of: date | None = None
    # Actions agreed with any of these people on the counterpart side.
    counterpart_ids: tuple[int, ...] | None = None
    meeting_id: int | None = None
    exclude_meeting_id: int | None = None
    text: str = ""


@dataclass
class ActionPage:
    """One page of the actions list and the key to read the next one from."""

    rows: list[ActionRow] = field(default_factory=list)
    # The key to continue after, or None when this was the last page.
    next_after: tuple[Any, int] | None = None


# The list's order of statuses, dropped last. The CASE is indexed as written here (migration
# 0007); a test checks the list's sort by status uses that index.
_STATUS_RANKS = {"open": 0, "in_progress": 1, "done": 2, "dropped": 3}
_STATUS_ORDER = (
    "CASE a.status WHEN 'open' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END"
)

# Sortable columns of the list; identifiers only ever come from this table. Actions without a
# due date sort after every dated one. The meeting's date, counterpart and countries are the
# keys kept beside each action (``store/action_keys.py``).
# The due-date key of an undated action: it sorts as the last day (the index of due dates,
# migration 0003, is on this expression).
UNDATED = "9999-12-31"

ACTION_SORT_COLUMNS = {
    "due": f"coalesce(due_effective, '{UNDATED}')",
    "status": "status_order",
    "text": "text_sort",
    "owner": "owner_sort",
    "counterpart": "counterpart_sort",
    "country": "country_sort",
    "meeting": "meeting_sort",
}

# For each sort but the status, the sort value of an action that has none (no owner, no
# due date).
_NONE = {
    "due": UNDATED,
    "text": "",
    "owner": "",
    "counterpart": "",
    "country": "",
    "meeting": "",
}


def _lean(index: str | None = None, *, with_meeting: bool = True) -> str:
    """What filtering and sorting need, and no more: the page's display columns are read
    afterwards for its rows alone (the country look-up is costly over thousands of rows).
    ``index`` makes SQLite walk the actions in that index's order; a count that asks nothing
    of the meeting leaves it unread (``with_meeting=False``)."""
    indexed = f" INDEXED BY {index}" if index else ""
    if with_meeting:
        meeting = (
            " m.date AS meeting_date, coalesce(m.subject, '') AS meeting_subject,"
            " coalesce(m.counterpart, '') AS counterpart,"
        )
        meeting_join = " LEFT JOIN meeting m ON m.id = a.meeting_id"
    else:
        meeting = " NULL AS meeting_date, '' AS meeting_subject, '' AS counterpart,"
        meeting_join = ""
    return (
        f"SELECT a.id, a.text, a.owner, a.status, a.outcome, a.meeting_id,{meeting}"
        " a.text_sort, a.owner_sort, a.meeting_sort, a.counterpart_sort, a.country_sort,"
        f" a.due_on AS due_effective, {_STATUS_ORDER} AS status_order"
        f" FROM agreed_action a{indexed}{meeting_join}"
    )


def _detail(chosen: str, direction: str = "ASC") -> str:
    """The display columns for the actions ``chosen`` selects (id, due_effective, sort_value)."""
    return (
        "SELECT a.id, a.version, a.text, a.owner, a.status, a.due_date, a.due_anniversary_id,"
        " a.completed_on, a.outcome, a.fulfilled_meeting_id, a.meeting_id,"
        " m.date AS meeting_date, coalesce(m.date_precision, 'day') AS meeting_precision,"
        " coalesce(m.subject, '') AS meeting_subject, coalesce(m.counterpart, '') AS counterpart,"
        " coalesce(an.title, '') AS due_anniversary, p.due_effective, p.sort_value,"
        f" {COUNTRY_SQL} AS country"
        f" FROM ({chosen}) p JOIN agreed_action a ON a.id = p.id"
        " LEFT JOIN meeting m ON m.id = a.meeting_id"
        " LEFT JOIN anniversary an ON an.id = a.due_anniversary_id"
        f" ORDER BY p.sort_value {direction}, p.id {direction}"
    )


def _row(r: dict[str, Any]) -> ActionRow:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value[:10]) if value else None

    return ActionRow(
        id=r["id"],
        version=r["version"],
        text=r["text"],
        owner=r["owner"],
        status=ActionStatus(r["status"]),
        due=day(r["due_effective"]),
        due_date=day(r["due_date"]),
        due_anniversary_id=r["due_anniversary_id"],
        due_anniversary=r["due_anniversary"],
        completed_on=day(r["completed_on"]),
        outcome=r["outcome"],
        fulfilled_meeting_id=r["fulfilled_meeting_id"],
        meeting_id=r["meeting_id"],
        meeting_date=day(r["meeting_date"]),
        meeting_precision=Precision(r["meeting_precision"]),
        meeting_subject=r["meeting_subject"],
        counterpart=r["counterpart"],
        country=r["country"],
    )


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

    @staticmethod
    def _row(
        action: AgreedAction, ordinal: int, key: Callable[[str], str] = sort_key
    ) -> dict[str, Any]:
        """The columns an action is stored in (``key``: the bulk writer's faster ``sort_key``)."""
        return {
            "meeting_id": action.meeting_id,
            "text": action.text.strip(),
            "owner": action.owner.strip(),
            "text_sort": key(action.text),
            "owner_sort": key(action.owner),
            "due_date": action.due.isoformat() if action.due else None,
            "due_anniversary_id": action.due_anniversary_id,
            "status": action.status.value,
            "completed_on": action.completed_on.isoformat() if action.completed_on else None,
            "outcome": action.outcome,
            "fulfilled_meeting_id": action.fulfilled_meeting_id,
            "provenance": action.provenance,
            "ordinal": ordinal,
        }

    def save(
        self,
        action: AgreedAction,
        *,
        ordinal: int | None = None,
        at_meeting_id: int | None = None,
        note: str | None = None,
        within_meeting: bool = False,
    ) -> AgreedAction:
        """Insert or update; a status change is also written to the action's history.

        ``ordinal`` (the place in its meeting's list) is kept when not given; ``note`` goes into
        the history entry (by default the outcome of a done action). An action is part of its
        meeting: a change raises the meeting's version too, unless ``within_meeting`` (the
        meeting's own save, which raises it once for all its parts)."""
        validate_action(action)
        existing_id = action.id or self.id_for_uid("agreed_action", action.uid)
        current = self.fetch_row("agreed_action", existing_id) if existing_id else None
        if ordinal is None:
            ordinal = int(current["ordinal"]) if current else 0
        row = self._row(action, ordinal)
        old_status: str | None = None
        if existing_id is None or current is None:
            action.id = self.insert_row("agreed_action", {"uid": action.uid, **row})
            action.version = 1
            changed = True
        else:
            old_status = current["status"]
            action.id = existing_id
            action.version = self.update_row(
                "agreed_action", existing_id, action.version or None, row
            )
            changed = action.version != current["version"]
        if changed and not within_meeting:
            moved_from = current["meeting_id"] if current else None
            for meeting_id in {action.meeting_id, moved_from}:
                if meeting_id is not None:
                    self.raise_meeting_version(meeting_id)
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
                    note
                    if note is not None
                    else (action.outcome if action.status is ActionStatus.DONE else ""),
                ],
            )
        return action

    def delete(self, action_id: int, *, within_meeting: bool = False) -> None:
        meeting_id = self.fetch_row("agreed_action", action_id)["meeting_id"]
        self.delete_row("agreed_action", action_id)
        if meeting_id is not None and not within_meeting:
            self.raise_meeting_version(meeting_id)

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

    def history_detail(self, action_id: int) -> list[dict[str, Any]]:
        """The history with the date and subject of the meeting each change was made at."""
        return self.query(
            "SELECT h.changed_at, h.old_status, h.new_status, h.meeting_id, h.note,"
            " m.date AS meeting_date, coalesce(m.subject, '') AS meeting_subject"
            " FROM action_status_change h LEFT JOIN meeting m ON m.id = h.meeting_id"
            " WHERE h.action_id = ? ORDER BY h.id",
            [action_id],
        )

    # --- the action list ----------------------------------------------------------------------
    @staticmethod
    def _where(flt: ActionFilter) -> tuple[list[str], list[Any]]:
        """Conditions on the columns of ``_lean`` (the outer query names them ``r``)."""
        params: list[Any] = []
        # Not the actions of meetings in the bin. The bin is small: asking it leaves the
        # meetings unread when counting.
        clauses = [
            "(r.meeting_id IS NULL OR r.meeting_id NOT IN"
            " (SELECT id FROM meeting WHERE deleted_at IS NOT NULL))"
        ]
        if flt.statuses is not None:
            statuses = sorted(s.value for s in flt.statuses)
            if not statuses:
                clauses.append("0")
            else:
                clauses.append(f"r.status IN ({', '.join('?' * len(statuses))})")
                params += statuses
        if flt.owner is not None:
            clauses.append("r.owner = ?")
            params.append(flt.owner)
        if flt.country_id is not None:
            # Held in the country or with a counterpart from it, as the meetings list means it.
            country = country_set(flt.country_id)
            clauses.append(f"r.meeting_id IN ({country.members})")
            params += country.params
        if flt.due_from is not None:
            clauses.append("r.due_effective >= ?")
            params.append(flt.due_from.isoformat())
        if flt.due_to is not None:
            clauses.append("r.due_effective <= ?")
            params.append(flt.due_to.isoformat())
        if flt.overdue_as_of is not None:
            clauses.append(
                "r.status IN ('open', 'in_progress') AND r.due_effective IS NOT NULL"
                " AND r.due_effective < ?"
            )
            params.append(flt.overdue_as_of.isoformat())
        if flt.counterpart_ids is not None:
            ids = list(flt.counterpart_ids)
            if not ids:
                clauses.append("0")
            else:
                clauses.append(
                    "r.meeting_id IN (SELECT meeting_id FROM participant WHERE side = 'counterpart'"
                    f" AND person_id IN ({', '.join('?' * len(ids))}))"
                )
                params += ids
        if flt.meeting_id is not None:
            clauses.append("r.meeting_id = ?")
            params.append(flt.meeting_id)
        if flt.exclude_meeting_id is not None:
            clauses.append("(r.meeting_id IS NULL OR r.meeting_id != ?)")
            params.append(flt.exclude_meeting_id)
        words = fold(flt.text).split()
        if words:
            clauses.append(
                "pd_has_words(r.text || ' ' || r.owner || ' ' || r.outcome || ' '"
                " || r.counterpart || ' ' || r.meeting_subject, ?)"
            )
            params.append("\n".join(words))
        return clauses, params

    def count(self, flt: ActionFilter) -> int:
        clauses, params = self._where(flt)
        # Only the words look at the meeting of origin's columns.
        lean = _lean(with_meeting=bool(flt.text.split()))
        row = self.db.execute(
            f"SELECT count(*) FROM ({lean}) r WHERE {' AND '.join(clauses)}", params
        ).fetchone()
        return int(row[0])

    def _many_match(self, clauses: list[str], params: list[Any]) -> bool:
        """Whether at least ``_MANY`` actions pass the conditions (read no further), asked once
        for all the pages of a list until the data changes."""
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM ({_lean()}) r"
            f" WHERE {' AND '.join(clauses)} LIMIT {_MANY})"
        )
        row = cached(
            self.db,
            ("actions-many", sql, tuple(params)),
            lambda: self.db.execute(sql, params).fetchone(),
        )
        return int(row[0]) >= _MANY

    def page(
        self,
        flt: ActionFilter,
        *,
        order_by: str = "due",
        descending: bool = False,
        after: tuple[Any, int] | None = None,
        limit: int = 200,
    ) -> ActionPage:
        """One page of the list, continuing after a key (keyset paging, as for meetings)."""
        column = ACTION_SORT_COLUMNS[order_by]
        clauses, params = self._where(flt)
        if order_by == "status" and flt.statuses:
            # The same condition in the order's own terms: the walk starts at the statuses
            # asked for, not after the hundreds of thousands of finished actions.
            ranks = sorted({_STATUS_RANKS[status.value] for status in flt.statuses})
            clauses.append(f"r.status_order IN ({', '.join(map(str, ranks))})")
        # Many matches (what is open, what is overdue) are read in the order of the index of
        # the sort, the first page after a few hundred rows; a few are collected and sorted,
        # as SQLite would choose on its own.
        index = _WALK_INDEXES.get(order_by)
        if index is not None and not self._many_match(clauses, params):
            index = None
        op = "<" if descending else ">"
        direction = "DESC" if descending else "ASC"

        def read(
            more: list[str], keys: list[Any], count: int, *, by_id: bool = False
        ) -> list[dict[str, Any]]:
            # ``by_id``: the sort value is the same in every row (the blanks): SQLite would
            # not see that an index of the sort's expression already gives the order.
            order = f"r.id {direction}" if by_id else f"r.sort_value {direction}, r.id {direction}"
            chosen = (
                "SELECT r.id, r.due_effective, r.sort_value FROM"
                f" (SELECT *, {column} AS sort_value FROM ({_lean(index)})) r"
                f" WHERE {' AND '.join([*clauses, *more])} ORDER BY {order} LIMIT ?"
            )
            return self.query(_detail(chosen, direction), [*params, *keys, count])

        # The plain bound first: SQLite starts the index walk there, not at its start.
        after_key = f"r.sort_value {op}= ? AND (r.sort_value {op} ? OR r.id {op} ?)"
        none = _NONE.get(order_by)
        if none is None:  # every action has one (a status)
            more = [after_key] if after is not None else []
            rows = read(more, [after[0], after[0], after[1]] if after else [], limit)
        else:
            # As in the meetings list, the actions without one come after the rest in either
            # direction. Those with one lie on one side of the key of none: a bound the walk
            # of the sort's index can use.
            given = "r.sort_value > ?" if none == "" else "r.sort_value < ?"
            rows = []
            if after is None:
                rows = read([given], [none], limit)
            elif after[0] != none:
                # Where the key of none lies beyond the page's, the bound would let it in; a
                # second bound on the same side would make SQLite start from the lowest.
                ahead = none < after[0] if descending else none > after[0]
                bound: list[str] = [given] if ahead else []
                bound_keys: list[Any] = [none] if ahead else []
                rows = read([*bound, after_key], [*bound_keys, after[0], after[0], after[1]], limit)
            if len(rows) < limit:
                blank: list[str] = ["r.sort_value = ?"]
                blank_keys: list[Any] = [none]
                if after is not None and after[0] == none:  # among the blanks already
                    blank.append(f"r.id {op} ?")
                    blank_keys.append(after[1])
                rows += read(blank, blank_keys, limit - len(rows), by_id=True)
        page = ActionPage(rows=[_row(r) for r in rows])
        if len(rows) == limit:
            page.next_after = (rows[-1]["sort_value"], rows[-1]["id"])
        return page

    def rows(
        self, flt: ActionFilter, *, order_by: str = "due", descending: bool = False
    ) -> list[ActionRow]:
        """Every matching row (for the command line, the carry-forward panel, briefings)."""
        found: list[ActionRow] = []
        after: tuple[Any, int] | None = None
        while True:
            page = self.page(flt, order_by=order_by, descending=descending, after=after, limit=1000)
            found.extend(page.rows)
            if page.next_after is None:
                return found
            after = page.next_after

    def row(self, action_id: int) -> ActionRow:
        chosen = f"SELECT r.id, r.due_effective, NULL AS sort_value FROM ({_lean()}) r"
        rows = self.query(_detail(chosen + " WHERE r.id = ?"), [action_id])
        if not rows:
            self.fetch_row("agreed_action", action_id)  # raises NotFoundError
        return _row(rows[0])

    def owners_in_use(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT owner FROM agreed_action WHERE owner != ''"
        ).fetchall()
        return sorted((str(r[0]) for r in rows), key=sort_key)

    # --- status changes -----------------------------------------------------------------------
    def change_status(
        self,
        action_ids: Sequence[int],
        status: ActionStatus,
        *,
        completed_on: date | None = None,
        outcome: str | None = None,
        fulfilled_meeting_id: int | None = None,
        note: str | None = None,
        expected_versions: dict[int, int] | None = None,
    ) -> list[int]:
        """Give every listed action the same new status, all or none (one transaction).

        A done or dropped action records ``completed_on`` (and a done one its outcome and the
        meeting it was fulfilled at); reopening clears them. Returns the ids actually changed;
        ``expected_versions`` turns a colleague's edit in between into a ConflictError."""
        changed: list[int] = []
        with transaction(self.db):
            for action_id in action_ids:
                action = self.get(action_id)
                if expected_versions and action_id in expected_versions:
                    action.version = expected_versions[action_id]
                before = (
                    action.status,
                    action.completed_on,
                    action.outcome,
                    action.fulfilled_meeting_id,
                )
                action.status = status
                if status in UNFINISHED:
                    action.completed_on = None
                    action.fulfilled_meeting_id = None
                else:
                    action.completed_on = completed_on
                    if status is ActionStatus.DONE:
                        action.fulfilled_meeting_id = fulfilled_meeting_id
                    if outcome is not None:
                        action.outcome = outcome
                after = (
                    action.status,
                    action.completed_on,
                    action.outcome,
                    action.fulfilled_meeting_id,
                )
                if before == after:
                    continue
                self.save(action, note=note)
                changed.append(action_id)
        return changed
