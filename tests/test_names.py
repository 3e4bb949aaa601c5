"""One person, every spelling: the name matcher, its indexes, and every place that looks a
person up (suggestions, the people filter, the meetings search, the release reader, the
duplicate-person guard); and a search that covers the sources, countries and organisations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from protocol_desk.bench.name_pairs import NAME_PAIRS, NamePair, matched, precision_recall
from protocol_desk.domain.listing import MeetingFilter, PersonFilter
from protocol_desk.domain.models import (
    Country,
    Meeting,
    Organisation,
    OrganisationKind,
    Participant,
    Person,
    PersonName,
    Position,
    Side,
    Source,
)
from protocol_desk.domain.names import (
    Match,
    close,
    name_key,
    same_name,
    typed_words,
    word_key,
)
from protocol_desk.services.briefing import (
    BriefingOptions,
    Subject,
    SubjectKind,
    collect_briefing,
)
from protocol_desk.services.meetings import MeetingService, NewPerson
from protocol_desk.services.names import SamePerson, people_like
from protocol_desk.services.people import PeopleService
from protocol_desk.services.release_lookup import StoreLookup
from protocol_desk.services.release_offer import read_release
from protocol_desk.store import Store
from protocol_desk.store.schema import migrations

# --- the table of pairs ---------------------------------------------------------------------


def test_the_table_has_every_kind_of_pair() -> None:
    assert len(NAME_PAIRS) >= 60
    assert sum(1 for p in NAME_PAIRS if not p.same) >= 10
    assert sum(1 for p in NAME_PAIRS if p.in_text) >= 5


@pytest.mark.parametrize("entry", NAME_PAIRS, ids=lambda p: f"{p.written}|{p.stored}")
def test_a_pair_is_matched_as_the_office_reads_it(entry: NamePair) -> None:
    assert (matched(entry) is not None) == entry.same


def test_precision_and_recall_on_the_table() -> None:
    assert precision_recall() == (1.0, 1.0)


# --- the folding rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Жомарт", "Jomart"),
        ("Zhomart", "Jomart"),
        ("Mukhammed", "Muhamed"),
        ("Rachkoff", "Rachkov"),
        ("Ashymbayev", "Ашимбаев"),
        ("Sergey", "Сергей"),
        ("Ёлкин", "Елкин"),
        ("Әлия", "Aliya"),
        ("Қанат", "Kanat"),
        ("Ңң", "нн"),
        ("Өмір", "Omir"),
        ("Ұлан", "Ulan"),
        ("Үміт", "Umit"),
        ("Һ", "Х"),
        ("Kassym", "Kasym"),
        ("Qasym", "Kasym"),
        ("Lukašenka", "Lukashenka"),
    ],
)
def test_spellings_of_one_word_fold_to_one_key(one: str, other: str) -> None:
    assert word_key(one) == word_key(other) != ""


def test_a_name_key_keeps_the_words_apart() -> None:
    assert name_key("Kassym-Jomart Tokayev") == name_key("Қасым-Жомарт Тоқаев")
    assert name_key("Kassym-Jomart Tokayev") == "kasim jomart tokaev"


def test_a_slip_is_forgiven_only_in_a_long_word() -> None:
    assert close(word_key("Ashimnayev"), word_key("Ashimbayev"))
    assert not close(word_key("Kaya"), word_key("Kaja"))  # four letters: no slips
    assert not close(word_key("Koshanov"), word_key("Kochanova"))  # his and her surname


def test_a_new_name_is_the_same_only_with_every_word() -> None:
    assert same_name("Maulen Ashimnayev", ["Maulen Ashimbayev"])
    assert same_name("Ашимбаев Маулен", ["Maulen Ashimbayev"])
    assert not same_name("Maulen", ["Maulen Ashimbayev"])
    assert not same_name("Aidar Ashimbayev", ["Maulen Ashimbayev"])


# --- an office with the names of the releases -------------------------------------------------

PEOPLE = {
    "Maulen Ashimbayev": ["Маулен Ашимбаев", "Мәулен Әшімбаев"],
    "Sergey Rachkov": ["Сергей Рачков"],
    "Igor Sergeyenko": ["Игорь Сергеенко", "Igor Segeenko"],
    "Yerlan Koshanov": ["Ерлан Қошанов", "Ерлан Кошанов"],
    "Alexander Lukashenko": ["Александр Лукашенко"],
    "Mukhtar Kul-Mukhammed": ["Мұхтар Құл-Мұхаммед", "Mukhtar Kul-Mohammed"],
    "Kassym-Jomart Tokayev": ["Қасым-Жомарт Тоқаев", "Касым-Жомарт Токаев"],
    "Tanzila Narbaeva": ["Танзила Нарбаева"],
    "Alexander Borodavkin": [],
    "Gulnara Gafarova": [],
    "Валентина Матвиенко": [],
    "Кротов Вадим": [],
    "Ulugbek Ismoilov": [],
    "Natalya Kochanova": ["Наталья Кочанова"],
    "Bakhyt Ashimov": [],
    "Pavel Sergeev": ["Павел Сергеев"],
}


@pytest.fixture
def office() -> Iterator[Store]:
    store = Store.open(":memory:")
    with store.transaction():
        belarus = store.countries.save(
            Country(name="Belarus", iso_code="BY", other_names=["Беларусь", "Белоруссия"])
        )
        senate = store.organisations.save(
            Organisation(
                name="Senate of the Parliament of the Republic of Kazakhstan",
                short_name="Senate",
                other_names=["Сенат"],
                kind=OrganisationKind.CHAMBER,
            )
        )
        store.organisations.save(
            Organisation(
                name="Majilis of the Parliament of the Republic of Kazakhstan",
                short_name="Majilis",
                other_names=["Mazhilis", "Мажилис"],
                kind=OrganisationKind.CHAMBER,
            )
        )
        for name, variants in PEOPLE.items():
            positions = (
                [Position(title="Chairman of the Senate", organisation_id=senate.id)]
                if name == "Maulen Ashimbayev"
                else []
            )
            store.people.save(
                Person(
                    full_name=name,
                    variants=[PersonName(v) for v in variants],
                    positions=positions,
                    country_id=belarus.id if name == "Sergey Rachkov" else None,
                )
            )
    yield store
    store.close()


def person(store: Store, name: str) -> int:
    found = store.people.find_by_name(name)
    assert found is not None and found.id is not None
    return found.id


# Every search of the report that found no one, with whom it must find.
SEARCHES = [
    ("Ashimnayev", "Maulen Ashimbayev"),
    ("Ashimbaev", "Maulen Ashimbayev"),
    ("Rachkof", "Sergey Rachkov"),
    ("Ratchkov", "Sergey Rachkov"),
    ("Sergeenko", "Igor Sergeyenko"),
    ("Qoshanov", "Yerlan Koshanov"),
    ("Lukashenka", "Alexander Lukashenko"),
    ("Кул-Мухамед", "Mukhtar Kul-Mukhammed"),
    ("Нарбаева", "Tanzila Narbaeva"),
    ("Norboyeva", "Tanzila Narbaeva"),
    ("Бородавкин", "Alexander Borodavkin"),
    ("Гафарова", "Gulnara Gafarova"),
    ("Matvienko", "Валентина Матвиенко"),
    ("Krotov", "Кротов Вадим"),
    ("Tokaev", "Kassym-Jomart Tokayev"),
    ("Ismailov", "Ulugbek Ismoilov"),
    ("с Сергеем Рачковым", "Sergey Rachkov"),
    ("Касым-Жомарта Токаева", "Kassym-Jomart Tokayev"),
    ("Матвиенкомен", "Валентина Матвиенко"),
    ("Қошановпен", "Yerlan Koshanov"),
]


@pytest.mark.parametrize(("typed", "who"), SEARCHES)
def test_suggestions_find_the_person_in_any_spelling(office: Store, typed: str, who: str) -> None:
    typed = typed.removeprefix("с ")  # a picker gets a name, not a sentence
    found = office.people.suggest(typed)
    assert who in [m.full_name for m in found]


@pytest.mark.parametrize(("typed", "who"), SEARCHES[:16])
def test_the_people_filter_finds_the_person_in_any_spelling(
    office: Store, typed: str, who: str
) -> None:
    rows, _ = office.people.page(PersonFilter(text=typed))
    assert who in [r.full_name for r in rows]


@pytest.mark.parametrize(
    ("typed", "not_who"),
    [
        ("Ashimov", "Maulen Ashimbayev"),
        ("Сергеев", "Igor Sergeyenko"),
        ("Koshanov", "Natalya Kochanova"),
        ("Ashimbayev", "Bakhyt Ashimov"),
        ("Sergeyenko", "Pavel Sergeev"),
        ("Сергеев", "Sergey Rachkov"),  # a surname, not a slip for his given name
    ],
)
def test_names_alike_stay_apart(office: Store, typed: str, not_who: str) -> None:
    assert not_who not in [m.full_name for m in office.people.suggest(typed)]


def test_suggestions_are_ranked_and_say_which_spelling_matched(office: Store) -> None:
    with office.transaction():
        office.people.save(Person(full_name="Ашимбаев Ерлан"))
        office.people.save(Person(full_name="Ashimbayeva Dana"))
    found = office.people.suggest("Ашимбаев")
    # As typed first (alphabetical within), then the same letters in the other script.
    assert [(m.full_name, m.how) for m in found] == [
        ("Maulen Ashimbayev", Match.SPELLING),  # by its Cyrillic spelling
        ("Ашимбаев Ерлан", Match.SPELLING),
        ("Ashimbayeva Dana", Match.KEY),
    ]
    assert found[0].matched_name == "Маулен Ашимбаев"
    close_one = office.people.suggest("Ashimnayev")
    assert [(m.full_name, m.how) for m in close_one] == [
        ("Maulen Ashimbayev", Match.CLOSE),
        ("Ашимбаев Ерлан", Match.CLOSE),  # not Dana Ashimbayeva: hers is another surname
    ]
    other_script = office.people.suggest("Рачков")[0]
    assert other_script.how is Match.SPELLING and other_script.matched_name == "Сергей Рачков"
    by_key = office.people.suggest("Ratchkov")[0]
    assert by_key.how is Match.KEY


def test_the_picker_says_which_spelling_matched(office: Store, qtbot: object) -> None:
    from protocol_desk.ui.person_picker import PersonPicker, suggestion_label

    found = office.people.suggest("Ашимбаев")
    assert suggestion_label(found[0]).startswith("Маулен Ашимбаев → Maulen Ashimbayev")
    picker = PersonPicker(office.people.suggest)
    qtbot.addWidget(picker)  # type: ignore[attr-defined]
    picker.setText("Ashimnayev")
    picker._update("Ashimnayev")
    label = picker.suggestions.item(0).text()
    assert label.startswith("Maulen Ashimbayev (close spelling)")
    assert "Chairman of the Senate" in label


def test_nothing_typed_is_an_error(office: Store) -> None:
    for text in ["", " ", "-", "*", '"', "AND", "NEAR(", "a", "ъ", "🙂", "\u202eabc", "\x00"]:
        assert isinstance(office.people.suggest(text), list)
        office.people.count(PersonFilter(text=text))


# --- the meetings search ---------------------------------------------------------------------


@pytest.fixture
def meetings(office: Store) -> MeetingService:
    service = MeetingService(office)
    rachkov = person(office, "Sergey Rachkov")
    ashimbayev = person(office, "Maulen Ashimbayev")
    belarus = office.countries.find("Belarus")
    assert belarus is not None
    with office.transaction():
        service.save(
            Meeting(
                date=date(2022, 6, 6),
                subject="Talks on cooperation",
                participants=[Participant(rachkov, Side.COUNTERPART)],
                country_id=belarus.id,
            ),
            allow_duplicate=True,
        )
        service.save(
            Meeting(
                date=date(2022, 11, 18),
                subject="Observers of the elections",
                participants=[Participant(ashimbayev, Side.OURS)],
                sources=[
                    Source(
                        publisher="Senate press service",
                        text="Interregional ties were discussed. Source: Kazinform. "
                        "The Chairman of the Mazhilis was present.",
                    )
                ],
            ),
            allow_duplicate=True,
        )
        service.save(
            Meeting(date=date(2023, 1, 5), subject="Визит в Республику Беларусь"),
            allow_duplicate=True,
        )
    return service


@pytest.mark.parametrize(
    "typed",
    ["Ashimnayev", "Ashimbaev", "Ашимбаев", "Rachkof", "Рачковым", "Ratchkov", "Әшімбаев"],
)
def test_the_meetings_search_finds_a_person_in_any_spelling(
    meetings: MeetingService, typed: str
) -> None:
    subjects = {r.subject for r in meetings.search(typed)}
    assert subjects & {"Talks on cooperation", "Observers of the elections"}


def test_words_of_a_kept_release_are_found_and_said_to_be_in_a_source(
    meetings: MeetingService,
) -> None:
    for word in ("interregional", "Kazinform"):
        [row] = meetings.search(word)
        assert row.subject == "Observers of the elections" and row.in_source
    [row] = meetings.search("Ashimbayev")
    assert not row.in_source  # found by its participant


def test_a_country_in_any_of_its_names_finds_the_same_meetings(meetings: MeetingService) -> None:
    found = {name: {r.id for r in meetings.search(name)} for name in ("Belarus", "Беларусь")}
    assert found["Belarus"] == found["Беларусь"]
    assert len(found["Belarus"]) == 2  # held there, and one that names it in Russian


def test_an_organisation_in_any_of_its_names(meetings: MeetingService) -> None:
    assert [r.subject for r in meetings.search("Мажилис")] == ["Observers of the elections"]


# --- the release reader ----------------------------------------------------------------------


def test_the_reader_finds_people_in_case_forms_scripts_and_misprints(office: Store) -> None:
    text = (
        "Астана, 5 июня 2023 года. Председатель Сената провёл переговоры с Сергеем Рачковым. "
        "Также состоялась встреча Касым-Жомарта Токаева с делегацией. "
        "Talks with Maulen Ashimnayev followed. Қошановпен кездесу өтті."
    )
    reading = read_release(StoreLookup(office), text, date(2023, 6, 10))
    names = {p.name for p in reading.people if p.person_id is not None}
    assert {
        "Sergey Rachkov",
        "Kassym-Jomart Tokayev",
        "Maulen Ashimbayev",
        "Yerlan Koshanov",
    } <= names
    assert "Igor Sergeyenko" not in names and "Bakhyt Ashimov" not in names


def test_the_reader_says_how_each_known_person_was_matched(office: Store) -> None:
    lookup = StoreLookup(office)
    cases = {
        "Maulen Ashimbayev": "a stored spelling",
        "Мәулен Әшімбаев": "a stored spelling",
        "Maulen Ashimbaev": "another script or romanisation",
        "Сергеем Рачковым": "a case form",
        "Maulen Ashimnayev": "a close spelling (check it)",
    }
    for written, how in cases.items():
        known = lookup.person([written])
        assert known is not None, written
        assert (known.full_name, known.how) == (
            "Sergey Rachkov" if "Рачков" in written else "Maulen Ashimbayev",
            how,
        )
    assert lookup.person(["Bakhyt Ashimbayev"]) is None  # another given name: someone new
    last = lookup.person_by_last_name("Рачковым")
    assert last is not None and last.how == "the last name alone, a case form"


# --- the duplicate-person guard and the spellings it keeps -------------------------------------


def test_creating_a_misprinted_duplicate_is_caught(office: Store) -> None:
    people = PeopleService(office)
    with pytest.raises(SamePerson) as caught:
        people.save(Person(full_name="Maulen Ashimnayev"))
    assert caught.value.message == "Is this Maulen Ashimbayev (Chairman of the Senate, " + (
        "Senate of the Parliament of the Republic of Kazakhstan)?"
    )
    assert office.people.find_by_name("Maulen Ashimnayev") is None  # nothing was written
    made = people.save(Person(full_name="Maulen Ashimnayev"), allow_duplicate=True)
    assert made.id is not None  # "Create anyway"


def test_a_participant_created_in_the_picker_is_guarded_too(office: Store) -> None:
    service = MeetingService(office)
    with pytest.raises(SamePerson) as caught:
        service.create_person(NewPerson(full_name="Ratchkov Sergei", side=Side.COUNTERPART))
    assert caught.value.known[0].full_name == "Sergey Rachkov"
    created = service.create_person(
        NewPerson(full_name="Ratchkov Sergei", side=Side.COUNTERPART), allow_similar=True
    )
    assert created.full_name == "Ratchkov Sergei"
    # Different people are not asked about.
    assert people_like(office, ["Aidar Ashimbayev", "Maulen"]) == []


def test_a_confirmed_misprint_is_found_but_never_printed(office: Store) -> None:
    people = PeopleService(office)
    kept = people.keep_spelling(person(office, "Maulen Ashimbayev"), "Maulen Ashimnayev")
    misprint = next(v for v in kept.variants if v.name == "Maulen Ashimnayev")
    assert misprint.misprint
    other_script = people.keep_spelling(kept.id or 0, "Ашимбаев Маулен")
    assert not next(v for v in other_script.variants if v.name == "Ашимбаев Маулен").misprint
    assert office.people.find_by_name("Maulen Ashimnayev").id == kept.id  # type: ignore[union-attr]
    briefing = collect_briefing(
        office, Subject(SubjectKind.PERSON, kept.id or 0), BriefingOptions(as_of=date(2023, 1, 1))
    )
    [profile] = [p for p in briefing.profiles if p.person_id == kept.id]
    assert "Maulen Ashimnayev" not in profile.other_names
    assert "Ашимбаев Маулен" in profile.other_names
    # It survives an export and an import.
    again = office.people.get(kept.id or 0)
    assert [v.misprint for v in again.variants if v.name == "Maulen Ashimnayev"] == [True]


# --- an older file ------------------------------------------------------------------------------


def test_a_file_of_the_previous_version_gets_its_name_keys(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before="0010_name_keys")
    conn = old.conn
    conn.execute(
        "INSERT INTO person (id, uid, full_name, sort_key, side) VALUES (1, 'p1', ?, '', 'ours')",
        ["Maulen Ashimbayev"],
    )
    for n, name in enumerate(["Maulen Ashimbayev", "Мәулен Әшімбаев"]):
        conn.execute(
            "INSERT INTO person_name (person_id, name, name_key, ordinal) VALUES (1, ?, ?, ?)",
            [name, name.casefold(), n],
        )
    conn.execute(
        "INSERT INTO meeting (id, uid, date, subject, subject_sort) VALUES (1, 'm1', ?, ?, '')",
        ["2022-11-18", "Observers"],
    )
    conn.execute(
        "INSERT INTO meeting_source (uid, meeting_id, text) VALUES ('s1', 1, ?)",
        ["Interregional ties, says Kazinform."],
    )
    conn.execute("INSERT INTO participant (meeting_id, person_id, side) VALUES (1, 1, 'ours')")
    conn.close()
    store = Store.open(path)
    try:
        keys = {r[0] for r in store.db.execute("SELECT key FROM person_word")}
        assert keys == {"maulen", "ashimbaev"}
        spelt = {r[0] for r in store.db.execute("SELECT spelling_key FROM person_name")}
        assert spelt == {"maulen ashimbaev"}
        assert [m.full_name for m in store.people.suggest("Ashimnayev")] == ["Maulen Ashimbayev"]
        [row] = store.meetings.page(MeetingFilter(text="Kazinform")).rows
        assert row.id == 1 and row.in_source
        assert [r.id for r in store.meetings.page(MeetingFilter(text="Ашимбаев")).rows] == [1]
    finally:
        store.close()


# --- any text is safe ---------------------------------------------------------------------------

_ANY_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="АӘБҒҚҢӨҰҮҺІаәбғқңөұүһі -'\"*()ё", max_size=40),
    st.sampled_from(['"', "AND", "OR (", "NEAR(a b)", "a*", "^", ":", "{x}", "\u202e", "🙂🙂"]),
    st.just("Ш" * 100_000),
)


@pytest.fixture(scope="module")
def shared_office() -> Iterator[Store]:
    store = Store.open(":memory:")
    with store.transaction():
        for name, variants in PEOPLE.items():
            store.people.save(Person(full_name=name, variants=[PersonName(v) for v in variants]))
        store.meetings.save(Meeting(date=date(2022, 6, 6), subject="Talks"))
    yield store
    store.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_ANY_TEXT)
def test_any_text_in_any_name_field_or_search_box_is_safe(shared_office: Store, text: str) -> None:
    store = shared_office
    assert isinstance(store.people.suggest(text), list)
    store.people.count(PersonFilter(text=text))
    store.people.similar(text)
    store.meetings.page(MeetingFilter(text=text), limit=5)
    people_like(store, [text])
    typed_words(text)
    read_release(StoreLookup(store), text[:5000], date(2023, 1, 1))


def test_an_import_says_which_new_people_may_be_known_already(tmp_path: Path) -> None:
    import json

    from protocol_desk.cli import main

    db = str(tmp_path / "office.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    exported = tmp_path / "office.json"
    assert main(["--db", db, "export", str(exported)]) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["people"].append(
        {"uid": "new-1", "full_name": "Maulen Ashimnayev", "side": "ours", "variants": []}
    )
    exported.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    lines: list[str] = []
    from protocol_desk.services.exchange import import_file

    store = Store.open(db)
    try:
        import_file(store, exported, lines)
    finally:
        store.close()
    assert lines == [
        "“Maulen Ashimnayev” may be Maulen Ashimbayev (Chairman of the Senate, Senate of the "
        "Parliament of the Republic of Kazakhstan): check, and merge the two if so."
    ]


def test_countries_and_organisations_are_found_in_another_spelling(office: Store) -> None:
    belarus = office.countries.find("Belarus'")
    assert belarus is not None and belarus.name == "Belarus"
    majilis = office.organisations.find("Madzhilis")
    assert majilis is not None and majilis.short_name == "Majilis"
    bulgaria = office.countries.find("Bulgaria")  # a country of its own, not Belarus misspelt
    assert bulgaria is not None and bulgaria.iso_code == "BG"


def test_the_briefing_picker_takes_a_person_in_any_spelling(office: Store) -> None:
    from protocol_desk.services.briefing import resolve_subject

    subject = resolve_subject(office, SubjectKind.PERSON, "Ашимбаев")
    assert subject.id == person(office, "Maulen Ashimbayev")
    subject = resolve_subject(office, SubjectKind.PERSON, "Ratchkov")
    assert subject.id == person(office, "Sergey Rachkov")


def test_the_command_line_finds_people_in_any_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from protocol_desk.cli import main

    db = str(tmp_path / "office.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "people", "Ашимбаев", "--json"]) == 0
    [found] = json.loads(capsys.readouterr().out)
    assert (found["full_name"], found["matched"], found["how"]) == (
        "Maulen Ashimbayev",
        "Маулен Ашимбаев",
        "spelling",
    )
    assert main(["--db", db, "people", "Ashimov"]) == 0
    assert capsys.readouterr().out == "Nobody found.\n"
