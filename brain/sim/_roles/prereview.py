"""The idle-node pre-reviewer, played from the completed task's files in its prompt.

Findings follow what the file blocks show: an owned file never written, a Python file that
does not compile, a stub (``NotImplementedError``), a bare ``except:``, a ``TODO``. Like a
small model, it misses a real finding at a seeded rate and now and then claims one that is
not there, so the sink's job of confirming findings is real work and no mechanism is
handed a win.
"""

from __future__ import annotations

import random
import re
from typing import Any

from brain.sim._request import RequestView

#: How often a real finding is missed, and how often a spurious one is added.
MISS_RATE = 0.15
SPURIOUS_RATE = 0.1
#: What a prompt says of a file it shows only in part.
CUT_MARK = "(cut: the file is longer)"
_PATTERNS = (
    (re.compile(r"NotImplementedError"), "high", "a stub: the body raises NotImplementedError"),
    (re.compile(r"^\s*except\s*:"), "medium", "a bare except swallows every error"),
    (re.compile(r"#\s*(TODO|FIXME)\b"), "low", "unfinished work marked in a comment"),
)


def _finding(path: str, line: int | None, severity: str, problem: str) -> dict[str, Any]:
    return {"file": path, "line": line, "severity": severity, "problem": problem}


def _file_findings(path: str, text: str | None) -> list[dict[str, Any]]:
    if text is None or text.startswith("(missing"):
        return [_finding(path, None, "high", "the owned file was never written")]
    if not path.endswith(".py") or CUT_MARK in text:
        return []  # a file cut to the prompt's budget cannot be compiled as shown
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return [_finding(path, exc.lineno, "high", f"does not compile: {exc.msg}")]
    except ValueError:
        return [_finding(path, None, "high", "does not compile")]
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, severity, problem in _PATTERNS:
            if pattern.search(line):
                found.append(_finding(path, number, severity, problem))
    return found


def prereview_report(view: RequestView, about: random.Random) -> dict[str, Any]:
    """A ``PreReviewReport`` of the owned files the prompt shows."""
    blocks = view.file_blocks()
    real = [f for p in view.owned_files for f in _file_findings(p, blocks.get(p))]
    kept = [f for f in real if about.random() >= MISS_RATE]
    if view.owned_files and about.random() < SPURIOUS_RATE:
        path = about.choice(view.owned_files)
        kept.append(_finding(path, None, "medium", "empty input may not be handled"))
    return {"findings": kept}
