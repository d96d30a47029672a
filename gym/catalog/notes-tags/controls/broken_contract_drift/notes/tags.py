"""Tag rules: normalisation, filtering and counting over note dicts."""

from collections import Counter


def normalize_tags(tags: list[str]) -> list[str]:
    """Lower-case, strip, drop empties and duplicates, keep the given order."""
    seen: list[str] = []
    for tag in tags:
        tag = tag.strip().lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def note_tags(note: dict) -> list[str]:
    """The tags of a note; notes written before tags existed have none."""
    return note.get("tags", [])


def filter_by_tag(notes: list[dict], tag: str) -> list[dict]:
    """Notes carrying ``tag`` (compared case-insensitively)."""
    wanted = tag.strip().lower()
    return [n for n in notes if wanted in note_tags(n)]


def tag_counts(notes: list[dict]) -> list[tuple[str, int]]:
    """(tag, count) pairs, most used first, ties by name."""
    counts = Counter(tag for n in notes for tag in note_tags(n))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
