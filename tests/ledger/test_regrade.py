"""`regrade` re-runs the verifier on stored trees and appends, never rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger import EpisodeRecord, RunRecord, TurnRecord
from ledger._regrade import regrade_run
from verifier import DimensionGrade, Source, Status

CATALOG = Path(__file__).resolve().parents[2] / "gym" / "catalog"
TASK = CATALOG / "expr-calc"


def _episode_with_tree(ledger, make_grade, tree: Path | None, *, turns: int = 1) -> tuple[str, str]:
    run_id = ledger.start_run(RunRecord(simulated=True, suite="nightly"))
    eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task="expr-calc", seed=1))
    for turn in range(1, turns + 1):
        ledger.record_turn(TurnRecord(episode_id=eid, turn=turn, swarm_status="done"))
        grade = make_grade("fail", 0.1)
        grade.dimensions["requirements"] = DimensionGrade(
            score=0.0, status=Status.FAIL, source=Source.JUDGE
        )
        ledger.record_grade(eid, turn, grade)
    if tree is not None:
        ledger.store_artifact(eid, tree, "tree")  # the gym stores the final tree, no turn
    ledger.finish_episode(eid, "finished", "fail")
    ledger.finish_run(run_id, "finished")
    return run_id, eid


@pytest.mark.skipif(not TASK.is_dir(), reason="catalog task expr-calc is not present")
def test_regrade_appends_new_grades_and_a_new_episode_verdict(ledger, make_grade):
    run_id, eid = _episode_with_tree(ledger, make_grade, TASK / "reference", turns=2)
    summary = regrade_run(ledger, run_id, catalog_dir=CATALOG)
    assert summary.regraded == 1
    assert summary.skipped == [f"{eid} turn 1: no stored tree"]
    current = {(g.turn, g.dimension): g for g in ledger.grades(eid)}
    assert current[(2, "checks")].status == Status.PASS
    assert current[(2, "checks")].grader == "regrade"
    # Without a judge the earlier judge dimension is carried over, and it still lowers
    # the verdict: a deterministic regrade never silently raises it.
    assert current[(2, "requirements")].status == Status.FAIL
    assert ledger.grade_sets(eid)[-1].verdict.value != "pass"
    assert len(ledger.grades(eid, include_superseded=True)) == 7 * 2 + len(
        [g for g in current.values() if g.turn == 2]
    )
    assert ledger.episode(eid).final_verdict == ledger.grade_sets(eid)[-1].verdict


def test_regrade_skips_episodes_whose_task_cannot_be_found(ledger, make_grade, tmp_path):
    run_id, eid = _episode_with_tree(ledger, make_grade, None)
    summary = regrade_run(ledger, run_id, catalog_dir=tmp_path)
    assert summary.regraded == 0
    assert summary.skipped == [
        f"{eid}: task 'expr-calc' is neither stored with the episode nor in the catalog {tmp_path}"
    ]
