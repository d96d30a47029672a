"""Invoice arithmetic every version must keep."""

from decimal import Decimal

from invoice.order import Line
from invoice.totals import line_total, subtotal, to_cents


def test_rounding_is_half_up_to_cents():
    assert to_cents(Decimal("1.005")) == Decimal("1.01")
    assert to_cents(Decimal("2.675")) == Decimal("2.68")


def test_line_totals_and_subtotal():
    lines = [Line("a", 3, Decimal("0.335")), Line("b", 1, Decimal("10"))]
    assert line_total(lines[0]) == Decimal("1.01")
    assert subtotal(lines) == Decimal("11.01")
