#!/usr/bin/env python3
"""Crash test: a writer process is killed with SIGKILL at random moments, hundreds of times;
after each kill the database must pass ``PRAGMA integrity_check`` and hold every commit the
writer reported.

    python scripts/crash_test.py --kills 300            # the full run
    python scripts/crash_test.py --kills 5 --seed 1     # a quick one (the test suite does this)

The writer opens the database the way the window does (lock, health check, daily backup), then
commits in a loop: a new meeting with participants, a source and an agreed action, and an
update of one "counter" meeting, each in one transaction, printing a line after each COMMIT.
A line printed is a commit acknowledged: it must survive the kill. Some kills land while the
writer is still starting (creating the file, checking it, making a backup) to test those too.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COUNTER_SUBJECT = "Crash test counter"


def summary_for(subject: str) -> str:
    """What the writer stores for a subject: long enough to split pages, checkable later."""
    return (subject + " — Қазақстан, Сенат, ✓ <b>&</b>\n") * (1 + hash_text(subject) % 40)


def hash_text(text: str) -> int:
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % 1_000_003
    return value


# --- the writer ----------------------------------------------------------------------------


def run_writer(db: Path, run: int) -> None:
    from protocol_desk.domain.models import (
        AgreedAction,
        Meeting,
        Participant,
        Person,
        Side,
        Source,
    )
    from protocol_desk.services.meetings import MeetingService
    from protocol_desk.services.safety import open_for_editing

    opened = open_for_editing(db)
    store = opened.store
    service = MeetingService(store)
    with store.transaction():
        people = [p.id for p in store.people.all() if p.id is not None]
        if len(people) < 3:
            for name in ("Мәулен Әшімбаев", "Erol Kaya", "Natalya Kochanova"):
                people.append(store.people.save(Person(full_name=name)).id or 0)
    counter_ids = [
        r["id"]
        for r in store.meetings.query("SELECT id FROM meeting WHERE subject = ?", [COUNTER_SUBJECT])
    ]
    if not counter_ids:
        counter = service.save(Meeting(date=date(2024, 1, 1), subject=COUNTER_SUBJECT, summary="0"))
        counter_ids = [counter.id]
    print(f"ready {os.getpid()} after_crash={int(opened.after_crash)}", flush=True)
    rng = random.Random(run)
    n = 0
    while True:
        n += 1
        subject = f"Crash run {run} commit {n}"
        meeting = Meeting(
            date=date(2020 + n % 5, 1 + n % 12, 1 + n % 28),
            subject=subject,
            summary=summary_for(subject),
            topics=["parliamentary cooperation", f"topic {n % 7}"],
            participants=[
                Participant(person_id=pid, side=Side.COUNTERPART if k else Side.OURS)
                for k, pid in enumerate(rng.sample(people, 2))
            ],
            sources=[
                Source(publisher="Senate press service", title=subject, text=summary_for(subject))
            ],
            actions=[AgreedAction(text=f"Follow up on {subject}")],
        )
        service.save(meeting, allow_duplicate=True)
        print(f"new {subject}", flush=True)
        with store.transaction():
            counter = store.meetings.get(counter_ids[0])
            counter.summary = str(int(counter.summary or "0") + 1)
            store.meetings.save(counter)
        print(f"counter {counter.summary}", flush=True)


# --- the parent ----------------------------------------------------------------------------


@dataclass
class Totals:
    rounds: int = 0
    killed_while_starting: int = 0
    killed_while_writing: int = 0
    acknowledged: int = 0
    found_unacknowledged: int = 0  # committed but killed before it could say so: allowed
    lost: list[str] = field(default_factory=list)
    integrity_failures: list[str] = field(default_factory=list)
    crash_recognised: int = 0
    counter_checks: int = 0


def _reader(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line.rstrip("\n"))


def verify(db: Path, acknowledged: list[str], counter_acked: int, totals: Totals) -> None:
    """The parent's check after a kill, on its own connection."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            totals.integrity_failures.append("; ".join(result[:5]))
            return
        rows = dict(conn.execute("SELECT subject, summary FROM meeting").fetchall())
    finally:
        conn.close()
    for subject in acknowledged:
        if rows.get(subject) != summary_for(subject):
            totals.lost.append(subject)
    counter = int(rows.get(COUNTER_SUBJECT) or 0)
    if counter < counter_acked:
        totals.lost.append(f"counter {counter_acked} (file has {counter})")
    totals.counter_checks += 1


def run(kills: int, seed: int, db: Path, max_delay: float, *, quiet: bool = False) -> Totals:
    rng = random.Random(seed)
    totals = Totals()
    all_acked: list[str] = []
    counter_acked = 0
    started = time.monotonic()
    for round_number in range(1, kills + 1):
        child = subprocess.Popen(
            [sys.executable, __file__, "--child", "--db", str(db), "--run", str(round_number)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        reader = threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True)
        reader.start()
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0, 0.6))  # somewhere in start-up: open, check, backup
        else:
            deadline = time.monotonic() + 30
            while not any(line.startswith("ready") for line in lines):
                if child.poll() is not None or time.monotonic() > deadline:
                    err = child.stderr.read() if child.stderr else ""
                    raise SystemExit(f"writer did not start (round {round_number}):\n{err}")
                time.sleep(0.005)
            time.sleep(rng.uniform(0, max_delay))
        writing = any(line.startswith("ready") for line in lines)
        if child.poll() is not None:
            err = child.stderr.read() if child.stderr else ""
            raise SystemExit(f"writer ended by itself (round {round_number}):\n{err}")
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reader.join(timeout=10)
        if child.stderr:
            child.stderr.close()
        totals.rounds += 1
        if writing:
            totals.killed_while_writing += 1
        else:
            totals.killed_while_starting += 1
        for line in lines:
            if line.startswith("new "):
                all_acked.append(line[4:])
                totals.acknowledged += 1
            elif line.startswith("counter "):
                counter_acked = int(line.split()[1])
                totals.acknowledged += 1
            elif line.startswith("ready") and line.endswith("after_crash=1"):
                totals.crash_recognised += 1
        if db.exists():
            verify(db, all_acked, counter_acked, totals)
        if not quiet and round_number % 25 == 0:
            print(
                f"{round_number:>4} kills, {totals.acknowledged} commits acknowledged, "
                f"{len(totals.lost)} lost, {len(totals.integrity_failures)} integrity failures, "
                f"{time.monotonic() - started:.0f} s",
                flush=True,
            )
    # Every commit was acknowledged or not; count the ones that made it without a word.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        stored = conn.execute(
            "SELECT count(*) FROM meeting WHERE subject LIKE 'Crash run %'"
        ).fetchone()[0]
    finally:
        conn.close()
    totals.found_unacknowledged = stored - len(all_acked)
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=300, help="how many times to kill (300)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument(
        "--max-delay", type=float, default=0.5, help="longest wait before a kill, seconds"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_writer(args.db, args.run)
        return 0
    folder = None
    if args.db is None:
        folder = Path(tempfile.mkdtemp(prefix="protocol-desk-crash-"))
        args.db = folder / "crash.sqlite"
    started = time.monotonic()
    totals = run(args.kills, args.seed, args.db, args.max_delay)
    elapsed = time.monotonic() - started
    print(
        f"\n{totals.rounds} writers killed with SIGKILL ({totals.killed_while_writing} while "
        f"writing, {totals.killed_while_starting} while starting) in {elapsed:.0f} s\n"
        f"commits acknowledged: {totals.acknowledged}; lost: {len(totals.lost)}; "
        f"committed but not yet acknowledged when killed: {totals.found_unacknowledged}\n"
        f"integrity_check after each kill: {totals.counter_checks} checked, "
        f"{len(totals.integrity_failures)} failed\n"
        f"unclean shutdown recognised at the next start: {totals.crash_recognised} times\n"
        f"database: {args.db} ({args.db.stat().st_size / 1_048_576:.1f} MB)"
    )
    for problem in (totals.lost + totals.integrity_failures)[:20]:
        print(f"  PROBLEM: {problem}")
    return 0 if not totals.lost and not totals.integrity_failures else 1


if __name__ == "__main__":
    sys.exit(main())
