"""The anniversaries area: what is coming by month, what needs preparing now, and the
office's own anniversaries with their rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import parse_date, parse_period
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    AnniversaryKind,
)
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.anniversaries import (
    HORIZON_CHOICES,
    MonthPart,
    PeriodSummary,
    UpcomingItem,
    UpcomingMonths,
    UpcomingQuery,
    UpcomingTotals,
    YearAnniversary,
    create_action_for,
    delete_anniversary,
    has_anniversaries,
    kind_label,
    period_summary,
    restore_anniversary,
)
from protocol_desk.services.database import Database
from protocol_desk.services.reference import ReferenceService
from protocol_desk.ui.anniversary_editor import AnniversaryEditor, RulesDialog
from protocol_desk.ui.background import Reads
from protocol_desk.ui.columns import Column, header_text
from protocol_desk.ui.day_words import date_text, month_heading, year_only_when
from protocol_desk.ui.flow_layout import FlowLayout, captioned
from protocol_desk.ui.list_area import ListArea
from protocol_desk.ui.looks import (
    ERROR_TEXT_STYLE,
    attention_colour,
    jubilee_background,
    quiet_colour,
)
from protocol_desk.ui.short_lists import (
    ITEM_ROLE,
    ListModel,
    countdown,
    day_text,
    occurrence_style,
    table,
    where_text,
)
from protocol_desk.ui.undo import refresh_after_change, remember, undo_stack
from protocol_desk.ui.widgets import (
    date_width,
    fill_combo,
    fit_columns,
    named,
    show_error,
)

Index = QModelIndex | QPersistentModelIndex

RANGE = 0  # the horizon combo's data for "a range of dates"


def preparation_text(item: UpcomingItem, as_of: date) -> str:
    if item.actions:
        count = len(item.actions)
        return ngettext("{n} action planned", "{n} actions planned", count).format(n=count)
    if item.needs_attention(as_of):
        return _("Needs attention")
    started = item.occurrence.prepare_by
    if started > as_of:
        return _("Start {started}").format(started=countdown(started, as_of))
    return ""


# --- models -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Month:
    """A month row: its whole count (from its first part) and the occurrences read so far."""

    year: int
    month: int
    count: int
    jubilees: int
    items: list[UpcomingItem]  # grows as the rest of the month is read

    @property
    def title(self) -> str:
        count, jubilees = self.count, self.jubilees
        text = f"{month_heading(self.year, self.month)} — " + ngettext(
            "{n} anniversary", "{n} anniversaries", count
        ).format(n=f"{count:,}")
        if jubilees:
            text += ", " + ngettext("{n} jubilee", "{n} jubilees", jubilees).format(
                n=f"{jubilees:,}"
            )
        return text


def _month(part: MonthPart) -> Month:
    assert part.totals is not None  # a month's first part
    span, totals = part.span, part.totals
    return Month(span.year, span.month, totals.count, totals.jubilees, list(part.items))


UPCOMING_COLUMNS = (
    N_("Date"),
    N_("When"),
    N_("Anniversary"),
    N_("Kind"),
    N_("Country"),
    N_("Prepare by"),
    N_("Preparation"),
)
_UPCOMING_WIDTH = len(UPCOMING_COLUMNS)
# The roles ``UpcomingModel.data`` answers. A view asks for a dozen roles per cell, on every
# paint; the others are turned away before any lookup.
_UPCOMING_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        ITEM_ROLE,
    )
)


class UpcomingModel(QStandardItemModel):
    """Occurrences grouped by month: month rows at the top level, occurrences beneath. They
    are read a few days at a time as the view scrolls down to them (``read_more``), so a year
    of tens of thousands of anniversaries opens as fast as its first screen.

    The rows are Qt's own (empty rows of a QStandardItemModel, no item objects): a tree view
    walks every row to lay itself out after each read, and with a model written in Python that
    walk called into Python three times a row (0.1–0.4 s a read, ten thousand rows down). The
    text is worked out in ``data``, for the rows on screen only."""

    FIRST_ROWS = UpcomingMonths.FIRST_ROWS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, _UPCOMING_WIDTH, parent)
        self.months: list[Month] = []
        self.as_of = date.today()
        self._reader: UpcomingMonths | None = None

    def set_reader(self, reader: UpcomingMonths, as_of: date) -> None:
        """Show ``reader``'s occurrences: its first months now, the rest on demand."""
        self.beginResetModel()
        self.as_of = as_of
        self._reader = reader
        self.months = []
        for part in reader.read_at_least(self.FIRST_ROWS):
            if part.totals is not None:
                self.months.append(_month(part))
            else:
                self.months[-1].items.extend(part.items)
        # Rows made within the reset add no signals of their own: the view lays out once.
        self.blockSignals(True)
        try:
            self.setRowCount(len(self.months))
            for row, month in enumerate(self.months):
                self._month_item(row).setRowCount(len(month.items))
        finally:
            self.blockSignals(False)
        self.endResetModel()

    def _month_item(self, row: int) -> QStandardItem:
        item = self.item(row, 0)
        if item is None:
            item = QStandardItem()
            item.setColumnCount(_UPCOMING_WIDTH)
            self.setItem(row, 0, item)
        return item

    # Not Qt's canFetchMore/fetchMore: a tree view fetches top-level rows until they would
    # fill the viewport, and here each top-level row is a month.
    def has_more(self) -> bool:
        return self._reader is not None and self._reader.has_more()

    def read_more(self) -> None:
        """Read the next few days that have occurrences."""
        if self._reader is not None and (found := self._reader.read_next()) is not None:
            self._append([found])

    def fetch_through(self, day: date) -> None:
        """Read on until ``day`` has been read."""
        if self._reader is not None:
            self._append(self._reader.read_through(day))

    def _append(self, parts: Sequence[MonthPart]) -> None:
        for part in parts:
            if part.totals is not None:  # a new month
                self.months.append(_month(part))
                row = len(self.months) - 1
                self.setRowCount(row + 1)
                self._month_item(row).setRowCount(len(self.months[row].items))
                continue
            month = self.months[-1]
            month.items.extend(part.items)
            self._month_item(len(self.months) - 1).setRowCount(len(month.items))

    def shown_rows(self) -> int:
        """Month rows and occurrence rows (every month is open)."""
        return len(self.months) + sum(len(month.items) for month in self.months)

    def item_at(self, index: Index) -> UpcomingItem | None:
        if not index.isValid():
            return None
        parent = index.parent()
        if not parent.isValid() or not 0 <= parent.row() < len(self.months):
            return None
        items = self.months[parent.row()].items
        return items[index.row()] if 0 <= index.row() < len(items) else None

    def index_of(self, anniversary_id: int, day: date) -> QModelIndex:
        self.fetch_through(day)
        for number, month in enumerate(self.months):
            for row, item in enumerate(month.items):
                if item.anniversary.id == anniversary_id and item.occurrence.date == day:
                    return self.index(row, 0, self.index(number, 0))
        return QModelIndex()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _UPCOMING_ROLES or not index.isValid():
            return None
        if not index.parent().isValid():
            return self._month_data(index, role)
        item = self.item_at(index)
        if item is None:
            return None
        if role == ITEM_ROLE:
            return item
        o = item.occurrence
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and column == 5:
                return _("Preparation should start {lead_days} days before the day.").format(
                    lead_days=o.lead_days
                )
            return self._text(item, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            jubilee = " Jubilee." if o.jubilee else ""
            return f"{date_text(o.date)}: {o.title}.{jubilee} {preparation_text(item, self.as_of)}"
        if role == Qt.ItemDataRole.FontRole and o.jubilee:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and o.jubilee:
            return jubilee_background(o.major)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (5, 6) and item.needs_attention(self.as_of):
                return attention_colour()
            if column == 1:
                return quiet_colour()
        return None

    def _text(self, item: UpcomingItem, column: int) -> str:
        o = item.occurrence
        if column == 0:
            return day_text(o.date)
        if column == 1:
            return countdown(o.date, self.as_of)
        if column == 2:
            star = "★ " if o.jubilee else ""
            return f"{star}{o.title}"
        if column == 3:
            return _(kind_label(o.anniversary.kind))
        if column == 4:
            return where_text(item)
        if column == 5:
            return date_text(o.prepare_by)
        return preparation_text(item, self.as_of)

    def _month_data(self, index: Index, role: int) -> Any:
        if not 0 <= index.row() < len(self.months):
            return None
        month = self.months[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return month.title if index.column() == 0 else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(UPCOMING_COLUMNS, section, orientation, role)


# --- the view -----------------------------------------------------------------------------------
class AnniversariesView(QWidget):
    """Upcoming occurrences and the needs-attention list. ``data_changed`` is emitted after an
    anniversary or an action was saved here."""

    data_changed = Signal()

    def __init__(
        self,
        store: Database,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.reference = ReferenceService(store)
        self._today = today
        self._loaded = False
        self._as_of = today()

        self.as_of = named(QLineEdit(date_text(self._as_of)), "asOf", _("As of"))
        date_width(self.as_of, 110)
        self.as_of.setToolTip(_("Any date: 08.06.2022, 2022-06-08, 8 June 2022"))
        self.today_button = named(QToolButton(), "asOfToday", _("Back to today"))
        self.today_button.setText(_("Today"))
        self.horizon = named(QComboBox(), "horizon", _("Horizon"))
        for days in HORIZON_CHOICES:
            self.horizon.addItem(_("next {days} days").format(days=days), days)
        self.horizon.addItem(_("range to…"), RANGE)
        self.horizon.setCurrentIndex(1)
        self.range_end = named(QLineEdit(), "rangeEnd", _("Range ends on"))
        self.range_end.setPlaceholderText(_("last day"))
        self.range_end.setToolTip(_("The range's last day; a month or a year ends on its last day"))
        date_width(self.range_end, 110)
        self.range_end.hide()
        self.kind = named(QComboBox(), "kindFilter", _("Filter by kind"))
        self.country = named(QComboBox(), "countryFilter", _("Filter by country"))
        self.filter_message = QLabel()
        self.filter_message.setObjectName("filterMessage")
        self.filter_message.setStyleSheet(ERROR_TEXT_STYLE)

        self.new_button = named(QPushButton(_("New anniversary…")), "newAnniversary", _("New"))
        self.edit_button = named(QPushButton(_("Edit…")), "editAnniversary", _("Edit anniversary"))
        self.delete_button = named(QPushButton(_("Delete…")), "deleteAnniversary", _("Delete"))
        self.export_button = named(
            QPushButton(_("Export calendar…")), "exportCalendar", _("Export to a calendar file")
        )
        self.rules_button = named(QPushButton(_("Rules…")), "anniversaryRules", _("Jubilee rules"))

        self.model = UpcomingModel(self)
        self.tree = named(QTreeView(), "upcomingTree", _("Upcoming anniversaries"))
        self.tree.setModel(self.model)
        # The model's empty rows say they could be edited (Qt's default): the tree does not.
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setIndentation(14)
        # Wide enough for Kazakh and Russian: "8 күннен кейін", "Дайындау мерзімі".
        fit_columns(self.tree, ((0, 125), (1, 115), (3, 120), (4, 110), (5, 130), (6, 185)))
        self.summary = QLabel()
        self.summary.setObjectName("upcomingSummary")

        self.attention_model = ListModel(
            [
                Column("Date", lambda i: day_text(i.occurrence.date)),
                Column(
                    "Anniversary",
                    lambda i: ("★ " if i.occurrence.jubilee else "") + i.occurrence.title,
                ),
                Column("Prepare by", lambda i: date_text(i.occurrence.prepare_by)),
                Column("Country", where_text),
            ],
            occurrence_style,
            self,
        )
        self.attention = table("needsAttention", _("Needs attention"), self.attention_model)
        self.attention.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fit_columns(self.attention, ((0, 120), (2, 130), (3, 170)))
        self.attention_title = QLabel()
        self.attention_title.setObjectName("needsAttentionTitle")
        self.create_action_button = named(
            QPushButton(_("Create action")), "createAction", _("Create the agreed action")
        )
        self.create_action_button.setToolTip(
            _("An agreed action due on the day, linked to the anniversary")
        )
        # Relations known by the year alone: an anniversary in a year, on no day yet.
        self.by_year_model = ListModel(
            [
                Column("When", year_only_when),
                Column("Anniversary", lambda y: ("★ " if y.jubilee else "") + y.title),
                Column("Country", lambda y: y.country),
            ],
            None,
            self,
        )
        self.by_year = table("knownByYear", _("Known by the year alone"), self.by_year_model)
        self.by_year.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.by_year.setColumnWidth(0, 150)
        self.by_year.setColumnWidth(2, 170)
        self.by_year.setMaximumHeight(130)
        self.by_year_title = QLabel()
        self.by_year_title.setObjectName("knownByYearTitle")
        self.exact_button = named(
            QPushButton(_("Set the day…")), "setRelationsDay", _("Set the day")
        )
        self.exact_button.setToolTip(
            _("Write the day relations were established in the country's record")
        )
        self.status = QLabel()
        self.status.setObjectName("anniversaryStatus")
        # On a file database the period's count and the needs-attention list are read in a
        # thread of their own (with tens of thousands of anniversaries they take a while): the
        # list shows at once and they follow. An in-memory database is read in line.
        self._summaries: Reads | None = None
        if store.path is not None:
            self._summaries = Reads(
                store.path, self, self._on_summary, self._summary_failed, "the anniversaries"
            )
        self._summary_query: UpcomingQuery | None = None

        self._layout()
        self._connect()
        self._fill_filters()
        self._update_buttons()

    def _layout(self) -> None:
        # The filters wrap onto a second row in a narrow window rather than widen it.
        bar = FlowLayout()
        bar.addWidget(captioned(_("As of"), self.as_of))
        for widget in (self.today_button, self.horizon, self.range_end):
            bar.addWidget(widget)
        for caption, widget in ((_("Kind"), self.kind), (_("Country"), self.country)):
            widget.setMinimumWidth(180)
            bar.addWidget(captioned(caption, widget))
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.rules_button)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.tree, 1)
        upper_layout.addWidget(self.summary)
        by_year_heading = QHBoxLayout()
        by_year_heading.addWidget(self.by_year_title, 1)
        by_year_heading.addWidget(self.exact_button)
        self.by_year_box = QWidget()
        by_year_layout = QVBoxLayout(self.by_year_box)
        by_year_layout.setContentsMargins(0, 0, 0, 0)
        by_year_layout.addLayout(by_year_heading)
        by_year_layout.addWidget(self.by_year)
        self.by_year_box.hide()  # until the period's figures say there is one
        upper_layout.addWidget(self.by_year_box)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.attention_title, 1)
        heading.addWidget(self.create_action_button)
        lower_layout.addLayout(heading)
        lower_layout.addWidget(self.attention, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.filter_message)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        self.as_of.editingFinished.connect(self.reload)
        self.range_end.editingFinished.connect(self.reload)
        self.today_button.clicked.connect(self.back_to_today)
        self.horizon.currentIndexChanged.connect(self._horizon_changed)
        self.kind.currentIndexChanged.connect(self.reload)
        self.country.currentIndexChanged.connect(self.reload)
        self.tree.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.rowsInserted.connect(self._months_read)
        # Whether to read the next days is decided once the view has settled, never inside
        # its layout: scrolling, a new range and each read only ask for a look. (Not connected
        # to ``start`` itself: the scroll position would become the timer's delay.)
        self._look_timer = QTimer(self)
        self._look_timer.setSingleShot(True)
        self._look_timer.setInterval(0)
        self._look_timer.timeout.connect(self._read_if_near_the_end)
        bar = self.tree.verticalScrollBar()
        bar.valueChanged.connect(lambda _value: self._look_timer.start())
        bar.rangeChanged.connect(lambda _low, _high: self._look_timer.start())
        self.attention.selectionModel().selectionChanged.connect(self._update_buttons)
        self.list_area = ListArea(
            self.tree,
            "anniversaries",
            _("Anniversaries"),
            # Looked up when used: a test (or a subclass) may put its own in their place.
            open_=lambda: self.edit_selected(),
            edit=lambda: self.edit_selected(),
            delete=lambda: self.delete_selected(),
            splitters=[self.splitter],
        )
        self.new_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.create_action_button.clicked.connect(self.create_action)
        self.exact_button.clicked.connect(self.make_exact)
        self.by_year.doubleClicked.connect(lambda _index: self.make_exact())
        self.by_year.selectionModel().selectionChanged.connect(self._update_buttons)
        self.export_button.clicked.connect(self.export_calendar)
        self.rules_button.clicked.connect(self.edit_rules)

    def _fill_filters(self) -> None:
        fill_combo(self.kind, _("All kinds"), [(k, _(kind_label(k))) for k in AnniversaryKind])
        fill_combo(
            self.country, _("All countries"), [(c.id, c.label) for c in self.reference.countries()]
        )

    # --- loading ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        # Read when first shown (not at start-up), and again on each return to the area.
        super().showEvent(event)
        if self._loaded:
            self._fill_filters()
        self.reload()

    def day_looked_at(self) -> date:
        """The "As of" the list was last read for: a briefing opened from here is as of it."""
        return self._as_of

    def back_to_today(self) -> None:
        self.as_of.setText(date_text(self._today()))
        self.reload()

    def _horizon_changed(self) -> None:
        self.range_end.setVisible(self.horizon.currentData() == RANGE)
        if self.horizon.currentData() == RANGE and not self.range_end.text().strip():
            self.range_end.setFocus()
            return
        self.reload()

    def query(self) -> UpcomingQuery:
        """What the filters ask for; a date that cannot be read raises ValidationError."""
        text = self.as_of.text().strip()
        as_of = parse_date(text) if text else self._today()
        kind = self.kind.currentData()  # Qt hands the enum back as its text
        kinds = frozenset({AnniversaryKind(kind)}) if kind is not None else None
        country_id = self.country.currentData()
        if self.horizon.currentData() == RANGE:
            end_text = self.range_end.text().strip()
            if not end_text:
                raise ValidationError(_("Give the last day of the range."), "until")
            return UpcomingQuery(
                as_of, until=parse_period(end_text)[1], kinds=kinds, country_id=country_id
            )
        return UpcomingQuery(as_of, self.horizon.currentData(), kinds=kinds, country_id=country_id)

    def reload(self) -> None:
        keep = self.selected_item()
        try:
            query = self.query()
            reader = UpcomingMonths(self.store, query)
        except ValidationError as error:
            self.filter_message.setText(shown(error.message))
            self.filter_message.show()
            return
        self.filter_message.setText("")
        self.filter_message.hide()
        self._loaded = True
        self._as_of = query.as_of
        self.model.set_reader(reader, query.as_of)
        self._open_months(0, self.model.rowCount() - 1)
        self._look_timer.start()
        self._summary_query = query
        if self._summaries is None:
            self._show_summary(period_summary(self.store, query))
        else:
            # Until the new figures arrive, the old ones are shown dimmed.
            for widget in (self.summary, self.attention_title, self.attention):
                widget.setEnabled(False)
            if not self.summary.text():
                self.summary.setText(_("Counting the period…"))
                self.attention_title.setText(_("<b>Needs attention</b> — reading…"))
            self._summaries.start(lambda service: period_summary(service.store, query))
        if keep is not None and keep.anniversary.id is not None:
            self.select(keep.anniversary.id, keep.occurrence.date)
        self._update_buttons()

    def _open_months(self, first: int, last: int) -> None:
        """Month rows span the width and show their occurrences, as they are read."""
        for row in range(first, last + 1):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
            self.tree.expand(self.model.index(row, 0))

    def _months_read(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():  # new months (else more days of the last one)
            self._open_months(first, last)
        self._look_timer.start()

    def _read_if_near_the_end(self) -> None:
        """The next days are read when the list is scrolled to within half a screen of its end
        (or does not fill the screen); each read looks again."""
        if not (self.tree.isVisible() and self.model.has_more()):
            return
        # The tree scrolls a row at a time, so the rows below the screen are counted from the
        # model: no need to make the tree lay out the rows just read (it walks every row).
        bar = self.tree.verticalScrollBar()
        below = self.model.shown_rows() - bar.value() - bar.pageStep()
        if below <= bar.pageStep() // 2:
            self.model.read_more()

    def _on_summary(self, number: int, found: object) -> None:
        if self._summaries is None or number != self._summaries.newest:
            return  # a newer query's figures are on their way
        if isinstance(found, PeriodSummary):
            self._show_summary(found)

    def _summary_failed(self, number: int, problem: str) -> None:
        if self._summaries is not None and number == self._summaries.newest:
            self.summary.setEnabled(True)
            self.summary.setText(
                _("The period's count could not be read: {problem}").format(problem=problem)
            )
            self.attention_title.setEnabled(True)
            self.attention_title.setText(_("<b>Needs attention</b> — could not be read"))

    def _show_summary(self, found: PeriodSummary) -> None:
        for widget in (self.summary, self.attention_title, self.attention):
            widget.setEnabled(True)
        self.attention_model.set_rows(found.needs_attention)
        self.by_year_model.set_rows(found.by_year)
        self.by_year_box.setVisible(bool(found.by_year))
        self.by_year_title.setText(
            _(
                "<b>Known by the year alone</b> — relations whose day is not written down: {n:,}"
            ).format(n=len(found.by_year))
        )
        if self._summary_query is not None:
            self._summarise(found.totals, self._summary_query)
        self.attention_title.setText(
            _(
                "<b>Needs attention</b> — preparation has started and no action is planned: {n:,}"
            ).format(n=len(found.needs_attention))
        )
        self._update_buttons()

    def shutdown(self) -> None:
        """The window is closing: stop the reads made beside it."""
        if self._summaries is not None:
            self._summaries.close()
            self._summaries = None

    def _summarise(self, totals: UpcomingTotals, query: UpcomingQuery) -> None:
        start, end = query.window()
        count, jubilees = totals.count, totals.jubilees
        if not count:
            anything = has_anniversaries(self.store)
            self.summary.setText(
                _(
                    "Nothing between {start} and {end}: try a longer horizon or clear the filters."
                ).format(start=date_text(start), end=date_text(end))
                if anything
                else _(
                    "No anniversaries yet. Countries' relations and national days, founding "
                    "dates and birthdays appear here by themselves; add others with "
                    "“New anniversary…”."
                )
            )
            return
        self.summary.setText(
            ngettext(
                "{n} anniversary from {start} to {end}",
                "{n} anniversaries from {start} to {end}",
                count,
            ).format(n=f"{count:,}", start=date_text(start), end=date_text(end))
            + ", "
            + ngettext("{n} jubilee (★).", "{n} jubilees (★).", jubilees).format(n=f"{jubilees:,}")
        )

    # --- selection ----------------------------------------------------------------------------
    def selected_item(self) -> UpcomingItem | None:
        """The occurrence chosen in the needs-attention list (when it has focus or is the only
        choice), else in the upcoming list."""
        tree_rows = self.tree.selectionModel().selectedRows()
        tree_item = self.model.item_at(tree_rows[0]) if tree_rows else None
        attention_rows = self.attention.selectionModel().selectedRows()
        attention_item = (
            self.attention_model.row_item(attention_rows[0].row()) if attention_rows else None
        )
        if attention_item is not None and (tree_item is None or self.attention.hasFocus()):
            assert isinstance(attention_item, UpcomingItem)
            return attention_item
        return tree_item

    def select(self, anniversary_id: int, day: date) -> bool:
        index = self.model.index_of(anniversary_id, day)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.edit_button.setEnabled(item is not None)
        self.delete_button.setEnabled(item is not None and not item.derived)
        self.create_action_button.setEnabled(item is not None and not item.actions)
        self.exact_button.setEnabled(self.selected_by_year() is not None)

    # --- actions ------------------------------------------------------------------------------
    def create_action(self) -> None:
        item = self.selected_item()
        if item is None or item.anniversary.id is None:
            return
        try:
            action = create_action_for(self.store, item.anniversary.id, item.occurrence.date)
        except Exception as error:
            show_error(self, error, _("No action created"))
            return
        self.status.setText(
            _("Action created, due {date}: {text}").format(
                date=date_text(item.occurrence.date), text=action.text
            )
        )
        self.attention.clearSelection()
        self.reload()
        self.select(item.anniversary.id, item.occurrence.date)
        self.data_changed.emit()

    def selected_by_year(self) -> YearAnniversary | None:
        rows = self.by_year.selectionModel().selectedRows()
        found = self.by_year_model.row_item(rows[0].row()) if rows else None
        return found if isinstance(found, YearAnniversary) else None

    def make_exact(self) -> None:
        """The country's record, to write the day relations were established: the year's
        anniversary becomes a dated one in the list above."""
        chosen = self.selected_by_year()
        if chosen is None:
            return
        from protocol_desk.services.organisations import CountryService
        from protocol_desk.ui.countries_view import CountryEditor

        editor = CountryEditor(
            CountryService(self.store), country_id=chosen.country_id, parent=self
        )
        editor.relations.setFocus()
        if editor.exec() and editor.saved_id is not None:
            self.status.setText(_("Saved “{saved_title}”.").format(saved_title=chosen.country))
            self.reload()
            self.data_changed.emit()

    def edit_selected(self) -> None:
        item = self.selected_item()
        if item is not None and item.anniversary.id is not None:
            self.edit(item.anniversary.id)

    def edit(self, anniversary_id: int | None) -> None:
        editor = AnniversaryEditor(self.store, anniversary_id=anniversary_id, parent=self)
        if editor.exec() and editor.saved_id is not None:
            self.status.setText(_("Saved “{saved_title}”.").format(saved_title=editor.saved_title))
            self.reload()
            self.data_changed.emit()

    def delete_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.anniversary.id is None:
            return
        anniversary_id = item.anniversary.id
        answer = QMessageBox.question(
            self,
            _("Delete anniversary"),
            _(
                "Delete “{title}”? It stops appearing in the lists and the calendar; you can "
                "restore it with Undo."
            ).format(title=item.anniversary.title),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_anniversary(self.store, anniversary_id)
        except Exception as error:
            show_error(self, error, _("Not deleted"))
            return
        self.reload()
        self.data_changed.emit()
        remember(
            self,
            _("Delete of anniversary “{title}”").format(title=item.anniversary.title),
            lambda: restore_anniversary(self.store, anniversary_id),
            lambda: delete_anniversary(self.store, anniversary_id),
            lambda: refresh_after_change(self),
        )
        box = QMessageBox(self)
        box.setObjectName("undoDeleteAnniversary")
        box.setWindowTitle(_("Anniversary deleted"))
        box.setText(_("“{title}” was deleted.").format(title=item.anniversary.title))
        undo = box.addButton(_("Undo"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is undo:
            stack = undo_stack(self)
            if stack is not None:
                stack.undo()
                return
            try:
                restore_anniversary(self.store, anniversary_id)
            except Exception as error:
                show_error(self, error, _("Not restored"))
                return
            self.reload()
            self.data_changed.emit()

    def export_calendar(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export anniversaries"), "anniversaries.ics", "iCalendar (*.ics)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        try:
            from protocol_desk.reports.calendar import export_calendar

            count = export_calendar(self.store, path, query=self.query())  # what the list shows
        except Exception as error:
            show_error(self, error, _("Not exported"))
            return
        self.status.setText(
            ngettext(
                "{n} anniversary exported to {path}: open the file in Outlook, Google Calendar "
                "or Thunderbird.",
                "{n} anniversaries exported to {path}: open the file in Outlook, Google "
                "Calendar or Thunderbird.",
                count,
            ).format(n=count, path=path)
        )

    def edit_rules(self) -> None:
        dialog = RulesDialog(self.store, self)
        if dialog.exec():
            self.status.setText(_("Rules saved."))
            self.reload()
