"""How a list's columns are described: a header and the way a row's text is made.

Kept apart from the record widgets, so the Today page and the meetings list start without
them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

from PySide6.QtCore import Qt

from protocol_desk.i18n import _


class Column(NamedTuple):
    """A column of a list: its header (English, marked for translation by being a column's
    header, shown in the window's language), how a row's text is made, and what the column sorts by
    when that is not its text in dictionary order (a date, say). (A named tuple, not a
    dataclass: defining a dataclass costs the start a millisecond or so.)"""

    header: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any] | None = None


def header_text(
    headers: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """A list's horizontal header text in the window's language: what every list model's
    ``headerData`` answers (as its tooltip too, for a column the officer has narrowed)."""
    if (
        orientation == Qt.Orientation.Horizontal
        and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        and 0 <= section < len(headers)
    ):
        return _(headers[section])
    return None


def column_header(
    columns: Sequence[Column], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """``header_text`` for a list described by its columns."""
    return header_text([column.header for column in columns], section, orientation, role)


def date_key(value: date | None) -> tuple[bool, date]:
    """A date column's sort key: by date, the rows without one last."""
    return value is None, value or date.min
