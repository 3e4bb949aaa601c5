"""The benchmark runs end to end on a small generated office and prints every measure (the
figures themselves are not judged here: speed belongs to the benchmark, not to the tests)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from protocol_desk.bench.__main__ import main
from protocol_desk.bench.generate import generate
from protocol_desk.bench.run import Benchmark, Report, verdict

TODAY = date(2024, 3, 15)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "office.sqlite"
    generate(path, 600, seed=5, today=TODAY)
    return path


def test_queries_measured_next_to_baselines(office: Path) -> None:
    bench = Benchmark(office, runs=1, as_of=TODAY)
    try:
        report = bench.run(skip_gui=True)
    finally:
        bench.close()
    text = report.render()
    assert "600 meetings" in text.splitlines()[1]
    for measure in (
        "rare word",
        "common word",
        "two-letter prefix",
        "slowest keystroke",
        "sorted by country",
        "filter: an organisation",
        "upcoming anniversaries for a year",
        "overdue actions",
        "briefing PDF",
    ):
        assert measure in text, measure
    assert "raw FTS5" in text
    figures = report.figures
    assert figures["search:cooperation"]["found"] > 0
    assert figures["search:cooperation"]["page_rows"] > 0
    assert figures["upcoming_s"] > 0
    assert figures["upcoming_part_s"] > 0 and figures["upcoming_all_s"] > 0
    assert figures["upcoming_summary_s"] > 0
    assert "read as the list scrolls into a new month" in text
    assert figures.get("briefing_pages", 0) >= 1


def test_window_start_and_memory_are_measured_in_child_processes(office: Path) -> None:
    bench = Benchmark(office, runs=1, as_of=TODAY)
    try:
        bench.start_up()
        bench.memory()
        bench.upcoming_scrolled()
    finally:
        bench.close()
    text = bench.report.render()
    assert "start to usable window" in text
    assert "bare PySide6 window" in text
    assert "reportlab imported at start" in text
    assert bench.report.figures["start_ratio"] > 0
    assert "a minimal window with a table of 200 meetings" in text
    assert bench.report.figures["table_window_s"] > 0
    # Today's lists are read once the window is painted, and timed too.
    assert "the Today page's lists shown too" in text
    assert bench.report.figures["today_s"] > bench.report.figures["start_s"]
    assert bench.report.figures["memory_mb"] > 0
    assert "list scrolled to the end (600 rows)" in text
    # The first page comes with the window; the rest arrive as the list is scrolled.
    assert "scrolling to the end: 2 pages" in text and "longest pause" in text
    assert bench.report.figures["scroll_worst_ms"] > 0
    assert "next 90 days scrolled to the end (" in text
    assert bench.report.figures["upcoming_scroll_worst_ms"] > 0


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "small.sqlite"
    assert main(["generate", "--db", str(path), "--meetings", "120", "--seed", "2"]) == 0
    assert "Generated" in capsys.readouterr().out
    figures = tmp_path / "figures.json"
    assert main(["run", "--db", str(path), "--runs", "1", "--no-gui", "--json", str(figures)]) == 0
    out = capsys.readouterr().out
    assert "Protocol Desk benchmark" in out and "median" in out
    assert figures.read_text().startswith("{")
    # Generating over an existing file is refused with a message, not a traceback.
    assert main(["generate", "--db", str(path), "--meetings", "10"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_verdicts_and_table() -> None:
    assert verdict(40, 50, 1.0, " ms").startswith("✓")
    assert verdict(60, 50, 1.0, " ms").startswith("✗")
    assert verdict(90, 50, 2.0, " ms") == "✓ ≤ 100 ms (2× 50 ms)"
    report = Report("title")
    report.section("part")
    report.add("a measure", "1.0 ms", "baseline 0.5 ms", "✓")
    lines = report.render().splitlines()
    assert lines[0] == "title"
    assert any(line.startswith("— part") for line in lines)
    assert any("a measure" in line and "baseline 0.5 ms" in line for line in lines)


def test_a_crashing_measurement_is_reported_not_raised(tmp_path: Path) -> None:
    from protocol_desk.bench import run

    with pytest.raises(run.ChildFailed) as caught:
        run._spawn(
            "import sys; sys.stderr.write('Fatal Python error: boom\\n'); sys.exit(3)", [], tmp_path
        )
    assert caught.value.reason == "Fatal Python error: boom"
    bench = Benchmark.__new__(Benchmark)
    bench.report = Report("title")
    bench._failed("start to usable window", caught.value)
    text = bench.report.render()
    assert "failed" in text and "Fatal Python error: boom" in text
