"""Device choice: work stealing, plus critical-path's earliest-finish hold for a faster device."""

from __future__ import annotations

import asyncio

from swarm_core_fakes import OK, FakeDispatcher, fail, fleet, make_scheduler, plan

from swarm import ErrorClass, Subtask
from swarm.fleet import DeviceState, estimated_ms_per_cost, pick_device
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
