"""The world at first start: every country in three languages, capitals, international bodies
and cities, merged with the office's own records and never overwriting its edits."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlite_utils import Database

from protocol_desk.domain.anniversaries import full_years, year_anniversaries
from protocol_desk.domain.dates import Year, parse_day_or_year
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.models import AnniversaryKind, Country, Meeting
from protocol_desk.domain.world import merge_names, merge_value
from protocol_desk.services.anniversaries import UpcomingQuery, year_only_anniversaries
from protocol_desk.services.exchange import export_data, import_data
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.organisations import CountryService
from protocol_desk.services.reference import ReferenceService
from protocol_desk.store import Store
from protocol_desk.store.places import Places
from protocol_desk.store.schema import migrations
from protocol_desk.store.world import (
    ReferenceCountry,
    apply_world_reference,
    read_countries,
    read_organisations,
)
from protocol_desk.ui.countries_view import CountryEditor
from protocol_desk.ui.meeting_editor import MeetingEditor
from protocol_desk.ui.place_completers import NAME_ROLE

ROOT = Path(__file__).resolve().parents[1]


def country(store: Store, iso: str) -> Country:
    row = store.db.execute("SELECT id FROM country WHERE iso_code = ?", [iso]).fetchone()
    assert row is not None, iso
    return store.countries.get(row[0])


# --- a new database ----------------------------------------------------------------------------


def test_a_new_database_lists_every_country_in_three_languages(store: Store) -> None:
    countries = store.countries.all()
    assert len(countries) == len(read_countries()) >= 249
    assert len({c.iso_code for c in countries}) == len(countries)
    for each in countries:
        assert each.id is not None
        for lang in ("en", "ru", "kk"):
            assert store.countries.names_in(each.id, lang), (each.name, lang)
    assert store.is_empty()  # nothing of the office's own yet: the demo is still offered


def test_belarus_and_turkiye_have_their_names_and_capitals(store: Store) -> None:
    belarus = country(store, "BY")
    assert belarus.id is not None
    assert belarus.name == "Belarus" and belarus.capital == "Minsk"
    assert "Беларусь" in store.countries.names_in(belarus.id, "ru")
    assert {"Беларусь", "Беларусь Республикасы"} <= set(store.countries.names_in(belarus.id, "kk"))
    assert {"Беларусь", "Белоруссия", "Беларусь Республикасы"} <= set(belarus.other_names)
    turkiye = country(store, "TR")
    assert {"Turkey", "Турция", "Түркия"} <= set(turkiye.other_names)
    assert country(store, "KZ").capital == "Astana"  # not the name it had from 2019 to 2022
    reference = ReferenceService(store)
    assert reference.country_name(belarus, "ru") == "Беларусь"
    assert reference.country_name(turkiye, "kk") == "Түркия"
    assert reference.country_name(turkiye, "en") == "Türkiye"
    assert store.countries.find("Белоруссия") == belarus


def test_the_printed_name_follows_the_offices_own_list(store: Store) -> None:
    belarus = country(store, "BY")
    belarus.other_names = [n for n in belarus.other_names if n != "Беларусь"]
    store.countries.save(belarus)
    # The usual Russian name was struck out by the office: the next one it kept is used.
    assert ReferenceService(store).country_name(belarus, "ru") == "Республика Беларусь"


def test_international_bodies_have_names_in_three_languages_with_sources(store: Store) -> None:
    bodies = read_organisations()
    assert len(bodies) >= 20
    data = json.loads((ROOT / "db" / "reference" / "organisations.json").read_text("utf-8"))
    for body in data["organisations"]:
        for lang in ("en", "ru", "kk"):
            assert body["names"][lang]["name"] and body["names"][lang]["source"], body["key"]
        for other in body.get("other_names", []):
            assert other["source"], body["key"]
    turkpa = store.organisations.find("ТүркПА")
    assert turkpa is not None and turkpa.short_name == "TurkPA"
    assert turkpa.id is not None and turkpa.country_id is None
    assert "ПАТГ" in turkpa.other_names
    assert "Түркі мемлекеттерінің Парламенттік Ассамблеясы" in store.organisations.names_in(
        turkpa.id, "kk"
    )
    for short in ("IPA CIS", "МПА СНГ", "OSCE PA", "PACE", "IPU", "CSTO PA", "CICA", "SCO"):
        assert store.organisations.find(short) is not None, short


# --- a database made by the previous version ---------------------------------------------------


def previous_version(path: Path) -> None:
    """A file as the version before the reference data left it, with the office's records."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(conn), stop_before="0011_world_reference_data")
    conn.executescript(
        """
        INSERT INTO country (uid, name, sort_key, iso_code, other_names, relations_established,
            notes)
            VALUES ('by', 'Byelorussia', 'b', 'BY', '["Беларусь"]', '1992-09-16', 'ours');
        INSERT INTO country (uid, name, sort_key, other_names)
            VALUES ('kz', 'Қазақстан', 'k', '["Kazakhstan"]');
        INSERT INTO organisation (uid, name, sort_key, short_name, kind)
            VALUES ('tp', 'TurkPA', 't', 'TurkPA', 'international_assembly');
        INSERT INTO meeting (uid, date, subject, subject_sort, city, country_id)
            VALUES ('m1', '2019-05-01', 'Talks', 't', 'Nur-Sultan', 1);
        """
    )
    conn.close()


def test_the_update_of_an_older_file_keeps_the_offices_records(db_path: Path) -> None:
    previous_version(db_path)
    store = Store.open(db_path)
    try:
        by = store.db.execute("SELECT count(*) FROM country WHERE iso_code = 'BY'").fetchone()
        assert by[0] == 1
        belarus = country(store, "BY")
        assert belarus.uid == "by"
        assert belarus.name == "Byelorussia"  # the office's name stays
        assert belarus.notes == "ours" and belarus.relations_established == date(1992, 9, 16)
        assert belarus.other_names[0] == "Беларусь"
        assert {"Belarus", "Белоруссия"} <= set(belarus.other_names)
        assert belarus.capital == "Minsk"  # an empty field is filled in
        kazakhstan = country(store, "KZ")  # matched by its name, given its code
        assert kazakhstan.uid == "kz" and kazakhstan.name == "Қазақстан"
        assert store.db.execute("SELECT count(*) FROM organisation WHERE short_name = 'TurkPA'")
        turkpas = [o for o in store.organisations.all() if o.short_name == "TurkPA"]
        assert [o.uid for o in turkpas] == ["tp"]
        assert turkpas[0].name == "TurkPA"
        assert len(store.countries.all()) == len(read_countries())
        meeting = store.meetings.get(1)
        assert meeting.city == "Nur-Sultan"  # a meeting keeps its city's name of the day
        assert meeting.country_id == belarus.id
        assert not store.is_empty()
        logged = store.db.execute(
            "SELECT count(*) FROM change_log WHERE row_uid = 'by' AND operation = 'import'"
        ).fetchone()[0]
        assert logged >= 2  # other names and capital, each in the change log
    finally:
        store.close()


# --- later updates -----------------------------------------------------------------------------


def renamed(countries: list[ReferenceCountry], iso: str, **changes: Any) -> list[ReferenceCountry]:
    out = []
    for each in countries:
        if each.iso == iso:
            names = {k: list(v) for k, v in each.names.items()}
            names.update(changes.get("names", {}))
            each = ReferenceCountry(iso, names, changes.get("capital", each.capital))
        out.append(each)
    return out


def test_a_later_update_changes_only_what_the_office_left_alone(store: Store) -> None:
    kazakhstan, belarus = country(store, "KZ"), country(store, "BY")
    belarus.capital = "Мінск"  # the office's own spelling
    belarus.other_names = [n for n in belarus.other_names if n != "Белоруссия"]
    store.countries.save(belarus)
    data = read_countries()
    by_names = dict(country(store, "BY").__dict__)
    data = renamed(data, "BY", capital="Minsk City", names={"other": ["Bielarus", "Белоруссия"]})
    data = renamed(data, "KZ", capital="Astana City")
    with store.transaction():
        counts = apply_world_reference(store.db, data, read_organisations())
    assert counts["added"] == 0
    after = country(store, "BY")
    assert after.capital == "Мінск"  # edited by the office: theirs stays
    assert "Белоруссия" not in after.other_names  # struck out by the office: stays out
    assert "Bielarus" in after.other_names  # new in the reference data: added
    assert "Belorussiya" not in after.other_names  # dropped by the reference data
    assert after.name == by_names["name"]
    assert country(store, "KZ").capital == "Astana City"  # untouched: follows the reference
    assert country(store, "KZ").uid == kazakhstan.uid


def test_a_country_the_office_deleted_is_not_brought_back(store: Store) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM country WHERE iso_code = 'AQ'")
        counts = apply_world_reference(store.db)
    assert counts["deleted by the office"] == 1
    assert store.db.execute("SELECT count(*) FROM country WHERE iso_code = 'AQ'").fetchone()[0] == 0


def test_the_office_adding_a_country_it_already_has_takes_the_reference_record(
    store: Store,
) -> None:
    before = len(store.countries.all())
    reference_id = country(store, "UZ").id
    saved = CountryService(store).save(Country(name="Uzbekistan", iso_code="uz", notes="ours"))
    assert saved.id == reference_id and len(store.countries.all()) == before
    assert "Ўзбекистон" in saved.other_names or "Узбекистан" in saved.other_names
    # Once the office has touched it, a second one with its code is refused.
    with pytest.raises(ValidationError, match="already"):
        CountryService(store).save(Country(name="Uzbekistan again", iso_code="UZ"))


def test_export_into_a_new_database_gives_the_same_document(demo_store: Store) -> None:
    document = export_data(demo_store)
    fresh = Store.open(":memory:")
    try:
        import_data(fresh, document)
        again = export_data(fresh)
        assert again["countries"] == document["countries"]
        assert again["organisations"] == document["organisations"]
    finally:
        fresh.close()


def test_an_export_from_before_capitals_keeps_the_capital(store: Store) -> None:
    document = export_data(store)
    for record in document["countries"]:
        del record["capital"]
    import_data(store, document)
    assert country(store, "BY").capital == "Minsk"


def test_merge_rules() -> None:
    assert merge_value(None, "", "Minsk") == "Minsk"
    assert merge_value(None, "Мінск", "Minsk") == "Мінск"
    assert merge_value("Minsk", "Minsk", "Minsk City") == "Minsk City"
    assert merge_value("Minsk", "Мінск", "Minsk City") == "Мінск"
    assert merge_names(None, ["A"], ["a", "B"]) == ["A", "B"]
    assert merge_names(["A", "B"], ["A"], ["A", "B", "C"]) == ["A", "C"]  # B removed by office
    assert merge_names(["A", "B"], ["A", "B", "X"], ["A"]) == ["A", "X"]  # B dropped by data


# --- relations known by the year alone ---------------------------------------------------------


def test_year_alone_arithmetic() -> None:
    assert parse_day_or_year("1992") == Year(1992)
    assert parse_day_or_year("16.09.1992") == date(1992, 9, 16)
    with pytest.raises(ValidationError, match="gives a month"):
        parse_day_or_year("September 1992")
    assert full_years(Year(1992), date(2022, 1, 1)) == 30
    assert full_years(Year(1992), date(2022, 12, 31)) == 30
    assert full_years(Year(1992), date(1991, 12, 31)) is None
    assert full_years(date(1992, 9, 16), date(2022, 9, 15)) == 29
    assert year_anniversaries(Year(1992), date(2021, 11, 1), date(2022, 2, 1)) == [
        (2021, 29),
        (2022, 30),
    ]
    assert year_anniversaries(Year(2022), date(2022, 1, 1), date(2022, 12, 31)) == []


def test_relations_by_year_then_made_exact(store: Store) -> None:
    service = CountryService(store)
    belarus = country(store, "BY")
    belarus.relations_established = Year(1992)
    service.save(belarus)
    assert country(store, "BY").relations_established == Year(1992)
    kinds = [a.kind for a in store.anniversaries.all()]
    assert AnniversaryKind.DIPLOMATIC_RELATIONS not in kinds  # no day to fall on
    found = year_only_anniversaries(store, UpcomingQuery(as_of=date(2022, 6, 1), days=365))
    assert [(a.year, a.ordinal, a.jubilee, a.country) for a in found] == [
        (2022, 30, True, "Belarus"),
        (2023, 31, False, "Belarus"),
    ]
    assert found[0].label == "30 years in 2022: Diplomatic relations with Belarus"
    # Exported and imported as the year alone.
    exported = next(c for c in export_data(store)["countries"] if c["iso_code"] == "BY")
    assert exported["relations_established"] == "1992"
    # The day found later makes it exact: the anniversary comes up on its day.
    belarus = country(store, "BY")
    belarus.relations_established = date(1992, 9, 16)
    service.save(belarus)
    assert year_only_anniversaries(store, UpcomingQuery(as_of=date(2022, 6, 1))) == []
    titles = [a.title for a in store.anniversaries.all()]
    assert "Diplomatic relations with Belarus" in titles


def test_a_bad_year_in_an_import_is_refused(store: Store) -> None:
    document = export_data(store)
    document["countries"][0]["relations_established"] = "92"
    with pytest.raises(ValidationError, match="year alone"):
        import_data(store, document)


def test_upcoming_on_the_command_line_shows_a_year_alone(tmp_path: Path) -> None:
    db = tmp_path / "office.sqlite"
    store = Store.open(db)
    belarus = country(store, "BY")
    belarus.relations_established = Year(1992)
    CountryService(store).save(belarus)
    store.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "protocol_desk", "--db", str(db), "upcoming", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )

    shown = run("--as-of", "2022-06-01", "--days", "100")
    assert shown.returncode == 0, shown.stderr
    assert "30 years in 2022: Diplomatic relations with Belarus" in shown.stdout
    listed = json.loads(run("--as-of", "2022-06-01", "--json").stdout)
    assert {"date": None, "year": 2022, "ordinal": 30}.items() <= listed[-1].items()


@pytest.mark.gui
def test_the_country_editor_takes_a_year_alone(qtbot: Any, store: Store) -> None:
    belarus = country(store, "BY")
    editor = CountryEditor(CountryService(store), country_id=belarus.id)
    qtbot.addWidget(editor)
    assert editor.capital.text() == "Minsk"
    editor.relations.setText("1992")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.saved_id == belarus.id
    assert country(store, "BY").relations_established == Year(1992)
    again = CountryEditor(CountryService(store), country_id=belarus.id)
    qtbot.addWidget(again)
    assert again.relations.text() == "1992"


# --- cities ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def places() -> Places:
    return Places()


@pytest.mark.parametrize(
    ("typed", "spelling", "city"),
    [
        ("Нұр-Сұл", "Нұр-Сұлтан", "Astana"),
        ("Nur-Sultan", "Nur-Sultan", "Astana"),
        ("астана", "Астана", "Astana"),
        ("Исламаб", "Исламабад", "Islamabad"),
        ("Islamabad", "Islamabad", "Islamabad"),
        ("Toshkent", "Toshkent", "Tashkent"),
        ("Ташкент", "Ташкент", "Tashkent"),
        ("алма-ата", "Алма-Ата", "Almaty"),
        ("Almaty", "Almaty", "Almaty"),
    ],
)
def test_a_city_by_any_of_its_names(places: Places, typed: str, spelling: str, city: str) -> None:
    found = places.starting(typed)
    assert any(p.matched == spelling and p.name == city for p in found), found


def test_cities_largest_first(places: Places) -> None:
    assert places.count() > 20_000
    found = places.starting("Mos")
    assert found[0].name == "Moscow"
    populations = [p.population for p in found]
    assert populations == sorted(populations, reverse=True)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_safe_in_the_place_field(text: str) -> None:
    found = Places().starting(text)
    assert len(found) <= 12


@pytest.mark.gui
def test_the_meeting_editor_offers_cities_and_countries(qtbot: Any, store: Store) -> None:
    store.meetings.save(Meeting(date=date(2022, 1, 1), subject="x"))
    editor = MeetingEditor(MeetingService(store), ReferenceService(store))
    qtbot.addWidget(editor)
    editor.show()
    editor.city.setFocus()
    for char in "Нұр-С":
        QApplication.sendEvent(
            editor.city, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )
    model = editor.city_suggestions.suggestions
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert "Нұр-Сұлтан — Astana, KZ" in labels
    row = labels.index("Нұр-Сұлтан — Astana, KZ")
    editor.city_suggestions.activated[type(model.index(0, 0))].emit(model.index(row, 0))  # type: ignore[index]
    assert editor.city.text() == "Нұр-Сұлтан"  # the spelling of the day, not today's name
    assert model.index(row, 0).data(NAME_ROLE) == "Нұр-Сұлтан"
    completer = editor.country_suggestions
    names = completer.model()
    offered = [names.index(r, 0).data() for r in range(names.rowCount())]
    assert "Беларусь → Belarus" in offered and "Түркия → Türkiye" in offered
    completer.activated[type(names.index(0, 0))].emit(  # type: ignore[index]
        names.index(offered.index("Беларусь → Belarus"), 0)
    )
    assert editor.country.currentText() == "Belarus"
    assert editor.country.currentData() == country(store, "BY").id


@pytest.mark.gui
def test_the_visit_editor_offers_cities(qtbot: Any, store: Store) -> None:
    from protocol_desk.services.delegations import DelegationService
    from protocol_desk.services.organisations import OrganisationService
    from protocol_desk.services.people import PeopleService
    from protocol_desk.ui.delegations_view import DelegationEditor

    editor = DelegationEditor(
        DelegationService(store),
        PeopleService(store),
        OrganisationService(store),
        CountryService(store),
    )
    qtbot.addWidget(editor)
    editor.show()
    editor.city.setFocus()
    for char in "Мінск":
        QApplication.sendEvent(
            editor.city, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )
    model = editor.city_suggestions.suggestions
    assert "Мінск — Minsk, BY" in [model.index(r, 0).data() for r in range(model.rowCount())]


def test_running_the_update_again_keeps_everything(db_path: Path) -> None:
    store = Store.open(db_path)
    belarus = country(store, "BY")
    belarus.capital = "Мінск"
    store.countries.save(belarus)
    countries = len(store.countries.all())
    store.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0011_world_reference_data'")
    again = Store.open(db_path)
    try:
        assert len(again.countries.all()) == countries
        assert country(again, "BY").capital == "Мінск"
    finally:
        again.close()


def _as_before(bodies: list[Any]) -> list[Any]:
    """The bodies as the file had them before the names of 0017_world_reference_bodies."""
    import copy

    older = copy.deepcopy(bodies)
    for body in older:
        if body.key_name == "ots":
            body.names["kk"]["name"] = "Түркі мемлекеттерінің ұйымы"
        body.other_names = [
            n
            for n in body.other_names
            if n not in {"Парламентская ассамблея тюркоязычных стран", "ТМД ПМА"}
        ]
    return older


def test_the_bodies_names_update_a_file_of_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protocol_desk.store import world

    path = tmp_path / "previous.sqlite"
    current = world.read_organisations()
    monkeypatch.setattr(world, "read_organisations", lambda: _as_before(current))
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(conn), stop_before="0017_world_reference_bodies")
    ots_kk = {
        str(name)
        for (name,) in conn.execute(
            "SELECT n.name FROM organisation_name n JOIN organisation o"
            " ON o.id = n.organisation_id WHERE o.short_name = 'OTS' AND n.lang = 'kk'"
        )
    }
    assert ots_kk == {"Түркі мемлекеттерінің ұйымы", "ТМҰ"}
    # The office's own edit of a body the update also changes.
    (others,) = conn.execute(
        "SELECT other_names FROM organisation WHERE short_name = 'TurkPA'"
    ).fetchone()
    turkpa_names = [*json.loads(others), "Тюрк ПА"]
    conn.execute(
        "UPDATE organisation SET other_names = ? WHERE short_name = 'TurkPA'",
        [json.dumps(turkpa_names, ensure_ascii=False)],
    )
    conn.close()
    monkeypatch.setattr(world, "read_organisations", lambda: current)
    store = Store.open(path)  # runs 0017
    try:
        ots = store.organisations.find("Түркі мемлекеттері ұйымы")
        assert ots is not None and ots.id is not None and ots.short_name == "OTS"
        assert store.organisations.names_in(ots.id, "kk")[0] == "Түркі мемлекеттері ұйымы"
        turkpa = store.organisations.find("ТүркПА")
        assert turkpa is not None
        assert "Тюрк ПА" in turkpa.other_names  # the office's own, kept
        assert "Парламентская ассамблея тюркоязычных стран" in turkpa.other_names  # added
        assert set(turkpa_names) <= set(turkpa.other_names)
        ipa = store.organisations.find("ТМД ПМА")
        assert ipa is not None and ipa.short_name == "IPA CIS"
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
