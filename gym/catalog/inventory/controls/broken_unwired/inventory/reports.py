"""Read-only views: listings, stock value per category, low stock and item history.

Each returns ``(columns, rows)`` for ``inventory.formats.render``.
"""

from collections import defaultdict
from decimal import Decimal

from inventory.db import Database
from inventory.service import find_item

Table = tuple[list[str], list[list[object]]]


def supplier_list(db: Database) -> Table:
    """Every supplier by id."""
    rows = [[s.id, s.name, s.email] for _, s in sorted(db.suppliers.items())]
    return ["id", "name", "email"], rows


def item_list(db: Database, category: str | None = None) -> Table:
    """Items by SKU, optionally one category, with stock on hand."""
    rows = [[i.sku, i.name, i.category, i.cost, db.stock(i.sku), i.supplier]
            for _, i in sorted(db.items.items())
            if category is None or i.category == category.lower()]
    return ["sku", "name", "category", "cost", "stock", "supplier"], rows


def value_report(db: Database) -> Table:
    """Per category: number of items, units on hand, value at cost; a final TOTAL row."""
    items: dict[str, int] = defaultdict(int)
    units: dict[str, int] = defaultdict(int)
    value: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for item in db.items.values():
        stock = db.stock(item.sku)
        items[item.category] += 1
        units[item.category] += stock
        value[item.category] += item.cost * stock
    rows = [[c, items[c], units[c], value[c]] for c in sorted(items)]
    rows.append(["TOTAL", sum(items.values()), sum(units.values()),
                 sum(value.values(), Decimal("0.00"))])
    return ["category", "items", "units", "value"], rows


def low_stock(db: Database) -> Table:
    """Items at or below a positive reorder level, with whom to reorder from."""
    rows = []
    for sku, item in sorted(db.items.items()):
        stock = db.stock(sku)
        if item.reorder_level > 0 and stock <= item.reorder_level:
            supplier = db.suppliers.get(item.supplier)
            rows.append([sku, item.name, stock, item.reorder_level,
                         supplier.name if supplier else "", supplier.email if supplier else ""])
    return ["sku", "name", "stock", "reorder_level", "supplier", "email"], rows


def history(db: Database, sku: str) -> Table:
    """An item's movements in order with the running balance."""
    find_item(db, sku)
    rows, balance = [], 0
    for movement in db.movements:
        if movement.sku == sku:
            balance += movement.qty
            rows.append([movement.seq, f"{movement.qty:+d}", balance, movement.note])
    return ["seq", "change", "balance", "note"], rows
