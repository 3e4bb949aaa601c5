"""What every PDF of the app shares: reportlab on first use, the embedded DejaVu font, user
text made safe and printable at any length, and pages that know how many there are.

Any text of any length prints: it is cut into paragraphs of bounded size (a paragraph of
200,000 characters would take reportlab minutes to break, and a table row taller than a page
cannot be placed), and table rows whose cells hold long text continue on further rows.
A character the font lacks (most emoji) prints as its name in brackets, never as a blank box."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.sax.saxutils import escape

from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.domain.messages import N_

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
# Where a packaged install may find the same font when the bundled copy is not beside the code.
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}
FAMILY = "ProtocolDeskSans"
REGULAR = f"{FAMILY}-regular"
BOLD = f"{FAMILY}-bold"
ITALIC = f"{FAMILY}-italic"

# The longest piece of text set as one paragraph; longer text continues in the next one.
CHUNK = 1500
# How much text one table row holds before its cells continue on the next row.
ROW_BUDGET = 1500

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
# Joiners, variation selectors and skin tones shape an emoji; alone they mean nothing in print.
_SHAPERS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_font_lock = threading.Lock()


class FontMissing(ProtocolDeskError):
    """The bundled font is not where it should be (a broken install)."""


# --- reportlab, loaded on first use --------------------------------------------------------------
@functools.cache
def rl() -> SimpleNamespace:
    """reportlab's pieces, imported on first use (starting the app does not pay for them)."""
    from reportlab import platypus
    from reportlab.lib import colors, enums, pagesizes, units
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    return SimpleNamespace(
        colors=colors,
        enums=enums,
        A4=pagesizes.A4,
        LETTER=pagesizes.LETTER,
        landscape=pagesizes.landscape,
        cm=units.cm,
        ParagraphStyle=ParagraphStyle,
        ImageReader=ImageReader,
        pdfmetrics=pdfmetrics,
        TTFont=TTFont,
        Canvas=Canvas,
        BaseDocTemplate=platypus.BaseDocTemplate,
        CondPageBreak=platypus.CondPageBreak,
        Frame=platypus.Frame,
        HRFlowable=platypus.flowables.HRFlowable,
        Image=platypus.Image,
        KeepTogether=platypus.KeepTogether,
        ListFlowable=platypus.ListFlowable,
        ListItem=platypus.ListItem,
        PageBreak=platypus.PageBreak,
        PageTemplate=platypus.PageTemplate,
        Paragraph=platypus.Paragraph,
        Spacer=platypus.Spacer,
        Table=platypus.Table,
        TableStyle=platypus.TableStyle,
    )


def _font_path(name: str) -> Path:
    for folder in (FONT_DIR, *SYSTEM_FONT_DIRS):
        path = folder / name
        if path.is_file():
            return path
    raise FontMissing(
        N_(
            "The font {name} is missing from {folder}: reinstall Protocol Desk to print notes.",
            name=name,
            folder=FONT_DIR,
        )
    )


def register_fonts() -> None:
    """Embed DejaVu Sans (Latin, Cyrillic and the Kazakh letters) once per process."""
    r = rl()
    with _font_lock:
        if FAMILY in r.pdfmetrics.getRegisteredFontNames():
            return
        names = {style: f"{FAMILY}-{style}" for style in FONT_FILES}
        for style, file_name in FONT_FILES.items():
            r.pdfmetrics.registerFont(r.TTFont(names[style], str(_font_path(file_name))))
        r.pdfmetrics.registerFontFamily(
            FAMILY,
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold_italic"],
        )
        # Registered last: its presence says all four are in.
        r.pdfmetrics.registerFont(r.TTFont(FAMILY, str(_font_path(FONT_FILES["regular"]))))


@functools.cache
def _covered() -> frozenset[int]:
    """Code points that every style of the font draws."""
    register_fonts()
    faces = [rl().pdfmetrics.getFont(f"{FAMILY}-{style}").face for style in FONT_FILES]
    common = set(faces[0].charToGlyph)
    for face in faces[1:]:
        common &= set(face.charToGlyph)
    return frozenset(common)


def _stand_in(char: str) -> str:
    """A visible substitute for a character the font cannot draw: its Unicode name."""
    name = unicodedata.name(char, "")
    return f"[{name.lower()}]" if name else f"[U+{ord(char):04X}]"


def printable(text: object) -> str:
    """User text as the font can print it: control characters dropped, line breaks kept as
    ``\\n``, characters without a glyph (most emoji) replaced by their names in brackets."""
    value = str(text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = _SHAPERS.sub("", _CONTROL.sub("", value))
    if value.isascii():
        return value
    covered = _covered()
    return "".join(
        ch if ord(ch) in covered or ch == "\n" else _stand_in(ch)
        for ch in value
        if not 0xD800 <= ord(ch) <= 0xDFFF  # a lone surrogate is no character at all
    )


def esc(text: object) -> str:
    """User text made safe for a reportlab Paragraph: ``<``, ``&`` and markup print literally;
    line breaks are kept."""
    return escape(printable(text)).replace("\n", "<br/>")


def pieces(text: str, limit: int = CHUNK) -> list[str]:
    """Printable text cut into pieces of at most ``limit`` characters: at line breaks where
    it has them, else at the last space, else (a run without spaces) anywhere."""
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", limit // 2, limit)
            if cut <= 0:
                cut = limit
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        out.append(line)
    # Blank lines separate paragraphs; they are not paragraphs of their own.
    return [piece for piece in out if piece.strip()] or [""]


def paragraphs(text: object, style: Any, *, prefix: str = "", limit: int = CHUNK) -> list[Any]:
    """User text as a list of Paragraphs in ``style``, each of bounded size, so any text of any
    length flows across pages. ``prefix`` is markup put before the first one (a label)."""
    r = rl()
    parts = pieces(printable(text), limit)
    joined = _joined_style(style)
    result = []
    for index, part in enumerate(parts):
        markup = escape(part)
        if index == 0:
            markup = prefix + markup
        result.append(r.Paragraph(markup, style if index == len(parts) - 1 else joined))
    return result


@functools.cache
def _joined_style(style: Any) -> Any:
    """The style for a piece followed by the rest of its text: no gap after it."""
    return rl().ParagraphStyle(f"{style.name}-joined", parent=style, spaceAfter=0)


def text_size(flowable: Any) -> int:
    """About how much text a flowable holds (its markup's length)."""
    if isinstance(flowable, list):
        return sum(text_size(f) for f in flowable)
    return len(getattr(flowable, "text", "") or "")


def continued_rows(cells: Sequence[Any], budget: int = ROW_BUDGET) -> list[list[list[Any]]]:
    """One table row as one or more rows: each cell's flowables are dealt out so no row holds
    much more than ``budget`` characters in any cell (a row is never split inside, so a very
    tall one would not fit a page, and splitting huge rows is slow)."""
    columns: list[list[list[Any]]] = []
    for cell in cells:
        flowables = cell if isinstance(cell, list) else [cell]
        groups: list[list[Any]] = [[]]
        size = 0
        for flowable in flowables:
            length = text_size(flowable)
            if groups[-1] and size + length > budget:
                groups.append([])
                size = 0
            groups[-1].append(flowable)
            size += length
        columns.append(groups)
    height = max(len(groups) for groups in columns)
    return [[groups[i] if i < len(groups) else [] for groups in columns] for i in range(height)]


def fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a running-header text to the room it has."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = printable(text).replace("\n", " ")
    if stringWidth(text, font, size) <= width:
        return text
    # Halve first: a header may be handed a very long title.
    while len(text) > 8 and stringWidth(text[: len(text) // 2] + "…", font, size) > width:
        text = text[: len(text) // 2]
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def numbered_canvas(footer: Callable[[Any, int, int], None]) -> type:
    """A canvas that holds its pages back until the end, so each footer can say "page X of
    Y"; ``footer(canvas, page, total)`` draws it."""
    base = rl().Canvas

    class NumberedCanvas(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.page_total = 0

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            self.page_total = total
            super().save()

    return NumberedCanvas
