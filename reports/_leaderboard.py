"""The leaderboard: configurations with Wilson intervals, pass^k and per-dimension means.

Two pass rates per configuration: **pass@1**, the opening turn's verdict before any fix (fix
turns hand the swarm the failing checks' expected values, so later turns are helped), and the
**final pass** rate, the last graded turn of each complete episode. Turns to green is the mean
turn number of an episode's first green grade, over the episodes that got one. Each row says
which rate it is ranked by (:data:`RANK_BY`). Dimension means average each episode's *final*
graded turn (the product it ended with), as the paired comparison does, so the two agree.

Every row below the best carries its difference from the best row on the ranked rate, with a
95% interval: paired when the two configurations' episodes pair one to one on (task, seed),
unpaired otherwise (:mod:`reports.difference`). pass^k is shown only when at least
:data:`MIN_PASS_K_TASKS` tasks were tried k times: from one task it is an anecdote.

Configurations are grouped into *tiers*: connected runs of overlapping 95% intervals.
Everyone in a tier is shown as tied (``=1``); only a configuration whose interval is
clear of the whole tier above is ranked below it. This is stricter than pairwise
comparison on purpose: a leaderboard never puts one configuration above another whose
interval it overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from reports._stats import Interval, pass_hat_k, wilson
from reports.difference import Difference, episode_difference
from verifier import DIMENSIONS

#: What a leaderboard can rank by, and how the report names it.
RANK_BY: dict[str, str] = {"final": "final pass rate", "pass@1": "pass@1 (opening turn)"}
RankBy = Literal["final", "pass@1"]
#: Fewest tasks tried k times for pass^k to be shown: below it one lucky task reads as 100%.
MIN_PASS_K_TASKS = 5


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
    #: pass@1: the opening turn graded pass, over episodes whose opening turn was graded.
    first: Interval | None = None
    #: Mean turn number of the first green grade, over episodes that got one; None if none did.
    turns_to_green: float | None = None
    #: Episodes that were graded green at some turn (the turns-to-green sample).
    green_episodes: int = 0
    #: Which rate the tiers are drawn from: a key of :data:`RANK_BY`.
    ranked_by: RankBy = "final"
    #: Short unique label (see :mod:`reports.labels`); the config key when none was given.
    label: str = ""
    #: The full definition (fleet URLs, knobs) behind the label, for a tooltip.
    definition: str = ""
    #: Ranked rate minus the best row's, with its interval; None on the best row itself.
    vs_best: Difference | None = None

    @property
    def pass_k_shown(self) -> float | None:
        """pass^k when it rests on at least MIN_PASS_K_TASKS tasks, else None."""
        return self.pass_k if self.pass_k_tasks >= MIN_PASS_K_TASKS else None

    @property
    def pass_k_note(self) -> str:
        """What pass^k rests on, or why it is hidden."""
        if self.k is None:
            return "no task tried twice"
        if self.pass_k_shown is None:
            return (
                f"needs ≥{MIN_PASS_K_TASKS} tasks tried k={self.k} times (has {self.pass_k_tasks})"
            )
        return f"k={self.k} over {self.pass_k_tasks} tasks"

    @property
    def ranked(self) -> Interval:
        """The interval the tiers are drawn from."""
        if self.ranked_by == "pass@1" and self.first is not None:
            return self.first
        return self.interval

    @property
    def ranked_label(self) -> str:
        """What the row is ranked by, in words."""
        return RANK_BY[self.ranked_by]

    @property
    def rank_label(self) -> str:
        """'1' when alone in its tier, '=1' when tied with others."""
        return f"={self.tier}" if self.tied else str(self.tier)


def leaderboard(
    runs: pd.DataFrame,
    episodes: pd.DataFrame,
    grades: pd.DataFrame,
    group_by: str,
    *,
    rank_by: RankBy = "final",
) -> list[LeaderRow]:
    """Rows sorted by tier, then the ranked rate; every row's tier and tie flag set."""
    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY)}, not {rank_by!r}")
    eps = episodes.merge(runs[["run_id", group_by]], on="run_id")
    dim_means = _dimension_means(_final_turn(grades), eps, group_by)
    groups = dict(iter(eps.groupby(group_by, sort=True)))
    rows = [
        _row(config, group, runs, dim_means.get(config, {}), group_by)
        for config, group in groups.items()
    ]
    for row in rows:
        row.ranked_by = rank_by
        row.label = row.label or row.config
    assign_tiers(rows)
    rows.sort(key=lambda r: (r.tier, -r.ranked.rate, r.config))
    _differences_from_best(rows, groups, rank_by)
    return rows


def _final_turn(grades: pd.DataFrame) -> pd.DataFrame:
    """Each episode's grade rows at its last graded turn."""
    if grades.empty:
        return grades
    return grades[grades.turn == grades.groupby("episode_id").turn.transform("max")]


def _ranked_sample(group: pd.DataFrame, rank_by: RankBy) -> pd.DataFrame:
    """The episodes the ranked rate counts, with the bool column ``ok``."""
    if rank_by == "pass@1" and "first_verdict" in group:
        graded = group[group.first_verdict.notna()]
        return graded.assign(ok=graded.first_verdict == "pass")
    done = group[group.complete]
    return done.assign(ok=done.passed.astype(bool))


def _differences_from_best(
    rows: list[LeaderRow], groups: dict[object, pd.DataFrame], rank_by: RankBy
) -> None:
    if len(rows) < 2:
        return
    by_key = {str(k): g for k, g in groups.items()}
    best = _ranked_sample(by_key[rows[0].config], rank_by)
    for row in rows[1:]:
        row.vs_best = episode_difference(best, _ranked_sample(by_key[row.config], rank_by), "ok")


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
    row = LeaderRow(
        config=str(config),
        runs=int((runs[group_by] == config).sum()),
        interval=wilson(int(done.passed.sum()), len(done)),
        incomplete=len(group) - len(done),
        pass_k=pass_hat_k(repeated, k) if k >= 2 else None,
        k=k if k >= 2 else None,
        pass_k_tasks=len(repeated),
        dims=dims,
    )
    _add_turn_figures(row, group)
    return row


def _add_turn_figures(row: LeaderRow, group: pd.DataFrame) -> None:
    """pass@1 and turns to green; incomplete episodes count too, for the turns they had graded."""
    if "first_verdict" not in group:  # frames not built by reports.load
        return
    graded = group[group.first_verdict.notna()]
    green = group.turns_to_green.dropna()
    row.first = wilson(int((graded.first_verdict == "pass").sum()), len(graded))
    row.turns_to_green = float(green.mean()) if len(green) else None
    row.green_episodes = len(green)


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
    ordered = sorted(rows, key=lambda r: (-r.ranked.high, -r.ranked.rate))
    tier, tier_low, members = 0, 2.0, []  # type: ignore[var-annotated]
    for row in ordered:
        if row.ranked.high < tier_low:  # clear of everything above: a new tier starts
            _close(members)
            tier, tier_low, members = tier + 1, row.ranked.low, []
        tier_low = min(tier_low, row.ranked.low)
        row.tier = tier
        members.append(row)
    _close(members)


def _close(members: list[LeaderRow]) -> None:
    for row in members:
        row.tied = len(members) > 1
