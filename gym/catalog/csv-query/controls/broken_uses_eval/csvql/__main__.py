"""Command line: ``python -m csvql "SELECT ... FROM file.csv ..."``; prints CSV."""

import csv
import sys

from csvql.engine import run
from csvql.errors import QueryError
from csvql.parser import parse_query


def main(argv: list[str]) -> int:
    """Run one query; errors are one line on stderr, exit 2."""
    if len(argv) != 1:
        print('usage: python -m csvql "SELECT ... FROM FILE ..."', file=sys.stderr)
        return 2
    try:
        header, rows = run(parse_query(argv[0]))
    except QueryError as exc:
        print(f"csvql: {exc}", file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
