"""The Help menu's windows (the user guide inside the app, the keyboard shortcuts, About with
the licences and where the data lives) and the preferences."""

from __future__ import annotations

import re
from html import escape
from importlib import metadata
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from protocol_desk import APP_NAME, __version__
from protocol_desk.domain.language import Language
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _, current_language
from protocol_desk.paths import data_dir
from protocol_desk.ui.first_run import FIRST_RUN_KEY
from protocol_desk.ui.language import save_language, saved_language
from protocol_desk.ui.widgets import named, ok_cancel

ROOT = Path(__file__).resolve().parents[2]
USER_GUIDE = ROOT / "docs" / "user-guide.md"


def user_guide(language: Language) -> Path:
    """The guide in ``language`` (``user-guide.kk.md``), else the English one."""
    translated = USER_GUIDE.with_name(f"user-guide.{language.value}.md")
    return translated if language is not Language.ENGLISH and translated.is_file() else USER_GUIDE


# Beside the packages the app requires: what ships in resources/, with its licence.
SHIPPED = (
    (
        "DejaVu fonts",
        "Bitstream Vera / DejaVu licence (free)",
        "resources/fonts/DejaVu-LICENSE.txt",
    ),
    ("Font Awesome Free 5.15.4 icons", "CC BY 4.0", "resources/icons/LICENSE.txt"),
)
# Each language named in its own words, so an officer finds theirs whatever the window speaks.
LANGUAGE_NAMES = (
    (Language.KAZAKH, "Қазақ тілі"),
    (Language.RUSSIAN, "Русский"),
    (Language.ENGLISH, "English"),
)
# The keys a list answers to while it has the focus (its context menu shows them too).
LIST_KEYS = (
    (N_("Enter or F2"), N_("Open the selected record")),
    ("Del", N_("Delete the selected records (asks first; Undo brings them back)")),
    ("Ctrl+C", N_("Copy the selected rows")),
    (
        N_("Menu key or right click"),
        N_("The list's menu: Open, Edit, Delete, Copy, Export, Print"),
    ),
    ("Ctrl+S", N_("Save, in any editor")),
    ("Esc", N_("Close an editor (asks first when something changed)")),
)


def _dialog(parent: QWidget, name: str, title: str, html: str, size: tuple[int, int]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.resize(*size)
    text = named(QTextBrowser(), f"{name}Text", title)
    text.setOpenExternalLinks(True)
    text.setHtml(html)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text, 1)
    layout.addWidget(buttons)
    dialog.text = text  # type: ignore[attr-defined]  # for tests and the guide's links
    return dialog


def user_guide_dialog(parent: QWidget) -> QDialog:
    dialog = _dialog(parent, "userGuide", f"{APP_NAME} — " + _("user guide"), "", (900, 700))
    text: QTextBrowser = dialog.text  # type: ignore[attr-defined]
    path = user_guide(current_language())  # in the window's language
    try:
        guide = path.read_text(encoding="utf-8")
    except OSError:
        guide = "# " + _("User guide") + "\n\n"
        guide += _("The guide is not installed (looked in {path}).").format(path=path)
    # Pictures and links are found beside the guide.
    text.setSearchPaths([str(path.parent)])
    text.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
    text.setMarkdown(guide)
    return dialog


def show_user_guide(parent: QWidget) -> None:
    user_guide_dialog(parent).show()


def shortcuts_html(actions: list[QAction]) -> str:
    rows = []
    seen = set()
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        name = action.text().replace("&", "").rstrip("…")
        if not keys or (keys, name) in seen:
            continue
        seen.add((keys, name))
        rows.append((keys, name))
    rows.extend((_(keys), _(what)) for keys, what in LIST_KEYS)
    body = "".join(
        f"<tr><td style='padding-right:18px'><b>{escape(k)}</b></td><td>{escape(n)}</td></tr>"
        for k, n in rows
    )
    title = escape(_("Keyboard shortcuts"))
    return f"<h2>{title}</h2><table cellpadding='3'>{body}</table>"


def show_shortcuts(parent: QWidget) -> None:
    actions = [a for a in parent.findChildren(QAction) if a.parent() is parent]
    _dialog(
        parent, "shortcuts", _("Keyboard shortcuts"), shortcuts_html(actions), (520, 560)
    ).show()


def _licence(distribution: str) -> tuple[str, str]:
    """A required package's version and licence, as its own metadata says."""
    try:
        info: Any = metadata.metadata(distribution)  # an email.message.Message in fact
    except metadata.PackageNotFoundError:
        return _("not installed"), ""
    licence = info.get("License-Expression") or ""
    if not licence:
        classifiers = [c for c in info.get_all("Classifier") or [] if c.startswith("License ::")]
        licence = classifiers[0].split("::")[-1].strip() if classifiers else ""
    if not licence:
        licence = (info.get("License") or "").split("\n")[0][:80]
    return info.get("Version") or "", licence


def about_html(database: Path | None) -> str:
    requirements = []
    try:
        for requirement in metadata.requires("protocol-desk") or []:
            if "extra ==" in requirement:
                continue  # tools for tests, not shipped with the app
            name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
            requirements.append((name, *_licence(name)))
    except metadata.PackageNotFoundError:
        pass
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(version)}</td><td>{escape(licence)}</td></tr>"
        for name, version, licence in requirements
    )
    shipped = "".join(
        f"<tr><td>{escape(name)}</td><td></td><td>{escape(licence)} ({escape(path)})</td></tr>"
        for name, licence, path in SHIPPED
    )
    where = escape(str(database)) if database else _("a temporary database (nothing is kept)")
    purpose = _(
        "Meetings, visits, anniversaries, agreed actions and briefing notes for a "
        "parliament's protocol office."
    )
    qt = _(
        "Qt for Python (PySide6) is used under the GNU LGPL version 3; its source is at {url}."
    ).format(url="https://code.qt.io/cgit/pyside/pyside-setup.git")
    words = {
        "data": _("Your data:"),
        "settings": _("Settings and logs:"),
        "built": _("Built with"),
        "component": _("Component"),
        "version": _("Version"),
        "licence": _("Licence"),
    }
    said = {key: escape(text) for key, text in words.items()}
    return (
        f"<h2>{APP_NAME} {escape(__version__)}</h2>"
        f"<p>{escape(purpose)}</p>"
        f"<p><b>{said['data']}</b> {where}<br>"
        f"<b>{said['settings']}</b> {escape(str(data_dir()))}</p>"
        f"<h3>{said['built']}</h3><table cellpadding='3'>"
        f"<tr><th align='left'>{said['component']}</th>"
        f"<th align='left'>{said['version']}</th>"
        f"<th align='left'>{said['licence']}</th></tr>"
        f"{rows}{shipped}</table>"
        f"<p>{escape(qt)}</p>"
    )


def show_about(parent: QWidget, database: Path | None) -> None:
    _dialog(
        parent, "about", _("About {app}").format(app=APP_NAME), about_html(database), (620, 560)
    ).show()


# --- preferences -------------------------------------------------------------------------------


class PreferencesDialog(QDialog):
    """What the window remembers, and the way to make it forget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle(_("Preferences"))
        self.language = named(QComboBox(), "languageChoice", _("Language"))
        self.language.addItem(_("The system's language"), "")
        for language, name in LANGUAGE_NAMES:
            self.language.addItem(name, language.value)
        chosen = saved_language()
        self.language.setCurrentIndex(
            max(self.language.findData(chosen.value if chosen else ""), 0)
        )
        self.ask_demo = named(
            QCheckBox(_("Offer the demo data again when a new, empty database is opened")),
            "askDemoAgain",
            _("Offer the demo data again"),
        )
        self.forget_lists = named(
            QCheckBox(_("Forget the lists' column widths, sort orders and splitters")),
            "forgetLists",
            _("Forget the list layouts"),
        )
        note = QLabel(
            _("Changes, the language among them, take effect the next time the window opens.")
        )
        note.setObjectName("preferencesNote")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language:"), self.language)
        buttons = ok_cancel(self, self.apply)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.ask_demo)
        layout.addWidget(self.forget_lists)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def apply(self) -> None:
        settings = QSettings()
        code = self.language.currentData()
        save_language(Language(code) if code else None)
        if self.ask_demo.isChecked():
            settings.remove(FIRST_RUN_KEY)
        if self.forget_lists.isChecked():
            settings.remove("lists")
        self.accept()


def show_preferences(parent: QWidget) -> None:
    PreferencesDialog(parent).exec()
