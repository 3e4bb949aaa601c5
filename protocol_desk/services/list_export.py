"""A list's rows out to a spreadsheet: CSV (UTF-8 with a byte-order mark, so Excel shows
Cyrillic and Kazakh) or Excel .xlsx (real dates, a bold frozen header row, sensible widths).
The kind of file follows the name's suffix; the file is the officer's alone (mode 0600)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_, os_reason
from protocol_desk.store.files import write_private

EXPORT_KINDS = {".csv": "CSV", ".xlsx": "Excel workbook"}
# Excel refuses a cell longer than this; longer text is cut there and says so.
XLSX_CELL_LIMIT = 32_767
CUT_MARK = " … [cut: Excel holds 32,767 characters in a cell]"
# Column widths in characters: wide enough to read, never a whole screen.
MIN_WIDTH, MAX_WIDTH = 6, 60
# A text Excel or LibreOffice would run as a formula when it starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_rows(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    """Write ``rows`` under ``headers`` to ``path``, as CSV or .xlsx by its suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = _csv_bytes(headers, rows)
    elif suffix == ".xlsx":
        data = _xlsx_bytes(headers, rows)
    else:
        raise ValidationError(
            N_(
                "Export to a file ending in {kinds}, not “{name}”.",
                kinds=N_("{first} or {then}", first=".csv", then=".xlsx"),
                name=path.name,
            )
        )
    try:
        write_private(path, data)
    except OSError as error:
        raise ValidationError(
            N_("Cannot write {path}: {reason}.", path=path, reason=os_reason(error))
        ) from error


def cell_text(value: object) -> str:
    """A value as a CSV cell: dates in ISO form, nothing for None, labels of enums."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _safe(text: str) -> str:
    """Text that a spreadsheet program shows rather than runs (a name starting with "=")."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_bytes(headers: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe(h) for h in headers])
    for row in rows:
        writer.writerow(
            [
                cell if isinstance(value, (int, float, date)) else _safe(cell)
                for value, cell in ((v, cell_text(v)) for v in row)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(headers: list[str], rows: list[list[object]]) -> bytes:
    import xlsxwriter  # only when a workbook is written

    buffer = io.BytesIO()
    # Every value goes in as what it is: no text is taken for a formula, a URL or a number.
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet("List")
    bold = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "dd.mm.yyyy", "valign": "top", "align": "left"})
    moment = book.add_format({"num_format": "dd.mm.yyyy hh:mm", "valign": "top"})
    plain = book.add_format({"valign": "top"})
    widths = [len(h) for h in headers]
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue  # an empty cell, not a cell holding empty text
            if isinstance(value, datetime):
                sheet.write_datetime(number, column, value.replace(tzinfo=None), moment)
                width = 16
            elif isinstance(value, date):
                sheet.write_datetime(
                    number, column, datetime(value.year, value.month, value.day), day
                )
                width = 10
            elif isinstance(value, bool):
                sheet.write_boolean(number, column, value, plain)
                width = 5
            elif isinstance(value, (int, float)):
                sheet.write_number(number, column, value, plain)
                width = len(str(value))
            else:
                text = cell_text(value)
                if len(text) > XLSX_CELL_LIMIT:
                    text = text[: XLSX_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
                sheet.write_string(number, column, text, plain)
                width = max((len(line) for line in text[:2000].splitlines()), default=0)
            if column < len(widths):
                widths[column] = max(widths[column], width)
            else:
                widths.append(width)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if headers:
        sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    book.close()
    return buffer.getvalue()
