"""Command line: ``python -m invoice render ORDER.json [--format text|json]``."""

import argparse
import sys
from pathlib import Path

from invoice.order import OrderError, load_order
from invoice.render_json import render_json
from invoice.render_text import render_text

RENDERERS = {"text": render_text, "json": render_json}


def main(argv: list[str] | None = None) -> int:
    """Entry point: a bad order is one line on stderr and exit 2."""
    parser = argparse.ArgumentParser(prog="invoice")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="print the invoice for an order")
    render.add_argument("order", type=Path)
    render.add_argument("--format", choices=sorted(RENDERERS), default="text")
    args = parser.parse_args(argv)
    try:
        text = RENDERERS[args.format](load_order(args.order))
    except OrderError as exc:
        print(f"invoice: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
