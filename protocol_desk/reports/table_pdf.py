"""A printed list: its title, the day it was printed, and its rows as a table whose header row
repeats on every page, long cells wrapped, pages numbered "Page X of Y".

A date prints as the office writes it (``06.06.2022``); a date known only to the month or
year is handed in as its text (``format_date(day, precision)``)."""

from __future__ import annotations

import io
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from protocol_desk import APP_NAME, __version__
from protocol_desk.domain.dates import format_date
from protocol_desk.domain.language import long_date
from protocol_desk.i18n import _, current_language, ngettext
from protocol_desk.reports.typesetting import (
    BOLD,
    REGULAR,
    continued_rows,
    esc,
    fit,
    numbered_canvas,
    paragraphs,
    register_fonts,
    rl,
)
from protocol_desk.store.files import write_private

# More columns than this are printed across the page (landscape).
PORTRAIT_COLUMNS = 5
# How much of a column's text decides its width (characters), so one long cell does not
# squeeze every other column.
WIDTH_SAMPLE_ROWS = 200
WIDTH_CAP = 40


def cell_text(value: object) -> str:
    """A value as the printed list shows it: dates as the office writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{format_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def render_table_pdf(
    path: Path,
    title: str,
    headers: list[str],
    rows: list[list[object]],
    *,
    printed_on: date | None = None,
) -> int:
    """Write the list as a PDF at ``path`` (mode 0600); returns the number of pages."""
    out = io.BytesIO()
    pages = table_pdf(out, title, headers, rows, printed_on=printed_on)
    write_private(Path(path), out.getvalue())
    return pages


def table_pdf(
    out: io.BytesIO,
    title: str,
    headers: list[str],
    rows: list[list[object]],
    *,
    printed_on: date | None = None,
) -> int:
    """The printed list into a binary stream; returns the number of pages."""
    register_fonts()
    r = rl()
    size = r.landscape(r.A4) if len(headers) > PORTRAIT_COLUMNS else r.A4
    margin = 1.6 * r.cm
    width = size[0] - 2 * margin
    day = printed_on or date.today()
    ink, muted, rule = (r.colors.HexColor(c) for c in ("#1b1f24", "#56606d", "#c9d2dc"))
    style = r.ParagraphStyle(
        "cell", fontName=REGULAR, fontSize=8.5, leading=11, textColor=ink, splitLongWords=1
    )
    head_style = r.ParagraphStyle("head", parent=style, fontName=BOLD, textColor=muted)
    title_style = r.ParagraphStyle(
        "title", fontName=BOLD, fontSize=16, leading=20, textColor=ink, spaceAfter=2
    )
    note_style = r.ParagraphStyle("note", parent=style, textColor=muted, spaceAfter=8)
    total = {"pages": 0}
    title_line = fit(title, REGULAR, 8, width / 2)
    # The window's language: a list prints as the officer reads it.
    printed_day = long_date(day, current_language())

    def footer(canvas: Any, page: int, pages: int) -> None:
        total["pages"] = pages
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(muted)
        printed = _("printed {day}").format(day=printed_day)
        canvas.drawString(margin, margin - 14, f"{title_line} · {printed}")
        numbered = _("Page {page} of {total}").format(page=page, total=pages)
        canvas.drawRightString(size[0] - margin, margin - 14, numbered)
        canvas.restoreState()

    doc = r.BaseDocTemplate(
        out,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=fit(title, REGULAR, 8, 10_000),
        creator=f"{APP_NAME} {__version__}",
        producer=APP_NAME,
        lang=current_language().value,
        displayDocTitle=1,
        initialFontName=REGULAR,
        initialFontSize=9,
    )
    frame = r.Frame(
        margin, margin, width, size[1] - 2 * margin, leftPadding=0, rightPadding=0, id="body"
    )
    doc.addPageTemplates([r.PageTemplate(id="page", frames=[frame])])
    count = len(rows)
    story: list[Any] = [
        *paragraphs(title, title_style),
        r.Paragraph(
            esc(
                _("As of {day}").format(day=printed_day)
                + " · "
                + ngettext("{n} row", "{n} rows", count).format(n=count)
            ),
            note_style,
        ),
    ]
    columns = max([len(headers), *(len(row) for row in rows)]) if (headers or rows) else 0
    if columns:
        heads = [*headers, *[""] * (columns - len(headers))]
        texts = [[cell_text(v) for v in row] + [""] * (columns - len(row)) for row in rows]
        col_widths = _widths(heads, texts, width)
        data: list[list[Any]] = [[r.Paragraph(esc(h), head_style) for h in heads]]
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, 0), (-1, 0), r.colors.HexColor("#e8eef5")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, r.colors.HexColor("#7d8a99")),
        ]
        for row in texts:
            first = len(data)
            data += continued_rows([paragraphs(text, style) for text in row])
            last = len(data) - 1
            if last > first:
                commands.append(("BOTTOMPADDING", (0, first), (-1, last - 1), 0))
                commands.append(("TOPPADDING", (0, first + 1), (-1, last), 0))
            commands.append(("LINEBELOW", (0, last), (-1, last), 0.4, rule))
        story.append(
            r.Table(
                data,
                colWidths=col_widths,
                repeatRows=1,
                splitByRow=0,
                splitInRow=30,
                style=r.TableStyle(commands),
                hAlign="LEFT",
            )
        )
    else:
        story.append(r.Paragraph(esc(_("The list is empty.")), note_style))
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return total["pages"]


def _widths(headers: list[str], rows: list[list[str]], width: float) -> list[float]:
    """Columns share the width by how much text they hold (short columns stay narrow)."""
    wants = []
    for column, header in enumerate(headers):
        sample = [row[column] for row in rows[:WIDTH_SAMPLE_ROWS]]
        longest = max((len(text) for text in sample), default=0)
        words = max((len(w) for w in header.split()), default=0)
        wants.append(max(min(longest, WIDTH_CAP), words, 4))
    total = sum(wants)
    return [width * want / total for want in wants]
