"""The collector: the evidence of one turn, read from what the swarm really left behind.

The report (or one rebuilt from the event log of a killed run), the produced tree, counts,
timing, usage — and whether a failure was the infrastructure's rather than the swarm's.
"""

from __future__ import annotations

from gym.collector._event_log import read_events, rebuild_report
from gym.collector._evidence import (
    NOT_PRODUCED,
    Evidence,
    collect,
    existing_event_logs,
    parse_report,
    planned_files,
    produced_tree,
    tree_digest,
)
from gym.collector._infra import connection_failure, infra_error, infra_problem
from gym.collector._timeline import turn_timeline, write_timeline

__all__ = [
    "collect",
    "connection_failure",
    "Evidence",
    "existing_event_logs",
    "infra_error",
    "infra_problem",
    "NOT_PRODUCED",
    "parse_report",
    "planned_files",
    "produced_tree",
    "read_events",
    "rebuild_report",
    "tree_digest",
    "turn_timeline",
    "write_timeline",
]
