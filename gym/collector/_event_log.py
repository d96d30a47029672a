"""Read a swarm event log (contract 2) and rebuild the report a killed run never printed.

Only the contract's event names are relied on; field names are read liberally
(``task_id`` or ``task``, ``device`` or ``node``) because any swarm honouring the
contract may drive the gym through ``--swarm-cmd``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_events(path: Path) -> list[dict[str, Any]]:
    """Parse the JSONL log; a torn last line (the writer was killed) is skipped."""
    events = []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and "event" in item:
            events.append(item)
    return events


def _task_id(event: dict[str, Any]) -> str | None:
    value = event.get("task_id", event.get("task"))
    return str(value) if value is not None else None


def _device(event: dict[str, Any]) -> str:
    return str(event.get("device", event.get("node", "")))


def _new_task(task_id: str) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "status": "pending",
        "device": "",
        "model": "",
        "attempts": 0,
        "attempt_history": [],
        "elapsed_ms": 0,
        "tool_calls": 0,
        "files_written": [],
    }


def rebuild_report(events: list[dict[str, Any]]) -> dict[str, Any]:
    """A contract-2-shaped report from events; tasks still running are marked interrupted."""
    tasks: dict[str, dict[str, Any]] = {}
    devices: dict[str, dict[str, int]] = {}
    finished = next((e for e in reversed(events) if e["event"] == "run_finished"), None)
    for event in events:
        _apply(event, tasks, devices)
    for task in tasks.values():
        if task["status"] in ("pending", "running"):
            task["status"] = "interrupted"
    done = sum(1 for t in tasks.values() if t["status"] == "done")
    failed = sum(1 for t in tasks.values() if t["status"] == "failed")
    return {
        "run_id": str(events[0].get("run_id", "")) if events else "",
        "status": str(finished.get("status", "failed")) if finished else "interrupted",
        "done": done,
        "failed": failed,
        "tasks": list(tasks.values()),
        "per_device": devices,
        "gates": dict(finished.get("gates") or {}) if finished else {},  # the sink's examples too
        "usage": _usage(events),
        "knobs": {},
        "elapsed_ms": _elapsed_ms(events),
        "rebuilt_from_events": True,
    }


def _apply(event: dict[str, Any], tasks: dict[str, Any], devices: dict[str, Any]) -> None:
    name, task_id = event["event"], _task_id(event)
    if task_id is None:
        return
    task = tasks.setdefault(task_id, _new_task(task_id))
    device = _device(event)
    stats = (
        devices.setdefault(device, {"dispatched": 0, "tool_calls": 0, "retries": 0})
        if device
        else {"dispatched": 0, "tool_calls": 0, "retries": 0}
    )
    if name == "task_dispatched":
        task.update(status="running", device=device, model=str(event.get("model", "")))
        task["attempts"] += 1
        stats["dispatched"] += 1
    elif name == "tool_call":
        task["tool_calls"] += 1
        stats["tool_calls"] += 1
    elif name == "file_written" and event.get("path"):
        task["files_written"].append(str(event["path"]))
    elif name == "task_retry":
        stats["retries"] += 1
        task["attempt_history"].append(
            {
                "device": device,
                "outcome": "retry",
                "error": str(event.get("error", "")),
                "elapsed_ms": int(event.get("elapsed_ms") or 0),
            }
        )
    elif name == "task_completed":
        ok = event.get("status", "done") == "done" and event.get("ok", True) is not False
        task.update(status="done" if ok else "failed", elapsed_ms=int(event.get("elapsed_ms") or 0))


def _usage(events: list[dict[str, Any]]) -> dict[str, int]:
    usage = {"prompt_tokens": 0, "completion_tokens": 0}
    for event in events:
        for key in usage:
            usage[key] += int(event.get(key) or 0)
    return usage


def _elapsed_ms(events: list[dict[str, Any]]) -> int:
    stamps = [e["ts"] for e in events if isinstance(e.get("ts"), int | float)]
    return int((max(stamps) - min(stamps)) * 1000) if len(stamps) > 1 else 0
