"""The office sync's figures: 1,000 changed records pushed, the same pulled by another desk,
the window's longest pause while each runs beside it, and a sync with nothing to do, against
a real PostgreSQL."""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from protocol_desk.domain.models import (
    AgreedAction,
    Anniversary,
    Country,
    Meeting,
    Organisation,
    Participant,
    Person,
    Side,
    Source,
)
from protocol_desk.services import office
from protocol_desk.store import Store


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _log_meetings(store: Store, count: int, people: list[int], start: int) -> None:
    with store.transaction():
        for n in range(start, start + count):
            store.meetings.save(
                Meeting(
                    date=date(2020, 1, 1) + timedelta(days=n % 1500),
                    subject=f"Кездесу {n}: Қазақстан мен Беларусь ынтымақтастығы",
                    summary="Тараптар парламентаралық ынтымақтастықты талқылады. " * 3,
                    city="Астана",
                    participants=[
                        Participant(person_id=people[n % len(people)], side=Side.OURS),
                        Participant(person_id=people[(n + 7) % len(people)]),
                    ],
                    sources=[Source(publisher="Press service", url=f"https://example.kz/{n}")],
                    actions=[AgreedAction(text=f"Әрекет {n}")],
                )
            )


def _longest_pause(work: Callable[[], object]) -> tuple[float, float, float]:
    """Run ``work`` beside a window's event loop, as the window runs a sync: (seconds it
    took, the longest the loop went without a 5 ms heartbeat, the process's CPU seconds
    meanwhile: on a machine shared with other work, the time taken says little alone)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from protocol_desk.ui.background import run_beside

    app = QApplication.instance() or QApplication([])
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    outcome: list[object] = []
    loop = QEventLoop()

    def finished(result: object) -> None:
        outcome.append(result)
        loop.quit()

    timer.start()
    start = time.perf_counter()
    cpu = time.process_time()
    job = run_beside(lambda _report: work(), finished, finished, "benchmark sync")
    loop.exec()
    took = time.perf_counter() - start
    cpu = time.process_time() - cpu
    timer.stop()
    QCoreApplication.processEvents()
    del app, job
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    beats.insert(0, start)
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    return took, max(gaps, default=took), cpu


def _on_own_connection(store: Store) -> Callable[[], object]:
    """The sync as the window starts it: on a connection of its own, in a worker thread."""

    assert store.path is not None
    path, user = store.path, store.user
    return lambda: office.on_own_connection(path, user, office.sync)


def office_figures(dsn: str, records: int = 1_000, runs: int = 5) -> list[tuple[str, float]]:
    """(what, seconds). ``dsn``: an empty database the benchmark may set up and fill."""
    office.server_init(dsn)
    with tempfile.TemporaryDirectory(prefix="pd-office-bench-") as folder:
        first = Store.open(Path(folder) / "first.sqlite")
        second = Store.open(Path(folder) / "second.sqlite")
        try:
            office.connect_desk(first, dsn)
            office.connect_desk(second, dsn)
            with first.transaction():
                people = [
                    first.people.save(Person(full_name=f"Person {n}")).id or 0 for n in range(50)
                ]
            office.sync(first)
            office.sync(second)
            # Each meeting, with its participants, source and agreed action, is one record.
            _log_meetings(first, records, people, 0)
            push, push_pause, push_cpu = _longest_pause(_on_own_connection(first))
            pull, pull_pause, pull_cpu = _longest_pause(_on_own_connection(second))
            idle = statistics.median(_timed(lambda: office.sync(second)) for _ in range(runs))
            # The same meetings edited on the first desk: changes to records the second has.
            with first.transaction():
                for meeting_id in first.meetings.all_ids():
                    meeting = first.meetings.get(meeting_id)
                    meeting.summary += " Тараптар келісті."
                    first.meetings.save(meeting)
            office.sync(first)
            edited, edited_pause, edited_cpu = _longest_pause(_on_own_connection(second))
        finally:
            first.close()
            second.close()
    return [
        (f"push of {records:,} changed records, beside a window (target ≤ 2 s)", push),
        ("  CPU time meanwhile", push_cpu),
        ("  the window's longest pause meanwhile (target ≤ 100 ms)", push_pause),
        (f"pull of {records:,} new records, beside a window (target ≤ 2 s)", pull),
        ("  CPU time meanwhile", pull_cpu),
        ("  the window's longest pause meanwhile (target ≤ 100 ms)", pull_pause),
        ("sync with nothing to do, median (target ≤ 50 ms)", idle),
        (f"pull of the same {records:,} records edited, beside a window (target ≤ 2 s)", edited),
        ("  CPU time meanwhile", edited_cpu),
        ("  the window's longest pause meanwhile (target ≤ 100 ms)", edited_pause),
    ]


# --- a new desk joining a large office ----------------------------------------------------------
class _Uids:
    """The uid of each generated record by table and id, as a store's ``uid_for_id`` gives
    it, and an action's status history, as ``history`` does: what the export's record
    functions ask a store for."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict[int, str]] = {}
        self.next: dict[str, int] = {}
        self.histories: dict[int, list[dict[str, object]]] = {}

    def add(self, table: str, uid: str) -> int:
        row_id = self.next.get(table, 1)
        self.next[table] = row_id + 1
        self.by_id.setdefault(table, {})[row_id] = uid
        return row_id

    def uid_for_id(self, table: str, row_id: int | None) -> str | None:
        return None if row_id is None else self.by_id[table][row_id]

    def history(self, action_id: int) -> list[dict[str, object]]:
        return self.histories.pop(action_id)


class SharedRecordSink:
    """The generated office as the office server holds it: each record in the export format
    (a meeting with its actions inside), collected for ``OfficeServer.load``."""

    def __init__(self) -> None:
        self.uids = _Uids()
        self.meetings = self.uids  # what the export's record functions call
        self.actions = self.uids
        self.records: list[tuple[str, str, object]] = []
        self.settings: dict[str, str] = {}
        self._reference: Store | None = None

    def _store(self) -> Store:
        return cast(Store, self)

    def setting(self, key: str, value: str) -> None:
        self.settings[key] = value

    def country(self, country: Country) -> int:
        from protocol_desk.services.exchange import country_record

        self.records.append((country.uid, "country", country_record(self._store(), country)))
        return self.uids.add("country", country.uid)

    def international_body(self, short_name: str) -> int | None:
        """The reference data's body of that short name: every desk holds it already, so the
        office's records name it by its uid and it is not sent."""
        from protocol_desk.store.bulk import BulkWriter

        if self._reference is None:
            self._reference = Store.open(":memory:")
        reference = self._reference
        uid = reference.meetings.uid_for_id(
            "organisation", BulkWriter(reference.db, "").international_body(short_name)
        )
        return None if uid is None else self.uids.add("organisation", uid)

    def organisation(self, organisation: Organisation) -> int:
        from protocol_desk.services.exchange import organisation_record

        row_id = self.uids.add("organisation", organisation.uid)
        record = organisation_record(self._store(), organisation)
        self.records.append((organisation.uid, "organisation", record))
        return row_id

    def person(self, person: Person) -> int:
        from protocol_desk.services.exchange import person_record

        row_id = self.uids.add("person", person.uid)
        self.records.append((person.uid, "person", person_record(self._store(), person, None)))
        return row_id

    def anniversary(self, anniversary: Anniversary) -> int:
        from protocol_desk.services.exchange import anniversary_record

        row_id = self.uids.add("anniversary", anniversary.uid)
        record = anniversary_record(self._store(), anniversary)
        self.records.append((anniversary.uid, "anniversary", record))
        return row_id

    def meeting(self, meeting: Meeting) -> int:
        from protocol_desk.services.exchange import action_record, meeting_record

        row_id = self.uids.add("meeting", meeting.uid)
        record = meeting_record(self._store(), meeting, False)
        actions = []
        for action in meeting.actions:
            action.id = self.uids.add("agreed_action", action.uid)
            action.meeting_id = row_id
            self.uids.histories[action.id] = [
                {
                    "changed_at": "2024-01-01T00:00:00Z",
                    "old_status": None,
                    "new_status": action.status.value,
                    "meeting_id": action.fulfilled_meeting_id,
                    "note": "",
                }
            ]
            actions.append(action_record(self._store(), action))
        record["actions"] = actions
        self.records.append((meeting.uid, "meeting", record))
        return row_id


def join_figures(dsn: str, meetings: int = 100_000) -> list[tuple[str, float]]:
    """A new desk joining an office of ``meetings`` generated meetings (with its people,
    anniversaries and agreed actions): the office filled with COPY, then timed as the
    window's first sync, beside a window's event loop. ``dsn``: an empty database."""
    from protocol_desk.bench.data import OfficeGenerator
    from protocol_desk.store.office_server import OfficeServer

    office.server_init(dsn)
    sink = SharedRecordSink()
    OfficeGenerator(meetings, seed=1).populate(cast(Any, sink))
    sink.records.insert(0, ("settings", "settings", dict(sorted(sink.settings.items()))))
    with OfficeServer.connect(dsn) as server:
        loaded = server.load(sink.records, "generator")
    del sink
    with tempfile.TemporaryDirectory(prefix="pd-office-join-") as folder:
        desk = Store.open(Path(folder) / "new-desk.sqlite")
        try:
            office.connect_desk(desk, dsn)
            took, pause, cpu = _longest_pause(_on_own_connection(desk))
            counts = desk.db.execute(
                "SELECT (SELECT count(*) FROM meeting), (SELECT count(*) FROM agreed_action)"
            ).fetchone()
        finally:
            desk.close()
    return [
        (
            f"a new desk joining an office of {loaded:,} records ({counts[0]:,} meetings,"
            f" {counts[1]:,} agreed actions; target ≤ 60 s at 100,000 meetings)",
            took,
        ),
        ("  CPU time meanwhile", cpu),
        ("  the window's longest pause meanwhile (target ≤ 100 ms)", pause),
    ]
