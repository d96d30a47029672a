"""Mistral: ``[TOOL_CALLS]`` followed by a JSON array, or by ``name[ARGS]{json}`` per call.

Mistral 7B v0.3 and Nemo write ``[TOOL_CALLS] [{"name": …, "arguments": {…}, "id": …}]``;
the v11+ tokenizer (Mistral Small 3.x, Devstral, Magistral) writes
``[TOOL_CALLS]name[ARGS]{…}`` (optionally ``[CALL_ID]id`` before ``[ARGS]``), once per
call. Servers that drop the control tokens' text leave ``[TOOL_CALLS]name{…}``.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._jsoncalls import calls_from_json
from brain.toolcalls._text import cut_spans, json_span_end

_MARKER = "[TOOL_CALLS]"
_NAMED = re.compile(
    r"\s*([A-Za-z_][\w.\-]*)\s*(?:\[CALL_ID\]\s*([\w\-]+)\s*)?(?:\[ARGS\])?\s*(?=[{\[])"
)


class MistralParser:
    """``[TOOL_CALLS]`` in either of its forms."""

    name = "mistral"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every call after a ``[TOOL_CALLS]`` marker."""
        if _MARKER not in text:
            return None
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        pos = text.find(_MARKER)
        while pos != -1:
            found, end = self._after_marker(text, pos + len(_MARKER))
            calls += found
            spans.append((pos, end))
            pos = text.find(_MARKER, end)
        return Found(calls, cut_spans(text, spans), min(spans)[0]) if calls else None

    def _after_marker(self, text: str, pos: int) -> tuple[list[RawCall], int]:
        named = _NAMED.match(text, pos)
        if named:
            start = named.end()
            end = json_span_end(text, start)
            call = RawCall(named.group(1), text[start:end], call_id=named.group(2))
            return [call], end
        start = pos + len(text[pos:]) - len(text[pos:].lstrip())
        if not text.startswith(("[", "{"), start):
            return [], start
        end = json_span_end(text, start)
        return calls_from_json(text[start:end]), end
