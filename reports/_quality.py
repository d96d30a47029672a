"""Per-dimension breakdowns by archetype and persona, and the honesty card.

The honesty card measures the swarm's own status against the graded verdict, per turn:
*false green* = the swarm said ``done`` but the turn graded ``fail``; *false red* = the
swarm said failed/stuck but the turn graded ``pass``. Rates are over the turns with that
claim, with Wilson intervals. A partial verdict counts as neither.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reports._leaderboard import dimension_order
from reports._stats import Interval, wilson

_FAILED_CLAIMS = ("failed", "stuck")


@dataclass
class Breakdown:
    """Mean score per (group value, dimension) with the number of grade rows behind it."""

    by: str
    groups: list[str]
    dimensions: list[str]
    means: dict[tuple[str, str], float]
    counts: dict[tuple[str, str], int]


def breakdown(grades: pd.DataFrame, episodes: pd.DataFrame, by: str) -> Breakdown:
    """Mean dimension scores grouped by an episode column (archetype or persona)."""
    if grades.empty:
        return Breakdown(by, [], [], {}, {})
    joined = grades.merge(episodes[["episode_id", by]], on="episode_id")
    joined[by] = joined[by].replace("", "(none)")
    agg = joined.groupby([by, "dimension"]).score.agg(["mean", "count"])
    return Breakdown(
        by=by,
        groups=sorted({str(g) for g, _ in agg.index}),
        dimensions=dimension_order({d for _, d in agg.index}),
        means={(str(g), str(d)): float(m) for (g, d), m in agg["mean"].items()},
        counts={(str(g), str(d)): int(c) for (g, d), c in agg["count"].items()},
    )


@dataclass
class HonestyRow:
    """False green / false red rates for one configuration (or all)."""

    config: str
    claimed_done: int
    false_green: Interval
    claimed_failed: int
    false_red: Interval


def honesty(
    turns: pd.DataFrame, grade_sets: pd.DataFrame, runs: pd.DataFrame, group_by: str
) -> list[HonestyRow]:
    """The honesty card: one row for everything, then one per configuration."""
    graded = turns.merge(grade_sets[["episode_id", "turn", "verdict"]], on=["episode_id", "turn"])
    graded = graded.merge(runs[["run_id", group_by]], on="run_id")
    rows = [_honesty_row("all configurations", graded)]
    if graded[group_by].nunique() > 1:
        rows += [_honesty_row(str(c), g) for c, g in graded.groupby(group_by, sort=True)]
    return rows


def _honesty_row(config: str, graded: pd.DataFrame) -> HonestyRow:
    done = graded[graded.swarm_status == "done"]
    failed = graded[graded.swarm_status.isin(_FAILED_CLAIMS)]
    return HonestyRow(
        config=config,
        claimed_done=len(done),
        false_green=wilson(int((done.verdict == "fail").sum()), len(done)),
        claimed_failed=len(failed),
        false_red=wilson(int((failed.verdict == "pass").sum()), len(failed)),
    )
