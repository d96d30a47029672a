"""One turn of an episode: write the spec, shell the swarm, collect, grade, record.

Grading happens only after the swarm process has exited; an interrupted or
infrastructure-failed turn is recorded with its evidence but never graded as the
swarm's failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gym.collector import (
    Evidence,
    collect,
    existing_event_logs,
    infra_error,
    produced_tree,
    write_timeline,
)
from gym.config import GymConfig
from gym.episode._grading import TurnGrade, grade_turn
from gym.episode._user import visible_findings
from gym.generator import UserTurn
from gym.prompts import render
from gym.runner import SwarmCall, run_swarm
from ledger import Ledger, TurnRecord
from verifier import Grade, Task


@dataclass
class TurnResult:
    """What one turn produced."""

    turn: int
    stage: int
    user: UserTurn
    evidence: Evidence
    graded: TurnGrade | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def grade(self) -> Grade | None:
        """The verifier's grade, when the turn was graded."""
        return self.graded.grade if self.graded else None


@dataclass(frozen=True)
class TurnSetup:
    """Where and how the turn runs."""

    config: GymConfig
    ledger: Ledger
    episode_id: str
    episode_dir: Path
    workdir: Path
    task: Task
    on_phase: Callable[[int, str], None] = lambda turn, phase: None


def write_spec(path: Path, user: UserTurn, task: Task, stage: int, fix_from: Grade | None) -> None:
    """The spec given to the swarm: the persona's message, then the spec text verbatim."""
    findings = visible_findings(fix_from, task, stage) if fix_from and user.move == "fix" else []
    text = render(
        "swarm_spec.j2",
        message=user.message.strip(),
        findings=findings,
        spec=task.spec_for_stage(stage),
    )
    path.write_text(text, encoding="utf-8")


async def play_turn(
    setup: TurnSetup, turn: int, stage: int, user: UserTurn, last: Grade | None
) -> TurnResult:
    """Run the swarm for one turn and grade the result; raises InfraError or CancelledError."""
    spec_file = setup.episode_dir / f"turn-{turn}-spec.md"
    write_spec(spec_file, user, setup.task, stage, last)
    before = existing_event_logs(setup.workdir)
    existing = set(produced_tree(setup.workdir))
    call = SwarmCall(
        spec_file=spec_file.resolve(),
        workdir=setup.workdir.resolve(),
        fleet=setup.config.fleet,
        knobs=tuple(setup.config.knobs),
        timeout_s=setup.config.turn_timeout_s,
        swarm_cmd=setup.config.swarm_cmd,
    )
    run = await run_swarm(call, pid_file=setup.episode_dir / "swarm.pid")
    evidence = collect(run, setup.workdir, since_events=before)
    result = TurnResult(turn, stage, user, evidence, timings={"swarm_s": run.elapsed_s})
    _save_output(setup.episode_dir, turn, run.stdout, run.stderr)
    if run.interrupted:
        _record_turn(setup, result)
        raise asyncio.CancelledError
    problem = infra_error(evidence)
    if problem is not None:
        _record_turn(setup, result, infra=str(problem))
        raise problem
    setup.on_phase(turn, "grade")
    judge = setup.config.brain if setup.config.judge else None
    result.graded = await grade_turn(
        setup.workdir, setup.task, stage, evidence, judge_url=judge, existing=existing
    )
    result.timings["grade_s"] = result.graded.elapsed_s
    _record_turn(setup, result)
    return result


def _save_output(episode_dir: Path, turn: int, stdout: str, stderr: str) -> None:
    (episode_dir / f"turn-{turn}-stdout.txt").write_text(stdout, encoding="utf-8")
    (episode_dir / f"turn-{turn}-stderr.txt").write_text(stderr, encoding="utf-8")


def _record_turn(setup: TurnSetup, result: TurnResult, *, infra: str = "") -> None:
    """The turn, its spec and event log, and — when graded — its tree and grade.

    The tree is stored per graded turn so ``gym regrade`` can grade any turn again.
    """
    ev, ledger, eid = result.evidence, setup.ledger, setup.episode_id
    ledger.record_turn(
        TurnRecord(
            episode_id=eid,
            turn=result.turn,
            move=result.user.move,
            stage=result.stage,
            message=result.user.message,
            swarm_run_id=str((ev.report or {}).get("run_id", "")),
            swarm_status=ev.status,
            exit_code=ev.run.exit_code,
            elapsed_ms=int(ev.run.elapsed_s * 1000),
            prompt_tokens=ev.prompt_tokens,
            completion_tokens=ev.completion_tokens,
            report=ev.report or {},
            infra_error=infra,
        )
    )
    ledger.store_artifact(
        eid, setup.episode_dir / f"turn-{result.turn}-spec.md", "spec", turn=result.turn
    )
    if ev.events_path is not None:
        ledger.store_artifact(eid, ev.events_path, "events", turn=result.turn)
    if ev.transcript_path is not None:
        ledger.store_artifact(eid, ev.transcript_path, "transcript", turn=result.turn)
    timeline = write_timeline(ev.timeline, setup.episode_dir / f"turn-{result.turn}-timeline.json")
    if timeline is not None:
        ledger.store_artifact(eid, timeline, "timeline", turn=result.turn)
    if result.grade is not None:
        ledger.store_artifact(eid, setup.workdir, "tree", turn=result.turn)
        ledger.record_grade(eid, result.turn, result.grade)
