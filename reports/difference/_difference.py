"""The difference between two pass rates with its 95% interval, paired or unpaired.

Paired when every complete episode of one side has a twin on the other (same task, seed and
repeat, the key :func:`reports.pair_episodes` uses): then Newcombe's hybrid score interval
for paired proportions (1998, method 10), built from the two Wilson intervals and the
correlation of the pairs. Otherwise the two samples are treated as independent and
statsmodels' Newcombe interval for two independent proportions is used. Both stay honest at
four episodes a side, where a bootstrap of identical pairs collapses to a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep

from reports._stats import ALPHA, wilson

#: Columns that pair two episodes (repeats of a (task, seed) pair in start order).
PAIR_KEY = ("task", "seed", "rep")


@dataclass(frozen=True)
class Difference:
    """``rate_b - rate_a`` with its interval at 1 - alpha."""

    #: Pass rate of side a (the baseline, or the leaderboard's best row), 0..1.
    rate_a: float
    #: Pass rate of side b, 0..1.
    rate_b: float
    low: float
    high: float
    #: True when the episodes paired one to one and the paired interval was used.
    paired: bool
    #: Episodes in each side's sample (equal when paired).
    n_a: int
    n_b: int
    #: How many of the episodes would pair; tells an unpaired reader why.
    n_pairs: int = 0

    @property
    def delta(self) -> float:
        """Point estimate: rate_b - rate_a."""
        return self.rate_b - self.rate_a

    @property
    def clear(self) -> bool:
        """True when the interval excludes zero (a difference at the stated level)."""
        return self.low > 0 or self.high < 0

    @property
    def method(self) -> str:
        """How the interval was computed, in words."""
        if self.paired:
            return f"paired on {self.n_pairs} episodes (task, seed), Newcombe score interval"
        return (
            f"unpaired ({self.n_pairs} of {self.n_a}/{self.n_b} episodes pair), "
            "Newcombe interval for independent samples"
        )

    def text(self) -> str:
        """'-25 pp [-61, +17]': percentage points with the interval."""
        return f"{_pp(self.delta)} pp [{_pp(self.low)}, {_pp(self.high)}]"


def _pp(x: float) -> str:
    points = round(100 * x)
    return "0" if points == 0 else f"{points:+d}"


def paired_difference(a: list[bool], b: list[bool], *, alpha: float = ALPHA) -> Difference:
    """Newcombe's method 10 for paired outcomes ``a[i]``/``b[i]`` (b minus a)."""
    if len(a) != len(b):
        raise ValueError("paired samples must have the same length")
    n = len(a)
    if n == 0:
        return Difference(0.0, 0.0, -1.0, 1.0, True, 0, 0)
    both = sum(x and y for x, y in zip(a, b, strict=True))
    only_a = sum(x and not y for x, y in zip(a, b, strict=True))
    only_b = sum(y and not x for x, y in zip(a, b, strict=True))
    neither = n - both - only_a - only_b
    ia, ib = wilson(both + only_a, n, alpha=alpha), wilson(both + only_b, n, alpha=alpha)
    phi = _phi(both, only_a, only_b, neither)
    pa, pb = ia.rate, ib.rate
    d = pb - pa
    # b - a: its low end combines b's distance to its low bound with a's to its high bound.
    low = d - sqrt(
        max(
            0.0, (pb - ib.low) ** 2 - 2 * phi * (pb - ib.low) * (ia.high - pa) + (ia.high - pa) ** 2
        )
    )
    high = d + sqrt(
        max(
            0.0, (ib.high - pb) ** 2 - 2 * phi * (ib.high - pb) * (pa - ia.low) + (pa - ia.low) ** 2
        )
    )
    return Difference(pa, pb, max(-1.0, low), min(1.0, high), True, n, n, n)


def _phi(both: int, only_a: int, only_b: int, neither: int) -> float:
    """Correlation of the paired outcomes; 0 when a margin is empty (Newcombe's convention)."""
    margins = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    return 0.0 if margins == 0 else (both * neither - only_a * only_b) / sqrt(margins)


def unpaired_difference(
    k_a: int, n_a: int, k_b: int, n_b: int, *, alpha: float = ALPHA, n_pairs: int = 0
) -> Difference:
    """Newcombe's interval for two independent proportions (statsmodels), b minus a."""
    if n_a == 0 or n_b == 0:  # nothing to estimate one side from: the whole range
        return Difference(
            k_a / n_a if n_a else 0.0,
            k_b / n_b if n_b else 0.0,
            -1.0,
            1.0,
            False,
            n_a,
            n_b,
            n_pairs,
        )
    low, high = confint_proportions_2indep(
        k_b, n_b, k_a, n_a, method="newcomb", compare="diff", alpha=alpha
    )
    return Difference(k_a / n_a, k_b / n_b, float(low), float(high), False, n_a, n_b, n_pairs)


def keyed(episodes: pd.DataFrame) -> pd.DataFrame:
    """Add the ``rep`` column: repeats of a (task, seed) pair numbered in start order."""
    eps = episodes.sort_values(["started_at", "episode_id"])
    return eps.assign(rep=eps.groupby(["task", "seed"]).cumcount())


def episode_difference(
    a: pd.DataFrame, b: pd.DataFrame, outcome: str = "passed", *, alpha: float = ALPHA
) -> Difference:
    """Difference of ``outcome`` (a bool column) between two sets of episodes, b minus a.

    Paired when the two sets match one to one on (task, seed, repeat), else unpaired over
    every episode given (the caller chooses which episodes count: complete ones, graded ones).
    """
    ka, kb = keyed(a), keyed(b)
    pairs = ka.merge(kb, on=list(PAIR_KEY), suffixes=("_a", "_b"))
    if len(pairs) and len(pairs) == len(ka) == len(kb):
        return paired_difference(
            [bool(x) for x in pairs[f"{outcome}_a"]],
            [bool(x) for x in pairs[f"{outcome}_b"]],
            alpha=alpha,
        )
    return unpaired_difference(
        int(ka[outcome].sum()),
        len(ka),
        int(kb[outcome].sum()),
        len(kb),
        alpha=alpha,
        n_pairs=len(pairs),
    )
