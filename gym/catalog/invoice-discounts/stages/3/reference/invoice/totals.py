"""Money arithmetic for invoices: exact decimals, rounded half-up to cents."""

from decimal import ROUND_HALF_UP, Decimal

from invoice.order import Line

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    """Round half-up to two decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(line: Line) -> Decimal:
    """qty x unit price, in cents."""
    return to_cents(line.qty * line.unit_price)


def subtotal(lines: list[Line]) -> Decimal:
    """The sum of the line totals."""
    return sum((line_total(line) for line in lines), Decimal("0.00"))
