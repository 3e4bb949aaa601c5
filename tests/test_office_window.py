"""Office sharing in the window: the status bar, Sync now, the Connect and Conflicts dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QDialog

from protocol_desk.domain.models import Meeting
from protocol_desk.domain.sharing import Step
from protocol_desk.services import office
from protocol_desk.services.demo import load_demo
from protocol_desk.store import Store
from protocol_desk.store.office_server import OfficeServer, Outgoing
from protocol_desk.ui.main_window import MainWindow
from protocol_desk.ui.office_dialogs import ConflictsDialog, ConnectDialog

pytestmark = [pytest.mark.office, pytest.mark.gui]

SHOTS = Path(__file__).parent / "screenshots"  # made only when PROTOCOL_DESK_SHOTS is set


@pytest.fixture
def colleague(tmp_path: Path, office_dsn: str) -> Iterator[Store]:
    store = Store.open(tmp_path / "colleague.sqlite")
    store.user = "bolat"
    load_demo(store)
    office.connect_desk(store, office_dsn)
    office.sync(store)
    yield store
    store.close()


@pytest.fixture
def desk(tmp_path: Path, office_dsn: str, colleague: Store) -> Iterator[Store]:
    store = Store.open(tmp_path / "desk.sqlite")
    office.connect_desk(store, office_dsn)
    yield store
    store.close()


def _window(qtbot: Any, store: Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.show_area("meetings")
    return window


def _synced(qtbot: Any, window: MainWindow) -> None:
    sharing = window.office()
    qtbot.waitUntil(lambda: sharing.job is not None and sharing.job.finished, timeout=20_000)
    # Under way the label says what is happening ("…"); then where things stand.
    qtbot.waitUntil(lambda: not window.office().label.text().endswith("…"), timeout=5_000)


def test_a_window_not_connected_says_nothing_of_the_office(qtbot: Any, store: Store) -> None:
    window = _window(qtbot, store)
    window.office().start()
    assert window.office().label.text() == ""
    assert not window.sync_action.isEnabled()
    assert not window.conflicts_action.isEnabled()


def test_the_window_syncs_beside_itself_and_shows_colleagues_meetings(
    qtbot: Any, desk: Store, colleague: Store
) -> None:
    window = _window(qtbot, desk)
    qtbot.waitUntil(lambda: window.office().job is not None, timeout=5_000)
    _synced(qtbot, window)
    assert window.office().label.text() == "Office: synced just now"
    assert window.meetings_view.model.rowCount() == 6
    with colleague.transaction():
        colleague.meetings.save(
            Meeting(date=colleague.meetings.get(1).date, subject="Жаңа кездесу")
        )
    office.sync(colleague)
    assert window.sync_action.shortcut().toString() == "Ctrl+R"
    window.sync_action.trigger()
    _synced(qtbot, window)
    assert window.meetings_view.model.rowCount() == 7


def test_the_conflicts_dialog_shows_both_versions_and_keeps_mine(
    qtbot: Any, desk: Store, colleague: Store
) -> None:
    office.sync(desk)
    uid = colleague.meetings.get(colleague.meetings.all_ids()[0]).uid
    for store, subject in ((colleague, "Bolat's subject"), (desk, "My subject")):
        with store.transaction():
            meeting = store.meetings.get(store.meetings.id_for_uid("meeting", uid) or 0)
            meeting.subject = subject
            store.meetings.save(meeting)
    office.sync(colleague)
    window = _window(qtbot, desk)
    _synced(qtbot, window)
    assert window.office().label.text() == "Office: synced just now · 1 conflict"
    assert window.conflicts_action.isEnabled()
    window.conflicts_action.trigger()
    dialog = window.findChild(ConflictsDialog, "conflictsDialog")
    assert dialog is not None and dialog.list.count() == 1
    rows = {
        dialog.table.item(r, 0).text(): (
            dialog.table.item(r, 1).text(),
            dialog.table.item(r, 2).text(),
        )
        for r in range(dialog.table.rowCount())
    }
    assert rows["Subject"] == ("My subject", "Bolat's subject")
    assert "bolat" in dialog.heading.text()
    if SHOTS.exists():
        dialog.grab().save(str(SHOTS / "conflicts.png"))
        window.grab().save(str(SHOTS / "status.png"))
    dialog.keep_mine.click()
    assert dialog.list.count() == 0 and office.conflicts(desk) == []
    assert not window.conflicts_action.isEnabled()


def test_merging_by_hand_in_the_dialog_takes_the_ticked_fields(
    qtbot: Any, desk: Store, colleague: Store
) -> None:
    office.sync(desk)
    uid = colleague.meetings.get(colleague.meetings.all_ids()[0]).uid
    for store, tag in ((colleague, "Bolat"), (desk, "Mine")):
        with store.transaction():
            meeting = store.meetings.get(store.meetings.id_for_uid("meeting", uid) or 0)
            meeting.subject = f"{tag}'s subject"
            meeting.summary = f"{tag}'s summary"
            store.meetings.save(meeting)
    office.sync(colleague)
    office.sync(desk)
    dialog = ConflictsDialog(desk)
    qtbot.addWidget(dialog)
    dialog.reload()
    paths = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    box = dialog.table.cellWidget(paths.index("Subject"), 3)
    assert isinstance(box, QCheckBox)
    box.setChecked(True)
    dialog.merge.click()
    meeting = desk.meetings.get(desk.meetings.id_for_uid("meeting", uid) or 0)
    assert (meeting.subject, meeting.summary) == ("Bolat's subject", "Mine's summary")
    assert office.sync(desk).pushed == 1


def test_the_connect_dialog_joins_the_office_beside_the_window(
    qtbot: Any, store: Store, tmp_path: Path, office_dsn: str
) -> None:
    path = tmp_path / "new-desk.sqlite"
    desk = Store.open(path)
    try:
        dialog = ConnectDialog(desk)
        qtbot.addWidget(dialog)
        info = dict(part.split("=", 1) for part in office_dsn.split())
        dialog.host.setText(info["host"])
        dialog.database.setText(info["dbname"])
        dialog.user.setText("")
        dialog.try_connect()
        assert "user" in dialog.message.text()  # a missing field is said, nothing tried
        dialog.user.setText(info["user"])
        dialog.database.setText("no_such_database")
        dialog.try_connect()
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10_000)
        assert "no such database" in dialog.message.text()
        dialog.database.setText(info["dbname"])
        if SHOTS.exists():
            dialog.grab().save(str(SHOTS / "connect.png"))
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            dialog.try_connect()
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert office.office_dsn(desk) is not None
    finally:
        desk.close()


def test_the_status_bar_shows_how_far_a_join_got(qtbot: Any, store: Store) -> None:
    window = _window(qtbot, store)
    sharing = window.office()
    sharing._progress(Step("Office: joining — 5,000 of 20,000 records received…", 5_000, 20_000))
    assert sharing.bar.isVisible() and (sharing.bar.value(), sharing.bar.maximum()) == (
        5_000,
        20_000,
    )
    assert sharing.label.text() == "Office: joining — 5,000 of 20,000 records received…"
    sharing._progress("Office: sending this desk's changes…")
    assert not sharing.bar.isVisible()


def test_a_record_that_could_not_be_applied_is_shown_with_its_reason(
    qtbot: Any, desk: Store, office_dsn: str
) -> None:
    with OfficeServer.connect(office_dsn) as server:
        server.push(
            [Outgoing("bad", "meeting", None, {"uid": "bad", "subject": "Кездесу", "date": "x"})]
        )
    window = _window(qtbot, desk)
    _synced(qtbot, window)
    assert window.office().label.text() == "Office: synced just now · 1 conflict"
    assert window.meetings_view.model.rowCount() == 6  # the rest went in
    window.conflicts_action.trigger()
    dialog = window.findChild(ConflictsDialog, "conflictsDialog")
    assert dialog is not None and dialog.list.count() == 1
    assert dialog.heading.text().endswith(
        "could not be applied on this desk: Meeting “Кездесу”: “x” is not a date (YYYY-MM-DD)."
        " Nothing of it is on this desk until you choose."
    )
    # Its fields as the office has them, the one refused among them.
    rows = {
        dialog.table.item(r, 0).text(): (
            dialog.table.item(r, 1).text(),
            dialog.table.item(r, 2).text(),
        )
        for r in range(dialog.table.rowCount())
    }
    assert rows == {"Uid": ("—", "bad"), "Subject": ("—", "Кездесу"), "Date": ("—", "x")}
    if SHOTS.exists():
        dialog.grab().save(str(SHOTS / "could-not-apply.png"))
