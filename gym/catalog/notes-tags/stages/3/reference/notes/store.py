"""Notes kept in a JSON file: {"next_id": int, "notes": [{"id", "text", "tags"}]}.

``next_id`` makes ids permanent: a deleted note's id is never handed out again. Files written
by the first version (a bare list of notes) are still read; they are rewritten in the new
form on the next change.
"""

import json
from pathlib import Path

from notes.tags import normalize_tags

DEFAULT_PATH = Path("notes.json")


class NoteStore:
    """Loads on creation, saves on every change."""

    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        self.path = path
        self.notes: list[dict] = []
        self.next_id = 1
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        data = json.loads(self.path.read_text(encoding="utf-8"))
        if isinstance(data, list):  # the first version's format
            data = {"notes": data}
        self.notes = data["notes"]
        highest = max((n["id"] for n in self.notes), default=0)
        self.next_id = max(data.get("next_id", 1), highest + 1)

    def _save(self) -> None:
        data = {"next_id": self.next_id, "notes": self.notes}
        self.path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    def add(self, text: str, tags: list[str] | None = None) -> dict:
        """Store a new note with its (normalised) tags and return it."""
        note = {"id": self.next_id, "text": text, "tags": normalize_tags(tags or [])}
        self.next_id += 1
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
