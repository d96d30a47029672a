"""Invented tasks earn their place: spec, checks and a reference solution, self-tested.

The brain invents a task in contract-1 form together with a reference solution. It is
admitted only when, in the sandbox, the reference passes every check and a deterministic
mutant of the reference fails at least one (:mod:`gym.generator._selfcheck`): golden values
nobody ran, and checks that cannot fail, never reach an episode. A rejected invention is
asked for again, with the reason, at most :data:`INVENTION_TRIES` times; every rejection is
returned so the episode's ledger record counts it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import tomli_w
from pydantic import BaseModel, Field

from brain import Transport
from gym.errors import InfraError
from gym.generator._selfcheck import self_check
from gym.prompts import ask_brain, render
from verifier import Archetype, Check, Task, TaskError, clean_line, load_task

#: Inventions asked for per episode before the episode is an infrastructure failure.
INVENTION_TRIES = 3
#: Reference files an invention may carry, and their total size: a small app, not a dump.
_MAX_FILES, _MAX_BYTES = 200, 2_000_000


class InventedFile(BaseModel):
    """One file of the invented reference solution."""

    path: str = Field(description="Relative POSIX path inside the app, e.g. 'notes/cli.py'.")
    content: str = Field(description="The file's full text.")


class InventedTask(BaseModel):
    """A task the brain invents (schema name ``InventedTask``): contract 1 plus its reference.

    Stage 1 only: a follow-up stage has no reference of its own, so its checks could never
    be self-tested.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    archetype: Archetype
    difficulty: int = Field(ge=1, le=5)
    spec: str = Field(min_length=1)
    hidden: list[str] = Field(default_factory=list)
    entry: str = Field(description="e.g. 'python -m inventory'")
    checks: list[Check] = Field(min_length=1)
    reference: list[InventedFile] = Field(
        min_length=1, description="A correct solution: every check must pass on it."
    )


@dataclass
class Invention:
    """What inventing one episode's task came to."""

    #: The admitted task, loaded back through the verifier.
    task: Task
    #: Its folder: ``task.toml`` and ``reference/`` (stored as the episode's task artifact).
    task_dir: Path
    #: One line per rejected invention, in the order they were rejected.
    rejections: list[str] = field(default_factory=list)


class InventionRejected(InfraError):
    """Every try was rejected by the self-test; carries the reasons for the ledger."""

    def __init__(self, message: str, rejections: list[str]):
        super().__init__(message)
        self.rejections = rejections


async def invent_task(
    brain: Transport,
    *,
    archetype: str,
    seed: int,
    avoid_ids: list[str],
    out_dir: Path,
    tries: int = INVENTION_TRIES,
) -> Invention:
    """Ask the brain for a task until one passes its self-test (at most ``tries`` times).

    InfraError when the brain cannot answer; :class:`InventionRejected` when every try was
    rejected — the caller records the episode as an infrastructure failure, never a grade.
    """
    if archetype in ("", Archetype.CONTINUE_EXISTING):
        archetype = Archetype.HEAVY_SPEC.value  # an invented task has no seed codebase
    rejections: list[str] = []
    for attempt in range(1, tries + 1):
        prompt = render(
            "invent_task.j2",
            archetype=archetype,
            difficulty=1 + seed % 3,
            avoid_ids=avoid_ids,
            seed=seed,
            attempt=attempt,
            rejected=rejections[-1] if rejections else "",
        )
        invented = await ask_brain(brain, prompt, InventedTask, what="invent a task")
        task_dir = out_dir / f"{seed}-try{attempt}"
        reason = await _admit(invented, task_dir, set(avoid_ids), seed)
        if isinstance(reason, Task):
            return Invention(reason, Path(reason.root or task_dir), rejections)
        rejections.append(f"try {attempt} ({clean_line(invented.id, 60)}): {reason}")
    raise InventionRejected(
        f"no invented task passed its self-test in {tries} tries: {rejections[-1]}", rejections
    )


async def _admit(invented: InventedTask, task_dir: Path, taken: set[str], seed: int) -> Task | str:
    """The admitted task, or one line saying why it was rejected."""
    try:
        task = write_task(invented, task_dir, taken=taken, seed=seed)
    except InfraError as exc:
        return str(exc)
    # A rejected invention stays in the run folder: it is the evidence for its rejection.
    problem = await asyncio.to_thread(self_check, task)
    return task if problem is None else problem


def write_task(invented: InventedTask, out_dir: Path, *, taken: set[str], seed: int) -> Task:
    """Write ``out_dir/<id>/task.toml`` and ``reference/`` and load it through the verifier.

    InfraError when the task is not valid contract 1 or a reference path is unsafe.
    """
    data = invented.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.pop("reference")
    if data["id"] in taken:
        data["id"] = f"{data['id']}-{seed}"
    task_dir = out_dir / data["id"]
    task_dir.mkdir(parents=True, exist_ok=True)
    (task_dir / "task.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    write_reference(invented.reference, task_dir / "reference")
    try:
        return load_task(task_dir)
    except TaskError as exc:
        raise InfraError(f"invented task is not valid: {exc}") from exc


def write_reference(files: list[InventedFile], root: Path) -> None:
    """Write the reference tree; a path that escapes it, or an oversized tree, is refused.

    The brain's answer is untrusted: paths are checked before anything is written.
    """
    if len(files) > _MAX_FILES or sum(len(f.content) for f in files) > _MAX_BYTES:
        raise InfraError(f"invented reference is too large ({len(files)} files)")
    for item in files:
        rel = PurePosixPath(item.path.strip())
        if rel.is_absolute() or not rel.parts or ".." in rel.parts or rel.parts[0] == ".swarm":
            raise InfraError(f"invented reference path is unsafe: {clean_line(item.path, 80)}")
        target = root.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.content, encoding="utf-8")
