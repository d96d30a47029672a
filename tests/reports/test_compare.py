"""Paired comparison of two runs: pairs by (task, seed), McNemar + bootstrap, Holm-adjusted."""

from __future__ import annotations

import pytest

from reports import ComparisonError, compare_runs, load, pair_episodes

ALL_PASS = [True] * 12


def test_twelve_flips_to_fail_is_a_significant_regression(ledger, run_with):
    base = run_with(ledger, ALL_PASS)
    cand = run_with(ledger, [False] * 10 + [True] * 2)
    result = compare_runs(load(ledger), base, cand)
    verdict = result.changes[0]
    assert verdict.dimension == "verdict"
    assert (verdict.pass_test.regressed, verdict.pass_test.improved) == (10, 0)
    assert verdict.pass_test.p_value == pytest.approx(2 * 0.5**10)
    assert verdict.regressed and result.regressed
    checks = next(c for c in result.changes if c.dimension == "checks")
    assert checks.score_test.mean_delta == pytest.approx(-0.7 * 10 / 12)
    assert checks.regressed


def test_identical_runs_show_no_regression(ledger, run_with):
    outcomes = [True, False] * 6
    base, cand = run_with(ledger, outcomes), run_with(ledger, outcomes)
    result = compare_runs(load(ledger), base, cand)
    assert not result.regressed
    assert all(c.pass_test.p_value == 1.0 for c in result.changes)


def test_an_improvement_is_not_a_regression(ledger, run_with):
    base = run_with(ledger, [False] * 12)
    cand = run_with(ledger, ALL_PASS)
    result = compare_runs(load(ledger), base, cand)
    assert not result.regressed
    assert result.changes[0].improved


def test_a_few_flips_are_not_significant_after_holm(ledger, run_with):
    base = run_with(ledger, ALL_PASS)
    cand = run_with(ledger, [False] * 6 + [True] * 6)
    result = compare_runs(load(ledger), base, cand)
    verdict = result.changes[0]
    assert verdict.pass_test.p_value < 0.05  # alone it would look significant...
    assert verdict.p_pass_adj >= 0.05  # ...but not among fifteen tests
    assert result.family_size == 15


def test_episodes_pair_on_task_and_seed_only(ledger, run_with):
    base = run_with(ledger, [True, True, True], seeds=[1, 2, 3])
    cand = run_with(ledger, [True, True, True], seeds=[1, 2, 9])
    pairs = pair_episodes(load(ledger), base, cand)
    assert sorted(zip(pairs.task, pairs.seed, strict=True)) == [("task-0", 1), ("task-1", 2)]
    result = compare_runs(load(ledger), base, cand)
    assert (result.n_pairs, result.unpaired_baseline, result.unpaired_candidate) == (2, 1, 1)


def test_mde_is_stated_and_shrinks_with_more_pairs(ledger, run_with):
    small_base, small_cand = run_with(ledger, [True] * 8), run_with(ledger, [True] * 8)
    small = compare_runs(load(ledger), small_base, small_cand)
    assert small.mde_pass is None  # 8 pairs cannot show anything at alpha / 15
    big_base = run_with(ledger, [True] * 60, suite="big")
    big_cand = run_with(ledger, [True] * 60, suite="big")
    big = compare_runs(load(ledger), big_base, big_cand)
    assert 0 < big.mde_pass < 0.5


def test_simulated_and_real_runs_are_never_compared(ledger, run_with):
    real = run_with(ledger, ALL_PASS)
    sim = run_with(ledger, ALL_PASS, simulated=True)
    with pytest.raises(ComparisonError, match="never compared"):
        compare_runs(load(ledger), real, sim)


def test_runs_without_common_pairs_are_refused(ledger, run_with):
    base = run_with(ledger, [True], seeds=[1])
    cand = run_with(ledger, [True], seeds=[2])
    with pytest.raises(ComparisonError, match="share no complete episode"):
        compare_runs(load(ledger), base, cand)


def test_inconclusive_dimensions_drop_out_of_their_pairs(ledger, run_with):
    from ledger import TurnRecord
    from verifier import DIMENSIONS, DimensionGrade, Grade, Source, Status, Verdict

    base = run_with(ledger, ALL_PASS)
    cand = run_with(ledger, ALL_PASS)
    episode = ledger.episodes(cand)[0]
    ledger.record_turn(TurnRecord(episode_id=episode.id, turn=1, swarm_status="done"))
    ledger.record_grade(
        episode.id,
        1,
        Grade(
            task="task-0",
            verdict=Verdict.PASS,
            dimensions={
                d: DimensionGrade(
                    score=0.0,
                    status=Status.INCONCLUSIVE if d == "cluster" else Status.PASS,
                    source=Source.DETERMINISTIC,
                )
                for d in DIMENSIONS
            },
        ),
    )
    result = compare_runs(load(ledger), base, cand)
    cluster = next(c for c in result.changes if c.dimension == "cluster")
    assert cluster.n_pairs == 11
