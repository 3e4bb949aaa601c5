"""The window in Kazakh and Russian: every area, menu and main dialog shows no English word
apart from names, data and a few that stay as they are; counts take each language's plural
forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from typing import Any

import pytest
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

from protocol_desk import i18n
from protocol_desk.domain.language import Language
from protocol_desk.paths import data_dir
from protocol_desk.services.briefing import SubjectKind, resolve_subject
from protocol_desk.services.delegations import DelegationService
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import PeopleService
from protocol_desk.services.reference import ReferenceService
from protocol_desk.services.release_lookup import StoreLookup
from protocol_desk.services.release_offer import read_release
from protocol_desk.services.safety import SafetyService
from protocol_desk.store import Store
from protocol_desk.ui.anniversary_editor import AnniversaryEditor, RulesDialog
from protocol_desk.ui.briefing_dialog import BriefingDialog
from protocol_desk.ui.countries_view import CountryEditor
from protocol_desk.ui.delegations_view import DelegationEditor
from protocol_desk.ui.help import PreferencesDialog, _dialog, about_html, shortcuts_html
from protocol_desk.ui.language import install_language
from protocol_desk.ui.main_window import MainWindow
from protocol_desk.ui.meeting_editor import MeetingEditor
from protocol_desk.ui.office_dialogs import ConnectDialog
from protocol_desk.ui.organisations_view import OrganisationEditor
from protocol_desk.ui.people_view import PersonEditor
from protocol_desk.ui.release_reading import ReleaseReadingDialog
from protocol_desk.ui.safety_dialogs import RestoreDialog

pytestmark = pytest.mark.gui

# Words that stay as they are in every language: the product's and formats' names, keys.
ALLOWED = {
    "protocol",
    "desk",
    "pdf",
    "csv",
    "excel",
    "ics",
    "json",
    "xlsx",
    "url",
    "iso",
    "ctrl",
    "shift",
    "del",
    "esc",
    "enter",
    "tab",
    "alt",
    "pyside",
    "qt",
    "lgpl",
    "gnu",
    "python",
    "http",
    "https",
    "www",
    "com",
    "org",
    "kz",
    "by",
    "dejavu",
    "bitstream",
    "vera",
    "font",
    "awesome",
    "free",
    "cc",
    "mit",
    "bsd",
    "apache",
    "psf",
    "mpl",
    "lgplv",
    "gpl",
    "sqlite",
    "babel",
    "reportlab",
    "pypdf",
    "openpyxl",
    "pymorphy",
    "dicts",
    "ru",
    "kk",
    "en",
    "english",
    "utf",
    "f1",
    "f2",
    "f5",
    "pg",
    "up",
    "down",
    "home",
    "end",
    "ins",
    "backspace",
    "cgit",
    "pyside6",
    "setup",
    "git",
    "code",
    "io",
    "license",
    "licence",
    "other",
    "ok",
    "tls",
    "letter",
}
WORD = re.compile(r"[A-Za-z]{2,}")
TAG = re.compile(r"<[^>]+>")
HOST = re.compile(r"\b[\w-]+(?:\.[\w-]+)+\b")  # an example server's name, a file's


@pytest.fixture(params=[Language.KAZAKH, Language.RUSSIAN], ids=["kk", "ru"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Language]:
    install_language(qapp, request.param)
    yield request.param
    install_language(qapp, Language.ENGLISH)


def data_words(store: Store) -> set[str]:
    """Every word the records hold (names, titles, places): data, shown as the office wrote."""
    words: set[str] = set()
    for line in store.db.conn.iterdump():
        if line.startswith("INSERT"):  # the values kept, not the tables' and columns' names
            for value in re.findall(r"'((?:[^']|'')*)'", line):
                words.update(w.lower() for w in WORD.findall(value))
    return words


def texts(widget: QWidget) -> Iterator[tuple[str, bool]]:
    """What a person sees or hears of a window, its own and its children's: each text with
    whether it is the window's own words alone (a label, a button, a heading: no data in it)."""
    yield widget.windowTitle(), False
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisibleTo(widget) and child is not widget:
            continue
        yield child.toolTip(), False
        yield child.accessibleName(), False
        if isinstance(child, QLabel):
            yield child.text(), child.buddy() is not None  # a form's label names a field
        elif isinstance(child, QAbstractButton):
            yield child.text(), True
        elif isinstance(child, QLineEdit | QPlainTextEdit):
            yield child.placeholderText(), False  # examples may be names
        elif isinstance(child, QGroupBox):
            yield child.title(), True
        elif isinstance(child, QComboBox):
            yield from ((child.itemText(i), False) for i in range(child.count()))
        elif isinstance(child, QTabWidget):
            yield from ((child.tabText(i), True) for i in range(child.count()))
        elif isinstance(child, QListWidget):
            yield from ((child.item(i).text(), False) for i in range(child.count()))
        elif isinstance(child, QTextBrowser) and child.objectName() != "aboutText":
            yield child.toPlainText(), False  # a record's details: headings around data
        elif isinstance(child, QTextBrowser) and child.objectName() == "aboutText":
            # The components' table holds their names and licences as their makers write them.
            html = child.toHtml()
            yield re.sub(r"<table.*?</table>|<head>.*?</head>", "", html, flags=re.S), False
        if isinstance(child, QAbstractItemView) and isinstance(
            child.model(), QAbstractTableModel | QSortFilterProxyModel | QStandardItemModel
        ):
            model = child.model()
            for column in range(model.columnCount(QModelIndex())):
                yield str(model.headerData(column, Qt.Orientation.Horizontal) or ""), True


def choose_first_rows(window: QWidget, qtbot: Any) -> None:
    """The first record of each list shown, so that its details are shown too."""
    for view in window.findChildren(QTableView):
        if view.isVisible() and view.model() is not None and view.model().rowCount() > 0:
            view.selectRow(0)
    qtbot.wait(300)  # details read beside the window arrive


def menu_texts(window: MainWindow) -> Iterator[tuple[str, bool]]:
    for menu in window.menuBar().findChildren(QMenu):
        yield menu.title(), True
        for action in menu.actions():
            yield action.text(), True
            yield action.toolTip(), True


def english_left(found: Iterator[tuple[str, bool]], data: set[str]) -> set[str]:
    """The English words left: beside the few that stay, words of the records shown count
    as data, apart from texts that are the window's own words alone."""
    left: set[str] = set()
    for text, own_words in found:
        plain = HOST.sub(" ", unescape(TAG.sub(" ", text or "")))
        allowed = ALLOWED if own_words else ALLOWED | data
        for word in WORD.findall(plain):
            if word.lower() not in allowed:
                left.add(f"{word} ← {plain.strip()[:70]}")
    return left


AREAS = ("today", "meetings", "delegations", "people", "anniversaries", "actions")


def test_the_main_window_every_area_and_menu_speak_the_language(
    qtbot: Any, demo_store: Store, language: Language
) -> None:
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()
    allowed = data_words(demo_store)
    seen: list[tuple[str, bool]] = list(menu_texts(window))
    for key in AREAS:
        window.show_area(key)
        area = window.area(key)
        tabs = area if isinstance(area, QTabWidget) else None
        for tab in range(tabs.count() if tabs else 1):
            if tabs is not None:
                tabs.setCurrentIndex(tab)
            seen.extend(texts(window))  # nothing chosen yet: what the panes say then
            choose_first_rows(window, qtbot)
            seen.extend(texts(window))
    seen.append((window.statusBar().currentMessage(), False))
    left = english_left(iter(seen), allowed)
    assert not left, "\n".join(sorted(left))
    assert window.menuBar().actions()[0].text() != "&File"


# A press release in English: its sentences are data, shown as the release has them.
RELEASE = (
    "On 5 June 2022 Chairman of the Senate Maulen Ashimbayev met the Ambassador of "
    "Belarus. The parties agreed to hold consultations."
)


def _dialogs(store: Store, holder: QWidget) -> dict[str, QWidget]:
    countries = CountryService(store)
    organisations = OrganisationService(store)
    people = PeopleService(store)
    reference = ReferenceService(store)
    belarus = resolve_subject(store, SubjectKind.COUNTRY, "Belarus")
    release = read_release(StoreLookup(store), RELEASE)
    return {
        "meeting": MeetingEditor(MeetingService(store), reference),
        "meeting of the demo": MeetingEditor(MeetingService(store), reference, meeting_id=1),
        "person": PersonEditor(people, organisations, countries),
        "organisation": OrganisationEditor(organisations, countries),
        "country": CountryEditor(countries),
        "visit": DelegationEditor(DelegationService(store), people, organisations, countries),
        "anniversary": AnniversaryEditor(store),
        "anniversary rules": RulesDialog(store),
        "preferences": PreferencesDialog(),
        "about": _dialog(holder, "about", "", about_html(None), (620, 560)),
        "shortcuts": _dialog(holder, "shortcuts", "", shortcuts_html([]), (520, 560)),
        "briefing": BriefingDialog(store, belarus, as_of=date(2022, 9, 1)),
        "restore": RestoreDialog(SafetyService(store)),
        "release review": ReleaseReadingDialog(release, RELEASE, has_date=False, taking_part=set()),
        "office connect": ConnectDialog(store),
    }


def test_the_main_dialogs_speak_the_language(
    qtbot: Any, demo_store: Store, language: Language
) -> None:
    allowed = data_words(demo_store)
    # The release's sentences and the folder the data lives in are shown as they are.
    allowed |= {w.lower() for w in WORD.findall(f"{RELEASE} {data_dir()}")}
    left: dict[str, set[str]] = {}
    holder = QWidget()
    qtbot.addWidget(holder)
    for name, dialog in _dialogs(demo_store, holder).items():
        if dialog.parent() is None:
            qtbot.addWidget(dialog)
        dialog.show()
        pages = dialog.findChildren(QTabWidget)
        seen = list(texts(dialog))
        for tabs in pages:
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                seen.extend(texts(dialog))
        words = english_left(iter(seen), allowed)
        if words:
            left[name] = words
        dialog.close()
    assert not left, "\n".join(f"{name}: {word}" for name in left for word in sorted(left[name]))


@pytest.mark.parametrize(
    ("count", "kk", "ru"),
    [
        (0, "0 кездесу", "0 встреч"),
        (1, "1 кездесу", "1 встреча"),
        (2, "2 кездесу", "2 встречи"),
        (5, "5 кездесу", "5 встреч"),
        (21, "21 кездесу", "21 встреча"),
        (22, "22 кездесу", "22 встречи"),
    ],
)
def test_the_windows_counts_take_each_languages_plural_forms(
    qapp: QApplication, count: int, kk: str, ru: str
) -> None:
    for language, expected in ((Language.KAZAKH, kk), (Language.RUSSIAN, ru)):
        install_language(qapp, language)
        assert i18n.record_count("meetings", count) == expected
    install_language(qapp, Language.RUSSIAN)
    weeks = {n: i18n.ngettext("next {n} week", "next {n} weeks", n).format(n=n) for n in (1, 2, 5)}
    assert weeks == {1: "ближайшая 1 неделя", 2: "ближайшие 2 недели", 5: "ближайшие 5 недель"}
    install_language(qapp, Language.ENGLISH)
    assert QCoreApplication.instance() is qapp


# --- messages: what the window says in its boxes, triggered as an officer would -----------------
def data_values(store: Store) -> list[str]:
    """Every value the records hold, longest first: taken out of a message whole, so that the
    message's own words are what is left to look at."""
    values: set[str] = set()
    for line in store.db.conn.iterdump():
        if line.startswith("INSERT"):
            values.update(v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", line))
    return sorted((v for v in values if len(v) > 1), key=len, reverse=True)


def english_in_messages(found: list[str], values: list[str]) -> set[str]:
    """Stricter than the areas' check: the records' values are taken out whole, then any
    English word left (apart from the few that stay) is one the window forgot to translate."""
    left: set[str] = set()
    for text in found:
        plain = unescape(TAG.sub(" ", text or ""))
        for value in values:
            if value in plain:  # a whole value, not a piece of a word
                plain = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", plain)
        plain = HOST.sub(" ", plain)
        for word in WORD.findall(plain):
            if word.lower() not in ALLOWED:
                left.add(f"{word} ← {text.strip()[:90]}")
    return left


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window's message boxes say (titles, texts, buttons), answered with No/Cancel."""
    from PySide6.QtWidgets import QMessageBox

    boxes: list[str] = []
    no = QMessageBox.StandardButton.No

    def static(kind: str) -> Any:
        def box(_parent: Any, title: str, text: str, *_args: Any, **_kwargs: Any) -> Any:
            boxes.extend([title, text])
            return no if kind == "question" else QMessageBox.StandardButton.Ok

        return box

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, static(kind))

    def shown_box(box: QMessageBox) -> int:
        boxes.extend([box.windowTitle(), box.text(), box.informativeText()])
        boxes.extend(button.text() for button in box.buttons())
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", shown_box)
    return boxes


def test_the_windows_messages_speak_the_language(
    qtbot: Any,
    demo_store: Store,
    language: Language,
    said: list[str],
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    window.show()
    actions = {a.objectName(): a for a in window.actions()}
    seen_before = len(said)

    # An export that is no export, one a step deeper, and one naming a record it lacks: the
    # import's one-line messages, made of the record's kind, the field and the problem.
    files = {
        "not-an-export.json": '{"hello": 1}',
        "a-meeting-without-a-day.json": (
            '{"format": "protocol-desk", "format_version": 1, "meetings": '
            '[{"uid": "m-1", "subject": "Кездесу"}]}'
        ),
        "wrong-version.json": '{"format": "protocol-desk", "format_version": "бір"}',
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, p=path: (str(p), ""))
        actions["importData"].trigger()
    actions["backupNow"].trigger()  # a temporary database has no backups
    actions["syncNow"].trigger()  # this desk is connected to no office server
    window.show_area("meetings")
    window.meetings_view.table.selectRow(0)
    qtbot.wait(100)
    actions["deleteMeeting"].trigger()  # asks first (answered No)
    assert len(said) - seen_before >= 8, said  # every trigger above said something

    # Editors saved empty: each rule's message beside its field.
    editors: list[QWidget] = [
        MeetingEditor(MeetingService(demo_store), ReferenceService(demo_store)),
        PersonEditor(
            PeopleService(demo_store), OrganisationService(demo_store), CountryService(demo_store)
        ),
        DelegationEditor(
            DelegationService(demo_store),
            PeopleService(demo_store),
            OrganisationService(demo_store),
            CountryService(demo_store),
        ),
        CountryEditor(CountryService(demo_store)),
        OrganisationEditor(OrganisationService(demo_store), CountryService(demo_store)),
    ]
    before_editors = len(said)
    for editor in editors:
        qtbot.addWidget(editor)
        editor.show()
        assert not editor.save()  # type: ignore[attr-defined]
        said.extend(
            label.text()
            for label in editor.findChildren(QLabel)
            if label.objectName().endswith(("Error", "editorError")) and label.text()
        )
        editor.hide()
    assert len(said) - before_editors >= len(editors)  # each editor said what is missing
    no_backups = "A temporary database has no backups."
    assert i18n._(no_backups) in said and i18n._(no_backups) != no_backups
    # The files' names and their keys are the file's words, shown as they are.
    keys = {k for content in files.values() for k in re.findall(r'"(\w+)":', content)}
    values = [*data_values(demo_store), str(tmp_path), *files, *keys]
    left = english_in_messages(said, values)
    assert not left, "\n".join(sorted(left))
