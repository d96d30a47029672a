import pytest

from expenses.ledger import Expense
from expenses.money import AmountError, parse_amount
from expenses.report import totals


def test_amounts_parse():
    assert parse_amount("12") + parse_amount("3") == 15


@pytest.mark.parametrize("text", ["0", "-5", "abc", "nan"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_totals_sorted_by_amount_then_name():
    rows = [Expense(5.0, "b"), Expense(5.0, "a"), Expense(9.0, "c")]
    assert [name for name, _ in totals(rows)] == ["c", "a", "b"]
