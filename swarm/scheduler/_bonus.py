"""Bonus work: asking the ``Replanner`` for tasks when a slot is idle, and splicing them in.

The question is a model call, so it runs as its own asyncio task and its answer comes
back through the scheduler's inbox as a ``ReplannerAnswered``; at most one question is
open, at most one is asked per tick, and the run's budget (``scheduler.max_bonus_tasks``)
caps what is added.
Bonus tasks are validated by ``Dag.splice`` before anything changes; a rejected batch is
an event, never an error, because bonus work is optional.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace

from swarm.errors import PlanError
from swarm.protocols import Device, EventSink, Replanner, Subtask
from swarm.report import TaskStatus
from swarm.scheduler._messages import ReplannerAnswered
from swarm.scheduler._state import RunState


class BonusFeed:
    """Owns the open replanner question and the bonus budget of one run."""

    def __init__(
        self,
        replanner: Replanner,
        events: EventSink,
        budget: int,
        post: Callable[[ReplannerAnswered], None],
    ):
        self.replanner, self.events, self.budget, self._post = replanner, events, budget, post
        self.asking: asyncio.Task[None] | None = None
        self.next_ask = 0.0

    def maybe_ask(self, state: RunState, now: float, every_s: float) -> None:
        """Ask for bonus work when a device is idle, nothing is ready and budget remains."""
        idle = [s.device for s in state.fleet if s.free]
        if self.asking is not None or self.budget <= 0 or not idle or now < self.next_ask:
            return
        if state.ready():
            return
        self.next_ask = now + every_s
        done = [
            t.task.id
            for t in state.tasks.values()
            if t.status in (TaskStatus.DONE, TaskStatus.SALVAGED)
        ]
        self.asking = asyncio.create_task(self._ask(idle, done, self.budget))

    async def _ask(self, idle: list[Device], done: list[str], budget: int) -> None:
        try:
            tasks = list(await self.replanner.bonus_tasks(idle, done))
        except Exception as exc:  # noqa: BLE001 - bonus work is optional; say why it failed
            self.events.emit("bonus_rejected", error=f"{type(exc).__name__}: {exc}")
            tasks = []
        self._post(ReplannerAnswered(tuple(tasks[:budget])))

    def accept(self, tasks: Sequence[Subtask], state: RunState) -> list[Subtask]:
        """Splice the answer into the DAG (all or nothing); returns the tasks added."""
        self.asking = None
        bonus = [replace(t, bonus=True) for t in tasks]
        if not bonus:
            return []
        done = {
            t.task.id
            for t in state.tasks.values()
            if t.status in (TaskStatus.DONE, TaskStatus.SALVAGED)
        }
        failed = {t.task.id for t in state.tasks.values() if t.status is TaskStatus.FAILED}
        try:
            state.dag.splice(bonus, done=done, failed=failed)
        except PlanError as exc:
            self.events.emit("bonus_rejected", error=str(exc))
            return []
        self.budget -= len(bonus)
        state.add(bonus)
        return bonus

    def cancel(self) -> None:
        """Drop an open question (the run is over)."""
        if self.asking is not None:
            self.asking.cancel()
