"""``brief`` on the command line, run as a user would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

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


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    db = str(tmp_path / "office.sqlite")
    assert main(["--db", db, "init", "--demo"]) == 0
    return db


def test_brief_on_belarus_as_the_issue_asks(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    result = run(
        "--db", demo_db, "brief", "--country", "Belarus", "--as-of", "2022-09-01", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "b.pdf" in result.stdout
    text = text_of(out)
    for expected in (
        "Rachkov",
        "Kul-Mukhammed",
        "6 June 2022",
        "Consider holding a meeting of the Interparliamentary Commission",
        "30th anniversary",
        "16 September 2022",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--country", "by", "Belarus"),
        ("--person", "Sergei Rachkov", "Sergey Rachkov"),
        ("--person", "Segeenko", "Igor Sergeyenko"),
        ("--organisation", "TurkPA", "TurkPA"),
        ("--delegation", "2", "Koshanov"),
        ("--meeting", "1", "Rachkov"),
    ],
)
def test_any_subject_kind(
    demo_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: str,
    value: str,
    expected: str,
) -> None:
    out = tmp_path / "note.pdf"
    code = main(["--db", demo_db, "brief", option, value, "--as-of", "01.01.2026", "-o", str(out)])
    assert code == 0
    assert expected in text_of(out)
    assert "note.pdf" in capsys.readouterr().out


def test_options_reach_the_pdf(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    code = main(
        [
            "--db",
            demo_db,
            "brief",
            "--country",
            "Belarus",
            "--as-of",
            "2022-09-01",
            "--days",
            "10",
            "--marking",
            "RESTRICTED",
            "--page-size",
            "Letter",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    text = text_of(out)
    assert "RESTRICTED" in text and "FOR OFFICIAL USE" not in text
    # Ten days ahead of 1 September does not reach the jubilee on the 16th.
    assert "Talking points" in text and "Mark the 30th" not in text
    assert round(float(PdfReader(out).pages[0].mediabox.width)) == 612


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "Narnia"], "No country matches “Narnia”."),
        (["--person", "Nobody Atall"], "No person matches “Nobody Atall”."),
        (["--meeting", "999"], "does not exist"),
        (["--delegation", "abc"], "by its number"),
    ],
)
def test_unknown_subject_is_one_clear_line(
    demo_db: str, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.pdf"
    result = run("--db", demo_db, "brief", *args, "-o", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert not out.exists()


def test_a_subject_is_required(demo_db: str, tmp_path: Path) -> None:
    result = run("--db", demo_db, "brief", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode != 0
    assert "one of the arguments" in result.stderr


def test_starting_the_app_does_not_load_reportlab() -> None:
    code = (
        "import sys\n"
        "import protocol_desk.ui.main_window, protocol_desk.ui.briefing_dialog\n"
        "from protocol_desk.cli import build_parser\n"
        "build_parser()\n"
        "print(sorted(m for m in sys.modules if m.startswith('reportlab')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
