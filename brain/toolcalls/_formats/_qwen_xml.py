"""Qwen3-Coder XML: ``<tool_call><function=NAME><parameter=K>V</parameter></function></tool_call>``.

Values are raw text (one newline either side, as the chat template writes them, is
dropped) and are coerced by the tool's schema. A value may itself hold
``</parameter>``, ``<tool_call>`` or ``<function=`` text — a file being written often
does — so a value ends only at *structure*: a closer followed by the opening of a
parameter the tool declares and that is not yet given, or by the end of the function
(``</function>``, ``</tool_call>``, then another call or the end of the text). A missing
``</parameter>`` before the next declared parameter is recovered; a value still open at
the end of the text (cut off) is reported on the call, never run.

The same ``<function=NAME>`` opener with a JSON body is Llama 3.1's custom tool format.
"""

from __future__ import annotations

import re
from typing import Any

from brain.toolcalls._base import Found, RawCall, ToolTable, properties_of
from brain.toolcalls._text import cut_spans, json_span_end

_FUNCTION = re.compile(r"<function=([^>\n]+)>")
_PARAMETER = re.compile(r"<parameter=([^>\n]+)>")
_NEXT = re.compile(r"(</parameter>\s*)?<parameter=([^>\n]+)>")
_END = re.compile(
    r"(?:</parameter>\s*)?(?:</function>\s*(?:</tool_call>)?|</tool_call>)\s*"
    r"(?=<tool_call>|<function=|\Z)|</parameter>\s*\Z"
)
_LOOSE_END = re.compile(r"(?:</parameter>\s*)?</function>\s*(?:</tool_call>)?")
_WRAPPER_BEFORE = re.compile(r"<tool_call>\s*\Z")


def _trim(value: str) -> str:
    """Drop the one newline the template puts on each side of a value.

    A value that is one line once its surrounding whitespace is gone (a path, a number)
    is stripped: models that indent the tags (``    touch.yaml\\n    ``) mean just the word.
    """
    if "\n" not in value.strip():
        return value.strip()
    value = value[1:] if value.startswith("\n") else value
    return value[:-1] if value.endswith("\n") else value


class _Function:
    """Reads one ``<function=…>`` body starting at ``pos``."""

    def __init__(self, text: str, name: str, declared: set[str]) -> None:
        self.text, self.name, self.declared = text, name, declared
        self.values: dict[str, Any] = {}
        self.error: str | None = None

    def _may_follow(self, key: str, current: str) -> bool:
        key = key.strip()
        fresh = key != current and key not in self.values
        return fresh and (not self.declared or key in self.declared)

    def _value_end(self, start: int, key: str) -> tuple[int, int, str]:
        """(value end, where to resume, "next" | "end" | "open")."""
        nxt = next(
            (m for m in _NEXT.finditer(self.text, start) if self._may_follow(m.group(2), key)),
            None,
        )
        end = _END.search(self.text, start) or _LOOSE_END.search(self.text, start)
        if nxt and (end is None or nxt.start() < end.start()):
            return nxt.start(), nxt.start() + len(nxt.group(1) or ""), "next"
        if end:
            return end.start(), end.end(), "end"
        return len(self.text), len(self.text), "open"

    def read(self, pos: int) -> int:
        """Parse parameters from ``pos``; the index where the call ends."""
        while True:
            while pos < len(self.text) and self.text[pos].isspace():
                pos += 1
            opener = _PARAMETER.match(self.text, pos)
            if opener is None:
                end = _LOOSE_END.match(self.text, pos)
                return end.end() if end else pos
            key = opener.group(1).strip()
            value_end, pos, kind = self._value_end(opener.end(), key)
            self.values[key] = _trim(self.text[opener.end() : value_end])
            if kind == "open":
                self.error = (
                    f"parameter {key!r} is not closed (no </parameter>): the call was cut off; "
                    "resend it complete, in smaller pieces if it is long"
                )
            if kind != "next":
                return pos


class QwenXmlParser:
    """``<function=NAME>`` calls with ``<parameter=…>`` values (or a JSON body)."""

    name = "qwen_xml"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every ``<function=…>`` call, wrapped in ``<tool_call>`` or not."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        while (opener := _FUNCTION.search(text, pos)) is not None:
            wrapper = _WRAPPER_BEFORE.search(text, 0, opener.start())
            start = wrapper.start() if wrapper else opener.start()
            call, pos = self._one(text, opener, tools)
            calls += call
            spans.append((start, pos))
        if not calls:
            return None
        visible = cut_spans(text, spans)
        return Found(calls, re.sub(r"</?tool_call>", "", visible).strip(), spans[0][0])

    def _one(self, text: str, opener: re.Match[str], tools: ToolTable) -> tuple[list[RawCall], int]:
        name = opener.group(1).strip().strip("\"'")
        body = opener.end() + len(text[opener.end() :]) - len(text[opener.end() :].lstrip())
        if text.startswith("{", body):  # Llama 3.1: <function=name>{"a": 1}</function>
            end = json_span_end(text, body)
            found = [RawCall(name, text[body:end])]
            closer = _LOOSE_END.match(text, end + len(text[end:]) - len(text[end:].lstrip()))
            return found, closer.end() if closer else end
        reader = _Function(text, name, set(properties_of(tools.get(name))))
        end = reader.read(opener.end())
        return [RawCall(name, reader.values, raw_values=True, error=reader.error)], end
