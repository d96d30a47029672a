"""`swarm run` at its edges: bad input exits 2 with one line; SIGTERM exits 130 honestly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from swarmrun_support import COMPETENT3, read_log
from typer.testing import CliRunner

from swarm.pipeline.cli import app


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin)


def assert_one_line_exit_2(result) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("swarm: "), result.stderr
    assert "Traceback" not in result.output


def test_empty_spec_is_bad_input(tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    spec.write_text("  \n")
    result = invoke(
        "run", "--spec", str(spec), "--workdir", str(tmp_path / "w"), "--fleet", COMPETENT3
    )
    assert_one_line_exit_2(result)
    assert "empty" in result.stderr


def test_empty_spec_on_stdin_is_bad_input(tmp_path: Path) -> None:
    result = invoke(
        "run", "--spec", "-", "--workdir", str(tmp_path / "w"), "--fleet", COMPETENT3, stdin=""
    )
    assert_one_line_exit_2(result)


def test_unreadable_spec_is_bad_input(tmp_path: Path) -> None:
    result = invoke(
        "run",
        "--spec",
        str(tmp_path / "missing.md"),
        "--workdir",
        str(tmp_path / "w"),
        "--fleet",
        COMPETENT3,
    )
    assert_one_line_exit_2(result)
    assert "cannot read spec" in result.stderr


def test_workdir_that_is_a_file_is_bad_input(tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    spec.write_text("Build a thing.")
    afile = tmp_path / "afile"
    afile.write_text("x")
    result = invoke("run", "--spec", str(spec), "--workdir", str(afile), "--fleet", COMPETENT3)
    assert_one_line_exit_2(result)
    assert "is a file" in result.stderr


def test_unreachable_fleet_fails_the_probe_with_exit_2(tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    spec.write_text("Build a thing.")
    result = invoke(
        "run",
        "--spec",
        str(spec),
        "--workdir",
        str(tmp_path / "w"),
        "--fleet",
        "http://127.0.0.1:9/v1?model=m",
        "--knob",
        "run.probe_timeout_s=5",
    )
    assert_one_line_exit_2(result)
    assert "no node of the fleet answered" in result.stderr


def test_unknown_knob_is_bad_input(tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    spec.write_text("Build a thing.")
    result = invoke(
        "run",
        "--spec",
        str(spec),
        "--workdir",
        str(tmp_path / "w"),
        "--fleet",
        COMPETENT3,
        "--knob",
        "worker.nope=1",
    )
    assert_one_line_exit_2(result)


@pytest.mark.slow
def test_sigterm_writes_run_finished_interrupted_and_exits_130(tmp_path: Path) -> None:
    from swarmrun_support import PRIMARY, catalog_task

    spec = tmp_path / "spec.md"
    spec.write_text(catalog_task(PRIMARY).spec)
    work = tmp_path / "work"
    # time_scale=0.1: modelled latency keeps the run busy for seconds, so it is mid-task
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "swarm",
            "run",
            "--spec",
            str(spec),
            "--workdir",
            str(work),
            "--fleet",
            "sim:competent?time_scale=0.1",
            "--output-format",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        logs = list((work / ".swarm").glob("run-*.jsonl")) if (work / ".swarm").exists() else []
        if logs and "task_dispatched" in logs[0].read_text():
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert json.loads(out)["status"] == "interrupted"
    finished = [e for e in read_log(work) if e["event"] == "run_finished"]
    assert len(finished) == 1 and finished[0]["status"] == "interrupted"


def test_timeout_ends_the_run_failed_with_the_reason_logged(tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    spec.write_text("Build a thing run as python -m thing.")
    work = tmp_path / "w"
    result = invoke(
        "run",
        "--spec",
        str(spec),
        "--workdir",
        str(work),
        "--fleet",
        "sim:competent?time_scale=1",
        "--timeout-s",
        "0.3",
        "--output-format",
        "json",
    )
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["status"] == "failed"
    finished = [e for e in read_log(work) if e["event"] == "run_finished"]
    assert finished[0]["status"] == "failed" and "timeout" in finished[0]["reason"]


def test_report_is_rebuilt_from_the_event_log(tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    from swarmrun_support import PRIMARY, catalog_task

    spec.write_text(catalog_task(PRIMARY).spec)
    work = tmp_path / "w"
    live = invoke(
        "run",
        "--spec",
        str(spec),
        "--workdir",
        str(work),
        "--fleet",
        COMPETENT3,
        "--output-format",
        "json",
        "--knob",
        "gates.smoke=false",
        "--log-file",
        str(tmp_path / "run.log"),
    )
    log = sorted((work / ".swarm").glob("run-*.jsonl"))[-1]
    rebuilt = invoke("report", "--from-events", str(log))
    assert rebuilt.exit_code == 0
    live_report, replayed = json.loads(live.stdout), json.loads(rebuilt.stdout)
    assert replayed["status"] == live_report["status"] == "done"
    assert [t["task_id"] for t in replayed["tasks"]] == [t["task_id"] for t in live_report["tasks"]]
    assert "plan_loaded" in (tmp_path / "run.log").read_text()


def test_knob_file_values_are_used_and_recorded_with_cli_knobs_winning(tmp_path: Path) -> None:
    from swarmrun_support import PRIMARY, catalog_task

    spec = tmp_path / "spec.md"
    spec.write_text(catalog_task(PRIMARY).spec)
    knob_file = tmp_path / "knobs.toml"
    knob_file.write_text(
        '[knobs]\n"worker.turn_cap" = 12\n"gates.smoke" = false\n"planner.detail" = true\n'
    )
    result = invoke(
        "run",
        "--spec",
        str(spec),
        "--workdir",
        str(tmp_path / "w"),
        "--fleet",
        COMPETENT3,
        "--knob-file",
        str(knob_file),
        "--knob",
        "planner.detail=false",
        "--output-format",
        "json",
    )
    knobs = json.loads(result.stdout)["knobs"]
    assert result.exit_code == 0
    assert knobs["worker.turn_cap"] == 12 and knobs["gates.smoke"] is False
    assert knobs["planner.detail"] is False
