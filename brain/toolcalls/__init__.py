"""Recover tool calls that small local models write into ``content`` instead of the protocol.

What a model writes is untrusted text; this package turns it into
:class:`~brain.ToolCall` objects and never raises. Each format is one small
:class:`FormatParser`; all registered parsers are tried and the one whose first call
starts earliest in the text wins (ties go to the earlier parser in this order):

1. ``deepseek`` — ``<｜tool▁calls▁begin｜>…<｜tool▁sep｜>…`` (V3, R1, V3.1);
2. ``kimi`` — ``<|tool_call_begin|>functions.NAME:0<|tool_call_argument_begin|>{…}`` (Kimi K2);
3. ``harmony`` — ``<|channel|>commentary to=functions.NAME … <|message|>{…}<|call|>`` (gpt-oss);
4. ``mistral`` — ``[TOOL_CALLS][{…}]`` and ``[TOOL_CALLS]name[ARGS]{…}`` / ``name{…}``;
5. ``phi`` — ``<|tool_call|>[…]<|/tool_call|>`` (Phi-4-mini, Granite), ``functools[…]``;
6. ``qwen_xml`` — ``<function=NAME><parameter=K>V</parameter></function>`` (Qwen3-Coder),
   also ``<function=NAME>{json}</function>`` (Llama 3.1);
7. ``hermes`` — ``<tool_call>{"name", "arguments"}</tool_call>`` (Hermes, Qwen2.5/3);
8. ``glm`` — ``<tool_call>NAME<arg_key>K</arg_key><arg_value>V</arg_value>`` (GLM-4.5/4.6);
9. ``pythonic`` — Gemma ```` ```tool_code ```` and Llama 3.2/4 ``[f(a=1), g(b=2)]``;
10. ``fenced_json`` — ```` ```json {"name", "arguments"|"parameters"} ``` ````;
11. ``llama_json`` — bare ``{"name", "parameters"}`` objects, ``;``-separated, after
    ``<|python_tag|>``, or a bare JSON list (tried last: least distinctive).

``<think>`` reasoning is removed first. Arguments are coerced by the tool's JSON Schema
and validated; a value that exists only because broken JSON was repaired is refused.
"""

from brain.toolcalls._base import FormatParser, Found, RawCall, ToolTable
from brain.toolcalls._build import build_call, build_raw, new_call_id, registered_tools
from brain.toolcalls._coerce import coerce_text, schema_types
from brain.toolcalls._recover import (
    RecoveredCalls,
    format_parsers,
    recover_tool_calls,
    register_format,
    tool_table,
)
from brain.toolcalls._text import parse_json_lenient, strip_think

__all__ = [
    "FormatParser",
    "Found",
    "RawCall",
    "RecoveredCalls",
    "ToolTable",
    "build_call",
    "build_raw",
    "coerce_text",
    "format_parsers",
    "new_call_id",
    "parse_json_lenient",
    "recover_tool_calls",
    "register_format",
    "registered_tools",
    "schema_types",
    "strip_think",
    "tool_table",
]
