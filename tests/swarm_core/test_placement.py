"""Device choice: work stealing (fanout), and critical-path's earliest-finish plan.

The two placement faults of issue 18 are pinned against both placements, so each test
shows the old one (``load_share``) doing what the new one must not.
"""

from __future__ import annotations

import asyncio

from swarm_core_fakes import OK, FakeDispatcher, fail, fleet, make_scheduler, plan

from swarm import ErrorClass, Subtask
from swarm.fleet import DeviceState, estimated_ms_per_cost, pick_device
from swarm.scheduler import placement
from swarm.scheduler.placement import seconds_per_cost
from swarm.virtual_clock import run_virtual


def timed(seconds_per_cost: float = 1.0):
    async def run(assignment, events):
        await asyncio.sleep(
            seconds_per_cost * assignment.task.estimated_cost / assignment.device.speed
        )
        return OK

    return run


def _two_long_tasks(policy: str):
    fake = FakeDispatcher({t: [timed()] for t in ("long1", "long2")})
    outcome = run_virtual(
        make_scheduler(
            plan({"id": "long1", "estimated_cost": 8}, {"id": "long2", "estimated_cost": 8}),
            fleet(("fast", 1, 4.0), ("slow", 1, 1.0)),
            fake,
            knobs={"scheduler.policy": policy},
        ).run()
    )
    return fake, outcome


def test_critical_path_waits_for_a_much_faster_busy_device():
    # long2 on the idle slow device would end at 8 s; after long1 on the fast one, at 4 s.
    fake, outcome = _two_long_tasks("critical_path")
    assert fake.devices_of("long2") == ["fast"]
    assert round(outcome.elapsed_ms) == 4000


def test_fanout_never_holds_work_back():
    fake, outcome = _two_long_tasks("fanout")
    assert fake.devices_of("long2") == ["slow"]  # the free device, whatever its speed
    assert round(outcome.elapsed_ms) == 8000


def test_nothing_is_held_when_the_faster_device_was_avoided():
    fake = FakeDispatcher({"a": [fail(ErrorClass.TRANSIENT, "503"), OK]})
    outcome = run_virtual(
        make_scheduler(
            plan({"id": "a", "estimated_cost": 8}), fleet(("fast", 1, 4.0), ("slow", 1, 1.0)), fake
        ).run()
    )
    assert fake.devices_of("a") == ["fast", "slow"] and outcome.status.value == "done"


def test_unmeasured_devices_are_estimated_from_measured_ones_by_configured_speed():
    devices = [DeviceState(d) for d in fleet(("a", 1, 2.0), ("b", 1, 1.0))]
    devices[0].observe(elapsed_ms=600, cost=2)  # 300 ms per unit at speed 2
    assert estimated_ms_per_cost(devices[1], devices) == 600  # half the speed: twice the time


def test_equal_devices_rotate_by_dispatch_count():
    devices = [DeviceState(d) for d in fleet(("a", 1), ("b", 1))]
    devices[0].dispatched = 3
    chosen = pick_device(devices, Subtask(id="t", description=""))
    assert chosen is devices[1]


def sleeps(seconds: float):
    async def run(assignment, events):
        await asyncio.sleep(seconds)
        return OK

    return run


def _half_busy_fast_device(placement: str):
    # a (cost 8) takes one of fast's two slots for 4 s; b (cost 4) then finishes at 2 s on
    # fast's other slot, at 4 s on the idle slow device.
    fake = FakeDispatcher({t: [timed()] for t in ("a", "b")})
    outcome = run_virtual(
        make_scheduler(
            plan({"id": "a", "estimated_cost": 8}, {"id": "b", "estimated_cost": 4}),
            fleet(("fast", 2, 2.0), ("slow", 1, 1.0)),
            fake,
            knobs={"scheduler.policy": "critical_path", "scheduler.placement": placement},
        ).run()
    )
    return fake, outcome


def test_a_free_slot_on_a_half_busy_fast_device_beats_an_idle_slow_device():
    fake, outcome = _half_busy_fast_device("earliest_finish")
    assert fake.devices_of("b") == ["fast"]
    assert fake.peak["fast"] == 2 and "slow" not in fake.peak
    assert fake.finished == ["b", "a"] and round(outcome.elapsed_ms) == 4000


def test_load_share_placement_sent_it_to_the_idle_slow_device():
    fake, _ = _half_busy_fast_device("load_share")
    assert fake.devices_of("b") == ["slow"]  # less loaded, twice as slow: the old fault


def _expired_hold(placement: str):
    # long1 is estimated at 2 s on fast but takes 3 s. long2 is held for fast (4 s there,
    # 8 s on slow) until the promised 2 s; short ends on slow at 2.5 s, past that promise,
    # and triggers a pass while fast is still busy.
    fake = FakeDispatcher({"long1": [sleeps(3.0)], "long2": [timed()], "short": [timed()]})
    outcome = run_virtual(
        make_scheduler(
            plan(
                {"id": "long1", "estimated_cost": 8},
                {"id": "long2", "estimated_cost": 8},
                {"id": "short", "estimated_cost": 2.5},
            ),
            fleet(("fast", 1, 4.0), ("slow", 1, 1.0)),
            fake,
            knobs={"scheduler.policy": "critical_path", "scheduler.placement": placement},
        ).run()
    )
    return fake, outcome


def test_an_expired_hold_is_decided_again_not_forced_onto_the_slow_device():
    fake, outcome = _expired_hold("earliest_finish")
    assert fake.devices_of("short") == ["slow"]
    assert fake.devices_of("long2") == ["fast"]  # still clearly faster at 2.5 s: held again
    assert round(outcome.elapsed_ms) == 5000  # long1 ends at 3 s, long2 on fast 2 s later


def test_load_share_placement_forced_the_expired_hold_onto_the_slow_device():
    fake, outcome = _expired_hold("load_share")
    assert fake.devices_of("long2") == ["slow"]
    assert round(outcome.elapsed_ms) == 10500  # 2.5 s + 8 s on slow: the old fault


def test_a_soon_ready_critical_task_keeps_its_fast_slot_and_the_rest_starts_at_once():
    # head (cost 2) runs on fast, 1 s; tail (cost 8) follows it and is the critical path.
    # side (cost 4) is ready at once: fast would end it at 3 s after head, so a plan
    # blind to tail holds it — then tail takes fast at 1 s and side starts on slow only
    # then (ends 5 s). The plan reserves fast for tail: side starts on slow at 0, ends 4 s.
    ends: dict[str, float] = {}

    def timed_and_noted():
        async def run(assignment, events):
            await timed()(assignment, events)
            ends[assignment.task.id] = asyncio.get_running_loop().time()
            return OK

        return run

    fake = FakeDispatcher({t: [timed_and_noted()] for t in ("head", "tail", "side")})
    outcome = run_virtual(
        make_scheduler(
            plan(
                {"id": "head", "estimated_cost": 2},
                {"id": "tail", "estimated_cost": 8, "deps": ["head"]},
                {"id": "side", "estimated_cost": 4},
            ),
            fleet(("fast", 1, 2.0), ("slow", 1, 1.0)),
            fake,
            knobs={"scheduler.policy": "critical_path"},
        ).run()
    )
    assert fake.devices_of("tail") == ["fast"] and fake.devices_of("side") == ["slow"]
    assert ends == {"head": 1.0, "side": 4.0, "tail": 5.0}
    assert round(outcome.elapsed_ms) == 5000


def test_a_few_unlucky_attempts_do_not_make_a_fast_device_look_slow():
    # Measured ms per unit cost carries every wrong cost estimate: one attempt left the
    # twice-as-fast device looking slower than the other. Few attempts: trust the config.
    fast, slow = (DeviceState(d) for d in fleet(("fast", 1, 2.0), ("slow", 1, 1.0)))
    fast.observe(elapsed_ms=1200, cost=1)
    slow.observe(elapsed_ms=1000, cost=1)
    fast.dispatched = slow.dispatched = 1
    devices = [fast, slow]
    assert seconds_per_cost(fast, devices) < seconds_per_cost(slow, devices)
    fast.dispatched = slow.dispatched = 200  # measured over many attempts: believe it
    assert seconds_per_cost(fast, devices) > seconds_per_cost(slow, devices)


def _tail_of_four(monkeypatch, limit: int):
    # 12 units of work on speeds 2 + 1: 4 s at best. Greedy earliest finish puts the
    # 4-unit task on fast (2 s) and ends at 4.5 s; looking one step ahead puts it on slow
    # (4 s) and the three others on fast (1 + 1.5 + 1.5 s).
    monkeypatch.setattr(placement, "PILOT_LIMIT", limit)
    costs = {"w": 4, "x": 3, "y": 3, "z": 2}
    fake = FakeDispatcher({t: [timed()] for t in costs})
    outcome = run_virtual(
        make_scheduler(
            plan(*({"id": t, "estimated_cost": c} for t, c in costs.items())),
            fleet(("fast", 1, 2.0), ("slow", 1, 1.0)),
            fake,
            knobs={"scheduler.policy": "critical_path"},
        ).run()
    )
    return fake, outcome


def test_near_the_end_a_slot_is_chosen_by_how_soon_the_rest_can_finish(monkeypatch):
    fake, outcome = _tail_of_four(monkeypatch, placement.PILOT_LIMIT)
    assert fake.devices_of("w") == ["slow"] and round(outcome.elapsed_ms) == 4000


def test_greedy_earliest_finish_alone_ends_later(monkeypatch):
    fake, outcome = _tail_of_four(monkeypatch, 0)
    assert fake.devices_of("w") == ["fast"] and round(outcome.elapsed_ms) == 4500
