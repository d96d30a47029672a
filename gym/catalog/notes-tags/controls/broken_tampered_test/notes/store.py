"""Notes kept as a JSON list in a file; each note is {"id": int, "text": str, "tags": [str]}."""

import json
from pathlib import Path

from notes.tags import normalize_tags

DEFAULT_PATH = Path("notes.json")


class NoteStore:
    """Loads on creation, saves on every change."""

    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        self.path = path
        self.notes: list[dict] = self._load()

    def _load(self) -> list[dict]:
        if not self.path.exists():
            return []
        return json.loads(self.path.read_text(encoding="utf-8"))

    def _save(self) -> None:
        self.path.write_text(json.dumps(self.notes, indent=1) + "\n", encoding="utf-8")

    def add(self, text: str, tags: list[str] | None = None) -> dict:
        """Store a new note with its (normalised) tags and return it."""
        note = {
            "id": max((n["id"] for n in self.notes), default=0) + 1,
            "text": text,
            "tags": normalize_tags(tags or []),
        }
        self.notes.append(note)
        self._save()
        return note

    def delete(self, note_id: int) -> bool:
        """Remove a note; False when no note has that id."""
        kept = [n for n in self.notes if n["id"] != note_id]
        if len(kept) == len(self.notes):
            return False
        self.notes = kept
        self._save()
        return True

    def all(self) -> list[dict]:
        """Every note, oldest first."""
        return list(self.notes)
