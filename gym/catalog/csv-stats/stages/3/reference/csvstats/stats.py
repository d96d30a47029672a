"""Summary statistics of one column."""

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """count, sum, mean, median, min, max and sample standard deviation (None for one value)."""

    count: int
    sum: float
    mean: float
    median: float
    min: float
    max: float
    stdev: float | None


def summarize(values: list[float]) -> Summary:
    """The summary of a non-empty list of numbers."""
    return Summary(
        count=len(values),
        sum=sum(values),
        mean=statistics.fmean(values),
        median=statistics.median(values),
        min=min(values),
        max=max(values),
        stdev=statistics.stdev(values) if len(values) > 1 else None,
    )
