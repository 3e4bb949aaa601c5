"""Pure rules of office sharing: when two versions of a record are the same, and how they
differ field by field (for the Conflicts list)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

DELETED = "deleted"  # the digest of a record that is gone


def canonical(content: Any) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(content: Any) -> str:
    """The same for two versions exactly when their content is the same."""
    if content is None:
        return DELETED
    return hashlib.sha256(canonical(content).encode()).hexdigest()


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


def differences(mine: Any, theirs: Any, path: str = "") -> list[FieldDifference]:
    """Every field that differs, walking into lists of parts (participants, sources,
    positions) item by item. A deleted side shows as ``deleted``."""
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
                    found.extend(differences(a, b, inner))
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
                found.extend(differences(a, b, inner))
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
