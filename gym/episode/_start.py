"""Where an episode starts: a kept green app, the task's seed codebase, or an empty dir.

continue-existing prefers a green app kept by an earlier episode (and asks for that
task's next stage), else the task's own seed; the generator has already fallen back
to a heavy-spec task when the catalog offers no continue-existing one.
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
    source: str  # "fresh" | "seed" | "kept"
    tree: Path | None = None


def resolve_start(plan: EpisodePlan, tasks: dict[str, Task], kept: KeptApps | None) -> Start:
    """Decide the starting point; ``kept`` is None for suites (fixed, reproducible starts)."""
    if plan.archetype == Archetype.CONTINUE_EXISTING and kept is not None:
        app = kept.pick({t.id: t.max_stage for t in tasks.values()}, plan.seed)
        if app is not None:
            return Start(tasks[app.task], app.stage + 1, "kept", app.path)
    task = tasks[plan.task]
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
