"""Pieces the people, organisations, countries and delegations areas share: a lazy list beside
the chosen record, an editable rows model, and errors shown at the field. (The person picker
is in ``person_picker``, the columns in ``columns``.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from html import escape
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.text import sort_key
from protocol_desk.i18n import _, shown
from protocol_desk.ui.columns import Column, column_header
from protocol_desk.ui.undo import refresh_after_change, remember
from protocol_desk.ui.widgets import (
    ID_ROLE,
    SEARCH_DELAY_MS,
    chosen_text,
    fill_choices,
    fit_columns,
    hint_html,
    named,
    show_choice,
    show_error,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCheckBox, QPushButton, QTextBrowser

    from protocol_desk.ui.record_editor import RecordEditor

Index = QModelIndex | QPersistentModelIndex

# A bad field: a red frame, readable on light and dark palettes alike.
ERROR_COLOUR = "#d32f2f"
ERROR_STYLE = f"border: 2px solid {ERROR_COLOUR};"

# fetch(after, limit) -> (rows, key to continue after, or None at the end)
Fetch = Callable[[Any, int], tuple[list[Any], Any]]


class PagedTableModel(QAbstractTableModel):
    """A read-only list that fetches pages of rows as the view scrolls (keyset paging), in
    the order its service gives until a column is sorted on: then it reads the rest of the
    rows the filter shows and sorts them all (text in dictionary order, Kazakh letters in
    their place; dates as dates)."""

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
        self._order: tuple[int, Qt.SortOrder] | None = None  # None: the service's own order
        self.reload()

    def set_fetch(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, self._after = self._fetch(None, self.PAGE_SIZE)
        self._exhausted = self._after is None
        if self._order is not None:
            self._read_all()
            self._sort_rows(*self._order)
        self.endResetModel()

    def _read_all(self) -> None:
        while not self._exhausted:
            rows, self._after = self._fetch(self._after, self.PAGE_SIZE)
            self._rows.extend(rows)
            self._exhausted = self._after is None

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        shown = self._columns[column]
        key = shown.key or (lambda row: sort_key(shown.text(row)))
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return  # no column: the service's own order
        self._order = (column, order)
        self.beginResetModel()
        self._read_all()
        self._sort_rows(column, order)
        self.endResetModel()

    def every_row(self) -> tuple[list[str], list[list[object]]]:
        """Headers and the text of every row the filter shows, in the list's order (read
        now, past the rows fetched so far; the list shown is left as it is)."""
        rows, after = list(self._rows), self._after
        while after is not None:
            more, after = self._fetch(after, self.PAGE_SIZE)
            rows.extend(more)
        if self._order is not None:
            column, order = self._order
            shown = self._columns[column]
            key = shown.key or (lambda row: sort_key(shown.text(row)))
            rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        headers = [_(c.header) for c in self._columns]
        return headers, [[c.text(row) for c in self._columns] for row in rows]

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
        return column_header(self._columns, section, orientation, role)


@dataclass(frozen=True)
class EditColumn:
    """A column of an editable table: the field, its header, and how its value is shown."""

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
        # Offered in the window's language, kept as the office's words (as the forms do).
        fill_choices(combo, self._values)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        show_choice(editor, str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, chosen_text(editor), Qt.ItemDataRole.EditRole)


class FieldErrors:
    """Shows validation problems at their fields: a red frame and the message beneath each, all
    at once. ``on_edit`` is told when a marked field is edited (to see whether it is fixed)."""

    def __init__(self, fallback: QLabel) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._marked: set[str] = set()
        self._fallback = fallback
        self.on_edit: Callable[[str], None] | None = None
        fallback.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        fallback.setWordWrap(True)

    @property
    def general(self) -> QLabel:
        """Where a problem that belongs to no one field is said."""
        return self._fallback

    def message_label(self, field: str, widget: QWidget) -> QLabel:
        """The label under ``widget`` that shows errors about ``field``."""
        label = QLabel()
        label.setObjectName(f"{field}Error")
        # Named after its field as a screen reader says it (in the window's language).
        named_as = widget.accessibleName() or field.replace("_", " ")
        label.setAccessibleName(_("Error: {field}").format(field=named_as))
        label.setStyleSheet(f"color: {ERROR_COLOUR};")
        label.setWordWrap(True)
        label.hide()
        self._fields[field] = (widget, label)
        for signal in edit_signals(widget):
            signal.connect(lambda *_args, name=field: self._edited(name))
        return label

    def watch(self, field: str, widget: QWidget) -> None:
        """Mark ``widget`` for problems with ``field``, their message said in the general
        label (a field with no room for a message of its own beneath it)."""
        self._fields[field] = (widget, self._fallback)
        for signal in edit_signals(widget):
            signal.connect(lambda *_args, name=field: self._edited(name))

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
        """Show one message; returns the widget at fault (to focus), if known."""
        return self.show_all([(field, message)])

    def show_all(self, problems: Sequence[tuple[str | None, str]]) -> QWidget | None:
        """Mark every problem's field; the first marked one is brought into view and focused.
        Problems of no known field are said in the general message."""
        self.clear()
        first: QWidget | None = None
        general = []
        for field, raised in problems:
            message = shown(raised)  # a rule's message in the window's language
            if field in self._fields:
                widget = self.mark(field, message)
                first = first or widget
            if field not in self._fields or self._fields[field][1] is self._fallback:
                general.append(message)
        self._fallback.setText("\n".join(general))
        if first is not None:
            bring_into_view(first)
            first.setFocus()
        return first

    def mark(self, field: str, message: str) -> QWidget:
        widget, label = self._fields[field]
        message = shown(message)
        widget.setStyleSheet(ERROR_STYLE)
        if label is not self._fallback:
            label.setText(message)
            label.show()
        self._marked.add(field)
        return widget

    def unmark(self, field: str) -> None:
        widget, label = self._fields[field]
        widget.setStyleSheet("")
        if label is not self._fallback:
            label.clear()
            label.hide()
        self._marked.discard(field)

    def marked(self) -> set[str]:
        return set(self._marked)

    def message(self, field: str) -> str:
        label = self._fields[field][1]
        return label.text() if not label.isHidden() else ""

    def clear(self) -> None:
        self._fallback.clear()
        for field in list(self._fields):
            self.unmark(field)

    def _edited(self, field: str) -> None:
        if field in self._marked and self.on_edit is not None:
            self.on_edit(field)


def edit_signals(widget: QWidget) -> list[SignalInstance]:
    """The signals that say a field's content was changed by the officer."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QComboBox):
        return [widget.currentIndexChanged, widget.currentTextChanged]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        return [model.dataChanged, model.rowsInserted, model.rowsRemoved, model.modelReset]
    return []


def bring_into_view(widget: QWidget) -> None:
    """Show the tab (of any tab widget around it) that holds ``widget``."""
    child: QWidget | None = widget
    while child is not None:
        parent = child.parentWidget()
        holder = parent.parentWidget() if parent is not None else None
        if isinstance(parent, QStackedWidget) and isinstance(holder, QTabWidget):
            holder.setCurrentWidget(child)
        child = parent


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
        return _("until {end:%d.%m.%Y}").format(end=end)
    if end is None:
        return _("since {start:%d.%m.%Y}").format(start=start)
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def visits_html(visits: Sequence[Any], status_labels: dict[Any, str]) -> str:
    """A record's visits in its detail pane: dates, title and status, one a line."""
    if not visits:
        return ""
    items = "".join(
        f"<li>{escape(dates_text(v.start, v.end or v.start))}: {escape(v.title)} "
        f"<i>[{status_labels[v.status]}]</i></li>"
        for v in visits
    )
    return "<h3>" + _("Visits") + f"</h3><ul>{items}</ul>"


def notes_html(notes: str) -> str:
    """A record's notes in its detail pane, a paragraph a line."""
    if not notes.strip():
        return ""
    return (
        "<h3>"
        + _("Notes")
        + "</h3>"
        + "".join(f"<p>{escape(p)}</p>" for p in notes.split("\n") if p.strip())
    )


def short_period(start: date, end: date | None) -> str:
    """A visit's days for a list column: ``05–06.03.2026``, ``28.02–02.03.2026``."""
    if end is None or end == start:
        return f"{start:%d.%m.%Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%d}–{end:%d.%m.%Y}"
    if start.year == end.year:
        return f"{start:%d.%m}–{end:%d.%m.%Y}"
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


def record_table(
    model: PagedTableModel,
    object_name: str,
    accessible_name: str,
    stretch: int,
    widths: Sequence[tuple[int, int]],
) -> QTableView:
    """A record list: whole rows, ``stretch`` taking the room the others leave, sorted on a
    header's click (until then, in the order the office's service gives)."""
    table = named(QTableView(), object_name, accessible_name)
    table.setModel(model)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    fit_columns(table, widths)
    return table


def filter_row(search: QLineEdit, *filters: tuple[str, QWidget]) -> QLayout:
    """The search line, then each filter after its caption; the filters wrap onto a second
    row in a narrow window rather than widen it."""
    from protocol_desk.ui.flow_layout import FlowLayout, captioned

    row = FlowLayout()
    search.setMinimumWidth(260)
    row.addWidget(search)
    for caption, widget in filters:
        row.addWidget(captioned(caption, widget))
    return row


def button_row(*buttons: QWidget, count: QLabel) -> QHBoxLayout:
    """The list's buttons on the left, its count on the right."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    row.addWidget(count)
    return row


class RecordListView(QWidget):
    """A lazy list of records beside the chosen one's details.

    A view builds ``model``, ``table`` and ``count_label``, then calls ``_follow_list`` with
    what shows one record; it says what its count reads in ``count_text``."""

    data_changed = Signal()

    model: PagedTableModel
    table: QTableView
    count_label: QLabel
    detail: QTextBrowser
    edit_button: QPushButton
    delete_button: QPushButton
    restore_button: QPushButton  # lists with a bin
    show_bin: QCheckBox
    _filter: Any  # what the list is narrowed to now

    def _read_with(self, flt: Any, page: Callable[..., tuple[list[Any], Any]]) -> None:
        """Read the list anew when its filter changed (``page(filter, after=, limit=)``
        reads a page); the same filter again reads nothing."""
        if flt != self._filter:
            self._filter = flt
            self.model.set_fetch(lambda after, limit: page(flt, after=after, limit=limit))

    def _count_words(
        self, total: int, unfiltered: bool, none_yet: str, none_match: str, counted: str
    ) -> str:
        """What the count under a list reads: the bin's count, an empty office's invitation,
        no match, or ``counted`` (already in the window's language)."""
        if self._filter.deleted:
            return (
                _("{total:,} in the bin").format(total=total) if total else _("The bin is empty.")
            )
        if total == 0:
            return none_yet if unfiltered else none_match
        return counted

    def _bin_buttons(self, record_id: int | None, readonly: bool, *buttons: QWidget) -> None:
        """Edit, Delete (and ``buttons``) for a chosen record outside the bin; Restore for
        one inside it. A read-only window never offers Restore (MainWindow hides what writes)."""
        in_bin = self._filter.deleted
        for button in (self.edit_button, self.delete_button, *buttons):
            button.setEnabled(record_id is not None and not in_bin)
        self.restore_button.setVisible(in_bin and not readonly)
        self.restore_button.setEnabled(record_id is not None and in_bin)

    def _to_the_bin(
        self,
        record_id: int,
        delete: Callable[[int], None],
        restore: Callable[[int], None],
        undo_label: str,
    ) -> bool:
        """Move a record the officer chose to delete to the bin, with Edit → Undo bringing it
        back. False (said in a message) when it could not be moved."""
        try:
            delete(record_id)
        except Exception as error:
            show_error(self, error, _("Not deleted"))
            return False
        self.reload()
        self.data_changed.emit()
        remember(
            self,
            undo_label,
            lambda: restore(record_id),
            lambda: delete(record_id),
            lambda: refresh_after_change(self),
        )
        return True

    def _from_the_bin(self, restore: Callable[[int], None]) -> None:
        """Bring the chosen record back from the bin, and show it among the others."""
        record_id = self.selected_id()
        if record_id is None:
            return
        try:
            restore(record_id)
        except Exception as error:
            show_error(self, error, _("Not restored"))
            return
        self.show_bin.setChecked(False)
        self.reload(select_id=record_id)
        self.data_changed.emit()

    def _show_detail(self, record_id: int | None, hint: str, html: Callable[[int], str]) -> None:
        """The chosen record's details, or what choosing one would show."""
        self.detail.setHtml(hint_html(hint) if record_id is None else html(record_id))

    def _edit_record(
        self, editor: Callable[[int | None], RecordEditor[Any]], *, new: bool
    ) -> int | None:
        """The chosen record (or a new one) in its editor; once saved, the list reads again
        with it chosen. The saved record's id, or None when nothing was saved."""
        record_id = None if new else self.selected_id()
        if not new and record_id is None:
            return None
        dialog = editor(record_id)
        if not dialog.exec() or dialog.saved_id is None:
            return None
        self.reload(select_id=dialog.saved_id)
        return dialog.saved_id

    def _list_area(
        self,
        key: str,
        title: str,
        edit: Callable[[], None],
        splitter: QSplitter,
        delete: Callable[[], None] | None = None,
    ) -> None:
        """The list's menu, keys and remembered state (see ``list_area``): Enter, F2 and a
        double click edit the record."""
        from protocol_desk.ui.list_area import ListArea

        self.list_area = ListArea(
            self.table,
            key,
            title,
            open_=edit,
            edit=edit,
            delete=(lambda: delete()) if delete is not None else None,
            all_rows=lambda: self.model.every_row(),
            splitters=[splitter],
        )

    def _follow_list(self, show: Callable[[int | None], None]) -> None:
        self._show = show
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelReset.connect(self._update_count)

    def _search_on_pause(self, search: QLineEdit) -> None:
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        search.textChanged.connect(self._debounce.start)

    def apply_filter(self) -> None:
        raise NotImplementedError

    def refresh_choices(self) -> None:
        """Refill the filter combos; a view without any has nothing to refill."""

    def count_text(self) -> str:
        raise NotImplementedError

    def _update_count(self) -> None:
        self.count_label.setText(self.count_text())
        if self.selected_id() is None:
            self._show(None)

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_id()
        self.refresh_choices()
        self.model.reload()
        if keep is not None:
            self.select(keep)

    def select(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected_id())

    def showEvent(self, event: QShowEvent) -> None:
        # Records may have been changed elsewhere since this list was last shown.
        super().showEvent(event)
        self.reload()
