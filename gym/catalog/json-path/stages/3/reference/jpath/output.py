"""Render matches: values, normalized paths, a count, or the first match."""

import json

from jpath.engine import Match


def render(matches: list[Match], mode: str) -> str:
    """The text to print for ``mode`` (values, paths, count, first)."""
    if mode == "count":
        return f"{len(matches)}\n"
    if mode == "first":
        matches = matches[:1]
    if mode == "paths":
        return "".join(f"{path}\n" for path, _ in matches)
    return "".join(json.dumps(value, ensure_ascii=False) + "\n" for _, value in matches)
