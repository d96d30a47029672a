"""What a turn changed: a unified diff of the produced tree against the previous turn's."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from reports.evidence._tree import TreeFile

#: The diff of one turn is cut after this many lines (the page says so).
DIFF_MAX_LINES = 600


@dataclass
class DiffLine:
    """One line of a unified diff; ``kind`` is add, del, hunk, file or ctx (a CSS class)."""

    kind: str
    text: str


@dataclass
class TurnDiff:
    """The diff of one turn against the one before."""

    lines: list[DiffLine] = field(default_factory=list)
    #: Lines left out past :data:`DIFF_MAX_LINES`.
    cut: int = 0
    #: Files added, removed and changed.
    added: int = 0
    removed: int = 0
    changed: int = 0


def tree_diff(before: list[TreeFile], after: list[TreeFile]) -> TurnDiff:
    """The unified diff from ``before`` to ``after`` (binary or unread files by name only)."""
    old = {f.path: f for f in before}
    new = {f.path: f for f in after}
    diff = TurnDiff()
    raw: list[str] = []
    for path in sorted(old.keys() | new.keys()):
        a, b = old.get(path), new.get(path)
        diff.added += a is None
        diff.removed += b is None
        if a is not None and b is not None:
            if (a.text, a.size) == (b.text, b.size):
                continue
            diff.changed += 1
        raw.extend(_file_diff(path, a, b))
    diff.lines = [_line(text) for text in raw[:DIFF_MAX_LINES]]
    diff.cut = max(0, len(raw) - DIFF_MAX_LINES)
    return diff


def _file_diff(path: str, a: TreeFile | None, b: TreeFile | None) -> list[str]:
    if (a is not None and a.text is None) or (b is not None and b.text is None):
        return [f"--- {path}", f"+++ {path}", f"@@ {path}: not text, contents not compared @@"]
    before = a.text.splitlines() if a else []
    after = b.text.splitlines() if b else []
    return list(
        difflib.unified_diff(
            before,
            after,
            f"a/{path}" if a else "/dev/null",
            f"b/{path}" if b else "/dev/null",
            lineterm="",
        )
    )


def _line(text: str) -> DiffLine:
    if text.startswith(("--- ", "+++ ")):
        return DiffLine("file", text)
    if text.startswith("@@"):
        return DiffLine("hunk", text)
    kind = {"+": "add", "-": "del"}.get(text[:1], "ctx")
    return DiffLine(kind, text)
