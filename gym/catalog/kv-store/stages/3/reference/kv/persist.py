"""Committed data lives in kv.json in the current directory, written atomically."""

import json
import os
from pathlib import Path

DB_FILE = "kv.json"


class CorruptDatabase(Exception):
    """The data file exists but is not a JSON object of strings."""


def load(path: Path = Path(DB_FILE)) -> dict[str, str]:
    """The committed data; empty when the file does not exist yet."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorruptDatabase(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CorruptDatabase(f"{path} does not hold an object of strings")
    return data


def save(data: dict[str, str], path: Path = Path(DB_FILE)) -> None:
    """Write ``data`` via a temporary file and a rename, so a crash never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
