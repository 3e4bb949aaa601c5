"""The command line's data commands, run as a user would run them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from protocol_desk.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "protocol_desk", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_init_demo_then_export_holds_the_seed_facts(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    out = tmp_path / "out.json"
    assert run("--db", str(db), "init", "--demo").returncode == 0
    result = run("--db", str(db), "export", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    people = {p["full_name"]: p for p in data["people"]}
    assert {
        "Mukhtar Kul-Mukhammed",
        "Sergey Rachkov",
        "Roman Vassilenko",
        "Peter De Roover",
        "Maulen Ashimbayev",
        "Erol Kaya",
        "Yerlan Koshanov",
        "Alexander Lukashenko",
        "Igor Sergeyenko",
    } <= set(people)
    assert "Igor Segeenko" in [v["name"] for v in people["Igor Sergeyenko"]["variants"]]
    belarus = next(c for c in data["countries"] if c["name"] == "Belarus")
    assert belarus["relations_established"] == "1992-09-16"
    june = [m for m in data["meetings"] if m["date"] == "2022-06-06"]
    assert len(june) == 1 and len(june[0]["sources"]) == 2
    assert any(
        "30th anniversary" in a["text"] and a["due"] == "2022-09-16" for a in data["actions"]
    )


def test_search_json(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    result = run("--db", db, "search", "Segeenko", "--json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    # His talks by his name; the two other talks of that day by the release they share.
    assert [(r["date"], r["found_in_source"]) for r in rows if "Sergeyenko" in r["subject"]] == [
        ("2026-02-06", False)
    ]
    assert [r["found_in_source"] for r in rows if "Sergeyenko" not in r["subject"]] == [
        True,
        True,
    ]
    assert {"id", "date", "subject"} <= set(rows[0])


@pytest.mark.parametrize("text", ['"', "AND", "-", "*", "NEAR(", "a OR", "'; DROP TABLE meeting;"])
def test_search_never_fails_on_odd_input(tmp_path: Path, text: str) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    assert main(["--db", db, "search", text, "--json"]) == 0


def test_bad_import_exits_non_zero_with_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    before = tmp_path / "before.json"
    assert main(["--db", db, "export", str(before)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "protocol-desk", "format_version": 1, "meetings": [{"uid": "x"}]}')
    for path in (str(bad), str(tmp_path / "missing.json")):
        result = run("--db", db, "import", path)
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    after = tmp_path / "after.json"
    assert main(["--db", db, "export", str(after)]) == 0
    assert before.read_text() == after.read_text()


def test_import_refuses_a_database_another_writer_holds(tmp_path: Path) -> None:
    from protocol_desk.services.safety import open_for_editing

    db = tmp_path / "x.sqlite"
    assert main(["--db", str(db), "init", "--demo"]) == 0
    export = tmp_path / "e.json"
    assert main(["--db", str(db), "export", str(export)]) == 0
    window = open_for_editing(db, automatic_backup=False).store  # as the window holds it
    try:
        result = run("--db", str(db), "import", str(export))
    finally:
        window.close()
    assert result.returncode == 1
    assert "in use by" in result.stderr
    assert run("--db", str(db), "import", str(export)).returncode == 0


@pytest.mark.parametrize("limit", ["0", "-1", str(10**21), "1" * 5000, "many"])
def test_search_limit_out_of_bounds_is_one_line(tmp_path: Path, limit: str) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    result = run("--db", db, "search", "Belarus", "--limit", limit)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith(
        "argument --limit: expected a whole number of meetings from 1 to 100,000, not “"
        f"{limit[:40]}”"
    )


def test_search_limit_in_bounds_limits(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    for limit, expected in (("1", 1), ("100000", 4)):
        result = run("--db", db, "search", "Belarus", "--limit", limit, "--json")
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)) == expected


def test_briefing_days_out_of_bounds_is_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    pdf = tmp_path / "b.pdf"
    result = run("--db", db, "brief", "--country", "Belarus", "--days", str(10**23), "-o", str(pdf))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "expected a whole number of days from 0 to 3,660" in result.stderr
    assert not pdf.exists()


def test_import_of_a_hostile_file_is_one_line_naming_record_and_field(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    exported = tmp_path / "out.json"
    assert main(["--db", db, "export", str(exported)]) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["meetings"][1]["topics"] = "trade"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = run("--db", db, "import", str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "Meeting 2 (" in line and "“topics”: must be a list of texts, not text" in line


def test_an_argument_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "office.sqlite"
    assert run("--db", str(db), "init").returncode == 0
    # Bytes that are not UTF-8 (a name typed in another code page) reach Python as surrogates.
    done = subprocess.run(
        [sys.executable, "-m", "protocol_desk", "--db", str(db), "search", b"Bel\xffarus"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "python -m protocol_desk: “Bel\\udcffarus” is not text in UTF-8."
    ]
