"""The organisations tab: chambers, committees, embassies and international assemblies, with
their people and meetings; and the organisation editor."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import parse_base_date
from protocol_desk.domain.errors import Problems
from protocol_desk.domain.listing import OrganisationFilter, OrganisationRow
from protocol_desk.domain.models import Organisation, OrganisationKind
from protocol_desk.domain.validation import validate_organisation
from protocol_desk.i18n import _, ngettext
from protocol_desk.services.delegations import STATUS_LABELS
from protocol_desk.services.organisations import (
    INTERNATIONAL_KINDS,
    ORGANISATION_KIND_LABELS,
    CountryService,
    OrganisationDetail,
    OrganisationService,
)
from protocol_desk.ui.columns import Column
from protocol_desk.ui.day_words import base_date_text, date_text
from protocol_desk.ui.list_area import list_beside_detail
from protocol_desk.ui.record_editor import RecordEditor
from protocol_desk.ui.record_widgets import (
    PagedTableModel,
    RecordListView,
    button_row,
    dates_text,
    enum_data,
    filter_row,
    lines,
    notes_html,
    record_table,
    visits_html,
)
from protocol_desk.ui.widgets import (
    DETAIL_MIN_WIDTH,
    facts_html,
    fill_combo,
    named,
    show_from_the_start,
)

INTERNATIONAL = -1  # the country filter's choice for bodies that belong to no country

ORGANISATION_COLUMNS = (
    Column("Name", lambda r: r.name),
    Column("Short name", lambda r: r.short_name),
    Column("Kind", lambda r: _(ORGANISATION_KIND_LABELS[r.kind])),
    Column("Country", lambda r: r.country or _("international")),
    Column("Part of", lambda r: r.parent),
)


def organisations_model(
    service: OrganisationService, flt: OrganisationFilter, parent: Any = None
) -> PagedTableModel:
    def fetch(after: Any, limit: int) -> tuple[list[OrganisationRow], Any]:
        return service.page(flt, after=after, limit=limit)

    return PagedTableModel(ORGANISATION_COLUMNS, fetch, lambda r: r.id, parent)


def organisation_html(detail: OrganisationDetail, today: date | None = None) -> str:
    organisation = detail.organisation
    on = today or date.today()
    parts = [f"<h2>{escape(organisation.name)}</h2>"]
    facts = [(_("Kind"), escape(_(ORGANISATION_KIND_LABELS[organisation.kind])))]
    if organisation.short_name:
        facts.append((_("Short name"), escape(organisation.short_name)))
    if organisation.other_names:
        facts.append((_("Also called"), escape(" · ".join(organisation.other_names))))
    facts.append(
        (
            _("Country"),
            escape(detail.country) if detail.country else _("none — an international body"),
        )
    )
    if detail.parent is not None:
        facts.append((_("Part of"), escape(detail.parent.name)))
    if organisation.founded_on is not None:
        founded = escape(base_date_text(organisation.founded_on))
        if isinstance(organisation.founded_on, date) and organisation.founded_on <= on:
            years = on.year - organisation.founded_on.year
            if (on.month, on.day) < (organisation.founded_on.month, organisation.founded_on.day):
                years -= 1
            founded += _(" ({years} years ago)").format(years=years)
        facts.append((_("Founded"), founded))
    parts.append(facts_html(facts))
    if detail.children:
        parts.append("<h3>" + _("Its parts") + "</h3><ul>")
        parts += [f"<li>{escape(child.name)}</li>" for child in detail.children]
        parts.append("</ul>")
    now = [m for m in detail.people if m.end is None or m.end >= on]
    before = [m for m in detail.people if m.end is not None and m.end < on]
    if now:
        parts.append("<h3>" + _("People") + "</h3><ul>")
        parts += [f"<li><b>{escape(m.full_name)}</b> — {escape(m.title)}</li>" for m in now]
        parts.append("</ul>")
    if before:
        parts.append("<h3>" + _("Formerly") + "</h3><ul>")
        parts += [
            f"<li>{escape(m.full_name)} — {escape(m.title)} "
            f"<span style='color:#777'>({escape(dates_text(m.start, m.end))})</span></li>"
            for m in before
        ]
        parts.append("</ul>")
    if detail.meetings:
        more = detail.meeting_count - len(detail.meetings)
        parts.append(
            _("<h3>Meetings ({meeting_count:,}), newest first</h3><ul>").format(
                meeting_count=detail.meeting_count
            )
        )
        parts += [
            f"<li>{date_text(m.date, m.precision)}: {escape(m.subject)}</li>"
            for m in detail.meetings
        ]
        parts.append("</ul>")
        if more > 0:
            parts.append(f"<p style='color:#777'>and {more:,} earlier.</p>")
    parts.append(visits_html(detail.visits, {k: _(v) for k, v in STATUS_LABELS.items()}))
    parts.append(notes_html(organisation.notes))
    return "".join(parts)


class OrganisationsView(RecordListView):
    def __init__(
        self,
        organisations: OrganisationService,
        countries: CountryService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.organisations = organisations
        self.countries = countries
        self._filter = OrganisationFilter()

        self.search = named(QLineEdit(), "organisationSearch", _("Search organisations"))
        self.search.setPlaceholderText(_("Search any name or short name: Senate, Сенат, TurkPA…"))
        self.search.setClearButtonEnabled(True)
        self.kind = named(QComboBox(), "organisationKindFilter", _("Filter by kind"))
        fill_combo(
            self.kind,
            _("All kinds"),
            [(key, _(label)) for key, label in ORGANISATION_KIND_LABELS.items()],
        )
        self.country = named(QComboBox(), "organisationCountryFilter", _("Filter by country"))
        self.new_button = named(
            QPushButton(_("New organisation…")), "newOrganisation", _("New organisation")
        )
        self.edit_button = named(
            QPushButton(_("Edit…")), "editOrganisation", _("Edit organisation")
        )
        self.count_label = named(QLabel(), "organisationCount", _("Number of organisations"))

        self.model = organisations_model(organisations, self._filter, self)
        self.table = record_table(
            self.model,
            "organisationsTable",
            _("Organisations"),
            0,
            ((1, 90), (2, 130), (3, 100), (4, 110)),
        )
        self.detail = named(QTextBrowser(), "organisationDetail", _("Organisation details"))
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)  # its labels never break mid-word

        filters = filter_row(self.search, (_("Kind"), self.kind), (_("Country"), self.country))
        buttons = button_row(self.new_button, self.edit_button, count=self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        splitter = list_beside_detail(self.table, buttons, self.detail)
        layout.addWidget(splitter, 1)

        self._search_on_pause(self.search)
        self.kind.currentIndexChanged.connect(self.apply_filter)
        self.country.currentIndexChanged.connect(self.apply_filter)
        self._follow_list(self.show_organisation)
        self._list_area(
            "organisations", _("Organisations"), lambda: self.edit_organisation(), splitter
        )
        self.new_button.clicked.connect(lambda: self.edit_organisation(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_organisation())
        self.refresh_choices()
        self._update_count()

    def refresh_choices(self) -> None:
        fill_combo(
            self.country,
            _("All countries"),
            [(INTERNATIONAL, _("International bodies (no country)"))]
            + [(c.id, c.name) for c in self.countries.list()],
        )

    def current_filter(self) -> OrganisationFilter:
        country = self.country.currentData()
        return OrganisationFilter(
            text=self.search.text(),
            kind=enum_data(self.kind, OrganisationKind),
            country_id=country if country != INTERNATIONAL else None,
            international=country == INTERNATIONAL,
        )

    def apply_filter(self) -> None:
        self._read_with(self.current_filter(), self.organisations.page)

    def count_text(self) -> str:
        total = self.organisations.count(self._filter)
        if total == 0 and self._filter == OrganisationFilter():
            return _("No organisations yet.")
        if total == 0:
            return _("None match. Try another name or clear the filters.")
        return ngettext("{n} organisation", "{n} organisations", total).format(n=f"{total:,}")

    def show_organisation(self, organisation_id: int | None) -> None:
        self.edit_button.setEnabled(organisation_id is not None)
        self._show_detail(
            organisation_id,
            _("Select an organisation to see its people, its parts and the meetings with it."),
            lambda shown: organisation_html(self.organisations.detail(shown)),
        )

    def edit_organisation(self, *, new: bool = False) -> None:
        saved = self._edit_record(
            lambda organisation_id: OrganisationEditor(
                self.organisations, self.countries, organisation_id=organisation_id, parent=self
            ),
            new=new,
        )
        if saved is not None:
            self.data_changed.emit()


class OrganisationEditor(RecordEditor[Organisation]):
    record_kind = "organisation"

    def __init__(
        self,
        organisations: OrganisationService,
        countries: CountryService,
        *,
        organisation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.organisations = organisations
        self._open_as(
            organisations.get,
            organisation_id,
            "organisationEditor",
            (_("Edit organisation"), _("New organisation")),
            (620, 520),
        )

        self.name = named(QLineEdit(), "organisationName", _("Name"))
        self.short_name = named(QLineEdit(), "shortName", _("Short name"))
        self.short_name.setPlaceholderText(_("e.g. Senate, TurkPA"))
        self.other_names = named(QPlainTextEdit(), "otherNames", _("Other names"))
        self.other_names.setPlaceholderText(_("One per line, in any script: Сенат Парламента…"))
        self.other_names.setMaximumHeight(80)
        self.kind = named(QComboBox(), "organisationKind", _("Kind"))
        for kind, label in ORGANISATION_KIND_LABELS.items():
            self.kind.addItem(_(label), kind)
        self.kind.setCurrentIndex(self.kind.findData(OrganisationKind.OTHER))
        self.country = named(QComboBox(), "organisationCountry", _("Country"))
        fill_combo(
            self.country,
            _("— none (an international body) —"),
            [(c.id, c.name) for c in countries.list()],
        )
        self.parent_organisation = named(QComboBox(), "parentOrganisation", _("Part of"))
        own = self._original.id if self._original else None
        fill_combo(
            self.parent_organisation,
            _("— none —"),
            [(i, name) for i, name in organisations.choices() if i != own],
        )
        self.founded_on = named(QLineEdit(), "foundedOn", _("Founded"))
        self.founded_on.setPlaceholderText(_("e.g. 21.11.2008, or 21.11 if the year is unknown"))
        self.notes = named(QPlainTextEdit(), "organisationNotes", _("Notes"))

        form = QFormLayout()
        form.addRow(_("Name"), self.errors.field(self.name, ("name", self.name)))
        form.addRow(
            _("Short name"), self.errors.field(self.short_name, ("short_name", self.short_name))
        )
        form.addRow(_("Other names"), self.other_names)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Country"), self.country)
        form.addRow(
            _("Part of"),
            self.errors.field(self.parent_organisation, ("parent", self.parent_organisation)),
        )
        form.addRow(
            _("Founded"), self.errors.field(self.founded_on, ("founded_on", self.founded_on))
        )
        form.addRow(_("Notes"), self.notes)
        buttons = self.save_buttons("saveOrganisation")
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if self._original is not None:
            self._load(self._original)
            show_from_the_start(self)
        self.loaded()

    def _load(self, organisation: Organisation) -> None:
        self.name.setText(organisation.name)
        self.short_name.setText(organisation.short_name or "")
        self.other_names.setPlainText("\n".join(organisation.other_names))
        self.kind.setCurrentIndex(self.kind.findData(organisation.kind))
        self.country.setCurrentIndex(max(self.country.findData(organisation.country_id), 0))
        self.parent_organisation.setCurrentIndex(
            max(self.parent_organisation.findData(organisation.parent_id), 0)
        )
        founded = organisation.founded_on
        if isinstance(founded, date):
            self.founded_on.setText(f"{founded:%d.%m.%Y}")
        elif founded is not None:
            self.founded_on.setText(f"{founded.day:02d}.{founded.month:02d}")
        self.notes.setPlainText(organisation.notes)

    def _kind_changed(self) -> None:
        # A new international assembly belongs to no country: offer that, do not force it.
        if self._original is None and enum_data(self.kind, OrganisationKind) in INTERNATIONAL_KINDS:
            self.country.setCurrentIndex(0)

    def collect(self, problems: Problems) -> Organisation:
        text = self.founded_on.text().strip()
        founded = None
        with problems.at("founded_on"):
            founded = parse_base_date(text) if text else None
        base = self._original
        organisation = Organisation(
            name=self.name.text(),
            kind=enum_data(self.kind, OrganisationKind) or OrganisationKind.OTHER,
            short_name=self.short_name.text(),
            other_names=lines(self.other_names.toPlainText()),
            country_id=self.country.currentData(),
            parent_id=self.parent_organisation.currentData(),
            founded_on=founded,
            notes=self.notes.toPlainText(),
            provenance=base.provenance if base else "",
        )
        return self._same_record(organisation)

    def validate(self, record: Organisation) -> None:
        validate_organisation(record)

    def write(self, record: Organisation) -> Organisation:
        return self.organisations.save(record)

    def describe(self, saved: Organisation) -> str:
        return saved.name
