from decimal import Decimal

from invoice.breakdown import compute
from invoice.order import Line, Order


def test_breakdown_without_adjustments_has_zero_discount_and_tax():
    money = compute(Order("1", "c", [Line("x", 2, Decimal("1.50"))]))
    assert (money.subtotal, money.discount, money.tax, money.total) == (
        Decimal("3.00"), Decimal("0.00"), Decimal("0.00"), Decimal("3.00"))
    assert money.discount_label is None and money.tax_label is None


def test_breakdown_labels():
    money = compute(Order("1", "c", [Line("x", 1, Decimal("10"))], {"percent": 12.5}, "0.075"))
    assert (money.discount_label, money.tax_label) == ("12.5%", "7.5%")
