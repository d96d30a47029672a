"""Calls in a fenced code block: ```` ```json {"name": …, "arguments": …} ``` ````.

Gemma's and Command-R's documented JSON forms, and what many small models fall back to
when they have seen tools described in a prompt. A block counts only when its JSON has a
name *and* arguments/parameters, so a JSON sample in prose is not taken for a call.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._jsoncalls import calls_from_json
from brain.toolcalls._text import cut_spans

_FENCED = re.compile(
    r"```(?:json|tool_call|tool_calls|tool|function)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL
)


class FencedJsonParser:
    """JSON calls in fenced blocks."""

    name = "fenced_json"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every call in a fenced JSON block."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        for block in _FENCED.finditer(text):
            found = calls_from_json(block.group(1), need_arguments=True)
            if found:
                calls += found
                spans.append(block.span())
        return Found(calls, cut_spans(text, spans), min(spans)[0]) if calls else None
