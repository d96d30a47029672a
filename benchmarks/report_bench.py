"""Report and ledger benchmark (a benchmark, not a timed test).

    python benchmarks/report_bench.py [--episodes 10000] [--keep DIR]

Builds a synthetic ledger of N episodes x 7 grade rows, then measures:
- the report build (target < 10 s) and the HTML size (target < 15 MB);
- appending 1,000 grade rows through ``Ledger.record_grade``, one transaction per Grade
  as the gym does it (target < 1 s).
Prints the figures and exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from ledger import (
    EpisodeRecord,
    Ledger,
    RunRecord,
    SyntheticConfig,
    SyntheticPlan,
    fill_synthetic,
    synthetic_grade,
)
from reports import build_report

BUILD_TARGET_S, SIZE_TARGET_MB, APPEND_TARGET_S = 10.0, 15.0, 1.0


def synthetic_ledger(gym_dir: Path, episodes: int) -> Ledger:
    """A ledger of ``episodes`` episodes (one turn, seven grades each) over 5 configurations."""
    configs = [
        SyntheticConfig("qwen-7b", 0.45),
        SyntheticConfig("qwen-14b", 0.6),
        SyntheticConfig("qwen-32b", 0.8, knobs={"scheduler.policy": "critical_path"}),
        SyntheticConfig("sim-competent", 0.7, simulated=True),
        SyntheticConfig("sim-lazy", 0.3, simulated=True),
    ]
    runs_per_config, tasks = 10, 20
    seeds = max(1, episodes // (len(configs) * runs_per_config * tasks))
    ledger = Ledger.open(gym_dir)
    fill_synthetic(
        ledger,
        SyntheticPlan(
            configs=configs,
            runs_per_config=runs_per_config,
            tasks=tasks,
            seeds=seeds,
            turns=1,
            injected="<script>alert(1)</script>",
        ),
    )
    # a few turns with event logs so the Gantt timeline is part of the measured build
    fill_synthetic(
        ledger, SyntheticPlan(configs=configs[:1], tasks=2, seeds=1, events=True, seed=1)
    )
    return ledger


def time_append(ledger: Ledger, rows: int = 1000) -> tuple[float, int]:
    """Seconds to append ``rows`` grade rows as Grades of 7, one transaction each."""
    import random

    run_id = ledger.start_run(RunRecord(simulated=True, suite="bench"))
    episode_id = ledger.start_episode(EpisodeRecord(run_id=run_id, task="bench"))
    rng = random.Random(0)
    grades = [synthetic_grade("bench", 1, _verdict(i), rng, "") for i in range(-(-rows // 7))]
    started = time.perf_counter()
    for turn, grade in enumerate(grades, start=1):
        ledger.record_grade(episode_id, turn, grade)
    return time.perf_counter() - started, 7 * len(grades)


def _verdict(i: int):
    from verifier import Verdict

    return Verdict.PASS if i % 2 else Verdict.FAIL


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Build in this directory and keep it.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        started = time.perf_counter()
        ledger = synthetic_ledger(root / ".gym", args.episodes)
        filled = time.perf_counter() - started
        grade_rows = ledger.query("SELECT count(*) AS n FROM current_grades")[0]["n"]
        episodes = ledger.query("SELECT count(*) AS n FROM episodes")[0]["n"]
        started = time.perf_counter()
        summary = build_report(ledger, root / ".gym" / "report.html")
        build_s = time.perf_counter() - started
        append_s, appended = time_append(ledger)
        ledger.close()
    size_mb = summary.bytes / 1e6
    print(f"ledger: {episodes} episodes, {grade_rows} grade rows (filled in {filled:.1f} s)")
    print(f"report build: {build_s:.2f} s (target < {BUILD_TARGET_S:.0f} s)")
    print(
        f"report size: {size_mb:.2f} MB (target < {SIZE_TARGET_MB:.0f} MB), "
        f"{summary.figures} figures"
    )
    print(f"append {appended} grade rows: {append_s:.3f} s (target < {APPEND_TARGET_S:.0f} s)")
    ok = build_s < BUILD_TARGET_S and size_mb < SIZE_TARGET_MB and append_s < APPEND_TARGET_S
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
