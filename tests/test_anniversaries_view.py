"""The anniversaries area over the demo data, headless: grouped by month, jubilees marked,
filters, needs-attention with its one-step action, the editor and the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from protocol_desk.domain.dates import MONTH_NAMES, MonthDay
from protocol_desk.domain.models import Anniversary, AnniversaryKind
from protocol_desk.services.anniversaries import (
    UpcomingMonths,
    UpcomingQuery,
    leap_day_rule,
    period_summary,
    save_anniversary,
    upcoming_items,
)
from protocol_desk.store import Store
from protocol_desk.ui import anniversaries_view
from protocol_desk.ui.anniversaries_view import AnniversariesView, UpcomingModel
from protocol_desk.ui.anniversary_editor import AnniversaryEditor, RulesDialog

AS_OF = date(2022, 6, 8)


def _view(qtbot: Any, store: Store, days: int = 365) -> AnniversariesView:
    view = AnniversariesView(store, today=lambda: AS_OF)
    qtbot.addWidget(view)
    view.horizon.setCurrentIndex(view.horizon.findData(days))
    view.show()
    return view


def _type(widget: QWidget, text: str) -> None:
    """Type text the way a user does; Kazakh letters one key event at a time."""
    for char in text:
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )


def _rows(view: AnniversariesView) -> list[tuple[str, list[str]]]:
    model = view.model
    months = []
    for m in range(model.rowCount()):
        parent = model.index(m, 0)
        months.append(
            (
                parent.data(),
                [model.index(r, 2, parent).data() for r in range(model.rowCount(parent))],
            )
        )
    return months


def test_grouped_by_month_with_the_jubilee_marked(qtbot: Any, demo_store: Store) -> None:
    view = _view(qtbot, demo_store)
    months = _rows(view)
    assert months[0][0] == "July 2022 — 2 anniversaries"
    assert [title for title, _ in months] == [
        "July 2022 — 2 anniversaries",
        "September 2022 — 1 anniversary, 1 jubilee",
        "December 2022 — 1 anniversary",
    ]
    september = view.model.index(1, 0)
    jubilee = view.model.index(0, 2, september)
    assert jubilee.data() == "★ 30th anniversary: Kazakhstan–Belarus diplomatic relations"
    font = jubilee.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert jubilee.data(Qt.ItemDataRole.BackgroundRole) is not None
    plain = view.model.index(0, 2, view.model.index(0, 0))
    assert plain.data(Qt.ItemDataRole.BackgroundRole) is None
    assert view.model.index(0, 1, september).data() == "in 100 days"
    assert view.model.index(0, 5, september).data() == "19.05.2022"
    assert view.model.index(0, 6, september).data() == "1 action planned"
    assert "1 jubilee" in view.summary.text()


def test_an_occurrence_opens_its_dialog_and_is_never_edited_in_the_list(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, demo_store)
    opened: list[str] = []
    monkeypatch.setattr(view, "edit_selected", lambda: opened.append("dialog"))
    occurrence = view.model.index(0, 2, view.model.index(1, 0))
    view.tree.setCurrentIndex(occurrence)
    qtbot.keyClick(view.tree.viewport(), Qt.Key.Key_F2)
    where = view.tree.visualRect(occurrence).center()
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert view.tree.state() != view.tree.State.EditingState
    assert view.tree.indexWidget(occurrence) is None
    assert occurrence.data() == "★ 30th anniversary: Kazakhstan–Belarus diplomatic relations"
    assert opened == ["dialog"]


def test_upcoming_model_passes_the_model_tester(qtmodeltester: Any, demo_store: Store) -> None:
    model = UpcomingModel()
    qtmodeltester.check(model)  # empty
    model.set_reader(UpcomingMonths(demo_store, UpcomingQuery(AS_OF, 365)), AS_OF)
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    assert not model.parent(QModelIndex()).isValid()


def test_horizon_as_of_range_and_filters(qtbot: Any, demo_store: Store) -> None:
    view = _view(qtbot, demo_store, days=30)
    assert [t for _, titles in _rows(view) for t in titles] == ["Independence Day of Belarus"]
    view.as_of.setText("2022-12-01")
    view.as_of.editingFinished.emit()
    assert [t for _, titles in _rows(view) for t in titles] == ["Independence Day of Kazakhstan"]
    view.as_of.setText("31.02.2022")
    view.as_of.editingFinished.emit()
    assert "does not exist" in view.filter_message.text()
    view.today_button.click()
    assert view.as_of.text() == "08.06.2022"
    assert view.filter_message.text() == ""

    view.horizon.setCurrentIndex(view.horizon.findData(0))  # a range
    assert view.range_end.isVisibleTo(view)
    view.range_end.setText("1 October 2022")
    view.range_end.editingFinished.emit()
    assert len([t for _, titles in _rows(view) for t in titles]) == 3
    view.range_end.setText("09.2022")  # a month ends on its last day: 30 September
    view.range_end.editingFinished.emit()
    assert len([t for _, titles in _rows(view) for t in titles]) == 3
    view.range_end.setText("1 September 2022")
    view.range_end.editingFinished.emit()
    assert len([t for _, titles in _rows(view) for t in titles]) < 3

    view.horizon.setCurrentIndex(view.horizon.findData(365))
    view.kind.setCurrentIndex(view.kind.findData(AnniversaryKind.DIPLOMATIC_RELATIONS))
    assert [t for _, titles in _rows(view) for t in titles] == [
        "★ 30th anniversary: Kazakhstan–Belarus diplomatic relations"
    ]
    view.kind.setCurrentIndex(0)
    view.country.setCurrentIndex(view.country.findText("Belgium"))
    assert [t for _, titles in _rows(view) for t in titles] == ["National Day of Belgium"]


def test_needs_attention_and_the_one_step_action(qtbot: Any, demo_store: Store) -> None:
    view = _view(qtbot, demo_store)
    assert view.attention_model.rowCount() == 1
    assert view.attention_model.index(0, 1).data() == "Independence Day of Belarus"
    assert not view.create_action_button.isEnabled()
    view.attention.selectRow(0)
    assert view.create_action_button.isEnabled()
    with qtbot.waitSignal(view.data_changed):
        view.create_action_button.click()
    assert view.attention_model.rowCount() == 0
    assert "due 03.07.2022" in view.status.text()
    action = demo_store.actions.all()[-1]
    assert action.due == date(2022, 7, 3)
    assert action.due_anniversary_id is not None
    # The occurrence now shows the planned action, and cannot get a second one by a slip.
    july = view.model.index(0, 0)
    assert view.model.index(0, 6, july).data() == "1 action planned"
    assert not view.create_action_button.isEnabled()


def test_new_anniversary_in_kazakh_with_field_errors(qtbot: Any, demo_store: Store) -> None:
    editor = AnniversaryEditor(demo_store)
    qtbot.addWidget(editor)
    editor.show()
    editor.save_button.click()
    assert "required" in editor.errors.message("title")
    assert editor.result() == 0
    _type(editor.title, "Мәжіліс құрылған күн")
    editor.base_date.setText("31.02.1996")
    editor.save_button.click()
    assert "does not exist" in editor.errors.message("base_date")
    editor.base_date.setText("30.01.1996")
    editor.lead_days.setText("ten")
    editor.save_button.click()
    assert "not a number" in editor.errors.message("lead_days")
    editor.lead_days.setText("90")
    editor.country.setCurrentIndex(editor.country.findText("Kazakhstan"))
    editor.kind.setCurrentIndex(editor.kind.findData(AnniversaryKind.FOUNDING))
    editor.save_button.click()
    assert editor.saved_id is not None
    saved = demo_store.anniversaries.get(editor.saved_id)
    assert (saved.title, saved.base_date, saved.lead_days, saved.kind) == (
        "Мәжіліс құрылған күн",
        date(1996, 1, 30),
        90,
        AnniversaryKind.FOUNDING,
    )

    view = _view(qtbot, demo_store)
    titles = [t for _, rows in _rows(view) for t in rows]
    assert "27th anniversary: Мәжіліс құрылған күн" in titles


def test_editing_a_derived_anniversary_keeps_its_date(qtbot: Any, demo_store: Store) -> None:
    relations = demo_store.anniversaries.listings(kinds=[AnniversaryKind.DIPLOMATIC_RELATIONS])
    anniversary_id = relations[0].anniversary.id
    editor = AnniversaryEditor(demo_store, anniversary_id=anniversary_id)
    qtbot.addWidget(editor)
    assert not editor.title.isEnabled() and not editor.base_date.isEnabled()
    assert "Belarus" in editor.derived_note.text()
    assert editor.base_date.text() == "16.09.1992"
    editor.notes.setPlainText("Letter from the Chairman")
    editor.save_button.click()
    assert demo_store.anniversaries.get(anniversary_id or 0).notes == "Letter from the Chairman"


def test_year_less_date_and_delete_with_undo(
    qtbot: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = save_anniversary(
        store,
        Anniversary(AnniversaryKind.BIRTHDAY, "Birthday <b>of</b> a friend", date(1960, 6, 9)),
    )
    editor = AnniversaryEditor(store, anniversary_id=saved.id)
    qtbot.addWidget(editor)
    editor.base_date.setText("9 June")
    editor.save_button.click()
    assert store.anniversaries.get(saved.id or 0).base_date == MonthDay(6, 9)

    view = _view(qtbot, store)
    assert view.model.index(0, 2, view.model.index(0, 0)).data() == "Birthday <b>of</b> a friend"
    view.tree.setCurrentIndex(view.model.index(0, 0, view.model.index(0, 0)))
    assert view.delete_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    undo_clicked: list[bool] = []

    def close_or_undo(box: QMessageBox) -> int:
        undo = next(b for b in box.buttons() if b.text() == "Undo")
        undo_clicked.append(view.model.rowCount() == 0)  # deleted by then
        undo.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", close_or_undo)
    view.delete_button.click()
    assert undo_clicked == [True]
    assert view.model.rowCount() == 1  # restored by Undo


def test_rules_dialog_sets_the_leap_day_and_jubilees(qtbot: Any, store: Store) -> None:
    dialog = RulesDialog(store)
    qtbot.addWidget(dialog)
    dialog.findChild(QWidget, "leap_mar1").click()  # type: ignore[union-attr]
    dialog.every.setText("x")
    dialog.findChild(QWidget, "saveRules").click()  # type: ignore[union-attr]
    assert "whole number" in dialog.errors.message("jubilee_every")
    assert leap_day_rule(store).value == "feb28"  # nothing saved
    dialog.every.setText("10")
    dialog.findChild(QWidget, "saveRules").click()  # type: ignore[union-attr]
    assert leap_day_rule(store).value == "mar1"
    assert store.settings.get("jubilee_every") == "10"


def test_export_calendar_from_the_window(qtbot: Any, demo_store: Store, tmp_path: Path) -> None:
    view = _view(qtbot, demo_store)
    path = tmp_path / "office.ics"
    view.export_to(path)
    assert "4 anniversaries exported" in view.status.text()
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    # Four yearly events; coming jubilees add overrides with their own, earlier reminder.
    assert len([e for e in events if "recurrence-id" not in e]) == 4
    # The list's filter is the file's: one kind shown, that kind written.
    index = next(
        i for i in range(view.kind.count()) if view.kind.itemText(i) == "Diplomatic relations"
    )
    view.kind.setCurrentIndex(index)
    view.reload()
    view.export_to(path)
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert {str(e["summary"]).split(" — ")[0] for e in events} == {
        "Kazakhstan–Belarus diplomatic relations"
    }
    assert "1 anniversary exported" in view.status.text()


def _held(view: AnniversariesView) -> int:
    model = view.model
    return sum(model.rowCount(model.index(row, 0)) for row in range(model.rowCount()))


def _busy_view(qtbot: Any, store: Store, *, first_rows: int, height: int) -> AnniversariesView:
    """The area over a year of hundreds of anniversaries, shown at a given height."""
    view = AnniversariesView(store, today=lambda: AS_OF)
    qtbot.addWidget(view)
    view.model.FIRST_ROWS = first_rows
    view.resize(1100, height)
    view.horizon.setCurrentIndex(view.horizon.findData(365))
    view.show()
    return view


def test_a_busy_year_is_read_a_few_days_at_a_time_as_it_scrolls(
    qtbot: Any, store: Store, add_many_anniversaries: Any
) -> None:
    add_many_anniversaries(store, 600, 11)
    view = _busy_view(qtbot, store, first_rows=60, height=700)
    whole = upcoming_items(store, UpcomingQuery(AS_OF, 365))
    shown = view.model.rowCount()
    assert 1 <= shown < 12, "only the first months are read when the list opens"
    assert sum(view.model.rowCount(view.model.index(row, 0)) for row in range(shown)) >= 60
    # The summary counts the whole year all the same.
    assert view.summary.text().startswith(f"{len(whole)} anniversaries from 08.06.2022")

    # Each month's heading counts the whole month, however little of it has been read.
    for row in range(shown):
        title = view.model.index(row, 0).data()
        month = [
            i
            for i in whole
            if title.startswith(
                f"{MONTH_NAMES[i.occurrence.date.month - 1]} {i.occurrence.date.year} "
            )
        ]
        assert f"— {len(month)} anniversar" in title
        assert view.model.rowCount(view.model.index(row, 0)) <= len(month)

    # Every month read is open, its title across the row.
    for row in range(shown):
        assert view.tree.isExpanded(view.model.index(row, 0))
        assert view.tree.isFirstColumnSpanned(row, QModelIndex())

    # Each scroll to the end reads on at once (once the tree has laid out the rows before).
    bar = view.tree.verticalScrollBar()
    for _ in range(3):
        qtbot.waitUntil(lambda: bar.maximum() == view.model.shown_rows() - bar.pageStep())
        held = _held(view)
        bar.setValue(bar.maximum())
        QApplication.processEvents()
        QApplication.processEvents()
        assert _held(view) > held

    # Selecting an occurrence further down reads the months up to it.
    last = whole[-1]
    assert last.anniversary.id is not None
    assert view.select(last.anniversary.id, last.occurrence.date)
    assert view.selected_item() is not None
    assert view.selected_item().occurrence.date == last.occurrence.date  # type: ignore[union-attr]
    months = view.model.rowCount()
    assert months > shown
    assert view.tree.isExpanded(view.model.index(months - 1, 0))

    # Scrolling to the end reads the rest: the rows are then exactly the year's.
    for _ in range(20):
        bar.setValue(bar.maximum())
        QApplication.processEvents()
    read = [
        view.model.item_at(view.model.index(row, 0, view.model.index(month, 0)))
        for month in range(view.model.rowCount())
        for row in range(view.model.rowCount(view.model.index(month, 0)))
    ]
    assert [(i.anniversary.id, i.occurrence.date) for i in read if i is not None] == [
        (i.anniversary.id, i.occurrence.date) for i in whole
    ]


def test_months_are_read_until_the_list_fills_its_screen(
    qtbot: Any, store: Store, add_many_anniversaries: Any
) -> None:
    add_many_anniversaries(store, 600, 12)
    # The first month alone does not fill a tall window.
    view = _busy_view(qtbot, store, first_rows=1, height=1600)
    bar = view.tree.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > bar.pageStep() // 2 or not view.model.has_more())
    assert view.model.rowCount() > 1
    assert view.model.has_more(), "but not the whole year"


# --- on a file: the count and needs-attention read beside the window -------------------------
def _file_view(qtbot: Any, demo_file: Path, days: int = 365) -> tuple[Store, AnniversariesView]:
    store = Store.open(demo_file)
    view = _view(qtbot, store, days)
    return store, view


def _summary_arrived(view: AnniversariesView) -> bool:
    return view.summary.isEnabled() and view.attention.isEnabled()


def test_on_a_file_the_list_shows_at_once_and_its_figures_follow(
    qtbot: Any, demo_file: Path
) -> None:
    store, view = _file_view(qtbot, demo_file)
    try:
        assert view.model.rowCount() > 0  # the first months are there before the figures
        qtbot.waitUntil(lambda: _summary_arrived(view), timeout=5_000)
        expected = period_summary(store, view.query())
        count = expected.totals.count
        assert view.summary.text().startswith(f"{count} anniversar")
        assert view.attention_model.rowCount() == len(expected.needs_attention) > 0
        assert view.attention_title.text().endswith(f": {len(expected.needs_attention)}")
    finally:
        view.shutdown()
        store.close()


def test_on_a_file_only_the_newest_query_figures_are_shown(qtbot: Any, demo_file: Path) -> None:
    store, view = _file_view(qtbot, demo_file)
    try:
        # Three horizons in a row: the figures shown are the last one's.
        for days in (30, 365, 90):
            view.horizon.setCurrentIndex(view.horizon.findData(days))
        qtbot.waitUntil(lambda: _summary_arrived(view), timeout=5_000)
        qtbot.wait(200)  # anything stale would have arrived by now
        count = period_summary(store, view.query()).totals.count
        assert view.query().days == 90
        assert view.summary.text().startswith(f"{count} anniversar")
    finally:
        view.shutdown()
        store.close()


def test_on_a_file_a_failed_count_is_said_and_the_list_stays(
    qtbot: Any, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*_: object) -> object:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(anniversaries_view, "period_summary", fails)
    store, view = _file_view(qtbot, demo_file)
    try:
        qtbot.waitUntil(lambda: view.summary.isEnabled(), timeout=5_000)
        assert "could not be read: disk unplugged" in view.summary.text()
        assert view.model.rowCount() > 0
    finally:
        view.shutdown()
        store.close()


def test_relations_known_by_the_year_alone_are_listed_and_made_exact(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protocol_desk.domain.dates import Year
    from protocol_desk.services.organisations import CountryService
    from protocol_desk.ui.countries_view import CountryEditor

    service = CountryService(demo_store)
    belarus = next(c for c in demo_store.countries.all() if c.iso_code == "BY")
    belarus.relations_established = Year(1992)
    service.save(belarus)
    view = _view(qtbot, demo_store)
    assert view.by_year_box.isVisibleTo(view)
    texts = [
        [view.by_year_model.index(r, c).data() for c in range(3)]
        for r in range(view.by_year_model.rowCount())
    ]
    # 2022-06-08 to 2023-06-07: the 30th (a jubilee) and the 31st, in the years they fall.
    assert [t[0] for t in texts] == ["30 years in 2022", "31 years in 2023"]
    assert texts[0][1].startswith("★ ") and "Belarus" in texts[0][1]
    assert texts[0][2] == "Belarus"
    assert "Known by the year alone" in view.by_year_title.text()
    assert not view.exact_button.isEnabled()  # nothing chosen yet
    view.by_year.selectRow(0)
    assert view.exact_button.isEnabled()

    def write_the_day(editor: CountryEditor) -> int:
        assert editor.relations.text() == "1992"
        editor.relations.setText("16.09.1992")
        assert editor.save()
        return 1

    monkeypatch.setattr(CountryEditor, "exec", write_the_day)
    view.exact_button.click()
    # Made exact: no longer by the year, now on its day in the list above.
    assert view.by_year_model.rowCount() == 0
    assert not view.by_year_box.isVisibleTo(view)
    september = [titles for month, titles in _rows(view) if "September 2022" in month]
    assert september and any("Belarus" in t for t in september[0])
