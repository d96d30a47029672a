"""Grade a turn's workdir with the verifier, after the swarm has finished (never mid-run).

The verifier is synchronous (it runs sandboxed checks and drives the judge with
its own event loop), so it runs in a worker thread with a judge transport built
there; the harness's event loop keeps serving the other episodes meanwhile.
"""

from __future__ import annotations

import asyncio
import errno
import time
from dataclasses import dataclass
from pathlib import Path

import verifier
from brain import parse_node_spec, transport_for
from gym.collector import Evidence
from gym.errors import InfraError
from verifier import Grade, Task


@dataclass(frozen=True)
class TurnGrade:
    """The verifier's grade and the wall time it took (checks run in the sandbox, judge)."""

    grade: Grade
    elapsed_s: float


async def grade_turn(
    workdir: Path,
    task: Task,
    stage: int,
    evidence: Evidence,
    *,
    judge_url: str | None,
    existing: set[str] | None = None,
) -> TurnGrade:
    """Grade ``workdir`` at ``stage``; a verifier crash is an InfraError, never a red grade.

    ``existing`` are the files the workdir held before the turn (seed, kept app, earlier
    turns): they are not this turn's scratch litter even though its plan did not own them.
    """
    started = time.monotonic()
    owned = None if evidence.planned is None else evidence.planned | (existing or set())
    try:
        grade = await asyncio.to_thread(_grade, workdir, task, stage, evidence, judge_url, owned)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise  # a full disk stops the run, resumably: this episode must run again
        raise InfraError(f"grading failed: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # a verifier bug must not be scored as the swarm failing
        raise InfraError(f"grading failed: {type(exc).__name__}: {exc}") from exc
    return TurnGrade(grade, time.monotonic() - started)


def _grade(
    workdir: Path,
    task: Task,
    stage: int,
    evidence: Evidence,
    judge_url: str | None,
    owned: set[str] | None,
) -> Grade:
    # A fresh judge per grade: its HTTP client belongs to the event loop the verifier
    # runs and closes; it is dropped with that loop rather than closed from another one.
    node = parse_node_spec(judge_url) if judge_url else None
    judge = transport_for(node.url, model=node.model or None) if node else None
    return verifier.grade_workdir(
        workdir,
        task,
        stage=stage,
        report=evidence.report,
        events_path=evidence.events_path,
        judge=judge,
        owned_files=owned,
    )
