"""The organisations and countries tabs on screen: lists, filters, details and the editors'
checks at the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.models import AnniversaryKind, OrganisationKind
from protocol_desk.services.organisations import CountryService, OrganisationService
from protocol_desk.store import Store
from protocol_desk.store.world import read_countries, read_organisations
from protocol_desk.ui.countries_view import CountriesView, CountryEditor
from protocol_desk.ui.organisations_view import (
    INTERNATIONAL,
    OrganisationEditor,
    OrganisationsView,
)

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def type_text(widget: QWidget, text: str) -> None:
    for char in text:
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )


@pytest.fixture
def organisations(qtbot: Any, demo_store: Store) -> Iterator[OrganisationsView]:
    view = OrganisationsView(OrganisationService(demo_store), CountryService(demo_store))
    qtbot.addWidget(view)
    view.show()
    yield view


@pytest.fixture
def countries(qtbot: Any, demo_store: Store) -> Iterator[CountriesView]:
    view = CountriesView(CountryService(demo_store))
    qtbot.addWidget(view)
    view.show()
    yield view


def names(view: OrganisationsView | CountriesView) -> list[str]:
    return [view.model.item(r).name for r in range(view.model.rowCount())]


# --- organisations -----------------------------------------------------------------------------


def test_international_bodies_have_no_country(
    organisations: OrganisationsView, qtmodeltester: Any
) -> None:
    qtmodeltester.check(organisations.model)
    # The demo's 15 and the reference data's bodies, TurkPA once (the demo's took its place).
    assert len(names(organisations)) == 15 + len(read_organisations()) - 1
    organisations.country.setCurrentIndex(organisations.country.findData(INTERNATIONAL))
    assert "TurkPA" in names(organisations)
    row = names(organisations).index("TurkPA")
    assert organisations.model.index(row, 3).data() == "international"
    organisations.select(organisations.model.id_at(row) or 0)
    text = organisations.detail.toPlainText()
    assert "none — an international body" in text
    assert "TurkPA Observer Mission to the early presidential election" in text


def test_kind_filter_and_search(organisations: OrganisationsView, qtbot: Any) -> None:
    organisations.kind.setCurrentIndex(organisations.kind.findData(OrganisationKind.COMMITTEE))
    assert names(organisations) == [
        "Committee on International Relations, Defence and Security of the Senate"
    ]
    organisations.kind.setCurrentIndex(0)
    type_text(organisations.search, "house")
    qtbot.waitUntil(lambda: len(names(organisations)) == 1)
    organisations.select(organisations.model.id_at(0) or 0)
    text = organisations.detail.toPlainText()
    assert "Igor Sergeyenko — Chairman of the House of Representatives" in text
    assert "Part of" in text and "National Assembly of the Republic of Belarus" in text


def test_editor_refuses_a_parent_loop_at_the_field(qtbot: Any, demo_store: Store) -> None:
    senate = demo_store.organisations.find("Senate of the Parliament of the Republic of Kazakhstan")
    committee = demo_store.organisations.find(
        "Committee on International Relations, Defence and Security of the Senate"
    )
    assert senate is not None and committee is not None
    editor = OrganisationEditor(
        OrganisationService(demo_store), CountryService(demo_store), organisation_id=senate.id
    )
    qtbot.addWidget(editor)
    assert editor.parent_organisation.findData(senate.id) == -1  # not offered as its own parent
    editor.parent_organisation.setCurrentIndex(editor.parent_organisation.findData(committee.id))
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.result() != QDialog.DialogCode.Accepted
    assert "cannot be placed under one of its own parts" in editor.errors.message("parent")
    assert demo_store.organisations.get(senate.id or 0).parent_id != committee.id


def test_editor_saves_an_international_assembly_with_a_yearless_founding_day(
    qtbot: Any, store: Store
) -> None:
    editor = OrganisationEditor(OrganisationService(store), CountryService(store))
    qtbot.addWidget(editor)
    type_text(editor.name, "Парламентская ассамблея тюркских государств")
    editor.short_name.setText("TurkPA")
    editor.other_names.setPlainText("Parliamentary Assembly of Turkic States\n\n")
    editor.kind.setCurrentIndex(editor.kind.findData(OrganisationKind.INTERNATIONAL_ASSEMBLY))
    editor.founded_on.setText("21.11")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.result() == QDialog.DialogCode.Accepted
    saved = OrganisationService(store).get(editor.saved_id or 0)
    assert saved.kind is OrganisationKind.INTERNATIONAL_ASSEMBLY
    assert saved.country_id is None
    assert saved.founded_on == MonthDay(11, 21)
    # The reference data's TurkPA, untouched, became the officer's record: their names first.
    assert saved.other_names[0] == "Parliamentary Assembly of Turkic States"
    assert "ТүркПА" in saved.other_names
    assert [label for _, label in OrganisationService(store).choices()].count(saved.name) == 1


def test_editor_shows_a_bad_founding_date_at_the_field(qtbot: Any, store: Store) -> None:
    before = OrganisationService(store).choices()
    editor = OrganisationEditor(OrganisationService(store), CountryService(store))
    qtbot.addWidget(editor)
    editor.name.setText("TurkPA")
    editor.founded_on.setText("31.11.2008")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert "does not exist" in editor.errors.message("founded_on")
    assert OrganisationService(store).choices() == before


# --- countries ---------------------------------------------------------------------------------


def test_countries_list_search_and_detail(
    countries: CountriesView, qtbot: Any, qtmodeltester: Any
) -> None:
    qtmodeltester.check(countries.model)
    # Every country of ISO 3166, the demo's four among them, each once.
    listed = names(countries)
    assert len(listed) == len(read_countries()) == len(set(listed))
    assert {"Belarus", "Belgium", "Kazakhstan", "Türkiye"} <= set(listed)
    type_text(countries.search, "Беларусь")
    qtbot.waitUntil(lambda: names(countries) == ["Belarus"])
    countries.select(countries.model.id_at(0) or 0)
    text = countries.detail.toPlainText()
    assert "16 September 1992" in text
    assert "In Kazakh" in text and "Capital" in text and "Minsk" in text
    assert "Independence Day" in text and "3 July" in text
    assert "Visit of the Majilis Speaker Yerlan Koshanov to Belarus" in text


def test_country_editor_feeds_the_anniversaries(qtbot: Any, store: Store) -> None:
    editor = CountryEditor(CountryService(store))
    qtbot.addWidget(editor)
    type_text(editor.name, "Қырғызстан")
    editor.iso_code.setText("kg")
    editor.relations.setText("14.10.1992")
    editor.national_day.setText("31 August")
    editor.national_day_name.setText("Independence Day")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.result() == QDialog.DialogCode.Accepted
    kinds = {(a.kind, a.title) for a in store.anniversaries.all()}
    assert kinds == {
        (AnniversaryKind.DIPLOMATIC_RELATIONS, "Diplomatic relations with Қырғызстан"),
        (AnniversaryKind.NATIONAL_DAY, "Independence Day of Қырғызстан"),
    }


@pytest.mark.parametrize(
    ("field", "widget", "text", "words"),
    [
        ("national_day", "national_day", "30 February", "does not exist"),
        ("relations_established", "relations", "June 1992", "gives a month"),
        ("iso_code", "iso_code", "BY", "already Belarus's"),
    ],
)
def test_country_editor_shows_bad_input_at_the_field(
    qtbot: Any, demo_store: Store, field: str, widget: str, text: str, words: str
) -> None:
    before = len(CountryService(demo_store).list())
    editor = CountryEditor(CountryService(demo_store))
    qtbot.addWidget(editor)
    editor.name.setText("Atlantis")
    getattr(editor, widget).setText(text)
    qtbot.mouseClick(editor.save_button, LEFT)
    assert words in editor.errors.message(field)
    assert len(CountryService(demo_store).list()) == before
