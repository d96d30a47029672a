"""Benchmark: where a build's wall time goes at real model speeds (projected, simulated).

Runs `swarm run` on the heaviest catalog tasks (difficulty 3-5) over a three-node simulated
fleet whose modelled decode speed is ``--tps`` tokens/s (prefill 1500 tokens/s), scaled down
in time by ``--time-scale``. The run's timeline (``swarm.timeline``) is then projected back:
model time is stretched by 1/time_scale, sandbox and engine time stay as measured. Printed
per task, before and after the serial-phase cuts (``CUT_KNOBS`` off, then on): projected
wall minutes, each phase's share, the fleet's busy share during the build, and the serial
share (time when at most one node is in a model call). Then, for the swarm's optional
mechanisms, the extra model calls and projected minutes each one costs.

Every figure is projected from a simulated run — not a measurement of a real model.

    python benchmarks/build_bench.py                       # 3 heaviest tasks, 20 tok/s
    python benchmarks/build_bench.py --tasks inventory --tps 40 --no-mechanisms
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from swarm.knobs import all_knobs
from swarm.timeline import Figures, ReportError, figures, project, timeline_for
from verifier import load_task

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "gym" / "catalog"
#: The serial-phase cuts (issue 18): "before" runs each off, "after" on. Missing are skipped.
CUT_KNOBS = ("build.frozen_overlap", "planner.detail_overlap")
#: Mechanisms other work adds to the swarm; each is run on and off on the heaviest task.
MECHANISMS = (
    "scouts.enabled",
    "judge.llm.enabled",
    "prereview.enabled",
    "skeleton.enabled",
    "ask.strength_scaling",
)
PHASE_ORDER = ("scout", "plan", "detail", "contracts", "build", "sink", "gates")
TARGET_MIN, TARGET_BUSY = 15.0, 0.85


@dataclass
class Result:
    """One projected run: its figures and where its workdir is."""

    task: str
    variant: str
    fig: Figures
    status: str
    workdir: Path
    extra: dict[str, float] = field(default_factory=dict)


def heaviest_tasks(count: int) -> list[str]:
    """Catalog task ids of difficulty 3-5, heaviest first (ties by spec length, then id)."""
    found = []
    for folder in sorted(CATALOG.iterdir()):
        if (folder / "task.toml").is_file():
            task = load_task(folder)
            if 3 <= task.difficulty <= 5:
                found.append((-task.difficulty, -len(task.spec), task.id))
    return [tid for *_, tid in sorted(found)[:count]]


def fleet_spec(nodes: int, tps: float, time_scale: float, seed: int) -> str:
    """The comma list of sim node URLs: one competent model per node."""
    return ",".join(
        f"sim:competent?seed={seed + i}&time_scale={time_scale:g}&tps={tps:g}&name=node{i}"
        for i in range(nodes)
    )


def run_one(task_id: str, variant: str, knobs: dict[str, str], args: argparse.Namespace) -> Result:
    """One `swarm run` of the task's stage-1 spec; its timeline projected to real speed."""
    task = load_task(CATALOG / task_id)
    base = Path(tempfile.mkdtemp(prefix=f"build-bench-{task_id}-{variant}-"))
    spec = base / "spec.md"
    spec.write_text(task.spec, encoding="utf-8")
    workdir = base / "work"
    command = [sys.executable, "-m", "swarm", "run", "--spec", str(spec), "--workdir", str(workdir)]
    command += ["--fleet", fleet_spec(args.nodes, args.tps, args.time_scale, args.seed)]
    command += ["--output-format", "json", "--timeout-s", str(args.timeout_s)]
    for name, value in knobs.items():
        command += ["--knob", f"{name}={value}"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    status = {0: "done", 1: "failed", 3: "stuck"}.get(done.returncode, f"exit {done.returncode}")
    if done.returncode == 2:
        print(f"  {task_id}/{variant}: {done.stderr.strip()[:300]}", file=sys.stderr)
    try:
        projected = project(timeline_for(workdir), 1.0 / args.time_scale)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return Result(task_id, variant, figures(projected), status, workdir)


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value * 100:4.0f}%"


def print_header(args: argparse.Namespace) -> None:
    """Say what is projected from what."""
    print(
        f"Build benchmark (projected, simulated): {args.nodes} nodes x sim:competent at "
        f"{args.tps:g} tokens/s decode, 1500 tokens/s prefill; run at time_scale "
        f"{args.time_scale:g}, model time projected x{1 / args.time_scale:g}."
    )
    phases = " ".join(f"{p[:6]:>6}" for p in PHASE_ORDER)
    print(
        f"{'task':<20}{'variant':<9}{'status':<8}{'minutes':>8}  {phases}  "
        f"{'busy@build':>10} {'serial':>6} {'calls':>6} {'tokens':>8}"
    )


def print_row(r: Result) -> None:
    """One run's projected figures on one line."""
    shares = " ".join(f"{_pct(r.fig.phase_share.get(p)):>6}" for p in PHASE_ORDER)
    print(
        f"{r.task:<20}{r.variant:<9}{r.status:<8}{r.fig.wall_s / 60:8.1f}  {shares}  "
        f"{_pct(r.fig.busy_share_build):>10} {_pct(r.fig.serial_share):>6} "
        f"{r.fig.model_calls:6d} {r.fig.tokens:8d}"
    )


def known(names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Split knob names into those the registry has and those it does not (yet)."""
    registry = all_knobs()
    return [n for n in names if n in registry], [n for n in names if n not in registry]


def cut_comparison(tasks: list[str], args: argparse.Namespace) -> list[tuple[Result, Result]]:
    """Each task before (cuts off) and after (cuts on)."""
    cuts, missing = known(CUT_KNOBS)
    if missing:
        print(f"(cut knobs not registered, skipped: {', '.join(missing)})")
    off = {name: "false" for name in cuts}
    on = {name: "true" for name in cuts}
    pairs = []
    for task_id in tasks:
        before = run_one(task_id, "before", off, args)
        print_row(before)
        after = run_one(task_id, "after", on, args)
        print_row(after)
        pairs.append((before, after))
    return pairs


def each_cut_alone(task_id: str, args: argparse.Namespace) -> None:
    """Each cut on by itself (the others off) on one task: what it alone moves."""
    cuts, _ = known(CUT_KNOBS)
    if len(cuts) < 2:
        return
    print(f"\nEach cut alone on {task_id} (projected, simulated):")
    for name in cuts:
        knobs = {other: "true" if other == name else "false" for other in cuts}
        print_row(run_one(task_id, name.split(".")[-1][:8], knobs, args))


def mechanism_costs(task_id: str, args: argparse.Namespace) -> None:
    """Each optional mechanism on vs off on one task: extra model calls and minutes."""
    present, missing = known(MECHANISMS)
    print(f"\nMechanisms on {task_id} (projected, simulated; on vs off):")
    for name in missing:
        print(f"  {name:<24} not registered in swarm/knobs: skipped")
    for name in present:
        on = run_one(task_id, "on", {name: "true"}, args)
        off = run_one(task_id, "off", {name: "false"}, args)
        extra_calls = on.fig.model_calls - off.fig.model_calls
        extra_min = (on.fig.wall_s - off.fig.wall_s) / 60
        print(
            f"  {name:<24} on {on.fig.wall_s / 60:5.1f} min, off {off.fig.wall_s / 60:5.1f} min: "
            f"{extra_calls:+d} model calls, {extra_min:+.1f} projected min"
        )


def closing_note(pairs: list[tuple[Result, Result]]) -> None:
    """Did the heaviest task meet 15 minutes and 85% busy; if not, which phase stops it."""
    before, after = pairs[0]
    fig = after.fig
    print(
        f"\nHeaviest ({after.task}): {before.fig.wall_s / 60:.1f} -> {fig.wall_s / 60:.1f} "
        f"projected min; busy during build {_pct(before.fig.busy_share_build).strip()} -> "
        f"{_pct(fig.busy_share_build).strip()}; serial {_pct(before.fig.serial_share).strip()} "
        f"-> {_pct(fig.serial_share).strip()} (projected, simulated)."
    )
    busy = fig.busy_share_build or 0.0
    ok_time, ok_busy = fig.wall_s / 60 <= TARGET_MIN, busy >= TARGET_BUSY
    print(
        f"  target <= {TARGET_MIN:g} min: {'met' if ok_time else 'NOT met'}; busy during build "
        f"{busy:.1%} >= {TARGET_BUSY:.0%}: {'met' if ok_busy else 'NOT met'}"
    )
    if not ok_busy and fig.build_s:
        print(
            f"  what holds the build's busy share down: {fig.build_serial_s:.0f} s of its "
            f"{fig.build_s:.0f} s ({fig.build_serial_s / fig.build_s:.0%}) have at most one "
            f"node in a model call (the tail where the last, longest tasks finish alone)"
        )
    if not ok_time:
        biggest = max(fig.phase_share.items(), key=lambda kv: kv[1])
        print(f"  largest phase: {biggest[0]} ({biggest[1]:.0%} of the wall)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="*", default=None, help="Catalog ids (default: heaviest).")
    parser.add_argument("--count", type=int, default=3, help="How many heaviest tasks.")
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--tps", type=float, default=20.0, help="Decode tokens/s per node.")
    parser.add_argument("--time-scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout-s", type=float, default=600.0)
    parser.add_argument("--no-mechanisms", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep each run's workdir in /tmp.")
    args = parser.parse_args()
    if not 0 < args.time_scale <= 1 or args.tps <= 0 or args.nodes < 1:
        print(
            "build_bench: --time-scale must be in (0, 1], --tps > 0, --nodes >= 1", file=sys.stderr
        )
        return 2
    tasks = args.tasks or heaviest_tasks(args.count)
    unknown = [t for t in tasks if not (CATALOG / t / "task.toml").is_file()]
    if unknown or not tasks:
        print(
            f"build_bench: no catalog task {', '.join(unknown) or '(none given)'}", file=sys.stderr
        )
        return 2
    print_header(args)
    try:
        pairs = cut_comparison(tasks, args)
        closing_note(pairs)
        each_cut_alone(tasks[0], args)
        if not args.no_mechanisms:
            mechanism_costs(tasks[0], args)
    except ReportError as exc:  # a run that left no event log: say which, no traceback
        print(f"build_bench: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
