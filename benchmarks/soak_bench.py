"""Soak benchmark (not in CI): many episodes, in parallel, on a fleet that faults 10% of the time.

`gym run --episodes 100 --parallel 4` against `gym sim serve --profile flaky --rate 0.1`
(503 "model is unloaded", 500, dropped connections over real HTTP) with a harness brain
that is flaky at the same rate. It passes when every episode is graded or recorded as
infrastructure (none left started or lost), the ledger passes ``PRAGMA integrity_check``,
and no process is left behind: the swarms, their children and the sim server are counted
before and after (by the soak's own folder on their command lines, and by session).

    python benchmarks/soak_bench.py                       # 100 episodes, --parallel 4
    python benchmarks/soak_bench.py --episodes 12         # the short version, a few minutes
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ledger import EpisodeStatus, Ledger

GYM = [sys.executable, "-c", "from gym.cli import main; main()"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--rate", type=float, default=0.1, help="Injected fault rate (0..1).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nodes", type=int, default=2, help="Fleet nodes on the sim server.")
    parser.add_argument("--max-turns", type=int, default=2)
    parser.add_argument("--gym-dir", type=Path, default=None)
    parser.add_argument("--timeout-s", type=float, default=3600.0, help="Give up after this.")
    args = parser.parse_args()
    root = args.gym_dir or Path(tempfile.mkdtemp(prefix="gym-soak-"))
    before = census(root)
    server, base = start_server(args)
    started = time.monotonic()
    try:
        done = run(args, root / "gymdir", base)
    finally:
        stop(server)
    wall = time.monotonic() - started
    time.sleep(1.0)  # let the kernel reap what just exited before counting
    after = census(root)
    ok = report(args, root / "gymdir", done, wall, before, after)
    return 0 if ok else 1


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str]:
    """`gym sim serve` on a free port, flaky at ``--rate``; its OpenAI base URL."""
    proc = subprocess.Popen(
        [*GYM, "sim", "serve", "--port", "0", "--profile", "flaky", "--rate", str(args.rate)]
        + ["--seed", str(args.seed), "--time-scale", "0"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+)", line)
    if not found:
        stop(proc)
        raise SystemExit(f"gym sim serve did not start: {line!r}")
    return proc, found.group(1) + "/v1"


def run(args: argparse.Namespace, gym_dir: Path, base: str) -> subprocess.CompletedProcess[str]:
    """`gym run` in its own session (so its whole tree can be counted afterwards)."""
    fleet = ",".join(f"{base}?model=sim-flaky&name=node{i}&weight=2" for i in range(args.nodes))
    brain = f"sim:flaky?rate={args.rate}&seed={args.seed}&time_scale=0"
    argv = [*GYM, "run", "--episodes", str(args.episodes), "--parallel", str(args.parallel)]
    argv += ["--fleet", fleet, "--brain", brain, "--gym-dir", str(gym_dir)]
    argv += ["--seed", str(args.seed), "--max-turns", str(args.max_turns)]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=args.timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    if done_badly(proc.returncode, err):
        sys.stderr.write(err[-4000:])
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def done_badly(code: int | None, err: str) -> bool:
    """Worth showing the harness's own output: a failed exit or a traceback."""
    return code not in (0, 1) or "Traceback" in err


def stop(proc: subprocess.Popen[str]) -> None:
    """Stop the sim server's session (SIGTERM, then SIGKILL)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def census(root: Path) -> int:
    """Live processes naming the soak's folder on their command line or working in it.

    Swarms carry their spec and workdir paths; what they start (sandboxed checks, tools)
    runs with its working directory in an episode's workdir.
    """
    needle, mine, inside = str(root).encode(), os.getpid(), str(root.resolve())
    count = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc.name) == mine:
                continue
            named = needle in (proc / "cmdline").read_bytes()
            cwd = os.readlink(proc / "cwd")
        except (OSError, ValueError):
            continue
        count += named or cwd.startswith(inside)
    return count


def report(
    args: argparse.Namespace,
    gym_dir: Path,
    done: subprocess.CompletedProcess[str],
    wall: float,
    before: int,
    after: int,
) -> bool:
    """Print the figures; True when every soak condition holds."""
    with Ledger.open(gym_dir, create=False) as ledger:
        (run,) = ledger.runs()
        episodes = ledger.episodes(run.id)
        integrity = ledger.query("PRAGMA integrity_check")[0][0]
        turns = [t for e in episodes for t in ledger.turns(e.id)]
        unjudged = sum(
            any(g.dimension == "code_quality" and g.status.value == "inconclusive" for g in grades)
            for grades in (ledger.grades(e.id) for e in episodes)
        )
    statuses = Counter(e.status.value for e in episodes)
    verdicts = Counter(e.final_verdict.value for e in episodes if e.final_verdict is not None)
    retries = sum(
        int(d.get("retries", 0))
        for t in turns
        for d in (t.report or {}).get("per_device", {}).values()
    )
    accounted = all(
        (e.status == EpisodeStatus.FINISHED and e.final_verdict is not None)
        or e.status == EpisodeStatus.ERROR
        for e in episodes
    )
    checks = {
        "every episode graded or infrastructure": accounted and len(episodes) == args.episodes,
        "ledger integrity_check ok": integrity == "ok",
        "no process left behind": after == before,
        "gym run exited 0 or 1 (never a traceback)": done.returncode in (0, 1)
        and "Traceback" not in done.stderr,
    }
    print(f"episodes            {len(episodes)} of {args.episodes}, parallel {args.parallel}")
    print(f"fault rate          {args.rate:.0%} (fleet over HTTP and the brain)")
    print(f"wall                {wall:.1f} s ({wall / max(len(episodes), 1):.1f} s per episode)")
    print(f"run status          {run.status.value}; gym run exit {done.returncode}")
    print(f"episode statuses    {dict(statuses)}")
    print(f"verdicts            {dict(verdicts)}")
    print(f"turns               {len(turns)}; swarm retries recorded {retries}")
    print(f"judge inconclusive  {unjudged} episode(s) (after up to 3 tries each)")
    print(f"integrity_check     {integrity}")
    print(f"processes           before {before}, after {after}")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return all(checks.values())


if __name__ == "__main__":
    sys.exit(main())
