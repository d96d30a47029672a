"""Load a CSV file as rows of typed values: numbers, strings, or None for an empty cell."""

import csv
from pathlib import Path

from csvql.errors import DataError


def typed(cell: str) -> object:
    """A number when the cell reads as one, None when empty, else the text."""
    text = cell.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def load_table(path: str) -> tuple[list[str], list[dict[str, object]], list[dict[str, str]]]:
    """(header, typed rows, raw rows) of a CSV file with a header row."""
    try:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            raw = list(reader)
            header = list(reader.fieldnames or [])
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    rows = [{k: typed(v or "") for k, v in row.items()} for row in raw]
    return header, rows, raw
