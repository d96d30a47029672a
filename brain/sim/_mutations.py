"""The two content misbehaviours: interface drift (a renamed function) and stub bodies."""

from __future__ import annotations

import ast
import io
import re
import tokenize

from brain.sim._imports import parse

#: How a drifting model renames: the verb it prefers over the one the spec used.
_SYNONYMS = {
    "get": "fetch",
    "fetch": "get",
    "load": "read",
    "read": "load",
    "save": "store",
    "store": "save",
    "add": "create",
    "create": "add",
    "remove": "delete",
    "delete": "remove",
    "list": "all",
    "parse": "decode",
    "format": "render",
    "render": "format",
    "compute": "calc",
    "calculate": "compute",
    "find": "lookup",
    "update": "modify",
    "write": "dump",
    "run": "execute",
}


def drifted_name(name: str, taken: set[str]) -> str:
    """A plausible new name for ``name`` that is not already ``taken``."""
    head, sep, tail = name.partition("_")
    candidates = []
    if head in _SYNONYMS:
        candidates.append(_SYNONYMS[head] + sep + tail)
    candidates += [f"{name}_all", f"do_{name}", f"{name}_v2"]
    return next(c for c in candidates if c not in taken and c != name)


def rename_identifier(source: str, old: str, new: str) -> str:
    """Rename every use of identifier ``old`` (never inside strings or comments)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return re.sub(rf"\b{re.escape(old)}\b", new, source)
    lines = source.splitlines(keepends=True)
    for tok in reversed(tokens):  # right to left keeps earlier offsets valid
        if tok.type == tokenize.NAME and tok.string == old:
            row, col = tok.start
            line = lines[row - 1]
            lines[row - 1] = line[:col] + new + line[col + len(old) :]
    return "".join(lines)


def _stub_targets(tree: ast.Module, share: float) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    funcs = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        and n.name != "__init__"
        and n.body[0].lineno > n.lineno  # one-liners are not worth stubbing
    ]
    funcs.sort(key=lambda f: (-(f.end_lineno or f.lineno) + f.lineno, f.lineno))
    keep = max(1, round(len(funcs) * share)) if funcs else 0
    chosen = funcs[:keep]
    # A nested function inside a stubbed one disappears with its parent's body.
    return [f for f in chosen if not any(_inside(f, g) for g in chosen if g is not f)]


def _inside(inner: ast.AST, outer: ast.AST) -> bool:
    return bool(
        outer.lineno < inner.lineno  # type: ignore[attr-defined]
        and (inner.end_lineno or 0) <= (outer.end_lineno or 0)  # type: ignore[attr-defined]
    )


def _body_start(func: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The first line after the docstring (past the end when the docstring is all there is)."""
    first = func.body[0]
    if ast.get_docstring(func, clean=False) is None:
        return first.lineno
    return (first.end_lineno or first.lineno) + 1


def stub_bodies(source: str, share: float = 0.5) -> str:
    """Replace the bodies of the largest ``share`` of functions with ``raise NotImplementedError``.

    Docstrings stay, so the stub still looks finished at a glance, as small models' stubs do.
    """
    tree = parse(source)
    if tree is None:
        return source
    lines = source.splitlines(keepends=True)
    targets = sorted(_stub_targets(tree, share), key=lambda f: f.lineno, reverse=True)
    for func in targets:
        start, end = _body_start(func), func.end_lineno or func.lineno
        indent = " " * (func.col_offset + 4)
        if start > end:  # docstring-only function: add the raise after it
            lines[end - 1 : end] = [lines[end - 1], f"{indent}raise NotImplementedError\n"]
            continue
        lines[start - 1 : end] = [f"{indent}raise NotImplementedError\n"]
    return "".join(lines)
