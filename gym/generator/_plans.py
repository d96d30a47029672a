"""Choose each episode's archetype, persona and task — or have the brain invent the task.

Plans are drawn up front from the run's seed and saved with the run, so a resumed
run replays exactly the same episodes. Three sources of tasks:

- ``--suite NAME``: the suite's fixed list of (task, persona, seed);
- the simulated brain: sample the catalog (archetype weighted, persona uniform);
- a real brain: it invents a task in contract-1 form at episode start
  (:func:`invent_task`), its checks validated for form before use.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w
from pydantic import BaseModel, Field

from brain import Transport
from gym.errors import GymConfigError, InfraError
from gym.generator._personas import PERSONAS
from gym.generator._suites import Suite
from gym.prompts import ask_brain, render
from verifier import Archetype, Check, Stage, Task, TaskError, load_task

if TYPE_CHECKING:  # annotations only: gym.config imports this package's personas
    from gym.config import GymConfig


class EpisodePlan(BaseModel):
    """One episode as planned: the key that makes a resumed run replay it exactly."""

    index: int = Field(ge=0)
    archetype: str
    persona: str
    task: str = Field(description="Catalog task id; for invented tasks, the fallback.")
    seed: int = Field(description="Distinct within a run: it keys the episode in the ledger.")
    max_turns: int = Field(ge=1, le=6)
    invent: bool = Field(default=False, description="The brain invents the task at start.")


class InventedTask(BaseModel):
    """A task the brain invents (schema name ``InventedTask``): contract 1 without files."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    archetype: Archetype
    difficulty: int = Field(ge=1, le=5)
    spec: str = Field(min_length=1)
    hidden: list[str] = Field(default_factory=list)
    entry: str = Field(description="e.g. 'python -m inventory'")
    checks: list[Check] = Field(min_length=1)
    stages: list[Stage] = Field(default_factory=list)


def plan_episodes(
    config: GymConfig, tasks: list[Task], *, suite: Suite | None, invent: bool
) -> list[EpisodePlan]:
    """All episodes of a run, deterministic in ``config.seed`` (or fixed by the suite)."""
    if suite is not None:
        return _suite_plans(config, suite, {t.id: t for t in tasks})
    if not tasks and not invent:
        raise GymConfigError("the task catalog is empty: nothing to run")
    rng = random.Random(config.seed)
    seeds = rng.sample(range(1, 2**31), config.episodes)  # distinct by construction
    personas = _persona_cycle(config, rng)
    return [
        _sample(config, tasks, i, seed, personas[i], rng, invent) for i, seed in enumerate(seeds)
    ]


def _persona_cycle(config: GymConfig, rng: random.Random) -> list[str]:
    """Personas in shuffled rounds, so every persona plays before any plays twice."""
    if config.persona:
        return [config.persona] * config.episodes
    order: list[str] = []
    while len(order) < config.episodes:
        round_ = list(PERSONAS)
        rng.shuffle(round_)
        order += round_
    return order[: config.episodes]


def _suite_plans(config: GymConfig, suite: Suite, known: dict[str, Task]) -> list[EpisodePlan]:
    plans = []
    for i, entry in enumerate(suite.episodes):
        if entry.task not in known:
            raise GymConfigError(f"suite {suite.name}: unknown task {entry.task!r}")
        if entry.persona not in PERSONAS:
            raise GymConfigError(f"suite {suite.name}: unknown persona {entry.persona!r}")
        plans.append(
            EpisodePlan(
                index=i,
                archetype=known[entry.task].archetype.value,
                persona=entry.persona,
                task=entry.task,
                seed=entry.seed,
                max_turns=entry.max_turns or config.max_turns,
            )
        )
    return plans


def _sample(
    config: GymConfig,
    tasks: list[Task],
    index: int,
    seed: int,
    persona: str,
    rng: random.Random,
    invent: bool,
) -> EpisodePlan:
    weights = config.archetype_weights
    archetype = config.archetype or rng.choices(list(weights), list(weights.values()))[0]
    pool = [t for t in tasks if t.archetype == archetype]
    if not pool:  # no task of this archetype: continue-existing falls back to heavy-spec
        pool = [t for t in tasks if t.archetype == Archetype.HEAVY_SPEC] or tasks
    task = rng.choice(pool).id if pool else ""
    return EpisodePlan(
        index=index,
        archetype=archetype,
        persona=persona,
        task=task,
        seed=seed,
        max_turns=config.max_turns,
        invent=invent,
    )


async def invent_task(
    brain: Transport, plan: EpisodePlan, *, avoid_ids: list[str], out_dir: Path
) -> Task:
    """Ask the brain for a new task, write it as ``task.toml`` and load it back (form check).

    InfraError when the brain cannot produce a valid task; the caller records the
    episode as an infrastructure failure rather than inventing a grade.
    """
    archetype = plan.archetype or Archetype.HEAVY_SPEC.value
    if archetype == Archetype.CONTINUE_EXISTING:
        archetype = Archetype.HEAVY_SPEC.value  # an invented task has no seed codebase
    prompt = render(
        "invent_task.j2",
        archetype=archetype,
        difficulty=1 + plan.seed % 3,
        avoid_ids=avoid_ids,
        seed=plan.seed,
    )
    invented = await ask_brain(brain, prompt, InventedTask, what="invent a task")
    return write_task(invented, out_dir, taken=set(avoid_ids), seed=plan.seed)


def write_task(invented: InventedTask, out_dir: Path, *, taken: set[str], seed: int) -> Task:
    """Write ``out_dir/<id>/task.toml`` in contract-1 form and load it through the verifier."""
    data = invented.model_dump(mode="json", by_alias=True, exclude_none=True)
    if data["id"] in taken:
        data["id"] = f"{data['id']}-{seed}"
    task_dir = out_dir / data["id"]
    task_dir.mkdir(parents=True, exist_ok=True)
    (task_dir / "task.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    try:
        return load_task(task_dir)
    except TaskError as exc:
        raise InfraError(f"invented task is not valid: {exc}") from exc
