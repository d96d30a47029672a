"""Choose each episode's archetype, persona and task — or have the brain invent the task.

Plans are drawn up front from the run's seed and saved with the run, so a resumed
run replays exactly the same episodes, and two runs with one seed and one catalog draw the
same plans (their episodes pair on (task, seed)). Three sources of tasks:

- ``--suite NAME|FILE``: the suite's fixed list of (task, persona, seed) (``--task`` keeps
  only those tasks' entries);
- the simulated brain: sample the catalog (archetype weighted, persona uniform), or only the
  tasks ``--task`` names;
- an inventing brain (a real one, or the simulator when ``invent`` is set): it invents a
  task at episode start (:func:`gym.generator.invent_task`), admitted only after its
  self-test.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from gym.errors import GymConfigError
from gym.generator._personas import PERSONAS
from gym.generator._suites import Suite
from verifier import Archetype, Task

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
    entries = suite.episodes
    if config.tasks:  # --task limits a suite to its entries of those tasks
        entries = [e for e in entries if e.task in config.tasks]
        if not entries:
            raise GymConfigError(
                f"suite {suite.name} has no episode of task {', '.join(config.tasks)}"
            )
    plans = []
    for i, entry in enumerate(entries):
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
    chosen = rng.choice(pool) if pool else None
    task = chosen.id if chosen else ""
    if config.tasks and chosen and not config.archetype:
        # A run limited by --task: the draw only picks among those tasks, so each plays as
        # what it is (continue-existing may play any task, from an earlier stage).
        if archetype != Archetype.CONTINUE_EXISTING:
            archetype = chosen.archetype.value
    return EpisodePlan(
        index=index,
        archetype=archetype,
        persona=persona,
        task=task,
        seed=seed,
        max_turns=config.max_turns,
        invent=invent,
    )
