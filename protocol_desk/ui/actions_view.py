"""The agreed-actions area: the lazy list with its filters, overdue marking, bulk status
changes, the detail pane with the history, and the "Mark done…" dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from html import escape
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import parse_date, parse_period
from protocol_desk.domain.errors import ProtocolDeskError, ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import ACTION_STATUS_LABELS, ActionStatus
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.actions import (
    ActionDetail,
    ActionFilter,
    ActionRow,
    ActionService,
    HistoryEntry,
    MeetingChoice,
    filter_for_status,
)
from protocol_desk.services.database import Database
from protocol_desk.services.reference import ReferenceService
from protocol_desk.ui.day_words import date_text
from protocol_desk.ui.flow_layout import FlowLayout, captioned
from protocol_desk.ui.list_area import ListArea, list_beside_detail, searched_list
from protocol_desk.ui.looks import (
    ERROR_TEXT_STYLE,
    attention_colour,
    overdue_background,
    quiet_colour,
)
from protocol_desk.ui.paged_model import Index, KeysetTableModel
from protocol_desk.ui.undo import refresh_after_change, remember
from protocol_desk.ui.widgets import (
    DETAIL_MIN_WIDTH,
    PERIOD_HINT,
    SEARCH_DELAY_MS,
    date_width,
    facts_html,
    fill_combo,
    fit_columns,
    hint_html,
    named,
    ok_cancel,
    show_error,
)

ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2

# Overdue rows: dark red text on a pale red ground, and a warning icon and words as well,
# so the marking does not rest on colour alone.

# (header, sort key understood by the store)
COLUMNS: tuple[tuple[str, str], ...] = (
    (N_("Due"), "due"),
    (N_("Status"), "status"),
    (N_("Action"), "text"),
    (N_("Owner"), "owner"),
    (N_("Counterpart"), "counterpart"),
    (N_("Country"), "country"),
    (N_("Agreed on"), "meeting"),
)

# The status filter: label and the choice the service understands.
STATUS_FILTER: tuple[tuple[str, str], ...] = (
    (N_("Still to do"), "open"),
    (N_("Overdue"), "overdue"),
    (N_("In progress"), "in_progress"),
    (N_("Done"), "done"),
    (N_("Dropped"), "dropped"),
    (N_("All"), "all"),
)

NO_OWNER = "\x00none"  # combo data for "actions without an owner" (no real owner is this)


def overdue_text(row: ActionRow, as_of: date) -> str:
    days = row.days_overdue(as_of)
    return ngettext("overdue {n} day", "overdue {n} days", days).format(n=days)


def status_text(row: ActionRow, as_of: date) -> str:
    label = _(ACTION_STATUS_LABELS[row.status])
    if row.is_overdue(as_of):
        return f"{label} — {overdue_text(row, as_of)}"
    if row.completed_on and row.finished:
        return f"{label} {date_text(row.completed_on)}"
    return label


def meeting_label(choice: MeetingChoice) -> str:
    """A meeting offered as the one where an action was fulfilled: its day in the window's
    language, then its subject."""
    return f"{date_text(choice.date, choice.precision)} — {choice.subject}"


class ActionsModel(KeysetTableModel[ActionRow]):
    """Agreed actions as a lazy table: pages are fetched as the view scrolls."""

    COLUMNS = COLUMNS

    def __init__(self, service: ActionService, parent: Any = None) -> None:
        today = date.today()
        super().__init__(
            service,
            ActionFilter(statuses=filter_for_status("open", today).statuses),
            "due",
            False,
            parent,
        )
        self._as_of = today
        self._warning: QIcon | None = None
        self.reload()

    # --- what to show ------------------------------------------------------------------------
    @property
    def filter(self) -> ActionFilter:
        flt: ActionFilter = self._filter
        return flt

    @property
    def as_of(self) -> date:
        return self._as_of

    def set_filter(self, flt: ActionFilter, as_of: date) -> None:
        self._filter = flt
        self._as_of = as_of
        self.reload()

    def row_of(self, action_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == action_id:
                return number
        return None

    def action_row(self, row: int) -> ActionRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _display(self, row: ActionRow, key: str) -> str:
        if key == "due":
            return date_text(row.due) if row.due else "—"
        if key == "status":
            return status_text(row, self._as_of)
        if key == "text":
            return " ".join(row.text.split())
        if key == "meeting":
            return date_text(row.meeting_date, row.meeting_precision) if row.meeting_date else ""
        return str(getattr(row, key))

    def _tooltip(self, row: ActionRow, key: str) -> str:
        if key == "due":
            if row.due is None:
                return _("No due date")
            if row.due_anniversary:
                return _("Follows the anniversary: {due_anniversary}").format(
                    due_anniversary=row.due_anniversary
                )
            return _("Due {due}").format(due=date_text(row.due))
        if key == "meeting":
            return row.meeting_subject
        return self._display(row, key)

    def _warning_icon(self) -> QIcon | None:
        if self._warning is None:
            style = QApplication.style() if QApplication.instance() is not None else None
            if style is None:  # no application object (a model used on its own): text only
                return None
            self._warning = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][1]
        overdue = row.is_overdue(self._as_of)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == ACTION_ID_ROLE:
            return row.id
        if role == OVERDUE_ROLE:
            return overdue
        if role == Qt.ItemDataRole.DecorationRole and key == "due" and overdue:
            return self._warning_icon()
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return QBrush(attention_colour())
            if row.finished:
                return QBrush(quiet_colour())
            return None
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(overdue_background())
        if role == Qt.ItemDataRole.AccessibleTextRole:
            prefix = f"{overdue_text(row, self._as_of).capitalize()}: " if overdue else ""
            return f"{prefix}{row.text} ({_(ACTION_STATUS_LABELS[row.status])})"
        return None


def _local_time(stamp: str) -> str:
    """A history timestamp (stored in UTC) in the officer's own time."""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def action_html(detail: ActionDetail, as_of: date) -> str:
    """The detail pane's text; every user string is escaped."""
    row = detail.row
    parts = [f"<h3>{escape(row.text)}</h3>"]
    if row.is_overdue(as_of):
        parts.append(
            "<p style='color:#8a1111'>"
            + _("<b>⚠ Overdue</b>: due {due}, {overdue} as of {as_of}.").format(
                due=date_text(row.due),
                overdue=escape(overdue_text(row, as_of)),
                as_of=date_text(as_of),
            )
            + "</p>"
        )
    due = _("<i>no due date</i>")
    if row.due:
        due = escape(date_text(row.due))
        if row.due_anniversary:
            due += _(" (follows the anniversary: {due_anniversary})").format(
                due_anniversary=escape(row.due_anniversary)
            )
    facts = [
        (_("Status"), escape(_(ACTION_STATUS_LABELS[row.status]))),
        (_("Due"), due),
        (_("Owner"), escape(row.owner) or "<i>" + escape(_("not given")) + "</i>"),
    ]
    if row.meeting_id is not None and row.meeting_date is not None:
        facts.append(
            (
                _("Agreed at"),
                f"{date_text(row.meeting_date, row.meeting_precision)} — "
                f"{escape(row.meeting_subject)}",
            )
        )
    if row.counterpart:
        facts.append((_("Counterpart"), escape(row.counterpart)))
    if row.country:
        facts.append((_("Country"), escape(row.country)))
    if row.completed_on:
        facts.append((_("Completed on"), date_text(row.completed_on)))
    if row.outcome:
        facts.append((_("Outcome"), escape(row.outcome).replace("\n", "<br>")))
    if detail.fulfilled_meeting is not None:
        facts.append((_("Fulfilled at"), escape(meeting_label(detail.fulfilled_meeting))))
    parts.append(facts_html(facts))
    parts.append("<h4>" + escape(_("History")) + "</h4>")
    if not detail.history:
        parts.append(_("<p><i>No changes recorded.</i></p>"))
    else:
        parts.append("<ul>")
        for entry in detail.history:
            summary = history_summary(entry)
            line = f"<b>{escape(summary)}</b> — {escape(_local_time(entry.changed_at))}"
            if entry.meeting_id is not None and entry.meeting_date is not None:
                line += _("<br>at the meeting of {meeting_date}: {meeting_subject}").format(
                    meeting_date=date_text(entry.meeting_date),
                    meeting_subject=escape(entry.meeting_subject),
                )
            if entry.note:
                line += f"<br><i>{escape(entry.note)}</i>"
            parts.append(f"<li>{line}</li>")
        parts.append("</ul>")
    return "".join(parts)


def history_summary(entry: HistoryEntry) -> str:
    """``Recorded as open``, ``Open → Done``: a status change in the window's language."""
    new = _(ACTION_STATUS_LABELS[entry.new_status])
    if entry.old_status is None:
        return _("Recorded as {status}").format(status=new.lower())
    return f"{_(ACTION_STATUS_LABELS[entry.old_status])} → {new}"


class MarkDoneDialog(QDialog):
    """Asks when the actions were done, the outcome, and optionally the meeting where they
    were fulfilled; saves through the service and stays open on a mistake."""

    def __init__(
        self,
        service: ActionService,
        rows: Sequence[ActionRow],
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.rows = list(rows)
        self.changed: list[int] = []
        self.setObjectName("markDoneDialog")
        self.setWindowTitle(_("Mark done"))
        self.setMinimumWidth(560)

        count = len(self.rows)
        what = (
            f"“{' '.join(self.rows[0].text.split())}”"
            if count == 1
            else f"{count} selected actions"
        )
        intro = QLabel(_("Record {what} as done.").format(what=what))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        self.completed_on = named(
            QLineEdit(date_text(today or date.today())), "completedOn", _("Completed on")
        )
        self.completed_on.setToolTip(_("Any date: 28.09.2022, 2022-09-28, 28 September 2022"))
        self.outcome = named(QPlainTextEdit(), "outcome", _("Outcome"))
        self.outcome.setPlaceholderText(_("What was done: a meeting held, a letter sent…"))
        self.outcome.setTabChangesFocus(True)
        if count == 1:
            self.outcome.setPlainText(self.rows[0].outcome)
        self.meeting = named(QComboBox(), "fulfilledMeeting", _("Fulfilled at meeting"))
        self.meeting.addItem(_("Not at a meeting"), None)
        self._meeting_dates: dict[int, date] = {}
        for choice in service.fulfilment_meetings([r.id for r in self.rows]):
            self.meeting.addItem(meeting_label(choice), choice.id)
            self._meeting_dates[choice.id] = choice.date
        self.meeting.setMaximumWidth(520)
        self.meeting.currentIndexChanged.connect(self._meeting_chosen)
        self._date_typed = False
        self.completed_on.textEdited.connect(self._on_date_typed)

        self.error = QLabel()
        self.error.setObjectName("markDoneError")
        self.error.setStyleSheet(ERROR_TEXT_STYLE)
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("Completed &on"), self.completed_on)
        form.addRow(_("Fulfilled at &meeting"), self.meeting)
        form.addRow(_("O&utcome"), self.outcome)
        self.buttons = ok_cancel(self, self.save, _("Mark done"), "markDoneOk")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _on_date_typed(self) -> None:
        self._date_typed = True

    def _meeting_chosen(self) -> None:
        # Done at a meeting means done that day, unless the officer typed another date.
        meeting_id = self.meeting.currentData()
        if meeting_id in self._meeting_dates and not self._date_typed:
            self.completed_on.setText(date_text(self._meeting_dates[meeting_id]))

    def save(self) -> None:
        try:
            on = parse_date(self.completed_on.text())
            self.changed = self.service.mark_done(
                [r.id for r in self.rows],
                on,
                self.outcome.toPlainText(),
                self.meeting.currentData(),
                expected_versions={r.id: r.version for r in self.rows},
            )
        except ValidationError as error:
            self.error.setText(shown(error.message))
            return
        except Exception as error:
            show_error(self, error)
            return
        self.accept()


class ActionsView(QWidget):
    """Every agreed action across meetings, with filters, bulk status changes and the detail.
    ``data_changed`` is emitted after a status change made here."""

    data_changed = Signal()

    def __init__(
        self,
        store: Database,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.service = ActionService(store)
        self.reference = ReferenceService(store)
        self._today = today
        self._shown_once = False
        self.model = ActionsModel(self.service, self)

        self.search = named(QLineEdit(), "actionSearch", _("Search actions"))
        self.search.setPlaceholderText(_("Search actions, owners, outcomes, counterparts…"))
        self.search.setClearButtonEnabled(True)
        self.status = named(QComboBox(), "statusFilter", _("Filter by status"))
        for label, choice in STATUS_FILTER:
            self.status.addItem(_(label), choice)
        self.owner = named(QComboBox(), "ownerFilter", _("Filter by owner"))
        self.country = named(QComboBox(), "countryFilter", _("Filter by country"))
        for combo in (self.owner, self.country):
            # As wide as a dozen letters at least, not as its longest name: a committee's
            # full name would push the date fields off the bar.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.due_from = named(QLineEdit(), "dueFrom", _("Due from"))
        self.due_from.setPlaceholderText(_("due from"))
        self.due_to = named(QLineEdit(), "dueTo", _("Due to"))
        self.due_to.setPlaceholderText(_("due to"))
        for field in (self.due_from, self.due_to):
            field.setToolTip(_(PERIOD_HINT))
        self.as_of = named(QLineEdit(date_text(today())), "asOf", _("Overdue as of"))
        self.as_of.setToolTip(_("The day that decides what is overdue"))
        for field in (self.due_from, self.due_to, self.as_of):
            date_width(field, 105)
        self.clear_filters = named(QToolButton(), "clearActionFilters", _("Clear filters"))
        self.clear_filters.setText(_("Clear"))
        self.filter_message = QLabel()
        self.filter_message.setObjectName("actionFilterMessage")
        self.filter_message.setStyleSheet(ERROR_TEXT_STYLE)
        self.filter_message.setVisible(False)
        self._fill_choices()

        self.mark_done_button = named(QPushButton(_("Mark done…")), "markDone", _("Mark done"))
        # A push button with a menu, as Mark done… beside it: the style keeps room for the
        # menu's arrow (a tool button drew it over the text).
        self.status_button = named(QPushButton(_("Set status")), "setStatus", _("Set status"))
        menu = QMenu(self.status_button)
        self.status_actions: dict[ActionStatus, QAction] = {}
        for status, text in (
            (ActionStatus.OPEN, "Open"),
            (ActionStatus.IN_PROGRESS, "In progress"),
            (ActionStatus.DONE, _("Done…")),
            (ActionStatus.DROPPED, _("Dropped…")),
        ):
            action = menu.addAction(text)
            action.setObjectName(f"setStatus_{status.value}")
            action.triggered.connect(lambda _=False, s=status: self._status_chosen(s))
            self.status_actions[status] = action
        self.status_button.setMenu(menu)
        self.result_message = QLabel()
        self.result_message.setObjectName("actionResult")

        self.table = named(QTableView(), "actionsTable", _("Agreed actions"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # The action's own words get the room; the rest is short.
        header.setMinimumSectionSize(60)
        fit_columns(self.table, ((0, 100), (1, 80), (3, 100), (4, 120), (5, 60), (6, 80)))
        self.detail = named(QTextBrowser(), "actionDetail", _("Action detail"))
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)  # its labels never break mid-word
        self.detail.setOpenLinks(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("actionCount")

        # The filters wrap onto a second row in a narrow window rather than widen it.
        filters = FlowLayout()
        for caption, widget in (
            (_("Status"), self.status),
            (_("Owner"), self.owner),
            (_("Country"), self.country),
            (_("Due"), self.due_from),
            ("–", self.due_to),
            (_("As of"), self.as_of),
        ):
            filters.addWidget(captioned(caption, widget))
        filters.addWidget(self.clear_filters)

        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_done_button)
        buttons.addWidget(self.status_button)
        buttons.addWidget(self.result_message, 1)
        buttons.addWidget(self.count_label)

        splitter = list_beside_detail(self.table, buttons, self.detail, (3, 1))
        splitter.setSizes([1000, 300])
        searched_list(self, self.search, filters, self.filter_message, splitter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.status, self.owner, self.country):
            combo.currentIndexChanged.connect(self.apply_filter)
        for field in (self.due_from, self.due_to, self.as_of):
            field.editingFinished.connect(self.apply_filter)
        self.clear_filters.clicked.connect(self.reset_filters)
        self.mark_done_button.clicked.connect(self.mark_done)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelReset.connect(self._update_count)
        # Copy, export and print of the actions chosen; the list remembers its columns.
        self.list_area = ListArea(
            self.table, "actions", _("Agreed actions"), splitters=[splitter], several=True
        )
        self.apply_filter()
        self._update_buttons()
        self._show_detail()  # what the pane is for, until an action is chosen

    # --- filters ----------------------------------------------------------------------------
    def _fill_choices(self) -> None:

        owners: list[tuple[object, str]] = [(o, o) for o in self.service.owners()]
        fill_combo(self.owner, _("All owners"), [*owners, (NO_OWNER, _("No owner given"))])
        fill_combo(
            self.country, _("All countries"), [(c.id, c.label) for c in self.reference.countries()]
        )

    def refresh_choices(self) -> None:
        self._fill_choices()

    @staticmethod
    def _date(field: QLineEdit, what: str, end: str = "") -> date | None:
        """The day written. For an end of the due range (``end`` "first" or "last") a month
        or a year too, standing for its first or its last day."""
        text = field.text().strip()
        if not text:
            return None
        try:
            if not end:
                return parse_date(text)
            first, last = parse_period(text)
            return last if end == "last" else first
        except ValidationError as error:
            raise ValidationError(f"{what}: {shown(error.message)}") from None

    def current_filter(self) -> tuple[ActionFilter, date]:
        as_of = self._date(self.as_of, _("As of")) or self._today()
        owner = self.owner.currentData()
        base = ActionFilter(
            owner="" if owner == NO_OWNER else owner,
            country_id=self.country.currentData(),
            due_from=self._date(self.due_from, _("Due from"), end="first"),
            due_to=self._date(self.due_to, _("Due to"), end="last"),
            text=self.search.text(),
        )
        return filter_for_status(self.status.currentData(), as_of, base), as_of

    def apply_filter(self) -> None:
        try:
            flt, as_of = self.current_filter()
        except ValidationError as error:
            self._say(shown(error.message))
            return
        if flt.due_from and flt.due_to and flt.due_to < flt.due_from:
            self._say(_("The “due to” date is before the “due from” date."))
            return
        self._say("")
        if (flt, as_of) != (self.model.filter, self.model.as_of):
            keep = self.selected_ids()
            self.model.set_filter(flt, as_of)
            self._select(keep)

    def _say(self, message: str) -> None:
        self.filter_message.setText(message)
        self.filter_message.setVisible(bool(message))

    def reset_filters(self) -> None:
        for field in (self.search, self.due_from, self.due_to):
            field.blockSignals(True)
            field.clear()
            field.blockSignals(False)
        self.as_of.setText(date_text(self._today()))
        for combo in (self.status, self.owner, self.country):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filter()

    def day_looked_at(self) -> date:
        """The "As of" the list shows: a briefing opened from here is as of it."""
        return self.model.as_of

    def set_as_of(self, day: date) -> None:
        self.as_of.setText(date_text(day))
        self.apply_filter()

    def set_status_filter(self, choice: str) -> None:
        self.status.setCurrentIndex(self.status.findData(choice))

    # --- list, selection and detail ---------------------------------------------------------
    def reload(self) -> None:
        keep = self.selected_ids()
        self.model.reload()
        self._select(keep)
        self._show_detail()

    def showEvent(self, event: QShowEvent) -> None:
        # Meetings logged elsewhere bring new actions and owners: refresh when coming back.
        if self._shown_once:
            self.refresh_choices()
            self.reload()
        self._shown_once = True
        super().showEvent(event)

    def _select(self, action_ids: Sequence[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for action_id in action_ids:
            row = self.model.row_of(action_id)
            if row is not None:
                flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                selection.select(self.model.index(row, 0), flags)

    def select(self, action_id: int) -> bool:
        while (row := self.model.row_of(action_id)) is None and self.model.canFetchMore():
            self.model.fetchMore()
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def selected_rows(self) -> list[ActionRow]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [r for r in (self.model.action_row(n) for n in rows) if r is not None]

    def selected_ids(self) -> list[int]:
        return [r.id for r in self.selected_rows()]

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail()
        self._update_buttons()

    def _show_detail(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self.detail.setHtml(action_html(self.service.detail(rows[0].id), self.model.as_of))
        elif rows:
            overdue = sum(r.is_overdue(self.model.as_of) for r in rows)
            self.detail.setHtml(
                _(
                    "<h3>{n} actions selected</h3><p>{overdue} of them overdue as of "
                    "{as_of}.</p><p>Use <b>Mark done…</b> or <b>Set status</b> to change them "
                    "all at once.</p>"
                ).format(n=len(rows), overdue=overdue, as_of=date_text(self.model.as_of))
            )
        else:
            self.detail.setHtml(
                hint_html(
                    _(
                        "Select an action to see its details and history. Select several "
                        "(Ctrl or Shift) to change their status together."
                    )
                )
            )

    def _update_buttons(self) -> None:
        selected = bool(self.selected_ids())
        self.mark_done_button.setEnabled(selected)
        self.status_button.setEnabled(selected)

    def _update_count(self) -> None:
        flt = self.model.filter
        total = self.service.count(flt)
        if total == 0:
            everything = ActionFilter()
            if self.service.count(everything) == 0:
                self.count_label.setText(
                    _("No agreed actions yet: they are recorded with meetings.")
                )
            else:
                self.count_label.setText(_("No actions match. Clear the filters to see more."))
        else:
            text = ngettext("{n} action", "{n} actions", total).format(n=f"{total:,}")
            if flt.overdue_as_of is None:
                overdue = self.service.count(replace(flt, overdue_as_of=self.model.as_of))
                if overdue:
                    text += " · ⚠ " + ngettext("{n} overdue", "{n} overdue", overdue).format(
                        n=f"{overdue:,}"
                    )
            self.count_label.setText(text)
        self._show_detail()
        self._update_buttons()

    # --- changing status --------------------------------------------------------------------
    def _status_chosen(self, status: ActionStatus) -> None:
        if status is ActionStatus.DONE:
            self.mark_done()
            return
        note = ""
        if status is ActionStatus.DROPPED:
            text, ok = QInputDialog.getText(
                self, _("Drop actions"), _("Why are they dropped? (kept in the history)")
            )
            if not ok:
                return
            note = text
        self.set_status(status, note=note)

    def set_status(self, status: ActionStatus, *, note: str = "") -> list[int]:
        """Give every selected action ``status`` in one transaction."""
        rows = self.selected_rows()
        if not rows:
            return []
        try:
            changed = self.service.change_status(
                [r.id for r in rows],
                status,
                on=self._today(),
                note=note,
                expected_versions={r.id: r.version for r in rows},
            )
        except ProtocolDeskError as error:
            show_error(self, error)
            self.reload()
            return []
        except Exception as error:
            show_error(self, error)
            return []
        label = _(ACTION_STATUS_LABELS[status]).lower()
        self._after_change(
            changed,
            ngettext(
                "{n} action set to {status}.", "{n} actions set to {status}.", len(changed)
            ).format(n=len(changed), status=label),
        )
        before = {r.id: (r.status, r.completed_on) for r in rows if r.id in changed}
        day = self._today()
        remember(
            self,
            ngettext(
                "Status of {n} action set to {status}",
                "Status of {n} actions set to {status}",
                len(changed),
            ).format(n=len(changed), status=label),
            lambda: self._put_back_statuses(before),
            lambda: self._set_again(list(before), status, day),
            lambda: refresh_after_change(self),
        )
        return changed

    def _set_again(self, ids: list[int], status: ActionStatus, day: date) -> None:
        self.service.change_status(ids, status, on=day)

    def _put_back_statuses(self, before: dict[int, tuple[ActionStatus, date | None]]) -> None:
        """Undo of a status change: each action gets back its status and completion date."""
        groups: dict[tuple[ActionStatus, date | None], list[int]] = {}
        for action_id, was in before.items():
            groups.setdefault(was, []).append(action_id)
        for (status, completed_on), ids in groups.items():
            self.service.change_status(ids, status, on=completed_on)

    def mark_done_dialog(self) -> MarkDoneDialog | None:
        rows = self.selected_rows()
        if not rows:
            return None
        return MarkDoneDialog(self.service, rows, self, today=self._today())

    def mark_done(self) -> None:
        dialog = self.mark_done_dialog()
        if dialog is not None and dialog.exec():
            count = len(dialog.changed)
            self._after_change(
                dialog.changed,
                ngettext("{n} action marked done.", "{n} actions marked done.", count).format(
                    n=count
                ),
            )

    def _after_change(self, changed: list[int], said: str) -> None:
        self.result_message.setText(said if changed else _("Nothing changed."))
        self.refresh_choices()
        self.reload()
        if changed:
            self.data_changed.emit()
