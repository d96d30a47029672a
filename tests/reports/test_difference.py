"""Differences with their interval: paired where episodes pair, unpaired otherwise."""

from __future__ import annotations

from math import sqrt

import pytest
from scipy.stats import binomtest

from ledger import add_synthetic_run
from reports import ComparisonError, build_report, compare_runs, difference_between, load
from reports._leaderboard import leaderboard
from reports.difference import episode_difference, paired_difference, unpaired_difference


def _pairs(both: int, only_a: int, only_b: int, neither: int) -> tuple[list[bool], list[bool]]:
    a = [True] * both + [True] * only_a + [False] * only_b + [False] * neither
    b = [True] * both + [False] * only_a + [True] * only_b + [False] * neither
    return a, b


def test_paired_interval_matches_newcombes_published_example():
    # Newcombe (1998), paired proportions, example (36, 12, 2, 0): method 10 gives
    # 0.0569 to 0.3404 for a - b = 0.20; here b - a, so the signs flip.
    d = paired_difference(*_pairs(36, 12, 2, 0))
    assert d.paired and d.n_a == 50
    assert d.delta == pytest.approx(-0.20)
    assert (d.low, d.high) == (pytest.approx(-0.3404, abs=1e-4), pytest.approx(-0.0569, abs=1e-4))
    assert d.clear and d.text() == "-20 pp [-34, -6]"


def test_paired_interval_with_no_correlation_reduces_to_scipy_wilson_bounds():
    # (2, 2, 2, 2): phi = 0, so the interval is the independent-Wilson (Newcombe) form,
    # computed here from scipy's Wilson bounds rather than the module's.
    d = paired_difference(*_pairs(2, 2, 2, 2))
    w = binomtest(4, 8).proportion_ci(method="wilson")
    half = sqrt((0.5 - w.low) ** 2 + (w.high - 0.5) ** 2)
    assert (d.delta, d.low, d.high) == (0, pytest.approx(-half), pytest.approx(half))


def test_identical_paired_outcomes_still_have_an_interval():
    # A bootstrap of four equal pairs collapses to [0, 0]; four episodes cannot say that.
    d = paired_difference([True, True, True, False], [True, True, True, False])
    assert d.delta == 0 and d.low < -0.2 and d.high > 0.2 and not d.clear


def test_unpaired_interval_matches_newcombes_published_example():
    # Newcombe (1998), independent proportions 56/70 vs 48/80: method 10 gives 0.0524, 0.3339.
    d = unpaired_difference(48, 80, 56, 70)
    assert not d.paired and (d.n_a, d.n_b) == (80, 70)
    assert (d.low, d.high) == (pytest.approx(0.0524, abs=1e-4), pytest.approx(0.3339, abs=1e-4))


def test_runs_that_pair_are_compared_paired_and_runs_that_do_not_unpaired(ledger):
    a = add_synthetic_run(ledger, [True, True, True, False], seeds=[1, 2, 3, 4])
    b = add_synthetic_run(ledger, [True, False, True, False], seeds=[1, 2, 3, 4])
    adhoc = add_synthetic_run(ledger, [True, False, False], seeds=[7, 8, 9])
    data = load(ledger)
    same = difference_between(data, [a], [b])
    assert same.paired and same.n_pairs == 4 and same.delta == pytest.approx(-0.25)
    assert same == paired_difference([True, True, True, False], [True, False, True, False])
    other = difference_between(data, [a], [adhoc])
    assert not other.paired and (other.n_a, other.n_b, other.n_pairs) == (4, 3, 0)
    assert other == unpaired_difference(3, 4, 1, 3)
    assert "unpaired (0 of 4/3 episodes pair)" in other.method


def test_difference_between_refuses_a_simulated_real_mix(ledger):
    real = add_synthetic_run(ledger, [True])
    sim = add_synthetic_run(ledger, [True], simulated=True)
    with pytest.raises(ComparisonError, match="never compared"):
        difference_between(load(ledger), [real], [sim])


def test_partial_pairing_falls_back_to_unpaired_over_every_episode(ledger):
    a = add_synthetic_run(ledger, [True, True, False], seeds=[1, 2, 3])
    b = add_synthetic_run(ledger, [True, False, False], seeds=[1, 2, 9])
    data = load(ledger)
    eps = data.episodes
    d = episode_difference(eps[eps.run_id == a], eps[eps.run_id == b])
    assert not d.paired and d.n_pairs == 2 and (d.n_a, d.n_b) == (3, 3)


def test_leaderboard_rows_carry_their_difference_from_the_best(ledger):
    add_synthetic_run(ledger, [True, True, True, False], model="good")
    add_synthetic_run(ledger, [True, False, True, False], model="worse")
    data = load(ledger)
    best, other = leaderboard(data.runs, data.episodes, data.grades, "model")
    assert best.config == "good" and best.vs_best is None
    expected = paired_difference([True, True, True, False], [True, False, True, False])
    assert other.vs_best == expected


def test_comparison_carries_the_paired_pass_rate_difference(ledger, tmp_path):
    a = add_synthetic_run(ledger, [True, True, True, False], simulated=True, model="m-a")
    b = add_synthetic_run(ledger, [True, False, True, False], simulated=True, model="m-b")
    comparison = compare_runs(load(ledger), a, b)
    assert comparison.pass_diff == paired_difference(
        [True, True, True, False], [True, False, True, False]
    )
    html = build_report(ledger, tmp_path / "r.html", comparison=comparison).path.read_text()
    section = html.split('<section id="comparison">')[1].split("</section>")[0]
    assert f'<span class="diff-ci">{comparison.pass_diff.text()}</span>' in section
    assert "last graded turn" in section
    board = html.split('id="leaderboard"')[1].split("</table>")[0]
    assert "<th>Δ vs best</th>" in board and 'class="diff-ci"' in board


def test_the_terminal_table_states_the_difference_and_its_interval(ledger):
    from reports import comparison_table

    a = add_synthetic_run(ledger, [True, True, True, False])
    b = add_synthetic_run(ledger, [True, False, True, False])
    comparison = compare_runs(load(ledger), a, b)
    caption = comparison_table(comparison).caption
    assert f"difference {comparison.pass_diff.text()}" in caption and "paired on 4" in caption
