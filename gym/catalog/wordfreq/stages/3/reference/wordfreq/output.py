"""Render ranked words as text lines or JSON."""

import json


def as_text(ranked: list[tuple[str, int]]) -> str:
    """``word count`` lines."""
    return "".join(f"{word} {count}\n" for word, count in ranked)


def as_json(ranked: list[tuple[str, int]]) -> str:
    """A JSON array of ``{"word", "count"}`` objects."""
    return json.dumps([{"word": w, "count": c} for w, c in ranked]) + "\n"
