"""Negative requirements, deterministically: an AST scan for forbidden calls and imports.

"No use of eval" was a judge's call; this reads the produced Python instead. A finding
names ``file:line``. What counts:

- a *call* entry (``eval``) is flagged wherever the builtin is referenced (called or
  aliased: ``f = eval``), through ``builtins.eval`` / ``__builtins__.eval``, or fetched
  with ``getattr(builtins, "eval")``; a module that defines its own ``compile`` is not
  using the builtin, and ``re.compile`` is another function altogether;
- an *import* entry (``subprocess``) is flagged for ``import subprocess``,
  ``import subprocess.x``, ``from subprocess import ...`` and ``__import__("subprocess")``
  / ``importlib.import_module("subprocess")``.

Symlinks are skipped (a link is not code the swarm wrote here, and may point anywhere);
so are hidden folders and caches. A file that does not parse cannot be scanned: it makes
the scan incomplete, which the check reports as inconclusive unless something was found.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_BUILTIN_MODULES = frozenset({"builtins", "__builtins__"})
_DYNAMIC_IMPORTS = frozenset({"__import__", "import_module"})
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "venv"})
#: Larger files are data, not code a swarm wrote; parsing them would only cost time.
_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Violation:
    """One forbidden use: where it is and what it is."""

    file: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.what}"


@dataclass
class ScanResult:
    """Every violation found, the files scanned and the files that could not be parsed."""

    violations: list[Violation] = field(default_factory=list)
    scanned: int = 0
    unparsed: list[str] = field(default_factory=list)


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A relative-path glob as a regex: ``**/`` any folders (or none), ``*`` and ``?`` in one."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            char = pattern[i]
            out.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
            i += 1
    return re.compile("".join(out) + r"\Z")


def python_files(root: Path, pattern: str) -> Iterator[str]:
    """Relative paths of regular files matching ``pattern``, never through a symlink."""
    wanted = glob_regex(pattern)
    for here, dirs, files in os.walk(root, followlinks=False):
        base = Path(here)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d not in _SKIPPED_DIRS and not (base / d).is_symlink()
        )
        for name in sorted(files):
            path = base / name
            rel = path.relative_to(root).as_posix()
            if not path.is_symlink() and path.is_file() and wanted.match(rel):
                yield rel


def _bound_names(tree: ast.AST) -> set[str]:
    """Names the module binds itself (defs, classes, assignments, parameters, imports)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Import) or (
            isinstance(node, ast.ImportFrom) and node.module not in _BUILTIN_MODULES
        ):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return bound


def _is_module(name: str, modules: Sequence[str]) -> str | None:
    return next((m for m in modules if name == m or name.startswith(m + ".")), None)


def _first_str(call: ast.Call, index: int) -> str | None:
    if len(call.args) > index:
        arg = call.args[index]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return None


class _Scanner(ast.NodeVisitor):
    """Collects (line, what) for one module."""

    def __init__(self, calls: Sequence[str], imports: Sequence[str], bound: set[str]) -> None:
        self.forbidden = list(calls)
        self.calls = [c for c in calls if c not in bound]
        self.imports = list(imports)
        self.found: list[tuple[int, str]] = []

    def visit_Name(self, node: ast.Name) -> None:  # noqa: N802 - ast visitor API
        if isinstance(node.ctx, ast.Load) and node.id in self.calls:
            self.found.append((node.lineno, f"uses {node.id}"))

    def visit_Attribute(self, node: ast.Attribute) -> None:  # noqa: N802 - ast visitor API
        base = node.value
        if isinstance(base, ast.Name) and base.id in _BUILTIN_MODULES and node.attr in self.calls:
            self.found.append((node.lineno, f"uses {base.id}.{node.attr}"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802 - ast visitor API
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name == "getattr" and _first_str(node, 1) in self.calls:
            self.found.append((node.lineno, f"uses {_first_str(node, 1)} through getattr"))
        if name in _DYNAMIC_IMPORTS:
            module = _is_module(_first_str(node, 0) or "", self.imports)
            if module:
                self.found.append((node.lineno, f"imports {module} dynamically"))
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802 - ast visitor API
        for alias in node.names:
            module = _is_module(alias.name, self.imports)
            if module:
                self.found.append((node.lineno, f"imports {alias.name}"))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802 - ast visitor API
        if node.module in _BUILTIN_MODULES:
            for alias in node.names:
                if alias.name in self.forbidden:
                    self.found.append((node.lineno, f"imports {alias.name} from {node.module}"))
        module = _is_module(node.module or "", self.imports) if node.level == 0 else None
        if module:
            self.found.append((node.lineno, f"imports from {node.module}"))


def scan_source(source: str, calls: Sequence[str], imports: Sequence[str]) -> list[tuple[int, str]]:
    """(line, what) of every forbidden use in one module's source; SyntaxError if unparsable."""
    tree = ast.parse(source)
    scanner = _Scanner(calls, imports, _bound_names(tree))
    scanner.visit(tree)
    return sorted(set(scanner.found))


def scan_tree(
    root: Path, *, calls: Sequence[str], imports: Sequence[str], pattern: str = "**/*.py"
) -> ScanResult:
    """Scan every matching file under ``root``."""
    result = ScanResult()
    for rel in python_files(root, pattern):
        path = root / rel
        try:
            if path.stat().st_size > _MAX_BYTES:
                raise ValueError("too large")
            found = scan_source(path.read_text(encoding="utf-8", errors="replace"), calls, imports)
        except (SyntaxError, ValueError, OSError):
            result.unparsed.append(rel)
            continue
        result.scanned += 1
        result.violations += [Violation(rel, line, what) for line, what in found]
    return result
