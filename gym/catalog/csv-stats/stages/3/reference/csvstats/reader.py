"""Read a CSV file into named columns and decide which are numeric."""

import csv
from pathlib import Path


class CsvError(Exception):
    """The file cannot be read or has no header."""


def read_columns(path: Path) -> dict[str, list[str]]:
    """Column name -> its cells (stripped), in header order."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise CsvError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if not rows:
        raise CsvError(f"{path} is empty")
    header = [name.strip() for name in rows[0]]
    columns: dict[str, list[str]] = {name: [] for name in header}
    for row in rows[1:]:
        padded = row + [""] * (len(header) - len(row))  # short rows: missing cells are empty
        for name, cell in zip(header, padded):
            columns[name].append(cell.strip())
    return columns


def parse_number(cell: str) -> float | None:
    """The number in a cell, or None when it is not one."""
    try:
        return float(cell)
    except ValueError:
        return None


def numeric_columns(columns: dict[str, list[str]]) -> dict[str, list[float]]:
    """Columns whose every non-empty cell is a number (and which have at least one)."""
    result = {}
    for name, cells in columns.items():
        filled = [c for c in cells if c]
        values = [parse_number(c) for c in filled]
        if values and all(v is not None for v in values):
            result[name] = values
    return result
