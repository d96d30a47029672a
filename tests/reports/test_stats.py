"""The statistics against published and hand-computed values."""

from __future__ import annotations

import pytest
from scipy import stats

from reports import (
    mcnemar_exact,
    mde_pass_rate,
    mde_score,
    paired_bootstrap,
    pass_hat_k,
    wilson,
)
from reports._stats import min_discordant_for_significance


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998), Stat Med 17:857, example (a), method 3
        (15, 148, 0.0624, 0.1605),  # Newcombe (1998), example (b)
        (0, 20, 0.0, 0.1611),  # Newcombe (1998), example (c): 0/20
        (1, 29, 0.0061, 0.1718),  # Newcombe (1998), example (d)
        (5, 10, 0.2366, 0.7634),  # symmetric about one half
    ],
)
def test_wilson_interval_matches_published_bounds(k, n, low, high):
    iv = wilson(k, n)
    assert iv.low == pytest.approx(low, abs=1e-4)
    assert iv.high == pytest.approx(high, abs=1e-4)
    assert iv.rate == pytest.approx(k / n)


def test_wilson_of_an_empty_sample_is_the_whole_range():
    assert (wilson(0, 0).low, wilson(0, 0).high) == (0.0, 1.0)


def test_intervals_that_share_a_point_overlap():
    assert wilson(5, 10).overlaps(wilson(9, 10))
    assert not wilson(1, 50).overlaps(wilson(49, 50))


def test_pass_hat_k_is_the_mean_of_c_choose_k_over_n_choose_k():
    per_task = [(4, 4), (3, 4), (0, 4)]  # 1, C(3,2)/C(4,2) = 0.5, 0
    assert pass_hat_k(per_task, 2) == pytest.approx(0.5)
    assert pass_hat_k(per_task, 1) == pytest.approx(7 / 12)  # pass^1 is the pass rate
    assert pass_hat_k(per_task, 4) == pytest.approx(1 / 3)  # C(3,4) = 0


def test_pass_hat_k_ignores_tasks_tried_fewer_than_k_times():
    assert pass_hat_k([(2, 2), (0, 1)], 2) == 1.0
    assert pass_hat_k([(1, 1)], 2) is None


@pytest.mark.parametrize(
    ("regressed", "improved", "p"),
    [
        (6, 0, 0.03125),  # 2 * 0.5**6
        (5, 0, 0.0625),
        (10, 2, 158 / 4096),  # 2 * (C(12,0)+C(12,1)+C(12,2)) / 2**12
        (5, 5, 1.0),
        (0, 0, 1.0),
    ],
)
def test_exact_mcnemar_p_values(regressed, improved, p):
    concordant = 7
    base = [True] * regressed + [False] * improved + [True] * concordant
    cand = [False] * regressed + [True] * improved + [True] * concordant
    result = mcnemar_exact(base, cand)
    assert result.p_value == pytest.approx(p)
    assert (result.regressed, result.improved) == (regressed, improved)


def test_mcnemar_delta_is_the_change_in_pass_rate():
    result = mcnemar_exact([True, True, False, False], [False, True, False, True])
    assert result.delta == 0.0
    assert mcnemar_exact([True] * 4, [False] * 4).delta == -1.0


def test_paired_bootstrap_is_deterministic_and_brackets_the_mean():
    base = [0.5, 0.6, 0.7, 0.2, 0.9, 0.4, 0.8, 0.3]
    cand = [0.3, 0.5, 0.4, 0.1, 0.6, 0.2, 0.7, 0.1]
    first = paired_bootstrap(base, cand, seed=1)
    assert first == paired_bootstrap(base, cand, seed=1)
    assert first.mean_delta == pytest.approx(-0.1875)
    assert first.low < first.mean_delta < first.high < 0
    assert first.p_value < 0.01


def test_paired_bootstrap_sees_no_change_when_there_is_none():
    result = paired_bootstrap([0.2, 0.4, 0.6, 0.8], [0.4, 0.2, 0.8, 0.6], seed=0)
    assert result.mean_delta == pytest.approx(0.0)
    assert result.low < 0 < result.high
    assert result.p_value > 0.5


def test_constant_differences_fall_back_to_the_exact_sign_test():
    result = paired_bootstrap([1.0] * 3, [0.9] * 3)
    assert (result.low, result.high) == pytest.approx((-0.1, -0.1))
    assert result.p_value == pytest.approx(0.25)  # 2 * 0.5**3: three pairs prove little


def test_six_one_way_flips_is_the_least_mcnemar_can_call_significant():
    assert min_discordant_for_significance(0.05) == 6
    assert min_discordant_for_significance(0.01) == 8


def test_pass_rate_mde_is_where_the_exact_test_reaches_80_percent_power():
    assert mde_pass_rate(5) is None
    for n in (20, 50, 200):
        d = mde_pass_rate(n)
        assert stats.binom.sf(5, n, d) == pytest.approx(0.8, abs=1e-6)
    assert mde_pass_rate(200) < mde_pass_rate(50) < mde_pass_rate(20) < 0.4


def test_score_mde_is_cohens_d_for_a_paired_t_test_times_the_spread():
    assert mde_score(20, 0.2) == pytest.approx(0.6604 * 0.2, abs=1e-3)
    assert mde_score(1, 0.2) is None
    assert mde_score(20, 0.0) is None


def test_three_pairs_all_worse_are_never_significant() -> None:
    # Three pairs on one side: the exact sign-flip floor is 2/8, so no regression can be called.
    result = paired_bootstrap([1.0, 1.0, 1.0], [0.5, 0.3, 0.2])
    assert result.mean_delta < 0
    assert result.p_value == pytest.approx(0.25)
