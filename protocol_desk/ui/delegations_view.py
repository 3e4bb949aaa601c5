"""The delegations area: visits with their members and roles and the programme day by day;
the visit editor with members picked by any spelling and programme items."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import parse_date
from protocol_desk.domain.errors import Problems, ValidationError
from protocol_desk.domain.listing import DelegationFilter, DelegationRow, VisitMeeting
from protocol_desk.domain.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    DelegationStatus,
    ProgrammeItem,
)
from protocol_desk.domain.validation import validate_delegation
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.database import Database
from protocol_desk.services.delegations import (
    DIRECTION_LABELS,
    HEAD_ROLE,
    MEMBER_ROLES,
    STATUS_LABELS,
    DelegationDetail,
    DelegationService,
    ProgrammeDay,
)
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import PeopleService
from protocol_desk.services.reference import Choice, ReferenceService
from protocol_desk.ui.columns import Column, date_key
from protocol_desk.ui.day_words import date_text, long_date, long_day
from protocol_desk.ui.list_area import list_beside_detail
from protocol_desk.ui.looks import QUIET_STYLE, icon
from protocol_desk.ui.person_picker import PersonPicker
from protocol_desk.ui.place_completers import CityCompleter, offer_countries
from protocol_desk.ui.record_editor import RecordEditor
from protocol_desk.ui.record_widgets import (
    ChoiceDelegate,
    EditColumn,
    PagedTableModel,
    RecordListView,
    RowsModel,
    TextChoiceDelegate,
    button_row,
    dates_text,
    enum_data,
    filter_row,
    record_table,
    short_period,
)
from protocol_desk.ui.widgets import (
    DETAIL_MIN_WIDTH,
    chosen_text,
    facts_html,
    fill_choices,
    fill_combo,
    fit_columns,
    hint_html,
    named,
    show_choice,
    show_error,
    show_from_the_start,
)


def _place(row: DelegationRow) -> str:
    return ", ".join(p for p in (row.city, row.country or row.organisation) if p)


DELEGATION_COLUMNS = (
    Column("Dates", lambda r: short_period(r.start, r.end), lambda r: date_key(r.start)),
    Column("Visit", lambda r: r.title),
    Column("Direction", lambda r: _(DIRECTION_LABELS[r.direction])),
    Column("Status", lambda r: _(STATUS_LABELS[r.status])),
    Column("Where / with", _place),
    Column("Head", lambda r: r.head),
)


def delegations_model(
    service: DelegationService, flt: DelegationFilter, parent: Any = None
) -> PagedTableModel:
    def fetch(after: Any, limit: int) -> tuple[list[DelegationRow], Any]:
        return service.page(flt, after=after, limit=limit)

    return PagedTableModel(DELEGATION_COLUMNS, fetch, lambda r: r.id, parent)


def day_heading(day: date) -> str:
    """``Friday, 6 February 2026``."""
    return long_day(day)


def programme_html(days: list[ProgrammeDay]) -> str:
    if not days:
        return "<p style='color:#777'>No programme yet.</p>"
    parts = []
    for day in days:
        parts.append(f"<h4 style='margin-bottom:2px'>{escape(day_heading(day.day))}</h4>")
        if not day.entries:
            parts.append(hint_html(_("Nothing in the programme yet.")))
            continue
        parts.append("<table cellspacing='0' cellpadding='2' width='100%'>")
        for entry in day.entries:
            text = f"<b>{escape(entry.title)}</b>"
            if entry.place:
                text += f" — {escape(entry.place)}"
            if entry.meeting_id is not None:
                text += " <span style='color:#2a6'>[" + escape(_("meeting logged")) + "]</span>"
            if entry.notes:
                text += f"<br><i style='color:#777'>{escape(entry.notes)}</i>"
            parts.append(
                "<tr><td width='60' valign='top' style='color:#555'>"
                f"{escape(entry.time or '—')}</td><td>{text}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


def delegation_html(detail: DelegationDetail) -> str:
    d = detail.delegation
    parts = [f"<h2>{escape(d.title)}</h2>"]
    if detail.deleted:
        parts.append(
            "<p style='color:#a00'><b>"
            + escape(_("This visit is in the bin."))
            + "</b> "
            + escape(_("Restore it to keep it."))
            + "</p>"
        )
    facts = [
        (_("Dates"), escape(dates_text(d.start, d.end or d.start))),
        (_("Direction"), _(DIRECTION_LABELS[d.direction])),
        (_("Status"), _(STATUS_LABELS[d.status])),
    ]
    where = ", ".join(p for p in (d.city, detail.country) if p)
    if where:
        facts.append((_("Where"), escape(where)))
    if detail.organisation:
        facts.append((_("Organisation"), escape(detail.organisation)))
    if detail.head:
        facts.append((_("Head"), escape(detail.head)))
    if d.purpose:
        facts.append((_("Purpose"), escape(d.purpose)))
    parts.append(facts_html(facts, top=True))
    if detail.members:
        parts.append("<h3>" + _("Members") + "</h3><ul>")
        for line in detail.members:
            role = f" — <i>{escape(_(line.member.role))}</i>" if line.member.role else ""
            title = f", {escape(line.title)}" if line.title else ""
            parts.append(f"<li><b>{escape(line.member.person_name)}</b>{title}{role}</li>")
        parts.append("</ul>")
    parts.append("<h3>" + _("Programme") + "</h3>")
    parts.append(programme_html(detail.days))
    if detail.meetings:
        parts.append(_("<h3>Meetings of the visit ({n})</h3><ul>").format(n=len(detail.meetings)))
        parts += [
            f"<li>{date_text(m.date, m.precision)}"
            + (f" {escape(m.time)}" if m.time else "")
            + f": {escape(m.subject)}</li>"
            for m in detail.meetings
        ]
        parts.append("</ul>")
    if d.notes.strip():
        parts.append(
            "<h3>"
            + _("Notes")
            + "</h3>"
            + "".join(f"<p>{escape(p)}</p>" for p in d.notes.split("\n") if p.strip())
        )
    return "".join(parts)


class DelegationsView(RecordListView):
    """Visits latest first, with filters; the chosen visit's members and programme."""

    def __init__(self, store: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = DelegationService(store)
        self.people = PeopleService(store)
        self.organisations = OrganisationService(store)
        self.countries = CountryService(store)
        self._filter = DelegationFilter()
        self.setObjectName("delegationsView")

        self.search = named(QLineEdit(), "delegationSearch", _("Search visits"))
        self.search.setPlaceholderText(
            _("Title, city, purpose or any member's name: Кошанов, Minsk…")
        )
        self.search.setClearButtonEnabled(True)
        self.direction = named(QComboBox(), "directionFilter", _("Filter by direction"))
        fill_combo(
            self.direction,
            _("All directions"),
            [(key, _(label)) for key, label in DIRECTION_LABELS.items()],
        )
        self.status = named(QComboBox(), "statusFilter", _("Filter by status"))
        fill_combo(
            self.status, _("Any status"), [(key, _(label)) for key, label in STATUS_LABELS.items()]
        )
        self.country = named(QComboBox(), "delegationCountryFilter", _("Filter by country"))
        self.show_bin = named(QCheckBox(_("Show the bin")), "showBin", _("Show deleted visits"))
        self.new_button = named(QPushButton(_("New visit…")), "newDelegation", _("New visit"))
        self.edit_button = named(QPushButton(_("Edit…")), "editDelegation", _("Edit visit"))
        self.delete_button = named(QPushButton(_("Delete…")), "deleteDelegation", _("Delete visit"))
        self.restore_button = named(
            QPushButton(_("Restore")), "restoreDelegation", _("Restore visit")
        )
        self.print_button = named(
            QPushButton(_("Print programme…")), "printProgramme", _("Print the visit's programme")
        )
        self.print_button.setToolTip(_("Print the visit's programme day by day, from a preview"))
        self.count_label = named(QLabel(), "delegationCount", _("Number of visits"))

        self.model = delegations_model(self.service, self._filter, self)
        self.table = record_table(
            self.model,
            "delegationsTable",
            _("Delegations and visits"),
            1,
            ((0, 100), (2, 80), (3, 75), (4, 100), (5, 120)),
        )
        self.detail = named(QTextBrowser(), "delegationDetail", _("Visit details"))
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)  # its labels never break mid-word

        filters = filter_row(
            self.search,
            (_("Direction"), self.direction),
            (_("Status"), self.status),
            (_("Country"), self.country),
        )
        filters.addWidget(self.show_bin)
        buttons = button_row(
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.restore_button,
            self.print_button,
            count=self.count_label,
        )
        splitter = list_beside_detail(self.table, buttons, self.detail)
        splitter.setSizes([880, 420])  # the visits' titles keep room beside longer headers
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._search_on_pause(self.search)
        for combo in (self.direction, self.status, self.country):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.show_bin.toggled.connect(self.apply_filter)
        self._follow_list(self.show_delegation)
        self._list_area(
            "delegations",
            _("Delegations and visits"),
            lambda: self.edit_delegation(),
            splitter,
            delete=self.delete_delegation,
        )
        self.new_button.clicked.connect(lambda: self.edit_delegation(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_delegation())
        self.delete_button.clicked.connect(self.delete_delegation)
        self.restore_button.clicked.connect(self.restore_delegation)
        self.print_button.clicked.connect(self.print_programme)
        print_programme = QAction(icon("print"), _("Print programme…"), self)
        print_programme.setObjectName("delegationsPrintProgramme")
        print_programme.triggered.connect(self.print_programme)
        self.list_area.add_record_action(print_programme)
        self.refresh_choices()
        self._update_count()

    # --- filters -----------------------------------------------------------------------------
    def refresh_choices(self) -> None:
        fill_combo(
            self.country, _("All countries"), [(c.id, c.name) for c in self.countries.list()]
        )

    def current_filter(self) -> DelegationFilter:
        return DelegationFilter(
            text=self.search.text(),
            direction=enum_data(self.direction, DelegationDirection),
            status=enum_data(self.status, DelegationStatus),
            country_id=self.country.currentData(),
            deleted=self.show_bin.isChecked(),
        )

    def apply_filter(self) -> None:
        self._read_with(self.current_filter(), self.service.page)

    def count_text(self) -> str:
        total = self.service.count(self._filter)
        return self._count_words(
            total,
            self._filter == DelegationFilter(),
            _("No visits yet: plan the first with “New visit…”."),
            _("No visit matches. Try fewer words or clear the filters."),
            ngettext("{n} visit", "{n} visits", total).format(n=f"{total:,}"),
        )

    # --- detail ------------------------------------------------------------------------------
    def show_delegation(self, delegation_id: int | None) -> None:
        self._bin_buttons(delegation_id, self.service.store.readonly)
        self.print_button.setEnabled(delegation_id is not None)
        self._show_detail(
            delegation_id,
            _("Select a visit to see its members and its programme day by day."),
            lambda shown: delegation_html(self.service.detail(shown)),
        )

    # --- editing -----------------------------------------------------------------------------
    def edit_delegation(self, *, new: bool = False) -> None:
        saved = self._edit_record(
            lambda delegation_id: DelegationEditor(
                self.service,
                self.people,
                self.organisations,
                self.countries,
                delegation_id=delegation_id,
                parent=self,
            ),
            new=new,
        )
        if saved is not None:
            self.data_changed.emit()

    def delete_delegation(self) -> None:
        delegation_id = self.selected_id()
        if delegation_id is None:
            return
        delegation = self.service.get(delegation_id)
        answer = QMessageBox.question(
            self,
            _("Delete visit"),
            _(
                "Move “{title}” to the bin?\n\nIts members, programme and meetings stay with "
                "it, and you can restore it from the bin."
            ).format(title=delegation.title),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._to_the_bin(
            delegation_id,
            self.service.delete,
            self.service.restore,
            _("Delete of visit “{title}”").format(title=delegation.title),
        )

    def print_programme(self) -> None:
        """The selected visit's programme on paper: its PDF, through the print preview."""
        from protocol_desk.ui.printing import print_visit_programme

        delegation_id = self.selected_id()
        if delegation_id is None:
            return
        try:
            print_visit_programme(self, self.service.store, delegation_id, preview=True)
        except Exception as error:
            show_error(self, error, _("Not printed"))

    def restore_delegation(self) -> None:
        self._from_the_bin(self.service.restore)


class DelegationEditor(RecordEditor[Delegation]):
    """Plan or record a visit: dates, members with roles, and the programme."""

    record_kind = "visit"

    def __init__(
        self,
        service: DelegationService,
        people: PeopleService,
        organisations: OrganisationService,
        countries: CountryService,
        *,
        delegation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.people = people
        self._meetings: dict[int, VisitMeeting] = {}
        self._open_as(
            service.get,
            delegation_id,
            "delegationEditor",
            (_("Edit visit"), _("New visit")),
            (900, 640),
        )

        # --- the visit
        self.title = named(QLineEdit(), "delegationTitle", _("Title"))
        self.title.setPlaceholderText(_("e.g. Visit of the Majilis Speaker to Belarus"))
        self.direction = named(QComboBox(), "direction", _("Direction"))
        for direction, label in DIRECTION_LABELS.items():
            self.direction.addItem(_(label), direction)
        self.status = named(QComboBox(), "status", _("Status"))
        for status, label in STATUS_LABELS.items():
            self.status.addItem(_(label), status)
        self.start = named(QLineEdit(), "startDate", _("First day"))
        self.start.setPlaceholderText("06.02.2026")
        self.end = named(QLineEdit(), "endDate", _("Last day"))
        self.end.setPlaceholderText(_("if known"))
        self.city = named(QLineEdit(), "city", _("City"))
        # Any city of the world by any of its names; the visit keeps the spelling picked.
        self.city_suggestions = CityCompleter(self.city, ReferenceService(countries.store).places)
        self.country = named(QComboBox(), "delegationCountry", _("Country"))
        every_country = countries.list()
        fill_combo(self.country, "—", [(c.id, c.name) for c in every_country])
        self.country_suggestions = offer_countries(
            self.country, [Choice(c.id or 0, c.name, c.other_names) for c in every_country]
        )
        self.organisation = named(QComboBox(), "delegationOrganisation", _("Organisation"))
        fill_combo(self.organisation, "—", organisations.choices())
        self.head = PersonPicker(people.suggest)
        named(self.head, "head", _("Head of the delegation"))
        self.purpose = named(QPlainTextEdit(), "purpose", _("Purpose"))
        self.purpose.setMaximumHeight(70)
        self.notes = named(QPlainTextEdit(), "delegationNotes", _("Notes"))
        self.notes.setMaximumHeight(70)

        visit = QWidget()
        form = QFormLayout(visit)
        form.addRow(_("Title"), self.errors.field(self.title, ("title", self.title)))
        kinds = QHBoxLayout()
        kinds.addWidget(self.direction)
        kinds.addWidget(QLabel(_("Status")))
        kinds.addWidget(self.status)
        kinds.addStretch(1)
        form.addRow(_("Direction"), kinds)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.end)
        dates.addStretch(1)
        for field in (self.start, self.end):
            field.setMaximumWidth(150)
        form.addRow(_("Dates"), self.errors.field(dates, ("start", self.start), ("end", self.end)))
        form.addRow(_("City"), self.errors.field(self.city, ("city", self.city)))
        form.addRow(_("Country"), self.country)
        form.addRow(_("Organisation"), self.organisation)
        form.addRow(_("Head"), self.errors.field(self.head, ("head", self.head)))
        form.addRow(_("Purpose"), self.purpose)
        form.addRow(_("Notes"), self.notes)

        # --- members
        self.member_picker = PersonPicker(people.suggest)
        named(self.member_picker, "memberPicker", _("Person to add"))
        self.member_role = named(QComboBox(), "memberRole", _("Role"))
        self.member_role.setEditable(True)
        fill_choices(self.member_role, MEMBER_ROLES)
        show_choice(self.member_role, "member")
        self.add_member = named(QPushButton(_("Add member")), "addMember", _("Add member"))
        self.members = RowsModel(
            (
                EditColumn("person_name", _("Person"), editable=False),
                EditColumn("role", _("Role"), show=lambda value: _(str(value)) if value else ""),
            ),
            self,
        )
        self.members_table = named(QTableView(), "membersTable", _("Members"))
        self.members_table.setModel(self.members)
        self.members_table.setItemDelegateForColumn(1, TextChoiceDelegate(MEMBER_ROLES, self))
        self.members_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        fit_columns(self.members_table, ((1, 220),))
        self.members_table.verticalHeader().setVisible(False)
        self.remove_member = named(QPushButton(_("Remove")), "removeMember", _("Remove member"))
        members = QWidget()
        members_layout = QVBoxLayout(members)
        add_row = QHBoxLayout()
        add_row.addWidget(self.member_picker, 2)
        add_row.addWidget(self.member_role, 1)
        add_row.addWidget(self.add_member)
        members_layout.addLayout(add_row)
        members_layout.addWidget(self.errors.message_label("members", self.members_table))
        members_layout.addWidget(self.members_table, 1)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_member)
        remove_row.addStretch(1)
        members_layout.addLayout(remove_row)

        # --- programme
        self.item_day = named(QLineEdit(), "itemDay", _("Day of the item"))
        self.item_day.setPlaceholderText("06.02.2026")
        self.item_time = named(QLineEdit(), "itemTime", _("Time of the item"))
        self.item_time.setPlaceholderText("10:00")
        self.item_time.setMaximumWidth(70)
        self.item_title = named(QLineEdit(), "itemTitle", _("What"))
        self.item_title.setPlaceholderText(_("Arrival, wreath laying, talks, site visit…"))
        self.item_place = named(QLineEdit(), "itemPlace", _("Where"))
        self.item_place.setPlaceholderText(_("Where"))
        self.item_meeting = named(QComboBox(), "itemMeeting", _("The meeting it is"))
        self.add_item = named(QPushButton(_("Add to programme")), "addProgrammeItem", _("Add item"))
        self.programme = RowsModel(
            (
                EditColumn("day", _("Day")),
                EditColumn("time", _("Time")),
                EditColumn("title", _("What")),
                EditColumn("place", _("Where")),
                EditColumn(
                    "meeting_id", _("Meeting"), show=lambda value: self._meeting_label(value)
                ),
                EditColumn("notes", _("Notes")),
            ),
            self,
        )
        self.programme_table = named(QTableView(), "programmeTable", _("Programme"))
        self.programme_table.setModel(self.programme)
        self.programme_table.setItemDelegateForColumn(
            4, ChoiceDelegate(self._meeting_choices, _("— not a meeting —"), self)
        )
        self.programme_table.verticalHeader().setVisible(False)
        self.programme_table.setWordWrap(False)
        header = self.programme_table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        fit_columns(self.programme_table, ((0, 90), (1, 55), (3, 140), (4, 170), (5, 120)))
        self.remove_item = named(QPushButton(_("Remove")), "removeProgrammeItem", _("Remove item"))
        programme = QWidget()
        programme_layout = QVBoxLayout(programme)
        item_form = QHBoxLayout()
        item_form.addWidget(self.item_day)
        item_form.addWidget(self.item_time)
        item_form.addWidget(self.item_title, 2)
        item_form.addWidget(self.item_place, 1)
        programme_layout.addLayout(item_form)
        meeting_row = QHBoxLayout()
        meeting_row.addWidget(QLabel(_("Meeting")))
        meeting_row.addWidget(self.item_meeting, 1)
        meeting_row.addWidget(self.add_item)
        programme_layout.addLayout(meeting_row)
        programme_layout.addWidget(self.errors.message_label("programme", self.programme_table))
        programme_layout.addWidget(self.programme_table, 1)
        remove_items = QHBoxLayout()
        remove_items.addWidget(self.remove_item)
        hint = QLabel(_("The visit's meetings not in the programme are shown in it as well."))
        hint.setStyleSheet(QUIET_STYLE)
        remove_items.addWidget(hint, 1)
        programme_layout.addLayout(remove_items)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("delegationTabs")
        self.tabs.addTab(visit, _("Visit"))
        self.tabs.addTab(members, _("Members"))
        self.tabs.addTab(programme, _("Programme"))
        buttons = self.save_buttons("saveDelegation")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

        self.add_member.clicked.connect(self.add_chosen_member)
        self.member_picker.returnPressed.connect(self._add_member_on_enter)
        self.remove_member.clicked.connect(
            lambda: self._remove_current(self.members_table, self.members)
        )
        self.add_item.clicked.connect(self.add_programme_item)
        for field in (self.item_day, self.item_time, self.item_title, self.item_place):
            field.installEventFilter(self)
        self.remove_item.clicked.connect(
            lambda: self._remove_current(self.programme_table, self.programme)
        )
        self.item_meeting.activated.connect(self._meeting_picked)
        self.start.editingFinished.connect(self._dates_changed)
        self.end.editingFinished.connect(self._dates_changed)
        if self._original is not None:
            self._load(self._original)
            show_from_the_start(self)
        self._dates_changed()
        self.loaded()

    # --- loading -----------------------------------------------------------------------------
    def _load(self, delegation: Delegation) -> None:
        self.title.setText(delegation.title)
        self.direction.setCurrentIndex(self.direction.findData(delegation.direction))
        self.status.setCurrentIndex(self.status.findData(delegation.status))
        self.start.setText(f"{delegation.start:%d.%m.%Y}")
        self.end.setText(f"{delegation.end:%d.%m.%Y}" if delegation.end else "")
        self.city.setText(delegation.city)
        self.country.setCurrentIndex(max(self.country.findData(delegation.country_id), 0))
        self.organisation.setCurrentIndex(
            max(self.organisation.findData(delegation.organisation_id), 0)
        )
        if delegation.head_person_id is not None:
            self.head.choose(delegation.head_person_id, self.people.name(delegation.head_person_id))
        self.purpose.setPlainText(delegation.purpose)
        self.notes.setPlainText(delegation.notes)
        self.members.set_rows(
            [
                {"person_id": m.person_id, "person_name": m.person_name, "role": m.role}
                for m in delegation.members
            ]
        )
        self.programme.set_rows(
            [
                {
                    "day": f"{i.day:%d.%m.%Y}",
                    "time": i.time or "",
                    "title": i.title,
                    "place": i.place,
                    "meeting_id": i.meeting_id,
                    "notes": i.notes,
                    "uid": i.uid,
                }
                for i in delegation.programme
            ]
        )

    # --- members -----------------------------------------------------------------------------
    def _add_member_on_enter(self) -> None:
        if self.member_picker.person_id() is not None:
            self.add_chosen_member()

    def add_chosen_member(self) -> None:
        person_id = self.member_picker.person_id()
        if person_id is None:
            self.errors.show(
                "members",
                _("Type a name and pick the person from the suggestions")
                if self.member_picker.text().strip()
                else _("Type the name of the person to add."),
            )
            return
        if any(r["person_id"] == person_id for r in self.members.rows):
            self.errors.show(
                "members",
                _("{name} is already among the members.").format(name=self.member_picker.text()),
            )
            return
        self.errors.clear()
        role = chosen_text(self.member_role)
        self.members.append(
            {"person_id": person_id, "person_name": self.member_picker.text(), "role": role}
        )
        if role == HEAD_ROLE and self.head.person_id() is None:
            self.head.choose(person_id, self.member_picker.text())
        self.member_picker.choose(None)
        self.member_picker.setFocus()

    @staticmethod
    def _remove_current(table: QTableView, model: RowsModel) -> None:
        index = table.currentIndex()
        if index.isValid():
            model.remove(index.row())

    # --- programme ---------------------------------------------------------------------------
    def _dates(self) -> tuple[date | None, date | None]:
        def parsed(field: QLineEdit) -> date | None:
            try:
                return parse_date(field.text()) if field.text().strip() else None
            except ValidationError:
                return None

        return parsed(self.start), parsed(self.end)

    def _dates_changed(self) -> None:
        start, end = self._dates()
        if start is not None and not self.item_day.text().strip():
            self.item_day.setText(f"{start:%d.%m.%Y}")
        candidates: list[VisitMeeting] = []
        if start is not None:
            probe = Delegation(
                title="",
                direction=DelegationDirection.INCOMING,
                start=start,
                end=end if end and end >= start else None,
                id=self._original.id if self._original else None,
            )
            candidates = self.service.candidate_meetings(probe)
        self._meetings = {m.id: m for m in candidates}
        fill_combo(
            self.item_meeting,
            _("— not a meeting —"),
            [(m.id, self._meeting_label(m.id)) for m in candidates],
        )

    def _meeting_label(self, meeting_id: Any) -> str:
        meeting = self._meetings.get(meeting_id) if meeting_id is not None else None
        if meeting is None:
            return (
                ""
                if meeting_id is None
                else _("meeting #{meeting_id}").format(meeting_id=meeting_id)
            )
        return f"{meeting.date:%d.%m} {meeting.subject}"

    def _meeting_choices(self) -> list[tuple[Any, str]]:
        return [(m.id, self._meeting_label(m.id)) for m in self._meetings.values()]

    def _meeting_picked(self) -> None:
        meeting = self._meetings.get(self.item_meeting.currentData())
        if meeting is None:
            return
        self.item_day.setText(f"{meeting.date:%d.%m.%Y}")
        if meeting.time:
            self.item_time.setText(meeting.time)
        if not self.item_title.text().strip():
            self.item_title.setText(meeting.subject)
        if not self.item_place.text().strip():
            self.item_place.setText(meeting.venue)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the programme item's fields adds the item rather than saving the visit.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.add_programme_item()
            return True
        return super().eventFilter(watched, event)

    def add_programme_item(self) -> None:
        title = self.item_title.text().strip()
        if not title:
            self.errors.show("programme", _("Say what the programme item is (its title)."))
            self.item_title.setFocus()
            return
        try:
            parse_date(self.item_day.text())
        except ValidationError as error:
            self.errors.show(
                "programme", _("The item's day: {message}").format(message=shown(error.message))
            )
            self.item_day.setFocus()
            return
        self.errors.clear()
        self.programme.append(
            {
                "day": self.item_day.text().strip(),
                "time": self.item_time.text().strip(),
                "title": title,
                "place": self.item_place.text().strip(),
                "meeting_id": self.item_meeting.currentData(),
                "notes": "",
            }
        )
        self.item_time.clear()
        self.item_title.clear()
        self.item_place.clear()
        self.item_meeting.setCurrentIndex(0)
        self.item_title.setFocus()

    # --- saving ------------------------------------------------------------------------------
    def collect(self, problems: Problems) -> Delegation:
        start: date | None = None
        end: date | None = None
        with problems.at("start"):
            if not self.start.text().strip():
                raise ValidationError(_("The first day of the visit is required."), "start")
            start = parse_date(self.start.text())
        with problems.at("end"):
            end = parse_date(self.end.text()) if self.end.text().strip() else None
        head_id = self.head.person_id()
        if head_id is None and self.head.text().strip():
            problems.add("head", _("Pick the head of the delegation from the suggestions."))
        programme = []
        for number, row in enumerate(self.programme.rows, 1):
            try:
                day = parse_date(str(row.get("day") or ""))
            except ValidationError as error:
                title = row.get("title") or _("no title")
                problems.add(
                    "programme",
                    _("Programme item {number} ({title}): {message}").format(
                        number=number, title=title, message=shown(error.message)
                    ),
                )
                continue
            item = ProgrammeItem(
                day=day,
                title=str(row.get("title") or ""),
                time=str(row.get("time") or "") or None,
                place=str(row.get("place") or ""),
                meeting_id=row.get("meeting_id"),
                notes=str(row.get("notes") or ""),
            )
            if row.get("uid"):
                item.uid = str(row["uid"])
            programme.append(item)
        base = self._original
        delegation = Delegation(
            title=self.title.text(),
            direction=enum_data(self.direction, DelegationDirection)
            or DelegationDirection.INCOMING,
            start=start,  # type: ignore[arg-type]  # None only beside a problem noted
            end=end,
            country_id=self.country.currentData(),
            organisation_id=self.organisation.currentData(),
            head_person_id=head_id,
            city=self.city.text(),
            purpose=self.purpose.toPlainText().strip(),
            status=enum_data(self.status, DelegationStatus) or DelegationStatus.PLANNED,
            notes=self.notes.toPlainText(),
            provenance=base.provenance if base else "",
            members=[
                DelegationMember(
                    person_id=int(r["person_id"]),
                    role=str(r.get("role") or ""),
                    person_name=str(r.get("person_name") or ""),
                )
                for r in self.members.rows
            ],
            programme=programme,
        )
        return self._same_record(delegation)

    def validate(self, record: Delegation) -> None:
        validate_delegation(record)

    def write(self, record: Delegation) -> Delegation:
        return self.service.save(record)

    def describe(self, saved: Delegation) -> str:
        return f"{long_date(saved.start)} — {saved.title}"
