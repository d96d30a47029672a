"""gpt-oss (OpenAI harmony): a message addressed ``to=functions.NAME`` is a call.

From OpenAI's harmony format guide::

    <|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json
    <|message|>{"location": "Tokyo"}<|call|>

(one line in the model's output).

The recipient may also stand in the header before the channel
(``<|start|>assistant to=functions.NAME<|channel|>commentary json<|message|>…``). Servers
that do not parse harmony (older LM Studio and llama.cpp builds) leak exactly this into
content, often after an ``analysis`` message, which is reasoning and not shown.
"""

from __future__ import annotations

import re

from brain.toolcalls._base import Found, RawCall, ToolTable
from brain.toolcalls._text import cut_spans

_NAME = r"to=functions\.([\w.\-]+)"
_CALL = re.compile(
    rf"(?:<\|start\|>\s*assistant)?\s*(?:{_NAME})?\s*<\|channel\|>\s*\w+\s*(?:{_NAME})?"
    r"\s*(?:<\|constrain\|>\s*)?(?:json)?\s*<\|message\|>(.*?)"
    r"(?:<\|call\|>|<\|end\|>|<\|return\|>|(?=<\|start\|>|<\|channel\|>)|\Z)",
    re.DOTALL,
)
_ANALYSIS = re.compile(
    r"(?:<\|start\|>\s*assistant\s*)?<\|channel\|>\s*analysis\s*<\|message\|>.*?"
    r"(?:<\|end\|>|(?=<\|start\|>|<\|channel\|>)|\Z)",
    re.DOTALL,
)
_LEFTOVER = re.compile(
    r"<\|(?:start|channel|message|end|return|call|constrain)\|>(?:assistant|final)?"
)


class HarmonyParser:
    """Harmony messages addressed to a function."""

    name = "harmony"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Every ``to=functions.NAME`` message."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        for match in _CALL.finditer(text):
            name = match.group(1) or match.group(2)
            if name:
                calls.append(RawCall(name, match.group(3).strip()))
                spans.append(match.span())
        if not calls:
            return None
        spans += [m.span() for m in _ANALYSIS.finditer(text)]
        visible = _LEFTOVER.sub("", cut_spans(text, spans)).strip()
        return Found(calls, visible, min(s for s, _ in spans))
