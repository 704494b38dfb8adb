"""The project's own modules import each other without cycles, and only downwards: gui -> core -> providers.

Every import counts, at module level or inside a function, except those under ``if TYPE_CHECKING:``
(they never run). Read with ``ast``: nothing is imported to check it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "providers", "gui")
# A package may not import any of the packages listed against it.
FORBIDDEN = {"providers": {"core", "gui"}, "core": {"gui"}}


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the project's packages under ``root``, by dotted name."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in ``node``, skipping the bodies of ``if TYPE_CHECKING:``."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
        return
    children: Iterable[ast.AST] = ast.iter_child_nodes(node)
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        children = node.orelse
    for child in children:
        yield from _imports(child)


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that module ``name`` (at ``path``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # "from core.downloads import jobs" imports the module core.downloads.jobs.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            while target and target not in modules:  # "import core.x.y" where y is a name in core.x
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    modules = module_files(root)
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other, as ``[a, b, ..., a]``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(group, graph) for group in groups]


def _cycle_in(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest cycle through the first module of ``group`` (breadth-first within the group)."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle in {sorted(group)}")  # a strongly connected group always has one


def layering_violations(graph: dict[str, set[str]]) -> list[str]:
    """``"a -> b"`` for every import that goes against gui -> core -> providers."""
    return [
        f"{name} -> {target}"
        for name, targets in sorted(graph.items())
        for target in sorted(targets)
        if target.split(".")[0] in FORBIDDEN.get(name.split(".")[0], set())
    ]


def test_the_project_modules_import_each_other_without_cycles() -> None:
    found = cycles(import_graph(ROOT))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_imports_go_only_from_gui_to_core_to_providers() -> None:
    found = layering_violations(import_graph(ROOT))
    assert not found, "imports against gui -> core -> providers:\n" + "\n".join(found)


Project = Callable[[dict[str, str]], Path]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for package in PACKAGES:
            (tmp_path / package).mkdir(exist_ok=True)
            (tmp_path / package / "__init__.py").touch()
        return tmp_path

    return write


def test_a_cycle_through_a_function_level_import_is_found_and_named(project: Project) -> None:
    root = project({
        "core/a.py": "from core.b import thing\n",
        "core/b.py": "def thing():\n    from core import a\n    return a\n",
        "core/c.py": "import core.a\n",
    })
    assert cycles(import_graph(root)) == [["core.a", "core.b", "core.a"]]


def test_relative_and_submodule_imports_are_resolved(project: Project) -> None:
    root = project({
        "core/sub/__init__.py": "from . import x\n",
        "core/sub/x.py": "from ..y import z\nimport core.sub.missing_name\n",
        "core/y.py": "z = 1\n",
    })
    graph = import_graph(root)
    assert graph["core.sub"] == {"core.sub.x"}
    assert graph["core.sub.x"] == {"core.y", "core.sub"}


def test_type_checking_imports_do_not_count(project: Project) -> None:
    root = project({
        "core/a.py": "import typing\nif typing.TYPE_CHECKING:\n    from core.b import B\nelse:\n    import json\n",
        "core/b.py": "from core.a import json\n",
        "providers/p.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import core.a\n",
    })
    graph = import_graph(root)
    assert cycles(graph) == []
    assert layering_violations(graph) == []


def test_an_upward_import_is_named(project: Project) -> None:
    root = project({
        "providers/p.py": "def f():\n    import core.a\n",
        "core/a.py": "from gui import window\n",
        "gui/window.py": "import core.a\nimport providers.p\n",
    })
    assert layering_violations(import_graph(root)) == ["core.a -> gui.window", "providers.p -> core.a"]
