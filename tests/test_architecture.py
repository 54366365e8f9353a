"""The shape of the code, read from its imports (ast): stages in folders, no cycles, MkDocs,
Pagefind and WeasyPrint each behind one folder, modules of a readable size."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

BUILDER = REPO / "builder"
MAX_LOOSE = 10
MAX_LINES = 450
LONG_ALLOWED = {"builder/markdown/sanitise.py"}
"""The sanitiser: one allow-list and its parser, kept whole on purpose."""
ONLY_UNDER = {
    "mkdocs": "builder/site/",
    "material": "builder/site/",
    "pagefind": "builder/search/",
    "weasyprint": "builder/pdf/",
}
"""Third-party packages and the one folder allowed to import them."""


def _modules(*roots: str) -> dict[str, Path]:
    """Dotted module name -> file, for every Python file under the given top-level folders."""
    found: dict[str, Path] = {}
    for root in roots:
        for path in sorted((REPO / root).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, name: str, known: set[str]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in the file, at any depth (lazy imports too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:  # `from builder.site import mkdocs` imports a module
                if f"{base}.{alias.name}" in known:
                    yield f"{base}.{alias.name}", node.lineno


def _graph() -> dict[str, set[str]]:
    modules = _modules("builder", "bench", "tests")
    known = set(modules)
    return {
        name: {imported for imported, _ in _imports(path, name, known) if imported in known and imported != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_anywhere() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_stages_live_in_folders() -> None:
    loose = sorted(path.name for path in BUILDER.glob("*.py"))
    assert len(loose) <= MAX_LOOSE, loose
    for folder in sorted(p for p in BUILDER.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and len(docstring.split()) >= 8, f"{folder.name}/__init__.py says what the stage does"


def test_modules_stay_readable() -> None:
    long = {
        path.relative_to(REPO).as_posix(): lines
        for path in sorted(BUILDER.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert set(long) <= LONG_ALLOWED, long


def test_mkdocs_and_pagefind_are_each_behind_one_folder() -> None:
    modules = _modules("builder")
    misplaced = []
    for name, path in modules.items():
        where = path.relative_to(REPO).as_posix()
        for imported, line in _imports(path, name, set(modules)):
            top = imported.split(".")[0]
            if top in ONLY_UNDER and not where.startswith(ONLY_UNDER[top]):
                misplaced.append(f"{where}:{line}: imports {imported}")
    assert misplaced == []
