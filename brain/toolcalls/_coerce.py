"""Values written as plain text (XML parameters, Python literals) coerced by the tool's schema.

A string parameter stays exactly the text written (``42`` stays ``"42"``); ``null`` /
``None`` become null only where the schema allows null; numbers, booleans, objects and
arrays are decoded only where the schema asks for them. A value that does not decode is
left as text, so schema validation reports it to the model instead of guessing.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

_NULLS = {"null", "none", "nil"}
_INT = re.compile(r"[+-]?\d+")
_BOOLS = {"true": True, "false": False}


def schema_types(schema: Any) -> set[str]:
    """The JSON types a (sub)schema admits; empty when it does not say."""
    if not isinstance(schema, dict):
        return set()
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or [])
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key) or []:
            types |= schema_types(option)
    if schema.get("enum") is not None and None in schema["enum"]:
        types.add("null")
    return types


def _decode(raw: str) -> Any:
    """JSON first, then a Python literal (small models write ``True``/``None``/``'x'``)."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        pass
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return raw


def _as(kind: str, text: str) -> Any:
    """``text`` as a value of JSON type ``kind``, or the sentinel ``_NO`` when it is not one."""
    if kind == "integer" and _INT.fullmatch(text):
        return int(text)
    if kind == "number":
        value = _decode(text)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else _NO
    if kind == "boolean" and text.lower() in _BOOLS:
        return _BOOLS[text.lower()]
    if kind in ("object", "array"):
        value = _decode(text)
        return value if isinstance(value, dict if kind == "object" else list) else _NO
    return _NO


_NO = object()


def coerce_text(raw: str, schema: Any) -> Any:
    """One text value as the type its schema declares (see the module doc)."""
    types = schema_types(schema)
    text = raw.strip()
    if "null" in types and text.lower() in _NULLS:
        return None
    if "string" in types:
        return raw
    for kind in ("integer", "number", "boolean", "object", "array"):
        if kind in types:
            value = _as(kind, text)
            if value is not _NO:
                return value
    if types:
        return raw  # declared, but not decodable: the schema check reports it
    value = _decode(text)
    return None if text.lower() in _NULLS else value


def coerce_arguments(values: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """Every text value of ``values`` coerced by its property's schema."""
    return {
        key: coerce_text(value, properties.get(key)) if isinstance(value, str) else value
        for key, value in values.items()
    }


def coerce_json_strings(values: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """JSON arguments: a string given where the schema wants no string is decoded.

    (``"timeout": "30"`` for an integer). Values of the right type are never touched.
    """
    fixed = dict(values)
    for key, value in values.items():
        types = schema_types(properties.get(key))
        if isinstance(value, str) and types and "string" not in types:
            fixed[key] = coerce_text(value, properties.get(key))
    return fixed
