"""One bounded repair round: each finding goes, verbatim, to the worker owning its file."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from swarm.pipeline.gates._result import GateFinding
from swarm.protocols import Assignment, Device, Dispatcher, DispatchResult, EventSink


class RepairSink:
    """Stamps a repair attempt's events the way the scheduler stamps its own."""

    def __init__(
        self, events: EventSink, task_id: str, device: str, attempt: int, gate: str
    ) -> None:
        self.events = events
        self.stamp = {"task_id": task_id, "device": device, "attempt": attempt, "repair": gate}

    def emit(self, event: str, **fields: Any) -> None:
        """Forward with the repair's task, device, attempt and gate."""
        self.events.emit(event, **{**fields, **self.stamp})


def route(
    findings: Sequence[GateFinding], owners: Mapping[str, str], fallback: str
) -> dict[str, list[GateFinding]]:
    """Group findings by the task owning their file; unowned ones go to ``fallback``."""
    routed: dict[str, list[GateFinding]] = {}
    for finding in findings:
        owner = owners.get(finding.file or "", fallback)
        routed.setdefault(owner, []).append(finding)
    return routed


async def repair_round(
    gate: str,
    routed: Mapping[str, list[GateFinding]],
    *,
    tasks: Mapping[str, Any],
    attempts: Mapping[str, int],
    review_findings: dict[str, str],
    dispatcher: Dispatcher,
    devices: Sequence[Device],
    events: EventSink,
) -> dict[str, bool]:
    """Re-dispatch every routed task once, in parallel; returns task id → ok."""
    jobs = []
    for index, (task_id, found) in enumerate(sorted(routed.items())):
        review_findings[task_id] = "\n".join(f.as_instruction() for f in found)
        device = devices[index % len(devices)]
        attempt = attempts.get(task_id, 0) + 1
        assignment = Assignment(task=tasks[task_id], device=device, attempt=attempt, epoch=0)
        events.emit(
            "gate_repair", gate=gate, task_id=task_id, device=device.name, findings=len(found)
        )
        jobs.append(
            dispatcher.dispatch(assignment, RepairSink(events, task_id, device.name, attempt, gate))
        )
    try:
        results: list[DispatchResult] = await asyncio.gather(*jobs)
    finally:
        for task_id in routed:
            review_findings.pop(task_id, None)
    outcome = {}
    for task_id, result in zip(sorted(routed), results, strict=True):
        outcome[task_id] = result.ok
        events.emit(
            "gate_repair_done",
            gate=gate,
            task_id=task_id,
            ok=result.ok,
            error=result.error,
            files_written=result.files_written,
        )
    return outcome
