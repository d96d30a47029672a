"""The scheduler benchmark's simulation is exact: it never beats its own lower bound."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "benchmarks" / "scheduler_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("scheduler_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["scheduler_bench"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["scheduler_bench"]


@pytest.mark.parametrize("shape", ["wide", "deep", "diamond", "fan_in", "layered", "conflicts"])
def test_makespan_is_never_below_the_lower_bound(bench, shape):
    for policy in ("fanout", "critical_path"):
        case = bench.run_case(shape, 40, "3-mixed", policy, seed=0)
        assert case.ratio >= 1 - 1e-9 and 0 < case.busy_share <= 1 + 1e-9


def test_one_device_is_exactly_the_total_work(bench):
    case = bench.run_case("wide", 40, "1x1", "critical_path", seed=0)
    assert case.ratio == pytest.approx(1.0) and case.busy_share == pytest.approx(1.0)
