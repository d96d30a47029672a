"""Cluster view: work per node from the swarm reports, and a Gantt timeline from an event log.

The per-node table sums each turn's ``per_device`` block (contract 2) and counts the
attempts that stalled or were stopped by the judge. The timeline reads the turn's stored
event log (contract 2 JSONL): a bar runs from ``task_dispatched`` to the task's next
``task_completed`` / ``task_retry`` / ``task_failed`` on that attempt, or to the log's last
event when the run was killed mid-task.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

_ENDS = {"task_completed": "done", "task_retry": "retry", "task_failed": "failed"}
# Attempt outcomes (swarm/report.py AttemptRecord) that count as stalls or judge kills.
_STALL_OUTCOMES = ("no_progress", "stalled", "transient:stalled")


@dataclass
class NodeWork:
    """Work done by one node over the selected turns."""

    node: str
    dispatched: int = 0
    tool_calls: int = 0
    retries: int = 0
    busy_ms: float = 0.0
    stalls: int = 0
    judge_kills: int = 0
    turns: int = 0


def node_work(turns: pd.DataFrame) -> list[NodeWork]:
    """Sum ``per_device`` and attempt outcomes over every turn's swarm report."""
    nodes: dict[str, NodeWork] = {}
    for record in turns.record:
        report = json.loads(record).get("report") or {}
        for name, dev in (report.get("per_device") or {}).items():
            work = nodes.setdefault(name, NodeWork(name))
            work.turns += 1
            work.dispatched += int(dev.get("dispatched", 0))
            work.tool_calls += int(dev.get("tool_calls", 0))
            work.retries += int(dev.get("retries", 0))
            work.busy_ms += float(dev.get("busy_ms", 0.0))
        for task in report.get("tasks") or []:
            for attempt in task.get("attempt_history") or []:
                _count_outcome(nodes, attempt)
    return sorted(nodes.values(), key=lambda w: w.node)


def _count_outcome(nodes: dict[str, NodeWork], attempt: dict[str, Any]) -> None:
    name = str(attempt.get("device", "?"))
    outcome = str(attempt.get("outcome", ""))
    work = nodes.setdefault(name, NodeWork(name))
    if outcome in _STALL_OUTCOMES or "stall" in (attempt.get("error") or "").lower():
        work.stalls += 1
    if outcome.startswith("judge:"):
        work.judge_kills += 1


@dataclass
class Bar:
    """One attempt of one task on one device, in seconds from the run's first event."""

    device: str
    task_id: str
    start_s: float
    end_s: float
    outcome: str


@dataclass
class Timeline:
    """The Gantt data of one turn (or why there is none)."""

    episode_id: str
    turn: int | None
    bars: list[Bar] = field(default_factory=list)
    problem: str = ""


def _ts(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def read_timeline(path: Path, episode_id: str, turn: int | None) -> Timeline:
    """Parse a contract-2 event log into Gantt bars (bad lines are skipped, not fatal)."""
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
            events.append((_ts(event["ts"]), event))
        except (ValueError, KeyError, TypeError):
            continue
    if not events:
        return Timeline(episode_id, turn, problem="the event log holds no readable events")
    return Timeline(episode_id, turn, bars=_bars(events))


def _bars(events: list[tuple[float, dict[str, Any]]]) -> list[Bar]:
    t0 = min(t for t, _ in events)
    t_last = max(t for t, _ in events)
    open_: dict[str, list[tuple[float, str]]] = defaultdict(list)
    bars: list[Bar] = []
    for t, event in sorted(events, key=lambda te: (te[0], te[1].get("seq", 0))):
        name, task = event.get("event"), str(event.get("task_id", ""))
        if name == "task_dispatched" and task:
            open_[task].append((t - t0, str(event.get("device", "?"))))
        elif name in _ENDS and open_.get(task):
            start, device = open_[task].pop(0)
            bars.append(Bar(device, task, start, t - t0, _ENDS[name]))
    for task, starts in open_.items():
        bars += [Bar(device, task, start, t_last - t0, "unfinished") for start, device in starts]
    return bars
