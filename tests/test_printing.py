"""Printing paints the PDF's own pages onto the printer: the same pages, sizes and order."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog

from protocol_desk.reports.table_pdf import render_table_pdf
from protocol_desk.ui import printing

pytestmark = pytest.mark.gui


@pytest.fixture
def list_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "list.pdf"
    rows: list[list[object]] = [[date(2022, 6, i % 28 + 1), f"Кездесу {i}"] for i in range(150)]
    render_table_pdf(path, "Meetings", ["Date", "Subject"], rows)
    return path


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_every_page_is_printed_at_the_pdfs_size(qtbot: Any, list_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    printing.match_first_page(printer, list_pdf)
    assert printing.paint_pdf(printer, list_pdf, dpi=72) == len(PdfReader(list_pdf).pages)
    source, printed = PdfReader(list_pdf).pages, PdfReader(out).pages
    assert len(printed) == len(source) >= 3
    assert round(float(printed[0].mediabox.width)) == round(float(source[0].mediabox.width))
    images = printed[0]["/Resources"]["/XObject"]
    assert any(images[name]["/Subtype"] == "/Image" for name in images)


def test_the_chosen_pages_and_copies_are_printed(
    qtbot: Any, list_pdf: Path, tmp_path: Path
) -> None:
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    printer.setCopyCount(2)
    painted = printing.paint_pdf(printer, list_pdf, dpi=72)
    expected = 2 if printer.supportsMultipleCopies() else 4
    assert painted == expected == len(PdfReader(out).pages)


def test_print_pdf_goes_through_the_print_dialog(
    qtbot: Any, list_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert printing.print_pdf(None, list_pdf, preview=False, printer=printer) is True
    assert len(PdfReader(out).pages) == len(PdfReader(list_pdf).pages)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    out.unlink()
    assert printing.print_pdf(None, list_pdf, preview=False, printer=printer) is False
    assert not out.exists()


def test_preview_paints_the_pages(
    qtbot: Any, list_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    painted: list[int] = []

    def show(self: QPrintPreviewDialog) -> int:
        self.paintRequested.emit(self.printer())
        painted.append(1)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", show)
    calls: list[Path] = []
    real = printing.paint_pdf
    monkeypatch.setattr(
        printing, "paint_pdf", lambda p, path, **kw: calls.append(path) or real(p, path, dpi=40)
    )
    out = tmp_path / "preview.pdf"
    assert printing.print_pdf(None, list_pdf, preview=True, printer=_pdf_printer(out)) is False
    assert painted and calls == [list_pdf]
    assert len(PdfReader(out).pages) == len(PdfReader(list_pdf).pages)


def test_an_unreadable_file_is_a_message_not_a_traceback(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: told.append(text))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert printing.print_pdf(None, bad, preview=False) is False
    assert told and "bad.pdf" in told[0]


def test_a_visits_programme_and_a_meeting_print_as_what_they_are(
    qtbot: Any, demo_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[str] = []

    def fake(_parent: Any, path: Path, *, preview: bool, printer: object = None) -> bool:
        handed.append(" ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages))
        return True

    monkeypatch.setattr(printing, "print_pdf", fake)
    (visit,) = [d for d in demo_store.delegations.all() if "Belarus" in d.title]
    assert printing.print_visit_programme(None, demo_store, visit.id, preview=False)
    assert printing.print_meeting(None, demo_store, 1, preview=True)
    programme, meeting = handed
    assert "VISIT PROGRAMME · DELEGATION OR VISIT" in programme
    assert "Talks with President Alexander Lukashenko" in programme and "06.02.2026" in programme
    assert "MEETING · MEETING" in meeting and "Sergey Rachkov" in meeting
    assert "Agreed" in meeting and "30th anniversary" in meeting and "Sources" in meeting
    assert "Who is who" not in meeting and "At a glance" not in meeting
