"""The runner shells a contract-2 swarm; the collector turns what it left into evidence."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

from gym import runner
from gym.collector._evidence import collect, existing_event_logs, parse_report, produced_tree
from gym.collector._infra import infra_problem
from gym.episode._grading import grade_turn
from gym.runner import SwarmCall, run_swarm, swarm_argv
from verifier import load_task

FAKE = Path(__file__).with_name("fake_swarm.py")


def _call(tmp_path: Path, timeout_s: float = 30) -> SwarmCall:
    spec = tmp_path / "spec.md"
    spec.write_text("say hello\n\nPROJECT SPEC:\nA greeting CLI.")
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return SwarmCall(
        spec_file=spec,
        workdir=work,
        fleet="sim:competent",
        knobs=("a.b=1",),
        timeout_s=timeout_s,
        swarm_cmd=f"{sys.executable} {FAKE}",
    )


def test_argv_follows_contract_two(tmp_path: Path) -> None:
    argv = swarm_argv(_call(tmp_path))
    assert argv[2:4] == ["run", "--spec"]
    assert argv[argv.index("--output-format") + 1] == "json"
    assert argv[argv.index("--knob") + 1] == "a.b=1"
    default = swarm_argv(SwarmCall(spec_file=Path("s"), workdir=Path("w"), fleet="f"))
    assert default[:3] == [sys.executable, "-m", "swarm"]


async def test_successful_run_yields_report_tree_and_counts(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    call = _call(tmp_path)
    before = existing_event_logs(call.workdir)
    run = await run_swarm(call)
    evidence = collect(run, call.workdir, since_events=before)
    assert run.exit_code == 0 and evidence.report_source == "stdout"
    assert evidence.status == "done"
    assert set(evidence.tree) == {"greet/__init__.py", "greet/__main__.py"}
    assert evidence.tool_calls == 1 and evidence.files_written == 1
    assert evidence.completion_tokens == 20
    assert evidence.events_path is not None and evidence.event_count >= 5
    assert infra_problem(evidence) is None


async def test_missing_report_is_rebuilt_from_the_event_log(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "noreport")
    call = _call(tmp_path)
    evidence = collect(await run_swarm(call), call.workdir)
    assert evidence.run.exit_code == 1
    assert evidence.report_source == "events"
    assert evidence.report["status"] == "interrupted"  # no run_finished event was written
    (task,) = evidence.report["tasks"]
    assert task["status"] == "done" and task["files_written"] == ["greet/__main__.py"]


async def test_timeout_kills_the_whole_process_group(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "sleep")
    monkeypatch.setattr(runner, "TIMEOUT_SLACK_S", 0.0)
    monkeypatch.setattr(runner, "KILL_GRACE_S", 0.5)
    call = _call(tmp_path, timeout_s=1.0)
    pid_file = tmp_path / "swarm.pid"
    started = time.monotonic()
    task = asyncio.create_task(run_swarm(call, pid_file=pid_file))
    await asyncio.sleep(0.5)
    pgid = int(pid_file.read_text())
    run = await task
    assert run.timed_out and time.monotonic() - started < 10
    assert _running_in_group(pgid) == []  # the sleeping grandchild died with its group
    evidence = collect(run, call.workdir)
    assert evidence.report_source == "events" and evidence.tool_calls == 1
    assert not pid_file.exists()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("badconfig", "unknown knob"), ("crash", None), ("importerror", "died before starting")],
)
async def test_only_a_swarm_that_never_ran_is_infra(tmp_path, monkeypatch, mode, expected):
    monkeypatch.setenv("FAKE_SWARM_MODE", mode)
    call = _call(tmp_path)
    evidence = collect(await run_swarm(call), call.workdir)
    problem = infra_problem(evidence)
    if expected is None:  # it started, then crashed: a swarm bug, the swarm's own outcome
        assert problem is None and evidence.run.exit_code == 1
    else:
        assert problem is not None and expected in problem


def _running_in_group(pgid: int) -> list[int]:
    """Pids of non-zombie processes in the group, read straight from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def test_report_is_found_after_log_lines_on_stdout() -> None:
    assert parse_report('starting\n{"status": "done", "run_id": "x"}\n')["run_id"] == "x"
    assert parse_report("garbage\n{not json") is None


async def test_resume_kills_a_swarm_orphaned_by_a_killed_harness(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "sleep")
    pid_file = tmp_path / "swarm.pid"
    task = asyncio.create_task(run_swarm(_call(tmp_path), pid_file=pid_file))
    # wait for the swarm to start rather than for a fixed time: a loaded machine is slow
    for _ in range(200):
        await asyncio.sleep(0.05)
        if pid_file.exists() and pid_file.read_text().strip():
            break
    pgid = int(pid_file.read_text())
    assert _running_in_group(pgid)
    runner.kill_orphan(pid_file)  # what --resume does with a pid file left behind
    run = await asyncio.wait_for(task, 10)
    assert run.exit_code == -9 and not pid_file.exists()
    assert _running_in_group(pgid) == []


def test_a_reused_pid_is_not_killed(tmp_path) -> None:
    pid_file = tmp_path / "swarm.pid"
    pid_file.write_text(str(os.getpid()))  # this pytest process is not a swarm run
    runner.kill_orphan(pid_file)
    assert not pid_file.exists()  # still alive to assert it


async def test_earlier_files_are_not_this_turns_litter(tmp_path, monkeypatch, greet_catalog):
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    monkeypatch.setenv("FAKE_SWARM_LITTER", "helper.py")  # written, owned by no task
    call = _call(tmp_path)
    (call.workdir / "README.md").write_text("from an earlier turn\n")
    existing = set(produced_tree(call.workdir))
    evidence = collect(await run_swarm(call), call.workdir)
    assert evidence.planned == {"greet/__init__.py", "greet/__main__.py"}
    graded = await grade_turn(
        call.workdir,
        load_task(greet_catalog / "greet"),
        1,
        evidence,
        judge_url=None,
        existing=existing,
    )
    litter = {
        f.file
        for f in graded.grade.dimensions["diagnostics"].findings
        if f.code == "scratch_litter"
    }
    assert litter == {"helper.py"}
