"""The plain-text invoice."""

from invoice.breakdown import compute
from invoice.order import Order
from invoice.totals import line_total


def render_text(order: Order) -> str:
    """Header, one line per order line, then subtotal, discount, tax and total."""
    out = [f"Invoice {order.number} for {order.customer}"]
    for line in order.lines:
        out.append(f"{line.qty} x {line.description} @ {line.unit_price:.2f} = {line_total(line)}")
    money = compute(order)
    out.append(f"Subtotal: {money.subtotal}")
    if money.discount_label is not None:
        label = f" ({money.discount_label})" if money.discount_label else ""
        out.append(f"Discount{label}: -{money.discount}")
    if money.tax_label is not None:
        out.append(f"Tax ({money.tax_label}): {money.tax}")
    out.append(f"Total: {money.total}")
    return "\n".join(out) + "\n"
