"""Build overlap on frozen interfaces: dependants start beside the modules they use.

Once the contracts froze every module's public interface, a task no longer has to wait
for the code of a dependency whose every owned Python file has a frozen stub: it builds
against the interface, as the dependency's own worker does. The dependency edges to such
modules are dropped from the DAG the scheduler runs (the workers still see the original
deps, so a finished dependency's real code is shown to them), the sink keeps every edge,
and each frozen stub not yet on disk is written first, so a dependant's imports and its
skeleton check already work while its dependencies are being built. Test tasks are the
main beneficiary: they run beside the modules they test instead of after them.

``planner.detail_overlap`` (registered here with it) runs the planner's details beside the
contract freeze rather than before it: neither reads the other.

The build benchmark (``benchmarks/build_bench.py``) measured both cuts. The edge cut is off
by default because it changes what a worker sees when it starts (a stub, not the code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from swarm._paths import owned_path
from swarm.knobs import register_knob
from swarm.protocols import EventSink, Subtask

register_knob(
    "build.frozen_overlap",
    bool,
    False,
    "Drop dependency edges to modules whose interfaces the contracts froze (their stubs "
    "are written first), so dependants and test tasks build beside them; the sink still "
    "waits for everything.",
    tunable=True,
)

register_knob(
    "planner.detail_overlap",
    bool,
    True,
    "Expand the subtask details beside the contract freeze (both need only the plan) "
    "instead of before it.",
    tunable=True,
)

#: A stub bigger than this is not written (a frozen interface is signatures, not code).
MAX_STUB_BYTES = 200_000


def _frozen_module(task: Subtask, stubs: dict[str, str]) -> bool:
    """True when the task owns Python files and every one of them has a frozen stub."""
    py = [p for p in task.owned_files if p.endswith(".py")]
    return bool(py) and len(py) == len(task.owned_files) and all(p in stubs for p in py)


def overlap_tasks(tasks: Sequence[Subtask], stubs: dict[str, str]) -> list[Subtask]:
    """The tasks with every edge to a fully frozen module dropped (the sink's kept)."""
    frozen = {t.id for t in tasks if _frozen_module(t, stubs)}
    out = []
    for task in tasks:
        if task.is_sink:
            out.append(task)
            continue
        out.append(replace(task, deps=tuple(d for d in task.deps if d not in frozen)))
    return out


def write_stubs(workdir: Path, tasks: Sequence[Subtask], stubs: dict[str, str]) -> list[str]:
    """Write each frozen stub that a task owns and that is not on disk yet; the paths written."""
    owned = {p for t in tasks for p in t.owned_files}
    written = []
    for rel, text in sorted(stubs.items()):
        path = owned_path(workdir, rel) if rel in owned and rel.endswith(".py") else None
        if path is None or path.exists() or len(text.encode()) > MAX_STUB_BYTES:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    return written


def apply_overlap(
    workdir: Path, tasks: Sequence[Subtask], stubs: dict[str, str], events: EventSink
) -> list[Subtask]:
    """Write the stubs, relax the edges, say so (``build_overlap``); the tasks to schedule."""
    relaxed = overlap_tasks(tasks, stubs)
    dropped = sum(len(a.deps) - len(b.deps) for a, b in zip(tasks, relaxed, strict=True))
    written = write_stubs(workdir, tasks, stubs) if dropped else []
    events.emit("build_overlap", edges_dropped=dropped, stubs_written=written)
    return relaxed
