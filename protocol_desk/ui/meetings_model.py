"""The meetings list as a lazy Qt table model: pages of rows are fetched as the view scrolls."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from protocol_desk.domain.dates import format_date
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store.meetings import MeetingFilter, MeetingRow, Page

Index = QModelIndex | QPersistentModelIndex

MEETING_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# A fetched row as a plain tuple (id, date, precision, subject, counterpart, city, country,
# kind) of strings, numbers and dates: Python's garbage collector stops following such tuples
# after their first collection, so a list scrolled through a million meetings does not make
# every full collection walk a million objects (pauses of a third of a second otherwise).
StoredRow = tuple[int, date, str, str, str, str, str, str]
_FIELD = {"subject": 3, "counterpart": 4, "city": 5, "country": 6, "kind": 7}


def _stored(row: MeetingRow) -> StoredRow:
    return (
        row.id,
        row.date,
        row.precision.value,
        row.subject,
        row.counterpart,
        row.city,
        row.country,
        row.kind,
    )


# (header, sort key understood by the store)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Date", "date"),
    ("Subject", "subject"),
    ("Counterpart", "counterpart"),
    ("City", "city"),
    ("Country", "country"),
    ("Kind", "kind"),
)


class MeetingsModel(QAbstractTableModel):
    PAGE_SIZE = 200

    def __init__(self, service: MeetingService, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self._filter = MeetingFilter()
        self._order_by = "date"
        self._descending = True
        self._rows: list[StoredRow] = []
        self._after: tuple[Any, int] | None = None
        self._exhausted = True
        # Moves on each reset: a page read in the background for an older state is not shown.
        self.generation = 0
        self.reload()

    # --- what to show ------------------------------------------------------------------------
    @property
    def filter(self) -> MeetingFilter:
        return self._filter

    def set_filter(self, flt: MeetingFilter) -> None:
        self._filter = flt
        self.reload()

    @property
    def order(self) -> tuple[str, bool]:
        """The sort: the store's key, and whether descending."""
        return self._order_by, self._descending

    def reload(self) -> None:
        """Start again from the first page (after a save, a delete or a new filter)."""
        page = self._service.page(
            self._filter,
            order_by=self._order_by,
            descending=self._descending,
            limit=self.PAGE_SIZE,
        )
        self.show_page(self._filter, page)

    def show_page(self, flt: MeetingFilter, page: Page) -> None:
        """Show ``page`` as the first page of ``flt`` in the current order (read elsewhere:
        the view reads a typed search's first page in a thread of its own)."""
        self.beginResetModel()
        self._filter = flt
        self._rows = [_stored(r) for r in page.rows]
        self._after = page.next_after
        self._exhausted = page.next_after is None
        self.generation += 1
        self.endResetModel()

    def row_of(self, meeting_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row[0] == meeting_id:
                return number
        return None

    def meeting_id(self, row: int) -> int | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    # --- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._service.page(
            self._filter,
            order_by=self._order_by,
            descending=self._descending,
            after=self._after,
            limit=self.PAGE_SIZE,
        )
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(_stored(r) for r in page.rows)
            self.endInsertRows()
        self._after = page.next_after
        self._exhausted = page.next_after is None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == MEETING_ID_ROLE:
            return row[0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            key = COLUMNS[index.column()][1]
            if key == "date":
                return format_date(row[1], row[2])
            return row[_FIELD[key]]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{format_date(row[1], row[2])}: {row[3]}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._order_by = COLUMNS[column][1]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
