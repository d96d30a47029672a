"""Where an episode starts: the task's seed codebase, an earlier stage's reference, a kept
green app (only when asked), or an empty dir.

continue-existing starts from the task's own seed, or — for a task without one — from the
reference of stage 1 and asks for stage 2. Both come from the task, so two runs with one
seed start every episode from the same tree and pair up. A green app kept by an earlier
episode is used only with ``from_kept`` (``gym run --from-kept``): it asks for that task's
next stage, but which app is there depends on earlier runs, so such runs do not pair.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from gym.episode._kept import KeptApps
from gym.generator import EpisodePlan
from verifier import Archetype, Task


@dataclass(frozen=True)
class Start:
    """The task, the stage of the first turn, and the tree the workdir starts from."""

    task: Task
    stage: int
    source: str  # "fresh" | "seed" | "reference" | "kept"
    tree: Path | None = None


def resolve_start(plan: EpisodePlan, tasks: dict[str, Task], kept: KeptApps | None) -> Start:
    """Decide the starting point; ``kept`` is None unless kept apps were asked for."""
    task = tasks[plan.task]
    if plan.archetype == Archetype.CONTINUE_EXISTING:
        if kept is not None:
            app = kept.pick({t.id: t.max_stage for t in tasks.values()}, plan.seed)
            if app is not None:
                return Start(tasks[app.task], app.stage + 1, "kept", app.path)
        reference = task.reference_dir(1)
        if task.seed_dir is None and task.max_stage >= 2 and reference is not None:
            return Start(task, 2, "reference", reference)
    if task.seed_dir is not None:
        return Start(task, 1, "seed", task.seed_dir)
    return Start(task, 1, "fresh")


def prepare_workdir(start: Start, workdir: Path) -> None:
    """Create an empty workdir, or one holding a copy of the starting tree."""
    shutil.rmtree(workdir, ignore_errors=True)
    if start.tree is None:
        workdir.mkdir(parents=True)
    else:
        shutil.copytree(start.tree, workdir, symlinks=True)  # a kept app's links stay links
