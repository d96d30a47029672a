"""Load and save the to-do list as JSON in todo.json."""

import json
import os
from dataclasses import asdict
from pathlib import Path

DATA_FILE = Path("todo.json")


def load(path: Path = DATA_FILE) -> tuple[int, list[dict]]:
    """(next_id, raw items) from the file; a fresh list when it does not exist."""
    if not path.exists():
        return 1, []
    data = json.loads(path.read_text(encoding="utf-8"))
    return int(data["next_id"]), list(data["items"])


def save(next_id: int, items: list, path: Path = DATA_FILE) -> None:
    """Write atomically via a temporary file."""
    data = {"next_id": next_id, "items": [asdict(i) for i in items]}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
