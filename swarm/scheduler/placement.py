"""Earliest-finish placement for the critical-path policy: a plan of the remaining work.

Work stealing puts a ready task on whatever slot is free. With a heterogeneous fleet that
is the wrong call twice over: an idle slow device is not better than a free slot on a
half-busy fast one, and a long task on a device four times slower may finish long after
a faster busy device would have, had it waited a little for it. So on every claim pass
``FleetPlan`` lays out all the remaining work, in priority order, the way HEFT does
(Topcuoglu et al. 2002; list scheduling by earliest finish time with insertion):

- each device slot is busy until its running attempt's expected end (start + estimated
  cost × the device's seconds per unit cost, see ``seconds_per_cost``; an overdue one is
  given another ``REMAINING_FLOOR`` of its estimate), and its owned files until then too;
- each pending task, highest priority first, goes where it would finish first: on a slot
  and after its dependencies' planned ends, in the first gap long enough that overlaps no
  task owning one of its files. Tasks not yet ready only reserve their slot, so a free
  fast slot that the top-priority task will want in a moment is not given away to a
  long low-priority one;
- a ready task whose best slot is free now starts now; one whose best slot is on a busy
  device is held (left in the ready set) when that finishes it clearly (``MIN_GAIN``)
  earlier than the best free slot, else it starts on that free slot;
- near the end of the run (``PILOT_LIMIT``) each free slot is tried with the rest of the
  work laid out after it, and the slot whose plan ends soonest wins (``pilot``).

Nothing is kept between passes (every completion triggers one), so a hold whose promised
time has passed is simply decided again on the facts of the moment, never forced onto
the slow device, and a mis-estimate costs at most one pass.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from swarm.fleet import DeviceState, estimated_ms_per_cost
from swarm.knobs import register_knob
from swarm.protocols import Subtask

#: Hold for a busy device only for a clear gain: estimates come from a few observed
#: attempts and real model latency varies by tens of percent, so a marginal "faster
#: elsewhere" is noise. On the scheduler benchmark 0.15 left 3 instances over 2% behind
#: HEFT with exact costs and 0.0-0.05 did worse with --noise 0.3; 0.1 does neither.
MIN_GAIN = 0.1
#: An attempt past its estimate is assumed to end soon, not to need half of it again:
#: with 0.5 a fast device about to free up looked far away and work went to slow ones.
REMAINING_FLOOR = 0.1
#: How many attempts the configured speed weighs against the measured one: with
#: --noise 0.3 on the scheduler benchmark, raw measured speeds (0) left 9 instances over
#: 2% behind HEFT (worst 1.32); 4 leaves 1-2 (worst 1.05), and 10 is no better.
PRIOR_ATTEMPTS = 4.0
#: Look one step ahead (``FleetPlan.pilot``) when at most this many tasks are left
#: after the one being placed: it took the scheduler benchmark's worst instance from
#: 1.107 to 1.055 of the best known schedule; each try replans the rest, so only the tail.
PILOT_LIMIT = 16
#: Plans are in seconds; a start this close to now is now.
EPSILON = 1e-9

PLACEMENTS = ("earliest_finish", "load_share")

PLACEMENT = register_knob(
    "scheduler.placement",
    str,
    "earliest_finish",
    # earliest_finish is what meets issue 18's targets against HEFT and the proven optimum
    # on the scheduler benchmark; load_share stays only so the benchmark can show both.
    "How the critical_path policy places tasks: earliest_finish (plan all remaining work "
    "by earliest finish; hold a ready task for a clearly faster busy device, re-decided "
    "every pass) or load_share (least-loaded free device; a hold ends at its first "
    "promised time).",
    choices=PLACEMENTS,
)


def seconds_per_cost(state: DeviceState, fleet: Sequence[DeviceState]) -> float:
    """The device's measured speed, shrunk towards its configured one while measured little.

    A measurement is elapsed time ÷ *estimated* cost, so every wrong estimate lands in the
    device's speed; after a few attempts a fast device can look slower than a slow one
    and the plan would wait for the wrong device. The configured speed (scaled to what
    the fleet measures) weighs as ``PRIOR_ATTEMPTS`` attempts.
    """
    measured = estimated_ms_per_cost(state, fleet)
    scaled = [s.ms_per_cost * s.device.speed for s in fleet if s.ms_per_cost is not None]
    prior = sum(scaled) / len(scaled) / state.device.speed if scaled else 0.0
    if state.ms_per_cost is None or measured <= 0 or prior <= 0:
        return measured / 1000  # nothing measured here, or instant fakes: nothing to blend
    weight = state.dispatched / (state.dispatched + PRIOR_ATTEMPTS)
    return math.exp(weight * math.log(measured) + (1 - weight) * math.log(prior)) / 1000


@dataclass(frozen=True)
class Running:
    """An attempt in flight, as the plan sees it."""

    task_id: str
    device: str
    started: float
    cost: float
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placement:
    """What ``FleetPlan.decide`` says of a ready task: start on ``device`` now, or hold."""

    device: DeviceState | None
    hold_until: float | None = None


@dataclass
class _Slot:
    """One slot of a device: its booked (start, end) intervals, sorted."""

    state: DeviceState
    booked: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class _Option:
    """Where a task could run: the slot, its start and end."""

    slot: _Slot
    start: float
    end: float


class FleetPlan:
    """One claim pass's plan of the remaining work over the fleet's slots."""

    def __init__(self, fleet: Sequence[DeviceState], running: Iterable[Running], now: float):
        self.now = now
        usable = [s for s in fleet if not s.quarantined]
        self.seconds = {s.name: seconds_per_cost(s, fleet) for s in usable}
        self.slots = {s.name: [_Slot(s) for _ in range(s.device.weight)] for s in usable}
        self.ends: dict[str, float] = {}
        self.files: dict[str, list[tuple[float, float]]] = {}
        for run in sorted(running, key=lambda r: r.started):
            self._book_running(run)

    def _book_running(self, run: Running) -> None:
        if run.device not in self.slots:
            return
        estimate = run.cost * self.seconds[run.device]
        end = max(run.started + estimate, self.now + REMAINING_FLOOR * estimate)
        slot = min(self.slots[run.device], key=lambda s: s.booked[-1][1] if s.booked else 0.0)
        self._book(run.task_id, slot, run.started, end, run.files)

    def pilot(self, task: Subtask, rest: Sequence[Subtask], avoid: str | None) -> Placement | None:
        """``decide`` for a ready task, looking one step ahead near the end of the run.

        With few tasks left (``PILOT_LIMIT``) greedy earliest finish can leave a long task
        last on a slow device. So each free slot is tried: the task booked there, ``rest``
        (the pending tasks after it, in priority order) laid out greedily; the slot whose
        plan ends soonest wins. Ties, holds and longer plans keep ``decide``'s choice.
        """
        if len(rest) > PILOT_LIMIT:
            return self.decide(task, True, avoid)
        greedy = self.copy()
        placed = greedy.decide(task, True, avoid)
        if placed is None or placed.device is None:
            return self.decide(task, True, avoid)
        best_end, best = greedy._rollout(rest), None
        for key, option in self._free_now(task, avoid):
            trial = self.copy()
            trial._book_option(task, trial._at(key, option))
            end = trial._rollout(rest)
            if end < best_end - EPSILON:
                best_end, best = end, (key, option)
        if best is None:
            return self.decide(task, True, avoid)
        self._book_option(task, self._at(*best))
        return Placement(best[1].slot.state)

    def copy(self) -> FleetPlan:
        """An independent copy, to try a choice out."""
        other = object.__new__(FleetPlan)
        other.now, other.seconds = self.now, self.seconds
        other.slots = {
            name: [_Slot(s.state, list(s.booked)) for s in slots]
            for name, slots in self.slots.items()
        }
        other.ends = dict(self.ends)
        other.files = {f: list(spans) for f, spans in self.files.items()}
        return other

    def _free_now(self, task: Subtask, avoid: str | None):
        """((device, slot index), option) for each slot that could start ``task`` now."""
        after = max((self.ends.get(d, self.now) for d in task.deps), default=self.now)
        for name, slots in self.slots.items():
            for index, slot in enumerate(slots):
                option = self._earliest(task, slot, after)
                if option.start <= self.now + EPSILON and slot.state.free and name != avoid:
                    yield (name, index), option

    def _at(self, key: tuple[str, int], option: _Option) -> _Option:
        """``option`` moved onto this plan's copy of its slot."""
        return _Option(self.slots[key[0]][key[1]], option.start, option.end)

    def _rollout(self, rest: Sequence[Subtask]) -> float:
        """Lay ``rest`` out greedily; when the last booked work then ends."""
        for t in rest:
            self.decide(t, False)
        ends = [s.booked[-1][1] for slots in self.slots.values() for s in slots if s.booked]
        return max(ends, default=self.now)

    def decide(self, task: Subtask, ready: bool, avoid: str | None = None) -> Placement | None:
        """Plan ``task``; for a ready one, start it now or hold it. None: not ready / no slot.

        ``avoid`` (where a transient failure came from) gets the task only when no other
        device has a free slot, and a task is never held for it.
        """
        after = max((self.ends.get(d, self.now) for d in task.deps), default=self.now)
        options = [self._earliest(task, slot, after) for slot in self._candidates(avoid)]
        if not options:
            return None
        best = min(options, key=self._rank(task))
        if not ready:
            self._book_option(task, best)
            return None
        now = [o for o in options if o.start <= self.now + EPSILON and o.slot.state.free]
        if avoid is not None and any(o.slot.state.name != avoid for o in now):
            now = [o for o in now if o.slot.state.name != avoid]
        here = min(now, key=self._rank(task), default=None)
        if here is not None and not self._worth_waiting(best, here, avoid):
            self._book_option(task, here)
            return Placement(here.slot.state)
        self._book_option(task, best)
        return Placement(None, max(best.start, self.now))

    def _candidates(self, avoid: str | None) -> list[_Slot]:
        everything = [slot for slots in self.slots.values() for slot in slots]
        others = [s for s in everything if s.state.name != avoid]
        return others if others and any(s.state.free for s in others) else everything

    def _worth_waiting(self, best: _Option, here: _Option, avoid: str | None) -> bool:
        """Hold for ``best`` (a busy slot) only if it ends clearly sooner than ``here``."""
        if best is here or best.slot.state.name == avoid:
            return False
        return best.end < here.end - MIN_GAIN * (here.end - self.now)

    def _rank(self, task: Subtask):
        def key(option: _Option) -> tuple[float, float, float, int, int, str]:
            state = option.slot.state
            preferred = 0 if task.preferred_model == state.device.model else 1
            speed = self.seconds[state.name]
            return (option.end, speed, state.load, preferred, state.dispatched, state.name)

        return key

    def _earliest(self, task: Subtask, slot: _Slot, after: float) -> _Option:
        """The first gap on ``slot`` from ``after`` long enough for ``task`` (insertion)."""
        length = task.estimated_cost * self.seconds[slot.state.name]
        blocked = slot.booked
        conflicts = [iv for f in task.owned_files for iv in self.files.get(f, ())]
        if conflicts:
            blocked = sorted(blocked + conflicts)
        # One slot's intervals never overlap, so only the one just before ``after`` can
        # reach past it; merged with file conflicts they may, so scan them all.
        first = 0 if conflicts else max(0, bisect.bisect_left(blocked, (after,)) - 1)
        start = after
        for begin, end in blocked[first:]:
            if end <= start:
                continue
            if begin >= start + length:
                break
            start = end
        return _Option(slot, start, start + length)

    def _book_option(self, task: Subtask, option: _Option) -> None:
        self._book(task.id, option.slot, option.start, option.end, tuple(task.owned_files))

    def _book(self, task_id: str, slot: _Slot, start: float, end: float, files) -> None:
        bisect.insort(slot.booked, (start, end))
        self.ends[task_id] = end
        for f in files:
            self.files.setdefault(f, []).append((start, end))
