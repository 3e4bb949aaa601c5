"""The window's modules import one another in one direction only (lazy imports inside
functions included; names imported only for type checking are not imports at run time): no
circle, so each can be read, tested and loaded on its own."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "protocol_desk" / "ui"


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in UI.glob("*.py"):
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
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


# The opening and safety windows, and the bases every editor and list stand on.
WATCHED = (
    "opening",
    "safety_dialogs",
    "safety_jobs",
    "update_notice",
    "record_editor",
    "record_widgets",
    "list_area",
    "undo",
    "looks",
    "main_window",
)


def test_no_import_circle_through_the_safety_windows_or_the_bases() -> None:
    graph = _imports()
    assert set(WATCHED) <= set(graph)
    for name in WATCHED:
        # In a circle when it can be reached again from what it imports.
        assert all(name not in _reachable(graph, other) for other in graph[name]), name


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for other in graph.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def test_the_circle_finder_finds_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circle(graph) == ["a", "b", "c", "a"]
    assert "a" in _reachable(graph, "b") and "d" not in _reachable(graph, "a")
