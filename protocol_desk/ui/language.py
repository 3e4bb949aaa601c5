"""The window's language: chosen at start (``--lang`` > the saved preference > the system's
language > English), kept in the settings, and installed for the program's own words (the
one gettext catalog, ``protocol_desk.i18n``) and for Qt's (its ``qtbase`` translations: the
standard buttons, the file and print dialogs). A change of the preference applies at the next
start."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from protocol_desk import i18n
from protocol_desk.domain.language import Language

SETTING = "language"  # "kk", "ru", "en"; absent: follow the system
_QT_LOCALES = {Language.KAZAKH: "kk_KZ", Language.RUSSIAN: "ru_RU", Language.ENGLISH: "en_GB"}
_installed: list[QTranslator] = []  # kept alive as long as the application uses them


def saved_language() -> Language | None:
    """The language the officer chose in Preferences, if any."""
    value = QSettings().value(SETTING)
    try:
        return Language(str(value)) if value else None
    except ValueError:
        return None


def save_language(language: Language | None) -> None:
    """Keep the officer's choice (None: follow the system's language); used at next start."""
    settings = QSettings()
    if language is None:
        settings.remove(SETTING)
    else:
        settings.setValue(SETTING, language.value)


def window_language(requested: str | None) -> Language:
    saved = saved_language()
    return i18n.choose_language(requested, saved.value if saved else None)


def install_language(app: QCoreApplication, language: Language) -> None:
    """The program's catalog and Qt's own translations for ``language``; dates and numbers
    that Qt writes follow its locale (the calendar's week starts on Monday in all three)."""
    i18n.install(language)
    while _installed:
        app.removeTranslator(_installed.pop())
    QLocale.setDefault(QLocale(_QT_LOCALES[language]))
    if language is Language.ENGLISH:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language.value}", folder):
        app.installTranslator(translator)
        _installed.append(translator)
