"""The model-free judge: its checks on their own, and its actions inside the scheduler."""

from __future__ import annotations

import asyncio

from swarm_core_fakes import OK, FakeDispatcher, events_named, fleet, make_scheduler, plan

from swarm import DispatchResult, EventLog, RunStatus, Subtask, TaskStatus
from swarm.judge import (
    DeterministicJudge,
    JudgeLimits,
    TaskView,
    Verdict,
    VerdictKind,
    is_test_task,
    salvageable,
)
from swarm.virtual_clock import run_virtual

# The scheduler-level tests run on the virtual clock with the default thresholds
# (90 s min age, 15 s tick, 180 s stale window): minutes pass in microseconds, exactly.


def view(
    task: Subtask,
    *,
    age=100.0,
    calls=0,
    written=(),
    last_write=None,
    workdir=None,
    now=1000.0,
    epoch=1,
) -> TaskView:
    return TaskView(
        task=task,
        attempt=1,
        epoch=epoch,
        device="n1",
        now=now,
        age_s=age,
        tool_calls=calls,
        files_written=tuple(written),
        last_write_age_s=last_write,
        interventions=0,
        workdir=workdir,
    )


MODULE = Subtask(id="m", description="", owned_files=("pkg/m.py",))


def test_over_reading_needs_age_many_calls_and_nothing_written():
    judge = DeterministicJudge()
    assert judge.assess(view(MODULE, age=100, calls=16)).kind is VerdictKind.OVER_READING
    assert judge.assess(view(MODULE, age=80, calls=40)).kind is VerdictKind.OK  # too young
    assert judge.assess(view(MODULE, age=100, calls=15)).kind is VerdictKind.OK
    assert (
        judge.assess(view(MODULE, age=100, calls=30, written=["pkg/m.py"], last_write=1)).kind
        is VerdictKind.OK
    )


def test_the_sink_is_never_judged_for_over_reading():
    sink = Subtask(id="integrate-verify", description="")
    assert DeterministicJudge().assess(view(sink, age=10_000, calls=500)).kind is VerdictKind.OK


def test_no_first_write_after_the_window_even_with_few_calls():
    verdict = DeterministicJudge().assess(view(MODULE, age=301, calls=2))
    assert verdict.kind is VerdictKind.NO_FIRST_WRITE


def test_broken_code_comes_first(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/m.py").write_text("def f(:\n")
    verdict = DeterministicJudge().assess(
        view(MODULE, age=200, calls=40, written=["pkg/m.py"], last_write=60, workdir=tmp_path)
    )
    assert verdict.kind is VerdictKind.BROKEN_CODE and "pkg/m.py does not compile" in verdict.reason


def test_a_fresh_syntax_slip_gets_a_grace_period(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/m.py").write_text("def f(:\n")
    verdict = DeterministicJudge().assess(
        view(MODULE, written=["pkg/m.py"], last_write=5, workdir=tmp_path)
    )
    assert verdict.kind is VerdictKind.OK


def test_looping_is_unchanged_content_not_absence_of_writes(tmp_path):
    (tmp_path / "pkg").mkdir()
    target = tmp_path / "pkg/m.py"
    target.write_text("x = 1\n")
    judge = DeterministicJudge(JudgeLimits(stale_window_s=100))
    written = ["pkg/m.py"]
    assert (
        judge.assess(view(MODULE, written=written, last_write=0, now=0.0, workdir=tmp_path)).kind
        is VerdictKind.OK
    )
    # rewritten with the same content (a fresh write event) for 150 s: a loop
    assert (
        judge.assess(view(MODULE, written=written, last_write=0, now=150.0, workdir=tmp_path)).kind
        is VerdictKind.LOOPING
    )
    target.write_text("x = 2\n")
    assert (
        judge.assess(view(MODULE, written=written, last_write=0, now=160.0, workdir=tmp_path)).kind
        is VerdictKind.OK
    )


def test_test_tasks_are_never_salvaged(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_m.py").write_text("def test_x(): pass\n")
    tests_task = Subtask(id="t", description="", owned_files=("tests/test_m.py",))
    assert is_test_task(tests_task)
    assert not salvageable(tests_task, tmp_path)


def test_owned_paths_outside_the_workdir_are_ignored(tmp_path):
    (tmp_path / "secret.py").write_text("x = 1\n")
    sneaky = Subtask(id="s", description="", owned_files=("../secret.py",))
    assert not salvageable(sneaky, tmp_path / "work")


def test_salvage_marks_a_looping_task_with_output_done(tmp_path):
    async def loop_forever(assignment, events):
        (tmp_path / "pkg").mkdir(exist_ok=True)
        while True:  # the loop signature: the same content written again and again
            (tmp_path / "pkg/m.py").write_text("def f():\n    return 1\n")
            events.emit("file_written", path="pkg/m.py")
            events.emit("tool_call", name="write_file")
            await asyncio.sleep(10)

    log = EventLog(None, "r")
    dag = plan({"id": "m", "owned_files": ["pkg/m.py"]}, {"id": "integrate-verify", "deps": ["m"]})
    fake = FakeDispatcher({"m": [loop_forever]})
    outcome = run_virtual(
        make_scheduler(dag, fleet(("n1", 1)), fake, events=log, workdir=tmp_path).run()
    )
    by_id = {t.task_id: t for t in outcome.tasks}
    assert by_id["m"].status is TaskStatus.SALVAGED
    assert by_id["integrate-verify"].status is TaskStatus.DONE  # the sink is the real gate
    assert outcome.status is RunStatus.DONE
    verdicts = events_named(log, "judge_verdict")
    assert [(v["verdict"], v["action"]) for v in verdicts] == [("looping", "salvage")]


def test_a_judge_fires_while_the_fleet_is_saturated(tmp_path):
    async def read_forever(assignment, events):
        if assignment.attempt > 1:
            return OK
        for _ in range(20):
            events.emit("tool_call", name="read_file")
        await asyncio.sleep(3600)  # never completes on its own
        return OK

    log = EventLog(None, "r")
    dag = plan({"id": "a", "owned_files": ["a.py"]}, {"id": "b", "owned_files": ["b.py"]})
    fake = FakeDispatcher({"a": [read_forever]})
    outcome = run_virtual(
        make_scheduler(dag, fleet(("n1", 1)), fake, events=log, workdir=tmp_path).run()
    )
    # the only slot was held by "a" and "b" was queued: nothing completed before the verdict
    verdict = events_named(log, "judge_verdict")[0]
    assert [c.task.id for c in fake.calls[:2]] == ["a", "a"]
    assert (verdict["verdict"], verdict["action"], verdict["deterministic"]) == (
        "over_reading",
        "restart",
        True,
    )
    second = fake.calls_for("a")[1]
    assert second.supervisor_note.startswith(
        "SUPERVISOR NOTE — your previous attempt was stopped: 20 tool calls"
    )
    assert outcome.tasks[0].attempt_history[0].outcome == "judge:over_reading"
    assert outcome.status is RunStatus.DONE


def test_a_stale_result_after_a_restart_is_dropped(tmp_path):
    async def ignores_cancel(assignment, events):
        if assignment.attempt > 1:
            await asyncio.sleep(60)
            return DispatchResult(ok=True, files_written=["fresh.py"])
        for _ in range(20):
            events.emit("tool_call", name="read_file")
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            pass  # a badly behaved dispatcher: keeps going after the cancel
        await asyncio.sleep(5)
        events.emit("tool_call", name="late")
        return DispatchResult(ok=False, error="stale failure", files_written=["stale.py"])

    log = EventLog(None, "r")
    dag = plan({"id": "a", "owned_files": ["fresh.py"]})
    outcome = run_virtual(
        make_scheduler(
            dag,
            fleet(("n1", 1)),
            FakeDispatcher({"a": [ignores_cancel]}),
            events=log,
            workdir=tmp_path,
        ).run()
    )
    dropped = events_named(log, "stale_result_dropped")
    assert len(dropped) == 1 and dropped[0]["epoch"] == 1
    task = outcome.tasks[0]
    assert task.status is TaskStatus.DONE and task.files_written == ["fresh.py"]
    assert [a.outcome for a in task.attempt_history] == ["judge:over_reading", "ok"]


def test_a_restart_seeds_the_new_attempt_with_established_work(tmp_path):
    (tmp_path / "a.py").write_text("def established():\n    return 1\n")

    async def over_read(assignment, events):
        if assignment.attempt > 1:
            return OK
        for _ in range(20):
            events.emit("tool_call", name="read_file")
        await asyncio.sleep(3600)
        return OK

    fake = FakeDispatcher({"a": [over_read]})
    run_virtual(
        make_scheduler(
            plan({"id": "a", "owned_files": ["a.py"]}), fleet(("n1", 1)), fake, workdir=tmp_path
        ).run()
    )
    assert fake.calls_for("a")[1].prior_work == {"a.py": "def established():\n    return 1\n"}


def test_interventions_stop_at_the_cap(tmp_path):
    async def always_over_read(assignment, events):
        for _ in range(20):
            events.emit("tool_call", name="read_file")
        await asyncio.sleep(600)
        return OK

    log = EventLog(None, "r")
    fake = FakeDispatcher({"a": [always_over_read]})
    run_virtual(
        make_scheduler(
            plan({"id": "a", "owned_files": ["a.py"]}),
            fleet(("n1", 1)),
            fake,
            events=log,
            workdir=tmp_path,
            knobs={"judge.intervention_cap": 2},
        ).run()
    )
    actions = [v["action"] for v in events_named(log, "judge_verdict")]
    assert actions == ["restart", "restart", "none"]
    assert len(fake.calls) == 3


def test_advisory_verdicts_act_only_above_the_confidence_bar(tmp_path):
    class Advisory:
        def __init__(self, confidence):
            self.confidence = confidence

        def assess(self, view):
            return Verdict(
                VerdictKind.ACCEPT, "looks complete", self.confidence, deterministic=False
            )

    async def slow(assignment, events):
        await asyncio.sleep(60)
        return OK

    for confidence, expected in ((0.5, ["ok"]), (0.9, ["accepted"])):
        fake = FakeDispatcher({"a": [slow]})
        outcome = run_virtual(
            make_scheduler(
                plan({"id": "a", "owned_files": ["a.py"]}),
                fleet(("n1", 1)),
                fake,
                workdir=tmp_path,
                judge=Advisory(confidence),
            ).run()
        )
        assert [a.outcome for a in outcome.tasks[0].attempt_history] == expected


async def test_the_tick_runs_only_when_a_judge_or_replanner_is_attached(monkeypatch):
    from swarm.scheduler._scheduler import Scheduler

    ticks = []
    monkeypatch.setattr(
        Scheduler,
        "_tick",
        lambda self: (
            ticks.append(1) or setattr(self, "_next_tick", asyncio.get_running_loop().time() + 0.01)
        ),
    )
    fake = FakeDispatcher(delay=0.1)
    fast_tick = {"scheduler.tick_s": 0.02}
    await make_scheduler(plan("a"), fleet(("n1", 1)), fake, knobs=fast_tick).run()
    assert ticks == []
    await make_scheduler(
        plan("a"), fleet(("n1", 1)), fake, knobs=fast_tick, judge=DeterministicJudge()
    ).run()
    assert len(ticks) >= 3


def test_decide_action_maps_verdicts_to_what_the_scheduler_does():
    from swarm.judge import JudgeAction, decide_action

    def act(kind, *, confidence=1.0, deterministic=True, salvage=False, intervene=True):
        return decide_action(
            Verdict(kind, "r", confidence, deterministic),
            confidence_bar=0.85,
            can_salvage=salvage,
            can_intervene=intervene,
        )

    assert act(VerdictKind.OVER_READING) is JudgeAction.RESTART
    assert act(VerdictKind.OVER_READING, intervene=False) is JudgeAction.NONE
    assert act(VerdictKind.LOOPING, salvage=True, intervene=False) is JudgeAction.SALVAGE
    assert act(VerdictKind.LOOPING) is JudgeAction.RESTART
    assert act(VerdictKind.ACCEPT, confidence=0.9, deterministic=False) is JudgeAction.ACCEPT
    assert act(VerdictKind.BROKEN_CODE, confidence=0.84, deterministic=False) is JudgeAction.NONE
