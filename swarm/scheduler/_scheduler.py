"""The work-stealing scheduler: one owner of state, model calls run concurrently.

``Scheduler.run`` loops: claim everything placeable (ready tasks in policy order, each
on ``pick_device``'s choice unless a running task holds one of its owned files), then
wait for the next message in its inbox (``_messages.InboxMessage``: an attempt
finished, the replanner answered, an interrupt was requested) or for the tick, which
drives the judge and the replanner even while nothing completes. Each attempt runs as
its own asyncio task and carries an epoch; a result whose epoch is no longer current
(the judge restarted the task) is dropped. How an attempt ends — retried, finished,
its dependents failed — is ``_outcomes``'s. When nothing is in flight, nothing can be
placed and tasks remain, the run is stuck: a ``scheduler_stuck`` event and status
``stuck`` (exit 3), never a hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any, assert_never

from swarm.dag import Dag
from swarm.fleet import check_fleet, pick_device
from swarm.judge import (
    DeterministicJudge,
    JudgeAction,
    JudgeLimits,
    TaskView,
    Verdict,
    VerdictKind,
    decide_action,
    salvageable,
)
from swarm.knobs import Knobs, register_knob
from swarm.protocols import (
    Assignment,
    Device,
    Dispatcher,
    DispatchResult,
    ErrorClass,
    EventSink,
    Judge,
    Replanner,
    SideWork,
    Subtask,
)
from swarm.report import RunStatus, SchedulerOutcome, TaskStatus, UsageReport
from swarm.retry import read_owned_files, supervisor_note
from swarm.scheduler._attempts import AttemptSink, attempt_fields, record_attempt
from swarm.scheduler._bonus import BonusFeed
from swarm.scheduler._control import RunControl
from swarm.scheduler._load_share import SlotForecast
from swarm.scheduler._messages import (
    AttemptFinished,
    InboxMessage,
    InterruptRequested,
    ReplannerAnswered,
    SideCallFinished,
)
from swarm.scheduler._outcomes import AttemptOutcomes
from swarm.scheduler._side import SideFeed
from swarm.scheduler._state import LiveAttempt, RunState, TaskState
from swarm.scheduler.placement import FleetPlan, Running
from swarm.scheduler.priority import priority_keys

TICK_S = register_knob(
    "scheduler.tick_s",
    float,
    15.0,
    # The judge's thresholds are minutes; a 15 s tick notices them within a few percent
    # without waking the loop needlessly. Runs only when a judge or replanner is attached.
    "Seconds between judge/replanner checks while tasks run.",
    bounds=(0.01, 600.0),
    tunable=True,
    tune_bounds=(5.0, 60.0),
)
HEARTBEAT_S = register_knob(
    "scheduler.heartbeat_s",
    float,
    5.0,
    # Watchers treat a heartbeat older than ~3 beats as a dead run; 5 s keeps that 15 s.
    "Seconds between touches of .swarm/heartbeat while the scheduler runs.",
    bounds=(0.01, 300.0),
)
PAUSE_POLL_S = register_knob(
    "scheduler.pause_poll_s",
    float,
    1.0,
    # A human creating .swarm/pause expects it to act within a second or so.
    "Seconds between checks of .swarm/pause while paused.",
    bounds=(0.01, 60.0),
)
MAX_BONUS = register_knob(
    "scheduler.max_bonus_tasks",
    int,
    4,
    # Bonus work fills idle slots; a handful keeps nodes busy without letting
    # speculative output swamp the final review.
    "Most bonus tasks the replanner may add to one run (0 disables it).",
    bounds=(0, 50),
    tunable=True,
)


class Scheduler:
    """Runs a ``Dag`` over devices through a ``Dispatcher``; ``await run()`` once.

    ``judge=None`` uses the deterministic judge only when ``workdir`` is given (its
    checks read the owned files); pass ``judge=False`` to run with no judge at all.
    ``side_work`` (the LLM judge, pre-review) gets the slots no ready task wants (``_side``).
    """

    def __init__(
        self,
        dag: Dag,
        devices: Sequence[Device],
        dispatcher: Dispatcher,
        *,
        events: EventSink,
        knobs: Knobs | None = None,
        judge: Judge | None | bool = None,
        replanner: Replanner | None = None,
        workdir: Path | None = None,
        side_work: SideWork | None = None,
    ):
        check_fleet(devices)
        self.dag, self.dispatcher, self.events = dag, dispatcher, events
        self.knobs = knobs or Knobs()
        self.workdir = Path(workdir) if workdir is not None else None
        self.judge = _default_judge(judge, self.knobs, self.workdir)
        self.replanner = replanner
        self.state = RunState(dag, list(devices))
        self._policy = self.knobs.get("scheduler.policy")
        self._order = priority_keys(dag, self._policy)
        self._placement = self.knobs.get("scheduler.placement")
        self._inbox: asyncio.Queue[InboxMessage] = asyncio.Queue()
        self._interrupted = False
        self._control = RunControl(self.workdir, events)
        self._outcomes = AttemptOutcomes(self.state, events, self.knobs, self.workdir)
        self._bonus = (
            BonusFeed(
                replanner,
                events,
                self.knobs.get("scheduler.max_bonus_tasks"),
                self._inbox.put_nowait,
            )
            if replanner is not None
            else None
        )
        self._side = SideFeed(side_work, events, self._inbox.put_nowait) if side_work else None
        self._next_tick = 0.0
        self._usage = UsageReport()
        self._warned: set[tuple[str, int, str]] = set()

    # ----------------------------------------------------------------- the loop

    async def run(self) -> SchedulerOutcome:
        """Schedule every task to a terminal state (or stuck/interrupted) and return."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        self._next_tick = started + self._tick_s()
        self._emit_plan()
        heartbeat = self._control.start_heartbeat(self.knobs.get("scheduler.heartbeat_s"))
        try:
            status = await self._loop()
        finally:
            self._stop_all()
            if heartbeat is not None:
                heartbeat.cancel()
        return SchedulerOutcome(
            status,
            [t.report() for t in self.state.tasks.values()],
            [s.name for s in self.state.fleet],
            (loop.time() - started) * 1000,
            self._usage,
        )

    def interrupt(self) -> None:
        """Stop dispatching, cancel running attempts; ``run`` returns ``interrupted``."""
        self._interrupted = True
        self._inbox.put_nowait(InterruptRequested())

    async def _loop(self) -> RunStatus:
        while not self.state.finished():
            if self._interrupted:
                return RunStatus.INTERRUPTED
            if not self._control.check_pause():
                if self._side is not None:
                    self._side.drop_stale(self.state)  # free slots held for ended attempts
                self._claim_all()
                if not self.state.running() and not (self._side and self._side.busy):
                    return self._stuck()
                self._replan_if_idle()
                self._offer_side()
            await self._next_message()
        if self._interrupted:
            return RunStatus.INTERRUPTED
        failed = any(
            t.status is TaskStatus.FAILED and not t.task.bonus for t in self.state.tasks.values()
        )
        return RunStatus.FAILED if failed else RunStatus.DONE

    async def _next_message(self) -> None:
        timeout = self._wait_timeout()
        try:
            message = await asyncio.wait_for(self._inbox.get(), timeout)
        except TimeoutError:
            message = None
        while message is not None:
            self._handle(message)
            message = self._inbox.get_nowait() if not self._inbox.empty() else None
        if self._ticking() and asyncio.get_running_loop().time() >= self._next_tick:
            self._tick()

    def _wait_timeout(self) -> float | None:
        waits = []
        if self._ticking():
            waits.append(max(0.0, self._next_tick - asyncio.get_running_loop().time()))
        if self._control.paused or (self.workdir is not None and not self.state.running()):
            waits.append(self.knobs.get("scheduler.pause_poll_s"))
        side_poll = self._side.poll_s(self.state) if self._side is not None else None
        if side_poll is not None:
            waits.append(side_poll)
        return min(waits) if waits else None

    def _handle(self, message: InboxMessage) -> None:
        match message:
            case AttemptFinished():
                self._on_result(message)
            case ReplannerAnswered():
                self._on_bonus(message)
            case SideCallFinished():
                self._on_side(message)
            case InterruptRequested():
                pass  # interrupt() already set the flag; the message only woke the loop
            case _:
                assert_never(message)

    # ------------------------------------------------------------ claiming work

    def _claim_all(self) -> None:
        """Drain the ready set, decide a device for each, mutate, leave the rest queued."""
        if self._policy == "critical_path" and self._placement == "earliest_finish":
            return self._claim_planned()
        ready = sorted(self.state.ready(), key=lambda t: self._order[t.task.id])
        forecast = self._forecast() if self._policy == "critical_path" else None
        for ts in ready:
            if not self.state.files_free(ts.task):
                continue  # a running task holds one of its files: it waits its turn
            device = pick_device(
                self.state.fleet,
                ts.task,
                attempt=len(ts.attempts) + 1,
                avoid=ts.avoid_device,
                prefer_fast=forecast is not None,
            )
            if device is None:
                return  # every slot is taken
            if forecast is not None and self._hold(
                ts, forecast.wait_until(ts.task, device, ts.avoid_device)
            ):
                continue  # a faster device frees up soon enough to finish it earlier
            self._dispatch(ts, device)

    def _claim_planned(self) -> None:
        """Plan all pending work by earliest finish; start what the plan starts now."""
        if not any(s.free for s in self.state.fleet):
            return  # nothing can start: skip the planning
        now = asyncio.get_running_loop().time()
        running = [
            Running(
                t.task.id,
                t.live.device.name,
                t.live.started,
                t.task.estimated_cost,
                tuple(t.task.owned_files),
            )
            for t in self.state.running()
            if t.live is not None
        ]
        plan = FleetPlan(self.state.fleet, running, now)
        startable = {t.task.id for t in self.state.ready() if self.state.files_free(t.task)}
        pending = [
            t
            for t in self.state.tasks.values()
            if t.status is TaskStatus.PENDING and t.live is None
        ]
        order = sorted(pending, key=lambda t: self._order[t.task.id])
        for i, ts in enumerate(order):
            if not startable or not any(s.free for s in self.state.fleet):
                return  # what is left to plan can change no decision of this pass
            ready = ts.task.id in startable and self.state.files_free(ts.task)
            if ready:
                placed = plan.pilot(ts.task, [t.task for t in order[i + 1 :]], ts.avoid_device)
            else:
                placed = plan.decide(ts.task, ready, ts.avoid_device)
            startable.discard(ts.task.id)
            if placed is not None:
                ts.hold_until = placed.hold_until  # decided afresh next pass, never forced
                if placed.device is not None:
                    self._dispatch(ts, placed.device)

    def _hold(self, ts: TaskState, until: float | None) -> bool:
        """Hold a task for a faster device, but never past the first promised time."""
        if until is None:
            return False
        if ts.hold_until is None:
            ts.hold_until = until
        return asyncio.get_running_loop().time() < ts.hold_until

    def _forecast(self) -> SlotForecast:
        running = [
            (t.live.device.name, t.live.started, t.task.estimated_cost)
            for t in self.state.running()
            if t.live is not None
        ]
        return SlotForecast(self.state.fleet, running, asyncio.get_running_loop().time())

    def _dispatch(self, ts: TaskState, device: Any) -> None:
        ts.epoch += 1
        now = asyncio.get_running_loop().time()
        live = LiveAttempt(device=device, attempt=len(ts.attempts) + 1, epoch=ts.epoch, started=now)
        assignment = Assignment(
            task=ts.task,
            device=device.device,
            attempt=live.attempt,
            epoch=ts.epoch,
            supervisor_note=ts.next_note,
            failed_dependency=ts.failed_dependency,
            prior_work=dict(ts.prior_work),
        )
        self.state.hold(ts, live)
        ts.hold_until = None
        ts.device, ts.model = device.name, device.device.model
        self.events.emit(
            "task_dispatched",
            task_id=ts.task.id,
            attempt=live.attempt,
            epoch=ts.epoch,
            device=device.name,
            model=device.device.model,
            supervisor_note=ts.next_note,
            failed_dependency=ts.failed_dependency,
        )
        sink = AttemptSink(self.events, ts, live, asyncio.get_running_loop().time)
        live.handle = asyncio.create_task(self._attempt(assignment, sink))

    async def _attempt(self, assignment: Assignment, sink: AttemptSink) -> None:
        try:
            result = await self.dispatcher.dispatch(assignment, sink)
        except asyncio.CancelledError:
            return  # a judge restart or an interrupt: the scheduler already recorded it
        except Exception as exc:  # noqa: BLE001 - a dispatcher bug fails the task, loudly
            result = DispatchResult(
                ok=False,
                error_class=ErrorClass.FATAL,
                error=f"dispatcher raised {type(exc).__name__}: {exc}",
            )
        self._inbox.put_nowait(AttemptFinished(assignment.task.id, assignment.epoch, result))

    # ---------------------------------------------------------------- results

    def _on_result(self, message: AttemptFinished) -> None:
        ts, result = self.state.tasks[message.task_id], message.result
        if ts.live is None or ts.live.epoch != message.epoch:
            self.events.emit(
                "stale_result_dropped",
                task_id=message.task_id,
                epoch=message.epoch,
                current_epoch=ts.epoch,
            )
            return
        live = self.state.release(ts)
        self._usage.prompt_tokens += result.prompt_tokens
        self._usage.completion_tokens += result.completion_tokens
        if result.ok:
            self._outcomes.succeeded(ts, live, result)
        else:
            self._outcomes.failed(ts, live, result)

    # ------------------------------------------------------- judge and replanner

    def _ticking(self) -> bool:
        return self.judge is not None or self.replanner is not None or self._side is not None

    def _tick_s(self) -> float:
        return self.knobs.get("scheduler.tick_s")

    def _tick(self) -> None:
        now = asyncio.get_running_loop().time()
        self._next_tick = now + self._tick_s()
        if self.judge is not None:
            for ts in self.state.running():
                self._judge_one(ts, now)
        self._replan_if_idle()

    def _judge_one(self, ts: TaskState, now: float) -> None:
        verdict = self.judge.assess(self._view(ts, now))  # type: ignore[union-attr]
        if verdict.kind is not VerdictKind.OK:
            self._act_on(ts, verdict)

    def _view(self, ts: TaskState, now: float) -> TaskView:
        live = ts.live
        assert live is not None
        return TaskView(
            task=ts.task,
            attempt=live.attempt,
            epoch=live.epoch,
            device=live.device.name,
            now=now,
            age_s=now - live.started,
            tool_calls=live.tool_calls,
            files_written=tuple(live.files_written),
            last_write_age_s=None if live.last_write is None else now - live.last_write,
            interventions=ts.interventions,
            workdir=self.workdir,
        )

    def _act_on(
        self, ts: TaskState, verdict: Verdict, bar: float | None = None, by: str | None = None
    ) -> None:
        """Act on a verdict (``bar``: an advisory judge's own; ``by``: the device it ran on)."""
        live = ts.live
        assert live is not None
        action = (
            JudgeAction.NONE
            if verdict.kind is VerdictKind.OK
            else decide_action(
                verdict,
                confidence_bar=self.knobs.get("judge.confidence_bar") if bar is None else bar,
                can_salvage=salvageable(ts.task, self.workdir),
                can_intervene=ts.interventions < self.knobs.get("judge.intervention_cap")
                and len(ts.attempts) + 1 < self.knobs.get("retry.max_attempts"),
            )
        )
        key = (ts.task.id, live.epoch, verdict.kind.value)
        if action is JudgeAction.NONE and key in self._warned:
            return  # already reported for this attempt; the judge only reports once
        self._warned.add(key)
        self.events.emit(
            "judge_verdict",
            task_id=ts.task.id,
            attempt=live.attempt,
            epoch=live.epoch,
            verdict=verdict.kind.value,
            reason=verdict.reason,
            confidence=verdict.confidence,
            deterministic=verdict.deterministic,
            action=action.value,
            acted=action is not JudgeAction.NONE,
            device=live.device.name,
            **({"judge_device": by} if by is not None else {}),
        )
        if action is JudgeAction.SALVAGE:
            self._stop_live(ts)
            self._outcomes.finish(ts, self.state.release(ts), TaskStatus.SALVAGED, "salvaged")
        elif action is JudgeAction.ACCEPT:
            self._stop_live(ts)
            self._outcomes.finish(ts, self.state.release(ts), TaskStatus.DONE, "accepted")
        elif action is JudgeAction.RESTART:
            self._restart(ts, verdict)

    def _restart(self, ts: TaskState, verdict: Verdict) -> None:
        """Cancel the running dispatch, bump the epoch, re-queue seeded with its own work."""
        self._stop_live(ts)
        live = self.state.release(ts)
        ts.interventions += 1
        ts.epoch += 1  # anything the cancelled attempt still reports is now stale
        ts.next_note, ts.avoid_device = supervisor_note(verdict.reason), None
        ts.prior_work = read_owned_files(ts.task, self.workdir)
        self._outcomes.requeue(ts, live, f"judge:{verdict.kind.value}", verdict.reason)

    def _stop_live(self, ts: TaskState) -> None:
        if ts.live is not None and ts.live.handle is not None:
            ts.live.handle.cancel()

    def _offer_side(self) -> None:
        if self._side is not None:
            now = asyncio.get_running_loop().time()
            self._side.offer(self.state, [self._view(t, now) for t in self.state.running()])

    def _on_side(self, message: SideCallFinished) -> None:
        assert self._side is not None  # only a feed posts side results
        self._side.release(self.state, message)
        call, ts = message.call, self.state.tasks.get(message.call.task_id or "")
        if message.verdict is None or ts is None or ts.live is None:
            return
        if ts.live.epoch == call.epoch:  # a verdict about an ended attempt says nothing now
            self._act_on(ts, message.verdict, call.confidence_bar, message.device)

    def _replan_if_idle(self) -> None:
        if self._bonus is not None:
            self._bonus.maybe_ask(self.state, asyncio.get_running_loop().time(), self._tick_s())

    def _on_bonus(self, message: ReplannerAnswered) -> None:
        assert self._bonus is not None  # only a feed posts answers
        added = self._bonus.accept(message.tasks, self.state)
        if added:
            self._order = priority_keys(self.dag, self._policy)
            self.events.emit("plan_extended", tasks=[_task_fields(t) for t in added])

    # ------------------------------------------------------- run-level helpers

    def _emit_plan(self) -> None:
        tasks = list(self.dag.tasks.values())
        self.events.emit(
            "plan_loaded",
            tasks=[_task_fields(t) for t in tasks],
            deps=sum(len(t.deps) for t in tasks),
            files=sorted({f for t in tasks for f in t.owned_files}),
            plan_confidence=self.dag.confidence,
            policy=self._policy,
            devices=[
                {
                    "name": s.name,
                    "model": s.device.model,
                    "weight": s.device.weight,
                    "speed": s.device.speed,
                }
                for s in self.state.fleet
            ],
        )

    def _stuck(self) -> RunStatus:
        waiting = [t.task.id for t in self.state.tasks.values() if not t.terminal]
        usable = [s.name for s in self.state.fleet if not s.quarantined]
        self.events.emit(
            "scheduler_stuck",
            waiting=waiting,
            usable_devices=usable,
            reason="nothing dispatched, nothing in flight, tasks remain",
        )
        return RunStatus.STUCK

    def _stop_all(self) -> None:
        """Cancel everything still running (interrupt, stuck or an error in the loop)."""
        now = asyncio.get_running_loop().time()
        for ts in self.state.running():
            self._stop_live(ts)
            live = self.state.release(ts)
            record = record_attempt(ts, live, "interrupted", "run stopped", None, now)
            self.events.emit("task_interrupted", **attempt_fields(ts, live, record, None))
        if self._bonus is not None:
            self._bonus.cancel()
        if self._side is not None:
            self._side.cancel()


def _default_judge(judge: Judge | None | bool, knobs: Knobs, workdir: Path | None) -> Judge | None:
    if judge is False:
        return None
    if judge is None or judge is True:
        return DeterministicJudge(JudgeLimits.from_knobs(knobs)) if workdir else None
    return judge


def _task_fields(task: Subtask) -> dict[str, Any]:
    return {
        "id": task.id,
        "difficulty": task.difficulty.value,
        "deps": list(task.deps),
        "owned_files": list(task.owned_files),
        "estimated_cost": task.estimated_cost,
        "bonus": task.bonus,
    }
