"""Totals of hours."""

from collections import defaultdict
from decimal import Decimal

from timesheet.entries import Entry


def hours_by_date(entries: list[Entry]) -> list[tuple[str, Decimal]]:
    """(date, total hours) in date order."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        totals[entry.date] += entry.hours
    return sorted(totals.items())
