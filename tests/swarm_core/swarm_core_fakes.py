"""Fakes for the scheduler (imported by the tests as ``swarm_core_fakes``)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from swarm import (
    Assignment,
    Device,
    DispatchResult,
    ErrorClass,
    EventLog,
    Knobs,
    Scheduler,
    load_plan,
)

Behaviour = DispatchResult | Callable[[Assignment, Any], Awaitable[DispatchResult]]

OK = DispatchResult(ok=True)


def fail(error_class: ErrorClass, error: str = "boom") -> DispatchResult:
    return DispatchResult(ok=False, error_class=error_class, error=error)


def plan(*tasks: dict[str, Any] | str, confidence: float | None = None):
    """``plan("a", {"id": "b", "deps": ["a"]})`` — a bare string is an independent task."""
    subtasks = [{"id": t} if isinstance(t, str) else t for t in tasks]
    return load_plan({"subtasks": subtasks, "confidence": confidence})


def fleet(*specs: tuple[Any, ...]) -> list[Device]:
    """Devices from ``(name, weight[, speed[, model]])``."""
    devices = []
    for name, weight, *rest in specs:
        speed = rest[0] if rest else 1.0
        model = rest[1] if len(rest) > 1 else f"model-{name}"
        devices.append(
            Device(name=name, url=f"sim:{name}", model=model, weight=weight, speed=speed)
        )
    return devices


class FakeDispatcher:
    """Runs each attempt by the task's script (one behaviour per attempt, last repeats)."""

    def __init__(self, script: dict[str, list[Behaviour]] | None = None, delay: float = 0.0):
        self.script = script or {}
        self.delay = delay
        self.calls: list[Assignment] = []
        self.active: dict[str, int] = defaultdict(int)
        self.peak: dict[str, int] = defaultdict(int)
        self.finished: list[str] = []

    async def dispatch(self, assignment: Assignment, events: Any) -> DispatchResult:
        self.calls.append(assignment)
        device = assignment.device.name
        self.active[device] += 1
        self.peak[device] = max(self.peak[device], self.active[device])
        try:
            steps = self.script.get(assignment.task.id, [OK])
            step = steps[min(len(self.calls_for(assignment.task.id)) - 1, len(steps) - 1)]
            if isinstance(step, DispatchResult):
                await asyncio.sleep(self.delay)
                result = step
            else:
                result = await step(assignment, events)
        finally:
            self.active[device] -= 1
        self.finished.append(assignment.task.id)
        return result

    def calls_for(self, task_id: str) -> list[Assignment]:
        return [c for c in self.calls if c.task.id == task_id]

    def devices_of(self, task_id: str) -> list[str]:
        return [c.device.name for c in self.calls_for(task_id)]


def make_scheduler(
    dag,
    devices,
    dispatcher,
    *,
    knobs: dict[str, Any] | None = None,
    workdir: Path | None = None,
    events: EventLog | None = None,
    **kwargs: Any,
) -> Scheduler:
    return Scheduler(
        dag,
        devices,
        dispatcher,
        events=events or EventLog(None, "test-run"),
        knobs=Knobs(knobs or {}),
        workdir=workdir,
        **kwargs,
    )


def events_named(log: EventLog, name: str) -> list[dict[str, Any]]:
    assert log.records is not None
    return [r for r in log.records if r["event"] == name]
