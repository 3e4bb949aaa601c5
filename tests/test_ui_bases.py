"""The record-editor base, the list-area base, the menus and keys, the looks, the start without
a display and the first-run question — headless, over the demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from protocol_desk.domain.errors import Problems
from protocol_desk.domain.listing import PersonFilter
from protocol_desk.services.delegations import DelegationService
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import PeopleService
from protocol_desk.services.reference import ReferenceService
from protocol_desk.store import Store
from protocol_desk.ui import first_run
from protocol_desk.ui.anniversary_editor import AnniversaryEditor
from protocol_desk.ui.countries_view import CountryEditor
from protocol_desk.ui.delegations_view import DelegationEditor
from protocol_desk.ui.help import about_html, user_guide_dialog
from protocol_desk.ui.list_area import ListArea
from protocol_desk.ui.looks import jubilee_background
from protocol_desk.ui.main_window import MainWindow
from protocol_desk.ui.meeting_editor import MeetingEditor
from protocol_desk.ui.organisations_view import OrganisationEditor
from protocol_desk.ui.people_view import PeopleView, PersonEditor
from protocol_desk.ui.record_editor import RecordEditor

ROOT = Path(__file__).resolve().parents[1]


def _editors(store: Store) -> dict[str, RecordEditor[Any]]:
    countries = CountryService(store)
    organisations = OrganisationService(store)
    people = PeopleService(store)
    belarus = next(c for c in countries.list() if c.name == "Belarus")
    return {
        "meeting": MeetingEditor(MeetingService(store), ReferenceService(store)),
        "person": PersonEditor(people, organisations, countries),
        "visit": DelegationEditor(DelegationService(store), people, organisations, countries),
        "anniversary": AnniversaryEditor(store),
        "country": CountryEditor(countries, country_id=belarus.id),
        "organisation": OrganisationEditor(organisations, countries),
    }


def _first_text_field(editor: RecordEditor[Any]) -> Any:
    from PySide6.QtWidgets import QLineEdit

    return next(
        f
        for f in editor.findChildren(QLineEdit)
        if f.isVisibleTo(editor) and f.isEnabled() and editor._is_field(f)
    )


# --- the record-editor base ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["meeting", "person", "visit", "anniversary", "country", "organisation"]
)
def test_every_editor_asks_before_throwing_changes_away(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    editor = _editors(demo_store)[kind]
    qtbot.addWidget(editor)
    editor.show()
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]

    def officer(shown: RecordEditor[Any]) -> QMessageBox.StandardButton:
        asked.append(shown.record_kind)
        return answers.pop(0)

    monkeypatch.setattr(RecordEditor, "ask_unsaved", officer)
    assert not editor.changed()
    field = _first_text_field(editor)
    field.setText(field.text() + " — changed")
    assert editor.changed()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Cancel: the editor stays, with the change
    assert editor.isVisible() and asked == [kind]
    editor.close()  # the window's close button: Discard
    assert not editor.isVisible() and asked == [kind, kind]
    assert editor.saved_id is None


def test_an_unchanged_editor_closes_without_a_question(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RecordEditor, "ask_unsaved", lambda _e: pytest.fail("asked"))
    for editor in _editors(demo_store).values():
        qtbot.addWidget(editor)
        editor.show()
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        assert not editor.isVisible()


def test_save_from_the_question_saves_and_the_status_bar_says_so(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    countries = CountryService(demo_store)
    belarus = next(c for c in countries.list() if c.name == "Belarus")
    editor = CountryEditor(countries, country_id=belarus.id, parent=window)
    editor.show()
    editor.national_day_name.setText("Independence Day (3 July)")
    monkeypatch.setattr(RecordEditor, "ask_unsaved", lambda _e: QMessageBox.StandardButton.Save)
    editor.reject()
    assert editor.result() == QMessageBox.DialogCode.Accepted
    assert countries.get(belarus.id or 0).national_day_name == "Independence Day (3 July)"
    assert window.statusBar().currentMessage() == "Saved country Belarus"


@pytest.mark.parametrize(
    "kind", ["meeting", "person", "visit", "anniversary", "country", "organisation"]
)
def test_ctrl_s_saves_in_every_editor(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    editor = _editors(demo_store)[kind]
    qtbot.addWidget(editor)
    saves: list[str] = []
    monkeypatch.setattr(type(editor), "save", lambda self: saves.append(self.record_kind))
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saves == [kind]
    assert "Ctrl+S" in editor.save_button.toolTip()


def test_every_bad_field_is_marked_at_once_and_a_mark_goes_when_fixed(
    qtbot: Any, demo_store: Store
) -> None:
    editor = CountryEditor(CountryService(demo_store))
    qtbot.addWidget(editor)
    editor.iso_code.setText("B1")
    editor.relations.setText("31.02.1992")
    editor.national_day.setText("sometime")
    assert not editor.save()
    assert editor.errors.marked() == {"name", "iso_code", "relations_established", "national_day"}
    assert "required" in editor.errors.message("name")
    assert "does not exist" in editor.errors.message("relations_established")
    editor.name.setText("Беларусь")  # fixed: its mark goes at once, the others stay
    assert editor.errors.marked() == {"iso_code", "relations_established", "national_day"}
    assert editor.name.styleSheet() == "" and editor.iso_code.styleSheet() != ""
    editor.iso_code.setText("B")  # still wrong: still marked
    assert "iso_code" in editor.errors.marked()


def test_the_meeting_editor_marks_every_bad_field_too(qtbot: Any, demo_store: Store) -> None:
    editor = MeetingEditor(MeetingService(demo_store), ReferenceService(demo_store))
    qtbot.addWidget(editor)
    editor.date.setText("31.02.2022")
    editor.time.setText("25:99")
    assert not editor.save()
    assert editor.errors.marked() == {"date", "subject", "time"}
    text = editor.error.text()
    assert "does not exist" in text and "subject is required" in text.lower() and "14:30" in text
    editor.date.setText("06.06.2022")
    assert editor.errors.marked() == {"subject", "time"}
    _record, problems = editor.problems()
    assert {field for field, _ in problems.found} == {"subject", "time"}


def test_collect_notes_problems_rather_than_stopping(qtbot: Any, demo_store: Store) -> None:
    editor = PersonEditor(
        PeopleService(demo_store), OrganisationService(demo_store), CountryService(demo_store)
    )
    qtbot.addWidget(editor)
    editor.birth_date.setText("32.13.1960")
    editor.positions.set_rows([{"title": "Speaker", "organisation_id": None, "start": "x"}])
    problems = Problems()
    person = editor.collect(problems)
    assert person.full_name == ""
    assert {field for field, _ in problems.found} == {"birth_date", "positions"}


# --- the list-area base -------------------------------------------------------------------------


@pytest.fixture
def people_view(qtbot: Any, demo_store: Store) -> PeopleView:
    view = PeopleView(
        PeopleService(demo_store), OrganisationService(demo_store), CountryService(demo_store)
    )
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    return view


def test_every_column_sorts_in_dictionary_order(
    qtbot: Any, people_view: PeopleView, qtmodeltester: Any
) -> None:
    people = people_view.people
    people.save(people.get(people_view.model.id_at(0) or 0))  # nothing changes by saving
    from protocol_desk.domain.models import Person

    people.save(Person(full_name="Әлихан Бөкейхан"), allow_duplicate=True)
    people.save(Person(full_name="Алихан Аманов"), allow_duplicate=True)
    people_view.reload()
    people_view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = [people_view.model.index(r, 0).data() for r in range(people_view.model.rowCount())]
    assert names.index("Алихан Аманов") + 1 == names.index("Әлихан Бөкейхан")  # Ә after А
    assert names == sorted(names, key=lambda n: names.index(n))
    latin = [n for n in names if n[0].isascii()]
    assert latin == sorted(latin, key=str.casefold)
    for column in range(people_view.model.columnCount()):
        people_view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        assert people_view.model.rowCount() == people.count(PersonFilter())
    qtmodeltester.check(people_view.model)


def test_the_lists_context_menu_and_keys(
    qtbot: Any, people_view: PeopleView, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int | None] = []
    monkeypatch.setattr(
        people_view, "edit_person", lambda: opened.append(people_view.selected_id())
    )
    people_view.table.selectRow(1)
    area = people_view.list_area
    menu = area.menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["&Open", "Edit…"] and "Copy" in texts
    assert all(a.isEnabled() for a in menu.actions() if not a.isSeparator())
    people_view.table.setFocus()
    assert area.open_action is not None
    shortcuts = [k.toString() for k in area.open_action.shortcuts()]
    assert {"Return", "Enter", "F2"} <= set(shortcuts)
    area.open_action.trigger()
    assert opened == [people_view.selected_id()]
    area.copy()
    copied = QGuiApplication.clipboard().text()
    assert copied.split("\t")[0] == people_view.model.index(1, 0).data()


def test_a_lists_columns_and_sort_are_remembered(qtbot: Any, demo_store: Store) -> None:
    def make() -> PeopleView:
        view = PeopleView(
            PeopleService(demo_store), OrganisationService(demo_store), CountryService(demo_store)
        )
        qtbot.addWidget(view)
        return view

    first = make()
    first.table.setColumnWidth(0, 321)
    first.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert QSettings().value("lists/people/columns") is not None
    second = make()
    header = second.table.horizontalHeader()
    assert header.sectionSize(0) == 321
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        3,
        Qt.SortOrder.DescendingOrder,
    )


def _window(qtbot: Any, store: Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    return window


def test_delete_several_meetings_then_undo_and_redo(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)  # the Undo offer: closed
    window = _window(qtbot, demo_store)
    window.show_area("meetings")
    view = window.meetings_view
    view.table.selectRow(0)
    view.table.selectionModel().select(
        view.model.index(1, 0),
        view.table.selectionModel().SelectionFlag.Select
        | view.table.selectionModel().SelectionFlag.Rows,
    )
    chosen = view.selected_ids()
    assert len(chosen) == 2
    view.table.setFocus()
    view.list_area.delete_action.trigger()  # type: ignore[union-attr]
    assert view.model.rowCount() == 4
    assert (
        window.undo_action.isEnabled() and "Delete of these 2 meetings" in window.undo_action.text()
    )
    window.undo_action.trigger()
    assert view.model.rowCount() == 6
    window.redo_action.trigger()
    assert view.model.rowCount() == 4


def test_an_edit_is_undone_and_redone(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, demo_store)
    countries = CountryService(demo_store)
    belarus = next(c for c in countries.list() if c.name == "Belarus")
    editor = CountryEditor(countries, country_id=belarus.id, parent=window)
    editor.name.setText("Republic of Belarus")
    assert editor.save()
    assert window.statusBar().currentMessage() == "Saved country Republic of Belarus"
    window.undo_action.trigger()
    assert countries.get(belarus.id or 0).name == "Belarus"
    window.redo_action.trigger()
    assert countries.get(belarus.id or 0).name == "Republic of Belarus"


# --- menus and keys -----------------------------------------------------------------------------


def test_the_menus_and_their_keys(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Meeting", "&Help"]
    new_menu = window.findChild(QWidget, "newMenu")
    assert new_menu is not None
    assert [a.text() for a in new_menu.actions()] == [
        "Meeting…",
        "Visit or delegation…",
        "Person…",
        "Organisation…",
        "Country…",
        "Anniversary…",
    ]
    keys = {a.objectName(): a.shortcut().toString() for a in window.actions()}
    assert keys["print"] == "Ctrl+P" and keys["newRecord"] == "Ctrl+N"
    assert keys["undo"] == "Ctrl+Z" and keys["findMeeting"] == "Ctrl+F"
    assert keys["refresh"] == "F5" and keys["userGuide"] == "F1"
    assert [keys[f"show{k.capitalize()}"] for k in window._builders] == [
        f"Ctrl+{n}" for n in range(1, 7)
    ]
    for action in window.actions():
        if not action.shortcut().isEmpty() and action.objectName() not in ("undo", "redo"):
            assert action.shortcut().toString() in action.toolTip(), action.objectName()
    window.findChild(type(window.undo_action), "showPeople").trigger()
    assert window.current_area() == "people"


def test_ctrl_n_makes_a_record_of_the_area_shown(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    for editor in (MeetingEditor, PersonEditor, DelegationEditor, AnniversaryEditor, CountryEditor):
        monkeypatch.setattr(editor, "exec", lambda self: made.append(self.record_kind) or 0)
    window = _window(qtbot, demo_store)
    for area, tab in (("meetings", 0), ("delegations", 0), ("people", 0), ("people", 2)):
        window.show_area(area)
        if tab:
            window.area("people").setCurrentIndex(tab)  # type: ignore[attr-defined]
        window.new_here_action.trigger()
    window.show_area("anniversaries")
    window.new_here_action.trigger()
    assert made == ["meeting", "visit", "person", "country", "anniversary"]


def test_the_last_area_is_shown_again(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    window.show_area("anniversaries")
    again = _window(qtbot, demo_store)
    assert again.current_area() == "anniversaries"


def test_help_guide_about_and_shortcuts(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    guide = user_guide_dialog(window)
    qtbot.addWidget(guide)
    text = guide.text.toPlainText()  # type: ignore[attr-defined]
    assert "Keyboard" in text and "Ctrl+N" in text
    about = about_html(Path("/data/office.sqlite"))
    for name in ("PySide6", "reportlab", "DejaVu", "sqlite-utils", "Font Awesome", "LGPL"):
        assert name in about, name
    assert "/data/office.sqlite" in about


# --- looks ---------------------------------------------------------------------------------------


def _contrast(one: QColor, two: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_a_jubilee_row_reads_on_a_dark_palette(qtbot: Any) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    light = QGuiApplication.palette()
    dark = QPalette(light)
    for role, colour in (
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Text, "#f0f0f0"),
        (QPalette.ColorRole.WindowText, "#f0f0f0"),
    ):
        dark.setColor(role, QColor(colour))
    try:
        for palette in (light, dark):
            QGuiApplication.setPalette(palette)
            text = palette.color(QPalette.ColorRole.Text)
            for major in (False, True):
                assert _contrast(jubilee_background(major), text) >= 4.5
    finally:
        QGuiApplication.setPalette(light)


def test_the_window_fits_1440_by_900_at_150_percent(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    for area in window._builders:
        window.show_area(area)
        # 1440 × 900 at 150 % leaves 960 × 600 to lay out in (less the frame and panel).
        hint = window.minimumSizeHint()
        assert hint.width() <= 900 and hint.height() <= 560, (area, hint)
    assert window.windowIcon().isNull() is False


# --- start ---------------------------------------------------------------------------------------


def test_without_a_display_one_line_and_exit_code_2() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "Protocol Desk needs a graphical desktop (no display found). The command line works "
        "without one: python -m protocol_desk --help"
    )
    assert done.stdout == ""


def test_the_first_run_question_defaults_to_an_empty_office_and_is_asked_once(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    box = first_run.demo_question(tmp_path / "office.sqlite")
    qtbot.addWidget(box)
    assert str(tmp_path / "office.sqlite") in box.text()
    assert box.defaultButton().objectName() == "startEmpty"
    assert box.escapeButton().objectName() == "startEmpty"  # type: ignore[union-attr]
    asked: list[int] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: asked.append(1) or 0)
    assert first_run.ask_for_demo(tmp_path / "office.sqlite") is False
    assert first_run.ask_for_demo(tmp_path / "office.sqlite") is False
    assert asked == [1]


def test_every_list_in_the_window_has_the_list_base(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    keys = set()
    for area in window._builders:
        keys |= {a.key for a in window.area(area).findChildren(ListArea)}
    assert keys == {
        "meetings",
        "delegations",
        "people",
        "organisations",
        "countries",
        "anniversaries",
        "actions",
    }


def test_a_status_change_is_undone_and_redone(qtbot: Any, demo_store: Store) -> None:
    from protocol_desk.domain.models import ActionStatus

    window = _window(qtbot, demo_store)
    window.show_area("actions")
    view = window.area("actions")
    table = view.table  # type: ignore[attr-defined]
    table.selectRow(0)
    chosen = view.selected_ids()  # type: ignore[attr-defined]
    service = view.service  # type: ignore[attr-defined]
    before = [service.row(i).status for i in chosen]
    assert before == [ActionStatus.OPEN]
    view.set_status(ActionStatus.IN_PROGRESS)  # type: ignore[attr-defined]
    assert [service.row(i).status for i in chosen] == [ActionStatus.IN_PROGRESS]
    assert "set to in progress" in window.undo_action.text()
    window.undo_action.trigger()
    assert [service.row(i).status for i in chosen] == before
    window.redo_action.trigger()
    assert [service.row(i).status for i in chosen] == [ActionStatus.IN_PROGRESS]


def test_the_list_shown_is_exported_and_printed_whole(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import csv

    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    from protocol_desk.ui import printing

    window = _window(qtbot, demo_store)
    window.show_area("meetings")
    target = tmp_path / "meetings.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)")
    )
    window.export_list_action.trigger()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Date", "Subject", "Counterpart", "City", "Country", "Kind"]
    assert len(rows) == 1 + 6 and any("Rachkov" in cell for row in rows for cell in row)
    printed: list[tuple[Path, bool]] = []
    monkeypatch.setattr(
        printing, "print_pdf", lambda _parent, path, *, preview: printed.append((path, preview))
    )
    window.preview_action.trigger()
    [(pdf, preview)] = printed
    assert preview is True
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Meetings" in text and "Sergey Rachkov" in text
