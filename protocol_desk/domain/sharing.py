"""Pure rules of office sharing: when two versions of a record are the same, and how they
differ field by field (for the Conflicts list)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import orjson

DELETED = "deleted"  # the digest of a record that is gone


class Step(str):
    """What a sync is doing, in words, and how far it got when that is known (a progress
    bar's value): still the plain text wherever text is expected."""

    done: int | None
    total: int | None

    def __new__(cls, text: str, done: int | None = None, total: int | None = None) -> Step:
        step = super().__new__(cls, text)
        step.done, step.total = done, total
        return step


def canonical(content: Any) -> str:
    """The content as compact JSON, keys sorted, text unescaped."""
    try:
        return orjson.dumps(content, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # what orjson refuses: a number beyond 64 bits, half a character
        return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_bytes(content: Any) -> bytes:
    """``canonical`` in UTF-8. orjson writes the very bytes ``json.dumps`` does for every
    value a record holds, ten times quicker: a desk joining digests every record."""
    try:
        return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return canonical(content).encode()


def superseded_action(kind: str, content: Any, seq: int, whole_meetings: dict[str, int]) -> bool:
    """Whether a record is an agreed action shared on its own (as earlier versions of the app
    shared actions), which a later record of its meeting, with its actions inside, replaces.
    ``whole_meetings``: the sequence number of each meeting record received with ``actions``
    (an earlier version's meeting comes without: its actions' own records stay current)."""
    if kind != "action" or not isinstance(content, dict):
        return False
    return whole_meetings.get(str(content.get("meeting")), -1) > seq


def whole_meeting(kind: str, content: Any) -> bool:
    """A meeting record with its agreed actions inside (as this version shares meetings)."""
    return kind == "meeting" and isinstance(content, dict) and "actions" in content


# What each desk writes for itself and is no part of what was recorded: when this desk
# wrote an agreed action's status change (two desks loading the same file write different
# times for the same history). An action's history is in its own record or, for an action
# of a meeting, in the meeting's ``actions``.
_LOCAL_ONLY = "changed_at"


def _without_local(record: Any) -> Any:
    history = record.get("history") if isinstance(record, dict) else None
    if not isinstance(history, list):
        return record
    kept = [
        {k: v for k, v in entry.items() if k != _LOCAL_ONLY} if isinstance(entry, dict) else entry
        for entry in history
    ]
    return {**record, "history": kept}


def comparable(content: Any) -> Any:
    """The content without what is local to one desk, for comparing two versions."""
    if not isinstance(content, dict):
        return content
    found = _without_local(content)
    actions = found.get("actions")
    if isinstance(actions, list):
        found = {**found, "actions": [_without_local(a) for a in actions]}
    return found


def digest(content: Any) -> str:
    """The same for two versions exactly when their content is the same, what is local to
    one desk left aside."""
    if content is None:
        return DELETED
    return hashlib.sha256(canonical_bytes(comparable(content))).hexdigest()


@dataclass(frozen=True)
class FieldDifference:
    """One field where this desk's version and the office's differ; ``path`` names it
    (``participants[2].title``), the values are shown as text."""

    path: str
    mine: str
    theirs: str


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def differences(mine: Any, theirs: Any) -> list[FieldDifference]:
    """Every field that differs, walking into lists of parts (participants, sources, agreed
    actions, positions) item by item. A deleted side shows as ``deleted``; what is local to
    one desk is left aside."""
    return _differences(comparable(mine), comparable(theirs))


def _differences(mine: Any, theirs: Any, path: str = "") -> list[FieldDifference]:
    if mine is None or theirs is None:
        if mine is None and theirs is None:
            return []
        return [
            FieldDifference(
                path or "record",
                "deleted" if mine is None else "kept, with changes",
                "deleted" if theirs is None else "kept, with changes",
            )
        ]
    if isinstance(mine, dict) and isinstance(theirs, dict):
        found: list[FieldDifference] = []
        for key in list(mine) + [k for k in theirs if k not in mine]:
            inner = f"{path}.{key}" if path else str(key)
            a, b = mine.get(key), theirs.get(key)
            if a != b:
                if isinstance(a, (dict, list)) and isinstance(b, type(a)):
                    found.extend(_differences(a, b, inner))
                else:
                    found.append(FieldDifference(inner, shown(a), shown(b)))
        return found
    if isinstance(mine, list) and isinstance(theirs, list):
        found = []
        for index in range(max(len(mine), len(theirs))):
            inner = f"{path}[{index + 1}]"
            a = mine[index] if index < len(mine) else None
            b = theirs[index] if index < len(theirs) else None
            if a == b:
                continue
            if isinstance(a, dict) and isinstance(b, dict):
                found.extend(_differences(a, b, inner))
            else:
                found.append(FieldDifference(inner, shown(a), shown(b)))
        return found
    return [] if mine == theirs else [FieldDifference(path, shown(mine), shown(theirs))]


def merged(mine: dict[str, Any], theirs: dict[str, Any], take: set[str]) -> dict[str, Any]:
    """Merge by hand: this desk's record with the top-level fields named in ``take`` from
    the office's (a list of parts is taken whole)."""
    result = dict(mine)
    for key in take:
        if key in theirs:
            result[key] = theirs[key]
    return result
