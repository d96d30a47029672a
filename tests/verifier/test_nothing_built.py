"""A tree where nothing was built never passes a dimension on emptiness: it is inconclusive."""

from __future__ import annotations

from pathlib import Path

from brain import transport_for
from verifier import Status, Verdict, grade_workdir

UNBUILT = ("diagnostics", "cluster", "requirements", "code_quality", "bugs")


def _empty_report() -> dict:
    per_device = {"a": {"dispatched": 1, "tool_calls": 0, "retries": 0, "busy_ms": 10}}
    tasks = [{"task_id": "core", "status": "failed", "tool_calls": 0, "files_written": []}]
    return {
        "run_id": "r",
        "status": "failed",
        "done": 0,
        "failed": 1,
        "tasks": tasks,
        "per_device": per_device,
        "elapsed_ms": 100.0,
    }


def test_an_empty_tree_is_inconclusive_on_every_dimension_it_cannot_show(
    tmp_path: Path, greet_task
) -> None:
    work = tmp_path / "work"
    (work / ".swarm").mkdir(parents=True)
    (work / ".swarm" / "run-r.jsonl").write_text("")  # harness state is not the model's work
    judge = transport_for("sim:competent?seed=0&time_scale=0")

    grade = grade_workdir(work, greet_task, report=_empty_report(), judge=judge)

    assert grade.verdict is Verdict.FAIL and grade.dimensions["checks"].status is Status.FAIL
    for name in UNBUILT:
        dimension = grade.dimensions[name]
        assert dimension.status is Status.INCONCLUSIVE, name
        assert [f.code for f in dimension.findings] == ["nothing_built"], name


def test_a_tree_with_one_written_file_is_graded_as_usual(tmp_path: Path, greet_task) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.py").write_text("x = 1\n")

    grade = grade_workdir(work, greet_task, report=_empty_report())

    assert all(f.code != "nothing_built" for d in grade.dimensions.values() for f in d.findings)


def test_a_run_that_never_reached_a_model_is_infrastructure_not_a_red_swarm(
    tmp_path: Path, greet_task
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    report = {**_empty_report(), "reason": "PlanningFailed: no model answered"}
    report["infra_reason"] = report["reason"]

    grade = grade_workdir(work, greet_task, report=report)

    swarm = grade.dimensions["swarm"]
    assert swarm.status is Status.INCONCLUSIVE
    assert [f.code for f in swarm.findings] == ["infrastructure"]
    assert "no model answered" in swarm.findings[0].message


def test_a_fallback_plan_is_named_in_the_swarm_grade(tmp_path: Path, greet_task) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.py").write_text("x = 1\n")
    report = {**_empty_report(), "plan_fallback": True, "reason": "scheduler ended failed"}

    grade = grade_workdir(work, greet_task, report=report)

    codes = [f.code for f in grade.dimensions["swarm"].findings]
    assert "plan_fallback" in codes and "swarm_failed" in codes
    assert "scheduler ended failed" in grade.dimensions["swarm"].findings[0].message


def test_only_the_unchanged_seed_is_nothing_built_and_a_changed_seed_file_is_built(
    tmp_path: Path,
) -> None:
    import shutil

    from gym.catalog import CATALOG_DIR
    from verifier import load_task
    from verifier._built import anything_built

    task = load_task(CATALOG_DIR / "bank-fixes")
    assert task.seed_dir is not None
    work = Path(shutil.copytree(task.seed_dir, tmp_path / "work"))
    (work / "link.py").symlink_to(work / "nowhere.py")  # a link is never the run's work

    assert not anything_built(work, task)
    changed = next(p for p in sorted(work.rglob("*.py")) if not p.is_symlink())
    changed.write_text(changed.read_text() + "\n# edited\n")
    assert anything_built(work, task)
