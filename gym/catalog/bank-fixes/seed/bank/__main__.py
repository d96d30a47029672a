"""Command line: ``python -m bank open NAME | deposit NAME AMOUNT | withdraw NAME AMOUNT | transfer FROM TO AMOUNT | balance NAME``."""

import argparse
import sys

from bank.accounts import Bank, BankError


def build_parser() -> argparse.ArgumentParser:
    """One sub-command per operation."""
    parser = argparse.ArgumentParser(prog="bank")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("open").add_argument("name")
    for name in ("deposit", "withdraw"):
        command = sub.add_parser(name)
        command.add_argument("name")
        command.add_argument("amount", type=float)
    transfer = sub.add_parser("transfer")
    transfer.add_argument("source")
    transfer.add_argument("target")
    transfer.add_argument("amount", type=float)
    sub.add_parser("balance").add_argument("name")
    return parser


def run(bank: Bank, args: argparse.Namespace) -> str:
    """Apply one command; the line to print."""
    if args.command == "open":
        bank.open(args.name)
        return f"opened {args.name}"
    if args.command == "deposit":
        return f"{args.name}: {bank.deposit(args.name, args.amount)}"
    if args.command == "withdraw":
        return f"{args.name}: {bank.withdraw(args.name, args.amount)}"
    if args.command == "transfer":
        bank.transfer(args.source, args.target, args.amount)
        return f"moved {args.amount} from {args.source} to {args.target}"
    return f"{args.name}: {bank.balances[args.name]}"


def main(argv: list[str] | None = None) -> int:
    """Entry point: refused requests are one line on stderr, exit 1."""
    args = build_parser().parse_args(argv)
    bank = Bank()
    try:
        line = run(bank, args)
    except BankError as exc:
        bank.save()
        print(f"bank: {exc}", file=sys.stderr)
        return 1
    bank.save()
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
