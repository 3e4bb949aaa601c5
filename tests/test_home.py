"""The Today page: what the office sees first, from the service and in the window."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Delegation,
    DelegationDirection,
    DelegationStatus,
)
from protocol_desk.services.home import today_summary, visits_soon
from protocol_desk.store import Store
from protocol_desk.ui import home_view
from protocol_desk.ui.home_view import HomeView
from protocol_desk.ui.main_window import MainWindow


def _visit(
    store: Store, title: str, start: date, end: date | None, status: DelegationStatus
) -> None:
    with store.transaction():
        store.delegations.save(
            Delegation(title, DelegationDirection.INCOMING, start, end, status=status)
        )


def test_the_summary_as_of_8_june_2022(demo_store: Store) -> None:
    summary = today_summary(demo_store, date(2022, 6, 8), 28)
    assert summary.end == date(2022, 7, 5)
    assert [i.anniversary.title for i in summary.anniversaries] == ["Independence Day of Belarus"]
    assert summary.needing_attention == 1
    assert summary.visits == []
    assert summary.actions == [] and summary.actions_total == 0 and summary.overdue == 0


def test_actions_falling_due_and_overdue(demo_store: Store) -> None:
    summary = today_summary(demo_store, date(2022, 9, 1), 28)
    assert [a.due for a in summary.actions] == [date(2022, 9, 16)]
    assert summary.actions_total == 1 and summary.overdue == 0
    later = today_summary(demo_store, date(2022, 11, 1), 28)
    assert later.overdue == 1  # still open after the day: overdue, and listed
    assert [a.due for a in later.actions] == [date(2022, 9, 16)]
    action = demo_store.actions.get(later.actions[0].id)
    action.status = ActionStatus.DONE
    action.completed_on = date(2022, 9, 16)
    with demo_store.transaction():
        demo_store.actions.save(action)
    assert today_summary(demo_store, date(2022, 11, 1), 28).actions == []


def test_visits_about_to_start_or_under_way(store: Store) -> None:
    as_of = date(2022, 11, 1)
    _visit(store, "Under way", date(2022, 10, 30), date(2022, 11, 3), DelegationStatus.CONFIRMED)
    _visit(store, "Soon", date(2022, 11, 18), None, DelegationStatus.PLANNED)
    _visit(store, "Cancelled", date(2022, 11, 10), None, DelegationStatus.CANCELLED)
    _visit(store, "Too far", date(2023, 1, 10), None, DelegationStatus.PLANNED)
    _visit(store, "Over", date(2022, 10, 1), date(2022, 10, 5), DelegationStatus.DONE)
    found = visits_soon(store, as_of, 28)
    assert [(v.row.title, v.under_way) for v in found] == [("Under way", True), ("Soon", False)]
    assert found[1].starts_in(as_of) == 17


def test_the_page_in_the_window(qtbot: Any, qtmodeltester: Any, demo_store: Store) -> None:
    with demo_store.transaction():
        demo_store.actions.save(
            AgreedAction(text="Send the programme to Минск", due=date(2022, 6, 1))
        )
    opened: list[str] = []
    view = HomeView(demo_store, open_area=opened.append, today=lambda: date(2022, 6, 8))
    qtbot.addWidget(view)
    view.show()
    assert "Wednesday, 8 June 2022" in view.title.text()
    rows = view.anniversaries_section.model
    assert rows.rowCount() == 1
    assert rows.index(0, 2).data() == "Independence Day of Belarus"
    assert rows.index(0, 1).data() == "in 25 days"
    assert "1 needs attention" in view.anniversaries_section.heading.text()
    assert view.visits_section.empty.isVisibleTo(view)
    assert "No visit starts" in view.visits_section.empty.text()
    actions = view.actions_section.model
    assert actions.index(0, 2).data() == "Send the programme to Минск"
    assert actions.index(0, 1).data() == "overdue 7 days"
    assert "1 overdue" in view.actions_section.heading.text()
    for section in (view.anniversaries_section, view.visits_section, view.actions_section):
        qtmodeltester.check(section.model)

    view.weeks.setCurrentIndex(view.weeks.findData(8 * 7))
    assert rows.rowCount() == 2  # the Belgian national day on 21 July too
    view.as_of.setText("01.11.2022")
    view.as_of.editingFinished.emit()
    assert "As of: Tuesday, 1 November 2022" in view.title.text()
    assert view.visits_section.model.index(0, 2).data().startswith("TurkPA Observer Mission")
    view.as_of.setText("yesterday")
    view.as_of.editingFinished.emit()
    assert view.message.isVisibleTo(view)
    view.anniversaries_section.more.click()
    assert opened == ["anniversaries"]


def test_the_window_opens_on_today(qtbot: Any, demo_store: Store) -> None:
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window.stack.currentWidget(), HomeView)
    today = window.stack.currentWidget()
    assert isinstance(today, HomeView)
    today.anniversaries_section.more.click()
    assert window.stack.currentWidget() is window.area("anniversaries")


def _file_page(qtbot: Any, demo_file: Path, as_of: date) -> tuple[Store, HomeView]:
    store = Store.open(demo_file)
    view = HomeView(store, today=lambda: as_of)
    qtbot.addWidget(view)
    view.show()
    return store, view


def test_on_a_file_the_page_shows_at_once_and_its_lists_follow(qtbot: Any, demo_file: Path) -> None:
    store, view = _file_page(qtbot, demo_file, date(2022, 6, 8))
    try:
        # The window does not wait: the title is there, the lists are being read.
        assert "Wednesday, 8 June 2022" in view.title.text()
        assert view.summary is None
        assert "reading…" in view.anniversaries_section.heading.text()
        assert not view.anniversaries_section.table.isEnabled()
        assert view.anniversaries_section.more.isEnabled()  # the way on does not wait
        qtbot.waitUntil(lambda: view.summary is not None, timeout=5_000)
        assert view.anniversaries_section.table.isEnabled()
        rows = view.anniversaries_section.model
        assert [rows.index(r, 2).data() for r in range(rows.rowCount())] == [
            "Independence Day of Belarus"
        ]
        assert "1 needs attention" in view.anniversaries_section.heading.text()
    finally:
        view.shutdown()
        store.close()


def test_on_a_file_only_the_last_day_asked_for_is_shown(qtbot: Any, demo_file: Path) -> None:
    store, view = _file_page(qtbot, demo_file, date(2022, 6, 8))
    try:
        qtbot.waitUntil(lambda: view.summary is not None, timeout=5_000)
        for day in ("01.09.2022", "01.01.2023", "01.11.2022"):
            view.as_of.setText(day)
            view.as_of.editingFinished.emit()
        # The old lists stay, dimmed, until the new ones arrive.
        assert not view.actions_section.table.isEnabled()
        qtbot.waitUntil(lambda: view.actions_section.table.isEnabled(), timeout=5_000)
        qtbot.wait(200)  # anything stale would have arrived by now
        assert view.as_of_date == date(2022, 11, 1)
        assert view.summary is not None and view.summary.as_of == date(2022, 11, 1)
        assert "1 overdue" in view.actions_section.heading.text()
        assert view.visits_section.model.index(0, 2).data().startswith("TurkPA Observer")
    finally:
        view.shutdown()
        store.close()


def test_on_a_file_a_failed_read_is_said_in_words(
    qtbot: Any, demo_file: Path, monkeypatch: Any
) -> None:
    def fails(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(home_view, "today_summary", fails)
    store, view = _file_page(qtbot, demo_file, date(2022, 6, 8))
    try:
        qtbot.waitUntil(lambda: view.message.isVisibleTo(view), timeout=5_000)
        assert "could not be read: disk I/O error" in view.message.text()
        assert view.anniversaries_section.table.isEnabled()
    finally:
        view.shutdown()
        store.close()


def test_relations_known_by_the_year_alone_are_named_on_the_page(
    qtbot: Any, demo_store: Store
) -> None:
    from protocol_desk.domain.dates import Year
    from protocol_desk.services.organisations import CountryService

    belgium = next(c for c in demo_store.countries.all() if c.iso_code == "BE")
    belgium.relations_established = Year(1992)
    CountryService(demo_store).save(belgium)
    summary = today_summary(demo_store, date(2022, 6, 8))
    assert [(y.country, y.ordinal, y.year) for y in summary.by_year] == [("Belgium", 30, 2022)]
    view = HomeView(demo_store, today=lambda: date(2022, 6, 8))
    qtbot.addWidget(view)
    view.show()
    heading = view.anniversaries_section.heading.text()
    assert "Belgium: 30 years in 2022, the day not known" in heading
