"""Command line: ``python -m grades report FILE [--weights homework=40,exam=60] [--format text|csv|json]``."""

import argparse
import sys
from pathlib import Path

from grades.calc import by_student, percent
from grades.output import FORMATS
from grades.loader import GradesError, load_scores
from grades.weights import parse_weights, weighted_percent


def main(argv: list[str] | None = None) -> int:
    """Print ``NAME: 87.5% B`` per student; bad input is one line on stderr, exit 2."""
    parser = argparse.ArgumentParser(prog="grades")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="percentage and letter per student")
    report.add_argument("file", type=Path)
    report.add_argument("--weights", help="category weights, e.g. homework=40,exam=60")
    report.add_argument("--format", choices=sorted(FORMATS), default="text")
    args = parser.parse_args(argv)
    try:
        results = student_percentages(args.file, args.weights)
    except GradesError as exc:
        print(f"grades: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(FORMATS[args.format](results))
    return 0


def student_percentages(path: Path, weights_text: str | None) -> dict[str, float]:
    """Each student's percentage, weighted by category when weights are given."""
    groups = by_student(load_scores(path))
    if weights_text is None:
        return {student: percent(scores) for student, scores in groups.items()}
    weights = parse_weights(weights_text)
    return {student: weighted_percent(scores, weights) for student, scores in groups.items()}


if __name__ == "__main__":
    sys.exit(main())
