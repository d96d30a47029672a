"""Operations that change or read the database; each enforces the rules for its records."""

from inventory.db import Database
from inventory.errors import InputError, StockError
from inventory.models import (DEFAULT_LOCATION, MOVE_NOTE, Item, Movement, Supplier, check_email,
                              check_location, check_name, check_sku, check_supplier_id, parse_quantity)
from inventory.money import parse_money


def add_supplier(db: Database, supplier_id: str, name: str, email: str = "") -> Supplier:
    """Register a supplier; ids are unique."""
    check_supplier_id(supplier_id)
    if supplier_id in db.suppliers:
        raise InputError(f"supplier '{supplier_id}' already exists")
    supplier = Supplier(supplier_id, check_name(name), check_email(email))
    db.suppliers[supplier_id] = supplier
    return supplier


def add_item(db: Database, sku: str, name: str, category: str, cost: str,
             reorder_level: str = "0", supplier: str = "") -> Item:
    """Register an item; SKUs are unique and the supplier must exist."""
    check_sku(sku)
    if sku in db.items:
        raise InputError(f"item '{sku}' already exists")
    if supplier and supplier not in db.suppliers:
        raise InputError(f"unknown supplier '{supplier}'")
    item = Item(sku, check_name(name), check_name(category, "category").lower(),
                parse_money(cost, "cost"), parse_quantity(reorder_level, allow_zero=True), supplier)
    db.items[sku] = item
    return item


def find_item(db: Database, sku: str) -> Item:
    """The item with ``sku``."""
    if sku not in db.items:
        raise InputError(f"unknown item '{sku}'")
    return db.items[sku]


def receive(db: Database, sku: str, qty: str, note: str = "", location: str = DEFAULT_LOCATION) -> int:
    """Add stock at a location; the new quantity there."""
    find_item(db, sku)
    check_location(location)
    db.movements.append(Movement(db.next_seq(), sku, parse_quantity(qty), note, location))
    return db.stock(sku, location)


def ship(db: Database, sku: str, qty: str, note: str = "", location: str = DEFAULT_LOCATION) -> int:
    """Remove stock from a location, never below zero there; the new quantity there."""
    find_item(db, sku)
    check_location(location)
    amount = parse_quantity(qty)
    on_hand = db.stock(sku, location)
    if amount > on_hand:
        raise StockError(f"cannot ship {amount} of {sku} at {location}: only {on_hand} in stock")
    db.movements.append(Movement(db.next_seq(), sku, -amount, note, location))
    return on_hand - amount


def move(db: Database, sku: str, qty: str, source: str, target: str) -> int:
    """Transfer stock between two locations as a pair of movements; the quantity moved."""
    if check_location(source) == check_location(target):
        raise InputError("source and target locations must differ")
    amount = parse_quantity(qty)
    ship(db, sku, str(amount), MOVE_NOTE, source)
    receive(db, sku, str(amount), MOVE_NOTE, target)
    return amount


def adjust(db: Database, sku: str, count: str, note: str = "",
           location: str = DEFAULT_LOCATION) -> int | None:
    """Record a stock-take at a location: one movement of the difference; None when unchanged."""
    find_item(db, sku)
    check_location(location)
    counted = parse_quantity(count, allow_zero=True)
    difference = counted - db.stock(sku, location)
    if difference == 0:
        return None
    db.movements.append(Movement(db.next_seq(), sku, difference, note or "stock-take", location))
    return counted


def update_item(db: Database, sku: str, cost: str | None = None, reorder_level: str | None = None,
                supplier: str | None = None) -> Item:
    """Change cost, reorder level and/or supplier (``-`` clears it); at least one is required."""
    item = find_item(db, sku)
    if cost is None and reorder_level is None and supplier is None:
        raise InputError("nothing to update: give --cost, --reorder or --supplier")
    if supplier not in (None, "-") and supplier not in db.suppliers:
        raise InputError(f"unknown supplier '{supplier}'")
    new_cost = item.cost if cost is None else parse_money(cost, "cost")
    new_level = item.reorder_level if reorder_level is None else parse_quantity(reorder_level, allow_zero=True)
    item.cost, item.reorder_level = new_cost, new_level
    if supplier is not None:
        item.supplier = "" if supplier == "-" else supplier
    return item
