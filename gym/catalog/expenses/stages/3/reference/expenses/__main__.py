"""Command line: ``python -m expenses add AMOUNT CATEGORY [NOTE] | report | export --format F | import FILE | budget CATEGORY AMOUNT``."""

import argparse
import sys
from pathlib import Path

from expenses import ledger
from expenses.budgets import load_budgets, set_budget
from expenses.money import AmountError, format_amount, parse_amount
from expenses.report import render_report
from expenses.transfer import EXPORTERS, parse_export


def build_parser() -> argparse.ArgumentParser:
    """Sub-commands add and report."""
    parser = argparse.ArgumentParser(prog="expenses")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="record an expense")
    add.add_argument("amount")
    add.add_argument("category")
    add.add_argument("note", nargs="?", default="")
    sub.add_parser("report", help="totals per category")
    export = sub.add_parser("export", help="print every expense")
    export.add_argument("--format", choices=sorted(EXPORTERS), default="json")
    sub.add_parser("import", help="add the expenses of a JSON export").add_argument("file", type=Path)
    budget = sub.add_parser("budget", help="set a category's budget")
    budget.add_argument("category")
    budget.add_argument("amount")
    return parser


def import_file(path: Path) -> str:
    """Append a whole export, or nothing when any row is bad."""
    incoming = parse_export(path)
    ledger.save(ledger.load() + incoming)
    return f"imported {len(incoming)}\n"


def run(args: argparse.Namespace) -> str:
    """The output of one command."""
    if args.command == "add":
        return add(args)
    if args.command == "export":
        return EXPORTERS[args.format](ledger.load())
    if args.command == "import":
        return import_file(args.file)
    if args.command == "budget":
        name, value = set_budget(args.category, args.amount)
        return f"budget for {name}: {format_amount(value)}\n"
    return render_report(ledger.load(), load_budgets())


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
        output = run(args)
    except (AmountError, ledger.LedgerError) as exc:
        print(f"expenses: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
