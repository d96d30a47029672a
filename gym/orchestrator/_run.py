"""`gym run` end to end: validate, plan, run episodes in parallel, record, summarize.

:func:`run_gym` is also the entry point of ``gym regress`` (a suite with fixed seeds).
Ctrl-C stops cleanly: running swarms get SIGINT and write their reports, running
episodes are recorded as interrupted, episodes never started are marked interrupted,
and the run can be continued with ``--resume RUN_ID``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.text import Text

from gym.config import GymConfig
from gym.display import (
    LiveProgress,
    PlainProgress,
    RunProgress,
    print_banner,
    print_summary,
    run_summary,
)
from gym.episode import (
    EpisodeContext,
    EpisodeResult,
    KeptApps,
    Outcome,
    episode_record,
    run_episode,
)
from gym.errors import SwarmRejectedError
from gym.generator import EpisodePlan, plan_episodes
from gym.orchestrator._preflight import Prepared, prepare
from gym.orchestrator._run_folder import load_run, pending_plans, run_dir, save_run, write_summary
from gym.orchestrator._run_record import run_record
from ledger import EpisodeStatus, Ledger, RunStatus


@dataclass
class _Run:
    run_id: str
    folder: Path
    config: GymConfig
    plans: list[EpisodePlan]
    pending: list[EpisodePlan]
    started: set[int] = field(default_factory=set)


def run_gym(config: GymConfig, *, resume: str | None = None, console: Console | None = None) -> str:
    """Run (or resume) a gym run and return its run id.

    Raises GymConfigError before writing anything when the input is bad, and
    KeyboardInterrupt after recording a clean interruption.
    """
    if console is None:
        console = Console(stderr=True)
        if not console.is_terminal:
            console.width = 120  # logs and CI: the summary table needs room, no wrapping
    return asyncio.run(_main(config, resume, console))


async def _main(config: GymConfig, resume: str | None, console: Console) -> str:
    if resume:
        folder = run_dir(config.gym_dir, resume)
        saved, plans = load_run(folder)
        # The saved config defines the episodes; only how many run at once may change.
        config = saved.model_copy(update={"parallel": config.parallel, "gym_dir": config.gym_dir})
    prepared = await prepare(config)
    try:
        if not resume:
            plans = plan_episodes(
                config,
                prepared.tasks,
                suite=prepared.suite,
                invent=not prepared.brain_node.simulated,
            )
        with Ledger.open(config.gym_dir) as ledger:
            run = _open_run(ledger, config, prepared, plans, resume)
            print_banner(console, config, run.run_id, len(run.pending), len(plans))
            results = await _execute(run, ledger, prepared, console)
            summary = run_summary(run.folder, results, ledger.episodes(run.run_id))
            print_summary(console, results, summary, write_summary(run.folder, summary))
    finally:
        await prepared.brain.aclose()
    return run.run_id


def _open_run(
    ledger: Ledger,
    config: GymConfig,
    prepared: Prepared,
    plans: list[EpisodePlan],
    resume: str | None,
) -> _Run:
    if resume:
        ledger.run(resume)  # NotFoundError when the id is unknown
        ledger.finish_run(resume, RunStatus.STARTED)
        pending = pending_plans(ledger, resume, plans)
        return _Run(resume, run_dir(config.gym_dir, resume), config, plans, pending)
    run_id = ledger.start_run(run_record(config, prepared))
    folder = run_dir(config.gym_dir, run_id)
    save_run(folder, config, plans)
    return _Run(run_id, folder, config, plans, list(plans))


async def _execute(
    run: _Run, ledger: Ledger, prepared: Prepared, console: Console
) -> list[EpisodeResult]:
    view = LiveProgress if console.is_terminal else PlainProgress
    with view(total=len(run.pending), console=console) as progress:
        ctx = EpisodeContext(
            config=run.config,
            run_id=run.run_id,
            run_dir=run.folder,
            brain=prepared.brain,
            ledger=ledger,
            tasks={t.id: t for t in prepared.tasks},
            kept=None
            if run.config.suite
            else KeptApps(run.config.gym_dir, simulated=run.config.simulated),
            progress=progress,
        )
        try:
            await _schedule(run, ctx, progress)
        except asyncio.CancelledError:
            _mark_unstarted(run, ledger)
            ledger.finish_run(run.run_id, RunStatus.INTERRUPTED)
            console.print(Text(f"interrupted; continue with: gym run --resume {run.run_id}"))
            raise
        except SwarmRejectedError:
            _mark_unstarted(run, ledger)
            ledger.finish_run(run.run_id, RunStatus.FAILED)
            raise
    status = RunStatus.FINISHED
    if any(r.outcome == Outcome.INFRA_ERROR for r in progress.results):
        status = RunStatus.FAILED
    ledger.finish_run(run.run_id, status)
    return progress.results


async def _schedule(run: _Run, ctx: EpisodeContext, progress: RunProgress) -> None:
    gate = asyncio.Semaphore(run.config.parallel)

    async def one(plan: EpisodePlan) -> None:
        async with gate:
            run.started.add(plan.index)
            result = await run_episode(plan, ctx)
            progress.episode_finished(result)
            if result.stops_run:
                raise SwarmRejectedError(result.error)

    tasks = [asyncio.create_task(one(p)) for p in run.pending]
    try:
        await asyncio.gather(*tasks)
    except (asyncio.CancelledError, SwarmRejectedError):
        # Wait for every episode to record its interruption (its swarm gets SIGINT and
        # a grace period) before the ledger is closed.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _mark_unstarted(run: _Run, ledger: Ledger) -> None:
    """Episodes that never began are recorded as interrupted, so the run is explainable."""
    for plan in run.pending:
        if plan.index in run.started:
            continue
        episode_id = ledger.start_episode(episode_record(plan, run.run_id, plan.task))
        ledger.finish_episode(episode_id, EpisodeStatus.INTERRUPTED)
