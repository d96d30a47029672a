"""Command line: ``python -m csvstats FILE [--column NAME]... [--group-by COL] [--format text|json|csv]``."""

import argparse
import sys
from pathlib import Path

from csvstats.grouping import group_columns
from csvstats.reader import CsvError, numeric_columns, read_columns
from csvstats import formats
from csvstats.stats import summarize


def build_parser() -> argparse.ArgumentParser:
    """The command's options."""
    parser = argparse.ArgumentParser(prog="csvstats", description="Summarize numeric CSV columns.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--column", action="append", help="only this column (repeatable)")
    parser.add_argument("--format", choices=sorted(formats.REGISTRY), default="text")
    parser.add_argument("--group-by", metavar="COLUMN", help="summarise each value of COLUMN separately")
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
        output = grouped(args) if args.group_by else ungrouped(args)
    except CsvError as exc:
        print(f"csvstats: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(output)
    return 0


def summaries_of(columns: dict[str, list[str]], wanted: list[str] | None, strict: bool = True) -> dict:
    """Summaries of the wanted numeric columns; ``strict`` makes a missing one an error."""
    numeric = numeric_columns(columns)
    if not strict:
        wanted = [w for w in wanted or numeric if w in numeric]
        return {name: summarize(numeric[name]) for name in wanted}
    return {name: summarize(values) for name, values in select(numeric, wanted, list(columns)).items()}


def ungrouped(args: argparse.Namespace) -> str:
    """The output without --group-by."""
    return formats.get(args.format).render(summaries_of(read_columns(args.file), args.column))


def grouped(args: argparse.Namespace) -> str:
    """The output with --group-by: columns are validated against the whole file first."""
    columns = read_columns(args.file)
    groups = group_columns(columns, args.group_by)
    rest = {name: cells for name, cells in columns.items() if name != args.group_by}
    wanted = list(summaries_of(rest, args.column))
    per_group = {g: summaries_of(cols, wanted, strict=False) for g, cols in groups.items()}
    return formats.get(args.format).render_grouped({g: s for g, s in per_group.items() if s})


if __name__ == "__main__":
    sys.exit(main())
