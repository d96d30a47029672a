"""Run a parsed query: filter, sort, limit, project."""

from csvql.errors import DataError
from csvql.parser import BoolOp, Compare, Not, Query
from csvql.table import load_table

PYTHON_OPS = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
COMPARE = {op: eval(f"lambda a, b: a {py} b") for op, py in PYTHON_OPS.items()}


def compatible(a: object, b: object) -> bool:
    """Numbers compare with numbers and text with text; NULL with nothing."""
    return (isinstance(a, float) and isinstance(b, float)) or (isinstance(a, str) and isinstance(b, str))


def holds(condition: object, row: dict[str, object]) -> bool:
    """Whether ``row`` satisfies the WHERE condition."""
    if isinstance(condition, BoolOp):
        if condition.op == "AND":
            return holds(condition.left, row) and holds(condition.right, row)
        return holds(condition.left, row) or holds(condition.right, row)
    if isinstance(condition, Not):
        return not holds(condition.operand, row)
    left = row[condition.column]
    right = row[condition.value] if condition.value_is_column else condition.value
    return compatible(left, right) and COMPARE[condition.op](left, right)


def sort_key(value: object) -> tuple:
    """Numbers first (numerically), then text; NULLs are placed by sort_rows."""
    if isinstance(value, float):
        return (0, value, "")
    return (1, 0.0, value)


def sort_rows(picked: list[int], rows: list[dict[str, object]], column: str, descending: bool) -> list[int]:
    """A stable sort on one column with NULLs last in either direction."""
    present = [i for i in picked if rows[i][column] is not None]
    missing = [i for i in picked if rows[i][column] is None]
    present.sort(key=lambda i: sort_key(rows[i][column]), reverse=descending)
    return present + missing


def columns_of(condition: object) -> list[str]:
    """Every column a condition names."""
    if isinstance(condition, BoolOp):
        return columns_of(condition.left) + columns_of(condition.right)
    if isinstance(condition, Not):
        return columns_of(condition.operand)
    if isinstance(condition, Compare):
        return [condition.column] + ([condition.value] if condition.value_is_column else [])
    return []


def check_columns(query: Query, header: list[str]) -> None:
    """Fail on the first column the file does not have."""
    named = (query.columns or []) + columns_of(query.where) + [c for c, _ in query.order_by]
    for name in named:
        if name not in header:
            raise DataError(f"unknown column '{name}'")


def run(query: Query) -> tuple[list[str], list[list[str]]]:
    """The selected header and rows (cells as written in the file)."""
    header, rows, raw = load_table(query.source)
    check_columns(query, header)
    picked = [i for i, row in enumerate(rows) if query.where is None or holds(query.where, row)]
    for column, descending in reversed(query.order_by):  # stable sorts, last key first
        picked = sort_rows(picked, rows, column, descending)
    if query.limit is not None:
        picked = picked[:query.limit]
    columns = query.columns or header
    return columns, [[(raw[i][c] or "").strip() for c in columns] for i in picked]
