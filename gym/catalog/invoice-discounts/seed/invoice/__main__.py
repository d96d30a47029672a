"""Command line: ``python -m invoice render ORDER.json``."""

import argparse
import sys
from pathlib import Path

from invoice.order import Order, OrderError, load_order
from invoice.totals import line_total, subtotal


def render_text(order: Order) -> str:
    """The plain-text invoice."""
    out = [f"Invoice {order.number} for {order.customer}"]
    for line in order.lines:
        out.append(f"{line.qty} x {line.description} @ {line.unit_price:.2f} = {line_total(line)}")
    total = subtotal(order.lines)
    out += [f"Subtotal: {total}", f"Total: {total}"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point: a bad order is one line on stderr and exit 2."""
    parser = argparse.ArgumentParser(prog="invoice")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("render", help="print the invoice for an order").add_argument("order", type=Path)
    args = parser.parse_args(argv)
    try:
        order = load_order(args.order)
    except OrderError as exc:
        print(f"invoice: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render_text(order))
    return 0


if __name__ == "__main__":
    sys.exit(main())
