"""Paired statistics of an A/B experiment and the adopt | reject | inconclusive rule.

Both arms play the same episodes (same suite entries or same sampled plans, same seeds),
so each episode of arm B is compared with its twin in arm A. The statistics are the
reports package's: exact McNemar on pass/fail pairs, a paired bootstrap on scores,
Holm adjustment across a family.

The decision rule (alpha = 0.05):

- **primary endpoints** — the pass rate (exact McNemar on the episode verdicts) and the
  mean score (paired bootstrap on each episode's mean deterministic-dimension score, its p
  never below the exact sign test's floor for that many pairs: see :func:`sign_floor`),
  Holm-adjusted together;
- **guards** — every deterministic dimension (swarm, checks, diagnostics, cluster) as the
  reports' paired comparison tests it (pass/fail and score, Holm-adjusted over that
  family), score p-values held to the same sign-test floor.

*reject* when a primary endpoint is significantly worse or a deterministic dimension
regressed significantly. *adopt* only when a primary endpoint is significantly better
and no deterministic dimension is worse even at the unadjusted level (a harm check is
kept sensitive on purpose). Anything else is *inconclusive*: the sample could not tell,
and the smallest detectable pass-rate change says how far it was from telling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from statsmodels.stats.multitest import multipletests

from ledger import Ledger
from reports import (
    Comparison,
    DimensionChange,
    compare_runs,
    load,
    mde_pass_rate,
    pair_episodes,
    paired_bootstrap,
)
from verifier import DETERMINISTIC_DIMENSIONS

ADOPT, REJECT, INCONCLUSIVE = "adopt", "reject", "inconclusive"
#: Significance level of every test of an experiment (the same as the reports').
ALPHA = 0.05


@dataclass(frozen=True)
class Endpoint:
    """One primary endpoint: arm means, the paired change (B - A) and its p-values."""

    name: str
    mean_a: float | None
    mean_b: float | None
    delta: float
    p_value: float
    p_adj: float = 1.0

    def better(self, alpha: float) -> bool:
        """B significantly better after adjustment."""
        return self.delta > 0 and self.p_adj < alpha

    def worse(self, alpha: float) -> bool:
        """B significantly worse after adjustment."""
        return self.delta < 0 and self.p_adj < alpha


@dataclass
class ArmComparison:
    """Everything the decision rests on."""

    n_pairs: int
    unpaired: int
    endpoints: list[Endpoint]
    guards: list[DimensionChange]
    mde_pass: float | None
    alpha: float = ALPHA
    comparison: Comparison | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Decision:
    """adopt | reject | inconclusive, and the one-line reason."""

    outcome: str
    reason: str


def _worse(change: DimensionChange, alpha: float, *, adjusted: bool) -> bool:
    """A dimension worse in B: pass/fail (exact McNemar) or score (bootstrap, sign-floored)."""
    passes, score = change.pass_test, change.score_test
    p_pass = change.p_pass_adj if adjusted else passes.p_value
    worse_pass = passes.regressed > passes.improved and p_pass < alpha
    if score is None or score.mean_delta >= 0:
        return worse_pass
    # the same floor as the score endpoint: n pairs cannot beat all n signs agreeing
    floor = min(1.0, 2 * 0.5**change.n_pairs)
    p_score = max(change.p_score_adj if adjusted else score.p_value, floor)
    return worse_pass or p_score < alpha


def raw_worse(change: DimensionChange, alpha: float) -> bool:
    """A dimension worse in B at the unadjusted level (the harm check before adopting)."""
    return _worse(change, alpha, adjusted=False)


def regressed(change: DimensionChange, alpha: float) -> bool:
    """A dimension significantly worse in B after the Holm adjustment."""
    return _worse(change, alpha, adjusted=True)


def decide(result: ArmComparison) -> Decision:
    """Apply the documented rule (module docstring) to a paired comparison."""
    alpha = result.alpha
    worse = [e.name for e in result.endpoints if e.worse(alpha)]
    worse += [g.dimension for g in result.guards if regressed(g, alpha)]
    if worse:
        return Decision(REJECT, f"B significantly worse on {', '.join(worse)}")
    better = [e.name for e in result.endpoints if e.better(alpha)]
    harmed = [g.dimension for g in result.guards if raw_worse(g, alpha)]
    if better and not harmed:
        return Decision(
            ADOPT,
            f"B significantly better on {', '.join(better)}, no deterministic dimension worse",
        )
    if better:
        return Decision(
            INCONCLUSIVE,
            f"B better on {', '.join(better)} but worse on {', '.join(harmed)} (unadjusted)",
        )
    return Decision(INCONCLUSIVE, _no_signal(result))


def _no_signal(result: ArmComparison) -> str:
    mde = result.mde_pass
    reach = (
        f"the smallest pass-rate change this sample detects is {mde:.0%}"
        if mde is not None
        else "too few pairs for any pass-rate change to be significant"
    )
    return f"no significant difference over {result.n_pairs} pair(s); {reach}"


def compare_arms(
    ledger: Ledger, run_a: str, run_b: str, *, seed: int = 0, alpha: float = ALPHA
) -> ArmComparison:
    """Pair the two arms' episodes on (task, seed) and test them (ComparisonError: no pairs)."""
    data = load(ledger, [run_a, run_b])
    comparison = compare_runs(data, run_a, run_b, seed=seed, alpha=alpha)
    pairs = pair_episodes(data, run_a, run_b)
    endpoints = _holm(
        [_pass_endpoint(comparison), _score_endpoint(data.grades, pairs, seed)], alpha
    )
    guards = [c for c in comparison.changes if c.dimension in DETERMINISTIC_DIMENSIONS]
    unpaired = comparison.unpaired_baseline + comparison.unpaired_candidate
    # Holm's first step tests the smaller p against alpha / 2: what a lone change must beat.
    mde = mde_pass_rate(comparison.n_pairs, alpha=alpha / len(endpoints))
    return ArmComparison(comparison.n_pairs, unpaired, endpoints, guards, mde, alpha, comparison)


def _pass_endpoint(comparison: Comparison) -> Endpoint:
    verdict = comparison.changes[0]  # compare_runs puts the verdict first
    test = verdict.pass_test
    return Endpoint("pass rate", verdict.base_mean, verdict.cand_mean, test.delta, test.p_value)


def episode_scores(grades: pd.DataFrame) -> pd.Series:
    """Each episode's mean deterministic-dimension score at its last graded turn."""
    rows = grades[
        grades.dimension.isin(DETERMINISTIC_DIMENSIONS) & (grades.status != "inconclusive")
    ]
    if rows.empty:
        return pd.Series(dtype=float)
    last = rows.groupby("episode_id").turn.transform("max")
    return rows[rows.turn == last].groupby("episode_id").score.mean()


def _score_endpoint(grades: pd.DataFrame, pairs: pd.DataFrame, seed: int) -> Endpoint:
    scores = episode_scores(grades)
    both = pairs[pairs.episode_id_b.isin(scores.index) & pairs.episode_id_c.isin(scores.index)]
    a = list(scores.loc[both.episode_id_b])
    b = list(scores.loc[both.episode_id_c])
    test = paired_bootstrap(a, b, seed=seed)
    return Endpoint(
        "mean score", _mean(a), _mean(b), test.mean_delta, max(test.p_value, sign_floor(a, b))
    )


def sign_floor(a: list[float], b: list[float]) -> float:
    """The smallest p any paired test can honestly give: all non-zero differences agreeing.

    A percentile bootstrap of three positive differences never resamples a mean <= 0 and
    so reports p = 0; no paired test on three pairs can be that sure (the exact sign test
    bottoms out at 2 * 0.5**3 = 0.25). The score endpoint's p is never below this floor.
    """
    moved = sum(1 for x, y in zip(a, b, strict=True) if x != y)
    return 1.0 if moved == 0 else min(1.0, 2 * 0.5**moved)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _holm(endpoints: list[Endpoint], alpha: float) -> list[Endpoint]:
    adjusted = multipletests([e.p_value for e in endpoints], alpha=alpha, method="holm")[1]
    return [
        Endpoint(e.name, e.mean_a, e.mean_b, e.delta, e.p_value, float(p))
        for e, p in zip(endpoints, adjusted, strict=True)
    ]


def statistics(result: ArmComparison, decision: Decision) -> dict[str, Any]:
    """The experiment's statistics as the ledger stores them (flat, readable keys)."""
    stats: dict[str, Any] = {
        "pairs": result.n_pairs,
        "unpaired": result.unpaired,
        "alpha": result.alpha,
        "reason": decision.reason,
    }
    for e in result.endpoints:
        key = e.name.replace(" ", "_")
        stats[f"{key}_a"] = _round(e.mean_a)
        stats[f"{key}_b"] = _round(e.mean_b)
        stats[f"{key}_delta"] = _round(e.delta)
        stats[f"{key}_p"] = _round(e.p_value)
        stats[f"{key}_p_holm"] = _round(e.p_adj)
    worse = [g.dimension for g in result.guards if raw_worse(g, result.alpha)]
    stats["deterministic_worse_unadjusted"] = ", ".join(worse) or "none"
    stats["mde_pass_rate"] = _round(result.mde_pass)
    stats["tests"] = "exact McNemar (pass/fail), paired bootstrap (score), Holm"
    return stats


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
