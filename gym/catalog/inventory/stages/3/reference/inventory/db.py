"""The database: every record in one JSON file, saved atomically after each change."""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from inventory.errors import DatabaseError
from inventory.models import Item, Movement, Supplier
from inventory.transfer import from_document, to_document

DEFAULT_PATH = Path("inventory.json")


@dataclass
class Database:
    """Suppliers and items by id, movements in order."""

    suppliers: dict[str, Supplier] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    movements: list[Movement] = field(default_factory=list)

    def next_seq(self) -> int:
        """The sequence number for a new movement."""
        return self.movements[-1].seq + 1 if self.movements else 1

    def stock(self, sku: str, location: str | None = None) -> int:
        """Units on hand at ``location`` (all locations when None): the sum of movements."""
        return sum(m.qty for m in self.movements
                   if m.sku == sku and (location is None or m.location == location))

    def locations(self, sku: str) -> dict[str, int]:
        """Quantity per location with a non-zero stock, sorted by name."""
        names = sorted({m.location for m in self.movements if m.sku == sku})
        return {name: qty for name in names if (qty := self.stock(sku, name))}

    def is_empty(self) -> bool:
        """True when nothing has been recorded."""
        return not (self.suppliers or self.items or self.movements)


def load(path: Path = DEFAULT_PATH) -> Database:
    """The database in ``path``; an empty one when the file does not exist."""
    if not path.exists():
        return Database()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatabaseError(f"{path} is not readable JSON: {exc}") from None
    suppliers, items, movements = from_document(document, source=str(path))
    return Database(suppliers, items, movements)


def save(db: Database, path: Path = DEFAULT_PATH) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a file."""
    text = json.dumps(to_document(db.suppliers, db.items, db.movements), indent=1) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
