"""The briefing dialog, headless: options, talking points, the PDF made off the GUI thread,
opening and printing it, and the main window's Briefing… action."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QEvent, Qt, QUrl
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from protocol_desk.services.briefing import (
    PageSize,
    Section,
    Subject,
    SubjectKind,
    resolve_subject,
)
from protocol_desk.store import Store
from protocol_desk.ui import briefing_dialog
from protocol_desk.ui.briefing_dialog import (
    BriefingDialog,
    default_file_name,
    talking_points_from_text,
)

pytestmark = pytest.mark.gui


def _dialog(qtbot: Any, store: Store, subject: Subject | None, as_of: date) -> BriefingDialog:
    dialog = BriefingDialog(store, subject, as_of=as_of)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_opens_on_the_given_meeting_with_points_prefilled(qtbot: Any, demo_store: Store) -> None:
    subject = Subject(SubjectKind.MEETING, 1)
    dialog = _dialog(qtbot, demo_store, subject, date(2022, 6, 1))
    assert dialog.kind.currentData() == SubjectKind.MEETING
    assert dialog.current_subject() == subject
    assert "Rachkov" in dialog.subject.currentText()
    assert dialog.briefing is not None and dialog.briefing.title == "Meeting with Sergey Rachkov"
    assert "Mark the 30th anniversary" not in dialog.points.toPlainText()  # 90 days from 1 June
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    assert not dialog.open_button.isEnabled()
    assert dialog.marking.text() == "FOR OFFICIAL USE"


def test_country_note_made_in_the_background_with_edited_points(
    qtbot: Any, demo_store: Store, tmp_path: Path
) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    dialog = _dialog(qtbot, demo_store, subject, date(2022, 9, 1))
    assert dialog.kind.currentData() == SubjectKind.COUNTRY
    assert "Mark the 30th anniversary" in dialog.points.toPlainText()
    assert "1 open action" in dialog.summary.text()
    dialog.points.setFocus()
    dialog.points.selectAll()
    for ch in "Сәлем, Құрметті <b>&":
        QApplication.sendEvent(
            dialog.points, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch)
        )
    dialog.marking.setText("RESTRICTED")
    dialog.page_size.setCurrentIndex(dialog.page_size.findData(PageSize.LETTER))
    dialog.section_boxes[Section.HISTORY].setChecked(False)
    path = tmp_path / "note.pdf"
    with qtbot.waitSignal(dialog.generated, timeout=30_000) as signal:
        dialog.generate(path)
        assert dialog.is_busy()
        assert not dialog.save_button.isEnabled()
    assert signal.args == [path]
    assert not dialog.is_busy()
    text = _text(path)
    assert "Сәлем, Құрметті <b>&" in text
    assert "Mark the 30th anniversary" not in text  # the officer replaced the points
    assert "RESTRICTED" in text
    assert "Previous meetings" not in text
    assert round(float(PdfReader(path).pages[0].mediabox.width)) == 612
    assert dialog.open_button.isEnabled() and dialog.print_button.isEnabled()
    assert "note.pdf" in dialog.status.text()
    assert (path.stat().st_mode & 0o777) == 0o600
    assert not list(tmp_path.glob(".briefing-*"))  # no temporary file left behind


def test_edited_points_survive_a_date_change_until_suggest_again(
    qtbot: Any, demo_store: Store
) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    dialog = _dialog(qtbot, demo_store, subject, date(2022, 9, 1))
    dialog.points.setPlainText("My own point")
    dialog.as_of.setDate(QDate(2022, 10, 1))
    dialog.refresh()
    assert dialog.points.toPlainText() == "My own point"
    assert dialog.briefing is not None and dialog.briefing.open_actions[0].overdue
    dialog.suggest.click()
    assert "was due 16 September 2022" in dialog.points.toPlainText()


def test_changing_the_kind_lists_its_subjects(qtbot: Any, demo_store: Store) -> None:
    dialog = _dialog(qtbot, demo_store, None, date(2022, 9, 1))
    dialog.kind.setCurrentIndex(dialog.kind.findData(SubjectKind.PERSON))
    labels = [dialog.subject.itemText(i) for i in range(dialog.subject.count())]
    assert "Sergey Rachkov" in labels
    dialog.subject.setCurrentIndex(labels.index("Sergey Rachkov"))
    dialog.subject.activated.emit(labels.index("Sergey Rachkov"))
    assert dialog.briefing is not None and dialog.briefing.title == "Sergey Rachkov"
    dialog.subject.setEditText("nobody at all")
    dialog.refresh()
    assert dialog.briefing is None
    assert not dialog.save_button.isEnabled()


def test_a_failed_render_is_reported_and_the_dialog_recovers(
    qtbot: Any, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(
        briefing_dialog, "show_error", lambda _parent, error, _title="": shown.append(error)
    )
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    dialog = _dialog(qtbot, demo_store, subject, date(2022, 9, 1))
    dialog.generate(tmp_path / "no such folder" / "note.pdf")
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30_000)
    assert shown and isinstance(shown[0], OSError)
    assert dialog.save_button.isEnabled()
    assert "not saved" in dialog.status.text()


def _made(qtbot: Any, store: Store, tmp_path: Path) -> BriefingDialog:
    subject = resolve_subject(store, SubjectKind.COUNTRY, "Belarus")
    dialog = _dialog(qtbot, store, subject, date(2022, 9, 1))
    with qtbot.waitSignal(dialog.generated, timeout=30_000):
        dialog.generate(tmp_path / "note.pdf")
    return dialog


def test_open_hands_the_file_to_the_system_viewer(
    qtbot: Any, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(
        briefing_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url) or True
    )
    dialog = _made(qtbot, demo_store, tmp_path)
    dialog.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "note.pdf")]


def _printed_with(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Stand in for the print dialog: record the text of the PDF handed to it."""
    from protocol_desk.ui import printing

    handed: list[tuple[str, bool]] = []

    def fake(_parent: Any, path: Path, *, preview: bool, printer: object = None) -> bool:
        handed.append((_text(path), preview))
        return not preview

    monkeypatch.setattr(printing, "print_pdf", fake)
    return handed


def test_print_and_preview_need_no_saved_file(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed = _printed_with(monkeypatch)
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    dialog = _dialog(qtbot, demo_store, subject, date(2022, 9, 1))
    assert dialog.print_button.isEnabled() and dialog.preview_button.isEnabled()
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: len(handed) == 1, timeout=30_000)
    assert "Belarus" in handed[0][0] and handed[0][1] is True
    dialog.kind.setCurrentIndex(dialog.kind.findData(SubjectKind.PERSON))
    labels = [dialog.subject.itemText(i) for i in range(dialog.subject.count())]
    dialog.subject.setCurrentIndex(labels.index("Sergey Rachkov"))
    dialog.subject.activated.emit(labels.index("Sergey Rachkov"))
    QTest.keySequence(dialog, QKeySequence.StandardKey.Print)
    qtbot.waitUntil(lambda: len(handed) == 2, timeout=30_000)
    text, preview = handed[1]
    assert preview is False
    assert "BRIEFING NOTE · PERSON" in text and "Sergey Rachkov" in text
    assert "Sent" in dialog.status.text()
    assert not list(Path(tempfile.gettempdir()).glob("protocol-desk-briefing-*"))


def test_a_changed_subject_forgets_the_saved_file(
    qtbot: Any, demo_store: Store, tmp_path: Path
) -> None:
    dialog = _made(qtbot, demo_store, tmp_path)
    assert dialog.open_button.isEnabled() and "note.pdf" in dialog.status.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData(SubjectKind.PERSON))
    assert not dialog.open_button.isEnabled()
    assert dialog.pdf_path is None and "note.pdf" not in dialog.status.text()
    assert dialog.print_button.isEnabled() or dialog.briefing is None


def test_open_without_a_pdf_viewer_says_so(
    qtbot: Any, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(briefing_dialog.QDesktopServices, "openUrl", lambda _url: False)
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text, *a: told.append(text)
    )
    dialog = _made(qtbot, demo_store, tmp_path)
    assert dialog.open_pdf() is False
    assert told and "No program to show PDF files" in told[0] and "note.pdf" in told[0]


def test_sections_start_pages_only_when_asked(
    qtbot: Any, demo_store: Store, tmp_path: Path
) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    dialog = _dialog(qtbot, demo_store, subject, date(2022, 9, 1))
    with qtbot.waitSignal(dialog.generated, timeout=30_000):
        dialog.generate(tmp_path / "flowing.pdf")
    dialog.page_per_section.setChecked(True)
    with qtbot.waitSignal(dialog.generated, timeout=30_000):
        dialog.generate(tmp_path / "paged.pdf")
    flowing = len(PdfReader(tmp_path / "flowing.pdf").pages)
    paged = PdfReader(tmp_path / "paged.pdf").pages
    assert len(paged) > flowing
    starts = [" ".join(p.extract_text().split())[:400] for p in paged]
    assert any("Talking points" in t.split("Briefing note: Belarus")[-1][:40] for t in starts)


def test_helpers() -> None:
    assert talking_points_from_text("  one \n\n two\n   \n") == ["one", "two"]


def test_default_file_name_is_safe(demo_store: Store) -> None:
    from protocol_desk.services.briefing import BriefingOptions, collect_briefing

    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2022, 9, 1)))
    assert default_file_name(briefing) == "Briefing - Belarus - 2022-09-01.pdf"
    briefing.title = 'a/b:c*<d>|"e'
    assert default_file_name(briefing) == "Briefing - a b c d e - 2022-09-01.pdf"


def test_main_window_briefing_action_opens_on_the_selected_meeting(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protocol_desk.ui.main_window import MainWindow

    seen: list[Subject | None] = []

    def fake_exec(self: BriefingDialog) -> int:
        seen.append(self.current_subject())
        return 0

    monkeypatch.setattr(BriefingDialog, "exec", fake_exec)
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()
    action = window.briefing_action
    assert action.shortcut().toString() == "Ctrl+B"
    toolbar = window.findChild(QWidget, "mainToolbar")
    assert toolbar is not None and action in toolbar.actions()
    window.show_area("meetings")
    assert window.meetings_view.select(1)
    action.trigger()
    assert seen == [Subject(SubjectKind.MEETING, 1)]
