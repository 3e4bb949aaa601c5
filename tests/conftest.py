"""Shared fixtures: a fresh database per test, the demo database, Qt headless."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

# Before anything imports Qt: render offscreen unless a real display was asked for.
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.models import Anniversary, AnniversaryKind, Country
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


@pytest.fixture(autouse=True)
def _officer_discards_on_close(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Editors left changed when a test ends are closed without saving (the officer's answer
    to "Save changes?" is Discard), and the window's remembered settings start afresh."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from protocol_desk.ui.record_editor import RecordEditor

    monkeypatch.setattr(
        RecordEditor, "ask_unsaved", lambda _editor: QMessageBox.StandardButton.Discard
    )
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English, whatever this machine's language; a test that asks for
    another language (``--lang``, a locale variable) leaves nothing behind."""
    import argparse

    from protocol_desk import i18n
    from protocol_desk.domain.language import LOCALE_VARIABLES, Language

    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    words = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    yield
    i18n.install(Language.ENGLISH)
    argparse._, argparse.ngettext = words  # type: ignore[attr-defined]


def pytest_sessionstart(session: pytest.Session) -> None:
    """The catalogs compiled when their text changed (as the set-up script does), so a run
    of pytest alone tests the translations as they are written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from protocol_desk.i18n import LOCALE_DIR

    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog)


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


def _add_many_anniversaries(store: Store, count: int, seed: int) -> None:
    """Anniversaries all over the year: known and unknown base years, 29 February, bases in
    the future, two countries and several kinds."""
    rng = random.Random(seed)
    with store.transaction():
        countries = [
            store.countries.save(Country(name="Қазақстан", iso_code="KZ")).id,
            store.countries.save(Country(name="Беларусь", iso_code="BY")).id,
        ]
        for number in range(count):
            year = rng.choice([1950, 1992, 1996, 2000, 2020, 2030])
            month = rng.randint(1, 12)
            day = 29 if month == 2 and rng.random() < 0.2 else rng.randint(1, 28)
            if (month, day) == (2, 29):
                year = rng.choice([1992, 1996, 2000, 2020])
            base: date | MonthDay = (
                MonthDay(month, day) if rng.random() < 0.15 else date(year, month, day)
            )
            store.anniversaries.save(
                Anniversary(
                    kind=rng.choice([AnniversaryKind.CUSTOM, AnniversaryKind.FOUNDING]),
                    title=f"Anniversary {number}",
                    base_date=base,
                    country_id=rng.choice(countries),
                )
            )


@pytest.fixture
def add_many_anniversaries() -> Callable[[Store, int, int], None]:
    return _add_many_anniversaries


# --- the office server: a private PostgreSQL for the tests that share between desks ----------


@pytest.fixture(scope="session")
def office_cluster() -> Iterator[Any]:
    """One private PostgreSQL server for the session (its own folder and socket, in /tmp
    where the ``postgres`` user can reach it). A test that needs it fails, loudly, when it
    cannot start."""
    import shutil
    import tempfile

    from pg_office import PrivateServer

    folder = Path(tempfile.mkdtemp(prefix="pd-postgres-"))
    server = PrivateServer(folder)
    try:
        server.start()
    except Exception as error:  # fail every test that needs it, with the reason
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"The private PostgreSQL server could not start: {error}", pytrace=False)
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def office_dsn(office_cluster: Any) -> str:
    """A fresh, set-up office database for this test; its connection string (trust log-in
    as the server's superuser over the private socket)."""
    from protocol_desk.services.office import server_init

    dsn = office_cluster.fresh_database()
    server_init(dsn)
    return str(dsn)


@pytest.fixture(autouse=True)
def _memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[tuple[str, str], str]]:
    """Passwords go to a keyring in memory, never the machine's."""
    import keyring
    from pg_office import MemoryKeyring

    backend = MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend.passwords
    keyring.set_keyring(before)
