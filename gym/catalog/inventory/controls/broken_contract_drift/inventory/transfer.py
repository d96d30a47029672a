"""The JSON document form of the database, used for the data file and export/import.

``{"version": 1, "suppliers": [...], "items": [...], "movements": [...]}``; money as strings
with two decimals so a round trip is exact.
"""

from inventory.errors import DatabaseError, InventoryError
from inventory.models import (Item, Movement, Supplier, check_email, check_name, check_sku,
                              check_supplier_id)
from inventory.money import fmt, parse_money

VERSION = 1


def to_document(suppliers: dict[str, Supplier], items: dict[str, Item], movements: list[Movement]) -> dict:
    """Plain JSON data, records sorted by id (movements in order)."""
    return {
        "version": VERSION,
        "suppliers": [vars(suppliers[k]).copy() for k in sorted(suppliers)],
        "items": [{**vars(items[k]), "cost": fmt(items[k].cost)} for k in sorted(items)],
        "movements": [vars(m).copy() for m in movements],
    }


def from_document(doc: object, source: str) -> tuple[dict[str, Supplier], dict[str, Item], list[Movement]]:
    """Validate a document completely before returning anything."""
    try:
        if not isinstance(doc, dict) or doc.get("version") != VERSION:
            raise DatabaseError("not an inventory document (version 1)")
        suppliers = {s.id: s for s in map(_supplier, doc["suppliers"])}
        items = {i.sku: i for i in map(_item, doc["items"])}
        movements = [_movement(m) for m in doc["movements"]]
        _check_references(suppliers, items, movements)
    except InventoryError as exc:
        raise DatabaseError(f"{source}: {exc}") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise DatabaseError(f"{source}: malformed record ({exc.__class__.__name__}: {exc})") from None
    return suppliers, items, movements


def _supplier(raw: dict) -> Supplier:
    return Supplier(check_supplier_id(raw["id"]), check_name(raw["name"]), check_email(raw.get("email", "")))


def _item(raw: dict) -> Item:
    level = raw.get("reorder_level", 0)
    if not isinstance(level, int) or level < 0:
        raise DatabaseError(f"item {raw.get('sku')}: reorder_level must be a whole number >= 0")
    return Item(check_sku(raw["sku"]), check_name(raw["name"]), check_name(raw["category"], "category"),
                parse_money(raw["cost"], "cost"), level, raw.get("supplier", ""))


def _movement(raw: dict) -> Movement:
    if not isinstance(raw["seq"], int) or not isinstance(raw["qty"], int) or raw["qty"] == 0:
        raise DatabaseError(f"movement {raw.get('seq')}: seq and a non-zero qty must be whole numbers")
    return Movement(raw["seq"], raw["sku"], raw["qty"], raw.get("note", ""))


def _check_references(suppliers: dict, items: dict, movements: list[Movement]) -> None:
    for item in items.values():
        if item.supplier and item.supplier not in suppliers:
            raise DatabaseError(f"item {item.sku} names unknown supplier '{item.supplier}'")
    balance: dict[str, int] = {}
    for movement in movements:
        if movement.sku not in items:
            raise DatabaseError(f"movement {movement.seq} names unknown item '{movement.sku}'")
        balance[movement.sku] = balance.get(movement.sku, 0) + movement.qty
        if balance[movement.sku] < 0:
            raise DatabaseError(f"movement {movement.seq} takes {movement.sku} below zero")
    seqs = [m.seq for m in movements]
    if seqs != sorted(set(seqs)):
        raise DatabaseError("movement sequence numbers must be unique and increasing")
