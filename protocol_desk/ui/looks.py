"""How the window looks: its icons (shipped SVG files, drawn in the palette's text colour so
they read on light and dark desktops alike) and the colours that mark rows (jubilees,
warnings), taken from the palette rather than fixed."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"


def _text_colour() -> QColor:
    app = QGuiApplication.instance()
    if app is None:
        return QColor("#000000")
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText)


@cache
def _icon(name: str, colour: str) -> QIcon:
    source = ICON_DIR / f"{name}.svg"
    if colour == "#000000":
        return QIcon(str(source))
    # Qt's SVG icon engine draws a file only when it is painted, at the size painted: the
    # icon in another colour is a copy of the file (made once), not pixmaps drawn at start.
    folder = Path(tempfile.gettempdir()) / f"protocol-desk-icons-{colour.lstrip('#')}"
    target = folder / source.name
    try:
        if not target.exists():
            folder.mkdir(exist_ok=True)
            text = source.read_text(encoding="utf-8").replace("#000000", colour)
            partial = target.with_suffix(f".{os.getpid()}.part")
            partial.write_text(text, encoding="utf-8")
            partial.replace(target)  # whole or not at all, should two windows start at once
    except OSError:
        return QIcon(str(source))  # drawn black rather than not at all
    return QIcon(str(target))


def icon(name: str) -> QIcon:
    """The icon called ``name`` (a file in resources/icons), in the palette's text colour."""
    return _icon(name, _text_colour().name())


def icon_size() -> QSize:
    return QSize(20, 20)


# --- colours --------------------------------------------------------------------------------


def _dark() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def jubilee_background(major: bool) -> QColor:
    """A jubilee's row: a warm tint that keeps the palette's text readable, light or dark."""
    if _dark():
        return QColor("#6b5000") if major else QColor("#4a3a10")
    return QColor("#ffe08a") if major else QColor("#fff3c4")


def attention_colour() -> QColor:
    """Text that needs attention (overdue, due today): red that reads on either palette."""
    return QColor("#ff6b6b") if _dark() else QColor("#b00000")


def quiet_colour() -> QColor:
    """Text that matters less (done, past): the palette's own placeholder grey."""
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def overdue_background() -> QColor:
    """An overdue action's row: a red tint under the palette's own text colour."""
    return QColor("#4a1c1c") if _dark() else QColor("#fbe3e3")


# Style sheets for labels: the palette's own roles, so a dark desktop keeps them readable.
QUIET_STYLE = "color: palette(placeholder-text);"
ERROR_TEXT_STYLE = "color: #d32f2f;"
