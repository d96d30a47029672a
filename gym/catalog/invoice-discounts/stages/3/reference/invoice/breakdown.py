"""The money breakdown of an invoice, computed once and shared by every renderer."""

from dataclasses import dataclass
from decimal import Decimal

from invoice.adjustments import (discount_value, parse_discount, parse_tax_rate, percent_label,
                                 tax_value)
from invoice.order import Order
from invoice.totals import subtotal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Breakdown:
    """Subtotal, discount and tax (zero when absent), total, and the labels the text form prints."""

    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal
    discount_label: str | None  # None: no discount line; "" for a fixed amount, "10%" for a percentage
    tax_label: str | None


def compute(order: Order) -> Breakdown:
    """Apply the discount to the subtotal, then tax the rest."""
    discount, rate = parse_discount(order.discount), parse_tax_rate(order.tax_rate)
    sub = subtotal(order.lines)
    off = discount_value(discount, sub) if discount is not None else ZERO
    tax = tax_value(rate, sub - off) if rate is not None else ZERO
    discount_label = None
    if discount is not None:
        discount_label = percent_label(discount.percent) if discount.percent is not None else ""
    tax_label = percent_label(rate * 100) if rate is not None else None
    return Breakdown(sub, off, tax, sub - off + tax, discount_label, tax_label)
