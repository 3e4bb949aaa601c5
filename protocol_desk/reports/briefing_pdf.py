"""The briefing note as a print-ready PDF: reportlab platypus, in a font that covers Kazakh.

reportlab is imported only when a note is rendered, so starting the app does not pay for it."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any
from xml.sax.saxutils import escape

from protocol_desk import APP_NAME, __version__
from protocol_desk.domain.dates import format_date, format_long
from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.services.briefing import (
    SECTION_TITLES,
    ActionLine,
    Briefing,
    BriefingOptions,
    HistoryEntry,
    PageSize,
    Profile,
    Purpose,
    Section,
    Subject,
    collect_briefing,
)
from protocol_desk.store import Store

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

Progress = Callable[[int, int], None]  # (steps done, steps in all)

# Summaries of older meetings are shortened: the note is read in a car, not archived.
FULL_SUMMARIES = 10
SHORT_SUMMARY = 600
LONG_SUMMARY = 2400

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_font_lock = threading.Lock()


class FontMissing(ProtocolDeskError):
    """The bundled font is not where it should be (a broken install)."""


def esc(text: object) -> str:
    """User text made safe for a reportlab Paragraph: ``<``, ``&`` and markup print literally;
    line breaks are kept."""
    cleaned = _CONTROL.sub("", str(text or ""))
    return escape(cleaned).replace("\r\n", "\n").replace("\n", "<br/>")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,.;:") + " …"


# --- reportlab, loaded on first use --------------------------------------------------------------
@functools.cache
def _rl() -> SimpleNamespace:
    """reportlab's pieces, imported on first use."""
    from reportlab import platypus
    from reportlab.lib import colors, pagesizes, units
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    return SimpleNamespace(
        colors=colors,
        A4=pagesizes.A4,
        LETTER=pagesizes.LETTER,
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
        f"The font {name} is missing from {FONT_DIR}: reinstall Protocol Desk to print notes."
    )


def register_fonts() -> None:
    """Embed DejaVu Sans (Latin, Cyrillic and the Kazakh letters) once per process."""
    rl = _rl()
    with _font_lock:
        if FAMILY in rl.pdfmetrics.getRegisteredFontNames():
            return
        names = {style: f"{FAMILY}-{style}" for style in FONT_FILES}
        for style, file_name in FONT_FILES.items():
            rl.pdfmetrics.registerFont(rl.TTFont(names[style], str(_font_path(file_name))))
        rl.pdfmetrics.registerFontFamily(
            FAMILY,
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold_italic"],
        )
        # Registered last: its presence says all four are in.
        rl.pdfmetrics.registerFont(rl.TTFont(FAMILY, str(_font_path(FONT_FILES["regular"]))))


REGULAR = f"{FAMILY}-regular"
BOLD = f"{FAMILY}-bold"
ITALIC = f"{FAMILY}-italic"


# --- look ----------------------------------------------------------------------------------------
class _Look:
    """Colours, paragraph styles and table styles of the note."""

    def __init__(self, rl: SimpleNamespace, width: float) -> None:
        c = rl.colors
        self.width = width
        self.ink = c.HexColor("#1b1f24")
        self.accent = c.HexColor("#1f3a5f")
        self.muted = c.HexColor("#56606d")
        self.rule = c.HexColor("#c9d2dc")
        self.rule_dark = c.HexColor("#7d8a99")
        self.header_bg = c.HexColor("#e8eef5")
        self.glance_bg = c.HexColor("#f3f6fa")
        self.jubilee = c.HexColor("#7a4d00")
        self.jubilee_bg = c.HexColor("#fff3d6")
        self.overdue = c.HexColor("#a11d1d")
        self.overdue_bg = c.HexColor("#fbeaea")
        self.marking = c.HexColor("#8b1a1a")
        style = functools.partial(
            rl.ParagraphStyle, fontName=REGULAR, textColor=self.ink, splitLongWords=1
        )
        self.body = style("body", fontSize=10.5, leading=15, spaceAfter=6)
        self.cell = style("cell", fontSize=9.5, leading=13)
        self.cell_bold = style("cellBold", parent=self.cell, fontName=BOLD)
        self.cell_small = style("cellSmall", fontSize=8.5, leading=11.5, textColor=self.muted)
        self.cell_head = style(
            "cellHead", fontSize=9, leading=12, fontName=BOLD, textColor=self.accent
        )
        self.label = style("label", fontSize=9.5, leading=13, textColor=self.muted)
        self.kicker = style(
            "kicker", fontSize=9.5, leading=12, fontName=BOLD, textColor=self.accent, spaceAfter=4
        )
        self.title = style("title", fontSize=24, leading=29, fontName=BOLD, spaceAfter=4)
        self.subtitle = style(
            "subtitle", fontSize=11.5, leading=16, textColor=self.muted, spaceAfter=10
        )
        self.h1 = style(
            "h1",
            fontSize=15,
            leading=19,
            fontName=BOLD,
            textColor=self.accent,
            spaceBefore=16,
            spaceAfter=2,
            keepWithNext=1,
        )
        self.h2 = style(
            "h2",
            fontSize=12,
            leading=16,
            fontName=BOLD,
            spaceBefore=10,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.h3 = style(
            "h3",
            fontSize=10,
            leading=13,
            fontName=BOLD,
            textColor=self.muted,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.small = style("small", fontSize=9, leading=12, textColor=self.muted, spaceAfter=4)
        self.point = style("point", fontSize=11, leading=15.5)
        self.glance = style("glance", fontSize=10.5, leading=15)

    def table_style(self, rl: SimpleNamespace, header: bool = True) -> Any:
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.rule),
        ]
        if header:
            commands += [
                ("BACKGROUND", (0, 0), (-1, 0), self.header_bg),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, self.rule_dark),
            ]
        return rl.TableStyle(commands)


# --- pages: header, footer, "page X of Y" --------------------------------------------------------
class _PageDecor:
    """Draws the running header and footer; the page total is known only at the end."""

    def __init__(self, briefing: Briefing, look: _Look, size: tuple[float, float], margins: Any):
        self.briefing = briefing
        self.look = look
        self.size = size
        self.margins = margins
        self.pages = 0

    def _marking(self, canvas: Any, y: float) -> None:
        if self.briefing.marking:
            canvas.setFont(BOLD, 8.5)
            canvas.setFillColor(self.look.marking)
            canvas.drawCentredString(self.size[0] / 2, y, self.briefing.marking.upper())

    def header(self, canvas: Any) -> None:
        width, height = self.size
        left, right, top, _bottom = self.margins
        canvas.saveState()
        self._marking(canvas, height - top + 34)
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(self.look.muted)
        y = height - top + 16
        canvas.drawString(left, y, _fit(self.briefing.office_name, REGULAR, 8, width / 2 - left))
        canvas.drawRightString(
            width - right,
            y,
            _fit(self.briefing.document_title, REGULAR, 8, width / 2 - right - 10),
        )
        canvas.setStrokeColor(self.look.rule)
        canvas.setLineWidth(0.6)
        canvas.line(left, y - 5, width - right, y - 5)
        canvas.restoreState()

    def footer(self, canvas: Any, page: int, total: int) -> None:
        width, _height = self.size
        left, right, _top, bottom = self.margins
        canvas.saveState()
        y = bottom - 22
        canvas.setStrokeColor(self.look.rule)
        canvas.setLineWidth(0.6)
        canvas.line(left, y + 11, width - right, y + 11)
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(self.look.muted)
        canvas.drawString(left, y, f"Prepared {format_long(self.briefing.prepared_on)}")
        canvas.drawRightString(width - right, y, f"Page {page} of {total}")
        self._marking(canvas, y)
        canvas.restoreState()


def _countdown(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a running-header text to the room it has."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _canvas_class(rl: SimpleNamespace) -> type:
    class NumberedCanvas(rl.Canvas):  # type: ignore[name-defined]
        """Holds the pages back until the end, so each can say how many there are."""

        def __init__(self, *args: Any, decor: _PageDecor, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._decor = decor
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            self._decor.pages = total
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decor.footer(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


# --- the document --------------------------------------------------------------------------------
def render_briefing(
    briefing: Briefing, output: str | Path | IO[bytes], progress: Progress | None = None
) -> int:
    """Write the note as PDF to a path or a binary stream; returns the number of pages."""
    rl = _rl()
    register_fonts()
    from reportlab.platypus.doctemplate import LayoutError

    try:
        return _render(rl, briefing, output, progress, split_in_row=False)
    except LayoutError:
        # A table row taller than a page (a very long action, say) must break inside the row.
        # Only then: reportlab may start the rest of such a table lower on the same page.
        if not isinstance(output, (str, Path)):
            output.seek(0)
            output.truncate()
        return _render(rl, briefing, output, progress, split_in_row=True)


def _render(
    rl: SimpleNamespace,
    briefing: Briefing,
    output: str | Path | IO[bytes],
    progress: Progress | None,
    *,
    split_in_row: bool,
) -> int:
    size = rl.LETTER if briefing.page_size is PageSize.LETTER else rl.A4
    margins = (2.2 * rl.cm, 2.2 * rl.cm, 2.6 * rl.cm, 2.3 * rl.cm)  # left, right, top, bottom
    left, right, top, bottom = margins
    width = size[0] - left - right
    look = _Look(rl, width)
    decor = _PageDecor(briefing, look, size, margins)
    target = str(output) if isinstance(output, Path) else output
    doc = rl.BaseDocTemplate(
        target,
        pagesize=size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=briefing.document_title,
        author=briefing.office_name,
        subject=(
            f"Briefing note on {briefing.title} ({briefing.kind_label.lower()}), "
            f"as of {format_long(briefing.as_of)}"
        ),
        creator=f"{APP_NAME} {__version__}",
        producer=APP_NAME,
        keywords=["briefing note", briefing.kind_label],
        lang="en",
        displayDocTitle=1,
        initialFontName=REGULAR,  # else every page names Helvetica, which has no Cyrillic
        initialFontSize=10,
    )
    frame = rl.Frame(
        left,
        bottom,
        width,
        size[1] - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates(
        [rl.PageTemplate(id="page", frames=[frame], onPage=lambda c, _d: decor.header(c))]
    )

    def after_flowable(flowable: Any) -> None:
        mark = getattr(flowable, "outline", None)
        if mark is not None:
            text, level, key = mark
            doc.canv.bookmarkPage(key)
            doc.canv.addOutlineEntry(text, key, level=level, closed=False)

    doc.afterFlowable = after_flowable
    if progress is not None:
        steps = {"total": 1}

        def on_progress(kind: str, value: int) -> None:
            if kind == "SIZE_EST":
                steps["total"] = max(int(value), 1)
            elif kind == "PROGRESS":
                progress(min(int(value), steps["total"]), steps["total"])

        doc.setProgressCallBack(on_progress)
    story = _Story(rl, look, briefing, split_in_row).build()
    canvas_class = _canvas_class(rl)
    doc.build(story, canvasmaker=functools.partial(canvas_class, decor=decor))
    if progress is not None:
        progress(1, 1)
    return decor.pages


def write_briefing(
    store: Store, subject: Subject, options: BriefingOptions, output: str | Path | IO[bytes]
) -> tuple[Briefing, int]:
    """Collect and render in one go (the command line and the benchmark use this)."""
    briefing = collect_briefing(store, subject, options)
    return briefing, render_briefing(briefing, output)


class _Story:
    """Turns a Briefing into flowables, section by section, leaving out the empty ones."""

    def __init__(
        self, rl: SimpleNamespace, look: _Look, briefing: Briefing, split_in_row: bool = False
    ) -> None:
        self.split_in_row = split_in_row
        self.rl = rl
        self.look = look
        self.b = briefing
        self._keys = 0

    # --- small builders -------------------------------------------------------------------------
    def p(self, markup: str, style: Any) -> Any:
        return self.rl.Paragraph(markup, style)

    def heading(self, text: str, style: Any, level: int) -> Any:
        paragraph = self.p(esc(text), style)
        self._keys += 1
        paragraph.outline = (text, level, f"s{self._keys}")
        return paragraph

    def section(self, section: Section) -> list[Any]:
        rule = self.rl.HRFlowable(
            width="100%", thickness=1.2, color=self.look.accent, spaceBefore=1, spaceAfter=8
        )
        rule.keepWithNext = 1  # a section title never ends a page alone
        return [
            self.rl.CondPageBreak(5 * self.rl.cm),
            self.heading(SECTION_TITLES[section], self.look.h1, 0),
            rule,
        ]

    def fields(self, rows: list[tuple[str, str]], label_width: float = 3.6) -> Any:
        """Label / value pairs without grid lines."""
        rl, look = self.rl, self.look
        data = [
            [self.p(esc(label), look.label), self.p(value, look.cell)]
            for label, value in rows
            if value
        ]
        if not data:
            return rl.Spacer(0, 0)
        table = rl.Table(
            data,
            colWidths=[label_width * rl.cm, None],
            hAlign="LEFT",
            style=rl.TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            ),
        )
        return table

    def grid(
        self, header: list[str], rows: list[list[Any]], widths: list[float], extra: list[Any]
    ) -> Any:
        """A table that splits across pages with its header repeated."""
        rl, look = self.rl, self.look
        total = sum(widths)
        col_widths = [look.width * w / total for w in widths]
        data = [[self.p(esc(h), look.cell_head) for h in header], *rows]
        style = look.table_style(rl)
        for command in extra:
            style.add(*command)
        return rl.Table(
            data, colWidths=col_widths, repeatRows=1, splitInRow=int(self.split_in_row), style=style
        )

    # --- the note ---------------------------------------------------------------------------------
    def build(self) -> list[Any]:
        story = self.title_block()
        builders: dict[Section, Callable[[], list[Any]]] = {
            Section.PURPOSE: self.purpose,
            Section.PROFILES: self.profiles,
            Section.RELATIONS: self.relations,
            Section.HISTORY: self.history,
            Section.ACTIONS: self.actions,
            Section.TALKING_POINTS: self.talking_points,
        }
        shown = [s for s in Section if self.b.shows(s)]
        for section in shown:
            story += self.section(section)
            story += builders[section]()
        if not shown:
            story.append(
                self.p(
                    "There is nothing on record about this subject yet for the chosen period "
                    "and sections.",
                    self.look.body,
                )
            )
        return story

    def title_block(self) -> list[Any]:
        b, look, rl = self.b, self.look, self.rl
        story: list[Any] = [
            self.p(f"BRIEFING NOTE · {esc(b.kind_label.upper())}", look.kicker),
            self.heading(b.title, look.title, 0),
        ]
        if b.subtitle:
            story.append(self.p(esc(b.subtitle), look.subtitle))
        rows = [("Prepared", format_long(b.prepared_on))]
        if b.as_of != b.prepared_on:
            rows.append(("As of", format_long(b.as_of)))
        if b.window_end > b.as_of:
            rows.append(("Looking ahead to", format_long(b.window_end)))
        rows.append(("Prepared by", esc(b.office_name)))
        story.append(self.fields(rows, 3.6))
        glance = self.at_a_glance()
        if glance:
            box = rl.Table(
                [
                    [self.p("At a glance", look.h3)],
                    *[[self.p(line, look.glance)] for line in glance],
                ],
                colWidths=[look.width],
                style=rl.TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                        ("BACKGROUND", (0, 0), (-1, -1), look.glance_bg),
                        ("LINEBEFORE", (0, 0), (0, -1), 3, look.accent),
                        ("LEFTPADDING", (0, 0), (-1, -1), 12),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ("TOPPADDING", (0, 0), (-1, 0), 4),
                        ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
                    ]
                ),
            )
            story += [rl.Spacer(0, 10), box]
        return story

    def at_a_glance(self) -> list[str]:
        """Three or four lines a reader takes in before anything else."""
        b = self.b
        lines: list[str] = []
        if b.purposes and b.shows(Section.PURPOSE):
            first = b.purposes[0]
            lines.append(f"<b>Ahead:</b> {esc(first.heading)} — {esc(first.when)}")
        if b.shows(Section.RELATIONS) and b.relations is not None:
            relations = b.relations
            if relations.anniversaries:
                first_line = relations.anniversaries[0]
                when = format_long(first_line.date)
                days = first_line.days_until
                countdown = _countdown(days)
                lines.append(
                    f"<b>Coming up:</b> {esc(first_line.title)} on {when} ({countdown})"
                    + (" — <b>jubilee</b>" if first_line.jubilee else "")
                )
            elif relations.years is not None and relations.established is not None:
                lines.append(
                    f"<b>Relations:</b> {relations.years} years, since "
                    f"{format_long(relations.established)}"
                )
        if b.history and b.shows(Section.HISTORY):
            last = b.history[0]
            who = f" with {esc(', '.join(n for n, _t in last.theirs))}" if last.theirs else ""
            lines.append(f"<b>Last met:</b> {esc(last.date_text)}{who}")
        if b.shows(Section.ACTIONS) and b.open_actions:
            count = len(b.open_actions) + b.more_open_actions
            text = f"<b>Agreed actions:</b> {count} open"
            if b.overdue_actions:
                text += f", <font color='#a11d1d'><b>{b.overdue_actions} overdue</b></font>"
            if b.next_due:
                text += f"; next due {format_long(b.next_due)}"
            lines.append(text)
        return lines

    # --- sections ---------------------------------------------------------------------------------
    def purpose(self) -> list[Any]:
        story: list[Any] = []
        for purpose in self.b.purposes:
            story += self.purpose_block(purpose)
        return story

    def purpose_block(self, purpose: Purpose) -> list[Any]:
        look = self.look
        story: list[Any] = [self.heading(purpose.heading, look.h2, 1)]
        rows = [("When", f"<b>{esc(purpose.when)}</b>")]
        rows += [(label, esc(value)) for label, value in purpose.details]
        story.append(self.fields(rows))
        if purpose.text:
            story.append(self.rl.Spacer(0, 4))
            story.append(self.p(esc(purpose.text), look.body))
        if purpose.members:
            story.append(self.p("Taking part", look.h3))
            story.append(
                self.fields(
                    [(name, esc(role)) for name, role in purpose.members if name],
                    label_width=5.2,
                )
                if any(role for _n, role in purpose.members)
                else self.p(esc(", ".join(n for n, _r in purpose.members)), look.body)
            )
        if purpose.programme:
            story.append(self.p("Programme", look.h3))
            rows_data = [
                [
                    self.p(esc(format_date(item.day)), look.cell),
                    self.p(esc(item.time), look.cell),
                    self.p(esc(item.title), look.cell),
                    self.p(esc(item.place), look.cell),
                ]
                for item in purpose.programme
            ]
            story.append(
                self.grid(["Day", "Time", "Item", "Place"], rows_data, [2.4, 1.4, 8, 4], [])
            )
        return story

    def profiles(self) -> list[Any]:
        story: list[Any] = [self.profile_block(p) for p in self.b.profiles]
        if self.b.more_profiles:
            n = self.b.more_profiles
            story.append(
                self.p(
                    f"{n} other counterpart{'s' if n != 1 else ''} met in this period "
                    f"appear{'' if n != 1 else 's'} under Previous meetings.",
                    self.look.small,
                )
            )
        return story

    def profile_block(self, profile: Profile) -> Any:
        rl, look = self.rl, self.look
        contacts = "No meetings on record"
        if profile.contacts:
            last = (
                format_long(profile.last_contact)
                if profile.last_contact and profile.last_contact_precision.value == "day"
                else format_date(profile.last_contact, profile.last_contact_precision)
            )
            contacts = (
                f"{profile.contacts} meeting{'s' if profile.contacts != 1 else ''}, "
                f"the last on {last}"
            )
        rows = [
            ("Position", "<br/>".join(esc(t) for t in profile.titles)),
            ("Address as", esc(profile.form_of_address)),
            ("Previously", "<br/>".join(esc(t) for t in profile.previous_titles)),
            ("Our contacts", esc(contacts)),
            ("Born", esc(profile.born)),
            ("Country", esc(profile.country)),
            ("Notes", esc(profile.notes)),
        ]
        head: list[Any] = [self.heading(profile.name, look.h2, 1)]
        if profile.other_names:
            head.append(self.p("Also written: " + esc(" · ".join(profile.other_names)), look.small))
        details = self.fields(rows, 3.2)
        photo = self.photo(profile.photo)
        if photo is None:
            return rl.KeepTogether([*head, details, rl.Spacer(0, 6)])
        body = rl.Table(
            [[photo, details]],
            colWidths=[3.4 * rl.cm, look.width - 3.4 * rl.cm],
            style=rl.TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), 10),
                ]
            ),
            hAlign="LEFT",
        )
        return rl.KeepTogether([*head, body, rl.Spacer(0, 6)])

    def photo(self, data: bytes | None) -> Any:
        """The portrait fitted into 3 × 4 cm; a file that is not a readable image is left out."""
        if not data:
            return None
        rl = self.rl
        import io

        try:
            reader = rl.ImageReader(io.BytesIO(data))
            w, h = reader.getSize()
        except Exception:  # an unreadable photo must not stop the note
            return None
        if w <= 0 or h <= 0:
            return None
        scale = min(3.0 * rl.cm / w, 4.0 * rl.cm / h)
        return rl.Image(io.BytesIO(data), width=w * scale, height=h * scale, hAlign="LEFT")

    def relations(self) -> list[Any]:
        b, look = self.b, self.look
        relations = b.relations
        assert relations is not None
        story: list[Any] = []
        rows: list[tuple[str, str]] = []
        if relations.established is not None:
            text = format_long(relations.established)
            if relations.years is not None:
                text += (
                    f" — {relations.years} year{'s' if relations.years != 1 else ''} "
                    f"as of {format_long(b.as_of)}"
                )
            rows.append(("Diplomatic relations", esc(text)))
        if relations.national_day:
            rows.append(("National day", esc(relations.national_day)))
        if rows:
            if relations.country:
                story.append(self.p(esc(relations.country), look.h2))
            story.append(self.fields(rows, 4.2))
        if relations.anniversaries:
            story.append(
                self.p(
                    f"Anniversaries from {format_long(b.as_of)} to {format_long(b.window_end)}",
                    look.h3,
                )
            )
            data: list[list[Any]] = []
            extra: list[Any] = []
            for index, line in enumerate(relations.anniversaries, start=1):
                title = esc(line.title)
                if line.jubilee:
                    title = f"<b>{title}</b><br/><font color='#7a4d00'>Jubilee</font>"
                    extra.append(("BACKGROUND", (0, index), (-1, index), look.jubilee_bg))
                days = line.days_until
                data.append(
                    [
                        self.p(
                            format_long(line.date), look.cell_bold if line.jubilee else look.cell
                        ),
                        self.p(title, look.cell),
                        self.p(_countdown(days), look.cell),
                        self.p(format_date(line.prepare_by), look.cell),
                    ]
                )
            story.append(
                self.grid(
                    ["Date", "Anniversary", "When", "Prepare by"],
                    data,
                    [3.7, 8.6, 2.4, 2.6],
                    extra,
                )
            )
        return story

    def history(self) -> list[Any]:
        b, look = self.b, self.look
        data = [self.history_row(i, e) for i, e in enumerate(b.history)]
        story = [
            self.grid(["Date", "Meeting", "Participants"], data, [3.3, 9.0, 5.0], []),
        ]
        if b.history_truncated:
            story.append(self.rl.Spacer(0, 4))
            story.append(
                self.p(
                    f"Only the {len(b.history)} most recent meetings are listed; earlier ones "
                    "are in the database.",
                    look.small,
                )
            )
        return story

    def history_row(self, index: int, entry: HistoryEntry) -> list[Any]:
        look = self.look
        limit = LONG_SUMMARY if index < FULL_SUMMARIES else SHORT_SUMMARY
        what = [self.p(esc(entry.subject), look.cell_bold)]
        where = ", ".join(
            x
            for x in [
                entry.place,
                entry.kind.capitalize(),
                entry.format_label,
                entry.confidentiality,
            ]
            if x
        )
        if where:
            what.append(self.p(esc(where), look.cell_small))
        if entry.summary:
            what.append(self.p(esc(_shorten(entry.summary, limit)), look.cell))
        if entry.topics:
            what.append(self.p("<b>Topics:</b> " + esc("; ".join(entry.topics)), look.cell_small))
        if entry.sources:
            what.append(
                self.p("<b>Sources:</b> " + esc(" · ".join(entry.sources[:4])), look.cell_small)
            )
        who: list[Any] = []
        if entry.theirs:
            who.append(self.p("<b>Their side</b>", look.cell_small))
            who += [self.person_cell(n, t) for n, t in entry.theirs[:8]]
        if entry.ours:
            who.append(self.p("<b>Our side</b>", look.cell_small))
            who += [self.person_cell(n, t) for n, t in entry.ours[:8]]
        return [self.p(esc(entry.date_text), look.cell_bold), what, who]

    def person_cell(self, name: str, title: str) -> Any:
        markup = esc(name)
        if title:
            markup += f"<br/><font size='8.5' color='#56606d'>{esc(_shorten(title, 140))}</font>"
        return self.p(markup, self.look.cell)

    def actions(self) -> list[Any]:
        b, look = self.b, self.look
        story: list[Any] = []
        if b.open_actions:
            story.append(self.p("Open", look.h3))
            data: list[list[Any]] = []
            extra: list[Any] = []
            for index, action in enumerate(b.open_actions, start=1):
                data.append(self.action_row(action))
                if action.overdue:
                    extra.append(("BACKGROUND", (0, index), (-1, index), look.overdue_bg))
            story.append(
                self.grid(
                    ["Due", "Action", "Status", "Agreed on"], data, [3.6, 8.4, 2.2, 3.4], extra
                )
            )
            if b.more_open_actions:
                n = b.more_open_actions
                story.append(self.rl.Spacer(0, 4))
                story.append(
                    self.p(
                        f"{n} more open action{'s' if n != 1 else ''}, less pressing, "
                        f"{'are' if n != 1 else 'is'} not listed here.",
                        look.small,
                    )
                )
        if b.done_actions:
            story.append(self.p("Recently done", look.h3))
            data = [
                [
                    self.p(format_long(a.completed_on) if a.completed_on else "", look.cell),
                    [
                        self.p(esc(a.text), look.cell),
                        *([self.p(esc(a.outcome), look.cell_small)] if a.outcome else []),
                    ],
                    self.p(esc(a.agreed_on), look.cell),
                ]
                for a in b.done_actions
            ]
            story.append(
                self.grid(
                    ["Done on", "Action and outcome", "Agreed on"], data, [3.6, 10.6, 3.4], []
                )
            )
        return story

    def action_row(self, action: ActionLine) -> list[Any]:
        look = self.look
        if action.due is None:
            due = self.p("no date", look.cell_small)
        elif action.overdue:
            due = self.p(
                f"<font color='#a11d1d'><b>{format_long(action.due)}</b><br/>Overdue</font>",
                look.cell,
            )
        else:
            due = self.p(format_long(action.due), look.cell)
        text = [self.p(esc(action.text), look.cell)]
        if action.owner:
            text.append(self.p("Owner: " + esc(action.owner), look.cell_small))
        return [
            due,
            text,
            self.p(esc(action.status_label), look.cell),
            self.p(esc(action.agreed_on), look.cell),
        ]

    def talking_points(self) -> list[Any]:
        rl, look = self.rl, self.look
        points = [p.strip() for p in self.b.talking_points if p.strip()]
        items = [rl.ListItem(self.p(esc(point), look.point), spaceAfter=7) for point in points]
        return [
            rl.ListFlowable(
                items,
                bulletType="1",
                bulletFormat="%s.",
                bulletFontName=BOLD,
                bulletFontSize=11,
                bulletColor=look.accent,
                leftIndent=26,
            )
        ]
