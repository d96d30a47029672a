"""Command line: ``python -m expenses add AMOUNT CATEGORY [NOTE] | report``."""

import argparse
import sys

from expenses import ledger
from expenses.money import AmountError, format_amount, parse_amount
from expenses.report import render_report


def build_parser() -> argparse.ArgumentParser:
    """Sub-commands add and report."""
    parser = argparse.ArgumentParser(prog="expenses")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="record an expense")
    add.add_argument("amount")
    add.add_argument("category")
    add.add_argument("note", nargs="?", default="")
    sub.add_parser("report", help="totals per category")
    return parser


def add(args: argparse.Namespace) -> str:
    """Record one expense; the confirmation line."""
    expense = ledger.Expense(parse_amount(args.amount), ledger.normalize_category(args.category), args.note)
    expenses = ledger.load()
    ledger.save(expenses + [expense])
    return f"added {format_amount(expense.amount)} to {expense.category}\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point: bad input is one line on stderr and exit status 2."""
    args = build_parser().parse_args(argv)
    try:
        output = add(args) if args.command == "add" else render_report(ledger.load())
    except (AmountError, ledger.LedgerError) as exc:
        print(f"expenses: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
