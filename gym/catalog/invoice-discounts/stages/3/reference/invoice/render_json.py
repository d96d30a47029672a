"""The invoice as JSON: the same numbers as the text form, amounts as strings."""

import json

from invoice.breakdown import compute
from invoice.order import Order
from invoice.totals import line_total


def render_json(order: Order) -> str:
    """``{"number", "customer", "lines", "subtotal", "discount", "tax", "total"}``."""
    money = compute(order)
    data = {
        "number": order.number,
        "customer": order.customer,
        "lines": [{"description": line.description, "qty": line.qty,
                   "unit_price": f"{line.unit_price:.2f}", "total": str(line_total(line))}
                  for line in order.lines],
        "subtotal": str(money.subtotal),
        "discount": str(money.discount),
        "tax": str(money.tax),
        "total": str(money.total),
    }
    return json.dumps(data, indent=2) + "\n"
