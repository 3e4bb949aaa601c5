"""Shared fixtures: a fresh database per test, the demo database, Qt headless."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt: render offscreen unless a real display was asked for.
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from protocol_desk.services.demo import load_demo
from protocol_desk.store import Store


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logs, settings and default databases go to a temporary folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PROTOCOL_DESK_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty database with every migration applied."""
    opened = Store.open(":memory:")
    yield opened
    opened.close()


@pytest.fixture
def demo_store() -> Iterator[Store]:
    opened = Store.open(":memory:")
    load_demo(opened)
    yield opened
    opened.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.sqlite"


@pytest.fixture
def demo_file(db_path: Path) -> Path:
    """A database file holding the demo data, closed."""
    store = Store.open(db_path)
    load_demo(store)
    store.close()
    return db_path
