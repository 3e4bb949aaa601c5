"""The Today page the app opens on: anniversaries of the coming weeks, visits about to start
and agreed actions falling due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import parse_date
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.models import ACTION_STATUS_LABELS
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.home import DEFAULT_DAYS, TodaySummary, Visit, today_summary
from protocol_desk.ui.background import Reads
from protocol_desk.ui.columns import Column
from protocol_desk.ui.day_words import date_text, long_day, year_only_note
from protocol_desk.ui.list_area import MainColumnRoom
from protocol_desk.ui.looks import ERROR_TEXT_STYLE, attention_colour
from protocol_desk.ui.short_lists import (
    ListModel,
    countdown,
    day_text,
    occurrence_style,
    table,
    where_text,
)
from protocol_desk.ui.widgets import date_width, fit_columns, named

if TYPE_CHECKING:
    from protocol_desk.domain.listing import ActionRow
    from protocol_desk.services.anniversaries import UpcomingItem
    from protocol_desk.services.database import Database

WEEK_CHOICES = (1, 2, 4, 8)
MOST_BY_YEAR = 3  # relations known by the year alone named in the heading


def visit_dates(visit: Visit) -> str:
    row = visit.row
    if row.end and row.end != row.start:
        return f"{date_text(row.start)}–{date_text(row.end)}"
    return date_text(row.start)


def visit_when(visit: Visit, as_of: date) -> str:
    return _("under way") if visit.under_way else countdown(visit.row.start, as_of)


def action_when(action: ActionRow, as_of: date) -> str:
    if action.due is None:
        return ""
    if action.is_overdue(as_of):
        days = action.days_overdue(as_of)
        return ngettext("overdue {n} day", "overdue {n} days", days).format(n=days)
    return countdown(action.due, as_of)


class Section(QWidget):
    """A heading with a count, a short list, what to say when it is empty, and a way on."""

    def __init__(
        self,
        name: str,
        title: str,
        model: ListModel,
        more: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.heading = QLabel()
        self.heading.setWordWrap(True)  # a long heading wraps rather than widen the window
        self.heading.setObjectName(f"{name}Heading")
        self.model = model
        self.table: QTableView = table(f"{name}Table", title, model)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.empty = QLabel()
        self.empty.setObjectName(f"{name}Empty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; padding: 12px;")
        self.more = named(QPushButton(more), f"{name}More", more)
        self.more.setFlat(True)
        self.more.setStyleSheet("text-align: left; color: #1a4f8b;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        # An empty section says so at the top, where the list would start.
        layout.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)

    def set_current(self, current: bool) -> None:
        """Dim the heading and the list while newer ones are being read (the way on stays)."""
        for widget in (self.heading, self.table, self.empty):
            widget.setEnabled(current)

    def show_rows(self, rows: list[Any], heading: str, empty: str) -> None:
        self.set_current(True)
        self.model.set_rows(rows)
        self.heading.setText(heading)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.empty.setText(empty)


class HomeView(QWidget):
    """Today at a glance. ``open_area`` (the main window's ``show_area``) takes the officer to
    the full list."""

    def __init__(
        self,
        store: Database,
        parent: QWidget | None = None,
        *,
        open_area: Callable[[str], None] | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._open_area = open_area
        self._today = today
        self.summary: TodaySummary | None = None
        self.as_of_date = today()

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setObjectName("todayTitle")
        self.as_of = named(QLineEdit(date_text(self.as_of_date)), "todayAsOf", _("As of"))
        date_width(self.as_of, 110)
        self.today_button = named(QToolButton(), "todayButton", _("Back to today"))
        self.today_button.setText(_("Today"))
        self.weeks = named(QComboBox(), "todayWeeks", _("Weeks ahead"))
        for weeks in WEEK_CHOICES:
            self.weeks.addItem(
                ngettext("next {n} week", "next {n} weeks", weeks).format(n=weeks), weeks * 7
            )
        self.weeks.setCurrentIndex(self.weeks.findData(DEFAULT_DAYS))
        self.message = QLabel()
        self.message.setObjectName("todayMessage")
        self.message.setStyleSheet(ERROR_TEXT_STYLE)

        self.anniversaries_section = Section(
            "todayAnniversaries",
            _("Anniversaries"),
            ListModel(
                [
                    Column("Date", lambda i: day_text(i.occurrence.date)),
                    Column("When", lambda i: countdown(i.occurrence.date, self.as_of_date)),
                    Column(
                        "Anniversary",
                        lambda i: ("★ " if i.occurrence.jubilee else "") + i.occurrence.title,
                    ),
                    Column("Country", where_text),
                ],
                self._anniversary_style,
                self,
            ),
            _("All anniversaries →"),
        )
        self.visits_section = Section(
            "todayVisits",
            _("Visits"),
            ListModel(
                [
                    Column("Dates", visit_dates),
                    Column("When", lambda v: visit_when(v, self.as_of_date)),
                    Column("Visit", lambda v: v.row.title),
                    Column(
                        "Where",
                        lambda v: (
                            ", ".join(x for x in (v.row.city, v.row.country) if x)
                            or v.row.organisation
                        ),
                    ),
                ],
                parent=self,
            ),
            _("All visits →"),
        )
        self.actions_section = Section(
            "todayActions",
            _("Actions"),
            ListModel(
                [
                    Column("Due", lambda a: date_text(a.due)),
                    Column("When", lambda a: action_when(a, self.as_of_date)),
                    Column("Action", lambda a: a.text),
                    Column("Status", lambda a: _(ACTION_STATUS_LABELS.get(a.status, a.status))),
                    Column("Counterpart", lambda a: a.counterpart or a.country),
                ],
                self._action_style,
                self,
            ),
            _("All actions →"),
        )
        for section, stretch in (
            (self.anniversaries_section, 2),
            (self.visits_section, 2),
            (self.actions_section, 2),
        ):
            header = section.table.horizontalHeader()
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
            fit_columns(section.table, ((0, 115), (1, 110)))
        fit_columns(self.anniversaries_section.table, ((3, 120),))
        fit_columns(self.visits_section.table, ((0, 160), (1, 90), (3, 130)))
        # "мерзімі 12 күнге өтті"
        fit_columns(self.actions_section.table, ((1, 175), (3, 95), (4, 170)))
        for section in (self.anniversaries_section, self.visits_section, self.actions_section):
            MainColumnRoom(section.table, section.table.horizontalHeader())
        self.anniversaries_section.more.clicked.connect(lambda: self._go("anniversaries"))
        self.visits_section.more.clicked.connect(lambda: self._go("delegations"))
        self.actions_section.more.clicked.connect(lambda: self._go("actions"))

        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        caption = QLabel(_("As of"))
        caption.setBuddy(self.as_of)
        bar.addWidget(caption)
        bar.addWidget(self.as_of)
        bar.addWidget(self.today_button)
        bar.addWidget(self.weeks)
        grid = QGridLayout()
        grid.addWidget(self.anniversaries_section, 0, 0)
        grid.addWidget(self.visits_section, 0, 1)
        grid.addWidget(self.actions_section, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addLayout(grid, 1)
        self.message.hide()
        self.setObjectName("todayView")
        self.setAccessibleName(_("Today"))

        self.as_of.editingFinished.connect(self.reload)
        self.today_button.clicked.connect(self.back_to_today)
        self.weeks.currentIndexChanged.connect(self.reload)
        # On a file database the page is read in a thread of its own: the window shows at
        # once, and the lists follow (with a hundred thousand meetings and more, the
        # anniversaries and actions of four weeks take a while). In memory it is read in line.
        self._reads: Reads | None = None
        self._closed = False  # the window is closing: nothing more is read
        # The first read waits for the page's first paint: its thread would otherwise compete
        # with the window's first paint (imports and Python code hold the interpreter's lock).
        self._painted = False
        self._held_read: Callable[[], None] | None = None
        if store.path is not None:
            self._reads = Reads(store.path, self, self._on_read, self._read_failed, "Today")

    # --- styles -------------------------------------------------------------------------------
    def _anniversary_style(self, item: UpcomingItem, column: int, role: int) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == 1
            and item.needs_attention(self.as_of_date)
        ):
            return attention_colour()
        if role == Qt.ItemDataRole.ToolTipRole and item.needs_attention(self.as_of_date):
            return _("Preparation has started and no action is planned")
        return occurrence_style(item, column, role)

    def _action_style(self, action: ActionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and action.is_overdue(self.as_of_date):
            return attention_colour()
        return None

    # --- loading ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        # Read when shown: the page is current each time the officer comes back to it.
        super().showEvent(event)
        self.reload()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Started once this paint pass (the whole window's) has reached the screen.
            QTimer.singleShot(0, self._start_held_read)

    def _start_held_read(self) -> None:
        start, self._held_read = self._held_read, None
        if start is not None and not self._closed:
            start()

    def day_looked_at(self) -> date:
        """The day the page shows (its "As of"): a briefing opened from here is as of it."""
        return self.as_of_date

    def back_to_today(self) -> None:
        self.as_of.setText(date_text(self._today()))
        self.reload()

    def reload(self) -> None:
        if self._closed:
            return
        text = self.as_of.text().strip()
        try:
            as_of = parse_date(text) if text else self._today()
        except ValidationError as error:
            self.message.setText(shown(error.message))
            self.message.show()
            return
        self.message.hide()
        label = _("Today") if as_of == self._today() else _("As of")
        self.title.setText(f"<h2>{label}: {long_day(as_of)}</h2>")
        days = int(self.weeks.currentData())
        if self._reads is None:
            self._show(today_summary(self.store, as_of, days))
            return
        # Until the new lists arrive, the old ones are shown dimmed.
        for section in self._sections():
            section.set_current(False)
            if self.summary is None:
                section.heading.setText(f"<b>{section.title}</b> — " + _("reading…"))
        reads = self._reads

        def start() -> None:
            reads.start(lambda service: today_summary(service.store, as_of, days))

        if self._painted:
            start()
        else:
            self._held_read = start  # the latest asked for replaces one still held

    def _sections(self) -> tuple[Section, Section, Section]:
        return (self.anniversaries_section, self.visits_section, self.actions_section)

    def _newest(self, number: int) -> bool:
        """Whether a read is the last one asked for (an older one is stale)."""
        return self._reads is not None and number == self._reads.newest

    def _on_read(self, number: int, found: object) -> None:
        if self._newest(number) and isinstance(found, TodaySummary):
            self._show(found)

    def _read_failed(self, number: int, problem: str) -> None:
        if self._newest(number):
            for section in self._sections():
                section.set_current(True)
            self.message.setText(
                _("Today's lists could not be read: {problem}").format(problem=problem)
            )
            self.message.show()

    def _show(self, summary: TodaySummary) -> None:
        self.as_of_date = summary.as_of
        self.summary = summary
        until = date_text(summary.end)
        count = len(summary.anniversaries)
        jubilees = sum(1 for i in summary.anniversaries if i.occurrence.jubilee)
        red = '<span style="color:#b00000">{}</span>'
        heading = _("<b>Anniversaries</b> until {until}: {n}").format(until=until, n=count)
        if jubilees:
            heading += ", " + ngettext("{n} jubilee", "{n} jubilees", jubilees).format(n=jubilees)
        if summary.needing_attention:
            needing = summary.needing_attention
            heading += " — " + red.format(
                ngettext("{n} needs attention", "{n} need attention", needing).format(n=needing)
            )
        if summary.by_year:
            # Relations known by the year alone: "30 years in 2022", on no day yet.
            heading += "; " + "; ".join(
                year_only_note(found) for found in summary.by_year[:MOST_BY_YEAR]
            )
            if len(summary.by_year) > MOST_BY_YEAR:
                heading += " …"
        self.anniversaries_section.show_rows(
            summary.anniversaries,
            heading,
            _("No anniversaries until {until}.").format(until=until),
        )
        self.visits_section.show_rows(
            summary.visits,
            _("<b>Visits</b> starting until {until}: {n}").format(
                until=until, n=len(summary.visits)
            ),
            _("No visit starts until {until}, and none is under way.").format(until=until),
        )
        heading = _("<b>Actions</b> falling due until {until}: {n}").format(
            until=until, n=summary.actions_total
        )
        if summary.overdue:
            heading += " — " + red.format(
                ngettext("{n} overdue", "{n} overdue", summary.overdue).format(n=summary.overdue)
            )
        if summary.actions_total > len(summary.actions):
            heading += " " + ngettext(
                "(the first {n} shown)", "(the first {n} shown)", len(summary.actions)
            ).format(n=len(summary.actions))
        self.actions_section.show_rows(
            summary.actions,
            heading,
            _("Nothing falls due until {until}, and nothing is overdue.").format(until=until),
        )

    def shutdown(self) -> None:
        """The window is closing: stop the read made beside it."""
        self._closed = True
        if self._reads is not None:
            self._reads.close()
            self._reads = None

    def _go(self, area: str) -> None:
        if self._open_area is not None:
            self._open_area(area)
