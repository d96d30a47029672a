"""JSON output: ``{name: {field: value}}``, floats rounded to 4 decimals."""

import json

from csvstats.stats import Summary

FIELDS = ("sum", "mean", "median", "min", "max", "stdev")


def _data(summaries: dict[str, Summary]) -> dict:
    def rounded(value):
        return None if value is None else round(value, 4)

    return {name: {"count": s.count, **{f: rounded(getattr(s, f)) for f in FIELDS}}
            for name, s in summaries.items()}


def render(summaries: dict[str, Summary]) -> str:
    """One object keyed by column."""
    return json.dumps(_data(summaries), indent=2) + "\n"


def render_grouped(groups: dict[str, dict[str, Summary]]) -> str:
    """``{GROUP: {NAME: {...}}}``."""
    return json.dumps({g: _data(s) for g, s in groups.items()}, indent=2) + "\n"
