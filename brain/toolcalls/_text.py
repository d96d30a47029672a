"""Text helpers every format shares: reasoning blocks, JSON spans, lenient JSON."""

from __future__ import annotations

import json
import re
from typing import Any

import json_repair

_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
# Some chat templates open the think block in the prompt, so only the close tag is emitted.
_ORPHAN_THINK_CLOSE = re.compile(r"\A.*?</think>", re.DOTALL | re.IGNORECASE)
_PAIRS = {"{": "}", "[": "]"}
_VALUE_START = frozenset("{[:,")


def strip_think(text: str) -> str:
    """Remove ``<think>…</think>`` blocks (and an unclosed trailing one) from ``text``."""
    if "</think>" in text.lower() and "<think>" not in text.lower():
        text = _ORPHAN_THINK_CLOSE.sub("", text, count=1)
    return _THINK.sub("", text).strip()


def parse_json_lenient(raw: str) -> Any:
    """Parse JSON, repairing what small models break (quotes, commas, truncation).

    Returns ``None`` when nothing JSON-like can be recovered.
    """
    try:
        return json.loads(raw, strict=False)  # raw newlines inside strings are harmless
    except (json.JSONDecodeError, TypeError):
        pass
    repaired = json_repair.loads(raw) if raw and raw.strip() else None
    return repaired if repaired not in ("", None) else None


def json_span_end(text: str, start: int) -> int:
    """End of the JSON object/array opening at ``start`` (brackets matched outside strings).

    An unbalanced value (cut off) runs to the end of the text.
    """
    stack: list[str] = []
    quote: str | None = None
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'" and stack:
            quote = char
        elif char in _PAIRS:
            stack.append(_PAIRS[char])
        elif stack and char == stack[-1]:
            stack.pop()
            if not stack:
                return index + 1
        index += 1
    return len(text)


def ends_inside_string(raw: str) -> bool:
    """True when JSON-ish text stops inside an open string (it was cut off).

    Small models also quote with ``'``; an apostrophe opens a string only where a value or
    key may start (after ``{ [ : ,``), so ``it's`` in a double-quoted value is no opener.
    """
    quote: str | None = None
    last = "{"  # the last significant character outside strings
    index = 0
    while index < len(raw):
        char = raw[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote, last = None, char
        elif char == '"' or (char == "'" and last in _VALUE_START):
            quote = char
        elif not char.isspace():
            last = char
        index += 1
    return quote is not None


def cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the given (start, end) spans, tidied."""
    kept, last = [], 0
    for start, end in sorted(spans):
        kept.append(text[last:start])
        last = max(last, end)
    kept.append(text[last:])
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()
