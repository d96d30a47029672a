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


# ---------------------------------------------------------------- invented tasks, every turn

GREET_TOML = """
id = "greet-var7"
title = "Greeting CLI (variation)"
archetype = "heavy-spec"
difficulty = 1
entry = "python -m greet"
spec = "Build `greet`, run as `python -m greet NAME`, printing `Hello, NAME`."

[[checks]]
name = "greets_bob"
kind = "command"
cmd = "python -m greet Bob"
expect_stdout = { equals = "Hello, Bob\\n" }
"""


def _greet_tree(root: Path, greeting: str) -> Path:
    (root / "greet").mkdir(parents=True)
    (root / "greet" / "__init__.py").write_text("")
    (root / "greet" / "__main__.py").write_text(
        f"import sys\nprint('{greeting}, ' + (sys.argv[1] if len(sys.argv) > 1 else 'world'))\n"
    )
    return root


def _invented_episode(ledger, make_grade, tmp_path: Path) -> tuple[str, str]:
    """An invented-task episode: task artifact, and a tree stored for each of two turns."""
    task_dir = tmp_path / "tasks" / "greet-var7"
    task_dir.mkdir(parents=True)
    (task_dir / "task.toml").write_text(GREET_TOML)
    _greet_tree(task_dir / "reference", "Hello")
    run_id = ledger.start_run(RunRecord(simulated=True))
    eid = ledger.start_episode(
        EpisodeRecord(run_id=run_id, task="greet-var7", seed=1, generated=True)
    )
    ledger.store_artifact(eid, task_dir, "task")
    for turn, greeting in ((1, "Hi"), (2, "Hello")):  # turn 1 wrong, turn 2 fixed
        ledger.record_turn(TurnRecord(episode_id=eid, turn=turn, swarm_status="done"))
        ledger.store_artifact(eid, _greet_tree(tmp_path / f"t{turn}", greeting), "tree", turn=turn)
        ledger.record_grade(eid, turn, make_grade("pass" if turn == 1 else "fail", 0.5))
    ledger.finish_episode(eid, "finished", "fail")
    ledger.finish_run(run_id, "finished")
    return run_id, eid


def test_an_invented_task_episode_is_regraded_at_every_turn_from_its_stored_task(
    ledger, make_grade, tmp_path
):
    run_id, eid = _invented_episode(ledger, make_grade, tmp_path)
    summary = regrade_run(ledger, run_id, catalog_dir=tmp_path / "no-catalog")
    assert (summary.regraded, summary.skipped) == (2, [])
    checks = {g.turn: g.status for g in ledger.grades(eid) if g.dimension == "checks"}
    assert checks == {1: Status.FAIL, 2: Status.PASS}  # each turn graded on its own tree
    assert summary.changed == 2  # the recorded verdicts were swapped on purpose


def test_an_unreadable_artifact_is_a_skip_not_a_crash(ledger, make_grade, tmp_path):
    run_id, eid = _invented_episode(ledger, make_grade, tmp_path)
    (task_ref,) = ledger.artifacts(eid, kind="task")
    ledger.artifact_path(task_ref).write_bytes(b"not a tarball")
    summary = regrade_run(ledger, run_id, catalog_dir=tmp_path)
    assert summary.regraded == 0
    assert len(summary.skipped) == 1 and summary.skipped[0].startswith(f"{eid}: ")


def test_a_turn_that_failed_on_infrastructure_is_never_regraded(ledger, make_grade, tmp_path):
    run_id, eid = _invented_episode(ledger, make_grade, tmp_path)
    ledger.record_turn(TurnRecord(episode_id=eid, turn=3, infra_error="no fleet node answered"))
    ledger.store_artifact(eid, _greet_tree(tmp_path / "final", "Hello"), "tree")  # final tree
    summary = regrade_run(ledger, run_id, catalog_dir=tmp_path)
    assert summary.regraded == 2
    assert summary.skipped == [f"{eid} turn 3: infrastructure failure"]
    assert {s.turn for s in ledger.grade_sets(eid)} == {1, 2}
