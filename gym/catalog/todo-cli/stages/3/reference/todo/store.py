"""The to-do list and its JSON file.

File form: ``{"next_id": int, "items": [{"id": int, "text": str, "done": bool, "priority": str}]}``;
ids are never reused, so ``done 3`` always means the item that was shown as 3. Items saved
before priorities existed load as ``normal``.
"""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

DATA_FILE = Path("todo.json")
PRIORITIES = ("high", "normal", "low")  # listing order


class TodoError(Exception):
    """A request the list cannot satisfy (unknown id, empty text, unreadable file)."""


@dataclass
class Item:
    """One to-do item."""

    id: int
    text: str
    done: bool = False
    priority: str = "normal"


class TodoList:
    """Items in creation order, loaded from and saved to ``path``."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self.path = path
        self.items: list[Item] = []
        self.next_id = 1
        if path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.items = [Item(**raw) for raw in data["items"]]
            self.next_id = int(data["next_id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise TodoError(f"{self.path} is damaged ({exc.__class__.__name__}); fix or delete it") from None

    def save(self) -> None:
        """Write atomically: a temporary file renamed over the old one."""
        data = {"next_id": self.next_id, "items": [asdict(i) for i in self.items]}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def add(self, text: str, priority: str = "normal") -> Item:
        """Append an item; the text must not be blank."""
        if not text.strip():
            raise TodoError("the text of a to-do must not be empty")
        item = Item(self.next_id, text.strip(), priority=check_priority(priority))
        self.items.append(item)
        self.next_id += 1
        return item

    def find(self, item_id: int) -> Item:
        """The item with ``item_id``."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise TodoError(f"no to-do with id {item_id}")

    def edit(self, item_id: int, text: str) -> Item:
        """Replace an item's text; the new text must not be blank."""
        if not text.strip():
            raise TodoError("the text of a to-do must not be empty")
        item = self.find(item_id)
        item.text = text.strip()
        return item

    def clear_done(self) -> int:
        """Delete every done item; how many went."""
        before = len(self.items)
        self.items = [i for i in self.items if not i.done]
        return before - len(self.items)

    def ordered(self) -> list[Item]:
        """Pending items by priority then id, then done items by id."""
        return sorted(self.items, key=lambda i: (i.done, PRIORITIES.index(i.priority), i.id))

    def remove(self, item_id: int) -> Item:
        """Delete an item and return it."""
        item = self.find(item_id)
        self.items.remove(item)
        return item


def check_priority(priority: str) -> str:
    """One of PRIORITIES."""
    if priority not in PRIORITIES:
        raise TodoError(f"priority must be one of {', '.join(PRIORITIES)}, not '{priority}'")
    return priority
