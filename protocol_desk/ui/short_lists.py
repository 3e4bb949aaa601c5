"""Short read-only lists (the Today page's sections, the anniversaries that need attention)
and the way an anniversary's occurrence looks wherever it is listed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_date as cldr_date
from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView

from protocol_desk.domain import language as words
from protocol_desk.i18n import _, current_language
from protocol_desk.ui.columns import Column, column_header
from protocol_desk.ui.day_words import date_text
from protocol_desk.ui.looks import jubilee_background
from protocol_desk.ui.widgets import named

if TYPE_CHECKING:
    from PySide6.QtCore import QPersistentModelIndex

    from protocol_desk.services.anniversaries import UpcomingItem

    Index = QModelIndex | QPersistentModelIndex

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's record (an UpcomingItem, an action…)


def day_text(day: date) -> str:
    weekday = cldr_date(day, "EEE", locale=current_language().value)
    return f"{weekday} {date_text(day)}"


def countdown(day: date, as_of: date) -> str:
    days = (day - as_of).days
    if days == 1:
        return _("tomorrow")
    return words.countdown(days, current_language())


def where_text(item: UpcomingItem) -> str:
    return " · ".join(part for part in (item.subject, item.country) if part)


class ListModel(QAbstractTableModel):
    """A short read-only list (the needs-attention list, the Today sections)."""

    def __init__(
        self,
        columns: Sequence[Column],
        style: Callable[[Any, int, int], Any] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self._style = style  # (row, column, role) -> value or None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_item(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == ITEM_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()].text(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return " — ".join(c.text(row) for c in self.columns[:3])
        if self._style is not None:
            return self._style(row, index.column(), role)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_header(self.columns, section, orientation, role)


def occurrence_style(item: UpcomingItem, column: int, role: int) -> Any:
    """Jubilees stand out wherever an occurrence is listed."""
    o = item.occurrence
    if role == Qt.ItemDataRole.FontRole and o.jubilee:
        font = QFont()
        font.setBold(True)
        return font
    if role == Qt.ItemDataRole.BackgroundRole and o.jubilee:
        return jubilee_background(o.major)
    return None


def table(name: str, accessible: str, model: QAbstractItemModel) -> QTableView:
    view = named(QTableView(), name, accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    return view
