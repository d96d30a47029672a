from decimal import Decimal

import pytest

from invoice.adjustments import (discount_value, parse_discount, parse_tax_rate, percent_label,
                                 tax_value)
from invoice.order import OrderError


def test_percent_discount_rounds_half_up():
    assert discount_value(parse_discount({"percent": 10}), Decimal("101.05")) == Decimal("10.11")


def test_fixed_discount_cannot_exceed_subtotal():
    with pytest.raises(OrderError, match="exceeds"):
        discount_value(parse_discount({"amount": "50"}), Decimal("20.00"))


def test_tax_applies_to_the_discounted_amount():
    assert tax_value(parse_tax_rate("0.20"), Decimal("90.94")) == Decimal("18.19")


@pytest.mark.parametrize("raw", [{"percent": 120}, {"amount": "-1"}, {"percent": 5, "amount": 1}, "10%"])
def test_bad_discounts_are_order_errors(raw):
    with pytest.raises(OrderError):
        parse_discount(raw)


def test_percent_labels_drop_trailing_zeros():
    assert percent_label(Decimal("20.00")) == "20%"
    assert percent_label(Decimal("7.500")) == "7.5%"
