"""The meeting editor: log a meeting in under a minute, with participants, actions and sources."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from protocol_desk.domain.dates import Precision, parse_date, parse_partial_date
from protocol_desk.domain.errors import Problems, ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    ACTION_STATUS_LABELS,
    DOCUMENT_KIND_LABELS,
    MEETING_FORMAT_LABELS,
    ActionStatus,
    AgreedAction,
    DocumentKind,
    Meeting,
    MeetingFormat,
    Participant,
    Side,
    SignedDocument,
    Source,
    new_uid,
)
from protocol_desk.domain.text import clean, fold
from protocol_desk.domain.validation import validate_meeting
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.actions import ActionService
from protocol_desk.services.meetings import DuplicateMeeting, MeetingService, NewPerson
from protocol_desk.services.names import SamePerson
from protocol_desk.services.reference import ReferenceService
from protocol_desk.services.safety import Conflict, SafetyService
from protocol_desk.ui.carry_forward import OpenActionsPanel
from protocol_desk.ui.day_words import date_text, long_date
from protocol_desk.ui.looks import QUIET_STYLE
from protocol_desk.ui.person_picker import DIFFERENT, SAME, ask_same_person, suggestion_label
from protocol_desk.ui.place_completers import CityCompleter, offer_countries
from protocol_desk.ui.record_editor import GoneBack, RecordEditor
from protocol_desk.ui.widgets import (
    chosen_text,
    fill_choices,
    fit_columns,
    named,
    ok_cancel,
    show_choice,
    show_error,
    show_from_the_start,
)

if TYPE_CHECKING:
    from protocol_desk.services.release_offer import ReleaseOffer
    from protocol_desk.ui.release_reading import ReleaseReadingDialog

LONGEST_RELEASE = 300_000  # characters: a release is a few thousand; more is a whole site

PRECISION_LABELS: dict[Precision, str] = {
    Precision.DAY: N_("Exact day"),
    Precision.MONTH: N_("Month only"),
    Precision.YEAR: N_("Year only"),
}
SIDE_LABELS: dict[Side, str] = {Side.OURS: N_("Our side"), Side.COUNTERPART: N_("Counterpart")}


@dataclass
class _ParticipantRow:
    """A participant being edited, and whether its title was filled in for the officer."""

    participant: Participant
    title_was_prefilled: bool


class NewPersonDialog(QDialog):
    """Create a participant on the spot: name, title, organisation, country, side."""

    def __init__(
        self, name: str, reference: ReferenceService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New person"))
        self.setObjectName("newPersonDialog")
        self.name = named(QLineEdit(name), "newPersonName", _("Full name"))
        self.title = named(QLineEdit(), "newPersonTitle", _("Title"))
        self.title.setPlaceholderText(_("e.g. Chairman of the House of Representatives"))
        self.organisation = named(QLineEdit(), "newPersonOrganisation", _("Organisation"))
        self.country = named(QComboBox(), "newPersonCountry", _("Country"))
        self.country.addItem("—", None)
        countries = reference.countries()
        for choice in countries:
            self.country.addItem(choice.label, choice.id)
        self.country_suggestions = offer_countries(self.country, countries)
        self.side = named(QComboBox(), "newPersonSide", _("Side"))
        for side, label in SIDE_LABELS.items():
            self.side.addItem(_(label), side)
        self.side.setCurrentIndex(1)
        form = QFormLayout()
        form.addRow(_("Full &name"), self.name)
        form.addRow(_("&Title"), self.title)
        form.addRow(_("&Organisation"), self.organisation)
        form.addRow(_("&Country"), self.country)
        form.addRow(_("&Side"), self.side)
        buttons = ok_cancel(self, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def new_person(self) -> NewPerson:
        return NewPerson(
            full_name=self.name.text(),
            side=Side(self.side.currentData()),
            title=self.title.text(),
            organisation=self.organisation.text(),
            country_id=self.country.currentData(),
        )


class DuplicateDialog(QDialog):
    """Shown when the meeting looks like one already logged (the other side's press release)."""

    ADD_SOURCE, SEPARATE = 1, 2

    def __init__(self, duplicate: DuplicateMeeting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Already logged?"))
        self.setObjectName("duplicateDialog")
        self.choice = 0
        existing = duplicate.existing[0]
        text = QLabel(
            _(
                "<p>A meeting on <b>{date}</b> with the same counterpart is already in the "
                "database:</p><p style='margin-left:12px'><b>{subject}</b><br>{sources}, "
                "{actions}</p><p>If this is the same meeting told by another "
                "press service, keep your text as another source of it.</p>"
            ).format(
                date=date_text(existing.date, existing.precision),
                subject=_html(existing.subject),
                sources=ngettext("{n} source", "{n} sources", len(existing.sources)).format(
                    n=len(existing.sources)
                ),
                actions=ngettext(
                    "{n} agreed action", "{n} agreed actions", len(existing.actions)
                ).format(n=len(existing.actions)),
            )
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        self.add_source = named(
            QPushButton(_("Add as a source of that meeting")), "addAsSource", _("Add as source")
        )
        self.separate = named(
            QPushButton(_("Save as a separate meeting")), "saveSeparately", _("Save separately")
        )
        cancel = QPushButton(_("Back to editing"))
        self.add_source.setDefault(True)
        self.add_source.clicked.connect(lambda: self._choose(self.ADD_SOURCE))
        self.separate.clicked.connect(lambda: self._choose(self.SEPARATE))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_source)
        buttons.addWidget(self.separate)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(buttons)
        self.existing_id = existing.id

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()


def _html(text: str) -> str:
    from html import escape

    return escape(text)


def _rows_table(
    table: QTableWidget, headers: list[str], stretch: int, widths: dict[int, int]
) -> QTableWidget:
    """One of the editor's tables of rows: its headers, the column that takes the room left,
    the others' widths, and no row numbers."""
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    fit_columns(table, widths.items())
    table.verticalHeader().setVisible(False)
    return table


class MeetingEditor(RecordEditor[Meeting]):
    """New or edit. ``saved_id`` holds the meeting id once saved (or the one a source went to)."""

    record_kind = "meeting"

    def __init__(
        self,
        meetings: MeetingService,
        reference: ReferenceService,
        meeting_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.meetings = meetings
        self.reference = reference
        self._original = meetings.get(meeting_id) if meeting_id is not None else None
        self._participants: list[_ParticipantRow] = []
        self._sources: list[Source] = []
        self._actions: list[AgreedAction] = []
        # Kept with the meeting as they are (taken from a release, or loaded).
        self._documents: list[SignedDocument] = (
            list(self._original.documents) if self._original else []
        )
        self._delegation_id = self._original.delegation_id if self._original else None
        self.setObjectName("meetingEditor")
        self.setWindowTitle(_("Edit meeting") if self._original else _("New meeting"))
        self.resize(900, 680)
        self._build()
        self._watch_fields()
        if self._original is not None:
            self._load(self._original)
            show_from_the_start(self)
        else:
            self.date.setFocus()
        self.loaded()

    # --- building the form -------------------------------------------------------------------
    def _build(self) -> None:
        self.date = named(QLineEdit(), "meetingDate", _("Date"))
        self.date.setPlaceholderText(_("06.06.2022, 6 June 2022, June 2022…"))
        # A push button with a menu: the style keeps room for the arrow (a tool button drew
        # it over the text).
        self.calendar_button = named(
            QPushButton(_("Calendar")), "pickDate", _("Pick the date from a calendar")
        )
        calendar_menu = QMenu(self.calendar_button)
        self.calendar = QCalendarWidget()
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        holder = QWidgetAction(calendar_menu)
        holder.setDefaultWidget(self.calendar)
        calendar_menu.addAction(holder)
        self.calendar_button.setMenu(calendar_menu)
        self.calendar.clicked.connect(self._picked_date)
        self.precision = named(QComboBox(), "datePrecision", _("Date precision"))
        for precision, label in PRECISION_LABELS.items():
            self.precision.addItem(_(label), precision)
        self.time = named(QLineEdit(), "meetingTime", _("Time"))
        self.time.setPlaceholderText("14:30")
        self.time.setMaximumWidth(70)
        self.date_hint = QLabel()
        self.date_hint.setObjectName("dateHint")
        self.date_hint.setStyleSheet(QUIET_STYLE)

        self.subject = named(QLineEdit(), "meetingSubject", _("Subject"))
        self.subject.setPlaceholderText(_("Who met whom, about what"))
        self.venue = named(QLineEdit(), "meetingVenue", _("Venue"))
        self.city = named(QLineEdit(), "meetingCity", _("City"))
        # Any city of the world by any of its names; the meeting keeps the spelling picked.
        self.city_suggestions = CityCompleter(self.city, self.reference.places)
        self.country = named(QComboBox(), "meetingCountry", _("Country"))
        self.country.addItem("—", None)
        countries = self.reference.countries()
        for choice in countries:
            self.country.addItem(choice.label, choice.id)
        self.country_suggestions = offer_countries(self.country, countries)
        self.format = named(QComboBox(), "meetingFormat", _("Format"))
        for fmt, label in MEETING_FORMAT_LABELS.items():
            self.format.addItem(_(label), fmt)
        self.occasion = named(QLineEdit(), "meetingOccasion", _("Occasion"))
        self.occasion.setPlaceholderText(_("the event on whose margins it took place"))
        self.kind = named(QComboBox(), "meetingKind", _("Kind"))
        self.kind.setEditable(True)
        fill_choices(self.kind, self.reference.meeting_kinds())
        self.topics = named(QLineEdit(), "meetingTopics", _("Topics"))
        self.topics.setPlaceholderText(_("comma-separated: trade, digitalisation, IPU"))
        self.summary = named(QPlainTextEdit(), "meetingSummary", _("Summary"))
        self.summary.setPlaceholderText(_("What was discussed"))

        when = QHBoxLayout()
        when.addWidget(self.date, 3)
        when.addWidget(self.calendar_button)
        when.addWidget(self.precision, 1)
        when.addWidget(QLabel(_("Time")))
        when.addWidget(self.time)
        place = QHBoxLayout()
        place.addWidget(self.venue, 2)
        place.addWidget(self.city, 1)
        place.addWidget(self.country, 1)
        self.venue.setPlaceholderText(_("Venue"))
        self.city.setPlaceholderText(_("City"))
        how = QHBoxLayout()
        how.addWidget(self.format, 1)
        how.addWidget(self.occasion, 2)
        how.addWidget(QLabel(_("Kind")))
        how.addWidget(self.kind, 1)

        details = QWidget()
        form = QFormLayout(details)
        for caption, row, buddy in (
            (_("&Date"), when, self.date),
            ("", self.date_hint, None),
            (_("&Subject"), self.subject, self.subject),
            (_("&Place"), place, self.venue),
            (_("&Format"), how, self.format),
            (_("&Topics"), self.topics, self.topics),
            (_("Su&mmary"), self.summary, self.summary),
        ):
            caption_label = QLabel(caption)
            if buddy is not None:
                caption_label.setBuddy(buddy)  # Alt+letter jumps to the field
            form.addRow(caption_label, row)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.addTab(details, _("Details"))
        self.tabs.addTab(self._participants_tab(), _("Participants"))
        self.tabs.addTab(self._actions_tab(), _("Agreed actions"))
        self.tabs.addTab(self._sources_tab(), _("Sources"))

        self.error = self.errors.general
        buttons = self.save_buttons("saveMeeting")
        self.from_release_button = named(
            QPushButton(_("F&rom a press release…")), "fromRelease", _("Log from a press release")
        )
        self.from_release_button.setToolTip(
            _(
                "Take the release on the clipboard as a source, and offer its day, people and "
                "agreements"
            )
        )
        self.from_release_button.clicked.connect(self.from_release)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        self.save_button.setToolTip(_("Save the meeting (Ctrl+S or Ctrl+Enter)"))
        bottom = QHBoxLayout()  # where the meeting comes from, apart from saving it
        bottom.addWidget(self.from_release_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

        # Tab goes where an officer types next; the calendar and the precision (which follows
        # what was typed) are for the mouse.
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.precision.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        chain = [
            self.date,
            self.time,
            self.subject,
            self.venue,
            self.city,
            self.country,
            self.format,
            self.occasion,
            self.kind,
            self.topics,
            self.summary,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.summary.setTabChangesFocus(True)

        self.date.textChanged.connect(self._date_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def _participants_tab(self) -> QWidget:
        tab = QWidget()
        self.participant_input = named(QLineEdit(), "participantInput", _("Add participant"))
        self.participant_input.setPlaceholderText(
            _("Type any spelling of a name — Kul-Mohammed, Қошанов, Сергеенко — then Enter")
        )
        self.participant_input.installEventFilter(self)
        self.new_person_button = named(QPushButton(_("New person…")), "newPerson", _("New person"))
        self.suggestions = named(QListWidget(), "participantSuggestions", _("Suggestions"))
        self.suggestions.setMaximumHeight(120)
        self.suggestions.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.suggestions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.suggestions.hide()
        self.participant_table = named(QTableWidget(0, 4), "participantTable", _("Participants"))
        self.participant_table.setHorizontalHeaderLabels(
            [_("Name"), _("Side"), _("Title held that day"), _("Role")]
        )
        header = self.participant_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.participant_table.verticalHeader().setVisible(False)
        self.participant_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.remove_participant = named(
            QPushButton(_("Remove")), "removeParticipant", _("Remove participant")
        )
        row = QHBoxLayout()
        row.addWidget(self.participant_input, 1)
        row.addWidget(self.new_person_button)
        below = QHBoxLayout()
        below.addStretch(1)
        below.addWidget(self.remove_participant)
        # Carry-forward: what was promised to these counterparts before, to close here.
        self.open_actions = OpenActionsPanel(ActionService(self.meetings.store))
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.suggestions)
        layout.addWidget(self.participant_table, 2)
        layout.addLayout(below)
        layout.addWidget(self.open_actions, 1)
        self.participant_input.textEdited.connect(self._suggest)
        self.suggestions.itemActivated.connect(self._pick)
        self.suggestions.itemClicked.connect(self._pick)
        self.new_person_button.clicked.connect(self._new_person)
        self.remove_participant.clicked.connect(self._remove_participant)
        self.participant_table.itemChanged.connect(self._participant_edited)
        return tab

    def _actions_tab(self) -> QWidget:
        tab = QWidget()
        self.action_table = _rows_table(
            named(QTableWidget(0, 4), "actionTable", _("Agreed actions")),
            [_("What was agreed"), _("Owner"), _("Due"), _("Status")],
            0,
            {1: 150, 2: 100, 3: 110},
        )
        self.action_table.setWordWrap(True)
        self.add_action = named(QPushButton(_("Add action")), "addAction", _("Add agreed action"))
        self.remove_action = named(
            QPushButton(_("Remove")), "removeAction", _("Remove agreed action")
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_action)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_action)
        hint = QLabel(_("Due dates are typed like 16.09.2022; leave empty when none was agreed."))
        hint.setStyleSheet(QUIET_STYLE)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.action_table, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self.add_action.clicked.connect(lambda: self._append_action(None, edit=True))
        self.remove_action.clicked.connect(
            lambda: self._remove_row(self.action_table, self._actions)
        )
        return tab

    def _sources_tab(self) -> QWidget:
        tab = QWidget()
        self.source_table = _rows_table(
            named(QTableWidget(0, 4), "sourceTable", _("Sources")),
            [_("Publisher"), _("Title"), _("Published"), _("URL")],
            1,
            {0: 170, 2: 90, 3: 200},
        )
        self.source_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.source_text = named(QPlainTextEdit(), "sourceText", _("Release text"))
        self.source_text.setPlaceholderText(
            _("Paste the press release here: it is kept with the meeting and searchable.")
        )
        self.add_source = named(QPushButton(_("Add source")), "addSource", _("Add source"))
        self.remove_source = named(QPushButton(_("Remove")), "removeSource", _("Remove source"))
        self.read_source = named(
            QPushButton(_("Read the text…")),
            "readRelease",
            _("Take the day, people and agreements"),
        )
        self.read_source.setToolTip(
            _("Find the day, the people and what was agreed in the release, to tick and take")
        )
        self.read_source.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_source)
        buttons.addWidget(self.read_source)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_source)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.source_table, 1)
        layout.addWidget(QLabel(_("Text of the selected source")))
        layout.addWidget(self.source_text, 1)
        self.documents_label = named(QLabel(), "documentsSigned", _("Documents signed"))
        self.documents_label.setWordWrap(True)
        layout.addWidget(self.documents_label)
        layout.addLayout(buttons)
        self.add_source.clicked.connect(lambda: self._append_source(Source(), edit=True))
        self.remove_source.clicked.connect(
            lambda: self._remove_row(self.source_table, self._sources)
        )
        self.source_table.currentCellChanged.connect(self._show_source_text)
        self.source_text.textChanged.connect(self._source_text_edited)
        self.read_source.clicked.connect(self.read_release)
        return tab

    # --- loading ----------------------------------------------------------------------------
    def _load(self, meeting: Meeting) -> None:
        if meeting.precision is Precision.DAY:
            self.date.setText(date_text(meeting.date))
        else:
            self.date.setText(date_text(meeting.date, meeting.precision))
        self.precision.setCurrentIndex(self.precision.findData(meeting.precision))
        self.time.setText(meeting.time or "")
        self.subject.setText(meeting.subject)
        self.venue.setText(meeting.venue)
        self.city.setText(meeting.city)
        self.country.setCurrentIndex(max(self.country.findData(meeting.country_id), 0))
        self.format.setCurrentIndex(self.format.findData(meeting.format))
        self.occasion.setText(meeting.occasion)
        show_choice(self.kind, meeting.kind)
        self.topics.setText(", ".join(meeting.topics))
        self.summary.setPlainText(meeting.summary)
        for participant in meeting.participants:
            self._append_participant(replace(participant), prefilled=False)
        for action in meeting.actions:
            self._append_action(action)
        for source in meeting.sources:
            self._append_source(source)
        self._show_documents()
        self._update_tab_titles()

    # --- date -------------------------------------------------------------------------------
    def _picked_date(self, picked: QDate) -> None:
        self.date.setText(date_text(date(picked.year(), picked.month(), picked.day())))
        self.precision.setCurrentIndex(self.precision.findData(Precision.DAY))
        menu = self.calendar_button.menu()
        if menu is not None:
            menu.hide()
        self._date_changed()

    def _parsed_date(self) -> tuple[date, Precision] | None:
        try:
            return parse_partial_date(self.date.text())
        except ValidationError:
            return None

    def _date_changed(self) -> None:
        try:
            day, precision = parse_partial_date(self.date.text())
        except ValidationError as error:
            typed = bool(self.date.text().strip())
            self.date_hint.setStyleSheet("color: #a00;" if typed else "color: #555;")
            self.date_hint.setText(shown(error.message) if typed else "")
            return
        self.date_hint.setStyleSheet(QUIET_STYLE)
        self.precision.setCurrentIndex(self.precision.findData(precision))
        self.date_hint.setText(
            _("Read as {day}").format(day=date_text(day, precision))
            + (_(" (day first, as the region writes it)") if precision is Precision.DAY else "")
        )
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._refresh_titles(day)
        self._update_carry_forward()

    def _format_changed(self) -> None:
        margins = self.format.currentData() == MeetingFormat.MARGINS
        self.occasion.setEnabled(margins or bool(self.occasion.text()))

    # --- participants -----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.participant_input
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            # Enter picks the first suggestion; it must not also press the dialog's Save.
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._pick_first()
                return True
            # Down moves from the name field into the suggestions, as in a search box.
            if event.key() == Qt.Key.Key_Down and self.suggestions.count():
                self.suggestions.setFocus()
                self.suggestions.setCurrentRow(0)
                return True
        return super().eventFilter(watched, event)

    def _meeting_day(self) -> date:
        parsed = self._parsed_date()
        return parsed[0] if parsed else date.today()

    def _suggest(self, text: str) -> None:
        self.suggestions.clear()
        matches = self.meetings.suggest_people(text, on=self._meeting_day()) if text.strip() else []
        taken = {row.participant.person_id for row in self._participants}
        for match in matches:
            if match.person_id in taken:
                continue
            item = QListWidgetItem(suggestion_label(match))
            item.setData(Qt.ItemDataRole.UserRole, match.person_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, match.full_name)
            item.setData(Qt.ItemDataRole.UserRole + 2, match.side)
            self.suggestions.addItem(item)
        if text.strip() and not self.suggestions.count():
            item = QListWidgetItem(
                _("No one called “{text}” yet — create them…").format(text=text.strip())
            )
            item.setData(Qt.ItemDataRole.UserRole, None)
            self.suggestions.addItem(item)
        elif text.strip() and not any(
            fold(m.full_name) == fold(" ".join(text.split())) for m in matches
        ):
            # Someone already known comes first; a new person is still one step away.
            item = QListWidgetItem(
                _("Someone else called “{text}” — create them…").format(text=text.strip())
            )
            item.setData(Qt.ItemDataRole.UserRole, None)
            self.suggestions.addItem(item)
        self.suggestions.setVisible(bool(self.suggestions.count()))

    def _pick_first(self) -> None:
        if self.suggestions.count():
            self._pick(self.suggestions.item(0))

    def _pick(self, item: QListWidgetItem) -> None:
        person_id = item.data(Qt.ItemDataRole.UserRole)
        if person_id is None:
            self._new_person()
            return
        self._take_person(
            person_id,
            item.data(Qt.ItemDataRole.UserRole + 1),
            Side(item.data(Qt.ItemDataRole.UserRole + 2)),
        )
        self.participant_input.clear()
        self.suggestions.clear()
        self.suggestions.hide()
        self.participant_input.setFocus()

    def _new_person(self) -> None:
        dialog = NewPersonDialog(self.participant_input.text().strip(), self.reference, self)
        if not dialog.exec():
            return
        new = dialog.new_person()
        try:
            person = self.meetings.create_person(new, on=self._meeting_day())
        except SamePerson as same:
            known = same.known[0]
            choice = ask_same_person(self, same)
            try:
                if choice == SAME:
                    # The typed spelling is kept as theirs (a slip of a letter as a misprint).
                    person = self.meetings.keep_spelling(known.person_id, new.full_name)
                elif choice == DIFFERENT:
                    person = self.meetings.create_person(
                        new, on=self._meeting_day(), allow_similar=True
                    )
                else:
                    return
            except Exception as error:
                show_error(self, error, _("Person not created"))
                return
        except Exception as error:
            show_error(self, error, _("Person not created"))
            return
        assert person.id is not None
        self._take_person(person.id, person.full_name, person.side)
        self.participant_input.clear()
        self.suggestions.hide()

    def _take_person(self, person_id: int, full_name: str, side: Side) -> None:
        """Add someone as a participant, with the title and organisation held on the day."""
        day = self._meeting_day()
        self._append_participant(
            Participant(
                person_id=person_id,
                side=side,
                title=self.meetings.title_on(person_id, day),
                organisation_id=self.meetings.organisation_on(person_id, day),
                person_name=full_name,
            ),
            prefilled=True,
        )

    def _append_participant(self, participant: Participant, *, prefilled: bool) -> None:
        entry = _ParticipantRow(participant, prefilled)
        self._participants.append(entry)
        table = self.participant_table
        table.blockSignals(True)
        row = table.rowCount()
        table.insertRow(row)
        name = QTableWidgetItem(participant.person_name)
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.setItem(row, 0, name)
        side = QComboBox()
        for value, label in SIDE_LABELS.items():
            side.addItem(_(label), value)
        side.setCurrentIndex(side.findData(participant.side))
        side.setAccessibleName(
            _("Side of {person_name}").format(person_name=participant.person_name)
        )
        # Bound to the participant, not to a row number: rows move when one is removed.
        side.currentIndexChanged.connect(lambda _=0, e=entry, c=side: self._side_changed(e, c))
        table.setCellWidget(row, 1, side)
        # The side's words whole ("Казахстанская сторона" runs longer than "Our side").
        table.setColumnWidth(1, max(table.columnWidth(1), side.sizeHint().width()))
        table.setItem(row, 2, QTableWidgetItem(participant.title))
        table.setItem(row, 3, QTableWidgetItem(participant.role))
        table.blockSignals(False)
        self._update_tab_titles()

    def _side_changed(self, entry: _ParticipantRow, combo: QComboBox) -> None:
        entry.participant.side = Side(combo.currentData())
        self._update_carry_forward()

    def _participant_edited(self, item: QTableWidgetItem) -> None:
        row = self._participants[item.row()]
        if item.column() == 2:
            row.participant.title = item.text().strip()
            row.title_was_prefilled = False
        elif item.column() == 3:
            row.participant.role = item.text().strip()

    def _refresh_titles(self, day: date) -> None:
        """A title prefilled from positions follows the date, and so does the organisation
        held with it; one typed by hand stays."""
        self.participant_table.blockSignals(True)
        for number, row in enumerate(self._participants):
            if row.title_was_prefilled:
                person_id = row.participant.person_id
                row.participant.title = self.meetings.title_on(person_id, day)
                row.participant.organisation_id = self.meetings.organisation_on(person_id, day)
                item = self.participant_table.item(number, 2)
                if item is not None:
                    item.setText(row.participant.title)
        self.participant_table.blockSignals(False)

    def _remove_participant(self) -> None:
        row = self.participant_table.currentRow()
        if row < 0:
            return
        self.participant_table.removeRow(row)
        del self._participants[row]
        self._update_tab_titles()

    # --- actions ----------------------------------------------------------------------------
    def _append_action(self, action: AgreedAction | None, *, edit: bool = False) -> None:
        action = action or AgreedAction(text="")
        self._actions.append(action)
        table = self.action_table
        row = table.rowCount()
        table.insertRow(row)
        text_item = QTableWidgetItem(action.text)
        table.setItem(row, 0, text_item)
        table.setItem(row, 1, QTableWidgetItem(action.owner))
        table.setItem(row, 2, QTableWidgetItem(date_text(action.due) if action.due else ""))
        status = QComboBox()
        for value, label in ACTION_STATUS_LABELS.items():
            status.addItem(_(label), value)
        status.setCurrentIndex(status.findData(action.status))
        status.setAccessibleName(_("Status"))
        table.setCellWidget(row, 3, status)
        self._update_tab_titles()
        if edit:
            table.setCurrentCell(row, 0)
            table.editItem(text_item)

    def _action_texts(self) -> set[str]:
        """What the agreed actions say so far, as typed."""
        items = (self.action_table.item(row, 0) for row in range(len(self._actions)))
        return {item.text().strip() for item in items if item is not None}

    def _collect_actions(self) -> list[AgreedAction]:
        actions = []
        for row, action in enumerate(self._actions):
            text = (self.action_table.item(row, 0) or QTableWidgetItem()).text().strip()
            owner = (self.action_table.item(row, 1) or QTableWidgetItem()).text().strip()
            due_text = (self.action_table.item(row, 2) or QTableWidgetItem()).text().strip()
            combo = self.action_table.cellWidget(row, 3)
            status = (
                ActionStatus(combo.currentData())
                if isinstance(combo, QComboBox)
                else ActionStatus.OPEN
            )
            if not text and not owner and not due_text:
                continue  # an empty row the officer added and left
            try:
                due = parse_date(due_text) if due_text else None
            except ValidationError as error:
                self.tabs.setCurrentIndex(2)
                raise ValidationError(
                    _("Action {value}: {message}").format(
                        value=row + 1, message=shown(error.message)
                    ),
                    "actions",
                ) from None
            if due != action.due:
                action.due_anniversary_id = None  # a typed date replaces a followed anniversary
            actions.append(replace(action, text=text, owner=owner, due=due, status=status))
        return actions

    # --- sources ----------------------------------------------------------------------------
    def _append_source(self, source: Source, *, edit: bool = False) -> None:
        self._sources.append(source)
        table = self.source_table
        row = table.rowCount()
        table.insertRow(row)
        publisher_item = QTableWidgetItem(source.publisher)
        table.setItem(row, 0, publisher_item)
        table.setItem(row, 1, QTableWidgetItem(source.title))
        table.setItem(
            row,
            2,
            QTableWidgetItem(date_text(source.published_on) if source.published_on else ""),
        )
        table.setItem(row, 3, QTableWidgetItem(source.url))
        self._update_tab_titles()
        if edit:
            table.setCurrentCell(row, 0)
            table.editItem(publisher_item)

    def _show_source_text(self, row: int, *_: int) -> None:
        self.source_text.blockSignals(True)
        self.source_text.setPlainText(
            self._sources[row].text if 0 <= row < len(self._sources) else ""
        )
        self.source_text.setEnabled(0 <= row < len(self._sources))
        self.source_text.blockSignals(False)
        self.read_source.setEnabled(bool(self.source_text.toPlainText().strip()))

    def _source_text_edited(self) -> None:
        row = self.source_table.currentRow()
        if 0 <= row < len(self._sources):
            self._sources[row].text = self.source_text.toPlainText()
        self.read_source.setEnabled(bool(self.source_text.toPlainText().strip()))

    def from_release(self) -> None:
        """The release copied from the press service's page becomes a source of the meeting
        and is read; with nothing copied, the source's text field waits for it."""
        from PySide6.QtWidgets import QApplication

        copied = QApplication.clipboard().text().strip()
        self.tabs.setCurrentIndex(3)
        if copied and not self._fits_one_release(copied):
            return
        held = [n for n, source in enumerate(self._sources) if clean(source.text) == clean(copied)]
        if copied and held:  # read again, not kept twice
            self.source_table.setCurrentCell(held[0], 0)
            self.read_release()
            return
        last = self._sources[-1] if self._sources else None
        if last is None or last.text.strip() or self._source_row_typed(-1):
            self._append_source(Source())  # else the empty one added before waits still
        self.source_table.setCurrentCell(self.source_table.rowCount() - 1, 0)
        if not copied:
            self.source_text.setFocus()
            self.source_text.setPlaceholderText(
                _("Paste the press release here, then choose Read the text…")
            )
            return
        self.source_text.setPlainText(copied)
        self.read_release()

    def _fits_one_release(self, text: str) -> bool:
        if len(text) <= LONGEST_RELEASE:
            return True
        QMessageBox.information(
            self,
            _("Not one release"),
            _(
                "The text is {value:,} thousand characters long: more than a press release. "
                "Copy the release alone, from its title to its last paragraph."
            ).format(value=len(text) // 1000),
        )
        return False

    def read_release(self) -> None:
        """Offer what the selected source's text says (its day, format, place, people,
        documents, agreed actions, visit) and take what the officer ticks into the meeting.
        The reading runs beside the window when the file allows (its Russian dictionary
        loads once, the first time), with a busy notice meanwhile."""
        text = self.source_text.toPlainText()
        if not text.strip() or not self._fits_one_release(text):
            return
        # Imported when first used: logging a meeting by hand never needs them.
        from protocol_desk.services.release_lookup import StoreLookup
        from protocol_desk.services.release_offer import read_release

        today = date.today()
        path = self.meetings.store.path
        if path is None or str(path) == ":memory:":
            self._review_release(read_release(StoreLookup(self.meetings.store), text, today), text)
            return
        from PySide6.QtWidgets import QProgressDialog

        from protocol_desk.ui.background import Reads

        busy = QProgressDialog(_("Reading the release…"), "", 0, 0, self)
        busy.setObjectName("readingRelease")
        busy.setWindowTitle(_("Read the release"))
        busy.setCancelButton(None)
        busy.setMinimumDuration(300)
        busy.setWindowModality(Qt.WindowModality.WindowModal)

        def done(_number: int, offer: object) -> None:
            busy.close()
            reads.close()
            self._review_release(offer, text)  # type: ignore[arg-type]

        def failed(_number: int, message: str) -> None:
            busy.close()
            reads.close()
            QMessageBox.warning(
                self,
                _("Read the release"),
                _("The release could not be read: {message}").format(message=message),
            )

        reads = Reads(Path(path), self, done, failed, "a release")
        reads.start(lambda service: read_release(StoreLookup(service.store), text, today))

    def _review_release(self, offer: ReleaseOffer, text: str) -> None:
        from protocol_desk.services.releases import known_country_codes
        from protocol_desk.ui.release_reading import ReleaseReadingDialog

        row = self.source_table.currentRow()
        published = self.source_table.item(row, 2)
        typed = self._parsed_date()
        dialog = ReleaseReadingDialog(
            offer,
            text,
            has_date=bool(self.date.text().strip()),
            typed_day=typed[0] if typed else None,
            has_subject=bool(self.subject.text().strip()),
            has_published=published is not None and bool(published.text().strip()),
            taking_part={row.participant.person_id for row in self._participants},
            agreed=self._action_texts(),
            known_countries=known_country_codes(self.meetings.store),
            parent=self,
        )
        if not dialog.exec():
            return
        self._take_from_release(dialog, row)

    def _take_from_release(self, dialog: ReleaseReadingDialog, row: int) -> None:
        from protocol_desk.services.releases import take_people, visit_from_release

        subject = dialog.chosen_subject()
        if subject is not None:
            self.subject.setText(subject)
            self.subject.setCursorPosition(0)
        posted = dialog.chosen_published()
        if posted is not None:
            self.source_table.setItem(row, 2, QTableWidgetItem(date_text(posted)))
        day = dialog.chosen_day()
        if day is not None:  # first: the participants' titles are those held that day
            self.date.setText(date_text(day))
            self.precision.setCurrentIndex(self.precision.findData(Precision.DAY))
        chosen_format = dialog.chosen_format()
        if chosen_format is not None:
            self.format.setCurrentIndex(self.format.findData(MeetingFormat(chosen_format)))
            if dialog.chosen_occasion() and not self.occasion.text().strip():
                self.occasion.setText(dialog.chosen_occasion())
        from protocol_desk.services.releases import take_country

        chosen_country = dialog.chosen_country()
        country_id = None
        if chosen_country is not None:
            # The relations' year an anniversary gives, when the office has none.
            country_id = take_country(
                self.meetings.store,
                *chosen_country,
                dialog.chosen_relations(),
                self._meeting_day() or date.today(),
            )
            if self.country.findData(country_id) < 0:  # new to the office: offered from now on
                self.country.addItem(chosen_country[1], country_id)
            self.country.setCurrentIndex(max(self.country.findData(country_id), 0))
        place = dialog.chosen_place()
        if place is not None:
            venue, city = place
            if venue and not self.venue.text().strip():
                self.venue.setText(venue)
            if city and not self.city.text().strip():
                self.city.setText(city)
        people = dialog.chosen_people()
        on = self._meeting_day() or date.today()
        if people:
            # New people are created now, one click for all (a name already in the office is
            # taken as that person): the meeting then holds them like anyone picked.
            taken = take_people(self.meetings.store, people, country_id, on)
            for person, person_id, _ in taken:
                self._take_person(person_id, person.name, Side(person.side))
        else:
            taken = []
        for agreement in dialog.chosen_agreements():
            self._append_action(AgreedAction(text=agreement))
        for document in dialog.chosen_documents():
            self._documents.append(
                SignedDocument(
                    title=document["title"],
                    kind=DocumentKind(document["kind"]),
                    signed_on=day,
                    signed_by=list(document.get("signed_by") or []),
                )
            )
        self._show_documents()
        visit = dialog.chosen_visit()
        if visit is not None and (day or self._meeting_day()) is not None:
            from protocol_desk.services.delegations import DelegationService

            draft = visit_from_release(
                visit,
                taken,
                subject=self.subject.text(),
                start=day or on,
                end=dialog.offer.end_date,
                country_id=country_id,
                city=self.city.text().strip(),
                as_of=date.today(),
            )
            self._delegation_id = DelegationService(self.meetings.store).save(draft).id
        self.action_table.resizeRowsToContents()  # an agreement runs to several lines
        self._update_carry_forward()
        self.tabs.setCurrentIndex(0)  # what to check next: the day, subject and place

    def _show_documents(self) -> None:
        self.documents_label.setVisible(bool(self._documents))
        self.documents_label.setText(
            _("Documents signed: {documents}").format(
                documents="; ".join(
                    f"{d.title} ({_(DOCUMENT_KIND_LABELS[d.kind])})" for d in self._documents
                )
            )
        )

    def _source_row_typed(self, row: int) -> bool:
        """Whether a source's row has anything typed in its cells."""
        row = row % self.source_table.rowCount()
        cells = (self.source_table.item(row, column) for column in range(4))
        return any(cell is not None and cell.text().strip() for cell in cells)

    def _collect_sources(self) -> list[Source]:
        sources = []
        for row, source in enumerate(self._sources):

            def cell(column: int, row: int = row) -> str:
                return (self.source_table.item(row, column) or QTableWidgetItem()).text()

            published_text = cell(2).strip()
            try:
                published = parse_date(published_text) if published_text else None
            except ValidationError as error:
                self.tabs.setCurrentIndex(3)
                raise ValidationError(
                    _("Source {value}: {message}").format(
                        value=row + 1, message=shown(error.message)
                    ),
                    "sources",
                ) from None
            collected = replace(
                source,
                publisher=cell(0).strip(),
                title=cell(1).strip(),
                published_on=published,
                url=cell(3).strip(),
            )
            if collected.publisher or collected.title or collected.url or collected.text.strip():
                sources.append(collected)
        return sources

    def _remove_row(self, table: QTableWidget, items: list[AgreedAction] | list[Source]) -> None:
        row = table.currentRow()
        if row < 0:
            return
        table.removeRow(row)
        del items[row]
        self._update_tab_titles()

    def _update_carry_forward(self) -> None:
        counterparts = [
            row.participant.person_id
            for row in self._participants
            if row.participant.side is Side.COUNTERPART
        ]
        self.open_actions.set_counterparts(counterparts)
        parsed = self._parsed_date()
        self.open_actions.set_meeting(
            self._original.id if self._original else None, parsed[0] if parsed else None
        )

    def _update_tab_titles(self) -> None:
        for index, (title, count) in enumerate(
            (
                (_("Participants"), len(self._participants)),
                (_("Agreed actions"), len(self._actions)),
                (_("Sources"), len(self._sources)),
            ),
            start=1,
        ):
            self.tabs.setTabText(index, f"{title} ({count})" if count else title)
        self._update_carry_forward()

    # --- saving -----------------------------------------------------------------------------
    def collect(self, problems: Problems) -> Meeting:
        """The meeting as typed; what cannot be read is noted in ``problems``."""
        day: date | None = None
        precision = Precision.DAY
        with problems.at("date"):
            day, precision = parse_partial_date(self.date.text())
            chosen = Precision(self.precision.currentData())  # Qt hands enum values as str
            if chosen is not Precision.DAY and precision is Precision.DAY:
                day = (
                    day.replace(day=1) if chosen is Precision.MONTH else day.replace(month=1, day=1)
                )
                precision = chosen
        sources: list[Source] = []
        with problems.at("sources"):
            sources = self._collect_sources()
        actions: list[AgreedAction] = []
        with problems.at("actions"):
            actions = self._collect_actions()
        base = self._original
        return Meeting(
            id=base.id if base else None,
            uid=base.uid if base else new_uid(),
            version=base.version if base else 0,
            date=day,  # type: ignore[arg-type]  # None only beside a problem noted
            precision=precision,
            time=self.time.text().strip() or None,
            venue=" ".join(self.venue.text().split()),
            city=" ".join(self.city.text().split()),
            country_id=self.country.currentData(),
            format=MeetingFormat(self.format.currentData()),
            occasion=" ".join(self.occasion.text().split()),
            kind=chosen_text(self.kind),
            subject=" ".join(self.subject.text().split()),
            summary=self.summary.toPlainText().strip(),
            topics=[t.strip() for t in self.topics.text().split(",") if t.strip()],
            delegation_id=self._delegation_id,
            confidentiality=base.confidentiality
            if base
            else Meeting(date=date.today(), subject="").confidentiality,
            participants=[row.participant for row in self._participants],
            sources=sources,
            actions=actions,
            documents=list(self._documents),
            provenance=base.provenance if base else "",
        )

    def _watch_fields(self) -> None:
        """The fields a problem can be marked at (the message under the tabs)."""
        for field, widget in (
            ("date", self.date),
            ("time", self.time),
            ("subject", self.subject),
            ("venue", self.venue),
            ("city", self.city),
            ("occasion", self.occasion),
            ("kind", self.kind),
            ("topics", self.topics),
            ("summary", self.summary),
            ("participants", self.participant_table),
            ("actions", self.action_table),
            ("action_text", self.action_table),
            ("action_owner", self.action_table),
            ("action_status", self.action_table),
            ("sources", self.source_table),
        ):
            self.errors.watch(field, widget)

    def extra_state(self) -> object:
        return self.open_actions.checked_action_ids()

    def validate(self, record: Meeting) -> None:
        validate_meeting(record)

    def write(self, record: Meeting) -> Meeting:
        if not record.participants and self._original is None:
            answer = QMessageBox.question(
                self,
                _("No participants"),
                _("Nobody is listed as taking part. Save the meeting anyway?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.tabs.setCurrentIndex(1)
                self.participant_input.setFocus()
                raise GoneBack
        done = self.open_actions.checked_action_ids()
        try:
            return self.meetings.save(record, fulfilled_action_ids=done)
        except DuplicateMeeting as duplicate:
            return self._handle_duplicate(duplicate, record)

    def current(self, record: Meeting) -> Meeting:
        return self.meetings.get(record.id or 0)

    def conflict(self, yours: Meeting, theirs: Meeting) -> Conflict:
        # A meeting is compared with its participants, sources and actions by name.
        return SafetyService(self.meetings.store).meeting_conflict(yours)

    def keep_mine(self, yours: Meeting, conflict: Conflict) -> Meeting:
        return SafetyService(self.meetings.store).keep_my_meeting(yours, conflict)

    def describe(self, saved: Meeting) -> str:
        when = (
            long_date(saved.date)
            if saved.precision is Precision.DAY
            else date_text(saved.date, saved.precision)
        )
        counterparts = [
            p.person_name
            for p in saved.participants
            if p.side is Side.COUNTERPART and p.person_name
        ]
        return f"{when} — {', '.join(counterparts[:2]) or saved.subject}"

    def _handle_duplicate(self, duplicate: DuplicateMeeting, meeting: Meeting) -> Meeting:
        dialog = DuplicateDialog(duplicate, self)
        if not dialog.exec():
            raise GoneBack
        done = self.open_actions.checked_action_ids()
        if dialog.choice == DuplicateDialog.ADD_SOURCE:
            assert dialog.existing_id is not None
            return self.meetings.add_account(dialog.existing_id, meeting, fulfilled_action_ids=done)
        return self.meetings.save(meeting, allow_duplicate=True, fulfilled_action_ids=done)
