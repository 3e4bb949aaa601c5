"""The notice shown while a database's format is updated (at start, and after restoring an
older backup): its own module, so the opening and the safety dialogs share it without
importing one another."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from protocol_desk import APP_NAME
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

UPDATE_TITLE = N_("Updating the database")
UPDATE_TEXT = N_(
    "This version of {app} keeps the database in a new format, so {name} is being updated. "
    "A backup of the file as it was is made and checked first.\n\n"
    "For a large database this takes a few minutes. Please wait: {then} when it is done."
)


class UpdateNotice:
    """Says that the database's format is being updated while it is (a backup and a rebuild:
    minutes for a big office, with no window to show yet). Shown when the update starts,
    closed when opening is over."""

    def __init__(self, path: Path, then: str = N_("the window opens")) -> None:
        self.path = path
        self.then = _(then)  # what happens once it is done
        self.label: QLabel | None = None

    def __call__(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QLabel

        label = QLabel(_(UPDATE_TEXT).format(app=APP_NAME, name=self.path.name, then=self.then))
        label.setObjectName("updateNotice")
        label.setWindowTitle(f"{APP_NAME} — {_(UPDATE_TITLE)}")
        label.setWordWrap(True)
        label.setMargin(24)
        label.setFixedWidth(480)
        label.show()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        # The update holds this thread until it is done: paint the notice now.
        QApplication.processEvents()
        label.repaint()
        self.label = label

    def close(self) -> None:
        if self.label is None:
            return
        from PySide6.QtWidgets import QApplication

        QApplication.restoreOverrideCursor()
        self.label.close()
        self.label.deleteLater()
        self.label = None
