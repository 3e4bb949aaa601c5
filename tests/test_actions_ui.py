"""The agreed-actions area and the carry-forward panel, headless with pytest-qt."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QBrush, QIcon, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog

from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Country,
    Meeting,
    Participant,
    Person,
    Side,
)
from protocol_desk.services.actions import ActionService
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store
from protocol_desk.ui.actions_view import (
    ACTION_ID_ROLE,
    OVERDUE_ROLE,
    ActionsModel,
    ActionsView,
    MarkDoneDialog,
)
from protocol_desk.ui.carry_forward import OpenActionsPanel
from protocol_desk.ui.looks import overdue_background
from protocol_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

AS_OF = date(2022, 10, 1)


def make_view(qtbot: Any, store: Store, today: date = AS_OF) -> ActionsView:
    view = ActionsView(store, today=lambda: today)
    qtbot.addWidget(view)
    view.resize(1300, 600)
    view.show()
    return view


def texts(view: ActionsView) -> list[str]:
    model = view.model
    return [model.index(r, 2).data() for r in range(model.rowCount())]


def ids(view: ActionsView) -> list[int]:
    model = view.model
    return [model.index(r, 0).data(ACTION_ID_ROLE) for r in range(model.rowCount())]


def select_rows(view: ActionsView, rows: list[int]) -> None:
    selection = view.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            view.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def type_text(widget: Any, text: str) -> None:
    """Per-character key events: keyClicks aborts on non-ASCII text."""
    for ch in text:
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch)
        )


def kazakh_office(store: Store) -> dict[str, int]:
    """A small database with a Kazakh owner, an Uzbek and a Turkish counterpart."""
    with store.transaction():
        uz = store.countries.save(Country(name="Узбекистан", iso_code="UZ"))
        tr = store.countries.save(Country(name="Türkiye", iso_code="TR"))
        uzbek = store.people.save(Person(full_name="Танзила Нарбаева", country_id=uz.id))
        turk = store.people.save(Person(full_name="Мустафа Шентоп", country_id=tr.id))
    assert uzbek.id and turk.id and uz.id and tr.id
    meetings = MeetingService(store)
    tashkent = meetings.save(
        Meeting(
            date=date(2022, 3, 1),
            subject="Ташкенттегі келіссөздер",
            participants=[Participant(person_id=uzbek.id, side=Side.COUNTERPART)],
            actions=[
                AgreedAction(
                    text="Бірлескен іс-шаралар жоспарын дайындау",
                    owner="Мәжіліс аппараты",
                    due=date(2022, 6, 30),
                ),
                AgreedAction(text="Exchange legislative experience", owner="Senate staff"),
            ],
        ),
        allow_duplicate=True,
    )
    ankara = meetings.save(
        Meeting(
            date=date(2022, 5, 10),
            subject="Talks in Ankara",
            participants=[Participant(person_id=turk.id, side=Side.COUNTERPART)],
            actions=[
                AgreedAction(text="Open a friendship group", owner="Аппарат Сената", due=None),
                AgreedAction(text="Send the <draft> memorandum & annex", due=date(2022, 12, 31)),
            ],
        ),
        allow_duplicate=True,
    )
    return {
        "uz": uz.id,
        "tr": tr.id,
        "uzbek": uzbek.id,
        "turk": turk.id,
        "tashkent": tashkent.id or 0,
        "ankara": ankara.id or 0,
    }


# --- the model ---------------------------------------------------------------------------------
def test_actions_model_passes_the_model_tester(
    qapp: Any, qtmodeltester: Any, demo_store: Store
) -> None:
    model = ActionsModel(ActionService(demo_store))
    model.set_filter(model.filter, AS_OF)  # so that one row is overdue, with its icon
    qtmodeltester.check(model)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_lazy_model_fetches_in_pages(store: Store) -> None:
    with store.transaction():
        store.meetings.save(
            Meeting(
                date=date(2022, 1, 1),
                subject="Many promises",
                actions=[AgreedAction(text=f"Action {n}") for n in range(450)],
            )
        )
    model = ActionsModel(ActionService(store))
    assert model.rowCount() == ActionsModel.PAGE_SIZE and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450
    assert len({model.index(r, 0).data(ACTION_ID_ROLE) for r in range(450)}) == 450


# --- the view ----------------------------------------------------------------------------------
def test_overdue_commission_action_stands_out(qtbot: Any, demo_store: Store) -> None:
    view = make_view(qtbot, demo_store)
    assert view.model.rowCount() == 4  # everything still to do, the dated one first
    first = view.model.index(0, 0)
    assert first.data() == "16.09.2022"
    assert first.data(OVERDUE_ROLE) is True
    # Not colour alone: an icon on the date and words in the status column.
    icon = first.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert view.model.index(0, 1).data() == "Open — overdue 15 days"
    background = view.model.index(0, 2).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush) and background.color() == overdue_background()
    assert "Overdue 15 days" in view.model.index(0, 2).data(Qt.ItemDataRole.AccessibleTextRole)
    assert view.model.index(1, 0).data(OVERDUE_ROLE) is False
    assert "⚠ 1 overdue" in view.count_label.text()
    assert "Follows the anniversary" in first.data(Qt.ItemDataRole.ToolTipRole)

    view.set_status_filter("overdue")
    assert view.model.rowCount() == 1
    # On the due day itself nothing is overdue yet.
    view.set_as_of(date(2022, 9, 16))
    assert view.model.rowCount() == 0
    assert "No actions match" in view.count_label.text()


def test_filters_owner_country_due_window_and_search(qtbot: Any, store: Store) -> None:
    office = kazakh_office(store)
    view = make_view(qtbot, store)
    assert len(texts(view)) == 4
    view.owner.setCurrentIndex(view.owner.findText("Мәжіліс аппараты"))
    assert texts(view) == ["Бірлескен іс-шаралар жоспарын дайындау"]
    view.owner.setCurrentIndex(view.owner.findText("No owner given"))
    assert texts(view) == ["Send the <draft> memorandum & annex"]
    view.owner.setCurrentIndex(0)
    view.country.setCurrentIndex(view.country.findData(office["tr"]))
    assert sorted(texts(view)) == ["Open a friendship group", "Send the <draft> memorandum & annex"]
    view.country.setCurrentIndex(0)

    view.due_from.setText("01.06.2022")
    view.due_to.setText("31 December 2022")
    view.apply_filter()
    assert texts(view) == [
        "Бірлескен іс-шаралар жоспарын дайындау",
        "Send the <draft> memorandum & annex",
    ]
    before = texts(view)
    view.due_to.setText("31.02.2022")
    view.apply_filter()
    assert "does not exist" in view.filter_message.text()
    assert texts(view) == before  # a bad date changes nothing
    view.due_to.setText("01.01.2022")
    view.apply_filter()
    assert "before" in view.filter_message.text()
    view.due_from.setText("06.2022")  # a month or a year: from its first to its last day
    view.due_to.setText("2022")
    view.apply_filter()
    assert view.filter_message.text() == ""
    assert texts(view) == before
    view.due_to.setText("05.2022")
    view.apply_filter()
    assert "before" in view.filter_message.text()
    view.reset_filters()
    assert view.filter_message.text() == "" and len(texts(view)) == 4

    view.search.setFocus()
    type_text(view.search, "МӘЖІЛІС")
    qtbot.waitUntil(lambda: texts(view) == ["Бірлескен іс-шаралар жоспарын дайындау"])


def test_sorting_by_a_column_header(qtbot: Any, store: Store) -> None:
    kazakh_office(store)
    view = make_view(qtbot, store)
    view.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    owners = [view.model.index(r, 3).data() for r in range(view.model.rowCount())]
    assert owners == ["Senate staff", "Аппарат Сената", "Мәжіліс аппараты", ""]
    view.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [view.model.index(r, 3).data() for r in range(4)] == [
        "Мәжіліс аппараты",
        "Аппарат Сената",
        "Senate staff",
        "",
    ]
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [view.model.index(r, 0).data() for r in range(4)] == [
        "30.06.2022",
        "31.12.2022",
        "—",
        "—",
    ]


def test_bulk_status_change_from_the_menu(
    qtbot: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    kazakh_office(store)
    view = make_view(qtbot, store)
    assert not view.status_button.isEnabled()
    select_rows(view, [0, 1])
    assert view.status_button.isEnabled() and view.mark_done_button.isEnabled()
    chosen = ids(view)[:2]
    assert "2 actions selected" in view.detail.toPlainText()
    with qtbot.waitSignal(view.data_changed):
        view.status_actions[ActionStatus.IN_PROGRESS].trigger()
    service = view.service
    assert [service.row(i).status for i in chosen] == [ActionStatus.IN_PROGRESS] * 2
    assert view.result_message.text() == "2 actions set to in progress."
    assert view.selected_ids() == chosen  # the selection survives the reload

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Superseded by a treaty", True))
    view.status_actions[ActionStatus.DROPPED].trigger()
    assert [service.row(i).status for i in chosen] == [ActionStatus.DROPPED] * 2
    # Still to do now lists only the two others.
    assert len(texts(view)) == 2 and not set(chosen) & set(ids(view))
    history = service.history(chosen[0])
    assert [h.new_status for h in history] == [
        ActionStatus.OPEN,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DROPPED,
    ]
    assert history[-1].note == "Superseded by a treaty"

    # Cancelling the reason leaves the action as it was.
    select_rows(view, [0])
    other = view.selected_ids()[0]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    view.status_actions[ActionStatus.DROPPED].trigger()
    assert service.row(other).status is ActionStatus.OPEN


def ids_of(service: ActionService, text: str) -> int:
    return next(r.id for r in service.rows() if r.text == text)


def test_detail_pane_shows_history_escaped(qtbot: Any, store: Store) -> None:
    kazakh_office(store)
    view = make_view(qtbot, store)
    assert view.detail.toPlainText().startswith("Select an action to see its details")
    row = view.model.row_of(ids_of(view.service, "Send the <draft> memorandum & annex"))
    assert row is not None
    select_rows(view, [row])
    shown = view.detail.toPlainText()
    assert "Send the <draft> memorandum & annex" in shown
    assert "History" in shown and "Recorded as open" in shown
    assert "Talks in Ankara" in shown


def test_mark_done_dialog_records_date_outcome_and_meeting(qtbot: Any, demo_store: Store) -> None:
    service = ActionService(demo_store)
    rachkov = demo_store.people.find_by_name("Sergey Rachkov")
    assert rachkov is not None and rachkov.id is not None
    later = MeetingService(demo_store).save(
        Meeting(
            date=date(2022, 9, 28),
            subject="Session of the Interparliamentary Commission",
            participants=[Participant(person_id=rachkov.id, side=Side.COUNTERPART)],
        ),
        allow_duplicate=True,
    )
    view = make_view(qtbot, demo_store)
    select_rows(view, [0])
    action_id = view.selected_ids()[0]
    dialog = view.mark_done_dialog()
    assert isinstance(dialog, MarkDoneDialog)
    qtbot.addWidget(dialog)
    assert dialog.meeting.count() == 2  # "not at a meeting" and the later commission session
    dialog.meeting.setCurrentIndex(dialog.meeting.findData(later.id))
    assert dialog.completed_on.text() == "28.09.2022"  # taken from the meeting
    dialog.outcome.setPlainText("Жиналыс өтті: the commission met in Minsk")

    # A date before the action was agreed is refused in the dialog, which stays open.
    dialog.completed_on.setText("01.06.2022")
    dialog.save()
    assert "agreed on 06.06.2022" in dialog.error.text()
    assert dialog.result() == 0 and service.row(action_id).status is ActionStatus.OPEN

    dialog.completed_on.setText("28.09.2022")
    dialog.save()
    assert dialog.result() == 1 and dialog.changed == [action_id]
    row = service.row(action_id)
    assert row.status is ActionStatus.DONE and row.completed_on == date(2022, 9, 28)
    assert row.fulfilled_meeting_id == later.id
    assert service.overdue(AS_OF) == []


def test_mark_done_button_runs_the_dialog(qtbot: Any, demo_store: Store) -> None:
    view = make_view(qtbot, demo_store)
    select_rows(view, [0])
    action_id = view.selected_ids()[0]

    def fill_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MarkDoneDialog)
        dialog.completed_on.setText("20.09.2022")
        dialog.outcome.setPlainText("Held in Minsk")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_and_accept)
    with qtbot.waitSignal(view.data_changed):
        qtbot.mouseClick(view.mark_done_button, Qt.MouseButton.LeftButton)
    assert action_id not in ids(view)  # done: no longer among the actions still to do
    assert view.result_message.text() == "1 action marked done."
    view.set_status_filter("done")
    select_rows(view, [0])
    shown = view.detail.toPlainText()
    assert "Open → Done" in shown and "Held in Minsk" in shown
    assert "20.09.2022" in shown


def test_actions_area_in_the_main_window(qtbot: Any, demo_store: Store) -> None:
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()
    window.show_area("actions")
    view = window.stack.currentWidget()
    assert isinstance(view, ActionsView)
    assert view.model.rowCount() == 4


# --- carry-forward -----------------------------------------------------------------------------
def test_open_actions_panel_ticks_and_closes_them_at_the_meeting(
    qtbot: Any, qtmodeltester: Any, store: Store
) -> None:
    office = kazakh_office(store)
    service = ActionService(store)
    panel = OpenActionsPanel(service)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.model.rowCount() == 0
    assert "Add the counterparts" in panel.empty.text()

    panel.set_counterparts([office["uzbek"]])
    panel.set_meeting(None, date(2022, 9, 1))
    assert panel.model.rowCount() == 2
    qtmodeltester.check(panel.model)
    due = [panel.model.index(r, 2).data() for r in range(2)]
    assert due[0] == "30.06.2022 ⚠ overdue 63 days" and due[1] == "—"
    assert "2 open actions" in panel.heading.text()

    first = panel.model.index(0, 0)
    assert panel.model.flags(first) & Qt.ItemFlag.ItemIsUserCheckable
    with qtbot.waitSignal(panel.checked_changed) as ticked:
        panel.model.setData(first, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert ticked.args == [1]
    chosen = first.data(ACTION_ID_ROLE)
    assert panel.checked_action_ids() == [chosen]
    assert "1 to be marked done" in panel.heading.text()

    # Adding a counterpart keeps the tick; the new counterpart's actions join the list.
    panel.set_counterparts([office["uzbek"], office["turk"]])
    assert panel.model.rowCount() == 4 and panel.checked_action_ids() == [chosen]
    panel.check_all.click()
    assert len(panel.checked_action_ids()) == 4
    panel.check_none.click()
    assert panel.checked_action_ids() == []
    panel.set_counterparts([office["uzbek"]])
    panel.model.set_checked(chosen, True)

    # The meeting's own actions are never offered to itself.
    panel.set_meeting(office["tashkent"], date(2022, 3, 1))
    assert panel.model.rowCount() == 0 and "No open actions" in panel.empty.text()
    panel.set_meeting(None, date(2022, 9, 1))
    assert panel.checked_action_ids() == []  # the tick went with the row
    panel.model.set_checked(chosen, True)

    # What the meeting editor does on save: the meeting and the closing in one transaction.
    meeting = Meeting(
        date=date(2022, 9, 1),
        subject="Келесі кездесу",
        participants=[Participant(person_id=office["uzbek"], side=Side.COUNTERPART)],
    )
    with store.transaction():
        saved = MeetingService(store).save(meeting, allow_duplicate=True)
        assert saved.id is not None
        service.mark_done_at_meeting(panel.checked_action_ids(), saved.id, on=saved.date)
    assert service.row(chosen).status is ActionStatus.DONE
    panel.reload()
    assert chosen not in [r.id for r in panel.model.rows()]
    assert panel.model.rowCount() == 1
