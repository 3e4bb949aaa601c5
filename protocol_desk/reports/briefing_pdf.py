"""The briefing note as a print-ready PDF: reportlab platypus, in a font that covers Kazakh.

reportlab is imported only when a note is rendered, so starting the app does not pay for it."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

from protocol_desk import APP_NAME, __version__
from protocol_desk.domain.dates import Year, format_date
from protocol_desk.domain.language import countdown, date_with_precision, long_date
from protocol_desk.i18n import catalog
from protocol_desk.reports.typesetting import (
    BOLD,
    REGULAR,
    FontMissing,
    continued_rows,
    esc,
    fit,
    numbered_canvas,
    paragraphs,
    register_fonts,
    rl,
)
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
    meeting_record,
    visit_programme,
)
from protocol_desk.store import Store
from protocol_desk.store.files import write_private

__all__ = ["FontMissing", "esc", "register_fonts", "render_briefing", "write_briefing"]

Progress = Callable[[int, int], None]  # (steps done, steps in all)

# Summaries of older meetings are shortened: the note is read in a car, not archived.
FULL_SUMMARIES = 10
SHORT_SUMMARY = 600
LONG_SUMMARY = 2400
# Room a heading wants below it on its page, else it starts the next page (with its lines).
HEADING_ROOM = 3.2  # cm
SECTION_ROOM = 4.2  # cm
# A table row split across pages leaves at least this much (points) on either side.
SPLIT_AT_LEAST = 40
A4_HEIGHT = 842  # points: a heading never asks for more than part of a page


class Markup(str):
    """Paragraph markup the note built itself (user text inside already escaped)."""


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,.;:") + " …"


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
        )
        self.h2 = style(
            "h2",
            fontSize=12,
            leading=16,
            fontName=BOLD,
            spaceBefore=10,
            spaceAfter=3,
        )
        self.h3 = style(
            "h3",
            fontSize=10,
            leading=13,
            fontName=BOLD,
            textColor=self.muted,
            spaceBefore=8,
            spaceAfter=3,
        )
        self.small = style("small", fontSize=9, leading=12, textColor=self.muted, spaceAfter=4)
        self.point = style("point", fontSize=11, leading=15.5)
        self.glance = style("glance", fontSize=10.5, leading=15)


# --- pages: header, footer, "page X of Y" --------------------------------------------------------
class _PageDecor:
    """Draws the running header and footer; the page total is known only at the end."""

    def __init__(self, briefing: Briefing, look: _Look, size: tuple[float, float], margins: Any):
        self.briefing = briefing
        self.look = look
        self.size = size
        self.margins = margins
        self.pages = 0

    def _marking_text(self) -> str:
        return fit(self.briefing.marking.upper(), BOLD, 8.5, self.size[0] / 3)

    def _marking(self, canvas: Any, y: float) -> None:
        if self.briefing.marking:
            canvas.setFont(BOLD, 8.5)
            canvas.setFillColor(self.look.marking)
            canvas.drawCentredString(self.size[0] / 2, y, self._marking_text())

    def header(self, canvas: Any) -> None:
        width, height = self.size
        left, right, top, _bottom = self.margins
        canvas.saveState()
        self._marking(canvas, height - top + 34)
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(self.look.muted)
        y = height - top + 16
        canvas.drawString(left, y, fit(self.briefing.office_name, REGULAR, 8, width / 2 - left))
        canvas.drawRightString(
            width - right,
            y,
            fit(self.briefing.document_title, REGULAR, 8, width / 2 - right - 10),
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
        _ = catalog(self.briefing.language).gettext
        day = long_date(self.briefing.prepared_on, self.briefing.language)
        prepared = _("Prepared {day}").format(day=day)
        numbered = _("Page {page} of {total}").format(page=page, total=total)
        canvas.drawString(left, y, prepared)
        canvas.drawRightString(width - right, y, numbered)
        self.pages = total
        # The marking sits between the two when there is room (Kazakh and Russian words run
        # longer than English), else on a line of its own below them.
        from reportlab.pdfbase.pdfmetrics import stringWidth

        half = stringWidth(self._marking_text(), BOLD, 8.5) / 2 + 16
        side = max(
            stringWidth(prepared, REGULAR, 8) + left, stringWidth(numbered, REGULAR, 8) + right
        )
        self._marking(canvas, y if side <= width / 2 - half else y - 11)
        canvas.restoreState()


# --- the document --------------------------------------------------------------------------------
def render_briefing(
    briefing: Briefing, output: str | Path | IO[bytes], progress: Progress | None = None
) -> int:
    """Write the note as PDF to a path (readable by its owner only, put in place whole) or a
    binary stream; returns the number of pages."""
    if isinstance(output, (str, Path)):
        buffer = io.BytesIO()
        pages = render_briefing(briefing, buffer, progress)
        write_private(Path(output), buffer.getvalue())
        return pages
    register_fonts()
    r = rl()
    size = r.LETTER if briefing.page_size is PageSize.LETTER else r.A4
    margins = (2.2 * r.cm, 2.2 * r.cm, 2.6 * r.cm, 2.3 * r.cm)  # left, right, top, bottom
    left, right, top, bottom = margins
    width = size[0] - left - right
    look = _Look(r, width)
    decor = _PageDecor(briefing, look, size, margins)
    target = output
    doc = r.BaseDocTemplate(
        target,
        pagesize=size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=fit(briefing.document_title, REGULAR, 8, 10_000),
        author=fit(briefing.office_name, REGULAR, 8, 10_000),
        subject=catalog(briefing.language)
        .gettext("Briefing note on {title} ({kind}), as of {day}")
        .format(
            title=fit(briefing.title, REGULAR, 8, 10_000),
            kind=briefing.kind_label.lower(),
            day=long_date(briefing.as_of, briefing.language),
        ),
        creator=f"{APP_NAME} {__version__}",
        producer=APP_NAME,
        keywords=[catalog(briefing.language).gettext("briefing note"), briefing.kind_label],
        lang=briefing.language.value,
        displayDocTitle=1,
        initialFontName=REGULAR,  # else every page names Helvetica, which has no Cyrillic
        initialFontSize=10,
    )
    frame = r.Frame(
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
        [r.PageTemplate(id="page", frames=[frame], onPage=lambda c, _d: decor.header(c))]
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
    story = _Story(r, look, briefing).build()
    doc.build(story, canvasmaker=numbered_canvas(decor.footer))
    if progress is not None:
        progress(1, 1)
    return decor.pages


def write_visit_programme(store: Store, delegation_id: int, output: str | Path | IO[bytes]) -> int:
    """A visit's programme as a PDF; returns the number of pages."""
    return render_briefing(visit_programme(store, delegation_id), output)


def write_meeting_record(store: Store, meeting_id: int, output: str | Path | IO[bytes]) -> int:
    """One meeting as a PDF (when, where, who, summary, agreed actions, sources)."""
    return render_briefing(meeting_record(store, meeting_id), output)


def write_briefing(
    store: Store, subject: Subject, options: BriefingOptions, output: str | Path | IO[bytes]
) -> tuple[Briefing, int]:
    """Collect and render in one go (the command line and the benchmark use this)."""
    briefing = collect_briefing(store, subject, options)
    return briefing, render_briefing(briefing, output)


# "2022 ж.", "2022 г.": the year's word stays on the year's line (a no-break space).
_YEAR_WORD = re.compile(r"(\d) (ж\.|г\.)")


def year_word_kept(text: str) -> str:
    return _YEAR_WORD.sub("\\1\u00a0\\2", text)


def bold(label: str) -> str:
    """A label of the note's own, in bold markup."""
    return f"<b>{esc(label)}</b>"


class _Story:
    """Turns a Briefing into flowables, section after section; every ticked section is printed
    (an empty one says so in a line), and each starts a page only when the officer asked."""

    def __init__(self, r: SimpleNamespace, look: _Look, briefing: Briefing) -> None:
        self.rl = r
        self.look = look
        self.b = briefing
        self._keys = 0
        # The note's own words and dates in its language, whatever the window speaks.
        words = catalog(briefing.language)
        self._ = words.gettext
        self.ngettext = words.ngettext

    def long(self, value: Any) -> str:
        if isinstance(value, Year):  # a date known by its year alone
            return date_with_precision(date(value.year, 1, 1), "year", self.b.language)
        return long_date(value, self.b.language)

    # --- small builders -------------------------------------------------------------------------
    def p(self, markup: str, style: Any) -> Any:
        """A paragraph of markup the note built itself (short, user text escaped inside)."""
        return self.rl.Paragraph(year_word_kept(markup), style)

    def texts(self, text: object, style: Any, prefix: str = "") -> list[Any]:
        """User text of any length as paragraphs that flow across pages."""
        if isinstance(text, str):
            text = year_word_kept(text)
        return paragraphs(text, style, prefix=prefix)

    def room(self, cm: float) -> Any:
        """Start the next page unless ``cm`` of it is left: a heading never ends a page."""
        return self.rl.CondPageBreak(cm * self.rl.cm)

    def heading(self, text: str, style: Any, level: int) -> Any:
        paragraph = self.p(esc(text), style)
        self._keys += 1
        paragraph.outline = (fit(text, REGULAR, 8, 10_000), level, f"s{self._keys}")
        return paragraph

    def subheading(self, text: str, style: Any, level: int | None = None) -> list[Any]:
        """A heading inside a section, kept with the first lines below it."""
        flowable = self.heading(text, style, level) if level is not None else self.p(text, style)
        return [self.room(HEADING_ROOM), flowable]

    def section(self, section: Section, first: bool) -> list[Any]:
        rule = self.rl.HRFlowable(
            width="100%", thickness=1.2, color=self.look.accent, spaceBefore=1, spaceAfter=8
        )
        start = (
            self.rl.PageBreak()
            if self.b.section_per_page and not first
            else self.room(SECTION_ROOM)
        )
        return [start, self.heading(self._(SECTION_TITLES[section]), self.look.h1, 0), rule]

    def fields(self, rows: list[tuple[str, object]], label_width: float = 3.6) -> Any:
        """Label / value pairs without grid lines. A value is user text (printed as it is, at
        any length) or Markup the note built."""
        r, look = self.rl, self.look
        data: list[list[Any]] = []
        for label, value in rows:
            if not value:
                continue
            cell = (
                [self.p(value, look.cell)]
                if isinstance(value, Markup)
                else self.texts(value, look.cell)
            )
            for index, row in enumerate(continued_rows([[self.p(esc(label), look.label)], cell])):
                data.append(row if index == 0 else [[], row[1]])
        if not data:
            return r.Spacer(0, 0)
        return r.Table(
            data,
            colWidths=[label_width * r.cm, None],
            hAlign="LEFT",
            splitInRow=SPLIT_AT_LEAST,
            style=r.TableStyle(
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

    def grid(
        self,
        header: list[str],
        rows: list[list[Any]],
        widths: list[float],
        shaded: dict[int, Any] | None = None,
    ) -> Any:
        """A table that splits across pages with its header repeated; a row whose cells hold
        long text continues on further rows. ``shaded`` colours rows (by index in ``rows``)."""
        r, look = self.rl, self.look
        total = sum(widths)
        col_widths = [look.width * w / total for w in widths]
        data: list[list[Any]] = [[self.p(esc(h), look.cell_head) for h in header]]
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("BACKGROUND", (0, 0), (-1, 0), look.header_bg),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, look.rule_dark),
        ]
        for index, row in enumerate(rows):
            first = len(data)
            data += continued_rows(row)
            last = len(data) - 1
            if last > first:  # the continuation reads as one entry
                commands.append(("BOTTOMPADDING", (0, first), (-1, last - 1), 0))
                commands.append(("TOPPADDING", (0, first + 1), (-1, last), 0))
            commands.append(("LINEBELOW", (0, last), (-1, last), 0.4, look.rule))
            if shaded and index in shaded:
                commands.append(("BACKGROUND", (0, first), (-1, last), shaded[index]))
        return r.Table(
            data,
            colWidths=col_widths,
            repeatRows=1,
            splitByRow=0,
            splitInRow=SPLIT_AT_LEAST,
            style=r.TableStyle(commands),
        )

    def empty(self, text: str) -> list[Any]:
        return [self.p(text, self.look.small)]

    # --- the note ---------------------------------------------------------------------------------
    def build(self) -> list[Any]:
        return self.keep_headings_with_tables(self.story())

    def keep_headings_with_tables(self, story: list[Any]) -> list[Any]:
        """A heading over a table asks for room for itself and the table's first row, so it
        never stands alone at the foot of a page."""
        r, width = self.rl, self.look.width
        most = 0.6 * A4_HEIGHT
        for index, flowable in enumerate(story):
            if not isinstance(flowable, r.CondPageBreak):
                continue
            need = 0.0
            for following in story[index + 1 : index + 4]:
                if isinstance(following, r.Table):
                    # The header and first row alone: wrapping a long table twice costs.
                    probe = r.Table(following._cellvalues[:2], colWidths=following._argW)
                    need += probe.wrap(width, 10**7)[1] + 18  # with the table's padding
                    flowable.height = min(max(flowable.height, need), most)
                    break
                if isinstance(following, (r.Paragraph, r.HRFlowable)):
                    need += sum(following.wrap(width, 10**7)[1:]) + 14
                else:
                    break
        return story

    def story(self) -> list[Any]:
        story = self.title_block()
        if self.b.is_record:
            for purpose in self.b.purposes:
                story += self.purpose_block(purpose, heading=False)
            return story
        builders: dict[Section, Callable[[], list[Any]]] = {
            Section.PURPOSE: self.purpose,
            Section.PROFILES: self.profiles,
            Section.RELATIONS: self.relations,
            Section.HISTORY: self.history,
            Section.ACTIONS: self.actions,
            Section.TALKING_POINTS: self.talking_points,
        }
        ticked = [s for s in Section if s in self.b.sections]
        for index, section in enumerate(ticked):
            story += self.section(section, index == 0)
            story += builders[section]() if self.b.shows(section) else self.nothing(section)
        if not ticked:
            story.append(
                self.p(esc(self._("No section was chosen for this note.")), self.look.body)
            )
        return story

    def nothing(self, section: Section) -> list[Any]:
        """What an empty section says, so a ticked section is never silently missing."""
        b = self.b
        _ = self._
        text = {
            Section.PURPOSE: _("No meeting or visit is on record from {start} to {end}."),
            Section.PROFILES: _("No counterpart is on record."),
            Section.RELATIONS: _("No relations, national day or anniversaries are on record."),
            Section.HISTORY: _("No earlier meeting is on record before {start}."),
            Section.ACTIONS: _("No open or recently done agreed action is on record."),
            Section.TALKING_POINTS: _("No talking points were written."),
        }[section].format(start=self.long(b.as_of), end=self.long(b.window_end))
        return self.empty(esc(text))

    def title_block(self) -> list[Any]:
        b, look, r, _ = self.b, self.look, self.rl, self._
        kind = _(b.document_kind)
        story: list[Any] = [
            self.p(f"{esc(kind.upper())} · {esc(b.kind_label.upper())}", look.kicker),
            self.heading(b.title, look.title, 0),
        ]
        if b.subtitle:
            story += self.texts(b.subtitle, look.subtitle)
        rows: list[tuple[str, object]] = [
            (_("As of"), Markup(self.long(b.as_of))),
            (_("Prepared"), Markup(self.long(b.prepared_on))),
        ]
        if b.is_record:
            rows = [(_("Printed"), Markup(self.long(b.prepared_on)))]
        elif b.window_end > b.as_of:
            rows.append((_("Looking ahead to"), Markup(self.long(b.window_end))))
        rows.append((_("Prepared by"), b.office_name))
        story.append(self.fields(rows, 3.6))
        glance = [] if b.is_record else self.at_a_glance()
        if glance:
            box = r.Table(
                [
                    [self.p(esc(_("At a glance")), look.h3)],
                    *[[self.p(line, look.glance)] for line in glance],
                ],
                colWidths=[look.width],
                style=r.TableStyle(
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
            story += [r.Spacer(0, 10), box]
        return story

    def at_a_glance(self) -> list[str]:
        """Three or four short lines a reader takes in before anything else."""
        b, _, ngettext = self.b, self._, self.ngettext
        lines: list[str] = []

        def short(text: str) -> str:
            return esc(_shorten(text, 160))

        if b.purposes and b.shows(Section.PURPOSE):
            first = b.purposes[0]
            ahead = bold(_("Ahead:"))
            lines.append(f"{ahead} {short(first.heading)} — {short(first.when)}")
        if b.shows(Section.RELATIONS) and b.relations is not None:
            relations = b.relations
            if relations.anniversaries:
                first_line = relations.anniversaries[0]
                coming = _("{occasion} on {day} ({countdown})").format(
                    occasion=short(first_line.title),
                    day=esc(self.long(first_line.date)),
                    countdown=esc(countdown(first_line.days_until, b.language)),
                )
                lines.append(
                    bold(_("Coming up:"))
                    + f" {coming}"
                    + (" — " + bold(_("jubilee")) if first_line.jubilee else "")
                )
            elif relations.years is not None and relations.established is not None:
                since = ngettext(
                    "{n} year, since {day}", "{n} years, since {day}", relations.years
                ).format(n=relations.years, day=esc(self.long(relations.established)))
                lines.append(bold(_("Relations:")) + f" {since}")
        if b.history and b.shows(Section.HISTORY):
            last = b.history[0]
            names = ", ".join(n for n, _t in last.theirs)
            met = (
                _("{day} with {names}").format(day=esc(last.date_text), names=short(names))
                if last.theirs
                else esc(last.date_text)
            )
            lines.append(bold(_("Last met:")) + f" {met}")
        if b.shows(Section.ACTIONS) and b.open_actions:
            count = len(b.open_actions) + b.more_open_actions
            text = (
                bold(_("Agreed actions:"))
                + " "
                + esc(ngettext("{n} open", "{n} open", count).format(n=count))
            )
            if b.overdue_actions:
                overdue = ngettext("{n} overdue", "{n} overdue", b.overdue_actions).format(
                    n=b.overdue_actions
                )
                text += f", <font color='#a11d1d'><b>{esc(overdue)}</b></font>"
            if b.next_due:
                text += "; " + esc(_("next due {day}").format(day=self.long(b.next_due)))
            lines.append(text)
        return lines

    # --- sections ---------------------------------------------------------------------------------
    def purpose(self) -> list[Any]:
        story: list[Any] = []
        for purpose in self.b.purposes:
            story += self.purpose_block(purpose)
        return story

    def purpose_block(self, purpose: Purpose, heading: bool = True) -> list[Any]:
        look, _ = self.look, self._
        story: list[Any] = self.subheading(purpose.heading, look.h2, 1) if heading else []
        rows: list[tuple[str, object]] = [(_("When"), Markup(f"<b>{esc(purpose.when)}</b>"))]
        rows += list(purpose.details)
        story.append(self.fields(rows))
        if purpose.text:
            story.append(self.rl.Spacer(0, 4))
            story += self.texts(purpose.text, look.body)
        if purpose.members:
            story += self.subheading(_("Taking part"), look.h3)
            if any(role for _n, role in purpose.members):
                story.append(
                    self.fields(
                        [(name, role) for name, role in purpose.members if name],
                        label_width=5.2,
                    )
                )
            else:
                story += self.texts(", ".join(n for n, _r in purpose.members), look.body)
        if purpose.programme:
            story += self.subheading(_("Programme"), look.h3)
            story.append(programme_table(self, purpose))
        if purpose.actions:
            story += self.subheading(_("Agreed"), look.h3)
            shaded = {i: look.overdue_bg for i, a in enumerate(purpose.actions) if a.overdue}
            agreed = [self.action_row(a)[:3] for a in purpose.actions]
            story.append(
                self.grid([_("Due"), _("Action"), _("Status")], agreed, [3.6, 11.6, 2.4], shaded)
            )
        if purpose.sources:
            story += self.subheading(_("Sources"), look.h3)
            for source in purpose.sources:
                story += self.texts(source, look.small)
        return story

    def profiles(self) -> list[Any]:
        story: list[Any] = []
        for profile in self.b.profiles:
            story += self.profile_block(profile)
        if self.b.more_profiles:
            n = self.b.more_profiles
            story.append(
                self.p(
                    esc(
                        self.ngettext(
                            "{n} other counterpart met in this period appears under "
                            "Previous meetings.",
                            "{n} other counterparts met in this period appear under "
                            "Previous meetings.",
                            n,
                        ).format(n=n)
                    ),
                    self.look.small,
                )
            )
        return story

    def profile_block(self, profile: Profile) -> list[Any]:
        r, look, _ = self.rl, self.look, self._
        contacts = _("No meetings on record")
        if profile.contacts:
            last = (
                date_with_precision(
                    profile.last_contact, profile.last_contact_precision, self.b.language
                )
                if profile.last_contact
                else ""
            )
            contacts = self.ngettext(
                "{n} meeting, the last on {day}",
                "{n} meetings, the last on {day}",
                profile.contacts,
            ).format(n=profile.contacts, day=last)
        rows: list[tuple[str, object]] = [
            (_("Position"), "\n".join(profile.titles)),
            (_("Address as"), profile.form_of_address),
            (_("Previously"), "\n".join(profile.previous_titles)),
            (_("Our contacts"), contacts),
            (_("Born"), profile.born),
            (_("Country"), profile.country),
            (_("Notes"), profile.notes),
        ]
        story: list[Any] = self.subheading(profile.name, look.h2, 1)
        if profile.other_names:
            story += self.texts(
                " · ".join(profile.other_names), look.small, esc(_("Also written: "))
            )
        details = self.fields(rows, 3.2)
        photo = self.photo(profile.photo)
        if photo is None:
            return [*story, details, r.Spacer(0, 6)]
        if sum(len(str(v)) for _l, v in rows) > 1200:
            # Long details flow under the portrait: a table row cannot run onto the next page.
            return [*story, photo, r.Spacer(0, 4), details, r.Spacer(0, 6)]
        body = r.Table(
            [[photo, details]],
            colWidths=[3.4 * r.cm, look.width - 3.4 * r.cm],
            style=r.TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), 10),
                ]
            ),
            hAlign="LEFT",
        )
        return [*story, body, r.Spacer(0, 6)]

    def photo(self, data: bytes | None) -> Any:
        """The portrait fitted into 3 × 4 cm; a file that is not a readable image is left out."""
        if not data:
            return None
        r = self.rl

        try:
            reader = r.ImageReader(io.BytesIO(data))
            w, h = reader.getSize()
        except Exception:  # an unreadable photo must not stop the note
            return None
        if w <= 0 or h <= 0:
            return None
        scale = min(3.0 * r.cm / w, 4.0 * r.cm / h)
        return r.Image(io.BytesIO(data), width=w * scale, height=h * scale, hAlign="LEFT")

    def relations(self) -> list[Any]:
        b, look, _ = self.b, self.look, self._
        relations = b.relations
        assert relations is not None
        story: list[Any] = []
        rows: list[tuple[str, object]] = []
        if relations.established is not None:
            text = self.long(relations.established)
            if isinstance(relations.established, Year) and relations.years is not None:
                # The day is not known: the years are counted by the calendar year.
                text += " — " + self.ngettext(
                    "{n} year in {year}", "{n} years in {year}", relations.years
                ).format(n=relations.years, year=b.as_of.year)
            elif relations.years is not None:
                text += " — " + self.ngettext(
                    "{n} year as of {day}", "{n} years as of {day}", relations.years
                ).format(n=relations.years, day=self.long(b.as_of))
            rows.append((_("Diplomatic relations"), text))
        if relations.national_day:
            rows.append((_("National day"), relations.national_day))
        if rows:
            if relations.country:
                story += self.subheading(esc(relations.country), look.h2)
            story.append(self.fields(rows, 4.2))
        if relations.anniversaries:
            story += self.subheading(
                _("Anniversaries from {start} to {end}").format(
                    start=self.long(b.as_of), end=self.long(b.window_end)
                ),
                look.h3,
            )
            data: list[list[Any]] = []
            shaded: dict[int, Any] = {}
            for index, line in enumerate(relations.anniversaries):
                if line.jubilee:
                    title = self.texts(line.title, look.cell_bold)
                    title.append(
                        self.p("<font color='#7a4d00'>" + esc(_("Jubilee")) + "</font>", look.cell)
                    )
                    shaded[index] = look.jubilee_bg
                else:
                    title = self.texts(line.title, look.cell)
                data.append(
                    [
                        self.p(self.long(line.date), look.cell_bold if line.jubilee else look.cell),
                        title,
                        self.p(esc(countdown(line.days_until, b.language)), look.cell),
                        self.p(format_date(line.prepare_by), look.cell),
                    ]
                )
            story.append(
                self.grid(
                    [_("Date"), _("Anniversary"), _("When"), _("Prepare by")],
                    data,
                    [3.7, 8.6, 2.4, 2.6],
                    shaded,
                )
            )
        return story

    def history(self) -> list[Any]:
        b, look, _ = self.b, self.look, self._
        data = [self.history_row(i, e) for i, e in enumerate(b.history)]
        story = [self.grid([_("Date"), _("Meeting")], data, [3.3, 14.0])]
        if b.history_truncated:
            story.append(self.rl.Spacer(0, 4))
            story.append(
                self.p(
                    esc(
                        self.ngettext(
                            "Only the {n} most recent meeting is listed; earlier ones are in "
                            "the database.",
                            "Only the {n} most recent meetings are listed; earlier ones are in "
                            "the database.",
                            len(b.history),
                        ).format(n=len(b.history))
                    ),
                    look.small,
                )
            )
        return story

    def history_row(self, index: int, entry: HistoryEntry) -> list[Any]:
        look, _ = self.look, self._
        limit = LONG_SUMMARY if index < FULL_SUMMARIES else SHORT_SUMMARY
        what = self.texts(entry.subject, look.cell_bold)
        where = ", ".join(
            x
            for x in [
                entry.place,
                _(entry.kind).capitalize() if entry.kind else "",
                entry.format_label,
                entry.confidentiality,
            ]
            if x
        )
        if where:
            what += self.texts(where, look.cell_small)
        if entry.summary:
            what += self.texts(_shorten(entry.summary, limit), look.cell)
        if entry.topics:
            what += self.texts("; ".join(entry.topics), look.cell_small, bold(_("Topics:")) + " ")
        if entry.documents:
            what += self.texts(
                "; ".join(entry.documents), look.cell_small, bold(_("Documents signed:")) + " "
            )
        if entry.sources:
            what += self.texts(
                " · ".join(entry.sources[:4]), look.cell_small, bold(_("Sources:")) + " "
            )
        # Who took part, in a line under the summary: the full width keeps the note short.
        for label, people in ((_("Their side"), entry.theirs), (_("Our side"), entry.ours)):
            if people:
                names = "; ".join(
                    _shorten(f"{name} ({title})" if title else name, 240)
                    for name, title in people[:8]
                )
                what += self.texts(names, look.cell_small, f"<b>{esc(label)}:</b> ")
        return [self.p(esc(entry.date_text), look.cell_bold), what]

    def actions(self) -> list[Any]:
        b, look, _ = self.b, self.look, self._
        story: list[Any] = []
        if b.open_actions:
            story += self.subheading(_("Open"), look.h3)
            shaded = {i: look.overdue_bg for i, a in enumerate(b.open_actions) if a.overdue}
            data = [self.action_row(action) for action in b.open_actions]
            story.append(
                self.grid(
                    [_("Due"), _("Action"), _("Status"), _("Agreed on")],
                    data,
                    [3.6, 8.4, 2.2, 3.4],
                    shaded,
                )
            )
            if b.more_open_actions:
                n = b.more_open_actions
                story.append(self.rl.Spacer(0, 4))
                story.append(
                    self.p(
                        esc(
                            self.ngettext(
                                "{n} more open action, less pressing, is not listed here.",
                                "{n} more open actions, less pressing, are not listed here.",
                                n,
                            ).format(n=n)
                        ),
                        look.small,
                    )
                )
        if b.done_actions:
            story += self.subheading(_("Recently done"), look.h3)
            data = [
                [
                    self.p(self.long(a.completed_on) if a.completed_on else "", look.cell),
                    [
                        *self.texts(a.text, look.cell),
                        *(self.texts(a.outcome, look.cell_small) if a.outcome else []),
                    ],
                    self.texts(a.agreed_on, look.cell),
                ]
                for a in b.done_actions
            ]
            story.append(
                self.grid(
                    [_("Done on"), _("Action and outcome"), _("Agreed on")], data, [3.6, 10.6, 3.4]
                )
            )
        return story

    def action_row(self, action: ActionLine) -> list[Any]:
        look, _ = self.look, self._
        if action.due is None:
            due = self.p(esc(_("no date")), look.cell_small)
        elif action.overdue:
            due = self.p(
                f"<font color='#a11d1d'><b>{self.long(action.due)}</b><br/>"
                + esc(_("Overdue"))
                + "</font>",
                look.cell,
            )
        else:
            due = self.p(self.long(action.due), look.cell)
        text = self.texts(action.text, look.cell)
        if action.owner:
            text += self.texts(action.owner, look.cell_small, esc(_("Owner: ")))
        return [
            due,
            text,
            self.texts(action.status_label, look.cell),
            self.texts(action.agreed_on, look.cell),
        ]

    def talking_points(self) -> list[Any]:
        r, look = self.rl, self.look
        points = [p.strip() for p in self.b.talking_points if p.strip()]
        items = [r.ListItem(self.texts(point, look.point), spaceAfter=7) for point in points]
        return [
            r.ListFlowable(
                items,
                bulletType="1",
                bulletFormat="%s.",
                bulletFontName=BOLD,
                bulletFontSize=11,
                bulletColor=look.accent,
                leftIndent=26,
            )
        ]


def programme_table(story: _Story, purpose: Purpose) -> Any:
    """A visit's programme as a table: day, time, item, place."""
    look = story.look
    rows = [
        [
            story.p(esc(format_date(item.day)), look.cell),
            story.texts(item.time, look.cell),
            story.texts(item.title, look.cell),
            story.texts(item.place, look.cell),
        ]
        for item in purpose.programme
    ]
    _ = story._
    return story.grid([_("Day"), _("Time"), _("Item"), _("Place")], rows, [2.4, 1.4, 8, 4])
