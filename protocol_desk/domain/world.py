"""The rule by which reference data (countries, international bodies) meets the office's own
records: the office's edits always win, and the reference fills in only what the office has
left as the reference last wrote it."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from protocol_desk.domain.text import fold

# Every new database gives a reference record the same uid, so an export from one office
# imports into another's database without duplicating Belarus.
_NAMESPACE = uuid.UUID("4f1d2a4e-6c1b-5b8e-9a53-0c3e7d1a2b60")

LANGUAGES = ("en", "ru", "kk")

T = TypeVar("T")


def reference_uid(ref_key: str) -> str:
    """The uid a record made from reference data is given (``country:BY``)."""
    return str(uuid.uuid5(_NAMESPACE, ref_key))


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def merge_value(base: T | None, current: T, new: T) -> T:
    """One field: ``base`` is what the reference wrote last time (None: never, the record is
    the office's own), ``current`` what the record holds, ``new`` what the reference says now.
    The reference's new value is taken only where the field still holds its last one, or
    where the office's own record leaves it empty."""
    if base is None:
        return new if _blank(current) else current
    return new if current == base else current


def merge_names(base: list[str] | None, current: list[str], new: list[str]) -> list[str]:
    """A list of other names: the office's list as it is, less the names the reference has
    since dropped, plus the names it has since added (never one the office removed)."""
    have = {fold(n) for n in current}
    if base is None:
        added = [n for n in new if fold(n) not in have]
        return [*current, *_once(added)]
    before = {fold(n) for n in base}
    dropped = before - {fold(n) for n in new}
    kept = [n for n in current if fold(n) not in dropped]
    added = [n for n in new if fold(n) not in before and fold(n) not in have]
    return [*kept, *_once(added)]


def _once(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if fold(name) not in seen:
            seen.add(fold(name))
            out.append(name)
    return out


def without_name(names: list[str], name: str) -> list[str]:
    """Other names never repeat the record's own name."""
    return [n for n in names if fold(n) != fold(name)]
