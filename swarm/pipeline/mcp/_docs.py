"""Offline documentation of the installed Python packages, read without running them.

Modules with source are read with ``ast`` (docstrings and signatures), never imported:
a worker asking for a module must not execute its top-level code. Only standard-library
modules without source (``math``, ``_sqlite3``...) are imported to ask ``inspect``.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pkgutil
import sys
from pathlib import Path

#: A docs answer is meant to be read by a small model; long modules are summarised.
MAX_CHARS = 12_000


class DocsError(Exception):
    """A module or symbol that cannot be found; the message is shown to the model."""


def list_modules(prefix: str = "") -> str:
    """Names of importable top-level modules starting with ``prefix`` (one per line)."""
    names = {m.name for m in pkgutil.iter_modules()} | set(sys.builtin_module_names)
    chosen = sorted(n for n in names if n.startswith(prefix) and not n.startswith("_"))
    return "\n".join(chosen[:400]) or f"no module starts with {prefix!r}"


def _source_of(module: str) -> tuple[str | None, str]:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise DocsError(f"no module named {module!r} is installed")
    origin = spec.origin or ""
    if origin.endswith(".py") and Path(origin).is_file():
        return Path(origin).read_text(encoding="utf-8", errors="replace"), origin
    return None, origin


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"{prefix} {node.name}({ast.unparse(node.args)}){returns}"


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if (doc or "").strip() else ""


def _summarise(tree: ast.Module) -> list[str]:
    lines: list[str] = []
    for node in tree.body:
        public = not getattr(node, "name", "_").startswith("_")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and public:
            lines.append(f"{_signature(node)}\n    {_first_line(ast.get_docstring(node))}")
        elif isinstance(node, ast.ClassDef) and public:
            bases = ", ".join(ast.unparse(b) for b in node.bases)
            lines.append(f"class {node.name}({bases})\n    {_first_line(ast.get_docstring(node))}")
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    not item.name.startswith("_") or item.name == "__init__"
                ):
                    lines.append(f"    {_signature(item)}")
    return lines


def module_doc(module: str) -> str:
    """A module's docstring and its public functions/classes with signatures."""
    source, origin = _source_of(module)
    if source is None:
        return _inspect_doc(module, origin)
    tree = ast.parse(source)
    head = ast.get_docstring(tree) or "(no module docstring)"
    text = f"module {module} ({origin})\n\n{head}\n\n" + "\n".join(_summarise(tree))
    return text[:MAX_CHARS]


def _inspect_doc(module: str, origin: str) -> str:
    top = module.split(".")[0]
    if top not in sys.stdlib_module_names and top not in sys.builtin_module_names:
        raise DocsError(f"{module} has no Python source ({origin or 'compiled'}); not imported")
    mod = importlib.import_module(module)
    lines = [f"module {module} (compiled)", inspect.getdoc(mod) or ""]
    for name, value in sorted(vars(mod).items()):
        if name.startswith("_") or not callable(value):
            continue
        try:
            sig = str(inspect.signature(value))
        except (TypeError, ValueError):
            sig = "(...)"
        lines.append(f"{name}{sig}\n    {_first_line(inspect.getdoc(value))}")
    return "\n".join(lines)[:MAX_CHARS]


def symbol_doc(qualified: str) -> str:
    """Signature and full docstring of ``pkg.module.name`` or ``pkg.module.Class.method``."""
    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module, names = ".".join(parts[:cut]), parts[cut:]
        try:
            source, _ = _source_of(module)
        except DocsError:
            continue
        if source is None:
            return _inspect_symbol(module, names)
        node = _find(ast.parse(source).body, names)
        if node is None:
            raise DocsError(f"{module} has no public {'.'.join(names)}")
        head = _signature(node) if not isinstance(node, ast.ClassDef) else f"class {node.name}"
        return f"{head}\n\n{ast.get_docstring(node) or '(no docstring)'}"[:MAX_CHARS]
    raise DocsError(f"cannot find {qualified!r}: give module.name, e.g. json.dumps")


def _find(body: list[ast.stmt], names: list[str]) -> ast.AST | None:
    for node in body:
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name == names[0]
        ):
            if len(names) == 1:
                return node
            return _find(node.body, names[1:]) if isinstance(node, ast.ClassDef) else None
    return None


def _inspect_symbol(module: str, names: list[str]) -> str:
    _inspect_doc(module, "")  # refuses compiled modules outside the standard library
    value: object = importlib.import_module(module)
    for name in names:
        value = getattr(value, name, None)
        if value is None:
            raise DocsError(f"{module} has no {'.'.join(names)}")
    try:
        sig = str(inspect.signature(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        sig = "(...)"
    return f"{'.'.join(names)}{sig}\n\n{inspect.getdoc(value) or '(no docstring)'}"
