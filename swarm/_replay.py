"""Replays an event log into a ``RunReport`` (``swarm report --from-events``).

It reads only what the scheduler and the run CLI wrote: the task list from
``plan_loaded``/``plan_extended``, one attempt per attempt-ending event
(``task_retry``, ``task_interrupted``, ``task_completed`` with a device), task status from
``task_completed``, and run-level fields from ``run_started``/``run_finished``. A log with
no ``run_finished`` is a killed run: status ``stuck`` if the scheduler said so, else
``interrupted``.
"""

from __future__ import annotations

from typing import Any

from swarm.report import (
    AttemptRecord,
    RunReport,
    RunStatus,
    TaskReport,
    TaskStatus,
    UsageReport,
    build_report,
    elapsed_between,
)

_ATTEMPT_ENDS = ("task_retry", "task_interrupted", "task_completed")


class Replay:
    """Folds event records, in order, into per-task and run-level state."""

    def __init__(self, records: list[dict[str, Any]]):
        self.records = records
        self.tasks: dict[str, TaskReport] = {}
        self.devices: list[str] = []
        self.run: dict[str, Any] = {}
        self.stuck = False
        self.fallback = False
        self.final_status: str | None = None
        self.tokens = UsageReport()
        for record in records:
            self._apply(record)

    def _apply(self, record: dict[str, Any]) -> None:
        event = record["event"]
        if event in ("plan_loaded", "plan_extended"):
            self._add_tasks(record)
        elif event == "task_dispatched":
            self._dispatched(record)
        elif event in _ATTEMPT_ENDS:
            self._attempt_end(record)
        elif event == "scheduler_stuck":
            self.stuck = True
        elif event == "plan_fallback":
            self.fallback = True
        elif event in ("run_started", "run_finished"):
            self.run.update({k: v for k, v in record.items() if v is not None})
            self._pool(record.get("pool"))
            if event == "run_finished":
                self.final_status = record.get("status")
        elif event in ("smoke", "review"):
            self.run.setdefault("gate_events", {})[event] = _strip(record)
        usage = record.get("usage")
        if isinstance(usage, dict) and event != "run_finished":
            self._add_tokens(usage)

    def _add_tasks(self, record: dict[str, Any]) -> None:
        for task in record.get("tasks", []):
            self.tasks.setdefault(
                task["id"],
                TaskReport(
                    task_id=task["id"], status=TaskStatus.PENDING, bonus=bool(task.get("bonus"))
                ),
            )
        self._pool(record.get("devices"))

    def _pool(self, pool: Any) -> None:
        for node in pool or []:
            name = node.get("name") if isinstance(node, dict) else None
            if name and name not in self.devices:
                self.devices.append(name)

    def _task(self, task_id: str) -> TaskReport:
        return self.tasks.setdefault(
            task_id, TaskReport(task_id=task_id, status=TaskStatus.PENDING)
        )

    def _dispatched(self, record: dict[str, Any]) -> None:
        task = self._task(record["task_id"])
        task.status = TaskStatus.RUNNING
        task.device, task.model = record.get("device"), record.get("model")

    def _attempt_end(self, record: dict[str, Any]) -> None:
        task = self._task(record["task_id"])
        if record.get("device") is not None:
            task.attempt_history.append(
                AttemptRecord(
                    device=record["device"],
                    outcome=record.get("outcome", "unknown"),
                    error=record.get("error"),
                    elapsed_ms=record.get("elapsed_ms", 0.0),
                    tool_calls=record.get("tool_calls", 0),
                )
            )
            task.files_written = sorted(
                set(task.files_written) | set(record.get("files_written") or [])
            )
            self._add_tokens(record)
        task.attempts = len(task.attempt_history)
        task.elapsed_ms = sum(a.elapsed_ms for a in task.attempt_history)
        task.tool_calls = sum(a.tool_calls for a in task.attempt_history)
        if record["event"] == "task_completed":
            task.status = TaskStatus(record["status"])
            task.error = record.get("reason")
        else:
            task.status = TaskStatus.PENDING

    def _add_tokens(self, fields: dict[str, Any]) -> None:
        self.tokens.prompt_tokens += int(fields.get("prompt_tokens") or 0)
        self.tokens.completion_tokens += int(fields.get("completion_tokens") or 0)

    def _status(self) -> RunStatus:
        if self.final_status in RunStatus.__members__.values():
            return RunStatus(self.final_status)
        return RunStatus.STUCK if self.stuck else RunStatus.INTERRUPTED

    def report(self) -> RunReport:
        """The report these events describe."""
        first = self.records[0]
        usage = self.run.get("usage")
        elapsed = self.run.get("elapsed_ms")
        if elapsed is None:
            elapsed = elapsed_between(first["ts"], self.records[-1]["ts"])
        gates = self.run.get("gates") or self.run.get("gate_events") or {}
        return build_report(
            first.get("run_id", ""),
            self._status(),
            self.tasks.values(),
            self.devices,
            gates=gates,
            knobs=self.run.get("knobs") or {},
            elapsed_ms=float(elapsed),
            usage=UsageReport(**usage) if isinstance(usage, dict) else self.tokens,
        ).model_copy(
            update={
                "reason": self.run.get("reason"),
                "infra_reason": self.run.get("infra_reason"),
                "plan_fallback": self.fallback,
            }
        )


def _strip(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("ts", "seq", "run_id", "event")}
