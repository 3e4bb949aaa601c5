"""The Qt binding itself: a release that leaks references to None would crash the app."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QListWidget


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal from Python 3.12: its count does not move, and a lost reference "
    "cannot end the process",
)
def test_filling_lists_keeps_the_references_to_none(qtbot: Any) -> None:
    """Every combo box and list is filled item by item; a binding that loses a reference to
    None on each item ends the process after a few thousand (PySide6 6.12.0 on Python 3.11)."""
    combo = QComboBox()
    items = QListWidget()
    qtbot.addWidget(combo)
    qtbot.addWidget(items)
    before = sys.getrefcount(None)
    for number in range(2000):
        combo.addItem(f"Country {number}", number)
        items.addItem(f"Person {number}")
    combo.clear()
    items.clear()
    assert sys.getrefcount(None) - before > -100
