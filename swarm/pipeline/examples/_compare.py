"""Comparing an example's output in code: only trailing whitespace is forgiven."""

from __future__ import annotations

import difflib


def normalise(text: str) -> str:
    """Line ends unified, each line's trailing whitespace and trailing blank lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def same_output(expected: str, got: str) -> bool:
    """Whether ``got`` is ``expected`` up to trailing whitespace."""
    return normalise(expected) == normalise(got)


def diff(expected: str, got: str) -> str:
    """The exact difference, as a unified diff from expected to got (the repair's instruction)."""
    lines = difflib.unified_diff(
        normalise(expected).split("\n"),
        normalise(got).split("\n"),
        fromfile="expected",
        tofile="got",
        lineterm="",
    )
    return "\n".join(lines)
