"""Whether anything was built: a tree holding only what we gave it has nothing to grade.

Diagnostics, the cluster's health and the judge's dimensions say nothing true about a
model that wrote nothing: an empty tree has no lint errors and no bugs. Such a tree makes
those dimensions inconclusive ("nothing was built") instead of a vacuous pass.
"""

from __future__ import annotations

from pathlib import Path

from verifier._task import Task
from verifier._workspace import IGNORED
from verifier.sandbox import read_tree_file, tree_files


def _given(workdir: Path, rel: str, size: int, seed: Path | None) -> bool:
    """True for a file we handed over (a seed file, unchanged)."""
    original = None if seed is None else seed / rel
    if original is None or not original.is_file() or original.stat().st_size != size:
        return False
    return read_tree_file(workdir, rel, max_bytes=size) == original.read_bytes()


def anything_built(workdir: Path, task: Task) -> bool:
    """True when ``workdir`` holds a regular file the run made or changed.

    Read through the sandbox's tree reader: symlinks and special files are never followed
    or counted; harness folders (``.swarm``, caches) do not count.
    """
    files = tree_files(workdir, skip=IGNORED)
    return any(not _given(workdir, rel, size, task.seed_dir) for rel, size in files.items())


#: Dimensions that say nothing true about a tree where nothing was built.
UNBUILT_INCONCLUSIVE = ("diagnostics", "cluster", "requirements", "code_quality", "bugs")
#: The finding code those dimensions carry then.
NOTHING_BUILT = "nothing_built"
