"""Scheduler benchmark: makespan of each priority policy against a lower bound.

The real ``swarm.Scheduler`` runs on a virtual-clock event loop (``swarm.virtual_clock``)
with simulated devices: an attempt of cost ``c`` on a device of speed ``s`` sleeps
``c / s`` virtual seconds, so every figure is exact and a whole suite takes seconds.

For each DAG shape, size and fleet it prints makespan ÷ lower bound, where

    lower bound = max(critical path on the fastest device, total work ÷ total capacity)

(capacity = Σ weight × speed), and the devices' busy share (busy slot-time ÷ makespan ×
slots). Targets (issue 3): ``critical_path`` median ratio ≤ 1.10, never more than 2%
worse than ``fanout`` on any shape, better than ``fanout`` on the deep and fan-in shapes.
It also times the scheduler's own overhead: 200 tasks on 8 devices with zero-latency
fakes on a real event loop must schedule in under 1 s.

    python benchmarks/scheduler_bench.py [--json] [--seed N] [--noise SIGMA]

``--noise`` makes the planner's cost estimates (which drive the critical-path order and
the hold-for-a-faster-device forecast) wrong by a log-normal factor; durations still
follow the true cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from swarm import Device, DispatchResult, EventLog, Knobs, Scheduler, load_plan
from swarm.scheduler.priority import critical_path_lengths
from swarm.virtual_clock import run_virtual

POLICIES = ("fanout", "critical_path")
#: Virtual seconds per unit of cost at speed 1. Deliberately not the scheduler's nominal
#: 1 s/unit prior, so its early duration estimates are wrong until it has measured.
SECONDS_PER_COST = 3.0

FLEETS: dict[str, list[tuple[int, float]]] = {  # name -> [(weight, speed)]
    "1x1": [(1, 1.0)],
    "3-mixed": [(1, 2.0), (1, 1.0), (1, 0.5)],
    "4-weighted": [(2, 1.5), (1, 1.0), (1, 1.0), (1, 0.7)],
    "8-mixed": [(1, 2.0), (1, 1.5), (1, 1.2), (1, 1.0), (1, 1.0), (1, 0.8), (1, 0.6), (1, 0.5)],
}


# ------------------------------------------------------------------ DAG shapes


def _task(i: int, rng: random.Random, deps: list[int], files: list[str] | None = None) -> dict:
    return {
        "id": f"t{i:03d}",
        "deps": [f"t{d:03d}" for d in deps],
        "estimated_cost": round(rng.uniform(1.0, 5.0), 2),
        "owned_files": files or [f"f{i:03d}.py"],
    }


def wide(n: int, rng: random.Random) -> list[dict]:
    """Independent tasks of mixed cost."""
    return [_task(i, rng, []) for i in range(n)]


def deep(n: int, rng: random.Random) -> list[dict]:
    """One long chain beside a few short independent tasks (a chain hidden in noise)."""
    chain = max(2, int(n * 0.6))
    tasks = [_task(i, rng, [i - 1] if i else []) for i in range(chain)]
    return tasks + [_task(i, rng, []) for i in range(chain, n)]


def diamond(n: int, rng: random.Random) -> list[dict]:
    """Repeated diamonds: a split into k parallel tasks, joined before the next split."""
    tasks, prev, i = [], None, 0
    while i < n:
        head = i
        tasks.append(_task(i, rng, [prev] if prev is not None else []))
        i += 1
        middle = list(range(i, min(n, i + 4)))
        tasks += [_task(j, rng, [head]) for j in middle]
        i += len(middle)
        prev = middle[-1] if middle else head
        if middle and i < n:
            tasks.append(_task(i, rng, middle))
            prev, i = i, i + 1
    return tasks


def fan_in(n: int, rng: random.Random) -> list[dict]:
    """Chains of very different lengths feeding one sink that owns no files."""
    tasks, ends, i = [], [], 0
    lengths = [max(1, (n - 1) // 2), max(1, (n - 1) // 4)]
    lengths += [1] * max(0, n - 1 - sum(lengths))
    for length in lengths:
        for k in range(length):
            tasks.append(_task(i, rng, [i - 1] if k else []))
            i += 1
        ends.append(i - 1)
    sink = _task(i, rng, ends)
    sink["owned_files"] = []
    return tasks + [sink]


def layered(n: int, rng: random.Random, conflicts: bool = False) -> list[dict]:
    """Random layers; each task depends on 1-3 tasks of earlier layers."""
    tasks, layers, i = [], [], 0
    while i < n:
        width = min(n - i, rng.randint(2, 6))
        layer = list(range(i, i + width))
        for j in layer:
            earlier = [t for lay in layers[-2:] for t in lay]
            deps = rng.sample(earlier, min(len(earlier), rng.randint(1, 3))) if earlier else []
            files = [f"f{j:03d}.py"] + (
                [f"shared{rng.randint(0, 2)}.py"] if conflicts and rng.random() < 0.4 else []
            )
            tasks.append(_task(j, rng, deps, files))
        layers.append(layer)
        i += width
    return tasks


SHAPES = {
    "wide": wide,
    "deep": deep,
    "diamond": diamond,
    "fan_in": fan_in,
    "layered": layered,
    "conflicts": lambda n, rng: layered(n, rng, conflicts=True),
}
SIZES = (10, 40, 200)


# ------------------------------------------------------------------ simulation


class SimulatedDevices:
    """A dispatcher whose attempts take true cost ÷ speed virtual seconds."""

    def __init__(self, true_cost: dict[str, float]) -> None:
        self.true_cost = true_cost
        self.busy = 0.0

    async def dispatch(self, assignment: Any, events: Any) -> DispatchResult:
        cost = self.true_cost[assignment.task.id]
        seconds = SECONDS_PER_COST * cost / assignment.device.speed
        await asyncio.sleep(seconds)
        self.busy += seconds
        return DispatchResult(ok=True)


def make_devices(fleet: list[tuple[int, float]]) -> list[Device]:
    return [
        Device(name=f"d{i}", url=f"sim:d{i}", model="sim", weight=w, speed=s)
        for i, (w, s) in enumerate(fleet)
    ]


def lower_bound(tasks: list[dict], fleet: list[tuple[int, float]]) -> float:
    dag = load_plan(tasks)
    critical = max(critical_path_lengths(dag).values())
    total = sum(t.estimated_cost for t in dag.tasks.values())
    bound = max(critical / max(s for _, s in fleet), total / sum(w * s for w, s in fleet))
    return SECONDS_PER_COST * bound


@dataclass
class Case:
    shape: str
    tasks: int
    fleet: str
    policy: str
    makespan: float
    lower_bound: float
    busy_share: float

    @property
    def ratio(self) -> float:
        return self.makespan / self.lower_bound


def with_estimate_noise(tasks: list[dict], noise: float, rng: random.Random) -> list[dict]:
    """The plan as the scheduler sees it: each cost estimate off by a log-normal factor."""
    if noise <= 0:
        return tasks
    return [
        {**t, "estimated_cost": round(t["estimated_cost"] * rng.lognormvariate(0, noise), 3)}
        for t in tasks
    ]


async def _simulate(
    tasks: list[dict], fleet: list[tuple[int, float]], policy: str, noise: float, seed: str
):
    devices = SimulatedDevices({t["id"]: t["estimated_cost"] for t in tasks})
    seen = with_estimate_noise(tasks, noise, random.Random(f"noise-{seed}"))
    scheduler = Scheduler(
        load_plan(seen),
        make_devices(fleet),
        devices,
        events=EventLog(None, "bench"),
        knobs=Knobs({"scheduler.policy": policy}),
    )
    loop = asyncio.get_running_loop()
    start = loop.time()
    outcome = await scheduler.run()
    assert outcome.status.value == "done", outcome.status
    return loop.time() - start, devices.busy


def run_case(
    shape: str, n: int, fleet_name: str, policy: str, seed: int, noise: float = 0.0
) -> Case:
    key = f"{seed}-{shape}-{n}"
    tasks = SHAPES[shape](n, random.Random(key))
    fleet = FLEETS[fleet_name]
    makespan, busy = run_virtual(_simulate(tasks, fleet, policy, noise, key))
    slots = sum(w for w, _ in fleet)
    return Case(
        shape,
        len(tasks),
        fleet_name,
        policy,
        makespan,
        lower_bound(tasks, fleet),
        busy / (makespan * slots),
    )


def run_suite(seed: int, noise: float = 0.0) -> list[Case]:
    return [
        run_case(shape, n, fleet, policy, seed, noise)
        for shape in SHAPES
        for n in SIZES
        for fleet in FLEETS
        for policy in POLICIES
    ]


# ------------------------------------------------------------------ overhead


def measure_overhead(seed: int) -> float:
    """Wall seconds to schedule 200 layered tasks on 8 devices with zero-latency fakes."""

    class ZeroLatency:
        async def dispatch(self, assignment: Any, events: Any) -> DispatchResult:
            return DispatchResult(ok=True)

    tasks = layered(200, random.Random(seed))
    scheduler = Scheduler(
        load_plan(tasks),
        make_devices(FLEETS["8-mixed"]),
        ZeroLatency(),
        events=EventLog(None, "bench"),
    )
    started = time.perf_counter()
    asyncio.run(scheduler.run())
    return time.perf_counter() - started


# ------------------------------------------------------------------ summary


def summarize(cases: list[Case], overhead_s: float) -> dict[str, Any]:
    per_shape: dict[str, dict[str, float]] = {}
    for shape in SHAPES:
        for policy in POLICIES:
            ratios = [c.ratio for c in cases if c.shape == shape and c.policy == policy]
            per_shape.setdefault(shape, {})[policy] = statistics.mean(ratios)
    median = {p: statistics.median(c.ratio for c in cases if c.policy == p) for p in POLICIES}
    worst_gap = max(v["critical_path"] / v["fanout"] - 1 for v in per_shape.values())
    ratio = {(c.shape, c.tasks, c.fleet, c.policy): c.ratio for c in cases}
    worst_case_gap = max(
        ratio[(s, n, f, "critical_path")] / ratio[(s, n, f, "fanout")] - 1
        for (s, n, f, p) in ratio
        if p == "fanout"
    )
    targets = {
        "critical_path_median_le_1.10": median["critical_path"] <= 1.10,
        "never_2pct_worse_than_fanout": worst_gap <= 0.02,
        "better_on_deep": per_shape["deep"]["critical_path"] < per_shape["deep"]["fanout"],
        "better_on_fan_in": per_shape["fan_in"]["critical_path"] < per_shape["fan_in"]["fanout"],
        "overhead_200_tasks_8_devices_lt_1s": overhead_s < 1.0,
    }
    return {
        "median_ratio": median,
        "per_shape_mean_ratio": per_shape,
        "worst_gap_vs_fanout": worst_gap,
        "worst_single_case_gap_vs_fanout": worst_case_gap,
        "overhead_s": overhead_s,
        "targets": targets,
    }


def print_table(cases: list[Case], summary: dict[str, Any]) -> None:
    print(
        f"{'shape':<10} {'tasks':>5} {'fleet':<11} {'policy':<14} {'makespan':>9} "
        f"{'bound':>8} {'ratio':>6} {'busy':>5}"
    )
    for c in cases:
        print(
            f"{c.shape:<10} {c.tasks:>5} {c.fleet:<11} {c.policy:<14} {c.makespan:>9.2f} "
            f"{c.lower_bound:>8.2f} {c.ratio:>6.3f} {c.busy_share:>5.0%}"
        )
    print(
        "\nmean ratio per shape:   "
        + "  ".join(
            f"{s}: fanout {v['fanout']:.3f} / critical_path {v['critical_path']:.3f}"
            for s, v in summary["per_shape_mean_ratio"].items()
        )
    )
    print(
        "median ratio:           "
        + "  ".join(f"{p} {r:.3f}" for p, r in summary["median_ratio"].items())
    )
    print(
        f"worst critical_path gap vs fanout on a shape: {summary['worst_gap_vs_fanout']:+.2%}"
        f" (single case: {summary['worst_single_case_gap_vs_fanout']:+.2%})"
    )
    print(f"overhead: 200 tasks / 8 devices, zero latency: {summary['overhead_s'] * 1000:.0f} ms")
    for name, ok in summary["targets"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated DAGs")
    parser.add_argument(
        "--noise",
        type=float,
        default=0.0,
        help="log-normal sigma of the planner's cost estimates (0 = exact)",
    )
    args = parser.parse_args(argv)
    cases = run_suite(args.seed, args.noise)
    summary = summarize(cases, measure_overhead(args.seed))
    if args.json:
        rows = [{**c.__dict__, "ratio": c.ratio} for c in cases]
        print(json.dumps({"cases": rows, **summary}, indent=2))
    else:
        print_table(cases, summary)
    return 0 if all(summary["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
