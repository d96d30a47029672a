"""Budgets per category, kept in budgets.json next to the expenses."""

import json
import os
from decimal import Decimal
from pathlib import Path

from expenses.ledger import LedgerError, normalize_category
from expenses.money import parse_amount

BUDGET_FILE = Path("budgets.json")


def load_budgets(path: Path = BUDGET_FILE) -> dict[str, Decimal]:
    """Category -> budget; empty when none were set."""
    if not path.exists():
        return {}
    try:
        return {k: Decimal(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    except (ValueError, TypeError, AttributeError, ArithmeticError) as exc:
        raise LedgerError(f"{path} is damaged: {exc.__class__.__name__}") from None


def set_budget(category: str, amount: str, path: Path = BUDGET_FILE) -> tuple[str, Decimal]:
    """Set (or replace) a category's budget and save; the normalized pair."""
    budgets = load_budgets(path)
    name, value = normalize_category(category), parse_amount(amount)
    budgets[name] = value
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({k: str(v) for k, v in sorted(budgets.items())}, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return name, value


def standing(spent: Decimal, budget: Decimal) -> str:
    """``budget 20.00, 5.00 left`` or ``budget 5.00, over by 2.25``."""
    if spent > budget:
        return f"budget {budget:.2f}, over by {spent - budget:.2f}"
    return f"budget {budget:.2f}, {budget - spent:.2f} left"
