"""The window's entry point: it starts on a database file, shows the window, and ends cleanly."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from protocol_desk.app import DATA_LAYER, collector_paused, main
from protocol_desk.domain.listing import MeetingFilter
from protocol_desk.store import Store
from protocol_desk.store.lock import read_lock

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app_names(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """main() names the application and installs its error hook: both are put back after."""
    names = (qapp.organizationName(), qapp.applicationName(), qapp.applicationVersion())
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield
    qapp.setOrganizationName(names[0])
    qapp.setApplicationName(names[1])
    qapp.setApplicationVersion(names[2])
    gc.unfreeze()  # what main() set aside is the test session's again


def test_the_window_starts_on_a_file_with_its_lists_filled(
    demo_file: Path, app_names: None
) -> None:
    store = Store.open(demo_file)
    meetings = store.meetings.count(MeetingFilter())
    store.close()
    seen: dict[str, object] = {}

    def on_window(window: QMainWindow) -> None:
        seen["visible"] = window.isVisible()
        seen["title"] = window.windowTitle()
        seen["rows"] = window.meetings_view.model.rowCount()  # type: ignore[attr-defined]
        seen["locked"] = read_lock(demo_file) is not None
        seen["collecting"] = gc.isenabled()
        QTimer.singleShot(0, window.close)

    assert main(["--db", str(demo_file)], on_window=on_window) == 0
    assert seen["visible"] is True
    assert demo_file.name in str(seen["title"])
    assert meetings > 0
    assert seen["rows"] == meetings
    assert seen["locked"] is True
    assert seen["collecting"] is True  # paused only while the window was made
    assert read_lock(demo_file) is None  # closed: the file is free for the next program


def test_the_collector_is_paused_and_then_as_it_was() -> None:
    assert gc.isenabled()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("start failed")
        assert gc.isenabled()  # a failed start leaves it on too
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before, and stays off
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_data_layer_imported_before_qt_has_no_qt_in_it() -> None:
    # PySide6 reads the source of every module imported after it: the window imports these
    # first, which only helps if they do not bring Qt in with them.
    code = (
        "import importlib, sys\n"
        f"for name in {DATA_LAYER!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_the_start_leaves_the_other_areas_modules_for_later(demo_file: Path) -> None:
    # Each module imported costs the start its definitions and PySide6's read of its source:
    # what only the other areas (and their dialogs) use waits until they are opened.
    later = (
        "protocol_desk.ui.record_widgets",
        "protocol_desk.store.people",
        "protocol_desk.ui.meeting_editor",
        "reportlab",
    )
    code = (
        "import sys\n"
        "from protocol_desk.app import main\n"
        "def on_window(window):\n"
        "    from PySide6.QtCore import QTimer\n"
        f"    print(sorted(m for m in sys.modules if m in {later!r}), flush=True)\n"
        "    QTimer.singleShot(0, window.close)\n"
        "sys.exit(main(['--db', sys.argv[1]], on_window=on_window))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(demo_file)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.splitlines()[0] == "[]"
