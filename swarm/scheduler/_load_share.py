"""The critical-path placement before issue 18 (``scheduler.placement = load_share``).

``pick_device`` chooses the least-loaded free device (speed only breaks ties), and
``SlotForecast.wait_until`` holds a task for a busy faster device that would finish it
clearly earlier — but only until the moment first promised, after which the task goes to
the device ``pick_device`` chose, however slow. Kept so the scheduler benchmark can show
it beside the earliest-finish plan (``placement``); nothing else should use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from swarm.fleet import DeviceState, estimated_ms_per_cost
from swarm.protocols import Subtask

#: Wait only for a clear gain (the same margin ``placement`` uses).
MIN_GAIN = 0.15


class SlotForecast:
    """When each device slot is expected to be free, in seconds on the loop's clock.

    A running attempt ends at start + estimated cost × the device's ms per unit cost, but
    never sooner than half its estimate from now.
    """

    def __init__(
        self, fleet: Sequence[DeviceState], running: Iterable[tuple[str, float, float]], now: float
    ):
        self.fleet = [s for s in fleet if not s.quarantined]
        self.now = now
        self.seconds = {s.name: estimated_ms_per_cost(s, fleet) / 1000 for s in self.fleet}
        self.slots: dict[str, list[float]] = {s.name: [] for s in self.fleet}
        for device, started, cost in running:
            if device in self.slots:
                estimate = cost * self.seconds[device]
                self.slots[device].append(max(started + estimate, now + estimate / 2))
        for state in self.fleet:
            taken = self.slots[state.name]
            taken += [now] * max(0, state.device.weight - len(taken))
            taken.sort()

    def finish(self, state: DeviceState, cost: float) -> float:
        """When ``cost`` of work would finish if it started on this device's first free slot."""
        return self.slots[state.name][0] + cost * self.seconds[state.name]

    def book(self, state: DeviceState, cost: float) -> None:
        """Record that this device's first free slot is taken for ``cost`` of work."""
        slots = self.slots[state.name]
        slots[0] = self.finish(state, cost)
        slots.sort()

    def wait_until(
        self, task: Subtask, chosen: DeviceState, avoid: str | None = None
    ) -> float | None:
        """When a faster busy device would finish ``task`` clearly earlier, else None.

        Only busy devices count (a free faster one that ``pick_device`` passed over was
        avoided on purpose), so nothing is ever held while the whole fleet is idle.
        Either way the slot it would use is booked for the rest of this pass.
        """
        cost = task.estimated_cost
        here = self.finish(chosen, cost)
        faster = [
            s
            for s in self.fleet
            if self.seconds[s.name] < self.seconds[chosen.name]
            and s.name != avoid
            and self.slots[s.name][0] > self.now
        ]
        best = min(faster, key=lambda s: (self.finish(s, cost), s.name), default=None)
        if best is not None and self.finish(best, cost) < here - MIN_GAIN * (here - self.now):
            start = self.slots[best.name][0]
            self.book(best, cost)
            return start
        self.book(chosen, cost)
        return None
