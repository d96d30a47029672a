"""What the scheduler's inbox carries: one frozen message per thing that can happen.

The scheduler's coroutine is the only owner of the run's state; everything that runs
beside it (an attempt, a replanner question, a caller's ``interrupt()``) talks to it by
posting one of these to its inbox. ``InboxMessage`` lists every kind, and
``Scheduler._handle`` dispatches on it with one ``match``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from swarm.judge import Verdict
from swarm.protocols import DispatchResult, SideCall, Subtask


@dataclass(frozen=True)
class InterruptRequested:
    """``Scheduler.interrupt()`` was called; the message only wakes a loop that is waiting.

    The interrupt flag itself is set by ``interrupt()`` before posting, so a loop that
    never waits again (every task finished meanwhile) still reports ``interrupted``.
    """


@dataclass(frozen=True)
class AttemptFinished:
    """One dispatch returned (or raised, turned into a fatal result)."""

    task_id: str
    epoch: int
    """The task's epoch when the attempt started; stale (dropped) if the judge restarted it."""
    result: DispatchResult


@dataclass(frozen=True)
class ReplannerAnswered:
    """The replanner's bonus question came back; empty when it offered nothing or failed."""

    tasks: tuple[Subtask, ...]
    """Already cut to the bonus budget left when the question was asked."""


@dataclass(frozen=True)
class SideCallFinished:
    """A side call (the LLM judge, a pre-review) returned; its slot is free again."""

    device: str
    """The device whose slot the call held."""
    call: SideCall
    verdict: Verdict | None
    """The judge's verdict about ``call.task_id``; None for a pre-review or a failed call."""


InboxMessage: TypeAlias = (
    InterruptRequested | AttemptFinished | ReplannerAnswered | SideCallFinished
)
"""Every message the scheduler's inbox can hold."""
