"""The list of expenses and its JSON file (amounts stored as strings to stay exact)."""

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA_FILE = Path("expenses.json")


class LedgerError(Exception):
    """The data file is damaged."""


@dataclass(frozen=True)
class Expense:
    """One expense; the category is stored lower-case."""

    amount: Decimal
    category: str
    note: str = ""


def normalize_category(name: str) -> str:
    """Categories compare case-insensitively; blank ones are refused."""
    name = name.strip().lower()
    if not name:
        raise LedgerError("category must not be empty")
    return name


def load(path: Path = DATA_FILE) -> list[Expense]:
    """All recorded expenses, oldest first."""
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Expense(Decimal(r["amount"]), r["category"], r.get("note", "")) for r in rows]
    except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
        raise LedgerError(f"{path} is damaged: {exc.__class__.__name__}") from None


def save(expenses: list[Expense], path: Path = DATA_FILE) -> None:
    """Write atomically through a temporary file."""
    rows = [{"amount": str(e.amount), "category": e.category, "note": e.note} for e in expenses]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
