"""Anniversaries: typed ones, and those kept in step with a country's, organisation's or
person's own date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from protocol_desk.domain.dates import MonthDay, base_date_from_iso, base_date_to_iso
from protocol_desk.domain.errors import NotFoundError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import ActionStatus, Anniversary, AnniversaryKind
from protocol_desk.domain.text import sort_key
from protocol_desk.domain.validation import validate_anniversary
from protocol_desk.store.base import Repository, now_iso

if TYPE_CHECKING:
    from protocol_desk.domain.anniversaries import PreparationFacts

# Derived anniversaries get a uid computed from what they derive from, so a re-derivation
# (after an import, say) yields the same record and links to it survive.
_DERIVED_NAMESPACE = "6f1c7c2e-3f0e-4b8e-9a51-2d8f0f5d7a10"


def derived_uid(derived_from: str) -> str:
    import uuid  # when first needed, as in domain.models.new_uid

    return str(uuid.uuid5(uuid.UUID(_DERIVED_NAMESPACE), derived_from))


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


# The columns ``_fast_anniversary`` reads, in its order.
_COLUMNS = (
    "a.id, a.uid, a.version, a.kind, a.title, a.base_date, a.country_id, a.organisation_id,"
    " a.person_id, a.lead_days, a.notes, a.provenance"
)
_KINDS = {kind.value: kind for kind in AnniversaryKind}


@cache
def _year_less(text: str) -> MonthDay:
    # At most 366 distinct values: parse and validate each once.
    return MonthDay(int(text[2:4]), int(text[5:7]))


def _base_date(text: str) -> date | MonthDay:
    return _year_less(text) if text[0] == "-" else date.fromisoformat(text)


def _fast_anniversary(row: tuple[Any, ...]) -> Anniversary:
    """``anniversary_from_row`` for a tuple of ``_COLUMNS``: a year's view reads thousands."""
    return Anniversary(
        id=row[0],
        uid=row[1],
        version=row[2],
        kind=_KINDS[row[3]],
        title=row[4],
        base_date=_base_date(row[5]),
        country_id=row[6],
        organisation_id=row[7],
        person_id=row[8],
        lead_days=row[9],
        notes=row[10],
        provenance=row[11],
    )


def _month_day_ranges(start: date, end: date) -> list[tuple[str, str]]:
    """The ranges of ``base_month_day`` whose anniversaries can fall in ``[start, end]``, not
    overlapping.

    29 February is always in: in a common year it is observed on 28 February or 1 March, and
    the arithmetic decides."""
    if (end - start).days >= 365:
        return [("01-01", "12-31")]
    first, last = _month_day(start), _month_day(end)
    one_year = start.year == end.year
    ranges = [(first, last)] if one_year else [(first, "12-31"), ("01-01", last)]
    if not any(low <= "02-29" <= high for low, high in ranges):
        ranges.append(("02-29", "02-29"))
    return ranges


def _month_day_window(start: date, end: date) -> tuple[str, list[Any]]:
    """SQL narrowing anniversaries to those of ``_month_day_ranges`` (nothing for a year)."""
    if (end - start).days >= 365:
        return "", []
    ranges = _month_day_ranges(start, end)
    either = " OR ".join("a.base_month_day BETWEEN ? AND ?" for _ in ranges)
    return f" AND ({either})", [day for pair in ranges for day in pair]


# A dictionary lookup: calling the enum costs more than the rest of building a row.
_STATUS = {status.value: status for status in ActionStatus}

# Below this many days, a window read from the file (few rows) is cheaper than reading every
# anniversary into memory; from it on, everything is read once and kept until a change.
SHORT_WINDOW_DAYS = 62
_IDS_PER_READ = 500  # anniversaries one query reads by id


def _month_days_in(start: date, end: date) -> set[tuple[int, int]] | None:
    """The (month, day) pairs of ``[start, end]`` with 29 February always in; None (let
    everything through: the arithmetic has the last word) for a window long enough that
    sorting out would cost more than it saves."""
    if (end - start).days >= 180:
        return None
    pairs = {(2, 29)}
    day = start
    while day <= end:
        pairs.add((day.month, day.day))
        day += timedelta(days=1)
    return pairs


@dataclass(frozen=True, slots=True)
class AnniversaryListing:
    """An anniversary with the names the office sees next to it."""

    anniversary: Anniversary
    country_id: int | None  # its own country, else its organisation's or person's
    country: str
    subject: str  # the organisation or person it belongs to
    derived: bool  # follows from a country's, organisation's or person's own date


@dataclass(frozen=True, slots=True)
class LinkedAction:
    """An agreed action that falls due on an anniversary."""

    id: int
    anniversary_id: int
    text: str
    status: ActionStatus
    # The occurrence it falls due on (``agreed_action.due_on``, kept by the store).
    due_on: date | None


# An anniversary's country: its own, or that of the organisation or person it belongs to.
_EFFECTIVE_COUNTRY = "coalesce(a.country_id, o.country_id, p.country_id)"

_LISTING_SQL = (
    f"SELECT {_COLUMNS}, {_EFFECTIVE_COUNTRY}, coalesce(c.name, ''),"
    " coalesce(o.short_name, o.name, p.full_name, ''), a.derived_from IS NOT NULL"
    " FROM anniversary a"
    " LEFT JOIN organisation o ON o.id = a.organisation_id"
    " LEFT JOIN person p ON p.id = a.person_id"
    f" LEFT JOIN country c ON c.id = {_EFFECTIVE_COUNTRY}"
)


@lru_cache(maxsize=65_536)
def _title_key(title: str) -> str:
    # Titles rarely change between reads: the dictionary key is worked out once per title.
    return sort_key(title)


# Where ``_read`` puts a row's parsed base date: parsed once, not on every call that counts.
_BASE = 16


def _title_order(row: tuple[Any, ...]) -> tuple[str, int]:
    return _title_key(row[4]), row[0]


def _listing(row: tuple[Any, ...]) -> AnniversaryListing:
    return AnniversaryListing(_fast_anniversary(row), row[12], row[13], row[14], bool(row[15]))


def _filtered(
    rows: list[tuple[Any, ...]],
    country_id: int | None,
    kinds: Collection[AnniversaryKind] | None,
) -> list[tuple[Any, ...]]:
    if country_id is not None:
        rows = [row for row in rows if row[12] == country_id]
    if kinds is not None:
        values = {kind.value for kind in kinds}
        rows = [row for row in rows if row[3] in values]
    return rows


class AnniversaryRepository(Repository):
    """Anniversaries; the listings behind the upcoming views are read in dictionary order of
    title (the order within a day).

    Once a long window has been asked for, every anniversary's row is kept in memory until the
    database changes. Kept as the plain tuples SQLite gives (strings, numbers and None), which
    Python's garbage collector stops following after one look, and made into objects only for
    the rows a call returns: as objects, 50,000 anniversaries made each full collection, while
    the anniversaries area scrolled, a pause of 0.1–0.3 s."""

    def __init__(self, db: Any, user: str | None = None) -> None:
        super().__init__(db, user)
        self._rows: list[tuple[Any, ...]] | None = None  # of _LISTING_SQL, in title order
        self._cached_at: tuple[int, int] | None = None
        # The kept rows' places in the title order, by day and month: a month's window picks
        # its days instead of testing every row.
        self._by_day: dict[tuple[int, int], list[int]] = {}

    def get(self, anniversary_id: int) -> Anniversary:
        return anniversary_from_row(self.fetch_row("anniversary", anniversary_id))

    def all(self, *, include_derived: bool = True) -> list[Anniversary]:
        where = "deleted_at IS NULL" + ("" if include_derived else " AND derived_from IS NULL")
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM anniversary a WHERE {where} ORDER BY base_month_day, id"
        ).fetchall()
        return [_fast_anniversary(r) for r in rows]

    def has_any(self) -> bool:
        """Whether there is any anniversary, typed or derived (outside the bin)."""
        row = self.db.execute(
            "SELECT 1 FROM anniversary WHERE deleted_at IS NULL LIMIT 1"
        ).fetchone()
        return row is not None

    # --- the upcoming views -------------------------------------------------------------------
    def _state(self) -> tuple[int, int]:
        """Changes by this connection, and a counter SQLite moves when another connection
        commits: while both stay put, what was read is still what the file holds."""
        (version,) = self.db.execute("PRAGMA data_version").fetchone()
        return self.db.conn.total_changes, int(version)

    def _read(self, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """Rows of ``_LISTING_SQL`` from the file, each with its base date parsed (``_BASE``),
        in title order."""
        rows = self.db.execute(f"{_LISTING_SQL} WHERE a.deleted_at IS NULL{where}", params)
        found = [(*row, _base_date(row[5])) for row in rows.fetchall()]
        found.sort(key=_title_order)
        return found

    def _kept(self) -> list[tuple[Any, ...]] | None:
        """Every row from memory, or None when the database changed since it was read (or a
        transaction is open: it may change what was read and be rolled back)."""
        if (
            self._rows is not None
            and not self.db.conn.in_transaction
            and self._cached_at == self._state()
        ):
            return self._rows
        return None

    def forget(self) -> None:
        """Drop what is kept in memory: the next read goes to the file (for a benchmark's
        first-read timing; changes are noticed without it)."""
        self._rows = None
        self._cached_at = None
        self._by_day = {}

    def _keep_everything(self) -> list[tuple[Any, ...]]:
        state = self._state()
        rows = self._read("", [])
        by_day: dict[tuple[int, int], list[int]] = defaultdict(list)
        for place, row in enumerate(rows):
            base = row[_BASE]
            by_day[(base.month, base.day)].append(place)
        self._by_day = dict(by_day)
        self._rows = rows
        self._cached_at = state
        return rows

    def _found(
        self,
        window: tuple[date, date] | None,
        country_id: int | None,
        kinds: Collection[AnniversaryKind] | None,
        *,
        ordered: bool = True,
    ) -> list[tuple[Any, ...]]:
        """The rows that may occur in ``window`` (all when None), of one country and some kinds
        when given: from memory, else from the file (and kept, unless the window is short or
        a transaction is open)."""
        rows = self._kept()
        if rows is None:
            short = window is not None and (window[1] - window[0]).days < SHORT_WINDOW_DAYS
            if self.db.conn.in_transaction or short:
                # A short window reads few rows: cheaper than reading all of them. What a
                # transaction wrote may yet be rolled back: never keep it in memory.
                where, params = _month_day_window(*window) if window else ("", [])
                return _filtered(self._read(where, params), country_id, kinds)
            rows = self._keep_everything()
        pairs = None if window is None else _month_days_in(*window)
        if pairs is not None:
            places = [place for pair in pairs for place in self._by_day.get(pair, ())]
            if ordered:
                places.sort()  # back in title order
            rows = [rows[place] for place in places]
        return _filtered(rows, country_id, kinds)

    def listings(
        self,
        start: date | None = None,
        end: date | None = None,
        *,
        country_id: int | None = None,
        kinds: Collection[AnniversaryKind] | None = None,
        ids: Iterable[int] | None = None,
    ) -> list[AnniversaryListing]:
        """Anniversaries with country and subject names, in dictionary order of title: those
        that may occur in ``[start, end]`` when given (the arithmetic has the last word), of
        one country (its own, its organisation's or person's) and of some kinds when given;
        or those of ``ids``."""
        if ids is not None:
            wanted = list(ids)
            found: list[tuple[Any, ...]] = []
            for first in range(0, len(wanted), _IDS_PER_READ):
                chunk = wanted[first : first + _IDS_PER_READ]
                found += self.db.execute(
                    f"{_LISTING_SQL} WHERE a.deleted_at IS NULL"
                    f" AND a.id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            found.sort(key=_title_order)
            return [_listing(row) for row in found]
        window = None if start is None or end is None else (start, end)
        return [_listing(row) for row in self._found(window, country_id, kinds)]

    def preparation_facts(
        self,
        start: date,
        end: date,
        *,
        country_id: int | None = None,
        kinds: Collection[AnniversaryKind] | None = None,
    ) -> list[PreparationFacts]:
        """What deciding whether an occurrence's preparation has started needs, for the
        anniversaries ``listings`` gives for the same arguments, in the same order: a window
        of months at a million meetings holds some 17,000, and only a few hundred of them are
        being prepared."""
        return [
            (row[0], row[_BASE], _KINDS[row[3]], row[9])
            for row in self._found((start, end), country_id, kinds)
        ]

    def base_dates(
        self,
        start: date,
        end: date,
        *,
        country_id: int | None = None,
        kinds: Collection[AnniversaryKind] | None = None,
    ) -> list[date | MonthDay]:
        """The base dates of the anniversaries ``listings`` gives for the same arguments, which
        is all that counting their occurrences needs: from memory when the rows are there,
        otherwise only the dates are read (a month at a million meetings: some 4,000 rows, each
        with its names, took 30 ms to read and 30 more to make into objects)."""
        if self._kept() is not None:
            found = self._found((start, end), country_id, kinds, ordered=False)
            return [row[_BASE] for row in found]
        if kinds is not None and not kinds:
            return []
        joins = where = ""
        params: list[Any] = []
        if country_id is not None:
            joins = (
                " LEFT JOIN organisation o ON o.id = a.organisation_id"
                " LEFT JOIN person p ON p.id = a.person_id"
            )
            where += f" AND {_EFFECTIVE_COUNTRY} = ?"
            params.append(country_id)
        if kinds is not None:
            where += f" AND a.kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kind.value for kind in kinds)
        # One range of days at a time, never an OR of them: each is then read from the index
        # of days alone.
        selects, every_param = [], []
        for first, last in _month_day_ranges(start, end):
            selects.append(
                f"SELECT a.base_date FROM anniversary a{joins} WHERE a.deleted_at IS NULL"
                f" AND a.base_month_day BETWEEN ? AND ?{where}"
            )
            every_param += [first, last, *params]
        rows = self.db.execute(" UNION ALL ".join(selects), every_param).fetchall()
        return [_base_date(text) for (text,) in rows]

    def in_window(
        self, start: date, end: date, *, country_id: int | None = None
    ) -> list[Anniversary]:
        """The anniversaries of ``listings``."""
        return [item.anniversary for item in self.listings(start, end, country_id=country_id)]

    def linked_actions(self, anniversary_ids: Iterable[int] | None = None) -> list[LinkedAction]:
        """Agreed actions that fall due on an anniversary (of those given, or any), except the
        actions of meetings in the bin."""
        where = ""
        params: list[Any] = []
        if anniversary_ids is not None:
            wanted = list(anniversary_ids)
            if not wanted:
                return []
            where = f" AND ac.due_anniversary_id IN ({', '.join('?' * len(wanted))})"
            params = wanted
        # Named: the planner's statistics average over the many actions with no anniversary,
        # so for a few hundred ids it would rather read every action.
        rows = self.db.execute(
            "SELECT ac.id, ac.due_anniversary_id, ac.text, ac.status, ac.due_on"
            " FROM agreed_action ac INDEXED BY agreed_action_anniversary"
            " LEFT JOIN meeting m ON m.id = ac.meeting_id"
            " WHERE ac.due_anniversary_id IS NOT NULL AND m.deleted_at IS NULL" + where,
            params,
        ).fetchall()
        return [
            LinkedAction(
                id=r[0],
                anniversary_id=r[1],
                text=r[2],
                status=_STATUS[r[3]],
                due_on=date.fromisoformat(r[4]) if r[4] else None,
            )
            for r in rows
        ]

    def count_linked_actions(self, anniversary_id: int) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM agreed_action WHERE due_anniversary_id = ?", [anniversary_id]
        ).fetchone()
        return int(row[0])

    def longest_lead_days(self) -> int:
        """The longest lead time an officer set on any anniversary (0 when none)."""
        row = self.db.execute(
            "SELECT coalesce(max(lead_days), 0) FROM anniversary WHERE deleted_at IS NULL"
        ).fetchone()
        return int(row[0])

    def is_deleted(self, anniversary_id: int) -> bool:
        return self.fetch_row("anniversary", anniversary_id)["deleted_at"] is not None

    def delete(self, anniversary_id: int) -> None:
        """Move a typed anniversary to the bin (a soft delete: ``restore`` brings it back)."""
        row = self.fetch_row("anniversary", anniversary_id)
        if row["deleted_at"] is not None:
            raise NotFoundError(N_("This anniversary was already deleted."))
        self.db.execute(
            "UPDATE anniversary SET deleted_at = ?, version = version + 1 WHERE id = ?",
            [now_iso(), anniversary_id],
        )
        self.log("anniversary", row["uid"], "delete")

    def restore(self, anniversary_id: int) -> None:
        row = self.fetch_row("anniversary", anniversary_id)
        if row["deleted_at"] is None:
            return
        self.db.execute(
            "UPDATE anniversary SET deleted_at = NULL, version = version + 1 WHERE id = ?",
            [anniversary_id],
        )
        self.log("anniversary", row["uid"], "restore")

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
