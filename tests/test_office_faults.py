"""Office sharing when things break: the server killed mid-push and mid-pull, the answer to a
push lost, a desk killed mid-pull. Nothing acknowledged is lost; the next sync completes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from protocol_desk.domain.models import Person
from protocol_desk.services import office, office_join
from protocol_desk.services.demo import load_demo
from protocol_desk.services.exchange import export_data
from protocol_desk.store import Store
from protocol_desk.store.office_server import OfficeError, OfficeServer, Outgoing

pytestmark = [pytest.mark.office, pytest.mark.faults]


def exported(store: Store) -> str:
    return json.dumps(export_data(store), ensure_ascii=False, sort_keys=True)


@pytest.fixture
def two_desks(tmp_path: Path, office_dsn: str) -> Iterator[tuple[Store, Store]]:
    first = Store.open(tmp_path / "first.sqlite")
    second = Store.open(tmp_path / "second.sqlite")
    office.connect_desk(first, office_dsn)
    office.connect_desk(second, office_dsn)
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def server(office_cluster: Any) -> Iterator[Any]:
    """The session's server, started again after a test killed it."""
    yield office_cluster
    if not (office_cluster.data / "postmaster.pid").exists():
        office_cluster.restart_after_kill()


def add_people(store: Store, count: int, prefix: str) -> None:
    with store.transaction():
        for n in range(count):
            store.people.save(Person(full_name=f"{prefix} {n}"))


def test_the_server_killed_mid_push(
    two_desks: tuple[Store, Store], server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_desks
    add_people(first, 5, "Acknowledged")
    assert office.sync(first).pushed == 5
    add_people(first, 40, "Interrupted")
    pushing = OfficeServer.push

    def killed_halfway(self: OfficeServer, outgoing: Sequence[Outgoing], desk: str = "") -> Any:
        class Killing(list[Outgoing]):
            def __iter__(inner) -> Iterator[Outgoing]:
                for n, item in enumerate(list.__iter__(inner)):
                    if n == 20:
                        server.kill()
                    yield item

        return pushing(self, Killing(outgoing), desk)

    monkeypatch.setattr(OfficeServer, "push", killed_halfway)
    with pytest.raises(OfficeError):
        office.sync(first)
    assert first.outbox.waiting() == 40  # nothing taken as sent
    monkeypatch.setattr(OfficeServer, "push", pushing)
    server.restart_after_kill()
    outcome = office.sync(first)
    assert (outcome.pushed, outcome.conflicts) == (40, 0)
    assert office.sync(second).pulled == 45
    assert exported(first) == exported(second)


def test_the_answer_to_a_push_lost(
    two_desks: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_desks
    add_people(first, 10, "Sent")
    pushing = OfficeServer.push

    def answer_lost(self: OfficeServer, outgoing: Sequence[Outgoing], desk: str = "") -> Any:
        pushing(self, outgoing, desk)  # committed at the office...
        raise OfficeError("The office server is not answering (offline?)")  # ...never told

    monkeypatch.setattr(OfficeServer, "push", answer_lost)
    with pytest.raises(OfficeError):
        office.sync(first)
    monkeypatch.setattr(OfficeServer, "push", pushing)
    outcome = office.sync(first)
    assert outcome.conflicts == 0 and first.outbox.waiting() == 0
    assert office.sync(second).pulled == 10
    assert exported(first) == exported(second)


def catching_up(second: Store) -> None:
    """A desk with data of its own pulls record by record, not as a new desk joining."""
    with second.transaction():
        second.people.save(Person(full_name="Бақытжан Сағынтаев"))


def test_the_server_killed_mid_pull(
    two_desks: tuple[Store, Store], server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_desks
    load_demo(first)
    pushed = office.sync(first).pushed
    catching_up(second)
    reading = OfficeServer.changes_after

    def killed_after_one_batch(self: OfficeServer, seq: int, batch: int = 5) -> Any:
        for n, records in enumerate(reading(self, seq, 5)):
            if n == 1:
                server.kill()
            yield records

    monkeypatch.setattr(OfficeServer, "changes_after", killed_after_one_batch)
    with pytest.raises(OfficeError):
        office.sync(second)
    assert second.meetings.all_ids() == [] and second.outbox.state("last_seq") is None
    monkeypatch.setattr(OfficeServer, "changes_after", reading)
    server.restart_after_kill()
    assert office.sync(second).pulled == pushed
    office.sync(first)
    assert exported(first) == exported(second)


def test_the_server_killed_while_a_new_desk_joins(
    two_desks: tuple[Store, Store], server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_desks
    load_demo(first)
    pushed = office.sync(first).pushed
    monkeypatch.setattr(office_join, "_PAGE", 5)
    everything = OfficeServer.everything

    def killed_after_one_page(self: OfficeServer, *args: Any, **kwargs: Any) -> Any:
        total, listed, pages = everything(self, *args, **kwargs)

        def killing() -> Iterator[Any]:
            for n, page in enumerate(pages):
                if n == 1:
                    server.kill()
                yield page

        return total, listed, killing()

    monkeypatch.setattr(OfficeServer, "everything", killed_after_one_page)
    with pytest.raises(OfficeError):
        office.sync(second)
    assert second.is_empty() and second.outbox.state("last_seq") is None
    monkeypatch.setattr(OfficeServer, "everything", everything)
    server.restart_after_kill()
    assert office.sync(second).pulled == pushed
    office.sync(first)
    assert exported(first) == exported(second)


KILL_MID_PULL = """
import os, signal, sys
from protocol_desk.services import exchange, office
from protocol_desk.store import Store

importing = exchange.import_records

def die_after_writing(store, records, **how):
    importing(store, records, **how)
    os.kill(os.getpid(), signal.SIGKILL)  # the desk dies inside the pull's transaction

exchange.import_records = die_after_writing
office.sync(Store.open(sys.argv[1]))
"""


@pytest.mark.parametrize("joining", [True, False], ids=["joining", "catching-up"])
def test_a_desk_killed_mid_pull_stays_consistent_and_resumes(
    two_desks: tuple[Store, Store], tmp_path: Path, joining: bool
) -> None:
    first, second = two_desks
    load_demo(first)
    pushed = office.sync(first).pushed
    if not joining:
        catching_up(second)
    path = tmp_path / "second.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", KILL_MID_PULL, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert done.returncode == -9, done.stderr
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM meeting").fetchone()[0] == 0
        assert check.execute("SELECT count(*) FROM sync_base").fetchone()[0] == 0
    assert second.outbox.state("last_seq") is None
    assert office.sync(second).pulled == pushed
    office.sync(first)
    assert exported(first) == exported(second)
