"""The delegations area on screen: the demo's visits, the programme day by day, the visit
editor's checks, the bin; and the office's scenario of a visit and a merge, in the main window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QWidget

from protocol_desk.domain.listing import DelegationFilter
from protocol_desk.domain.models import (
    DelegationDirection,
    DelegationStatus,
    Meeting,
    Participant,
    Side,
)
from protocol_desk.services.delegations import DelegationService
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import PeopleService
from protocol_desk.store import Store
from protocol_desk.ui.delegations_view import DelegationEditor, DelegationsView
from protocol_desk.ui.main_window import MainWindow
from protocol_desk.ui.people_view import MergeDialog, PeopleArea, PersonEditor
from protocol_desk.ui.safety_dialogs import ConflictChoice, ConflictDialog

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def type_text(widget: QWidget, text: str) -> None:
    for char in text:
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )


def pick(picker: QLineEdit, text: str, qtbot: Any) -> None:
    """Type a spelling and press Enter to take the one suggestion. The field is typed into
    without focus: the offscreen platform cannot show the suggestion popup."""
    picker.clearFocus()
    picker.clear()
    type_text(picker, text)
    qtbot.keyClick(picker, Qt.Key.Key_Return)


def drive(trigger: Callable[[], None], fill: Callable[[Any], None]) -> None:
    """Open a modal dialog with ``trigger`` and work it with ``fill`` while it runs; a failing
    ``fill`` closes the dialog and fails the test instead of leaving it open."""
    failures: list[BaseException] = []
    filled: list[bool] = []

    def step(attempt: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if attempt < 200:
                QTimer.singleShot(10, lambda: step(attempt + 1))
            return
        try:
            fill(dialog)
            filled.append(True)
        except BaseException as error:
            failures.append(error)
        finally:
            if isinstance(dialog, QDialog) and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, step)
    trigger()
    if failures:
        raise failures[0]
    assert filled, "the dialog did not open"


def listed(view: DelegationsView) -> list[str]:
    return [view.model.item(r).title for r in range(view.model.rowCount())]


@pytest.fixture
def view(qtbot: Any, demo_store: Store) -> Iterator[DelegationsView]:
    widget = DelegationsView(demo_store)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    yield widget


def editor_for(store: Store, delegation_id: int | None = None) -> DelegationEditor:
    return DelegationEditor(
        DelegationService(store),
        PeopleService(store),
        OrganisationService(store),
        CountryService(store),
        delegation_id=delegation_id,
    )


# --- the demo ----------------------------------------------------------------------------------


def test_demo_visits_are_listed_with_their_meetings(
    view: DelegationsView, qtmodeltester: Any
) -> None:
    qtmodeltester.check(view.model)
    assert listed(view) == [
        "Visit of the Majilis Speaker Yerlan Koshanov to Belarus",
        "TurkPA Observer Mission to the early presidential election",
    ]
    assert view.select(view.model.id_at(1) or 0)
    turkpa = view.detail.toPlainText()
    assert "Friday, 18 November 2022" in turkpa
    assert "Meeting with Senate President Maulen Ashimbayev [meeting logged]" in turkpa
    assert "Maulen Ashimbayev met with the observers of TurkPA" in turkpa
    assert view.select(view.model.id_at(0) or 0)
    belarus = view.detail.toPlainText()
    assert "Friday, 6 February 2026" in belarus
    assert "Meetings of the visit (3)" in belarus
    assert belarus.index("Talks with President Alexander Lukashenko") < belarus.index(
        "Visit to the Khatyn State Memorial Complex"
    )


def test_filters_and_search_in_any_script(view: DelegationsView, qtbot: Any) -> None:
    type_text(view.search, "Қошанов")
    qtbot.waitUntil(lambda: len(listed(view)) == 1)
    assert listed(view) == ["Visit of the Majilis Speaker Yerlan Koshanov to Belarus"]
    view.search.clear()
    qtbot.waitUntil(lambda: len(listed(view)) == 2)
    view.direction.setCurrentIndex(view.direction.findData(DelegationDirection.INCOMING))
    assert listed(view) == ["TurkPA Observer Mission to the early presidential election"]
    view.status.setCurrentIndex(view.status.findData(DelegationStatus.PLANNED))
    assert listed(view) == []
    assert "No visit matches" in view.count_label.text()


def test_delete_to_the_bin_and_restore(
    view: DelegationsView, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    turkpa = view.model.id_at(1) or 0
    view.select(turkpa)
    view.delete_button.click()
    assert len(listed(view)) == 1
    view.show_bin.setChecked(True)
    assert listed(view) == ["TurkPA Observer Mission to the early presidential election"]
    view.select(turkpa)
    assert "This visit is in the bin" in view.detail.toPlainText()
    assert view.restore_button.isEnabled() and not view.edit_button.isEnabled()
    view.restore_button.click()
    assert not view.show_bin.isChecked()
    assert len(listed(view)) == 2
    assert view.selected_id() == turkpa


# --- the editor --------------------------------------------------------------------------------


def test_end_before_start_is_shown_at_the_field(qtbot: Any, demo_store: Store) -> None:
    editor = editor_for(demo_store)
    qtbot.addWidget(editor)
    editor.title.setText("Visit to Minsk")
    editor.start.setText("06.02.2026")
    editor.end.setText("05.02.2026")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.errors.message("end") == "The end date is before the start date."
    assert DelegationService(demo_store).count(DelegationFilter()) == 2


@pytest.mark.parametrize(
    ("field", "text", "error_field", "words"),
    [
        ("start", "", "start", "first day of the visit is required"),
        ("start", "30.02.2026", "start", "does not exist"),
        ("title", "", "title", "title is required"),
    ],
)
def test_bad_input_is_shown_at_the_field(
    qtbot: Any, demo_store: Store, field: str, text: str, error_field: str, words: str
) -> None:
    editor = editor_for(demo_store)
    qtbot.addWidget(editor)
    editor.title.setText("Visit to Minsk")
    editor.start.setText("06.02.2026")
    getattr(editor, field).setText(text)
    qtbot.mouseClick(editor.save_button, LEFT)
    assert words in editor.errors.message(error_field)
    assert DelegationService(demo_store).count(DelegationFilter()) == 2


def test_a_programme_item_outside_the_visit_is_refused(qtbot: Any, demo_store: Store) -> None:
    editor = editor_for(demo_store)
    qtbot.addWidget(editor)
    qtmodel_rows = editor.programme
    editor.title.setText("Visit to Minsk")
    editor.start.setText("06.02.2026")
    editor.end.setText("07.02.2026")
    editor.item_day.setText("09.02.2026")
    type_text(editor.item_title, "Departure")
    qtbot.keyClick(editor.item_title, Qt.Key.Key_Return)  # Enter adds the item, not saves
    assert editor.result() != QDialog.DialogCode.Accepted
    assert [r["title"] for r in qtmodel_rows.rows] == ["Departure"]
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.tabs.currentIndex() == 2
    assert "falls outside the visit's dates" in editor.errors.message("programme")


def test_members_are_picked_by_any_spelling(
    qtbot: Any, demo_store: Store, qtmodeltester: Any
) -> None:
    editor = editor_for(demo_store)
    qtbot.addWidget(editor)
    editor.member_role.setCurrentText("interpreter")
    pick(editor.member_picker, "кочанова", qtbot)
    kochanova = demo_store.people.find_by_name("Natalya Kochanova")
    assert kochanova is not None
    assert editor.members.rows == [
        {
            "person_id": kochanova.id,
            "person_name": "Natalya Kochanova",
            "role": "interpreter",
        }
    ]
    pick(editor.member_picker, "Kochanova", qtbot)
    assert "already among the members" in editor.errors.message("members")
    qtmodeltester.check(editor.members)
    qtmodeltester.check(editor.programme)


def test_a_conflict_is_shown_not_overwritten(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[list[tuple[str, str, str]]] = []

    def officer_keeps_theirs(dialog: ConflictDialog) -> int:
        qtbot.addWidget(dialog)
        shown.append([(d.label, d.yours, d.theirs) for d in dialog.model.rows])
        dialog.choice = ConflictChoice.THEIRS
        return 1

    # Every editor shows a conflict the same way: both versions, the officer chooses.
    monkeypatch.setattr(ConflictDialog, "exec", officer_keeps_theirs)
    service = DelegationService(demo_store)
    visit_id = service.page(DelegationFilter(text="TurkPA"))[0][0].id
    editor = editor_for(demo_store, visit_id)
    qtbot.addWidget(editor)
    theirs = service.get(visit_id)
    theirs.city = "Astana"
    service.save(theirs)
    editor.city.setText("Almaty")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert shown == [[("City", "Almaty", "Astana")]]
    assert service.get(visit_id).city == "Astana"
    assert editor.result() == DelegationEditor.DialogCode.Accepted  # theirs kept, shown


# --- the office's scenario ---------------------------------------------------------------------


def test_a_visit_with_three_members_and_two_days_then_a_merge(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch, qtmodeltester: Any
) -> None:
    # "Same person?" — yes, save the second record anyway (it is merged further down).
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()

    # 1. A second record of Igor Sergeyenko, created by someone who typed the misspelling.
    window.show_area("people")
    area = window.area("people")
    assert isinstance(area, PeopleArea)
    people_view = area.people_view

    def new_person(editor: PersonEditor) -> None:
        editor.full_name.setText("Igor Segeenko")
        editor.country.setCurrentIndex(editor.country.findText("Belarus"))
        qtbot.mouseClick(editor.save_button, LEFT)
        assert editor.result() == QDialog.DialogCode.Accepted

    drive(lambda: qtbot.mouseClick(people_view.new_button, LEFT), new_person)
    segeenko = people_view.selected_id()
    assert segeenko is not None
    assert people_view.people.name(segeenko) == "Igor Segeenko"
    koshanov = demo_store.people.find_by_name("Yerlan Koshanov")
    assert koshanov is not None and koshanov.id is not None
    talks = MeetingService(demo_store).save(
        Meeting(
            date=date(2026, 3, 6),
            subject="Talks with the Chairman of the House of Representatives of Belarus",
            city="Astana",
            participants=[
                Participant(koshanov.id, Side.OURS),
                Participant(segeenko, Side.COUNTERPART, title="Chairman of the House"),
            ],
        )
    )

    # 2. The visit: three members with their roles, a programme over two days.
    window.show_area("delegations")
    visits = window.area("delegations")
    assert isinstance(visits, DelegationsView)

    def add_item(editor: DelegationEditor, day: str, time: str, title: str, place: str) -> None:
        editor.item_day.setText(day)
        editor.item_time.setText(time)
        type_text(editor.item_title, title)
        editor.item_place.setText(place)
        qtbot.mouseClick(editor.add_item, LEFT)

    def new_visit(editor: DelegationEditor) -> None:
        editor.title.setText("Official visit of the Chairman of the House of Representatives")
        editor.direction.setCurrentIndex(editor.direction.findData(DelegationDirection.INCOMING))
        editor.status.setCurrentIndex(editor.status.findData(DelegationStatus.CONFIRMED))
        editor.start.setText("05.03.2026")
        editor.end.setText("06.03.2026")
        editor.end.editingFinished.emit()  # leaving the field offers the meetings of those days
        editor.city.setText("Astana")
        editor.country.setCurrentIndex(editor.country.findText("Belarus"))
        editor.tabs.setCurrentIndex(1)
        for spelling, role in (
            ("Сергеенко", "head of the delegation"),
            ("Кочанова", "member"),
            ("Рачков", "adviser"),
        ):
            editor.member_role.setCurrentText(role)
            pick(editor.member_picker, spelling, qtbot)
        assert [(r["person_name"], r["role"]) for r in editor.members.rows] == [
            ("Igor Sergeyenko", "head of the delegation"),
            ("Natalya Kochanova", "member"),
            ("Sergey Rachkov", "adviser"),
        ]
        assert editor.head.text() == "Igor Sergeyenko"
        editor.tabs.setCurrentIndex(2)
        add_item(editor, "05.03.2026", "14:30", "Arrival", "Nursultan Nazarbayev Airport")
        add_item(editor, "06.03.2026", "15:00", "Site visit to Astana Hub", "Astana Hub")
        add_item(editor, "05.03.2026", "17:00", "Wreath laying", "Otan Korgaushylary monument")
        editor.item_day.setText("06.03.2026")
        editor.item_time.setText("10:00")
        index = editor.item_meeting.findData(talks.id)
        assert index > 0, "the meeting of that day is offered"
        editor.item_meeting.setCurrentIndex(index)
        editor.item_meeting.activated.emit(index)
        assert editor.item_title.text() == talks.subject
        qtbot.mouseClick(editor.add_item, LEFT)
        assert len(editor.programme.rows) == 4
        qtbot.mouseClick(editor.save_button, LEFT)
        assert editor.result() == QDialog.DialogCode.Accepted, editor.errors.message("programme")

    drive(lambda: qtbot.mouseClick(visits.new_button, LEFT), new_visit)
    qtmodeltester.check(visits.model)
    visit_id = visits.selected_id()
    assert visit_id is not None
    text = visits.detail.toPlainText()
    day_one, day_two = text.index("Thursday, 5 March 2026"), text.index("Friday, 6 March 2026")
    assert day_one < text.index("Arrival") < text.index("Wreath laying") < day_two
    assert day_two < text.index(talks.subject) < text.index("Site visit to Astana Hub")
    assert "Igor Sergeyenko, Chairman of the House of Representatives" in text
    assert "Sergey Rachkov" in text and "adviser" in text
    assert demo_store.meetings.get(talks.id or 0).delegation_id == visit_id

    # 3. The two records of Igor Sergeyenko turn out to be one person: merge them.
    window.show_area("people")
    assert people_view.select(segeenko)

    def merge(dialog: MergeDialog) -> None:
        pick(dialog.other, "Sergeyenko", qtbot)
        dialog.keep_other.setChecked(True)
        assert "Igor Sergeyenko stays" in dialog.preview.toPlainText()
        qtbot.mouseClick(dialog.merge_button, LEFT)
        assert dialog.result() == QDialog.DialogCode.Accepted

    drive(lambda: qtbot.mouseClick(people_view.merge_button, LEFT), merge)

    # 4. The merged person's meetings, newest first, with what he was at each.
    sergeyenko = demo_store.people.find_by_name("Igor Sergeyenko")
    assert sergeyenko is not None
    assert people_view.selected_id() == sergeyenko.id
    meetings = people_view.meetings_model
    qtmodeltester.check(meetings)
    rows = [
        (meetings.index(r, 0).data(), meetings.index(r, 1).data(), meetings.index(r, 2).data())
        for r in range(meetings.rowCount())
    ]
    assert rows[0] == ("06.03.2026", talks.subject, "Chairman of the House")
    assert rows[1][0] == "06.02.2026"
    assert len(rows) == 2
    assert people_view.meetings_caption.text() == "Meetings, newest first (2)"
    people_view.search.setText("Segeenko")
    people_view.apply_filter()
    assert [people_view.model.item(r).full_name for r in range(people_view.model.rowCount())] == [
        "Igor Sergeyenko"
    ]
    # The meetings list shows the merged name too.
    assert "Igor Sergeyenko" in [
        window.meetings_view.model.index(r, 2).data()
        for r in range(window.meetings_view.model.rowCount())
        if window.meetings_view.model.index(r, 1).data() == talks.subject
    ]
