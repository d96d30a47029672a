"""The leaderboard: configurations with Wilson intervals, pass^k and per-dimension means.

Configurations are grouped into *tiers*: connected runs of overlapping 95% intervals.
Everyone in a tier is shown as tied (``=1``); only a configuration whose interval is
clear of the whole tier above is ranked below it. This is stricter than pairwise
comparison on purpose: a leaderboard never puts one configuration above another whose
interval it overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from reports._stats import Interval, pass_hat_k, wilson
from verifier import DIMENSIONS


@dataclass
class LeaderRow:
    """One configuration on the leaderboard."""

    config: str
    runs: int
    interval: Interval
    incomplete: int
    pass_k: float | None
    k: int | None
    pass_k_tasks: int = 0
    dims: dict[str, float | None] = field(default_factory=dict)
    tier: int = 0
    tied: bool = False

    @property
    def rank_label(self) -> str:
        """'1' when alone in its tier, '=1' when tied with others."""
        return f"={self.tier}" if self.tied else str(self.tier)


def leaderboard(
    runs: pd.DataFrame, episodes: pd.DataFrame, grades: pd.DataFrame, group_by: str
) -> list[LeaderRow]:
    """Rows sorted by tier, then pass rate; every row's tier and tie flag set."""
    eps = episodes.merge(runs[["run_id", group_by]], on="run_id")
    dim_means = _dimension_means(grades, eps, group_by)
    rows = [
        _row(config, group, runs, dim_means.get(config, {}), group_by)
        for config, group in eps.groupby(group_by, sort=True)
    ]
    assign_tiers(rows)
    return sorted(rows, key=lambda r: (r.tier, -r.interval.rate, r.config))


def _row(
    config: str,
    group: pd.DataFrame,
    runs: pd.DataFrame,
    dims: dict[str, float | None],
    group_by: str,
) -> LeaderRow:
    done = group[group.complete]
    per_task = done.groupby("task").passed.agg(["sum", "count"])
    counts = [(int(c), int(n)) for c, n in zip(per_task["sum"], per_task["count"], strict=True)]
    # k = the fewest tries of any task that was tried more than once; tasks tried fewer
    # than k times cannot say anything about k tries in a row and are left out.
    repeated = [(c, n) for c, n in counts if n >= 2]
    k = min((n for _, n in repeated), default=0)
    return LeaderRow(
        config=str(config),
        runs=int((runs[group_by] == config).sum()),
        interval=wilson(int(done.passed.sum()), len(done)),
        incomplete=len(group) - len(done),
        pass_k=pass_hat_k(repeated, k) if k >= 2 else None,
        k=k if k >= 2 else None,
        pass_k_tasks=len(repeated),
        dims=dims,
    )


def _dimension_means(
    grades: pd.DataFrame, eps: pd.DataFrame, group_by: str
) -> dict[str, dict[str, float | None]]:
    if grades.empty:
        return {}
    joined = grades.merge(eps[["episode_id", group_by]], on="episode_id")
    table = joined.pivot_table(index=group_by, columns="dimension", values="score", aggfunc="mean")
    return {
        str(config): {d: _maybe(row.get(d)) for d in dimension_order(table.columns)}
        for config, row in table.iterrows()
    }


def _maybe(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def dimension_order(present: object) -> list[str]:
    """The seven dimensions in contract order, then any others alphabetically."""
    names = {str(p) for p in present}  # type: ignore[attr-defined]
    return [d for d in DIMENSIONS if d in names] + sorted(names - set(DIMENSIONS))


def assign_tiers(rows: list[LeaderRow]) -> None:
    """Group rows into tiers of transitively overlapping intervals (see module docstring)."""
    ordered = sorted(rows, key=lambda r: (-r.interval.high, -r.interval.rate))
    tier, tier_low, members = 0, 2.0, []  # type: ignore[var-annotated]
    for row in ordered:
        if row.interval.high < tier_low:  # clear of everything above: a new tier starts
            _close(members)
            tier, tier_low, members = tier + 1, row.interval.low, []
        tier_low = min(tier_low, row.interval.low)
        row.tier = tier
        members.append(row)
    _close(members)


def _close(members: list[LeaderRow]) -> None:
    for row in members:
        row.tied = len(members) > 1
