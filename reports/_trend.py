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
    outcomes = _outcomes_by_run(episodes[episodes.complete])
    for series, group in runs.sort_values(["started_at", "run_id"]).groupby("series", sort=True):
        previous: TrendPoint | None = None
        for run_id, started in zip(group.run_id, group.started_at, strict=True):
            mine = outcomes.get(run_id, {})
            point = TrendPoint(
                str(series), run_id, str(started)[:19], wilson(sum(mine.values()), len(mine))
            )
            if previous is not None:
                _mark(point, previous, outcomes.get(previous.run_id, {}), mine)
            points.append(point)
            previous = point
    return points


def _outcomes_by_run(done: pd.DataFrame) -> dict[str, dict[tuple[str, int, int], bool]]:
    """run -> {(task, seed, repeat): passed}; repeats of a (task, seed) pair in start order."""
    done = done.sort_values(["started_at", "episode_id"])
    rep = done.groupby(["run_id", "task", "seed"]).cumcount()
    out: dict[str, dict[tuple[str, int, int], bool]] = {}
    for run_id, task, seed, n, passed in zip(
        done.run_id, done.task, done.seed, rep, done.passed, strict=True
    ):
        out.setdefault(run_id, {})[(task, int(seed), int(n))] = bool(passed)
    return out


def _mark(
    point: TrendPoint,
    previous: TrendPoint,
    base: dict[tuple[str, int, int], bool],
    cand: dict[tuple[str, int, int], bool],
) -> None:
    keys = sorted(base.keys() & cand.keys())
    if keys:
        test = mcnemar_exact([base[k] for k in keys], [cand[k] for k in keys])
        point.p_value = test.p_value
        point.regression = test.p_value < ALPHA and test.regressed > test.improved
    else:
        point.regression = not point.interval.overlaps(previous.interval) and (
            point.interval.rate < previous.interval.rate
        )
