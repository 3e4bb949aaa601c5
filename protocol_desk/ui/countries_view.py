"""The countries tab: names in several scripts, when relations were established, the national
day (both feed the anniversaries), and the country's people, bodies, meetings and visits."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import (
    MonthDay,
    Year,
    format_day_or_year,
    parse_base_date,
    parse_day_or_year,
)
from protocol_desk.domain.errors import Problems
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Country
from protocol_desk.domain.validation import validate_country
from protocol_desk.i18n import _, ngettext
from protocol_desk.services.delegations import STATUS_LABELS
from protocol_desk.services.organisations import CountryDetail, CountryService
from protocol_desk.ui.columns import Column, date_key
from protocol_desk.ui.day_words import base_date_text, date_text, long_date
from protocol_desk.ui.list_area import list_beside_detail
from protocol_desk.ui.looks import QUIET_STYLE
from protocol_desk.ui.record_editor import RecordEditor
from protocol_desk.ui.record_widgets import (
    PagedTableModel,
    RecordListView,
    button_row,
    lines,
    notes_html,
    record_table,
    visits_html,
)
from protocol_desk.ui.widgets import (
    DETAIL_MIN_WIDTH,
    facts_html,
    named,
    show_from_the_start,
)

# The languages a country's name is kept in, as the country detail names them.
_IN_LANGUAGE = {"Russian": N_("In Russian"), "Kazakh": N_("In Kazakh")}

COUNTRY_COLUMNS = (
    Column("Country", lambda c: c.name),
    Column("ISO", lambda c: c.iso_code or ""),
    Column("Capital", lambda c: c.capital),
    Column("Other names", lambda c: " · ".join(c.other_names)),
    Column(
        "Relations since",
        lambda c: (
            date_text(c.relations_established)
            if not isinstance(c.relations_established, Year)
            else str(c.relations_established.year)
        ),
        # A year alone files as its first day.
        lambda c: date_key(
            date(c.relations_established.year, 1, 1)
            if isinstance(c.relations_established, Year)
            else c.relations_established
        ),
    ),
    Column(
        "National day",
        lambda c: base_date_text(c.national_day),
        lambda c: (
            (c.national_day is None, (c.national_day.month, c.national_day.day))
            if c.national_day
            else (True, (0, 0))
        ),
    ),
)


def countries_model(service: CountryService, text: str, parent: Any = None) -> PagedTableModel:
    # Fewer than two hundred states: one page holds them all.
    def fetch(after: Any, limit: int) -> tuple[list[Country], Any]:
        return service.list(text), None

    return PagedTableModel(COUNTRY_COLUMNS, fetch, lambda c: c.id or 0, parent)


def country_html(detail: CountryDetail, today: date | None = None) -> str:
    country = detail.country
    on = today or date.today()
    parts = [f"<h2>{escape(country.name)}</h2>"]
    if detail.is_ours:
        parts.append("<p style='color:#555'>Our country.</p>")
    facts = []
    for language, name in detail.names_by_language.items():
        facts.append((_(_IN_LANGUAGE.get(language, language)), escape(name)))
    if country.other_names:
        facts.append((_("Also called"), escape(" · ".join(country.other_names))))
    if country.iso_code:
        facts.append((_("ISO code"), escape(country.iso_code)))
    if country.capital:
        facts.append((_("Capital"), escape(country.capital)))
    if country.relations_established:
        years = detail.relations_years(on)
        if isinstance(country.relations_established, Year):
            # The day is not known: the years are counted by the calendar year.
            text = str(country.relations_established.year)
            if years:
                counted = ngettext(
                    "the day is not known; {n} year in {year}",
                    "the day is not known; {n} years in {year}",
                    years,
                ).format(n=years, year=on.year)
            else:
                counted = _("the day is not known")
            text += f" ({counted})"
        else:
            text = long_date(country.relations_established)
            if years:
                text += " (" + ngettext("{n} year", "{n} years", years).format(n=years) + ")"
        facts.append((_("Diplomatic relations"), escape(text)))
    if country.national_day:
        name = country.national_day_name or _("National day")
        facts.append((escape(name), escape(base_date_text(country.national_day))))
    if facts:
        parts.append(facts_html(facts))
    if detail.organisations:
        parts.append("<h3>" + _("Organisations") + "</h3><ul>")
        parts += [f"<li>{escape(o.name)}</li>" for o in detail.organisations]
        parts.append("</ul>")
    if detail.people:
        parts.append(
            _("<h3>People ({people_count:,})</h3><ul>").format(people_count=detail.people_count)
        )
        parts += [
            f"<li><b>{escape(p.full_name)}</b>" + (f" — {escape(p.title)}" if p.title else "")
            for p in detail.people
        ]
        parts.append("</ul>")
    if detail.meetings:
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
    parts.append(visits_html(detail.visits, {k: _(v) for k, v in STATUS_LABELS.items()}))
    parts.append(notes_html(country.notes))
    return "".join(parts)


class CountriesView(RecordListView):
    def __init__(self, countries: CountryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.countries = countries
        self.search = named(QLineEdit(), "countrySearch", _("Search countries"))
        self.search.setPlaceholderText(_("Any name or code: Belarus, Беларусь, BY…"))
        self.search.setClearButtonEnabled(True)
        self.new_button = named(QPushButton(_("New country…")), "newCountry", _("New country"))
        self.edit_button = named(QPushButton(_("Edit…")), "editCountry", _("Edit country"))
        self.count_label = named(QLabel(), "countryCount", _("Number of countries"))
        self.model = countries_model(countries, "", self)
        self.table = record_table(
            self.model,
            "countriesTable",
            _("Countries"),
            3,
            ((0, 130), (1, 40), (2, 95), (4, 90), (5, 90)),
        )
        self.detail = named(QTextBrowser(), "countryDetail", _("Country details"))
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)  # its labels never break mid-word

        buttons = button_row(self.new_button, self.edit_button, count=self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        splitter = list_beside_detail(self.table, buttons, self.detail)
        layout.addWidget(splitter, 1)

        self._search_on_pause(self.search)
        self._follow_list(self.show_country)
        self._list_area("countries", _("Countries"), lambda: self.edit_country(), splitter)
        self.new_button.clicked.connect(lambda: self.edit_country(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_country())
        self._update_count()

    def apply_filter(self) -> None:
        text = self.search.text()
        self.model.set_fetch(lambda after, limit: (self.countries.list(text), None))

    def count_text(self) -> str:
        total = self.model.rowCount()
        return (
            ngettext("{n} country", "{n} countries", total).format(n=total)
            if total
            else _("No country matches.")
        )

    def show_country(self, country_id: int | None) -> None:
        self.edit_button.setEnabled(country_id is not None)
        self._show_detail(
            country_id,
            _(
                "Select a country to see its names, anniversaries, "
                "people, organisations and meetings."
            ),
            lambda shown: country_html(self.countries.detail(shown)),
        )

    def edit_country(self, *, new: bool = False) -> None:
        saved = self._edit_record(
            lambda country_id: CountryEditor(self.countries, country_id=country_id, parent=self),
            new=new,
        )
        if saved is not None:
            self.data_changed.emit()


class CountryEditor(RecordEditor[Country]):
    record_kind = "country"

    def __init__(
        self,
        countries: CountryService,
        *,
        country_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.countries = countries
        self._open_as(
            countries.get,
            country_id,
            "countryEditor",
            (_("Edit country"), _("New country")),
            (560, 480),
        )

        self.name = named(QLineEdit(), "countryName", _("Name"))
        self.iso_code = named(QLineEdit(), "isoCode", _("ISO code"))
        self.iso_code.setMaxLength(3)
        self.iso_code.setPlaceholderText("BY")
        self.other_names = named(QPlainTextEdit(), "countryOtherNames", _("Other names"))
        self.other_names.setPlaceholderText(_("One per line: Republic of Belarus, Беларусь…"))
        self.other_names.setMaximumHeight(130)  # the reference data brings several
        self.capital = named(QLineEdit(), "countryCapital", _("Capital"))
        self.relations = named(QLineEdit(), "relationsEstablished", _("Relations established"))
        self.relations.setPlaceholderText(_("e.g. 16.09.1992, or the year alone: 1992"))
        self.national_day = named(QLineEdit(), "nationalDay", _("National day"))
        self.national_day.setPlaceholderText(_("e.g. 03.07 or 3 July"))
        self.national_day_name = named(QLineEdit(), "nationalDayName", _("National day's name"))
        self.national_day_name.setPlaceholderText(_("e.g. Independence Day"))
        self.notes = named(QPlainTextEdit(), "countryNotes", _("Notes"))
        hint = QLabel(
            _(
                "Both dates come up in the anniversaries, with jubilees;\n"
                "relations known by the year alone, as “30 years in 2022”."
            )
        )
        hint.setStyleSheet(QUIET_STYLE)

        form = QFormLayout()
        form.addRow(_("Name"), self.errors.field(self.name, ("name", self.name)))
        form.addRow(_("ISO code"), self.errors.field(self.iso_code, ("iso_code", self.iso_code)))
        form.addRow(_("Other names"), self.other_names)
        form.addRow(_("Capital"), self.capital)
        form.addRow(
            _("Relations established"),
            self.errors.field(self.relations, ("relations_established", self.relations)),
        )
        form.addRow(
            _("National day"),
            self.errors.field(self.national_day, ("national_day", self.national_day)),
        )
        form.addRow(_("Its name"), self.national_day_name)
        form.addRow("", hint)
        form.addRow(_("Notes"), self.notes)
        buttons = self.save_buttons("saveCountry")
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        if self._original is not None:
            self._load(self._original)
            show_from_the_start(self)
        self.loaded()

    def _load(self, country: Country) -> None:
        self.name.setText(country.name)
        self.iso_code.setText(country.iso_code or "")
        self.other_names.setPlainText("\n".join(country.other_names))
        self.capital.setText(country.capital)
        self.relations.setText(format_day_or_year(country.relations_established))
        if country.national_day:
            self.national_day.setText(base_date_text(country.national_day))
        self.national_day_name.setText(country.national_day_name or "")
        self.notes.setPlainText(country.notes)

    def collect(self, problems: Problems) -> Country:
        relations_text = self.relations.text().strip()
        relations = None
        with problems.at("relations_established"):
            relations = parse_day_or_year(relations_text) if relations_text else None
        day_text = self.national_day.text().strip()
        national_day: MonthDay | None = None
        with problems.at("national_day"):
            if day_text:
                parsed = parse_base_date(day_text)
                # The national day recurs every year: only its day and month are kept.
                national_day = MonthDay(parsed.month, parsed.day)
        base = self._original
        country = Country(
            name=self.name.text(),
            iso_code=self.iso_code.text(),
            other_names=lines(self.other_names.toPlainText()),
            capital=" ".join(self.capital.text().split()),
            relations_established=relations,
            national_day=national_day,
            national_day_name=self.national_day_name.text(),
            notes=self.notes.toPlainText(),
            provenance=base.provenance if base else "",
        )
        return self._same_record(country)

    def validate(self, record: Country) -> None:
        validate_country(record)

    def write(self, record: Country) -> Country:
        return self.countries.save(record)

    def describe(self, saved: Country) -> str:
        return saved.name
