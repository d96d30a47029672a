"""Idle-node pre-review: a free node reviews a completed subtask for correctness.

When a slot is free and no ready task wants it, the pre-reviewer takes the oldest finished
subtask it has not reviewed (never the sink, never a bonus task) and asks that node's model
for a ``PreReviewReport`` of the task's owned files against its brief and the spec. The call
is a ``SideCall``, bounded in tokens (``prereview.max_tokens``) and time
(``prereview.timeout_s``).

Findings are a model's claims, unconfirmed: they are persisted in
``WORKDIR/.swarm/prereview/<task>.json`` and the ``prereview_findings`` event (task id,
reviewer device, count, the findings), and handed to the integrate-verify sink's briefing
(``SinkGate.add_prereview``), whose prompt asks it to confirm each by running the code and
fix only what is real. No review starts once the sink runs (``ReviewSideWork``); one that
finishes after the sink started is still persisted and reaches a retry of the sink.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from brain import Message, Role, Transport, ask_structured
from swarm.knobs import Knobs, register_knob
from swarm.pipeline.review._files import owned_blocks
from swarm.protocols import Device, EventSink, SideCall, Subtask

register_knob(
    "prereview.enabled",
    bool,
    True,
    "An idle node reviews completed subtasks; findings go to the integrate-verify sink.",
    tunable=True,
)
register_knob(
    "prereview.max_tokens",
    int,
    800,
    "Most tokens one pre-review answer may hold.",
    bounds=(32, 8192),
)
register_knob(
    "prereview.timeout_s",
    float,
    120.0,
    # A review holds a slot a ready task might want; two minutes bounds that wait.
    "Wall limit of one pre-review call (seconds).",
    bounds=(1.0, 3600.0),
)

#: What the reviewer reads (characters) and how many findings one review may hand on.
SPEC_CHARS = 4000
FILES_CHARS = 10_000
MAX_FINDINGS = 12

_SYSTEM = (
    "You are a code reviewer in a coding swarm. A worker finished one task of the plan; "
    "review its files for correctness against its brief and the project spec: wrong "
    "results, missing behaviour, crashes, stubs, names other modules will not find. List "
    "only real problems, each with the file, the line if you know it and one sentence; an "
    "empty list when the code is correct."
)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class ReviewFinding(BaseModel):
    """One problem the pre-reviewer claims to see."""

    file: str = ""
    line: int | None = None
    problem: str
    severity: Literal["high", "medium", "low"] = "medium"

    def as_line(self, task_id: str) -> str:
        """One line of the sink's briefing."""
        where = f"{self.file}:{self.line}" if self.line else self.file or "?"
        return f"{task_id}: {where} ({self.severity}) {self.problem.strip()}"[:400]


class PreReviewReport(BaseModel):
    """The pre-reviewer's structured answer about one completed task."""

    findings: list[ReviewFinding] = Field(
        default_factory=list, description="Real problems only; empty when the code is correct."
    )


class FindingsSink(Protocol):
    """Where findings go for the integrate-verify sink (``SinkGate``)."""

    def add_prereview(self, task_id: str, lines: Sequence[str]) -> None:
        """Keep one task's findings for the sink's briefing."""
        ...


@dataclass(frozen=True)
class PreReviewSettings:
    """The pre-reviewer's knobs, read once per run."""

    max_tokens: int = 800
    timeout_s: float = 120.0

    @classmethod
    def from_knobs(cls, knobs: Knobs) -> PreReviewSettings:
        """Read every ``prereview.*`` bound."""
        return cls(knobs.get("prereview.max_tokens"), knobs.get("prereview.timeout_s"))


@dataclass
class PreReviewer:
    """Picks the next finished subtask to review and runs the review as a ``SideCall``."""

    transports: Mapping[str, Transport]
    spec: str
    workdir: Path
    tasks: Mapping[str, Subtask]
    events: EventSink
    sink: FindingsSink | None = None
    settings: PreReviewSettings = field(default_factory=PreReviewSettings)
    _claimed: set[str] = field(default_factory=set)

    def call_for(self, finished: Sequence[str]) -> SideCall | None:
        """A review of the first finished, reviewable task not yet taken, or None."""
        for task_id in finished:
            task = self.tasks.get(task_id)
            if task is None or task.is_sink or task.bonus or task_id in self._claimed:
                continue
            self._claimed.add(task_id)

            async def run(device: Device, task: Subtask = task) -> None:
                await self.review(task, device)

            return SideCall("prereview", run, task_id=task_id)
        return None

    async def review(self, task: Subtask, device: Device) -> list[ReviewFinding]:
        """Review ``task`` on ``device`` (bounded), then persist and hand on the findings."""
        async with asyncio.timeout(self.settings.timeout_s):
            report = await ask_structured(
                self.transports[device.name],
                self.messages(task),
                PreReviewReport,
                max_tokens=self.settings.max_tokens,
            )
        findings = report.findings[:MAX_FINDINGS]
        lines = [f.as_line(task.id) for f in findings]
        path = self._persist(task, device, findings)
        self.events.emit(
            "prereview_findings",
            task_id=task.id,
            device=device.name,
            findings=len(findings),
            items=lines,
            path=str(path),
        )
        if self.sink is not None and lines:
            self.sink.add_prereview(task.id, lines)
        return findings

    def messages(self, task: Subtask) -> list[Message]:
        """The reviewer's prompt about one completed task."""
        user = "\n\n".join(
            [
                f"PROJECT SPEC:\n{self.spec[:SPEC_CHARS]}",
                f"TASK: {task.id}\nBRIEF: {task.description}",
                f"OWNED FILES: {', '.join(task.owned_files)}",
                owned_blocks(task, self.workdir, FILES_CHARS),
                "YOUR ANSWER:\nReview the task's files now.",
            ]
        )
        return [Message(role=Role.SYSTEM, content=_SYSTEM), Message(role=Role.USER, content=user)]

    def _persist(self, task: Subtask, device: Device, findings: list[ReviewFinding]) -> Path:
        folder = self.workdir / ".swarm" / "prereview"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_SAFE.sub('_', task.id)[:80]}.json"
        record = {
            "task_id": task.id,
            "device": device.name,
            "findings": [f.model_dump() for f in findings],
        }
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
        return path
