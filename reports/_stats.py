"""Honest statistics for small samples: intervals, pass^k, paired tests, detectable effects.

Everything here is a plain function of counts or arrays, tested against published or
hand-computed values. Library code does the arithmetic (statsmodels for Wilson and the
exact McNemar test, scipy for the bootstrap and binomial tails); this module chooses the
methods and their conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import comb

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.power import TTestPower
from statsmodels.stats.proportion import proportion_confint

ALPHA = 0.05
POWER = 0.8


@dataclass(frozen=True)
class Interval:
    """A proportion with its confidence interval."""

    #: Successes (e.g. passed episodes).
    k: int
    #: Trials; 0 gives the uninformative interval [0, 1].
    n: int
    #: Lower bound of the Wilson interval at confidence 1 - alpha, clipped to 0..1.
    low: float
    #: Upper bound, likewise.
    high: float

    @property
    def rate(self) -> float:
        """Point estimate k/n (0 for an empty sample)."""
        return self.k / self.n if self.n else 0.0

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share any point: the pair is shown as tied."""
        return self.low <= other.high and other.low <= self.high


def wilson(k: int, n: int, *, alpha: float = ALPHA) -> Interval:
    """Wilson score interval for k successes in n trials (n = 0 gives [0, 1])."""
    if n == 0:
        return Interval(0, 0, 0.0, 1.0)
    low, high = proportion_confint(k, n, alpha=alpha, method="wilson")
    return Interval(k, n, float(max(0.0, low)), float(min(1.0, high)))


def pass_hat_k(successes: Sequence[tuple[int, int]], k: int) -> float | None:
    """pass^k (tau-bench): mean over tasks of C(c, k) / C(n, k), for tasks with n >= k trials.

    ``successes`` holds (c, n) per task. It estimates the chance that k independent
    tries of the same task *all* pass; None when no task was tried k times.
    """
    usable = [(c, n) for c, n in successes if n >= k]
    if not usable or k < 1:
        return None
    return float(np.mean([comb(c, k) / comb(n, k) for c, n in usable]))


@dataclass(frozen=True)
class McNemarResult:
    """Exact McNemar test on paired pass/fail outcomes."""

    n_pairs: int
    #: Pairs where the baseline passed and the candidate failed.
    regressed: int
    #: Pairs where the baseline failed and the candidate passed.
    improved: int
    #: Two-sided exact p, before any Holm adjustment (1.0 with no discordant pair).
    p_value: float

    @property
    def delta(self) -> float:
        """Change in pass rate (candidate minus baseline)."""
        return (self.improved - self.regressed) / self.n_pairs if self.n_pairs else 0.0


def mcnemar_exact(baseline: Sequence[bool], candidate: Sequence[bool]) -> McNemarResult:
    """Two-sided exact McNemar (binomial on the discordant pairs) for paired outcomes."""
    if len(baseline) != len(candidate):
        raise ValueError("paired samples must have the same length")
    b = sum(1 for x, y in zip(baseline, candidate, strict=True) if x and not y)
    c = sum(1 for x, y in zip(baseline, candidate, strict=True) if y and not x)
    both = sum(1 for x, y in zip(baseline, candidate, strict=True) if x and y)
    neither = len(baseline) - b - c - both
    p = 1.0 if b + c == 0 else float(mcnemar([[both, b], [c, neither]], exact=True).pvalue)
    return McNemarResult(len(baseline), b, c, min(1.0, p))


@dataclass(frozen=True)
class BootstrapResult:
    """Paired bootstrap of the mean score difference (candidate minus baseline)."""

    n_pairs: int
    #: Mean of candidate minus baseline score (scores are 0..1, so -1..1).
    mean_delta: float
    #: Lower bound of the percentile bootstrap interval of mean_delta at 1 - alpha.
    low: float
    #: Upper bound, likewise.
    high: float
    #: Two-sided sign-flip permutation p (not the bootstrap's, which floors at 0), unadjusted.
    p_value: float


def paired_bootstrap(
    baseline: Sequence[float],
    candidate: Sequence[float],
    *,
    n_resamples: int = 10_000,
    seed: int = 0,
    alpha: float = ALPHA,
) -> BootstrapResult:
    """Percentile bootstrap CI and sign-flip permutation p-value of the mean paired difference."""
    diffs = np.asarray(candidate, dtype=float) - np.asarray(baseline, dtype=float)
    if diffs.size == 0:
        return BootstrapResult(0, 0.0, 0.0, 0.0, 1.0)
    mean = float(diffs.mean())
    if np.allclose(diffs, diffs[0]):
        # No spread: the bootstrap degenerates to a point, so fall back to the exact sign
        # test (all n differences on one side: p = 2 * 0.5**n), never a spurious p = 0.
        p = 1.0 if mean == 0 else min(1.0, 2 * 0.5 ** int(diffs.size))
        return BootstrapResult(int(diffs.size), mean, mean, mean, p)
    res = stats.bootstrap(
        (diffs,),
        np.mean,
        n_resamples=n_resamples,
        confidence_level=1 - alpha,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    # The p-value comes from a sign-flip permutation test, not from the bootstrap: with a
    # handful of pairs all on one side the bootstrap distribution never crosses zero and
    # would report p = 0, while the exact test's floor is 2 / 2**n (0.25 for three pairs).
    perm = stats.permutation_test(
        (diffs,),
        np.mean,
        permutation_type="samples",
        n_resamples=n_resamples,
        alternative="two-sided",
        rng=np.random.default_rng(seed),
    )
    p = float(perm.pvalue)
    low, high = res.confidence_interval
    return BootstrapResult(int(diffs.size), mean, float(low), float(high), min(1.0, p))


def min_discordant_for_significance(alpha: float = ALPHA) -> int:
    """Smallest one-directional discordant count the exact McNemar test can call significant."""
    n = 1
    while 2 * 0.5**n >= alpha:
        n += 1
    return n


def mde_pass_rate(n_pairs: int, *, alpha: float = ALPHA, power: float = POWER) -> float | None:
    """Smallest drop in pass rate the exact McNemar test detects with ``power``.

    Assumes the change is one-directional (pairs only flip pass -> fail): then the test
    rejects iff at least m discordant pairs appear (m = 6 at alpha 0.05) and the number of
    flips is Binomial(n, delta). None when even delta = 1 cannot reach significance.
    """
    m = min_discordant_for_significance(alpha)
    if n_pairs < m:
        return None
    return float(optimize.brentq(lambda d: stats.binom.sf(m - 1, n_pairs, d) - power, 1e-9, 1.0))


def mde_score(
    n_pairs: int, sd_diff: float, *, alpha: float = ALPHA, power: float = POWER
) -> float | None:
    """Smallest mean score change a paired test detects: Cohen's d from t-test power x sd."""
    if n_pairs < 2 or sd_diff <= 0:
        return None
    d = TTestPower().solve_power(nobs=n_pairs, alpha=alpha, power=power, alternative="two-sided")
    return float(d) * sd_diff
