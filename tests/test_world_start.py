"""The reference data is not read at start: opening an office's database and its window, the
Today page's lists read too, opens none of the files in ``db/reference/`` (countries, bodies,
the cities file) and attaches no other database (``bench.world.WATCHED_START`` watches the
start from inside a fresh interpreter)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from protocol_desk.bench.world import reference_reads
from protocol_desk.services.demo import load_demo
from protocol_desk.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """The demo office as a desk keeps it: made (and its reference data loaded) before."""
    path = tmp_path / "office" / "demo.sqlite"
    path.parent.mkdir()
    store = Store.open(path)
    load_demo(store)
    store.close()
    return path


def test_the_start_reads_no_reference_data(office: Path, tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PROTOCOL_DESK_HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    read, seen = reference_reads(office, env)
    # The watch saw the start: the office's own file was connected to and open at the end,
    # and Python's reads of the code itself were seen.
    assert any(Path(c).name == office.name for c in seen["connected"]), seen["connected"]
    assert any(Path(d).name == office.name for d in seen["databases"]), seen["databases"]
    assert any(p.endswith(".py") or p.endswith(".pyc") for p in seen["opened"])
    assert read == []
