"""Whether anything was built: a tree holding only what we gave it has nothing to grade.

Diagnostics, the cluster's health and the judge's dimensions say nothing true about a
model that wrote nothing: an empty tree has no lint errors and no bugs. Such a tree makes
those dimensions inconclusive ("nothing was built") instead of a vacuous pass.
"""

from __future__ import annotations

import os
from fnmatch import fnmatch
from pathlib import Path

from verifier._task import Task
from verifier._workspace import IGNORED


def _given(rel: str, path: Path, seed: Path | None) -> bool:
    """True for a file we handed over (a seed file, unchanged)."""
    if seed is None:
        return False
    original = seed / rel
    return original.is_file() and original.read_bytes() == path.read_bytes()


def _ignored(name: str) -> bool:
    return any(fnmatch(name, pattern) for pattern in IGNORED)


def anything_built(workdir: Path, task: Task) -> bool:
    """True when ``workdir`` holds a regular file the run made or changed.

    Symlinks and special files are never followed or counted; harness folders
    (``.swarm``, caches) do not count.
    """
    seed = task.seed_dir
    for here, dirs, files in os.walk(workdir, followlinks=False):
        dirs[:] = [d for d in dirs if not _ignored(d)]
        for name in files:
            path = Path(here) / name
            if _ignored(name):
                continue
            if path.is_symlink() or not path.is_file():
                continue
            if not _given(path.relative_to(workdir).as_posix(), path, seed):
                return True
    return False


#: Dimensions that say nothing true about a tree where nothing was built.
UNBUILT_INCONCLUSIVE = ("diagnostics", "cluster", "requirements", "code_quality", "bugs")
#: The finding code those dimensions carry then.
NOTHING_BUILT = "nothing_built"
