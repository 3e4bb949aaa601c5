"""Lists out: CSV and Excel read back with the right rows, dates as dates, Cyrillic and
Kazakh intact, files private; the printed list as a table PDF."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from protocol_desk.domain.errors import ValidationError
from protocol_desk.reports.table_pdf import render_table_pdf
from protocol_desk.services.list_export import XLSX_CELL_LIMIT, export_rows

HEADERS = ["Date", "Subject", "Counterpart", "Count"]
ROWS: list[list[object]] = [
    [date(2022, 6, 6), "Встреча с Сергеем Рачковым", "Мұхтар Құл-Мұхаммед", 2],
    [date(2022, 9, 16), '=HYPERLINK("x") <b>&', "ӘҒҚҢӨҰҮҺІ", 0],
    [None, "No date yet", "", None],
]


def test_csv_reads_back_with_bom_iso_dates_and_kazakh(tmp_path: Path) -> None:
    path = tmp_path / "meetings.csv"
    export_rows(path, HEADERS, ROWS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel takes the file for UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1] == ["2022-06-06", "Встреча с Сергеем Рачковым", "Мұхтар Құл-Мұхаммед", "2"]
    assert rows[2][1] == '\'=HYPERLINK("x") <b>&'  # shown by a spreadsheet, never run
    assert rows[2][2] == "ӘҒҚҢӨҰҮҺІ"
    assert rows[3] == ["", "No date yet", "", ""]
    assert len(rows) == len(ROWS) + 1
    assert (path.stat().st_mode & 0o777) == 0o600


def test_xlsx_reads_back_with_real_dates_and_a_frozen_bold_header(tmp_path: Path) -> None:
    path = tmp_path / "meetings.xlsx"
    export_rows(path, HEADERS, [*ROWS, [datetime(2022, 6, 6, 10, 30), "x" * 40_000, "", 1]])
    sheet = load_workbook(path).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    assert values[1][0] == datetime(2022, 6, 6) and sheet["A2"].is_date
    assert sheet["A2"].number_format == "dd.mm.yyyy"
    assert values[1][1:] == ["Встреча с Сергеем Рачковым", "Мұхтар Құл-Мұхаммед", 2]
    assert values[2][1] == '=HYPERLINK("x") <b>&' and sheet["B3"].data_type == "s"
    assert values[2][2] == "ӘҒҚҢӨҰҮҺІ"
    assert values[3][0] is None and values[3][1] == "No date yet"
    assert values[4][0] == datetime(2022, 6, 6, 10, 30)
    assert len(values[4][1]) == XLSX_CELL_LIMIT and values[4][1].endswith("characters in a cell]")
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert 10 <= sheet.column_dimensions["B"].width <= 62
    assert (path.stat().st_mode & 0o777) == 0o600


def test_an_unknown_kind_or_folder_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        export_rows(tmp_path / "list.txt", HEADERS, ROWS)
    with pytest.raises(ValidationError, match="Cannot write"):
        export_rows(tmp_path / "missing" / "list.csv", HEADERS, ROWS)
    assert list(tmp_path.iterdir()) == []


def test_printed_list_repeats_its_header_and_numbers_its_pages(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    rows: list[list[object]] = [
        [date(2022, 6, 6), f"Кездесу {i} — Құл-Мұхаммед", "Belarus", i] for i in range(120)
    ]
    rows.append([date(2022, 6, 7), "LONG-START " + "y" * 100_000 + " LONG-END", "👍 ok", 0])
    pages = render_table_pdf(path, "Meetings — Belarus", HEADERS, rows, printed_on=date(2026, 1, 2))
    texts = [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]
    assert pages == len(texts) >= 4
    assert texts[0].startswith("Meetings — Belarus As of 2 January 2026 · 121 rows")
    assert all(t.count("Date Subject Counterpart Count") >= 1 for t in texts)
    assert all(f"Page {n} of {pages}" in t for n, t in enumerate(texts, start=1))
    joined = " ".join(texts)
    assert "06.06.2022" in joined and "Кездесу 119 — Құл-Мұхаммед" in joined
    assert "LONG-END" in joined and "[thumbs up sign] ok" in joined
    assert (path.stat().st_mode & 0o777) == 0o600


def test_an_empty_list_still_prints(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    assert render_table_pdf(path, "Nothing", HEADERS, []) == 1
    assert "0 rows" in PdfReader(path).pages[0].extract_text()
