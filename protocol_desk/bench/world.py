"""The benchmark's measures of the world reference data: what it adds to a new database, what
it costs the start, and how quickly a place is looked up."""

from __future__ import annotations

import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from protocol_desk.services.demo import load_demo
from protocol_desk.store import Store
from protocol_desk.store.places import CITIES_FILE, Places
from protocol_desk.store.schema import migrations
from protocol_desk.store.world import REFERENCE_DIR

TARGET_GROWTH_MB = 10.0
TARGET_START_GAIN_MS = 10.0
TARGET_PLACE_MS = 50.0

FIRST_WITH_REFERENCE = "0011_world_reference_data"

# The app's start to its window, the Today page's lists read, watched from inside: every file
# Python opens and every SQLite connection made (an audit hook), then each connection's list
# of databases (an ATTACH would show there). Prints what it saw as one JSON line.
WATCHED_START = """
import json, sys

opened, connected, connections = [], [], []

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.append(str(args[0]))
    elif event == "sqlite3.connect":
        connected.append(str(args[0]))
    elif event == "sqlite3.connect/handle":
        connections.append(args[0])

sys.addaudithook(hook)

from protocol_desk.app import main

def watch(window):
    from PySide6.QtCore import QTimer

    def databases():
        found = []
        for conn in list(connections):
            try:
                found += [str(row[2]) for row in conn.execute("PRAGMA database_list")]
            except Exception:  # closed, or kept by another thread
                continue
        return found

    def wait_for_today():
        if window.area("today").summary is not None and window.meetings_view.model.rowCount():
            print(json.dumps({
                "opened": opened,
                "connected": connected,
                "databases": databases(),
            }), flush=True)
            window.close()
        else:
            QTimer.singleShot(5, wait_for_today)

    QTimer.singleShot(0, wait_for_today)

sys.exit(main(["--db", sys.argv[1]], on_window=watch))
"""


def reference_reads(db: Path, env: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """The files of the reference data (``db/reference/``: countries, bodies, cities) the
    app's start on ``db`` read or attached, and all it saw (``WATCHED_START``)."""
    done = subprocess.run(
        [sys.executable, "-c", WATCHED_START, str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"the watched start ended without its figures: {done.stderr[-500:]}")
    seen: dict[str, Any] = json.loads(lines[-1])
    reference = str(REFERENCE_DIR.resolve())
    read = [
        p
        for p in [*seen["opened"], *seen["connected"], *seen["databases"]]
        if reference in p or CITIES_FILE.name in p
    ]
    return read, seen


def _size(path: Path) -> int:
    """The file's pages, its journal written back first."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = conn.execute("PRAGMA page_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    return int(count) * int(size)


def new_database_growth(folder: Path) -> tuple[int, int, float]:
    """Bytes of a new database as the version before the reference data made it and as this
    one makes it, and the seconds this one took to make it."""
    before = folder / "before.sqlite"
    conn = sqlite3.connect(before, isolation_level=None)
    migrations.apply(Database(conn), stop_before=FIRST_WITH_REFERENCE)
    conn.close()
    after = folder / "after.sqlite"
    started = time.perf_counter()
    Store.open(after).close()
    seconds = time.perf_counter() - started
    return _size(before), _size(after), seconds


def without_reference(source: Path, target: Path) -> None:
    """A copy of a database less the countries and bodies the reference data made and
    nothing points at: the same office as an earlier version kept it."""
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        for table in ("organisation", "country"):
            conn.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT row_id FROM reference_record"
                f" WHERE table_name = '{table}' AND created)"
            )


def demo_pair(folder: Path) -> tuple[Path, Path]:
    """The demo office with the reference data, and the same without it."""
    # Each in a folder of its own: a database's backups and lock files live beside it.
    (folder / "with").mkdir()
    (folder / "without").mkdir()
    with_data = folder / "with" / "demo.sqlite"
    store = Store.open(with_data)
    load_demo(store)
    store.close()
    without = folder / "without" / "demo.sqlite"
    without_reference(with_data, without)
    return with_data, without


def place_lookups(runs: int) -> dict[str, float]:
    """Median seconds of a place look-up, for a long list (one Latin letter), a Kazakh
    beginning and a former name."""
    places = Places()
    places.starting("a")  # opens the file
    found = {}
    for typed in ("a", "Нұр", "Nur-Sultan", "Ташк"):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            places.starting(typed)
            times.append(time.perf_counter() - started)
        found[typed] = statistics.median(times)
    places.close()
    return found


START_RUNS = 21  # starts with and without the reference data, at least: a median of many


def measure(
    report: Any,
    runs: int,
    start_window: Callable[[Path, Path], float] | None,
    child_env: Callable[[Path], dict[str, str]] | None = None,
) -> None:
    """Add the world's lines to the benchmark's report; ``start_window(db, home)`` times the
    app's start to a usable window on a database, ``child_env(home)`` is the environment it
    runs in (None: no window measures)."""
    report.section("world reference data (countries, bodies, cities)")
    with tempfile.TemporaryDirectory(prefix="pd-bench-world-") as name:
        folder = Path(name)
        before, after, made_s = new_database_growth(folder)
        growth_mb = (after - before) / 1e6
        mark = "✓" if growth_mb <= TARGET_GROWTH_MB else "✗"
        report.add(
            "database growth from the reference data",
            f"{growth_mb:.2f} MB",
            f"new database {before / 1e6:.2f} MB → {after / 1e6:.2f} MB",
            f"{mark} ≤ {TARGET_GROWTH_MB:g} MB",
        )
        report.add("  a new database made (every migration)", f"{made_s * 1000:.0f} ms", "once")
        report.add(
            "  cities, shipped beside the code, not in the database",
            f"{CITIES_FILE.stat().st_size / 1e6:.1f} MB",
        )
        report.figures.update(world_growth_mb=growth_mb, world_new_db_s=made_s)
        if start_window is not None:
            with_data, without = demo_pair(folder)
            home = folder / "home"
            home.mkdir()
            start_window(with_data, home)  # warm the disk cache
            start_window(without, home)
            if child_env is not None:
                read, _ = reference_reads(with_data, child_env(home))
                report.add(
                    "reference files read or attached at start (watched from inside)",
                    str(len(read)),
                    ", ".join(Path(p).name for p in read) or "db/reference/ untouched",
                    "✓ none" if not read else "✗ read at start",
                )
                report.figures.update(world_start_reads=read)
            timed_with, timed_without = [], []
            for run in range(max(runs, START_RUNS)):
                # In turns, so neither always follows the other.
                if run % 2:
                    timed_with.append(start_window(with_data, home))
                    timed_without.append(start_window(without, home))
                else:
                    timed_without.append(start_window(without, home))
                    timed_with.append(start_window(with_data, home))
            gain_ms = (statistics.median(timed_with) - statistics.median(timed_without)) * 1000
            # How much the medians move by chance: the spread of the starts themselves.
            spread_ms = (
                statistics.median(
                    abs(a - b) for a, b in zip(timed_with, timed_without, strict=True)
                )
                * 1000
            )
            mark = "✓" if gain_ms <= TARGET_START_GAIN_MS else "✗"
            report.add(
                f"start gained with the reference data (demo office, medians of {len(timed_with)})",
                f"{gain_ms:+.1f} ms",
                f"{statistics.median(timed_without):.2f} s without it;"
                f" two starts differ by {spread_ms:.0f} ms (median)",
                f"{mark} ≤ {TARGET_START_GAIN_MS:g} ms",
            )
            report.figures.update(
                world_start_gain_ms=gain_ms,
                world_start_runs=len(timed_with),
                world_start_spread_ms=spread_ms,
            )
    for typed, seconds in place_lookups(max(runs, 5)).items():
        mark = "✓" if seconds * 1000 <= TARGET_PLACE_MS else "✗"
        report.add(
            f"place suggestions for “{typed}”",
            f"{seconds * 1000:.2f} ms",
            "12 cities, largest first",
            f"{mark} ≤ {TARGET_PLACE_MS:g} ms",
        )
        report.figures[f"place_ms_{typed}"] = seconds * 1000
