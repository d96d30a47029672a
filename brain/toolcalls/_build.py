"""Turn a name and raw arguments into a validated :class:`~brain.ToolCall` (never raises).

The rule that matters most: repair may make broken JSON readable, but a value that only
exists *because of* repair never reaches a tool. Truncated JSON whose last string was cut
(``{"content": "import os\\npri``), or a key whose value repair turned into an empty
one (``{path: x, content: }}}`` → ``content: ""``), gives a call with ``error`` set, which
the caller returns to the model as the tool result.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import jsonschema

from brain._types import ChatRequest, ToolCall, ToolSpec
from brain.toolcalls._base import RawCall, ToolTable, properties_of
from brain.toolcalls._coerce import coerce_arguments, coerce_json_strings
from brain.toolcalls._text import ends_inside_string, parse_json_lenient

_EMPTY: tuple[Any, ...] = ("", None, [], {})
_RESEND = "resend the call with complete, valid JSON arguments"


def new_call_id() -> str:
    """A fresh tool-call id for calls the model did not number itself."""
    return f"call_{uuid.uuid4().hex[:12]}"


def registered_tools(request: ChatRequest, extra: frozenset[str]) -> ToolTable:
    """Names a tool call may use: the request's tools (with schemas) plus configured extras."""
    tools: ToolTable = {name: None for name in extra}
    tools.update({t.name: t for t in request.tools})
    return tools


def _explicitly_empty(raw: str, key: str) -> bool:
    """The raw text itself gave ``key`` an empty value (so repair did not invent it)."""
    pattern = rf"""["']?{re.escape(key)}["']?\s*[:=]\s*(""|''|null|None|\[\s*\]|\{{\s*\}})"""
    return re.search(pattern, raw) is not None


def _repair_problem(raw: str, parsed: dict[str, Any]) -> str | None:
    """Why a repaired argument object must not be used, or None when repair was harmless."""
    try:
        json.loads(raw, strict=False)
    except json.JSONDecodeError as exc:
        reason = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    else:
        return None
    if ends_inside_string(raw):
        return f"the arguments were cut off inside a string value ({reason}); {_RESEND}"
    invented = [k for k, v in parsed.items() if v in _EMPTY and not _explicitly_empty(raw, k)]
    if invented:
        names = ", ".join(repr(k) for k in invented)
        return f"the arguments are not valid JSON ({reason}) and {names} had no value; {_RESEND}"
    return None


def _parse_arguments(name: str, raw: str) -> tuple[dict[str, Any] | None, str | None]:
    """(arguments, error) from JSON text."""
    if not raw.strip():
        return {}, None
    parsed = parse_json_lenient(raw)
    if isinstance(parsed, str):  # arguments double-encoded as a JSON string
        raw, parsed = parsed, parse_json_lenient(parsed)
    if not isinstance(parsed, dict):
        return None, f"arguments of {name} must be a JSON object"
    return parsed, _repair_problem(raw, parsed)


def _schema_error(arguments: dict[str, Any], spec: ToolSpec | None) -> str | None:
    if spec is None:
        return None
    try:
        jsonschema.validate(arguments, spec.parameters)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "arguments"
        return f"{where}: {exc.message}"
    # A broken tool schema is refused when the ToolSpec is built (brain._types), not here.
    return None


def build_call(
    name: str,
    arguments: Any,
    tools: ToolTable,
    call_id: str | None = None,
) -> ToolCall:
    """Make a ToolCall from a name and raw arguments (dict or JSON text), validating both.

    ``tools`` maps each registered tool name to its spec (``None`` = no schema check).
    """
    return build_raw(RawCall(name=name, arguments=arguments, call_id=call_id), tools)


def build_raw(raw: RawCall, tools: ToolTable) -> ToolCall:
    """A validated ToolCall from what a format parser found."""
    call_id = raw.call_id or new_call_id()
    name = (raw.name or "").strip()
    if name not in tools:
        known = ", ".join(sorted(tools)) or "none"
        return ToolCall(id=call_id, name=name, error=f"unknown tool {name!r}; available: {known}")
    props = properties_of(tools[name])
    arguments: Any = raw.arguments
    error = raw.error
    if isinstance(arguments, str):
        arguments, json_error = _parse_arguments(name, arguments)
        error = error or json_error
    elif raw.repaired_from is not None and isinstance(arguments, dict):
        error = error or _repair_problem(raw.repaired_from, arguments)
    if not isinstance(arguments, dict):
        return ToolCall(
            id=call_id, name=name, error=error or f"arguments of {name} must be a JSON object"
        )
    if raw.raw_values:
        arguments = coerce_arguments(arguments, props)
    else:
        arguments = coerce_json_strings(arguments, props)
    error = error or _schema_error(arguments, tools[name])
    if error:
        return ToolCall(
            id=call_id,
            name=name,
            arguments=arguments,
            error=f"invalid arguments for {name}: {error}",
        )
    return ToolCall(id=call_id, name=name, arguments=arguments)
