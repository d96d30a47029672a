"""Command line: ``python -m timesheet log DATE HOURS [--note N] | report``."""

import argparse
import sys
from decimal import Decimal

from timesheet.entries import Entry, EntryError, load_entries, parse_date, parse_hours, save_entries
from timesheet.summary import hours_by_date


def build_parser() -> argparse.ArgumentParser:
    """Sub-commands log and report."""
    parser = argparse.ArgumentParser(prog="timesheet")
    sub = parser.add_subparsers(dest="command", required=True)
    log = sub.add_parser("log", help="record hours worked on a date")
    log.add_argument("date")
    log.add_argument("hours")
    log.add_argument("--note", default="")
    sub.add_parser("report", help="hours per date and in total")
    return parser


def report(entries: list[Entry]) -> str:
    """``DATE  HOURS`` lines and a total line."""
    rows = hours_by_date(entries)
    lines = [f"{day}  {hours:>6}" for day, hours in rows]
    lines.append(f"{'total':<10}  {sum((h for _, h in rows), Decimal('0.00')):>6}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point: bad input is one line on stderr and exit 2."""
    args = build_parser().parse_args(argv)
    try:
        entries = load_entries()
        if args.command == "log":
            entry = Entry(parse_date(args.date), parse_hours(args.hours), args.note)
            save_entries(entries + [entry])
            print(f"logged {entry.hours}h on {entry.date}")
        else:
            sys.stdout.write(report(entries))
    except EntryError as exc:
        print(f"timesheet: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
