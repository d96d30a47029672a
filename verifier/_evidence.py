"""What the swarm says about its run: the report (contract 2) and the JSONL event log.

Both are read as plain JSON, never through the swarm's code, so any swarm that honours
the CLI contract can be graded. Everything in them is the swarm's *claim*.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier._errors import InputError


@dataclass
class RunEvidence:
    """The swarm's report and events; None where not given."""

    report: dict[str, Any] | None = None
    events: list[dict[str, Any]] | None = None
    bad_event_lines: int = 0
    notes: list[str] = field(default_factory=list)

    def planned_files(self) -> set[str] | None:
        """Every task's owned files from the last ``plan_loaded`` event, if the log has one."""
        plans = self.named("plan_loaded")
        if not plans:
            return None
        tasks = plans[-1].get("tasks") or []
        return {
            str(path)
            for task in tasks
            if isinstance(task, dict)
            for path in task.get("owned_files") or []
        }

    def named(self, *names: str) -> list[dict[str, Any]]:
        """Events whose ``event`` is one of ``names``."""
        return [e for e in self.events or [] if e.get("event") in names]


def read_events(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Parse a JSONL event log; lines that are not JSON objects are counted, not fatal.

    A killed run may leave a half-written last line, which is exactly the case to tolerate.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read event log {path}: {exc.strerror or exc}") from None
    events, bad = [], 0
    for line in filter(str.strip, lines):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            continue
        if isinstance(obj, dict):
            events.append(obj)
        else:
            bad += 1
    return events, bad


def read_report(path: Path) -> dict[str, Any]:
    """Load a swarm report JSON file (contract 2)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read report {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"report {path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"report {path} is not a JSON object")
    return data


def latest_event_log(workdir: Path) -> Path | None:
    """The newest ``.swarm/run-*.jsonl`` in a workdir (contract 2's location), if any."""
    swarm_dir = Path(workdir) / ".swarm"
    if swarm_dir.is_symlink():  # a produced tree is untrusted: its links are not followed
        return None
    logs = [p for p in swarm_dir.glob("run-*.jsonl") if p.is_file() and not p.is_symlink()]
    return max(logs, key=lambda p: p.stat().st_mtime, default=None)


def gather(report: dict[str, Any] | None, events_path: Path | None) -> RunEvidence:
    """Bundle what was given into one RunEvidence."""
    evidence = RunEvidence(report=report)
    if events_path is not None:
        evidence.events, evidence.bad_event_lines = read_events(events_path)
    return evidence
