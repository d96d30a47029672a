"""Configurations are tiered by their intervals: overlap means tied, never ranked."""

from __future__ import annotations

import pytest

from reports import load, wilson
from reports._leaderboard import MIN_PASS_K_TASKS, LeaderRow, assign_tiers, leaderboard


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


# ------------------------------------------------ pass@1, final pass, turns to green


def _episode(ledger, run_id, task, verdicts, *, status="finished"):
    """One episode graded turn by turn with ``verdicts`` ('pass'/'fail'); closed with ``status``."""
    import random

    from ledger import EpisodeRecord, TurnRecord, synthetic_grade
    from verifier import Verdict

    rng = random.Random(0)
    episode_id = ledger.start_episode(EpisodeRecord(run_id=run_id, task=task))
    for turn, verdict in enumerate(verdicts, start=1):
        ledger.record_turn(TurnRecord(episode_id=episode_id, turn=turn))
        grade = synthetic_grade(task, turn, Verdict(verdict), rng, "")
        ledger.record_grade(episode_id, turn, grade)
    final = Verdict(verdicts[-1]) if status == "finished" else None
    ledger.finish_episode(episode_id, status, final)
    return episode_id


def _run(ledger, model):
    from ledger import NodeRecord, RunRecord

    node = NodeRecord(name="n", url="http://127.0.0.1:1/v1", model=model)
    return ledger.start_run(RunRecord(simulated=False, fleet=[node], label=model))


def test_first_turn_and_final_pass_are_told_apart(ledger):
    run_id = _run(ledger, "fixer")
    _episode(ledger, run_id, "a", ["fail", "pass"])  # green only after a fix
    _episode(ledger, run_id, "b", ["fail", "fail", "pass"])
    _episode(ledger, run_id, "c", ["pass"])
    _episode(ledger, run_id, "d", ["fail", "fail"])
    data = load(ledger)
    [row] = leaderboard(data.runs, data.episodes, data.grades, "model")
    assert (row.first.k, row.first.n) == (1, 4)  # only c passed its opening turn
    assert (row.interval.k, row.interval.n) == (3, 4)
    assert row.turns_to_green == pytest.approx((2 + 3 + 1) / 3)
    assert row.green_episodes == 3
    assert row.ranked_by == "final" and row.ranked_label == "final pass rate"


def test_an_incomplete_episode_keeps_its_graded_opening_turn_for_pass_at_1(ledger):
    run_id = _run(ledger, "m")
    _episode(ledger, run_id, "a", ["pass", "pass"])
    _episode(ledger, run_id, "b", ["pass"], status="error")  # infra error on its second turn
    data = load(ledger)
    [row] = leaderboard(data.runs, data.episodes, data.grades, "model")
    assert (row.first.k, row.first.n) == (2, 2)
    assert (row.interval.k, row.interval.n, row.incomplete) == (1, 1, 1)


def test_ranking_by_pass_at_1_can_reverse_the_final_order(ledger):
    fixer, opener = _run(ledger, "fixer"), _run(ledger, "opener")
    for i in range(12):
        _episode(ledger, fixer, f"t{i}", ["fail", "pass"])
        _episode(ledger, opener, f"t{i}", ["pass"] if i < 11 else ["fail"])
    data = load(ledger)
    by_final = leaderboard(data.runs, data.episodes, data.grades, "model")
    by_first = leaderboard(data.runs, data.episodes, data.grades, "model", rank_by="pass@1")
    assert [r.config for r in by_final] == ["fixer", "opener"]  # 12/12 vs 11/12, tied tier
    assert {r.rank_label for r in by_final} == {"=1"}
    assert [(r.config, r.rank_label) for r in by_first] == [("opener", "1"), ("fixer", "2")]
    assert by_first[0].ranked_label == "pass@1 (opening turn)"
    with pytest.raises(ValueError, match="rank_by"):
        leaderboard(data.runs, data.episodes, data.grades, "model", rank_by="best")


def test_the_report_shows_both_rates_and_says_which_it_ranks_by(ledger, tmp_path):
    from reports import build_report

    run_id = _run(ledger, "m")
    _episode(ledger, run_id, "a", ["fail", "pass"])
    ledger.finish_run(run_id, "finished")
    target = tmp_path / "report.html"
    build_report(ledger, target)
    html = target.read_text(encoding="utf-8")
    assert "<th>pass@1</th><th>Final pass</th><th>Δ vs best</th><th>Turns to green</th>" in html
    assert "Ranked by <b>final pass rate</b>" in html
    assert '0% <span class="ci">[' in html and '100% <span class="ci">[' in html


def test_invention_rejections_reach_the_report_frames(ledger):
    from ledger import EpisodeRecord

    run_id = _run(ledger, "m")
    ledger.start_episode(
        EpisodeRecord(run_id=run_id, task="greet-var1", invention_rejections=["try 1: x", "y"])
    )
    _episode(ledger, run_id, "greet", ["pass"])
    frame = load(ledger).episodes.sort_values("task")
    assert list(frame.invention_rejections) == [0, 2]


# ------------------------------------------------ pass^k: tasks, k, hidden below a floor


def test_pass_k_from_one_repeated_task_is_hidden_and_says_why(ledger, run_with, tmp_path):
    from reports import build_report

    run_with(ledger, [True, False, True, False], model="m")  # four tasks...
    run_with(ledger, [True], model="m")  # ...only task-0 tried twice: pass^2 = 100% from one task
    data = load(ledger)
    [row] = leaderboard(data.runs, data.episodes, data.grades, "model")
    assert row.pass_k == 1.0 and row.pass_k_shown is None
    assert row.pass_k_note == f"needs ≥{MIN_PASS_K_TASKS} tasks tried k=2 times (has 1)"
    html = build_report(ledger, tmp_path / "r.html").path.read_text()
    board = html.split('id="leaderboard"')[1].split("</table>")[0]
    assert '— <span class="ci">needs ≥5 tasks tried k=2 times (has 1)</span>' in board
    assert "100%" not in board.split("Final pass")[1].split("Incomplete")[0]


def test_pass_k_is_shown_with_its_k_and_task_count_at_the_floor(ledger, run_with):
    for _ in range(2):
        run_with(ledger, [True] * MIN_PASS_K_TASKS, model="m")
    data = load(ledger)
    [row] = leaderboard(data.runs, data.episodes, data.grades, "model")
    assert row.pass_k_shown == 1.0
    assert row.pass_k_note == f"k=2 over {MIN_PASS_K_TASKS} tasks"


def test_dimension_means_average_the_final_turn_like_the_comparison(ledger):
    run_id = _run(ledger, "m")
    _episode(ledger, run_id, "a", ["fail", "pass"])
    ledger.finish_run(run_id, "finished")
    data = load(ledger)
    [row] = leaderboard(data.runs, data.episodes, data.grades, "model")
    final = data.grades[data.grades.turn == 2]
    for dim, mean in row.dims.items():
        assert mean == pytest.approx(final[final.dimension == dim].score.mean())
