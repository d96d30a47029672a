"""Command line: ``python -m timesheet project add|list, log, report [--by ...] [--format ...] [--from D] [--to D]``."""

import argparse
import sys

from timesheet import store
from timesheet.entries import Entry, EntryError, parse_date, parse_hours
from timesheet.projects import new_project, parse_rate
from timesheet.render import json_rows, text_rows
from timesheet.summary import by_project, by_week, hours_by_date


def build_parser() -> argparse.ArgumentParser:
    """Sub-commands project, log and report."""
    parser = argparse.ArgumentParser(prog="timesheet")
    sub = parser.add_subparsers(dest="command", required=True)
    project = sub.add_parser("project", help="manage projects").add_subparsers(dest="action", required=True)
    add = project.add_parser("add")
    add.add_argument("code")
    add.add_argument("name")
    add.add_argument("--rate", required=True)
    project.add_parser("list")
    rate = project.add_parser("rate", help="change a project's rate from a date on")
    rate.add_argument("code")
    rate.add_argument("rate")
    rate.add_argument("--from", dest="start", required=True, help="first date billed at the new rate")
    log = sub.add_parser("log", help="record hours worked on a date")
    log.add_argument("date")
    log.add_argument("hours")
    log.add_argument("--note", default="")
    log.add_argument("--project", default="")
    report = sub.add_parser("report", help="hours (and amounts) per date, project or week")
    report.add_argument("--by", choices=("date", "project", "week"), default="date")
    report.add_argument("--format", choices=("text", "json"), default="text")
    report.add_argument("--from", dest="start", help="first date included (YYYY-MM-DD)")
    report.add_argument("--to", dest="end", help="last date included (YYYY-MM-DD)")
    return parser


def log(sheet: store.Sheet, args: argparse.Namespace) -> str:
    """Record one entry; the project, when given, must exist."""
    if args.project and args.project not in sheet.projects:
        raise EntryError(f"unknown project '{args.project}'")
    entry = Entry(parse_date(args.date), parse_hours(args.hours), args.note, args.project)
    sheet.entries.append(entry)
    suffix = f" ({entry.project})" if entry.project else ""
    return f"logged {entry.hours}h on {entry.date}{suffix}\n"


def in_range(entries: list[Entry], start: str | None, end: str | None) -> list[Entry]:
    """Entries between two dates, both included; either bound may be open."""
    first = parse_date(start) if start else "0000-00-00"
    last = parse_date(end) if end else "9999-99-99"
    if first > last:
        raise EntryError(f"--from {first} is after --to {last}")
    return [e for e in entries if first <= e.date <= last]


def report(sheet: store.Sheet, args: argparse.Namespace) -> str:
    """The report grouped by date, project or week, over the chosen dates."""
    by, form = args.by, args.format
    entries = in_range(sheet.entries, args.start, args.end)
    if by == "date":
        rows = hours_by_date(entries)
        return json_rows(rows, "date", False) if form == "json" else text_rows(rows, False)
    rows = (by_project if by == "project" else by_week)(entries, sheet.projects)
    return json_rows(rows, by, True) if form == "json" else text_rows(rows, True)


def change_rate(sheet: store.Sheet, args: argparse.Namespace) -> str:
    """Record a new rate for an existing project from a date on."""
    if args.code not in sheet.projects:
        raise EntryError(f"unknown project '{args.code}'")
    start, rate = parse_date(args.start), parse_rate(args.rate)
    sheet.projects[args.code] = sheet.projects[args.code].with_change(start, rate)
    return f"rate for {args.code} from {start}: {rate}\n"


def run(sheet: store.Sheet, args: argparse.Namespace) -> tuple[str, bool]:
    """(output, whether the sheet changed)."""
    if args.command == "project" and args.action == "add":
        project = new_project(sheet.projects, args.code, args.name, args.rate)
        sheet.projects[project.code] = project
        return f"added project {project.code}\n", True
    if args.command == "project" and args.action == "rate":
        return change_rate(sheet, args), True
    if args.command == "project":
        return "".join(f"{p.code}  {p.name}  {p.latest_rate()}\n" for _, p in sorted(sheet.projects.items())), False
    if args.command == "log":
        return log(sheet, args), True
    return report(sheet, args), False


def main(argv: list[str] | None = None) -> int:
    """Entry point: bad input is one line on stderr and exit 2."""
    args = build_parser().parse_args(argv)
    try:
        sheet = store.load()
        output, changed = run(sheet, args)
        if changed:
            store.save(sheet)
    except EntryError as exc:
        print(f"timesheet: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
