"""Command line: ``python -m bank open NAME | deposit NAME AMOUNT | withdraw NAME AMOUNT | transfer FROM TO AMOUNT | balance NAME | statement NAME | close NAME``."""

import argparse
import sys

from bank.accounts import Bank, BankError, Transaction


def build_parser() -> argparse.ArgumentParser:
    """One sub-command per operation; amounts stay text until the bank parses them."""
    parser = argparse.ArgumentParser(prog="bank")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("open").add_argument("name")
    for name in ("deposit", "withdraw"):
        command = sub.add_parser(name)
        command.add_argument("name")
        command.add_argument("amount")
    transfer = sub.add_parser("transfer")
    transfer.add_argument("source")
    transfer.add_argument("target")
    transfer.add_argument("amount")
    sub.add_parser("balance").add_argument("name")
    sub.add_parser("statement").add_argument("name")
    sub.add_parser("close").add_argument("name")
    return parser


def format_transaction(t: Transaction) -> str:
    """``#3 transfer-out -0.30 -> 0.00``."""
    return f"#{t.seq} {t.kind} {t.amount:+.2f} -> {t.balance:.2f}"


def run(bank: Bank, args: argparse.Namespace) -> tuple[str, bool]:
    """Apply one command; (text to print, whether anything changed)."""
    if args.command == "open":
        bank.open(args.name)
        return f"opened {args.name}", True
    if args.command in ("deposit", "withdraw"):
        operation = bank.deposit if args.command == "deposit" else bank.withdraw
        return f"{args.name}: {operation(args.name, args.amount):.2f}", True
    if args.command == "transfer":
        moved = bank.transfer(args.source, args.target, args.amount)
        return f"moved {moved:.2f} from {args.source} to {args.target}", True
    if args.command == "close":
        bank.close(args.name)
        return f"closed {args.name}", True
    if args.command == "statement":
        return "\n".join(format_transaction(t) for t in bank.statement(args.name)), False
    suffix = " (closed)" if args.name in bank.closed else ""
    return f"{args.name}: {bank.balance(args.name):.2f}{suffix}", False


def main(argv: list[str] | None = None) -> int:
    """Entry point: a refused request changes nothing and is one line on stderr, exit 1."""
    args = build_parser().parse_args(argv)
    try:
        bank = Bank()
        text, changed = run(bank, args)
    except BankError as exc:
        print(f"bank: {exc}", file=sys.stderr)
        return 1
    if changed:
        bank.save()
    if text:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
