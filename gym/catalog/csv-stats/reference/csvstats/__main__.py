"""Command line: ``python -m csvstats FILE [--column NAME]... [--format text|json|csv]``."""

import argparse
import sys
from pathlib import Path

from csvstats.reader import CsvError, numeric_columns, read_columns
from csvstats.render import RENDERERS
from csvstats.stats import summarize


def build_parser() -> argparse.ArgumentParser:
    """The command's options."""
    parser = argparse.ArgumentParser(prog="csvstats", description="Summarize numeric CSV columns.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--column", action="append", help="only this column (repeatable)")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    return parser


def select(numeric: dict[str, list[float]], wanted: list[str] | None, all_names: list[str]) -> dict[str, list[float]]:
    """The requested columns; a missing or non-numeric one is a CsvError."""
    if not wanted:
        return numeric
    for name in wanted:
        if name not in all_names:
            raise CsvError(f"no column named '{name}'")
        if name not in numeric:
            raise CsvError(f"column '{name}' is not numeric")
    return {name: numeric[name] for name in wanted}


def main(argv: list[str] | None = None) -> int:
    """Entry point: errors are one line on stderr, exit 2."""
    args = build_parser().parse_args(argv)
    try:
        columns = read_columns(args.file)
        chosen = select(numeric_columns(columns), args.column, list(columns))
    except CsvError as exc:
        print(f"csvstats: {exc}", file=sys.stderr)
        return 2
    summaries = {name: summarize(values) for name, values in chosen.items()}
    sys.stdout.write(RENDERERS[args.format](summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
