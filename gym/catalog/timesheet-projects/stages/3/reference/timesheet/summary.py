"""Totals of hours."""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from timesheet.entries import Entry
from timesheet.projects import Project

UNASSIGNED = "(none)"


def hours_by_date(entries: list[Entry]) -> list[tuple[str, Decimal]]:
    """(date, total hours) in date order."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        totals[entry.date] += entry.hours
    return sorted(totals.items())


def week_of(day: str) -> str:
    """The ISO week of a date: ``2024-W10``."""
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def billed(entries: list[Entry], projects: dict[str, Project], key) -> list[tuple[str, Decimal, Decimal]]:
    """(group, hours, amount) per ``key(entry)`` sorted by group; unassigned hours bill nothing."""
    hours: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    amount: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for entry in entries:
        group = key(entry)
        hours[group] += entry.hours
        project = projects.get(entry.project)
        if project is not None:
            amount[group] += (entry.hours * project.rate_on(entry.date)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return [(group, hours[group], amount[group]) for group in sorted(hours)]


def by_project(entries: list[Entry], projects: dict[str, Project]) -> list[tuple[str, Decimal, Decimal]]:
    """Hours and amount per project code, unassigned hours under ``(none)``."""
    return billed(entries, projects, lambda e: e.project or UNASSIGNED)


def by_week(entries: list[Entry], projects: dict[str, Project]) -> list[tuple[str, Decimal, Decimal]]:
    """Hours and amount per ISO week."""
    return billed(entries, projects, lambda e: week_of(e.date))
