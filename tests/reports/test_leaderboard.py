"""Configurations are tiered by their intervals: overlap means tied, never ranked."""

from __future__ import annotations

import pytest

from reports import load, wilson
from reports._leaderboard import LeaderRow, assign_tiers, leaderboard


def _row(name, k, n):
    return LeaderRow(config=name, runs=1, interval=wilson(k, n), incomplete=0, pass_k=None, k=None)


def test_clearly_separated_configurations_are_ranked():
    rows = [_row("good", 48, 50), _row("bad", 5, 50)]
    assign_tiers(rows)
    assert [(r.config, r.rank_label) for r in rows] == [("good", "1"), ("bad", "2")]


def test_overlapping_intervals_are_shown_tied():
    rows = [_row("a", 8, 10), _row("b", 6, 10)]
    assign_tiers(rows)
    assert [r.rank_label for r in rows] == ["=1", "=1"]


def test_a_chain_of_overlaps_is_one_tier_even_if_its_ends_do_not_overlap():
    a, b, c = _row("a", 45, 50), _row("b", 36, 50), _row("c", 26, 50)
    assert a.interval.overlaps(b.interval) and b.interval.overlaps(c.interval)
    assert not a.interval.overlaps(c.interval)
    assign_tiers([a, b, c])
    assert {r.rank_label for r in (a, b, c)} == {"=1"}


def test_leaderboard_from_a_ledger_has_pass_k_and_dimension_means(ledger, run_with):
    for _ in range(3):  # the same five tasks three times: pass^k with k = 3
        run_with(ledger, [True, True, True, False, True], model="strong")
    run_with(ledger, [False] * 5, model="weak")
    data = load(ledger)
    rows = leaderboard(data.runs, data.episodes, data.grades, "model")
    strong = next(r for r in rows if r.config == "strong")
    weak = next(r for r in rows if r.config == "weak")
    assert (strong.interval.k, strong.interval.n, strong.runs) == (12, 15, 3)
    assert strong.k == 3 and strong.pass_k == pytest.approx(4 / 5)
    assert weak.pass_k is None  # each task tried once
    assert strong.dims["checks"] == pytest.approx((12 * 0.9 + 3 * 0.2) / 15)
    assert strong.tier < weak.tier


def test_pass_k_uses_the_tasks_that_were_repeated(ledger, run_with):
    run_with(ledger, [True, False], model="m")  # task-0 passes, task-1 fails...
    run_with(ledger, [True], model="m")  # ...and only task-0 is tried again
    data = load(ledger)
    [row] = leaderboard(data.runs, data.episodes, data.grades, "model")
    assert (row.k, row.pass_k_tasks, row.pass_k) == (2, 1, 1.0)


def test_incomplete_episodes_are_counted_but_not_scored(ledger, run_with):
    from ledger import EpisodeRecord

    run_id = run_with(ledger, [True, True])
    ledger.start_episode(EpisodeRecord(run_id=run_id, task="crashed"))
    data = load(ledger)
    [row] = leaderboard(data.runs, data.episodes, data.grades, "config")
    assert (row.interval.n, row.incomplete) == (2, 1)
