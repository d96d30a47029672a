"""Benchmark: episodes per minute with the local executor and with Ray, on this machine.

Runs the same simulated episodes (default fleet and brain, one seed) twice: in the
harness's own event loop (``--executor local``) and as Ray tasks on a private local Ray
instance (``--executor ray``), both with the same ``--parallel``. Prints episodes per
minute for each, Ray's start-up time (paid once per run), and the overhead ratio
(local rate / Ray rate; above 1 means Ray is slower here). On one machine Ray can only add
cost — shipping tasks and recordings, a worker per episode; it pays off when a cluster
adds cores (see the README, "Episodes on Ray").

    python benchmarks/ray_bench.py                     # 4 episodes, 1 turn each, parallel 2
    python benchmarks/ray_bench.py --episodes 8 --max-turns 2 --parallel 4
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from gym.config import GymConfig
from gym.orchestrator import run_gym
from ledger import EpisodeStatus, Ledger


def _quiet() -> Console:
    return Console(file=open(os.devnull, "w"), force_terminal=False)  # noqa: SIM115


def _timed(config: GymConfig) -> tuple[float, int]:
    """Seconds the run took and how many of its episodes finished."""
    started = time.monotonic()
    run_id = run_gym(config, console=_quiet())
    elapsed = time.monotonic() - started
    with Ledger.open(config.gym_dir, create=False) as ledger:
        done = [e for e in ledger.episodes(run_id) if e.status == EpisodeStatus.FINISHED]
    return elapsed, len(done)


def _start_ray() -> float:
    import ray

    started = time.monotonic()
    ray.init(
        address="local",
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        configure_logging=False,
    )
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=4)
    parser.add_argument("--max-turns", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    try:
        import ray
    except ImportError:
        print("ray_bench: the ray extra is not installed: pip install 'swarm-gym[ray]'")
        return 2
    with tempfile.TemporaryDirectory(prefix="ray-bench-") as tmp:
        base = GymConfig(
            episodes=args.episodes,
            max_turns=args.max_turns,
            parallel=args.parallel,
            seed=args.seed,
            gym_dir=Path(tmp) / "local",
        )
        local_s, local_n = _timed(base)
        startup_s = _start_ray()
        try:
            ray_cfg = base.model_copy(update={"executor": "ray", "gym_dir": Path(tmp) / "ray"})
            ray_s, ray_n = _timed(ray_cfg)
        finally:
            ray.shutdown()
    _report(args, (local_s, local_n), (ray_s, ray_n), startup_s)
    return 0


def _report(args: argparse.Namespace, local: tuple, on_ray: tuple, startup_s: float) -> None:
    local_rate, ray_rate = (n / (s / 60) for s, n in (local, on_ray))
    print(
        f"ray_bench: {args.episodes} episodes x {args.max_turns} turn(s), parallel "
        f"{args.parallel}, {os.cpu_count()} CPUs, simulated fleet and brain"
    )
    print(f"  local : {local[1]} finished in {local[0]:7.1f}s  {local_rate:6.2f} episodes/min")
    print(f"  ray   : {on_ray[1]} finished in {on_ray[0]:7.1f}s  {ray_rate:6.2f} episodes/min")
    print(f"  ray start-up (once per run, not in the rate): {startup_s:.1f}s")
    ratio = local_rate / ray_rate if ray_rate else float("inf")
    print(f"  overhead ratio (local rate / ray rate): {ratio:.2f}")


if __name__ == "__main__":
    sys.exit(main())
