"""Build a :class:`Timeline` from a run's event log (contract 2), model-free.

Sources: ``phase_started``/``phase_finished`` (phases), ``task_dispatched`` and the
attempt's end (``task_completed``, ``task_retry``, ``task_interrupted``), ``model_call``
(each call's node, wall latency and tokens; written at the call's end, so it started
``elapsed_ms`` earlier) and the gate events (``smoke``, ``review``, ``sink``: each ends
the gate that started at the previous gate's end or the gates phase's start).

The sink phase is the ``integrate-verify`` task's attempts plus the ``sink`` gate; the
build phase is cut where the sink task starts. A log without phase markers (an older
run) still gets plan (start to ``plan_loaded``), build and gates from the other events.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from swarm.errors import ReportError
from swarm.events import read_events
from swarm.timeline._model import Attempt, ModelCall, Span, Timeline
from swarm.timeline._spans import clip, union

SINK_TASK = "integrate-verify"
GATE_EVENTS = ("smoke", "review", "sink")
def _phase_name(record: dict[str, Any]) -> str:
    return str(record.get("phase"))


def _model_s(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return round(float(value) / 1000, 4)
    return None


def _seconds(ts: object) -> float:
    """An event's time: ISO-8601 (contract 2), or epoch seconds as some swarms write."""
    if isinstance(ts, int | float) and not isinstance(ts, bool):
        return float(ts)
    return datetime.fromisoformat(str(ts).replace("Z", "+00:00")).timestamp()


class _Reader:
    """One pass over the records, collecting spans relative to the first event."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.t0 = _seconds(records[0]["ts"])
        self.records = records
        self.open_phases: dict[str, float] = {}
        self.phases: list[Span] = []
        self.open_attempts: dict[tuple[Any, ...], Attempt] = {}
        self.attempts: list[Attempt] = []
        self.calls: list[ModelCall] = []
        self.gates: list[Span] = []
        self.gate_mark: float | None = None
        self.devices: list[str] = []
        self.plan_loaded: float | None = None
        self.last_end = 0.0

    def at(self, record: dict[str, Any]) -> float:
        return round(_seconds(record["ts"]) - self.t0, 4)

    def read(self) -> None:
        for record in self.records:
            handler = getattr(self, f"_on_{record['event']}", None)
            if handler is not None:
                handler(record, self.at(record))
            elif record["event"] in GATE_EVENTS and "steps" in record:
                self._gate(record, self.at(record))

    def _on_run_started(self, record: dict[str, Any], now: float) -> None:
        for entry in record.get("pool") or []:
            if isinstance(entry, dict) and entry.get("name") not in self.devices:
                self.devices.append(str(entry.get("name")))

    def _on_phase_started(self, record: dict[str, Any], now: float) -> None:
        name = _phase_name(record)
        self.open_phases[name] = now
        if name == "gates":
            self.gate_mark = now

    def _on_phase_finished(self, record: dict[str, Any], now: float) -> None:
        name = _phase_name(record)
        start = self.open_phases.pop(name, now - float(record.get("elapsed_ms") or 0) / 1000)
        self.phases.append(Span(name, start, now, "ok" if record.get("ok", True) else "failed"))

    def _on_plan_loaded(self, record: dict[str, Any], now: float) -> None:
        self.plan_loaded = now if self.plan_loaded is None else self.plan_loaded

    def _on_task_dispatched(self, record: dict[str, Any], now: float) -> None:
        key = (record.get("task_id"), record.get("attempt"), record.get("epoch"))
        device = str(record.get("device"))
        self._device(device)
        self.open_attempts[key] = Attempt(
            device, str(record.get("task_id")), int(record.get("attempt") or 1), now, now, "running"
        )

    def _end_attempt(self, record: dict[str, Any], now: float, status: str) -> None:
        key = (record.get("task_id"), record.get("attempt"), record.get("epoch"))
        attempt = self.open_attempts.pop(key, None)
        if attempt is not None:
            attempt.end, attempt.status = now, status
            self.attempts.append(attempt)
        self.last_end = now
        if self.gate_mark is not None:
            self.gate_mark = now  # a gate repair's attempt: the next gate starts after it

    def _on_task_completed(self, record: dict[str, Any], now: float) -> None:
        self._end_attempt(record, now, str(record.get("status") or "done"))

    def _on_task_retry(self, record: dict[str, Any], now: float) -> None:
        self._end_attempt(record, now, "retry")

    def _on_task_interrupted(self, record: dict[str, Any], now: float) -> None:
        self._end_attempt(record, now, "interrupted")

    def _on_model_call(self, record: dict[str, Any], now: float) -> None:
        device = str(record.get("node") or "?")
        self._device(device)
        start = max(0.0, round(now - float(record.get("elapsed_ms") or 0) / 1000, 4))
        self.calls.append(
            ModelCall(
                device,
                start,
                now,
                int(record.get("prompt_tokens") or 0),
                int(record.get("completion_tokens") or 0),
                bool(record.get("ok", True)),
                _model_s(record.get("model_ms")),
            )
        )

    def _gate(self, record: dict[str, Any], now: float) -> None:
        start = self.gate_mark if self.gate_mark is not None else self.last_end
        self.gates.append(Span(str(record["event"]), start, now, str(record.get("status"))))
        self.gate_mark = now

    def _device(self, name: str) -> None:
        if name not in self.devices:
            self.devices.append(name)


def build_timeline(records: list[dict[str, Any]]) -> Timeline:
    """The timeline of one run's events (one run: the first ``run_id`` seen is kept)."""
    if not records:
        raise ReportError("the event log holds no events")
    run_id = records[0].get("run_id")
    records = [r for r in records if r.get("run_id") == run_id and "ts" in r]
    if not records:
        raise ReportError("the event log's first run has no timestamped events")
    reader = _Reader(records)
    reader.read()
    wall = reader.at(records[-1])
    for attempt in reader.open_attempts.values():
        attempt.end, attempt.status = wall, "unfinished"
        reader.attempts.append(attempt)
    reader.attempts.sort(key=lambda a: (a.start, a.device, a.task_id))
    attribute_calls(reader.attempts, reader.calls)
    phases = _derive_phases(reader, wall)
    return Timeline(
        str(run_id),
        wall,
        reader.devices,
        phases,
        reader.gates,
        reader.attempts,
        sorted(reader.calls, key=lambda c: (c.start, c.device)),
    )


def attribute_calls(attempts: list[Attempt], calls: list[ModelCall]) -> None:
    """Each attempt's model time: its device's calls inside it (the rest is sandbox/tools)."""
    by_device: dict[str, list[tuple[float, float]]] = {}
    for call in calls:
        by_device.setdefault(call.device, []).append((call.start, call.end))
    for attempt in attempts:
        inside = [
            c
            for c in calls
            if c.device == attempt.device and c.end > attempt.start and c.start < attempt.end
        ]
        spans = clip(union(by_device.get(attempt.device, [])), attempt.start, attempt.end)
        attempt.model_s = round(sum(e - s for s, e in spans), 4)
        attempt.non_model_s = round(max(0.0, attempt.end - attempt.start - attempt.model_s), 4)
        attempt.calls = len(inside)
        attempt.tokens = sum(c.prompt_tokens + c.completion_tokens for c in inside)


def _derive_phases(reader: _Reader, wall: float) -> list[Span]:
    """Explicit phases, with build split at the sink task and the sink gate moved to sink."""
    phases = [p for p in reader.phases if p.name not in ("build", "gates")]
    build = [p for p in reader.phases if p.name == "build"]
    gates = [p for p in reader.phases if p.name == "gates"]
    attempts = reader.attempts
    if not build and attempts:
        start = reader.plan_loaded if reader.plan_loaded is not None else attempts[0].start
        build = [Span("build", start, max(a.end for a in attempts))]
    if not reader.phases and build and build[0].start > 0:
        phases.append(Span("plan", 0.0, build[0].start))
    if not gates and reader.gates:
        gates = [Span("gates", reader.gates[0].start, reader.gates[-1].end)]
    sink_starts = [a.start for a in attempts if a.task_id == SINK_TASK]
    cut = min(sink_starts) if sink_starts else None
    for span in build:
        if cut is not None and span.start <= cut <= span.end:
            phases.append(Span("build", span.start, cut, span.status))
            phases.append(Span("sink", cut, span.end, span.status))
        else:
            phases.append(span)
    sink_gate = [g for g in reader.gates if g.name == "sink"]
    for span in gates:
        pieces = [(span.start, span.end)]
        for gate in sink_gate:
            phases.append(Span("sink", gate.start, gate.end, gate.status))
            pieces = [p for s, e in pieces for p in ((s, gate.start), (gate.end, e)) if p[1] > p[0]]
        phases.extend(Span("gates", s, e, span.status) for s, e in pieces)
    return sorted(phases, key=lambda p: (p.start, p.name))


def latest_event_log(workdir: Path) -> Path:
    """The newest ``run-*.jsonl`` under ``WORKDIR/.swarm``; ReportError when there is none."""
    logs = sorted(Path(workdir).glob(".swarm/run-*.jsonl"))
    if not logs:
        raise ReportError(f"no run event log under {workdir}/.swarm (run `swarm run` first)")
    return logs[-1]


def timeline_for(path: Path) -> Timeline:
    """The timeline of a workdir's latest run, or of one event log file."""
    path = Path(path)
    log = path if path.is_file() else latest_event_log(path)
    return build_timeline(read_events(log))
