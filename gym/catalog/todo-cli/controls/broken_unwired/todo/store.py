"""The to-do list and its JSON file.

File form: ``{"next_id": int, "items": [{"id": int, "text": str, "done": bool}]}``; ids are
never reused, so ``done 3`` always means the item that was shown as 3.
"""

from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path("todo.json")


class TodoError(Exception):
    """A request the list cannot satisfy (unknown id, empty text, unreadable file)."""


@dataclass
class Item:
    """One to-do item."""

    id: int
    text: str
    done: bool = False


class TodoList:
    """Items in creation order, loaded from and saved to ``path``."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self.path = path
        self.items: list[Item] = []
        self.next_id = 1

    def save(self) -> None:
        """Persist the list."""
        pass

    def add(self, text: str) -> Item:
        """Append an item; the text must not be blank."""
        if not text.strip():
            raise TodoError("the text of a to-do must not be empty")
        item = Item(self.next_id, text.strip())
        self.items.append(item)
        self.next_id += 1
        return item

    def find(self, item_id: int) -> Item:
        """The item with ``item_id``."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise TodoError(f"no to-do with id {item_id}")

    def remove(self, item_id: int) -> Item:
        """Delete an item and return it."""
        item = self.find(item_id)
        self.items.remove(item)
        return item
