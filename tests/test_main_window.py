"""The main window over the demo data, headless."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from protocol_desk.domain.listing import MeetingFilter
from protocol_desk.domain.models import Country
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store
from protocol_desk.ui.main_window import MainWindow
from protocol_desk.ui.meetings_model import IN_SOURCE, MeetingsModel


def _window(qtbot: Any, store: Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.show_area("meetings")
    return window


def _subjects(window: MainWindow) -> list[str]:
    model = window.meetings_view.model
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def test_window_lists_the_demo_meetings_newest_first(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    window.show_area("meetings")
    model = window.meetings_view.model
    assert model.rowCount() == 6
    dates = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert dates[0] == "06.02.2026" and dates[-1] == "06.06.2022"
    assert "2025" in dates  # the Brussels meeting: year only, as the release supports


def test_meetings_model_passes_the_model_tester(qtmodeltester: Any, demo_store: Store) -> None:
    model = MeetingsModel(MeetingService(demo_store))
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_the_meetings_list_reads_its_first_page_once_as_the_window_opens(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real_page = MeetingService.page

    def page(self: MeetingService, *args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("order_by", ""))
        return real_page(self, *args, **kwargs)

    monkeypatch.setattr(MeetingService, "page", page)
    window = _window(qtbot, demo_store)
    assert len(reads) == 1
    # Sorting by another column (or the other way) still reads again.
    window.meetings_view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert len(reads) == 2 and window.meetings_view.model.order == ("subject", False)


def test_lazy_model_fetches_in_pages(qtmodeltester: Any, store: Store) -> None:
    from datetime import date, timedelta

    from protocol_desk.domain.models import Meeting

    with store.transaction():
        for n in range(450):
            store.meetings.save(
                Meeting(date=date(2020, 1, 1) + timedelta(days=n), subject=f"M {n}")
            )
    model = MeetingsModel(MeetingService(store))
    assert model.rowCount() == MeetingsModel.PAGE_SIZE
    assert model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450
    ids = [model.meeting_id(r) for r in range(450)]
    assert len(set(ids)) == 450
    qtmodeltester.check(model)
    # The fetched rows are left alone by Python's garbage collector once it has seen them:
    # a list scrolled through a million meetings must not lengthen every full collection.
    import gc

    gc.collect()
    assert not any(gc.is_tracked(row) for row in model._rows)
    assert model.index(449, 0).data() == "01.01.2020"


def test_sorting_by_subject_uses_the_alphabet(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    window.meetings_view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    subjects = _subjects(window)
    assert subjects == sorted(subjects, key=str.casefold)


def test_the_count_of_a_filter_stops_at_a_limit_the_whole_list_is_exact(
    qtbot: Any, demo_store: Store, monkeypatch: Any
) -> None:
    from protocol_desk.services import meetings

    monkeypatch.setattr(meetings, "COUNT_LIMIT", 3)
    window = _window(qtbot, demo_store)
    view = window.meetings_view
    assert view.count_label.text() == "6 meetings"
    view.search.setText("Kazakhstan")
    qtbot.waitUntil(lambda: view.model.filter.text == "Kazakhstan", timeout=2000)
    assert view.model.rowCount() > 3
    assert view.count_label.text() == "3+ meetings"
    view.search.setText("Рачков")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=2000)
    assert view.count_label.text() == "1 meeting"


def test_search_as_you_type_filters_the_list(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    view = window.meetings_view
    view.search.setText("Сергеенко")
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=2000)
    # His talks by his name; the other two talks of that day by the release they share.
    assert [s for s in _subjects(window) if not s.endswith(IN_SOURCE)] == [
        "Meeting of Majilis Speaker Yerlan Koshanov with Igor Sergeyenko, Chairman of the "
        "House of Representatives"
    ]
    view.search.setText('" AND -*')
    qtbot.waitUntil(lambda: view.model.filter.text == '" AND -*', timeout=2000)
    view.search.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 6, timeout=2000)


def test_filters_by_country_and_person(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    view = window.meetings_view
    view.country.setCurrentIndex(view.country.findText("Belgium"))
    assert _subjects(window) == [
        "Ambassador Roman Vassilenko met with Peter De Roover, President of the Chamber of "
        "Representatives of Belgium"
    ]
    view.reset_filters()
    view.person.setText("Ерлан Қошанов")  # any spelling that fits one person
    view.apply_filter()
    assert len(_subjects(window)) == 3
    view.person.setText("Sergey")  # Sergey Rachkov and Igor Sergeyenko
    view.apply_filter()
    assert "pick one" in view.filter_message.text()
    view.person.clear()
    view.date_from.setText("31.02.2026")
    view.apply_filter()
    assert "does not exist" in view.filter_message.text()


def test_a_month_or_a_year_in_the_date_filter_stands_for_all_its_days(
    qtbot: Any, demo_store: Store
) -> None:
    window = _window(qtbot, demo_store)
    view = window.meetings_view

    def dates(first: str, last: str) -> list[str]:
        view.date_from.setText(first)
        view.date_to.setText(last)
        view.apply_filter()
        assert view.filter_message.text() == ""
        return [view.model.index(r, 0).data() for r in range(view.model.rowCount())]

    assert dates("2022", "2022") == ["18.11.2022", "06.06.2022"]
    assert dates("", "June 2022") == ["06.06.2022"]  # to the end of June
    assert dates("07.06.2022", "11.2022") == ["18.11.2022"]
    assert dates("2025", "") == ["06.02.2026"] * 3 + ["2025"]  # from its first day
    assert dates("02.2026", "02.2026") == ["06.02.2026"] * 3
    view.date_from.setText("2023")
    view.date_to.setText("2022")
    view.apply_filter()
    assert "before" in view.filter_message.text()


def test_detail_pane_shows_participants_titles_sources_and_actions(
    qtbot: Any, demo_store: Store
) -> None:
    window = _window(qtbot, demo_store)
    view = window.meetings_view
    [row] = demo_store.meetings.page(MeetingFilter(text="Rachkov")).rows
    assert view.select(row.id)
    text = view.detail.toPlainText()
    assert "Sergey Rachkov" in text
    assert "Chairman of the Standing Commission on International Affairs" in text
    assert "Senate Press Service" in text and "Council of the Republic" in text
    assert "Interparliamentary Commission" in text and "16.09.2022" in text


def test_every_area_opens(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.stack.currentIndex() == row
        assert window.stack.currentWidget().isVisible()
        assert not window.stack.currentWidget().objectName().endswith("Placeholder")


def test_areas_are_built_when_first_shown_and_kept(qtbot: Any, demo_store: Store) -> None:
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()
    assert set(window.areas) == {"today"}
    assert window.stack.count() == window.nav.count()
    window.show_area("actions")
    actions = window.stack.currentWidget()
    assert window.areas["actions"] is actions and actions.isVisible()
    window.show_area("today")
    window.show_area("actions")
    assert window.stack.currentWidget() is actions
    assert set(window.areas) == {"today", "actions"}
    assert window.stack.count() == window.nav.count()
    # Every area that edits records keeps the meetings list current (an anniversary's date
    # moves the due date of its actions shown with their meetings).
    for key in ("actions", "anniversaries", "people", "delegations"):
        before = window.meetings_view.model.generation
        window.area(key).data_changed.emit()  # type: ignore[attr-defined]
        assert window.meetings_view.model.generation > before, key


def test_empty_database_says_what_to_do(qtbot: Any, store: Store) -> None:
    window = _window(qtbot, store)
    assert "Ctrl+N" in window.meetings_view.count_label.text()


def test_a_deleted_meeting_waits_in_the_bin_and_comes_back(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    view = window.meetings_view
    [row] = demo_store.meetings.page(MeetingFilter(text="TurkPA")).rows
    MeetingService(demo_store).delete(row.id)
    view.reload()
    assert view.model.rowCount() == 5
    assert not window.restore_meeting_action.isEnabled()
    view.show_bin.setChecked(True)
    assert [view.model.meeting_id(r) for r in range(view.model.rowCount())] == [row.id]
    assert "in the bin" in view.count_label.text()
    assert view.select(row.id)
    assert window.restore_meeting_action.isEnabled()
    assert not window.delete_meeting_action.isEnabled()
    assert "in the bin" in view.detail.toPlainText()
    window.restore_meeting_action.trigger()
    assert not view.showing_bin()
    assert view.model.rowCount() == 6
    assert view.selected_id() == row.id
    restored = demo_store.meetings.get(row.id)
    assert len(restored.sources) == 1 and restored.participants  # nothing was taken with it


def test_person_filter_suggests_as_you_type(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    view = window.meetings_view
    view.person.setFocus()
    qtbot.keyClicks(view.person, "koshan")
    assert [m.full_name for m in view.person.matches()] == ["Yerlan Koshanov"]
    view.person.choose_match(0)  # picked from the suggestions: the filter follows at once
    assert len(_subjects(window)) == 3
    assert view.model.filter.person_id == view.person.person_id() is not None


def test_window_opens_with_thousands_of_people(qtbot: Any, store: Store) -> None:
    from protocol_desk.domain.models import Person

    with store.transaction():
        for n in range(4000):
            store.people.save(Person(full_name=f"Әлібек Person {n:04d}"))
    window = _window(qtbot, store)
    window.meetings_view.person.setText("Әлібек Person 3999")
    window.meetings_view.apply_filter()
    assert window.meetings_view.filter_message.text() == ""


def test_a_file_database_is_read_beside_the_window(qtbot: Any, tmp_path: Any) -> None:
    """On a file, a typed filter's first page and the count run in threads of their own on
    their own connections: they follow the filter, see what the window saved, and the window
    never waits for them."""
    from datetime import date

    from protocol_desk.domain.models import Meeting
    from protocol_desk.services.demo import load_demo
    from protocol_desk.services.meetings import BackgroundReader

    store = Store.open(tmp_path / "office.sqlite")
    load_demo(store)
    window = _window(qtbot, store)
    view = window.meetings_view
    assert view._paging is not None and view._counting is not None
    qtbot.waitUntil(lambda: view.count_label.text() == "6 meetings", timeout=5000)
    # Typed quickly: the first word's read is overtaken, only the last one is shown.
    view.search.setText("Belarus")
    view.apply_filter()
    view.search.setText("Рачков")
    view.apply_filter()
    qtbot.waitUntil(lambda: view.count_label.text() == "1 meeting", timeout=5000)
    assert view.count_label.isEnabled()
    assert view.model.filter.text == "Рачков"
    assert "Rachkov" in _subjects(window)[0] and view.model.rowCount() == 1
    # A sort while a read is under way: the read is done again in the new order.
    view.search.setText("Belarus")
    view.apply_filter()
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: view.count_label.text() == "4 meetings", timeout=5000)
    assert view.model.order == ("subject", False)
    subjects = _subjects(window)
    assert len(subjects) == 4 and subjects == sorted(subjects, key=str.casefold)
    view.search.clear()
    MeetingService(store).save(Meeting(date=date(2025, 1, 9), subject="Saved by the window"))
    view.model.reload()
    qtbot.waitUntil(lambda: view.count_label.text() == "7 meetings", timeout=5000)

    counter = BackgroundReader(tmp_path / "office.sqlite")
    found = counter.call(lambda service: service.count_for_list(MeetingFilter(text="window")))
    assert found == (1, False)
    counter.close()
    window.close()
    store.close()


def test_a_stale_count_is_interrupted(tmp_path: Any, monkeypatch: Any) -> None:
    import threading

    from protocol_desk.services.meetings import BackgroundReader

    Store.open(tmp_path / "office.sqlite").close()
    counter = BackgroundReader(tmp_path / "office.sqlite")
    assert counter.call(lambda service: service.count_for_list(MeetingFilter())) == (0, False)
    assert counter._service is not None
    db = counter._service.store.db

    def slow_count(flt: MeetingFilter) -> tuple[int, bool]:
        # A count of some seconds, standing for a million matches; the cancel comes while it
        # runs (an interrupt with nothing running does nothing).
        threading.Timer(0.2, counter.cancel).start()
        row = db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
            " SELECT count(*) FROM (SELECT i FROM n LIMIT 100000000)"
        ).fetchone()
        return int(row[0]), False

    monkeypatch.setattr(counter._service, "count_for_list", slow_count)
    assert counter.call(lambda service: service.count_for_list(MeetingFilter(text="co"))) is None
    counter.close()


def _file_window(qtbot: Any, demo_file: Any) -> tuple[MainWindow, Store]:
    store = Store.open(demo_file)
    window = _window(qtbot, store)
    qtbot.waitUntil(lambda: window.meetings_view.count_label.text() == "6 meetings", timeout=5000)
    return window, store


def test_a_reload_while_a_page_is_read_takes_the_filter_asked_for(
    qtbot: Any, demo_file: Any
) -> None:
    """Saving (or restoring) while a typed filter is still being read: the list is read again
    with that filter at once, and the saved meeting stays selected."""
    window, store = _file_window(qtbot, demo_file)
    view = window.meetings_view
    wanted = MeetingService(store).search("Рачков")[0].id
    view.search.setText("Рачков")
    view.apply_filter()
    view.reload(select_id=wanted)
    assert view.model.filter.text == "Рачков" and view.selected_id() == wanted
    qtbot.wait(300)  # the page read in the background must not undo it
    assert view.model.filter.text == "Рачков" and view.selected_id() == wanted
    qtbot.waitUntil(lambda: view.count_label.text() == "1 meeting", timeout=5000)
    window.close()
    store.close()


def test_a_page_that_cannot_be_read_is_said_and_can_be_asked_again(
    qtbot: Any, demo_file: Any, monkeypatch: Any
) -> None:
    window, store = _file_window(qtbot, demo_file)
    view = window.meetings_view
    assert view._paging is not None

    def broken(work: Any) -> Any:
        raise OSError("disk I/O error")

    monkeypatch.setattr(view._paging.reader, "call", broken)
    view.search.setText("Belarus")
    view.apply_filter()
    qtbot.waitUntil(lambda: "could not be read" in view.filter_message.text(), timeout=5000)
    assert view.model.filter == MeetingFilter() and view.model.rowCount() == 6
    assert view.count_label.isEnabled()
    monkeypatch.undo()
    view.apply_filter()  # the same filter again: read this time
    qtbot.waitUntil(lambda: view.model.filter.text == "Belarus", timeout=5000)
    assert view.model.rowCount() == 4
    window.close()
    store.close()


def test_two_people_of_one_name_are_filtered_apart(qtbot: Any, store: Store) -> None:
    from datetime import date

    from protocol_desk.domain.models import Meeting, Participant, Person

    with store.transaction():
        first = store.people.save(Person(full_name="Aigul Nurlanova"))
        second = store.people.save(Person(full_name="Aigul Nurlanova"))
        for n, person in enumerate((first, second)):
            store.meetings.save(
                Meeting(
                    date=date(2025, 1, 10 + n),
                    subject=f"Meeting {n}",
                    participants=[Participant(person_id=person.id or 0)],
                )
            )
    window = _window(qtbot, store)
    view = window.meetings_view
    view.person.setFocus()
    qtbot.keyClicks(view.person, "nurlan")
    assert [m.person_id for m in view.person.matches()] == [first.id, second.id]
    view.person.choose_match(0)
    assert _subjects(window) == ["Meeting 0"]
    view.person.setText("")
    qtbot.keyClicks(view.person, "nurlan")
    view.person.choose_match(1)
    assert _subjects(window) == ["Meeting 1"]


def test_the_meetings_filters_are_filled_when_the_list_is_first_shown(
    qtbot: Any, demo_store: Store
) -> None:
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()  # on the Today page: the start does not wait for the choices
    view = window.meetings_view
    assert view.country.count() == 0 and view.organisation.count() == 0
    view.refresh_choices()  # a change elsewhere while the list is hidden: still not filled
    assert view.country.count() == 0
    with demo_store.transaction():
        demo_store.countries.save(Country(name="Қырғызстан", iso_code="KG"))
    window.show_area("meetings")
    countries = [view.country.itemText(i) for i in range(view.country.count())]
    assert countries[0] == "All countries"
    assert "Belgium" in countries and "Қырғызстан" in countries
    assert view.organisation.count() > 1 and view.kind.count() > 1
    assert view.country.currentIndex() == 0  # all countries, as before


def test_scrolling_a_file_databases_list_reads_the_next_pages_beside_the_window(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MeetingsModel, "PAGE_SIZE", 2)
    store = Store.open(demo_file)
    try:
        window = _window(qtbot, store)
        view = window.meetings_view
        model = view.model
        assert model.rowCount() == 2
        # The window's own connection reads no next page: a slow one would hold the scroll bar.
        read_here: list[object] = []
        real_page = view.meetings.page
        monkeypatch.setattr(
            view.meetings, "page", lambda *a, **k: read_here.append(a) or real_page(*a, **k)
        )
        asked: list[object] = []
        assert view._more is not None
        real_start = view._more.start
        monkeypatch.setattr(
            view._more, "start", lambda work: asked.append(work) or real_start(work)
        )
        model.fetchMore()
        model.fetchMore()  # asked again while the page is on its way: one read
        assert model.rowCount() == 2 and model.is_fetching() and len(asked) == 1
        # The window is not full yet, so the view asks for the rest as each page arrives.
        qtbot.waitUntil(lambda: not model.canFetchMore(), timeout=5_000)
        assert model.rowCount() == 6 and not model.is_fetching()
        dates = [model.index(r, 0).data() for r in range(6)]
        assert dates[0] == "06.02.2026" and dates[-1] == "06.06.2022"
        assert read_here == []
        # A page that arrives after the list was sorted again is not added to it.
        model.sort(1, Qt.SortOrder.AscendingOrder)
        model.fetchMore()
        model.sort(1, Qt.SortOrder.DescendingOrder)
        assert model.order == ("subject", True)
        # Read beside the window too: the rows shown stay until the new order's come.
        assert not model.canFetchMore()
        qtbot.waitUntil(
            lambda: (
                _subjects(window) == sorted(_subjects(window), key=str.casefold, reverse=True)
                and model.rowCount() == 6
            ),
            timeout=5_000,
        )
        subjects = _subjects(window)
        assert subjects == sorted(subjects, key=str.casefold, reverse=True)
    finally:
        window.close()
        store.close()


def test_a_narrow_window_keeps_area_names_and_dates_whole(qtbot: Any, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    window.resize(700, 600)  # narrower than the filter bars need
    for key in ("actions", "meetings", "anniversaries", "today"):
        window.show_area(key)
        qtbot.wait(10)
        # Each area's name whole, on two lines where it is long: every word fits.
        metrics = window.nav.fontMetrics()
        room = window.nav.viewport().width() - window.nav.iconSize().width()
        words = [w for r in range(window.nav.count()) for w in window.nav.item(r).text().split()]
        assert all(metrics.horizontalAdvance(w) < room for w in words)
        area = window.area(key)
        for name in ("asOf", "dueFrom", "dueTo", "dateFrom", "dateTo"):
            field = area.findChild(QLineEdit, name)
            if field is None or not field.isVisible():
                continue
            whole = field.fontMetrics().horizontalAdvance("31.12.2022")
            assert field.width() > whole, (key, name, field.width())


def test_meeting_actions_act_only_where_the_meetings_list_is_in_sight(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from protocol_desk.ui import briefing_dialog

    window = _window(qtbot, demo_store)
    window.activateWindow()  # shortcuts reach the active window only
    qtbot.waitUntil(window.isActiveWindow)
    view = window.meetings_view
    meeting_id = view.model.meeting_id(0)
    assert view.select(meeting_id)
    meeting_actions = (
        window.edit_meeting_action,
        window.delete_meeting_action,
        window.history_action,
    )
    assert all(action.isEnabled() for action in meeting_actions)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]))
    subjects: list[object] = []

    class Briefing:
        def __init__(
            self, store: Store, subject: object, as_of: object = None, parent: object = None
        ) -> None:
            subjects.append(subject)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(briefing_dialog, "BriefingDialog", Briefing)
    for area in ("today", "people", "anniversaries", "actions"):
        window.show_area(area)
        assert not any(action.isEnabled() for action in meeting_actions), area
        window.area(area).setFocus()
        qtbot.keyClick(window.area(area), Qt.Key.Key_Delete)  # meant for what is in sight
        window.briefing_action.trigger()
    assert asked == [] and view.selected_id() == meeting_id and view.model.rowCount() == 6
    assert subjects == [None] * 4  # a briefing not about a meeting out of sight

    window.show_area("meetings")
    assert all(action.isEnabled() for action in meeting_actions)
    window.briefing_action.trigger()
    assert getattr(subjects[-1], "id", None) == meeting_id
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert len(asked) == 1 and "to the bin" in asked[0]
