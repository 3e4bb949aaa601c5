"""Completers for the place fields: a city by any of its names and spellings (Nur-Sultan,
Нұр-Сұлтан, Astana), a country by any of its names (Беларусь, Белоруссия, Belarus)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit

from protocol_desk.ui.widgets import ID_ROLE

if TYPE_CHECKING:
    from protocol_desk.domain.listing import Place
    from protocol_desk.services.reference import Choice

NAME_ROLE = Qt.ItemDataRole.UserRole + 3  # the text a chosen suggestion puts in the field


def place_label(place: Place) -> str:
    """``Nur-Sultan — Astana, KZ``: the spelling typed, then what the city is called now."""
    if place.matched == place.name:
        return f"{place.name}, {place.iso_code}"
    return f"{place.matched} — {place.name}, {place.iso_code}"


class CityCompleter(QCompleter):
    """Suggests cities as the officer types in a city field. The field keeps the spelling
    picked (a meeting keeps the name its city had that day): Nur-Sultan stays Nur-Sultan."""

    def __init__(self, field: QLineEdit, suggest: Callable[[str], Sequence[Place]]) -> None:
        self.suggestions = QStandardItemModel(field)
        super().__init__(self.suggestions, field)
        self._field = field
        self._suggest = suggest
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompletionRole(NAME_ROLE)
        self.setMaxVisibleItems(12)
        self.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        # Attached with setWidget: the popup opens only for the person typing.
        self.setWidget(field)
        field.textEdited.connect(self._update)

    def _update(self, text: str) -> None:
        # Only the first 100 characters can begin a city's name; the rest is never read.
        places = self._suggest(text[:100]) if text.strip() else []
        self.suggestions.clear()
        for place in places:
            item = QStandardItem(place_label(place))
            item.setData(place.matched, NAME_ROLE)
            item.setEditable(False)
            self.suggestions.appendRow(item)
        if places and self._field.hasFocus():
            # Wide enough for a former name, today's and the country, however narrow the field.
            self.complete(QRect(0, 0, max(self._field.width(), 320), self._field.height()))
        elif (popup := self.popup()) is not None:
            popup.hide()

    def _picked(self, index: QModelIndex) -> None:
        self._field.setText(str(index.data(NAME_ROLE)))


def offer_countries(combo: QComboBox, choices: Sequence[Choice]) -> QCompleter:
    """Let the country picker be typed into: any of a country's names, in any script,
    picks it (Беларусь → Belarus). Text that names no country leaves the choice as it was."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    model = QStandardItemModel(combo)
    for choice in choices:
        for name in [choice.label, *choice.other_names]:
            label = name if name == choice.label else f"{name} → {choice.label}"
            item = QStandardItem(label)
            item.setData(choice.id, ID_ROLE)
            item.setEditable(False)
            model.appendRow(item)
    # The combo box's own completer (inline, on the labels alone) gives way to this one.
    combo.setCompleter(None)  # type: ignore[arg-type]
    completer = QCompleter(model, combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(12)

    def picked(index: QModelIndex) -> None:
        found = combo.findData(index.data(ID_ROLE))
        if found >= 0:
            combo.setCurrentIndex(found)
        combo.setEditText(combo.currentText())

    def left() -> None:
        # Typed text that picked nothing shows the choice that stands.
        if combo.lineEdit() is not None and combo.currentText() != combo.itemText(
            combo.currentIndex()
        ):
            combo.setEditText(combo.itemText(combo.currentIndex()))

    completer.activated[QModelIndex].connect(picked)  # type: ignore[index]
    line = combo.lineEdit()
    if line is not None:
        # Attached to the line with setWidget, not as the combo box's own completer: Qt's
        # would map the picked row onto the combo box's rows, and put "Беларусь → Belarus"
        # in the field.
        completer.setWidget(line)

        def typed(text: str) -> None:
            completer.setCompletionPrefix(text)
            if text.strip() and line.hasFocus():
                completer.complete()

        line.textEdited.connect(typed)
        line.editingFinished.connect(left)
    return completer
