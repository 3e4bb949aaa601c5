"""The meetings area: search as you type, filters, the lazy list and the detail pane."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import (
    QItemSelection,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QWidget,
)

from protocol_desk.domain.dates import Precision, parse_period
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import MeetingFilter, Page
from protocol_desk.domain.names import Match
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.reference import ReferenceService
from protocol_desk.ui.background import Reads
from protocol_desk.ui.day_words import date_text
from protocol_desk.ui.flow_layout import FlowLayout, captioned
from protocol_desk.ui.list_area import ListArea, list_beside_detail, searched_list
from protocol_desk.ui.looks import ERROR_TEXT_STYLE
from protocol_desk.ui.meeting_detail import MeetingDetailPane
from protocol_desk.ui.meetings_model import COLUMNS, MeetingsModel
from protocol_desk.ui.person_picker import PersonPicker
from protocol_desk.ui.widgets import (
    PERIOD_HINT,
    SEARCH_DELAY_MS,
    date_width,
    fill_combo,
    fit_columns,
    named,
)

log = logging.getLogger(__name__)


class MeetingsView(QWidget):
    """List and detail of meetings. Emits ``edit_requested`` with a meeting id on double-click."""

    edit_requested = Signal(object)
    delete_requested = Signal()  # the Delete key or the list's menu, on the selected meetings
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
        named(self.search, "meetingSearch", _("Search meetings"))
        self.search.setPlaceholderText(
            _("Search subject, summary, places, names, sources — any spelling…")
        )
        self.search.setClearButtonEnabled(True)

        self.country = QComboBox()
        named(self.country, "countryFilter", _("Filter by country"))
        self.organisation = QComboBox()
        named(self.organisation, "organisationFilter", _("Filter by organisation"))
        # A typed name with suggestions, not a list of everyone: an office has tens of
        # thousands of people, and a combo box filled with them is slow to build.
        # The picker knows the person chosen by id: two people of one name stay apart.
        self.person = PersonPicker(self.meetings.suggest_people)
        named(self.person, "personFilter", _("Filter by person"))
        self.person.setPlaceholderText(_("Anyone"))  # whole in a narrow bar, unlike a sentence
        self.person.setToolTip(_("Type any spelling of a name: Kul-Mohammed, Құл-Мұхаммед"))
        self.person.setClearButtonEnabled(True)
        self.kind = QComboBox()
        named(self.kind, "kindFilter", _("Filter by kind"))
        self.date_from = QLineEdit()
        named(self.date_from, "dateFrom", _("From date"))
        self.date_from.setPlaceholderText(_("from"))
        self.date_to = QLineEdit()
        named(self.date_to, "dateTo", _("To date"))
        self.date_to.setPlaceholderText(_("to"))
        for field in (self.date_from, self.date_to):
            date_width(field, 120)
            field.setToolTip(_(PERIOD_HINT))
        self.show_bin = QCheckBox(_("Bin"))
        named(self.show_bin, "showBin", _("Show deleted meetings"))
        self.show_bin.setToolTip(_("Show the meetings moved to the bin, to restore them"))
        self.clear_filters = QToolButton()
        self.clear_filters.setText(_("Clear"))
        named(self.clear_filters, "clearFilters", _("Clear filters"))
        self.filter_message = QLabel()
        self.filter_message.setObjectName("filterMessage")
        self.filter_message.setStyleSheet(ERROR_TEXT_STYLE)
        self.filter_message.hide()  # shown only while there is something to say
        for combo in (self.country, self.organisation, self.kind):
            # Long official names must not widen the window: show a few words, full in the list.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        # The choices are filled when the list is first shown: the window opens on the Today
        # page, and an office's hundreds of organisations need not hold its start up.
        self._choices_filled = False

        self.table = QTableView()
        named(self.table, "meetingsTable", _("Meetings"))
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
        fit_columns(self.table, ((0, 90), (2, 150), (3, 80), (4, 85), (5, 90)))
        self.detail = MeetingDetailPane()
        self.count_label = QLabel()
        self.count_label.setObjectName("meetingCount")

        # The filters wrap onto a second row in a narrow window rather than widen it.
        filters = FlowLayout()
        for label, widget in (
            (_("Country"), self.country),
            (_("Organisation"), self.organisation),
            (_("Person"), self.person),
            (_("Kind"), self.kind),
        ):
            filters.addWidget(captioned(label, widget))
        for control in (self.date_from, self.date_to, self.show_bin, self.clear_filters):
            filters.addWidget(control)

        splitter = list_beside_detail(self.table, self.count_label, self.detail)
        # The subjects get the room; the detail reads well narrow, its text wraps.
        splitter.setSizes([840, 300])
        searched_list(self, self.search, filters, self.filter_message, splitter)
        self.list_area = ListArea(
            self.table,
            "meetings",
            _("Meetings"),
            open_=lambda: self._on_double_click(),
            edit=lambda: self._on_double_click(),
            delete=self.delete_requested.emit,
            all_rows=self.every_row,
            splitters=[splitter],
            several=True,  # several are deleted, copied, exported or printed at once
        )

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.country, self.organisation, self.kind):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.person.chosen.connect(self._person_chosen)
        self.person.editingFinished.connect(self.apply_filter)
        self.date_from.editingFinished.connect(self.apply_filter)
        self.date_to.editingFinished.connect(self.apply_filter)
        self.clear_filters.clicked.connect(self.reset_filters)
        self.show_bin.toggled.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        # On a file database, a typed filter's first page and the count under the list are
        # read in threads of their own, so typing never waits for them (a temporary,
        # in-memory database is read in line). ``_wanted`` is the filter last asked for.
        path = meetings.store.path
        self._paging = (
            Reads(path, self, self._on_page, self._page_failed, "the meetings list")
            if path is not None
            else None
        )
        self._counting = (
            Reads(path, self, self._on_count, self._count_failed, "the meetings count")
            if path is not None
            else None
        )
        # The next pages as the list is scrolled, likewise: a slow one (a common word sorted
        # by subject, at a million meetings) never holds the scroll bar.
        self._more = (
            Reads(path, self, self._on_more, self._more_failed, "the meetings list's next page")
            if path is not None
            else None
        )
        self._more_for: dict[int, tuple[int, tuple[object, int] | None]] = {}
        if self._more is not None:
            self.model.fetch_elsewhere = self._fetch_more
        if self._paging is not None:
            self.model.sort_elsewhere = self._read_sorted
        self._wanted = self.model.filter
        self._page_for: tuple[int, MeetingFilter, int] | None = None
        self.model.modelReset.connect(self._update_count)
        self._update_count()

    # --- filters ----------------------------------------------------------------------------
    def _fill_filters(self) -> None:

        fill_combo(
            self.country, _("All countries"), [(c.id, c.label) for c in self.reference.countries()]
        )
        fill_combo(
            self.organisation,
            _("All organisations"),
            [(o.id, o.label) for o in self.reference.organisations()],
        )
        fill_combo(self.kind, _("All kinds"), [(k, _(k)) for k in self.reference.meeting_kinds()])
        self._choices_filled = True

    def showEvent(self, event: QShowEvent) -> None:
        if not self._choices_filled:
            self._fill_filters()
        super().showEvent(event)

    def refresh_choices(self) -> None:
        if self._choices_filled:  # else they are filled, current, when first shown
            self._fill_filters()

    def _date(self, field: QLineEdit) -> date | None:
        text = field.text().strip()
        if not text:
            return None
        # "from 2022" starts on its first day, "to 2022" ends on its last.
        first, last = parse_period(text)
        return last if field is self.date_to else first

    def _person_chosen(self, person_id: int | None) -> None:
        # A pick filters at once; typing on after it waits for Enter or leaving the field.
        if person_id is not None:
            self.apply_filter()

    def _person_id(self) -> int | None:
        """The person named in the filter: picked from the suggestions, or typed in any
        spelling that fits exactly one person."""
        text = self.person.text().strip()
        if not text:
            return None
        picked = self.person.person_id()
        if picked is not None:
            return picked
        matches = self.meetings.suggest_people(text)
        if len(matches) == 1 or (
            len(matches) > 1
            and matches[0].how is Match.SPELLING
            and matches[1].how is not Match.SPELLING
        ):
            # One person, or one spelt as typed among others found by another script or a slip.
            return matches[0].person_id
        if not matches:
            raise ValidationError(_("Nobody is called “{text}”.").format(text=text))
        raise ValidationError(
            _("{n} people match “{text}”: pick one from the list.").format(
                n=len(matches), text=text
            )
        )

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
        for reads in (self._paging, self._counting, self._more):
            if reads is not None:
                reads.close()

    def apply_filter(self) -> None:
        if not self._active:
            return
        try:
            flt = self.current_filter()
        except ValidationError as error:
            self._say(shown(error.message))
            return
        if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
            self._say(_("The “to” date is before the “from” date."))
            return
        self._say("")
        if flt == self._wanted:
            return
        self._wanted = flt
        if self._paging is None:
            self.model.set_filter(flt)
            return
        order_by, descending = self.model.order
        limit = self.model.PAGE_SIZE
        number = self._paging.start(
            lambda service: service.page(flt, order_by=order_by, descending=descending, limit=limit)
        )
        # Shown only if the list has not been reset meanwhile (a save, a sort).
        self._page_for = (number, flt, self.model.generation)
        self.count_label.setEnabled(False)

    def _read_sorted(self) -> None:
        """The first page in the list's new order, of the filter last asked for."""
        assert self._paging is not None
        flt = self._wanted
        order_by, descending = self.model.order
        limit = self.model.PAGE_SIZE
        number = self._paging.start(
            lambda service: service.page(flt, order_by=order_by, descending=descending, limit=limit)
        )
        self._page_for = (number, flt, self.model.generation)

    def _on_page(self, number: int, page: object) -> None:
        if self._paging is None or number != self._paging.newest or self._page_for is None:
            return
        _, flt, generation = self._page_for
        self._page_for = None
        assert isinstance(page, Page)
        if generation != self.model.generation:
            self.model.set_filter(flt)  # read again, in the list's present state
        else:
            self.model.show_page(flt, page)

    def _fetch_more(self, generation: int, after: tuple[object, int] | None) -> None:
        assert self._more is not None
        flt = self.model.filter
        order_by, descending = self.model.order
        limit = self.model.PAGE_SIZE
        number = self._more.start(
            lambda service: service.page(
                flt, order_by=order_by, descending=descending, after=after, limit=limit
            )
        )
        self._more_for = {number: (generation, after)}

    def _on_more(self, number: int, page: object) -> None:
        asked = self._more_for.pop(number, None)
        if asked is None:
            return
        assert isinstance(page, Page)
        # Shown only for the list as it still is; the view asks for more while at its end.
        self.model.add_page(*asked, page)

    def _more_failed(self, number: int, problem: str) -> None:
        asked = self._more_for.pop(number, None)
        if asked is not None:
            self.model.fetch_failed(asked[0])
            self._say(
                _("The rest of the list could not be read: {problem}").format(problem=problem)
            )

    def _page_failed(self, number: int, problem: str) -> None:
        if self._paging is None or number != self._paging.newest:
            return
        # The list keeps what it shows; the same filter may be asked for again.
        self._page_for = None
        self._wanted = self.model.filter
        self.count_label.setEnabled(True)
        self._say(_("The list could not be read: {problem}").format(problem=problem))

    def _count_failed(self, number: int, problem: str) -> None:
        if self._counting is not None and number == self._counting.newest:
            self.count_label.setEnabled(True)
            self.count_label.setText(_("The meetings could not be counted (see the log)."))

    def _drop_pending_page(self) -> None:
        """Forget a page still being read: the list is read again in line."""
        if self._paging is not None and self._page_for is not None:
            self._paging.newest += 1
            self._paging.reader.cancel()
            self._page_for = None

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
        self._drop_pending_page()
        if self._wanted != self.model.filter:
            self.model.set_filter(self._wanted)  # the filter last asked for, read now
        else:
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

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [i for i in (self.model.meeting_id(row) for row in rows) if i is not None]

    def every_row(self) -> tuple[list[str], list[list[object]]]:
        """Every meeting the filter shows, in the list's order, read now (for export and
        printing); a day is given as a date."""
        flt = self.model.filter
        order_by, descending = self.model.order
        rows: list[list[object]] = []
        after: tuple[object, int] | None = None
        while True:
            page = self.meetings.page(
                flt, order_by=order_by, descending=descending, after=after, limit=1000
            )
            for row in page.rows:
                day: object = (
                    row.date
                    if row.precision is Precision.DAY
                    else date_text(row.date, row.precision)
                )
                rows.append([day, row.subject, row.counterpart, row.city, row.country, row.kind])
            after = page.next_after
            if after is None:
                break
        return [header for header, _key in COLUMNS], rows

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
        flt = self.model.filter
        if self._counting is None or not self._active:
            self._show_count(*self.meetings.count_for_list(flt))
            return
        # Until the new count arrives, the old one is shown dimmed.
        self.count_label.setEnabled(False)
        self._counting.start(lambda service: service.count_for_list(flt))

    def _on_count(self, number: int, found: object) -> None:
        if self._counting is None or number != self._counting.newest:
            return  # a newer filter's count is on its way
        if isinstance(found, tuple):
            self._show_count(*found)

    def _show_count(self, total: int, at_least: bool) -> None:
        if self._page_for is None:
            self.count_label.setEnabled(True)
        many = f"{total:,}+" if at_least else f"{total:,}"
        if self.model.filter.deleted:
            self.count_label.setText(
                ngettext(
                    "{n} meeting in the bin: select one and press Restore to bring it back.",
                    "{n} meetings in the bin: select one and press Restore to bring it back.",
                    total,
                ).format(n=many)
                if total
                else _("The bin is empty.")
            )
        elif total == 0 and self.model.filter == MeetingFilter():
            self.count_label.setText(_("No meetings yet: press Ctrl+N to log the first one."))
        elif total == 0:
            self.count_label.setText(_("No meetings match. Try fewer words or clear the filters."))
        else:
            self.count_label.setText(ngettext("{n} meeting", "{n} meetings", total).format(n=many))
