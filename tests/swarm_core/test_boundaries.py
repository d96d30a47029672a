"""The swarm core imports no model client; bad fleets refuse to start with one line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from swarm_core_fakes import FakeDispatcher

from swarm import FleetError, Scheduler, devices_from_nodes, load_plan

CORE = [
    "swarm",
    "swarm.dag",
    "swarm.scheduler._scheduler",
    "swarm.fleet",
    "swarm.judge",
    "swarm.events",
    "swarm.report",
    "swarm.knobs",
    "swarm.retry",
    "swarm.scheduler.priority",
    "swarm.protocols",
    "swarm._replay",
    "swarm.virtual_clock",
]


def test_the_swarm_core_imports_nothing_from_brain_gym_or_verifier():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('brain', 'gym', 'verifier', 'openai', 'anthropic'))\nprint(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_devices_come_from_node_specs():
    from brain import parse_fleet_spec

    devices = devices_from_nodes(
        parse_fleet_spec("sim:competent?weight=2&speed=1.5&name=a,sim:lazy")
    )
    assert [(d.name, d.weight, d.speed) for d in devices] == [("a", 2, 1.5), ("sim-lazy-1", 1, 1.0)]


def test_an_empty_fleet_refuses_to_start():
    with pytest.raises(FleetError, match="fleet has no devices"):
        devices_from_nodes([])


def test_a_fleet_with_no_usable_device_refuses_to_start():
    from swarm import Device

    with pytest.raises(FleetError, match="no usable device"):
        Scheduler(
            load_plan([{"id": "a"}]),
            [Device(name="x", url="sim:x", model="m", weight=0)],
            FakeDispatcher(),
            events=None,
        )  # type: ignore[arg-type]


def test_every_exported_name_exists_and_is_documented():
    import inspect

    import swarm

    for name in swarm.__all__:
        value = getattr(swarm, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"swarm.{name} has no docstring"
