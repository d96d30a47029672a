"""Exact money: Decimal amounts with two decimals."""

from decimal import Decimal, InvalidOperation

from inventory.errors import InputError

CENT = Decimal("0.01")


def parse_money(text: str, what: str = "amount") -> Decimal:
    """A non-negative amount with at most two decimals."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise InputError(f"{what} must be a number, got '{text}'") from None
    if not value.is_finite() or value < 0:
        raise InputError(f"{what} must not be negative, got '{text}'")
    if value != value.quantize(CENT):
        raise InputError(f"{what} has more than two decimals: '{text}'")
    return value.quantize(CENT)


def fmt(value: Decimal) -> str:
    """Two decimals: ``1234.50``."""
    return f"{value.quantize(CENT):.2f}"
