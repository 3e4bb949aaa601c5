"""The office sync's figures: 1,000 changed records pushed, the same pulled by another desk,
and a sync with nothing to do, against a real PostgreSQL."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from protocol_desk.domain.models import AgreedAction, Meeting, Participant, Person, Side, Source
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
            # Each meeting is two shared records: the meeting and its agreed action.
            _log_meetings(first, records // 2, people, 0)
            push = _timed(lambda: office.sync(first))
            pull = _timed(lambda: office.sync(second))
            idle = statistics.median(_timed(lambda: office.sync(second)) for _ in range(runs))
        finally:
            first.close()
            second.close()
    return [
        (f"push of {records:,} changed records (target ≤ 2 s)", push),
        (f"pull of {records:,} changed records (target ≤ 2 s)", pull),
        ("sync with nothing to do, median (target ≤ 50 ms)", idle),
    ]
