"""The plug-in point of tool-call recovery: what one format parser finds, and its protocol.

A parser only *finds* calls in text (a name and the raw arguments) and says what text
is left visible; building, coercing and validating a :class:`~brain.ToolCall` is
shared (:mod:`brain.toolcalls._build`), so every format is judged by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from brain._types import ToolSpec

#: Registered tool name → its spec (``None``: accepted by name, arguments not checked).
ToolTable = dict[str, ToolSpec | None]


@dataclass
class RawCall:
    """One call as a format wrote it, before coercion and validation."""

    name: str
    arguments: str | dict[str, Any] = field(default_factory=dict)
    """JSON text, or a dict of values (``raw_values``: each value is raw text)."""
    raw_values: bool = False
    """Values were written as plain text (XML, Python call syntax): coerce by the schema."""
    error: str | None = None
    """What the parser found wrong (an unclosed tag): the call is returned with it, not run."""
    call_id: str | None = None
    repaired_from: str | None = None
    """The broken JSON text the arguments were repaired from (checked for invented values)."""


@dataclass
class Found:
    """What one parser recovered from a text: the calls, and the text left visible."""

    calls: list[RawCall]
    visible: str
    start: int = 0
    """Where the first call begins in the text: when several formats match, the earliest wins."""


class FormatParser(Protocol):
    """One tool-call format small models write into content (see ``brain.toolcalls``)."""

    name: str
    """Short id of the format (``hermes``, ``mistral``, …); the corpus and benchmark use it."""

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """The calls written in ``text`` in this format, or None when it holds none."""
        ...


def properties_of(spec: ToolSpec | None) -> dict[str, Any]:
    """The declared properties of a tool's argument schema (empty when unknown)."""
    if spec is None:
        return {}
    props = spec.parameters.get("properties")
    return props if isinstance(props, dict) else {}
