"""The people area: everyone by any spelling, what they were and are, their meetings newest
first; the person editor and the merge of duplicate records."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import parse_base_date, parse_date
from protocol_desk.domain.errors import Problems, ProtocolDeskError, ValidationError
from protocol_desk.domain.listing import PersonFilter, PersonRow
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Person, PersonName, Position, Side
from protocol_desk.domain.validation import validate_person
from protocol_desk.i18n import _, ngettext, shown
from protocol_desk.services.database import Database
from protocol_desk.services.names import SamePerson
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.services.people import (
    KEEP_PHOTO,
    DuplicatePerson,
    MergePreview,
    PeopleService,
    PersonDetail,
    PersonMeeting,
)
from protocol_desk.services.safety import Conflict, SafetyService
from protocol_desk.ui.columns import Column, date_key
from protocol_desk.ui.countries_view import CountriesView
from protocol_desk.ui.day_words import base_date_text, date_text
from protocol_desk.ui.list_area import MainColumnRoom, list_beside_detail
from protocol_desk.ui.looks import ERROR_TEXT_STYLE, QUIET_STYLE
from protocol_desk.ui.organisations_view import OrganisationsView
from protocol_desk.ui.person_picker import DIFFERENT, SAME, PersonPicker, ask_same_person
from protocol_desk.ui.record_editor import GoneBack, RecordEditor
from protocol_desk.ui.record_widgets import (
    ChoiceDelegate,
    EditColumn,
    PagedTableModel,
    RecordListView,
    RowsModel,
    button_row,
    dates_text,
    enum_data,
    filter_row,
    record_table,
)
from protocol_desk.ui.undo import offer_undo
from protocol_desk.ui.widgets import (
    facts_html,
    fill_combo,
    fit_columns,
    hint_html,
    named,
    show_error,
    show_from_the_start,
)

PHOTO_MAX_SIDE = 600  # stored photos are scaled down to this: a face, not a poster
THUMBNAIL_SIDE = 110
PHOTO_FRAME = "border: 1px solid #bbb; background: #f6f6f6; color: #888;"

SIDE_LABELS: dict[Side, str] = {Side.OURS: N_("Our side"), Side.COUNTERPART: N_("Counterpart")}

PEOPLE_COLUMNS = (
    Column("Name", lambda r: r.full_name),
    Column("Other spellings", lambda r: r.other_names),
    Column("Now", lambda r: r.title),
    Column("Country", lambda r: r.country),
    Column("Side", lambda r: _(SIDE_LABELS[r.side])),
)

PERSON_MEETING_COLUMNS = (
    Column(
        "Date", lambda m: date_text(m.row.date, m.row.precision), lambda m: date_key(m.row.date)
    ),
    Column("Meeting", lambda m: m.row.subject),
    Column("As", lambda m: m.title_then),
)


_MISPRINT = N_("misprint: found, never printed")


def people_model(people: PeopleService, flt: PersonFilter, parent: Any = None) -> PagedTableModel:
    def fetch(after: Any, limit: int) -> tuple[list[PersonRow], Any]:
        return people.page(flt, after=after, limit=limit)

    return PagedTableModel(PEOPLE_COLUMNS, fetch, lambda r: r.id, parent)


def person_meetings_model(
    people: PeopleService, person_id: int | None, parent: Any = None
) -> PagedTableModel:
    def fetch(after: Any, limit: int) -> tuple[list[PersonMeeting], Any]:
        if person_id is None:
            return [], None
        return people.meetings(person_id, after=after, limit=limit)

    return PagedTableModel(PERSON_MEETING_COLUMNS, fetch, lambda m: m.row.meeting_id, parent)


def scaled_photo(image: QImage, side: int = PHOTO_MAX_SIDE) -> bytes:
    """The image as PNG bytes, no larger than ``side`` pixels either way."""
    if image.width() > side or image.height() > side:
        image = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; Qt wants text
    buffer.close()
    return bytes(data.data())


def thumbnail(photo: bytes | None, side: int = THUMBNAIL_SIDE) -> QPixmap:
    pixmap = QPixmap()
    if photo:
        pixmap.loadFromData(photo)
    if pixmap.isNull():
        return pixmap
    return pixmap.scaled(
        side,
        side,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def person_html(detail: PersonDetail) -> str:
    person = detail.person
    parts = [f"<h2>{escape(person.full_name)}</h2>"]
    if detail.merged_into is not None:
        parts.append(
            "<p style='color:#a00'><b>"
            + escape(
                _("This record was merged into {name}.").format(name=detail.merged_into.full_name)
            )
            + "</b></p>"
        )
    if detail.deleted:
        parts.append(
            "<p style='color:#a00'><b>"
            + escape(_("This person is in the bin."))
            + "</b> "
            + escape(_("Restore them to find them in searches and pickers again."))
            + "</p>"
        )
    if person.variants:
        parts.append(
            "<p><span style='color:#555'>"
            + escape(_("Also written:"))
            + "</span> "
            + " · ".join(
                escape(v.name)
                + (
                    " <i style='color:#a60'>(" + escape(_(_MISPRINT)) + ")</i>"
                    if v.misprint
                    else ""
                )
                + (f" <i style='color:#777'>({escape(v.note)})</i>" if v.note else "")
                for v in person.variants
            )
            + "</p>"
        )
    facts = [(_("Side"), _(SIDE_LABELS[person.side]))]
    if detail.country:
        facts.append((_("Country"), escape(detail.country)))
    if person.form_of_address:
        facts.append((_("Address as"), escape(person.form_of_address)))
    if person.birth_date:
        facts.append((_("Born"), escape(base_date_text(person.birth_date))))
    facts.append((_("Meetings"), f"{detail.meetings:,}"))
    parts.append(facts_html(facts))
    current = detail.current
    if current:
        parts.append("<h3>" + _("Now") + "</h3><ul>")
        for line in current:
            title = escape(line.position.title)
            if line.organisation and line.organisation not in line.position.title:
                title += f", {escape(line.organisation)}"
            since = (
                " <span style='color:#777'>("
                + escape(_("since {start}").format(start=date_text(line.position.start)))
                + ")</span>"
                if line.position.start
                else ""
            )
            parts.append(f"<li><b>{title}</b>{since}</li>")
        parts.append("</ul>")
    past = [line for line in detail.positions if not line.current]
    if past:
        parts.append(
            "<h3>" + _("Before and elsewhere") + "</h3><table cellspacing='0' cellpadding='2'>"
        )
        for line in past:
            period = dates_text(line.position.start, line.position.end) or _("dates not known")
            title = escape(line.position.title)
            if line.organisation and line.organisation not in line.position.title:
                title += f", {escape(line.organisation)}"
            parts.append(
                f"<tr><td style='color:#555;padding-right:12px'>{escape(period)}</td>"
                f"<td>{title}</td></tr>"
            )
        parts.append("</table>")
    if detail.visits:
        parts.append("<h3>" + _("Visits") + "</h3><ul>")
        for visit in detail.visits:
            role = f" — {escape(visit.role)}" if visit.role else ""
            period = escape(dates_text(visit.start, visit.end or visit.start))
            parts.append(f"<li>{period}: {escape(visit.title)}{role}</li>")
        parts.append("</ul>")
    if detail.anniversaries:
        parts.append(
            ngettext(
                "<p>{n} anniversary record refers to this person.</p>",
                "<p>{n} anniversary records refer to this person.</p>",
                detail.anniversaries,
            ).format(n=detail.anniversaries)
        )
    if person.notes.strip():
        parts.append(
            "<h3>"
            + _("Notes")
            + "</h3>"
            + "".join(f"<p>{escape(p)}</p>" for p in person.notes.split("\n") if p.strip())
        )
    return "".join(parts)


class PeopleView(RecordListView):
    """The people list with search and filters, and the chosen person's record and meetings."""

    def __init__(
        self,
        people: PeopleService,
        organisations: OrganisationService,
        countries: CountryService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.people = people
        self.organisations = organisations
        self.countries = countries

        self.search = named(QLineEdit(), "peopleSearch", _("Search people"))
        self.search.setPlaceholderText(
            _("Search any spelling, in any script: Әшімбаев, Ashimbayev…")
        )
        self.search.setToolTip(self.search.placeholderText())  # read whole where it is cut
        self.search.setClearButtonEnabled(True)
        self.side = named(QComboBox(), "sideFilter", _("Filter by side"))
        self.side.addItem(_("Both sides"), None)
        for side, label in SIDE_LABELS.items():
            self.side.addItem(_(label), side)
        self.country = named(QComboBox(), "peopleCountryFilter", _("Filter by country"))
        self.organisation = named(
            QComboBox(), "peopleOrganisationFilter", _("Filter by organisation")
        )
        self.new_button = named(QPushButton(_("New person…")), "newPerson", _("New person"))
        self.edit_button = named(QPushButton(_("Edit…")), "editPerson", _("Edit person"))
        self.merge_button = named(
            QPushButton(_("Merge…")), "mergePerson", _("Merge duplicate records")
        )
        self.delete_button = named(QPushButton(_("Delete…")), "deletePerson", _("Delete person"))
        self.delete_button.setToolTip(_("Move the selected person to the bin (Del)"))
        self.restore_button = named(QPushButton(_("Restore")), "restorePerson", _("Restore person"))
        self.show_bin = named(
            QCheckBox(_("Show the bin")), "showPeopleBin", _("Show deleted people")
        )
        self.show_bin.setToolTip(_("Show the people moved to the bin, to restore them"))

        self.model = people_model(people, PersonFilter(), self)
        self._filter = PersonFilter()
        self.table = record_table(
            self.model, "peopleTable", _("People"), 2, ((0, 165), (1, 165), (3, 85), (4, 95))
        )
        self.count_label = named(QLabel(), "peopleCount", _("Number of people"))

        self.photo = named(QLabel(), "personPhoto", _("Photo"))
        self.photo.setFixedSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet(PHOTO_FRAME)
        self.detail = named(QTextBrowser(), "personDetail", _("Person details"))
        self.meetings_model = person_meetings_model(people, None, self)
        self.meetings_table = named(QTableView(), "personMeetings", _("Meetings of the person"))
        self.meetings_table.setModel(self.meetings_model)
        self.meetings_table.verticalHeader().setVisible(False)
        self.meetings_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.meetings_table.setWordWrap(False)
        self.meetings_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        fit_columns(self.meetings_table, ((0, 95), (2, 150)))
        # The meeting's subject gets the room; the title held then shows whole in its tooltip.
        MainColumnRoom(self.meetings_table, self.meetings_table.horizontalHeader())
        self.meetings_caption = QLabel(_("Meetings, newest first"))
        self.meetings_caption.setObjectName("personMeetingsCaption")

        filters = filter_row(
            self.search,
            (_("Side"), self.side),
            (_("Country"), self.country),
            (_("Organisation"), self.organisation),
        )
        filters.addWidget(self.show_bin)
        buttons = button_row(
            self.new_button,
            self.edit_button,
            self.merge_button,
            self.delete_button,
            self.restore_button,
            count=self.count_label,
        )

        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        top_layout.addWidget(self.detail, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.meetings_caption)
        bottom_layout.addWidget(self.meetings_table)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(bottom)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        splitter = list_beside_detail(self.table, buttons, right)
        splitter.setSizes([840, 460])  # the list's "Now" has room in every language
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._search_on_pause(self.search)
        for combo in (self.side, self.country, self.organisation):
            combo.currentIndexChanged.connect(self.apply_filter)
        self._follow_list(self.show_person)
        self.show_bin.toggled.connect(self.apply_filter)
        self._list_area(
            "people", _("People"), lambda: self.edit_person(), splitter, delete=self.delete_person
        )
        self.new_button.clicked.connect(lambda: self.edit_person(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_person())
        self.merge_button.clicked.connect(self.merge_person)
        self.delete_button.clicked.connect(self.delete_person)
        self.restore_button.clicked.connect(self.restore_person)
        self.refresh_choices()
        self._update_count()
        self.show_person(None)

    # --- filters -----------------------------------------------------------------------------
    def refresh_choices(self) -> None:
        fill_combo(
            self.country, _("All countries"), [(c.id, c.name) for c in self.countries.list()]
        )
        fill_combo(self.organisation, _("All organisations"), self.organisations.choices())

    def current_filter(self) -> PersonFilter:
        return PersonFilter(
            text=self.search.text(),
            side=enum_data(self.side, Side),
            country_id=self.country.currentData(),
            organisation_id=self.organisation.currentData(),
            deleted=self.show_bin.isChecked(),
        )

    def apply_filter(self) -> None:
        self._read_with(self.current_filter(), self.people.page)

    def reset_filters(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for combo in (self.side, self.country, self.organisation):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filter()

    def count_text(self) -> str:
        total = self.people.count(self._filter)
        return self._count_words(
            total,
            self._filter == PersonFilter(),
            _("Nobody yet: add the first person with “New person…”."),
            _("Nobody matches. Try another spelling or clear the filters."),
            ngettext("{n} person", "{n} people", total).format(n=f"{total:,}"),
        )

    # --- detail ------------------------------------------------------------------------------
    def show_person(self, person_id: int | None) -> None:
        self._bin_buttons(person_id, self.people.store.readonly, self.merge_button)
        self.meetings_model.set_fetch(
            lambda after, limit: (
                self.people.meetings(person_id, after=after, limit=limit)
                if person_id is not None
                else ([], None)
            )
        )
        if person_id is None:
            self.photo.clear()
            self.detail.setHtml(
                hint_html(
                    _(
                        "Select a person to see their names, what they were "
                        "when we met them and what they are now, and every meeting with them."
                    )
                )
            )
            self.meetings_caption.setText(_("Meetings, newest first"))
            return
        detail = self.people.detail(person_id)
        self.detail.setHtml(person_html(detail))
        pixmap = thumbnail(self.people.photo(person_id)) if detail.person.has_photo else None
        if pixmap is not None and not pixmap.isNull():
            self.photo.setPixmap(pixmap)
        else:
            self.photo.setText(_("no photo"))
        self.meetings_caption.setText(
            _("Meetings, newest first ({meetings:,})").format(meetings=detail.meetings)
            if detail.meetings
            else _("No meetings with this person yet.")
        )

    # --- editing -----------------------------------------------------------------------------
    def edit_person(self, *, new: bool = False) -> None:
        saved = self._edit_record(
            lambda person_id: PersonEditor(
                self.people, self.organisations, self.countries, person_id=person_id, parent=self
            ),
            new=new,
        )
        if saved is not None:
            if self.selected_id() != saved:  # the filter hides it: shown all the same
                self.reset_filters()
                self.select(saved)
            self.data_changed.emit()

    def merge_person(self) -> None:
        person_id = self.selected_id()
        if person_id is None:
            return
        dialog = MergeDialog(self.people, person_id, parent=self)
        if dialog.exec():
            self.reload(select_id=dialog.kept_id)
            self.data_changed.emit()

    def delete_person(self) -> None:
        """To the bin, after saying where the person appears: those records keep their name."""
        person_id = self.selected_id()
        if person_id is None or self._filter.deleted or self.people.store.readonly:
            return
        detail = self.people.detail(person_id)
        name = detail.person.full_name
        answer = QMessageBox.question(
            self,
            _("Delete person"),
            _("Move “{name}” to the bin?").format(name=name) + "\n\n" + appearances_text(detail),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if not self._to_the_bin(
            person_id,
            self.people.delete,
            self.people.restore,
            _("Delete of person “{name}”").format(name=name),
        ):
            return
        offer_undo(
            self,
            _("Person deleted"),
            _("“{name}” was moved to the bin.").format(name=name),
        )

    def restore_person(self) -> None:
        self._from_the_bin(self.people.restore)


def appearances_text(detail: PersonDetail) -> str:
    """Where a person about to go to the bin appears, for the question that asks."""
    lines = []
    if detail.meetings:
        lines.append(
            ngettext("{n} meeting", "{n} meetings", detail.meetings).format(n=detail.meetings)
        )
    if detail.visits:
        titles = "; ".join(v.title for v in detail.visits[:3])
        more = "…" if len(detail.visits) > 3 else ""
        lines.append(
            ngettext(
                "{n} visit, as head or member: {titles}",
                "{n} visits, as head or member: {titles}",
                len(detail.visits),
            ).format(n=len(detail.visits), titles=titles + more)
        )
    if detail.anniversaries:
        lines.append(
            ngettext("{n} anniversary", "{n} anniversaries", detail.anniversaries).format(
                n=detail.anniversaries
            )
        )
    if detail.person.birth_date is not None:
        lines.append(_("their birthday, which goes to the bin with them"))
    if not lines:
        return _(
            "They appear in no meeting, visit or anniversary. You can bring them back with "
            "Undo or from the bin."
        )
    return (
        _("They appear in:")
        + "\n"
        + "\n".join(f"• {line}" for line in lines)
        + "\n\n"
        + _(
            "Those records keep showing their name and nothing in them changes. You can bring "
            "them back with Undo or from the bin."
        )
    )


class PersonEditor(RecordEditor[Person]):
    """Create or edit a person: spellings, side, country, birth date, photo, positions."""

    record_kind = "person"

    def __init__(
        self,
        people: PeopleService,
        organisations: OrganisationService,
        countries: CountryService,
        *,
        person_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.people = people
        self.organisations = organisations
        self.countries = countries
        self._photo: bytes | None = None
        self._photo_changed = False
        self._open_as(
            people.get, person_id, "personEditor", (_("Edit person"), _("New person")), (1080, 640)
        )

        self.full_name = named(QLineEdit(), "fullName", _("Full name"))
        self.full_name.setPlaceholderText(_("The name as the office writes it: Igor Sergeyenko"))
        self.variants = RowsModel(
            (EditColumn("name", _("Other spelling")), EditColumn("note", _("Note"))), self
        )
        self.variants_table = named(QTableView(), "variantsTable", _("Other spellings"))
        self.variants_table.setModel(self.variants)
        self.variants_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        fit_columns(self.variants_table, ((0, 210),))
        self.variants_table.setWordWrap(False)
        self.variants_table.verticalHeader().setVisible(False)
        self.add_variant = named(QPushButton(_("Add spelling")), "addVariant", _("Add spelling"))
        self.remove_variant = named(QPushButton(_("Remove")), "removeVariant", _("Remove spelling"))
        self.side = named(QComboBox(), "side", _("Side"))
        for side, label in SIDE_LABELS.items():
            self.side.addItem(_(label), side)
        self.side.setCurrentIndex(1)
        self.form_of_address = named(QLineEdit(), "formOfAddress", _("Form of address"))
        self.form_of_address.setPlaceholderText(_("e.g. Mr. Sergeyenko, Your Excellency"))
        self.country = named(QComboBox(), "country", _("Country"))
        fill_combo(self.country, "—", [(c.id, c.name) for c in countries.list()])
        self.birth_date = named(QLineEdit(), "birthDate", _("Birth date"))
        self.birth_date.setPlaceholderText(
            _("16.09.1962, or 16.09 / 16 September if the year is unknown")
        )
        self.photo = named(QLabel(_("no photo")), "photoPreview", _("Photo"))
        self.photo.setFixedSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet(PHOTO_FRAME)
        self.load_photo = named(QPushButton(_("Load photo…")), "loadPhoto", _("Load photo"))
        self.remove_photo = named(QPushButton(_("Remove photo")), "removePhoto", _("Remove photo"))
        self.positions = RowsModel(
            (
                EditColumn("title", _("Title")),
                EditColumn(
                    "organisation_id",
                    _("Organisation"),
                    show=lambda value: self._organisation_names.get(value, ""),
                ),
                EditColumn("start", _("From")),
                EditColumn("end", _("To")),
            ),
            self,
        )
        self._organisation_names = dict(organisations.choices())
        self.positions_table = named(QTableView(), "positionsTable", _("Positions over time"))
        self.positions_table.setModel(self.positions)
        self.positions_table.setItemDelegateForColumn(
            1, ChoiceDelegate(organisations.choices, _("— none —"), self)
        )
        self.positions_table.verticalHeader().setVisible(False)
        self.positions_table.setWordWrap(False)
        header = self.positions_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fit_columns(self.positions_table, ((1, 200), (2, 90), (3, 90)))
        self.add_position = named(QPushButton(_("Add position")), "addPosition", _("Add position"))
        self.remove_position = named(
            QPushButton(_("Remove")), "removePosition", _("Remove position")
        )
        self.notes = named(QPlainTextEdit(), "notes", _("Notes"))

        left = QFormLayout()
        left.addRow(
            _("Full name"), self.errors.field(self.full_name, ("full_name", self.full_name))
        )
        variant_buttons = QHBoxLayout()
        variant_buttons.addWidget(self.add_variant)
        variant_buttons.addWidget(self.remove_variant)
        variant_buttons.addStretch(1)
        variant_box = QVBoxLayout()
        variant_box.addWidget(self.variants_table)
        variant_box.addLayout(variant_buttons)
        variant_box.addWidget(self.errors.message_label("variants", self.variants_table))
        left.addRow(_("Other spellings"), variant_box)
        left.addRow(_("Side"), self.side)
        left.addRow(
            _("Form of address"),
            self.errors.field(self.form_of_address, ("form_of_address", self.form_of_address)),
        )
        left.addRow(_("Country"), self.country)
        left.addRow(
            _("Birth date"), self.errors.field(self.birth_date, ("birth_date", self.birth_date))
        )

        right = QFormLayout()
        photo_buttons = QVBoxLayout()
        photo_buttons.addWidget(self.load_photo)
        photo_buttons.addWidget(self.remove_photo)
        photo_buttons.addStretch(1)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo)
        photo_row.addLayout(photo_buttons)
        photo_row.addStretch(1)
        right.addRow(_("Photo"), self.errors.field(photo_row, ("photo", self.photo)))
        position_buttons = QHBoxLayout()
        position_buttons.addWidget(self.add_position)
        position_buttons.addWidget(self.remove_position)
        hint = QLabel(_("Dates like 01.03.2019; leave “To” empty while the position is held."))
        hint.setStyleSheet(QUIET_STYLE)
        hint.setWordWrap(True)  # Kazakh and Russian run longer: wrap, never widen the editor
        position_buttons.addWidget(hint, 1)
        position_box = QVBoxLayout()
        position_box.addWidget(self.positions_table)
        position_box.addLayout(position_buttons)
        position_box.addWidget(self.errors.message_label("positions", self.positions_table))
        right.addRow(_("Positions"), position_box)
        right.addRow(_("Notes"), self.errors.field(self.notes, ("notes", self.notes)))

        columns = QHBoxLayout()
        left_side = QWidget()
        left_side.setLayout(left)
        left_side.setMinimumWidth(440)
        right_side = QWidget()
        right_side.setLayout(right)
        columns.addWidget(left_side, 4)
        columns.addWidget(right_side, 5)
        buttons = self.save_buttons("savePerson")
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

        self.add_variant.clicked.connect(self._add_variant)
        self.remove_variant.clicked.connect(
            lambda: self._remove_selected(self.variants_table, self.variants)
        )
        self.add_position.clicked.connect(self._add_position)
        self.remove_position.clicked.connect(
            lambda: self._remove_selected(self.positions_table, self.positions)
        )
        self.load_photo.clicked.connect(self._choose_photo)
        self.remove_photo.clicked.connect(self._clear_photo)
        if self._original is not None:
            self._load(self._original)
            show_from_the_start(self)
        self.loaded()

    # --- loading -----------------------------------------------------------------------------
    def _load(self, person: Person) -> None:
        self.full_name.setText(person.full_name)
        self.variants.set_rows(
            [{"name": v.name, "note": v.note, "misprint": v.misprint} for v in person.variants]
        )
        self.side.setCurrentIndex(max(self.side.findData(person.side), 0))
        self.form_of_address.setText(person.form_of_address)
        self.country.setCurrentIndex(max(self.country.findData(person.country_id), 0))
        self.birth_date.setText(
            (
                f"{person.birth_date:%d.%m.%Y}"
                if isinstance(person.birth_date, date)
                else f"{person.birth_date.day:02d}.{person.birth_date.month:02d}"
            )
            if person.birth_date
            else ""
        )
        self.positions.set_rows(
            [
                {
                    "title": p.title,
                    "organisation_id": p.organisation_id,
                    "start": f"{p.start:%d.%m.%Y}" if p.start else "",
                    "end": f"{p.end:%d.%m.%Y}" if p.end else "",
                    "uid": p.uid,
                    "provenance": p.provenance,
                }
                for p in person.positions
            ]
        )
        self.notes.setPlainText(person.notes)
        if person.has_photo and person.id is not None:
            self._show_photo(self.people.photo(person.id))

    # --- rows --------------------------------------------------------------------------------
    def _add_variant(self) -> None:
        row = self.variants.append({"name": "", "note": ""})
        index = self.variants.index(row, 0)
        self.variants_table.setCurrentIndex(index)
        self.variants_table.edit(index)

    def _add_position(self) -> None:
        row = self.positions.append({"title": "", "organisation_id": None, "start": "", "end": ""})
        index = self.positions.index(row, 0)
        self.positions_table.setCurrentIndex(index)
        self.positions_table.edit(index)

    @staticmethod
    def _remove_selected(table: QTableView, model: RowsModel) -> None:
        index = table.currentIndex()
        if index.isValid():
            model.remove(index.row())

    # --- photo -------------------------------------------------------------------------------
    def _choose_photo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a photo"), "", _("Images") + " (*.png *.jpg *.jpeg *.bmp *.gif)"
        )
        if path:
            self.load_photo_file(path)

    def load_photo_file(self, path: str) -> bool:
        image = QImage(path)
        if image.isNull():
            self.errors.show("photo", _("This file is not an image the app can read."))
            return False
        self.errors.clear()
        self._photo = scaled_photo(image)
        self._photo_changed = True
        self._show_photo(self._photo)
        return True

    def _clear_photo(self) -> None:
        self._photo = None
        self._photo_changed = True
        self._show_photo(None)

    def _show_photo(self, photo: bytes | None) -> None:
        pixmap = thumbnail(photo)
        if pixmap.isNull():
            self.photo.clear()
            self.photo.setText(_("no photo"))
        else:
            self.photo.setPixmap(pixmap)

    # --- saving ------------------------------------------------------------------------------
    def collect(self, problems: Problems) -> Person:
        base = self._original
        variants = [
            PersonName(str(r.get("name") or ""), str(r.get("note") or ""), bool(r.get("misprint")))
            for r in self.variants.rows
            if str(r.get("name") or "").strip()
        ]
        birth_text = self.birth_date.text().strip()
        birth = None
        with problems.at("birth_date"):
            birth = parse_base_date(birth_text) if birth_text else None
        positions = []
        for number, row in enumerate(self.positions.rows, 1):
            title = str(row.get("title") or "").strip()
            if not title and not row.get("start") and not row.get("end"):
                continue  # a row added and left empty
            dates: list[date | None] = []
            for key, label in (("start", _("start")), ("end", _("end"))):
                text = str(row.get(key) or "").strip()
                try:
                    dates.append(parse_date(text) if text else None)
                except ValidationError as error:
                    problems.add(
                        "positions",
                        _("Position {number} ({value}), {label} date: {message}").format(
                            number=number,
                            value=title or _("no title"),
                            label=label,
                            message=shown(error.message),
                        ),
                    )
                    dates.append(None)
            position = Position(
                title=title,
                organisation_id=row.get("organisation_id"),
                start=dates[0],
                end=dates[1],
                provenance=str(row.get("provenance") or ""),
            )
            if row.get("uid"):
                position.uid = str(row["uid"])
            positions.append(position)
        person = Person(
            full_name=self.full_name.text(),
            side=enum_data(self.side, Side) or Side.COUNTERPART,
            variants=variants,
            form_of_address=self.form_of_address.text().strip(),
            country_id=self.country.currentData(),
            birth_date=birth,
            notes=self.notes.toPlainText(),
            positions=positions,
            provenance=base.provenance if base else "",
        )
        return self._same_record(person)

    def extra_state(self) -> object:
        return self._photo_changed, self._photo

    def validate(self, record: Person) -> None:
        validate_person(record)

    def write(self, record: Person) -> Person:
        photo = self._photo if self._photo_changed else KEEP_PHOTO
        try:
            return self.people.save(record, photo=photo)
        except SamePerson as same:
            choice = ask_same_person(self, same)
            if choice == DIFFERENT:
                return self.people.save(record, photo=photo, allow_duplicate=True)
            if choice == SAME:
                # Another spelling of someone known: kept as one of that person's names.
                return self.people.keep_spelling(same.known[0].person_id, record.full_name)
            raise GoneBack from None
        except DuplicatePerson as duplicate:
            answer = QMessageBox.question(
                self,
                _("Same person?"),
                shown(duplicate.message)
                + "\n\n"
                + _("Save “{name}” as a different person?").format(name=record.full_name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise ValidationError(duplicate.message, "full_name") from None
            return self.people.save(record, photo=photo, allow_duplicate=True)

    def conflict(self, yours: Person, theirs: Person) -> Conflict:
        return SafetyService(self.people.store).person_conflict(yours)

    def keep_mine(self, yours: Person, conflict: Conflict) -> Person:
        return SafetyService(self.people.store).keep_my_person(yours, conflict)

    def describe(self, saved: Person) -> str:
        return saved.full_name


class MergeDialog(QDialog):
    """Merge two records that turn out to be one person; shows what moves before it moves."""

    def __init__(
        self, people: PeopleService, person_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.people = people
        self.person_id = person_id
        self.kept_id: int | None = None
        self._preview: MergePreview | None = None
        person = people.get(person_id)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(_("Merge duplicate records"))
        self.resize(640, 520)

        intro = QLabel(
            _(
                "<b>{full_name}</b> and another record are the same person? Merging keeps "
                "every spelling, position, meeting and visit of both; the change is recorded."
            ).format(full_name=escape(person.full_name))
        )
        intro.setWordWrap(True)
        self.other = PersonPicker(people.suggest)
        named(self.other, "mergeOther", _("The other record"))
        self.keep_this = named(
            QRadioButton(
                _("Keep “{full_name}” and fold the other into it").format(
                    full_name=person.full_name
                )
            ),
            "keepThis",
            _("Keep this record"),
        )
        self.keep_other = named(
            QRadioButton(_("Keep the other record and fold this one into it")),
            "keepOther",
            _("Keep the other record"),
        )
        self.keep_this.setChecked(True)
        self.preview = named(QTextBrowser(), "mergePreview", _("What the merge does"))
        self.message = QLabel()
        self.message.setObjectName("mergeMessage")
        self.message.setStyleSheet(ERROR_TEXT_STYLE)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = named(
            buttons.addButton(_("Merge"), QDialogButtonBox.ButtonRole.AcceptRole),
            "mergeButton",
            _("Merge the records"),
        )
        self.merge_button.setEnabled(False)
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(_("The other record"), self.other)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.keep_this)
        layout.addWidget(self.keep_other)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.other.chosen.connect(lambda _id: self._update())
        self.keep_this.toggled.connect(lambda _on: self._update())
        self._update()

    def pair(self) -> tuple[int, int] | None:
        """(absorbed, kept) as chosen, or None until the other record is picked."""
        other = self.other.person_id()
        if other is None:
            return None
        if self.keep_this.isChecked():
            return other, self.person_id
        return self.person_id, other

    def _update(self) -> None:
        self._preview = None
        self.merge_button.setEnabled(False)
        self.message.clear()
        pair = self.pair()
        if pair is None:
            self.preview.setHtml(
                hint_html(
                    _(
                        "Type any spelling of the other record's name and "
                        "pick it from the suggestions."
                    )
                )
            )
            return
        try:
            preview = self.people.merge_preview(*pair)
        except ProtocolDeskError as error:
            self.message.setText(shown(error.message))
            self.preview.clear()
            return
        self._preview = preview
        self.preview.setHtml(merge_html(preview))
        self.merge_button.setEnabled(True)

    def merge(self) -> None:
        preview = self._preview
        if preview is None:
            return
        assert preview.absorbed.id is not None and preview.kept.id is not None
        try:
            kept = self.people.merge(
                preview.absorbed.id,
                preview.kept.id,
                absorbed_version=preview.absorbed.version,
                kept_version=preview.kept.version,
            )
        except ValidationError as error:
            self.message.setText(shown(error.message))
            return
        except Exception as error:
            show_error(self, error, _("Not merged"))
            return
        self.kept_id = kept.id
        self.accept()


def merge_html(preview: MergePreview) -> str:
    kept, absorbed = preview.kept, preview.absorbed
    moves = [
        ngettext("{n} meeting", "{n} meetings", preview.meetings).format(n=preview.meetings)
        + (
            _(", {shared_meetings} of them with both records (one seat kept)").format(
                shared_meetings=preview.shared_meetings
            )
            if preview.shared_meetings
            else ""
        ),
        ngettext("{n} visit", "{n} visits", preview.visits).format(n=preview.visits),
        ngettext("{n} position", "{n} positions", preview.positions).format(n=preview.positions),
        ngettext("{n} anniversary record", "{n} anniversary records", preview.anniversaries).format(
            n=preview.anniversaries
        ),
    ]
    parts = [
        _(
            "<p><b>{full_name}</b> stays. <b>{full_name2}</b> is folded into it and kept, "
            "marked as merged, for the record.</p>"
        ).format(full_name=escape(kept.full_name), full_name2=escape(absorbed.full_name)),
        "<p>" + escape(_("Moves over: {what}.").format(what=", ".join(moves))) + "</p>",
    ]
    if preview.new_names:
        parts.append(
            "<p>"
            + escape(
                _("New spellings for {name}: {spellings}").format(
                    name=kept.full_name, spellings=" · ".join(preview.new_names)
                )
            )
            + "</p>"
        )
    if preview.differences:
        parts.append(
            _("<p>The records disagree; this goes into the notes:</p><ul>")
            + "".join(f"<li>{escape(d)}</li>" for d in preview.differences)
            + "</ul>"
        )
    return "".join(parts)


class PeopleArea(QTabWidget):
    """People, organisations and countries: the office's who-is-who, in three tabs."""

    data_changed = Signal()

    def __init__(self, store: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleArea")
        self.setAccessibleName(_("People, organisations and countries"))
        people = PeopleService(store)
        organisations = OrganisationService(store)
        countries = CountryService(store)
        self.people_view = PeopleView(people, organisations, countries)
        self.organisations_view = OrganisationsView(organisations, countries)
        self.countries_view = CountriesView(countries)
        self.addTab(self.people_view, _("People"))
        self.addTab(self.organisations_view, _("Organisations"))
        self.addTab(self.countries_view, _("Countries"))
        for view in (self.people_view, self.organisations_view, self.countries_view):
            view.data_changed.connect(self.data_changed)
