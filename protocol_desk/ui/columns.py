"""How a list's columns are described: a header and the way a row's text is made.

Kept apart from the record widgets, so the Today page and the meetings list start without
them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import Qt


class Column(NamedTuple):
    """A column of a list: its header and how a row's text is made. (A named tuple, not a
    dataclass: defining a dataclass costs the start a millisecond or so.)"""

    header: str
    text: Callable[[Any], str]


def column_header(
    columns: Sequence[Column], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """A list's horizontal header text: what every list model's ``headerData`` answers."""
    if (
        orientation == Qt.Orientation.Horizontal
        and role == Qt.ItemDataRole.DisplayRole
        and 0 <= section < len(columns)
    ):
        return columns[section].header
    return None
