"""`swarm run` end to end on the simulator: catalog apps built, graded by their own checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from swarmrun_support import COMPETENT3, PRIMARY, catalog_task, heavy_spec_tasks, read_log
from typer.testing import CliRunner

from swarm.pipeline.cli import app
from verifier import Status, Task, grade_workdir, sandbox

FAST = ["--knob", "gates.smoke=false"]  # the smoke gate's pytest runs take seconds


def swarm_run(spec: Path, workdir: Path, fleet: str, *extra: str):
    args = [
        "run",
        "--spec",
        str(spec),
        "--workdir",
        str(workdir),
        "--fleet",
        fleet,
        "--output-format",
        "json",
        *extra,
    ]
    return CliRunner().invoke(app, args)


def spec_file(tmp_path: Path, task: Task, stage: int = 1) -> Path:
    path = tmp_path / "spec.md"
    path.write_text(task.spec_for_stage(stage))
    return path


def visible_command_checks(task: Task):
    return [c for c in task.checks_for_stage(1) if c.kind.value == "command" and not c.hidden]


def test_competent_fleet_builds_a_heavy_spec_app_whose_command_checks_pass(tmp_path: Path):
    task = catalog_task(PRIMARY)
    work = tmp_path / "work"
    result = swarm_run(spec_file(tmp_path, task), work, COMPETENT3, *FAST)
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert report["status"] == "done" and report["failed"] == 0
    assert {t["task_id"] for t in report["tasks"]} >= {"integrate-verify"}
    assert report["knobs"]["worker.turn_cap"] == 40 and report["knobs"]["gates.smoke"] is False
    check = next(c for c in visible_command_checks(task) if c.expect_stdout is not None)
    ran = sandbox.run(check.cmd, workdir=work, stdin=check.stdin, timeout_s=30)
    assert ran.exit_code == check.expect_exit, ran.stderr
    events = [e["event"] for e in read_log(work)]
    for name in (
        "run_started",
        "plan_loaded",
        "contract_frozen",
        "task_dispatched",
        "tool_call",
        "file_written",
        "task_completed",
        "run_finished",
    ):
        assert name in events


@pytest.mark.slow
@pytest.mark.parametrize("task_id", heavy_spec_tasks())
def test_every_heavy_spec_task_builds_and_grades_green_on_checks(tmp_path: Path, task_id: str):
    task = catalog_task(task_id)
    work = tmp_path / "work"
    result = swarm_run(spec_file(tmp_path, task), work, COMPETENT3)
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert report["gates"]["smoke"]["status"] == "pass"
    logs = sorted((work / ".swarm").glob("run-*.jsonl"))
    grade = grade_workdir(work, task, report=report, events_path=logs[-1])
    checks = grade.dimensions["checks"]
    assert checks.status is Status.PASS, [f.message for f in checks.findings]


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*.py"))
        if ".swarm" not in p.parts and "__pycache__" not in p.parts
    }


@pytest.mark.slow
def test_same_pipeline_runs_over_http_and_in_process_with_identical_results(tmp_path: Path):
    from brain.sim import SimServer

    task = catalog_task(PRIMARY)
    spec = spec_file(tmp_path, task)
    local = swarm_run(spec, tmp_path / "local", COMPETENT3, *FAST)
    with SimServer(profile="competent", time_scale=0.0) as server:
        fleet = ",".join(f"{server.base_url}/v1?name=http{i}" for i in range(3))
        remote = swarm_run(spec, tmp_path / "http", fleet, *FAST)
    assert local.exit_code == remote.exit_code == 0, remote.output
    report = json.loads(remote.stdout)
    assert {t["device"] for t in report["tasks"]} <= {"http0", "http1", "http2"}
    assert _tree(tmp_path / "http") == _tree(tmp_path / "local") != {}


def _retries(events: list[dict]) -> list[dict]:
    return [e for e in events if e["event"] == "task_retry"]


@pytest.mark.parametrize(
    ("profile", "note"),
    [
        ("fake-done", "your very first action must be to write each of these files"),
        ("narrator", "you answered in prose instead of calling tools"),
    ],
)
def test_misbehaving_node_run_finishes_with_retries_noted_and_an_honest_report(
    tmp_path: Path, profile: str, note: str
):
    task = catalog_task(PRIMARY)
    work = tmp_path / "work"
    # Profiles draw per attempt, so at 0.3 some attempts misbehave and some build; the run
    # may finish (the defences won) or fail (a task misbehaved until the engine gave up):
    # either way the report must say exactly what happened. One two-slot node, so every
    # task's draws are the same whatever the timing (with a second, competent node, which
    # tasks met the profile depended on placement); seed 5 misbehaves at least once.
    fleet = f"sim:{profile}:0.3?time_scale=0&seed=5&weight=2"
    result = swarm_run(spec_file(tmp_path, task), work, fleet, *FAST)
    report = json.loads(result.stdout)
    assert result.exit_code == {"done": 0, "failed": 1}[report["status"]], result.output
    retries = _retries(read_log(work))
    assert retries and any(note in r["note"] for r in retries), [r["note"][:80] for r in retries]
    retried = {r["task_id"] for r in retries}
    needing = {t["task_id"] for t in report["tasks"] if t["attempts"] > 1}
    assert needing == retried
    for entry in report["tasks"]:
        if entry["task_id"] in retried - {"integrate-verify"}:  # the sink has its own notes
            first = entry["attempt_history"][0]
            assert first["outcome"] == "content" and note in first["error"]
    if report["status"] == "failed":  # the defence lost: the failed task says why
        failed = [t for t in report["tasks"] if t["status"] == "failed"]
        assert failed and report["reason"]
        assert all(t["error"] for t in failed), failed  # each says why (its own or a cascade)


def _drift_run(tmp_path: Path, contracts: bool):
    task = catalog_task(PRIMARY)
    work = tmp_path / f"contracts-{contracts}"
    result = swarm_run(
        spec_file(tmp_path, task),
        work,
        "sim:drifter?time_scale=0",
        "--knob",
        f"contracts.enabled={str(contracts).lower()}",
        "--knob",
        "gates.repair=false",
    )
    checks = visible_command_checks(task)
    passed = [
        sandbox.run(c.cmd, workdir=work, stdin=c.stdin, timeout_s=30).exit_code == c.expect_exit
        for c in checks
    ]
    return result, passed


@pytest.mark.slow
def test_drifter_breaks_the_app_without_contracts_and_not_with_them(tmp_path: Path):
    off, passed_off = _drift_run(tmp_path, contracts=False)
    on, passed_on = _drift_run(tmp_path, contracts=True)
    assert off.exit_code == 1 and json.loads(off.stdout)["gates"]["smoke"]["status"] == "fail"
    assert not all(passed_off)
    assert on.exit_code == 0 and all(passed_on)


@pytest.mark.slow
def test_stubber_stubs_are_found_by_the_gates_and_repaired_into_a_working_app(tmp_path: Path):
    task = catalog_task(PRIMARY)
    work = tmp_path / "work"
    fleet = "sim:stubber?time_scale=0,sim:competent?time_scale=0"
    result = swarm_run(spec_file(tmp_path, task), work, fleet)
    report = json.loads(result.stdout)
    events = read_log(work)
    first_review = next(e for e in events if e["event"] == "review")
    # before: the reviewer saw the stubs the stubber wrote
    assert first_review["status"] == "fail"
    assert any("not_implemented" in f or "stub_body" in f for f in first_review["findings"])
    # after: one repair round, then green gates and a passing app
    assert report["gates"]["review"]["before"] == "fail"
    assert report["gates"]["review"]["status"] == "pass" and report["gates"]["review"]["repairs"]
    assert result.exit_code == 0 and report["status"] == "done"
    for check in visible_command_checks(task):
        ran = sandbox.run(check.cmd, workdir=work, stdin=check.stdin, timeout_s=30)
        assert ran.exit_code == check.expect_exit, (check.name, ran.stderr)


@pytest.mark.slow
def test_a_slow_but_working_node_is_not_killed_into_a_failed_run(tmp_path: Path):
    task = catalog_task(PRIMARY)
    work = tmp_path / "work"
    # the judge looks every 50 ms; the slow node answers at a fifth of modelled speed
    result = swarm_run(
        spec_file(tmp_path, task),
        work,
        "sim:slow?time_scale=0.01",
        "--knob",
        "scheduler.tick_s=0.05",
        *FAST,
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["status"] == "done", result.output
    restarts = [
        e for e in read_log(work) if e["event"] == "judge_verdict" and e["action"] != "none"
    ]
    assert restarts == [] and all(t["attempts"] == 1 for t in report["tasks"])


def test_low_confidence_asks_and_passes_answers_verbatim_to_every_worker(tmp_path: Path):
    from brain import register_scheme
    from brain.sim import SimTransport

    seen: list[str] = []

    class Recording(SimTransport):
        async def chat(self, request):
            if any(t.name == "write_file" for t in request.tools):
                seen.append(request.messages[1].content)
            return await super().chat(request)

    register_scheme(
        "recsim", lambda url, **o: Recording.from_url(url.replace("recsim:", "sim:"), **o)
    )
    task = catalog_task(PRIMARY)
    work = tmp_path / "work"
    (work / ".swarm").mkdir(parents=True)
    answer = "Keep every number with exactly 2 decimals, as the spec says."
    (work / ".swarm" / "clarify-answers.json").write_text(json.dumps([answer]))
    result = swarm_run(
        spec_file(tmp_path, task),
        work,
        "recsim:competent?time_scale=0",
        "--knob",
        "planner.confidence_floor=1.0",
        "--knob",
        "planner.clarify_timeout_s=5",
        *FAST,
    )
    assert result.exit_code == 0, result.output
    asked = [e for e in read_log(work) if e["event"] == "low_confidence_ask"]
    assert len(asked) == 1 and asked[0]["plan_confidence"] < 1.0
    assert (work / ".swarm" / "clarify-questions.json").is_file()
    assert seen and all(f"USER CLARIFICATIONS:\n- {answer}" in prompt for prompt in seen)
