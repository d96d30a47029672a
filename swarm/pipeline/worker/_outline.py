"""A file cut down to what another module needs from it: signatures kept, bodies cut.

Used when a prompt does not fit a node's context window: a dependency's imports,
constants, classes and function signatures (with the first docstring line) are what a
worker imports against; the bodies can be read with ``read_file`` if it needs them.
"""

from __future__ import annotations

import ast

#: Replaces a cut body; says how to get it back.
CUT = "..."
_HEAD_LINES = 30
_SHORT_ASSIGN = 160


def _doc_line(node: ast.AST, indent: str) -> list[str]:
    documented = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    doc = ast.get_docstring(node) if isinstance(node, documented) else None
    if not doc:
        return []
    first = doc.strip().splitlines()[0]
    return [f'{indent}"""{first}"""']


def _header(lines: list[str], node: ast.stmt) -> list[str]:
    """The source lines from the first decorator to the line before the body."""
    start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
    body = getattr(node, "body", None)
    body_start = body[0].lineno if body else node.lineno + 1
    return lines[start - 1 : max(body_start - 1, node.lineno)]


def _outline_stmt(lines: list[str], node: ast.stmt, indent: str) -> list[str]:
    inner = indent + "    "
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return _header(lines, node) + _doc_line(node, inner) + [inner + CUT]
    if isinstance(node, ast.ClassDef):
        out = _header(lines, node) + _doc_line(node, inner)
        members = [m for m in node.body if not isinstance(m, ast.Expr)]
        for member in members:
            out += _outline_stmt(lines, member, inner)
        return out if members else out + [inner + CUT]
    text = ast.get_source_segment("\n".join(lines), node) or ""
    if isinstance(node, ast.Import | ast.ImportFrom) or len(text) <= _SHORT_ASSIGN:
        first, *rest = text.splitlines() or [""]
        return [indent + first, *rest]  # a segment's later lines keep their own indent
    if isinstance(node, ast.Assign | ast.AnnAssign):
        head = text.split("=", 1)[0].rstrip()
        return [f"{indent}{head} = {CUT}"]
    return []  # a top-level statement with behaviour (if __name__ …): not an interface


def outline(path: str, text: str) -> str:
    """``text`` with bodies cut (Python), or its first lines (anything else)."""
    lines = text.splitlines()
    if path.endswith(".py"):
        try:
            tree = ast.parse(text)
        except SyntaxError:
            tree = None
        if tree is not None:
            kept = [line for node in tree.body for line in _outline_stmt(lines, node, "")]
            return "\n".join(kept + [f"# [outline: bodies cut from {len(text)} characters]"])
    if len(lines) <= _HEAD_LINES:
        return text
    rest = len(lines) - _HEAD_LINES
    return "\n".join(lines[:_HEAD_LINES] + [f"[... {rest} more lines cut: read_file to see them]"])
