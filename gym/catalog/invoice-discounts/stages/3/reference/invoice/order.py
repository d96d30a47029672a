"""Read an order file: {"number", "customer", "lines": [{"description", "qty", "unit_price"}],
"discount"?, "tax_rate"?}; the optional fields are kept raw and parsed by invoice.adjustments."""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path


class OrderError(Exception):
    """An order file that cannot be invoiced."""


@dataclass(frozen=True)
class Line:
    """One invoice line."""

    description: str
    qty: int
    unit_price: Decimal


@dataclass(frozen=True)
class Order:
    """An order with its lines."""

    number: str
    customer: str
    lines: list[Line]
    discount: object = None
    tax_rate: object = None


def _line(index: int, raw: dict) -> Line:
    try:
        qty = raw["qty"]
        price = Decimal(str(raw["unit_price"]))
    except (KeyError, TypeError, InvalidOperation):
        raise OrderError(f"line {index}: needs qty and a numeric unit_price") from None
    if not isinstance(qty, int) or qty <= 0 or price < 0:
        raise OrderError(f"line {index}: qty must be a positive whole number and unit_price >= 0")
    return Line(str(raw.get("description", "")), qty, price)


def load_order(path: Path) -> Order:
    """Parse and validate an order file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        lines = [_line(i, line) for i, line in enumerate(raw["lines"], start=1)]
        return Order(str(raw["number"]), str(raw["customer"]), lines,
                     raw.get("discount"), raw.get("tax_rate"))
    except OSError as exc:
        raise OrderError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise OrderError(f"{path} is not a valid order: {exc}") from None
