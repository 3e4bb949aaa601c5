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
