"""Where a run came from: the code version that produced it (the gym's, and the swarm's)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def code_version(repo: Path | None = None) -> str:
    """The git sha (``+dirty`` when the tree has changes) of ``repo``, or '' outside git."""
    repo = repo or Path(__file__).resolve().parent.parent
    try:
        sha = _git(repo, "rev-parse", "HEAD")
        dirty = _git(repo, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"{sha}+dirty" if dirty else sha


def _git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=5, check=True
    )
    return out.stdout.strip()


#: The swarm version of a run whose checkout is not a git work tree (or git is missing).
UNKNOWN_VERSION = "unknown"


def checkout_version(path: Path) -> str:
    """``<sha>`` or ``<sha>+dirty`` of the git checkout holding ``path``; 'unknown' outside git.

    The swarm's code version: a fix lands as a new sha, and a run from an edited tree says
    ``+dirty`` so it is never taken for the commit it started from.
    """
    return code_version(path if path.is_dir() else path.parent) or UNKNOWN_VERSION
