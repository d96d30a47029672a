"""The LLM in-flight judge and idle-node pre-review, pinned with scripted transports.

The scheduler runs on the virtual clock with a fake dispatcher whose attempts take a fixed
(virtual) time; the judge's and reviewer's model is a scripted transport, so every verdict,
confidence and finding is the test's choice, never the simulator's.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from brain import ChatRequest, ChatResponse
from swarm import Assignment, Device, DispatchResult, EventLog, Knobs, Scheduler, load_plan
from swarm.pipeline.gates import GateRunner
from swarm.pipeline.review import (
    LlmJudge,
    LlmJudgeSettings,
    PreReviewer,
    ReviewSideWork,
    build_side_work,
)
from swarm.pipeline.worker import WorkerContext
from swarm.virtual_clock import run_virtual

SINK = "integrate-verify"


class ScriptedModel:
    """A transport answering structured asks from ``answer(request)``; records when it was
    asked (virtual time) and by which prompt. Pure asyncio, so the virtual clock holds."""

    def __init__(self, answer: Callable[[ChatRequest], dict[str, Any]], latency_s: float = 1.0):
        self.url, self.model = "scripted:", "scripted"
        self.answer, self.latency_s = answer, latency_s
        self.asked: list[tuple[float, ChatRequest]] = []

    async def chat(self, request: ChatRequest) -> ChatResponse:
        self.asked.append((asyncio.get_running_loop().time(), request))
        await asyncio.sleep(self.latency_s)
        return ChatResponse(text=json.dumps(self.answer(request)))


def verdict(kind: str, confidence: float) -> Callable[[ChatRequest], dict[str, Any]]:
    return lambda _request: {
        "verdict": kind,
        "confidence": confidence,
        "reason": "scripted",
        "note": "write the file",
    }


class TimedDispatcher:
    """Each attempt of a task takes ``seconds[task]`` virtual seconds, then succeeds."""

    def __init__(
        self, seconds: dict[str, float], on_dispatch: Callable[[Assignment], None] | None = None
    ):
        self.seconds, self.on_dispatch = seconds, on_dispatch or (lambda _a: None)
        self.calls: list[Assignment] = []

    async def dispatch(self, assignment: Assignment, events: Any) -> DispatchResult:
        self.calls.append(assignment)
        self.on_dispatch(assignment)
        await asyncio.sleep(self.seconds.get(assignment.task.id, 1.0))
        return DispatchResult(ok=True)


def devices(*weights: int) -> list[Device]:
    return [
        Device(name=f"d{i}", url=f"sim:d{i}", model="m", weight=w) for i, w in enumerate(weights, 1)
    ]


def judge_with(model: ScriptedModel, names: list[str], tmp_path: Path, **settings: float):
    knobs = {"confidence_bar": 0.85, "cooldown_s": 1000.0, "min_age_s": 10.0, **settings}
    return LlmJudge({n: model for n in names}, "the spec", tmp_path, LlmJudgeSettings(**knobs))


def schedule(dag, fleet, dispatcher, tmp_path, side_work, log: EventLog | None = None):
    log = log or EventLog(None, "t")
    scheduler = Scheduler(
        dag,
        fleet,
        dispatcher,
        events=log,
        knobs=Knobs(),
        judge=False,  # only the side calls under test judge
        workdir=tmp_path,
        side_work=side_work,
    )
    return run_virtual(scheduler.run()), log


def named(log: EventLog, name: str) -> list[dict[str, Any]]:
    assert log.records is not None
    return [r for r in log.records if r["event"] == name]


def one_task_plan():
    return load_plan({"subtasks": [{"id": "a", "owned_files": ["a.py"]}]})


# ------------------------------------------------------------------ the LLM judge


def test_a_below_bar_verdict_only_reports(tmp_path: Path):
    model = ScriptedModel(verdict("over_reading", 0.5))
    dispatcher = TimedDispatcher({"a": 100.0})
    side = ReviewSideWork(judge_with(model, ["d1"], tmp_path), None, poll_s=1.0)
    outcome, log = schedule(one_task_plan(), devices(2), dispatcher, tmp_path, side)

    (seen,) = named(log, "judge_verdict")
    assert seen["deterministic"] is False and seen["verdict"] == "over_reading"
    assert seen["confidence"] == 0.5 and seen["acted"] is False and seen["action"] == "none"
    assert seen["task_id"] == "a" and seen["device"] == "d1" and seen["judge_device"] == "d1"
    assert len(dispatcher.calls) == 1  # no restart
    assert outcome.status.value == "done"


def test_an_at_bar_verdict_restarts_with_the_judges_note(tmp_path: Path):
    model = ScriptedModel(verdict("spec_drift", 0.85))
    dispatcher = TimedDispatcher({"a": 100.0})
    side = ReviewSideWork(judge_with(model, ["d1"], tmp_path), None, poll_s=1.0)
    outcome, log = schedule(one_task_plan(), devices(2), dispatcher, tmp_path, side)

    first = named(log, "judge_verdict")[0]
    assert first["acted"] is True and first["action"] == "restart"
    assert first["verdict"] == "spec_drift" and first["deterministic"] is False
    assert len(dispatcher.calls) >= 2
    note = dispatcher.calls[1].supervisor_note or ""
    assert "LLM judge" in note and "write the file" in note


def test_split_acts_as_a_restart_with_a_stub_first_note(tmp_path: Path):
    model = ScriptedModel(verdict("split", 0.95))
    dispatcher = TimedDispatcher({"a": 100.0})
    side = ReviewSideWork(judge_with(model, ["d1"], tmp_path), None, poll_s=1.0)
    schedule(one_task_plan(), devices(2), dispatcher, tmp_path, side)
    assert "compiling stub" in (dispatcher.calls[1].supervisor_note or "")


def test_the_cooldown_spaces_the_judges_looks_at_one_task(tmp_path: Path):
    model = ScriptedModel(verdict("ok", 0.9))
    dispatcher = TimedDispatcher({"a": 95.0})
    judge = judge_with(model, ["d1"], tmp_path, cooldown_s=30.0)
    schedule(one_task_plan(), devices(2), dispatcher, tmp_path, ReviewSideWork(judge, None, 1.0))

    times = [t for t, _ in model.asked]
    assert len(times) == 3, times  # ~10 s, ~40 s, ~70 s of a 95 s attempt
    assert times[0] >= 10.0
    assert all(later - earlier >= 30.0 for earlier, later in zip(times, times[1:], strict=False))


def test_a_judge_call_waits_for_a_free_slot(tmp_path: Path):
    plan = load_plan(
        {"subtasks": [{"id": "a", "owned_files": ["a.py"]}, {"id": "b", "owned_files": ["b.py"]}]}
    )
    model = ScriptedModel(verdict("ok", 0.9))
    dispatcher = TimedDispatcher({"a": 100.0, "b": 50.0})
    side = ReviewSideWork(judge_with(model, ["d1", "d2"], tmp_path), None, poll_s=1.0)
    _, log = schedule(plan, devices(1, 1), dispatcher, tmp_path, side)

    # Both nodes are busy until b ends at 50 s: the due look at a (10 s) waits for that slot.
    assert model.asked and model.asked[0][0] >= 50.0
    (seen,) = named(log, "judge_verdict")
    assert seen["task_id"] == "a" and seen["judge_device"] == "d2" and seen["device"] == "d1"


def test_a_slot_held_by_a_judge_call_is_not_double_booked(tmp_path: Path):
    plan = load_plan(
        {
            "subtasks": [
                {"id": "a", "owned_files": ["a.py"]},
                {"id": "b", "owned_files": ["b.py"]},
                {"id": "c", "owned_files": ["c.py"], "deps": ["b"]},
            ]
        }
    )
    model = ScriptedModel(verdict("ok", 0.9), latency_s=30.0)
    started: dict[str, float] = {}
    dispatcher = TimedDispatcher(
        {"a": 100.0, "b": 15.0, "c": 5.0},
        on_dispatch=lambda a: started.setdefault(a.task.id, asyncio.get_running_loop().time()),
    )
    side = ReviewSideWork(judge_with(model, ["d1", "d2"], tmp_path), None, poll_s=1.0)
    schedule(plan, devices(1, 1), dispatcher, tmp_path, side)
    # b ends at 15 s and frees d2 while c is ready: the task is placed, not the judge call;
    # the look at a (due since 10 s) waits until c ends at 20 s.
    assert started["c"] == 15.0
    assert model.asked[0][0] >= 20.0


def test_a_judge_call_about_an_ended_attempt_is_dropped_and_frees_its_slot(tmp_path: Path):
    plan = load_plan(
        {
            "subtasks": [
                {"id": "a", "owned_files": ["a.py"]},
                {"id": "b", "owned_files": ["b.py"], "deps": ["a"]},
                {"id": "c", "owned_files": ["c.py"], "deps": ["a"]},
            ]
        }
    )
    model = ScriptedModel(verdict("ok", 0.9), latency_s=100.0)
    started: dict[str, float] = {}
    dispatcher = TimedDispatcher(
        {"a": 20.0, "b": 10.0, "c": 10.0},
        on_dispatch=lambda a: started.setdefault(a.task.id, asyncio.get_running_loop().time()),
    )
    side = ReviewSideWork(judge_with(model, ["d1"], tmp_path), None, poll_s=1.0)
    _, log = schedule(plan, devices(2), dispatcher, tmp_path, side)
    # The look at a (from 10 s, 100 s long) is about an attempt that ended at 20 s: it is
    # cancelled, so b and c both start at 20 s on the node's two slots.
    assert started["b"] == 20.0 and started["c"] == 20.0
    (dropped,) = named(log, "side_call_dropped")
    assert dropped["task_id"] == "a" and dropped["kind"] == "judge"
    assert not named(log, "judge_verdict")


# ------------------------------------------------------------------ pre-review


def test_prereview_findings_are_persisted_and_reach_the_sinks_prompt(tmp_path: Path):
    plan = load_plan(
        {
            "subtasks": [
                {"id": "a", "owned_files": ["a.py"]},
                {"id": "b", "owned_files": ["b.py"]},
                {"id": SINK, "owned_files": [], "deps": ["a", "b"]},
            ]
        }
    )
    (tmp_path / "a.py").write_text("def mean(xs):\n    return sum(xs) / len(xs)\n")
    finding = {"file": "a.py", "line": 2, "severity": "high", "problem": "divides by zero"}
    model = ScriptedModel(lambda _r: {"findings": [finding]})
    log = EventLog(None, "t")
    gates = GateRunner(tmp_path, "the spec", Knobs(), log)
    context = WorkerContext(
        tmp_path, "the spec", tasks=plan.tasks, sink_briefing=gates.sink_briefing
    )
    sink_prompt: list[str] = []

    def capture(assignment: Assignment) -> None:
        if assignment.task.id == SINK:
            sink_prompt.append(context.findings_for(assignment.task))

    reviewer = PreReviewer(
        {"d1": model, "d2": model}, "the spec", tmp_path, plan.tasks, log, gates.sink
    )
    dispatcher = TimedDispatcher({"a": 10.0, "b": 50.0, SINK: 5.0}, on_dispatch=capture)
    schedule(plan, devices(1, 1), dispatcher, tmp_path, ReviewSideWork(None, reviewer, 1.0), log)

    (event,) = [e for e in named(log, "prereview_findings") if e["task_id"] == "a"]
    assert event["findings"] == 1 and event["device"] == "d1"
    stored = json.loads((tmp_path / ".swarm" / "prereview" / "a.json").read_text())
    assert stored["findings"][0]["problem"] == "divides by zero"
    assert "PRE-REVIEW FINDINGS" in sink_prompt[0]
    assert "a: a.py:2 (high) divides by zero" in sink_prompt[0]
    reviewed = [e["task_id"] for e in named(log, "prereview_findings")]
    assert SINK not in reviewed and reviewed.count("a") == 1
    assert "b" not in reviewed  # b ended as the sink started: its findings could not reach it
    # The reviewer read the task's file from disk.
    assert "return sum(xs) / len(xs)" in model.asked[0][1].messages[-1].content


def test_prereview_runs_only_on_an_idle_slot(tmp_path: Path):
    plan = load_plan(
        {
            "subtasks": [
                {"id": "a", "owned_files": ["a.py"]},
                {"id": "b", "owned_files": ["b.py"], "deps": ["a"]},
                {"id": "c", "owned_files": ["c.py"]},
            ]
        }
    )
    model = ScriptedModel(lambda _r: {"findings": []})
    log = EventLog(None, "t")
    reviewer = PreReviewer({"d1": model, "d2": model}, "spec", tmp_path, plan.tasks, log)
    dispatcher = TimedDispatcher({"a": 10.0, "b": 10.0, "c": 30.0})
    schedule(plan, devices(1, 1), dispatcher, tmp_path, ReviewSideWork(None, reviewer, 1.0), log)
    # a ends at 10 s but b is ready and takes d1; the first node idle is d1 at 20 s.
    assert model.asked and model.asked[0][0] == 20.0
    assert [e["task_id"] for e in named(log, "prereview_findings")][:1] == ["a"]


# ------------------------------------------------------------------ knobs


def test_both_knobs_off_build_no_side_work(tmp_path: Path):
    off = Knobs({"judge.llm.enabled": False, "prereview.enabled": False})
    built = build_side_work(
        off, {}, spec="s", workdir=tmp_path, tasks={}, events=EventLog(None, "t")
    )
    assert built is None
    only_judge = build_side_work(
        Knobs({"prereview.enabled": False}),
        {},
        spec="s",
        workdir=tmp_path,
        tasks={},
        events=EventLog(None, "t"),
    )
    assert only_judge is not None and only_judge.prereview is None and only_judge.judge


def test_no_side_work_leaves_the_schedule_unchanged(tmp_path: Path):
    model = ScriptedModel(verdict("spec_drift", 0.99))
    dispatcher = TimedDispatcher({"a": 100.0})
    outcome, log = schedule(one_task_plan(), devices(2), dispatcher, tmp_path, None)
    assert not named(log, "judge_verdict") and not named(log, "prereview_findings")
    assert len(dispatcher.calls) == 1 and not model.asked
    assert outcome.status.value == "done"


# ------------------------------------------------------------ a whole `swarm run`


def _swarm_run(tmp_path: Path, *knobs: str) -> list[dict[str, Any]]:
    from swarmrun_support import COMPETENT3, PRIMARY, catalog_task, read_log
    from typer.testing import CliRunner

    from swarm.pipeline.cli import app

    spec = tmp_path / "spec.md"
    spec.write_text(catalog_task(PRIMARY).spec_for_stage(1))
    args = ["run", "--spec", str(spec), "--workdir", str(tmp_path / "w"), "--fleet", COMPETENT3]
    args += ["--output-format", "json", "--knob", "gates.smoke=false"]
    for knob in knobs:
        args += ["--knob", knob]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return read_log(tmp_path / "w")


def test_a_simulated_swarm_run_shows_both_mechanisms(tmp_path: Path):
    log = _swarm_run(tmp_path, "judge.llm.min_age_s=0")
    llm = [e for e in log if e["event"] == "judge_verdict" and e["deterministic"] is False]
    assert llm and all(
        {"verdict", "confidence", "acted", "task_id", "device"} <= set(e) for e in llm
    )
    reviews = [e for e in log if e["event"] == "prereview_findings"]
    assert reviews and all({"task_id", "device", "findings"} <= set(e) for e in reviews)
    assert (tmp_path / "w" / ".swarm" / "prereview").is_dir()


def test_knobs_off_a_simulated_swarm_run_has_no_review_events(tmp_path: Path):
    log = _swarm_run(
        tmp_path, "judge.llm.min_age_s=0", "judge.llm.enabled=false", "prereview.enabled=false"
    )
    llm = [e for e in log if e["event"] == "judge_verdict" and e["deterministic"] is False]
    assert llm == [] and not [e for e in log if e["event"] == "prereview_findings"]
    assert not (tmp_path / "w" / ".swarm" / "prereview").exists()
