"""Pairing, statistics wiring and the adopt | reject | inconclusive rule."""

from __future__ import annotations

import pytest
from tune_support import Ep, episodes, write_arm

from gym.tweaker._decide import (
    ADOPT,
    INCONCLUSIVE,
    REJECT,
    ArmComparison,
    Endpoint,
    compare_arms,
    decide,
    statistics,
)
from ledger import Ledger
from reports import ComparisonError, DimensionChange, mcnemar_exact, paired_bootstrap


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / ".gym") as opened:
        yield opened


def _guard(dim: str, base: list[float], cand: list[float], *, p_adj: float = 1.0):
    passes = mcnemar_exact([b >= 1 for b in base], [c >= 1 for c in cand])
    change = DimensionChange(
        dim, len(base), passes, paired_bootstrap(base, cand), p_pass_adj=p_adj, p_score_adj=p_adj
    )
    return change


def _result(endpoints, guards=(), n=10, mde=0.5):
    return ArmComparison(n, 0, list(endpoints), list(guards), mde)


def test_arms_pair_on_task_and_seed_and_unmatched_episodes_stay_out(ledger):
    a = write_arm(ledger, [*episodes([True, False, False]), Ep("other", 7, True)])
    b = write_arm(ledger, [*episodes([True, True, False]), Ep("other", 8, True)])
    result = compare_arms(ledger, a, b)
    assert result.n_pairs == 3 and result.unpaired == 2
    passes = result.endpoints[0]
    assert passes.name == "pass rate"
    assert (passes.mean_a, passes.mean_b) == pytest.approx((1 / 3, 2 / 3))
    assert passes.delta == pytest.approx(1 / 3)  # one of three pairs flipped to pass
    assert passes.p_value == pytest.approx(1.0)  # exact McNemar, one discordant pair


def test_the_mean_score_is_each_episodes_mean_deterministic_score(ledger):
    a = write_arm(ledger, [Ep("t", 1, False, {"checks": 0.5, "swarm": 0.0})])
    b = write_arm(ledger, [Ep("t", 1, False, {"checks": 0.9, "swarm": 0.0})])
    score = compare_arms(ledger, a, b).endpoints[1]
    # swarm, checks, diagnostics, cluster: (0 + 0.5 + 0 + 0) / 4 against (0 + 0.9 + 0 + 0) / 4
    assert (score.mean_a, score.mean_b) == pytest.approx((0.125, 0.225))


def test_arms_with_no_common_episode_cannot_be_compared(ledger):
    a = write_arm(ledger, episodes([True]))
    b = write_arm(ledger, [Ep("elsewhere", 1, True)])
    with pytest.raises(ComparisonError, match="share no complete episode"):
        compare_arms(ledger, a, b)


def test_a_clear_improvement_on_real_ledger_data_is_adopted(ledger):
    a = write_arm(ledger, episodes([False] * 10 + [True] * 4))
    b = write_arm(ledger, episodes([True] * 14))
    result = compare_arms(ledger, a, b)
    decision = decide(result)
    assert decision.outcome == ADOPT, decision.reason
    assert result.endpoints[0].p_value == pytest.approx(2 * 0.5**10)


def test_a_clear_regression_on_real_ledger_data_is_rejected(ledger):
    a = write_arm(ledger, episodes([True] * 12))
    b = write_arm(ledger, episodes([False] * 8 + [True] * 4))
    assert decide(compare_arms(ledger, a, b)).outcome == REJECT


def test_identical_arms_are_inconclusive_and_name_the_detectable_effect(ledger):
    outcomes = [True, False] * 4
    a = write_arm(ledger, episodes(outcomes))
    b = write_arm(ledger, episodes(outcomes))
    decision = decide(compare_arms(ledger, a, b))
    assert decision.outcome == INCONCLUSIVE
    assert "8 pair(s)" in decision.reason and "smallest pass-rate change" in decision.reason


def test_too_few_pairs_say_no_change_could_be_significant(ledger):
    a = write_arm(ledger, episodes([False, False]))
    b = write_arm(ledger, episodes([True, True]))
    decision = decide(compare_arms(ledger, a, b))
    assert decision.outcome == INCONCLUSIVE
    assert "too few pairs" in decision.reason


def test_better_pass_rate_but_a_regressed_deterministic_dimension_is_rejected():
    better = Endpoint("pass rate", 0.2, 0.9, 0.7, 0.001, 0.002)
    regressed = _guard("diagnostics", [1.0] * 10, [0.0] * 10, p_adj=0.01)
    decision = decide(_result([better], [regressed]))
    assert decision.outcome == REJECT and "diagnostics" in decision.reason


def test_better_but_worse_at_the_unadjusted_level_is_not_adopted():
    better = Endpoint("mean score", 0.5, 0.8, 0.3, 0.001, 0.002)
    # significant before the Holm adjustment (raw p < 0.05), not after it
    harmed = _guard("cluster", [1.0] * 10, [0.0] * 10, p_adj=0.2)
    decision = decide(_result([better], [harmed]))
    assert decision.outcome == INCONCLUSIVE and "cluster" in decision.reason


def test_significance_is_judged_on_the_holm_adjusted_p():
    raw_only = Endpoint("pass rate", 0.3, 0.7, 0.4, 0.03, 0.06)
    assert decide(_result([raw_only])).outcome == INCONCLUSIVE
    adjusted = Endpoint("pass rate", 0.3, 0.7, 0.4, 0.01, 0.02)
    assert decide(_result([adjusted])).outcome == ADOPT


def test_a_significantly_worse_endpoint_is_rejected_even_when_another_is_better():
    better = Endpoint("pass rate", 0.3, 0.8, 0.5, 0.001, 0.002)
    worse = Endpoint("mean score", 0.8, 0.5, -0.3, 0.001, 0.002)
    assert decide(_result([better, worse])).outcome == REJECT


def test_statistics_record_the_tests_the_decision_rests_on(ledger):
    a = write_arm(ledger, episodes([False] * 10 + [True] * 4))
    b = write_arm(ledger, episodes([True] * 14))
    result = compare_arms(ledger, a, b)
    stats = statistics(result, decide(result))
    assert stats["pairs"] == 14 and stats["pass_rate_b"] == 1.0
    assert stats["pass_rate_p_holm"] >= stats["pass_rate_p"]
    assert stats["deterministic_worse_unadjusted"] == "none"
    assert stats["reason"].startswith("B significantly better")


def test_a_few_consistent_score_gains_are_not_called_significant(ledger):
    # three pairs, all better by different amounts: a bare percentile bootstrap says p = 0
    a = write_arm(ledger, [Ep("t", s, False, {"checks": 0.1}) for s in (1, 2, 3)])
    b = write_arm(
        ledger, [Ep("t", s, False, {"checks": x}) for s, x in ((1, 0.4), (2, 0.6), (3, 0.9))]
    )
    result = compare_arms(ledger, a, b)
    score = result.endpoints[1]
    assert score.delta > 0 and score.p_value == pytest.approx(0.25)  # 2 * 0.5**3
    assert decide(result).outcome == INCONCLUSIVE


def test_a_few_consistent_score_losses_on_a_dimension_do_not_reject(ledger):
    a = write_arm(
        ledger, [Ep("t", s, False, {"diagnostics": x}) for s, x in ((1, 0.9), (2, 0.7), (3, 0.5))]
    )
    b = write_arm(ledger, [Ep("t", s, False, {"diagnostics": 0.1}) for s in (1, 2, 3)])
    assert decide(compare_arms(ledger, a, b)).outcome == INCONCLUSIVE
