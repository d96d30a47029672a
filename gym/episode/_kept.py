"""Green apps kept for continue-existing episodes.

When a turn is graded green below the task's last stage, its produced tree is kept under
``<gym_dir>/kept/<sim|real>/<task>/stage-<n>/<key>/`` so a later continue-existing
episode can start from it and ask for the task's next stage. Simulated and real
apps are kept apart: a simulator's output never seeds a real-model episode.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from gym.collector import NOT_PRODUCED


def _not_kept(directory: str, names: list[str]) -> set[str]:
    """Bookkeeping folders, and special files (a FIFO would block or break the copy)."""
    skipped = set(shutil.ignore_patterns(*NOT_PRODUCED)(directory, names))
    for name in names:
        path = Path(directory, name)
        if not (path.is_symlink() or path.is_dir() or path.is_file()):
            skipped.add(name)
    return skipped


@dataclass(frozen=True)
class KeptApp:
    """A kept green app: the task it solves, the stage it reached and its tree."""

    task: str
    stage: int
    path: Path


class KeptApps:
    """The store of kept green apps of one kind (simulated or real)."""

    def __init__(self, gym_dir: Path, *, simulated: bool):
        self.root = gym_dir / "kept" / ("sim" if simulated else "real")
        self._taken: set[Path] = set()  # continued in this run already

    def keep(self, task: str, stage: int, workdir: Path, key: str) -> KeptApp:
        """Copy ``workdir``'s app into the store (atomically: readers never see half a tree)."""
        dest = self.root / task / f"stage-{stage}" / key
        tmp = dest.with_name(f".{key}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        # The tree is untrusted: links are kept as links (never their targets' contents).
        shutil.copytree(workdir, tmp, symlinks=True, ignore=_not_kept)
        shutil.rmtree(dest, ignore_errors=True)
        tmp.rename(dest)
        return KeptApp(task, stage, dest)

    def all(self) -> list[KeptApp]:
        """Every kept app, in a stable order."""
        apps = []
        for path in sorted(self.root.glob("*/stage-*/*")):
            if path.is_dir() and not path.name.startswith("."):
                stage = int(path.parent.name.removeprefix("stage-"))
                apps.append(KeptApp(path.parent.parent.name, stage, path))
        return apps

    def pick(self, max_stage: dict[str, int], seed: int) -> KeptApp | None:
        """A kept app whose task still has a next stage (``max_stage`` by task id), by seed.

        Each kept app is continued at most once per run, so one green app does not
        turn every later continue-existing episode into the same episode.
        """
        usable = [
            a
            for a in self.all()
            if a.stage < max_stage.get(a.task, 0) and a.path not in self._taken
        ]
        if not usable:
            return None
        app = random.Random(seed).choice(usable)
        self._taken.add(app.path)
        return app
