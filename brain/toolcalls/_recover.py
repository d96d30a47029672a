"""``recover_tool_calls``: the calls written into a text, and the text left visible.

The registered format parsers are all tried, in a fixed order from the most specific
markers to the least (see ``brain.toolcalls``): a distinctive control token cannot appear
by accident, a bare JSON object can. The format whose first call starts earliest wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from brain._types import ToolCall, ToolSpec
from brain.toolcalls._base import FormatParser, Found, ToolTable
from brain.toolcalls._build import build_raw
from brain.toolcalls._formats._deepseek import DeepSeekParser
from brain.toolcalls._formats._fenced import FencedJsonParser
from brain.toolcalls._formats._glm import GlmParser
from brain.toolcalls._formats._harmony import HarmonyParser
from brain.toolcalls._formats._hermes import HermesParser
from brain.toolcalls._formats._kimi import KimiParser
from brain.toolcalls._formats._llama import LlamaJsonParser
from brain.toolcalls._formats._mistral import MistralParser
from brain.toolcalls._formats._phi import PhiParser
from brain.toolcalls._formats._pythonic import PythonicParser
from brain.toolcalls._formats._qwen_xml import QwenXmlParser
from brain.toolcalls._text import strip_think

_PARSERS: list[FormatParser] = [
    DeepSeekParser(),
    KimiParser(),
    HarmonyParser(),
    MistralParser(),
    PhiParser(),
    QwenXmlParser(),
    HermesParser(),
    GlmParser(),
    PythonicParser(),
    FencedJsonParser(),
    LlamaJsonParser(),
]


def format_parsers() -> list[FormatParser]:
    """The parsers in the order they are tried."""
    return list(_PARSERS)


def register_format(parser: FormatParser, *, before: str | None = None) -> None:
    """Add a parser, last or just before the one named ``before``; a name is unique."""
    if any(p.name == parser.name for p in _PARSERS):
        raise ValueError(f"a tool-call format named {parser.name!r} is already registered")
    names = [p.name for p in _PARSERS]
    index = names.index(before) if before in names else len(_PARSERS)
    _PARSERS.insert(index, parser)


class RecoveredCalls(NamedTuple):
    """What :func:`recover_tool_calls` found."""

    calls: list[ToolCall]
    """The calls, in order; an invalid one carries ``error`` (return it to the model)."""
    text: str
    """The visible text: reasoning and the calls' own markup removed."""


def tool_table(tools: Mapping[str, ToolSpec | None] | Iterable[ToolSpec]) -> ToolTable:
    """Tools as name → spec, from a mapping or a list of specs."""
    if isinstance(tools, Mapping):
        return dict(tools)
    return {spec.name: spec for spec in tools}


def _best(text: str, tools: ToolTable) -> Found | None:
    """The format whose first call starts earliest (registry order breaks ties)."""
    best: Found | None = None
    for parser in format_parsers():
        found = parser.parse(text, tools)
        if found and found.calls and (best is None or found.start < best.start):
            best = found
    return best


def recover_tool_calls(
    text: str, tools: Mapping[str, ToolSpec | None] | Iterable[ToolSpec]
) -> RecoveredCalls:
    """Find tool calls a model wrote into ``text`` instead of the tool protocol.

    ``tools`` are the registered tools (a list of ToolSpecs, or name → spec where None
    means "accept the name, do not check arguments"). Never raises: an unknown tool,
    arguments that do not parse or validate, a value that exists only because broken
    JSON was repaired, or a call cut off mid-value come back with ``error`` set.
    """
    table = tool_table(tools)
    visible = strip_think(text)
    best = _best(visible, table)
    if best is None:
        return RecoveredCalls([], visible)
    return RecoveredCalls([build_raw(c, table) for c in best.calls], best.visible)
