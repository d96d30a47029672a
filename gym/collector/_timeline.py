"""The turn's timeline (``swarm.timeline``) as JSON, stored beside its event log.

Computed from the events the collector already read, through swarm's public timeline
function; a log it cannot make sense of (another swarm via ``--swarm-cmd``, a tampered
file) gives no timeline rather than a failed turn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from swarm.timeline import ReportError, build_timeline


def turn_timeline(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The timeline of the turn's events as JSON data, or None when there is nothing to draw."""
    if not any(e.get("event") == "task_dispatched" for e in events):
        return None
    try:
        return build_timeline(events).to_dict()
    except (ReportError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None  # untrusted log: no timeline, never a failed turn


def write_timeline(timeline: dict[str, Any] | None, path: Path) -> Path | None:
    """Write ``timeline`` to ``path`` (JSON) and return it; None when there is none."""
    if timeline is None:
        return None
    path.write_text(json.dumps(timeline, ensure_ascii=False), encoding="utf-8")
    return path
