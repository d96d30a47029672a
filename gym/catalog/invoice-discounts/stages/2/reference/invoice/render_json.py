"""The invoice as JSON: the same numbers as the text form, amounts as strings."""

import json

from invoice.adjustments import discount_value, parse_discount, parse_tax_rate, tax_value
from invoice.order import Order
from invoice.totals import line_total, subtotal


def render_json(order: Order) -> str:
    """``{"number", "customer", "lines", "subtotal", "discount", "tax", "total"}``."""
    discount, rate = parse_discount(order.discount), parse_tax_rate(order.tax_rate)
    sub = subtotal(order.lines)
    off = discount_value(discount, sub) if discount is not None else sub - sub
    tax = tax_value(rate, sub - off) if rate is not None else sub - sub
    data = {
        "number": order.number,
        "customer": order.customer,
        "lines": [{"description": line.description, "qty": line.qty,
                   "unit_price": f"{line.unit_price:.2f}", "total": str(line_total(line))}
                  for line in order.lines],
        "subtotal": str(sub),
        "discount": str(off),
        "tax": str(tax),
        "total": str(sub - off + tax),
    }
    return json.dumps(data, indent=2) + "\n"
