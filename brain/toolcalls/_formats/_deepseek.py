"""DeepSeek V3 / R1 / V3.1 tool-call tokens.

V3 and R1 (their chat templates)::

    <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>NAME
    ```json
    {…}
    ```<｜tool▁call▁end｜><｜tool▁calls▁end｜>

V3.1 drops the type and the fence:
``<｜tool▁call▁begin｜>NAME<｜tool▁sep｜>{…}<｜tool▁call▁end｜>``.
The tokens use U+FF5C and U+2581; servers and quantised models also print them with
ASCII ``|`` and ``_``, which are accepted too.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._text import cut_spans, json_span_end


def _token(words: str) -> str:
    return r"<[｜|]\s*" + r"[▁_ ]".join(words.split()) + r"\s*[｜|]>"


_CALL = re.compile(
    _token("tool call begin")
    + r"(.*?)"
    + rf"(?:{_token('tool call end')}|(?={_token('tool call begin')})"
    + rf"|(?={_token('tool calls end')})|\Z)",
    re.DOTALL,
)
_BLOCK = re.compile(
    _token("tool calls begin") + r".*?(?:" + _token("tool calls end") + r"|\Z)", re.DOTALL
)
_SEP = re.compile(_token("tool sep"))
_FENCE = re.compile(r"\A\s*```(?:json)?\s*(.*?)\s*(?:```|\Z)", re.DOTALL)


def _call(body: str) -> RawCall | None:
    parts = _SEP.split(body, maxsplit=1)
    if len(parts) != 2:
        return None
    left, right = parts[0].strip(), parts[1]
    if left == "function":  # V3 / R1: NAME on the first line, fenced JSON below
        name, _, right = right.partition("\n")
        left = name.strip()
    fenced = _FENCE.match(right)
    raw = fenced.group(1) if fenced else right.strip()
    if raw.startswith("{"):
        raw = raw[: json_span_end(raw, 0)]
    return RawCall(left, raw)


class DeepSeekParser:
    """``<｜tool▁call▁begin｜>`` blocks (V3, R1, V3.1)."""

    name = "deepseek"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every call between DeepSeek's tool-call tokens."""
        calls = [c for m in _CALL.finditer(text) if (c := _call(m.group(1))) is not None]
        if not calls:
            return None
        spans = [m.span() for m in _BLOCK.finditer(text)] or [
            m.span() for m in _CALL.finditer(text)
        ]
        return Found(calls, cut_spans(text, spans), min(spans)[0])
