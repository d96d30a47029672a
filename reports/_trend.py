"""Trend over runs: each series is one suite under one configuration, in time order.

A point is marked as a regression when it is significantly worse than the previous run
of its series: the exact McNemar test on episodes paired by (task, seed) when the runs
share any, else (nothing to pair) when the two Wilson intervals do not overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reports._stats import ALPHA, Interval, mcnemar_exact, wilson


@dataclass
class TrendPoint:
    """One run in a series."""

    series: str
    run_id: str
    started_at: str
    interval: Interval
    regression: bool = False
    p_value: float | None = None


def trend(runs: pd.DataFrame, episodes: pd.DataFrame, group_by: str) -> list[TrendPoint]:
    """Every run as a point of its (suite, configuration) series, regressions marked."""
    points: list[TrendPoint] = []
    runs = runs.assign(series=runs.suite.replace("", "(ad hoc)") + " · " + runs[group_by])
    done = episodes[episodes.complete]
    for series, group in runs.sort_values(["started_at", "run_id"]).groupby("series", sort=True):
        previous: TrendPoint | None = None
        for run in group.itertuples():
            eps = done[done.run_id == run.run_id]
            point = TrendPoint(str(series), run.run_id, str(run.started_at)[:19],
                               wilson(int(eps.passed.sum()), len(eps)))
            if previous is not None:
                _mark(point, previous, done)
            points.append(point)
            previous = point
    return points


def _mark(point: TrendPoint, previous: TrendPoint, done: pd.DataFrame) -> None:
    base = _keyed(done[done.run_id == previous.run_id])
    cand = _keyed(done[done.run_id == point.run_id])
    pairs = base.merge(cand, on=["task", "seed", "rep"], suffixes=("_b", "_c"))
    if len(pairs):
        test = mcnemar_exact(list(pairs.passed_b), list(pairs.passed_c))
        point.p_value = test.p_value
        point.regression = test.p_value < ALPHA and test.regressed > test.improved
    else:
        point.regression = not point.interval.overlaps(previous.interval) and (
            point.interval.rate < previous.interval.rate
        )


def _keyed(eps: pd.DataFrame) -> pd.DataFrame:
    eps = eps.sort_values(["started_at", "episode_id"])
    return eps.assign(rep=eps.groupby(["task", "seed"]).cumcount())[
        ["task", "seed", "rep", "passed"]
    ]
