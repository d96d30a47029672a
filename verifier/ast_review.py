"""Static review of a produced tree: the tell-tale signs of unfinished or unwired work.

Shared by the verifier's ``diagnostics`` dimension and the swarm's gates. It reads the
source only (``ast`` and ``tokenize``), never imports or runs it. Finding codes:

=================  ====  ==========================================================
code               sev.  meaning
=================  ====  ==========================================================
syntax_error       high  the file does not parse
stub_body          high  a function whose body is only ``...`` / ``pass``
not_implemented    high  ``raise NotImplementedError`` outside an abstract method
breakpoint         high  ``breakpoint()`` or ``pdb.set_trace()`` left in
unwired_module     high  a package module no entry point (``__main__``/``__init__``) reaches
shadowing_module   high  a root-level module that shadows a package module or the stdlib
todo               low   a TODO / FIXME / XXX comment
=================  ====  ==========================================================
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

from verifier._grade import Finding, Severity

__all__ = ["iter_python_files", "review_file", "review_tree"]

_SKIP_DIRS = {"__pycache__", "node_modules", "venv", "site-packages", "build", "dist"}
_TODO = re.compile(r"#.*\b(TODO|FIXME|XXX)\b")
_EXEMPT_DECORATORS = {"abstractmethod", "overload", "abstractproperty"}
# Stdlib names a project root commonly uses without shadowing anything it imports.
_HARMLESS_STDLIB = {"test", "tests", "this", "antigravity"}
_TEST_NAME = re.compile(r"^(test_.*|.*_test|conftest)\.py$")


def iter_python_files(root: Path) -> Iterator[Path]:
    """Every ``.py`` file under ``root``, skipping hidden, cache and virtualenv directories.

    Links and special files are skipped: the tree is untrusted (a link may point at the
    harness's secrets, a FIFO would block the read).
    """
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts[:-1]
        if path.is_symlink() or not path.is_file():
            continue
        if not any(p.startswith(".") or p in _SKIP_DIRS for p in parts):
            yield path


def _finding(code: str, message: str, rel: str, line: int | None, sev=Severity.HIGH) -> Finding:
    return Finding(code=code, message=message, severity=sev, file=rel, line=line)


# ---------------------------------------------------------------- per-file review


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
        elif isinstance(target, ast.Name):
            names.add(target.id)
    return names


def _is_stub(body: list[ast.stmt]) -> bool:
    stmts = body[1:] if _is_docstring(body[0]) else body
    if not stmts:
        return True  # docstring only
    return len(stmts) == 1 and (
        isinstance(stmts[0], ast.Pass)
        or (isinstance(stmts[0], ast.Expr) and getattr(stmts[0].value, "value", None) is ...)
    )


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(getattr(stmt, "value", None), ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _interface_methods(tree: ast.Module) -> set[ast.AST]:
    """Function nodes inside classes that declare interfaces (Protocol, ABC)."""
    exempt: set[ast.AST] = set()
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        bases = {getattr(b, "id", getattr(b, "attr", "")) for b in cls.bases}
        if bases & {"Protocol", "ABC"} or any(
            isinstance(b, ast.Subscript) and getattr(b.value, "id", "") == "Protocol"
            for b in cls.bases
        ):
            exempt.update(
                n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return exempt


def _is_not_implemented(node: ast.Raise) -> bool:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return getattr(exc, "id", None) == "NotImplementedError"


def _is_breakpoint(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id == "breakpoint"
    return isinstance(func, ast.Attribute) and func.attr == "set_trace"


def _code_findings(tree: ast.Module, rel: str) -> list[Finding]:
    exempt = _interface_methods(tree)
    found: list[Finding] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node in exempt or _decorator_names(node) & _EXEMPT_DECORATORS:
                exempt.update(ast.walk(node))  # its NotImplementedError is the point
            elif _is_stub(node.body):
                found.append(_finding("stub_body", f"{node.name}() has no body", rel, node.lineno))
        elif isinstance(node, ast.Raise) and node not in exempt and _is_not_implemented(node):
            found.append(
                _finding("not_implemented", "raises NotImplementedError", rel, node.lineno)
            )
        elif isinstance(node, ast.Call) and _is_breakpoint(node):
            found.append(_finding("breakpoint", "debugger breakpoint left in", rel, node.lineno))
    return found


def _todo_findings(source: str, rel: str) -> list[Finding]:
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT and _TODO.search(tok.string):
                text = tok.string.lstrip("# ")[:80]
                found.append(
                    _finding("todo", f"left-over note: {text}", rel, tok.start[0], Severity.LOW)
                )
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def review_file(path: Path, rel: str) -> tuple[list[Finding], ast.Module | None]:
    """Findings for one file and its parsed tree (None when it does not parse)."""
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
        tree = ast.parse(source, filename=rel)
    except SyntaxError as exc:
        return [_finding("syntax_error", f"does not parse: {exc.msg}", rel, exc.lineno)], None
    return _code_findings(tree, rel) + _todo_findings(source, rel), tree


# ---------------------------------------------------------------- wiring


def _module_name(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_from(node: ast.ImportFrom, current: str, is_pkg: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_pkg else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def _imports(tree: ast.Module, current: str, is_pkg: bool, names_too: bool = True) -> set[str]:
    """Every module name this module may import (``from a import b`` yields a and a.b).

    With ``names_too=False`` only module paths are kept (``from a.b import c`` yields a, a.b).
    """
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, current, is_pkg)
            names.add(base)
            if names_too or not node.module:
                names.update(f"{base}.{a.name}" if base else a.name for a in node.names)
        elif isinstance(node, ast.Call) and _dynamic_import_target(node):
            names.add(_dynamic_import_target(node))
    return {n for name in names for n in _prefixes(name)}


def _dynamic_import_target(node: ast.Call) -> str:
    func = node.func
    name = getattr(func, "attr", getattr(func, "id", ""))
    if name in {"import_module", "__import__"} and node.args:
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return ""


def _prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _unwired(package: str, modules: dict[str, tuple[ast.Module, bool, str]]) -> list[Finding]:
    """Modules of ``package`` that no chain of imports from its entry points reaches."""
    own = {m for m in modules if m == package or m.startswith(package + ".")}
    roots = [m for m in (package, f"{package}.__main__") if m in own]
    if not roots:
        return []  # no parsable entry point: syntax_error already says why
    return _walk_reachable(own, roots, modules)


def _walk_reachable(
    own: set[str], roots: list[str], modules: dict[str, tuple[ast.Module, bool, str]]
) -> list[Finding]:
    seen, todo = set(roots), list(roots)
    while todo:
        name = todo.pop()
        tree, is_pkg, _rel = modules[name]
        for dep in _imports(tree, name, is_pkg) & own:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return [
        _finding(
            "unwired_module",
            f"module {m} is imported by nothing the entry point runs",
            modules[m][2],
            1,
        )
        for m in sorted(own - seen)
        if not _TEST_NAME.match(Path(modules[m][2]).name) and not m.endswith("__main__")
    ]


def _shadowing(root: Path, packages: list[str], modules: dict) -> list[Finding]:
    """Root-level modules that shadow a package's module or a stdlib module.

    A stray ``store.py`` next to ``inventory/`` lets ``from store import X`` in a test pass
    while ``python -m inventory`` runs the package's own, different ``inventory/store.py``.
    """
    wanted = set(modules)
    for name, (tree, is_pkg, _rel) in modules.items():
        if name.split(".")[0] in packages:  # modules the package imports, present or not
            wanted |= {
                m
                for m in _imports(tree, name, is_pkg, names_too=False)
                if m.split(".")[0] in packages
            }
    package_leaves = {m.split(".")[-1] for m in wanted if "." in m and m.split(".")[0] in packages}
    found = []
    for path in sorted(root.glob("*.py")):
        name = path.stem
        if _TEST_NAME.match(path.name) or name in {"setup", "__main__"}:
            continue
        if name in packages or name in package_leaves - {"__init__", "__main__"}:
            why = f"root module {name}.py shadows the package's own {name}"
        elif name in sys.stdlib_module_names and name not in _HARMLESS_STDLIB:
            why = f"root module {name}.py shadows the standard library module {name}"
        else:
            continue
        found.append(_finding("shadowing_module", why, path.name, 1))
    return found


def _packages(root: Path, package: str | None) -> list[str]:
    if package:
        return [package]
    return sorted(
        d.name
        for d in root.iterdir()
        if d.is_dir()
        and not d.name.startswith(".")
        and d.name not in _SKIP_DIRS
        and ((d / "__init__.py").is_file() or (d / "__main__.py").is_file())
        and d.name not in {"tests", "test"}
    )


def review_tree(root: Path, *, package: str | None = None) -> list[Finding]:
    """Review every Python file under ``root``; wiring is judged for ``package``.

    ``package`` is the entry package (``python -m inventory`` → ``inventory``); when None,
    every top-level directory holding ``__init__.py`` or ``__main__.py`` is treated as one.
    Files are named relative to ``root`` with forward slashes.
    """
    root = Path(root)
    findings: list[Finding] = []
    modules: dict[str, tuple[ast.Module, bool, str]] = {}
    for path in iter_python_files(root):
        rel = path.relative_to(root)
        file_findings, tree = review_file(path, rel.as_posix())
        findings += file_findings
        if tree is not None:
            modules[_module_name(rel)] = (tree, path.name == "__init__.py", rel.as_posix())
    packages = _packages(root, package)
    for name in packages:
        findings += _unwired(name, modules)
    return findings + _shadowing(root, packages, modules)
