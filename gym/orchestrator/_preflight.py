"""Check everything the user gave before anything is written.

Unknown suite, a task file that does not load, a fleet or brain URL that is
malformed or does not answer: each is one GymConfigError line, raised before
the ledger or the run folder is touched.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from brain import (
    BrainError,
    NodeSpec,
    Transport,
    mark_simulated,
    parse_fleet_spec,
    parse_node_spec,
    transport_for,
)
from gym.catalog import CATALOG_DIR
from gym.config import GymConfig
from gym.errors import GymConfigError
from gym.generator import Suite, load_suite
from verifier import Task, TaskError, discover_tasks

#: Seconds a node gets to answer the probe: a local server that is up answers at once;
#: a model still loading is given a little grace before we call the URL dead.
PROBE_TIMEOUT_S = 15.0


@dataclass
class Prepared:
    """The validated inputs of a run."""

    tasks: list[Task]
    suite: Suite | None
    fleet: list[NodeSpec]
    brain_node: NodeSpec
    brain: Transport

    @property
    def simulated(self) -> bool:
        """True when the brain or a fleet node is the simulator, by URL or found by the probe."""
        return self.brain_node.simulated or any(n.simulated for n in self.fleet)


def load_catalog(config: GymConfig) -> list[Task]:
    """The task catalog (built-in unless ``catalog_dir`` is set); a bad task file is bad input."""
    root = Path(config.catalog_dir) if config.catalog_dir else CATALOG_DIR
    if not root.is_dir():
        raise GymConfigError(f"catalog {root} is not a directory")
    try:
        return discover_tasks(root)
    except TaskError as exc:
        raise GymConfigError(str(exc)) from None


def only_tasks(tasks: list[Task], wanted: list[str]) -> list[Task]:
    """The catalog limited to ``wanted`` task ids (all of it when none); unknown id = bad input."""
    if not wanted:
        return tasks
    known = {t.id: t for t in tasks}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise GymConfigError(
            f"unknown task {unknown[0]!r}; known: {', '.join(sorted(known))} (see `gym tasks list`)"
        )
    return [known[w] for w in dict.fromkeys(wanted)]


async def prepare(config: GymConfig) -> Prepared:
    """Validate the config against the catalog, suites and the live fleet and brain."""
    tasks = only_tasks(load_catalog(config), config.tasks)
    suite = load_suite(config.suite) if config.suite else None
    try:
        fleet = parse_fleet_spec(config.fleet)
        brain_node = parse_node_spec(config.brain)
        brain = transport_for(brain_node.url, model=brain_node.model or None)
    except BrainError as exc:
        raise GymConfigError(str(exc)) from None
    probed = await asyncio.gather(
        *(probe(n, "fleet node") for n in fleet), probe(brain_node, "brain")
    )
    fleet = [mark_simulated(n, t) for n, t in zip(fleet, probed[:-1], strict=True)]
    brain_node = mark_simulated(brain_node, probed[-1])
    return Prepared(tasks, suite, fleet, brain_node, brain)


async def probe(node: NodeSpec, role: str) -> Transport:
    """Ask the node for its models (GymConfigError when it does not answer in time).

    Returns the closed transport, which knows whether the simulator answered behind the URL.
    """
    try:
        transport = transport_for(node.url, model=node.model or None)
        try:
            await asyncio.wait_for(transport.probe(), PROBE_TIMEOUT_S)
            return transport
        finally:
            await transport.aclose()
    except (BrainError, TimeoutError) as exc:
        reason = str(exc) or "no answer within the probe timeout"
        raise GymConfigError(f"{role} {node.name} ({node.url}) does not answer: {reason}") from None
