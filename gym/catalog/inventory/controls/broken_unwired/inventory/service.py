"""Operations that change or read the database; each enforces the rules for its records."""

from inventory.db import Database
from inventory.errors import InputError, StockError
from inventory.models import (Item, Movement, Supplier, check_email, check_name, check_sku,
                              check_supplier_id, parse_quantity)
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


def receive(db: Database, sku: str, qty: str, note: str = "") -> int:
    """Add stock; the new quantity on hand."""
    find_item(db, sku)
    db.movements.append(Movement(db.next_seq(), sku, parse_quantity(qty), note))
    return db.stock(sku)


def ship(db: Database, sku: str, qty: str, note: str = "") -> int:
    """Remove stock, never below zero; the new quantity on hand."""
    find_item(db, sku)
    amount = parse_quantity(qty)
    on_hand = db.stock(sku)
    if amount > on_hand:
        raise StockError(f"cannot ship {amount} of {sku}: only {on_hand} in stock")
    db.movements.append(Movement(db.next_seq(), sku, -amount, note))
    return on_hand - amount
