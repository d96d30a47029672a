"""Ending an attempt: the retry policy applied, the task finished or re-queued, dependents failed.

The scheduler releases the attempt's device slot and files, then hands it here — from a
dispatch result or from a judge action. Every path records the attempt in the task's
history and emits the event the report rebuild reads (``task_retry`` or
``task_completed``); a failed task fails its file-owning descendants once each.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from swarm.knobs import Knobs
from swarm.protocols import DispatchResult, ErrorClass, EventSink
from swarm.report import TaskStatus
from swarm.retry import RetryAction, decide_retry, files_fingerprint
from swarm.scheduler._attempts import attempt_fields, record_attempt
from swarm.scheduler._state import LiveAttempt, RunState, TaskState


class AttemptOutcomes:
    """Decides and records how released attempts end; mutates only the run's state."""

    def __init__(self, state: RunState, events: EventSink, knobs: Knobs, workdir: Path | None):
        self.state, self.events, self.knobs, self.workdir = state, events, knobs, workdir

    def succeeded(self, ts: TaskState, live: LiveAttempt, result: DispatchResult) -> None:
        """The dispatch returned ok: the device's speed is measured, the task is done."""
        live.device.transient_streak = 0
        elapsed = (asyncio.get_running_loop().time() - live.started) * 1000
        live.device.observe(elapsed, ts.task.estimated_cost)
        self.finish(ts, live, TaskStatus.DONE, "ok", result=result)

    def failed(self, ts: TaskState, live: LiveAttempt, result: DispatchResult) -> None:
        """The dispatch returned an error: retry (maybe elsewhere) or fail the task."""
        error_class = result.error_class or ErrorClass.CONTENT
        error = result.error or f"{error_class.value} error"
        self._note_device_failure(live, error_class)
        fingerprint = (
            files_fingerprint(ts.task, self.workdir) if error_class is ErrorClass.CONTENT else None
        )
        decision = decide_retry(
            error_class,
            error,
            attempts=live.attempt,
            max_attempts=self.knobs.get("retry.max_attempts"),
            device=live.device.name,
            fingerprint=fingerprint,
            previous_fingerprint=ts.last_fingerprint,
        )
        if decision.action is RetryAction.FAIL:
            outcome = (
                "no_progress" if decision.reason.startswith("no progress") else error_class.value
            )
            self.finish(ts, live, TaskStatus.FAILED, outcome, result=result, error=decision.reason)
            return
        ts.last_fingerprint = fingerprint or ts.last_fingerprint
        ts.next_note, ts.avoid_device = decision.note, decision.avoid_device
        self.requeue(
            ts,
            live,
            error_class.value,
            error,
            result=result,
            transient=error_class is ErrorClass.TRANSIENT,
        )

    def _note_device_failure(self, live: LiveAttempt, error_class: ErrorClass) -> None:
        device = live.device
        if error_class is not ErrorClass.TRANSIENT:
            device.transient_streak = 0
            return
        device.transient_streak += 1
        limit = self.knobs.get("fleet.quarantine_after")
        if limit and device.transient_streak >= limit and not device.quarantined:
            device.quarantined = True
            self.events.emit(
                "device_quarantined",
                device=device.name,
                reason=f"{device.transient_streak} transient failures in a row",
            )

    def requeue(
        self,
        ts: TaskState,
        live: LiveAttempt,
        outcome: str,
        error: str,
        *,
        result: DispatchResult | None = None,
        transient: bool = False,
    ) -> None:
        """Record the attempt and leave the task pending for the next claim pass."""
        record = record_attempt(ts, live, outcome, error, result, asyncio.get_running_loop().time())
        self.events.emit(
            "task_retry",
            transient=transient,
            note=ts.next_note,
            **attempt_fields(ts, live, record, result),
        )

    def finish(
        self,
        ts: TaskState,
        live: LiveAttempt,
        status: TaskStatus,
        outcome: str,
        *,
        result: DispatchResult | None = None,
        error: str | None = None,
    ) -> None:
        """End the task with its last attempt; ``error`` is the task-level reason."""
        ts.status, ts.error = status, error
        record = record_attempt(ts, live, outcome, None, result, asyncio.get_running_loop().time())
        self.events.emit(
            "task_completed",
            status=status.value,
            reason=error,
            **attempt_fields(ts, live, record, result),
        )
        if status is TaskStatus.FAILED:
            self._cascade(ts.task.id)

    def _cascade(self, failed_id: str) -> None:
        """Fail file-owning descendants once each, naming the parent; sinks still run."""
        for child_id in self.state.dag.children[failed_id]:
            child = self.state.tasks[child_id]
            if child.status is not TaskStatus.PENDING or child.live is not None:
                continue
            if child.task.is_sink:
                child.failed_dependency = child.failed_dependency or failed_id
                continue
            child.status = TaskStatus.FAILED
            child.error = f"dependency {failed_id!r} failed"
            self.events.emit(
                "task_completed",
                task_id=child_id,
                status="failed",
                reason=child.error,
                failed_dependency=failed_id,
                attempt=0,
            )
            self._cascade(child_id)
