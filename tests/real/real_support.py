"""Bounds and helpers shared by the real-model tier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: Tokens one answer may hold in this tier: enough for a small JSON object or file.
MAX_TOKENS = 256
#: Knobs that keep one `swarm run` against a 135M model on two cores within minutes.
BOUNDED_KNOBS = {
    "run.max_tokens": MAX_TOKENS,
    "run.node_timeout_s": 90,
    "run.node_idle_timeout_s": 60,
    "planner.call_attempts": 1,
    "planner.clarify_timeout_s": 1,
    "planner.clarify_poll_s": 0.2,
    "retry.max_attempts": 2,
    "worker.turn_cap": 4,
    "scheduler.max_bonus_tasks": 0,
    "gates.repair": False,
    "gates.timeout_s": 30,
    "examples.model_timeout_s": 60,
}


def knob_args(knobs: dict[str, Any] | None = None) -> list[str]:
    """``--knob name=value`` arguments for the bounded knobs (plus ``knobs``)."""
    merged = {**BOUNDED_KNOBS, **(knobs or {})}
    args: list[str] = []
    for name, value in merged.items():
        args += ["--knob", f"{name}={str(value).lower() if isinstance(value, bool) else value}"]
    return args


def events(workdir: Path) -> list[dict[str, Any]]:
    """Every event of the run logs in ``workdir/.swarm``."""
    records = []
    for log in sorted((workdir / ".swarm").glob("run-*.jsonl")):
        records += [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return records
