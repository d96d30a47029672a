"""A multi-turn episode: a persona asks, the swarm builds, the verifier grades, repeat.

Turn 1 is the persona's opener; after each turn the brain reads the evidence and
picks the next move (feature, fix, tests, refactor, mcp-feature, change-direction
or done). The episode's final grade is its last graded turn; a green final app is
kept for later continue-existing episodes.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from brain import Transport
from gym.config import GymConfig
from gym.episode._kept import KeptApps
from gym.episode._record import episode_record
from gym.episode._start import Start, prepare_workdir, resolve_start
from gym.episode._turn import TurnResult, TurnSetup, play_turn
from gym.episode._user import ask_user_turn, evidence_summary, next_stage
from gym.errors import InfraError, SwarmRejectedError
from gym.generator import PERSONAS, EpisodePlan, InventionRejected, UserTurn, invent_task
from ledger import EpisodeStatus, Ledger
from verifier import Archetype, Task, Verdict


class Outcome(StrEnum):
    """How an episode ended. INFRA_ERROR is never the swarm failing the task."""

    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    INFRA_ERROR = "infra_error"
    INTERRUPTED = "interrupted"


@dataclass
class EpisodeResult:
    """What the episode came to, with the time spent where."""

    plan: EpisodePlan
    #: The task played: the plan's, an invented one, or a kept app's.
    task: str
    outcome: Outcome
    #: Turns played, at most the plan's max_turns (the user may say done sooner).
    turns: int = 0
    #: One line for INFRA_ERROR; '' otherwise.
    error: str = ""
    #: Ledger id; '' until the episode is recorded.
    episode_id: str = ""
    #: Where the workdir came from: fresh | seed | reference | kept ('' if it never started).
    start: str = ""
    #: Wall time of the whole episode, seconds.
    elapsed_s: float = 0.0
    #: Seconds inside the swarm subprocess, summed over turns.
    swarm_s: float = 0.0
    #: Seconds grading (sandbox checks and judge), summed over turns.
    grade_s: float = 0.0
    #: Stage of the last graded turn; 0 when no turn was graded.
    final_stage: int = 0
    #: Why the episode stopped early, e.g. a fix turn that changed nothing; '' otherwise.
    note: str = ""
    #: The swarm rejected its configuration: no episode can succeed, so the run stops.
    stops_run: bool = False
    #: Dimension -> status of the final grade.
    dimensions: dict[str, str] = field(default_factory=dict)
    #: Turns that were graded; an episode cut short by infrastructure keeps them.
    graded_turns: int = 0
    #: Verdict of the last graded turn (kept when a later turn failed on infrastructure).
    last_verdict: str = ""
    #: Inventions the self-test rejected before this episode's task (one line each).
    rejections: list[str] = field(default_factory=list)
    #: The admitted invented task's folder (task.toml + reference/); None for catalog tasks.
    task_dir: Path | None = None

    @property
    def overhead_s(self) -> float:
        """Harness time: not in the swarm subprocess and not in the verifier's sandbox/judge."""
        return max(0.0, self.elapsed_s - self.swarm_s - self.grade_s)


class ProgressSink(Protocol):
    """Receives live progress (the rich display, or a plain log when not on a terminal)."""

    def episode_started(self, plan: EpisodePlan, task: str) -> None:
        """An episode began on ``task``."""

    def phase(self, index: int, turn: int, phase: str) -> None:
        """Episode ``index`` entered ``phase`` (brain, swarm, grade) of ``turn``."""

    def episode_finished(self, result: EpisodeResult) -> None:
        """An episode ended."""


@dataclass
class EpisodeContext:
    """What every episode of a run shares."""

    config: GymConfig
    run_id: str
    #: This run's folder; each episode writes under ``episodes/NNN``.
    run_dir: Path
    #: The harness brain: plays the persona and invents tasks.
    brain: Transport
    ledger: Ledger
    #: Task id -> task; invented tasks are added as the run goes.
    tasks: dict[str, Task]
    #: Store of green apps (kept for ``--from-kept`` runs); None for suites. Episodes start
    #: from it only when ``config.from_kept`` is set.
    kept: KeptApps | None
    progress: ProgressSink


async def run_episode(plan: EpisodePlan, ctx: EpisodeContext) -> EpisodeResult:
    """Play one episode to its end; records everything in the ledger as it goes."""
    started = time.monotonic()
    episode_dir = ctx.run_dir / "episodes" / f"{plan.index:03d}"
    episode_dir.mkdir(parents=True, exist_ok=True)
    result = EpisodeResult(plan, plan.task, Outcome.INFRA_ERROR)
    setup: TurnSetup | None = None
    try:
        start = await _start(plan, ctx, result)
        result.task, result.start = start.task.id, start.source
        setup = _begin(plan, ctx, start, episode_dir, result)
        result.episode_id = setup.episode_id
        ctx.progress.episode_started(plan, start.task.id)
        await _play(plan, ctx, setup, start, result)
    except InfraError as exc:
        result.outcome, result.error = Outcome.INFRA_ERROR, str(exc)
        result.stops_run = isinstance(exc, SwarmRejectedError)
        if isinstance(exc, InventionRejected):
            result.rejections = list(exc.rejections)
    except asyncio.CancelledError:
        result.outcome = Outcome.INTERRUPTED
        _close(ctx, result)
        raise
    finally:
        result.elapsed_s = time.monotonic() - started
    _close(ctx, result)
    if setup is not None:
        await _store_tree(ctx, setup)
    return result


async def _store_tree(ctx: EpisodeContext, setup: TurnSetup) -> None:
    """Store the final tree as an artifact of the episode."""
    await asyncio.to_thread(ctx.ledger.store_artifact, setup.episode_id, setup.workdir, "tree")


async def _keep_if_green(ctx: EpisodeContext, setup: TurnSetup, turn: TurnResult) -> None:
    """Keep a green app with a stage still ahead: a later continue-existing episode asks
    for that stage on top of it (a green final stage has nothing left to continue)."""
    grade = turn.grade
    if ctx.kept is None or grade is None or grade.verdict != Verdict.PASS:
        return
    if turn.stage < setup.task.max_stage:
        await asyncio.to_thread(
            ctx.kept.keep, setup.task.id, turn.stage, setup.workdir, setup.episode_id
        )


async def _start(plan: EpisodePlan, ctx: EpisodeContext, result: EpisodeResult) -> Start:
    if plan.invent:
        invention = await invent_task(
            ctx.brain,
            archetype=plan.archetype,
            seed=plan.seed,
            avoid_ids=sorted(ctx.tasks),
            out_dir=ctx.run_dir / "tasks",
        )
        result.rejections, result.task_dir = invention.rejections, invention.task_dir
        ctx.tasks[invention.task.id] = invention.task
        # An invented task has no seed and no kept app: it starts fresh, whatever the archetype.
        archetype = plan.archetype
        if archetype == Archetype.CONTINUE_EXISTING:
            archetype = Archetype.HEAVY_SPEC.value
        plan = plan.model_copy(update={"task": invention.task.id, "archetype": archetype})
    return resolve_start(plan, ctx.tasks, ctx.kept if ctx.config.from_kept else None)


def _begin(
    plan: EpisodePlan, ctx: EpisodeContext, start: Start, episode_dir: Path, result: EpisodeResult
) -> TurnSetup:
    workdir = episode_dir / "work"
    prepare_workdir(start, workdir)
    record = episode_record(
        plan, ctx.run_id, start.task.id, start.task.difficulty, result.rejections
    )
    episode_id = ctx.ledger.start_episode(record)
    if result.task_dir is not None:  # an invented task: stored so `gym regrade` can find it
        ctx.ledger.store_artifact(episode_id, result.task_dir, "task")
    return TurnSetup(
        ctx.config,
        ctx.ledger,
        episode_id,
        episode_dir,
        workdir,
        start.task,
        on_phase=lambda turn, phase: ctx.progress.phase(plan.index, turn, phase),
    )


async def _play(
    plan: EpisodePlan, ctx: EpisodeContext, setup: TurnSetup, start: Start, result: EpisodeResult
) -> None:
    stage: int | None = start.stage
    last: TurnResult | None = None
    for turn in range(1, plan.max_turns + 1):
        ctx.progress.phase(plan.index, turn, "brain")
        user = await _ask(plan, ctx, setup.task, turn, stage or 1, last)
        stage = start.stage if last is None else next_stage(setup.task, last.stage, user.move)
        if stage is None:
            break
        ctx.progress.phase(plan.index, turn, "swarm")
        previous = last
        try:
            last = await play_turn(setup, turn, stage, user, last.grade if last else None)
        except InfraError:
            # The episode ends incomplete, but the turns graded so far stand (and stay in
            # the ledger): a dead node on turn 3 says nothing about turns 1 and 2.
            result.turns = turn
            _keep_graded(result, last)
            raise
        result.turns = turn
        result.swarm_s += last.timings.get("swarm_s", 0.0)
        result.grade_s += last.timings.get("grade_s", 0.0)
        await _keep_if_green(ctx, setup, last)
        if _no_progress(previous, last):
            result.note = "stopped: a fix turn changed nothing"
            break
    _conclude(result, last)


def _no_progress(previous: TurnResult | None, last: TurnResult) -> bool:
    """A repeat of the same stage that left the app byte-for-byte unchanged.

    Asking again for the same thing and getting the same tree is where a real user gives
    up; running the remaining turns would only repeat the same grade.
    """
    return (
        previous is not None
        and previous.stage == last.stage
        and previous.evidence.digest == last.evidence.digest
    )


async def _ask(
    plan: EpisodePlan,
    ctx: EpisodeContext,
    task: Task,
    turn: int,
    stage: int,
    last: TurnResult | None,
) -> UserTurn:
    evidence = ""
    if last is not None and last.grade is not None:
        evidence = evidence_summary(last.evidence, last.grade, task, last.stage)
    user = await ask_user_turn(
        ctx.brain,
        PERSONAS[plan.persona],
        task,
        turn=turn,
        max_turns=plan.max_turns,
        stage=stage,
        evidence=evidence,
    )
    if turn == 1 and user.move == "done":  # the opener always asks for the project
        user = user.model_copy(update={"move": "feature"})
    return user


def _conclude(result: EpisodeResult, last: TurnResult | None) -> None:
    if last is None or last.grade is None:
        result.outcome, result.error = Outcome.INFRA_ERROR, "no turn was graded"
        return
    result.outcome = Outcome(last.grade.verdict.value)
    _keep_graded(result, last)


def _keep_graded(result: EpisodeResult, last: TurnResult | None) -> None:
    """Copy the last graded turn's figures into the result (nothing when none was graded)."""
    if last is None or last.grade is None:
        return
    result.graded_turns = last.turn
    result.last_verdict = last.grade.verdict.value
    result.dimensions = {n: d.status.value for n, d in last.grade.dimensions.items()}
    result.final_stage = last.stage


def _close(ctx: EpisodeContext, result: EpisodeResult) -> None:
    """Append the episode's closing status (recording it first if it never got started)."""
    if not result.episode_id:
        result.episode_id = ctx.ledger.start_episode(
            episode_record(result.plan, ctx.run_id, result.task, rejections=result.rejections)
        )
    status = {
        Outcome.INFRA_ERROR: EpisodeStatus.ERROR,
        Outcome.INTERRUPTED: EpisodeStatus.INTERRUPTED,
    }.get(result.outcome, EpisodeStatus.FINISHED)
    verdict = Verdict(result.outcome.value) if status == EpisodeStatus.FINISHED else None
    ctx.ledger.finish_episode(result.episode_id, status, verdict)
