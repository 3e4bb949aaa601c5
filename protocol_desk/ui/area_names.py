"""The areas' names in the window's left-hand list: whole, on two lines where a language's are
long (Kazakh, Russian), so the list stays narrow and the area beside it keeps the room."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget

# The icon's gap, the item's padding (the style sheet's 10 px each side) and the scroll bar's
# room, beside the icon itself.
_AROUND_TEXT = 64


def wrapped(text: str, metrics: QFontMetrics, room: int) -> str:
    """``text`` broken at spaces into lines no wider than ``room`` where it can be; a word
    wider than the room stays whole on its own line."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


class AreaNames(QObject):
    """Keeps each area's name wrapped to the list's width as it changes."""

    def __init__(self, areas: QListWidget) -> None:
        super().__init__(areas)
        self.areas = areas
        self.names = [areas.item(row).text() for row in range(areas.count())]
        metrics = areas.fontMetrics()
        longest_word = max(
            (metrics.horizontalAdvance(word) for name in self.names for word in name.split()),
            default=0,
        )
        areas.setMinimumWidth(
            longest_word + areas.iconSize().width() + 2 * areas.frameWidth() + _AROUND_TEXT
        )
        areas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        areas.viewport().installEventFilter(self)
        self.wrap()

    def wrap(self) -> None:
        room = self.areas.viewport().width() - self.areas.iconSize().width() - _AROUND_TEXT
        metrics = self.areas.fontMetrics()
        for row, name in enumerate(self.names):
            item = self.areas.item(row)
            text = wrapped(name, metrics, room)
            if item.text() != text:
                item.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.wrap()
        return False
