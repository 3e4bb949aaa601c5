"""Printing what the window shows: Qt's print dialog (printer, pages, copies) and its print
preview, painting the PDF's own pages (rendered by pdfium) onto the printer, so what is
printed is exactly the PDF that "Save as PDF" writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from protocol_desk.i18n import _

# Pages are rendered at the printer's resolution, up to this (dpi): sharper adds nothing on
# paper and costs memory (an A4 page at 300 dpi is 35 MB while it is painted).
MAX_DPI = 300
PREVIEW_DPI = 150


def print_pdf(
    parent: QWidget | None,
    pdf_path: Path,
    *,
    preview: bool,
    printer: object | None = None,
) -> bool:
    """Print the PDF at ``pdf_path`` through Qt's print dialog, or show its print preview
    (from which it can be printed too). Returns True when pages were sent to the printer.
    ``printer`` is a QPrinter to use instead of a new one (tests print to a PDF file)."""
    from PySide6.QtPrintSupport import (
        QAbstractPrintDialog,
        QPrintDialog,
        QPrinter,
        QPrintPreviewDialog,
    )

    try:
        pages = pdf_page_count(pdf_path)
    except Exception as error:  # a missing or unreadable file: say so, print nothing
        QMessageBox.warning(
            parent,
            _("Not printed"),
            _("Cannot read {path}: {reason}").format(path=pdf_path, reason=error),
        )
        return False
    target = (
        printer if isinstance(printer, QPrinter) else QPrinter(QPrinter.PrinterMode.HighResolution)
    )
    match_first_page(target, pdf_path)
    target.setDocName(pdf_path.stem)
    target.setFromTo(1, pages)
    printed = {"done": False}

    def paint(device: QPrinter) -> None:
        paint_pdf(device, pdf_path, dpi=PREVIEW_DPI if preview else MAX_DPI)
        printed["done"] = True

    if preview:
        dialog = QPrintPreviewDialog(target, parent)
        dialog.setObjectName("printPreview")
        dialog.setWindowTitle(_("Print preview — {name}").format(name=pdf_path.name))
        dialog.paintRequested.connect(paint)
        dialog.resize(900, 1000)
        dialog.exec()
        return False
    chooser = QPrintDialog(target, parent)
    chooser.setObjectName("printDialog")
    chooser.setMinMax(1, pages)
    chooser.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    chooser.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return False
    paint_pdf(target, pdf_path)
    return True


def pdf_page_count(pdf_path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(document)
    finally:
        document.close()


def match_first_page(printer: object, pdf_path: Path) -> None:
    """The paper size and orientation of the PDF's first page, as the dialog's default."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        if not len(document):
            return
        width, height = document[0].get_size()  # points
    finally:
        document.close()
    portrait = QSizeF(min(width, height), max(width, height))
    size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(  # type: ignore[attr-defined]
        QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    )
    printer.setFullPage(True)  # type: ignore[attr-defined]  # the PDF carries its own margins


def chosen_pages(printer: object, pages: int) -> list[int]:
    """The 0-based pages the officer chose in the dialog (all of them by default)."""
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        first = max(printer.fromPage(), 1)
        last = min(printer.toPage() or pages, pages)
        return list(range(first - 1, last))
    return list(range(pages))


def paint_pdf(printer: object, pdf_path: Path, *, dpi: int = MAX_DPI) -> int:
    """Paint the PDF's chosen pages onto the printer, each fitted to the paper; returns the
    number of pages painted."""
    import pypdfium2 as pdfium
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        wanted = chosen_pages(printer, len(document))
        # Where the print system cannot make copies itself, each is painted in turn.
        copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
        order = [n for _copy in range(copies) for n in wanted]
        if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
            order.reverse()
        if not order:
            return 0
        resolution = min(printer.resolution(), dpi)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(_("The printer could not be started."))
        try:
            for index, number in enumerate(order):
                if index:
                    printer.newPage()
                _paint_page(painter, printer, document[number], resolution)
        finally:
            painter.end()
        return len(order)
    finally:
        document.close()


def _paint_page(painter: QPainter, printer: object, page: object, dpi: int) -> None:
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # type: ignore[attr-defined]
    image = QImage(
        bitmap.buffer,
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGBA8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888,
    )
    area = printer.paperRect(QPrinter.Unit.DevicePixel)
    scale = min(area.width() / image.width(), area.height() / image.height())
    width, height = image.width() * scale, image.height() * scale
    target = QRectF(
        area.x() + (area.width() - width) / 2,
        area.y() + (area.height() - height) / 2,
        width,
        height,
    )
    painter.drawImage(target, image)


@contextlib.contextmanager
def temporary_pdf(prefix: str = "protocol-desk-") -> Iterator[Path]:
    """A private temporary file for a PDF that is printed and then thrown away."""
    handle, name = tempfile.mkstemp(suffix=".pdf", prefix=prefix)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def print_rendered(
    parent: QWidget | None,
    render: Callable[[Path], object],
    *,
    preview: bool,
    printer: object | None = None,
) -> bool:
    """Render a document to a temporary PDF with ``render(path)`` and print it (or preview
    it); the file is gone afterwards. How Ctrl+P prints a list, a programme or a meeting."""
    with temporary_pdf() as path:
        render(path)
        return print_pdf(parent, path, preview=preview, printer=printer)


def print_rows(
    parent: QWidget | None,
    title: str,
    headers: list[str],
    rows: list[list[object]],
    *,
    preview: bool,
) -> bool:
    """Print a list's rows (those its filter shows) as a table."""
    from protocol_desk.reports.table_pdf import render_table_pdf

    return print_rendered(
        parent, lambda path: render_table_pdf(path, title, headers, rows), preview=preview
    )


def print_visit_programme(
    parent: QWidget | None, store: Any, delegation_id: int, *, preview: bool
) -> bool:
    """Print a visit's programme (when, who, purpose, day by day)."""
    from protocol_desk.reports.briefing_pdf import write_visit_programme

    return print_rendered(
        parent, lambda path: write_visit_programme(store, delegation_id, path), preview=preview
    )


def print_meeting(parent: QWidget | None, store: Any, meeting_id: int, *, preview: bool) -> bool:
    """Print one meeting (when, where, who, summary, what was agreed, sources)."""
    from protocol_desk.reports.briefing_pdf import write_meeting_record

    return print_rendered(
        parent, lambda path: write_meeting_record(store, meeting_id, path), preview=preview
    )
