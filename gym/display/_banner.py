"""What `gym run` prints before and after the episodes: the banner and the summary.

The banner goes to the progress stream (stderr); the summary is the run's result and goes
to stdout, ending with the command that writes the run's report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

from rich.console import Console
from rich.text import Text

from gym.config import GymConfig
from gym.display._progress import errors_table, summary_table
from gym.episode import EpisodeResult
from ledger import EpisodeView
from verifier import Verdict

REAL_MODELS_HINT = (
    "point it at real models with: gym run --brain anthropic:claude-sonnet-4-5 "
    "--fleet 'http://mac1.local:1234/v1?model=qwen3-coder-30b,http://mac2.local:1234/v1'"
)
#: The one line a simulated run prints before its episodes.
SIMULATED_LINE = (
    "SIMULATED: offline simulator, results labelled 'sim' "
    "(real models: --brain/--fleet, see README)"
)


def print_banner(
    console: Console, config: GymConfig, run_id: str, pending: int, total: int, simulated: bool
) -> None:
    """Say what runs where, in two lines at most; one short line says the results are simulated.

    ``simulated`` comes from the probe, which also finds the simulator behind an http URL.
    """
    if config.simulated or simulated:
        console.print(Text(SIMULATED_LINE, style="bold yellow"))
    done = total - pending
    resumed = f" ({done} already complete)" if done else ""
    console.print(
        Text(
            f"run {run_id}: {pending} episode(s) to run{resumed}, "
            f"{config.parallel} at a time, up to {config.max_turns} turns each"
        )
    )


class RunSummary(TypedDict):
    """What ``summary.json`` holds (and ``gym run --json`` prints); docs/scripting.md."""

    run_id: str
    #: Latest episode of each seed, counted by final verdict (or status when none).
    totals: dict[str, int]
    #: Episodes with a final verdict (pass, partial, fail or inconclusive).
    graded: int
    #: passed / graded over the final turns; None when nothing was graded.
    pass_rate: float | None
    #: The swarm's tokens over every turn of the run's latest episodes.
    tokens: dict[str, int]
    #: Sum over the nodes' own prices; None when a node used has none (``cost_note`` says
    #: why); simulated nodes cost 0. See gym.orchestrator's cost module.
    cost_usd: float | None
    cost_note: str
    #: Node name -> its tokens, price (usd_in / usd_out per million) and cost.
    cost_by_node: dict[str, dict[str, object]]
    run_folder: str
    #: The command that writes this run's HTML report.
    report_command: str
    episodes: list[dict[str, object]]


def run_summary(
    folder: Path,
    results: list[EpisodeResult],
    views: list[EpisodeView],
    *,
    run_id: str = "",
    usage: Mapping[str, tuple[int, int]] | None = None,
    report_command: str = "",
    cost: tuple[float | None, str, dict[str, dict[str, object]]] = (None, "not computed", {}),
) -> RunSummary:
    """Summarize a run: totals over its latest episodes, timings of ``results``.

    ``usage`` maps an episode id to its (prompt, completion) tokens summed over its turns;
    ``cost`` is (cost_usd, cost_note, cost_by_node) over the same episodes.
    """
    latest = {v.seed: v for v in views}  # views come in start order: a re-run wins
    usage = usage or {}
    graded = [v for v in latest.values() if v.final_verdict is not None]
    passed = sum(1 for v in graded if v.final_verdict == Verdict.PASS)
    prompt = sum(usage.get(v.id, (0, 0))[0] for v in latest.values())
    completion = sum(usage.get(v.id, (0, 0))[1] for v in latest.values())
    by_seed = {r.plan.seed: r.episode_id for r in results}
    return RunSummary(
        run_id=run_id,
        totals=dict(Counter(_label(v) for v in latest.values())),
        graded=len(graded),
        pass_rate=round(passed / len(graded), 4) if graded else None,
        tokens={"prompt": prompt, "completion": completion, "total": prompt + completion},
        cost_usd=cost[0],
        cost_note=cost[1],
        cost_by_node=cost[2],
        run_folder=str(folder),
        report_command=report_command,
        episodes=[
            _timing(r, usage.get(by_seed.get(r.plan.seed, ""), (0, 0)))
            for r in sorted(results, key=lambda r: r.plan.index)
        ],
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
    rate = summary["pass_rate"]
    shown = "–" if rate is None else f"{rate:.0%} of {summary['graded']} graded"
    console.print(Text("totals: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items()))))
    console.print(Text(f"pass rate: {shown} (final turns) · tokens: {summary['tokens']['total']}"))
    console.print(Text(f"run folder: {summary['run_folder']}"))
    console.print(Text(f"summary: {path}"))
    if summary["report_command"]:
        console.print(Text(f"next: {summary['report_command']}"))


def _timing(result: EpisodeResult, tokens: tuple[int, int]) -> dict[str, object]:
    return {
        "index": result.plan.index,
        "episode_id": result.episode_id,
        "task": result.task,
        "seed": result.plan.seed,
        "outcome": result.outcome.value,
        "archetype": result.plan.archetype,
        "persona": result.plan.persona,
        "start": result.start,
        "final_stage": result.final_stage,
        "note": result.note,
        "turns": result.turns,
        "prompt_tokens": tokens[0],
        "completion_tokens": tokens[1],
        "elapsed_s": round(result.elapsed_s, 3),
        "swarm_s": round(result.swarm_s, 3),
        "grade_s": round(result.grade_s, 3),
        "overhead_s": round(result.overhead_s, 3),
    }


def _label(view: EpisodeView) -> str:
    if view.final_verdict is not None:
        return view.final_verdict.value
    return "infra_error" if view.status.value == "error" else view.status.value
