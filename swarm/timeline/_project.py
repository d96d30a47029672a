"""Project a timeline run at ``time_scale = 1/scale`` back to real model speed.

Each device is a lane whose own model calls are stretched: a lane's clock runs ``scale``
times faster inside its calls (times the share of the calls' wall time the model reported
as its latency, so a simulator's own compute or a loaded machine is not counted as model
time) and at the measured rate elsewhere — tools, sandbox runs and the engine keep their
real durations. Lanes are kept in step where the run itself waited: an attempt, a call
outside any attempt (planning, contracts, side work) and a phase or gate cannot start in
projection before everything that had finished when it started (attempts, such calls,
phases) has finished in projection. Labelled ``projected``: it is a model of the run at
real speed, not a measurement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

from swarm.timeline._build import attribute_calls
from swarm.timeline._model import Attempt, ModelCall, Span, Timeline
from swarm.timeline._spans import union

T = TypeVar("T")
GLOBAL = "\0global"  # the lane of phases and gates (no calls: real time between syncs)


def _model_share(calls: list[ModelCall], start: float, end: float) -> float:
    """Of the calls in ``[start, end]``, the share of their wall time the model reported."""
    inside = [c for c in calls if c.start >= start and c.end <= end and c.end > c.start]
    wall = sum(c.end - c.start for c in inside)
    reported = sum(c.end - c.start if c.model_s is None else c.model_s for c in inside)
    return 1.0 if wall <= 0 else min(1.0, reported / wall)


def _warp(calls: list[ModelCall], scale: float) -> Callable[[float], float]:
    """One lane's clock: t plus the stretch of its own call blocks before t."""
    blocks = [
        (s, e, max(1.0, scale * _model_share(calls, s, e)))
        for s, e in union((c.start, c.end) for c in calls)
    ]
    return lambda t: t + sum((min(e, t) - s) * (r - 1.0) for s, e, r in blocks if s < t)


class _Replay:
    """Lane clocks with offsets, raised at each sync so nothing starts before its causes."""

    def __init__(self, timeline: Timeline, scale: float) -> None:
        lanes: dict[str, list[ModelCall]] = {d: [] for d in timeline.devices}
        for call in timeline.calls:
            lanes.setdefault(call.device, []).append(call)
        self.warps = {d: _warp(calls, scale) for d, calls in lanes.items()}
        self.warps[GLOBAL] = lambda t: t
        self.offset = dict.fromkeys(self.warps, 0.0)
        self.finished: list[tuple[float, float]] = []  # (wall end, projected end)

    def at(self, lane: str, t: float) -> float:
        return self.warps[lane](t) + self.offset[lane]

    def start(self, lane: str, t: float) -> float:
        """Projected start of something on ``lane`` at wall ``t``, after its causes."""
        need = max((p for w, p in self.finished if w <= t), default=0.0)
        self.offset[lane] = max(self.offset[lane], need - self.warps[lane](t))
        return self.at(lane, t)

    def finish(self, wall: float, projected: float) -> None:
        self.finished.append((wall, projected))


def _inside_attempt(call: ModelCall, attempts: list[Attempt]) -> bool:
    return any(
        a.device == call.device and a.start <= call.start and call.end <= a.end for a in attempts
    )


def project(timeline: Timeline, scale: float) -> Timeline:
    """The timeline at real speed: model time ``scale``× (see the module docstring)."""
    replay = _Replay(timeline, scale)
    loose = {id(c) for c in timeline.calls if not _inside_attempt(c, timeline.attempts)}
    starts: list[tuple[float, int, object]] = []
    for item in [*timeline.attempts, *timeline.calls, *timeline.phases, *timeline.gates]:
        starts.append((item.start, 1, item))  # type: ignore[attr-defined]
        starts.append((item.end, 0, item))  # type: ignore[attr-defined]
    mapped: dict[int, tuple[float, float]] = {}
    for t, is_start, item in sorted(starts, key=lambda s: (s[0], s[1])):
        lane = getattr(item, "device", GLOBAL)
        synced = isinstance(item, Attempt | Span) or id(item) in loose
        if id(item) not in mapped:  # a start (or a zero-length item's end, sorted first)
            begin = replay.start(lane, t) if synced else replay.at(lane, t)
            mapped[id(item)] = (begin, begin)
        if is_start:
            continue
        # a phase or gate ends after all that finished within it; a lane's item, on its clock
        now = replay.start(lane, t) if lane == GLOBAL else replay.at(lane, t)
        end = max(mapped[id(item)][0], now)
        mapped[id(item)] = (mapped[id(item)][0], end)
        if synced:
            replay.finish(t, end)
    wall = replay.start(GLOBAL, timeline.wall_s)
    return _rebuilt(timeline, scale, mapped, wall)


def _rebuilt(
    timeline: Timeline, scale: float, mapped: dict[int, tuple[float, float]], wall: float
) -> Timeline:
    def moved(item: T, **extra: object) -> T:
        start, end = mapped[id(item)]
        return dataclasses.replace(item, start=round(start, 4), end=round(end, 4), **extra)  # type: ignore[type-var]

    calls = [
        moved(c, model_s=None if c.model_s is None else round(c.model_s * scale, 4))
        for c in timeline.calls
    ]
    attempts = [moved(a) for a in timeline.attempts]
    attribute_calls(attempts, calls)
    ends = [end for _, end in mapped.values()]
    return dataclasses.replace(
        timeline,
        wall_s=round(max([wall, *ends]), 4),
        phases=[moved(p) for p in timeline.phases],
        gates=[moved(g) for g in timeline.gates],
        attempts=attempts,
        calls=calls,
        scale=timeline.scale * scale,
        label="projected",
    )
