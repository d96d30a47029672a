"""GROUP BY and aggregate functions over typed rows."""

from csvql.errors import DataError
from csvql.parser import Aggregate, Query


def format_number(value: float) -> str:
    """Whole numbers without a decimal point, others rounded to 2 decimals, trailing zeros dropped."""
    if value == int(value):
        return str(int(value))
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


def compute(agg: Aggregate, rows: list[dict[str, object]]) -> str:
    """One aggregate over a group's rows, as an output cell."""
    if agg.column is None:
        return str(len(rows))
    values = [r[agg.column] for r in rows if r[agg.column] is not None]
    if agg.func == "COUNT":
        return str(len(values))
    if not values:
        return ""
    if agg.func in ("MIN", "MAX"):
        numbers = [v for v in values if isinstance(v, float)]
        pool = numbers or values  # numbers win when a column mixes types
        best = min(pool) if agg.func == "MIN" else max(pool)
        return format_number(best) if isinstance(best, float) else str(best)
    numbers = [v for v in values if isinstance(v, float)]
    if len(numbers) != len(values):
        raise DataError(f"{agg.func} needs a numeric column, '{agg.column}' has text")
    total = sum(numbers)
    return format_number(total if agg.func == "SUM" else total / len(numbers))


def check_grouping(query: Query) -> None:
    """Plain columns next to aggregates must be the GROUP BY column."""
    plain = [c for c in query.columns or [] if isinstance(c, str)]
    bad = [c for c in plain if c != query.group_by]
    if bad and (query.group_by or len(plain) != len(query.columns or [])):
        raise DataError(f"column '{bad[0]}' must be the GROUP BY column or inside an aggregate")


def is_aggregate_query(query: Query) -> bool:
    """Whether the query groups or aggregates."""
    return query.group_by is not None or any(isinstance(c, Aggregate) for c in query.columns or [])
