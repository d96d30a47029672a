"""The ledger's record of a run: config, fleet, brain, knobs, code version."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from brain import NodeSpec
from gym.config import GymConfig
from gym.orchestrator._preflight import Prepared
from ledger import UNKNOWN_VERSION, NodeRecord, RunRecord, checkout_version, code_version


def node_record(node: NodeSpec) -> NodeRecord:
    """A fleet node or the brain as the ledger stores it."""
    return NodeRecord(
        name=node.name,
        url=node.url,
        model=node.model,
        weight=node.weight,
        speed=node.speed,
        simulated=node.simulated,
        usd_in=node.usd_in,
        usd_out=node.usd_out,
    )


def knob_values(knobs: list[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` → ``{"a": "1", "b": "x"}`` (the swarm types and validates them)."""
    return dict(k.split("=", 1) for k in knobs)


def run_record(config: GymConfig, prepared: Prepared) -> RunRecord:
    """Everything that makes the run reproducible and comparable."""
    return RunRecord(
        suite=config.suite or "",
        simulated=config.simulated or prepared.simulated,
        code_version=code_version(),
        swarm_version=swarm_version(config),
        brain=node_record(prepared.brain_node),
        judge=prepared.brain_node.url if config.judge else "",
        fleet=[node_record(n) for n in prepared.fleet],
        knobs=knob_values(config.knobs),
        seed=config.seed,
        config=config.model_dump(mode="json"),
    )


def swarm_version(config: GymConfig) -> str:
    """The code version of the swarm this run drives: its package's git checkout.

    An external ``swarm_cmd`` is a binary we cannot trace to a checkout: 'unknown'.
    """
    spec = importlib.util.find_spec("swarm") if config.swarm_cmd is None else None
    if spec is None or spec.origin is None:
        return UNKNOWN_VERSION
    return checkout_version(Path(spec.origin).parent)
