"""Time entries and their validation rules (the data file is timesheet.store)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

QUARTER = Decimal("0.25")


class EntryError(Exception):
    """A date, a number of hours or a data file that cannot be used."""


@dataclass(frozen=True)
class Entry:
    """Hours worked on one day; hours in quarter-hour steps, as a decimal string in the file."""

    date: str
    hours: Decimal
    note: str = ""
    project: str = ""


def parse_date(text: str) -> str:
    """An ISO date YYYY-MM-DD, returned normalized."""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise EntryError(f"not a date (YYYY-MM-DD): '{text}'") from None


def parse_hours(text: str) -> Decimal:
    """More than 0 and at most 24, in steps of 0.25."""
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise EntryError(f"not a number of hours: '{text}'") from None
    if not 0 < hours <= 24 or hours % QUARTER != 0:
        raise EntryError(f"hours must be in (0, 24] in steps of 0.25: '{text}'")
    return hours.quantize(Decimal("0.01"))
