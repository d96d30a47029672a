"""Command line: ``python -m invoice render ORDER.json``."""

import argparse
import sys
from pathlib import Path

from invoice.adjustments import (discount_value, parse_discount, parse_tax_rate, percent_label,
                                 tax_value)
from invoice.order import Order, OrderError, load_order
from invoice.totals import line_total, subtotal


def render_text(order: Order) -> str:
    """The plain-text invoice."""
    out = [f"Invoice {order.number} for {order.customer}"]
    for line in order.lines:
        out.append(f"{line.qty} x {line.description} @ {line.unit_price:.2f} = {line_total(line)}")
    out += summary_lines(order)
    return "\n".join(out) + "\n"


def summary_lines(order: Order) -> list[str]:
    """Subtotal, the optional discount and tax lines, and the total."""
    discount, rate = parse_discount(order.discount), parse_tax_rate(order.tax_rate)
    total = subtotal(order.lines)
    out = [f"Subtotal: {total}"]
    if discount is not None:
        off = discount_value(discount, total)
        label = f" ({percent_label(discount.percent)})" if discount.percent is not None else ""
        out.append(f"Discount{label}: -{off}")
        total -= off
    if rate is not None:
        tax = tax_value(rate, total)
        out.append(f"Tax ({percent_label(rate * 100)}): {tax}")
        total += tax
    out.append(f"Total: {total}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point: a bad order is one line on stderr and exit 2."""
    parser = argparse.ArgumentParser(prog="invoice")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("render", help="print the invoice for an order").add_argument("order", type=Path)
    args = parser.parse_args(argv)
    try:
        text = render_text(load_order(args.order))
    except OrderError as exc:
        print(f"invoice: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
