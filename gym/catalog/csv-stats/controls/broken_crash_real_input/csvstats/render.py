"""Render summaries as text, JSON or CSV."""

import csv
import io
import json

from csvstats.stats import Summary

FIELDS = ("count", "sum", "mean", "median", "min", "max", "stdev")


def _fixed(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def as_text(summaries: dict[str, Summary]) -> str:
    """``name: count=4 sum=10.00 ... stdev=1.29`` per column."""
    lines = []
    for name, s in summaries.items():
        parts = [f"count={s.count}"] + [f"{f}={_fixed(getattr(s, f))}" for f in FIELDS[1:]]
        lines.append(f"{name}: " + " ".join(parts))
    return "".join(line + "\n" for line in lines)


def as_json(summaries: dict[str, Summary]) -> str:
    """``{name: {field: value}}`` with floats rounded to 4 decimals."""
    def rounded(value):
        return None if value is None else round(value, 4)

    data = {name: {"count": s.count, **{f: rounded(getattr(s, f)) for f in FIELDS[1:]}}
            for name, s in summaries.items()}
    return json.dumps(data, indent=2) + "\n"


def as_csv(summaries: dict[str, Summary]) -> str:
    """A header ``column,count,...`` and one row per column, 2 decimals, empty for none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("column",) + FIELDS)
    for name, s in summaries.items():
        cells = [s.count] + ["" if getattr(s, f) is None else f"{getattr(s, f):.2f}" for f in FIELDS[1:]]
        writer.writerow([name] + cells)
    return out.getvalue()


RENDERERS = {"text": as_text, "json": as_json, "csv": as_csv}
