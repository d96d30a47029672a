"""Command line: ``python -m cronx EXPR --from 'YYYY-MM-DD HH:MM' [-n N]``."""

import argparse
import sys
from datetime import datetime

from cronx.fields import CronError
from cronx.schedule import next_times, parse

TIME_FORMAT = "%Y-%m-%d %H:%M"


def start_time(text: str) -> datetime:
    """argparse type for --from."""
    try:
        return datetime.strptime(text, TIME_FORMAT)
    except ValueError:
        raise argparse.ArgumentTypeError(f"use 'YYYY-MM-DD HH:MM', not '{text}'") from None


def count(text: str) -> int:
    """argparse type for -n: 1 to 1000."""
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError("must be a whole number from 1 to 1000")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """Print the next run times, one per line; a bad expression is one line on stderr, exit 2."""
    parser = argparse.ArgumentParser(prog="cronx", description="Next times a cron expression fires.")
    parser.add_argument("expression")
    parser.add_argument("--from", dest="start", type=start_time, required=True)
    parser.add_argument("-n", type=count, default=5, help="how many times (default 5)")
    args = parser.parse_args(argv)
    try:
        times = next_times(parse(args.expression), args.start, args.n)
    except CronError as exc:
        print(f"cronx: {exc}", file=sys.stderr)
        return 2
    for moment in times:
        print(moment.strftime(TIME_FORMAT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
