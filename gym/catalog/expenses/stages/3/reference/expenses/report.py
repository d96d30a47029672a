"""Totals per category."""

from collections import defaultdict
from decimal import Decimal

from expenses.budgets import standing
from expenses.ledger import Expense
from expenses.money import format_amount


def totals(expenses: list[Expense]) -> list[tuple[str, Decimal]]:
    """(category, total) with the largest total first, ties by name."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for expense in expenses:
        sums[expense.category] += expense.amount
    return sorted(sums.items(), key=lambda item: (-item[1], item[0]))


def render_report(expenses: list[Expense], budgets: dict[str, Decimal] | None = None) -> str:
    """``category total`` lines (with the budget standing where one is set) and a ``total`` line."""
    rows = totals(expenses)
    if not rows:
        return "no expenses recorded\n"
    budgets = budgets or {}
    width = max(len(name) for name, _ in rows + [("total", 0)])
    lines = [f"{name:<{width}}  {format_amount(amount):>10}"
             + (f"  ({standing(amount, budgets[name])})" if name in budgets else "")
             for name, amount in rows]
    grand = sum((amount for _, amount in rows), Decimal(0))
    lines.append(f"{'total':<{width}}  {format_amount(grand):>10}")
    return "".join(line + "\n" for line in lines)
