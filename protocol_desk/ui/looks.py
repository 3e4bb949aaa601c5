"""How the window looks: its icons (shipped SVG files, drawn in the palette's text colour so
they read on light and dark desktops alike) and the colours that mark rows (jubilees,
warnings), taken from the palette rather than fixed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
ICON_SIZES = (16, 20, 24, 32, 48)


def _text_colour() -> QColor:
    app = QGuiApplication.instance()
    if app is None:
        return QColor("#000000")
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText)


@cache
def _icon(name: str, colour: str) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    try:
        svg = path.read_text(encoding="utf-8")
    except OSError:
        return QIcon()  # an icon missing from the installation: the text says it all
    data = QByteArray(svg.replace("#000000", colour).encode("utf-8"))
    from PySide6.QtSvg import QSvgRenderer  # imported when the first icon is drawn

    renderer = QSvgRenderer(data)
    result = QIcon()
    ratio = 2  # drawn at twice the size: sharp at 150 % and 200 % scaling too
    for side in ICON_SIZES:
        image = QImage(side * ratio, side * ratio, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        result.addPixmap(pixmap)
    return result


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
