"""``cluster``: how the fleet was used — spread of work, retries, stalls, judge kills, idle
share and wall time against the task's budget. Read from the report's ``per_device`` and
the event log, as plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from verifier._dimensions._context import GradeContext, deterministic, inconclusive
from verifier._grade import DimensionGrade, Finding, Severity, Status

# A node doing under 5% of the work is starved (goose-swarm's threshold for idle devices).
STARVED_SHARE = 0.05
# Over twice its weight-fair share and over half of all work: one node carries the run.
OVERLOAD_FACTOR, OVERLOAD_SHARE = 2.0, 0.5
# More than a quarter of dispatches retried, or a tenth stalled, is a sick fleet.
RETRY_SHARE, STALL_SHARE, JUDGE_SHARE = 0.25, 0.10, 0.20
IDLE_SHARE = 0.60
# Judge actions that are not an intervention (accept ends a finished task early).
_QUIET_ACTIONS = {"", "none", "accept", "continue", "ok", "keep", "healthy"}


@dataclass
class _Usage:
    """Per-device work and run totals gathered from the report and events."""

    work: dict[str, float] = field(default_factory=dict)
    weight: dict[str, float] = field(default_factory=dict)
    busy_ms: float = 0.0
    dispatched: int = 0
    retries: int = 0
    elapsed_ms: float | None = None


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _from_report(report: dict[str, Any], usage: _Usage) -> None:
    per_device = report.get("per_device") or {}
    busy = {n: _num(d.get("busy_ms")) for n, d in per_device.items() if isinstance(d, dict)}
    use_busy = sum(busy.values()) > 0
    for name, dev in per_device.items():
        if isinstance(dev, dict):
            usage.work[name] = busy[name] if use_busy else _num(dev.get("dispatched"))
            usage.dispatched += int(_num(dev.get("dispatched")))
            usage.retries += int(_num(dev.get("retries")))
    usage.busy_ms = sum(busy.values())
    if "elapsed_ms" in report:
        usage.elapsed_ms = _num(report.get("elapsed_ms"))


def _ts(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def _from_events(ctx: GradeContext, usage: _Usage) -> None:
    ev = ctx.evidence
    for start in ev.named("run_started"):
        for node in start.get("pool") or []:
            if isinstance(node, dict) and node.get("name"):
                usage.weight[str(node["name"])] = _num(node.get("weight")) or 1.0
    if not usage.work:
        for e in ev.named("task_dispatched"):
            name = str(e.get("device", "?"))
            usage.work[name] = usage.work.get(name, 0.0) + 1
        usage.dispatched = len(ev.named("task_dispatched"))
        usage.retries = len(ev.named("task_retry"))
    for name in usage.weight:
        usage.work.setdefault(name, 0.0)
    stamps = [t for t in (_ts(e.get("ts")) for e in ev.events or []) if t is not None]
    if usage.elapsed_ms is None and len(stamps) >= 2:
        usage.elapsed_ms = (max(stamps) - min(stamps)) * 1000


def _low(code: str, message: str) -> Finding:
    return Finding(code=code, message=message, severity=Severity.LOW)


def _spread(usage: _Usage) -> list[Finding]:
    total = sum(usage.work.values())
    nodes = len(usage.work)
    if nodes < 2 or total <= 0 or usage.dispatched < 2 * nodes:
        return []  # too little work to expect every node to get some
    weights = {n: usage.weight.get(n, 1.0) for n in usage.work}
    found = []
    for name, work in sorted(usage.work.items()):
        share, fair = work / total, weights[name] / sum(weights.values())
        if share < STARVED_SHARE:
            found.append(_low("starved_node", f"node {name} did {share:.0%} of the work"))
        elif share > OVERLOAD_SHARE and share > OVERLOAD_FACTOR * fair:
            found.append(_low("overloaded_node", f"node {name} did {share:.0%} (fair {fair:.0%})"))
    return found


def _shares(ctx: GradeContext, usage: _Usage) -> list[Finding]:
    n = max(usage.dispatched, 1)
    found = []
    if usage.retries / n > RETRY_SHARE:
        found.append(_low("retry_share", f"{usage.retries} retries over {n} dispatches"))
    stalls = [
        e
        for e in ctx.evidence.named("task_retry", "judge_verdict")
        if "stall" in " ".join(str(e.get(k, "")) for k in ("error", "reason", "verdict", "note"))
    ]
    if len(stalls) / n > STALL_SHARE:
        found.append(_low("stall_share", f"{len(stalls)} stalls over {n} dispatches"))
    kills = [
        e
        for e in ctx.evidence.named("judge_verdict")
        if str(e.get("action", "")).lower() not in _QUIET_ACTIONS
    ]
    if kills:
        sev = Severity.LOW if len(kills) / n > JUDGE_SHARE else Severity.INFO
        found.append(
            Finding(
                code="judge_interventions",
                severity=sev,
                message=f"the judge intervened {len(kills)} time(s)",
            )
        )
    return found


def _time(ctx: GradeContext, usage: _Usage) -> list[Finding]:
    found = []
    if usage.elapsed_ms:
        seconds = usage.elapsed_ms / 1000
        if seconds > ctx.task.budget_s:
            found.append(
                Finding(
                    code="over_budget",
                    severity=Severity.HIGH,
                    message=f"wall time {seconds:.0f}s over the {ctx.task.budget_s:.0f}s budget",
                )
            )
        slots = sum(usage.weight.values()) or len(usage.work) or 1
        if usage.busy_ms and 1 - usage.busy_ms / (usage.elapsed_ms * slots) > IDLE_SHARE:
            idle = 1 - usage.busy_ms / (usage.elapsed_ms * slots)
            found.append(_low("idle_share", f"slots idle {idle:.0%} of the run"))
    if ctx.evidence.named("scheduler_stuck"):
        found.append(
            Finding(
                code="scheduler_stuck",
                severity=Severity.HIGH,
                message="the scheduler reported itself stuck",
            )
        )
    return found


def grade_cluster(ctx: GradeContext) -> DimensionGrade:
    """Fail when over budget or stuck; low findings (spread, retries, idle) lower the score."""
    ev = ctx.evidence
    if ev.report is None and ev.events is None:
        return inconclusive("no_events", "neither a swarm report nor an event log was given")
    usage = _Usage()
    if ev.report is not None:
        _from_report(ev.report, usage)
    _from_events(ctx, usage)
    if not usage.work and usage.elapsed_ms is None:
        return inconclusive("no_cluster_data", "the report and events hold no per-node work")
    findings = _spread(usage) + _shares(ctx, usage) + _time(ctx, usage)
    high = sum(f.severity is Severity.HIGH for f in findings)
    low = sum(f.severity is Severity.LOW for f in findings)
    if high:
        return deterministic(Status.FAIL, 0.0, findings)
    return deterministic(Status.PASS, 1.0 - 0.1 * low, findings)
