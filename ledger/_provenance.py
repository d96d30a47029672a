"""Where a run came from: the code version that produced it."""

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
