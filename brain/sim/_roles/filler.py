"""A minimal instance of any JSON Schema, and fitting known data to a schema.

Used for structured requests the simulator has no special answer for, and to shape
catalog data into a schema it has not seen (``InventedTask``).
"""

from __future__ import annotations

from typing import Any

_MAX_DEPTH = 12


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    node: Any = root
    for part in ref[2:].split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return _resolve(node, root) if isinstance(node, dict) else {}


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        return non_null[0] if non_null else "null"
    return kind


_SCALARS: dict[str, Any] = {"string": "sim", "integer": 0, "number": 0.0, "boolean": False}


def minimal(schema: dict[str, Any], root: dict[str, Any] | None = None, depth: int = 0) -> Any:
    """The smallest value valid against ``schema`` (required fields, minimum items, bounds)."""
    root = schema if root is None else root
    schema = _resolve(schema, root)
    if depth > _MAX_DEPTH:
        return None
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            return minimal(schema[key][0], root, depth + 1)
    return _minimal_of_type(schema, root, depth)


def _minimal_of_type(schema: dict[str, Any], root: dict[str, Any], depth: int) -> Any:
    kind = _type_of(schema) or ("object" if "properties" in schema else None)
    if kind == "object":
        props = schema.get("properties", {})
        return {k: minimal(props.get(k, {}), root, depth + 1) for k in schema.get("required", [])}
    if kind == "array":
        item = schema.get("items", {})
        return [minimal(item, root, depth + 1) for _ in range(int(schema.get("minItems", 0)))]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = max(low, 0) if "maximum" not in schema else min(max(low, 0), schema["maximum"])
        return int(value) if kind == "integer" else float(value)
    if kind == "string":
        return "sim" + "x" * max(0, int(schema.get("minLength", 0)) - 3)
    return _SCALARS.get(kind or "", None)


def fit(
    data: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, depth: int = 0
) -> Any:
    """``data`` reshaped to ``schema``: known fields kept, missing required ones filled."""
    root = schema if root is None else root
    schema = _resolve(schema, root)
    kind = _type_of(schema) or ("object" if "properties" in schema else None)
    if depth > _MAX_DEPTH or data is None:
        return minimal(schema, root, depth)
    if kind == "object" and isinstance(data, dict):
        props = schema.get("properties", {})
        if not props:
            return data
        out = {k: fit(data[k], props[k], root, depth + 1) for k in props if k in data}
        missing = [k for k in schema.get("required", []) if k not in out]
        return out | {k: minimal(props.get(k, {}), root, depth + 1) for k in missing}
    if kind == "array" and isinstance(data, list):
        return [fit(item, schema.get("items", {}), root, depth + 1) for item in data]
    if schema.get("enum") and data not in schema["enum"]:
        return schema["enum"][0]
    if kind in _SCALARS and not _matches(data, kind):
        return minimal(schema, root, depth)
    return data


def _matches(value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    accepted = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}
    return isinstance(value, accepted[kind])
