"""Generating the benchmark's database: the made-up office written through the bulk writer.

Building the rows (Python) and inserting them (SQLite) take about as long as each other, so
they run side by side: this process generates batch after batch, a second one inserts them."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk.bench.data import OfficeGenerator
from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.models import Country
from protocol_desk.store import Store, action_keys, due, functions
from protocol_desk.store.bulk import (
    Batch,
    BulkWriter,
    fill_search_vocabulary,
    loading,
    table_counts,
    write_batch,
)
from protocol_desk.store.connection import BUSY_TIMEOUT_MS
from protocol_desk.store.sql import Db

CHUNK = 20_000  # meetings per batch (and per transaction)
QUEUED = 2  # batches waiting for the inserting process, at most (they hold memory)


@dataclass
class Generated:
    """What a generator run made: the file, how long it took, how many rows of each kind."""

    path: Path
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0


class _Countries:
    """The generator's countries saved through the repository (``Sink.country``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def country(self, country: Country) -> int:
        saved = self.store.countries.save(country).id
        assert saved is not None
        return saved


def _insert_batches(path: str, batches: Any, result: Any) -> None:
    """The inserting process: one transaction per batch, until a None arrives."""
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with loading(conn):
            while (batch := batches.get()) is not None:
                conn.execute("BEGIN IMMEDIATE")
                write_batch(conn, batch)
                conn.execute("COMMIT")
            functions.register(conn)
            conn.execute("BEGIN IMMEDIATE")
            due.refresh_anniversary_dues(conn)
            action_keys.refresh(conn)
            fill_search_vocabulary(conn)
            conn.execute("COMMIT")
        conn.close()
        result.put(None)
    except BaseException as error:  # reported to the generating process, which stops
        result.put(f"{type(error).__name__}: {error}")


def generate(
    path: Path,
    meetings: int,
    *,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Generated:
    """Create a new database at ``path`` holding a generated office of ``meetings`` meetings."""
    if meetings < 1:
        raise ValidationError("Generate at least one meeting.", "meetings")
    if path.exists() and path.stat().st_size > 0:
        raise ValidationError(
            f"{path} already exists: generate into a new file (or delete this one first).", "db"
        )
    started = time.perf_counter()
    generator = OfficeGenerator(meetings, seed=seed, today=today)
    store = Store.open(path)  # the schema, exactly as the app makes it
    try:
        # The countries take the places of the reference data's (by ISO code) as the app's
        # own save does it: a few hundred rows, written before the bulk writer counts ids.
        with store.transaction():
            generator.write_countries(_Countries(store))
        writer = BulkWriter(store.db, store.user)
    finally:
        store.close()
    context = multiprocessing.get_context("spawn")
    batches = context.Queue(maxsize=QUEUED)
    result = context.Queue()
    inserter = context.Process(
        target=_insert_batches, args=(str(path), batches, result), daemon=True
    )
    inserter.start()

    def hand_over(batch: Batch | None) -> None:
        while True:
            try:
                batches.put(batch, timeout=1)
                return
            except Exception as full:  # queue.Full: check the inserter is still alive
                if not inserter.is_alive():
                    raise RuntimeError(f"the inserting process stopped: {result.get()}") from full

    def checkpoint(done: int) -> None:
        hand_over(writer.take())
        if progress and done:
            elapsed = time.perf_counter() - started
            progress(f"{done:,} of {meetings:,} meetings built ({elapsed:.1f} s)")

    try:
        generator.populate(writer, checkpoint, chunk=CHUNK)
        if progress:
            progress("Inserting the last batch and building the indexes…")
        hand_over(None)
        failure = result.get()
        inserter.join()
    finally:
        if inserter.is_alive():
            inserter.terminate()
    if failure is not None:
        raise RuntimeError(f"generating {path} failed: {failure}")
    check = Db(sqlite3.connect(path))
    try:
        counts = table_counts(check)
    finally:
        check.conn.close()
    return Generated(
        path=path,
        seconds=time.perf_counter() - started,
        counts=counts,
        size_bytes=path.stat().st_size,
    )
