"""Calls written as JSON objects, the shape most formats share inside their own markers.

Accepted shapes, alone or in a list: ``{"name", "arguments"}`` (Hermes, OpenAI),
``{"name", "parameters"}`` (Llama 3.x, Gemma), ``{"type": "function", "function": {…}}``
(OpenAI's wire shape echoed back), ``{"tool_name", "parameters"}`` (Command-R),
``{"function", "args"}``. Repaired JSON keeps the broken text so invented values
can be refused later (see :mod:`brain.toolcalls._build`).
"""

from __future__ import annotations

import json
from typing import Any

from brain.toolcalls._base import RawCall
from brain.toolcalls._text import parse_json_lenient

_NAME_KEYS = ("name", "tool_name", "tool", "function")
_ARG_KEYS = ("arguments", "parameters", "args", "input", "tool_input")


def _strict(raw: str) -> tuple[Any, bool]:
    """(value, repaired)."""
    try:
        return json.loads(raw, strict=False), False
    except (json.JSONDecodeError, TypeError):
        return parse_json_lenient(raw), True


def call_from_object(obj: Any, *, need_arguments: bool = False) -> RawCall | None:
    """A call from one decoded JSON object; None when it is not one."""
    if isinstance(obj, dict) and isinstance(obj.get("function"), dict):
        obj = obj["function"]
    if not isinstance(obj, dict):
        return None
    name = next((obj[k] for k in _NAME_KEYS if isinstance(obj.get(k), str)), None)
    key = next((k for k in _ARG_KEYS if k in obj), None)
    if name is None or (need_arguments and key is None):
        return None  # plain data that happens to have a "name" field
    arguments = obj[key] if key else {}
    if arguments is None:
        arguments = {}
    call_id = obj.get("id") if isinstance(obj.get("id"), str) else None
    return RawCall(name=name, arguments=arguments, call_id=call_id)


def calls_from_json(raw: str, *, need_arguments: bool = False) -> list[RawCall]:
    """Every call in a JSON object or array of objects (repaired when broken)."""
    value, repaired = _strict(raw)
    items = value if isinstance(value, list) else [value]
    calls = [call_from_object(i, need_arguments=need_arguments) for i in items]
    found = [c for c in calls if c is not None]
    if repaired:
        for call in found:
            call.repaired_from = raw
    return found
