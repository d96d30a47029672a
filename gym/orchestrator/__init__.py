"""The orchestrator: a `gym run` end to end — preflight, the run folder, the run's ledger record.

Nothing is written before the preflight has checked every input; a run can be resumed
from its folder after a crash, Ctrl-C, SIGTERM/SIGHUP or a full disk; one harness owns a
run folder at a time.
"""

from __future__ import annotations

from gym.orchestrator._cost import NodeUsage, RunCost, node_usage, price_run, run_cost
from gym.orchestrator._disk import DiskFullError, is_disk_full
from gym.orchestrator._lock import RunBusyError, RunLock
from gym.orchestrator._preflight import PROBE_TIMEOUT_S, Prepared, load_catalog, prepare
from gym.orchestrator._run import run_gym
from gym.orchestrator._run_folder import load_run, run_dir, write_summary
from gym.orchestrator._run_record import run_record
from gym.orchestrator._signals import STOP_SIGNALS, RunInterrupted

__all__ = [
    "DiskFullError",
    "is_disk_full",
    "RunBusyError",
    "RunInterrupted",
    "RunLock",
    "STOP_SIGNALS",
    "load_catalog",
    "load_run",
    "node_usage",
    "NodeUsage",
    "prepare",
    "Prepared",
    "PROBE_TIMEOUT_S",
    "price_run",
    "run_cost",
    "RunCost",
    "run_dir",
    "run_gym",
    "run_record",
    "write_summary",
]
