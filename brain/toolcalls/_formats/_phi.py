"""A marker token followed by a JSON array of calls: Phi-4-mini, Granite, FireFunction.

- Phi-4-mini: ``<|tool_call|>[{"name": …, "arguments": {…}}]<|/tool_call|>``;
- IBM Granite 3.x: ``<|tool_call|>[{…}]`` (no closer);
- FireFunction v2 / Phi-3 fine-tunes: ``functools[{…}]``.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._jsoncalls import calls_from_json
from brain.toolcalls._text import cut_spans, json_span_end

_MARKER = re.compile(r"<\|tool_call\|>\s*|(?<![\w.])functools\s*(?=\[)")
_CLOSER = re.compile(r"\s*<\|/tool_call\|>")


class PhiParser:
    """``<|tool_call|>`` and ``functools`` markers."""

    name = "phi"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every call in the JSON after a marker."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        for marker in _MARKER.finditer(text):
            start = marker.end()
            if not text.startswith(("[", "{"), start):
                continue
            end = json_span_end(text, start)
            found = calls_from_json(text[start:end])
            closer = _CLOSER.match(text, end)
            calls += found
            spans.append((marker.start(), closer.end() if closer else end))
        return Found(calls, cut_spans(text, spans), min(spans)[0]) if calls else None
