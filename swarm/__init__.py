"""The in-repo swarm engine: plan a spec into a DAG, build it across a fleet, verify by running.

The names below are the swarm core (no model client is imported by them). Modules that
need ``brain`` (planner, worker, run) are reached lazily through ``_LAZY`` so that
``import swarm.scheduler._scheduler`` never drags a model client in.
"""

from __future__ import annotations

import importlib
from typing import Any

from swarm.dag import Dag, Plan, PlanTask, load_plan, parse_plan
from swarm.errors import FleetError, KnobError, PlanError, ReportError, SwarmError
from swarm.events import EventLog, event_log_path, new_run_id, read_events
from swarm.fleet import DeviceState, devices_from_nodes, pick_device
from swarm.judge import DeterministicJudge, JudgeAction, TaskView, Verdict, VerdictKind
from swarm.knobs import (
    Knob,
    Knobs,
    all_knobs,
    load_knob_file,
    parse_knob_args,
    register_knob,
    resolve_knobs,
)
from swarm.protocols import (
    Assignment,
    Device,
    Difficulty,
    Dispatcher,
    DispatchResult,
    ErrorClass,
    EventSink,
    Judge,
    Replanner,
    Subtask,
)
from swarm.report import (
    AttemptRecord,
    DeviceReport,
    RunReport,
    RunStatus,
    TaskReport,
    TaskStatus,
    UsageReport,
    build_report,
    rebuild_report,
)
from swarm.scheduler import Scheduler, SchedulerOutcome
from swarm.virtual_clock import VirtualClockLoop, run_virtual

#: Public names living in modules that import ``brain``: name -> module (imported on use).
_LAZY: dict[str, str] = {
    "ContractWriter": "swarm.pipeline",
    "GateRunner": "swarm.pipeline",
    "Planner": "swarm.pipeline",
    "RunRequest": "swarm.pipeline",
    "Worker": "swarm.pipeline",
    "WorkerContext": "swarm.pipeline",
    "run_swarm": "swarm.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'swarm' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Assignment",
    "AttemptRecord",
    "Dag",
    "DeterministicJudge",
    "Device",
    "DeviceReport",
    "DeviceState",
    "Difficulty",
    "DispatchResult",
    "Dispatcher",
    "ErrorClass",
    "EventLog",
    "EventSink",
    "FleetError",
    "Judge",
    "JudgeAction",
    "Knob",
    "KnobError",
    "Knobs",
    "Plan",
    "PlanError",
    "PlanTask",
    "Replanner",
    "ReportError",
    "RunReport",
    "RunStatus",
    "Scheduler",
    "SchedulerOutcome",
    "Subtask",
    "SwarmError",
    "TaskReport",
    "TaskStatus",
    "TaskView",
    "UsageReport",
    "Verdict",
    "VerdictKind",
    "VirtualClockLoop",
    "all_knobs",
    "build_report",
    "devices_from_nodes",
    "event_log_path",
    "load_knob_file",
    "load_plan",
    "new_run_id",
    "parse_knob_args",
    "parse_plan",
    "pick_device",
    "read_events",
    "rebuild_report",
    "register_knob",
    "resolve_knobs",
    "run_virtual",
]
