"""Find notes by words in their text."""


def find_notes(notes: list[dict], query: str) -> list[dict]:
    """Notes whose text contains every word of ``query``, ignoring case."""
    words = query.lower().split()
    return [n for n in notes if all(w in n["text"].lower() for w in words)]
