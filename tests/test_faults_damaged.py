"""Damaged and strange files of many kinds: each is refused in one sentence, never with a
traceback; a damaged one is kept aside byte for byte, anything else is left exactly as it is,
and no file is ever replaced by an empty database."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from protocol_desk.cli import main
from protocol_desk.domain.safety import DamagedDatabaseError, ForeignFileError, NewerSchemaError
from protocol_desk.services.demo import load_demo
from protocol_desk.services.safety import health_problem, open_for_editing
from protocol_desk.store import Store
from protocol_desk.store.lock import lock_path
from tests.faults import page_of, random_bytes, report, zero_page

pytestmark = pytest.mark.faults


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _cut_mid_page(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1000])


def _zeroed_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


def _zeroed_table_page(path: Path) -> None:
    zero_page(path, *page_of(path, "meeting"))


def _zeroed_index_page(path: Path) -> None:
    conn = sqlite3.connect(path)
    index = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'meeting' "
        "AND sql IS NOT NULL ORDER BY name LIMIT 1"
    ).fetchone()[0]
    conn.close()
    zero_page(path, *page_of(path, index))


def _random(path: Path) -> None:
    path.write_bytes(random_bytes(path.stat().st_size))


def _text(path: Path) -> None:
    path.write_text("Протокол: встреча с делегацией\n" * 100, encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _wal_garbage(path: Path) -> None:
    Path(f"{path}-wal").write_bytes(random_bytes(50_000, seed=3))


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "SELECT migration_set, '9999_from_the_future', applied_at FROM _sqlite_migrations "
        "LIMIT 1"
    )
    conn.commit()
    conn.close()


def _foreign_app(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('Менің Қазақстаным')")
    conn.commit()
    conn.close()


def _bad_page_size(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[16:18] = (3).to_bytes(2, "big")  # not a power of two
    path.write_bytes(bytes(data))


# kind: (how the file is spoiled, what opening for editing says)
KINDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (_truncated, "damaged"),
    "cut mid-page": (_cut_mid_page, "damaged"),
    "zeroed header": (_zeroed_header, "foreign"),
    "zeroed page in the meetings table": (_zeroed_table_page, "found later"),
    "zeroed page in an index": (_zeroed_index_page, "found later"),
    "random bytes": (_random, "foreign"),
    "not SQLite (text)": (_text, "foreign"),
    "empty file": (_empty, "damaged"),
    "WAL garbage": (_wal_garbage, "sound"),
    "newer version": (_newer, "newer"),
    "foreign SQLite app": (_foreign_app, "foreign"),
    "bad page size": (_bad_page_size, "damaged"),
}
OUTCOMES: dict[str, type[BaseException]] = {
    "damaged": DamagedDatabaseError,
    "foreign": ForeignFileError,
    "newer": NewerSchemaError,
}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "office.sqlite"
    store = Store.open(path)
    load_demo(store)
    store.close()
    return path


def _spoiled(template: Path, folder: Path, kind: str) -> Path:
    path = folder / "office.sqlite"
    shutil.copy(template, path)
    KINDS[kind][0](path)
    return path


def _still_there(path: Path, content: bytes) -> bool:
    """The file's bytes are at its place, or kept aside under a .damaged- name."""
    if path.exists() and path.read_bytes() == content:
        return True
    return any(p.read_bytes() == content for p in path.parent.iterdir() if ".damaged-" in p.name)


RESULTS: dict[str, bool] = {}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_damage_is_refused_in_one_sentence(
    kind: str,
    demo_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _spoiled(demo_template, tmp_path, kind)
    content = path.read_bytes()
    expected = KINDS[kind][1]
    # The command line first: a reader moves nothing.
    code = main(["--db", str(path), "search", "Belarus"])
    said = capsys.readouterr()
    assert "Traceback" not in said.err
    if expected == "sound":
        assert code == 0 and "Belarus" in said.out
    else:
        assert code == 1 and said.err.count("\n") == 1, said.err
    assert path.read_bytes() == content
    # Then the start of the window.
    if expected in OUTCOMES:
        with pytest.raises(OUTCOMES[expected]) as raised:
            open_for_editing(path, automatic_backup=False)
        assert "\n" not in raised.value.message
        if expected == "damaged":
            assert raised.value.kept_at is not None and not path.exists()  # type: ignore[attr-defined]
    else:
        opened = open_for_editing(path, automatic_backup=False)
        count = len(opened.store.meetings.all_ids()) if expected == "sound" else None
        opened.store.close()
        if expected == "sound":
            assert count == 6
        else:  # the health check the window runs once it is up finds it
            problem = health_problem(path)
            assert problem is not None and problem.kept_at is None
    assert not lock_path(path).exists()
    assert _still_there(path, content) or kind == "WAL garbage"
    assert not path.exists() or path.stat().st_size > 0 or kind == "empty file"
    RESULTS[kind] = True


def test_the_kinds_of_damage_all_ran() -> None:
    """Reports the figures of the run above (it runs after it, in file order)."""
    report("damaged files of 12 kinds", len(KINDS), len(KINDS) - len(RESULTS), 0)
    assert set(RESULTS) == set(KINDS)


class Answers:
    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str, list[str]]] = []

    def __call__(
        self, kind: str, title: str, text: str, details: str, choices: Sequence[str]
    ) -> str | None:
        self.asked.append((kind, text, list(choices)))
        return self.answers.pop(0) if self.answers else None


@pytest.mark.gui
def test_a_zeroed_page_in_the_meetings_is_handled_at_the_first_start(
    qtbot: Any, demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protocol_desk import app
    from protocol_desk.ui import opening

    path = _spoiled(demo_template, tmp_path, "zeroed page in the meetings table")
    content = path.read_bytes()
    answers = Answers("Quit")
    monkeypatch.setattr(opening, "ask_with_message_box", answers)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert app.main(["--db", str(path)]) == 1
    assert [kind for kind, _, _ in answers.asked] == ["damaged"]
    assert "malformed" in answers.asked[0][1]
    assert not lock_path(path).exists()  # no stale lock for the next start
    kept = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and "-wal" not in p.name]
    assert [p.read_bytes() for p in kept if not p.name.endswith("-shm")] == [content]


@pytest.mark.faults
def test_the_command_line_says_it_in_one_line(tmp_path: Path) -> None:
    """Run as the officer runs it (no test's log capture): the damage is one line on stderr,
    not that line and the store's log record before it."""
    path = tmp_path / "office.sqlite"
    store = Store.open(path)
    load_demo(store)
    store.close()
    _zeroed_table_page(path)
    done = subprocess.run(
        [sys.executable, "-m", "protocol_desk", "--db", str(path), "search", "Belarus"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0], done.stderr
