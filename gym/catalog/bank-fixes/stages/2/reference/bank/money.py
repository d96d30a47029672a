"""Exact money: Decimal amounts with two decimals."""

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")


class AmountError(ValueError):
    """Text that is not a positive amount with at most two decimals."""


def parse_amount(value: object) -> Decimal:
    """A positive amount such as ``12.5``; AmountError otherwise."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise AmountError(f"not an amount: '{value}'") from None
    if not amount.is_finite() or amount <= 0:
        raise AmountError(f"amount must be positive: '{value}'")
    if amount != amount.quantize(CENT):
        raise AmountError(f"amount has more than two decimals: '{value}'")
    return amount.quantize(CENT)


def to_cents(value: object) -> Decimal:
    """Any stored number (old files hold floats) as an exact amount in cents."""
    return Decimal(str(value)).quantize(CENT)
