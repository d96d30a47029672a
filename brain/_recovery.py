"""Recover tool calls that small local models write into ``content`` instead of the protocol.

Qwen, Llama and friends served by LM Studio or llama.cpp often break the tool-call
protocol. What they write is untrusted text; this module turns it into
:class:`~brain.ToolCall` objects and never raises:

- ``<think>…</think>`` reasoning is stripped from the visible text;
- ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` (Hermes / Qwen2.5 style);
- ``<function=NAME><parameter=K>V</parameter></function>`` (Qwen3-Coder style);
- fenced ```` ```json {"name": ..., "arguments": ...} ``` ```` blocks;
- malformed JSON is repaired with ``json_repair``.

Only registered tool names are accepted: an unknown name, or arguments that do not
parse or validate against the tool's JSON Schema, give a ToolCall with ``error``
set, which the caller returns to the model as the tool result.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

import json_repair
import jsonschema

from brain._types import ChatRequest, ToolCall, ToolSpec

_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
# Some chat templates open the think block in the prompt, so only the close tag is emitted.
_ORPHAN_THINK_CLOSE = re.compile(r"\A.*?</think>", re.DOTALL | re.IGNORECASE)
_TOOL_CALL_TAG = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|\Z)", re.DOTALL)
_FUNCTION_TAG = re.compile(r"<function=([^>\s]+)>(.*?)(?:</function>|\Z)", re.DOTALL)
_PARAMETER_TAG = re.compile(r"<parameter=([^>\s]+)>\n?(.*?)\n?</parameter>", re.DOTALL)
_FENCED = re.compile(r"```(?:json|tool_call|tool)?\s*\n(.*?)```", re.DOTALL)


def strip_think(text: str) -> str:
    """Remove ``<think>…</think>`` blocks (and an unclosed trailing one) from ``text``."""
    if "</think>" in text.lower() and "<think>" not in text.lower():
        text = _ORPHAN_THINK_CLOSE.sub("", text, count=1)
    return _THINK.sub("", text).strip()


def new_call_id() -> str:
    """A fresh tool-call id for calls the model did not number itself."""
    return f"call_{uuid.uuid4().hex[:12]}"


def parse_json_lenient(raw: str) -> Any:
    """Parse JSON, repairing what small models break (quotes, commas, truncation).

    Returns ``None`` when nothing JSON-like can be recovered.
    """
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        pass
    repaired = json_repair.loads(raw) if raw and raw.strip() else None
    return repaired if repaired not in ("", None) else None


def registered_tools(request: ChatRequest, extra: frozenset[str]) -> dict[str, ToolSpec | None]:
    """Names a tool call may use: the request's tools (with schemas) plus configured extras."""
    tools: dict[str, ToolSpec | None] = {name: None for name in extra}
    tools.update({t.name: t for t in request.tools})
    return tools


def _schema_error(arguments: dict[str, Any], spec: ToolSpec | None) -> str | None:
    if spec is None:
        return None
    try:
        jsonschema.validate(arguments, spec.parameters)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "arguments"
        return f"{where}: {exc.message}"
    except jsonschema.SchemaError:
        return None  # the tool's own schema is broken; do not blame the model
    return None


def build_call(
    name: str,
    arguments: Any,
    tools: dict[str, ToolSpec | None],
    call_id: str | None = None,
) -> ToolCall:
    """Make a ToolCall from a name and raw arguments (dict or JSON text), validating both.

    ``tools`` maps each registered tool name to its spec (``None`` = no schema check).
    """
    call_id = call_id or new_call_id()
    name = (name or "").strip()
    if name not in tools:
        known = ", ".join(sorted(tools)) or "none"
        return ToolCall(id=call_id, name=name, error=f"unknown tool {name!r}; available: {known}")
    if isinstance(arguments, str):
        arguments = parse_json_lenient(arguments) if arguments.strip() else {}
    if not isinstance(arguments, dict):
        return ToolCall(id=call_id, name=name, error=f"arguments of {name} must be a JSON object")
    error = _schema_error(arguments, tools[name])
    if error:
        return ToolCall(
            id=call_id,
            name=name,
            arguments=arguments,
            error=f"invalid arguments for {name}: {error}",
        )
    return ToolCall(id=call_id, name=name, arguments=arguments)


def _from_json_object(
    obj: Any, tools: dict[str, ToolSpec | None], *, need_arguments: bool
) -> ToolCall | None:
    """A call from ``{"name": .., "arguments"|"parameters": ..}``; None if it is not one."""
    if isinstance(obj, dict) and isinstance(obj.get("function"), dict):
        obj = obj["function"]  # OpenAI-shaped {"type":"function","function":{...}}
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
        return None
    if need_arguments and not ({"arguments", "parameters"} & obj.keys()):
        return None  # plain data that happens to have a "name" field
    arguments = obj.get("arguments", obj.get("parameters", {}))
    return build_call(obj["name"], arguments, tools)


def _json_calls(
    raw: str, tools: dict[str, ToolSpec | None], *, need_arguments: bool = False
) -> list[ToolCall]:
    parsed = parse_json_lenient(raw)
    items = parsed if isinstance(parsed, list) else [parsed]
    found = (_from_json_object(i, tools, need_arguments=need_arguments) for i in items)
    return [c for c in found if c is not None]


def _parameter_value(raw: str, spec: ToolSpec | None, key: str) -> Any:
    """Qwen3-Coder writes parameter values raw; decode JSON unless the schema says string."""
    declared = ((spec.parameters.get("properties") or {}).get(key) or {}) if spec else {}
    if declared.get("type") == "string":
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _function_tag_calls(text: str, tools: dict[str, ToolSpec | None]) -> list[ToolCall]:
    calls = []
    for match in _FUNCTION_TAG.finditer(text):
        name = match.group(1).strip()
        spec = tools.get(name)
        arguments = {
            key.strip(): _parameter_value(value, spec, key.strip())
            for key, value in _PARAMETER_TAG.findall(match.group(2))
        }
        calls.append(build_call(name, arguments, tools))
    return calls


def _remove_spans(text: str, patterns: Iterable[re.Pattern[str]]) -> str:
    for pattern in patterns:
        text = pattern.sub("", text)
    return re.sub(r"</?tool_call>", "", text).strip()


def recover_tool_calls(text: str, tools: dict[str, ToolSpec | None]) -> tuple[str, list[ToolCall]]:
    """Find tool calls written into ``text``; return (remaining visible text, calls).

    Tagged forms win over fenced JSON: a fenced block is only read as a call when the
    text has no tagged call, so code samples in prose are not mistaken for calls.
    """
    visible = strip_think(text)
    calls: list[ToolCall] = []
    for match in _TOOL_CALL_TAG.finditer(visible):
        body = match.group(1)
        calls += (
            _function_tag_calls(body, tools) if "<function=" in body else _json_calls(body, tools)
        )
    if not calls:
        calls = _function_tag_calls(visible, tools)
    if not calls:
        for block in _FENCED.findall(visible):
            calls += _json_calls(block, tools, need_arguments=True)
        if calls:
            return _remove_spans(visible, [_FENCED]), calls
    if not calls:
        return visible, []
    return _remove_spans(visible, [_TOOL_CALL_TAG, _FUNCTION_TAG]), calls
