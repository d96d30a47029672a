"""What `gym run` prints before and after the episodes: the banner and the summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TypedDict

from rich.console import Console
from rich.text import Text

from gym.config import GymConfig
from gym.display._progress import errors_table, summary_table
from gym.episode import EpisodeResult
from ledger import EpisodeView

REAL_MODELS_HINT = (
    "point it at real models with: gym run --brain anthropic:claude-sonnet-4-5 "
    "--fleet 'http://mac1.local:1234/v1?model=qwen3-coder-30b,http://mac2.local:1234/v1'"
)


def print_banner(
    console: Console, config: GymConfig, run_id: str, pending: int, total: int, simulated: bool
) -> None:
    """Say what runs where; loudly say so when the results will be simulated.

    ``simulated`` comes from the probe, which also finds the simulator behind an http URL.
    """
    if config.simulated or simulated:
        console.print(
            Text(
                "SIMULATED: the brain and/or fleet are the offline simulator; results are labelled "
                "'sim' and never compared with real-model results.",
                style="bold yellow",
            )
        )
        console.print(Text(REAL_MODELS_HINT))
    done = total - pending
    resumed = f" ({done} already complete)" if done else ""
    console.print(
        Text(
            f"run {run_id}: {pending} episode(s) to run{resumed}, "
            f"{config.parallel} at a time, up to {config.max_turns} turns each"
        )
    )


class RunSummary(TypedDict):
    """What ``summary.json`` holds: the run's totals, its folder, this invocation's timings."""

    totals: dict[str, int]
    run_folder: str
    episodes: list[dict[str, object]]


def run_summary(folder: Path, results: list[EpisodeResult], views: list[EpisodeView]) -> RunSummary:
    """Summarize a run: totals over its latest episodes, timings of ``results``."""
    latest = {v.seed: v for v in views}  # views come in start order: a re-run wins
    return RunSummary(
        totals=dict(Counter(_label(v) for v in latest.values())),
        run_folder=str(folder),
        episodes=[_timing(r) for r in sorted(results, key=lambda r: r.plan.index)],
    )


def print_summary(
    console: Console, results: list[EpisodeResult], summary: RunSummary, path: Path
) -> None:
    """The table of this invocation's episodes, the run's totals and where everything is."""
    if results:
        console.print(summary_table(results))
        errors = errors_table(results)
        if errors is not None:
            console.print(errors)
    totals = summary["totals"]
    console.print(Text("totals: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items()))))
    console.print(Text(f"run folder: {summary['run_folder']}"))
    console.print(Text(f"summary: {path}"))


def _timing(result: EpisodeResult) -> dict[str, object]:
    return {
        "index": result.plan.index,
        "task": result.task,
        "outcome": result.outcome.value,
        "archetype": result.plan.archetype,
        "persona": result.plan.persona,
        "start": result.start,
        "final_stage": result.final_stage,
        "note": result.note,
        "turns": result.turns,
        "elapsed_s": round(result.elapsed_s, 3),
        "swarm_s": round(result.swarm_s, 3),
        "grade_s": round(result.grade_s, 3),
        "overhead_s": round(result.overhead_s, 3),
    }


def _label(view: EpisodeView) -> str:
    if view.final_verdict is not None:
        return view.final_verdict.value
    return "infra_error" if view.status.value == "error" else view.status.value
