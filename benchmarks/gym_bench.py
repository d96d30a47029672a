"""Benchmark: `gym run --episodes 20` on the default simulated fleet (not a timed test).

Targets (issue 7): on a 2-core machine, 20 episodes in under 10 minutes, and the harness's
own overhead per episode — wall time not spent in the swarm subprocess or in the
verifier (sandboxed checks, judge) — under 2 s.

    python benchmarks/gym_bench.py [--episodes 20] [--parallel 2] [--seed 0]
    taskset -c 0,1 python benchmarks/gym_bench.py     # pin to two cores
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from gym.config import GymConfig
from gym.orchestrator import run_gym

WALL_TARGET_S = 600.0
OVERHEAD_TARGET_S = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gym-dir", type=Path, default=None)
    args = parser.parse_args()
    gym_dir = args.gym_dir or Path(tempfile.mkdtemp(prefix="gym-bench-"))
    config = GymConfig(
        episodes=args.episodes, parallel=args.parallel, seed=args.seed, gym_dir=gym_dir
    )
    started = time.monotonic()
    try:
        run_id = run_gym(config, console=Console(stderr=True, width=120))
    except KeyboardInterrupt:
        print("interrupted; the partial run is in", gym_dir, file=sys.stderr)
        return 130
    wall = time.monotonic() - started
    summary = json.loads((gym_dir / "runs" / run_id / "summary.json").read_text())
    report(summary, wall, args.episodes)
    return 0


def report(summary: dict, wall: float, episodes: int) -> None:
    timings = summary["episodes"]
    overhead = [e["overhead_s"] for e in timings]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores available     {cores}")
    print(f"episodes            {episodes} ({summary['totals']})")
    print(f"turns               {sum(e['turns'] for e in timings)}")
    print(
        f"wall time           {wall:.1f} s (target < {WALL_TARGET_S:.0f} s: "
        f"{'met' if wall < WALL_TARGET_S else 'MISSED'})"
    )
    print(f"episodes per minute {episodes / wall * 60:.2f}")
    print(f"swarm time / ep     {statistics.mean(e['swarm_s'] for e in timings):.2f} s")
    print(f"verifier time / ep  {statistics.mean(e['grade_s'] for e in timings):.2f} s")
    print(
        f"harness overhead/ep mean {statistics.mean(overhead):.2f} s, max {max(overhead):.2f} s "
        f"(target < {OVERHEAD_TARGET_S:.0f} s: "
        f"{'met' if statistics.mean(overhead) < OVERHEAD_TARGET_S else 'MISSED'})"
    )


if __name__ == "__main__":
    sys.exit(main())
