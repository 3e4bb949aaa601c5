"""The people area on screen: the list in every script, the detail with positions and meetings,
the person editor's checks at the field, photos, and the merge dialog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.models import Meeting, Organisation, Participant, Person, Side
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import PeopleService
from protocol_desk.store import Store
from protocol_desk.ui import people_view
from protocol_desk.ui.people_view import MergeDialog, PeopleArea, PeopleView, PersonEditor
from protocol_desk.ui.safety_dialogs import ConflictChoice, ConflictDialog

pytestmark = pytest.mark.gui


def type_text(widget: QWidget, text: str) -> None:
    """Type any script, one key event per character (keyClicks cannot do Kazakh)."""
    for char in text:
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )


def pick(picker: QLineEdit, text: str, qtbot: Any) -> None:
    """Type a spelling into a person picker and take the one suggestion with Enter."""
    picker.clear()
    type_text(picker, text)
    qtbot.keyClick(picker, Qt.Key.Key_Return)


def person_id(store: Store, name: str) -> int:
    found = store.people.find_by_name(name)
    assert found is not None and found.id is not None
    return found.id


@pytest.fixture
def view(qtbot: Any, demo_store: Store) -> Iterator[PeopleView]:
    widget = PeopleView(
        PeopleService(demo_store), OrganisationService(demo_store), CountryService(demo_store)
    )
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    yield widget


def editor_for(store: Store, person: int | None = None) -> PersonEditor:
    return PersonEditor(
        PeopleService(store), OrganisationService(store), CountryService(store), person_id=person
    )


def listed(view: PeopleView) -> list[str]:
    return [view.model.item(r).full_name for r in range(view.model.rowCount())]


# --- the list ----------------------------------------------------------------------------------


def test_list_shows_kazakh_spellings_and_passes_the_model_tester(
    view: PeopleView, qtmodeltester: Any
) -> None:
    qtmodeltester.check(view.model)
    row = listed(view).index("Maulen Ashimbayev")
    assert "Мәулен Әшімбаев" in view.model.index(row, 1).data()
    assert view.count_label.text() == "11 people"


def test_typing_kazakh_finds_the_person(view: PeopleView, qtbot: Any) -> None:
    type_text(view.search, "Әшімбаев")
    qtbot.waitUntil(lambda: listed(view) == ["Maulen Ashimbayev"])
    assert view.count_label.text() == "1 person"
    view.search.clear()
    type_text(view.search, "ҚҚҚ")
    qtbot.waitUntil(lambda: listed(view) == [])
    assert "Nobody matches" in view.count_label.text()


def test_side_and_country_filters(view: PeopleView, demo_store: Store) -> None:
    view.side.setCurrentIndex(view.side.findData(Side.OURS))
    assert "Igor Sergeyenko" not in listed(view) and "Yerlan Koshanov" in listed(view)
    belarus = demo_store.countries.find("Belarus")
    assert belarus is not None
    view.side.setCurrentIndex(0)
    view.country.setCurrentIndex(view.country.findData(belarus.id))
    assert listed(view) == [
        "Alexander Lukashenko",
        "Igor Sergeyenko",
        "Natalya Kochanova",
        "Sergey Rachkov",
    ]


def test_detail_shows_positions_and_meetings_newest_first(
    view: PeopleView, demo_store: Store, qtmodeltester: Any
) -> None:
    koshanov = person_id(demo_store, "Yerlan Koshanov")
    MeetingService(demo_store).save(
        Meeting(
            date=date(2024, 4, 2),
            subject="Earlier talks",
            participants=[Participant(koshanov, Side.OURS, title="Deputy Chairman")],
        )
    )
    assert view.select(koshanov)
    text = view.detail.toPlainText()
    assert "Ерлан Қошанов" in text and "Chairman of the Majilis" in text
    model = view.meetings_model
    qtmodeltester.check(model)
    dates = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert dates == ["06.02.2026", "06.02.2026", "06.02.2026", "02.04.2024"]
    assert model.index(3, 2).data() == "Deputy Chairman"
    assert view.meetings_caption.text() == "Meetings, newest first (4)"
    assert view.photo.text() == "no photo"


# --- the editor --------------------------------------------------------------------------------


def test_editor_models_pass_the_model_tester(
    qtbot: Any, demo_store: Store, qtmodeltester: Any
) -> None:
    editor = editor_for(demo_store, person_id(demo_store, "Maulen Ashimbayev"))
    qtbot.addWidget(editor)
    qtmodeltester.check(editor.variants)
    qtmodeltester.check(editor.positions)
    assert editor.variants.rows[0]["name"] == "Мәулен Әшімбаев"


def test_a_new_person_with_a_yearless_birthday_and_a_position(qtbot: Any, store: Store) -> None:
    OrganisationService(store).save(Organisation(name="Majilis"))
    editor = editor_for(store)
    qtbot.addWidget(editor)
    type_text(editor.full_name, "Ерлан Қошанов")
    qtbot.mouseClick(editor.add_variant, Qt.MouseButton.LeftButton)
    editor.variants.set_value(0, "name", "Yerlan Koshanov")
    editor.birth_date.setText("16 September")
    qtbot.mouseClick(editor.add_position, Qt.MouseButton.LeftButton)
    editor.positions.set_value(0, "title", "Chairman of the Majilis")
    editor.positions.set_value(0, "start", "01.02.2022")
    editor.side.setCurrentIndex(editor.side.findData(Side.OURS))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.result() == PersonEditor.DialogCode.Accepted
    saved = PeopleService(store).get(editor.saved_id or 0)
    assert saved.full_name == "Ерлан Қошанов"
    assert saved.birth_date == MonthDay(9, 16)
    assert saved.side is Side.OURS
    assert [(p.title, p.start) for p in saved.positions] == [
        ("Chairman of the Majilis", date(2022, 2, 1))
    ]
    assert saved.all_names() == ["Ерлан Қошанов", "Yerlan Koshanov"]


@pytest.mark.parametrize(
    ("setup", "field", "words"),
    [
        (lambda e: e.birth_date.setText("31.02"), "birth_date", "does not exist"),
        (lambda e: e.full_name.clear(), "full_name", "required"),
        (
            lambda e: e.positions.append(
                {"title": "Deputy", "start": "01.01.2020", "end": "01.01.2019"}
            ),
            "positions",
            "ends before it starts",
        ),
        (
            lambda e: e.positions.append({"title": "Deputy", "start": "32.01.2020"}),
            "positions",
            "Position 2 (Deputy), start date",
        ),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(
    qtbot: Any, demo_store: Store, setup: Any, field: str, words: str
) -> None:
    maulen = person_id(demo_store, "Maulen Ashimbayev")
    version = demo_store.people.get(maulen).version
    editor = editor_for(demo_store, maulen)
    qtbot.addWidget(editor)
    setup(editor)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.result() != PersonEditor.DialogCode.Accepted
    assert words in editor.errors.message(field)
    assert demo_store.people.get(maulen).version == version


def test_a_duplicate_spelling_asks_and_saves_when_confirmed(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    editor = editor_for(demo_store)
    qtbot.addWidget(editor)
    editor.full_name.setText("Igor Segeenko")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "“Igor Sergeyenko” already has this spelling" in asked[0]
    assert editor.result() == PersonEditor.DialogCode.Accepted
    assert PeopleService(demo_store).get(editor.saved_id or 0).full_name == "Igor Segeenko"


def test_a_photo_is_loaded_shown_and_saved(qtbot: Any, store: Store, tmp_path: Path) -> None:
    picture = tmp_path / "face.png"
    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a6ea5"))
    assert image.save(str(picture))
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("not an image")
    editor = editor_for(store)
    qtbot.addWidget(editor)
    editor.full_name.setText("Roman Vassilenko")
    assert not editor.load_photo_file(str(not_a_picture))
    assert "not an image" in editor.errors.message("photo")
    assert editor.load_photo_file(str(picture))
    assert editor.photo.pixmap().width() <= people_view.THUMBNAIL_SIDE
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    stored = PeopleService(store).photo(editor.saved_id or 0)
    assert stored is not None and stored.startswith(b"\x89PNG")
    loaded = QImage.fromData(stored)
    assert max(loaded.width(), loaded.height()) == people_view.PHOTO_MAX_SIDE


def test_a_conflict_is_shown_and_nothing_overwritten(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[list[tuple[str, str, str]]] = []

    def officer_goes_back(dialog: ConflictDialog) -> int:
        qtbot.addWidget(dialog)
        shown.append([(d.label, d.yours, d.theirs) for d in dialog.model.rows])
        dialog.choice = ConflictChoice.BACK
        return 0

    monkeypatch.setattr(ConflictDialog, "exec", officer_goes_back)
    maulen = person_id(demo_store, "Maulen Ashimbayev")
    editor = editor_for(demo_store, maulen)
    qtbot.addWidget(editor)
    colleague = PeopleService(demo_store).get(maulen)
    colleague.notes = "Edited by a colleague"
    PeopleService(demo_store).save(colleague)
    editor.notes.setPlainText("Mine")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.result() != PersonEditor.DialogCode.Accepted
    assert shown == [[("Notes", "Mine", "Edited by a colleague")]]
    assert demo_store.people.get(maulen).notes == "Edited by a colleague"


# --- merging -----------------------------------------------------------------------------------


def test_merge_dialog_previews_and_merges(qtbot: Any, demo_store: Store) -> None:
    people = PeopleService(demo_store)
    other = people.save(Person(full_name="И. Сегеенко"), allow_duplicate=True)
    assert other.id is not None
    dialog = MergeDialog(people, other.id)
    qtbot.addWidget(dialog)
    assert not dialog.merge_button.isEnabled()
    pick(dialog.other, "Sergeyenko", qtbot)
    assert dialog.other.text() == "Igor Sergeyenko"
    assert dialog.merge_button.isEnabled()
    assert "И. Сегеенко stays" in dialog.preview.toPlainText()  # this record, by default
    dialog.keep_other.setChecked(True)  # the established record should stay
    preview = dialog.preview.toPlainText()
    assert "Igor Sergeyenko stays" in preview
    assert "Moves over: 0 meetings" in preview
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    kept = person_id(demo_store, "Igor Sergeyenko")
    assert dialog.kept_id == kept
    assert demo_store.people.merged_into(other.id) == kept
    assert "И. Сегеенко" in people.get(kept).all_names()


def test_merging_a_record_with_itself_is_explained(qtbot: Any, demo_store: Store) -> None:
    kept = person_id(demo_store, "Igor Sergeyenko")
    dialog = MergeDialog(PeopleService(demo_store), kept)
    qtbot.addWidget(dialog)
    pick(dialog.other, "Сергеенко", qtbot)
    assert dialog.message.text() == "Choose two different records to merge."
    assert not dialog.merge_button.isEnabled()


def test_people_area_has_three_tabs(qtbot: Any, demo_store: Store) -> None:
    area = PeopleArea(demo_store)
    qtbot.addWidget(area)
    assert [area.tabText(i) for i in range(area.count())] == [
        "People",
        "Organisations",
        "Countries",
    ]
