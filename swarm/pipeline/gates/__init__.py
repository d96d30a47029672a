"""Verification gates run on the produced tree: smoke, the AST reviewer, the sink's examples."""

from swarm.pipeline.gates._entry import entry_package
from swarm.pipeline.gates._repair import RepairSink, repair_round, route
from swarm.pipeline.gates._result import GateFinding, GateResult, GateStatus
from swarm.pipeline.gates._review import ReviewGate, review_findings
from swarm.pipeline.gates._runner import GateRunner
from swarm.pipeline.gates._sink import SinkGate
from swarm.pipeline.gates._smoke import SmokeGate, has_tests, last_project_frame

__all__ = [
    "GateFinding",
    "GateResult",
    "GateRunner",
    "GateStatus",
    "RepairSink",
    "ReviewGate",
    "SinkGate",
    "SmokeGate",
    "entry_package",
    "has_tests",
    "last_project_frame",
    "repair_round",
    "review_findings",
    "route",
]
