"""Export and import: loss-free, keyed on uid, all or nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.models import Meeting, Participant, Person, PersonName, Side, Source
from protocol_desk.services.exchange import export_data, export_file, import_data, import_file
from protocol_desk.store import Store


def test_round_trip_is_identical(demo_store: Store, store: Store) -> None:
    first = export_data(demo_store)
    import_data(store, first)
    assert export_data(store) == first


def test_importing_twice_duplicates_nothing(demo_store: Store) -> None:
    before = export_data(demo_store)
    import_data(demo_store, before)
    assert export_data(demo_store) == before
    assert demo_store.db.execute("SELECT count(*) FROM meeting").fetchone()[0] == 6


def test_file_round_trip_keeps_cyrillic_and_kazakh(store: Store, tmp_path: Path) -> None:
    with store.transaction():
        person = store.people.save(
            Person(
                full_name="Мәулен Әшімбаев",
                variants=[PersonName("Maulen Ashimbayev", "Latin")],
                side=Side.OURS,
            )
        )
        store.meetings.save(
            Meeting(
                date=date(2022, 11, 18),
                subject="Кездесу: ӘҒҚҢӨҰҮҺІ <b>&amp;</b> 🇰🇿",
                summary="Сенат Төрағасы «Түркі» — 100% & <script>",
                participants=[Participant(person_id=person.id or 0, side=Side.OURS)],
                sources=[Source(publisher="Сенат баспасөз қызметі", url="https://senate.kz/x")],
            )
        )
    path = tmp_path / "out.json"
    export_file(store, path)
    text = path.read_text(encoding="utf-8")
    assert "ӘҒҚҢӨҰҮҺІ" in text  # stored as letters, not \\u escapes
    fresh = Store.open(":memory:")
    import_file(fresh, path)
    assert export_data(fresh) == json.loads(text)
    fresh.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something-else"}', "not a Protocol Desk export"),
        ('{"format": "protocol-desk", "format_version": 99}', "format version 99"),
        ('{"format": "protocol-desk", "format_version": 1, "countries": 5}', "list of records"),
    ],
)
def test_bad_files_change_nothing(
    demo_store: Store, tmp_path: Path, content: str, message: str
) -> None:
    before = export_data(demo_store)
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        import_file(demo_store, path)
    assert export_data(demo_store) == before


def test_a_record_breaking_a_rule_rolls_back_the_whole_import(demo_store: Store) -> None:
    before = export_data(demo_store)
    document = json.loads(json.dumps(before))
    document["people"].append(
        {"uid": "new-person", "full_name": "Someone New", "side": "counterpart", "positions": []}
    )
    bad_meeting = dict(
        document["meetings"][0], uid="new-meeting", subject="", participants=[], sources=[]
    )
    document["meetings"].append(bad_meeting)
    with pytest.raises(ValidationError, match="subject"):
        import_data(demo_store, document)
    assert export_data(demo_store) == before
    assert demo_store.people.find_by_name("Someone New") is None


def test_a_dangling_reference_is_named(demo_store: Store) -> None:
    document = json.loads(json.dumps(export_data(demo_store)))
    document["meetings"][0]["participants"][0]["person"] = "nobody"
    with pytest.raises(ValidationError, match="nobody"):
        import_data(demo_store, document)


def test_missing_file(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no file"):
        import_file(store, tmp_path / "missing.json")


texts = st.text(
    alphabet=st.sampled_from(list("abcXYZ <>&\"'ӘҒҚҢӨҰҮҺІәғқңөұүһіЖжЯя🇰🇿 \t-*")), max_size=80
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=texts.filter(lambda s: s.strip()), subject=texts.filter(lambda s: s.strip()), summary=texts
)
def test_any_text_round_trips(name: str, subject: str, summary: str) -> None:
    source = Store.open(":memory:")
    with source.transaction():
        person = source.people.save(Person(full_name=name.replace("\t", " ")))
        source.meetings.save(
            Meeting(
                date=date(2023, 1, 1),
                subject=subject.replace("\t", " "),
                summary=summary,
                participants=[Participant(person_id=person.id or 0)],
            )
        )
    exported = export_data(source)
    target = Store.open(":memory:")
    import_data(target, exported)
    assert export_data(target) == exported
    source.close()
    target.close()


def test_preparation_of_a_derived_anniversary_survives_the_round_trip(
    demo_store: Store, store: Store
) -> None:
    [relations] = [a for a in demo_store.anniversaries.all() if a.kind == "diplomatic_relations"]
    relations.lead_days = 150
    relations.notes = "Letter of congratulation from the Speaker"
    with demo_store.transaction():
        demo_store.anniversaries.save(relations)
    exported = export_data(demo_store)
    import_data(store, exported)
    [copied] = [a for a in store.anniversaries.all() if a.kind == "diplomatic_relations"]
    assert (copied.uid, copied.lead_days, copied.notes) == (
        relations.uid,
        150,
        "Letter of congratulation from the Speaker",
    )
    assert export_data(store) == exported
