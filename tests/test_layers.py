"""The layers import one way only: domain (pure) → store (the only SQL) → services (no Qt) →
reports → window and command line. The window reaches the database through services, never
the store; its modules import one another in one direction (lazy imports inside functions
included; names imported only for type checking are not imports at run time): no circle, so
each can be read, tested and loaded on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "protocol_desk"
UI = PACKAGE / "ui"

# What the store's handle holds behind the services: the window never touches these.
STORE_INSIDES = {
    "actions",
    "anniversaries",
    "changelog",
    "checked",
    "countries",
    "db",
    "delegations",
    "lock",
    "meetings",
    "organisations",
    "outbox",
    "people",
    "settings",
    "transaction",
}


def _typing_only(tree: ast.Module) -> set[int]:
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }


def _modules_imported(path: Path, *, typing_too: bool) -> set[str]:
    """Every module a file imports, at its top, inside functions and (when asked) for type
    checking only; ``from protocol_desk.services import office`` counts as the submodule."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set() if typing_too else _typing_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _layer_imports(layer: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(PACKAGE)): _modules_imported(path, typing_too=True)
        for path in sorted((PACKAGE / layer).rglob("*.py"))
    }


def _offending(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{file} imports {module}"
        for file, modules in _layer_imports(layer).items()
        for module in sorted(modules)
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    ]


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (
            "domain",
            (
                "protocol_desk.store",
                "protocol_desk.services",
                "protocol_desk.reports",
                "protocol_desk.ui",
                "protocol_desk.cli",
                "PySide6",
                "sqlite3",
            ),
        ),
        (
            "store",
            ("protocol_desk.services", "protocol_desk.reports", "protocol_desk.ui", "PySide6"),
        ),
        ("services", ("protocol_desk.reports", "protocol_desk.ui", "protocol_desk.cli", "PySide6")),
        ("reports", ("protocol_desk.ui", "protocol_desk.cli", "PySide6")),
        ("ui", ("protocol_desk.store",)),
    ],
)
def test_each_layer_imports_only_the_layers_below_it(
    layer: str, forbidden: tuple[str, ...]
) -> None:
    assert _offending(layer, forbidden) == []


def test_the_import_reader_sees_imports_in_functions_and_for_type_checking() -> None:
    # The rules above would pass on a reader that saw nothing.
    assert "protocol_desk.store" in _layer_imports("services")["services/safety.py"]
    assert any(
        m.startswith("protocol_desk.services") for m in _layer_imports("ui")["ui/main_window.py"]
    )
    assert _offending("services", ("protocol_desk.store",))


def _reaches_into_the_store(node: ast.AST) -> bool:
    """``store.meetings``, ``self.store.db``, ``service.store.transaction()``: a repository,
    connection or lock of the handle the window passes to services."""
    if not isinstance(node, ast.Attribute) or node.attr not in STORE_INSIDES:
        return False
    held = node.value
    name = held.attr if isinstance(held, ast.Attribute) else getattr(held, "id", "")
    return name == "store"


def test_the_window_reads_and_writes_records_through_services_only() -> None:
    found = [
        f"{path.name}:{node.lineno}: {ast.unparse(node)}"
        for path in sorted(UI.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _reaches_into_the_store(node)
    ]
    assert found == []
    sample = ast.parse("self.meetings.store.transaction()\nstore.path\nself.store.readonly")
    assert [ast.unparse(n) for n in ast.walk(sample) if _reaches_into_the_store(n)] == [
        "self.meetings.store.transaction"
    ]


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in UI.glob("*.py"):
        graph[path.stem] = {
            module.rsplit(".", 1)[1]
            for module in _modules_imported(path, typing_too=False)
            if module.startswith("protocol_desk.ui.") and module.count(".") == 2
        }
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


def test_no_import_circle_among_the_windows_modules() -> None:
    graph = _imports()
    assert {"opening", "safety_dialogs", "safety_jobs", "main_window"} <= set(graph)
    assert "safety_jobs" in graph["safety_dialogs"]  # the reader sees the window's imports
    assert _circle(graph) is None


def test_the_circle_finder_finds_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circle(graph) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) is None
