"""The LLM in-flight judge, played from what its prompt shows of one live worker.

The verdict follows the evidence in the prompt (owned-file blocks, tool-call count,
recent tool calls): a written Python file that does not compile is ``broken_code``, many
tool calls and nothing written is ``over_reading``, the same non-writing call repeated is
``looping``, anything else is ``ok``. Confidence grows with the evidence. At a seeded rate
the judge is simply wrong — another verdict at a random confidence — as a small model is,
so the gym measures what an advisory judge costs and earns, not a judge handed a win.
"""

from __future__ import annotations

import random
import re
from typing import Any

from brain.sim._request import RequestView

#: How often the simulated judge gives a wrong verdict (any other kind, random confidence).
MISJUDGE_RATE = 0.1
KINDS = ("ok", "spec_drift", "looping", "broken_code", "over_reading", "split")
#: Tool calls with nothing written before the judge calls it over-reading.
OVER_READING_CALLS = 8
#: The same non-writing call this many times in a row reads as a loop.
LOOP_RUN = 6
#: What a prompt says of a file it shows only in part.
CUT_MARK = "(cut: the file is longer)"


def _written(view: RequestView) -> dict[str, str]:
    blocks = view.file_blocks()
    return {
        p: text
        for p in view.owned_files
        if (text := blocks.get(p)) is not None and not text.startswith("(missing")
    }


def _broken(written: dict[str, str]) -> str | None:
    for path, text in sorted(written.items()):
        if not path.endswith(".py") or CUT_MARK in text:
            continue  # a file cut to the prompt's budget says nothing about compiling
        try:
            compile(text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            return f"{path} does not compile ({exc.__class__.__name__})"
    return None


def _calls(view: RequestView) -> int:
    found = re.match(r"\d+", view.line_after("TOOL CALLS:"))
    return int(found[0]) if found else 0


def _looping(view: RequestView) -> bool:
    recent = [t.strip() for t in view.line_after("RECENT TOOL CALLS:").split(",") if t.strip()]
    tail = recent[-LOOP_RUN:]
    return len(tail) == LOOP_RUN and len(set(tail)) == 1 and "write_file" not in tail[0]


def _honest(view: RequestView, about: random.Random) -> dict[str, Any]:
    written = _written(view)
    broken = _broken(written)
    calls = _calls(view)
    if broken:
        return _answer("broken_code", 0.88 + 0.1 * about.random(), broken)
    if not written and calls >= OVER_READING_CALLS:
        confidence = min(0.97, 0.6 + 0.03 * (calls - OVER_READING_CALLS))
        return _answer("over_reading", confidence, f"{calls} tool calls and nothing written")
    if _looping(view):
        return _answer("looping", 0.7 + 0.2 * about.random(), "the same call over and over")
    return _answer("ok", 0.7 + 0.25 * about.random(), "the worker is making progress")


def _answer(kind: str, confidence: float, reason: str) -> dict[str, Any]:
    note = "" if kind == "ok" else "write your owned files now and keep them compiling"
    return {"verdict": kind, "confidence": round(confidence, 3), "reason": reason, "note": note}


def semantic_verdict(view: RequestView, about: random.Random) -> dict[str, Any]:
    """A ``SemanticVerdict`` about the live worker the prompt shows."""
    honest = _honest(view, about)
    if about.random() >= MISJUDGE_RATE:
        return honest
    wrong = about.choice([k for k in KINDS if k != honest["verdict"]])
    return _answer(wrong, 0.5 + 0.45 * about.random(), "it looks that way to me")
