"""The meetings area: search as you type, filters, the lazy list and the detail pane."""

from __future__ import annotations

import contextlib
import logging
from datetime import date

from PySide6.QtCore import (
    QItemSelection,
    QObject,
    QRunnable,
    QStringListModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import parse_date
from protocol_desk.domain.errors import ValidationError
from protocol_desk.services.meetings import ListCounter, MeetingService
from protocol_desk.services.reference import ReferenceService
from protocol_desk.store.meetings import MeetingFilter
from protocol_desk.ui.meeting_detail import MeetingDetailPane
from protocol_desk.ui.meetings_model import MeetingsModel
from protocol_desk.ui.widgets import named

SEARCH_DELAY_MS = 150  # debounce: one query when the officer pauses, not one per key

log = logging.getLogger(__name__)


class _CountSignals(QObject):
    counted = Signal(int, int, bool)  # request number, total, "at least"


class CountJob(QRunnable):
    """One count for the list, in the view's counting thread; only the newest request is
    worked out (older ones still queued are skipped, the one under way is interrupted)."""

    def __init__(
        self, counter: ListCounter, flt: MeetingFilter, number: int, view: MeetingsView
    ) -> None:
        super().__init__()
        self.counter = counter
        self.flt = flt
        self.number = number
        self.view = view
        self.signals = view.count_signals
        self.finished = False

    def run(self) -> None:
        try:
            if self.number != self.view.count_request:
                return
            found = self.counter.count(self.flt)
            if found is not None:
                with contextlib.suppress(RuntimeError):  # the view was closed meanwhile
                    self.signals.counted.emit(self.number, *found)
        except Exception as error:  # the list is there; only its count is missing
            log.error("counting the meetings failed: %s", error)
        finally:
            self.finished = True


class MeetingsView(QWidget):
    """List and detail of meetings. Emits ``edit_requested`` with a meeting id on double-click."""

    edit_requested = Signal(object)
    selection_changed = Signal(object)  # meeting id or None

    def __init__(
        self,
        meetings: MeetingService,
        reference: ReferenceService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.meetings = meetings
        self.reference = reference
        self.model = MeetingsModel(meetings, self)
        self._active = True

        self.search = QLineEdit()
        named(self.search, "meetingSearch", "Search meetings")
        self.search.setPlaceholderText(
            "Search subject, summary, places, names, sources — any spelling…"
        )
        self.search.setClearButtonEnabled(True)

        self.country = QComboBox()
        named(self.country, "countryFilter", "Filter by country")
        self.organisation = QComboBox()
        named(self.organisation, "organisationFilter", "Filter by organisation")
        # A typed name with suggestions, not a list of everyone: an office has tens of
        # thousands of people, and a combo box filled with them is slow to build.
        self.person = QLineEdit()
        named(self.person, "personFilter", "Filter by person")
        self.person.setPlaceholderText("Anyone — type a name")
        self.person.setClearButtonEnabled(True)
        self._person_names = QStringListModel(self)
        self._person_ids: dict[str, int] = {}
        completer = QCompleter(self._person_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.person.setCompleter(completer)
        self.kind = QComboBox()
        named(self.kind, "kindFilter", "Filter by kind")
        self.date_from = QLineEdit()
        named(self.date_from, "dateFrom", "From date")
        self.date_from.setPlaceholderText("from 01.01.2022")
        self.date_to = QLineEdit()
        named(self.date_to, "dateTo", "To date")
        self.date_to.setPlaceholderText("to 31.12.2022")
        for field in (self.date_from, self.date_to):
            field.setMaximumWidth(120)
        self.show_bin = QCheckBox("Bin")
        named(self.show_bin, "showBin", "Show deleted meetings")
        self.show_bin.setToolTip("Show the meetings moved to the bin, to restore them")
        self.clear_filters = QToolButton()
        self.clear_filters.setText("Clear")
        named(self.clear_filters, "clearFilters", "Clear filters")
        self.filter_message = QLabel()
        self.filter_message.setObjectName("filterMessage")
        self.filter_message.setStyleSheet("color: #a00;")
        self.filter_message.hide()  # shown only while there is something to say
        for combo in (self.country, self.organisation, self.kind):
            # Long official names must not widen the window: show a few words, full in the list.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self._fill_filters()

        self.table = QTableView()
        named(self.table, "meetingsTable", "Meetings")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        # Every row one line high, fixed: with a million rows fetched, the table lays itself
        # out by multiplication instead of keeping each row's height.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 90), (2, 150), (3, 80), (4, 85), (5, 90)):
            self.table.setColumnWidth(column, width)
        self.detail = MeetingDetailPane()
        self.count_label = QLabel()
        self.count_label.setObjectName("meetingCount")

        filters = QHBoxLayout()
        for label, widget in (
            ("Country", self.country),
            ("Organisation", self.organisation),
            ("Person", self.person),
            ("Kind", self.kind),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1)
        filters.addWidget(self.date_from)
        filters.addWidget(self.date_to)
        filters.addWidget(self.show_bin)
        filters.addWidget(self.clear_filters)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        left_layout.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 420])

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.filter_message)
        layout.addWidget(splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.country, self.organisation, self.kind):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.person.textEdited.connect(self._suggest_people)
        completer.activated.connect(lambda _text: self.apply_filter())
        self.person.editingFinished.connect(self.apply_filter)
        self.date_from.editingFinished.connect(self.apply_filter)
        self.date_to.editingFinished.connect(self.apply_filter)
        self.clear_filters.clicked.connect(self.reset_filters)
        self.show_bin.toggled.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(self._on_double_click)
        # The count is worked out in a thread of its own on a file database, so that typing
        # never waits for it; a temporary (in-memory) database is counted in line.
        path = meetings.store.path
        self._counter = ListCounter(path) if path is not None else None
        self._counting = QThreadPool(self)
        self._counting.setMaxThreadCount(1)
        self._count_jobs: list[CountJob] = []  # queued or under way (the pool does not own them)
        self.count_signals = _CountSignals(self)
        self.count_signals.counted.connect(self._show_count)
        self.count_request = 0
        self.model.modelReset.connect(self._update_count)
        self._update_count()

    # --- filters ----------------------------------------------------------------------------
    def _fill_filters(self) -> None:
        def fill(combo: QComboBox, everyone: str, items: list[tuple[object, str]]) -> None:
            combo.blockSignals(True)
            current = combo.currentData()
            combo.clear()
            combo.addItem(everyone, None)
            for value, label in items:
                combo.addItem(label, value)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

        fill(self.country, "All countries", [(c.id, c.label) for c in self.reference.countries()])
        fill(
            self.organisation,
            "All organisations",
            [(o.id, o.label) for o in self.reference.organisations()],
        )
        fill(self.kind, "All kinds", [(k, k) for k in self.reference.meeting_kinds()])

    def refresh_choices(self) -> None:
        self._fill_filters()

    def _date(self, field: QLineEdit) -> date | None:
        text = field.text().strip()
        return parse_date(text) if text else None

    def _suggest_people(self, text: str) -> None:
        matches = self.meetings.suggest_people(text) if text.strip() else []
        self._person_ids = {m.full_name: m.person_id for m in matches}
        self._person_names.setStringList(list(self._person_ids))

    def _person_id(self) -> int | None:
        """The person named in the filter: picked from the suggestions, or typed in any
        spelling that fits exactly one person."""
        text = self.person.text().strip()
        if not text:
            return None
        if text in self._person_ids:
            return self._person_ids[text]
        matches = self.meetings.suggest_people(text)
        if len(matches) == 1:
            return matches[0].person_id
        if not matches:
            raise ValidationError(f"Nobody is called “{text}”.")
        raise ValidationError(f"{len(matches)} people match “{text}”: pick one from the list.")

    def current_filter(self) -> MeetingFilter:
        person_id = self._person_id()
        return MeetingFilter(
            text=self.search.text(),
            country_id=self.country.currentData(),
            organisation_id=self.organisation.currentData(),
            person_id=person_id,
            kind=self.kind.currentData(),
            date_from=self._date(self.date_from),
            date_to=self._date(self.date_to),
            deleted=self.show_bin.isChecked(),
        )

    def shutdown(self) -> None:
        """The window is closing: focus leaving a field must not query a store being closed."""
        self._debounce.stop()
        self._active = False
        self.count_request += 1  # whatever is queued is stale
        if self._counter is not None:
            self._counter.cancel()
            self._counting.clear()
            self._counting.waitForDone(5_000)
            self._counter.close()

    def apply_filter(self) -> None:
        if not self._active:
            return
        try:
            flt = self.current_filter()
        except ValidationError as error:
            self._say(error.message)
            return
        if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
            self._say("The “to” date is before the “from” date.")
            return
        self._say("")
        if flt != self.model.filter:
            self.model.set_filter(flt)

    def _say(self, message: str) -> None:
        self.filter_message.setText(message)
        self.filter_message.setVisible(bool(message))

    def reset_filters(self) -> None:
        for widget in (self.search, self.person, self.date_from, self.date_to):
            widget.blockSignals(True)
            widget.clear()
            widget.blockSignals(False)
        for combo in (self.country, self.organisation, self.kind):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.show_bin.blockSignals(True)
        self.show_bin.setChecked(False)
        self.show_bin.blockSignals(False)
        self.apply_filter()

    def showing_bin(self) -> bool:
        return self.show_bin.isChecked()

    # --- list and detail --------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_id()
        self.model.reload()
        if keep is not None:
            self.select(keep)

    def select(self, meeting_id: int) -> bool:
        while (row := self.model.row_of(meeting_id)) is None and self.model.canFetchMore():
            self.model.fetchMore()
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.meeting_id(rows[0].row()) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        meeting_id = self.selected_id()
        if meeting_id is None:
            self.detail.show_nothing()
        else:
            self.detail.show_detail(self.meetings.detail(meeting_id))
        self.selection_changed.emit(meeting_id)

    def _on_double_click(self) -> None:
        meeting_id = self.selected_id()
        if meeting_id is not None:
            self.edit_requested.emit(meeting_id)

    def _update_count(self) -> None:
        if self.selected_id() is None:
            self.detail.show_nothing()
        self.count_request += 1
        if self._counter is None or not self._active:
            self._show_count(self.count_request, *self.meetings.count_for_list(self.model.filter))
            return
        # Until the new count arrives, the old one is shown dimmed.
        self.count_label.setEnabled(False)
        self._counter.cancel()
        job = CountJob(self._counter, self.model.filter, self.count_request, self)
        job.setAutoDelete(False)
        self._count_jobs = [j for j in self._count_jobs if not j.finished]
        self._count_jobs.append(job)
        self._counting.start(job)

    def _show_count(self, number: int, total: int, at_least: bool) -> None:
        if number != self.count_request:
            return  # a newer filter's count is on its way
        self.count_label.setEnabled(True)
        many = f"{total:,}+" if at_least else f"{total:,}"
        if self.model.filter.deleted:
            self.count_label.setText(
                f"{many} meeting{'s' if total != 1 else ''} in the bin: select one and "
                "press Restore to bring it back."
                if total
                else "The bin is empty."
            )
        elif total == 0 and self.model.filter == MeetingFilter():
            self.count_label.setText("No meetings yet: press Ctrl+N to log the first one.")
        elif total == 0:
            self.count_label.setText("No meetings match. Try fewer words or clear the filters.")
        else:
            self.count_label.setText(f"{many} meeting{'s' if total != 1 else ''}")
