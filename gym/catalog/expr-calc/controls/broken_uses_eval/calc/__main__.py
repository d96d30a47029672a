"""Command line: ``python -m calc [--tokens | --ast] EXPR``."""

import argparse
import sys

from calc.errors import CalcError
from calc.evaluator import evaluate, format_number
from calc.lexer import tokenize
from calc.parser import parse, to_prefix


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the calc command."""
    parser = argparse.ArgumentParser(prog="calc", description="Evaluate an arithmetic expression.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--tokens", action="store_true", help="print the tokens, one per line")
    mode.add_argument("--ast", action="store_true", help="print the parse tree in prefix form")
    parser.add_argument("expr", help="the expression, e.g. '2 + 3 * 4'")
    return parser


def run(args: argparse.Namespace) -> str:
    """The text to print for the parsed arguments."""
    if args.tokens:
        return "\n".join(f"{t.kind} {t.value}" for t in tokenize(args.expr) if t.kind != "END")
    tree = parse(args.expr)
    if args.ast:
        return to_prefix(tree)
    return format_number(evaluate(tree))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        print(run(args))
    except CalcError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
