"""Projects: a code, a name and an hourly rate that may change from a given date."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from timesheet.entries import EntryError

CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


@dataclass(frozen=True)
class Project:
    """Hours logged against a project are billed at the rate in force on their date.

    ``rate`` applies from the beginning; ``changes`` are (first date, rate) pairs in date order.
    """

    code: str
    name: str
    rate: Decimal
    changes: tuple[tuple[str, Decimal], ...] = field(default=())

    def rate_on(self, day: str) -> Decimal:
        """The rate for work done on ``day`` (ISO date)."""
        current = self.rate
        for start, rate in self.changes:
            if start <= day:
                current = rate
        return current

    def latest_rate(self) -> Decimal:
        """The most recently starting rate."""
        return self.changes[-1][1] if self.changes else self.rate

    def with_change(self, start: str, rate: Decimal) -> "Project":
        """A copy with a rate starting on ``start`` (replacing one that starts the same day)."""
        changes = dict(self.changes)
        changes[start] = rate
        return Project(self.code, self.name, self.rate, tuple(sorted(changes.items())))


def parse_code(text: str) -> str:
    """2-10 upper-case letters/digits starting with a letter."""
    if not CODE.match(text):
        raise EntryError(f"project code must be 2-10 upper-case letters/digits: '{text}'")
    return text


def parse_rate(text: str) -> Decimal:
    """A non-negative hourly rate with at most two decimals."""
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise EntryError(f"not a rate: '{text}'") from None
    if not rate.is_finite() or rate < 0 or rate != rate.quantize(Decimal("0.01")):
        raise EntryError(f"rate must be >= 0 with at most two decimals: '{text}'")
    return rate.quantize(Decimal("0.01"))


def new_project(projects: dict[str, Project], code: str, name: str, rate: str) -> Project:
    """Validate a new project; codes are unique."""
    code = parse_code(code)
    if code in projects:
        raise EntryError(f"project {code} already exists")
    if not name.strip():
        raise EntryError("project name must not be empty")
    return Project(code, name.strip(), parse_rate(rate))
