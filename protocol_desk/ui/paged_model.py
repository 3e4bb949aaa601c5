"""A lazy table model over a keyset-paged list: the first page on a reset, the next one each
time the view scrolls to the end, sortable by the columns the store offers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from protocol_desk.ui.columns import header_text

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")  # a row as the model keeps it


class KeysetPage(Protocol):
    @property
    def rows(self) -> Sequence[Any]: ...

    @property
    def next_after(self) -> tuple[Any, int] | None: ...


class PagedService(Protocol):
    def page(
        self,
        flt: Any,
        *,
        order_by: str,
        descending: bool,
        after: tuple[Any, int] | None = None,
        limit: int = 200,
    ) -> Any: ...


class KeysetTableModel(QAbstractTableModel, Generic[Row]):
    """Subclasses give ``COLUMNS`` ((header, the store's sort key), …), the filter and order to
    start from, and ``data``; ``keep`` turns a page's rows into the rows the model keeps."""

    PAGE_SIZE = 200
    COLUMNS: tuple[tuple[str, str], ...] = ()

    def __init__(
        self, service: PagedService, flt: Any, order_by: str, descending: bool, parent: Any
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._filter = flt
        self._order_by = order_by
        self._descending = descending
        self._rows: list[Row] = []
        self._after: tuple[Any, int] | None = None
        self._exhausted = True
        # Moves on each reset: a page read elsewhere for an older state is not shown.
        self.generation = 0
        # Set by a view that reads beside the window: asked to read the page after a key
        # (with the generation it is for) and to hand it to ``add_page``, so scrolling never
        # waits for a slow page. Unset, the next page is read in line.
        self.fetch_elsewhere: Callable[[int, tuple[Any, int] | None], None] | None = None
        # Likewise the first page in a new order: the rows shown stay until it comes.
        self.sort_elsewhere: Callable[[], None] | None = None
        self._fetching: tuple[int, tuple[Any, int] | None] | None = None

    @property
    def order(self) -> tuple[str, bool]:
        """The sort: the store's key, and whether descending."""
        return self._order_by, self._descending

    def keep(self, rows: Sequence[Any]) -> list[Row]:
        return list(rows)

    def _read(self, after: tuple[Any, int] | None) -> KeysetPage:
        page: KeysetPage = self._service.page(
            self._filter,
            order_by=self._order_by,
            descending=self._descending,
            after=after,
            limit=self.PAGE_SIZE,
        )
        return page

    def reload(self) -> None:
        """Start again from the first page (after a change, a new filter or a new order)."""
        self._show(self._read(None))

    def _show(self, page: KeysetPage) -> None:
        self.beginResetModel()
        self._rows = self.keep(page.rows)
        self._after = page.next_after
        self._exhausted = page.next_after is None
        self._fetching = None
        self.generation += 1
        self.endResetModel()

    # --- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        if self.fetch_elsewhere is not None:
            if self._fetching is None:  # one page at a time
                self._fetching = (self.generation, self._after)
                self.fetch_elsewhere(self.generation, self._after)
            return
        self._append(self._read(self._after))

    def is_fetching(self) -> bool:
        """A next page is being read elsewhere."""
        return self._fetching is not None

    def add_page(self, generation: int, after: tuple[Any, int] | None, page: KeysetPage) -> bool:
        """A next page read elsewhere: shown if it is the one asked for, for the list as it
        still is (not reset, sorted or filtered since). Returns whether it was shown."""
        if self._fetching != (generation, after) or generation != self.generation:
            return False
        self._fetching = None
        self._append(page)
        return True

    def fetch_failed(self, generation: int) -> None:
        """The next page could not be read elsewhere: scrolling may ask again."""
        if self._fetching is not None and self._fetching[0] == generation:
            self._fetching = None

    def _append(self, page: KeysetPage) -> None:
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(self.keep(page.rows))
            self.endInsertRows()
        self._after = page.next_after
        self._exhausted = page.next_after is None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text([header for header, _key in self.COLUMNS], section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        order_by, descending = self.COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder
        if (order_by, descending) == (self._order_by, self._descending) and self.generation:
            return  # already in this order (the view asks once when sorting is switched on)
        self._order_by, self._descending = order_by, descending
        if self.sort_elsewhere is None:
            self.reload()
            return
        # What is shown is in the old order: nothing more of it, nor any page on its way.
        self._exhausted = True
        self._fetching = None
        self.generation += 1
        self.sort_elsewhere()
