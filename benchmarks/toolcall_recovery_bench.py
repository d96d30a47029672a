"""Tool-call recovery: exact recoveries / cases for every format of the corpus.

The corpus is ``tests/brain/toolcall_corpus/<format>.json`` (cases written from each
format's documentation and the servers' chat templates). A case is *exact* when the
recovered calls have exactly the expected names and arguments (and no error), a call
expected to be refused carries an error saying why, and, where the case gives one, the
visible text matches. Exit status 1 when a format is under the bar (95%).

    .venv/bin/python benchmarks/toolcall_recovery_bench.py [--show-misses]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from brain import ToolSpec, recover_tool_calls

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "brain" / "toolcall_corpus"
BAR = 0.95


def load_tools() -> list[ToolSpec]:
    """The tools every corpus case is recovered against."""
    return [ToolSpec(**t) for t in json.loads((CORPUS / "tools.json").read_text("utf-8"))]


def load_corpus() -> dict[str, list[dict[str, Any]]]:
    """Format name → its cases."""
    corpus = {}
    for path in sorted(CORPUS.glob("*.json")):
        if path.name != "tools.json":
            data = json.loads(path.read_text("utf-8"))
            corpus[data["format"]] = data["cases"]
    return corpus


def miss(case: dict[str, Any], tools: list[ToolSpec]) -> str | None:
    """Why a case was not recovered exactly; None when it was."""
    calls, visible = recover_tool_calls(case["text"], tools)
    got = [(c.name, c.arguments if c.error is None else c.error) for c in calls]
    if len(calls) != len(case["calls"]):
        return f"expected {len(case['calls'])} calls, got {got}"
    for call, want in zip(calls, case["calls"], strict=True):
        if call.name != want["name"]:
            return f"name {call.name!r} != {want['name']!r}"
        if "error" in want:
            if not call.error or want["error"] not in call.error:
                return (
                    f"expected an error with {want['error']!r}, got {call.error or call.arguments}"
                )
        elif call.error or call.arguments != want["arguments"]:
            return f"got {call.error or call.arguments!r}, want {want['arguments']!r}"
    if "visible" in case and visible != case["visible"]:
        return f"visible {visible!r} != {case['visible']!r}"
    return None


def main(argv: list[str]) -> int:
    """Print the table; non-zero when a format is under the bar."""
    tools, worst = load_tools(), 1.0
    print(f"{'format':<14}{'exact':>7}{'cases':>7}{'rate':>8}")
    for fmt, cases in load_corpus().items():
        misses = [(c["id"], why) for c in cases if (why := miss(c, tools))]
        rate = (len(cases) - len(misses)) / len(cases)
        worst = min(worst, rate)
        print(f"{fmt:<14}{len(cases) - len(misses):>7}{len(cases):>7}{rate:>8.1%}")
        if "--show-misses" in argv:
            for case_id, why in misses:
                print(f"    miss {case_id}: {why}")
    print(f"lowest format rate {worst:.1%} (bar {BAR:.0%})")
    return 0 if worst >= BAR else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
