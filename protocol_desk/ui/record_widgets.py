"""Pieces the people, organisations and delegations areas share: a lazy list model, an
editable rows model, a person picker that finds any spelling, and errors shown at the field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QLayout,
    QLineEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.store.people import PersonMatch

Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2  # what a chosen suggestion puts in the line
ERROR_STYLE = "border: 1px solid #c00; background: #fff4f4;"

# fetch(after, limit) -> (rows, key to continue after, or None at the end)
Fetch = Callable[[Any, int], tuple[list[Any], Any]]


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]


class PagedTableModel(QAbstractTableModel):
    """A read-only list that fetches pages of rows as the view scrolls (keyset paging)."""

    PAGE_SIZE = 200

    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Fetch,
        id_of: Callable[[Any], int],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._fetch = fetch
        self._id_of = id_of
        self._rows: list[Any] = []
        self._after: Any = None
        self._exhausted = True
        self.reload()

    def set_fetch(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, self._after = self._fetch(None, self.PAGE_SIZE)
        self._exhausted = self._after is None
        self.endResetModel()

    def row_of(self, row_id: int) -> int | None:
        """The row showing ``row_id``, fetching further pages until it is found."""
        while True:
            for number, row in enumerate(self._rows):
                if self._id_of(row) == row_id:
                    return number
            if not self.canFetchMore():
                return None
            self.fetchMore()

    def id_at(self, row: int) -> int | None:
        return self._id_of(self._rows[row]) if 0 <= row < len(self._rows) else None

    def item(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        rows, self._after = self._fetch(self._after, self.PAGE_SIZE)
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._exhausted = self._after is None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return self._id_of(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()].text(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return " — ".join(c.text(row) for c in self._columns[:2])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None


@dataclass(frozen=True)
class EditColumn:
    key: str
    header: str
    editable: bool = True
    # How a stored value is shown; the edit role gives the value itself.
    show: Callable[[Any], str] | None = None


class RowsModel(QAbstractTableModel):
    """A small editable table of dicts (name variants, positions, members, programme)."""

    def __init__(self, columns: Sequence[EditColumn], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self.endResetModel()

    def append(self, row: dict[str, Any]) -> int:
        position = len(self.rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.append(dict(row))
        self.endInsertRows()
        return position

    def remove(self, position: int) -> None:
        if 0 <= position < len(self.rows):
            self.beginRemoveRows(QModelIndex(), position, position)
            del self.rows[position]
            self.endRemoveRows()

    def column_of(self, key: str) -> int:
        return next(n for n, c in enumerate(self.columns) if c.key == key)

    def set_value(self, position: int, key: str, value: Any) -> None:
        self.setData(self.index(position, self.column_of(key)), value, Qt.ItemDataRole.EditRole)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        column = self.columns[index.column()]
        value = self.rows[index.row()].get(column.key)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column.show is not None:
                return column.show(value)
            return "" if value is None else str(value)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if not self.columns[index.column()].editable:
            return False
        self.rows[index.row()][self.columns[index.column()].key] = value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, role])
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell holding an id (or None) with a combo box of (id, label) choices."""

    def __init__(
        self,
        choices: Callable[[], list[tuple[Any, str]]],
        none_label: str = "—",
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._choices = choices
        self._none_label = none_label

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem(self._none_label, None)
        for value, label in self._choices():
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class TextChoiceDelegate(QStyledItemDelegate):
    """Edits a text cell with an editable combo: the usual values offered, anything allowed."""

    def __init__(self, values: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._values = list(values)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(self._values)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText().strip(), Qt.ItemDataRole.EditRole)


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
        self.setPlaceholderText("Type any spelling: Сергеенко, Segeenko, Sergeyenko…")
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
            label = match.full_name
            if match.matched_name != match.full_name:
                label += f" ({match.matched_name})"
            if match.title:
                label += f" — {match.title}"
            item = QStandardItem(label)
            item.setData(match.person_id, ID_ROLE)
            item.setData(match.full_name, NAME_ROLE)
            item.setEditable(False)
            self.suggestions.appendRow(item)
        if self._matches and self.hasFocus():
            self.suggestion_popup.complete()
        elif (popup := self.suggestion_popup.popup()) is not None:
            popup.hide()

    def _activated(self, index: QModelIndex) -> None:
        person_id = index.data(ID_ROLE)
        match = next((m for m in self._matches if m.person_id == person_id), None)
        if match is not None:
            self.choose(match.person_id, match.full_name)

    def _pick_single(self) -> None:
        # Enter with exactly one suggestion picks it: the quickest path for a known name.
        if self.person_id() is None and len(self._matches) == 1:
            self.choose_match(0)


class FieldErrors:
    """Shows a ValidationError at its field: a red frame and the message beneath it."""

    def __init__(self, fallback: QLabel) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._fallback = fallback
        fallback.setStyleSheet("color: #b00; font-weight: bold;")
        fallback.setWordWrap(True)

    def message_label(self, field: str, widget: QWidget) -> QLabel:
        """The label under ``widget`` that shows errors about ``field``."""
        label = QLabel()
        label.setObjectName(f"{field}Error")
        label.setAccessibleName(f"Error: {field.replace('_', ' ')}")
        label.setStyleSheet("color: #b00;")
        label.setWordWrap(True)
        label.hide()
        self._fields[field] = (widget, label)
        return label

    def field(self, content: QWidget | QLayout, *marks: tuple[str, QWidget]) -> QWidget:
        """``content`` with the error labels of ``marks`` (field, widget at fault) beneath it,
        as one form row: a hidden label takes no room."""
        row = QWidget()
        # Grow no taller than the field and its message, so the form keeps its rhythm.
        row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if isinstance(content, QWidget):
            layout.addWidget(content)
        else:
            layout.addLayout(content)
        for name, widget in marks:
            layout.addWidget(self.message_label(name, widget))
        return row

    def show(self, field: str | None, message: str) -> QWidget | None:
        """Show the message; returns the widget at fault (to focus), if known."""
        self.clear()
        if field in self._fields:
            widget, label = self._fields[field]
            widget.setStyleSheet(ERROR_STYLE)
            label.setText(message)
            label.show()
            widget.setFocus()
            return widget
        self._fallback.setText(message)
        return None

    def message(self, field: str) -> str:
        label = self._fields[field][1]
        return label.text() if not label.isHidden() else ""

    def clear(self) -> None:
        self._fallback.clear()
        for widget, label in self._fields.values():
            widget.setStyleSheet("")
            label.clear()
            label.hide()


def fill_combo(combo: QComboBox, first: str, items: Sequence[tuple[Any, str]]) -> None:
    """Refill a filter or picker combo, keeping the current choice when it is still there."""
    # Long names (a commission of a council of an assembly…) must not widen the window.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    combo.blockSignals(True)
    current = combo.currentData()
    combo.clear()
    combo.addItem(first, None)
    for value, label in items:
        combo.addItem(label, value)
    found = combo.findData(current)
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)


E = TypeVar("E", bound=StrEnum)


def enum_data(combo: QComboBox, kind: type[E]) -> E | None:
    """The enum a combo's current item holds: Qt hands StrEnum members back as plain text."""
    value = combo.currentData()
    return kind(value) if value is not None else None


def lines(text: str) -> list[str]:
    """Names typed one per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def dates_text(start: date | None, end: date | None) -> str:
    """``06.02.2026`` / ``06.02.2026 – 08.02.2026`` / ``since 2019`` style period."""
    if start is None and end is None:
        return ""
    if start is None:
        return f"until {end:%d.%m.%Y}"
    if end is None:
        return f"since {start:%d.%m.%Y}"
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def short_period(start: date, end: date | None) -> str:
    """A visit's days for a list column: ``05–06.03.2026``, ``28.02–02.03.2026``."""
    if end is None or end == start:
        return f"{start:%d.%m.%Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%d}–{end:%d.%m.%Y}"
    if start.year == end.year:
        return f"{start:%d.%m}–{end:%d.%m.%Y}"
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
