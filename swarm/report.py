"""The final run report (contract 2) and its rebuild from the event log alone.

The live report is built from the scheduler's state (``build_report``); ``rebuild_report``
replays ``.swarm/run-<id>.jsonl`` and must give the same per-task and per-device data, so
a run killed half-way is still gradeable (its status is then ``interrupted``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from swarm.errors import ReportError
from swarm.events import read_events


class RunStatus(StrEnum):
    """How the run ended; the CLI's exit code follows it (0, 1, 3, 130)."""

    DONE = "done"
    FAILED = "failed"
    STUCK = "stuck"
    INTERRUPTED = "interrupted"

    @property
    def exit_code(self) -> int:
        """Contract 2: 0 done, 1 failed, 3 stuck, 130 interrupted."""
        return {"done": 0, "failed": 1, "stuck": 3, "interrupted": 130}[self.value]


class TaskStatus(StrEnum):
    """Where one task ended (``salvaged`` counts as done: the sink is the real gate)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    SALVAGED = "salvaged"
    FAILED = "failed"


class AttemptRecord(BaseModel):
    """One attempt of a task: where it ran and how it ended."""

    device: str
    outcome: str = Field(
        description="ok, salvaged, accepted, transient, content, fatal, "
        "judge:<verdict>, no_progress, interrupted"
    )
    error: str | None = Field(
        default=None,
        description="Why it ended badly (dispatcher error, judge reason, run stopped); "
        "None when it ended ok.",
    )
    elapsed_ms: float = Field(
        default=0.0, description="Wall time from dispatch to the attempt's end, in ms."
    )
    tool_calls: int = Field(
        default=0,
        description="Tool calls it made: the larger of the live count and the dispatcher's own.",
    )


class TaskReport(BaseModel):
    """One task's outcome across its attempts."""

    task_id: str
    status: TaskStatus
    device: str | None = Field(default=None, description="Device of the last attempt.")
    model: str | None = Field(default=None, description="Model of the last attempt's device.")
    attempts: int = Field(
        default=0, description="Attempts started; 0 for one that never ran (cascaded, stuck)."
    )
    attempt_history: list[AttemptRecord] = Field(
        default_factory=list, description="One record per attempt, oldest first."
    )
    elapsed_ms: float = Field(default=0.0, description="Sum of its attempts' run time.")
    tool_calls: int = Field(default=0, description="Summed over its attempts.")
    files_written: list[str] = Field(
        default_factory=list, description="Relative paths any of its attempts wrote, sorted."
    )
    bonus: bool = Field(
        default=False,
        description="Added by the replanner mid-run; its failure never fails the run.",
    )
    error: str | None = Field(default=None, description="Why it failed, if it did.")


class DeviceReport(BaseModel):
    """What one fleet node did."""

    dispatched: int = Field(default=0, description="Attempts started on it.")
    tool_calls: int = Field(default=0, description="Summed over those attempts.")
    retries: int = Field(
        default=0,
        description="Its attempts that were not their task's last (retried or restarted after).",
    )
    busy_ms: float = Field(
        default=0.0,
        description="Sum of its attempts' wall time; can exceed the run's elapsed_ms when "
        "the device has more than one slot.",
    )


class UsageReport(BaseModel):
    """Tokens spent by the whole run (planner, workers, gates), as the servers reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0


class RunReport(BaseModel):
    """Contract 2's final report, printed on stdout with ``--output-format json``."""

    run_id: str = Field(description="Names the run's event log, .swarm/run-<run_id>.jsonl.")
    status: RunStatus
    done: int = Field(default=0, description="Tasks done or salvaged.")
    failed: int = Field(default=0, description="Tasks failed, bonus and cascaded ones included.")
    tasks: list[TaskReport] = Field(default_factory=list, description="Sorted by task id.")
    per_device: dict[str, DeviceReport] = Field(
        default_factory=dict,
        description="Device name → what it did; idle devices of the fleet appear too.",
    )
    gates: dict[str, Any] = Field(
        default_factory=dict,
        description="Gate name (smoke, review, sink) → its result; empty when no gate ran.",
    )
    usage: UsageReport = Field(default_factory=UsageReport)
    knobs: dict[str, Any] = Field(
        default_factory=dict, description="Every registered knob's resolved value."
    )
    elapsed_ms: float = Field(
        default=0.0,
        description="Wall time of the run in ms: planning to gates when the pipeline ran "
        "it, the scheduling alone otherwise.",
    )
    reason: str | None = Field(
        default=None,
        description="Why the run ended as it did, one line; None for a run that is done.",
    )
    infra_reason: str | None = Field(
        default=None,
        description="Set when the run ended before any model had a chance to build (the "
        "server refused our request shape, no node answered, every node failed): the "
        "infrastructure's failure, not the model's.",
    )
    plan_fallback: bool = Field(
        default=False,
        description="No usable plan came from the models: the whole spec went to one worker.",
    )


def build_report(
    run_id: str,
    status: RunStatus,
    tasks: Iterable[TaskReport],
    devices: Iterable[str],
    *,
    gates: Mapping[str, Any] | None = None,
    usage: UsageReport | None = None,
    knobs: Mapping[str, Any] | None = None,
    elapsed_ms: float = 0.0,
) -> RunReport:
    """Assemble the report from per-task records; per-device figures are derived from them."""
    tasks = sorted(tasks, key=lambda t: t.task_id)
    return RunReport(
        run_id=run_id,
        status=status,
        done=sum(t.status in (TaskStatus.DONE, TaskStatus.SALVAGED) for t in tasks),
        failed=sum(t.status is TaskStatus.FAILED for t in tasks),
        tasks=tasks,
        per_device=_per_device(tasks, devices),
        gates=dict(gates or {}),
        usage=usage or UsageReport(),
        knobs=dict(knobs or {}),
        elapsed_ms=elapsed_ms,
    )


def _per_device(tasks: list[TaskReport], devices: Iterable[str]) -> dict[str, DeviceReport]:
    per = {name: DeviceReport() for name in devices}
    for task in tasks:
        for index, attempt in enumerate(task.attempt_history):
            stats = per.setdefault(attempt.device, DeviceReport())
            stats.dispatched += 1
            stats.busy_ms += attempt.elapsed_ms
            stats.tool_calls += attempt.tool_calls
            if index < len(task.attempt_history) - 1:
                stats.retries += 1
    return per


@dataclass
class SchedulerOutcome:
    """How the scheduled part of a run ended, with one record per task."""

    status: RunStatus
    tasks: list[TaskReport]
    devices: list[str]
    """Every fleet device's name, so an idle one still gets a ``per_device`` row."""
    elapsed_ms: float = 0.0
    """Wall time of the scheduling loop alone, in ms."""
    usage: UsageReport = field(default_factory=UsageReport)
    """Tokens the dispatches spent (the planner's and gates' are added by ``report``)."""

    def report(
        self,
        run_id: str,
        *,
        gates: dict[str, Any] | None = None,
        knobs: dict[str, Any] | None = None,
        extra_usage: UsageReport | None = None,
        status: RunStatus | None = None,
        elapsed_ms: float | None = None,
    ) -> RunReport:
        """The contract-2 report; the run CLI adds gates, planner usage and its own timing."""
        extra = extra_usage or UsageReport()
        usage = UsageReport(
            prompt_tokens=self.usage.prompt_tokens + extra.prompt_tokens,
            completion_tokens=self.usage.completion_tokens + extra.completion_tokens,
        )
        return build_report(
            run_id,
            status or self.status,
            self.tasks,
            self.devices,
            gates=gates,
            usage=usage,
            knobs=knobs,
            elapsed_ms=self.elapsed_ms if elapsed_ms is None else elapsed_ms,
        )


def rebuild_report(events_path: Path) -> RunReport:
    """Rebuild the final report from the event log alone (``swarm report --from-events``)."""
    records = read_events(events_path)
    if not records:
        raise ReportError(f"event log {events_path} holds no events")
    from swarm._replay import Replay  # imported here: the replay builds on this module's models

    return Replay(records).report()


def elapsed_between(first_ts: str, last_ts: str) -> float:
    """Milliseconds between two event timestamps (used when ``run_finished`` is missing)."""
    start = datetime.fromisoformat(first_ts.replace("Z", "+00:00"))
    end = datetime.fromisoformat(last_ts.replace("Z", "+00:00"))
    return (end - start).total_seconds() * 1000
