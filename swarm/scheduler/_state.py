"""The scheduler's private state: tasks, their live attempts, devices and file holds.

Only the scheduler's own coroutine mutates this (one owner, no locks); dispatches run
concurrently and talk back through the scheduler's inbox.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from swarm.dag import Dag
from swarm.fleet import DeviceState
from swarm.protocols import Device, Subtask
from swarm.report import AttemptRecord, TaskReport, TaskStatus

TERMINAL = (TaskStatus.DONE, TaskStatus.SALVAGED, TaskStatus.FAILED)


@dataclass
class LiveAttempt:
    """The attempt now running for a task: where, since when, and what it has done so far."""

    device: DeviceState
    attempt: int
    epoch: int
    started: float
    handle: asyncio.Task[None] | None = None
    tool_calls: int = 0
    files_written: list[str] = field(default_factory=list)
    last_write: float | None = None


@dataclass
class TaskState:
    """Everything the scheduler knows about one task."""

    task: Subtask
    status: TaskStatus = TaskStatus.PENDING
    attempts: list[AttemptRecord] = field(default_factory=list)
    epoch: int = 0
    live: LiveAttempt | None = None
    device: str | None = None
    model: str | None = None
    files_written: set[str] = field(default_factory=set)
    error: str | None = None
    next_note: str | None = None
    prior_work: dict[str, str] = field(default_factory=dict)
    avoid_device: str | None = None
    failed_dependency: str | None = None
    interventions: int = 0
    last_fingerprint: str | None = None
    hold_until: float | None = None

    @property
    def terminal(self) -> bool:
        """Done, salvaged or failed: it will not run again."""
        return self.status in TERMINAL

    def report(self) -> TaskReport:
        """The task's line in the run report."""
        return TaskReport(
            task_id=self.task.id,
            status=self.status,
            device=self.device,
            model=self.model,
            attempts=len(self.attempts),
            attempt_history=list(self.attempts),
            elapsed_ms=sum(a.elapsed_ms for a in self.attempts),
            tool_calls=sum(a.tool_calls for a in self.attempts),
            files_written=sorted(self.files_written),
            bonus=self.task.bonus,
            error=self.error,
        )


class RunState:
    """Tasks, devices and which task holds which owned file."""

    def __init__(self, dag: Dag, devices: list[Device]):
        self.dag = dag
        self.tasks = {t.id: TaskState(t) for t in dag.tasks.values()}
        self.fleet = [DeviceState(d) for d in devices]
        self.held: dict[str, str] = {}

    def add(self, tasks: list[Subtask]) -> None:
        """Track newly spliced tasks."""
        for task in tasks:
            self.tasks[task.id] = TaskState(task)

    def running(self) -> list[TaskState]:
        """Tasks with an attempt in flight, in plan order."""
        return [t for t in self.tasks.values() if t.live is not None]

    def ready(self) -> list[TaskState]:
        """Pending tasks whose dependencies are all terminal (not yet ordered)."""
        return [
            t
            for t in self.tasks.values()
            if t.status is TaskStatus.PENDING
            and t.live is None
            and all(self.tasks[d].terminal for d in t.task.deps)
        ]

    def finished(self) -> bool:
        """Every task is terminal."""
        return all(t.terminal for t in self.tasks.values())

    def files_free(self, task: Subtask) -> bool:
        """No running task holds one of ``task``'s owned files."""
        return all(self.held.get(path, task.id) == task.id for path in task.owned_files)

    def hold(self, ts: TaskState, live: LiveAttempt) -> None:
        """Start an attempt: take a device slot and the task's files."""
        ts.live = live
        ts.status = TaskStatus.RUNNING
        live.device.in_flight += 1
        live.device.dispatched += 1
        for path in ts.task.owned_files:
            self.held[path] = ts.task.id

    def release(self, ts: TaskState) -> LiveAttempt:
        """End the live attempt: free its device slot and files; returns it."""
        live = ts.live
        assert live is not None, "release without a live attempt"
        ts.live = None
        if ts.status is TaskStatus.RUNNING:
            ts.status = TaskStatus.PENDING
        live.device.in_flight -= 1
        for path in ts.task.owned_files:
            if self.held.get(path) == ts.task.id:
                del self.held[path]
        return live
