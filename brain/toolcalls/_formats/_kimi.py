"""Kimi K2: ``<|tool_call_begin|>functions.NAME:IDX<|tool_call_argument_begin|>{…}``.

From the Kimi-K2 chat template; the calls sit inside ``<|tool_calls_section_begin|>`` …
``<|tool_calls_section_end|>``. The call id ``functions.NAME:IDX`` carries the name.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._text import cut_spans, json_span_end

_CALL = re.compile(
    r"<\|tool_call_begin\|>\s*(?:functions\.)?([\w.\-]+?)(?::\d+)?\s*"
    r"<\|tool_call_argument_begin\|>\s*"
)
_END = re.compile(r"\s*<\|tool_call_end\|>")
_SECTION = re.compile(r"<\|tool_calls_section_(?:begin|end)\|>")


class KimiParser:
    """Kimi K2's tool-call section."""

    name = "kimi"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every call in a Kimi tool-call section."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        for opener in _CALL.finditer(text):
            start = opener.end()
            end = json_span_end(text, start) if text.startswith("{", start) else start
            calls.append(RawCall(opener.group(1), text[start:end], call_id=None))
            closer = _END.match(text, end)
            spans.append((opener.start(), closer.end() if closer else end))
        if not calls:
            return None
        spans += [m.span() for m in _SECTION.finditer(text)]
        return Found(calls, cut_spans(text, spans), min(s for s, _ in spans))
