"""Hermes / Qwen2.5 / Qwen3: ``<tool_call>{"name": …, "arguments": {…}}</tool_call>``.

The Hermes-2-Pro and Qwen chat templates wrap one JSON object per call in
``<tool_call>`` tags; a cut-off answer may lack the closing tag. NousResearch's
Hermes-3 and some fine-tunes also write ``<function_call>`` or ``<tools>`` tags.
Bodies that hold Qwen3-Coder XML are left to that parser.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._jsoncalls import calls_from_json
from brain.toolcalls._text import cut_spans, json_span_end

_OPEN = re.compile(r"<(tool_call|function_call|tools)>\s*")


def _closer(text: str, pos: int, tag: str) -> int:
    """Index after the optional closing tag (and whitespace) at ``pos``."""
    closing = re.compile(rf"\s*</{tag}>")
    found = closing.match(text, pos)
    return found.end() if found else pos


class HermesParser:
    """``<tool_call>`` JSON bodies (Hermes, Qwen2.5, Qwen3 via LM Studio/Ollama)."""

    name = "hermes"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every JSON call inside a ``<tool_call>``-style tag.

        The body ends where its JSON ends (brackets matched outside strings), so a value
        holding ``</tool_call>`` text does not cut the call.
        """
        calls: list[RawCall] = []
        spans = []
        pos = 0
        while (opener := _OPEN.search(text, pos)) is not None:
            body = opener.end()
            if text.startswith("<function=", body):
                return None  # Qwen3-Coder XML inside the wrapper
            pos = body
            if not text.startswith(("{", "["), body):
                continue
            end = json_span_end(text, body)
            found = calls_from_json(text[body:end])
            if found:
                calls += found
                pos = _closer(text, end, opener.group(1))
                spans.append((opener.start(), pos))
        return Found(calls, cut_spans(text, spans), min(spans)[0]) if calls else None
