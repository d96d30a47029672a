"""A module's frozen contract from its reference source: signatures with ``...`` bodies
and a ``# SCHEMA`` block naming every table's exact columns."""

from __future__ import annotations

import ast
import re

from brain.sim._imports import parse

_COLUMN_NAME = re.compile(r"FIELD|COLUMN|HEADER", re.IGNORECASE)
_CREATE_TABLE = re.compile(r"CREATE TABLE(?: IF NOT EXISTS)?\s+(\w+)\s*\(([^;]*?)\)\s*;?", re.I)


class _Stubber(ast.NodeTransformer):
    """Keeps imports, constants, classes and signatures; every body becomes ``...``."""

    def _stub(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        doc = ast.get_docstring(node, clean=False)
        body: list[ast.stmt] = [ast.Expr(ast.Constant(doc))] if doc else []
        node.body = body + [ast.Expr(ast.Constant(Ellipsis))]
        return node

    visit_FunctionDef = _stub  # noqa: N815 (ast visitor naming)
    visit_AsyncFunctionDef = _stub  # noqa: N815

    def visit_If(self, node: ast.If) -> ast.AST | None:
        # `if __name__ == "__main__":` blocks are behaviour, not interface.
        return None if "__name__" in ast.unparse(node.test) else node


def signature_stub(source: str) -> str:
    """The module with every function body replaced by ``...`` (docstrings kept)."""
    tree = parse(source)
    if tree is None:
        return ""
    tree = _Stubber().visit(tree)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"


def _is_dataclass(node: ast.ClassDef) -> bool:
    return any(
        "dataclass" in ast.unparse(d) or "NamedTuple" in ast.unparse(d)
        for d in node.decorator_list + node.bases
    )


def _class_tables(tree: ast.Module) -> list[str]:
    lines = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and _is_dataclass(node):
            fields = [
                f"{s.target.id} {ast.unparse(s.annotation)}"
                for s in node.body
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
            ]
            lines.append(f"# table {node.name}: {', '.join(fields)}")
    return lines


def _string_list(value: ast.expr) -> list[str] | None:
    if (
        isinstance(value, ast.List | ast.Tuple)
        and value.elts
        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts)
    ):
        return [e.value for e in value.elts]  # type: ignore[attr-defined]
    return None


def _column_lists(tree: ast.Module) -> list[str]:
    lines = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        value = getattr(node, "value", None)
        columns = _string_list(value) if value is not None else None
        for name in (n for n in names if _COLUMN_NAME.search(n)):
            if columns:
                lines.append(f"# columns {name}: {', '.join(columns)}")
    return lines


def _sql_tables(source: str) -> list[str]:
    return [
        f"# table {m[1]}: {', '.join(c.strip() for c in m[2].split(','))}"
        for m in _CREATE_TABLE.finditer(source)
    ]


def schema_of(source: str) -> str:
    """``# SCHEMA`` lines for dataclass records, column-name lists and SQL tables ('' if none)."""
    tree = parse(source)
    if tree is None:
        return ""
    lines = _class_tables(tree) + _column_lists(tree) + _sql_tables(source)
    return "\n".join(["# SCHEMA", *lines]) if lines else ""
