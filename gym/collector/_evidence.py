"""Assemble the evidence of one turn: report, event log, produced tree, counts, timing, usage.

The report is the swarm's JSON on stdout (contract 2). When it is missing — the
swarm was killed, crashed or printed garbage — per-task data is rebuilt from the
event log, which the swarm flushes line by line precisely so a killed run still
leaves its story.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gym.collector._event_log import read_events, rebuild_report
from gym.collector._timeline import turn_timeline
from gym.runner import SwarmRun
from verifier import read_tree_file, tree_files

#: Directories that are the swarm's or the harness's bookkeeping, not the produced app.
NOT_PRODUCED = {".swarm", "__pycache__", ".pytest_cache", ".git"}
#: A produced file bigger than this (the sandbox caps writes far lower) digests as empty.
_DIGEST_MAX_BYTES = 256 * 1024 * 1024


@dataclass
class Evidence:
    """Everything known about one turn's swarm run, for the grader, the brain and the ledger."""

    run: SwarmRun
    report: dict[str, Any] | None
    report_source: str  # "stdout" | "events" | "none"
    events_path: Path | None
    event_count: int
    tree: dict[str, int] = field(default_factory=dict)  # relative path -> bytes
    digest: str = ""  # sha256 over the produced tree's paths and contents
    planned: set[str] | None = None  # owned files of the turn's plan (plan_loaded event)
    tool_calls: int = 0
    files_written: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: The swarm's capped worker transcript beside the event log, when it wrote one.
    transcript_path: Path | None = None
    #: The turn's per-phase, per-device timeline (``swarm.timeline`` JSON), if drawable.
    timeline: dict[str, Any] | None = None

    @property
    def status(self) -> str:
        """The swarm's own claim (done | failed | stuck | interrupted), or 'unknown'."""
        return str((self.report or {}).get("status", "unknown"))


def collect(run: SwarmRun, workdir: Path, *, since_events: set[Path] | None = None) -> Evidence:
    """Collect the evidence of ``run`` in ``workdir``.

    ``since_events`` lists event logs that existed before this turn, so the turn's
    own log is the new one (each swarm run writes ``.swarm/run-<id>.jsonl``).
    """
    report = parse_report(run.stdout)
    events_path = _turn_event_log(workdir, report, since_events or set())
    events = read_events(events_path) if events_path else []
    source = "stdout" if report is not None else "none"
    if report is None and events:
        report, source = rebuild_report(events), "events"
    tree = produced_tree(workdir)
    evidence = Evidence(
        run, report, source, events_path, len(events), tree=tree, digest=tree_digest(workdir, tree)
    )
    evidence.planned = planned_files(events)
    evidence.transcript_path = _transcript_beside(events_path)
    evidence.timeline = turn_timeline(events)
    _count(evidence, report or {}, events)
    return evidence


def planned_files(events: list[dict[str, Any]]) -> set[str] | None:
    """Files the turn's plan gave to some task (the last ``plan_loaded`` event), if any."""
    plans = [e for e in events if e.get("event") == "plan_loaded"]
    if not plans:
        return None
    tasks = plans[-1].get("tasks") or []
    owned = {str(p) for t in tasks if isinstance(t, dict) for p in t.get("owned_files") or []}
    return owned | {str(p) for p in plans[-1].get("files") or [] if isinstance(p, str)}


def parse_report(stdout: str) -> dict[str, Any] | None:
    """The JSON report on stdout: the last line (or whole text) that parses to an object."""
    candidates = [stdout.strip()] + [line for line in reversed(stdout.splitlines()) if line]
    for text in candidates:
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if isinstance(data, dict) and "status" in data:
            return data
    return None


def _real_file(path: Path) -> bool:
    """A regular file reached without a link (``.swarm`` or the log may be planted links)."""
    return all(not p.is_symlink() for p in (path.parent, path)) and path.is_file()


def _turn_event_log(workdir: Path, report: dict[str, Any] | None, before: set[Path]) -> Path | None:
    swarm_dir = workdir / ".swarm"
    if report and report.get("run_id"):
        named = swarm_dir / f"run-{report['run_id']}.jsonl"
        if "/" not in str(report["run_id"]) and _real_file(named):
            return named
    fresh = [p for p in swarm_dir.glob("run-*.jsonl") if p not in before and _real_file(p)]
    return max(fresh, key=lambda p: p.stat().st_mtime, default=None)


def _transcript_beside(events_path: Path | None) -> Path | None:
    """``.swarm/transcript-<id>.jsonl`` beside ``run-<id>.jsonl`` (the swarm worker writes it)."""
    if events_path is None:
        return None
    path = events_path.with_name("transcript-" + events_path.name.removeprefix("run-"))
    return path if _real_file(path) else None


def produced_tree(workdir: Path) -> dict[str, int]:
    """Relative path -> size of every file the app consists of (bookkeeping dirs excluded).

    The tree is untrusted: links and special files are not part of it, never followed.
    """
    return tree_files(workdir, skip=NOT_PRODUCED)


def tree_digest(workdir: Path, tree: dict[str, int]) -> str:
    """A fingerprint of the produced app: equal digests mean the turn changed nothing."""
    sha = hashlib.sha256()
    for rel in tree:
        sha.update(rel.encode() + b"\0")
        sha.update(read_tree_file(workdir, rel, max_bytes=_DIGEST_MAX_BYTES) or b"")
    return sha.hexdigest()


def _count(evidence: Evidence, report: dict[str, Any], events: list[dict[str, Any]]) -> None:
    tasks = report.get("tasks") or []
    evidence.tool_calls = sum(int(t.get("tool_calls") or 0) for t in tasks) or sum(
        1 for e in events if e.get("event") == "tool_call"
    )
    evidence.files_written = sum(len(t.get("files_written") or []) for t in tasks) or sum(
        1 for e in events if e.get("event") == "file_written"
    )
    usage = report.get("usage") or {}
    evidence.prompt_tokens = int(usage.get("prompt_tokens") or 0)
    evidence.completion_tokens = int(usage.get("completion_tokens") or 0)


def existing_event_logs(workdir: Path) -> set[Path]:
    """Event logs already in ``workdir`` (call before a turn, pass to :func:`collect`)."""
    return set((workdir / ".swarm").glob("run-*.jsonl"))
