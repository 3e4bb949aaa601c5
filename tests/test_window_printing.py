"""What the window prints beside its lists: a meeting and a visit's programme, each as its PDF
through the print preview; and a briefing opened from an area is as of the day shown there."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from protocol_desk.store import Store
from protocol_desk.ui import printing
from protocol_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _window(qtbot: Any, store: Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.show_area("meetings")
    return window


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The text of each PDF sent to the print preview (or the printer), with ``preview``."""
    sent: list[tuple[str, bool]] = []

    def print_pdf(_parent: object, path: Path, *, preview: bool, printer: object = None) -> bool:
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        sent.append((text, preview))
        return True

    monkeypatch.setattr(printing, "print_pdf", print_pdf)
    return sent


def test_the_selected_meeting_prints_from_the_menu_and_the_lists_menu(
    qtbot: Any, demo_store: Store, printed: list[tuple[str, bool]]
) -> None:
    window = _window(qtbot, demo_store)
    view = window.meetings_view
    assert not window.print_meeting_action.isEnabled()  # nothing selected yet
    meeting_id = view.model.meeting_id(0)
    assert view.select(meeting_id)
    assert window.print_meeting_action.isEnabled()
    menu = view.list_area.menu()
    assert window.print_meeting_action in menu.actions()
    window.print_meeting_action.trigger()
    [(text, preview)] = printed
    meeting = window.meeting_service.get(meeting_id)
    assert preview is True
    assert meeting.subject.split()[0] in text
    window.show_area("people")
    assert not window.print_meeting_action.isEnabled()  # a meeting out of sight


def test_a_visits_programme_prints_from_its_button_and_the_lists_menu(
    qtbot: Any, demo_store: Store, printed: list[tuple[str, bool]]
) -> None:
    window = _window(qtbot, demo_store)
    window.show_area("delegations")
    view: Any = window.area("delegations")
    assert not view.print_button.isEnabled()
    view.table.selectRow(0)
    visit = view.service.get(view.selected_id())
    assert view.print_button.isEnabled()
    assert "Print programme…" in [a.text() for a in view.list_area.menu().actions()]
    view.print_button.click()
    [(text, preview)] = printed
    assert preview is True and visit.title.split()[0] in text


@pytest.mark.parametrize("area", ["today", "anniversaries", "actions"])
def test_a_briefing_is_as_of_the_day_the_officer_is_looking_at(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch, area: str
) -> None:
    from protocol_desk.ui import briefing_dialog

    seen: list[object] = []

    class Briefing:
        def __init__(
            self, store: Store, subject: object, *, as_of: object = None, parent: object = None
        ) -> None:
            seen.append(as_of)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(briefing_dialog, "BriefingDialog", Briefing)
    window = _window(qtbot, demo_store)
    window.show_area(area)
    shown: Any = window.area(area)
    shown.as_of.setText("01.03.2023")
    shown.reload() if area != "actions" else shown.apply_filter()
    qtbot.waitUntil(lambda: shown.day_looked_at() == date(2023, 3, 1))
    window.briefing_action.trigger()
    assert seen == [date(2023, 3, 1)]
    window.show_area("meetings")
    window.briefing_action.trigger()
    assert seen[-1] is None  # the meetings list has no day of its own: today


# --- room for the main column ------------------------------------------------------------------


def test_the_widest_columns_give_up_room_first() -> None:
    from protocol_desk.ui.list_area import widest_allowed

    widths = [85, 150, 75, 80, 95]
    assert widest_allowed(widths, 1000) == 150  # room enough: nobody is cut
    cap = widest_allowed(widths, 400)
    assert sum(min(w, cap) for w in widths) <= 400
    assert min(75, cap) == 75 and min(80, cap) == 80  # the narrow ones keep theirs
    assert widest_allowed(widths, 300) == 60


@pytest.mark.parametrize("area", ["meetings", "delegations", "people", "actions"])
def test_a_narrow_list_keeps_room_for_its_main_column(
    qtbot: Any, demo_store: Store, area: str
) -> None:
    from PySide6.QtWidgets import QHeaderView

    from protocol_desk.ui.list_area import ListArea, MainColumnRoom

    window = _window(qtbot, demo_store)
    window.resize(1280, 800)
    window.show_area(area)
    [list_area] = [a for a in window.area(area).findChildren(ListArea) if a.view.isVisible()]
    header = list_area.view.horizontalHeader()  # type: ignore[attr-defined]
    main = next(
        c
        for c in range(header.count())
        if header.sectionResizeMode(c) == QHeaderView.ResizeMode.Stretch
    )
    wide = header.sectionSize(main)
    list_area.view.resize(480, 300)
    qtbot.waitUntil(lambda: list_area.view.viewport().width() < 480)
    width = list_area.view.viewport().width()
    others = [c for c in range(header.count()) if c != main and not header.isSectionHidden(c)]
    floor = max(MainColumnRoom.FLOOR, header.minimumSectionSize())
    assert header.sectionSize(main) >= MainColumnRoom.SHARE * width - 2 or all(
        header.sectionSize(c) == floor for c in others
    )
    assert header.sectionSize(main) > 100
    # Wider again: the other columns get their widths back, the main column the rest.
    list_area.view.resize(1000, 300)
    qtbot.waitUntil(lambda: header.sectionSize(main) > wide / 2)
    assert all(header.sectionSize(c) == list_area.room.wanted[c] for c in others)  # type: ignore[union-attr]
    tip = header.model().headerData(main, header.orientation())
    assert tip  # shown whole in the header's tooltip when cut


def test_long_area_names_wrap_whole_rather_than_widen_the_list(qtbot: Any) -> None:
    from PySide6.QtWidgets import QListWidget

    from protocol_desk.ui.area_names import AreaNames, wrapped

    areas = QListWidget()
    qtbot.addWidget(areas)
    names = ["Делегациялар мен сапарлар", "Келісілген іс-шаралар", "Бүгін"]
    areas.addItems(names)
    AreaNames(areas)
    areas.resize(areas.minimumWidth(), 300)
    areas.show()
    qtbot.waitUntil(lambda: "\n" in areas.item(0).text())
    for row, name in enumerate(names):
        shown = areas.item(row).text()
        assert shown.split() == name.split()  # every word there, none cut
    assert areas.item(2).text() == "Бүгін"
    metrics = areas.fontMetrics()
    assert wrapped("a b c", metrics, 10_000) == "a b c"
    assert wrapped("Делегации и визиты", metrics, 1) == "Делегации\nи\nвизиты"
