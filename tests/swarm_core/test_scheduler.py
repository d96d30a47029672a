"""The scheduler's named behaviours, pinned against a scripted fake dispatcher."""

from __future__ import annotations

import asyncio

from swarm_core_fakes import OK, FakeDispatcher, events_named, fail, fleet, make_scheduler, plan

from swarm import DispatchResult, ErrorClass, EventLog, RunStatus, TaskStatus
from swarm.virtual_clock import run_virtual


async def test_every_task_runs_exactly_once():
    dag = plan("a", "b", {"id": "c", "deps": ["a"]}, {"id": "d", "deps": ["b", "c"]}, "e")
    fake = FakeDispatcher(delay=0.001)
    outcome = await make_scheduler(dag, fleet(("n1", 2), ("n2", 1)), fake).run()
    assert outcome.status is RunStatus.DONE
    assert sorted(c.task.id for c in fake.calls) == ["a", "b", "c", "d", "e"]
    assert all(t.attempts == 1 and t.status is TaskStatus.DONE for t in outcome.tasks)


async def test_dependent_waits_for_its_dependency():
    seen_at_start = []

    async def b(assignment, events):
        seen_at_start.extend(fake.finished)
        return OK

    dag = plan("a", {"id": "b", "deps": ["a"]})
    fake = FakeDispatcher({"b": [b]}, delay=0.01)
    await make_scheduler(dag, fleet(("n1", 1), ("n2", 1)), fake).run()
    assert seen_at_start == ["a"]  # a had finished when b started, though n2 sat idle


async def test_in_flight_never_exceeds_weight():
    dag = plan(*[f"t{i:02d}" for i in range(20)])
    fake = FakeDispatcher(delay=0.002)
    await make_scheduler(dag, fleet(("big", 3), ("small", 1)), fake).run()
    assert fake.peak["big"] == 3
    assert fake.peak["small"] == 1


async def test_independent_tasks_spread_over_idle_devices():
    dag = plan("a", "b", "c")
    fake = FakeDispatcher(delay=0.01)
    await make_scheduler(dag, fleet(("n1", 1), ("n2", 1), ("n3", 1)), fake).run()
    assert sorted(c.device.name for c in fake.calls) == ["n1", "n2", "n3"]


async def test_preferred_model_breaks_ties_without_concentrating_work():
    dag = plan(*[{"id": f"t{i}", "preferred_model": "qwen"} for i in range(4)])
    fake = FakeDispatcher(delay=0.01)
    devices = fleet(("other", 1, 1.0, "llama"), ("pref", 1, 1.0, "qwen"))
    await make_scheduler(dag, devices, fake).run()
    first = fake.calls[0]
    assert first.device.name == "pref"  # the tie (both idle) goes to the preferred model
    per_device = [c.device.name for c in fake.calls]
    assert per_device.count("pref") == 2 and per_device.count("other") == 2


async def test_file_overlap_serializes():
    dag = plan(
        {"id": "a", "owned_files": ["app/shared.py"]},
        {"id": "b", "owned_files": ["app/shared.py", "app/b.py"]},
    )
    overlaps = []

    async def run(assignment, events):
        overlaps.append(sum(fake.active.values()))
        await asyncio.sleep(0.01)
        return OK

    fake = FakeDispatcher({"a": [run], "b": [run]})
    await make_scheduler(dag, fleet(("n1", 1), ("n2", 1)), fake).run()
    assert overlaps == [1, 1]  # never both running, though two devices were free


async def test_terminal_failure_fails_owning_descendants_and_sink_still_runs():
    dag = plan(
        {"id": "model", "owned_files": ["m.py"]},
        {"id": "api", "owned_files": ["api.py"], "deps": ["model"]},
        {"id": "cli", "owned_files": ["cli.py"], "deps": ["model", "api"]},
        {"id": "integrate-verify", "deps": ["api", "cli"]},
    )
    log = EventLog(None, "r")
    fake = FakeDispatcher({"model": [fail(ErrorClass.FATAL, "401 unauthorized")]})
    outcome = await make_scheduler(dag, fleet(("n1", 1)), fake, events=log).run()
    by_id = {t.task_id: t for t in outcome.tasks}
    assert outcome.status is RunStatus.FAILED
    assert by_id["api"].error == "dependency 'model' failed"
    assert by_id["cli"].error == "dependency 'api' failed"  # the direct parent that died
    failed_events = [
        e["task_id"] for e in events_named(log, "task_completed") if e["status"] == "failed"
    ]
    assert sorted(failed_events) == ["api", "cli", "model"]  # each reported once
    sink = fake.calls_for("integrate-verify")
    assert len(sink) == 1 and sink[0].failed_dependency == "cli"
    assert by_id["integrate-verify"].status is TaskStatus.DONE


async def test_transient_retry_moves_to_another_free_device():
    dag = plan("a")
    fake = FakeDispatcher({"a": [fail(ErrorClass.TRANSIENT, "503"), OK]})
    outcome = await make_scheduler(dag, fleet(("n1", 1), ("n2", 1)), fake).run()
    first, second = fake.devices_of("a")
    assert first != second
    assert outcome.tasks[0].attempt_history[0].outcome == "transient"


def test_transient_retry_reuses_the_only_free_device_rather_than_wait():
    dag = plan("a", "long")

    async def slow(assignment, events):
        await asyncio.sleep(600)
        return OK

    fake = FakeDispatcher({"a": [fail(ErrorClass.TRANSIENT, "503"), OK], "long": [slow]})
    run_virtual(make_scheduler(dag, fleet(("n1", 1), ("n2", 1)), fake).run())
    assert len(set(fake.devices_of("a"))) == 1  # n2 busy with "long": a reuses its device
    assert fake.finished.index("a") < fake.finished.index("long")


async def test_content_retries_carry_the_supervisor_note_and_transient_ones_do_not():
    dag = plan("a", "b")
    fake = FakeDispatcher(
        {
            "a": [fail(ErrorClass.CONTENT, "bad tool arguments: path"), OK],
            "b": [fail(ErrorClass.TRANSIENT, "connection refused"), OK],
        }
    )
    await make_scheduler(dag, fleet(("n1", 1), ("n2", 1)), fake).run()
    assert fake.calls_for("a")[1].supervisor_note == (
        "SUPERVISOR NOTE — your previous attempt was stopped: bad tool arguments: path"
    )
    assert fake.calls_for("a")[0].supervisor_note is None
    assert fake.calls_for("b")[1].supervisor_note is None


async def test_terminal_error_fails_without_retry():
    fake = FakeDispatcher({"a": [fail(ErrorClass.FATAL, "unknown model")]})
    outcome = await make_scheduler(plan("a"), fleet(("n1", 1)), fake).run()
    assert len(fake.calls) == 1 and outcome.status is RunStatus.FAILED


async def test_retries_stop_when_output_stops_changing(tmp_path):
    dag = plan({"id": "a", "owned_files": ["a.py"]})
    writes = iter(["v1", "v2", "v2", "v3"])

    async def write_then_fail(assignment, events):
        (tmp_path / "a.py").write_text(next(writes))
        return fail(ErrorClass.CONTENT, "tests fail")

    fake = FakeDispatcher({"a": [write_then_fail]})
    outcome = await make_scheduler(
        dag, fleet(("n1", 1)), fake, workdir=tmp_path, judge=False, knobs={"retry.max_attempts": 10}
    ).run()
    assert len(fake.calls) == 3  # v1 -> v2 changed (retry), v2 -> v2 unchanged (stop)
    assert outcome.tasks[0].attempt_history[-1].outcome == "no_progress"
    assert outcome.tasks[0].error.startswith("no progress")


async def test_retries_stop_at_the_hard_ceiling():
    fake = FakeDispatcher({"a": [fail(ErrorClass.TRANSIENT, "503")]})
    outcome = await make_scheduler(
        plan("a"),
        fleet(("n1", 1), ("n2", 1)),
        fake,
        knobs={"retry.max_attempts": 3, "fleet.quarantine_after": 0},
    ).run()
    assert len(fake.calls) == 3
    assert outcome.tasks[0].error == "gave up after 3 attempts: 503"


async def test_stuck_is_detected_not_hung():
    log = EventLog(None, "r")
    fake = FakeDispatcher({"a": [fail(ErrorClass.TRANSIENT, "connection refused")]})
    scheduler = make_scheduler(
        plan("a", {"id": "b", "deps": ["a"]}),
        fleet(("n1", 1)),
        fake,
        events=log,
        knobs={"fleet.quarantine_after": 2},
    )
    outcome = await asyncio.wait_for(scheduler.run(), timeout=2)
    assert outcome.status is RunStatus.STUCK and outcome.status.exit_code == 3
    stuck = events_named(log, "scheduler_stuck")
    assert len(stuck) == 1 and stuck[0]["waiting"] == ["a", "b"]


def test_bonus_tasks_fill_idle_slots_and_their_failure_does_not_fail_the_run():
    from swarm import Subtask

    class Replanner:
        def __init__(self):
            self.asked = 0

        async def bonus_tasks(self, idle, done):
            self.asked += 1
            return (
                [Subtask(id="bonus-docs", description="write docs", owned_files=("README.md",))]
                if self.asked == 1
                else []
            )

    async def slow(assignment, events):
        await asyncio.sleep(600)
        return OK

    log = EventLog(None, "r")
    fake = FakeDispatcher({"main": [slow], "bonus-docs": [fail(ErrorClass.FATAL, "nope")]})
    replanner = Replanner()
    outcome = run_virtual(
        make_scheduler(
            plan("main"), fleet(("n1", 1), ("n2", 1)), fake, events=log, replanner=replanner
        ).run()
    )
    by_id = {t.task_id: t for t in outcome.tasks}
    assert by_id["bonus-docs"].bonus and by_id["bonus-docs"].status is TaskStatus.FAILED
    assert fake.devices_of("bonus-docs") == ["n2"]  # the idle device, while main ran
    assert fake.finished.index("bonus-docs") < fake.finished.index("main")
    assert outcome.status is RunStatus.DONE
    assert len(events_named(log, "plan_extended")) == 1


def test_bonus_task_depending_on_a_failed_task_is_rejected():
    from swarm import Subtask

    class Replanner:
        async def bonus_tasks(self, idle, done):
            return [Subtask(id="fix", description="x", deps=("broken",))]

    async def slow(assignment, events):
        await asyncio.sleep(600)
        return OK

    log = EventLog(None, "r")
    fake = FakeDispatcher({"broken": [fail(ErrorClass.FATAL)], "other": [slow]})
    run_virtual(
        make_scheduler(
            plan("broken", "other"),
            fleet(("n1", 1), ("n2", 1)),
            fake,
            events=log,
            replanner=Replanner(),
        ).run()
    )
    rejected = events_named(log, "bonus_rejected")
    assert rejected and "depends on failed task 'broken'" in rejected[0]["error"]
    assert not fake.calls_for("fix")


def test_same_plan_and_fleet_schedule_the_same_way_every_time():
    """Given the same durations (virtual clock), placement is identical run after run."""
    from swarm.virtual_clock import run_virtual

    def layout():
        return plan(*[{"id": f"t{i}", "deps": [f"t{i // 3}"] if i >= 3 else []} for i in range(12)])

    async def timed(assignment, events):
        await asyncio.sleep(1 + int(assignment.task.id[1:]) % 4)
        return OK

    orders = []
    for _ in range(3):
        fake = FakeDispatcher({f"t{i}": [timed] for i in range(12)})
        run_virtual(make_scheduler(layout(), fleet(("n1", 2), ("n2", 1, 0.5)), fake).run())
        orders.append([(c.task.id, c.device.name) for c in fake.calls])
    assert orders[0] == orders[1] == orders[2]
    assert {device for _, device in orders[0]} == {"n1", "n2"}


async def test_critical_path_starts_the_longest_chain_first():
    dag = plan(
        "wide1",
        "wide2",
        "chain1",
        {"id": "chain2", "deps": ["chain1"]},
        {"id": "chain3", "deps": ["chain2"]},
    )
    fake = FakeDispatcher()
    await make_scheduler(
        dag, fleet(("n1", 1)), fake, knobs={"scheduler.policy": "critical_path"}
    ).run()
    assert fake.calls[0].task.id == "chain1"


async def test_fanout_starts_the_most_downstream_tasks_first():
    dag = plan("a", "b", {"id": "c", "deps": ["b"]}, {"id": "d", "deps": ["b"]})
    fake = FakeDispatcher()
    await make_scheduler(dag, fleet(("n1", 1)), fake, knobs={"scheduler.policy": "fanout"}).run()
    assert fake.calls[0].task.id == "b"


async def test_hard_task_goes_to_the_fastest_device():
    dag = plan({"id": "a-hard", "difficulty": "hard"}, {"id": "b-easy"})
    fake = FakeDispatcher(delay=0.01)
    await make_scheduler(
        dag, fleet(("a-slow", 1, 0.5), ("fast", 1, 2.0)), fake, knobs={"scheduler.policy": "fanout"}
    ).run()
    assert fake.devices_of("a-hard") == ["fast"]  # by speed, though a-slow sorts first
    assert fake.devices_of("b-easy") == ["a-slow"]


async def test_interrupt_cancels_running_attempts():
    async def forever(assignment, events):
        await asyncio.sleep(60)
        return OK

    log = EventLog(None, "r")
    scheduler = make_scheduler(
        plan("a"), fleet(("n1", 1)), FakeDispatcher({"a": [forever]}), events=log
    )
    running = asyncio.create_task(scheduler.run())
    await asyncio.sleep(0.02)
    scheduler.interrupt()
    outcome = await asyncio.wait_for(running, 1)
    assert outcome.status is RunStatus.INTERRUPTED
    assert outcome.tasks[0].attempt_history[0].outcome == "interrupted"


async def test_dispatcher_exception_fails_the_task_with_its_message():
    async def crash(assignment, events):
        raise RuntimeError("worker bug")

    outcome = await make_scheduler(
        plan("a"), fleet(("n1", 1)), FakeDispatcher({"a": [crash]})
    ).run()
    assert outcome.tasks[0].status is TaskStatus.FAILED
    assert outcome.tasks[0].attempt_history[0].error == "dispatcher raised RuntimeError: worker bug"


async def test_usage_is_summed_over_attempts():
    fake = FakeDispatcher(
        {
            "a": [
                DispatchResult(
                    ok=False,
                    error_class=ErrorClass.TRANSIENT,
                    prompt_tokens=10,
                    completion_tokens=1,
                ),
                DispatchResult(ok=True, prompt_tokens=5, completion_tokens=2),
            ]
        }
    )
    outcome = await make_scheduler(plan("a"), fleet(("n1", 1)), fake).run()
    assert (outcome.usage.prompt_tokens, outcome.usage.completion_tokens) == (15, 3)
