"""Every case of the per-format tool-call corpus (tests/brain/toolcall_corpus) is recovered
exactly: the calls' names and arguments, the refusals and their reasons, the visible text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brain import ToolSpec, recover_tool_calls

CORPUS = Path(__file__).with_name("toolcall_corpus")
TOOLS = [ToolSpec(**t) for t in json.loads((CORPUS / "tools.json").read_text("utf-8"))]
#: Every format the issue names has a corpus file.
FORMATS = {
    "hermes",
    "qwen_xml",
    "llama_json",
    "mistral",
    "deepseek",
    "pythonic",
    "phi",
    "fenced_json",
    "harmony",
    "glm",
    "kimi",
}


def _cases() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        if path.name != "tools.json":
            data = json.loads(path.read_text("utf-8"))
            found += [(data["format"], case) for case in data["cases"]]
    return found


CASES = _cases()


def test_the_corpus_covers_every_format_with_enough_cases() -> None:
    per_format = {fmt: sum(1 for f, _ in CASES if f == fmt) for fmt in FORMATS}
    assert set(per_format) == {f for f, _ in CASES}
    assert min(per_format.values()) >= 10, per_format


@pytest.mark.parametrize(("fmt", "case"), CASES, ids=[f"{fmt}-{case['id']}" for fmt, case in CASES])
def test_corpus_case_is_recovered_exactly(fmt: str, case: dict[str, Any]) -> None:
    calls, visible = recover_tool_calls(case["text"], TOOLS)

    assert [c.name for c in calls] == [w["name"] for w in case["calls"]]
    for call, want in zip(calls, case["calls"], strict=True):
        if "error" in want:
            assert call.error and want["error"] in call.error, call
        else:
            assert call.error is None, call.error
            assert call.arguments == want["arguments"]
    assert len({c.id for c in calls}) == len(calls)
    if "visible" in case:
        assert visible == case["visible"]
