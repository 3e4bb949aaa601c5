"""The demo dataset: every fact of the seed press releases, each with the file it came from."""

from __future__ import annotations

from pathlib import Path

from protocol_desk.services.exchange import import_file
from protocol_desk.store import Store

DEMO_FILE = Path(__file__).resolve().parents[2] / "db" / "demo.json"


def load_demo(store: Store) -> dict[str, int]:
    """Import the demo dataset (importing it again changes nothing: it is keyed on uids)."""
    return import_file(store, DEMO_FILE)
