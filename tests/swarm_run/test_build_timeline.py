"""Issue 18 in the pipeline: phase markers, per-call events, `swarm timeline`, the overlap cut."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from swarmrun_support import COMPETENT3, PRIMARY, Recorder, catalog_task, read_log, scripted
from typer.testing import CliRunner

from brain import ChatRequest, ChatResponse, Message, Role, TransientError, Usage
from brain.sim import Fault, FaultKind
from swarm.pipeline._fleet_io import MeteredTransport, UsageMeter
from swarm.pipeline._overlap import overlap_tasks, write_stubs
from swarm.pipeline.cli import app
from swarm.protocols import Subtask
from verifier import sandbox


def _run(tmp_path: Path, *knobs: str):
    task = catalog_task(PRIMARY)
    spec = tmp_path / "spec.md"
    spec.write_text(task.spec_for_stage(1))
    work = tmp_path / "work"
    args = [
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
    ]
    for knob in knobs:
        args += ["--knob", knob]
    return task, work, CliRunner().invoke(app, args)


def test_a_run_logs_its_phases_and_calls_and_swarm_timeline_json_parses(tmp_path: Path) -> None:
    _, work, result = _run(tmp_path)
    assert result.exit_code == 0, result.output
    events = read_log(work)
    started = [e["phase"] for e in events if e["event"] == "phase_started"]
    assert {"plan", "detail", "contracts", "build", "gates"} <= set(started)
    calls = [e for e in events if e["event"] == "model_call"]
    pool = {p["name"] for p in events[0]["pool"]}
    assert calls and {c["node"] for c in calls} <= pool
    assert all(c["prompt_tokens"] > 0 and c["elapsed_ms"] >= 0 for c in calls)
    shown = CliRunner().invoke(app, ["timeline", str(work), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert set(data["devices"]) == pool
    assert {"plan", "build", "sink", "gates"} <= {p["name"] for p in data["phases"]}
    assert data["figures"]["model_calls"] == len(calls)
    assert any(a["task_id"] == "integrate-verify" for a in data["attempts"])
    text = CliRunner().invoke(app, ["timeline", str(work)])
    assert text.exit_code == 0 and "busy share during build" in text.stdout


def test_swarm_timeline_of_a_folder_without_a_log_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["timeline", str(tmp_path)])
    assert result.exit_code == 2
    assert "no run event log" in result.output and "Traceback" not in result.output
    (tmp_path / ".swarm").mkdir()
    (tmp_path / ".swarm" / "run-x.jsonl").write_text('{"event": "run_started", "ts": "nope"}\n')
    bad = CliRunner().invoke(app, ["timeline", str(tmp_path)])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1


def test_the_overlap_cut_builds_a_correct_app_with_dependants_beside_their_deps(
    tmp_path: Path,
) -> None:
    task, work, result = _run(tmp_path, "build.frozen_overlap=true")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "done"
    events = read_log(work)
    overlap = next(e for e in events if e["event"] == "build_overlap")
    assert overlap["edges_dropped"] > 0 and overlap["stubs_written"]
    loaded = next(e for e in events if e["event"] == "plan_loaded")
    sink = next(t for t in loaded["tasks"] if t["id"] == "integrate-verify")
    assert len(sink["deps"]) == len(loaded["tasks"]) - 1  # the sink still waits for all
    check = next(
        c
        for c in task.checks_for_stage(1)
        if c.kind.value == "command" and not c.hidden and c.expect_stdout is not None
    )
    ran = sandbox.run(check.cmd, workdir=work, stdin=check.stdin, timeout_s=30)
    assert ran.exit_code == check.expect_exit, ran.stderr


def _task(tid: str, files: tuple[str, ...], deps: tuple[str, ...] = ()) -> Subtask:
    return Subtask(id=tid, description=tid, owned_files=files, deps=deps)


def test_overlap_drops_only_edges_to_fully_frozen_modules() -> None:
    tasks = [
        _task("core", ("app/core.py",)),
        _task("data", ("app/data.py", "app/table.json")),
        _task("cli", ("app/cli.py",), ("core", "data")),
        _task("tests", ("tests/test_core.py",), ("core", "cli")),
        _task("integrate-verify", (), ("core", "data", "cli", "tests")),
    ]
    stubs = {"app/core.py": "def f(): ...\n", "app/data.py": "", "app/cli.py": "def main(): ...\n"}
    out = {t.id: t.deps for t in overlap_tasks(tasks, stubs)}
    assert out["cli"] == ("data",)  # data also owns a JSON file nobody froze
    assert out["tests"] == ()
    assert out["integrate-verify"] == ("core", "data", "cli", "tests")
    assert overlap_tasks(tasks, {}) == tasks


def test_stubs_are_written_only_for_owned_new_files_inside_the_workdir(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "old.py").write_text("REAL = 1\n")
    tasks = [_task("a", ("app/new.py", "app/old.py", "../escape.py"))]
    stubs = {
        "app/new.py": "def f(): ...\n",
        "app/old.py": "def g(): ...\n",
        "../escape.py": "x = 1\n",
        "app/unowned.py": "y = 2\n",
    }
    assert write_stubs(tmp_path, tasks, stubs) == ["app/new.py"]
    assert (tmp_path / "app" / "old.py").read_text() == "REAL = 1\n"
    assert not (tmp_path.parent / "escape.py").exists()
    assert not (tmp_path / "app" / "unowned.py").exists()


def test_a_metered_call_emits_model_call_with_node_latency_and_tokens() -> None:
    answer = ChatResponse(text="ok", usage=Usage(prompt_tokens=7, completion_tokens=3))
    inner = scripted([answer, Fault(FaultKind.HTTP_ERROR, 503, "unloaded")])
    calls = Recorder()
    metered = MeteredTransport(inner, UsageMeter(), calls=calls, node="n1")
    request = ChatRequest(messages=[Message(role=Role.USER, content="hi")])
    asyncio.run(metered.chat(request))
    try:
        asyncio.run(metered.chat(request))
    except TransientError:
        pass
    first, failed = calls.named("model_call")
    assert (first["node"], first["prompt_tokens"], first["completion_tokens"]) == ("n1", 7, 3)
    assert first["ok"] is True and first["elapsed_ms"] >= 0
    assert failed["ok"] is False and failed["prompt_tokens"] == 0
    silent = MeteredTransport(scripted([answer]), UsageMeter())
    asyncio.run(silent.chat(request))  # no sink: nothing to emit, nothing breaks
