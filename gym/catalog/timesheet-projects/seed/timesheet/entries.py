"""Time entries: validation and the JSON file (a list of {"date", "hours", "note"})."""

import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_FILE = Path("timesheet.json")
QUARTER = Decimal("0.25")


class EntryError(Exception):
    """A date, a number of hours or a data file that cannot be used."""


@dataclass(frozen=True)
class Entry:
    """Hours worked on one day; hours in quarter-hour steps, as a decimal string in the file."""

    date: str
    hours: Decimal
    note: str = ""


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


def load_entries(path: Path = DATA_FILE) -> list[Entry]:
    """Entries in the order logged."""
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Entry(r["date"], Decimal(r["hours"]), r.get("note", "")) for r in rows]
    except (ValueError, KeyError, TypeError, InvalidOperation):
        raise EntryError(f"{path} is damaged") from None


def save_entries(entries: list[Entry], path: Path = DATA_FILE) -> None:
    """Write the whole list."""
    rows = [{**asdict(e), "hours": str(e.hours)} for e in entries]
    path.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
