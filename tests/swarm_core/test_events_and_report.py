"""The event log and the report: flushed as it happens, and rebuildable from events alone."""

from __future__ import annotations

import asyncio
import json

import pytest
from swarm_core_fakes import OK, FakeDispatcher, fail, fleet, make_scheduler, plan

from swarm import (
    DispatchResult,
    ErrorClass,
    EventLog,
    ReportError,
    RunStatus,
    TaskStatus,
    UsageReport,
    event_log_path,
    read_events,
    rebuild_report,
)
from swarm.virtual_clock import run_virtual


def test_every_event_is_on_disk_as_soon_as_it_is_emitted(tmp_path):
    log = EventLog.for_run(tmp_path, "r1")
    log.emit("run_started", pool=[{"name": "n1"}])
    lines = event_log_path(tmp_path, "r1").read_text().splitlines()  # file still open
    record = json.loads(lines[0])
    assert {k: record[k] for k in ("seq", "run_id", "event")} == {
        "seq": 1,
        "run_id": "r1",
        "event": "run_started",
    }
    assert record["ts"].endswith("Z")
    log.close()


def test_a_torn_last_line_is_skipped(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text('{"event": "run_started", "seq": 1}\n{"event": "task_disp')
    assert [r["event"] for r in read_events(path)] == ["run_started"]


def test_a_missing_log_is_one_clear_error(tmp_path):
    with pytest.raises(ReportError, match="cannot read event log"):
        rebuild_report(tmp_path / "nope.jsonl")


def _eventful_run(tmp_path):
    """A run with a transient retry, a content retry, a judge restart, a cascade and salvage."""

    async def over_read_then_ok(assignment, events):
        events.emit("tool_call", name="read_file")
        if assignment.attempt == 1:
            for _ in range(20):
                events.emit("tool_call", name="read_file")
            await asyncio.sleep(3600)
        (tmp_path / "b.py").write_text("b = 1\n")
        events.emit("file_written", path="b.py")
        return DispatchResult(ok=True, tool_calls=2, prompt_tokens=7, completion_tokens=3)

    async def loops(assignment, events):
        while True:
            (tmp_path / "c.py").write_text("c = 1\n")
            events.emit("file_written", path="c.py")
            await asyncio.sleep(20)

    script = {
        "a": [fail(ErrorClass.TRANSIENT, "503"), fail(ErrorClass.CONTENT, "bad json"), OK],
        "b": [over_read_then_ok],
        "c": [loops],
        "d": [fail(ErrorClass.FATAL, "unknown model")],
    }
    dag = plan(
        {"id": "a", "owned_files": ["a.py"]},
        {"id": "b", "owned_files": ["b.py"]},
        {"id": "c", "owned_files": ["c.py"]},
        {"id": "d", "owned_files": ["d.py"]},
        {"id": "e", "owned_files": ["e.py"], "deps": ["d"]},
        {"id": "integrate-verify", "deps": ["a", "b", "c", "e"]},
    )
    log = EventLog.for_run(tmp_path, "r-eventful")
    scheduler = make_scheduler(
        dag, fleet(("n1", 2), ("n2", 1, 0.5)), FakeDispatcher(script), workdir=tmp_path, events=log
    )
    outcome = run_virtual(scheduler.run())
    log.close()
    return outcome, log


def test_the_report_rebuilt_from_events_matches_the_live_report(tmp_path):
    outcome, log = _eventful_run(tmp_path)
    live = outcome.report(log.run_id)
    rebuilt = rebuild_report(log.path)
    assert rebuilt.tasks == live.tasks
    assert rebuilt.per_device == live.per_device
    assert (rebuilt.done, rebuilt.failed) == (live.done, live.failed)
    assert rebuilt.usage == live.usage
    # the run really had every kind of attempt the rebuild must replay
    outcomes = {a.outcome for t in live.tasks for a in t.attempt_history}
    assert {"transient", "content", "ok", "judge:over_reading", "salvaged", "fatal"} <= outcomes
    by_id = {t.task_id: t for t in live.tasks}
    assert by_id["c"].status is TaskStatus.SALVAGED and by_id["e"].attempts == 0
    assert by_id["b"].tool_calls == 21 + 2  # live counts (first attempt) + result (second)


def test_a_killed_run_rebuilds_as_interrupted_with_its_finished_tasks(tmp_path):
    outcome, log = _eventful_run(tmp_path)
    lines = log.path.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if '"task_completed"' in line)
    log.path.write_text("\n".join(lines[: cut + 1]) + "\n")
    report = rebuild_report(log.path)
    assert report.status is RunStatus.INTERRUPTED
    assert report.done + report.failed == 1


def test_run_finished_sets_status_gates_usage_and_knobs(tmp_path):
    log = EventLog.for_run(tmp_path, "r2")
    log.emit("run_started", pool=[{"name": "n1"}], knobs={"scheduler.policy": "fanout"})
    log.emit("plan_loaded", tasks=[{"id": "a"}], deps=0, files=[], plan_confidence=0.9)
    log.emit(
        "run_finished",
        status="failed",
        gates={"smoke": {"passed": False}},
        usage={"prompt_tokens": 100, "completion_tokens": 20},
        elapsed_ms=1234.0,
    )
    log.close()
    report = rebuild_report(log.path)
    assert report.status is RunStatus.FAILED and report.status.exit_code == 1
    assert report.gates == {"smoke": {"passed": False}}
    assert report.usage == UsageReport(prompt_tokens=100, completion_tokens=20)
    assert report.knobs == {"scheduler.policy": "fanout"} and report.elapsed_ms == 1234.0
    assert list(report.per_device) == ["n1"]


def test_dispatcher_events_land_in_the_log_stamped_with_the_attempt(tmp_path):
    async def work(assignment, events):
        events.emit("tool_call", name="write_file")
        events.emit("file_written", path="a.py")
        return OK

    log = EventLog.for_run(tmp_path, "r3")
    run_virtual(
        make_scheduler(
            plan({"id": "a", "owned_files": ["a.py"]}),
            fleet(("n1", 1)),
            FakeDispatcher({"a": [work]}),
            events=log,
        ).run()
    )
    log.close()
    records = read_events(log.path)
    names = [r["event"] for r in records]
    assert names == [
        "plan_loaded",
        "task_dispatched",
        "tool_call",
        "file_written",
        "task_completed",
    ]
    written = records[3]
    assert (written["task_id"], written["attempt"], written["epoch"], written["device"]) == (
        "a",
        1,
        1,
        "n1",
    )
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5]


async def test_pause_file_holds_new_dispatches_until_removed(tmp_path):
    pause = tmp_path / ".swarm" / "pause"
    pause.parent.mkdir()
    pause.touch()
    log = EventLog(None, "r")
    fake = FakeDispatcher()
    scheduler = make_scheduler(
        plan("a"),
        fleet(("n1", 1)),
        fake,
        events=log,
        workdir=tmp_path,
        knobs={"scheduler.pause_poll_s": 0.01, "scheduler.heartbeat_s": 0.01},
    )
    running = asyncio.create_task(scheduler.run())
    await asyncio.sleep(0.1)
    assert fake.calls == []
    assert (tmp_path / ".swarm" / "heartbeat").exists()  # alive while paused
    pause.unlink()
    outcome = await asyncio.wait_for(running, 2)
    assert outcome.status is RunStatus.DONE
    assert [r["event"] for r in log.records if r["event"].startswith("run_")] == [
        "run_paused",
        "run_resumed",
    ]


def test_a_stuck_run_rebuilds_as_stuck(tmp_path):
    log = EventLog.for_run(tmp_path, "r-stuck")
    fake = FakeDispatcher({"a": [fail(ErrorClass.TRANSIENT, "connection refused")]})
    outcome = run_virtual(
        make_scheduler(
            plan("a"), fleet(("n1", 1)), fake, events=log, knobs={"fleet.quarantine_after": 1}
        ).run()
    )
    log.close()
    rebuilt = rebuild_report(log.path)
    assert outcome.status is RunStatus.STUCK and rebuilt.status is RunStatus.STUCK
    assert rebuilt.tasks == outcome.report(log.run_id).tasks
