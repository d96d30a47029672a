"""Errors of the inventory app; the CLI prints one line and exits with ``exit_code``.

InventoryError
├── InputError      bad arguments or data: unknown/duplicate ids, bad numbers (exit 2)
├── StockError      a shipment larger than the stock on hand (exit 1)
└── DatabaseError   the data file or an import file is damaged (exit 2)
"""


class InventoryError(Exception):
    """Base class of every inventory error."""

    exit_code = 2


class InputError(InventoryError):
    """Arguments or records that break a rule."""


class StockError(InventoryError):
    """Not enough stock for a shipment."""

    exit_code = 1


class DatabaseError(InventoryError):
    """A data or import file that cannot be used."""
