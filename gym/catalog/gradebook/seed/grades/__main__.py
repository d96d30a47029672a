"""Command line: ``python -m grades report FILE``."""

import argparse
import sys
from pathlib import Path

from grades.calc import by_student, percent
from grades.loader import GradesError, load_scores


def main(argv: list[str] | None = None) -> int:
    """Print ``NAME: 87.5%`` per student; bad input is one line on stderr, exit 2."""
    parser = argparse.ArgumentParser(prog="grades")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("report", help="percentage per student").add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        groups = by_student(load_scores(args.file))
    except GradesError as exc:
        print(f"grades: {exc}", file=sys.stderr)
        return 2
    for student, scores in groups.items():
        print(f"{student}: {percent(scores):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
