"""The fleet as the scheduler sees it: devices, their live load and speed, and placement.

``pick_device`` is work stealing with a few tie-breaks, in this order:

1. only devices with a free slot (in-flight below weight) that are not quarantined, and
   not the device a transient failure just came from when another one is free;
2. hard tasks (and any 2nd+ attempt) go to the fastest device by observed ms per unit of
   estimated cost (seeded from the configured speed before anything is measured);
   every other task to the least-loaded device (in-flight share of its weight);
3. the planner's preferred model only breaks ties;
4. the fewest dispatches so far breaks what is left, rotating equal devices so none starves.

With ``prefer_fast`` (the critical-path policy) the fastest device also wins ties among
equally loaded ones: tasks arrive in priority order, so the most critical gets the
fastest free device.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from swarm.errors import FleetError
from swarm.knobs import register_knob
from swarm.protocols import Device, Difficulty, Subtask

QUARANTINE_AFTER = register_knob(
    "fleet.quarantine_after",
    int,
    3,
    # Three transient failures in a row with no success between them is a dead endpoint
    # (server down, model unloaded for good), not bad luck; retrying there only burns time.
    "Consecutive transient failures after which a device gets no more work (0 = never).",
    bounds=(0, 100),
)

#: Observed speed is an exponential moving average; 0.3 follows a device that slows down
#: (thermal throttling, another job) within a few tasks without jumping on one outlier.
EWMA_ALPHA = 0.3
#: Nominal ms per unit of cost at speed 1.0, only used before any device has been measured.
NOMINAL_MS = 1000.0


class NodeLike(Protocol):
    """Anything shaped like ``brain.NodeSpec`` (kept structural so swarm core needs no brain)."""

    name: str
    url: str
    model: str
    weight: int
    speed: float


def devices_from_nodes(nodes: Iterable[NodeLike]) -> list[Device]:
    """Turn fleet nodes into scheduler devices; refuses an empty or unusable fleet."""
    devices = [
        Device(name=n.name, url=n.url, model=n.model, weight=int(n.weight), speed=float(n.speed))
        for n in nodes
    ]
    check_fleet(devices)
    return devices


def check_fleet(devices: Sequence[Device]) -> None:
    """Raise ``FleetError`` (one line) when no device can take work or names clash."""
    if not devices:
        raise FleetError("fleet has no devices: give at least one node")
    names = [d.name for d in devices]
    if len(set(names)) != len(names):
        raise FleetError("fleet has duplicate device names")
    if not any(d.weight >= 1 and d.speed > 0 for d in devices):
        raise FleetError("fleet has no usable device: every node has weight 0 or speed <= 0")


@dataclass
class DeviceState:
    """One device's live load, history and measured speed (owned by the scheduler)."""

    device: Device
    in_flight: int = 0
    dispatched: int = 0
    ms_per_cost: float | None = None
    transient_streak: int = 0
    quarantined: bool = False

    @property
    def name(self) -> str:
        """The device's name."""
        return self.device.name

    @property
    def free(self) -> bool:
        """It can take one more task now."""
        return not self.quarantined and self.in_flight < self.device.weight

    @property
    def load(self) -> float:
        """In-flight share of its slots (0 = idle)."""
        return self.in_flight / self.device.weight

    def observe(self, elapsed_ms: float, cost: float) -> None:
        """Fold one successful attempt into the measured speed."""
        sample = elapsed_ms / max(cost, 1e-9)
        previous = self.ms_per_cost
        self.ms_per_cost = (
            sample if previous is None else (EWMA_ALPHA * sample + (1 - EWMA_ALPHA) * previous)
        )


def estimated_ms_per_cost(state: DeviceState, fleet: Sequence[DeviceState]) -> float:
    """Measured ms per unit cost, or the configured speed scaled to the measured devices."""
    if state.ms_per_cost is not None:
        return state.ms_per_cost
    measured = [s.ms_per_cost * s.device.speed for s in fleet if s.ms_per_cost is not None]
    base = sum(measured) / len(measured) if measured else NOMINAL_MS
    return base / state.device.speed


def pick_device(
    fleet: Sequence[DeviceState],
    task: Subtask,
    *,
    attempt: int = 1,
    avoid: str | None = None,
    prefer_fast: bool = False,
) -> DeviceState | None:
    """The device to run ``task`` on now, or None when no device has a free slot."""
    candidates = [s for s in fleet if s.free]
    if avoid is not None and any(s.name != avoid for s in candidates):
        candidates = [s for s in candidates if s.name != avoid]
    if not candidates:
        return None
    fast_first = task.difficulty is Difficulty.HARD or attempt >= 2

    def key(state: DeviceState) -> tuple[float, float, int, int, str]:
        speed = estimated_ms_per_cost(state, fleet)
        preferred = 0 if task.preferred_model and state.device.model == task.preferred_model else 1
        if fast_first:
            return (speed, state.load, preferred, state.dispatched, state.name)
        return (state.load, speed if prefer_fast else 0.0, preferred, state.dispatched, state.name)

    return min(candidates, key=key)
