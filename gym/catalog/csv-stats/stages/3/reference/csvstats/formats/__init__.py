"""Output formats: one module per format, looked up by name."""

from types import ModuleType

from csvstats.formats import csv_format, json_format, text

REGISTRY: dict[str, ModuleType] = {"text": text, "json": json_format, "csv": csv_format}


def get(name: str) -> ModuleType:
    """The module rendering format ``name``; each has render() and render_grouped()."""
    return REGISTRY[name]
