"""Export expenses as JSON or CSV, and import a JSON export (all rows or none)."""

import csv
import io
import json
from pathlib import Path

from expenses.ledger import Expense, LedgerError, normalize_category
from expenses.money import AmountError, format_amount, parse_amount


def export_json(expenses: list[Expense]) -> str:
    """A JSON list of {"amount": "12.50", "category", "note"}."""
    rows = [{"amount": format_amount(e.amount), "category": e.category, "note": e.note} for e in expenses]
    return json.dumps(rows, indent=2) + "\n"


def export_csv(expenses: list[Expense]) -> str:
    """CSV with header amount,category,note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["amount", "category", "note"])
    writer.writerows([format_amount(e.amount), e.category, e.note] for e in expenses)
    return out.getvalue()


def parse_export(path: Path) -> list[Expense]:
    """Every row of a JSON export, validated; LedgerError names the first bad row."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LedgerError(f"cannot import {path}: {exc.__class__.__name__}") from None
    if not isinstance(rows, list):
        raise LedgerError(f"cannot import {path}: expected a JSON list")
    return [_row(i, row) for i, row in enumerate(rows, start=1)]


def _row(number: int, row: object) -> Expense:
    try:
        return Expense(parse_amount(str(row["amount"])), normalize_category(str(row["category"])),
                       str(row.get("note", "")))
    except (TypeError, KeyError, AttributeError, AmountError, LedgerError) as exc:
        raise LedgerError(f"row {number} is invalid: {exc}") from None


EXPORTERS = {"json": export_json, "csv": export_csv}
