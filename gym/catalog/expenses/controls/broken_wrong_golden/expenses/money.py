"""Money amounts parsed from text and printed."""


class AmountError(ValueError):
    """Text that is not a positive amount."""


def parse_amount(text: str) -> float:
    """A positive amount such as ``12.5`` or ``3``; AmountError otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise AmountError(f"not an amount: '{text}'") from None
    if not value > 0 or value == float("inf"):
        raise AmountError(f"amount must be greater than zero: '{text}'")
    return value


def format_amount(value: float) -> str:
    """The amount as Python prints it."""
    return str(value)
