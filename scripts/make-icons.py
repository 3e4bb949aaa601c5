"""Write the window's icons as SVG files into resources/icons, from the Font Awesome Free 5
solid font that the qtawesome package carries (pip install "qtawesome>=1.4,<1.5" to run this;
the application itself needs neither the font nor qtawesome: it reads the SVG files).

Run: python scripts/make-icons.py"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QPainterPath

# The office's word for an icon → the Font Awesome 5 solid icon drawn for it.
ICONS = {
    "app": "landmark",
    "new": "plus",
    "edit": "pen",
    "open": "folder-open",
    "delete": "trash-alt",
    "restore": "trash-restore",
    "copy": "copy",
    "export": "file-export",
    "import": "file-import",
    "print": "print",
    "preview": "search-plus",
    "briefing": "file-alt",
    "find": "search",
    "undo": "undo",
    "redo": "redo",
    "backup": "save",
    "restore-backup": "history",
    "history": "history",
    "quit": "sign-out-alt",
    "refresh": "sync-alt",
    "help": "question-circle",
    "about": "info-circle",
    "keyboard": "keyboard",
    "preferences": "cog",
    "today": "calendar-day",
    "meetings": "handshake",
    "delegations": "plane",
    "people": "users",
    "anniversaries": "award",
    "actions": "tasks",
    "merge": "compress-alt",
    "done": "check",
}
SIZE = 512.0  # the SVG's own coordinates; Qt scales it to any size


def path_data(path: QPainterPath) -> str:
    parts = []
    index = 0
    count = path.elementCount()
    while index < count:
        element = path.elementAt(index)
        if element.isMoveTo():
            parts.append(f"M{element.x:.1f} {element.y:.1f}")
            index += 1
        elif element.isLineTo():
            parts.append(f"L{element.x:.1f} {element.y:.1f}")
            index += 1
        else:  # a cubic curve: this element and the next two
            one, two = path.elementAt(index + 1), path.elementAt(index + 2)
            parts.append(
                f"C{element.x:.1f} {element.y:.1f} {one.x:.1f} {one.y:.1f} {two.x:.1f} {two.y:.1f}"
            )
            index += 3
    return "".join(parts) + "Z"


def main() -> int:
    import qtawesome

    app = QGuiApplication(sys.argv[:1])
    fonts = Path(qtawesome.__file__).parent / "fonts"
    font_id = QFontDatabase.addApplicationFont(str(fonts / "fontawesome5-solid-webfont-5.15.4.ttf"))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    charmap = json.loads((fonts / "fontawesome5-solid-webfont-charmap-5.15.4.json").read_text())
    font = QFont(family)
    font.setPixelSize(int(SIZE * 0.8))
    target = Path(__file__).resolve().parent.parent / "resources" / "icons"
    target.mkdir(parents=True, exist_ok=True)
    for name, glyph in ICONS.items():
        path = QPainterPath()
        path.addText(0, 0, font, chr(int(charmap[glyph], 16)))
        box = path.boundingRect()
        # Centred in a square, a little margin around it.
        scale = SIZE * 0.86 / max(box.width(), box.height())
        path.translate(-box.center())
        from PySide6.QtGui import QTransform

        path = QTransform().translate(SIZE / 2, SIZE / 2).scale(scale, scale).map(path)
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE:.0f} {SIZE:.0f}">'
            f'<path fill="#000000" fill-rule="nonzero" d="{path_data(path)}"/></svg>\n'
        )
        (target / f"{name}.svg").write_text(svg)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
