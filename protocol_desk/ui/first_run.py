"""The first start on a new, empty database: say where the data will be kept, and offer the
demo data — an empty office unless the officer asks for the demo. Asked once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from protocol_desk import APP_NAME
from protocol_desk.i18n import _

FIRST_RUN_KEY = "start/demoOffered"  # set once the question was asked (Preferences resets it)


def should_offer_demo() -> bool:
    return not QSettings().value(FIRST_RUN_KEY, False, bool)


def demo_question(path: Path, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("firstRun")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(f"{APP_NAME} — " + _("first start"))
    box.setText(_("Your office's data will be kept in:") + f"\n{path}")
    box.setInformativeText(
        _(
            "The database is new and empty. Start with an empty office, or load the demo data "
            "(five real press releases of interparliamentary meetings) to try things out? "
            "The demo data goes into this same file."
        )
    )
    empty = box.addButton(_("Start with an empty office"), QMessageBox.ButtonRole.RejectRole)
    empty.setObjectName("startEmpty")
    demo = box.addButton(_("Load the demo data"), QMessageBox.ButtonRole.AcceptRole)
    demo.setObjectName("loadDemo")
    box.setDefaultButton(empty)  # Enter never fills the office's real database with the demo
    box.setEscapeButton(empty)
    return box


def ask_for_demo(path: Path) -> bool:
    """Whether to load the demo data into the new database at ``path``; asked only once."""
    if not should_offer_demo():
        return False
    box = demo_question(path)
    box.exec()
    QSettings().setValue(FIRST_RUN_KEY, True)
    return box.clickedButton() is not None and box.clickedButton().objectName() == "loadDemo"
