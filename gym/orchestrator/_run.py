"""`gym run` end to end: validate, plan, run episodes in parallel, record, summarize.

:func:`run_gym` is also the entry point of ``gym regress`` (a suite with fixed seeds).
Ctrl-C, SIGTERM and SIGHUP stop cleanly: running swarms are stopped and write their
reports, running episodes are recorded as interrupted, episodes never started are marked
interrupted, and the run can be continued with ``--resume RUN_ID``. One harness owns a
run at a time (a lock on its folder), and a full disk ends the run the same resumable way.
"""

from __future__ import annotations

import asyncio
import shlex
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
)
from gym.errors import SwarmRejectedError
from gym.generator import EpisodePlan, plan_episodes
from gym.orchestrator._cost import run_cost
from gym.orchestrator._disk import DiskFullError, free_reserve, is_disk_full, make_reserve
from gym.orchestrator._executors import EpisodeExecutor, open_executor
from gym.orchestrator._lock import RunLock
from gym.orchestrator._preflight import Prepared, prepare
from gym.orchestrator._run_folder import load_run, pending_plans, run_dir, save_run, write_summary
from gym.orchestrator._run_record import run_record
from gym.orchestrator._signals import RunInterrupted, StopSignals
from ledger import EpisodeStatus, Ledger, RunStatus


@dataclass
class _Run:
    run_id: str
    folder: Path
    config: GymConfig
    plans: list[EpisodePlan]
    pending: list[EpisodePlan]
    started: set[int] = field(default_factory=set)


@dataclass
class _Owner:
    """What the run holds while it runs, and how far it got (for the closing line)."""

    lock: RunLock | None = None
    run_id: str = ""
    #: True once the ledger records the run as interrupted (resume picks it up).
    interrupted: bool = False


def run_gym(
    config: GymConfig,
    *,
    resume: str | None = None,
    console: Console | None = None,
    results: Console | None = None,
) -> str:
    """Run (or resume) a gym run and return its run id.

    ``console`` gets the banner and the progress (default stderr); ``results`` gets the
    summary and the next command (default ``console`` when that is given, else stdout), so
    a script reads results on stdout and a person watches progress on stderr.

    Raises GymConfigError before writing anything when the input is bad (and when the
    run to resume is still running), KeyboardInterrupt after recording a Ctrl-C,
    RunInterrupted after recording a SIGTERM/SIGHUP, and DiskFullError (after recording
    the interruption when there was room) when the disk fills up.
    """
    if results is None:
        results = console if console is not None else _wide(Console())
    if console is None:
        console = _wide(Console(stderr=True))
    return asyncio.run(_main(config, resume, _Consoles(console, results)))


def _wide(console: Console) -> Console:
    if not console.is_terminal:
        console.width = 120  # logs and CI: the summary table needs room, no wrapping
    return console


@dataclass(frozen=True)
class _Consoles:
    """Progress and logs go to ``progress`` (stderr); the run's results to ``results``."""

    progress: Console
    results: Console


async def _main(config: GymConfig, resume: str | None, consoles: _Consoles) -> str:
    owner, signals = _Owner(), StopSignals()
    with signals.installed():
        try:
            return await _owned(config, resume, consoles, owner)
        except asyncio.CancelledError:
            if signals.received is None:
                raise  # Ctrl-C: asyncio.run turns it into KeyboardInterrupt
            name = signals.received.name
            message = f"stopped by {name}" + _resume_hint(owner)
            raise RunInterrupted(message, int(signals.received)) from None
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            raise DiskFullError(f"disk full ({_reason(exc)})" + _resume_hint(owner)) from None
        finally:
            if owner.lock is not None:
                free_reserve(owner.lock.folder)  # only a running run needs the room
                owner.lock.release()


def _placement(config: GymConfig) -> dict[str, object]:
    """Where episodes run: a resumed run takes it from this invocation, not the saved one."""
    return {k: getattr(config, k) for k in ("executor", "ray_address", "ray_num_cpus")}


def _resume_hint(owner: _Owner) -> str:
    if not owner.interrupted:
        return ""
    return f"; run recorded interrupted, continue with: gym run --resume {owner.run_id}"


def _reason(exc: BaseException) -> str:
    """The OS's words and the file for the first OSError in the chain, else the first line."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror + (f": {cause.filename}" if cause.filename else "")
        cause = cause.__cause__ or cause.__context__
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


async def _owned(config: GymConfig, resume: str | None, consoles: _Consoles, owner: _Owner) -> str:
    if resume:
        folder = run_dir(config.gym_dir, resume)
        if folder.is_dir():  # no folder: load_run says so in one line
            owner.lock = RunLock.acquire(folder, resume)
        saved, plans = load_run(folder)
        # The saved config defines the episodes; only how many run at once, and where, may change.
        config = saved.model_copy(
            update={"parallel": config.parallel, "gym_dir": config.gym_dir, **_placement(config)}
        )
    prepared = await prepare(config)
    try:
        if not resume:
            plans = plan_episodes(
                config,
                prepared.tasks,
                suite=prepared.suite,
                invent=(
                    config.invent
                    if config.invent is not None
                    # --task names catalog tasks: nothing to invent
                    else not prepared.brain_node.simulated and not config.tasks
                ),
            )
        with open_executor(config) as executor, Ledger.open(config.gym_dir) as ledger:
            run = _open_run(ledger, config, prepared, plans, resume, owner)
            print_banner(
                consoles.progress,
                config,
                run.run_id,
                len(run.pending),
                len(plans),
                prepared.simulated,
            )
            results = await _execute(run, ledger, prepared, consoles.progress, owner, executor)
            _finish(run, ledger, results, consoles.results)
    finally:
        await prepared.brain.aclose()
    return run.run_id


def _finish(run: _Run, ledger: Ledger, results: list[EpisodeResult], out: Console) -> None:
    """Write summary.json and print the run's results, ending with the next command."""
    views = ledger.episodes(run.run_id)
    latest = {v.seed: v.id for v in views}.values()  # the episodes the totals count
    cost = run_cost(ledger, run.run_id, latest)
    summary = run_summary(
        run.folder,
        results,
        views,
        run_id=run.run_id,
        usage={v.id: _tokens(ledger, v.id) for v in views},
        report_command=report_command(run.config.gym_dir, run.run_id),
        cost=(cost.cost_usd, cost.note, cost.nodes),
    )
    print_summary(out, results, summary, write_summary(run.folder, summary))
    # End-of-run notes (e.g. a tuning proposal) print here, on `out`, after the next command.


def _tokens(ledger: Ledger, episode_id: str) -> tuple[int, int]:
    turns = ledger.turns(episode_id)
    return sum(t.prompt_tokens for t in turns), sum(t.completion_tokens for t in turns)


def report_command(gym_dir: Path, run_id: str) -> str:
    """The exact `gym report` command for one run, its output path spelled out."""
    target = run_dir(gym_dir, run_id) / "report.html"
    where = "" if Path(gym_dir) == Path(".gym") else f" --gym-dir {shlex.quote(str(gym_dir))}"
    return f"gym report{where} --runs {run_id} --out {shlex.quote(str(target))}"


def _open_run(
    ledger: Ledger,
    config: GymConfig,
    prepared: Prepared,
    plans: list[EpisodePlan],
    resume: str | None,
    owner: _Owner,
) -> _Run:
    if resume:
        ledger.run(resume)  # NotFoundError when the id is unknown
        ledger.finish_run(resume, RunStatus.STARTED)
        pending = pending_plans(ledger, resume, plans)
        run = _Run(resume, run_dir(config.gym_dir, resume), config, plans, pending)
    else:
        run_id = ledger.start_run(run_record(config, prepared))
        folder = run_dir(config.gym_dir, run_id)
        owner.lock = RunLock.acquire(folder, run_id)  # a fresh id: nobody else can hold it
        save_run(folder, config, plans)
        run = _Run(run_id, folder, config, plans, list(plans))
    owner.run_id = run.run_id
    make_reserve(run.folder)
    return run


async def _execute(
    run: _Run,
    ledger: Ledger,
    prepared: Prepared,
    console: Console,
    owner: _Owner,
    executor: EpisodeExecutor,
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
            # Green apps are kept for later --from-kept runs; episodes start from them only
            # with from_kept (a suite's starts are always fixed).
            kept=None
            if run.config.suite
            else KeptApps(run.config.gym_dir, simulated=prepared.simulated),
            progress=progress,
        )
        try:
            await _schedule(run, ctx, progress, executor)
        except asyncio.CancelledError:
            _mark_unstarted(run, ledger)
            ledger.finish_run(run.run_id, RunStatus.INTERRUPTED)
            owner.interrupted = True
            console.print(Text(f"interrupted; continue with: gym run --resume {run.run_id}"))
            raise
        except SwarmRejectedError:
            _mark_unstarted(run, ledger)
            ledger.finish_run(run.run_id, RunStatus.FAILED)
            raise
        except Exception as exc:
            if is_disk_full(exc):
                owner.interrupted = _record_disk_full(run, ledger)
            raise
    status = RunStatus.FINISHED
    if any(r.outcome == Outcome.INFRA_ERROR for r in progress.results):
        status = RunStatus.FAILED
    ledger.finish_run(run.run_id, status)
    return progress.results


async def _schedule(
    run: _Run, ctx: EpisodeContext, progress: RunProgress, executor: EpisodeExecutor
) -> None:
    gate = asyncio.Semaphore(run.config.parallel)

    async def one(plan: EpisodePlan) -> None:
        async with gate:
            run.started.add(plan.index)
            result = await executor.run(plan, ctx)
            progress.episode_finished(result)
            if result.stops_run:
                raise SwarmRejectedError(result.error)

    tasks = [asyncio.create_task(one(p)) for p in run.pending]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        # Cancellation, a rejected config or a full disk: wait for every episode to record
        # its interruption (its swarm gets SIGINT and a grace period) before the ledger closes.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _record_disk_full(run: _Run, ledger: Ledger) -> bool:
    """Free the reserve, close what is open and mark the run interrupted; False if no room.

    Each ledger write is one transaction, so a write the disk refuses leaves no trace;
    whatever stays open here is closed by ``--resume`` all the same.
    """
    free_reserve(run.folder)
    try:
        for view in ledger.episodes(run.run_id):
            if view.status == EpisodeStatus.STARTED:
                ledger.finish_episode(view.id, EpisodeStatus.INTERRUPTED)
        _mark_unstarted(run, ledger)
        ledger.finish_run(run.run_id, RunStatus.INTERRUPTED)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        return False
    return True


def _mark_unstarted(run: _Run, ledger: Ledger) -> None:
    """Episodes that never began are recorded as interrupted, so the run is explainable."""
    for plan in run.pending:
        if plan.index in run.started:
            continue
        episode_id = ledger.start_episode(episode_record(plan, run.run_id, plan.task))
        ledger.finish_episode(episode_id, EpisodeStatus.INTERRUPTED)
