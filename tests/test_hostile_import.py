"""Hostile and clumsy import files: each is refused with one line naming the record and field,
and nothing in the database changes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import PersonFilter
from protocol_desk.services.demo import load_demo
from protocol_desk.services.exchange import export_data, import_data, import_file
from protocol_desk.store import Store

Document = dict[str, Any]


@pytest.fixture(scope="module")
def demo_export() -> Document:
    store = Store.open(":memory:")
    load_demo(store)
    exported = export_data(store)
    store.close()
    return exported


def _refused(store: Store, path: Path, text: str) -> str:
    """Import the text as a file: the one-line message, after checking nothing changed."""
    before = export_data(store)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_file(store, path)
    assert export_data(store) == before
    message = refused.value.message
    assert "\n" not in message and len(message) < 400
    return message


def _person_variant_is_text(d: Document) -> None:
    d["people"][0]["variants"] = ["Kul-Mohammed"]


def _participant_is_a_number(d: Document) -> None:
    d["meetings"][0]["participants"] = [5]


def _iso_code_is_a_list(d: Document) -> None:
    d["countries"][0]["iso_code"] = ["BY"]


def _name_is_a_number(d: Document) -> None:
    d["people"][0]["full_name"] = 42


def _setting_is_an_object(d: Document) -> None:
    d["settings"]["office_name"] = {"name": "Protocol"}


def _topics_is_a_string(d: Document) -> None:
    d["meetings"][0]["topics"] = "trade, energy"


def _uid_is_a_list(d: Document) -> None:
    d["actions"][0]["uid"] = ["x"]


def _date_is_a_number(d: Document) -> None:
    d["meetings"][1]["date"] = 20220606


def _status_unknown(d: Document) -> None:
    d["actions"][0]["status"] = "forgotten"


def _meetings_is_an_object(d: Document) -> None:
    d["meetings"] = {"uid": "x"}


TREATY = {
    "uid": "treaty-1992",
    "kind": "treaty",
    "title": "Договор о дружбе",
    "base_date": "1992-09-16",
    "lead_days": 30,
}


def _lead_days_negative(d: Document) -> None:
    d["anniversaries"] = [dict(TREATY, lead_days=-3)]


def _meeting_without_uid(d: Document) -> None:
    del d["meetings"][2]["uid"]


# (what is done to the demo export, what the message must say: the record and the field)
CASES: dict[str, tuple[Callable[[Document], None], Callable[[Document], list[str]]]] = {
    "a spelling as text (AttributeError)": (
        _person_variant_is_text,
        lambda d: ["Person 1 (", "“spelling 1”", "must be a record, not text"],
    ),
    "a participant as a number (AttributeError)": (
        _participant_is_a_number,
        lambda d: [f"Meeting 1 (“{d['meetings'][0]['subject'][:20]}", "“participant 1”"],
    ),
    "a code as a list (ProgrammingError)": (
        _iso_code_is_a_list,
        lambda d: [f"Country 1 (“{d['countries'][0]['name']}”)", "“iso_code”", "not a list"],
    ),
    "a number as a name": (
        _name_is_a_number,
        lambda d: ["Person 1 (", "“full_name”", "must be text, not a whole number (42)"],
    ),
    "a settings object where text belongs": (
        _setting_is_an_object,
        lambda d: ["“settings, office_name”", "must be text, not a record"],
    ),
    "topics as a string": (
        _topics_is_a_string,
        lambda d: ["Meeting 1 (", "“topics”", "must be a list of texts, not text"],
    ),
    "a uid as a list (ProgrammingError)": (
        _uid_is_a_list,
        lambda d: ["Agreed action 1 (", "“uid”", "must be text, not a list"],
    ),
    "a date as a number": (
        _date_is_a_number,
        lambda d: ["Meeting 2 (", "“date”", "“20220606” is not a date (YYYY-MM-DD)"],
    ),
    "an unknown status": (
        _status_unknown,
        lambda d: ["Agreed action 1 (", "“status”", "“forgotten” is not one of: open"],
    ),
    "meetings as an object": (
        _meetings_is_an_object,
        lambda d: ["The file, “meetings”", "must be a list of records, not a record"],
    ),
    "a negative lead time": (
        _lead_days_negative,
        lambda d: ["Anniversary 1 (“Договор о дружбе”)", "“lead_days”", "-3 is below 0"],
    ),
    "a meeting without a uid": (
        _meeting_without_uid,
        lambda d: ["Meeting 3 (", "“uid” is missing"],
    ),
}


@pytest.mark.faults
@pytest.mark.parametrize("case", CASES)
def test_a_hostile_value_is_named_and_nothing_changes(
    demo_store: Store, demo_export: Document, tmp_path: Path, case: str
) -> None:
    spoil, expected = CASES[case]
    document = copy.deepcopy(demo_export)
    spoil(document)
    message = _refused(demo_store, tmp_path / "bad.json", json.dumps(document))
    for part in expected(document):
        assert part in message, message
    assert message.endswith("Nothing was imported.")


@pytest.mark.faults
def test_a_5000_digit_number_is_named(
    demo_store: Store, demo_export: Document, tmp_path: Path
) -> None:
    document = copy.deepcopy(demo_export)
    document["anniversaries"] = [dict(TREATY, lead_days=7)]
    text = json.dumps(document).replace('"lead_days": 7', '"lead_days": 1' + "0" * 5000, 1)
    message = _refused(demo_store, tmp_path / "big.json", text)
    assert "Anniversary 1 (" in message and "“lead_days”" in message
    assert "a number of 5,001 digits" in message


@pytest.mark.faults
def test_deep_nesting_is_refused_in_one_line(demo_store: Store, tmp_path: Path) -> None:
    text = '{"format": "protocol-desk", "format_version": 1, "notes": ' + "[" * 100_000
    text += "]" * 100_000 + "}"
    message = _refused(demo_store, tmp_path / "deep.json", text)
    assert "nested too deeply" in message


@pytest.mark.faults
def test_a_uid_twice_in_one_file_is_refused(
    demo_store: Store, demo_export: Document, tmp_path: Path
) -> None:
    document = copy.deepcopy(demo_export)
    twin = dict(document["meetings"][0], subject="A second meeting", sources=[])
    document["meetings"].append(twin)
    message = _refused(demo_store, tmp_path / "twice.json", json.dumps(document))
    last = len(document["meetings"])
    assert message.startswith(f"Meeting {last} (“A second meeting”): its uid")
    assert "is also that of Meeting 1 (" in message


def test_a_sound_file_still_imports(store: Store, demo_export: Document) -> None:
    import_data(store, copy.deepcopy(demo_export))
    assert export_data(store) == demo_export


# --- generated hostile documents ------------------------------------------------------------


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["", " ", "--02-30", "2022-13-45", "open", "ours", "x" * 300, "🇰🇿"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.integers(min_value=1, max_value=5_000).map(lambda depth: _nested(depth)),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document a value can be put (not inside a value put there)."""
    found = [path] if path else []
    if len(path) >= 6:
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _put(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


@pytest.mark.faults
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_hostile_documents_import_or_are_refused_in_one_line(
    demo_export: Document, data: st.DataObject
) -> None:
    document = copy.deepcopy(demo_export)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        place = data.draw(st.sampled_from(_paths(document)))
        _put(document, place, data.draw(HOSTILE))
    store = Store.open(":memory:")
    logged = store.changes.count()
    try:
        import_data(store, document)
    except ValidationError as refused:
        assert "\n" not in refused.message
        assert store.changes.count() == logged  # nothing was written
        assert export_data(store)["meetings"] == []
    store.close()


@pytest.mark.faults
@pytest.mark.parametrize("place", ["topics", "participants", "sources", "notes"])
def test_a_value_nested_thousands_deep_is_refused_or_ignored(
    demo_store: Store, demo_export: Document, place: str
) -> None:
    """Given as objects (not read from a file, whose reader stops it first)."""
    document = copy.deepcopy(demo_export)
    document["meetings"][0][place] = _nested(50_000)
    before = export_data(demo_store)
    if place == "notes":  # not a field of meetings: not read, and the rest imports
        import_data(demo_store, document)
        return
    with pytest.raises(ValidationError) as refused:
        import_data(demo_store, document)
    named = {"topics": "“topic 1”", "participants": "“participant 1”", "sources": "“source 1”"}
    assert "Meeting 1 (" in refused.value.message and named[place] in refused.value.message
    assert export_data(demo_store) == before


@pytest.mark.faults
@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["organisations"].append("\n"),
        lambda d: d.update(format_version="1\n2"),
        lambda d: d["meetings"][0].update({"subject": ["a\nb"]}),
    ],
)
def test_a_line_break_in_a_bad_value_is_shown_escaped(
    demo_store: Store,
    demo_export: Document,
    tmp_path: Path,
    spoil: Callable[[Document], None],
) -> None:
    document = copy.deepcopy(demo_export)
    spoil(document)
    message = _refused(demo_store, tmp_path / "breaks.json", json.dumps(document))
    assert "\n" not in message and "\r" not in message


def _half_a_character_in_a_name(d: Document) -> None:
    d["people"][0]["full_name"] = "Kul-Mukhammed\ud800"


def _half_a_character_in_a_uid(d: Document) -> None:
    d["meetings"][0]["uid"] = "\udfff"


def _half_a_character_in_a_key(d: Document) -> None:
    d["settings"]["\ud800"] = "x"


def _version_as_text(d: Document) -> None:
    d["format_version"] = "1"


def _merged_into_itself(d: Document) -> None:
    d["people"][0]["merged_into"] = d["people"][0]["uid"]


def _merged_into_each_other(d: Document) -> None:
    first, second = d["people"][0], d["people"][1]
    first["merged_into"], second["merged_into"] = second["uid"], first["uid"]


def _organisations_inside_each_other(d: Document) -> None:
    first, second = d["organisations"][0], d["organisations"][1]
    first["parent"], second["parent"] = second["uid"], first["uid"]


# Files that ended in a traceback, or were taken and then hid people from every list or put
# organisations inside themselves, when imported over the data they name.
OVER_THE_DATA: dict[str, tuple[Callable[[Document], None], list[str]]] = {
    "half a character in a name": (
        _half_a_character_in_a_name,
        ["Person 1 (“Kul-Mukhammed\\ud800”)", "“full_name”", "broken character"],
    ),
    "half a character in a uid": (_half_a_character_in_a_uid, ["Meeting 1 (", "“uid”"]),
    "half a character in a key": (_half_a_character_in_a_key, ["“settings, \\ud800”"]),
    "the format version as text": (_version_as_text, ["“format_version”", "not text"]),
    "a person merged into itself": (_merged_into_itself, ["cannot be merged into"]),
    "two people merged into each other": (_merged_into_each_other, ["cannot be merged into"]),
    "organisations inside each other": (
        _organisations_inside_each_other,
        ["cannot be placed under one of its own parts"],
    ),
}


@pytest.mark.faults
@pytest.mark.parametrize("case", OVER_THE_DATA)
def test_a_hostile_file_over_the_data_is_refused_and_nothing_changes(
    demo_store: Store, demo_export: Document, tmp_path: Path, case: str
) -> None:
    spoil, expected = OVER_THE_DATA[case]
    document = copy.deepcopy(demo_export)
    spoil(document)
    text = json.dumps(document, ensure_ascii=True)  # half characters as \ud800, as JSON allows
    message = _refused(demo_store, tmp_path / "bad.json", text)
    for part in expected:
        assert part in message, message
    message.encode("utf-8")  # printable as it is
    assert demo_store.people.count(PersonFilter()) == len(demo_export["people"])
