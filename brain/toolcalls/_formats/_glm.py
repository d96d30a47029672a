"""GLM-4.5 / 4.6: ``<tool_call>NAME`` then ``<arg_key>K</arg_key><arg_value>V</arg_value>`` pairs.

From the GLM-4.5 chat template::

    <tool_call>get_weather
    <arg_key>city</arg_key>
    <arg_value>Beijing</arg_value>
    </tool_call>

Values are raw text (the template JSON-encodes only non-strings), coerced by the schema.
A value may hold ``</arg_value>`` text: it ends only where the next ``<arg_key>`` or the
closing ``</tool_call>`` follows. A value still open at the end (cut off) is reported.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._text import cut_spans

_OPEN = re.compile(r"<tool_call>\s*([A-Za-z_][\w.\-]*)\s*(?=<arg_key>|</tool_call>)")
_KEY = re.compile(r"\s*<arg_key>(.*?)</arg_key>\s*<arg_value>", re.DOTALL)
_VALUE_END = re.compile(r"</arg_value>\s*(?=<arg_key>|</tool_call>|<tool_call>|\Z)")
_CLOSE = re.compile(r"\s*(?:</tool_call>)?")


def _read(text: str, pos: int) -> tuple[dict[str, str], str | None, int]:
    """(values, error, end) of the pairs from ``pos``."""
    values: dict[str, str] = {}
    while (key := _KEY.match(text, pos)) is not None:
        end = _VALUE_END.search(text, key.end())
        if end is None:
            values[key.group(1).strip()] = text[key.end() :]
            error = f"argument {key.group(1).strip()!r} is not closed (no </arg_value>): cut off"
            return values, error, len(text)
        values[key.group(1).strip()] = text[key.end() : end.start()]
        pos = end.end()
    close = _CLOSE.match(text, pos)
    return values, None, close.end() if close else pos


class GlmParser:
    """GLM's ``<arg_key>``/``<arg_value>`` calls."""

    name = "glm"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every GLM-style call."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        while (opener := _OPEN.search(text, pos)) is not None:
            values, error, pos = _read(text, opener.end())
            calls.append(RawCall(opener.group(1), values, raw_values=True, error=error))
            spans.append((opener.start(), pos))
        return Found(calls, cut_spans(text, spans), spans[0][0]) if calls else None
