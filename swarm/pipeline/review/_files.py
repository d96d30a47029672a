"""What a reviewer reads of a task: its owned files on disk, as bounded file blocks.

Both the in-flight judge and the pre-reviewer show the model a task's owned files the way
every other prompt of the project does (``=== FILE: path ===``). Paths come from the plan
(untrusted): a path that escapes the workdir is shown as such, never read.
"""

from __future__ import annotations

from pathlib import Path

from swarm._paths import owned_path
from swarm.protocols import Subtask


def owned_blocks(task: Subtask, workdir: Path, budget_chars: int) -> str:
    """The task's owned files as ``=== FILE: path ===`` blocks, cut to ``budget_chars`` in all."""
    blocks, used = [], 0
    for rel in task.owned_files:
        text = _read(workdir, rel)
        room = max(0, budget_chars - used)
        if len(text) > room:
            text = text[:room] + "\n... (cut: the file is longer)\n"
        used += len(text)
        blocks.append(f"=== FILE: {rel} ===\n{text}")
    return "\n".join(blocks)


def _read(workdir: Path, rel: str) -> str:
    path = owned_path(workdir, rel)
    if path is None:
        return "(outside the workdir: not read)\n"
    if not path.is_file():
        return "(missing: not written yet)\n"
    return path.read_text(encoding="utf-8", errors="replace")
