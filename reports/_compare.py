"""Paired comparison of two runs: episodes matched by (task, seed), every dimension tested.

Dimension scores are each episode's *final* graded turn (the product it ended with), like the
leaderboard's dimension means; the verdict is the episode's final verdict. The pass-rate
difference comes with its 95% paired interval (:mod:`reports.difference`);
:func:`difference_between` gives it for any two runs or groups, unpaired when they do not pair.

Pass/fail changes use the exact McNemar test, score changes a paired bootstrap; the whole
family of tests is Holm-adjusted so a nightly run with 15 tests does not cry wolf 50% of
the time. A dimension *regresses* when its adjusted p is below alpha and it got worse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from reports._data import ReportData
from reports._errors import ComparisonError
from reports._stats import (
    ALPHA,
    BootstrapResult,
    McNemarResult,
    mcnemar_exact,
    mde_pass_rate,
    mde_score,
    paired_bootstrap,
)
from reports.difference import Difference, episode_difference, paired_difference
from verifier import DIMENSIONS

VERDICT = "verdict"


@dataclass
class DimensionChange:
    """One dimension's paired change: pass/fail (McNemar) and score (bootstrap)."""

    #: A verifier dimension, or ``verdict`` for the episodes' pass/fail.
    dimension: str
    #: Pairs where both episodes have a conclusive grade on this dimension.
    n_pairs: int
    pass_test: McNemarResult
    #: Paired score change; None for the verdict (no score) or when nothing paired.
    score_test: BootstrapResult | None
    #: Baseline's mean score, 0..1 (pass rate for the verdict); None when nothing paired.
    base_mean: float | None = None
    #: Candidate's mean score, likewise.
    cand_mean: float | None = None
    #: ``pass_test``'s p after Holm adjustment over the whole comparison.
    p_pass_adj: float = 1.0
    #: ``score_test``'s p after Holm adjustment; 1.0 when there is no score test.
    p_score_adj: float = 1.0
    #: Sample SD of the paired score differences; 0 with fewer than two pairs.
    sd_diff: float = 0.0
    #: Smallest mean score change detectable at 80% power, alpha / family_size; None = none.
    mde_score: float | None = None
    #: Significance level the adjusted p-values are held to.
    alpha: float = ALPHA

    @property
    def regressed(self) -> bool:
        """Significantly worse after adjustment, on pass/fail or on score."""
        worse_pass = self.pass_test.regressed > self.pass_test.improved
        worse_score = self.score_test is not None and self.score_test.mean_delta < 0
        return (worse_pass and self.p_pass_adj < self.alpha) or (
            worse_score and self.p_score_adj < self.alpha
        )

    @property
    def improved(self) -> bool:
        """Significantly better after adjustment."""
        better_pass = self.pass_test.improved > self.pass_test.regressed
        better_score = self.score_test is not None and self.score_test.mean_delta > 0
        return (better_pass and self.p_pass_adj < self.alpha) or (
            better_score and self.p_score_adj < self.alpha
        )


@dataclass
class Comparison:
    """The result of comparing a candidate run with a baseline run."""

    #: Run id of the baseline.
    baseline: str
    #: Run id of the candidate.
    candidate: str
    #: Complete episodes matched on (task, seed), repeats in start order.
    n_pairs: int
    #: Complete baseline episodes with no candidate twin (left out of every test).
    unpaired_baseline: int
    #: Complete candidate episodes with no baseline twin.
    unpaired_candidate: int
    #: The verdict first, then each graded dimension.
    changes: list[DimensionChange] = field(default_factory=list)
    #: Smallest pass-rate drop (0..1) detectable at 80% power; None = too few pairs for any.
    mde_pass: float | None = None
    #: Family-wise significance level (Holm).
    alpha: float = ALPHA
    #: How many p-values are Holm-adjusted together (pass and score tests of every change).
    family_size: int = 1
    #: Candidate's final pass rate minus the baseline's over the pairs, with its 95%
    #: paired interval (Newcombe); None only on a Comparison built by hand.
    pass_diff: Difference | None = None

    @property
    def regressed(self) -> bool:
        """True when any dimension (or the verdict) regressed significantly."""
        return any(c.regressed for c in self.changes)


def pair_episodes(data: ReportData, baseline: str, candidate: str) -> pd.DataFrame:
    """Complete episodes of both runs matched on (task, seed); repeats pair in start order."""
    eps = data.episodes[data.episodes.complete]
    base = _keyed(eps[eps.run_id == baseline])
    cand = _keyed(eps[eps.run_id == candidate])
    return base.merge(cand, on=["task", "seed", "rep"], suffixes=("_b", "_c"))


def _keyed(eps: pd.DataFrame) -> pd.DataFrame:
    eps = eps.sort_values(["started_at", "episode_id"])
    rep = eps.groupby(["task", "seed"]).cumcount()
    return eps.assign(rep=rep)[["task", "seed", "rep", "episode_id", "passed"]]


def difference_between(
    data: ReportData, baseline: list[str], candidate: list[str], *, alpha: float = ALPHA
) -> Difference:
    """Final pass rate of the candidate runs minus the baseline runs', with its interval.

    Works for any two runs or groups of runs, ad hoc ones included: paired when their
    complete episodes pair one to one on (task, seed), unpaired otherwise
    (``Difference.paired`` says which). Raises ComparisonError for an unknown run or a
    simulated/real mix.
    """
    runs = data.runs.set_index("run_id")
    for run_id in [*baseline, *candidate]:
        if run_id not in runs.index:
            raise ComparisonError(f"run {run_id} is not in the ledger")
    if len({bool(runs.loc[r, "simulated"]) for r in [*baseline, *candidate]}) > 1:
        raise ComparisonError(
            "simulated and real runs are mixed; simulated results are never compared "
            "with real-model results"
        )
    done = data.episodes[data.episodes.complete]
    return episode_difference(
        done[done.run_id.isin(baseline)], done[done.run_id.isin(candidate)], alpha=alpha
    )


def final_grades(data: ReportData) -> pd.DataFrame:
    """Each episode's grade rows at its last graded turn (the product it ended with)."""
    grades = data.grades
    if grades.empty:
        return grades
    last = grades.groupby("episode_id").turn.transform("max")
    return grades[grades.turn == last]


def compare_runs(
    data: ReportData, baseline: str, candidate: str, *, seed: int = 0, alpha: float = ALPHA
) -> Comparison:
    """Pair the runs' episodes and test the verdict and every dimension for a change.

    Raises ComparisonError when a run is missing from ``data``, when one run is simulated
    and the other real, or when no episode pairs on (task, seed).
    """
    _check_comparable(data, baseline, candidate)
    pairs = pair_episodes(data, baseline, candidate)
    if pairs.empty:
        raise ComparisonError(
            f"runs {baseline} and {candidate} share no complete episode with the same "
            "(task, seed); nothing to compare"
        )
    n_base = int(((data.episodes.run_id == baseline) & data.episodes.complete).sum())
    n_cand = int(((data.episodes.run_id == candidate) & data.episodes.complete).sum())
    result = Comparison(
        baseline, candidate, len(pairs), n_base - len(pairs), n_cand - len(pairs), alpha=alpha
    )
    verdict = mcnemar_exact(list(pairs.passed_b), list(pairs.passed_c))
    result.pass_diff = paired_difference(
        [bool(x) for x in pairs.passed_b], [bool(x) for x in pairs.passed_c], alpha=alpha
    )
    result.changes.append(
        DimensionChange(
            VERDICT, len(pairs), verdict, None, _mean(pairs.passed_b), _mean(pairs.passed_c)
        )
    )
    grades = final_grades(data)
    for dim in _dimensions(grades):
        result.changes.append(_dimension_change(grades, pairs, dim, seed))
    _holm(result)
    _detectable_effects(result)
    return result


def _check_comparable(data: ReportData, baseline: str, candidate: str) -> None:
    runs = data.runs.set_index("run_id")
    for run_id in (baseline, candidate):
        if run_id not in runs.index:
            raise ComparisonError(f"run {run_id} is not in the ledger")
    if baseline == candidate:
        raise ComparisonError(f"cannot compare run {baseline} with itself")
    if bool(runs.loc[baseline, "simulated"]) != bool(runs.loc[candidate, "simulated"]):
        raise ComparisonError(
            "one run is simulated and the other real; simulated results are never compared "
            "with real-model results"
        )


def _detectable_effects(result: Comparison) -> None:
    # Holm's first step compares the smallest p with alpha/m, so alpha/m is the honest
    # threshold a lone real change has to beat.
    alpha = result.alpha / result.family_size
    result.mde_pass = mde_pass_rate(result.n_pairs, alpha=alpha)
    for ch in result.changes:
        ch.mde_score = mde_score(ch.n_pairs, ch.sd_diff, alpha=alpha)


def _dimensions(grades: pd.DataFrame) -> list[str]:
    present = set(grades.dimension) if not grades.empty else set()
    return [d for d in DIMENSIONS if d in present] + sorted(present - set(DIMENSIONS))


def _mean(values: pd.Series) -> float | None:
    return float(values.mean()) if len(values) else None


def _dimension_change(
    grades: pd.DataFrame, pairs: pd.DataFrame, dim: str, seed: int
) -> DimensionChange:
    rows = grades[(grades.dimension == dim) & (grades.status != "inconclusive")]
    by_ep = rows.drop_duplicates("episode_id", keep="last").set_index("episode_id")
    both = pairs[pairs.episode_id_b.isin(by_ep.index) & pairs.episode_id_c.isin(by_ep.index)]
    b, c = by_ep.loc[both.episode_id_b], by_ep.loc[both.episode_id_c]
    pass_test = mcnemar_exact(list(b.status == "pass"), list(c.status == "pass"))
    score_test = paired_bootstrap(list(b.score), list(c.score), seed=seed) if len(both) else None
    sd = float(np.std(c.score.to_numpy() - b.score.to_numpy(), ddof=1)) if len(both) > 1 else 0.0
    return DimensionChange(
        dim, len(both), pass_test, score_test, _mean(b.score), _mean(c.score), sd_diff=sd
    )


def _holm(result: Comparison) -> None:
    """Holm-adjust every p-value of the comparison as one family."""
    pvals: list[float] = []
    for ch in result.changes:
        pvals.append(ch.pass_test.p_value)
        if ch.score_test is not None:
            pvals.append(ch.score_test.p_value)
    result.family_size = max(1, len(pvals))
    adjusted = iter(multipletests(pvals, alpha=result.alpha, method="holm")[1])
    for ch in result.changes:
        ch.alpha = result.alpha
        ch.p_pass_adj = float(next(adjusted))
        if ch.score_test is not None:
            ch.p_score_adj = float(next(adjusted))
