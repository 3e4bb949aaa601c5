"""A full disk and a read-only disk (a real 8 MB tmpfs): a sound database is never called damaged,
moved or replaced; each failure is one plain sentence and changes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest

from protocol_desk.cli import main
from protocol_desk.domain.models import Meeting
from protocol_desk.services.demo import load_demo
from protocol_desk.services.exchange import export_file
from protocol_desk.services.meetings import MeetingService
from protocol_desk.services.safety import open_for_editing
from protocol_desk.store import Store
from protocol_desk.ui.opening import OPEN_READ_ONLY, QUIT, open_database_interactively
from tests.faults import fill, remount, report, small_disk

pytestmark = pytest.mark.faults


@pytest.fixture
def disk() -> Iterator[Path]:
    with small_disk("8m") as folder:
        yield folder


def _demo(path: Path) -> Path:
    store = Store.open(path)
    load_demo(store)
    store.close()
    return path


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _meetings(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM meeting").fetchone()[0])
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


class Officer:
    """Stands in for the officer at the start's questions: answers, and remembers them."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str, Sequence[str]]] = []

    def __call__(
        self, kind: str, title: str, text: str, details: str, choices: Sequence[str]
    ) -> str | None:
        self.asked.append((kind, text, list(choices)))
        return self.answer if self.answer in choices else choices[-1]


def test_a_full_disk_at_open_is_said_plainly_and_nothing_is_moved(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _demo(disk / "office.sqlite")
    content = db.read_bytes()
    filler = fill(disk)
    for command in (["search", "Belarus"], ["export", str(disk.parent / "x.json")], ["init"]):
        assert main(["--db", str(db), *command]) == 1
        said = capsys.readouterr().err
        assert "is full: free some space and try again" in said, said
        assert "damaged" not in said and said.count("\n") == 1
    officer = Officer(QUIT)
    assert open_database_interactively(db, officer) is None
    assert [kind for kind, _, _ in officer.asked] == ["storage"]
    assert "is full" in officer.asked[0][1]
    assert not [n for n in _names(disk) if "damaged" in n]
    assert db.read_bytes() == content
    filler.unlink()
    assert main(["--db", str(db), "search", "Belarus"]) == 0
    found = capsys.readouterr().out
    assert "No meetings found" not in found and "Belarus" in found
    report("full disk at open (CLI and window)", 4, 0, 0)


def test_a_read_only_disk_opens_read_only(disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _demo(disk / "office.sqlite")
    before = _names(disk)
    remount(disk, "ro")
    officer = Officer(OPEN_READ_ONLY)
    store = open_database_interactively(db, officer)
    assert store is not None and store.readonly
    assert len(store.meetings.all_ids()) == 6
    store.close()
    assert [kind for kind, _, _ in officer.asked] == ["readOnly"]
    assert main(["--db", str(db), "search", "Belarus"]) == 0
    assert "Belarus" in capsys.readouterr().out
    assert main(["--db", str(db), "check"]) == 0
    assert "Integrity: ok." in capsys.readouterr().out
    assert main(["--db", str(db), "import", str(db)]) == 1
    said = capsys.readouterr().err
    assert "read-only" in said and said.count("\n") == 1
    assert main(["--db", str(db), "backup"]) == 1
    said = capsys.readouterr().err
    assert "damaged" not in said and said.count("\n") == 1
    remount(disk, "rw")
    assert _names(disk) == before
    report("read-only disk (window and CLI)", 5, 0, 0)


def test_a_full_disk_during_writes_changes_nothing(disk: Path) -> None:
    from protocol_desk.domain.safety import StorageError

    db = _demo(disk / "office.sqlite")
    opened = open_for_editing(db, automatic_backup=False)
    service = MeetingService(opened.store)
    count = len(opened.store.meetings.all_ids())
    filler = fill(disk, leave=64 * 1024)
    tried = failures = 0
    for size in (10_000, 100_000, 300_000, 1_000_000):
        tried += 1
        try:
            service.save(Meeting(date=date(2026, 5, 5), subject="Big", summary="ж" * size))
        except StorageError as error:
            if error.kind != "full" or "is full" not in error.message:
                failures += 1
        else:
            count += 1  # it fitted: it must be there afterwards
    opened.store.close()
    filler.unlink()
    assert _integrity(db) == "ok"
    lost = max(0, count - _meetings(db))
    report("full disk during writes", tried, failures, lost)
    assert (failures, lost) == (0, 0)
    assert _meetings(db) == count


def test_a_full_disk_during_import_backup_and_export(
    disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _demo(tmp_path / "demo.sqlite")
    document = tmp_path / "demo.json"
    store = Store.open(source)
    export_file(store, document)
    store.close()
    db = disk / "office.sqlite"
    assert main(["--db", str(db), "init"]) == 0
    failures = 0
    filler = fill(disk, leave=160 * 1024)  # room to open, not to take in the records
    assert main(["--db", str(db), "import", str(document)]) == 1
    failures += "is full" not in capsys.readouterr().err
    assert _meetings(db) == 0
    filler.unlink()
    assert main(["--db", str(db), "import", str(document)]) == 0
    filler = fill(disk, leave=160 * 1024)
    assert main(["--db", str(db), "backup"]) == 1
    failures += "is full" not in capsys.readouterr().err
    leftovers = [p.name for p in (disk / "backups").iterdir()]
    assert leftovers == []  # no half copy, no journal of one
    filler = fill(disk)
    assert main(["--db", str(source), "export", str(disk / "export.json")]) == 1
    failures += "is full" not in capsys.readouterr().err
    assert not [n for n in _names(disk) if "export" in n]
    filler.unlink()
    assert _integrity(db) == "ok" and _meetings(db) == 6
    report("full disk during import, backup, export", 3, failures, 0)
    assert failures == 0
