"""Projects: a code, a name and an hourly rate."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from timesheet.entries import EntryError

CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


@dataclass(frozen=True)
class Project:
    """Hours logged against a project are billed at its rate."""

    code: str
    name: str
    rate: Decimal


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
