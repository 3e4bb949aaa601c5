"""The safety dialogs and the window's safety actions: restore from backup, history, the
conflict choice, the questions asked at start, and a read-only window."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu, QMessageBox
from sqlite_utils import Migrations

from protocol_desk.domain.errors import ConflictError, DatabaseError
from protocol_desk.domain.models import Meeting
from protocol_desk.domain.safety import CHECKING, COPYING, Progress
from protocol_desk.services.exchange import export_data
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.safety import SafetyService, open_for_editing, open_read_only
from protocol_desk.store import Store, versions
from protocol_desk.store import backup as backups
from protocol_desk.store.backup import create_backup, list_backups
from protocol_desk.store.lock import acquire
from protocol_desk.store.schema import migrations
from protocol_desk.ui import main_window, safety_dialogs, safety_jobs
from protocol_desk.ui.main_window import MainWindow
from protocol_desk.ui.opening import OPEN_READ_ONLY, QUIT, RESTORE, open_database_interactively
from protocol_desk.ui.safety_dialogs import (
    ConflictChoice,
    ConflictDialog,
    HistoryDialog,
    RestoreDialog,
    RestoreProgressDialog,
    resolve_meeting_conflict,
)

pytestmark = pytest.mark.gui


class Answers:
    """Stands in for the message boxes: records each question, gives scripted answers."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str, list[str]]] = []

    def __call__(
        self, kind: str, title: str, text: str, details: str, choices: Sequence[str]
    ) -> str | None:
        self.asked.append((kind, f"{text} {details}", list(choices)))
        return self.answers.pop(0) if self.answers else None


def test_restore_dialog_lists_backups_and_restores_after_confirmation(
    qtbot: Any, qtmodeltester: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_for_editing(demo_file).store  # makes the automatic backup
    safety = SafetyService(store)
    before = export_data(store)
    MeetingService(store).save(Meeting(date=date(2025, 5, 5), subject="Made after the backup"))
    dialog = RestoreDialog(safety)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1
    made = list_backups(demo_file)[0]
    assert dialog.model.index(0, 0).data() == made.when
    assert dialog.model.index(0, 1).data() == "Automatic, at start"
    assert dialog.restore_button.isEnabled()

    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, backup: False)
    dialog.restore_selected()
    assert dialog.restored is None and export_data(store) != before

    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, backup: True)
    dialog.restore_selected()
    assert dialog.restored == made and dialog.kept_at is not None
    assert export_data(store) == before
    store.close()


def _run_beside(qtbot: Any, dialog: RestoreProgressDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()  # as exec shows it: the work starts
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    dialog.job.wait()


def test_restore_progress_shows_each_stage_and_how_far(qtbot: Any) -> None:
    go_on = threading.Event()
    seen: list[tuple[str, int, int]] = []

    def work(report: Progress, cancelled: threading.Event) -> str:
        report(COPYING, 0, 40)
        report(COPYING, 30, 40)
        go_on.wait(5)
        report(CHECKING, 0, 0)
        go_on.clear()
        go_on.wait(5)
        return "the copy"

    dialog = RestoreProgressDialog(work)
    qtbot.addWidget(dialog)
    assert not dialog.job.cancelled.is_set() and dialog.stage.text() == "Starting…"
    dialog.show()
    qtbot.waitUntil(lambda: dialog.bar.value() == 30, timeout=5000)
    seen.append((dialog.stage.text(), dialog.bar.value(), dialog.bar.maximum()))
    go_on.set()
    qtbot.waitUntil(lambda: dialog.bar.maximum() == 0, timeout=5000)
    seen.append((dialog.stage.text(), dialog.bar.value(), dialog.bar.maximum()))
    go_on.set()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert seen == [
        ("Step 1 of 2: copying the backup…", 30, 40),
        ("Step 2 of 2: checking the copy, every page of it…", -1, 0),  # a busy bar
    ]
    assert dialog.completed and dialog.outcome == "the copy" and dialog.error is None
    assert dialog.result() == 1


def test_restore_progress_cancel_waits_for_the_work_to_stop(qtbot: Any) -> None:
    from protocol_desk.domain.safety import RestoreCancelled

    stopped: list[bool] = []

    def work(report: Progress, cancelled: threading.Event) -> str:
        report(COPYING, 1, 100)
        cancelled.wait(5)
        stopped.append(cancelled.is_set())
        raise RestoreCancelled()

    dialog = RestoreProgressDialog(work)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.bar.value() == 1, timeout=5000)
    dialog.close()  # the close button cancels too: the dialog stays till the work stops
    assert dialog.job.cancelled.is_set() and dialog.isVisible()
    assert dialog.stage.text() == "Stopping…" and not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert stopped == [True]
    assert not dialog.completed and dialog.error is None and dialog.result() == 0


def test_escape_on_restore_progress_cancels_and_waits(qtbot: Any) -> None:
    from protocol_desk.domain.safety import RestoreCancelled

    go_on = threading.Event()

    def work(report: Progress, cancelled: threading.Event) -> str:
        report(COPYING, 1, 100)
        go_on.wait(5)  # the work does not stop until let go: the dialog must wait for it
        raise RestoreCancelled()

    dialog = RestoreProgressDialog(work)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.bar.value() == 1, timeout=5000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert dialog.job.cancelled.is_set()
    assert dialog.isVisible() and dialog.stage.text() == "Stopping…"
    go_on.set()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert not dialog.completed and dialog.error is None


def test_restore_progress_undoes_work_whose_cancel_came_as_it_ended(qtbot: Any) -> None:
    undone: list[object] = []

    def work(report: Progress, cancelled: threading.Event) -> str:
        report(CHECKING, 0, 0)
        cancelled.wait(5)
        return "a finished copy"  # the check ended just as Cancel was pressed

    dialog = RestoreProgressDialog(work, undo=undone.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.stage.text().startswith("Step 2"), timeout=5000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    # During the check, why stopping may take a while.
    assert dialog.stage.text() == "Stopping… the check first finishes reading the file's structure."
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert undone == ["a finished copy"]
    assert not dialog.completed and dialog.outcome is None and dialog.error is None


def test_restore_progress_reports_a_failure(qtbot: Any) -> None:
    def work(report: Progress, cancelled: threading.Event) -> str:
        raise DatabaseError("The backup x.sqlite is damaged or not a Protocol Desk database.")

    dialog = RestoreProgressDialog(work)
    _run_beside(qtbot, dialog)
    assert isinstance(dialog.error, DatabaseError) and "damaged" in dialog.error.message
    assert not dialog.completed


def test_restore_dialog_cancelled_mid_copy_keeps_the_database(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_for_editing(demo_file).store
    MeetingService(store).save(Meeting(date=date(2025, 5, 6), subject="Kept: Қазақстан"))
    current = export_data(store)
    dialog = RestoreDialog(SafetyService(store))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, backup: True)

    monkeypatch.setattr(backups, "COPY_SLICE_PAGES", 1)  # the demo file in many slices
    monkeypatch.setattr(backups, "COPY_SLICES", 10_000)
    outcomes: list[str] = []
    real_prepare = SafetyService.prepare_restore

    def prepare(self: SafetyService, *args: Any) -> Path:
        try:
            prepared = real_prepare(self, *args)
        except Exception as error:
            outcomes.append(type(error).__name__)
            raise
        outcomes.append("copied")
        return prepared

    monkeypatch.setattr(SafetyService, "prepare_restore", prepare)
    real_progress = safety_jobs.RestoreJob._progress

    stages: set[str] = set()

    def slow_progress(job: safety_jobs.RestoreJob, stage: str, *told: Any) -> None:
        time.sleep(0.005)  # a slice takes a while, as in a big office: time to press Cancel
        stages.add(stage)
        real_progress(job, stage, *told)

    monkeypatch.setattr(safety_jobs.RestoreJob, "_progress", slow_progress)

    def exec_(progress: RestoreProgressDialog) -> int:
        progress.show()
        qtbot.waitUntil(lambda: 0 < progress.bar.value() < progress.bar.maximum(), timeout=5000)
        progress.cancel_button.click()  # mid-copy
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)
        return progress.result()

    monkeypatch.setattr(RestoreProgressDialog, "exec", exec_)
    dialog.restore_selected()
    assert outcomes == ["RestoreCancelled"]  # the copy itself stopped, not thrown away after
    assert stages == {COPYING}  # never got as far as the check
    assert dialog.restored is None and dialog.kept_at is None
    assert export_data(store) == current
    assert not [p for p in demo_file.parent.iterdir() if ".restoring" in p.name]
    assert not [p for p in demo_file.parent.iterdir() if ".replaced-" in p.name]
    store.close()


def test_restore_dialog_without_backups_says_how_to_make_one(qtbot: Any, db_path: Path) -> None:
    store = Store.open(db_path)
    dialog = RestoreDialog(SafetyService(store))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert not dialog.restore_button.isEnabled()
    intro = dialog.findChild(safety_dialogs.QLabel, "restoreIntro")
    assert intro is not None and "Back up now" in intro.text()
    store.close()


def test_history_dialog_shows_each_change_in_full(
    qtbot: Any, qtmodeltester: Any, store: Store
) -> None:
    service = MeetingService(store)
    meeting = service.save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    meeting.summary = "Line one\nLine two <b>&</b> Қазақстан"
    service.save(meeting)
    assert meeting.id is not None
    lines = SafetyService(store).meeting_history(meeting.id)
    dialog = HistoryDialog("Talks", lines)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == len(lines) == 2
    assert dialog.model.index(0, 3).data() == "Changed"
    assert dialog.model.index(0, 4).data() == "Summary"
    assert dialog.model.index(0, 6).data() == "Line one …"  # the first line in the table
    assert "Line two <b>&</b> Қазақстан" in dialog.detail.toPlainText()  # all of it below
    dialog.table.selectRow(1)
    assert "Created meeting" in dialog.detail.toPlainText()


def _conflicting_copies(db_path: Path) -> tuple[Store, Store, Meeting]:
    mine, theirs = Store.open(db_path), Store.open(db_path)
    saved = MeetingService(mine).save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    assert saved.id is not None
    copy = theirs.meetings.get(saved.id)
    copy.summary = "Their summary"
    MeetingService(theirs).save(copy)
    saved.summary = "My summary"
    with pytest.raises(ConflictError):
        MeetingService(mine).save(saved)
    return mine, theirs, saved


@pytest.mark.parametrize("choice", list(ConflictChoice))
def test_conflict_dialog_lets_the_officer_choose(
    qtbot: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch, choice: ConflictChoice
) -> None:
    mine, theirs, yours = _conflicting_copies(db_path)
    shown: list[ConflictDialog] = []

    def exec_(dialog: ConflictDialog) -> int:
        qtbot.addWidget(dialog)
        shown.append(dialog)
        dialog.choice = choice
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    result = resolve_meeting_conflict(None, mine, yours)
    model = shown[0].model
    assert [model.index(0, c).data() for c in range(4)] == [
        "Meeting",
        "Summary",
        "My summary",
        "Their summary",
    ]
    assert yours.id is not None
    in_file = theirs.meetings.get(yours.id).summary
    if choice is ConflictChoice.MINE:
        assert result is not None and in_file == "My summary"
    elif choice is ConflictChoice.THEIRS:
        assert result is not None and result.summary == in_file == "Their summary"
    else:
        assert result is None and in_file == "Their summary"
    mine.close()
    theirs.close()


def test_conflict_dialog_buttons(qtbot: Any, db_path: Path) -> None:
    mine, theirs, yours = _conflicting_copies(db_path)
    dialog = ConflictDialog(SafetyService(mine).meeting_conflict(yours))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.theirs_button.click()
    assert dialog.choice is ConflictChoice.THEIRS and dialog.result() == 1
    mine.close()
    theirs.close()


def test_in_use_at_start_offers_read_only(demo_file: Path) -> None:
    holder = acquire(demo_file, user="aigerim")
    try:
        answers = Answers(OPEN_READ_ONLY)
        store = open_database_interactively(demo_file, answers)
        assert store is not None and store.readonly
        kind, text, choices = answers.asked[0]
        assert kind == "inUse" and "in use by aigerim on" in text
        assert choices == [OPEN_READ_ONLY, QUIT]
        store.close()
        assert open_database_interactively(demo_file, Answers(QUIT)) is None
    finally:
        holder.release()


def test_damaged_at_start_offers_the_newest_backup(qtbot: Any, demo_file: Path) -> None:
    store = Store.open(demo_file)
    expected = export_data(store)
    made = create_backup(store.db.conn, demo_file)
    store.close()
    damaged = demo_file.read_bytes()[:10_000]
    demo_file.write_bytes(damaged)
    answers = Answers(RESTORE)
    opened = open_database_interactively(demo_file, answers)
    assert opened is not None and not opened.readonly
    kind, text, choices = answers.asked[0]
    assert kind == "damaged" and made.when in text and RESTORE in choices
    assert export_data(opened) == expected
    opened.close()
    kept = [p for p in demo_file.parent.iterdir() if ".damaged-" in p.name]
    assert [p.read_bytes() for p in kept] == [damaged]


def test_a_restore_cancelled_at_start_asks_again_and_creates_nothing(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_file)
    create_backup(store.db.conn, demo_file)
    store.close()
    demo_file.write_bytes(demo_file.read_bytes()[:10_000])

    def cancelled_exec(progress: RestoreProgressDialog) -> int:
        progress.job.cancelled.set()
        progress.show()
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)
        return progress.result()

    monkeypatch.setattr(RestoreProgressDialog, "exec", cancelled_exec)
    answers = Answers(RESTORE, QUIT)
    assert open_database_interactively(demo_file, answers) is None
    assert [kind for kind, _, _ in answers.asked] == ["damaged", "damaged"]
    assert answers.asked[0] == answers.asked[1]  # the same choices, the backup still offered
    # The damaged file stays aside; no empty database took its place.
    assert not demo_file.exists()
    assert list(demo_file.parent.glob(f"{demo_file.name}.damaged-*"))
    assert not [p for p in demo_file.parent.iterdir() if p.name.endswith(".restoring")]


def test_foreign_file_at_start_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    path.write_bytes(b"%PDF-1.7 not a database")
    answers = Answers()
    assert open_database_interactively(path, answers) is None
    assert answers.asked[0][0] == "foreign" and answers.asked[0][2] == [QUIT]
    assert path.read_bytes() == b"%PDF-1.7 not a database"


def test_cloud_folder_warning_is_shown_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox" / "office"
    folder.mkdir(parents=True)
    answers = Answers()
    store = open_database_interactively(folder / "office.sqlite", answers)
    assert store is not None
    assert answers.asked[0][0] == "warning" and "cloud-sync" in answers.asked[0][1]
    store.close()


def _window(qtbot: Any, store: Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.show_area("meetings")
    return window


def test_read_only_window_offers_nothing_that_writes(qtbot: Any, demo_file: Path) -> None:
    store = open_read_only(demo_file).store
    window = _window(qtbot, store)
    assert "(read-only)" in window.windowTitle()
    window.meetings_view.table.selectRow(0)
    assert window.meetings_view.selected_id() is not None
    assert not window.new_meeting_action.isEnabled()
    assert not window.edit_meeting_action.isEnabled()
    assert not window.delete_meeting_action.isEnabled()
    assert not window.import_action.isEnabled()
    assert not window.restore_backup_action.isEnabled()
    assert window.history_action.isEnabled()
    assert window.backup_action.isEnabled()
    # Nor do the other areas: their buttons that change records are not shown.
    from protocol_desk.ui.main_window import WRITING_BUTTONS

    seen = set()
    for key in ("people", "delegations", "anniversaries", "actions"):
        window.show_area(key)
        for button in window.area(key).findChildren(QAbstractButton):
            if button.objectName() in WRITING_BUTTONS:
                seen.add(button.objectName())
                assert not button.isVisible(), button.objectName()
    assert {"newPerson", "mergePerson", "newDelegation", "newAnniversary", "markDone"} <= seen
    # The visits' bin offers no Restore either.
    visits = window.area("delegations")
    visits.show_bin.setChecked(True)  # type: ignore[attr-defined]
    assert not visits.restore_button.isVisible()  # type: ignore[attr-defined]
    window.close()  # its jobs and timers stop before the connection closes
    store.close()


def test_file_menu_backs_up_and_restores(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_for_editing(demo_file, automatic_backup=False).store
    window = _window(qtbot, store)
    # The daily backup is due (there is none): it runs in the background once the window is up.
    assert window.automatic_backup is None and window.safety_timer.isActive()
    qtbot.waitUntil(lambda: window.automatic_backup is not None, timeout=10_000)
    qtbot.waitUntil(
        lambda: "Daily backup made" in window.statusBar().currentMessage(), timeout=30_000
    )
    assert [b.reason for b in list_backups(demo_file)] == ["automatic"]
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    texts = [a.text() for a in file_menu.actions()]
    assert "Back up now" in texts and "Restore from backup…" in texts
    assert window.lock_heartbeat is not None and window.lock_heartbeat.isActive()

    # Asked for, it is made beside the window too: the action is off until it is done.
    window.backup_action.trigger()
    assert not window.backup_action.isEnabled()
    assert "Backing up" in window.statusBar().currentMessage()
    qtbot.waitUntil(window.backup_action.isEnabled, timeout=30_000)
    made = list_backups(demo_file)[0]
    assert made.reason == "manual" and len(list_backups(demo_file)) == 2
    assert str(made.path) in window.statusBar().currentMessage()

    before = export_data(store)
    MeetingService(store).save(Meeting(date=date(2025, 6, 1), subject="Undone by the restore"))

    def exec_(dialog: RestoreDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.restore_selected()
        return 1

    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, backup: True)
    monkeypatch.setattr(RestoreDialog, "exec", exec_)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    window.restore_backup_action.trigger()
    assert told and "back as it was on" in told[0] and "kept as" in told[0]
    successor = window._successor  # type: ignore[attr-defined]
    qtbot.addWidget(successor)
    assert successor.isVisible() and not window.isVisible()
    assert export_data(store) == before
    assert successor.meetings_view.model.rowCount() == 6
    store.close()


def test_no_background_backup_when_one_is_recent(qtbot: Any, demo_file: Path) -> None:
    store = open_for_editing(demo_file).store  # the start-up backup, made in line
    window = _window(qtbot, store)
    qtbot.waitUntil(lambda: not window.safety_timer.isActive(), timeout=10_000)
    assert window.health_check is not None  # the safety jobs did start
    assert window.automatic_backup is None
    assert len(list_backups(demo_file)) == 1
    store.close()


def test_a_backup_finished_after_the_window_closed_is_kept_quietly(
    demo_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The window (and the job's signals with it) may be gone when a big file's daily backup
    ends: the backup is kept and logged, and nothing is raised in the pool thread."""
    from shiboken6 import Shiboken

    job = safety_jobs.BackupJob(demo_file, "automatic")
    Shiboken.delete(job.signals)  # as when the window that held the job is destroyed
    caplog.set_level("INFO", logger="protocol_desk")
    job.run()
    assert [b.reason for b in list_backups(demo_file)] == ["automatic"]
    assert "automatic backup" in caplog.text

    check = safety_jobs.HealthCheckJob(demo_file)
    Shiboken.delete(check.signals)
    check.run()  # the check's answer has nobody to go to either


def test_a_backup_that_fails_is_said_and_the_action_comes_back(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_file)
    window = _window(qtbot, store)

    def fails(path: Path, reason: str) -> None:
        raise DatabaseError("The disk is full.")

    monkeypatch.setattr(safety_jobs, "make_backup", fails)
    shown: list[str] = []
    monkeypatch.setattr(
        safety_dialogs, "show_error", lambda parent, error, title: shown.append(error.message)
    )
    window.backup_action.trigger()
    qtbot.waitUntil(window.backup_action.isEnabled, timeout=10_000)
    assert shown == ["The disk is full."]
    assert window.statusBar().currentMessage() == ""
    assert list_backups(demo_file) == []
    store.close()


def test_two_backups_at_once_take_turns(demo_file: Path) -> None:
    """The daily backup and one asked for may overlap: each tidies leftovers first, so they
    must not run together or one would remove the other's unfinished copy."""
    import threading

    store = Store.open(demo_file)
    running = 0
    most = 0
    guard = threading.Lock()
    real = safety_jobs.make_backup

    def counted(path: Path, reason: str) -> object:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        try:
            return real(path, reason)
        finally:
            with guard:
                running -= 1

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(safety_jobs, "make_backup", counted)
        jobs = [safety_jobs.BackupJob(demo_file, r) for r in ("automatic", "manual", "manual")]
        threads = [threading.Thread(target=job.run) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert most == 1
    assert sorted(b.reason for b in list_backups(demo_file)) == ["automatic", "manual", "manual"]
    store.close()


def test_history_action_opens_the_selected_meetings_history(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_file)
    window = _window(qtbot, store)
    window.meetings_view.table.selectRow(0)
    shown: list[HistoryDialog] = []

    def exec_(dialog: HistoryDialog) -> int:
        qtbot.addWidget(dialog)
        shown.append(dialog)
        return 0

    monkeypatch.setattr(HistoryDialog, "exec", exec_)
    window.history_action.trigger()
    assert shown and shown[0].model.rowCount() >= 1
    assert shown[0].windowTitle().startswith("History — ")
    store.close()


def _scribble_over_change_log(path: Path) -> bytes:
    """Damage a page that opening and the first views never read (the change log's root), the
    way a failing disk would: SQLite only notices when it reads that page, or checks."""
    store = Store.open(path)
    root = store.db.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'change_log'"
    ).fetchone()[0]
    page_size = store.db.execute("PRAGMA page_size").fetchone()[0]
    store.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    return bytes(data)


def test_damage_found_after_opening_stops_editing_and_offers_the_backup(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_file)
    made = create_backup(store.db.conn, demo_file)
    store.close()
    damaged = _scribble_over_change_log(demo_file)
    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(f"{box.text()} {box.informativeText()}")
        shown.extend(b.text() for b in box.buttons())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    # The quick check runs once the window is up: it opens at once, then stops writing.
    store = open_for_editing(demo_file, automatic_backup=False).store
    assert not store.readonly and not store.checked
    window = _window(qtbot, store)
    assert window.meetings_view.model.rowCount() == 6
    qtbot.waitUntil(lambda: store.readonly, timeout=30_000)
    assert "damaged" in shown[0] and made.when in shown[0]
    assert "Restore the backup…" in shown and "Keep looking, read-only" in shown
    assert "damaged" in window.windowTitle()
    assert not window.new_meeting_action.isEnabled() and not window.import_action.isEnabled()
    assert window.restore_backup_action.isEnabled()
    window.show_area("people")
    assert not window.area("people").findChild(QAbstractButton, "newPerson").isVisible()
    with pytest.raises(Exception, match="readonly"):
        store.db.execute("DELETE FROM setting")
    # Every area writes through a transaction, which says so in words.
    with pytest.raises(DatabaseError, match="open read-only: nothing can be changed"):
        MeetingService(store).save(Meeting(date=date(2025, 6, 1), subject="Not written"))
    store.close()
    # Nothing was written to the damaged file or moved: it is for the restore to keep aside.
    assert demo_file.read_bytes() == damaged
    # Restoring is the way out, though the window is read-only.
    store = open_for_editing(demo_file, automatic_backup=False).store
    safety_dialogs.stop_writing(store)
    # A restore that fails leaves the damaged file open as it was: read-only, not checked.
    failing = demo_file.with_name("not-a-backup.sqlite")
    failing.write_bytes(b"not a database")
    with pytest.raises(DatabaseError):
        SafetyService(store).restore(dataclasses.replace(made, path=failing))
    assert store.readonly and not store.checked
    with pytest.raises(DatabaseError, match="open read-only"):
        MeetingService(store).save(Meeting(date=date(2025, 6, 1), subject="Not written"))
    kept = SafetyService(store).restore(made)
    assert kept is not None and kept.read_bytes() == damaged
    assert not store.readonly and store.checked
    store.close()


def test_a_sound_file_is_checked_quietly_after_opening(qtbot: Any, demo_file: Path) -> None:
    store = open_for_editing(demo_file, automatic_backup=False).store
    window = _window(qtbot, store)
    assert window.health_check is None  # not while the window is being put up
    qtbot.waitUntil(lambda: window.health_check is not None, timeout=10_000)
    qtbot.waitUntil(lambda: store.checked, timeout=30_000)
    assert not store.readonly and "read-only" not in window.windowTitle()
    store.close()


def test_a_window_closed_at_once_starts_no_safety_job(qtbot: Any, demo_file: Path) -> None:
    store = open_for_editing(demo_file, automatic_backup=False).store
    window = _window(qtbot, store)
    window.close()
    qtbot.wait(main_window.SAFETY_JOBS_DELAY_MS + 300)
    assert window.health_check is None and window.automatic_backup is None
    assert list_backups(demo_file) == [] and not store.checked
    store.close()


def test_an_update_of_the_files_format_is_said_while_it_runs(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[bool, str, bool]] = []

    def update(db: object) -> None:
        # What the officer sees while the update runs.
        notices = [w for w in QApplication.topLevelWidgets() if w.objectName() == "updateNotice"]
        assert len(notices) == 1 and isinstance(notices[0], QLabel)
        cursor = QApplication.overrideCursor()
        waiting = cursor is not None and cursor.shape() == Qt.CursorShape.WaitCursor
        seen.append((notices[0].isVisible(), notices[0].text(), waiting))

    extra = Migrations._Migration("9999_test_update", update)
    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, extra])
    monkeypatch.setattr(versions, "MIGRATIONS", (*versions.MIGRATIONS, extra.name))
    store = open_database_interactively(demo_file, Answers())
    assert store is not None
    try:
        [(visible, text, waiting)] = seen
        assert visible and waiting
        assert demo_file.name in text and "backup" in text and "the window opens" in text
        # Gone once the file is open, and the cursor is back.
        assert not [
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "updateNotice" and w.isVisible()
        ]
        assert QApplication.overrideCursor() is None
    finally:
        store.close()
    # An up-to-date file opens without it.
    seen.clear()
    store = open_database_interactively(demo_file, Answers())
    assert store is not None
    store.close()
    assert seen == []


def test_restoring_a_backup_of_an_earlier_format_says_so_while_it_is_updated(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_for_editing(demo_file).store.close()  # the daily backup, in this format
    seen: list[bool] = []

    def update(db: object) -> None:
        seen.append(
            any(
                w.objectName() == "updateNotice"
                and w.isVisible()
                and isinstance(w, QLabel)
                and "the restored database is shown" in w.text()
                for w in QApplication.topLevelWidgets()
            )
        )

    extra = Migrations._Migration("9999_test_update", update)
    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, extra])
    monkeypatch.setattr(versions, "MIGRATIONS", (*versions.MIGRATIONS, extra.name))
    store = open_for_editing(demo_file, automatic_backup=False).store  # the newer version
    try:
        assert seen == [False]  # opened without a window to tell (the start has its own)
        dialog = RestoreDialog(SafetyService(store))
        qtbot.addWidget(dialog)
        monkeypatch.setattr(RestoreDialog, "confirm", lambda self, backup: True)
        dialog.restore_selected()
        assert dialog.restored is not None
        # The backup was brought to this version's format, with the notice up meanwhile.
        assert seen == [False, True]
        assert versions.pending(store.db.conn) == []
        assert QApplication.overrideCursor() is None
        assert not [
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "updateNotice" and w.isVisible()
        ]
    finally:
        store.close()


def test_a_health_check_of_a_file_since_replaced_by_a_restore_is_not_reported(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from protocol_desk.domain.safety import DamagedDatabaseError

    store = open_for_editing(demo_file).store
    made = safety_jobs.make_backup(demo_file, "manual")
    reported: list[str] = []

    def report(problem: DamagedDatabaseError) -> None:
        reported.append(problem.message)

    window = QMainWindow()
    qtbot.addWidget(window)
    problem = DamagedDatabaseError("The file is damaged.", demo_file)

    store.checked = False
    job = safety_jobs.start_health_check(window, store, report)
    assert job is not None
    qtbot.waitUntil(lambda: store.checked, timeout=10_000)  # the real check: sound
    job.signals.done.emit(problem)  # a finding about the open file is reported
    assert reported == ["The file is damaged."]

    store.checked = False
    job = safety_jobs.start_health_check(window, store, report)
    assert job is not None
    job.cancelled.set()  # its own finding never comes; this one stands in for it
    SafetyService(store).restore(made)
    job.signals.done.emit(problem)  # ...about the file the restore replaced
    assert reported == ["The file is damaged."] and not store.readonly
    store.close()


def test_the_window_warns_when_the_change_log_was_altered(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    conn = sqlite3.connect(demo_file)
    conn.execute("DROP TRIGGER change_log_no_update")
    conn.execute("UPDATE change_log SET new_value = 'forged' WHERE id = 12")
    conn.commit()
    conn.close()
    warned: list[str] = []
    monkeypatch.setattr(
        safety_jobs.QMessageBox, "warning", lambda parent, title, text: warned.append(text)
    )
    store = open_for_editing(demo_file, automatic_backup=False).store
    _window(qtbot, store)
    qtbot.waitUntil(lambda: bool(warned), timeout=30_000)
    assert warned[0].startswith(
        "The change log was altered outside Protocol Desk: entry #12 was changed"
    )
    assert not store.readonly  # the records themselves are sound: editing goes on
    store.close()


def test_in_use_says_who_and_since_when_in_the_windows_language(demo_file: Path) -> None:
    from protocol_desk import i18n
    from protocol_desk.domain.language import Language

    holder = acquire(demo_file, user="aigerim")
    i18n.install(Language.RUSSIAN)
    try:
        answers = Answers(QUIT)
        assert open_database_interactively(demo_file, answers) is None
        kind, text, _choices = answers.asked[0]
        assert kind == "inUse" and "используется пользователем aigerim на компьютере" in text
        assert " г., " in text and "in use" not in text
    finally:
        i18n.install(Language.ENGLISH)
        holder.release()
