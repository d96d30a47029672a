"""Render ``(columns, rows)`` as an aligned table, CSV or JSON.

table: columns separated by two spaces, each padded to its widest cell (header included);
numbers (int and money) are right-aligned, text left-aligned; a line of dashes under the
header; trailing spaces stripped. csv: header then rows. json: a list of objects; money
is a string with two decimals, whole numbers are numbers.
"""

import csv
import io
import json
from decimal import Decimal

from inventory.money import fmt

FORMATS = ("table", "csv", "json")


def cell_text(value: object) -> str:
    """The printed form of one cell."""
    return fmt(value) if isinstance(value, Decimal) else str(value)


def is_numeric(value: object) -> bool:
    """Right-aligned cells: whole numbers, money and signed changes."""
    return isinstance(value, (int, Decimal)) or (isinstance(value, str) and value[:1] in "+-" and value[1:].isdigit())


def as_table(columns: list[str], rows: list[list[object]]) -> str:
    """An aligned plain-text table."""
    texts = [[cell_text(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(columns)]
    right = [bool(rows) and all(is_numeric(r[i]) for r in rows) for i in range(len(columns))]

    def line(cells: list[str]) -> str:
        padded = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right)]
        return "  ".join(padded).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)] + [line(r) for r in texts]
    return "".join(x + "\n" for x in out)


def as_csv(columns: list[str], rows: list[list[object]]) -> str:
    """CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell_text(v) for v in row] for row in rows)
    return buffer.getvalue()


def as_json(columns: list[str], rows: list[list[object]]) -> str:
    """A JSON list of objects keyed by column."""
    def value(v: object) -> object:
        return fmt(v) if isinstance(v, Decimal) else v

    return json.dumps([{c: value(v) for c, v in zip(columns, row)} for row in rows], indent=2) + "\n"


def render(table: tuple[list[str], list[list[object]]], form: str) -> str:
    """Render a report in one of FORMATS."""
    columns, rows = table
    return {"table": as_table, "csv": as_csv, "json": as_json}[form](columns, rows)
