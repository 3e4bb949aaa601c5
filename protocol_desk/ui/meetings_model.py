"""The meetings list as a lazy Qt table model: pages of rows are fetched as the view scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from protocol_desk.domain.listing import MeetingFilter, MeetingRow, Page
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _
from protocol_desk.services.meetings import MeetingService
from protocol_desk.ui.day_words import date_text
from protocol_desk.ui.paged_model import Index, KeysetTableModel

MEETING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
IN_SOURCE = N_("[found in a source]")  # a search found the meeting only in a release kept with it

# A fetched row as a plain tuple (id, date, precision, subject, counterpart, city, country,
# kind, found only in a source) of strings, numbers and dates: Python's garbage collector
# stops following such tuples after their first collection, so a list scrolled through a
# million meetings does not make
# every full collection walk a million objects (pauses of a third of a second otherwise).
StoredRow = tuple[int, date, str, str, str, str, str, str, bool]
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
        _(row.kind) if row.kind else "",  # a usual kind in the window's language
        row.in_source,
    )


# (header, sort key understood by the store)
COLUMNS: tuple[tuple[str, str], ...] = (
    (N_("Date"), "date"),
    (N_("Subject"), "subject"),
    (N_("Counterpart"), "counterpart"),
    (N_("City"), "city"),
    (N_("Country"), "country"),
    (N_("Kind"), "kind"),
)


class MeetingsModel(KeysetTableModel[StoredRow]):
    COLUMNS = COLUMNS

    def __init__(self, service: MeetingService, parent: Any = None) -> None:
        super().__init__(service, MeetingFilter(), "date", True, parent)
        self.reload()

    def keep(self, rows: Sequence[MeetingRow]) -> list[StoredRow]:
        return [_stored(r) for r in rows]

    # --- what to show ------------------------------------------------------------------------
    @property
    def filter(self) -> MeetingFilter:
        flt: MeetingFilter = self._filter
        return flt

    def set_filter(self, flt: MeetingFilter) -> None:
        self._filter = flt
        self.reload()

    def show_page(self, flt: MeetingFilter, page: Page) -> None:
        """Show ``page`` as the first page of ``flt`` in the current order (read elsewhere:
        the view reads a typed search's first page in a thread of its own)."""
        self._filter = flt
        self._show(page)

    def row_of(self, meeting_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row[0] == meeting_id:
                return number
        return None

    def meeting_id(self, row: int) -> int | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == MEETING_ID_ROLE:
            return row[0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            key = COLUMNS[index.column()][1]
            if key == "date":
                return date_text(row[1], row[2])
            if key == "subject" and row[8]:
                return f"{row[3]}  {_(IN_SOURCE)}"
            return row[_FIELD[key]]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{date_text(row[1], row[2])}: {row[3]}"
        return None
