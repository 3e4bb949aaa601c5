"""Generating the benchmark's database: the made-up office written through the bulk writer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from protocol_desk.bench.data import OfficeGenerator
from protocol_desk.domain.errors import ValidationError
from protocol_desk.store import Store
from protocol_desk.store.bulk import BulkWriter, table_counts

CHUNK = 20_000  # meetings per transaction


@dataclass
class Generated:
    path: Path
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0


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
    store = Store.open(path)
    try:
        writer = BulkWriter(store.db, store.user)
        generator = OfficeGenerator(meetings, seed=seed, today=today)
        conn = store.db.conn

        def checkpoint(done: int) -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                writer.flush()
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if progress and done:
                elapsed = time.perf_counter() - started
                progress(f"{done:,} of {meetings:,} meetings ({elapsed:.1f} s)")

        with writer.loading():
            generator.populate(writer, checkpoint, chunk=CHUNK)
        counts = table_counts(store.db)
    finally:
        store.close()
    return Generated(
        path=path,
        seconds=time.perf_counter() - started,
        counts=counts,
        size_bytes=path.stat().st_size,
    )
