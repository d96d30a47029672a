"""The records: suppliers, items and stock movements, with their validation rules."""

import re
from dataclasses import dataclass
from decimal import Decimal

from inventory.errors import InputError

SKU_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
SUPPLIER_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
LOCATION_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")
DEFAULT_LOCATION = "main"
MOVE_NOTE = "move"  # both halves of a transfer between locations carry this note
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Supplier:
    """A company items are bought from."""

    id: str
    name: str
    email: str = ""


@dataclass
class Item:
    """A stocked product; its quantity is derived from movements."""

    sku: str
    name: str
    category: str
    cost: Decimal
    reorder_level: int = 0
    supplier: str = ""


@dataclass
class Movement:
    """Stock in (positive qty) or out (negative qty) at one location; ``seq`` orders them."""

    seq: int
    sku: str
    qty: int
    note: str = ""
    location: str = DEFAULT_LOCATION


def check_sku(sku: str) -> str:
    """SKUs are upper-case letters, digits and dashes, 1-20 characters."""
    if not SKU_PATTERN.match(sku):
        raise InputError(f"invalid SKU '{sku}': use A-Z, 0-9 and '-', at most 20 characters")
    return sku


def check_supplier_id(supplier_id: str) -> str:
    """Supplier ids are lower-case letters, digits, '_' and '-'."""
    if not SUPPLIER_PATTERN.match(supplier_id):
        raise InputError(f"invalid supplier id '{supplier_id}': use a-z, 0-9, '_' and '-'")
    return supplier_id


def check_location(location: str) -> str:
    """Location names are lower-case letters, digits and '-'."""
    if not LOCATION_PATTERN.match(location):
        raise InputError(f"invalid location '{location}': use a-z, 0-9 and '-'")
    return location


def check_email(email: str) -> str:
    """An empty string or something shaped like an address."""
    if email and not EMAIL_PATTERN.match(email):
        raise InputError(f"invalid email '{email}'")
    return email


def check_name(name: str, what: str = "name") -> str:
    """Names must not be blank; surrounding spaces are dropped."""
    if not name.strip():
        raise InputError(f"{what} must not be empty")
    return name.strip()


def parse_quantity(text: str, *, allow_zero: bool = False) -> int:
    """A positive whole number (or zero when allowed)."""
    try:
        qty = int(str(text).strip())
    except ValueError:
        raise InputError(f"quantity must be a whole number, got '{text}'") from None
    if qty < 0 or (qty == 0 and not allow_zero):
        raise InputError(f"quantity must be {'zero or more' if allow_zero else 'positive'}, got '{text}'")
    return qty
