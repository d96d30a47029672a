from decimal import Decimal

from expenses.budgets import load_budgets, set_budget, standing
from expenses.ledger import Expense
from expenses.report import render_report


def test_standing_says_left_or_over():
    assert standing(Decimal("15.00"), Decimal("20")) == "budget 20.00, 5.00 left"
    assert standing(Decimal("7.25"), Decimal("5")) == "budget 5.00, over by 2.25"


def test_budgets_persist_and_show_in_the_report(tmp_path):
    path = tmp_path / "b.json"
    set_budget("Food", "20", path)
    report = render_report([Expense(Decimal("15.00"), "food"), Expense(Decimal("1"), "misc")], load_budgets(path))
    assert report.splitlines()[0].endswith("15.00  (budget 20.00, 5.00 left)")
    assert report.splitlines()[1].endswith(" 1.00")
