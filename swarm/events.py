"""The run's event log: one JSON object per line, written and flushed as things happen.

Every line has ``ts`` (UTC ISO-8601), ``seq`` (1, 2, ...), ``run_id`` and ``event`` plus
the event's own fields. Event names (contract 2) and who writes them:

- ``swarm run`` (the CLI): ``run_started`` (pool, knobs), ``contract_frozen``, ``smoke``,
  ``review``, ``low_confidence_ask`` (plan_confidence, questions, floor, base_floor,
  planner_strength), ``run_finished`` (status, gates, usage, elapsed_ms).
- the pipeline's phases (``swarm.timeline.phase``): ``phase_started`` (phase) and
  ``phase_finished`` (phase, elapsed_ms, ok) around scout, plan, detail, contracts, build
  and gates; ``build_overlap`` (edges_dropped, stubs_written) under ``build.frozen_overlap``.
- every model call (planner, contracts, workers, gates): ``model_call`` (node, elapsed_ms,
  model_ms as the transport reported it, prompt_tokens, completion_tokens, ok), written
  when the call ends; ``swarm timeline`` builds the per-phase, per-device timeline from these.
- before planning: ``scout_finished`` (lens, device, partial, findings, chars, elapsed_s,
  error), one per research scout; ``best_of_n_forced`` (drafts, floor, plan_confidence)
  when one low-confidence draft is re-planned best-of-N.
- the scheduler: ``plan_loaded`` (tasks, deps, files, plan_confidence, ask_floor),
  ``plan_extended`` (bonus tasks), ``task_dispatched``, ``task_retry``, ``task_completed``,
  ``judge_verdict`` (task_id, verdict, confidence, deterministic, action, acted, device; an
  LLM judge's also judge_device), ``scheduler_stuck``, ``run_paused`` / ``run_resumed``.
- side calls on free slots (``swarm.pipeline.review``): the LLM in-flight judge's
  ``judge_verdict`` with ``deterministic: false`` (through the scheduler, which acts only
  at ``judge.llm.confidence_bar``); ``prereview_findings`` (task_id, device of the reviewer,
  findings count, items, path); ``side_call_failed`` (kind, task_id, device, error);
  ``side_call_dropped`` (a judge call whose attempt ended, cancelled to free its slot).
- the dispatcher, through the scheduler's per-attempt sink: ``tool_call``, ``file_written``,
  ``skeleton_written`` (task_id, file, imports_ok, error) (the scheduler adds ``task_id``,
  ``attempt``, ``epoch`` and ``device``).

Because a killed run still leaves its story, ``swarm.report.rebuild_report`` can rebuild
the final report from this file alone.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from swarm.errors import ReportError

Listener = Callable[[dict[str, Any]], None]


def new_run_id() -> str:
    """A short, sortable, unique run id: UTC timestamp plus random suffix."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def event_log_path(workdir: Path, run_id: str) -> Path:
    """Where contract 2 puts a run's log: ``WORKDIR/.swarm/run-<run_id>.jsonl``."""
    return Path(workdir) / ".swarm" / f"run-{run_id}.jsonl"


class EventLog:
    """JSONL writer implementing ``swarm.protocols.EventSink``; thread-safe, flushed per line.

    ``path=None`` keeps events in memory only (tests, benchmarks). Listeners see every
    event after it is written; the scheduler is one (it keeps live counts for the judge).
    """

    def __init__(self, path: Path | None, run_id: str | None = None, *, keep: bool = False):
        self.path = Path(path) if path is not None else None
        self.run_id = run_id or new_run_id()
        self.records: list[dict[str, Any]] | None = [] if (keep or path is None) else None
        self._seq = 0
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._file: TextIO | None = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")

    @classmethod
    def for_run(cls, workdir: Path, run_id: str | None = None) -> EventLog:
        """Open the contract-2 log of a run in ``workdir`` (creating ``.swarm/``)."""
        run_id = run_id or new_run_id()
        return cls(event_log_path(workdir, run_id), run_id)

    def emit(self, event: str, **fields: Any) -> None:
        """Write one event line now (flushed), then tell the listeners."""
        with self._lock:
            self._seq += 1
            record = {"ts": _now(), "seq": self._seq, "run_id": self.run_id, "event": event}
            record.update(fields)
            if self._file is not None:
                self._file.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
                self._file.flush()
            if self.records is not None:
                self.records.append(record)
        for listener in list(self._listeners):
            listener(record)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(record)`` for every later event; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def close(self) -> None:
        """Close the file; later emits are kept in memory only."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def read_events(path: Path) -> list[dict[str, Any]]:
    """Read a log back; a torn last line (the run was killed mid-write) is skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReportError(f"cannot read event log {path}: {exc.strerror}") from None
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):
                break  # torn final write of a killed run
            raise ReportError(f"event log {path} line {number} is not JSON") from None
        if isinstance(record, dict) and "event" in record:
            records.append(record)
    return records
