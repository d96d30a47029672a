"""The review mechanisms as one ``SideWork``: what a free slot does when no task wants it.

A due judgment of a live worker comes first (it is about work still in progress, so it
goes stale), then a pre-review of a finished subtask — but not once the integrate-verify
sink runs: its prompt is already written, so findings could no longer reach it. Either
mechanism may be off (None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from brain import Transport
from swarm.events import EventLog
from swarm.judge import TaskView
from swarm.knobs import Knobs
from swarm.pipeline.review._judge import LlmJudge, LlmJudgeSettings
from swarm.pipeline.review._prereview import FindingsSink, PreReviewer, PreReviewSettings
from swarm.protocols import Device, SideCall, Subtask


@dataclass
class ReviewSideWork:
    """Implements ``swarm.protocols.SideWork`` over the LLM judge and the pre-reviewer."""

    judge: LlmJudge | None = None
    prereview: PreReviewer | None = None
    poll_s: float = 2.0

    def next_call(
        self, device: Device, running: Sequence[TaskView], finished: Sequence[str]
    ) -> SideCall | None:
        """A due judgment first, else a pre-review while the sink has not started, else nothing."""
        if self.judge is not None:
            for view in running:
                if self.judge.due(view):
                    return self.judge.call_for(view)
        if self.prereview is not None and not any(v.task.is_sink for v in running):
            return self.prereview.call_for(finished)
        return None


def build_side_work(
    knobs: Knobs,
    transports: Mapping[str, Transport],
    *,
    spec: str,
    workdir: Path,
    tasks: Mapping[str, Subtask],
    events: EventLog,
    sink: FindingsSink | None = None,
) -> ReviewSideWork | None:
    """The run's review side work from its knobs; None when both mechanisms are off."""
    judge = prereview = None
    if knobs.get("judge.llm.enabled"):
        judge = LlmJudge(transports, spec, workdir, LlmJudgeSettings.from_knobs(knobs))
        events.subscribe(judge.observe)
    if knobs.get("prereview.enabled"):
        settings = PreReviewSettings.from_knobs(knobs)
        prereview = PreReviewer(transports, spec, workdir, tasks, events, sink, settings)
    if judge is None and prereview is None:
        return None
    return ReviewSideWork(judge, prereview, knobs.get("judge.llm.poll_s"))
