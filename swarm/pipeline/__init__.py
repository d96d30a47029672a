"""The model-driven pipeline: ``swarm run`` from spec to verified tree.

spec → plan (planner, clarify) → frozen contracts → the scheduler building the DAG with
tool-calling workers over the fleet's transports → gates (smoke, review, the sink) →
report. Everything here may call a model; the core one level up never does.
"""

from __future__ import annotations

from swarm.pipeline.contracts import ContractWriter, FrozenContracts
from swarm.pipeline.gates import GateRunner
from swarm.pipeline.planner import Planner
from swarm.pipeline.run import RunRequest, run_swarm
from swarm.pipeline.worker import Worker, WorkerContext, WorkerSettings

__all__ = [
    "ContractWriter",
    "FrozenContracts",
    "GateRunner",
    "Planner",
    "RunRequest",
    "Worker",
    "WorkerContext",
    "WorkerSettings",
    "run_swarm",
]
