"""What every worker of a run shares: the spec, the plan's files, the frozen contracts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from swarm._paths import owned_path
from swarm.protocols import Subtask


@dataclass
class WorkerContext:
    """Run-wide inputs of every worker prompt; gates add review findings between rounds."""

    workdir: Path
    spec: str
    tasks: Mapping[str, Subtask] = field(default_factory=dict)
    details: Mapping[str, str] = field(default_factory=dict)
    frozen_interfaces: str = ""
    clarifications: list[str] = field(default_factory=list)
    review_findings: dict[str, str] = field(default_factory=dict)
    sink_briefing: Callable[[], str] | None = None
    #: Where each attempt's capped conversation is appended; None = not kept.
    transcript: Path | None = None
    scout_findings: str = ""
    """The scouts' ``SCOUT FINDINGS:`` block, already capped ('' when scouts are off)."""

    def findings_for(self, task: Subtask) -> str:
        """Gate findings for a repair; the sink also gets the run's judge/reviewer findings."""
        explicit = self.review_findings.get(task.id, "")
        if explicit or not task.is_sink or task.bonus or self.sink_briefing is None:
            return explicit
        return self.sink_briefing()

    def owners(self) -> dict[str, str]:
        """Owned file path → owning task id."""
        return {path: t.id for t in self.tasks.values() for path in t.owned_files}

    def dependency_files(self, task: Subtask, budget_chars: int) -> dict[str, str]:
        """Contents of files owned by the task's dependencies (transitively), within a budget."""
        found: dict[str, str] = {}
        used = 0
        for dep_id in self._ancestors(task):
            for rel in self.tasks[dep_id].owned_files:
                # owned_path resolves links: one pointing out of the workdir is not followed
                path = owned_path(self.workdir, rel)
                if rel in found or path is None or not path.is_file():
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                if used + len(text) > budget_chars:
                    continue  # skip big files rather than truncating code mid-definition
                found[rel] = text
                used += len(text)
        return found

    def current_files(self, task: Subtask) -> dict[str, str]:
        """Owned files that already exist before this task runs (a later stage, a seed)."""
        found = {}
        for rel in task.owned_files:
            path = owned_path(self.workdir, rel)
            if path is not None and path.is_file():
                found[rel] = path.read_text(encoding="utf-8", errors="replace")
        return found

    def _ancestors(self, task: Subtask) -> list[str]:
        order: list[str] = []
        stack = list(task.deps)
        while stack:
            dep = stack.pop(0)
            if dep in order or dep not in self.tasks:
                continue
            order.append(dep)
            stack.extend(self.tasks[dep].deps)
        return order
