"""Llama 3.x JSON tool calls: bare objects, ``;``-separated, or after ``<|python_tag|>``.

Meta's Llama 3.1–3.3 prompt format asks for ``{"name": NAME, "parameters": {…}}`` with
no wrapper (``<|python_tag|>`` before it in some templates, ``<|eom_id|>`` after);
several calls come separated by ``;``. Servers that drop a model's own markers (Ollama
without a tool template, Mistral's ``[TOOL_CALLS]`` stripped) leave a bare JSON array of
the same objects. Tried last: a bare object counts only when it has ``name`` and
``parameters``/``arguments`` and names a registered tool (after ``<|python_tag|>``, any
name, so an unknown one is reported to the model).
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._jsoncalls import calls_from_json
from brain.toolcalls._text import cut_spans, json_span_end

_PYTHON_TAG = "<|python_tag|>"
# Only braces that open something call-shaped are tried: scanning every brace of a long
# answer full of code would be quadratic.
_START = re.compile(r"""(?:\[\s*)?\{\s*["']?(?:name|type|function|tool_name)["']?\s*:""")
_TRAILER = re.compile(r"\s*(?:;|<\|eom_id\|>|<\|eot_id\|>)*")


class LlamaJsonParser:
    """Bare JSON calls (Llama 3.x), alone, in a list, or separated by ``;``."""

    name = "llama_json"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every bare JSON call object in ``text``."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        while (start := _START.search(text, pos)) is not None:
            end = json_span_end(text, start.start())
            tagged = text[: start.start()].rstrip().endswith(_PYTHON_TAG)
            found = calls_from_json(text[start.start() : end], need_arguments=True)
            if found and (tagged or all(c.name in tools for c in found)):
                calls += found
                begin = text.rfind(_PYTHON_TAG, 0, start.start()) if tagged else start.start()
                spans.append((begin, _TRAILER.match(text, end).end()))  # type: ignore[union-attr]
                pos = end
            else:
                pos = start.start() + 1
        return Found(calls, cut_spans(text, spans), min(spans)[0]) if calls else None
