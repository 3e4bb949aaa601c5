"""The Python functions the store's SQL calls, registered on every connection it opens."""

from __future__ import annotations

import sqlite3

from protocol_desk.domain.text import fold, sort_key
from protocol_desk.store.due import anniversary_due


def _sort_key(text: str | None) -> str:
    return sort_key(text or "")


def _fold(text: str | None) -> str:
    # SQLite's lower() folds ASCII only; names and titles are in Cyrillic and Kazakh too.
    return fold(text or "")


def _has_words(text: str | None, words: str) -> int:
    """1 when every word (folded, separated by newlines) occurs in ``text`` in any case:
    one call per row, whatever the number of words."""
    folded = fold(text or "")
    return int(all(word in folded for word in words.split("\n")))


def register(conn: sqlite3.Connection) -> None:
    conn.create_function("pd_anniversary_due", 4, anniversary_due, deterministic=True)
    conn.create_function("pd_sort_key", 1, _sort_key, deterministic=True)
    conn.create_function("pd_fold", 1, _fold, deterministic=True)
    conn.create_function("pd_has_words", 2, _has_words, deterministic=True)
