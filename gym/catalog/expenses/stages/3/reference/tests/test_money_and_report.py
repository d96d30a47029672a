from decimal import Decimal

import pytest

from expenses.ledger import Expense
from expenses.money import AmountError, parse_amount
from expenses.report import totals


def test_amounts_are_exact():
    assert parse_amount("0.10") + parse_amount("0.20") == Decimal("0.30")


@pytest.mark.parametrize("text", ["0", "-5", "abc", "1.234", "nan"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_totals_sorted_by_amount_then_name():
    rows = [Expense(Decimal("5"), "b"), Expense(Decimal("5"), "a"), Expense(Decimal("9"), "c")]
    assert [name for name, _ in totals(rows)] == ["c", "a", "b"]
