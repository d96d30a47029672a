"""Figures of a timeline: phase shares, the build's busy share, the serial share.

Busy means a model call in flight on the node: the fleet's busy share during the build is
the node-time spent in calls over nodes × the build's length, and the serial share is the
part of the whole run when at most one node is in a call (sandbox-only stretches count).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from swarm.timeline._model import Timeline
from swarm.timeline._phases import PHASES
from swarm.timeline._spans import Pair, clip, coverage, length, union


@dataclass
class Figures:
    """The numbers a timeline boils down to (seconds, shares in 0..1)."""

    wall_s: float
    phase_s: dict[str, float] = field(default_factory=dict)
    phase_share: dict[str, float] = field(default_factory=dict)
    build_s: float = 0.0
    busy_share_build: float | None = None
    build_serial_s: float = 0.0
    """Seconds of the build with at most one node in a model call (its tail, usually)."""
    serial_share: float = 1.0
    model_s: float = 0.0
    model_calls: int = 0
    tokens: int = 0
    device_busy_share: dict[str, float] = field(default_factory=dict)


def _lanes(timeline: Timeline) -> list[list[Pair]]:
    calls: dict[str, list[Pair]] = {d: [] for d in timeline.devices}
    for call in timeline.calls:
        calls.setdefault(call.device, []).append((call.start, call.end))
    return [union(spans) for spans in calls.values()]


def _phase_order(name: str) -> int:
    return PHASES.index(name) if name in PHASES else len(PHASES)


def figures(timeline: Timeline) -> Figures:
    """Phase shares of the wall, the build's busy share, the serial share, model totals."""
    wall = max(timeline.wall_s, 1e-9)
    lanes = _lanes(timeline)
    out = Figures(wall_s=round(timeline.wall_s, 3))
    names = sorted({p.name for p in timeline.phases}, key=lambda n: (_phase_order(n), n))
    for name in names:
        spent = length(union((p.start, p.end) for p in timeline.phases if p.name == name))
        out.phase_s[name] = round(spent, 3)
        out.phase_share[name] = round(spent / wall, 4)
    build = union((p.start, p.end) for p in timeline.phases if p.name == "build")
    out.build_s = round(length(build), 3)
    if build and lanes:
        busy = sum(length(clip(lane, s, e)) for lane in lanes for s, e in build)
        out.busy_share_build = round(busy / (len(lanes) * length(build)), 4)
        out.build_serial_s = round(
            sum(b - a for s, e in build for a, b, n in coverage(lanes, s, e) if n <= 1), 3
        )
    pieces = coverage(lanes, 0.0, timeline.wall_s)
    out.serial_share = round(sum(b - a for a, b, n in pieces if n <= 1) / wall, 4)
    out.model_s = round(sum(length(lane) for lane in lanes), 3)
    out.model_calls = len(timeline.calls)
    out.tokens = sum(c.prompt_tokens + c.completion_tokens for c in timeline.calls)
    for device, lane in zip(timeline.devices, lanes, strict=False):
        out.device_busy_share[device] = round(length(lane) / wall, 4)
    return out
