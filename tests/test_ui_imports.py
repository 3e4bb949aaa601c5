"""The window's modules import one another in one direction only (lazy imports inside
functions included): no circle, so each can be read, tested and loaded on its own."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "protocol_desk" / "ui"


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in UI.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module and module.startswith("protocol_desk.ui."):
                found.add(module.rsplit(".", 1)[1])
        graph[path.stem] = found
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        trail.append(name)
        for other in sorted(graph.get(name, ())):
            if state.get(other) == 1:
                return [*trail[trail.index(other) :], other]
            if other not in state and (found := visit(other)):
                return found
        trail.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_no_import_circle_in_the_window() -> None:
    graph = _imports()
    assert {"opening", "safety_dialogs", "safety_jobs"} <= set(graph)
    assert _circle(graph) is None


def test_the_circle_finder_finds_one() -> None:
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
