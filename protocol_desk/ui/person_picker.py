"""The person picker: type any spelling of a name, in any script, and pick the person.

Its own module, so the meetings list's person filter is built without the record widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QMessageBox, QWidget

from protocol_desk.domain.names import MATCH_WORDS, Match
from protocol_desk.i18n import _, shown
from protocol_desk.ui.widgets import ID_ROLE

if TYPE_CHECKING:
    from protocol_desk.domain.listing import PersonMatch
    from protocol_desk.services.names import SamePerson

NAME_ROLE = Qt.ItemDataRole.UserRole + 2  # what a chosen suggestion puts in the line


SAME, DIFFERENT = 1, 2  # the answers to "Is this …?"; 0: neither (cancelled)


def ask_same_person(parent: QWidget | None, same: SamePerson) -> int:
    """Ask whether a new name is someone already known: "Is this Maulen Ashimbayev (Chairman
    of the Senate)?" with Use (keep the spelling as theirs) or Create anyway."""
    box = QMessageBox(parent)
    box.setObjectName("samePersonQuestion")
    box.setWindowTitle(_("Same person?"))
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(shown(same.message))
    others = [shown(k.question) for k in same.known[1:4]]
    box.setInformativeText(
        _(
            "“{name}” looks like a spelling of this name. Use keeps it as one of their "
            "spellings (a slip of a letter or two as a misprint, never printed); Create "
            "anyway makes a new person."
        ).format(name=same.name)
        + (_("\n\nOr perhaps: ") + " ".join(others) if others else "")
    )
    use = box.addButton(_("&Use"), QMessageBox.ButtonRole.AcceptRole)
    create = box.addButton(_("Create &anyway"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(use)
    use.setObjectName("useKnownPerson")
    create.setObjectName("createAnyway")
    box.exec()
    clicked = box.clickedButton()
    return SAME if clicked is use else DIFFERENT if clicked is create else 0


def suggestion_label(match: PersonMatch) -> str:
    """A suggestion as the lists show it, saying which spelling matched and how:
    "Ашимбаев → Maulen Ashimbayev — Chairman of the Senate", "Maulen Ashimbayev (close
    spelling)". A misprint kept as a spelling is shown only when it is what was typed."""
    label = match.full_name
    if match.matched_name != match.full_name:
        label = f"{match.matched_name} → {label}"
    if match.how is not Match.SPELLING:
        label += f" ({MATCH_WORDS[match.how]})"
    if match.title:
        label += f" — {match.title}"
    return label


class PersonPicker(QLineEdit):
    """Type any spelling of a name, in any script, and pick the person from the suggestions.

    ``chosen`` carries the person's id (or None when the text no longer names the choice)."""

    chosen = Signal(object)

    def __init__(
        self,
        suggest: Callable[[str], list[PersonMatch]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._suggest = suggest
        self._person_id: int | None = None
        self._chosen_text = ""
        self._matches: list[PersonMatch] = []
        self.suggestions = QStandardItemModel(self)
        completer = QCompleter(self.suggestions, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        completer.setCompletionRole(NAME_ROLE)
        completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]
        # Attached with setWidget, not setCompleter: the line edit would open the popup on
        # every key itself; this way it opens only for the person typing in it.
        completer.setWidget(self)
        self.suggestion_popup = completer
        self.setPlaceholderText(_("Type any spelling: Сергеенко, Segeenko, Sergeyenko…"))
        self.textEdited.connect(self._update)
        self.returnPressed.connect(self._pick_single)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter picks a person here; it must not also press the dialog's Save button.
            event.accept()

    def person_id(self) -> int | None:
        if self._person_id is not None and self.text() == self._chosen_text:
            return self._person_id
        return None

    def matches(self) -> list[PersonMatch]:
        return list(self._matches)

    def choose(self, person_id: int | None, name: str = "") -> None:
        self._person_id = person_id
        self._chosen_text = name if person_id is not None else ""
        self.setText(name)
        self.chosen.emit(person_id)

    def choose_match(self, row: int) -> None:
        if 0 <= row < len(self._matches):
            match = self._matches[row]
            self.choose(match.person_id, match.full_name)

    def _update(self, text: str) -> None:
        if self._person_id is not None and text != self._chosen_text:
            self._person_id = None
            self.chosen.emit(None)
        self._matches = self._suggest(text) if text.strip() else []
        self.suggestions.clear()
        for match in self._matches:
            item = QStandardItem(suggestion_label(match))
            item.setData(match.person_id, ID_ROLE)
            item.setData(match.full_name, NAME_ROLE)
            item.setEditable(False)
            self.suggestions.appendRow(item)
        if self._matches and self.hasFocus():
            # At least wide enough for a name and its title, however narrow the field.
            self.suggestion_popup.complete(QRect(0, 0, max(self.width(), 380), self.height()))
        elif (popup := self.suggestion_popup.popup()) is not None:
            popup.hide()

    def _activated(self, index: QModelIndex) -> None:
        person_id = index.data(ID_ROLE)
        match = next((m for m in self._matches if m.person_id == person_id), None)
        if match is not None:
            self.choose(match.person_id, match.full_name)

    def _pick_single(self) -> None:
        # Enter with exactly one suggestion picks it, and so with one spelling as typed among
        # others found only by another script or a slip: the quickest path for a known name.
        matches = self._matches
        if self.person_id() is None and matches:
            single = len(matches) == 1 or (
                matches[0].how is Match.SPELLING and matches[1].how is not Match.SPELLING
            )
            if single:
                self.choose_match(0)
