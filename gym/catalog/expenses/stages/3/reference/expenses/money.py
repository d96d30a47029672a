"""Money amounts as exact decimals: parsed from text, printed with two decimals."""

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")


class AmountError(ValueError):
    """Text that is not a positive amount with at most two decimals."""


def parse_amount(text: str) -> Decimal:
    """A positive amount such as ``12.5`` or ``3``; AmountError otherwise."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise AmountError(f"not an amount: '{text}'") from None
    if not value.is_finite() or value <= 0:
        raise AmountError(f"amount must be greater than zero: '{text}'")
    if value != value.quantize(CENT):
        raise AmountError(f"amount has more than two decimals: '{text}'")
    return value.quantize(CENT)


def format_amount(value: Decimal) -> str:
    """Two decimals, no thousands separator: ``1234.50``."""
    return f"{value.quantize(CENT):.2f}"
