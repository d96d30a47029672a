"""Calls written as Python: Gemma's ```` ```tool_code ```` blocks, Llama 3.2/4's pythonic list.

- Gemma (Google's function-calling guide):
  ```` ```tool_code\\nprint(get_weather(city="Paris"))\\n``` ````,
  with or without ``print`` and a ``default_api.`` prefix;
- Llama 3.2 / Llama 4 and Gemma's list prompt: ``[get_weather(city="Paris"), now(tz="UTC")]``,
  Llama 4 optionally between ``<|python_start|>`` and ``<|python_end|>``;
- a whole answer that is one call expression to a registered tool.

Code is parsed with :mod:`ast`, never executed; values must be literals. Outside a
``tool_code`` block a call list is accepted only when every element names a registered
tool, so Python in prose is not mistaken for calls.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from brain.toolcalls._base import Found, RawCall, ToolTable, properties_of
from brain.toolcalls._text import cut_spans, json_span_end

_TOOL_CODE = re.compile(r"```tool_code\s*\n?(.*?)(?:```|\Z)", re.DOTALL)
_LIST_START = re.compile(r"(?:<\|python_start\|>\s*)?\[\s*[A-Za-z_][\w.]*\s*\(")
_PY_END = re.compile(r"\s*<\|python_end\|>")


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr  # default_api.get_weather → get_weather
    return None


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ast.unparse(node)  # a name or expression: keep its text for the schema check


def _call(node: ast.Call, tools: ToolTable) -> RawCall | None:
    name = _name(node.func)
    if name == "print" and len(node.args) == 1 and isinstance(node.args[0], ast.Call):
        return _call(node.args[0], tools)
    if name is None:
        return None
    arguments = {kw.arg: _literal(kw.value) for kw in node.keywords if kw.arg}
    declared = list(properties_of(tools.get(name)))
    for key, value in zip(declared, node.args, strict=False):
        arguments.setdefault(key, _literal(value))
    return RawCall(name, arguments)


def _calls_in(code: str, tools: ToolTable, *, known_only: bool) -> list[RawCall]:
    try:
        tree = ast.parse(code.strip())
    except SyntaxError:
        return []
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    outer = [n for n in nodes if not any(n in ast.walk(o) and n is not o for o in nodes)]
    calls = [c for n in outer if (c := _call(n, tools)) is not None]
    if known_only and any(c.name not in tools for c in calls):
        return []
    return calls


class PythonicParser:
    """Python call syntax (Gemma ``tool_code``, Llama pythonic lists)."""

    name = "pythonic"

    def parse(self, text: str, tools: ToolTable) -> Found | None:
        """Calls in ``tool_code`` blocks, else in a call list of registered tools."""
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        for block in _TOOL_CODE.finditer(text):
            calls += _calls_in(block.group(1), tools, known_only=False)
            spans.append(block.span())
        if not calls:
            calls, spans = self._lists(text, tools)
        if not calls and re.fullmatch(r"[A-Za-z_][\w.]*\(.*\)", text.strip(), re.DOTALL):
            calls, spans = _calls_in(text, tools, known_only=True), [(0, len(text))]
        return Found(calls, cut_spans(text, spans), min(spans)[0]) if calls else None

    def _lists(self, text: str, tools: ToolTable) -> tuple[list[RawCall], list[tuple[int, int]]]:
        calls: list[RawCall] = []
        spans: list[tuple[int, int]] = []
        for start in _LIST_START.finditer(text):
            bracket = text.index("[", start.start())
            end = json_span_end(text, bracket)
            found = _calls_in(text[bracket:end], tools, known_only=True)
            if found:
                closer = _PY_END.match(text, end)
                calls += found
                spans.append((start.start(), closer.end() if closer else end))
        return calls, spans
