"""Who imports whom in a reference tree: the planner's dependency edges and drift targets."""

from __future__ import annotations

import ast
from dataclasses import dataclass


def module_of(path: str) -> str | None:
    """``pkg/store.py`` → ``pkg.store``; ``pkg/__init__.py`` → ``pkg``; None for non-Python."""
    if not path.endswith(".py"):
        return None
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or None


def parse(source: str) -> ast.Module | None:
    """The module's AST, or None when it does not parse."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _absolute(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = here.split(".") if is_package else here.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def imported_names(path: str, source: str) -> list[tuple[str, str | None]]:
    """(module, name) pairs this file imports; name is None for ``import module``."""
    here = module_of(path) or ""
    tree = parse(source)
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, here, path.endswith("__init__.py"))
            found += [(module, alias.name) for alias in node.names]
    return found


def import_graph(tree: dict[str, str]) -> dict[str, set[str]]:
    """For each Python file, the files of ``tree`` it imports."""
    by_module = {m: p for p in tree if (m := module_of(p))}
    graph: dict[str, set[str]] = {}
    for path, source in tree.items():
        if not path.endswith(".py"):
            continue
        targets: set[str] = set()
        for module, name in imported_names(path, source):
            for candidate in (f"{module}.{name}" if name else None, module):
                if candidate in by_module and by_module[candidate] != path:
                    targets.add(by_module[candidate])
                    break
        graph[path] = targets
    return graph


@dataclass(frozen=True)
class CrossUse:
    """A top-level function defined in one file and used from another."""

    name: str
    defined_in: str
    used_in: str


def _top_functions(source: str) -> list[str]:
    tree = parse(source)
    return [
        n.name
        for n in (tree.body if tree else [])
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and not n.name.startswith("_")
    ]


def cross_module_functions(tree: dict[str, str]) -> list[CrossUse]:
    """Functions imported by name (``from pkg.store import load``) from another file of the tree."""
    by_module = {m: p for p in tree if (m := module_of(p))}
    uses: list[CrossUse] = []
    for path, source in sorted(tree.items()):
        for module, name in imported_names(path, source) if path.endswith(".py") else ():
            home = by_module.get(module)
            if name and home and home != path and name in _top_functions(tree[home]):
                uses.append(CrossUse(name, home, path))
    return uses
