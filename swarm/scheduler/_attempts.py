"""Per-attempt bookkeeping shared by the scheduler's paths that end an attempt.

``AttemptSink`` is the ``EventSink`` a dispatcher receives for one attempt: it stamps
every event with the task, attempt, epoch and device, writes it to the run's log, and
keeps the live counts (tool calls, files written, last write) the judge reads — but only
while the attempt is still the task's current one, so a cancelled attempt that keeps
talking cannot move the counters of its successor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from swarm.protocols import DispatchResult, EventSink
from swarm.report import AttemptRecord
from swarm.scheduler._state import LiveAttempt, TaskState


class AttemptSink:
    """The event sink handed to ``Dispatcher.dispatch`` for one attempt."""

    def __init__(
        self, log: EventSink, ts: TaskState, live: LiveAttempt, clock: Callable[[], float]
    ):
        self._log, self._ts, self._live, self._clock = log, ts, live, clock

    def emit(self, event: str, **fields: Any) -> None:
        """Log the event stamped with this attempt; update live counts if still current."""
        live = self._live
        self._log.emit(
            event,
            **{
                **fields,
                "task_id": self._ts.task.id,
                "attempt": live.attempt,
                "epoch": live.epoch,
                "device": live.device.name,
            },
        )
        if self._ts.live is not live:
            return  # a stale attempt: logged for the record, ignored by the judge
        if event == "tool_call":
            live.tool_calls += 1
        elif event == "file_written":
            path = str(fields.get("path", ""))
            if path and path not in live.files_written:
                live.files_written.append(path)
            live.last_write = self._clock()


def record_attempt(
    ts: TaskState,
    live: LiveAttempt,
    outcome: str,
    error: str | None,
    result: DispatchResult | None,
    now: float,
) -> AttemptRecord:
    """Append the finished attempt to the task's history and return it."""
    files = list(live.files_written)
    if result is not None:
        files += [f for f in result.files_written if f not in files]
    record = AttemptRecord(
        device=live.device.name,
        outcome=outcome,
        error=error if error is not None else (result.error if result else None),
        elapsed_ms=round((now - live.started) * 1000, 3),
        tool_calls=max(live.tool_calls, result.tool_calls if result else 0),
    )
    ts.attempts.append(record)
    ts.files_written.update(files)
    live.files_written = files
    return record


def attempt_fields(
    ts: TaskState, live: LiveAttempt, record: AttemptRecord, result: DispatchResult | None
) -> dict[str, Any]:
    """The fields every attempt-ending event carries (what the report rebuild reads)."""
    return {
        "task_id": ts.task.id,
        "attempt": live.attempt,
        "epoch": live.epoch,
        "device": record.device,
        "model": live.device.device.model,
        "outcome": record.outcome,
        "error": record.error,
        "elapsed_ms": record.elapsed_ms,
        "tool_calls": record.tool_calls,
        "files_written": list(live.files_written),
        "prompt_tokens": result.prompt_tokens if result else 0,
        "completion_tokens": result.completion_tokens if result else 0,
    }
