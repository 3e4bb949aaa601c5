"""The window's language: installed at start from --lang, the saved preference or the system,
with Qt's own translations; the briefing dialog's language apart from the window's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from protocol_desk import i18n
from protocol_desk.app import main
from protocol_desk.domain.language import Language
from protocol_desk.services.briefing import SubjectKind, resolve_subject
from protocol_desk.store import Store
from protocol_desk.ui.briefing_dialog import BriefingDialog
from protocol_desk.ui.language import (
    install_language,
    save_language,
    saved_language,
    window_language,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def settings(qapp: QApplication) -> Any:
    names = qapp.organizationName(), qapp.applicationName()
    qapp.setOrganizationName("Protocol Desk tests")
    qapp.setApplicationName("language")
    QSettings().clear()
    yield QSettings()
    QSettings().clear()
    qapp.setOrganizationName(names[0])
    qapp.setApplicationName(names[1])
    install_language(qapp, Language.ENGLISH)


def test_the_preference_is_kept_and_the_option_wins(settings: Any) -> None:
    assert saved_language() is None
    assert window_language(None) is Language.ENGLISH  # the tests' system is C.UTF-8
    save_language(Language.KAZAKH)
    assert saved_language() is Language.KAZAKH
    assert window_language(None) is Language.KAZAKH
    assert window_language("ru") is Language.RUSSIAN
    save_language(None)
    assert saved_language() is None


def test_qt_speaks_the_language_installed(settings: Any, qapp: QApplication) -> None:
    install_language(qapp, Language.RUSSIAN)
    assert i18n.current_language() is Language.RUSSIAN
    assert i18n._("Database ready.") == "База данных готова."
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"
    install_language(qapp, Language.KAZAKH)
    assert (
        QCoreApplication.translate("QPlatformTheme", "Cancel") == "Бас тарту"
    )  # as the glossary has it
    install_language(qapp, Language.ENGLISH)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert i18n._("Database ready.") == "Database ready."


def test_the_window_starts_in_the_language_asked_for(demo_file: Path) -> None:
    seen: dict[str, object] = {}

    def on_window(window: QMainWindow) -> None:
        seen["language"] = i18n.current_language()
        QTimer.singleShot(0, window.close)

    assert main(["--db", str(demo_file), "--lang", "kk"], on_window=on_window) == 0
    assert seen["language"] is Language.KAZAKH
    install_language(QCoreApplication.instance(), Language.ENGLISH)  # type: ignore[arg-type]


def test_the_briefing_dialog_chooses_the_notes_language(qtbot: Any, demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    dialog = BriefingDialog(demo_store, subject, as_of=date(2022, 9, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.note_language.currentData() == Language.ENGLISH  # the window's, to begin
    dialog.note_language.setCurrentIndex(dialog.note_language.findData(Language.KAZAKH))
    note = dialog.final_briefing()
    assert note is not None
    assert note.language is Language.KAZAKH
    assert note.marking == "ҚЫЗМЕТ БАБЫНДА ПАЙДАЛАНУ ҮШІН"
    assert note.kind_label == "Ел"
    assert "30 жылдығы" in dialog.points.toPlainText()
    dialog.grab().save(str(Path("/tmp") / "briefing-dialog-kk.png"))


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        (Language.KAZAKH, "пайдаланушы нұсқаулығы"),
        (Language.RUSSIAN, "руководство пользователя"),
        (Language.ENGLISH, "user guide"),
    ],
    ids=["kk", "ru", "en"],
)
def test_f1_opens_the_user_guide_in_the_windows_language(
    qtbot: Any, qapp: QApplication, demo_store: Store, language: Language, heading: str
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QDialog

    from protocol_desk.ui.main_window import MainWindow

    install_language(qapp, language)
    try:
        window = MainWindow(demo_store)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        (guide_action,) = [a for a in window.actions() if a.objectName() == "userGuide"]
        assert guide_action.shortcut() == QKeySequence(Qt.Key.Key_F1)
        window.activateWindow()
        window.setFocus()
        qtbot.keyClick(window, Qt.Key.Key_F1)
        if not window.findChildren(QDialog, "userGuide"):  # no key focus offscreen
            guide_action.trigger()
        guides = [d for d in window.findChildren(QDialog, "userGuide") if d.isVisible()]
        assert len(guides) == 1
        text = guides[0].text.toPlainText()  # type: ignore[attr-defined]
        assert text.startswith(f"Protocol Desk — {heading}")
    finally:
        install_language(qapp, Language.ENGLISH)
