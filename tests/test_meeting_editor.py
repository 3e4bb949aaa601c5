"""Logging a meeting through the editor, as an officer types it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget

from protocol_desk.domain.dates import Precision
from protocol_desk.domain.errors import Problems
from protocol_desk.domain.listing import MeetingFilter
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.reference import ReferenceService
from protocol_desk.services.release_lookup import StoreLookup
from protocol_desk.services.release_offer import read_release
from protocol_desk.store import Store
from protocol_desk.ui.meeting_editor import DuplicateDialog, MeetingEditor, NewPersonDialog
from protocol_desk.ui.release_reading import ReleaseReadingDialog

SEEDS = Path(__file__).resolve().parents[1] / "db" / "seeds"


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type any text, Cyrillic and Kazakh included, one key event per character."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            QApplication.sendEvent(
                widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
            )
            QApplication.sendEvent(
                widget, QKeyEvent(QEvent.Type.KeyRelease, 0, Qt.KeyboardModifier.NoModifier, char)
            )


def open_editor(qtbot: Any, store: Store, meeting_id: int | None = None) -> MeetingEditor:
    editor = MeetingEditor(MeetingService(store), ReferenceService(store), meeting_id=meeting_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def add_participant(qtbot: Any, editor: MeetingEditor, typed: str) -> None:
    editor.tabs.setCurrentIndex(1)
    type_text(qtbot, editor.participant_input, typed)
    assert editor.suggestions.count() >= 1
    qtbot.keyClick(editor.participant_input, Qt.Key.Key_Return)


def add_action(qtbot: Any, editor: MeetingEditor, text: str, due: str = "") -> None:
    editor.tabs.setCurrentIndex(2)
    qtbot.mouseClick(editor.add_action, Qt.MouseButton.LeftButton)
    row = editor.action_table.rowCount() - 1
    for column, value in ((0, text), (2, due)):
        if not value:
            continue
        editor.action_table.setCurrentCell(row, column)
        editor.action_table.editItem(editor.action_table.item(row, column))
        # The cell editor that is open now (a closed one may linger until deleted).
        [field] = [w for w in editor.action_table.findChildren(QLineEdit) if w.isVisible()]
        type_text(qtbot, field, value)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        # The view commits a cell editor's text through a queued call.
        qtbot.waitUntil(lambda c=column, v=value: editor.action_table.item(row, c).text() == v)


def test_log_the_february_2026_talks_of_seed_004(qtbot: Any, demo_store: Store) -> None:
    service = MeetingService(demo_store)
    koshanov = demo_store.people.find_by_name("Yerlan Koshanov")
    assert koshanov is not None and koshanov.id is not None
    # Start from a database without the demo's account of this visit.
    for row in service.page(MeetingFilter(person_id=koshanov.id)).rows:
        service.delete(row.id)

    editor = open_editor(qtbot, demo_store)
    qtbot.keyClicks(editor.date, "06.02.2026")
    qtbot.keyClick(editor.date, Qt.Key.Key_Tab)
    assert "06.02.2026" in editor.date_hint.text()
    type_text(qtbot, editor.subject, "Talks with President Alexander Lukashenko")
    type_text(qtbot, editor.summary, "Стратегиялық әріптестік: trade above one billion US dollars")
    add_participant(qtbot, editor, "Қошанов")  # the Kazakh spelling finds Yerlan Koshanov
    add_participant(qtbot, editor, "лукашенко")  # Cyrillic, lower case
    names = [editor.participant_table.item(r, 0).text() for r in range(2)]
    assert names == ["Yerlan Koshanov", "Alexander Lukashenko"]
    assert editor.participant_table.item(0, 2).text().startswith("Chairman of the Majilis")
    add_action(qtbot, editor, "Continue exchanging legislative experience")
    add_action(qtbot, editor, "Expand co-operation in mechanical engineering", "31.12.2026")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    assert editor.result() == MeetingEditor.DialogCode.Accepted, editor.error.text()
    saved = service.get(editor.saved_id or 0)
    assert saved.subject == "Talks with President Alexander Lukashenko"
    assert [a.text for a in saved.actions] == [
        "Continue exchanging legislative experience",
        "Expand co-operation in mechanical engineering",
    ]
    assert saved.actions[1].due is not None and saved.actions[1].due.isoformat() == "2026-12-31"
    assert [r.id for r in service.search("Lukashenko")] == [saved.id]
    assert [r.id for r in service.search("әріптестік")] == [saved.id]
    assert [r.id for r in service.page(MeetingFilter(person_id=koshanov.id)).rows] == [saved.id]


def test_duplicate_guard_offers_to_keep_seed_001_as_a_source(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = MeetingService(demo_store)
    before = service.count(MeetingFilter())
    [existing] = service.search("Rachkov")
    editor = open_editor(qtbot, demo_store)
    qtbot.keyClicks(editor.date, "06.06.2022")
    type_text(qtbot, editor.subject, "Belarus views Kazakhstan as key partner in Central Asia")
    add_participant(qtbot, editor, "Kul-Mohammed")
    add_participant(qtbot, editor, "Рачков")
    add_action(qtbot, editor, "Support each other at the OSCE PA and the IPU")
    editor.tabs.setCurrentIndex(3)
    qtbot.mouseClick(editor.add_source, Qt.MouseButton.LeftButton)
    editor.source_table.item(0, 0).setText("Council of the Republic")
    seed = (SEEDS / "001_f186f351a2958608.txt").read_text(encoding="utf-8")
    editor.source_text.setPlainText(seed)  # pasted, as an officer pastes a release

    shown: list[DuplicateDialog] = []

    def choose_add_source(dialog: DuplicateDialog) -> int:
        shown.append(dialog)
        dialog.add_source.click()
        return 1

    monkeypatch.setattr(DuplicateDialog, "exec", choose_add_source)
    editor.tabs.setCurrentIndex(0)
    type_text(qtbot, editor.time, "11:00")
    qtbot.keyClick(editor.subject, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(shown) == 1
    assert editor.saved_id == existing.id
    assert service.count(MeetingFilter()) == before
    merged = service.get(existing.id)
    # The demo meeting already keeps this very release: it is not kept a second time.
    assert len(merged.sources) == 2
    assert [s.text for s in merged.sources].count(seed) == 1
    assert "Support each other at the OSCE PA and the IPU" in [a.text for a in merged.actions]
    assert merged.time == "11:00"  # the first account left it blank


def test_create_a_participant_on_the_spot(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: NewPersonDialog) -> int:
        assert dialog.name.text() == "Айгүл Сәрсенова"
        type_text(qtbot, dialog.title, "Deputy Chair")
        type_text(
            qtbot, dialog.organisation, "Majilis of the Parliament of the Republic of Kazakhstan"
        )
        dialog.side.setCurrentIndex(0)
        return 1

    monkeypatch.setattr(NewPersonDialog, "exec", fill)
    editor = open_editor(qtbot, demo_store)
    editor.tabs.setCurrentIndex(1)
    type_text(qtbot, editor.participant_input, "Айгүл Сәрсенова")
    assert "create them" in editor.suggestions.item(0).text()
    qtbot.keyClick(editor.participant_input, Qt.Key.Key_Return)
    assert editor.participant_table.item(0, 0).text() == "Айгүл Сәрсенова"
    assert editor.participant_table.item(0, 2).text().startswith("Deputy Chair")
    person = demo_store.people.find_by_name("айгүл сәрсенова")
    assert person is not None and person.positions[0].title == "Deputy Chair"


@pytest.mark.parametrize(
    ("date_text", "message"),
    [("", "date is required"), ("31.02.2022", "does not exist"), ("soon", "not a date")],
)
def test_bad_dates_are_shown_at_the_field_and_nothing_is_saved(
    qtbot: Any, store: Store, date_text: str, message: str
) -> None:
    editor = open_editor(qtbot, store)
    qtbot.keyClicks(editor.date, date_text)
    type_text(qtbot, editor.subject, "Courtesy call")
    editor.save()
    assert message in editor.error.text()
    assert editor.date.styleSheet()  # the field is marked
    assert editor.isVisible()
    assert store.db.execute("SELECT count(*) FROM meeting").fetchone()[0] == 0


def test_empty_subject_is_refused(qtbot: Any, store: Store) -> None:
    editor = open_editor(qtbot, store)
    qtbot.keyClicks(editor.date, "18.11.2022")
    editor.save()
    assert "subject is required" in editor.error.text().lower()


def test_huge_summary_markup_and_emoji_are_saved_faithfully(
    qtbot: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor = open_editor(qtbot, store)
    qtbot.keyClicks(editor.date, "June 2022")
    qtbot.keyClick(editor.date, Qt.Key.Key_Tab)
    assert editor.precision.currentData() == Precision.MONTH
    subject = "<b>Talks</b> & toasts 🇰🇿🤝🇧🇾"
    editor.subject.setText(subject)
    summary = ("Қазақстан & Беларусь <script>alert(1)</script> " * 2100)[:100_000]
    editor.summary.setPlainText(summary)
    editor.save()
    assert editor.saved_id is not None, editor.error.text()
    saved = MeetingService(store).get(editor.saved_id)
    assert saved.subject == subject
    assert saved.summary == summary.strip()
    assert saved.precision is Precision.MONTH and saved.date.isoformat() == "2022-06-01"


def test_edit_keeps_participants_and_bumps_the_version(qtbot: Any, demo_store: Store) -> None:
    service = MeetingService(demo_store)
    [row] = service.search("Erol Kaya")
    before = service.get(row.id)
    editor = open_editor(qtbot, demo_store, row.id)
    assert editor.date.text() == "18.11.2022"
    editor.time.setText("15:00")
    editor.save()
    after = service.get(row.id)
    assert after.time == "15:00"
    assert after.version == before.version + 1
    assert [p.person_id for p in after.participants] == [p.person_id for p in before.participants]
    assert [p.title for p in after.participants] == [p.title for p in before.participants]
    assert len(after.sources) == len(before.sources)


def test_carry_forward_closes_the_commission_action_at_the_next_meeting(
    qtbot: Any, demo_store: Store
) -> None:
    from datetime import date

    from protocol_desk.domain.models import ActionStatus
    from protocol_desk.services.actions import ActionService

    actions = ActionService(demo_store)
    as_of = date(2022, 10, 1)
    [overdue] = [a for a in actions.overdue(as_of) if "Interparliamentary Commission" in a.text]

    editor = open_editor(qtbot, demo_store)
    qtbot.keyClicks(editor.date, "30.09.2022")
    type_text(qtbot, editor.subject, "Meeting of the Interparliamentary Commission")
    add_participant(qtbot, editor, "Kul-Mohammed")
    add_participant(qtbot, editor, "Rachkov")
    panel = editor.open_actions
    assert [r.id for r in panel.model.rows()] == [overdue.id]
    panel.model.set_checked(overdue.id, True)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    assert editor.saved_id is not None, editor.error.text()
    done = demo_store.actions.get(overdue.id)
    assert done.status is ActionStatus.DONE
    assert done.fulfilled_meeting_id == editor.saved_id
    assert done.completed_on == date(2022, 9, 30)
    assert overdue.id not in [a.id for a in actions.overdue(as_of)]
    history = actions.history(overdue.id)
    assert history[-1].new_status is ActionStatus.DONE
    assert history[-1].meeting_id == editor.saved_id


def test_removing_a_participant_keeps_the_others_ticks_and_sides(qtbot: Any, store: Store) -> None:
    from datetime import date

    from PySide6.QtWidgets import QComboBox

    from protocol_desk.domain.models import AgreedAction, Meeting, Participant, Person, Side

    with store.transaction():
        people = [store.people.save(Person(full_name=f"Counterpart {n}")) for n in "ABC"]
    for person in people:
        MeetingService(store).save(
            Meeting(
                date=date(2024, 1, 10),
                subject=f"Talks with {person.full_name}",
                participants=[Participant(person_id=person.id or 0, side=Side.COUNTERPART)],
                actions=[AgreedAction(text=f"Follow up {person.full_name}")],
            )
        )
    editor = open_editor(qtbot, store)
    for letter in "ABC":
        add_participant(qtbot, editor, f"Counterpart {letter}")
    panel = editor.open_actions
    for row in panel.model.rows():
        panel.model.set_checked(row.id, True)
    assert len(panel.model.checked_ids()) == 3

    editor.tabs.setCurrentIndex(1)
    editor.participant_table.setCurrentCell(0, 0)
    editor._remove_participant()
    ticked = {r.text for r in panel.model.rows() if r.id in panel.model.checked_ids()}
    assert ticked == {"Follow up Counterpart B", "Follow up Counterpart C"}
    # The side combo of what is now the first row still belongs to Counterpart B.
    combo = editor.participant_table.cellWidget(0, 1)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(Side.OURS))
    assert [r.text for r in panel.model.rows()] == ["Follow up Counterpart C"]
    assert len(panel.model.checked_ids()) == 1


def test_an_opened_meeting_shows_its_long_fields_from_their_first_word(
    qtbot: Any, demo_store: Store
) -> None:
    [row] = demo_store.meetings.page(MeetingFilter(text="Rachkov")).rows
    editor = open_editor(qtbot, demo_store, row.id)
    editor.resize(700, 600)
    subject = editor.subject
    assert subject.fontMetrics().horizontalAdvance(subject.text()) > subject.width()  # too long
    assert subject.text().startswith("Mukhtar Kul-Mukhammed met")
    for field in (subject, editor.topics):
        assert field.cursorPosition() == 0  # its start in view, not its last words
    # The calendar is a push button with a menu: its text and the arrow each have room.
    assert editor.calendar_button.menu() is not None
    button = editor.calendar_button
    assert button.sizeHint().width() > button.fontMetrics().horizontalAdvance("Calendar") + 16


def answer_release_dialogs(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    answer: int,
    act: Callable[[ReleaseReadingDialog], None] | None = None,
) -> list[ReleaseReadingDialog]:
    """Stands in for the officer at the release dialog: each one shown is kept in the list
    returned, ``act`` ticks or looks, and ``answer`` is the button pressed (1 takes, 0
    cancels)."""
    shown: list[ReleaseReadingDialog] = []

    def exec_(dialog: ReleaseReadingDialog) -> int:
        qtbot.addWidget(dialog)
        shown.append(dialog)
        if act is not None:
            act(dialog)
        return answer

    monkeypatch.setattr(ReleaseReadingDialog, "exec", exec_)
    return shown


def test_reading_a_pasted_release_fills_the_day_people_and_agreements(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    [release] = (Path(__file__).resolve().parents[1] / "db" / "seeds").glob("004_*.txt")
    editor = open_editor(qtbot, demo_store)
    assert not editor.read_source.isEnabled()  # nothing to read yet
    editor.tabs.setCurrentIndex(3)
    qtbot.mouseClick(editor.add_source, Qt.MouseButton.LeftButton)
    editor.source_text.setPlainText(release.read_text(encoding="utf-8"))  # pasted
    assert editor.read_source.isEnabled()

    readings: list[ReleaseReadingDialog] = []

    def officer_takes_the_posting_day(dialog: ReleaseReadingDialog) -> None:
        readings.append(dialog)
        if len(readings) > 1:  # the first reading, not the one again below
            return
        dialog.show()
        [(posted, day)] = dialog.days
        assert day == date(2026, 2, 6) and not posted.ticked()  # a posting day: never ticked
        assert "when the release was posted" in posted.label.text()
        qtbot.mouseClick(posted.label, Qt.MouseButton.LeftButton)  # a click on the text ticks

    shown = answer_release_dialogs(qtbot, monkeypatch, 1, officer_takes_the_posting_day)
    qtbot.mouseClick(editor.read_source, Qt.MouseButton.LeftButton)
    [dialog] = shown
    assert dialog.chosen_day() == date(2026, 2, 6)
    # Named where the release speaks of the talks, or speaking in them: ticked. Named in
    # passing (greetings from the President): offered, left for the officer.
    offered = {p.name: finding.ticked() for finding, p in dialog.people}
    assert offered == {
        "Kassym-Jomart Tokayev": False,
        "Alexander Lukashenko": True,
        "Igor Sergeyenko": True,
        "Yerlan Koshanov": True,
        "Natalya Kochanova": True,
    }
    ticked = [p.name for p in dialog.chosen_people()]
    assert len(dialog.chosen_agreements()) == 1
    assert dialog.chosen_country() == ("BY", "Belarus")

    meeting = editor.collect(problems := Problems())
    assert not problems.found
    assert meeting.date.isoformat() == "2026-02-06" and meeting.precision is Precision.DAY
    assert [p.person_name for p in meeting.participants] == ticked
    titles = {p.person_name: p.title for p in meeting.participants}
    assert titles["Alexander Lukashenko"] == "President of the Republic of Belarus"  # that day
    assert meeting.actions[0].text.startswith("Continue exchanging legislative experience")
    assert meeting.country_id is not None

    # Read again: who already takes part is not offered twice, and the day is left alone.
    shown.clear()
    editor.date.setText("07.02.2026")
    qtbot.mouseClick(editor.read_source, Qt.MouseButton.LeftButton)
    [again] = shown
    assert again.chosen_people() == [] and again.chosen_day() is None
    assert again.chosen_agreements() == []  # already an agreed action
    meeting = editor.collect(problems := Problems())
    assert not problems.found
    assert meeting.date.isoformat() == "2026-02-07"
    assert len(meeting.participants) == len(ticked) and len(meeting.actions) == 1


def test_a_release_that_offers_nothing_says_so(qtbot: Any, demo_store: Store) -> None:
    offer = read_release(StoreLookup(demo_store), "")
    dialog = ReleaseReadingDialog(offer, "", has_date=False, taking_part=set())
    qtbot.addWidget(dialog)
    said = dialog.findChild(QLabel, "nothingFound")
    assert isinstance(said, QLabel) and said.text().startswith("The text gives no day")
    assert dialog.chosen_day() is None and dialog.chosen_people() == []
    assert dialog.chosen_agreements() == []


def test_the_meetings_day_is_one_day_and_evidence_is_shown(qtbot: Any, demo_store: Store) -> None:
    text = "Posted: 08.06.2022\n\nOn 7 June 2022 Maulen Ashimbayev met Erol Kaya in Astana."
    offer = read_release(StoreLookup(demo_store), text)
    dialog = ReleaseReadingDialog(offer, text, has_date=False, taking_part=set())
    qtbot.addWidget(dialog)
    first, second = (finding for finding, _ in dialog.days)
    assert first.ticked() and dialog.chosen_day() == date(2022, 6, 7)
    second.box.setChecked(True)  # the other one instead, not both
    assert not first.ticked() and dialog.chosen_day() == date(2022, 6, 8)
    # The words an item came from are highlighted in the release beside the list.
    first.show_evidence()
    [selection] = dialog.release.extraSelections()
    assert "7 June 2022" in selection.cursor.selectedText()


def test_new_people_documents_and_the_visit_are_created_in_one_click(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "04.09.2025 14:20\n\nASTANA, September 4. Chairman of the Majilis Yerlan Koshanov "
        "held talks with Dashzegviin Amarbayasgalan, Chairman of the State Great Khural of "
        "Mongolia, who is in Astana on an official visit. The speakers signed a Memorandum of "
        "Cooperation between the two parliaments."
    )
    editor = open_editor(qtbot, demo_store)
    QApplication.clipboard().setText(text)

    def correct_and_take(dialog: ReleaseReadingDialog) -> None:
        [new] = [f for f, p in dialog.people if p.person_id is None]
        assert new.edit is not None and new.edit.text() == "Dashzegviin Amarbayasgalan"
        new.edit.setText("Dashzegviin  Amarbayasgalan ")  # corrected as typed: spaces tidied
        assert dialog.visit is not None
        dialog.visit.box.setChecked(True)

    answer_release_dialogs(qtbot, monkeypatch, 1, correct_and_take)
    editor.from_release_button.click()
    created = demo_store.people.find_by_name("Dashzegviin Amarbayasgalan")
    assert created is not None and created.side.value == "counterpart"
    meeting = editor.collect(Problems())
    assert created.id in [p.person_id for p in meeting.participants]
    assert [d.kind.value for d in meeting.documents] == ["memorandum"]
    assert "Memorandum" in editor.documents_label.text()
    assert meeting.delegation_id is not None
    visit = demo_store.delegations.get(meeting.delegation_id)
    assert visit.direction.value == "incoming" and visit.head_person_id == created.id


def test_from_a_press_release_takes_the_copied_text_as_a_source_and_reads_it(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    [release] = (Path(__file__).resolve().parents[1] / "db" / "seeds").glob("001_*.txt")
    editor = open_editor(qtbot, demo_store)
    QApplication.clipboard().clear()
    editor.from_release_button.click()  # nothing copied: the text field waits for it
    assert editor.tabs.currentIndex() == 3 and editor.source_table.rowCount() == 1
    assert "Paste the press release here" in editor.source_text.placeholderText()
    editor.from_release_button.click()  # again: the empty source still waits, no second one
    assert editor.source_table.rowCount() == 1

    QApplication.clipboard().setText(release.read_text(encoding="utf-8"))
    seen = answer_release_dialogs(qtbot, monkeypatch, 1)
    editor.from_release_button.click()
    [dialog] = seen
    assert editor.source_table.rowCount() == 1 and editor.source_table.currentRow() == 0
    assert "Belarus views Kazakhstan" in editor.source_text.toPlainText()
    assert dialog.chosen_published() == date(2022, 6, 8)  # "Posted: 08.06.2022 10:12:00"
    assert dialog.chosen_day() is None  # the posting's day, and the jubilee ahead: neither
    published = editor.source_table.item(0, 2)
    assert published is not None and published.text() == "08.06.2022"
    assert editor.date.text() == ""  # for the officer: the release does not say
    names = [row.participant.person_name for row in editor._participants]
    assert names == ["Sergey Rachkov", "Mukhtar Kul-Mukhammed"]


def test_the_same_release_read_again_is_one_source_and_a_huge_text_is_refused(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    [release] = SEEDS.glob("003_*.txt")
    editor = open_editor(qtbot, demo_store)
    seen = answer_release_dialogs(qtbot, monkeypatch, 0)
    QApplication.clipboard().setText(release.read_text(encoding="utf-8"))
    editor.from_release_button.click()
    editor.from_release_button.click()  # cancelled, then pressed again: read again, not kept twice
    assert len(seen) == 2 and editor.source_table.rowCount() == 1
    assert editor._participants == [] and editor.date.text() == ""  # cancelled: nothing taken

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    QApplication.clipboard().setText("Ashimbayev met Kaya. " * 20_000)  # a whole site, say
    editor.from_release_button.click()
    assert told and "more than a press release" in told[0]
    assert len(seen) == 2 and editor.source_table.rowCount() == 1


def test_taken_without_a_day_the_titles_and_organisations_follow_the_date_typed_after(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    [release] = SEEDS.glob("003_*.txt")
    editor = open_editor(qtbot, demo_store)
    editor.date.setText("07.06.2022")  # typed before, and not the release's day
    labels: list[str] = []

    def take_kaya(dialog: ReleaseReadingDialog) -> None:
        labels.extend(finding.label.text() for finding, _ in dialog.days)
        for finding, person in dialog.people:
            finding.box.setChecked(person.name == "Erol Kaya")

    answer_release_dialogs(qtbot, monkeypatch, 1, take_kaya)
    QApplication.clipboard().setText(release.read_text(encoding="utf-8"))
    editor.from_release_button.click()
    assert any("not the date typed, 07.06.2022" in label for label in labels)
    assert editor.date.text() == "07.06.2022"  # not changed unasked
    # The subject was empty: the headline, ticked, became it.
    assert editor.subject.text() == (
        "Maulen Ashimbayev met with observers of the Inter-Parliamentary Assembly of TurkPA"
    )
    assert editor.tabs.currentIndex() == 0  # back to the details, to check them
    editor.date.setText("18.11.2022")
    [kaya] = [row.participant for row in editor._participants]
    [held] = [p for p in demo_store.meetings.get(3).participants if p.person_id == kaya.person_id]
    assert (kaya.title, kaya.organisation_id) == (held.title, held.organisation_id)
    assert kaya.organisation_id is not None


def test_reading_into_a_meeting_with_participants_ticks_no_one_more(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    [row] = [
        r
        for r in demo_store.meetings.page(MeetingFilter(text="Lukashenko")).rows
        if not r.in_source
    ]
    editor = open_editor(qtbot, demo_store, row.id)
    offered: list[tuple[str, bool]] = []

    def look(dialog: ReleaseReadingDialog) -> None:
        dialog.show()
        first = dialog.subject or (dialog.days or dialog.people)[0][0]
        assert dialog.focusWidget() is first.box  # keys first reach a tick box
        offered.extend((p.name, f.ticked()) for f, p in dialog.people)

    answer_release_dialogs(qtbot, monkeypatch, 0, look)
    [release] = SEEDS.glob("004_*.txt")
    QApplication.clipboard().setText(release.read_text(encoding="utf-8"))
    editor.from_release_button.click()
    assert offered and not any(ticked for _, ticked in offered)
    assert "Alexander Lukashenko" not in [name for name, _ in offered]  # already taking part


def test_a_country_new_to_the_office_is_added_when_taken(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "12 May 2024\n\nMajilis Chairman Yerlan Koshanov met Alen Simonyan, President of the "
        "National Assembly of Armenia, in Astana. Armenia and Kazakhstan discussed transit."
    )
    editor = open_editor(qtbot, demo_store)
    QApplication.clipboard().setText(text)
    answer_release_dialogs(qtbot, monkeypatch, 1)
    editor.from_release_button.click()
    [armenia] = [c for c in demo_store.countries.all() if c.iso_code == "AM"]
    meeting = editor.collect(Problems())
    assert meeting.country_id == armenia.id and armenia.name == "Armenia"
    assert meeting.city == "Astana"


def test_a_release_is_read_beside_the_window_for_a_database_file(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_file)
    editor = open_editor(qtbot, store)
    shown = answer_release_dialogs(qtbot, monkeypatch, 1)
    QApplication.clipboard().setText(
        "12 May 2023\n\nMukhtar Kul-Mukhammed met Sergey Rachkov in Minsk."
    )
    editor.from_release_button.click()
    assert shown == []  # read in a thread of its own: the window goes on meanwhile
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    assert editor.date.text() == "12.05.2023"
    assert [row.participant.person_name for row in editor._participants] == [
        "Mukhtar Kul-Mukhammed",
        "Sergey Rachkov",
    ]
    editor.close()
    store.close()


def test_an_anniversary_in_a_release_keeps_the_relations_year_when_taken(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protocol_desk.domain.dates import Year

    text = (
        "05.03.2024\n\nOSLO, March 5. Chairman of the Senate Maulen Ashimbayev met Masud "
        "Gharahkhani, President of the Storting of Norway. The speakers noted that Norway and "
        "Kazakhstan mark the 30th anniversary of diplomatic relations this year."
    )
    editor = open_editor(qtbot, demo_store)
    QApplication.clipboard().setText(text)

    def look(dialog: ReleaseReadingDialog) -> None:
        [(finding, anniversary)] = dialog.relations
        assert finding.ticked() and anniversary["year"] == 1994
        assert "with Norway: since 1994 — keep 1994" in finding.label.text()

    answer_release_dialogs(qtbot, monkeypatch, 1, look)
    editor.from_release_button.click()
    norway = demo_store.countries.find("Norway")
    assert norway is not None and norway.relations_established == Year(1994)
