"""The one way every list in the window behaves: a context menu (Open, Edit, Delete, Copy,
Export selection, Print), Enter or F2 opens, Delete deletes, Ctrl+C copies, every column
sorts, and the columns, the sort and the splitters are remembered between sessions."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QHelpEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLayout,
    QMenu,
    QSplitter,
    QTableView,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.i18n import _
from protocol_desk.ui.looks import icon
from protocol_desk.ui.widgets import show_error

# What the rows of a list are when they leave the window: headers and one list per row.
Rows = tuple[list[str], list[list[object]]]


def shown_rows(view: QAbstractItemView, rows: Sequence[int] | None = None) -> Rows:
    """The text of a list's rows as it shows them (all of those fetched, or ``rows``)."""
    model = view.model()
    columns = [
        column
        for column in range(model.columnCount())
        if not (isinstance(view, QTableView | QTreeView) and view.isColumnHidden(column))
    ]
    headers = [str(model.headerData(column, Qt.Orientation.Horizontal) or "") for column in columns]
    numbers = list(rows) if rows is not None else list(range(model.rowCount()))
    return headers, [
        [model.index(row, column).data() or "" for column in columns] for row in numbers
    ]


class ListArea(QObject):
    """Attached to a list view: what every list does. The view says what its actions do;
    an action it does not give is not offered."""

    def __init__(
        self,
        view: QAbstractItemView,
        key: str,
        title: str,
        *,
        open_: Callable[[], None] | None = None,
        edit: Callable[[], None] | None = None,
        delete: Callable[[], None] | None = None,
        all_rows: Callable[[], Rows] | None = None,
        splitters: Sequence[QSplitter] = (),
        several: bool = False,
    ) -> None:
        super().__init__(view)
        self.setObjectName(f"{key}ListArea")
        self.view = view
        self.key = key
        self.title = title
        self.splitters = list(splitters)
        self._all_rows = all_rows
        if several:
            view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Each action is the view's own: its keys work while the list has the focus, and
        # the context menu shows them.
        self.open_action = self._action(_("&Open"), "open", open_, ("Return", "Enter", "F2"))
        self.edit_action = self._action(_("Edit…"), "edit", edit, ())
        self.delete_action = self._action(_("Delete…"), "delete", delete, ("Del",))
        self.copy_action = self._action(
            _("Copy"), "copy", self.copy, (QKeySequence.StandardKey.Copy,)
        )
        self.export_action = self._action(
            _("Export selection…"), "export", self.export_selection, ()
        )
        self.print_action = self._action(_("Print selection…"), "print", self.print_selection, ())
        self.record_actions: list[QAction] = []  # what the view adds for one record
        if open_ is not None:
            view.doubleClicked.connect(lambda _index: open_())
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.show_menu)
        self._restore_state()
        self._remember_state()
        header = self._header()
        self.room = MainColumnRoom(view, header) if header is not None else None

    def _action(
        self,
        text: str,
        name: str,
        slot: Callable[[], None] | None,
        keys: Sequence[str | QKeySequence.StandardKey],
    ) -> QAction | None:
        if slot is None:
            return None
        action = QAction(text, self.view)
        action.setObjectName(f"{self.key}{name.capitalize()}")
        action.setIcon(icon(name))
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            plain = text.replace("&", "").rstrip("…")
            action.setToolTip(f"{plain} ({QKeySequence(keys[0]).toString()})")
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    # --- the menu ----------------------------------------------------------------------------
    def menu(self) -> QMenu:
        menu = QMenu(self.view)
        menu.setObjectName(f"{self.key}ContextMenu")
        selected = bool(self.selected_rows())
        for group in (
            (self.open_action, self.edit_action, self.delete_action, *self.record_actions),
            (self.copy_action, self.export_action, self.print_action),
        ):
            if menu.actions():
                menu.addSeparator()
            for action in group:
                if action is not None:
                    # An action that is off (read-only, say) stays off in the menu.
                    action.setEnabled(selected and action.property("allowed") is not False)
                    menu.addAction(action)
        return menu

    def show_menu(self, where: QPoint) -> None:
        index = self.view.indexAt(where)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
            self.view.selectRow(index.row()) if isinstance(self.view, QTableView) else None
        self.menu().popup(self.view.viewport().mapToGlobal(where))

    def add_record_action(self, action: QAction) -> None:
        """An action of the view's on the selected record (print a meeting, a programme),
        offered in the list's menu after Open, Edit and Delete."""
        self.record_actions.append(action)

    def allow(self, action: QAction | None, allowed: bool) -> None:
        """Switch one of the list's actions on or off (nothing that writes when read-only)."""
        if action is not None:
            action.setProperty("allowed", allowed)
            action.setEnabled(allowed)

    # --- the rows ----------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        selection = self.view.selectionModel()
        if selection is None:
            return []
        return sorted({index.row() for index in selection.selectedRows()})

    def selected(self) -> Rows:
        return shown_rows(self.view, self.selected_rows())

    def every_row(self) -> Rows:
        """Every row the list's filter shows (not only those fetched so far)."""
        if self._all_rows is not None:
            return self._all_rows()
        return shown_rows(self.view)

    def copy(self) -> None:
        _headers, rows = self.selected()
        if not rows:
            return
        lines = ["\t".join(str(cell) for cell in row) for row in rows]
        QGuiApplication.clipboard().setText("\n".join(lines))

    def export_selection(self) -> None:
        self.export(*self.selected())

    def export(self, headers: list[str], rows: list[list[object]]) -> None:
        from PySide6.QtWidgets import QFileDialog

        from protocol_desk.services.list_export import export_rows

        path, chosen = QFileDialog.getSaveFileName(
            self.view,
            _("Export {title}").format(title=self.title.lower()),
            f"{self.key}.xlsx",
            _("Excel workbook") + " (*.xlsx);;" + _("CSV, comma-separated") + " (*.csv)",
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_suffix(".csv" if "*.csv" in chosen.lower() else ".xlsx")
        try:
            export_rows(target, headers, rows)
        except Exception as error:
            show_error(self.view, error, _("Not exported"))
            return
        window = self.view.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(
                _("Exported {n:,} rows to {target}").format(n=len(rows), target=target), 8000
            )

    def print_selection(self) -> None:
        self.print(*self.selected(), preview=False)

    def print(self, headers: list[str], rows: list[list[object]], *, preview: bool) -> None:
        from protocol_desk.reports.table_pdf import render_table_pdf
        from protocol_desk.ui.printing import print_pdf

        folder = Path(tempfile.mkdtemp(prefix="protocol-desk-print-"))
        pdf = folder / f"{self.key}.pdf"
        try:
            render_table_pdf(pdf, self.title, headers, rows)
        except Exception as error:
            show_error(self.view, error, _("Not printed"))
            return
        print_pdf(self.view, pdf, preview=preview)

    # --- remembered state ---------------------------------------------------------------------
    def _header(self) -> QHeaderView | None:
        if isinstance(self.view, QTableView | QTreeView):
            return (
                self.view.horizontalHeader()
                if isinstance(self.view, QTableView)
                else (self.view.header())
            )
        return None

    def _restore_state(self) -> None:
        settings = QSettings()
        header = self._header()
        state = settings.value(f"lists/{self.key}/columns")
        if header is not None and state is not None:
            header.restoreState(state)
        for number, splitter in enumerate(self.splitters):
            state = settings.value(f"lists/{self.key}/splitter{number}")
            if state is not None:
                splitter.restoreState(state)

    def _remember_state(self) -> None:
        header = self._header()
        if header is not None:
            header.sectionResized.connect(self.save_state)
            header.sectionMoved.connect(self.save_state)
            header.sortIndicatorChanged.connect(self.save_state)
        for splitter in self.splitters:
            splitter.splitterMoved.connect(self.save_state)

    def save_state(self) -> None:
        if self.room is not None and self.room.fitting:
            return  # a narrow window's widths are not the officer's choice
        settings = QSettings()
        header = self._header()
        if header is not None:
            settings.setValue(f"lists/{self.key}/columns", header.saveState())
        for number, splitter in enumerate(self.splitters):
            settings.setValue(f"lists/{self.key}/splitter{number}", splitter.saveState())


class MainColumnRoom(QObject):
    """Keeps a list's stretching column (its main text: subjects, names, actions) at least
    ``SHARE`` of the list's width: in a narrow window (150 %, long Kazakh or Russian headers) the
    other columns give up room, down to ``FLOOR`` pixels each, and get it back as it widens.
    A column the officer widens or narrows by hand is taken as that column's width."""

    SHARE = 0.3
    FLOOR = 48

    def __init__(self, view: QAbstractItemView, header: QHeaderView) -> None:
        super().__init__(view)
        self.view = view
        self.header = header
        self.wanted: dict[int, int] = {}
        self.fitting = False
        header.sectionResized.connect(self._resized_by_hand)
        view.viewport().installEventFilter(self)
        # A header cut short ends in "…", and shows whole in its tooltip.
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.viewport().installEventFilter(self)

    def _main(self) -> int | None:
        for column in range(self.header.count()):
            if self.header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
                return column
        return None

    def _others(self, main: int) -> list[int]:
        return [
            c
            for c in range(self.header.count())
            if c != main and not self.header.isSectionHidden(c)
        ]

    def _resized_by_hand(self, column: int, _old: int, new: int) -> None:
        if not self.fitting and column in self.wanted:
            self.wanted[column] = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self.fit()
        elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            column = self.header.logicalIndexAt(event.pos())
            text = self.header.model().headerData(column, Qt.Orientation.Horizontal)
            if column >= 0 and text:
                QToolTip.showText(event.globalPos(), str(text), self.header)
                return True
        return False

    def fit(self) -> None:
        main = self._main()
        if main is None:
            return
        others = self._others(main)
        for column in others:
            self.wanted.setdefault(column, self.header.sectionSize(column))
        cap = widest_allowed(
            [self.wanted[c] for c in others], self.view.viewport().width() * (1 - self.SHARE)
        )
        self.fitting = True
        try:
            for column in others:
                self.header.resizeSection(column, max(self.FLOOR, min(self.wanted[column], cap)))
        finally:
            self.fitting = False


def widest_allowed(widths: list[int], room: float) -> int:
    """The width the widest columns are cut to so that all fit in ``room``: the narrow ones
    (dates, short codes) keep theirs, the wide ones give up room first."""
    if sum(widths) <= room:
        return max(widths, default=0)
    left, count = room, len(widths)
    for width in sorted(widths):
        if width * count > left:
            return int(left / count)
        left -= width
        count -= 1
    return int(left)


def list_areas(widget: QWidget) -> list[ListArea]:
    """The lists in ``widget`` (an area of the window), the one with the focus first."""
    areas = widget.findChildren(ListArea)
    areas.sort(key=lambda area: not area.view.hasFocus())
    return [area for area in areas if area.view.isVisibleTo(widget)]


def list_beside_detail(
    table: QWidget, below: QLayout | QWidget, detail: QWidget, sizes: tuple[int, int] = (3, 2)
) -> QSplitter:
    """The list with its buttons or count beneath, and the chosen record's details to its
    right, sharing the width ``sizes`` to one another."""
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(table)
    if isinstance(below, QWidget):
        left_layout.addWidget(below)
    else:
        left_layout.addLayout(below)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, sizes[0])
    splitter.setStretchFactor(1, sizes[1])
    return splitter


def searched_list(
    area: QWidget, search: QWidget, filters: QLayout, message: QWidget, splitter: QSplitter
) -> QVBoxLayout:
    """An area's shape: the search line, its filters, what they have to say, and the list."""
    layout = QVBoxLayout(area)
    layout.addWidget(search)
    layout.addLayout(filters)
    layout.addWidget(message)
    layout.addWidget(splitter, 1)
    return layout
