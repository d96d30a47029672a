"""CSV output: ``column,count,...`` rows, 2 decimals, an undefined stdev empty."""

import csv
import io

from csvstats.stats import Summary

FIELDS = ("count", "sum", "mean", "median", "min", "max", "stdev")


def _cells(name: str, s: Summary) -> list[object]:
    values = ["" if getattr(s, f) is None else f"{getattr(s, f):.2f}" for f in FIELDS[1:]]
    return [name, s.count] + values


def _write(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def render(summaries: dict[str, Summary]) -> str:
    """One row per column."""
    return _write(["column", *FIELDS], [_cells(n, s) for n, s in summaries.items()])


def render_grouped(groups: dict[str, dict[str, Summary]]) -> str:
    """A leading ``group`` column."""
    rows = [[g] + _cells(n, s) for g, summaries in groups.items() for n, s in summaries.items()]
    return _write(["group", "column", *FIELDS], rows)
