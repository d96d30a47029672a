"""Discounts and tax: parsed from the order, applied to the subtotal in that order."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from invoice.order import OrderError
from invoice.totals import to_cents


@dataclass(frozen=True)
class Discount:
    """Either a percentage of the subtotal or a fixed amount."""

    percent: Decimal | None = None
    amount: Decimal | None = None


def _decimal(value: object, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise OrderError(f"{what} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise OrderError(f"{what} must be a number, got {value!r}")
    return number


def parse_discount(raw: object) -> Discount | None:
    """``{"percent": 10}`` or ``{"amount": "5.00"}``; None when absent."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or len(raw) != 1 or not {"percent", "amount"} & set(raw):
        raise OrderError('discount must be {"percent": P} or {"amount": A}')
    if "percent" in raw:
        percent = _decimal(raw["percent"], "discount percent")
        if not 0 <= percent <= 100:
            raise OrderError("discount percent must be between 0 and 100")
        return Discount(percent=percent)
    amount = _decimal(raw["amount"], "discount amount")
    if amount < 0:
        raise OrderError("discount amount must not be negative")
    return Discount(amount=to_cents(amount))


def parse_tax_rate(raw: object) -> Decimal | None:
    """A rate between 0 and 1 such as ``"0.20"``; None when absent."""
    if raw is None:
        return None
    rate = _decimal(raw, "tax_rate")
    if not 0 <= rate <= 1:
        raise OrderError("tax_rate must be between 0 and 1")
    return rate


def discount_value(discount: Discount, subtotal: Decimal) -> Decimal:
    """The money taken off, in cents; never more than the subtotal."""
    value = to_cents(subtotal * discount.percent / 100) if discount.percent is not None else discount.amount
    if value > subtotal:
        raise OrderError(f"discount {value} exceeds subtotal {subtotal}")
    return value


def tax_value(rate: Decimal, taxable: Decimal) -> Decimal:
    """Tax on the discounted subtotal, in cents."""
    return to_cents(taxable * rate)


def percent_label(value: Decimal) -> str:
    """``20%``, ``7.5%``: a percentage without trailing zeros."""
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
